#!/usr/bin/env bash
# Sets mingbai's print output with Typst and puts the two side by side (left: mingbai,
# right: Typst), both faces of each card:
#   docs/img/compare-card.png       the policy card xindai/xiaoe (A6)      card.typ
#   docs/img/compare-large.png      the same card as the 大字版 (A5)        large.typ
#   docs/img/compare-household.png  a 户明白卡 (大字版, A5), front and back  household.typ
#   docs/img/compare-handbook.png   two handbook pages (A4)                handbook.typ
# Run from the repository root after `cargo run --release -- build` (it reads public/print/
# and runs the release binary, ${CARGO_TARGET_DIR:-target}/release/mingbai, for the 大字版
# into a temporary folder and for the household cards from the fictional fixture sheet
# tests/fixtures/households/households.csv). Needs Typst 0.15 as a Python module (`pip
# install typst`), Pillow and poppler-utils (pdftoppm, pdfinfo, pdftotext); the fonts are
# the theme's Noto Sans CJK.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mingbai=${CARGO_TARGET_DIR:-target}/release/mingbai
[ -f public/print/handbook.pdf ] || { echo "run \`cargo run --release -- build\` first" >&2; exit 1; }
[ -x "$mingbai" ] || { echo "no $mingbai: run \`cargo build --release\` first" >&2; exit 1; }
# poppler reads Typst's PDFs fine but says so about one key.
quiet() { "$@" 2> >(grep -v "Suspects object is wrong type" >&2); }

# mingbai's own: the 大字版 of the site, and the 大字版 household cards of one village
# (the standard card of QH-TY-001 fits its front; the 大字版 has a back).
run() { "$@" >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }; }
run "$mingbai" build --large-print --no-search --output "$out/large"
run "$mingbai" cards --large-print --data tests/fixtures/households/households.csv \
  --village 桃源村 --output "$out/households"
