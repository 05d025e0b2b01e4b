//! Posting lists while the index is built.

use rustc_hash::FxHashMap;

use super::Doc;
use super::pinyin;
use super::tokens::{Unit, scan};

/// A token's three lists, and the document and field that last posted to it (a token
/// met again in the same field is not posted twice).
struct Slot {
    lists: [Vec<u32>; 3],
    stamp: u64,
}

/// Postings while building. Each token met gets a slot once; an occurrence then costs
/// finding the slot and comparing its stamp. Tokens made of Han characters only (nearly
/// all of them) are packed into a number, so indexing allocates no string per token, and
/// single characters (half of all occurrences) find their slot by code point without
/// hashing: a set of the field's tokens and a second lookup for each new one was a
/// third of building the index.
#[derive(Default)]
pub(super) struct Postings {
    slots: Vec<Slot>,
    /// Slots of pairs, and of single characters outside [`DENSE`].
    packed: FxHashMap<u64, u32>,
    /// Slot + 1 of each single character in [`DENSE`] (0: none yet), made on first use.
    single: Vec<u32>,
    words: FxHashMap<String, u32>,
    /// A word joined to its neighbour, kept from one to the next.
    joined: String,
}

/// The posting lists of every token: the index's raw material.
#[derive(Default)]
pub(super) struct Maps {
    pub(super) pairs: FxHashMap<u64, [Vec<u32>; 3]>,
    pub(super) words: FxHashMap<String, [Vec<u32>; 3]>,
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

/// Kana, the CJK marks and the common ideographs: single characters looked up by code
/// point (112 KB of slots, zeroed by the system until touched).
const DENSE: std::ops::Range<u32> = 0x3000..0xA000;

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

/// The slot `id` names, made when `id` is `None` (and recorded by `record`).
fn slot_of(slots: &mut Vec<Slot>, id: Option<u32>, record: impl FnOnce(u32)) -> usize {
    match id {
        Some(id) => id as usize,
        None => {
            let id = slots.len();
            slots.push(Slot {
                lists: Default::default(),
                stamp: 0,
            });
            record(id as u32);
            id
        }
    }
}

impl Postings {
    /// Posts document `d` to the slot, once for each field.
    #[inline]
    fn post(&mut self, slot: usize, f: usize, d: u32, stamp: u64) {
        let s = &mut self.slots[slot];
        if s.stamp != stamp {
            s.stamp = stamp;
            s.lists[f].push(d);
        }
    }

    fn packed_slot(&mut self, key: u64) -> usize {
        let id = self.packed.get(&key).copied();
        let packed = &mut self.packed;
        slot_of(&mut self.slots, id, |id| {
            packed.insert(key, id);
        })
    }

    fn single_slot(&mut self, c: char) -> usize {
        let u = c as u32;
        if !DENSE.contains(&u) {
            return self.packed_slot((u as u64) << 32 | NONE);
        }
        if self.single.is_empty() {
            self.single = vec![0; DENSE.len()];
        }
        let at = (u - DENSE.start) as usize;
        let id = self.single[at].checked_sub(1);
        let single = &mut self.single;
        slot_of(&mut self.slots, id, |id| single[at] = id + 1)
    }

    fn word_slot(&mut self, w: &str) -> usize {
        let id = self.words.get(w).copied();
        let words = &mut self.words;
        slot_of(&mut self.slots, id, |id| {
            words.insert(w.to_owned(), id);
        })
    }

    /// Posts the word `joined` holds.
    fn post_joined(&mut self, f: usize, d: u32, stamp: u64) {
        let joined = std::mem::take(&mut self.joined);
        let slot = self.word_slot(&joined);
        self.joined = joined;
        self.post(slot, f, d, stamp);
    }

