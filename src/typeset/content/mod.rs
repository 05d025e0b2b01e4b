//! Page content streams, written directly: a sheet of four cards holds thousands of
//! positioned glyph runs, and turning them into printpdf operations, then lopdf
//! operations, then text cost more than everything else in a big print run. The
//! operators used are few (text, rectangles, lines, fills, pictures); numbers are
//! written with two decimals, far finer than any printer resolves.
//!
//! Colours are written in the build's colour mode ([`set_color_mode`], site.toml
//! `[print] color`): black and grey as black ink alone (`0 0 0 1 k` or `0 g`, never the
//! style's near-black RGB a press would split into four inks), other colours as CMYK,
//! grey tints or RGB.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::config::PrintColor;

use super::embed::DocFonts;
use super::layout::{Item, TextRun};
use super::style::Color;

/// The colour mode of the running build: one per process (a build prints with one
/// site.toml), so every product's pages follow it without passing it through each.
static MODE: AtomicU8 = AtomicU8::new(0);

/// Sets the colour mode every later content stream is written in.
pub(crate) fn set_color_mode(mode: PrintColor) {
    MODE.store(mode as u8, Ordering::Relaxed);
}

fn color_mode() -> PrintColor {
    match MODE.load(Ordering::Relaxed) {
        1 => PrintColor::Gray,
        2 => PrintColor::Rgb,
        _ => PrintColor::Cmyk,
    }
}

/// A colour is neutral (black, grey, white) when its channels differ this little:
/// the style's ink `#1d1d1f` is a screen's soft black, meant as black.
const NEUTRAL: f32 = 0.04;
/// Neutral colours this dark print as solid black: a 89 % tint would screen small
/// text into dots.
const SOLID_BLACK: f32 = 0.2;

/// The paint operator for `c` in `mode`: operands and operator (`k`, `g` or `rg`;
/// the stroking forms in upper case when `stroke`).
fn paint(out: &mut Vec<u8>, c: Color, mode: PrintColor, stroke: bool) {
    let [r, g, b] = c.map(|v| v.clamp(0.0, 1.0));
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let neutral = max - min <= NEUTRAL;
    // Grey of a neutral colour: its mean; of a colour: its luminance.
    let grey = if neutral {
        (r + g + b) / 3.0
    } else {
        0.299 * r + 0.587 * g + 0.114 * b
    };
    let grey = if grey <= SOLID_BLACK { 0.0 } else { grey };
    let op: &[u8] = match (mode, neutral) {
        (PrintColor::Rgb, _) => {
            nums(out, &c);
            b"rg"
        }
        (PrintColor::Gray, _) => {
            nums(out, &[grey]);
            b"g"
        }
        (PrintColor::Cmyk, true) => {
            nums(out, &[0.0, 0.0, 0.0, 1.0 - grey]);
            b"k"
        }
        (PrintColor::Cmyk, false) => {
            // Full grey-component replacement: the darkness goes to black ink.
            let k = 1.0 - max;
            let cmy = [r, g, b].map(|v| (1.0 - v - k) / (1.0 - k));
            nums(out, &[cmy[0], cmy[1], cmy[2], k]);
            b"k"
        }
    };
    if stroke {
        out.extend(op.iter().map(u8::to_ascii_uppercase));
    } else {
        out.extend_from_slice(op);
    }
    out.push(b'\n');
}

#[derive(Default)]
struct State {
    in_text: bool,
    font: Option<(u16, f32)>,
    /// The character spacing (`Tc`) set, in 1/100,000 pt (as [`fixed`] writes it).
    spacing: i64,
    fill: Option<Color>,
    stroke: Option<Color>,
    width: Option<f32>,
    dash: Option<bool>,
    mode: PrintColor,
    /// The gaps of the run being written, in a list kept for the next run.
    kerns: Vec<i32>,
    /// Where the last line of text began (in 1/100 pt, as written), which the next
    /// one's `Td` moves from; `None` after `BT`, where a `Td` moves from the origin.
    line: Option<(i64, i64)>,
}

