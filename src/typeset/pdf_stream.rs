//! A PDF written object by object into any writer, for documents too big to hold: the
//! handbook of a 30,000-entry province goes out page by page as it is laid out, and
//! only the page list, the glyph set and the outline stay in memory.
//!
//! The file is what [`super::pdf::save_with`] writes for a small document: PDF 1.7,
//! MediaBox, CropBox and TrimBox on every page, fonts as subsets with ToUnicode maps,
//! page labels, an outline, fixed dates and a reproducible /ID. Pages may be written in
//! any order (the body before the table of contents that lists its page numbers); the
//! page tree written at the end puts them in reading order.

use std::io::{self, Write};

use lopdf::{Dictionary, Object, ObjectId};
use xxhash_rust::xxh3::Xxh3;

use super::content::{decimal, int};
use super::pdf::{Bookmark, LabelStyle};

/// The header: the binary comment tells transfer programs the file is not text.
const HEADER: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

/// Object numbers fixed at the start, so pages can point at them before they exist.
const CATALOG: u32 = 1;
const PAGE_TREE: u32 = 2;
const RESOURCES: u32 = 3;

/// A PDF being written. Every object goes out as soon as it is made; [`PdfStream::finish`]
/// writes the shared resources, the page tree, outline, cross-reference table and trailer.
pub(crate) struct PdfStream<'w> {
    out: &'w mut dyn Write,
    /// Bytes written so far: the offset of the next object.
    pos: u64,
    /// Offset of each object by number (index 0 unused).
    offsets: Vec<u64>,
    /// The page boxes of the last page size, as written.
    boxes: ((f32, f32), Vec<u8>),
    /// Fed every page's content for the document /ID (XXH3-128: 100 MB of handbook
    /// through FNV-1a a byte at a time took 0.1 s).
    hash: Box<Xxh3>,
}

