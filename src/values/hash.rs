//! Hashes of template values, for the page and card keys (a page or card is made again
//! only when the hash of what it reads changed).
//!
//! A map is hashed as the 128-bit digest of its entries, so the digest of a map that
//! many values hold (each entry's summary sits in its neighbours' pages, its section's
//! list and the site-wide lists) can be worked out once and looked up: a [`Memo`]. With
//! a memo or without, a value hashes the same; the memo only saves the walk.

use std::collections::HashMap;

use rayon::prelude::*;
use tera::Value;
use tera::value::ValueKind;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit hash of a template value (XXH3, the same in every run): the page and card
/// keys take values in by it, through a [`Memo`].
#[cfg(test)]
pub(crate) fn value_hash(v: &Value) -> u128 {
    hash_with(v, None)
}

fn hash_with(v: &Value, memo: Option<&Memo>) -> u128 {
    let mut h = Gather::new();
    hash_into(&mut h, v, memo);
    h.digest128()
}

/// The digests of maps many values share, by the address of the map they point to
/// (Tera's maps are reference-counted: every clone of a summary points to the same
/// one). The memo holds a clone of each, so no address it knows can be freed and
/// reused by another map while it lives.
#[derive(Default)]
pub(crate) struct Memo {
    held: Vec<Value>,
    digests: HashMap<usize, u128>,
}

impl Memo {
    /// Adds the maps among `values` (in parallel; those added before are looked up).
    pub(crate) fn add(&mut self, values: &[Value]) {
        let digests: Vec<Option<(usize, u128)>> = values
            .par_iter()
            .map(|v| {
                let map = v.as_map()?;
                Some((address(map), self.digest(map)))
            })
            .collect();
        self.digests.extend(digests.into_iter().flatten());
        self.held.extend(values.iter().cloned());
    }

    /// [`value_hash`] of `v`, looking up the maps this memo holds.
    pub(crate) fn hash(&self, v: &Value) -> u128 {
        hash_with(v, Some(self))
    }

    /// The digest of the map `v` (looked up when this memo holds it), or the
    /// [`Memo::hash`] of any other value.
    pub(crate) fn digest_of(&self, v: &Value) -> u128 {
        match v.as_map() {
            Some(map) => self.digest(map),
            None => self.hash(v),
        }
    }

    fn digest(&self, map: &tera::Map) -> u128 {
        match self.digests.get(&address(map)) {
            Some(&d) => d,
            None => map_digest(map, Some(self)),
        }
    }
}

/// The hash of each entry's own values ([`super::entry::entry_hash`]), made once
/// per build on first use: the page keys and the card keys both start from it.
#[derive(Default)]
pub(crate) struct EntryHashes(std::sync::OnceLock<Vec<u128>>);

impl EntryHashes {
    /// The hashes of `site`'s entries, whose shared values are `values` (the same two
    /// every time: the first call's are kept).
    pub(crate) fn get(&self, site: &crate::site::Site, values: &super::Values) -> &[u128] {
        self.0.get_or_init(|| {
            let memo = values.memo();
            (0..site.entries.len())
                .into_par_iter()
                .map(|i| super::entry::entry_hash(site, values, i, memo))
                .collect()
        })
    }
}

fn address(map: &tera::Map) -> usize {
    std::ptr::from_ref(map) as usize
}

