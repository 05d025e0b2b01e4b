//! Traditional characters folded to Simplified, so 脫貧 finds 脱贫 and an entry written
//! in Traditional characters is found by a Simplified query. Entries and queries are
//! folded the same way before they become tokens, one character for one character (so
//! positions in the text stay where they were, for highlighting). The table is OpenCC's
//! character table as the `fast2s` crate carries it; the browser gets only the pairs
//! whose Simplified character occurs in the index (see [`table_for`]).

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The code points the table covers: CJK Extension A and the Unified Ideographs, where
/// every pair of OpenCC's character table lies.
const FROM: u32 = 0x3400;
const TO: u32 = 0xA000;

/// Per code point from `FROM`: its Simplified form (itself when it has none). A flat
/// array: indexing runs over every character of 10,000 entries, so a lookup must cost
/// no more than an array access.
fn chars() -> &'static [char] {
    static T: OnceLock<Vec<char>> = OnceLock::new();
    T.get_or_init(|| {
        (FROM..TO)
            .map(|u| {
                let c = char::from_u32(u).unwrap_or(' ');
                // fast2s converts text; one character at a time gives its character map
                // without the few context rules meant for running text.
                let mut s = fast2s::convert(c.encode_utf8(&mut [0; 4]));
                match (s.pop(), s.is_empty()) {
                    (Some(f), true) => f,
                    _ => c,
                }
            })
            .collect()
    })
}

/// The table, for a loop that folds many characters: one look at the `OnceLock`.
pub(crate) fn table() -> Table {
    Table(chars())
}

/// See [`table`].
#[derive(Clone, Copy)]
pub(crate) struct Table(&'static [char]);

impl Table {
    /// The Simplified form of the ideograph `u` (in U+3400 to U+9FFF).
    #[inline]
    pub(crate) fn of(self, u: u32) -> char {
        self.0[(u - FROM) as usize]
    }
}

/// The Simplified form of `c`, or `c`.
pub(crate) fn fold(c: char) -> char {
    let u = c as u32;
    if (FROM..TO).contains(&u) {
        table().of(u)
    } else {
        c
    }
}

/// Folds every character of `s`.
#[cfg(test)]
pub(crate) fn fold_str(s: &str) -> String {
    s.chars().map(fold).collect()
}

/// The pairs the browser needs, as one string "TSTS…": every Traditional character whose
/// Simplified form is among `occurring` (the characters of the index). Characters that
/// fold to nothing in the index cannot make a hit, so they are left out; a query in
/// them finds nothing either way.
pub(crate) fn table_for(occurring: &BTreeSet<char>) -> String {
    let mut out = String::new();
    for (k, &s) in chars().iter().enumerate() {
        let t = char::from_u32(FROM + k as u32).unwrap_or(s);
        if t != s && occurring.contains(&s) {
            out.push(t);
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified_and_simplified_stays() {
        assert_eq!(fold_str("脫貧貸款"), "脱贫贷款");
        assert_eq!(fold_str("脱贫贷款 App 12317"), "脱贫贷款 App 12317");
        assert_eq!(fold('發'), '发');
        assert_eq!(fold('a'), 'a');
    }

    #[test]
    fn the_browser_table_holds_only_what_occurs() {
        let occurring: BTreeSet<char> = "脱贫".chars().collect();
        let t = table_for(&occurring);
        assert!(t.contains("脫脱") && t.contains("貧贫"), "{t}");
        assert!(!t.contains('贷'), "{t}");
    }
}