impl<'w> PdfStream<'w> {
    /// Starts a document: the header, and object numbers 1–3 reserved.
    pub(crate) fn new(out: &'w mut dyn Write) -> io::Result<PdfStream<'w>> {
        let mut s = PdfStream {
            out,
            pos: 0,
            offsets: vec![0; 4],
            // NaN equals no size: the first page writes its boxes.
            boxes: ((f32::NAN, f32::NAN), Vec::new()),
            hash: Box::default(),
        };
        // The binary comment tells transfer programs the file is not text.
        s.put(HEADER)?;
        Ok(s)
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn alloc(&mut self) -> u32 {
        self.offsets.push(0);
        (self.offsets.len() - 1) as u32
    }

    fn object(&mut self, id: u32, obj: &Object) -> io::Result<()> {
        self.offsets[id as usize] = self.pos;
        let mut buf = Vec::with_capacity(128);
        let _ = writeln!(buf, "{id} 0 obj");
        write_object(&mut buf, obj);
        buf.extend_from_slice(b"\nendobj\n");
        self.put(&buf)
    }

    /// Writes one page of `width` × `height` pt whose content stream is `content`
    /// (compressed here unless `compressed` says it already is); returns its object
    /// number for [`PdfStream::finish`]'s page order.
    pub(crate) fn page(
        &mut self,
        width: f32,
        height: f32,
        content: Vec<u8>,
        compressed: bool,
    ) -> io::Result<u32> {
        let contents = if compressed {
            self.stream(content, true)?
        } else {
            self.content(content)?
        };
        self.page_with(width, height, contents)
    }

    /// Writes a content stream (deflated here when that makes it smaller) that pages
    /// can share (blank pages); returns its object number.
    pub(crate) fn content(&mut self, content: Vec<u8>) -> io::Result<u32> {
        self.stream(content, false)
    }

    /// Folds `bytes` into the document's /ID hash.
    fn fold(&mut self, bytes: &[u8]) {
        self.hash.update(bytes);
    }

    fn stream(&mut self, content: Vec<u8>, compressed: bool) -> io::Result<u32> {
        let (data, deflated) = packed(content, compressed);
        Ok(self.layer(&data, deflated)?.0)
    }

    /// Writes a content stream of `data` as it is (deflated already when `deflated`);
    /// returns its object number and the offset of `data` in the file, where a later
    /// build can copy it from (the handbook's unchanged chapters).
    pub(crate) fn layer(&mut self, data: &[u8], deflated: bool) -> io::Result<(u32, u64)> {
        self.fold(data);
        let id = self.alloc();
        self.offsets[id as usize] = self.pos;
        let filter = if deflated {
            " /Filter /FlateDecode"
        } else {
            ""
        };
        let mut head = Vec::with_capacity(64);
        int(&mut head, i64::from(id));
        head.extend_from_slice(b" 0 obj\n<</Length ");
        int(&mut head, data.len() as i64);
        head.extend_from_slice(filter.as_bytes());
        head.extend_from_slice(b" >>\nstream\n");
        self.put(&head)?;
        let at = self.pos;
        self.put(data)?;
        self.put(b"\nendstream\nendobj\n")?;
        Ok((id, at))
    }

    /// Writes a page of `width` × `height` pt drawn by the content stream `contents`.
    /// Every page is an object of its own, even where pages look alike.
    pub(crate) fn page_with(&mut self, width: f32, height: f32, contents: u32) -> io::Result<u32> {
        self.page_of(width, height, &[contents])
    }

    /// Writes a page drawn by the content streams `layers`, one after the other (the
    /// handbook's body, then its running head and page number).
    pub(crate) fn page_of(&mut self, width: f32, height: f32, layers: &[u32]) -> io::Result<u32> {
        let page = self.alloc();
        // Written directly, the same bytes as the dictionary through `write_object`
        // (building one per page was 2 % of a rebuild); the boxes of the last size kept.
        if self.boxes.0 != (width, height) {
            let rect = Object::Array([0.0, 0.0, width, height].map(Object::Real).to_vec());
            let mut b = Vec::new();
            for key in ["MediaBox", "CropBox", "TrimBox"] {
                name(&mut b, key.as_bytes());
                b.push(b' ');
                write_object(&mut b, &rect);
                b.push(b' ');
            }
            self.boxes = ((width, height), b);
        }
        let mut buf = Vec::with_capacity(200);
        int(&mut buf, i64::from(page));
        buf.extend_from_slice(b" 0 obj\n<</Type /Page /Parent ");
        int(&mut buf, i64::from(PAGE_TREE));
        buf.extend_from_slice(b" 0 R ");
        buf.extend_from_slice(&self.boxes.1);
        buf.extend_from_slice(b"/Resources ");
        int(&mut buf, i64::from(RESOURCES));
        buf.extend_from_slice(b" 0 R /Contents ");
        match layers {
            [one] => {
                int(&mut buf, i64::from(*one));
                buf.extend_from_slice(b" 0 R");
            }
            _ => {
                buf.push(b'[');
                for (i, l) in layers.iter().enumerate() {
                    if i > 0 {
                        buf.push(b' ');
                    }
                    int(&mut buf, i64::from(*l));
                    buf.extend_from_slice(b" 0 R");
                }
                buf.push(b']');
            }
        }
        buf.extend_from_slice(b" >>\nendobj\n");
        self.offsets[page as usize] = self.pos;
        self.put(&buf)?;
        Ok(page)
    }

    /// A document for the objects that depend on the whole file (font subsets,
    /// pictures, the outline): its new objects take numbers after this stream's.
    pub(crate) fn scratch(&self) -> lopdf::Document {
        let mut doc = lopdf::Document::with_version("1.7");
        doc.max_id = (self.offsets.len() - 1) as u32;
        doc
    }

    /// Ends the document: the objects of `scratch` (made after [`PdfStream::scratch`]),
    /// `resources` shared by every page, the page tree in the order `pages`, the outline
    /// and page labels, the Info dictionary and the cross-reference table.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish(
        mut self,
        mut scratch: lopdf::Document,
        resources: Dictionary,
        pages: &[u32],
        bookmarks: &[Bookmark],
        labels: &[(usize, LabelStyle)],
        title: &str,
        date: (i32, u8, u8),
    ) -> io::Result<()> {
        let page_ids: Vec<ObjectId> = pages.iter().map(|&p| (p, 0)).collect();
        let outline = super::pdf::outline(&mut scratch, &page_ids, bookmarks);
        super::pdf::compress(&mut scratch);
        for (&(id, _), obj) in &scratch.objects {
            if id as usize >= self.offsets.len() {
                self.offsets.resize(id as usize + 1, 0);
            }
            self.object(id, obj)?;
        }
        self.object(RESOURCES, &Object::Dictionary(resources))?;
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set(
            "Kids",
            Object::Array(page_ids.iter().map(|&r| Object::Reference(r)).collect()),
        );
        tree.set("Count", Object::Integer(pages.len() as i64));
        self.object(PAGE_TREE, &Object::Dictionary(tree))?;

        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference((PAGE_TREE, 0)));
        if let Some(root) = outline {
            catalog.set("Outlines", Object::Reference(root));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if let Some(l) = super::pdf::page_label_tree(labels) {
            catalog.set("PageLabels", Object::Dictionary(l));
        }
        self.object(CATALOG, &Object::Dictionary(catalog))?;

        let info_id = self.alloc();
        let stamp = super::pdf::date_string(date);
        let producer = concat!("mingbai ", env!("CARGO_PKG_VERSION"));
        let mut info = Dictionary::new();
        info.set("Title", Object::string_literal(super::pdf::utf16(title)));
        info.set("Producer", Object::string_literal(producer));
        info.set("Creator", Object::string_literal(producer));
        info.set("CreationDate", Object::string_literal(stamp.clone()));
        info.set("ModDate", Object::string_literal(stamp));
        self.object(info_id, &Object::Dictionary(info))?;

        let xref = self.pos;
        let n = self.offsets.len();
        // 20 bytes an entry, written in place (a `format!` each was a tenth of ending
        // the handbook).
        let mut table = Vec::with_capacity(n * 20 + 200);
        // A number never used (none in practice) is a free entry.
        let entries = self.offsets[1..]
            .iter()
            .map(|&off| (off != 0).then_some((off, 0)));
        xref_table(&mut table, n, entries);
        self.fold(title.as_bytes());
        self.fold(&pages.len().to_le_bytes());
        let id = format!("{:032x}", self.hash.digest128());
        let _ = write!(
            table,
            "trailer\n<< /Size {n} /Root {CATALOG} 0 R /Info {info_id} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n"
        );
        self.put(&table)?;
        self.out.flush()
    }
}

/// Streams shorter than this are written as they are: libdeflate's fixed cost a call
/// (its hash table cleared, Huffman codes built) is about that of compressing 2 KB.
/// A handbook's page numbers and running heads (36,000 of them at 10,000 entries)
/// saved a few dozen bytes each and cost more to compress than all the rest of a
/// copied chapter; a card's two ToUnicode maps (about 1 KB each) saved 1.5 KB of its
/// 32 KB for a sixtieth of a first build's instructions.
const SMALL: usize = 2048;

/// libdeflate's level for every stream: its fastest that compresses (its `fastest()`,
/// level 0, stores). Against level 4, at 10,000 entries: the handbook 90.8 -> 95.3 MB
/// (+5 %), the cards +0.4 %, and 1.0-1.4 s less CPU in a first build (three
/// alternating runs). Level 4 had been 34 % faster than zlib's default level 6.
const LEVEL: i32 = 1;

/// A content stream as [`PdfStream::layer`] writes it: `content` as it is when it is
/// `compressed` already, else deflated when that makes it smaller; and whether it is
/// deflated.
pub(crate) fn packed(content: Vec<u8>, compressed: bool) -> (Vec<u8>, bool) {
    if compressed {
        return (content, true);
    }
    match deflate(&content) {
        Some(z) => (z, true),
        None => (content, false),
    }
}

/// `bytes` deflated (zlib format, as `/FlateDecode` reads it), when that makes them
/// smaller.
pub(crate) fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() < SMALL {
        return None;
    }
    let out = compress(bytes)?;
    (out.len() + 19 < bytes.len()).then_some(out)
}

