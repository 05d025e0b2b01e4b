//! Page content streams, written directly: a sheet of four cards holds thousands of
//! positioned glyph runs, and turning them into printpdf operations, then lopdf
//! operations, then text cost more than everything else in a big print run. The
//! operators used are few (text, rectangles, lines, fills); numbers are written with two
//! decimals, far finer than any printer resolves.

use std::io::Write;

use super::embed::DocFonts;
use super::layout::{Item, TextRun};
use super::style::Color;

#[derive(Default)]
struct State {
    in_text: bool,
    font: Option<(u16, f32)>,
    fill: Option<Color>,
    stroke: Option<Color>,
    width: Option<f32>,
    dash: Option<bool>,
}

/// Appends the drawing of `items`, placed in a box at (`left`, `top`) pt from the
/// page's top-left, to `out` (a content stream for a page `page_h` pt high).
pub fn write_items(
    out: &mut Vec<u8>,
    items: &[Item],
    names: &[String],
    glyphs: &DocFonts,
    left: f32,
    top: f32,
    page_h: f32,
) {
    let mut st = State::default();
    let py = |y: f32| page_h - top - y;
    for item in items {
        let is_text = matches!(item, Item::Text(_));
        if is_text && !st.in_text {
            out.extend_from_slice(b"BT\n");
            st.in_text = true;
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
                fill_color(out, &mut st, [0.0, 0.0, 0.0]);
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
                        let x0 = left + x + start as f32 * module;
                        let y0 = py(y + (row + 1) as f32 * module);
                        nums(out, &[x0, y0, (col - start) as f32 * module, *module]);
                        out.extend_from_slice(b"re\n");
                    }
                }
                out.extend_from_slice(b"f\n");
            }
        }
    }
    if st.in_text {
        out.extend_from_slice(b"ET\n");
    }
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
    out.extend_from_slice(b"1 0 0 1 ");
    nums(out, &[x, y]);
    out.extend_from_slice(b"Tm [<");
    for (j, &(gid, _, gx)) in run.glyphs.iter().enumerate() {
        let _ = write!(out, "{:04X}", glyphs.gid(run.face, gid));
        // The viewer advances by the glyph's width; a TJ number adds what
        // justification put between this glyph and the next (moving left, in 1/1000 em).
        if let Some(next) = run.glyphs.get(j + 1) {
            let kern = (-(next.2 - gx - run.advances[j]) / run.size * 1000.0).round() as i32;
            if kern != 0 {
                let _ = write!(out, ">{kern}<");
            }
        }
    }
    out.extend_from_slice(b">] TJ\n");
}

fn fill_color(out: &mut Vec<u8>, st: &mut State, c: Color) {
    if st.fill != Some(c) {
        nums(out, &c);
        out.extend_from_slice(b"rg\n");
        st.fill = Some(c);
    }
}

fn stroke_style(out: &mut Vec<u8>, st: &mut State, c: Color, width: f32, dash: bool) {
    if st.stroke != Some(c) {
        nums(out, &c);
        out.extend_from_slice(b"RG\n");
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

/// Writes numbers followed by a space each, with at most two decimals.
fn nums(out: &mut Vec<u8>, vs: &[f32]) {
    for &v in vs {
        let hundredths = (v as f64 * 100.0).round() as i64;
        let (sign, abs) = if hundredths < 0 {
            ("-", -hundredths)
        } else {
            ("", hundredths)
        };
        let (int, frac) = (abs / 100, abs % 100);
        let _ = match frac {
            0 => write!(out, "{sign}{int} "),
            f if f % 10 == 0 => write!(out, "{sign}{int}.{} ", f / 10),
            f => write!(out, "{sign}{int}.{f:02} "),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        let mut out = Vec::new();
        nums(&mut out, &[1.0, 0.5, -2.25, 0.004, 841.89]);
        assert_eq!(String::from_utf8(out).unwrap(), "1 0.5 -2.25 0 841.89 ");
    }
}
