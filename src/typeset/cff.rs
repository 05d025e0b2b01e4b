//! Card-sized CFF subsets cut by copying glyph programs out of the build's subset.
//!
//! The build subsets each face once (`subsetter`, which also expands every subroutine),
//! so the build's CFF has no subroutines left and each glyph's charstring stands alone.
//! A card's subset is then those charstrings copied in the card's glyph order, with the
//! private dicts of the font dicts they use, and new offsets: no glyph is decompiled.
//! Asking `subsetter` to cut the card from the build subset instead decompiled and
//! recompiled every glyph of every card, more than half of writing 10,000 card PDFs.
//!
//! Only a CID-keyed CFF without subroutines is taken ([`Source::parse`] says `None`
//! otherwise, and the caller asks `subsetter`). The layout written (CFF spec, Adobe
//! TN 5176): header, Name INDEX, Top DICT INDEX, String INDEX, an empty Global Subr
//! INDEX, the private dicts, FDArray, charset, FDSelect, CharStrings.

use std::ops::Range;

/// The build's CFF, parsed once: where each part lies.
pub(crate) struct Source {
    cff: Vec<u8>,
    name_index: Range<usize>,
    top_dict: Vec<Token>,
    string_index: Range<usize>,
    /// Each glyph's charstring.
    charstrings: Vec<Range<usize>>,
    /// Each glyph's font dict.
    fd_select: Vec<u8>,
    /// Each font dict: its tokens and its private dict.
    font_dicts: Vec<(Vec<Token>, Range<usize>)>,
}

/// One DICT entry: the operands as written, and the operator (two-byte operators as
/// `1200 + second byte`).
#[derive(Clone)]
struct Token {
    operands: Range<usize>,
    op: u16,
}

const CHARSET: u16 = 15;
const CHARSTRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const ROS: u16 = 1230;
const FD_ARRAY: u16 = 1236;
const FD_SELECT: u16 = 1237;

impl Source {
    /// Reads `cff` (a CFF table). `None` when it is not CID-keyed, has subroutines, or
    /// is damaged.
    pub(crate) fn parse(cff: &[u8]) -> Option<Source> {
        let header = usize::from(*cff.get(2)?);
        let (name_index, _) = index(cff, header)?;
        let (top_index, tops) = index(cff, name_index.end)?;
        let (string_index, _) = index(cff, top_index.end)?;
        let (_, gsubrs) = index(cff, string_index.end)?;
        if !gsubrs.is_empty() || tops.len() != 1 {
            return None;
        }
        let top_dict = dict(cff, tops[0].clone())?;
        let find = |op| top_dict.iter().find(|t| t.op == op);
        find(ROS)?;
        let offset = |op| {
            let t = find(op)?;
            usize::try_from(*ints(cff, t.operands.clone())?.first()?).ok()
        };
        let (_, charstrings) = index(cff, offset(CHARSTRINGS)?)?;
        let glyphs = charstrings.len();
        let (_, fds) = index(cff, offset(FD_ARRAY)?)?;
        // Font dict numbers are bytes, and 255 marks one not yet numbered in `subset`.
        if fds.len() >= usize::from(u8::MAX) {
            return None;
        }
        let mut font_dicts = Vec::with_capacity(fds.len());
        for fd in fds {
            let tokens = dict(cff, fd)?;
            let private = tokens.iter().find(|t| t.op == PRIVATE)?;
            let &[len, at] = ints(cff, private.operands.clone())?.as_slice() else {
                return None;
            };
            let (len, at) = (usize::try_from(len).ok()?, usize::try_from(at).ok()?);
            let range = at..at.checked_add(len)?;
            cff.get(range.clone())?;
            // Local subroutines would be lost with their offset.
            if dict(cff, range.clone())?.iter().any(|t| t.op == SUBRS) {
                return None;
            }
            font_dicts.push((tokens, range));
        }
        let fd_select = fd_select(cff, offset(FD_SELECT)?, glyphs)?;
        if fd_select
            .iter()
            .any(|&fd| usize::from(fd) >= font_dicts.len())
        {
            return None;
        }
        Some(Source {
            cff: cff.to_vec(),
            name_index,
            top_dict,
            string_index,
            charstrings,
            fd_select,
            font_dicts,
        })
    }