fn compress(bytes: &[u8]) -> Option<Vec<u8>> {
    use libdeflater::{CompressionLvl, Compressor};
    /// Output space kept for the next call up to this size; a bigger stream (a font, a
    /// picture) gets space of its own.
    const KEPT: usize = 1 << 20;
    thread_local! {
        // One compressor per thread: a new one allocates several hundred KB of tables,
        // which for the handbook's 36,000 small page-number streams cost more than
        // compressing them. And one output space: zeroing a new one of the worst
        // case's size for each stream, to keep a tenth of it, cost page faults and
        // returned memory, and the stream then held all of it until written.
        static Z: std::cell::RefCell<(Compressor, Vec<u8>)> = std::cell::RefCell::new((
            Compressor::new(CompressionLvl::new(LEVEL).unwrap_or_default()),
            Vec::new(),
        ));
    }
    Z.with(|z| {
        let (z, kept) = &mut *z.borrow_mut();
        let bound = z.zlib_compress_bound(bytes.len());
        let mut own = Vec::new();
        let out = if bound <= KEPT {
            if kept.len() < bound {
                kept.resize(bound, 0);
            }
            &mut kept[..bound]
        } else {
            own.resize(bound, 0);
            &mut own[..]
        };
        let n = z.zlib_compress(bytes, out).ok()?;
        Some(out[..n].to_vec())
    })
}

