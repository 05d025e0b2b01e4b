//! 明白卡: one card per entry (`print/cards/<id>.pdf`) and all cards imposed on sheets
//! (`print/cards.pdf`: 4 A6 or 2 A5 cards per A4 sheet, with cut marks; duplex when
//! any card needs a back face). Cards are laid out in parallel, once, and the same
//! faces go into both outputs.

use rayon::prelude::*;

use super::Engine;
use crate::typeset::content::write_items;
use crate::typeset::embed::{DocFonts, Prepared, SubsetMemo};
use crate::typeset::layout::{Block, Item, Layout, Page, paginate, paginate_faces};
use crate::typeset::linebreak::RunStyle;
use crate::typeset::pdf::{self, PageContent};
use crate::typeset::pdf_stream::{PdfStream, deflate};
#[cfg(test)]
use crate::typeset::style::Size;
use crate::typeset::style::{MM, Sheet, StyleSheet};

/// A laid-out card: its faces (front, and back when the front is not enough).
pub(crate) struct Card {
    pub key: String,
    pub title: String,
    pub date: (i32, u8, u8),
    pub faces: Vec<Page>,
}

/// What the front says when the card continues on its back.
pub(crate) const SEE_BACK: &str = "（见背面）";

/// Lays out a card's blocks on its faces. A top-level `<footer>` (QR code, phone) goes
/// to the bottom of the front, so the side that hangs on the wall has it; a `<back>`
/// heads every face after the front. A card that continues says so: the front ends
/// with （见背面）, and a field that goes on repeats its label with （续）. Errors name
/// what went wrong; the caller adds which card.
pub(crate) fn lay_out(
    engine: &Engine,
    styles: &StyleSheet,
    blocks: Vec<Block>,
) -> Result<Vec<Page>, String> {
    let g = &styles.geometry;
    let (w, h) = content_box(g);
    let mut main = Vec::new();
    let mut footer = Vec::new();
    let mut back = Vec::new();
    for b in blocks {
        match b {
            Block::Footer(children) => footer.extend(children),
            Block::Back(children) => back.extend(children),
            other => main.push(other),
        }
    }
    let see_style = styles.resolve("p", &["see-back"]);
    let see = vec![Block::Para {
        runs: vec![(
            SEE_BACK.to_string(),
            RunStyle {
                size: see_style.size,
                weight: see_style.weight,
                color: see_style.color,
            },
        )],
        style: see_style,
    }];
    let layout = Layout::new(&engine.fonts);
    let chunks = layout.blocks(&main, w);
    let set = |blocks: &[Block]| {
        let chunks = layout.blocks(blocks, w);
        let empty = chunks.is_empty();
        let (pages, _) = paginate(&chunks, f32::MAX);
        (!empty).then(|| pages.into_iter().next().unwrap_or_default())
    };
    let (foot, head, see) = (set(&footer), set(&back), set(&see));
    let missing = layout.missing.borrow();
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("「{c}」(U+{:04X})", *c as u32))
            .collect();
        return Err(tr!("card-no-font", chars = list.join("、")));
    }
    let gap = styles.resolve("p", &[]).size;
    let room = |part: &Option<Page>| part.as_ref().map_or(0.0, |p| p.used + gap);
    let front_h = h - room(&foot);
    let back_h = h - room(&head);
    if front_h < h / 4.0 || back_h < h / 4.0 {
        return Err(tr!("card-footer-too-tall"));
    }
    let (mut pages, mut overflow) = paginate_faces(&chunks, &[front_h, back_h]);
    if pages.len() > 1 {
        // Again with room for （见背面） at the end of the front.
        (pages, overflow) = paginate_faces(&chunks, &[front_h - room(&see), back_h]);
    }
    if overflow {
        return Err(tr!("card-block-too-tall"));
    }
    if pages.len() > 1
        && let Some(see) = &see
    {
        let front = &mut pages[0];
        let y = front.used + gap * 0.3;
        for mut it in see.items.iter().cloned() {
            it.shift(0.0, y);
            front.items.push(it);
        }
        front.used = y + see.used;
    }
    if let Some(foot) = &foot {
        let front = &mut pages[0];
        for mut it in foot.items.iter().cloned() {
            it.shift(0.0, h - foot.used);
            front.items.push(it);
        }
        front.used = h;
    }
    if let Some(head) = &head {
        let down = head.used + gap;
        for p in pages.iter_mut().skip(1) {
            for it in &mut p.items {
                it.shift(0.0, down);
            }
            p.items.extend(head.items.iter().cloned());
            p.used += down;
        }
    }
    if pages.len() > g.max_faces {
        return Err(tr!(
            "card-too-many-faces",
            n = pages.len(),
            max = g.max_faces
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
                return Err(tr!(
                    "card-layout-bug",
                    what = what,
                    x0 = format!("{x0:.1}"),
                    x1 = format!("{x1:.1}"),
                    w = format!("{w:.1}")
                ));
            }
        }
    }
    Ok(pages)
}

