//! Posting lists while the index is built.

use rustc_hash::{FxHashMap, FxHashSet};

use super::Doc;
use super::pinyin;
use super::tokens::{Unit, scan};

/// Postings while building: tokens made of Han characters only (nearly all of them)
/// are packed into a number, so indexing allocates no string per token.
#[derive(Default)]
pub(super) struct Postings {
    pub(super) pairs: FxHashMap<u64, [Vec<u32>; 3]>,
    pub(super) words: FxHashMap<String, [Vec<u32>; 3]>,
    /// The pairs of the field being added already given its document.
    seen: FxHashSet<u64>,
    /// The field's pairs in order, kept from one document to the next (grown afresh
    /// for each, they were a fiftieth of indexing).
    scratch: Vec<u64>,
}

/// What came before a unit, for its pair.
#[derive(Clone, Copy)]
enum Last {
    Nothing,
    Han(char),
    Word,
}

/// A single character, or the second half of a pair, is `NONE` when absent.
const NONE: u64 = 0xFFFF_FFFF;

/// Puts document `d` into or out of each of a token's three sorted lists: `was` where
/// it held `d`, `is` where it holds it now.
pub(super) fn move_doc(lists: &mut [Vec<u32>; 3], d: u32, was: [bool; 3], is: [bool; 3]) {
    for f in 0..3 {
        match (was[f], is[f], lists[f].binary_search(&d)) {
            (true, false, Ok(at)) => {
                lists[f].remove(at);
            }
            (false, true, Err(at)) => lists[f].insert(at, d),
            _ => {}
        }
    }
}

pub(super) fn pair_token(key: u64) -> String {
    let mut s = String::new();
    for part in [key >> 32, key & NONE] {
        if let Some(c) = char::from_u32(part as u32) {
            s.push(c);
        }
    }
    s
}

impl Postings {
    pub(super) fn add(&mut self, d: u32, doc: &Doc) {
        let mut pairs = std::mem::take(&mut self.scratch);
        let mut words: Vec<String> = Vec::new();
        let mut last_word = String::new();
        for (f, text) in doc.fields.iter().enumerate() {
            pairs.clear();
            words.clear();
            self.seen.clear();
            // The previous unit: a character, or a word (Latin letters or digits) kept
            // in `last_word`. Small and `Copy`: moving the unit itself (a string) from
            // one character to the next was a sixth of indexing.
            let mut last = Last::Nothing;
            scan(text, |u| match u {
                Some(Unit::Han(c)) => {
                    match last {
                        Last::Han(a) => pairs.push((a as u64) << 32 | c as u64),
                        Last::Word => words.push(format!("{last_word}{c}")),
                        Last::Nothing => {}
                    }
                    pairs.push((c as u64) << 32 | NONE);
                    last = Last::Han(c);
                }
                Some(Unit::Word(w)) => {
                    match last {
                        Last::Han(a) => words.push(format!("{a}{w}")),
                        Last::Word => words.push(format!("{last_word}{w}")),
                        Last::Nothing => {}
                    }
                    words.push(w.to_owned());
                    last_word.clear();
                    last_word.push_str(w);
                    last = Last::Word;
                }
                None => last = Last::Nothing,
            });
            words.sort_unstable();
            words.dedup();
            // Each pair once per field: a set as small as a document's vocabulary (in
            // cache) instead of sorting every occurrence, which was a third of indexing.
            for &key in &pairs {
                if self.seen.insert(key) {
                    self.pairs.entry(key).or_default()[f].push(d);
                }
            }
            for w in words.drain(..) {
                self.words.entry(w).or_default()[f].push(d);
            }
        }
        self.scratch = pairs;
        // Pinyin of the names: title and aliases in the first list, tags in the second.
        let names = 1 + doc.aliases.len();
        let mut by_list: [Vec<String>; 2] = Default::default();
        for (g, segment) in doc.pinyin.split('|').enumerate() {
            by_list[usize::from(g >= names)].extend(pinyin::tokens(segment));
        }
        for (f, mut toks) in by_list.into_iter().enumerate() {
            toks.sort_unstable();
            toks.dedup();
            for t in toks {
                self.words.entry(t).or_default()[f].push(d);
            }
        }
    }

    /// `later` indexed documents after all of `self`'s.
    pub(super) fn join(mut self, later: Postings) -> Postings {
        if self.pairs.len() + self.words.len() < later.pairs.len() + later.words.len() {
            // Append into the bigger map, keeping document order.
            let mut later = later;
            for (k, mut lists) in self.pairs {
                let e = later.pairs.entry(k).or_default();
                for f in 0..3 {
                    lists[f].append(&mut e[f]);
                    e[f] = std::mem::take(&mut lists[f]);
                }
            }
            for (k, mut lists) in self.words {
                let e = later.words.entry(k).or_default();
                for f in 0..3 {
                    lists[f].append(&mut e[f]);
                    e[f] = std::mem::take(&mut lists[f]);
                }
            }
            return later;
        }
        for (k, lists) in later.pairs {
            let e = self.pairs.entry(k).or_default();
            for (f, l) in lists.into_iter().enumerate() {
                e[f].extend(l);
            }
        }
        for (k, lists) in later.words {
            let e = self.words.entry(k).or_default();
            for (f, l) in lists.into_iter().enumerate() {
                e[f].extend(l);
            }
        }
        self
    }
}
