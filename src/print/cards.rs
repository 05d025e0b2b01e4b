//! 明白卡: one card per entry (`print/cards/<id>.pdf`) and all cards imposed on sheets
//! (`print/cards.pdf`: 4 A6 or 2 A5 cards per A4 sheet, with cut marks; duplex when
//! any card needs a back face). Cards are laid out in parallel, once, and the same
//! faces go into both outputs.

use rayon::prelude::*;

use super::Engine;
use crate::typeset::content::write_items;
use crate::typeset::embed::{DocFonts, Prepared};
use crate::typeset::layout::{Block, Item, Layout, Page, paginate};
use crate::typeset::pdf::{self, PageContent};
use crate::typeset::style::{MM, Sheet, StyleSheet};

/// A laid-out card: its faces (front, and back when the front is not enough).
pub struct Card {
    pub key: String,
    pub title: String,
    pub date: (i32, u8, u8),
    pub faces: Vec<Page>,
}

/// Lays out a card's blocks on its faces. A top-level `<footer>` goes to the bottom of
/// the last face. Errors name what went wrong; the caller adds which card.
pub fn lay_out(
    engine: &Engine,
    styles: &StyleSheet,
    blocks: Vec<Block>,
) -> Result<Vec<Page>, String> {
    let g = &styles.geometry;
    let (w, h) = content_box(g);
    let mut main = Vec::new();
    let mut footer = Vec::new();
    for b in blocks {
        match b {
            Block::Footer(children) => footer.extend(children),
            other => main.push(other),
        }
    }
    let layout = Layout::new(&engine.fonts);
    let chunks = layout.blocks(&main, w);
    let foot_chunks = layout.blocks(&footer, w);
    let missing = layout.missing.borrow();
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("「{c}」(U+{:04X})", *c as u32))
            .collect();
        return Err(format!("no font can print {}", list.join(", ")));
    }
    let (mut pages, overflow) = paginate(&chunks, h);
    if overflow {
        return Err(
            "a single block is taller than the card (a very long table or list item?)".into(),
        );
    }
    if !foot_chunks.is_empty() {
        let (foot, _) = paginate(&foot_chunks, h);
        let foot = foot.into_iter().next().unwrap_or_default();
        let gap = styles.resolve("p", &[]).size;
        let last_used = pages.last().map_or(h, |p| p.used);
        if pages
            .last()
            .is_none_or(|p| p.used > 0.0 && last_used + gap + foot.used > h)
        {
            pages.push(Page::default());
        }
        let last = pages.last_mut().expect("a page");
        for mut it in foot.items {
            it.shift(0.0, h - foot.used);
            last.items.push(it);
        }
        last.used = h;
    }
    if pages.len() > g.max_faces {
        return Err(format!(
            "the card needs {} faces but a card has {}; shorten its fields or set card = false",
            pages.len(),
            g.max_faces
        ));
    }
    // Nothing may be drawn outside the card's content box.
    for p in &pages {
        for it in &p.items {
            let (x0, x1) = it.x_extent();
            if x0 < -0.5 || x1 > w + 0.5 {
                let what = match it {
                    Item::Text(t) => t.glyphs.iter().map(|g| g.1).collect::<String>(),
                    other => format!("{other:?}").chars().take(60).collect(),
                };
                return Err(format!(
                    "layout bug: 「{what}」spans {x0:.1}–{x1:.1} pt in a {w:.1} pt wide card"
                ));
            }
        }
    }
    Ok(pages)
}

/// Width and height of a card's content box, in pt.
pub fn content_box(g: &Sheet) -> (f32, f32) {
    let (cw, ch) = g.card.pt();
    let m = g.card_margin;
    (cw - (m[1] + m[3]) * MM, ch - (m[0] + m[2]) * MM)
}

/// One PDF for one card.
pub fn card_pdf(
    engine: &Engine,
    prepared: Option<&Prepared>,
    names: &[String],
    card: &Card,
) -> Vec<u8> {
    let g = &engine.styles.geometry;
    let (cw, ch) = g.card.pt();
    let (left, top) = (g.card_margin[3] * MM, g.card_margin[0] * MM);
    let glyphs = DocFonts::collect(&engine.fonts, card.faces.iter().map(|f| f.items.as_slice()));
    let pages = card
        .faces
        .iter()
        .map(|f| {
            let mut content = Vec::new();
            write_items(&mut content, &f.items, names, &glyphs, left, top, ch);
            PageContent {
                width: cw,
                height: ch,
                content,
            }
        })
        .collect();
    pdf::save_with(
        &pdf::Options::bleed(pdf::CARD_BLEED),
        &engine.fonts,
        prepared,
        names,
        &glyphs,
        &card.title,
        card.date,
        pages,
        &[],
    )
}

