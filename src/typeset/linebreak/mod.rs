//! Chinese line breaking for print: text is set glyph by glyph with the font's own
//! advances, broken into lines that obey 禁则 (no line starts with ，。、；：？！）」』》—·～…,
//! none ends with （「『《), never splitting numbers, dates, phone numbers or Latin
//! words, and justified by spreading the slack between characters (last line ragged).
//!
//! Break opportunities come from UAX #14 (unicode-linebreak); the 禁则 tables below
//! then forbid the breaks it allows before dashes, middle dots and the like. The clreq
//! rules (punctuation compression, Han–Latin space, ——, quotation marks) are in
//! [`clreq`]; a paragraph never ends on a line of one character.

mod address;
mod clreq;

use clreq::Spacing;
pub(crate) use clreq::{Typography, blank_halves, inked_chars};

use super::fonts::{Fonts, Glyph, Weight};
use crate::markdown::is_han;

/// Characters that must not start a line (行首禁则).
pub(crate) const NO_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '》', '〉', '】', '〕', '〗', '〙',
    '〛', '｝', '］', '’', '”', '·', '・', '—', '～', '…', '‥', '％', '‰', '℃', '°', '．', '々',
    '〜', 'ー', ',', '.', ';', ':', '?', '!', ')', ']', '}', '%', '⸺', '–',
];

/// Characters that must not end a line (行尾禁则).
pub(crate) const NO_END: &[char] = &[
    '（', '「', '『', '《', '〈', '【', '〔', '〖', '〘', '〚', '｛', '［', '‘', '“', '(', '[', '{',
];

/// Whether `c` is in `list` ([`NO_START`] or [`NO_END`]): letters, digits and Han
/// characters (most of a text) are answered without a look through the list, which the
/// breaker asks about at nearly every pair of Han characters.
fn listed(c: char, list: &[char]) -> bool {
    !matches!(c, 'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{4e00}'..='\u{9fff}') && list.contains(&c)
}

fn no_start(c: char) -> bool {
    listed(c, NO_START)
}

fn no_end(c: char) -> bool {
    listed(c, NO_END)
}

/// Text style of a run, as far as line breaking needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RunStyle {
    pub size: f32,
    pub weight: Weight,
    pub color: [f32; 3],
}

/// One glyph of set text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Atom {
    pub ch: char,
    pub glyph: Glyph,
    /// Advance in pt.
    pub width: f32,
    /// Index of the run style in the paragraph.
    pub style: u16,
    pub space: bool,
    /// Takes part in inter-character justification (CJK characters and punctuation).
    pub cjk: bool,
    /// Left and right edges of the ink in pt from the glyph's origin (measured for
    /// punctuation and dashes; others are taken as filling their advance).
    pub ink: [f32; 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Justify,
    Center,
    Right,
}

/// A set line: which atoms (where each one goes is in [`Lines::x`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    /// Width used, from the left edge to the end of the last visible glyph.
    pub width: f32,
}

/// A paragraph's lines and where each atom goes: one list for the paragraph, not one a
/// line (a list a line was a tenth of the allocations of laying out a handbook).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lines {
    lines: Vec<Line>,
    /// x of each atom, from its line's left edge (indent included); atoms no line
    /// holds (the spaces a line was broken at) are left at 0.
    pub x: Vec<f32>,
}

impl std::ops::Deref for Lines {
    type Target = [Line];
    fn deref(&self) -> &[Line] {
        &self.lines
    }
}

