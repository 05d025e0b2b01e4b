//! Chinese line breaking for print: text is set glyph by glyph with the font's own
//! advances, broken into lines that obey 禁则 (no line starts with ，。、；：？！）」』》—·～…,
//! none ends with （「『《), never splitting numbers, dates, phone numbers or Latin
//! words, and justified by spreading the slack between characters (last line ragged).
//!
//! Break opportunities come from UAX #14 (unicode-linebreak); the 禁则 tables below
//! then forbid the breaks it allows before dashes, middle dots and the like.

use super::fonts::{Fonts, Glyph, Weight};

/// Characters that must not start a line (行首禁则).
pub const NO_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '》', '〉', '】', '〕', '〗', '〙',
    '〛', '｝', '］', '’', '”', '·', '・', '—', '～', '…', '‥', '％', '‰', '℃', '°', '．', '々',
    '〜', 'ー', ',', '.', ';', ':', '?', '!', ')', ']', '}', '%', '⸺', '–',
];

/// Characters that must not end a line (行尾禁则).
pub const NO_END: &[char] = &[
    '（', '「', '『', '《', '〈', '【', '〔', '〖', '〘', '〚', '｛', '［', '‘', '“', '(', '[', '{',
];

/// Text style of a run, as far as line breaking needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunStyle {
    pub size: f32,
    pub weight: Weight,
    pub color: [f32; 3],
}

/// One glyph of set text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Atom {
    pub ch: char,
    pub glyph: Glyph,
    /// Advance in pt.
    pub width: f32,
    /// Index of the run style in the paragraph.
    pub style: u16,
    pub space: bool,
    /// Takes part in inter-character justification (CJK characters and punctuation).
    pub cjk: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Justify,
    Center,
    Right,
}

/// A set line: which atoms, where each one goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// x of each atom in `start..end`, from the line's left edge (indent included).
    pub x: Vec<f32>,
    /// Width used, from the left edge to the end of the last visible glyph.
    pub width: f32,
}

