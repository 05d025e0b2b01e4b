#!/usr/bin/env bash
# Lighthouse (mobile, the default preset) on the sample handbook: the home page, a
# policy page and the search page with a query, in all four categories.
#   bash bench/lighthouse.sh          # prints a table; JSON reports under $WORK/lh/
# Needs chromium, node/npm and python3; lighthouse is installed with npm into $WORK/lh.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
WORK="${WORK:-/tmp/mingbai-bench}"
PORT="${PORT:-18090}"
LH="$WORK/lh"
mkdir -p "$LH"
[ -x "$LH/node_modules/.bin/lighthouse" ] || (cd "$LH" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund -q lighthouse >/dev/null)
# BIN=target/debug/mingbai skips the release build (the scores do not depend on it).
BIN="${BIN:-}"
[ -n "$BIN" ] || { (cd "$HERE" && cargo build --release -q); BIN="$TARGET/release/mingbai"; }
SITE="$LH/site"
rm -rf "$SITE"
(cd "$HERE" && "$BIN" build --no-print --output "$SITE" >/dev/null 2>&1)
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
export CHROME_PATH=/usr/bin/chromium
FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
RUNS="${RUNS:-3}"
echo "| page | performance | accessibility | best practices | SEO | LCP (s) | CLS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for page in "/" "/xindai/xiaoe/" "/search/?q=%E5%B0%8F%E9%A2%9D%E4%BF%A1%E8%B4%B7"; do
  name=$(echo "$page" | tr -c 'a-z0-9' '_')
  for run in $(seq "$RUNS"); do
    "$LH/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$page" --quiet --chrome-flags="$FLAGS" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$LH/report$name.$run.json" >/dev/null 2>&1 || true
  done
  # The run with the median performance score: its blocking time depends on how busy
  # this machine is, the rest (simulated network) hardly moves.
  python3 - "$page" "$LH/report$name".*.json <<'PY'
import json, sys, urllib.parse
runs = [json.load(open(f)) for f in sys.argv[2:]]
runs.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
r = runs[len(runs) // 2]
c = r["categories"]
s = lambda k: round(c[k]["score"] * 100) if c[k]["score"] is not None else "-"
a = r["audits"]
lcp = a["largest-contentful-paint"]["numericValue"] / 1000
cls = a["cumulative-layout-shift"]["numericValue"]
print(f"| {urllib.parse.unquote(sys.argv[1])} | {s('performance')} | {s('accessibility')} | {s('best-practices')} | {s('seo')} | {lcp:.1f} | {cls:.2f} |")
PY
done