/// Sets `runs` into atoms. Characters no font has are returned instead (the coverage
/// check reports them before layout, so this is a safety net, never a tofu box).
pub(crate) fn shape(
    fonts: &Fonts,
    runs: &[(String, RunStyle)],
) -> Result<(Vec<Atom>, Vec<RunStyle>), Vec<char>> {
    // At most an atom a character: growing the vector a character at a time was a
    // tenth of shaping (and half the bytes, the estimate before, fell short of text
    // with many Latin letters and digits).
    let mut atoms = Vec::with_capacity(runs.iter().map(|(t, _)| t.chars().count()).sum());
    let mut missing = Vec::new();
    let mut styles = Vec::with_capacity(runs.len());
    for (i, (text, style)) in runs.iter().enumerate() {
        styles.push(*style);
        for mut c in text.chars() {
            if c == '\t' || c == '\r' || c == '\u{a0}' {
                c = ' ';
            }
            if c.is_control() && c != '\n' {
                continue;
            }
            if c == '\n' {
                atoms.push(Atom {
                    ch: '\n',
                    glyph: Glyph {
                        face: 0,
                        gid: 0,
                        advance: 0.0,
                    },
                    width: 0.0,
                    style: i as u16,
                    space: true,
                    cjk: false,
                    ink: [0.0; 2],
                });
                continue;
            }
            // A combining mark (a tone or accent typed after its letter, as some input
            // methods and converters give pinyin): the two as one character where
            // Unicode has one and the font draws it (ǎ, ǜ, が), else the mark is set
            // over the character before it ([`clreq::Spacing::new`]).
            let mark = is_combining(c);
            if mark
                && let Some(prev) = atoms.last_mut()
                && let Some(k) = unicode_normalization::char::compose(prev.ch, c)
            {
                let st = styles[usize::from(prev.style)];
                if let Some(g) = fonts.glyph(k, st.weight) {
                    *prev = atom(fonts, k, g, &st, prev.style, false);
                    continue;
                }
            }
            match fonts.glyph(c, style.weight) {
                Some(g) => atoms.push(atom(fonts, c, g, style, i as u16, mark)),
                None => {
                    if !missing.contains(&c) {
                        missing.push(c);
                    }
                }
            }
        }
    }
    if missing.is_empty() {
        Ok((atoms, styles))
    } else {
        Err(missing)
    }
}

/// The atom of `c` drawn with glyph `g` in `style` (the paragraph's style `index`);
/// `mark`: a combining mark, whose ink is measured to set it over its character.
/// Inlined into the shaping loop: called once a character, the call and the atom
/// returned through memory were a seventh of its cost.
#[inline(always)]
fn atom(fonts: &Fonts, c: char, g: Glyph, style: &RunStyle, index: u16, mark: bool) -> Atom {
    let width = g.advance * style.size;
    let ink = if mark || clreq::needs_ink(c) {
        fonts
            .face(g.face)
            .ink(g.gid)
            .map_or([0.0, width], |(l, r)| [l * style.size, r * style.size])
    } else {
        [0.0, width]
    };
    Atom {
        ch: c,
        glyph: g,
        width,
        style: index,
        space: c == ' ' || c == '\u{3000}',
        cjk: crate::markdown::is_cjk(c),
        ink,
    }
}

/// A combining mark, drawn over the character before it: accents and tone marks
/// (canonical combining class above 0), the kana voicing marks.
pub(crate) fn is_combining(c: char) -> bool {
    // Most text is Han and ASCII: answered by ranges, the table asked beyond them.
    (c as u32) >= 0x300
        && !is_han(c)
        && unicode_normalization::char::canonical_combining_class(c) != 0
}