/// Appends the drawing of `items`, placed in a box at (`left`, `top`) pt from the
/// page's top-left, to `out` (a content stream for a page `page_h` pt high).
pub(crate) fn write_items(
    out: &mut Vec<u8>,
    items: &[Item],
    names: &[String],
    glyphs: &DocFonts,
    left: f32,
    top: f32,
    page_h: f32,
) {
    let mut st = State {
        mode: color_mode(),
        ..State::default()
    };
    let py = |y: f32| page_h - top - y;
    for item in items {
        let is_text = matches!(item, Item::Text(_));
        if is_text && !st.in_text {
            out.extend_from_slice(b"BT\n");
            st.in_text = true;
            st.line = None;
        } else if !is_text && st.in_text {
            out.extend_from_slice(b"ET\n");
            st.in_text = false;
        }
        match item {
            Item::Text(run) => text_run(out, run, names, glyphs, left + run.x, py(run.y), &mut st),
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let op: &[u8] = match (fill, stroke) {
                    (Some(_), Some(_)) => b"B",
                    (Some(_), None) => b"f",
                    (None, Some(_)) => b"S",
                    (None, None) => continue,
                };
                if let Some(f) = fill {
                    fill_color(out, &mut st, *f);
                }
                if let Some((c, w)) = stroke {
                    stroke_style(out, &mut st, *c, *w, false);
                }
                nums(out, &[left + x, py(y + h), *w, *h]);
                out.extend_from_slice(b"re ");
                out.extend_from_slice(op);
                out.push(b'\n');
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
                dash,
            } => {
                stroke_style(out, &mut st, *color, *width, *dash);
                nums(out, &[left + x1, py(*y1)]);
                out.extend_from_slice(b"m ");
                nums(out, &[left + x2, py(*y2)]);
                out.extend_from_slice(b"l S\n");
            }
            Item::Qr {
                x,
                y,
                module,
                n,
                dark,
            } => {
                // Set before `q`, so the colour the state remembers outlives the `Q`.
                fill_color(out, &mut st, [0.0, 0.0, 0.0]);
                // Drawn in modules: the code's lower-left corner the origin and a module
                // the unit, so each rectangle is four small whole numbers and neighbours
                // meet exactly. In points, to two decimals, the rectangles were two
                // thirds of a card's content stream.
                out.extend_from_slice(b"q ");
                let unit = fixed_units(f64::from(*module));
                for v in [unit, 0, 0, unit] {
                    fixed(out, v);
                    out.push(b' ');
                }
                nums(out, &[left + x, py(y + *n as f32 * module)]);
                out.extend_from_slice(b"cm\n");
                // A rectangle per horizontal run of dark modules, filled as one path.
                for row in 0..*n {
                    let mut col = 0;
                    while col < *n {
                        if !dark[row * n + col] {
                            col += 1;
                            continue;
                        }
                        let start = col;
                        while col < *n && dark[row * n + col] {
                            col += 1;
                        }
                        for v in [start, n - 1 - row, col - start] {
                            int(out, v as i64);
                            out.push(b' ');
                        }
                        out.extend_from_slice(b"1 re\n");
                    }
                }
                out.extend_from_slice(b"f Q\n");
            }
            Item::Image {
                x,
                y,
                w,
                h,
                picture,
            } => {
                out.extend_from_slice(b"q ");
                nums(out, &[*w, 0.0, 0.0, *h, left + x, py(y + h)]);
                out.extend_from_slice(b"cm /");
                out.extend_from_slice(glyphs.image_name(picture).as_bytes());
                out.extend_from_slice(b" Do Q\n");
            }
        }
    }
    if st.in_text {
        out.extend_from_slice(b"ET\n");
    }
    // Character spacing outlives BT … ET; whatever is drawn after these items (another
    // call's, a page's next layer) starts from the default.
    if st.spacing != 0 {
        out.extend_from_slice(b"0 Tc\n");
    }
}

/// A page's content moved into a page `bleed` larger on every side: drawn inside the
/// trim as before, and filled rectangles that reach the trim edge (backgrounds, bands)
/// carried on into the bleed, so a cut a little off leaves no white sliver.
pub(crate) fn into_bleed(content: &[u8], w: f32, h: f32, bleed: f32) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 64);
    out.extend_from_slice(b"q 1 0 0 1 ");
    nums(&mut out, &[bleed, bleed]);
    out.extend_from_slice(b"cm\n");
    for line in content.split_inclusive(|&b| b == b'\n') {
        match bleed_rect(line, w, h, bleed) {
            Some(r) => {
                nums(&mut out, &r.0);
                out.extend_from_slice(b"re ");
                out.extend_from_slice(r.1);
                out.push(b'\n');
            }
            None => out.extend_from_slice(line),
        }
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.extend_from_slice(b"Q\n");
    out
}

