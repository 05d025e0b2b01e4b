#!/usr/bin/env bash
# Household-card benchmark: N generated households (bench/gen_households.py) through
# `mingbai cards` on the sample handbook, one imposed PDF per village.
#
#   bash bench/cards.sh            # N=10000
#   N=1000 bash bench/cards.sh
#
# Prints wall time, CPU time, peak RSS and PDF bytes per card.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
N="${N:-10000}"
WORK="${WORK:-/tmp/mingbai-bench}"
mkdir -p "$WORK"
(cd "$HERE" && cargo build --release -q)
SHEET="$WORK/households-$N.csv"
[ -f "$SHEET" ] || python3 "$HERE/bench/gen_households.py" "$N" "$SHEET"
OUT="$WORK/cards-$N"
rm -rf "$OUT"
/usr/bin/time -v -o "$WORK/cards-$N.time" "$TARGET/release/mingbai" cards --root "$HERE" \
  --data "$SHEET" --output "$OUT" 2>"$WORK/cards-$N.log"
python3 - "$WORK/cards-$N.time" "$OUT" "$N" <<'PY'
import os, re, sys
t = open(sys.argv[1]).read()
g = lambda k: re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
el = g("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(el)))
cpu = float(g("User time (seconds)")) + float(g("System time (seconds)"))
rss = int(g("Maximum resident set size (kbytes)")) / 1024
files = [os.path.join(sys.argv[2], f) for f in os.listdir(sys.argv[2]) if f.endswith(".pdf")]
size = sum(os.path.getsize(f) for f in files)
n = int(sys.argv[3])
print("| households | wall (s) | CPU (s) | peak RSS (MiB) | PDFs | total | bytes per card |")
print("|---:|---:|---:|---:|---:|---:|---:|")
print(f"| {n:,} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {len(files)} | {size / 2**20:.1f} MiB | {size / n / 1024:.1f} KB |")
PY