/// Width and height of a card's content box, in pt.
pub(crate) fn content_box(g: &Sheet) -> (f32, f32) {
    let (cw, ch) = g.card.pt();
    let m = g.card_margin;
    (cw - (m[1] + m[3]) * MM, ch - (m[0] + m[2]) * MM)
}

/// One PDF for one card.
pub(crate) fn card_pdf(
    engine: &Engine,
    prepared: Option<&Prepared>,
    names: &[String],
    card: &Card,
) -> Vec<u8> {
    let g = &engine.cards.geometry;
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
pub(crate) fn all_glyphs<'a>(
    engine: &Engine,
    cards: impl IntoIterator<Item = &'a Card>,
) -> DocFonts {
    DocFonts::collect(
        &engine.fonts,
        cards
            .into_iter()
            .flat_map(|c| c.faces.iter().map(|f| f.items.as_slice())),
    )
}

/// Where cards go on the sheets of `g`: the grid, the sheet's size, the cut marks.
pub(crate) struct Imposition {
    cols: usize,
    rows: usize,
    sheet: (f32, f32),
    card: (f32, f32),
    /// The grid's top-left corner on the sheet.
    at: (f32, f32),
    /// The card's left and top margins.
    margin: (f32, f32),
    crop_marks: bool,
}

impl Imposition {
    pub(crate) fn new(g: &Sheet) -> Imposition {
        let (cols, rows, sw, sh) = grid(g);
        let (cw, ch) = g.card.pt();
        Imposition {
            cols,
            rows,
            sheet: (sw, sh),
            card: (cw, ch),
            at: ((sw - cw * cols as f32) / 2.0, (sh - ch * rows as f32) / 2.0),
            margin: (g.card_margin[3] * MM, g.card_margin[0] * MM),
            crop_marks: g.crop_marks,
        }
    }

    /// Cards on one sheet.
    pub(crate) fn per(&self) -> usize {
        self.cols * self.rows
    }

    pub(crate) fn sheet_size(&self) -> (f32, f32) {
        self.sheet
    }

    /// The content stream of face `face` (0 the front) of the sheet holding `group`,
    /// deflated when that is smaller (the flag says which).
    pub(crate) fn sheet(
        &self,
        group: &[&Card],
        face: usize,
        names: &[String],
        glyphs: &DocFonts,
    ) -> (Vec<u8>, bool) {
        let ((sw, sh), (cw, ch), (gx, gy)) = (self.sheet, self.card, self.at);
        let mut content = Vec::new();
        for (k, card) in group.iter().enumerate() {
            let Some(page) = card.faces.get(face) else {
                continue;
            };
            let (col, row) = (k % self.cols, k / self.cols);
            let (mut x, mut y) = (gx + col as f32 * cw, gy + row as f32 * ch);
            if face == 1 {
                (x, y) = behind((x, y), (cw, ch), (sw, sh));
            }
            let (left, top) = (x + self.margin.0, y + self.margin.1);
            write_items(&mut content, &page.items, names, glyphs, left, top, sh);
        }
        if self.crop_marks {
            let marks = cut_marks(self.cols, self.rows, cw, ch, gx, gy, sw, sh);
            write_items(&mut content, &marks, names, glyphs, 0.0, 0.0, sh);
        }
        match deflate(&content) {
            Some(z) => (z, true),
            None => (content, false),
        }
    }
}

