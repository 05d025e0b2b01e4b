#!/usr/bin/env bash
# Search benchmark: index size and in-browser query time on the 10,000-entry corpus.
#   bash bench/search.sh        # N=10000
# Needs chromium and python3 (websocket-client is installed into a venv under $WORK).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$HERE/../shared}"
N="${N:-10000}"
WORK="${WORK:-/tmp/mingbai-bench}"
PORT="${PORT:-18080}"
mkdir -p "$WORK"
[ -x "$WORK/venv-search/bin/python" ] || { python3 -m venv "$WORK/venv-search" && "$WORK/venv-search/bin/pip" install -q websocket-client; }
(cd "$HERE" && cargo build --release -q)
C="$WORK/c$N"
[ -d "$C/mingbai" ] || python3 "$SHARED/bench/gen_corpus.py" --pages "$N" --out "$C" --format all >/dev/null
cd "$C/mingbai" && rm -rf public
"$HERE/target/release/mingbai" build --no-print 2>&1 | grep "search index"
echo "posting shards: $(du -ch public/search/p*.js | tail -1 | cut -f1), entry lists: $(du -ch public/search/m*.js | tail -1 | cut -f1), snippet text: $(du -ch public/search/t*.js | tail -1 | cut -f1)"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory public >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
"$WORK/venv-search/bin/python" "$HERE/bench/search_latency.py" --url "http://127.0.0.1:$PORT/search/" \
  --query 义务教育营养改善计划 --query 低保户 --query 监测 --query 贷 --query 资金发放