/// A filled `x y w h re f` (or `B`) line that touches the trim edge, grown into the
/// bleed; `None` for every other line.
fn bleed_rect(line: &[u8], pw: f32, ph: f32, bleed: f32) -> Option<([f32; 4], &'static [u8])> {
    // The operator first, on the bytes: most lines are text, whose glyph ids in a
    // string are not UTF-8, and checking that of every line was most of this.
    let bytes = line.trim_ascii_end();
    let op: &'static [u8] = if bytes.ends_with(b" re f") {
        b"f"
    } else if bytes.ends_with(b" re B") {
        b"B"
    } else {
        return None;
    };
    let text = std::str::from_utf8(bytes).ok()?;
    let v: Vec<f32> = text
        .split(' ')
        .take(4)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [mut x, mut y, mut w, mut h] = <[f32; 4]>::try_from(v).ok()?;
    let touches = x <= 0.01 || y <= 0.01 || x + w >= pw - 0.01 || y + h >= ph - 0.01;
    if !touches {
        return None;
    }
    if x <= 0.01 {
        x -= bleed;
        w += bleed;
    }
    if y <= 0.01 {
        y -= bleed;
        h += bleed;
    }
    if x + w >= pw - 0.01 {
        w += bleed;
    }
    if y + h >= ph - 0.01 {
        h += bleed;
    }
    Some(([x, y, w, h], op))
}

fn text_run(
    out: &mut Vec<u8>,
    run: &TextRun,
    names: &[String],
    glyphs: &DocFonts,
    x: f32,
    y: f32,
    st: &mut State,
) {
    if st.font != Some((run.face, run.size)) {
        out.push(b'/');
        out.extend_from_slice(names[run.face as usize].as_bytes());
        out.push(b' ');
        nums(out, &[run.size]);
        out.extend_from_slice(b"Tf\n");
        st.font = Some((run.face, run.size));
    }
    fill_color(out, st, run.color);
    // What justification put between each glyph and the next (moving left, in
    // 1/1000 em, as TJ numbers are); the viewer itself advances by each glyph's width.
    let mut kerns = std::mem::take(&mut st.kerns);
    kerns.clear();
    kerns.extend(
        run.glyphs
            .windows(2)
            .map(|g| round(f64::from(-(g[1].2 - g[0].2 - g[0].3) / run.size * 1000.0)) as i32),
    );
    // A justified line puts the same space between most glyphs: set it once as the
    // character spacing and write only the gaps that differ. Each glyph then takes 4
    // hex digits instead of 8 or more, which halves the handbook's content streams.
    let base = common_kern(&kerns);
    // Tc is in unscaled text space units: the TJ number's em fraction times the size.
    let spacing = fixed_units(-f64::from(base) / 1000.0 * f64::from(run.size));
    if spacing != st.spacing {
        fixed(out, spacing);
        out.extend_from_slice(b" Tc\n");
        st.spacing = spacing;
    }
    // A move from the last line's start (`0 -15.4 Td`) rather than a whole text
    // matrix (`1 0 0 1 56.69 734.95 Tm`): a third of a handbook page's bytes were its
    // lines' matrices. Both ends rounded as written first, so the moves add up to
    // exactly where each line goes.
    let at = (round(f64::from(x) * 100.0), round(f64::from(y) * 100.0));
    let from = st.line.unwrap_or((0, 0));
    // Saturating: a place past ±2^63 hundredths (a layout gone wrong) is written wrong,
    // not a panic.
    hundredths(out, at.0.saturating_sub(from.0));
    hundredths(out, at.1.saturating_sub(from.1));
    out.extend_from_slice(b"Td [(");
    st.line = Some(at);
    // Two bytes a glyph, and a few runs of gaps: room made once.
    out.reserve(run.glyphs.len() * 2 + 16);
    for (j, &(gid, ..)) in run.glyphs.iter().enumerate() {
        code(out, glyphs.gid(run.face, gid));
        if let Some(&kern) = kerns.get(j)
            && kern != base
        {
            out.push(b')');
            int(out, i64::from(kern - base));
            out.push(b'(');
        }
    }
    out.extend_from_slice(b")] TJ\n");
    st.kerns = kerns;
}

/// The gap most of `kerns` share, when setting it as the character spacing saves
/// bytes (it is written once per run, and each gap it covers saves four or more); 0
/// otherwise.
fn common_kern(kerns: &[i32]) -> i32 {
    // Runs are a line at most: a few distinct gaps (justification, punctuation
    // compression, Han–Latin space), counted in a small list on the stack. A gap
    // beyond its sixteen is not counted: it could only make the run a few bytes longer.
    let mut counts = [(0i32, 0usize); 16];
    let mut len = 0;
    for &k in kerns.iter().filter(|&&k| k != 0) {
        if let Some((_, n)) = counts[..len].iter_mut().find(|(v, _)| *v == k) {
            *n += 1;
        } else if len < counts.len() {
            counts[len] = (k, 1);
            len += 1;
        }
    }
    let best = counts[..len]
        .iter()
        .max_by_key(|&&(v, n)| (n, std::cmp::Reverse(v.abs())));
    match best {
        Some(&(v, n)) if n >= 4 => v,
        _ => 0,
    }
}

