//! Laid-out pages to PDF with printpdf: glyph runs as Identity-H text with the exact
//! positions the layout chose, boxes, rules and QR codes as vector paths. Fonts are
//! embedded as subsets (once per document). Output is reproducible: fixed dates,
//! font ids and document id derived from the content.

use printpdf::{
    Codepoint, Color as PdfColor, FontId, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect,
    Rgb, TextItem, TextMatrix, WindingOrder,
};
use rayon::prelude::*;

use super::embed::{DocFonts, Prepared};
use super::fonts::Fonts;
use super::layout::{Item, TextRun};
use super::style::Color;

/// A bookmark in the PDF outline: nesting level (1 = top), title, 0-based page.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub level: u8,
    pub title: String,
    pub page: usize,
}

/// One page to write: its size in pt and its drawing operations.
pub struct PageOps {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

/// Resource names of the faces in content streams (`/F0 9 Tf`).
pub fn font_ids(fonts: &Fonts) -> Vec<FontId> {
    (0..fonts.faces.len())
        .map(|i| FontId(format!("F{i}")))
        .collect()
}

fn rgb(c: Color) -> PdfColor {
    PdfColor::Rgb(Rgb::new(c[0], c[1], c[2], None))
}

/// Turns items positioned in a box at (`left`, `top`) pt from the page's top-left
/// into drawing operations on a page `page_h` pt high.
pub fn items_to_ops(
    items: &[Item],
    font_ids: &[FontId],
    glyphs: &DocFonts,
    left: f32,
    top: f32,
    page_h: f32,
) -> Vec<Op> {
    let mut ops = Vec::with_capacity(items.len() * 4);
    let mut in_text = false;
    let py = |y: f32| page_h - top - y;
    for item in items {
        let is_text = matches!(item, Item::Text(_));
        if is_text != in_text {
            ops.push(if is_text {
                Op::StartTextSection
            } else {
                Op::EndTextSection
            });
            in_text = is_text;
        }
        match item {
            Item::Text(run) => text_ops(run, font_ids, glyphs, left, py(run.y), &mut ops),
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    (None, Some(_)) => PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(f) = fill {
                    ops.push(Op::SetFillColor { col: rgb(*f) });
                }
                if let Some((c, wd)) = stroke {
                    ops.push(Op::SetOutlineColor { col: rgb(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*wd) });
                    ops.push(Op::SetLineDashPattern {
                        dash: LineDashPattern::solid(),
                    });
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(left + x),
                        y: Pt(py(y + h)),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(mode),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
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
                ops.push(Op::SetOutlineColor { col: rgb(*color) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::SetLineDashPattern {
                    dash: if *dash {
                        LineDashPattern::new(0.0, &[1.5, 1.5])
                    } else {
                        LineDashPattern::solid()
                    },
                });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: Point {
                                    x: Pt(left + x1),
                                    y: Pt(py(*y1)),
                                },
                                bezier: false,
                            },
                            LinePoint {
                                p: Point {
                                    x: Pt(left + x2),
                                    y: Pt(py(*y2)),
                                },
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Qr {
                x,
                y,
                module,
                n,
                dark,
            } => {
                // One path: a rectangle for each horizontal run of dark modules.
                let mut rings = Vec::new();
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
                        let x1 = left + x + col as f32 * module;
                        let y0 = py(y + row as f32 * module);
                        let y1 = py(y + (row + 1) as f32 * module);
                        rings.push(PolygonRing {
                            points: [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
                                .into_iter()
                                .map(|(a, b)| LinePoint {
                                    p: Point { x: Pt(a), y: Pt(b) },
                                    bezier: false,
                                })
                                .collect(),
                        });
                    }
                }
                ops.push(Op::SetFillColor {
                    col: rgb([0.0, 0.0, 0.0]),
                });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings,
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

fn text_ops(
    run: &TextRun,
    font_ids: &[FontId],
    glyphs: &DocFonts,
    left: f32,
    y: f32,
    ops: &mut Vec<Op>,
) {
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font_ids[run.face as usize].clone()),
        size: Pt(run.size),
    });
    ops.push(Op::SetFillColor {
        col: rgb(run.color),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(left + run.x), Pt(y)),
    });
    let n = run.glyphs.len();
    let mut cps = Vec::with_capacity(n);
    for (j, &(gid, ch, x)) in run.glyphs.iter().enumerate() {
        // The viewer advances by the glyph's width; the offset adds what justification
        // put between this glyph and the next (TJ numbers move left, in 1/1000 em).
        let offset = match run.glyphs.get(j + 1) {
            Some(next) => -((next.2 - x - run.advances[j]) / run.size * 1000.0),
            None => 0.0,
        };
        let offset = if offset.abs() < 0.05 { 0.0 } else { offset };
        cps.push(Codepoint {
            gid: glyphs.gid(run.face, gid),
            offset,
            cid: Some(ch.to_string()),
        });
    }
    ops.push(Op::ShowText {
        items: vec![TextItem::GlyphIds(cps)],
    });
}

/// Builds and saves a document. `date` (YYYY, MM, DD) is written as its creation and
/// modification date.
#[allow(clippy::too_many_arguments)]
pub fn save(
    fonts: &Fonts,
    prepared: Option<&Prepared>,
    font_ids: &[FontId],
    glyphs: &DocFonts,
    title: &str,
    date: (i32, u8, u8),
    pages: Vec<PageOps>,
    bookmarks: &[Bookmark],
) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    let stamp = pdf_date(date);
    let info = &mut doc.metadata.info;
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;
    info.producer = concat!("mingbai ", env!("CARGO_PKG_VERSION")).into();
    info.creator = info.producer.clone();
    info.identifier = String::new();
    let pdf_pages: Vec<PdfPage> = pages
        .into_iter()
        .map(|p| {
            PdfPage::new(
                Mm(p.width / super::style::MM),
                Mm(p.height / super::style::MM),
                p.ops,
            )
        })
        .collect();
    doc.with_pages(pdf_pages);
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &opts, &mut warnings);
    let names: Vec<String> = font_ids.iter().map(|f| f.0.clone()).collect();
    if let Err(e) = glyphs.attach(fonts, prepared, &names, &mut lo) {
        // Subsetting a face that loaded and laid out fine does not fail in practice;
        // if it does, the PDF would lack text, so say so loudly.
        eprintln!("error: {e}");
    }
    finish(&mut lo, title, bookmarks);
    compress(&mut lo);
    let mut out = Vec::new();
    let _ = lo.save_to(&mut out);
    out
}

