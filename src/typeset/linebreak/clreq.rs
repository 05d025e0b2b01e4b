//! Chinese spacing rules from W3C "Requirements for Chinese Text Layout" (clreq):
//! punctuation compression (标点挤压, §3.1.6: 全角式 and 开明式), the quarter em
//! between Han characters and Latin letters or digits (§3.2), the continuous
//! 破折号 ——, and quotation marks breakable on their Chinese side (the East Asian
//! treatment of UAX #14 LB19).
//!
//! Everything here is per paragraph and per atom: how much blank a mark may give up
//! inside a line, at a line start and at a line end, and what fixed space comes before
//! an atom. The line breaker decides where lines end; [`Spacing`] says how wide each
//! piece is once it knows.

use super::Atom;
use crate::config::Punctuation;

/// How Chinese text is spaced: site.toml `[print] punctuation` and `han_latin_space`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Typography {
    pub punctuation: Punctuation,
    /// In em of the Han character; 0 for none.
    pub han_latin_space: f32,
}

impl Default for Typography {
    fn default() -> Self {
        Typography {
            punctuation: Punctuation::Quanjiao,
            han_latin_space: 0.25,
        }
    }
}

/// Opening marks: in a full-width box the left half is blank.
const OPEN: &[char] = &[
    '（', '〔', '［', '｛', '〈', '《', '「', '『', '【', '〖', '〘', '〚', '“', '‘',
];
/// Closing marks: the right half is blank.
const CLOSE: &[char] = &[
    '）', '〕', '］', '｝', '〉', '》', '」', '』', '】', '〗', '〙', '〛', '”', '’',
];
/// Pause and end-of-sentence marks: in Simplified Chinese fonts they sit in the
/// left half (。，、 lower left), so the right half is blank.
const STOP: &[char] = &['、', '，', '。', '．', '；', '：', '！', '？'];

