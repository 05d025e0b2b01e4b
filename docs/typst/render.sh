#!/usr/bin/env bash
# Sets one policy card and two handbook pages with Typst and puts them beside mingbai's
# own, for docs/img/compare-card.png and docs/img/compare-handbook.png (left: mingbai,
# right: Typst). Run from the repository root after `cargo run --release -- build`
# (it reads public/print/). Needs Typst 0.15 as a Python module (`pip install typst`),
# Pillow and poppler-utils (pdftoppm); the fonts are the theme's Noto Sans CJK.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -f public/print/handbook.pdf ] || { echo "run \`cargo run --release -- build\` first" >&2; exit 1; }

python3 - "$out" <<'PY'
import sys, typst
out = sys.argv[1]
for name in ("card", "handbook"):
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
# The card as trimmed: its PDF bleeds 3 mm (12 px at 100 dpi) beyond the A6 trim.
pdftoppm -png -r 100 -x 12 -y 12 -W 413 -H 583 public/print/cards/xindai/xiaoe.pdf "$out/mb-card"
pdftoppm -png -r 100 "$out/typst-card.pdf" "$out/ty-card"
pdftoppm -png -r 80 -f "$first" -l $((first + 1)) public/print/handbook.pdf "$out/mb-hb"
pdftoppm -png -r 80 -f 1 -l 2 "$out/typst-handbook.pdf" "$out/ty-hb"

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
def side_by_side(left, right, path):
    a, b = row(left), row(right)
    w, h = a.width + b.width + 40, max(a.height, b.height) + 40
    s = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(s)
    d.text((0, 4), "mingbai", fill=(0, 0, 0), font=font)
    d.text((a.width + 40, 4), "Typst 0.15", fill=(0, 0, 0), font=font)
    s.paste(a, (0, 40)); s.paste(b, (a.width + 40, 40))
    s.save(path, optimize=True)
side_by_side(sorted(glob.glob(f"{out}/mb-card*.png")), sorted(glob.glob(f"{out}/ty-card*.png")), "docs/img/compare-card.png")
side_by_side(sorted(glob.glob(f"{out}/mb-hb*.png")), sorted(glob.glob(f"{out}/ty-hb*.png")), "docs/img/compare-handbook.png")
PY
echo "wrote docs/img/compare-card.png and docs/img/compare-handbook.png"