/// Whether a line may end between `atoms[i - 1]` and `atoms[i]`: UAX #14 opportunities
/// with the 禁则 tables applied on top. `Some(true)` is a forced break.
pub(crate) fn break_table(atoms: &[Atom]) -> Vec<Option<bool>> {
    let n = atoms.len();
    let mut table = vec![None; n + 1];
    // Between two ideographs (`is_han`: line-break class ID throughout) UAX #14 always
    // allows a break (ID ÷ ID, and no rule that looks further back passes an
    // ideograph) and no 禁则 list holds one, so only the stretches between such pairs
    // go through the UAX #14 breaker: the whole text through it was a twentieth of
    // laying out a handbook, nearly all of it pairs of Han characters.
    // The stretches' text, one after another: room for most made once (grown from
    // empty, it was reallocated a few times a paragraph).
    let mut text = String::with_capacity(64);
    let mut start = 0;
    for end in 1..=n {
        let pair = end < n && is_han(atoms[end - 1].ch) && is_han(atoms[end].ch);
        if end < n && !pair {
            continue;
        }
        if end - start > 1 {
            uax14(&atoms[start..end], &mut table[start..end], &mut text);
        }
        if pair {
            table[end] = Some(false);
        }
        start = end;
    }
    address::breaks(atoms, &mut table);
    for i in 1..n {
        let (prev, next) = (&atoms[i - 1], &atoms[i]);
        if table[i].is_none()
            && clreq::quote_break(prev, next)
            && !no_start(next.ch)
            && !no_end(prev.ch)
        {
            table[i] = Some(false);
        }
    }
    table
}

/// The UAX #14 opportunities inside `atoms` (not before its first atom nor after its
/// last) with the 禁则 tables applied, into `table` (one slot per atom).
fn uax14(atoms: &[Atom], table: &mut [Option<bool>], text: &mut String) {
    text.clear();
    text.extend(atoms.iter().map(|a| a.ch));
    // The opportunities come in byte order: walk the atoms beside them.
    let (mut i, mut at) = (0, 0);
    for (idx, op) in unicode_linebreak::linebreaks(text) {
        while at < idx && i < atoms.len() {
            at += atoms[i].ch.len_utf8();
            i += 1;
        }
        if at != idx || i == 0 || i >= atoms.len() {
            continue;
        }
        let forced = matches!(op, unicode_linebreak::BreakOpportunity::Mandatory);
        let prev = atoms[i - 1].ch;
        let next = atoms[i].ch;
        if forced && prev == '\n' {
            table[i] = Some(true);
        } else if !no_start(next) && !no_end(prev) {
            table[i] = Some(false);
        }
    }
}

/// The widest run of atoms that may not be broken (a word, a number, a phone number,
/// characters held together by 禁则): the narrowest a column holding them can be.
/// `table`: their [`break_table`].
pub(crate) fn min_width(atoms: &[Atom], table: &[Option<bool>]) -> f32 {
    let mut widest: f32 = 0.0;
    let mut run = 0.0;
    for (i, a) in atoms.iter().enumerate() {
        if i > 0 && table[i].is_some() {
            widest = widest.max(run);
            run = 0.0;
        }
        if !a.space {
            run += a.width;
        }
    }
    widest.max(run)
}

/// Breaks atoms into lines of at most `width` pt (the first line `indent` pt shorter)
/// and places every glyph, spaced by `typo` (punctuation compression, Han–Latin space).
pub(crate) fn break_lines(
    atoms: &[Atom],
    width: f32,
    indent: f32,
    align: Align,
    typo: &Typography,
) -> Lines {
    break_lines_at(atoms, &break_table(atoms), width, indent, align, typo)
}

/// [`break_lines`] with the atoms' [`break_table`] already made (a table cell's text
/// is measured before it is set).
pub(crate) fn break_lines_at(
    atoms: &[Atom],
    table: &[Option<bool>],
    width: f32,
    indent: f32,
    align: Align,
    typo: &Typography,
) -> Lines {
    let sp = Spacing::new(atoms, typo);
    let n = atoms.len();
    // (start, end, ends a paragraph or a forced line)
    // Room for lines of 16 atoms or more: grown from empty, the list was copied a few
    // times a paragraph.
    let mut spans: Vec<(usize, usize, bool)> = Vec::with_capacity(n / 16 + 1);
    let mut start = 0;
    while start < n {
        if !spans.is_empty() {
            start = skip_spaces(atoms, start);
            if start >= n {
                break;
            }
        }
        let avail = if spans.is_empty() {
            width - indent
        } else {
            width
        };
        let (end, forced) = scan(atoms, table, &sp, start, avail);
        spans.push((start, end, end >= n || forced));
        start = end;
    }
    no_lonely_last_char(atoms, table, &sp, &mut spans, width, indent);
    let mut x = vec![0.0; n];
    let lines = spans
        .iter()
        .enumerate()
        .map(|(k, &(s, e, last))| {
            let first = k == 0;
            place(
                atoms,
                &sp,
                (s, e),
                if first { width - indent } else { width },
                if first { indent } else { 0.0 },
                align,
                last,
                &mut x[s..e],
            )
        })
        .collect();
    Lines { lines, x }
}

