//! Laid-out pages to PDF with printpdf: glyph runs as Identity-H text with the exact
//! positions the layout chose, boxes, rules and QR codes as vector paths. Fonts are
//! embedded as subsets (once per document). Output is reproducible: fixed dates,
//! font ids and document id derived from the content.
//!
//! What a print shop checks: PDF 1.7; every page has a TrimBox (the finished size) and,
//! when the page bleeds ([`Options::bleed`]), a MediaBox and BleedBox that much larger
//! on every side; page labels ([`Options::labels`]) so the viewer's page numbers match
//! the printed ones; no empty PDF/X keys that claim a conformance the file lacks.

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};
use rayon::prelude::*;

use super::embed::{DocFonts, Prepared};
use super::fonts::Fonts;

/// A bookmark in the PDF outline: nesting level (1 = top), title, 0-based page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bookmark {
    pub level: u8,
    pub title: String,
    pub page: usize,
}

/// One page to write: its size in pt and its content stream ([`super::content`]).
pub(crate) struct PageContent {
    pub width: f32,
    pub height: f32,
    pub content: Vec<u8>,
}

/// Resource names of the faces in content streams (`/F0 9 Tf`).
pub(crate) fn font_names(fonts: &Fonts) -> Vec<String> {
    (0..fonts.faces.len()).map(|i| format!("F{i}")).collect()
}

/// Bleed of single cards: 3 mm beyond the trim on every side, the print trade's usual.
pub(crate) const CARD_BLEED: f32 = 3.0 * super::style::MM;

/// How the pages of a document are numbered (the PDF's /PageLabels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LabelStyle {
    /// i, ii, iii: front matter.
    Roman,
    /// 1, 2, 3.
    Arabic,
}

/// What some documents add to the plain page sequence.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Bleed in pt around every page: content stays placed inside the trim, the
    /// MediaBox grows by this much on each side.
    pub(crate) bleed: f32,
    /// Page label ranges: the first page (0-based) of each range and its style; each
    /// range counts from 1.
    pub(crate) labels: Vec<(usize, LabelStyle)>,
}

impl Options {
    /// Pages that bleed `bleed` pt on every side.
    pub(crate) fn bleed(bleed: f32) -> Options {
        Options {
            bleed,
            ..Options::default()
        }
    }
}

/// Builds and saves a document: printpdf lays out the document structure, the pages'
/// content streams and the fonts are ours. `date` (year, month, day) is written as its
/// creation and modification date; `opts` adds bleed or page labels.
#[allow(clippy::too_many_arguments)]
pub(crate) fn save_with(
    opts: &Options,
    fonts: &Fonts,
    prepared: Option<&Prepared>,
    names: &[String],
    glyphs: &DocFonts,
    title: &str,
    date: (i32, u8, u8),
    pages: Vec<PageContent>,
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
    let bleed = opts.bleed;
    let empty: Vec<PdfPage> = pages
        .iter()
        .map(|p| {
            PdfPage::new(
                Mm((p.width + 2.0 * bleed) / super::style::MM),
                Mm((p.height + 2.0 * bleed) / super::style::MM),
                Vec::new(),
            )
        })
        .collect();
    doc.with_pages(empty);
    let mut warnings = Vec::new();
    let save_opts = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &save_opts, &mut warnings);
    lo.version = "1.7".into();
    clean_info(&mut lo);
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().values().copied().collect();
    for (id, mut page) in page_ids.iter().zip(pages) {
        set_boxes(&mut lo, *id, page.width, page.height, bleed);
        if bleed > 0.0 {
            page.content =
                super::content::into_bleed(&page.content, page.width, page.height, bleed);
        }
        let contents = lo
            .get_dictionary(*id)
            .ok()
            .and_then(|d| d.get(b"Contents").ok())
            .and_then(|c| c.as_reference().ok());
        if let Some(c) = contents {
            lo.objects.insert(
                c,
                lopdf::Object::Stream(lopdf::Stream::new(lopdf::Dictionary::new(), page.content)),
            );
        }
    }
    if let Err(e) = glyphs.attach(fonts, prepared, names, &mut lo) {
        // Subsetting a face that loaded and laid out fine does not fail in practice;
        // if it does, the PDF would lack text, so say so loudly.
        eprintln!("{}", tr!("pdf-subset-failed", error = e));
    }
    finish(&mut lo, title, bookmarks);
    page_labels(&mut lo, &opts.labels);
    compress(&mut lo);
    // Room for the streams and the dictionaries around them, the cross-reference
    // table and the widths array: grown from empty, the file was copied over half a
    // dozen times on its way to a card's 35 KB (and once more when this fell short).
    let streams: usize = lo
        .objects
        .values()
        .map(|o| match o {
            lopdf::Object::Stream(s) => s.content.len() + 128,
            _ => 160,
        })
        .sum();
    let mut out = Vec::with_capacity(streams + 8192);
    super::pdf_stream::write_document(&lo, &mut out);
    out
}