/// Slots on a sheet: columns, rows, sheet size in pt (landscape when that fits more).
fn grid(g: &Sheet) -> (usize, usize, f32, f32) {
    let (sw, sh) = g.sheet.pt();
    let (cw, ch) = g.card.pt();
    let fit = |w: f32, h: f32| (((w + 0.5) / cw) as usize, ((h + 0.5) / ch) as usize);
    let (c1, r1) = fit(sw, sh);
    let (c2, r2) = fit(sh, sw);
    if c2 * r2 > c1 * r1 {
        (c2.max(1), r2.max(1), sh, sw)
    } else {
        (c1.max(1), r1.max(1), sw, sh)
    }
}

/// Glyphs of all the cards: what [`Prepared`] subsets for the build.
pub fn all_glyphs<'a>(engine: &Engine, cards: impl IntoIterator<Item = &'a Card>) -> DocFonts {
    DocFonts::collect(
        &engine.fonts,
        cards
            .into_iter()
            .flat_map(|c| c.faces.iter().map(|f| f.items.as_slice())),
    )
}

/// All cards imposed on sheets with cut marks. Returns the PDF and the sheet count.
/// `cards` may repeat a card (一式N份: several copies of each).
pub fn imposed_pdf(
    engine: &Engine,
    g: &Sheet,
    prepared: Option<&Prepared>,
    names: &[String],
    cards: &[&Card],
    title: &str,
) -> (Vec<u8>, usize) {
    let (cols, rows, sw, sh) = grid(g);
    let (cw, ch) = g.card.pt();
    let per = cols * rows;
    let (gx, gy) = ((sw - cw * cols as f32) / 2.0, (sh - ch * rows as f32) / 2.0);
    let duplex = cards.iter().any(|c| c.faces.len() > 1);
    let (ml, mt) = (g.card_margin[3] * MM, g.card_margin[0] * MM);
    let groups: Vec<&[&Card]> = cards.chunks(per).collect();
    let glyphs = all_glyphs(engine, cards.iter().copied());
    let sheets: Vec<PageContent> = groups
        .par_iter()
        .flat_map_iter(|group| {
            let mut out = Vec::with_capacity(2);
            for face in 0..if duplex { 2 } else { 1 } {
                let mut content = Vec::new();
                for (k, card) in group.iter().enumerate() {
                    let Some(page) = card.faces.get(face) else {
                        continue;
                    };
                    let (col, row) = (k % cols, k / cols);
                    // Backs are mirrored left to right (long-edge duplex).
                    let col = if face == 1 { cols - 1 - col } else { col };
                    let left = gx + col as f32 * cw + ml;
                    let top = gy + row as f32 * ch + mt;
                    write_items(&mut content, &page.items, names, &glyphs, left, top, sh);
                }
                if g.crop_marks {
                    let marks = cut_marks(cols, rows, cw, ch, gx, gy, sw, sh);
                    write_items(&mut content, &marks, names, &glyphs, 0.0, 0.0, sh);
                }
                out.push(PageContent {
                    width: sw,
                    height: sh,
                    content,
                });
            }
            out
        })
        .collect();
    let n = sheets.len();
    let date = cards.iter().map(|c| c.date).max().unwrap_or((2000, 1, 1));
    (
        pdf::save(
            &engine.fonts,
            prepared,
            names,
            &glyphs,
            title,
            date,
            sheets,
            &[],
        ),
        n,
    )
}

/// Cut marks along every trim line: short ticks where trim lines meet each other or
/// the sheet edge. They lie in the cards' margins, never over their content.
#[allow(clippy::too_many_arguments)]
fn cut_marks(
    cols: usize,
    rows: usize,
    cw: f32,
    ch: f32,
    gx: f32,
    gy: f32,
    sw: f32,
    sh: f32,
) -> Vec<Item> {
    let tick = 4.0 * MM;
    let color = [0.45, 0.45, 0.45];
    let mut items = Vec::new();
    let mut line = |x1: f32, y1: f32, x2: f32, y2: f32| {
        items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width: 0.25,
            dash: false,
        });
    };
    for c in 0..=cols {
        let x = gx + c as f32 * cw;
        for r in 0..=rows {
            let y = gy + r as f32 * ch;
            // Vertical ticks above and below the crossing, horizontal ticks either side.
            if r > 0 {
                line(x, y - tick, x, y);
            }
            if r < rows {
                line(x, y, x, y + tick);
            }
            if c > 0 {
                line(x - tick, y, x, y);
            }
            if c < cols {
                line(x, y, x + tick, y);
            }
        }
    }
    // Marks beyond the grid, in the sheet's outer margin when there is one.
    if gx > 1.0 || gy > 1.0 {
        for c in 0..=cols {
            let x = gx + c as f32 * cw;
            line(x, 0.0, x, (gy - 1.0).max(0.0));
            line(x, (sh - gy + 1.0).min(sh), x, sh);
        }
        for r in 0..=rows {
            let y = gy + r as f32 * ch;
            line(0.0, y, (gx - 1.0).max(0.0), y);
            line((sw - gx + 1.0).min(sw), y, sw, y);
        }
    }
    items
}