/// Marks drawn as one continuous line when doubled (破折号).
const DASHES: &[char] = &['—', '―', '⸺'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Class {
    Open,
    Close,
    Stop,
    #[default]
    Other,
}

/// Whether `c` lies where every mark above does (General and Supplemental
/// Punctuation, CJK Symbols and Punctuation, Fullwidth Forms): a range test that spares
/// each Han character, nearly all of a text, the scans of the lists.
fn maybe_mark(c: char) -> bool {
    let u = c as u32;
    // ASCII and the common ideographs, nearly every character, answered first.
    u >= 0x2010
        && !(0x4E00..=0x9FFF).contains(&u)
        && matches!(u, 0x2010..=0x2E7F | 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Which half of a mark is blank, by its character alone (for extent checks, which
/// see only the text): `(left, right)` as fractions of the advance.
pub(crate) fn blank_halves(c: char) -> (f32, f32) {
    if !maybe_mark(c) {
        (0.0, 0.0)
    } else if OPEN.contains(&c) {
        (0.5, 0.0)
    } else if CLOSE.contains(&c) || STOP.contains(&c) {
        (0.0, 0.5)
    } else {
        (0.0, 0.0)
    }
}

/// The characters whose ink [`needs_ink`] (fonts measure them once, when loaded).
pub(crate) fn inked_chars() -> impl Iterator<Item = char> {
    OPEN.iter().chain(CLOSE).chain(STOP).chain(DASHES).copied()
}

/// Whether the ink of `c` is worth measuring when shaping (marks and dashes).
#[inline]
pub(crate) fn needs_ink(c: char) -> bool {
    maybe_mark(c) && inked_chars().any(|m| m == c)
}

/// The class of a full-width mark whose font really leaves the expected half blank
/// (a font that centres ？ gets no compression of ？, rather than a clash).
fn class(a: &Atom) -> Class {
    if a.glyph.advance < 0.9 || !maybe_mark(a.ch) {
        return Class::Other;
    }
    let c = a.ch;
    let blank = 0.4 * a.width;
    if OPEN.contains(&c) && a.ink[0] >= blank {
        Class::Open
    } else if CLOSE.contains(&c) && a.width - a.ink[1] >= blank {
        Class::Close
    } else if STOP.contains(&c) && a.width - a.ink[1] >= blank {
        Class::Stop
    } else {
        Class::Other
    }
}

/// The most of its advance a compressed mark gives up: a hair under half, because
/// text extraction (poppler, behind pdftotext and many viewers' copy) ends a line
/// where a glyph overlaps the previous one by half an em or more, and a pair set at
/// exactly half an em would come out of a PDF as two lines.
pub(crate) const HALF: f32 = 0.47;

/// Blank on the left a mark may give up (never ink).
fn blank_l(a: &Atom) -> f32 {
    a.ink[0].clamp(0.0, HALF * a.width)
}

fn blank_r(a: &Atom) -> f32 {
    (a.width - a.ink[1]).clamp(0.0, HALF * a.width)
}

/// Han ideographs (not punctuation, not kana).
fn is_han(c: char) -> bool {
    crate::markdown::is_han(c) || c == '〇'
}

/// Latin letters and digits (not full-width forms, which are set like Han).
fn is_latin(c: char) -> bool {
    // The ranges first: `is_alphabetic` is a slow table search, and most text is Han;
    // General Punctuation (“ ” — …, in most paragraphs) holds no letter.
    let u = c as u32;
    c.is_ascii_alphanumeric()
        || ((0xC0..0x2E80).contains(&u) && !(0x2000..=0x206F).contains(&u) && c.is_alphabetic())
}

/// Whether the line breaker may break between `prev` and `next` although UAX #14
/// LB19 glues quotation marks to both neighbours: “ ‘ after, and ” ’ before, a
/// full-width character (Unicode 15.1 LB19a; unicode-linebreak predates it).
pub(crate) fn quote_break(prev: &Atom, next: &Atom) -> bool {
    let wide = |a: &Atom| a.cjk && a.glyph.advance >= 0.9 && !a.space;
    (matches!(next.ch, '“' | '‘') && wide(next) && wide(prev))
        || (matches!(prev.ch, '”' | '’') && wide(prev) && wide(next))
}

/// What the clreq rules make of one atom, in pt.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Space {
    /// Blank removed on the left inside a line (the glyph is drawn that much left).
    trim_l: f32,
    /// Blank removed on the right inside a line.
    trim_r: f32,
    /// Left blank removed when the atom starts a line (opening marks: half).
    start_trim: f32,
    /// Right blank a mark may give up at a line end rather than push a character
    /// to the next line. (Inside a line marks keep their width: squeezing one comma
    /// of a line shows, and text run up to a table cell's edge reads, in extracted
    /// text, as one column with the next cell.)
    pub(crate) end_shrink: f32,
    /// Fixed space before the atom (Han–Latin), dropped at a line start.
    glue: f32,
    /// Drawing offset (doubled dashes pulled together).
    pub(crate) dx: f32,
    /// Justification adds nothing before this atom (compressed pairs, Han–Latin
    /// space, the halves of —— and ……).
    pub(crate) rigid: bool,
    class: Class,
}

/// Widths of one paragraph's atoms under the clreq rules: one record per atom, in one
/// list (eight lists a paragraph were a twentieth of laying out a handbook, in the
/// allocator, and the breaker reads all of an atom's fields together).
#[derive(Debug, Clone)]
pub(crate) struct Spacing(Vec<Space>);

impl std::ops::Index<usize> for Spacing {
    type Output = Space;
    fn index(&self, i: usize) -> &Space {
        &self.0[i]
    }
}

impl Spacing {
    pub(crate) fn new(atoms: &[Atom], typo: &Typography) -> Spacing {
        let n = atoms.len();
        let mut s: Vec<Space> = if typo.punctuation == Punctuation::None {
            vec![Space::default(); n]
        } else {
            atoms
                .iter()
                .map(|a| Space {
                    class: class(a),
                    ..Space::default()
                })
                .collect()
        };
        if typo.punctuation == Punctuation::Kaiming {
            // 开明式: brackets, quotes and book-title marks half width; pause and
            // end-of-sentence marks keep their full width.
            for (sp, a) in s.iter_mut().zip(atoms) {
                match sp.class {
                    Class::Open => sp.trim_l = blank_l(a),
                    Class::Close => sp.trim_r = blank_r(a),
                    _ => {}
                }
            }
        }
        // Adjacent marks: a pair never takes more than one and a half em (the blank
        // halves facing each other are not both kept).
        for i in 0..n.saturating_sub(1) {
            let (ca, cb) = (s[i].class, s[i + 1].class);
            if ca == Class::Other || cb == Class::Other {
                continue;
            }
            let (a, b) = (&atoms[i], &atoms[i + 1]);
            let em = a.width.max(b.width);
            let pair =
                a.width - s[i].trim_l - s[i].trim_r + b.width - s[i + 1].trim_l - s[i + 1].trim_r;
            if pair <= 1.5 * em + 0.01 {
                continue;
            }
            if matches!(ca, Class::Close | Class::Stop) && s[i].trim_r == 0.0 {
                s[i].trim_r = blank_r(a);
            } else if cb == Class::Open && s[i + 1].trim_l == 0.0 {
                s[i + 1].trim_l = blank_l(b);
            } else if matches!(cb, Class::Close | Class::Stop) && s[i + 1].trim_r == 0.0 {
                s[i + 1].trim_r = blank_r(b);
            } else {
                continue;
            }
            s[i + 1].rigid = true;
        }
        for (sp, a) in s.iter_mut().zip(atoms) {
            match sp.class {
                Class::Open => sp.start_trim = blank_l(a).max(sp.trim_l),
                Class::Close | Class::Stop => sp.end_shrink = blank_r(a) - sp.trim_r,
                Class::Other => {}
            }
        }
        // The rules of pairs of neighbours in one walk: Han–Latin space, combining
        // marks, ——, ……. Between two ideographs, nearly every pair, none applies.
        // (Five walks of the paragraph, one a rule, were a fifth of breaking it.)
        let mut dash_pair_end = 0;
        for i in 1..n {
            let (p, c) = (atoms[i - 1].ch, atoms[i].ch);
            if crate::markdown::is_han(p) && crate::markdown::is_han(c) {
                continue;
            }
            if typo.han_latin_space > 0.0 {
                // The letter a mark is set over stands for the two (ǎ汉 as a汉).
                let mut before = i - 1;
                while before > 0 && super::is_combining(atoms[before].ch) {
                    before -= 1;
                }
                let p = atoms[before].ch;
                let em = if is_han(p) && is_latin(c) {
                    Some(atoms[before].width)
                } else if is_latin(p) && is_han(c) {
                    Some(atoms[i].width)
                } else {
                    None
                };
                if let Some(em) = em {
                    s[i].glue = typo.han_latin_space * em;
                    s[i].rigid = true;
                }
            }
            if super::is_combining(c) {
                combining_mark(atoms, &mut s, i);
            }
            // 破折号: two dashes drawn touching (each pulled half the blank between
            // their inks towards the other, and a hair more so no seam shows), inside
            // their two-em box; a third dash starts the next pair. 省略号 keeps its
            // even dots: only held rigid.
            let (a, b) = (&atoms[i - 1], &atoms[i]);
            if i > dash_pair_end && a.ch == b.ch && DASHES.contains(&a.ch) && a.glyph.advance >= 0.9
            {
                let gap = (a.width - a.ink[1]).max(0.0) + b.ink[0].max(0.0);
                let pull = gap / 2.0 + 0.02 * a.width;
                s[i - 1].dx += pull;
                s[i].dx -= pull;
                s[i].rigid = true;
                dash_pair_end = i + 1;
            } else if i > dash_pair_end && a.ch == '…' && b.ch == '…' {
                s[i].rigid = true;
            }
        }
        Spacing(s)
    }

    /// Left trim of atom `i` on a line starting at `start`.
    pub(crate) fn left(&self, i: usize, start: usize) -> f32 {
        let s = &self.0[i];
        if i == start {
            s.trim_l.max(s.start_trim)
        } else {
            s.trim_l
        }
    }

    /// The room atom `i` takes on a line starting at `start`: its box without the
    /// trimmed blanks, plus the fixed space before it.
    pub(crate) fn room(&self, atoms: &[Atom], i: usize, start: usize) -> f32 {
        let s = &self.0[i];
        let (glue, left) = if i > start {
            (s.glue, s.trim_l)
        } else {
            (0.0, s.trim_l.max(s.start_trim))
        };
        glue + atoms[i].width - left - s.trim_r
    }

    pub(crate) fn glue(&self, i: usize, start: usize) -> f32 {
        if i > start { self.0[i].glue } else { 0.0 }
    }
}

/// A combining mark left as it was typed at `i` (no one character for it and its
/// letter, or none in the font) takes no room: it is drawn with the middle of its ink
/// over the middle of the character before it, and justification puts nothing between
/// the two. (Not after a space or at a paragraph's start, where it has nothing to sit
/// on.)
fn combining_mark(atoms: &[Atom], s: &mut [Space], i: usize) {
    let m = &atoms[i];
    // Over the letter, past any marks set on it already.
    let Some(base) = atoms[..i].iter().rev().find(|a| !super::is_combining(a.ch)) else {
        return;
    };
    if base.space || base.ch == '\n' {
        return;
    }
    let ink_middle = (m.ink[0] + m.ink[1]) / 2.0;
    s[i] = Space {
        trim_l: m.width,
        start_trim: m.width,
        dx: m.width - base.width / 2.0 - ink_middle,
        rigid: true,
        ..Space::default()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_punctuation_holds_no_letter() {
        assert!(
            (0x2000..=0x206F)
                .filter_map(char::from_u32)
                .all(|c| !c.is_alphabetic())
        );
        assert!(is_latin('é') && is_latin('Ⅱ') && !is_latin('—') && !is_latin('“'));
    }

    #[test]
    fn every_mark_passes_the_range_test() {
        assert!(inked_chars().all(maybe_mark));
        assert!(!maybe_mark('政') && !maybe_mark('a') && !maybe_mark('1'));
        assert!(needs_ink('，') && !needs_ink('策'));
        assert_eq!(blank_halves('（'), (0.5, 0.0));
        assert_eq!(blank_halves('。'), (0.0, 0.5));
    }
}
