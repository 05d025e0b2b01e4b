//! Splitting text into searchable units: Han (and kana) characters one by one, Latin
//! letters and digits as runs. Documents and queries go through the same code, which
//! folds Traditional characters to Simplified (脫 is 脱).

use super::fold::{self, fold};
use crate::markdown::{common_ideograph_at, is_han};

/// A searchable unit: a Han (or kana) character, or a run of Latin letters or digits
/// (lent by [`scan`], which reuses its buffer for the next run).
pub(super) enum Unit<'a> {
    Han(char),
    Word(&'a str),
}

impl std::fmt::Display for Unit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unit::Han(c) => write!(f, "{c}"),
            Unit::Word(w) => f.write_str(w),
        }
    }
}

/// Calls `f` with each unit of `text` in order, and with `None` where a separator
/// stands (no bigram across it). Han characters allocate nothing, and are folded.
pub(super) fn scan(text: &str, mut f: impl FnMut(Option<Unit<'_>>)) {
    let folded = fold::table();
    let b = text.as_bytes();
    let mut word = String::new();
    let mut last_was_unit = false;
    let mut i = 0;
    while i < b.len() {
        // The common ideographs folded by code point.
        if let Some(u) = common_ideograph_at(b, i) {
            i += 3;
            if !word.is_empty() {
                f(Some(Unit::Word(&word)));
                word.clear();
            }
            f(Some(Unit::Han(folded.of(u))));
            last_was_unit = true;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if is_han(c) || is_kana(c) {
            if !word.is_empty() {
                f(Some(Unit::Word(&word)));
                word.clear();
            }
            f(Some(Unit::Han(fold(c))));
            last_was_unit = true;
        } else if is_alphanumeric(c) {
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                f(Some(Unit::Word(&word)));
                word.clear();
                last_was_unit = true;
            }
            if last_was_unit {
                f(None);
                last_was_unit = false;
            }
        }
    }
    if !word.is_empty() {
        f(Some(Unit::Word(&word)));
    }
}

#[cfg(test)]
/// Searchable units of text: each Han character, each run of Latin letters or digits
/// (lowercased); `None` where a separator stands. Adjacent units make bigrams.
pub(crate) fn units(text: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    scan(text, |u| out.push(u.map(|u| u.to_string())));
    out
}

#[cfg(test)]
/// The tokens a query needs: its bigrams, or its single units when it has no pair.
pub(crate) fn query_tokens(q: &str) -> Vec<String> {
    let u = units(q);
    let mut out = Vec::new();
    let mut single: Vec<String> = Vec::new();
    let mut k = 0;
    while k < u.len() {
        // Each run of adjacent units: its bigrams, or the unit when alone.
        let start = k;
        while k < u.len() && u[k].is_some() {
            k += 1;
        }
        let run: Vec<&String> = u[start..k].iter().flatten().collect();
        if run.len() == 1 {
            single.push(run[0].clone());
        } else {
            for w in run.windows(2) {
                out.push(format!("{}{}", w[0], w[1]));
            }
        }
        k += 1;
    }
    out.extend(single);
    out.sort();
    out.dedup();
    out
}

/// `char::is_alphanumeric` with the marks of Chinese text answered first: for those
/// (most of what is not Han in a Chinese text) the standard one searches its tables.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '—'
            | '…'
            | '·'
            | '「'
            | '」'
            | '【'
            | '】'
            | '\u{3000}'
    ) && c.is_alphanumeric()
}

fn is_kana(c: char) -> bool {
    ('\u{3040}'..='\u{30ff}').contains(&c)
}

#[cfg(test)]
/// Whether `needle` (units) occurs contiguously in `hay` (units).
pub(super) fn contains_units(hay: &[Option<String>], needle: &[Option<String>]) -> bool {
    let needle: Vec<&Option<String>> = needle.iter().collect();
    let parts: Vec<Vec<&String>> = needle
        .split(|u| u.is_none())
        .map(|run| run.iter().filter_map(|u| u.as_ref()).collect::<Vec<_>>())
        .filter(|r: &Vec<&String>| !r.is_empty())
        .collect();
    parts.iter().all(|run| {
        hay.windows(run.len())
            .any(|w| w.iter().zip(run).all(|(h, n)| h.as_ref() == Some(*n)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scan` as it read before it decoded ideographs itself: one character at a time.
    fn scan_by_chars(text: &str) -> Vec<Option<String>> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut last_was_unit = false;
        for c in text.chars() {
            if is_han(c) || is_kana(c) {
                if !word.is_empty() {
                    out.push(Some(std::mem::take(&mut word)));
                }
                out.push(Some(fold(c).to_string()));
                last_was_unit = true;
            } else if is_alphanumeric(c) {
                word.extend(c.to_lowercase());
            } else {
                if !word.is_empty() {
                    out.push(Some(std::mem::take(&mut word)));
                    last_was_unit = true;
                }
                if last_was_unit {
                    out.push(None);
                    last_was_unit = false;
                }
            }
        }
        if !word.is_empty() {
            out.push(Some(word));
        }
        out
    }

    #[test]
    fn scan_decodes_as_the_standard_decoder() {
        // Every character, alone between two others and all in a row.
        let all: String = (0..0x11_0000).filter_map(char::from_u32).collect();
        assert_eq!(units(&all), scan_by_chars(&all));
        for c in (0..0x11_0000).step_by(3).filter_map(char::from_u32) {
            let s = format!("a{c}脫{c}，");
            assert_eq!(units(&s), scan_by_chars(&s), "U+{:04X}", c as u32);
        }
        assert_eq!(units("脫貧App，低保"), scan_by_chars("脱贫app，低保"));
    }

    #[test]
    fn alphanumeric_answers_as_the_standard_one_does() {
        let text = "低保，。、；：？！“”‘’（）《》—…·「」【】\u{3000}ａ１〇々x9 ½é";
        for c in (0..0x3_0000).filter_map(char::from_u32).chain(text.chars()) {
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