/// Writes the whole of `doc` (objects in number order, the cross-reference table, its
/// trailer) into `out`: a card is small enough to hold whole, and lopdf's own writer,
/// which formats every number and dictionary key through `write!`, was a sixth of
/// making a card's PDF.
pub(crate) fn write_document(doc: &lopdf::Document, out: &mut Vec<u8>) {
    out.extend_from_slice(HEADER);
    let size = doc.objects.keys().next_back().map_or(0, |&(id, _)| id) as usize + 1;
    let mut offsets = vec![None; size];
    for (&(id, generation), obj) in &doc.objects {
        offsets[id as usize] = Some((out.len() as u64, generation));
        int(out, i64::from(id));
        out.push(b' ');
        int(out, i64::from(generation));
        out.extend_from_slice(b" obj\n");
        write_object(out, obj);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    xref_table(out, size, offsets[1..].iter().copied());
    let mut trailer = doc.trailer.clone();
    trailer.set("Size", Object::Integer(size as i64));
    out.extend_from_slice(b"trailer\n");
    dictionary(out, &trailer);
    out.extend_from_slice(b"\nstartxref\n");
    int(out, xref as i64);
    out.extend_from_slice(b"\n%%EOF\n");
}

/// The cross-reference table of `n` objects: object 0, then `entries` (an offset and
/// a generation, or none for a number left unused: a free entry).
fn xref_table(out: &mut Vec<u8>, n: usize, entries: impl Iterator<Item = Option<(u64, u16)>>) {
    out.extend_from_slice(b"xref\n0 ");
    int(out, n as i64);
    out.extend_from_slice(b"\n0000000000 65535 f \n");
    for entry in entries {
        match entry {
            Some((off, generation)) => xref_entry(out, off, generation),
            None => out.extend_from_slice(b"0000000000 00001 f \n"),
        }
    }
}

/// A cross-reference table's line for an object at `offset`: 20 bytes, the numbers
/// zero-padded (through `writeln!`, each line was a tenth of writing a card's objects).
fn xref_entry(out: &mut Vec<u8>, offset: u64, generation: u16) {
    let mut line = *b"0000000000 00000 n \n";
    let mut v = offset;
    for d in line[..10].iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let mut g = generation;
    for d in line[11..16].iter_mut().rev() {
        *d = b'0' + (g % 10) as u8;
        g /= 10;
    }
    out.extend_from_slice(&line);
}

/// Upper-case hex digits, for strings and escaped name bytes: a `format!` per byte was
/// most of writing the handbook's outline (10,000 UTF-16 titles).
const HEX: &[u8; 16] = b"0123456789ABCDEF";

pub(crate) fn hex(out: &mut Vec<u8>, b: u8) {
    out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
}

/// Appends the PDF syntax of `obj`. Strings are written in hex, which needs no escapes;
/// a stream's /Length is set from its content.
fn write_object(out: &mut Vec<u8>, obj: &Object) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => int(out, *i),
        Object::Real(r) => real(out, *r),
        Object::Name(n) => name(out, n),
        Object::String(s, _) => {
            out.reserve(s.len() * 2 + 2);
            out.push(b'<');
            for &b in s {
                hex(out, b);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, it);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => dictionary(out, d),
        Object::Stream(s) => {
            let mut d = s.dict.clone();
            d.set("Length", Object::Integer(s.content.len() as i64));
            dictionary(out, &d);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&s.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            int(out, i64::from(*id));
            out.push(b' ');
            int(out, i64::from(*generation));
            out.extend_from_slice(b" R");
        }
    }
}

