#!/usr/bin/env bash
# Search benchmark on the 10,000-entry corpus, mingbai beside Pagefind in the same run:
# index size (bytes, files, gzip'd), indexing time, and per query the results, the
# in-browser time and the bytes downloaded (gzip'd as a server sends them).
#   bash bench/search.sh        # N=10000; BIN=target/debug/mingbai skips the release build
# Needs chromium, python3 and npm (websocket-client into a venv, pagefind from npm, both
# under $WORK).
set -euo pipefail
# The summary lines parsed below are the English ones.
export MINGBAI_LANG=en
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
N="${N:-10000}"
WORK="${WORK:-/tmp/mingbai-bench}"
PORT="${PORT:-18080}"
mkdir -p "$WORK"
[ -x "$WORK/venv-search/bin/python" ] || { python3 -m venv "$WORK/venv-search" && "$WORK/venv-search/bin/pip" install -q websocket-client; }
PF="$WORK/pf/node_modules/.bin/pagefind"
[ -x "$PF" ] || { mkdir -p "$WORK/pf" && cd "$WORK/pf" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund -q pagefind >/dev/null; }
BIN="${BIN:-}"
[ -n "$BIN" ] || { (cd "$HERE" && cargo build --release -q); BIN="$TARGET/release/mingbai"; }
C="$WORK/c$N"
[ -d "$C/content" ] || python3 "$HERE/bench/gen_corpus.py" --pages "$N" --out "$C" --format mingbai >/dev/null
cd "$C"
[ -n "${SKIP_BUILD:-}" ] || rm -rf public
[ -n "${SKIP_BUILD:-}" ] || "$BIN" build --no-print 2>&1 | grep -E "search index|^built"
sizes() { # folder, files: total bytes, gzip'd bytes (text files; others as they are), count
  python3 - "$@" <<'PY'
import gzip, os, sys
root, pats = sys.argv[1], sys.argv[2:]
raw = gz = n = 0
for dp, _, fs in os.walk(root):
    for f in fs:
        p = os.path.join(dp, f)
        if pats and not any(f.startswith(x) for x in pats):
            continue
        d = open(p, "rb").read()
        raw += len(d); n += 1
        gz += len(gzip.compress(d, 6)) if f.endswith((".js", ".css", ".json", ".html")) else len(d)
print(f"{raw / 1e6:.1f} MB ({gz / 1e6:.1f} MB gzip'd) in {n} files")
PY
}
echo "mingbai index: $(sizes public/search manifest p m t)"
echo "  posting shards: $(sizes public/search p), entry lists: $(sizes public/search m), snippet text: $(sizes public/search t), manifest: $(sizes public/search manifest)"
[ -n "${SKIP_BUILD:-}" ] || /usr/bin/time -f "pagefind: %e s, %M KB peak RSS" "$PF" --site public --output-subdir pagefind >/dev/null
echo "pagefind index: $(sizes public/pagefind)"
# A page that runs Pagefind's own API and reports like mingbai's search page.
cat > public/pf.html <<'HTML'
<!doctype html><meta charset="utf-8"><title>pagefind</title><p id="search-status"></p>
<script type="module">
const q = new URLSearchParams(location.search).get("q") || "";
const t0 = performance.now();
const pf = await import("/pagefind/pagefind.js");
const r = await pf.search(q);
await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
document.getElementById("search-status").textContent = r.results.length
  ? `找到约 ${r.results.length} 条（${((performance.now() - t0) / 1000).toFixed(2)} 秒）` : "没有找到";
</script>
HTML
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory public >/dev/null 2>"$WORK/requests.log" &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
"$WORK/venv-search/bin/python" "$HERE/bench/search_latency.py" --url "http://127.0.0.1:$PORT/search/" --root public --log "$WORK/requests.log" \
  --url2 "http://127.0.0.1:$PORT/pf.html" --name2 Pagefind \
  --query 小额信贷 --query 脫貧 --query 貸款 --query xiaoe --query dbh \
  --query 义务教育营养改善计划 --query 低保户 --query 监测 --query 贷 --query 资金发放