/// A line never starts with the space it was broken at.
fn skip_spaces(atoms: &[Atom], mut start: usize) -> usize {
    while start < atoms.len() && atoms[start].space && atoms[start].ch != '\n' {
        start += 1;
    }
    start
}

/// Where the line starting at `start` ends: the last break opportunity before the
/// text no longer fits, counting the blank half a closing mark at the line end may
/// give up (it compresses rather than push a character down).
fn scan(
    atoms: &[Atom],
    table: &[Option<bool>],
    sp: &Spacing,
    start: usize,
    avail: f32,
) -> (usize, bool) {
    const EPS: f32 = 0.01;
    let n = atoms.len();
    let mut w = 0.0;
    let mut last_break: Option<usize> = None;
    let mut i = start;
    while i < n {
        if atoms[i].ch == '\n' {
            return (i + 1, true);
        }
        w += sp.room(atoms, i, start);
        if w - sp[i].end_shrink > avail + EPS && !atoms[i].space && i > start {
            let end = match last_break {
                Some(b) if b > start => b,
                // No opportunity on the whole line (a 40-digit number): break
                // where it overflows, keeping 禁则 if any position allows it;
                // overflowing the box would be worse than splitting the number.
                _ => (start + 1..=i)
                    .rev()
                    .find(|&p| !no_start(atoms[p].ch) && !no_end(atoms[p - 1].ch))
                    .unwrap_or(i),
            };
            return (end, false);
        }
        if i + 1 < n && table[i + 1].is_some() {
            last_break = Some(i + 1);
            if table[i + 1] == Some(true) {
                return (i + 1, true);
            }
        }
        i += 1;
    }
    (n, false)
}

/// Visible atoms of `start..end` (trailing spaces and the break marker excluded).
fn visible(atoms: &[Atom], start: usize, end: usize) -> usize {
    let mut v = end;
    while v > start && atoms[v - 1].space {
        v -= 1;
    }
    v
}

/// Characters of `start..end` a reader counts: punctuation that may not start a
/// line (，。）》…) goes with the character before it ("请。" is one).
fn counted(atoms: &[Atom], start: usize, end: usize) -> usize {
    atoms[start..end]
        .iter()
        .filter(|a| !a.space && !no_start(a.ch))
        .count()
}

/// A paragraph's last line of a single character ("请", "请。") looks like a mistake:
/// the line before gives up its last breakable piece, if the two then fit on the
/// last line and the line before keeps at least two characters.
fn no_lonely_last_char(
    atoms: &[Atom],
    table: &[Option<bool>],
    sp: &Spacing,
    spans: &mut [(usize, usize, bool)],
    width: f32,
    indent: f32,
) {
    for k in 1..spans.len() {
        let (s, e, last) = spans[k];
        let (ps, pe, plast) = spans[k - 1];
        if !last || plast || counted(atoms, s, e) != 1 {
            continue;
        }
        let Some(b) = (ps + 2..pe).rev().find(|&b| table[b] == Some(false)) else {
            continue;
        };
        let kept = counted(atoms, ps, b);
        if kept < 2 {
            continue;
        }
        // The line before must not come out loose: at most a quarter em between its
        // characters (a narrow column keeps its lonely character).
        let avail = if k == 1 { width - indent } else { width };
        let vis = visible(atoms, ps, b);
        let used: f32 = (ps..vis).map(|i| sp.room(atoms, i, ps)).sum();
        if avail - used > 0.25 * atoms[s].width * (kept - 1) as f32 {
            continue;
        }
        let ns = skip_spaces(atoms, b);
        if scan(atoms, table, sp, ns, width).0 == e {
            spans[k - 1].1 = b;
            spans[k].0 = ns;
        }
    }
}