fn dictionary(out: &mut Vec<u8>, d: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        name(out, k);
        out.push(b' ');
        write_object(out, v);
        out.push(b' ');
    }
    out.extend_from_slice(b">>");
}

/// A name with delimiters, `#` and bytes outside `!`–`~` written as `#xx`.
fn name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b"()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.push(b'#');
            hex(out, b);
        } else {
            out.push(b);
        }
    }
}

/// A real number as PDF writes them: no exponent, at most 4 decimals (rounded half to
/// even, as `format!("{r:.4}")` rounds), no trailing zeros; not finite is 0. Formatted
/// by hand: through `format!`, the few dozen numbers of a card's dictionaries were a
/// quarter of writing its objects.
fn real(out: &mut Vec<u8>, r: f32) {
    // An f32 has 24 bits of mantissa and 10,000 < 2^14: the product is exact in an
    // f64, so the rounding below sees the number's true decimal digits.
    let v = f64::from(r) * 10_000.0;
    if !v.is_finite() || v.abs() >= 9.0e18 {
        // Not a page size nor a font metric: no caller writes one.
        out.push(b'0');
        return;
    }
    let t = v.trunc();
    let frac = (v - t).abs();
    let mut n = t.abs() as u64;
    if frac > 0.5 || (frac == 0.5 && n % 2 == 1) {
        n += 1;
    }
    if n == 0 {
        out.push(b'0');
        return;
    }
    if v < 0.0 {
        out.push(b'-');
    }
    decimal(out, n, 4);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_written_in_pdf_syntax() {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Font".to_vec()));
        d.set("A B", Object::Integer(-3));
        d.set(
            "K",
            Object::Array(vec![
                Object::Real(595.2756),
                Object::Real(-0.00001),
                Object::Reference((7, 0)),
                Object::string_literal("a)"),
            ]),
        );
        let mut out = Vec::new();
        write_object(&mut out, &Object::Dictionary(d));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<</Type /Font /A#20B -3 /K [595.2756 0 7 0 R <6129>] >>"
        );
    }

    #[test]
    fn reals_are_written_as_format_writes_them_to_four_places() {
        let by_format = |r: f32| {
            if !r.is_finite() {
                return "0".to_string();
            }
            let s = format!("{r:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" || s.is_empty() {
                "0".into()
            } else {
                s.to_string()
            }
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            0.03125,
            -0.03125,
            0.00005,
            -0.00005,
            0.00015,
            1.99995,
            595.2756,
            841.8898,
            1e9,
            -3.4e12,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            8.5,
        ];
        let mut x: u32 = 0x9e37_79b9;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let r = f32::from_bits(x);
            // Page sizes, metrics and exact ties of a few binary places.
            if r.is_finite() && r.abs() < 1e12 {
                values.push(r);
            }
            values.push((x % 2_000_000) as f32 / 1024.0 - 900.0);
        }
        for r in values {
            let mut out = Vec::new();
            real(&mut out, r);
            assert_eq!(String::from_utf8(out).unwrap(), by_format(r), "{r:e}");
        }
    }

    #[test]
    fn cross_reference_lines_are_twenty_bytes_as_format_writes_them() {
        for (off, generation) in [(0, 0), (9, 1), (31_337, 0), (9_999_999_999, 65_535)] {
            let mut out = Vec::new();
            xref_entry(&mut out, off, generation);
            assert_eq!(out, format!("{off:010} {generation:05} n \n").into_bytes());
        }
    }

    #[test]
    fn a_whole_document_reads_back_as_it_was() {
        use lopdf::{Document, Stream, StringFormat};
        let mut doc = Document::with_version("1.7");
        let content = doc.add_object(Stream::new(Dictionary::new(), b"0 0 m 10 10 l S".to_vec()));
        // A number left unused: a free entry in the table.
        doc.new_object_id();
        let pages = doc.new_object_id();
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages));
        page.set("Contents", Object::Reference(content));
        page.set(
            "MediaBox",
            Object::Array([0.5, 1.25, 297.64, -0.5].map(Object::Real).to_vec()),
        );
        let page = doc.add_object(page);
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Kids", Object::Array(vec![Object::Reference(page)]));
        tree.set("Count", Object::Integer(1));
        doc.objects.insert(pages, Object::Dictionary(tree));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages));
        let catalog = doc.add_object(catalog);
        let mut info = Dictionary::new();
        info.set("Title", Object::string_literal("明白卡 (2) \\"));
        info.set("Count", Object::Integer(-1_234_567_890_123));
        let info = doc.add_object(info);
        doc.trailer.set("Root", Object::Reference(catalog));
        doc.trailer.set("Info", Object::Reference(info));
        let id = || Object::String(b"cb49283576".to_vec(), StringFormat::Literal);
        doc.trailer.set("ID", Object::Array(vec![id(), id()]));
        let mut out = Vec::new();
        write_document(&doc, &mut out);
        assert!(out.starts_with(b"%PDF-1.7\n%"));
        assert!(out.ends_with(b"%%EOF\n"));
        let back = Document::load_mem(&out).unwrap();
        assert_eq!(
            back.get_pages().values().copied().collect::<Vec<_>>(),
            [page]
        );
        let stream = back.get_object(content).unwrap().as_stream().unwrap();
        assert_eq!(stream.content, b"0 0 m 10 10 l S");
        // Strings are written in hex: the same bytes, another notation.
        fn same(a: &Object, b: &Object) -> bool {
            match (a, b) {
                (Object::String(x, _), Object::String(y, _)) => x == y,
                (Object::Array(x), Object::Array(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
                }
                (Object::Dictionary(x), Object::Dictionary(y)) => {
                    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_ok_and(|w| same(v, w)))
                }
                _ => a == b,
            }
        }
        for (id, obj) in &doc.objects {
            if !matches!(obj, Object::Stream(_)) {
                assert!(same(back.get_object(*id).unwrap(), obj), "object {id:?}");
            }
        }
        assert!(back.get_object((2, 0)).is_err());
        for key in [&b"Root"[..], b"Info", b"ID"] {
            let (b, d) = (
                back.trailer.get(key).unwrap(),
                doc.trailer.get(key).unwrap(),
            );
            assert!(same(b, d), "{b:?} {d:?}");
        }
        assert_eq!(back.trailer.get(b"Size").unwrap().as_i64().unwrap(), 7);
    }

    #[test]
    fn a_streamed_document_parses_with_its_pages_in_order() {
        let mut buf = Vec::new();
        let mut s = PdfStream::new(&mut buf).unwrap();
        // Written out of order, as the handbook writes its body before its contents.
        let second = s
            .page(100.0, 200.0, b"0 0 1 rg 0 0 10 10 re f\n".repeat(10), false)
            .unwrap();
        let first = s.page(100.0, 200.0, Vec::new(), false).unwrap();
        let scratch = s.scratch();
        s.finish(
            scratch,
            Dictionary::new(),
            &[first, second],
            &[Bookmark {
                level: 1,
                title: "第一章".into(),
                page: 1,
            }],
            &[(0, LabelStyle::Roman), (1, LabelStyle::Arabic)],
            "手册",
            (2026, 11, 1),
        )
        .unwrap();
        let doc = lopdf::Document::load_mem(&buf).unwrap();
        let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
        assert_eq!(pages, vec![(first, 0), (second, 0)]);
        let content = doc.get_page_content(pages[1]);
        assert!(content.starts_with(b"0 0 1 rg"));
        let catalog = doc.catalog().unwrap();
        assert!(catalog.get(b"Outlines").is_ok());
        assert!(catalog.get(b"PageLabels").is_ok());
        assert_eq!(doc.version, "1.7");
    }

    #[test]
    fn the_reused_compressor_gives_each_stream_its_own_whole_zlib_data() {
        use std::io::Read;
        let inflate = |z: &[u8]| {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(z)
                .read_to_end(&mut out)
                .unwrap();
            out
        };
        let page = b"BT /F1 9 Tf 1 0 0 1 72 60 Tm <0102030405> Tj ET\n".repeat(2000);
        // Bytes that do not compress, longer than the first output buffer.
        let mut noise = Vec::new();
        let mut x: u32 = 7;
        for _ in 0..300_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            noise.push((x >> 16) as u8);
        }
        let folio = b"q BT /F1 8 Tf 280 30 Td <00a100b2> Tj ET Q q BT /F1 8 Tf Q".to_vec();
        for _ in 0..2 {
            let z = deflate(&page).unwrap();
            assert!(z.len() < page.len() / 10);
            assert_eq!(inflate(&z), page);
            assert_eq!(deflate(&noise), None);
            if let Some(z) = deflate(&folio) {
                assert_eq!(inflate(&z), folio);
            }
            assert_eq!(deflate(b"q Q"), None);
        }
    }

    #[test]
    fn a_page_is_the_dictionary_write_object_would_write() {
        let expected = |id: u32, w: f32, h: f32, layers: &[u32]| {
            let rect = Object::Array([0.0, 0.0, w, h].map(Object::Real).to_vec());
            let mut p = Dictionary::new();
            p.set("Type", Object::Name(b"Page".to_vec()));
            p.set("Parent", Object::Reference((PAGE_TREE, 0)));
            p.set("MediaBox", rect.clone());
            p.set("CropBox", rect.clone());
            p.set("TrimBox", rect);
            p.set("Resources", Object::Reference((RESOURCES, 0)));
            let contents = match layers {
                [one] => Object::Reference((*one, 0)),
                _ => Object::Array(layers.iter().map(|&l| Object::Reference((l, 0))).collect()),
            };
            p.set("Contents", contents);
            let mut out = format!("{id} 0 obj\n").into_bytes();
            write_object(&mut out, &Object::Dictionary(p));
            out.extend_from_slice(b"\nendobj\n");
            String::from_utf8(out).unwrap()
        };
        let mut buf = Vec::new();
        let mut s = PdfStream::new(&mut buf).unwrap();
        let start = s.pos as usize;
        let mut want = String::new();
        for (w, h, layers) in [
            (595.2756, 841.8898, vec![9]),
            (595.2756, 841.8898, vec![9, 10, 11]),
            (297.6378, 419.5276, vec![12]),
        ] {
            let id = s.page_of(w, h, &layers).unwrap();
            want.push_str(&expected(id, w, h, &layers));
        }
        drop(s);
        assert_eq!(String::from_utf8(buf[start..].to_vec()).unwrap(), want);
    }
}
