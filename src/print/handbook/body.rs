//! The handbook's body as it is laid out: a chapter's entries a batch at a time, each
//! batch laid out in parallel and paginated ([`crate::typeset::layout::Paginator`]),
//! its finished pages numbered, given running heads and written ([`Body`]) before the
//! next batch is read.

use std::collections::HashMap;

use rayon::prelude::*;

use super::reuse::{Stored, stream_sum};
use crate::print::Engine;
use crate::print::cache::{Key, KeyHasher};
use crate::typeset::content::write_items;
use crate::typeset::embed::DocFonts;
use crate::typeset::layout::{Block, Chunk, Item, Layout, Marker, Page, Seam};
use crate::typeset::linebreak::{Align, RunStyle};
use crate::typeset::pdf_stream::{PdfStream, deflate};

/// Lays out a run of entries in parallel: each on a layout of its own, joined so
/// spacing is as one layout would give it (`pending`: the space still owed from the
/// run before). Returns the chunks and the characters no font has: it touches no
/// shared layout, so it can run beside the pagination of the run before.
pub(super) fn lay_out_part(
    engine: &Engine,
    part: &[Block],
    w: f32,
    pending: &mut f32,
) -> (Vec<Chunk>, Vec<char>) {
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
    let mut all_missing = Vec::new();
    for (mut chunks, seam, mut missing) in laid {
        *pending = seam.join(&mut chunks, *pending);
        out.append(&mut chunks);
        all_missing.append(&mut missing);
    }
    (out, all_missing)
}

/// Drops `x` on the thread pool. This thread's work between the parallel steps leaves
/// the pool idle, and freeing a window's blocks and pages was a fifth of that work.
pub(super) fn drop_later<T: Send + 'static>(x: T) {
    rayon::spawn(move || drop(x));
}

/// Entries laid out and paginated together: enough to keep both cores busy, few
/// enough that a chapter of thousands never sits in memory, and that an edit lays out
/// little before its layout meets the last build's again (the first entry of a chapter
/// edited at 1,000 entries: 184 ms with windows of 32, 164 ms with 16; a first build
/// the same).
pub(super) const WINDOW: usize = 16;

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
/// A page is drawn in layers: its own content (which depends only on its chapter, so
/// a later build can copy it, see [`super::reuse`]), then the running head and the
/// page number.
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
    /// The running head's layer for each chapter title.
    pub(super) heads: HashMap<String, u32>,
    /// The pages of the chapter being written, as the cache records them, and the
    /// hash of their content streams.
    pub(super) part: Vec<Stored>,
    pub(super) sum: KeyHasher,
    /// The hash of the chapter being written when it was copied (not hashed again).
    pub(super) stored_sum: Option<Key>,
    /// The chapter being written draws a picture (it is not recorded).
    pub(super) pictures: bool,
}

