#!/usr/bin/env bash
# Print benchmark: every card of the 10,000-entry corpus (one PDF per card and all cards
# imposed on A4 sheets). Reports wall time, the imposed sheets' card pages per second and
# bytes per card PDF.
#
#   bash bench/print.sh            # N=10000
#   N=1000 bash bench/print.sh
set -euo pipefail
# The summary lines parsed below are the English ones.
export MINGBAI_LANG=en
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
N="${N:-10000}"
WORK="${WORK:-/tmp/mingbai-bench}"
mkdir -p "$WORK"
(cd "$HERE" && cargo build --release -q)
C="$WORK/c$N"
if [ ! -d "$C/mingbai" ]; then
  python3 "$HERE/bench/gen_corpus.py" --pages "$N" --out "$C" --format all >/dev/null
fi
cd "$C/mingbai"
# Cards only: the handbook of 10,000 entries is another benchmark. The corpus is shared
# with bench/full.sh, which measures the handbook: site.toml is put back on exit.
cp site.toml "$WORK/site.toml.print-$N"
trap 'cp "$WORK/site.toml.print-$N" "$C/mingbai/site.toml"' EXIT
grep -q '^\[print\]' site.toml || printf '\n[print]\nhandbook = false\n' >> site.toml
# A first build: no previous output, no card cache.
rm -rf public .mingbai-cache
MINGBAI_TIMINGS=1 /usr/bin/time -v -o "$WORK/print-$N.time" "$TARGET/release/mingbai" build 2> "$WORK/print-$N.log" >/dev/null
python3 - "$WORK/print-$N.log" "$WORK/print-$N.time" public "$N" <<'PY'
import os, re, sys
log, tm, pub, n = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3], int(sys.argv[4])
ms = {k: float(v) for k, v in re.findall(r"^\s+(.+?)\s+([\d.]+) ms$", log, re.M)}
el = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.+)", tm).group(1).split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(el)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tm).group(1)) / 1024
sizes = []
for d, _, fs in os.walk(os.path.join(pub, "print/cards")):
    sizes += [os.path.getsize(os.path.join(d, f)) for f in fs]
sizes.sort()
sheet = os.path.getsize(os.path.join(pub, "print/cards.pdf"))
pages = re.search(r"printed (\d+) cards \((\d+) A4 sheets", log)
cards, sheets = int(pages.group(1)), int(pages.group(2))
card_pages = cards  # faces on the fronts; backs counted below when present
print(f"| N | build wall (s) | peak RSS (MiB) | layout (s) | card PDFs (s) | imposed sheets (s) | card pages/s (imposed) | median card PDF | cards.pdf |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
print(f"| {n} | {wall:.1f} | {rss:.0f} | {ms['layout']/1000:.2f} | {ms['card pdfs']/1000:.2f} | {ms['imposed']/1000:.2f} | "
      f"{card_pages / (ms['imposed'] / 1000):.0f} | {sizes[len(sizes)//2]/1024:.1f} KB | {sheet/2**20:.1f} MiB, {sheets} sheets |")
PY