#[allow(clippy::too_many_arguments)]
/// Places the atoms `start..end` as one line into `x` (theirs), returning the line.
fn place(
    atoms: &[Atom],
    sp: &Spacing,
    (start, end): (usize, usize),
    avail: f32,
    indent: f32,
    align: Align,
    last: bool,
    x: &mut [f32],
) -> Line {
    let slice = &atoms[start..end];
    // Trailing spaces and the forced-break marker take no room.
    let vis = visible(atoms, start, end);
    // Justification spreads the slack between characters, never inside a
    // compressed pair, a Han–Latin space or a ——: after atom `j` of `start..vis - 1`.
    let gap = |j: usize| {
        j + 1 < vis && {
            let (a, b) = (&atoms[j], &atoms[j + 1]);
            (a.space || b.space || a.cjk || b.cjk) && !sp[j + 1].rigid
        }
    };
    // Each atom's room is worked out again where it is used rather than kept in a
    // list: two lists a line were a tenth of breaking a paragraph into lines. One
    // walk gives the room of all but the last visible atom and the gaps between
    // them: the natural width and the width after the last mark gives up its blank
    // half are that sum plus the last atom's room as is or less that half (the same
    // sums, in the same order, as summing each line of rooms).
    let (mut before_last, mut stretch_points) = (0.0f32, 0);
    for i in start..vis.saturating_sub(1).max(start) {
        before_last += sp.room(atoms, i, start);
        stretch_points += usize::from(gap(i));
    }
    let last_room = if vis > start {
        sp.room(atoms, vis - 1, start)
    } else {
        0.0
    };
    let natural = before_last + last_room;
    // Too long (the breaker counted on compression): the line-end mark gives up its
    // blank half.
    let over = natural - avail;
    let give_up = if over > 0.0 && vis > start {
        over.min(sp[vis - 1].end_shrink)
    } else {
        0.0
    };
    let room = |i: usize| {
        let r = sp.room(atoms, i, start);
        if i + 1 == vis { r - give_up } else { r }
    };
    let used = before_last + (last_room - give_up);
    let slack = (avail - used).max(0.0);
    let per_gap = if align == Align::Justify && !last && stretch_points > 0 {
        let s = slack / stretch_points as f32;
        // A line of a few characters before a long word would be spaced out absurdly:
        // leave such a line ragged.
        let size = slice.first().map_or(10.0, |a| a.width.max(1.0));
        if s > size { 0.0 } else { s }
    } else {
        0.0
    };
    let shift = match align {
        Align::Center => slack / 2.0,
        Align::Right => slack,
        _ => 0.0,
    };
    let mut pen = indent + shift;
    let mut width = 0.0;
    for i in start..end {
        pen += sp.glue(i, start);
        x[i - start] = pen - sp.left(i, start) + sp[i].dx;
        pen += room(i) - sp.glue(i, start);
        if i < vis {
            // A line of spaces only (found by the fuzzer) has no visible width.
            width = if vis > start { pen } else { 0.0 };
        }
        if gap(i) {
            pen += per_gap;
        }
    }
    if vis == start {
        width = 0.0;
    }
    Line { start, end, width }
}

/// The visible text of a line (for tests and for checking 禁则).
#[cfg(test)]
pub(crate) fn line_text(atoms: &[Atom], line: &Line) -> String {
    atoms[line.start..line.end]
        .iter()
        .map(|a| a.ch)
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod clreq_tests;
#[cfg(test)]
mod tests;