    /// A CFF of `.notdef` and then `glyphs` (glyph ids in this CFF), in that order: the
    /// new glyph ids (and CIDs) are 0, 1, 2, …. `None` for a glyph it does not have.
    pub(crate) fn subset(&self, glyphs: impl Iterator<Item = u16>) -> Option<Vec<u8>> {
        let cff = &self.cff;
        let mut order = vec![0u16];
        order.extend(glyphs);
        if order.len() > usize::from(u16::MAX) {
            return None;
        }
        // Font dicts in order of first use.
        let mut fd_new = vec![u8::MAX; self.font_dicts.len()];
        let mut fds: Vec<usize> = Vec::new();
        let mut select = Vec::with_capacity(order.len());
        for &g in &order {
            let old = usize::from(*self.fd_select.get(usize::from(g))?);
            if fd_new[old] == u8::MAX {
                fd_new[old] = fds.len() as u8;
                fds.push(old);
            }
            select.push(fd_new[old]);
        }

        // Everything up to the private dicts has a size known before the offsets are:
        // each offset is written in five bytes.
        let top_len = self.top_dict_bytes(&[0; 4]).len();
        let start = 4
            + self.name_index.len()
            + index_header_len(1, top_len)
            + top_len
            + self.string_index.len()
            + 2;
        let mut privates = Vec::new();
        let mut font_dicts: Vec<Vec<u8>> = Vec::with_capacity(fds.len());
        for &fd in &fds {
            let (tokens, private) = &self.font_dicts[fd];
            let at = start + privates.len();
            privates.extend_from_slice(&cff[private.clone()]);
            let mut d = Vec::new();
            for t in tokens {
                if t.op == PRIVATE {
                    int5(&mut d, private.len());
                    int5(&mut d, at);
                } else {
                    d.extend_from_slice(&cff[t.operands.clone()]);
                }
                op(&mut d, t.op);
            }
            font_dicts.push(d);
        }
        let fd_array = start + privates.len();
        let mut fd_array_index = Vec::new();
        write_index_into(&mut fd_array_index, font_dicts.iter().map(Vec::as_slice));
        let charset = fd_array + fd_array_index.len();
        // Format 2, one range: glyph i has CID i. A lone .notdef needs none (format 0).
        let charset_bytes: Vec<u8> = if order.len() > 1 {
            let left = (order.len() - 2) as u16;
            [&[2u8, 0, 1][..], &left.to_be_bytes()].concat()
        } else {
            vec![0]
        };
        let fd_select = charset + charset_bytes.len();
        let charstrings = fd_select + 1 + select.len();

        let programs: Option<Vec<&[u8]>> = order
            .iter()
            .map(|&g| Some(&cff[self.charstrings.get(usize::from(g))?.clone()]))
            .collect();
        let programs = programs?;
        let program_bytes: usize = programs.iter().map(|p| p.len()).sum();
        // Sized to the byte: the glyph programs are most of a card's font, and growing
        // the buffer for them copied each subset again (two a card).
        let mut out = Vec::with_capacity(
            charstrings + index_header_len(programs.len(), program_bytes) + program_bytes,
        );
        out.extend_from_slice(&[1, 0, 4, 4]);
        out.extend_from_slice(&cff[self.name_index.clone()]);
        let top = self.top_dict_bytes(&[charset, charstrings, fd_array, fd_select]);
        write_index_into(&mut out, std::iter::once(top.as_slice()));
        out.extend_from_slice(&cff[self.string_index.clone()]);
        out.extend_from_slice(&[0, 0]);
        debug_assert_eq!(out.len(), start);
        out.extend(privates);
        out.extend(fd_array_index);
        out.extend(charset_bytes);
        out.push(0);
        out.extend(select);
        write_index_into(&mut out, programs.iter().copied());
        Some(out)
    }

    /// The Top DICT with `offsets` (charset, CharStrings, FDArray, FDSelect) in place of
    /// the build's.
    fn top_dict_bytes(&self, offsets: &[usize; 4]) -> Vec<u8> {
        let mut d = Vec::new();
        for t in &self.top_dict {
            match t.op {
                CHARSET => int5(&mut d, offsets[0]),
                CHARSTRINGS => int5(&mut d, offsets[1]),
                FD_ARRAY => int5(&mut d, offsets[2]),
                FD_SELECT => int5(&mut d, offsets[3]),
                _ => d.extend_from_slice(&self.cff[t.operands.clone()]),
            }
            op(&mut d, t.op);
        }
        d
    }
}

/// The INDEX at `at`: the bytes it spans and each item's range.
fn index(cff: &[u8], at: usize) -> Option<(Range<usize>, Vec<Range<usize>>)> {
    let count = usize::from(u16::from_be_bytes([*cff.get(at)?, *cff.get(at + 1)?]));
    if count == 0 {
        return Some((at..at + 2, Vec::new()));
    }
    let size = usize::from(*cff.get(at + 2)?);
    if !(1..=4).contains(&size) {
        return None;
    }
    let offsets = at + 3;
    let data = offsets + (count + 1) * size - 1;
    let read = |i: usize| -> Option<usize> {
        let b = cff.get(offsets + i * size..offsets + (i + 1) * size)?;
        Some(b.iter().fold(0usize, |v, &x| v << 8 | usize::from(x)))
    };
    let mut items = Vec::with_capacity(count);
    let mut prev = read(0)?;
    for i in 1..=count {
        let next = read(i)?;
        if next < prev || prev == 0 {
            return None;
        }
        items.push(data + prev..data + next);
        prev = next;
    }
    let end = data + prev;
    (end <= cff.len()).then_some((at..end, items))
}

