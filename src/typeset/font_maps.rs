//! What a PDF reader needs beside a CID font's program: its widths (`/W` over `/DW`)
//! and its ToUnicode CMap (so text copies and searches as the characters it draws).
//! Both are written for the CIDs a subset numbers 1, 2, … in glyph order.

use lopdf::Object;

/// Width of a glyph the /W array leaves out (/DW): a full em, as nearly every Chinese
/// character and full-width mark is.
pub(crate) const DEFAULT_WIDTH: i64 = 1000;

/// The /W array of a CID font whose CIDs 1, 2, … have `widths` (1/1000 em): only the
/// glyphs not [`DEFAULT_WIDTH`] wide, each run of consecutive ones as `c [w1 w2 …]`.
/// With every glyph listed, the two arrays were a card's biggest objects written as
/// text (font dictionaries are not compressed), each number formatted by lopdf.
pub(crate) fn widths_array(widths: impl Iterator<Item = i64>) -> Vec<Object> {
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut start = 0;
    for (cid, w) in (1..).zip(widths) {
        if w == DEFAULT_WIDTH {
            if !run.is_empty() {
                out.push(Object::Integer(start));
                out.push(Object::Array(std::mem::take(&mut run)));
            }
            continue;
        }
        if run.is_empty() {
            start = cid;
        }
        run.push(Object::Integer(w));
    }
    if !run.is_empty() {
        out.push(Object::Integer(start));
        out.push(Object::Array(run));
    }
    out
}

/// The ToUnicode CMap of a font whose CIDs 1, 2, … draw `chars`. The CIDs are
/// consecutive, so each run of up to 256 (codes that differ only in their last byte, as
/// a range must) is one `bfrange` with the characters in an array: half the bytes of a
/// `bfchar` line a glyph, and so half the map's deflating (two maps a card).
pub(crate) fn to_unicode(chars: impl Iterator<Item = char>) -> Vec<u8> {
    use super::pdf_stream::hex;
    let chars: Vec<char> = chars.collect();
    let mut s = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        .to_vec();
    s.reserve(chars.len() * 8 + 160);
    // Written a byte at a time: a `format!` per glyph was a third of embedding a
    // card's fonts (a few hundred glyphs each, 10,000 cards).
    let hex4 = |s: &mut Vec<u8>, v: u16| v.to_be_bytes().into_iter().for_each(|b| hex(s, b));
    // Ranges from CID 1: 1–255, 256–511, …; at most 100 in a block.
    let mut ranges = Vec::new();
    let mut lo = 1usize;
    while lo <= chars.len() {
        let hi = ((lo | 0xff).min(chars.len())).min(usize::from(u16::MAX));
        ranges.push((lo, hi));
        if hi == usize::from(u16::MAX) {
            break;
        }
        lo = hi + 1;
    }
    for block in ranges.chunks(100) {
        s.extend_from_slice(block.len().to_string().as_bytes());
        s.extend_from_slice(b" beginbfrange\n");
        for &(lo, hi) in block {
            s.push(b'<');
            hex4(&mut s, lo as u16);
            s.extend_from_slice(b"> <");
            hex4(&mut s, hi as u16);
            s.extend_from_slice(b"> [");
            for c in &chars[lo - 1..hi] {
                s.push(b'<');
                let mut units = [0u16; 2];
                for &u in c.encode_utf16(&mut units).iter() {
                    hex4(&mut s, u);
                }
                s.extend_from_slice(b"> ");
            }
            s.pop();
            s.extend_from_slice(b"]\n");
        }
        s.extend_from_slice(b"endbfrange\n");
    }
    s.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_handles_supplementary_characters() {
        let cmap = String::from_utf8(to_unicode(['中', '𠮷'].into_iter())).unwrap();
        assert!(cmap.contains("1 beginbfrange\n<0001> <0002> [<4E2D> <D842DFB7>]\nendbfrange"));
    }

    /// Ranges stop where a code's first byte changes, a block holds at most 100, and
    /// every CID maps to its character.
    #[test]
    fn to_unicode_ranges_keep_to_one_first_byte() {
        let chars: Vec<char> = (0..70_000u32)
            .map(|i| char::from_u32(0x4e00 + i % 20_000).unwrap())
            .collect();
        let cmap = String::from_utf8(to_unicode(chars.iter().copied())).unwrap();
        let mut seen = 0;
        for line in cmap
            .lines()
            .filter(|l| l.starts_with('<') && l.contains('['))
        {
            let code = |i: usize| u32::from_str_radix(&line[i + 1..i + 5], 16).unwrap();
            let (lo, hi) = (code(0), code(7));
            assert_eq!(lo >> 8, hi >> 8, "{}", &line[..13]);
            let dst: Vec<&str> = line[15..line.len() - 1].split(' ').collect();
            assert_eq!(dst.len() as u32, hi - lo + 1);
            for (k, d) in dst.iter().enumerate() {
                let c = chars[(lo as usize) + k - 1];
                assert_eq!(*d, format!("<{:04X}>", c as u32));
            }
            seen = hi;
        }
        // The codes end at 65,535: what a two-byte code holds.
        assert_eq!(seen, 0xffff);
        let blocks: Vec<&str> = cmap.split(" beginbfrange").collect();
        assert_eq!(blocks.len(), 4);
        for b in &blocks[..3] {
            assert!(b.lines().last().unwrap().parse::<usize>().unwrap() <= 100);
        }
    }

    #[test]
    fn widths_list_only_glyphs_not_an_em_wide() {
        let w = widths_array([1000, 500, 520, 1000, 1000, 250].into_iter());
        let ints = |v: &[i64]| v.iter().map(|&n| Object::Integer(n)).collect::<Vec<_>>();
        assert_eq!(
            w,
            vec![
                Object::Integer(2),
                Object::Array(ints(&[500, 520])),
                Object::Integer(6),
                Object::Array(ints(&[250])),
            ]
        );
        assert!(widths_array([1000, 1000].into_iter()).is_empty());
    }
}
