//! Chinese text as a handbook's pages need it: a line break inside a Chinese
//! paragraph joined, heading anchors that stay readable, what counts as Han, and words
//! and reading time counted as a Chinese reader counts them.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

/// A line break inside a Chinese paragraph is not a space: "危\n房" is "危房" (browsers
/// would show a gap, and search would miss the word).
pub(crate) fn join_cjk_soft_breaks(events: &mut [(Event, Range<usize>)]) {
    for i in 1..events.len().saturating_sub(1) {
        if !matches!(events[i].0, Event::SoftBreak) {
            continue;
        }
        let before = match &events[i - 1].0 {
            Event::Text(t) => t.chars().last(),
            _ => None,
        };
        let after = match &events[i + 1].0 {
            Event::Text(t) => t.chars().next(),
            _ => None,
        };
        if let (Some(a), Some(b)) = (before, after)
            && is_cjk(a)
            && is_cjk(b)
        {
            events[i].0 = Event::Text(CowStr::Borrowed(""));
        }
    }
}

/// A heading anchor that stays readable in Chinese: letters and digits of any script
/// are kept, runs of spaces and punctuation become one `-`, Latin is lowercased.
/// "一、政策依据" → "一-政策依据"; "Q&A 常见问题" → "q-a-常见问题".
pub(crate) fn anchor_for(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Han ideographs, kana, and CJK/full-width punctuation.
pub(crate) fn is_cjk(c: char) -> bool {
    // The common ideographs and ASCII first (nearly every character of a text): the
    // ranges below in order were some thirty comparisons for each Han character, a
    // third of making a glyph of it for print.
    let u = c as u32;
    if (0x4E00..=0x9FFF).contains(&u) {
        return true;
    }
    if u < 0x80 {
        return false;
    }
    matches!(u,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x31A0..=0x31BF | 0x31C0..=0x31EF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Han ideographs only (what a Chinese reader counts as 字).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The code point of the common ideograph (U+4E00 to U+9FFF: lead bytes E4 B8 to E9)
/// that begins at byte `i` of `b`, valid UTF-8, if one does: read from its three bytes,
/// where decoding each character the general way was most of counting or indexing a
/// body's text.
#[inline]
pub(crate) fn common_ideograph_at(b: &[u8], i: usize) -> Option<u32> {
    let x = *b.get(i)?;
    let y = *b.get(i + 1)?;
    if !((0xE5..=0xE9).contains(&x) || (x == 0xE4 && y >= 0xB8)) {
        return None;
    }
    let z = *b.get(i + 2)?;
    Some((u32::from(x & 0x0F) << 12) | (u32::from(y & 0x3F) << 6) | u32::from(z & 0x3F))
}

/// Words as a Chinese reader counts them: each Han character is one, each run of
/// Latin letters or digits is one ("5万元" is 3, "App" is 1). Punctuation is none.
pub(crate) fn count_words(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            // Most of what is not Han: tested without Unicode's tables.
            let alnum = x.is_ascii_alphanumeric();
            n += usize::from(alnum && !in_word);
            in_word = alnum;
            i += 1;
            continue;
        }
        if common_ideograph_at(b, i).is_some() {
            n += 1;
            in_word = false;
            i += 3;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if is_han(c) {
            n += 1;
            in_word = false;
        } else if matches!(
            c,
            '，' | '。' | '、' | '：' | '；' | '（' | '）' | '“' | '”'
        ) {
            // The commonest marks, spared the alphanumeric table.
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                n += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    n
}

/// Minutes to read, at 300 Chinese characters a minute (a common estimate for
/// informational text); never less than one.
pub(crate) fn reading_minutes(words: usize) -> usize {
    words.div_ceil(300).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_paths_answer_as_the_ranges_do() {
        let by_ranges = |c: char| {
            matches!(c as u32,
                0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
                | 0x31A0..=0x31BF | 0x31C0..=0x31EF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
                | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
                || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
        };
        for c in (0..0x40100).filter_map(char::from_u32) {
            assert_eq!(is_cjk(c), by_ranges(c), "U+{:04X}", c as u32);
        }
        assert!(is_cjk('政') && is_cjk('，') && is_cjk('·') && !is_cjk('a'));
    }
}