    pub(super) fn add(&mut self, d: u32, doc: &Doc) {
        let mut last_word = String::new();
        for (f, text) in doc.fields.iter().enumerate() {
            let stamp = u64::from(d) * 3 + f as u64 + 1;
            // The previous unit: a character, or a word (Latin letters or digits) kept
            // in `last_word`. Small and `Copy`: moving the unit itself (a string) from
            // one character to the next was a sixth of indexing.
            let mut last = Last::Nothing;
            scan(text, |u| match u {
                Some(Unit::Han(c)) => {
                    match last {
                        Last::Han(a) => {
                            let slot = self.packed_slot((a as u64) << 32 | c as u64);
                            self.post(slot, f, d, stamp);
                        }
                        Last::Word => {
                            self.joined.clear();
                            self.joined.push_str(&last_word);
                            self.joined.push(c);
                            self.post_joined(f, d, stamp);
                        }
                        Last::Nothing => {}
                    }
                    let slot = self.single_slot(c);
                    self.post(slot, f, d, stamp);
                    last = Last::Han(c);
                }
                Some(Unit::Word(w)) => {
                    self.joined.clear();
                    match last {
                        Last::Han(a) => self.joined.push(a),
                        Last::Word => self.joined.push_str(&last_word),
                        Last::Nothing => {}
                    }
                    if !self.joined.is_empty() {
                        self.joined.push_str(w);
                        self.post_joined(f, d, stamp);
                    }
                    let slot = self.word_slot(w);
                    self.post(slot, f, d, stamp);
                    last_word.clear();
                    last_word.push_str(w);
                    last = Last::Word;
                }
                None => last = Last::Nothing,
            });
        }
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
                let slot = self.word_slot(&t);
                self.slots[slot].lists[f].push(d);
            }
        }
    }

    /// The lists by token.
    pub(super) fn finish(self) -> Maps {
        let mut slots = self.slots;
        let mut pairs = FxHashMap::default();
        pairs.reserve(slots.len() - self.words.len());
        // Each slot is named by exactly one token.
        let mut take = |id: u32| std::mem::take(&mut slots[id as usize].lists);
        for (key, id) in self.packed {
            pairs.insert(key, take(id));
        }
        for (at, &id) in self.single.iter().enumerate() {
            if id > 0 {
                let u = DENSE.start as u64 + at as u64;
                pairs.insert(u << 32 | NONE, take(id - 1));
            }
        }
        let words = self
            .words
            .into_iter()
            .map(|(w, id)| (w, take(id)))
            .collect();
        Maps { pairs, words }
    }
}

impl Maps {
    /// `later` indexed documents after all of `self`'s.
    pub(super) fn join(mut self, later: Maps) -> Maps {
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::super::Doc;
    use super::super::tokens::units;
    use super::*;

    /// Text of Han (common, Traditional, beyond the BMP), kana, Latin words, numbers
    /// and separators, in random order.
    fn mixed(seed: u64, len: usize) -> String {
        const PIECES: [&str; 16] = [
            "低", "保", "脫", "贫", "户", "𠀀", "ア", "の", "App", "5万", "，", " ", "x9", "é",
            "（", "办",
        ];
        let mut next = crate::testing::xorshift(seed.wrapping_mul(6364136223846793005) | 1);
        (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect()
    }

    /// Each field's tokens as a plain reading of the rules: every unit, and every two
    /// adjacent units joined.
    fn expected(docs: &[Doc]) -> BTreeMap<String, [Vec<u32>; 3]> {
        let mut out: BTreeMap<String, [Vec<u32>; 3]> = BTreeMap::new();
        for (d, doc) in docs.iter().enumerate() {
            for (f, text) in doc.fields.iter().enumerate() {
                let u = units(text);
                let mut set = BTreeSet::new();
                for (k, unit) in u.iter().enumerate() {
                    let Some(unit) = unit else { continue };
                    set.insert(unit.clone());
                    if let Some(Some(next)) = u.get(k + 1) {
                        set.insert(format!("{unit}{next}"));
                    }
                }
                for t in set {
                    out.entry(t).or_default()[f].push(d as u32);
                }
            }
        }
        out
    }

    #[test]
    fn each_token_is_posted_once_a_field_in_document_order() {
        let docs: Vec<Doc> = (0..60)
            .map(|i| {
                let mut doc = super::super::fixtures::doc(i, i as u64, 0);
                doc.pinyin = String::new();
                for (f, len) in [(0, 4), (1, 3), (2, 300)] {
                    doc.fields[f] = mixed(i as u64 * 7 + f as u64, len).into();
                }
                doc
            })
            .collect();
        let mut p = Postings::default();
        for (d, doc) in docs.iter().enumerate() {
            p.add(d as u32, doc);
        }
        let maps = p.finish();
        let mut got: BTreeMap<String, [Vec<u32>; 3]> = maps.words.into_iter().collect();
        for (key, lists) in maps.pairs {
            assert!(got.insert(pair_token(key), lists).is_none());
        }
        let want = expected(&docs);
        assert!(want.len() > 150, "too few tokens to test: {}", want.len());
        assert!(want.contains_key("𠀀") && want.contains_key("app低"));
        assert_eq!(got, want);
    }
}