/// An INDEX of `items`, appended to `out`.
fn write_index_into<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a [u8]> + Clone) {
    let count = items.clone().count();
    let total: usize = items.clone().map(<[u8]>::len).sum();
    let size = offset_size(total + 1);
    out.reserve(index_header_len(count, total) + total);
    out.extend_from_slice(&(count as u16).to_be_bytes());
    if count == 0 {
        return;
    }
    out.push(size as u8);
    let mut offset = 1usize;
    let put = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&v.to_be_bytes()[8 - size..]);
    put(out, offset);
    for item in items.clone() {
        offset += item.len();
        put(out, offset);
    }
    for item in items {
        out.extend_from_slice(item);
    }
}

fn offset_size(max: usize) -> usize {
    match max {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    }
}

/// Bytes before the data of an INDEX of `count` items, `total` bytes of data.
fn index_header_len(count: usize, total: usize) -> usize {
    if count == 0 {
        2
    } else {
        3 + (count + 1) * offset_size(total + 1)
    }
}

/// The entries of the DICT in `range`.
fn dict(cff: &[u8], range: Range<usize>) -> Option<Vec<Token>> {
    let bytes = cff.get(range.clone())?;
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut operands = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0..=21 => {
                let op = if b == 12 {
                    i += 1;
                    1200 + u16::from(*bytes.get(i)?)
                } else {
                    u16::from(b)
                };
                tokens.push(Token {
                    operands: range.start + operands..range.start + i - usize::from(b == 12),
                    op,
                });
                i += 1;
                operands = i;
            }
            28 => i += 3,
            29 => i += 5,
            30 => {
                // A real: nibbles up to the end nibble 0xf.
                i += 1;
                loop {
                    let n = *bytes.get(i)?;
                    i += 1;
                    if n & 0x0F == 0x0F || n >> 4 == 0x0F {
                        break;
                    }
                }
            }
            32..=246 => i += 1,
            247..=254 => i += 2,
            _ => return None,
        }
    }
    (operands == bytes.len()).then_some(tokens)
}

/// The integer operands in `range` (`None` if any is not an integer).
fn ints(cff: &[u8], range: Range<usize>) -> Option<Vec<i64>> {
    let b = cff.get(range)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let v = match b[i] {
            28 => {
                i += 3;
                i64::from(i16::from_be_bytes([*b.get(i - 2)?, *b.get(i - 1)?]))
            }
            29 => {
                i += 5;
                i64::from(i32::from_be_bytes(b.get(i - 4..i)?.try_into().ok()?))
            }
            x @ 32..=246 => {
                i += 1;
                i64::from(x) - 139
            }
            x @ 247..=250 => {
                i += 2;
                (i64::from(x) - 247) * 256 + i64::from(*b.get(i - 1)?) + 108
            }
            x @ 251..=254 => {
                i += 2;
                -(i64::from(x) - 251) * 256 - i64::from(*b.get(i - 1)?) - 108
            }
            _ => return None,
        };
        out.push(v);
    }
    Some(out)
}

/// Each glyph's font dict from the FDSelect at `at` (format 0 or 3).
fn fd_select(cff: &[u8], at: usize, glyphs: usize) -> Option<Vec<u8>> {
    match *cff.get(at)? {
        0 => Some(cff.get(at + 1..at + 1 + glyphs)?.to_vec()),
        3 => {
            let n = usize::from(u16::from_be_bytes([*cff.get(at + 1)?, *cff.get(at + 2)?]));
            let range = |k: usize| -> Option<(usize, u8)> {
                let p = at + 3 + k * 3;
                let first = usize::from(u16::from_be_bytes([*cff.get(p)?, *cff.get(p + 1)?]));
                Some((first, *cff.get(p + 2)?))
            };
            let mut out = Vec::with_capacity(glyphs);
            for k in 0..n {
                let (first, fd) = range(k)?;
                let next = if k + 1 < n {
                    range(k + 1)?.0
                } else {
                    let p = at + 3 + n * 3;
                    usize::from(u16::from_be_bytes([*cff.get(p)?, *cff.get(p + 1)?]))
                };
                if first != out.len() || next < first {
                    return None;
                }
                out.resize(next, fd);
            }
            (out.len() == glyphs).then_some(out)
        }
        _ => None,
    }
}

/// An offset as a five-byte integer, so that its size never depends on its value.
fn int5(d: &mut Vec<u8>, v: usize) {
    d.push(29);
    d.extend_from_slice(&(v as i32).to_be_bytes());
}