households=$(ls "$out"/households/*.pdf)
[ "$(echo "$households" | wc -l)" -eq 1 ] || { echo "expected one household PDF: $households" >&2; exit 1; }

python3 - "$out" <<'PY'
import sys, typst
out = sys.argv[1]
for name in ("card", "large", "household", "handbook"):
    typst.compile(f"docs/typst/{name}.typ", output=f"{out}/typst-{name}.pdf",
                  root=".", font_paths=["themes/default/fonts"], ignore_system_fonts=True)
PY

# The handbook pages that hold the chapter 住房安全保障 and the flow chart.
first=$(python3 - <<'PY'
import subprocess
n = int(subprocess.run(["qpdf", "--show-npages", "public/print/handbook.pdf"],
                       capture_output=True, text=True).stdout)
for p in range(1, n + 1):
    t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "public/print/handbook.pdf", "-"],
                       capture_output=True, text=True).stdout
    if "住房安全是“三保障”之一" in t:
        print(p); break
PY
)
[ -n "$first" ] || { echo "no chapter 住房安全保障 in handbook.pdf" >&2; exit 1; }

# pdftoppm's -x -y -W -H (pixels at DPI) for the card inside a page: a single card's
# TrimBox (its PDF bleeds 3 mm), or with a width and height in mm the first slot of an
# imposed sheet (2 A5 cards on a landscape A4, centred, no gap between them).
crop() {
  python3 - "$@" <<'PY'
import re, subprocess, sys
pdf, dpi = sys.argv[1], float(sys.argv[2])
info = subprocess.run(["pdfinfo", "-box", pdf], capture_output=True, text=True).stdout
box = lambda k: [float(v) for v in re.search(k + r":\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", info).groups()]
_, _, pw, ph = box("MediaBox")
if len(sys.argv) > 3:
    mm = 72 / 25.4
    cw, ch = float(sys.argv[3]) * mm, float(sys.argv[4]) * mm
    cols, rows = int((pw + 0.5) // cw), int((ph + 0.5) // ch)
    x0, y1 = (pw - cols * cw) / 2, ph - (ph - rows * ch) / 2
    x1, y0 = x0 + cw, y1 - ch
else:
    x0, y0, x1, y1 = box("TrimBox")
px = lambda v: round(v * dpi / 72)
print(f"-x {px(x0)} -y {px(ph - y1)} -W {px(x1 - x0)} -H {px(y1 - y0)}")
PY
}

# The first card of the household sheet must be QH-TY-001 on both faces, and no ID
# number may be printed on any card.
slot=$(crop "$households" 72 148 210)  # pdftotext counts pixels at 72 dpi: points
for p in 1 2; do
  # shellcheck disable=SC2086
  pdftotext -f $p -l $p $slot "$households" - | grep -q "QH-TY-001" \
    || { echo "the first card on sheet $p of $households is not QH-TY-001" >&2; exit 1; }
done
if pdftotext "$households" - | grep -Eq "[0-9]{17}[0-9Xx]"; then
  echo "an ID number is printed on the household cards" >&2; exit 1
fi

# shellcheck disable=SC2046
pdftoppm -png -r 100 $(crop public/print/cards/xindai/xiaoe.pdf 100) public/print/cards/xindai/xiaoe.pdf "$out/mb-card"
quiet pdftoppm -png -r 100 "$out/typst-card.pdf" "$out/ty-card"
# shellcheck disable=SC2046
pdftoppm -png -r 80 $(crop "$out/large/print/cards/xindai/xiaoe.pdf" 80) "$out/large/print/cards/xindai/xiaoe.pdf" "$out/mb-large"
quiet pdftoppm -png -r 80 "$out/typst-large.pdf" "$out/ty-large"
# shellcheck disable=SC2046
pdftoppm -png -r 80 -f 1 -l 2 $(crop "$households" 80 148 210) "$households" "$out/mb-household"
quiet pdftoppm -png -r 80 "$out/typst-household.pdf" "$out/ty-household"
pdftoppm -png -r 80 -f "$first" -l $((first + 1)) public/print/handbook.pdf "$out/mb-hb"
quiet pdftoppm -png -r 80 -f 1 -l 2 "$out/typst-handbook.pdf" "$out/ty-hb"

# Both sides of a card comparison must carry the same characters (spaces aside).
same_text() {
  python3 - "$@" <<'PY'
import collections, subprocess, sys
def chars(args):
    t = subprocess.run(["pdftotext", *args, "-"], capture_output=True, text=True).stdout
    return collections.Counter(c for c in t if not c.isspace())
name, mb, ty = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
a, b = chars(mb), chars(ty)
if a != b:
    sys.exit(f"{name}: the text differs: mingbai only {dict(a - b)}, Typst only {dict(b - a)}")
PY
}
same_text card public/print/cards/xindai/xiaoe.pdf "$out/typst-card.pdf"
same_text large "$out/large/print/cards/xindai/xiaoe.pdf" "$out/typst-large.pdf"
same_text household "-f 1 -l 2 $slot $households" "$out/typst-household.pdf"

python3 - "$out" <<'PY'
import glob, sys
from PIL import Image, ImageDraw, ImageFont
out = sys.argv[1]
font = ImageFont.truetype("themes/default/fonts/NotoSansCJKsc-Bold.otf", 22)
def row(files):
    ims = [Image.open(f).convert("RGB") for f in files]
    h = max(i.height for i in ims)
    sheet = Image.new("RGB", (sum(i.width for i in ims) + 12 * (len(ims) - 1), h), (150, 150, 150))
    x = 0
    for i in ims:
        sheet.paste(i, (x, 0)); x += i.width + 12
    return sheet
def side_by_side(name, path):
    a = row(sorted(glob.glob(f"{out}/mb-{name}-*.png")))
    b = row(sorted(glob.glob(f"{out}/ty-{name}-*.png")))
    w, h = a.width + b.width + 40, max(a.height, b.height) + 40
    s = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(s)
    d.text((0, 4), "mingbai", fill=(0, 0, 0), font=font)
    d.text((a.width + 40, 4), "Typst 0.15", fill=(0, 0, 0), font=font)
    s.paste(a, (0, 40)); s.paste(b, (a.width + 40, 40))
    # 256 colours are plenty for type on paper and keep the files small.
    s.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
for name, path in (("card", "compare-card"), ("large", "compare-large"),
                   ("household", "compare-household"), ("hb", "compare-handbook")):
    side_by_side(name, f"docs/img/{path}.png")
PY
echo "wrote docs/img/compare-card.png, compare-large.png, compare-household.png and compare-handbook.png"