/// All cards imposed on sheets with cut marks, written to `out` a batch of sheets at a
/// time (made and compressed in parallel, then written and dropped: the sheets of
/// 30,000 cards never sit in memory at once). Returns the sheet count. `cards` may
/// repeat a card (一式N份: several copies of each).
pub(crate) fn imposed_pdf(
    engine: &Engine,
    g: &Sheet,
    prepared: Option<&Prepared>,
    names: &[String],
    cards: &[&Card],
    title: &str,
    out: &mut dyn std::io::Write,
) -> std::io::Result<usize> {
    let imposition = Imposition::new(g);
    let (sw, sh) = imposition.sheet_size();
    let duplex = cards.iter().any(|c| c.faces.len() > 1);
    let groups: Vec<&[&Card]> = cards.chunks(imposition.per()).collect();
    let glyphs = all_glyphs(engine, cards.iter().copied());
    let faces = if duplex { 2 } else { 1 };
    let mut pdf = PdfStream::new(out)?;
    let mut order = Vec::with_capacity(groups.len() * faces);
    for batch in groups.chunks(SHEET_BATCH) {
        let made: Vec<(Vec<u8>, bool)> = batch
            .par_iter()
            .flat_map_iter(|group| {
                (0..faces).map(|face| imposition.sheet(group, face, names, &glyphs))
            })
            .collect();
        for (data, deflated) in made {
            let (contents, _) = pdf.layer(&data, deflated)?;
            order.push(pdf.page_with(sw, sh, contents)?);
        }
    }
    // Household sheets keep no subset between builds: which characters a sheet of
    // names uses is theirs.
    finish_sheets(
        pdf, engine, &glyphs, prepared, None, names, cards, title, &order,
    )?;
    Ok(order.len())
}

/// Ends a file of imposed sheets: the fonts of `glyphs` (subset, or cut from
/// `prepared`; taken from and kept in `memo` when given), the page tree of `order`,
/// the document's title and date (its newest card's).
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish_sheets(
    pdf: PdfStream,
    engine: &Engine,
    glyphs: &DocFonts,
    prepared: Option<&Prepared>,
    memo: Option<&SubsetMemo>,
    names: &[String],
    cards: &[&Card],
    title: &str,
    order: &[u32],
) -> std::io::Result<()> {
    let mut scratch = pdf.scratch();
    let resources = glyphs
        .resources(&engine.fonts, prepared, memo, names, &mut scratch)
        .map_err(|e| std::io::Error::other(tr!("pdf-subset-failed", error = e)))?;
    let date = cards.iter().map(|c| c.date).max().unwrap_or((2000, 1, 1));
    pdf.finish(scratch, resources, order, &[], &[], title, date)
}

/// Sheets made at once: enough for both cores, few enough to keep memory flat.
pub(crate) const SHEET_BATCH: usize = 64;

/// Where the back of a card goes on the back of its sheet: behind its front once the
/// sheet is turned over along its long edge (双面打印，长边翻转). `front` is the card's
/// top-left corner on the front; both faces are upright after the turn. A portrait
/// sheet turns about a vertical line, so left and right swap; a landscape one about a
/// horizontal line, so top and bottom swap.
pub(crate) fn behind(front: (f32, f32), card: (f32, f32), sheet: (f32, f32)) -> (f32, f32) {
    let ((x, y), (cw, ch), (sw, sh)) = (front, card, sheet);
    if sw <= sh {
        (sw - x - cw, y)
    } else {
        (x, sh - y - ch)
    }
}

/// Nearest a crop mark comes to the sheet's edge: office printers print nothing in the
/// outer 4–5 mm.
const MARK_EDGE: f32 = 5.0 * MM;
/// Gap between a crop mark and the trim it points at, so no mark is on a card.
const MARK_GAP: f32 = 2.0 * MM;
/// Shortest mark worth drawing.
const MARK_MIN: f32 = 2.0 * MM;