/// `v` in 1/100,000: a character spacing, which adds up over a line (to two decimals
/// it could be 0.2 pt off at a line's end).
fn fixed_units(v: f64) -> i64 {
    round(v * 100_000.0)
}

/// A number in 1/100,000 ([`fixed_units`]) with no trailing zeros.
fn fixed(out: &mut Vec<u8>, scaled: i64) {
    if scaled < 0 {
        out.push(b'-');
    }
    decimal(out, scaled.unsigned_abs(), 5);
}

/// `scaled` / 10^`places` in decimal, without trailing zeros (nor a point when whole):
/// 1500 in 4 places is `0.15`, 50 in 4 is `0.005`.
pub(crate) fn decimal(out: &mut Vec<u8>, scaled: u64, places: u32) {
    let unit = 10u64.pow(places);
    int(out, (scaled / unit) as i64);
    let mut frac = scaled % unit;
    if frac != 0 {
        out.push(b'.');
        let mut digits = places;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        // Leading zeros kept: 0.05 is `5` in two digits.
        for k in (0..digits).rev() {
            out.push(b'0' + (frac / 10u64.pow(k) % 10) as u8);
        }
    }
}

fn fill_color(out: &mut Vec<u8>, st: &mut State, c: Color) {
    if st.fill != Some(c) {
        paint(out, c, st.mode, false);
        st.fill = Some(c);
    }
}

fn stroke_style(out: &mut Vec<u8>, st: &mut State, c: Color, width: f32, dash: bool) {
    if st.stroke != Some(c) {
        paint(out, c, st.mode, true);
        st.stroke = Some(c);
    }
    if st.width != Some(width) {
        nums(out, &[width]);
        out.extend_from_slice(b"w\n");
        st.width = Some(width);
    }
    if st.dash != Some(dash) {
        out.extend_from_slice(if dash {
            b"[1.5 1.5] 0 d\n"
        } else {
            b"[] 0 d\n"
        });
        st.dash = Some(dash);
    }
}

/// Writes numbers followed by a space each, with at most two decimals. By hand, as
/// [`int`] and [`code`]: through `write!` this formatting was 4 % of printing.
fn nums(out: &mut Vec<u8>, vs: &[f32]) {
    for &v in vs {
        hundredths(out, round(f64::from(v) * 100.0));
    }
}

/// A number given in hundredths, as [`nums`] writes it (followed by a space).
fn hundredths(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let abs = v.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    int(out, whole as i64);
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if frac % 10 != 0 {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
    out.push(b' ');
}

/// `x` rounded half away from zero, as `f64::round` rounds it, as an integer (NaN is 0,
/// the infinities saturate). Without SSE4.1, which x86-64's baseline lacks,
/// `f64::round` and `f32::round` are calls into the C library: once per glyph and per
/// number they were 1.2 % of a first build. Truncation is one instruction, and the
/// fraction `x - trunc(x)` is exact.
#[inline]
pub(crate) fn round(x: f64) -> i64 {
    // 2^52: from there on every f64 is a whole number (and NaN goes this way too).
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x as i64;
    }
    let t = x as i64;
    let frac = x - t as f64;
    if frac >= 0.5 {
        t + 1
    } else if frac <= -0.5 {
        t - 1
    } else {
        t
    }
}

/// `v` in decimal.
pub(crate) fn int(out: &mut Vec<u8>, v: i64) {
    // The digits pushed lowest first and turned around in place: copying them from a
    // buffer on the stack called `memcpy` for a few bytes, millions of times a build.
    out.reserve(21);
    if v < 0 {
        out.push(b'-');
    }
    let start = out.len();
    let mut n = v.unsigned_abs();
    loop {
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out[start..].reverse();
}

/// The glyph id `v` as its two bytes in a literal string (a TJ string): half the bytes
/// of four hex digits, so the handbook's page contents are 28 % smaller before deflate
/// (17 % less time in it) and 8 % after. A parenthesis and the backslash are escaped;
/// so are CR and LF, which a reader would otherwise take as an end of line (and read a
/// lone CR as LF), and which keep each operator on a line of its own ([`into_bleed`]).
fn code(out: &mut Vec<u8>, v: u16) {
    let bytes = v.to_be_bytes();
    // Nearly every glyph id has neither byte escaped: both go in at once.
    if !bytes.iter().any(|&b| ESCAPED[usize::from(b)]) {
        out.extend_from_slice(&bytes);
        return;
    }
    for b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
}

/// The bytes [`code`] escapes in a literal string.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    t[b'(' as usize] = true;
    t[b')' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

#[cfg(test)]
mod tests;