impl Body<'_> {
    /// Writes pages laid out in this build.
    pub(super) fn write(
        &mut self,
        pages: Vec<Page>,
        pdf: &mut PdfStream,
        glyphs: &mut DocFonts,
    ) -> std::io::Result<()> {
        let (_, ph, _, _, m) = self.geometry;
        // Every glyph of every page looked up on both cores, and only those new to the
        // handbook added here: looking them all up on this thread was a quarter of its
        // time, with the other core idle.
        let unseen: Vec<Vec<_>> = {
            let glyphs = &*glyphs;
            pages.par_iter().map(|p| glyphs.unseen(&p.items)).collect()
        };
        for (p, unseen) in pages.iter().zip(&unseen) {
            glyphs.add_unseen(unseen, &p.items);
            self.pictures |= p.items.iter().any(|i| matches!(i, Item::Image { .. }));
        }
        // Content streams made and compressed in parallel, written in order.
        let made: Vec<(Vec<u8>, bool)> = {
            let glyphs = &*glyphs;
            pages
                .par_iter()
                .map(|p| page_content(p, self.names, glyphs, m[3], m[0], ph))
                .collect()
        };
        let shows = |p: &Page| !(p.items.is_empty() && p.markers.is_empty());
        let mut folios = self.folios(pages.iter().map(|p| (starts_chapter(&p.markers), shows(p))));
        let mut done = Vec::with_capacity(pages.len());
        for (page, (data, deflated)) in pages.into_iter().zip(made) {
            let shows = shows(&page);
            self.place(
                page.markers,
                shows,
                &data,
                deflated,
                &mut folios,
                pdf,
                glyphs,
            )?;
            done.push((page.items, data));
        }
        debug_assert!(folios.next().is_none(), "page numbers laid out as placed");
        drop_later(done);
        Ok(())
    }

    /// Writes a chapter's pages copied from the last build (with its glyph ids), whose
    /// content streams hash to `sum`.
    pub(super) fn write_stored(
        &mut self,
        pages: Vec<(Stored, Vec<u8>)>,
        sum: Key,
        pdf: &mut PdfStream,
        glyphs: &mut DocFonts,
    ) -> std::io::Result<()> {
        self.stored_sum = Some(sum);
        self.write_copied(pages, pdf, glyphs)
    }

    /// Writes pages copied from the last build (the first of a chapter laid out from
    /// a point on, or a whole one).
    pub(super) fn write_copied(
        &mut self,
        pages: Vec<(Stored, Vec<u8>)>,
        pdf: &mut PdfStream,
        glyphs: &mut DocFonts,
    ) -> std::io::Result<()> {
        let mut folios = self.folios(
            pages
                .iter()
                .map(|(p, _)| (starts_chapter(&p.markers), p.shows)),
        );
        for (p, data) in pages {
            self.place(
                p.markers,
                p.shows,
                &data,
                p.deflated,
                &mut folios,
                pdf,
                glyphs,
            )?;
        }
        debug_assert!(folios.next().is_none(), "page numbers laid out as placed");
        Ok(())
    }

    /// The page numbers of the pages about to be placed (whether each starts a chapter
    /// and shows anything), laid out in parallel: a line each, and 100,000 of them one
    /// after another were a third of copying a handbook's unchanged chapters.
    fn folios(&self, pages: impl Iterator<Item = (bool, bool)>) -> std::vec::IntoIter<Vec<Item>> {
        // Numbered as `place` numbers them: a blank page before a chapter that would
        // start on a left-hand page.
        let mut n = self.ids.len();
        let mut numbers = Vec::new();
        for (chapter, shows) in pages {
            if chapter && n % 2 == 1 {
                n += 1;
            }
            if shows {
                numbers.push(n);
            }
            n += 1;
        }
        let (fonts, running, (_, _, w, h, m)) = (self.layout.fonts, self.running, self.geometry);
        let laid: Vec<(Vec<Vec<Item>>, Vec<char>)> = numbers
            .par_chunks(1024)
            .map(|ps| {
                let l = Layout::new(fonts);
                let items = ps
                    .iter()
                    .map(|&p| {
                        let text = format!("— {} —", p + 1);
                        line_items(&l, &text, &running, Align::Center, w, h + m[2] * 0.4)
                    })
                    .collect();
                (items, l.missing.take())
            })
            .collect();
        let mut out = Vec::with_capacity(numbers.len());
        for (items, missing) in laid {
            out.extend(items);
            self.layout.missing.borrow_mut().extend(missing);
        }
        out.into_iter()
    }

    /// Writes one page whose own content stream is `data`: a blank page before it when
    /// it starts a chapter on a left-hand page, then the page with its running head and
    /// number (the next of `folios`) when it `shows` anything.
    #[allow(clippy::too_many_arguments)]
    fn place(
        &mut self,
        markers: Vec<(Marker, f32)>,
        shows: bool,
        data: &[u8],
        deflated: bool,
        folios: &mut std::vec::IntoIter<Vec<Item>>,
        pdf: &mut PdfStream,
        glyphs: &mut DocFonts,
    ) -> std::io::Result<()> {
        let (pw, ph, ..) = self.geometry;
        let chapter = markers.iter().find(|(mk, _)| mk.level == 1);
        if chapter.is_some() && self.ids.len() % 2 == 1 {
            self.ids.push(pdf.page_with(pw, ph, self.empty)?);
        }
        let p = self.ids.len();
        self.marks.extend(
            markers
                .iter()
                .filter(|(mk, _)| mk.level >= 1)
                .map(|(mk, _)| (mk.clone(), p)),
        );
        if let Some((mk, _)) = chapter {
            self.chapter = mk.title.clone();
        }
        let (own, at) = pdf.layer(data, deflated)?;
        if self.stored_sum.is_none() {
            self.sum.add(data);
        }
        self.part.push(Stored {
            markers,
            shows,
            deflated,
            at,
            len: data.len() as u64,
        });
        let mut layers = vec![own];
        if shows {
            layers.push(self.head(pdf, glyphs)?);
            let folio = folios.next();
            debug_assert!(folio.is_some(), "a page number for every page that shows");
            layers.push(self.furniture(&folio.unwrap_or_default(), pdf, glyphs)?);
        }
        self.ids.push(pdf.page_of(pw, ph, &layers)?);
        Ok(())
    }

    /// The running head's layer for the current chapter: the book's title left, the
    /// chapter's right, a rule below. One stream per chapter, shared by its pages.
    fn head(&mut self, pdf: &mut PdfStream, glyphs: &mut DocFonts) -> std::io::Result<u32> {
        if let Some(&id) = self.heads.get(&self.chapter) {
            return Ok(id);
        }
        let (_, _, w, _, m) = self.geometry;
        let rs = &self.running;
        let head_y = -m[0] * 0.55;
        let mut items = line_items(self.layout, self.book, rs, Align::Left, w, head_y);
        items.extend(line_items(
            self.layout,
            &self.chapter,
            rs,
            Align::Right,
            w,
            head_y,
        ));
        items.push(Item::Line {
            x1: 0.0,
            y1: head_y + rs.size * 0.6,
            x2: w,
            y2: head_y + rs.size * 0.6,
            color: self.styles.color("line"),
            width: 0.4,
            dash: false,
        });
        let id = self.furniture(&items, pdf, glyphs)?;
        self.heads.insert(self.chapter.clone(), id);
        Ok(id)
    }

    fn furniture(
        &self,
        items: &[Item],
        pdf: &mut PdfStream,
        glyphs: &mut DocFonts,
    ) -> std::io::Result<u32> {
        let (_, ph, _, _, m) = self.geometry;
        glyphs.add(items);
        let mut content = Vec::new();
        write_items(&mut content, items, self.names, glyphs, m[3], m[0], ph);
        pdf.content(content)
    }

    /// Ends a chapter: its record for the cache under `key`, unless it draws a
    /// picture (`None` then, or when there is no key).
    pub(super) fn end_part(&mut self, key: Option<Key>) -> Option<(Key, Vec<Stored>, Key)> {
        let pages = std::mem::take(&mut self.part);
        let sum = std::mem::replace(&mut self.sum, stream_sum()).finish();
        let sum = self.stored_sum.take().unwrap_or(sum);
        let pictures = std::mem::take(&mut self.pictures);
        key.filter(|_| !pictures).map(|k| (k, pages, sum))
    }
}