/// `bytes` with their length before them, so that no two sequences hash alike.
pub(crate) fn frame(h: &mut impl Feed, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// What a hash is fed bytes through.
pub(crate) trait Feed {
    fn update(&mut self, bytes: &[u8]);
}

impl Feed for Xxh3 {
    fn update(&mut self, bytes: &[u8]) {
        Xxh3::update(self, bytes);
    }
}

/// XXH3-128 fed through a buffer: keys and value hashes are made of thousands of
/// parts of a few bytes (a float, a length, a kind), and a hasher call for each was
/// most of their time. Fed the same bytes, it gives the digest XXH3 gives them.
#[derive(Clone, Default)]
pub(crate) struct Gather {
    h: Xxh3,
    buf: Vec<u8>,
}

/// Bytes gathered before the hasher takes them.
const GATHER: usize = 4096;

impl Feed for Gather {
    fn update(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > GATHER {
            self.h.update(&self.buf);
            self.buf.clear();
        }
        if bytes.len() > GATHER {
            self.h.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }
}

impl Gather {
    pub(crate) fn new() -> Gather {
        Gather::default()
    }

    /// The digest of everything fed so far (feeding may go on).
    pub(crate) fn digest128(&self) -> u128 {
        if self.buf.is_empty() {
            return self.h.digest128();
        }
        let mut h = self.h.clone();
        h.update(&self.buf);
        h.digest128()
    }
}

/// Feeds a template value to `h`: its kind, whether a string is safe (written without
/// escaping), and its content; a map by its digest.
fn hash_into(h: &mut Gather, v: &Value, memo: Option<&Memo>) {
    let kind = v.kind();
    h.update(&[kind_tag(kind)]);
    match kind {
        ValueKind::String => {
            h.update(&[u8::from(v.is_safe())]);
            frame(h, v.as_str().unwrap_or_default().as_bytes());
        }
        ValueKind::Bool => h.update(&[u8::from(v.as_bool().unwrap_or_default())]),
        ValueKind::Array => {
            let items = v.as_array().unwrap_or_default();
            h.update(&(items.len() as u64).to_le_bytes());
            for item in items {
                hash_into(h, item, memo);
            }
        }
        ValueKind::Map => {
            let Some(map) = v.as_map() else { return };
            let digest = match memo {
                Some(memo) => memo.digest(map),
                None => map_digest(map, None),
            };
            h.update(&digest.to_le_bytes());
        }
        ValueKind::Bytes => frame(h, v.as_bytes().unwrap_or_default()),
        // Numbers (and anything newer) by their text: `1` and `1.0` print differently.
        _ => frame(h, v.to_string().as_bytes()),
    }
}

/// A map's entries, sorted by key, hashed on their own.
fn map_digest(map: &tera::Map, memo: Option<&Memo>) -> u128 {
    let mut h = Gather::new();
    h.update(&(map.len() as u64).to_le_bytes());
    // In key order: tera's maps keep none. Keys are nearly always strings.
    let mut entries: Vec<(std::borrow::Cow<'_, str>, &Value)> = map
        .iter()
        .map(|(k, item)| match k.as_str() {
            Some(s) => (s.into(), item),
            None => (k.to_string().into(), item),
        })
        .collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (k, item) in entries {
        frame(&mut h, k.as_bytes());
        hash_into(&mut h, item, memo);
    }
    h.digest128()
}

fn kind_tag(kind: ValueKind) -> u8 {
    match kind {
        ValueKind::Undefined => 0,
        ValueKind::None => 1,
        ValueKind::Bool => 2,
        ValueKind::U64 => 3,
        ValueKind::I64 => 4,
        ValueKind::U128 => 5,
        ValueKind::I128 => 6,
        ValueKind::F64 => 7,
        ValueKind::String => 8,
        ValueKind::Array => 9,
        ValueKind::Map => 10,
        ValueKind::Bytes => 11,
        _ => 12,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{self, obj};

    /// Every value a page or card of the sample handbook reads hashes the same through
    /// the memo as without it, and the memo is used: summaries are found in it.
    #[test]
    fn the_memo_saves_the_walk_and_changes_no_hash() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::site::Site::load(root).unwrap();
        let v = values::build(&site, &crate::print::run::links(&site), true);
        let memo = v.memo();
        assert!(memo.digests.len() >= site.entries.len() + site.sections.len());
        let mut checked = 0;
        for i in 0..site.entries.len() {
            for page in [
                values::entry_page(&site, &v, i, None),
                values::entry_print(&site, &v, i),
            ] {
                assert_eq!(memo.hash(&page), value_hash(&page), "entry {i}");
                checked += 1;
            }
            let summary = &v.entry_summaries[i];
            assert!(
                memo.digests
                    .contains_key(&address(summary.as_map().unwrap()))
            );
            assert_eq!(memo.hash(summary), value_hash(summary));
        }
        for (_, g) in &v.global {
            assert_eq!(memo.hash(g), value_hash(g));
        }
        assert_eq!(
            super::super::Shared::new(std::iter::empty(), &v.global, memo).hash(None),
            super::super::Shared::new(std::iter::empty(), &v.global, &Memo::default()).hash(None)
        );
        assert!(checked > 100, "{checked}");
    }

    /// An entry's print values with only some fields named hold those and its
    /// summary's, each as the whole values hold it; with every field named, the same
    /// values.
    #[test]
    fn named_print_values_are_the_whole_values_cut_down() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::site::Site::load(root).unwrap();
        let v = values::build(&site, &crate::print::run::links(&site), true);
        let shown = ["fields", "cites", "answer"];
        for i in 0..site.entries.len() {
            let whole = values::entry_print(&site, &v, i);
            assert_eq!(values::entry_print_named(&site, &v, i, &|_| true), whole);
            let cut = values::entry_print_named(&site, &v, i, &|k| shown.contains(&k));
            let (cut, whole) = (cut.as_map().unwrap(), whole.as_map().unwrap());
            let summary = v.entry_summaries[i].as_map().unwrap();
            for (k, val) in cut {
                assert_eq!(whole.get(k), Some(val), "entry {i} {k:?}");
            }
            for (k, _) in whole {
                let key = k.as_str().unwrap_or_default();
                assert_eq!(
                    cut.contains_key(k),
                    summary.contains_key(k) || shown.contains(&key),
                    "entry {i} {k:?}"
                );
            }
        }
    }

    /// A map held in a memo still hashes by what it holds: two maps alike hash alike,
    /// and one differing anywhere inside hashes apart, found in a memo or not.
    #[test]
    fn a_memoised_map_hashes_by_its_content() {
        let inner = |t: &str| obj([("title", Value::from(t)), ("n", Value::from(1))]);
        let a = inner("低保");
        let mut memo = Memo::default();
        memo.add(std::slice::from_ref(&a));
        let outer = |x: &Value| obj([("prev", x.clone()), ("list", Value::from(vec![x.clone()]))]);
        assert_eq!(memo.hash(&outer(&a)), value_hash(&outer(&inner("低保"))));
        assert_ne!(memo.hash(&outer(&a)), memo.hash(&outer(&inner("特困"))));
        // A map and the same entries in an array, or nested one level deeper, differ.
        let flat = Value::from(vec![Value::from("title"), Value::from("低保")]);
        assert_ne!(value_hash(&a), value_hash(&flat));
        assert_ne!(value_hash(&a), value_hash(&obj([("a", a.clone())])));
    }
}