/// The page boxes: MediaBox (and CropBox) the trimmed size plus the bleed on every
/// side, BleedBox the same, TrimBox the finished page.
fn set_boxes(doc: &mut lopdf::Document, page: lopdf::ObjectId, w: f32, h: f32, bleed: f32) {
    use lopdf::Object;
    let rect = |x0: f32, y0: f32, x1: f32, y1: f32| {
        Object::Array([x0, y0, x1, y1].map(Object::Real).to_vec())
    };
    let media = rect(0.0, 0.0, w + 2.0 * bleed, h + 2.0 * bleed);
    if let Ok(d) = doc.get_dictionary_mut(page) {
        d.set("MediaBox", media.clone());
        d.set("CropBox", media.clone());
        d.set("TrimBox", rect(bleed, bleed, w + bleed, h + bleed));
        if bleed > 0.0 {
            d.set("BleedBox", media);
        } else {
            d.remove(b"BleedBox");
        }
    }
}

/// Drops Info entries that are empty (an empty /GTS_PDFXVersion claims PDF/X and fails
/// preflight; empty Author, Subject, Keywords say nothing).
fn clean_info(doc: &mut lopdf::Document) {
    let Some(info) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|i| i.as_reference().ok())
    else {
        return;
    };
    if let Ok(lopdf::Object::Dictionary(d)) = doc.get_object_mut(info) {
        let empty: Vec<Vec<u8>> = d
            .iter()
            .filter(|(_, v)| matches!(v, lopdf::Object::String(s, _) if s.is_empty()))
            .map(|(k, _)| k.clone())
            .collect();
        for k in empty {
            d.remove(&k);
        }
        d.remove(b"GTS_PDFXVersion");
    }
}

/// Sets the catalog's /PageLabels from `labels`.
fn page_labels(doc: &mut lopdf::Document, labels: &[(usize, LabelStyle)]) {
    if let Some(tree) = page_label_tree(labels)
        && let Ok(catalog) = doc.catalog_mut()
    {
        catalog.set("PageLabels", lopdf::Object::Dictionary(tree));
    }
}

/// The /PageLabels number tree: one range per entry of `labels`.
pub(crate) fn page_label_tree(labels: &[(usize, LabelStyle)]) -> Option<lopdf::Dictionary> {
    use lopdf::{Dictionary, Object};
    if labels.is_empty() {
        return None;
    }
    let mut nums = Vec::new();
    for &(start, style) in labels {
        let mut d = Dictionary::new();
        let s: &[u8] = match style {
            LabelStyle::Roman => b"r",
            LabelStyle::Arabic => b"D",
        };
        d.set("S", Object::Name(s.to_vec()));
        nums.push(Object::Integer(start as i64));
        nums.push(Object::Dictionary(d));
    }
    let mut tree = Dictionary::new();
    tree.set("Nums", Object::Array(nums));
    Some(tree)
}

/// Deflates every stream, in parallel (lopdf's own `compress` is sequential at the
/// slowest level: most of a big document's save time). A CFF font program is stored as
/// it is: its charstrings are already a compact code, and deflate took off a tenth
/// (12,019 -> 10,867 bytes for a card's face, at any level) for a fifth of a first
/// build's card-writing CPU. A TrueType program (`/Length1`) halves and is deflated.
pub(crate) fn compress(doc: &mut lopdf::Document) {
    doc.objects.par_iter_mut().for_each(|(_, obj)| {
        let lopdf::Object::Stream(s) = obj else {
            return;
        };
        if s.dict.get(b"Filter").is_ok()
            || s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"CIDFontType0C")
        {
            return;
        }
        if let Some(out) = super::pdf_stream::deflate(&s.content) {
            s.dict.set("Filter", "FlateDecode");
            s.set_content(out);
        }
    });
}