fn op(d: &mut Vec<u8>, op: u16) {
    if op >= 1200 {
        d.extend_from_slice(&[12, (op - 1200) as u8]);
    } else {
        d.push(op as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ttf_parser::{GlyphId, OutlineBuilder};

    /// A glyph's outline as text, to compare two fonts' glyphs.
    #[derive(Default)]
    struct Path(String);

    impl OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x} {y}");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x} {y}");
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0 += &format!("Q{x1} {y1} {x} {y}");
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0 += &format!("C{x1} {y1} {x2} {y2} {x} {y}");
        }
        fn close(&mut self) {
            self.0 += "Z";
        }
    }

    fn cff_of(otf: &[u8]) -> Vec<u8> {
        let raw = ttf_parser::RawFace::parse(otf, 0).unwrap();
        raw.table(ttf_parser::Tag::from_bytes(b"CFF "))
            .unwrap()
            .to_vec()
    }

    fn outline(cff: &ttf_parser::cff::Table, g: u16) -> String {
        let mut p = Path::default();
        let _ = cff.outline(GlyphId(g), &mut p);
        p.0
    }

    fn subset(face: &[u8], gids: &[u16]) -> Vec<u8> {
        let mut remapper = subsetter::GlyphRemapper::new();
        for &g in gids {
            remapper.remap(g);
        }
        subsetter::subset(face, 0, &remapper).unwrap()
    }

    #[test]
    fn a_copied_subset_draws_what_subsetter_cuts() {
        let face = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/fonts/NotoSansCJKsc-Regular.otf"),
        )
        .unwrap();
        let font = ttf_parser::Face::parse(&face, 0).unwrap();
        let text = "义务教育营养改善计划政策解读：咨询电话 0731-12345678，Hello（全角）「引号」。";
        let mut build: Vec<u16> = text
            .chars()
            .filter_map(|c| font.glyph_index(c).map(|g| g.0))
            .collect();
        build.sort_unstable();
        build.dedup();
        // The full face has subroutines: it is left to subsetter.
        assert!(Source::parse(&cff_of(&face)).is_none());

        let build_otf = subset(&face, &build);
        let build_cff = cff_of(&build_otf);
        let source = Source::parse(&build_cff).expect("the build subset has no subroutines");
        // A card's glyphs, in the card's own order, as build-subset ids.
        let card: Vec<u16> = [9u16, 2, 17, 5, 30, 1, 12]
            .into_iter()
            .filter(|&g| usize::from(g) <= build.len())
            .collect();
        let ours = source.subset(card.iter().copied()).unwrap();
        let theirs = cff_of(&subset(&build_otf, &card));

        let ours = ttf_parser::cff::Table::parse(&ours).expect("a CFF others can read");
        let theirs = ttf_parser::cff::Table::parse(&theirs).unwrap();
        assert_eq!(ours.number_of_glyphs(), theirs.number_of_glyphs());
        let mut drawn = 0;
        for g in 0..ours.number_of_glyphs() {
            assert_eq!(ours.glyph_cid(GlyphId(g)), Some(g));
            let (a, b) = (outline(&ours, g), outline(&theirs, g));
            assert_eq!(a, b, "glyph {g}");
            if g > 0 {
                // And what the whole face draws for that glyph.
                let original = build[usize::from(card[usize::from(g) - 1]) - 1];
                let mut p = Path::default();
                font.outline_glyph(GlyphId(original), &mut p);
                assert_eq!(a, p.0, "glyph {g} (face glyph {original})");
                drawn += usize::from(!a.is_empty());
            }
        }
        assert!(drawn >= card.len() - 1, "only the space draws nothing");
        assert_eq!(ours.matrix().sx, theirs.matrix().sx);
    }

    #[test]
    fn damaged_bytes_are_refused_not_panicked_on() {
        let face = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/fonts/NotoSansCJKsc-Regular.otf"),
        )
        .unwrap();
        let cff = cff_of(&subset(&face, &[1, 2, 3, 4, 5]));
        assert!(Source::parse(&cff).is_some());
        for cut in (0..cff.len()).step_by(7) {
            if let Some(s) = Source::parse(&cff[..cut]) {
                let _ = s.subset([1u16, 2].into_iter());
            }
        }
        let mut flipped = cff.clone();
        for i in (0..flipped.len()).step_by(3) {
            flipped[i] ^= 0xA5;
            if let Some(s) = Source::parse(&flipped) {
                let _ = s.subset([1u16, 2, 40_000].into_iter());
            }
            flipped[i] ^= 0xA5;
        }
        let s = Source::parse(&cff).unwrap();
        assert!(s.subset([99u16].into_iter()).is_none(), "a glyph it lacks");
    }
}