/// Whether a page with `markers` starts a chapter (on a right-hand page).
fn starts_chapter(markers: &[(Marker, f32)]) -> bool {
    markers.iter().any(|(mk, _)| mk.level == 1)
}

/// The body's blocks cut before each chapter (a page break, then a chapter's anchor),
/// as index ranges: each part starts on a new page, so parts paginate as the whole
/// would.
pub(super) fn chapters(body: &[Block]) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..body.len() {
        let chapter_next = matches!(body.get(i + 1), Some(Block::Anchor(mk)) if mk.level == 1);
        if matches!(body[i], Block::PageBreak) && chapter_next {
            parts.push(start..i);
            start = i;
        }
    }
    parts.push(start..body.len());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Moves the blocks out of `blocks` (leaving page breaks): a window is laid out once,
/// and copying its blocks took a tenth of the handbook's single-threaded time.
pub(super) fn take(blocks: &mut [Block]) -> Vec<Block> {
    blocks
        .iter_mut()
        .map(|b| std::mem::replace(b, Block::PageBreak))
        .collect()
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
    // Saved and restored: the running head drawn after it starts from the defaults.
    let mut content = b"q\n".to_vec();
    write_items(&mut content, &p.items, names, glyphs, left, top, ph);
    content.extend_from_slice(b"Q\n");
    match deflate(&content) {
        Some(z) => (z, true),
        None => (content, false),
    }
}

pub(super) fn run(s: &crate::typeset::style::Resolved) -> RunStyle {
    RunStyle {
        size: s.size,
        weight: s.weight,
        color: s.color,
    }
}

/// One line of small text at baseline-ish `y` (running heads, page numbers).
pub(super) fn line_items(
    layout: &Layout,
    text: &str,
    style: &crate::typeset::style::Resolved,
    align: Align,
    w: f32,
    y: f32,
) -> Vec<Item> {
    if text.is_empty() {
        return Vec::new();
    }
    let st = crate::typeset::style::Resolved {
        align,
        indent: 0.0,
        ..*style
    };
    let mut out = Vec::new();
    if let Some(c) = layout
        .para(&vec![(text.to_string(), run(style))], &st, w)
        .into_iter()
        .next()
    {
        for mut it in c.items {
            it.shift(0.0, y - c.height / 2.0);
            out.push(it);
        }
    }
    out
}

/// The error naming the characters no font has, when layout met any (the coverage
/// check reports them with their places before layout; this is the safety net).
pub(super) fn missing_chars(layout: &Layout) -> Option<crate::diagnostics::Diagnostic> {
    let mut missing = layout.missing.borrow().clone();
    if missing.is_empty() {
        return None;
    }
    missing.sort_unstable();
    missing.dedup();
    let chars: Vec<String> = missing
        .iter()
        .map(|c| format!("「{c}」(U+{:04X})", *c as u32))
        .collect();
    Some(crate::diagnostics::Diagnostic::error(tr!(
        "font-missing-chars",
        chars = chars.join(" ")
    )))
}