/// A PDF date string for midnight of `date` in China Standard Time.
pub(crate) fn date_string((y, m, d): (i32, u8, u8)) -> String {
    format!(
        "D:{y:04}{:02}{:02}000000+08'00'",
        m.clamp(1, 12),
        d.clamp(1, 31)
    )
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
    use lopdf::{Object, StringFormat};
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
            Object::String(id.clone().into_bytes(), StringFormat::Literal),
            Object::String(id.into_bytes(), StringFormat::Literal),
        ]),
    );
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    if let Some(root) = outline(doc, &page_ids, bookmarks)
        && let Ok(catalog) = doc.catalog_mut()
    {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

/// Adds the nested outline of `bookmarks` (pointing into `page_ids`) to `doc`;
/// returns its root, for the catalog's /Outlines.
pub(crate) fn outline(
    doc: &mut lopdf::Document,
    page_ids: &[lopdf::ObjectId],
    bookmarks: &[Bookmark],
) -> Option<lopdf::ObjectId> {
    use lopdf::{Dictionary, Object};
    if bookmarks.is_empty() {
        return None;
    }
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
    // Each item's children, and the top level, listed once: asking every item for its
    // siblings by a scan was quadratic (10,000 entries: 0.2 s; 30,000: 2 s).
    let mut kids_of: Vec<Vec<usize>> = vec![Vec::new(); bookmarks.len()];
    let mut top_level = Vec::new();
    for (i, p) in parents.iter().enumerate() {
        match p {
            Some(p) => kids_of[*p].push(i),
            None => top_level.push(i),
        }
    }
    // The index of each item among its siblings.
    let mut pos_of = vec![0; bookmarks.len()];
    for list in kids_of.iter().chain([&top_level]) {
        for (k, &i) in list.iter().enumerate() {
            pos_of[i] = k;
        }
    }
    let children = |p: Option<usize>| -> &[usize] {
        match p {
            Some(p) => &kids_of[p],
            None => &top_level,
        }
    };
    let mut count_all = vec![0i64; bookmarks.len()];
    for i in (0..bookmarks.len()).rev() {
        if let Some(p) = parents[i] {
            count_all[p] += 1 + count_all[i];
        }
    }
    for (i, b) in bookmarks.iter().enumerate() {
        let siblings = children(parents[i]);
        let pos = pos_of[i];
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
    Some(root)
}

/// PDF text strings outside Latin-1 are UTF-16BE with a byte-order mark.
pub(crate) fn utf16(s: &str) -> Vec<u8> {
    let mut out = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Object, Stream};

    #[test]
    fn compress_stores_cff_programs_and_deflates_every_other_stream() {
        let bytes = b"0 0 1 rg 0 0 10 10 re f\n".repeat(200);
        let mut doc = lopdf::Document::with_version("1.7");
        let mut cff = Dictionary::new();
        cff.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
        let cff = doc.add_object(Stream::new(cff, bytes.clone()));
        let mut ttf = Dictionary::new();
        ttf.set("Length1", Object::Integer(bytes.len() as i64));
        let ttf = doc.add_object(Stream::new(ttf, bytes.clone()));
        let page = doc.add_object(Stream::new(Dictionary::new(), bytes.clone()));
        compress(&mut doc);
        let stream = |id| doc.get_object(id).unwrap().as_stream().unwrap().clone();
        let stored = stream(cff);
        assert!(stored.dict.get(b"Filter").is_err());
        assert_eq!(stored.content, bytes);
        for id in [ttf, page] {
            let s = stream(id);
            assert_eq!(
                s.dict.get(b"Filter").unwrap().as_name().unwrap(),
                b"FlateDecode"
            );
            assert!(s.content.len() < bytes.len() / 10);
            assert_eq!(s.decompressed_content().unwrap(), bytes);
        }
    }
}