/// Deflates every stream, in parallel, at zlib's default level (lopdf's own
/// `compress` is sequential at the slowest level: most of a big document's save time).
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    doc.objects.par_iter_mut().for_each(|(_, obj)| {
        let lopdf::Object::Stream(s) = obj else {
            return;
        };
        if s.dict.get(b"Filter").is_ok() || s.content.len() < 64 {
            return;
        }
        let mut enc = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(s.content.len() / 3),
            flate2::Compression::default(),
        );
        if enc.write_all(&s.content).is_err() {
            return;
        }
        if let Ok(out) = enc.finish()
            && out.len() + 19 < s.content.len()
        {
            s.dict.set("Filter", "FlateDecode");
            s.set_content(out);
        }
    });
}

fn pdf_date((y, m, d): (i32, u8, u8)) -> printpdf::OffsetDateTime {
    use printpdf::date::{Date, Offset, Time};
    printpdf::OffsetDateTime::new_in_offset(
        Date {
            year: y,
            month: m.clamp(1, 12),
            day: d.clamp(1, 31),
        },
        Time {
            hour: 0,
            minute: 0,
            second: 0,
            millisecond: 0,
        },
        Offset {
            hours: 8,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

/// Reproducible /ID and a nested outline.
fn finish(doc: &mut lopdf::Document, title: &str, bookmarks: &[Bookmark]) {
    use lopdf::{Dictionary, Object, StringFormat};
    let mut h: u64 = 0xcbf29ce484222325;
    for b in title.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^= doc.objects.len() as u64;
    let id = format!("{h:016x}{:016x}", h.rotate_left(17) ^ 0x9e3779b97f4a7c15);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone().into_bytes(), StringFormat::Hexadecimal),
            Object::String(id.into_bytes(), StringFormat::Hexadecimal),
        ]),
    );
    if bookmarks.is_empty() {
        return;
    }
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    let root = doc.new_object_id();
    // Items with their parent index (None = top level).
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(bookmarks.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, b) in bookmarks.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if bookmarks[top].level >= b.level {
                stack.pop();
            } else {
                break;
            }
        }
        parents.push(stack.last().copied());
        stack.push(i);
    }
    let ids: Vec<lopdf::ObjectId> = bookmarks.iter().map(|_| doc.new_object_id()).collect();
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..bookmarks.len()).filter(|&i| parents[i] == p).collect()
    };
    let mut count_all = vec![0i64; bookmarks.len()];
    for i in (0..bookmarks.len()).rev() {
        if let Some(p) = parents[i] {
            count_all[p] += 1 + count_all[i];
        }
    }
    for (i, b) in bookmarks.iter().enumerate() {
        let siblings = children(parents[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut d = Dictionary::new();
        d.set("Title", Object::string_literal(utf16(&b.title)));
        d.set(
            "Parent",
            Object::Reference(parents[i].map_or(root, |p| ids[p])),
        );
        if let Some(&page) = page_ids.get(b.page) {
            d.set(
                "Dest",
                Object::Array(vec![Object::Reference(page), Object::Name(b"Fit".to_vec())]),
            );
        }
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&n) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[n]));
        }
        let kids = children(Some(i));
        if let (Some(f), Some(l)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[*f]));
            d.set("Last", Object::Reference(ids[*l]));
            // Negative: closed below the top level, so the outline opens on chapters.
            let c = count_all[i];
            d.set("Count", Object::Integer(if b.level == 1 { -c } else { c }));
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(f), Some(l)) = (top.first(), top.last()) {
        r.set("First", Object::Reference(ids[*f]));
        r.set("Last", Object::Reference(ids[*l]));
    }
    r.set("Count", Object::Integer(top.len() as i64));
    doc.objects.insert(root, Object::Dictionary(r));
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

/// PDF text strings outside Latin-1 are UTF-16BE with a byte-order mark.
fn utf16(s: &str) -> Vec<u8> {
    let mut out = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}