/// Crop marks: short lines in line with each trim line, in the sheet's margin outside
/// the cards, at least [`MARK_EDGE`] from the sheet's edge; nothing is drawn on a card.
/// When the cards fill the sheet (4 A6 or 2 A5 on A4) there is no room and no mark:
/// the cuts are then the sheet's middle lines.
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
    let color = [0.3, 0.3, 0.3];
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
    // The outer margin above and below the cards, and left and right of them.
    let (mark_y, mark_x) = (gy - MARK_GAP - MARK_EDGE, gx - MARK_GAP - MARK_EDGE);
    for c in 0..=cols {
        let x = gx + c as f32 * cw;
        if mark_y >= MARK_MIN && (MARK_EDGE..=sw - MARK_EDGE).contains(&x) {
            line(x, MARK_EDGE, x, gy - MARK_GAP);
            line(x, sh - gy + MARK_GAP, x, sh - MARK_EDGE);
        }
    }
    for r in 0..=rows {
        let y = gy + r as f32 * ch;
        if mark_x >= MARK_MIN && (MARK_EDGE..=sh - MARK_EDGE).contains(&y) {
            line(MARK_EDGE, y, gx - MARK_GAP, y);
            line(sw - gx + MARK_GAP, y, sw - MARK_EDGE, y);
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Turns a point of the sheet's back over along the long edge: where on the front
    /// it lies (the sheet as a printer and a reader hold it).
    fn turn_over(p: (f32, f32), sheet: (f32, f32)) -> (f32, f32) {
        if sheet.0 <= sheet.1 {
            (sheet.0 - p.0, p.1)
        } else {
            (p.0, sheet.1 - p.1)
        }
    }

    #[test]
    fn every_back_lies_behind_its_own_front() {
        let a4 = Size::named("A4").unwrap();
        for card in ["A5", "A6"] {
            let g = Sheet {
                card: Size::named(card).unwrap(),
                sheet: a4,
                ..test_sheet()
            };
            let (cols, rows, sw, sh) = grid(&g);
            let (cw, ch) = g.card.pt();
            let (gx, gy) = ((sw - cw * cols as f32) / 2.0, (sh - ch * rows as f32) / 2.0);
            for row in 0..rows {
                for col in 0..cols {
                    let front = (gx + col as f32 * cw, gy + row as f32 * ch);
                    let back = behind(front, (cw, ch), (sw, sh));
                    // The back's centre, turned over, is the front's centre.
                    let centre = turn_over((back.0 + cw / 2.0, back.1 + ch / 2.0), (sw, sh));
                    assert!(
                        (centre.0 - front.0 - cw / 2.0).abs() < 0.01
                            && (centre.1 - front.1 - ch / 2.0).abs() < 0.01,
                        "{card} card at column {col}, row {row}: back lands at {centre:?}"
                    );
                }
            }
        }
        // Two A5 cards side by side on landscape A4: backs stay left and right.
        let (x, _) = behind((0.0, 0.0), (100.0, 200.0), (200.0, 150.0));
        assert_eq!(x, 0.0);
    }

    #[test]
    fn crop_marks_stay_off_the_cards_and_the_sheet_edge() {
        let (cw, ch) = (90.0 * MM, 130.0 * MM);
        let (sw, sh) = Size::named("A4").unwrap().pt();
        let (gx, gy) = ((sw - 2.0 * cw) / 2.0, (sh - 2.0 * ch) / 2.0);
        let marks = cut_marks(2, 2, cw, ch, gx, gy, sw, sh);
        assert_eq!(
            marks.len(),
            3 * 2 * 2,
            "three trim lines each way, two ends"
        );
        for m in &marks {
            let Item::Line { x1, y1, x2, y2, .. } = *m else {
                panic!("{m:?}")
            };
            for (x, y) in [(x1, y1), (x2, y2)] {
                assert!(x >= MARK_EDGE - 0.01 && x <= sw - MARK_EDGE + 0.01, "{m:?}");
                assert!(y >= MARK_EDGE - 0.01 && y <= sh - MARK_EDGE + 0.01, "{m:?}");
                let on_card =
                    x > gx + 0.01 && x < sw - gx - 0.01 && y > gy + 0.01 && y < sh - gy - 0.01;
                assert!(!on_card, "{m:?} is on a card");
            }
        }
        // Cards filling the sheet: no room, no marks.
        let (cw, ch) = Size::named("A6").unwrap().pt();
        assert!(cut_marks(2, 2, cw, ch, 0.0, (sh - 2.0 * ch) / 2.0, sw, sh).is_empty());
    }

    fn test_sheet() -> Sheet {
        let a4 = Size::named("A4").unwrap();
        Sheet {
            page: a4,
            page_margin: [20.0; 4],
            text_scale: 1.0,
            card: a4,
            card_margin: [6.0; 4],
            max_faces: 2,
            sheet: a4,
            crop_marks: true,
            household: (a4, [8.0; 4], 2),
        }
    }
}
