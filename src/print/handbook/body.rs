//! The handbook's body as it is laid out: a chapter's entries a batch at a time, each
//! batch laid out in parallel and paginated ([`crate::typeset::layout::Paginator`]),
//! its finished pages numbered, given running heads and written ([`Body`]) before the
//! next batch is read.

use rayon::prelude::*;

use super::line_items;
use crate::print::Engine;
use crate::typeset::content::write_items;
use crate::typeset::embed::DocFonts;
use crate::typeset::layout::{Block, Chunk, Item, Layout, Marker, Page, Seam};
use crate::typeset::linebreak::Align;
use crate::typeset::pdf_stream::{PdfStream, deflate};

/// Lays out a run of entries in parallel: each on a layout of its own, joined so
/// spacing is as one layout would give it (`pending`: the space still owed from the
/// run before). Missing characters are added to `layout`'s.
pub(super) fn lay_out_part(
    engine: &Engine,
    part: &[Block],
    w: f32,
    layout: &Layout,
    pending: &mut f32,
) -> Vec<Chunk> {
    let mut starts: Vec<usize> = part
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Anchor(mk) if mk.level == 2))
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.push(part.len());
    let laid: Vec<(Vec<Chunk>, Seam, Vec<char>)> = starts
        .par_windows(2)
        .enumerate()
        .map(|(k, r)| {
            // Box numbers apart per piece (4,096 boxes an entry is far beyond any).
            let l = Layout::new(&engine.fonts).numbering_boxes_from(1 + ((k as u32) << 12));
            let (chunks, seam) = l.blocks_seamed(&part[r[0]..r[1]], w);
            let missing = l.missing.take();
            (chunks, seam, missing)
        })
        .collect();
    let mut out = Vec::new();
    for (mut chunks, seam, missing) in laid {
        *pending = seam.join(&mut chunks, *pending);
        out.append(&mut chunks);
        layout.missing.borrow_mut().extend(missing);
    }
    out
}

/// Entries laid out and paginated together: enough to keep both cores busy, few
/// enough that a chapter of thousands never sits in memory.
pub(super) const WINDOW: usize = 32;

/// The index ranges of `part` holding `per` entries each (cut before an entry's anchor).
pub(super) fn windows(part: &[Block], per: usize) -> Vec<std::ops::Range<usize>> {
    let mut cuts: Vec<usize> = part
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Anchor(mk) if mk.level == 2))
        .map(|(i, _)| i)
        .step_by(per)
        .filter(|&i| i > 0)
        .collect();
    cuts.insert(0, 0);
    cuts.push(part.len());
    cuts.windows(2).map(|c| c[0]..c[1]).collect()
}

/// The body's pages as they are finished: numbered, given running heads, written.
/// Every chapter starts on a right-hand page (a blank left-hand page before it).
pub(super) struct Body<'a> {
    pub(super) layout: &'a Layout<'a>,
    pub(super) book: &'a str,
    pub(super) running: crate::typeset::style::Resolved,
    pub(super) styles: &'a crate::typeset::style::StyleSheet,
    pub(super) names: &'a [String],
    /// Page width and height, content box width and height, margins.
    pub(super) geometry: (f32, f32, f32, f32, [f32; 4]),
    /// The content stream of blank pages.
    pub(super) empty: u32,
    /// The chapter the running head names.
    pub(super) chapter: String,
    /// Written pages, in order.
    pub(super) ids: Vec<u32>,
    /// Chapters and entries with the body page (0-based) they start on.
    pub(super) marks: Vec<(Marker, usize)>,
}

impl Body<'_> {
    pub(super) fn write(
        &mut self,
        pages: Vec<Page>,
        pdf: &mut PdfStream,
        glyphs: &mut DocFonts,
    ) -> std::io::Result<()> {
        let (pw, ph, w, h, m) = self.geometry;
        let mut numbered = Vec::with_capacity(pages.len() + 1);
        for mut page in pages {
            let starts_chapter = page.markers.iter().any(|(mk, _)| mk.level == 1);
            if starts_chapter && (self.ids.len() + numbered.len()) % 2 == 1 {
                numbered.push(None);
            }
            let p = self.ids.len() + numbered.len();
            self.marks.extend(
                page.markers
                    .iter()
                    .filter(|(mk, _)| mk.level >= 1)
                    .map(|(mk, _)| (mk.clone(), p)),
            );
            if let Some((mk, _)) = page.markers.iter().find(|(mk, _)| mk.level == 1) {
                self.chapter = mk.title.clone();
            }
            if !(page.items.is_empty() && page.markers.is_empty()) {
                running_head(
                    &mut page,
                    self.layout,
                    self.book,
                    &self.chapter,
                    &self.running,
                    p,
                    w,
                    h,
                    &m,
                    self.styles,
                );
            }
            glyphs.add(&page.items);
            numbered.push(Some(page));
        }
        // Content streams made and compressed in parallel, written in order.
        let glyphs = &*glyphs;
        let made: Vec<Option<(Vec<u8>, bool)>> = numbered
            .par_iter()
            .map(|p| {
                p.as_ref()
                    .map(|p| page_content(p, self.names, glyphs, m[3], m[0], ph))
            })
            .collect();
        for c in made {
            self.ids.push(match c {
                Some((content, zipped)) => pdf.page(pw, ph, content, zipped)?,
                None => pdf.page_with(pw, ph, self.empty)?,
            });
        }
        Ok(())
    }
}

/// The body's blocks cut before each chapter (a page break, then a chapter's anchor):
/// each part starts on a new page, so parts paginate as the whole would.
pub(super) fn chapters(body: &[Block]) -> Vec<&[Block]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..body.len() {
        let chapter_next = matches!(body.get(i + 1), Some(Block::Anchor(mk)) if mk.level == 1);
        if matches!(body[i], Block::PageBreak) && chapter_next {
            parts.push(&body[start..i]);
            start = i;
        }
    }
    parts.push(&body[start..]);
    parts.retain(|p| !p.is_empty());
    parts
}

/// A page's content stream, deflated when that is smaller (and whether it was).
pub(super) fn page_content(
    p: &Page,
    names: &[String],
    glyphs: &DocFonts,
    left: f32,
    top: f32,
    ph: f32,
) -> (Vec<u8>, bool) {
    let mut content = Vec::new();
    write_items(&mut content, &p.items, names, glyphs, left, top, ph);
    match deflate(&content) {
        Some(z) => (z, true),
        None => (content, false),
    }
}

/// The running head (the book's title left, the chapter right, a rule below) and the
/// page number `— p+1 —` at the foot of body page `p`.
#[allow(clippy::too_many_arguments)]
fn running_head(
    page: &mut Page,
    layout: &Layout,
    book: &str,
    chapter: &str,
    rs: &crate::typeset::style::Resolved,
    p: usize,
    w: f32,
    h: f32,
    m: &[f32; 4],
    styles: &crate::typeset::style::StyleSheet,
) {
    let head_y = -m[0] * 0.55;
    let mut extra = Vec::new();
    extra.extend(line_items(layout, book, rs, Align::Left, w, head_y));
    extra.extend(line_items(layout, chapter, rs, Align::Right, w, head_y));
    extra.push(Item::Line {
        x1: 0.0,
        y1: head_y + rs.size * 0.6,
        x2: w,
        y2: head_y + rs.size * 0.6,
        color: styles.color("line"),
        width: 0.4,
        dash: false,
    });
    extra.extend(line_items(
        layout,
        &format!("— {} —", p + 1),
        rs,
        Align::Center,
        w,
        h + m[2] * 0.4,
    ));
    page.items.extend(extra);
}