/// Sets `runs` into atoms. Characters no font has are returned instead (the coverage
/// check reports them before layout, so this is a safety net, never a tofu box).
pub fn shape(
    fonts: &Fonts,
    runs: &[(String, RunStyle)],
) -> Result<(Vec<Atom>, Vec<RunStyle>), Vec<char>> {
    let mut atoms = Vec::new();
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
                });
                continue;
            }
            match fonts.glyph(c, style.weight) {
                Some(g) => atoms.push(Atom {
                    ch: c,
                    glyph: g,
                    width: g.advance * style.size,
                    style: i as u16,
                    space: c == ' ' || c == '\u{3000}',
                    cjk: crate::markdown::is_cjk(c),
                }),
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

/// Whether a line may end between `atoms[i - 1]` and `atoms[i]`: UAX #14 opportunities
/// with the 禁则 tables applied on top. `Some(true)` is a forced break.
fn break_table(atoms: &[Atom]) -> Vec<Option<bool>> {
    let text: String = atoms.iter().map(|a| a.ch).collect();
    let mut byte_to_atom = vec![usize::MAX; text.len() + 1];
    let mut b = 0;
    for (i, a) in atoms.iter().enumerate() {
        byte_to_atom[b] = i;
        b += a.ch.len_utf8();
    }
    byte_to_atom[text.len()] = atoms.len();
    let mut table = vec![None; atoms.len() + 1];
    for (idx, op) in unicode_linebreak::linebreaks(&text) {
        let i = byte_to_atom[idx];
        if i == usize::MAX || i == 0 || i >= atoms.len() {
            continue;
        }
        let forced = matches!(op, unicode_linebreak::BreakOpportunity::Mandatory);
        let prev = atoms[i - 1].ch;
        let next = atoms[i].ch;
        if forced && prev == '\n' {
            table[i] = Some(true);
        } else if !NO_START.contains(&next) && !NO_END.contains(&prev) {
            table[i] = Some(false);
        }
    }
    table
}

/// The widest run of atoms that may not be broken (a word, a number, a phone number,
/// characters held together by 禁则): the narrowest a column holding them can be.
pub fn min_width(atoms: &[Atom]) -> f32 {
    let table = break_table(atoms);
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
/// and places every glyph.
pub fn break_lines(atoms: &[Atom], width: f32, indent: f32, align: Align) -> Vec<Line> {
    const EPS: f32 = 0.01;
    let table = break_table(atoms);
    let n = atoms.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        if !lines.is_empty() {
            // A line never starts with the space it was broken at.
            while start < n && atoms[start].space && atoms[start].ch != '\n' {
                start += 1;
            }
            if start >= n {
                break;
            }
        }
        let first = lines.is_empty();
        let avail = if first { width - indent } else { width };
        let mut w = 0.0;
        let mut last_break: Option<usize> = None;
        let mut end = n;
        let mut forced = false;
        let mut i = start;
        while i < n {
            if atoms[i].ch == '\n' {
                end = i + 1;
                forced = true;
                break;
            }
            w += atoms[i].width;
            if w > avail + EPS && !atoms[i].space && i > start {
                end = match last_break {
                    Some(b) if b > start => b,
                    // No opportunity on the whole line (a 40-digit number): break
                    // where it overflows, keeping 禁则 if any position allows it;
                    // overflowing the box would be worse than splitting the number.
                    _ => (start + 1..=i)
                        .rev()
                        .find(|&p| {
                            !NO_START.contains(&atoms[p].ch) && !NO_END.contains(&atoms[p - 1].ch)
                        })
                        .unwrap_or(i),
                };
                break;
            }
            if i + 1 < n && table[i + 1].is_some() {
                last_break = Some(i + 1);
                if table[i + 1] == Some(true) {
                    end = i + 1;
                    forced = true;
                    break;
                }
            }
            i += 1;
        }
        let is_last = end >= n || forced;
        lines.push(place(
            atoms,
            start,
            end,
            avail,
            if first { indent } else { 0.0 },
            align,
            is_last,
        ));
        start = end;
    }
    lines
}

fn place(
    atoms: &[Atom],
    start: usize,
    end: usize,
    avail: f32,
    indent: f32,
    align: Align,
    last: bool,
) -> Line {
    let slice = &atoms[start..end];
    // Trailing spaces and the forced-break marker take no room.
    let mut visible = slice.len();
    while visible > 0 && slice[visible - 1].space {
        visible -= 1;
    }
    let natural: f32 = slice[..visible].iter().map(|a| a.width).sum();
    let slack = (avail - natural).max(0.0);
    let gaps: Vec<bool> = (0..visible.saturating_sub(1))
        .map(|j| {
            let (a, b) = (&slice[j], &slice[j + 1]);
            a.space || b.space || a.cjk || b.cjk
        })
        .collect();
    let stretch_points = gaps.iter().filter(|g| **g).count();
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
    let mut x = Vec::with_capacity(slice.len());
    let mut pen = indent + shift;
    for (j, a) in slice.iter().enumerate() {
        x.push(pen);
        pen += a.width;
        if j < gaps.len() && gaps[j] {
            pen += per_gap;
        }
    }
    // A line of spaces only (found by the fuzzer) has no visible width.
    let width = match visible.checked_sub(1) {
        Some(last) => x[last] + slice[last].width,
        None => 0.0,
    };
    Line {
        start,
        end,
        x,
        width,
    }
}

#[cfg(test)]
/// The visible text of a line (for tests and for checking 禁则).
pub fn line_text(atoms: &[Atom], line: &Line) -> String {
    atoms[line.start..line.end]
        .iter()
        .map(|a| a.ch)
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::tests::default_fonts;

    const STYLE: RunStyle = RunStyle {
        size: 10.0,
        weight: Weight::Regular,
        color: [0.0; 3],
    };

    /// Lines of `text` set at 10 pt in a box `chars` em wide.
    fn lines(text: &str, chars: f32) -> Vec<String> {
        let (atoms, _) = shape(default_fonts(), &[(text.to_string(), STYLE)]).unwrap();
        let ls = break_lines(&atoms, chars * 10.0, 0.0, Align::Justify);
        for l in &ls {
            let last = l.x.last().copied().unwrap_or(0.0);
            assert!(
                l.width <= chars * 10.0 + 0.05 || l.end - l.start == 1,
                "overflow: {l:?}"
            );
            assert!(last <= chars * 10.0 + 0.05);
        }
        ls.iter().map(|l| line_text(&atoms, l)).collect()
    }

    fn assert_kinsoku(ls: &[String]) {
        for l in ls {
            let first = l.chars().next().unwrap();
            let last = l.chars().last().unwrap();
            assert!(
                !NO_START.contains(&first),
                "line starts with {first}: {ls:?}"
            );
            assert!(!NO_END.contains(&last), "line ends with {last}: {ls:?}");
        }
    }

    #[test]
    fn punctuation_runs_stay_off_line_starts() {
        // Every width from 9 em (the longest run that may not be broken: 报。！？」』》——)
        // to 20 em: the break point moves across every position.
        let text = "申请人须如实填报。！？」』》——重要提示……请于“两不愁三保障”核查后，到（乡镇）便民服务中心办理、咨询。";
        for w in 9..=20 {
            let ls = lines(text, w as f32);
            assert_kinsoku(&ls);
            assert_eq!(ls.concat(), text);
        }
    }

    #[test]
    fn book_titles_are_not_split_from_their_marks() {
        let text = "依据《关于做好脱贫人口小额信贷工作的通知》和《青禾县实施方案》执行。";
        for w in 4..=14 {
            let ls = lines(text, w as f32);
            assert_kinsoku(&ls);
        }
    }

    #[test]
    fn amounts_and_ranges() {
        let text = "贷款额度“5万元以下、3年以内”，财政全额贴息。";
        for w in 3..=10 {
            let ls = lines(text, w as f32);
            assert_kinsoku(&ls);
            for l in &ls {
                assert!(!l.starts_with('、') && !l.starts_with('”'), "{ls:?}");
            }
        }
    }

    #[test]
    fn phone_numbers_and_dates_never_split() {
        let text = "咨询电话0718-6620607，办理时间截至2026-12-31，全国热线12317。";
        for w in 8..=14 {
            let ls = lines(text, w as f32);
            let joined = ls.join("|");
            for token in ["0718-6620607", "2026-12-31", "12317"] {
                assert!(joined.contains(token), "{token} split: {ls:?}");
            }
            assert_kinsoku(&ls);
        }
    }

    #[test]
    fn latin_words_never_split() {
        let text = "下载青禾e办App或登录 Qinghe Government Service Platform 在线申请。";
        for w in 9..=16 {
            let ls = lines(text, w as f32);
            let joined = ls.join("|");
            for word in ["App", "Qinghe", "Government", "Service", "Platform"] {
                assert!(joined.contains(word), "{word} split: {ls:?}");
            }
        }
    }

    #[test]
    fn unbreakable_number_longer_than_the_line_is_cut_not_overflowed() {
        let digits = "1234567890".repeat(4);
        let text = format!("账号{digits}。");
        let ls = lines(&text, 10.0);
        assert!(ls.len() >= 3, "{ls:?}");
        assert_eq!(ls.concat(), text);
        assert_kinsoku(&ls);
    }

    #[test]
    fn justified_lines_fill_the_width_last_line_ragged() {
        let text = "为深入贯彻落实巩固拓展脱贫攻坚成果同乡村振兴有效衔接的决策部署，进一步做好教育帮扶工作，结合本县实际制定本细则。";
        let (atoms, _) = shape(default_fonts(), &[(text.to_string(), STYLE)]).unwrap();
        let width = 95.5; // not a whole number of em: justification must spread 5.5 pt
        let ls = break_lines(&atoms, width, 20.0, Align::Justify);
        assert!(ls.len() > 2);
        assert!((ls[0].x[0] - 20.0).abs() < 0.01, "first-line indent");
        for l in &ls[..ls.len() - 1] {
            assert!((l.width - width).abs() < 0.05, "not justified: {}", l.width);
        }
        let last = ls.last().unwrap();
        let natural: f32 = atoms[last.start..last.end].iter().map(|a| a.width).sum();
        assert!((last.width - natural).abs() < 0.01, "last line ragged");
    }

    #[test]
    fn min_width_keeps_phone_numbers_whole() {
        let (atoms, _) =
            shape(default_fonts(), &[("电话0718-6628012".to_string(), STYLE)]).unwrap();
        let phone: f32 = atoms[2..].iter().map(|a| a.width).sum();
        assert!((min_width(&atoms) - phone).abs() < 0.01);
    }

    #[test]
    fn mixed_latin_is_measured_with_real_advances() {
        let (atoms, _) = shape(default_fonts(), &[("AI助手iii".to_string(), STYLE)]).unwrap();
        let w: Vec<f32> = atoms.iter().map(|a| a.width).collect();
        assert!(w[0] > w[4], "A wider than i");
        assert!((w[2] - 10.0).abs() < 0.01, "CJK is one em");
        assert!(w[4] < 4.0);
    }
}
