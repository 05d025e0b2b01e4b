//! The index kept in memory between rebuilds (`mingbai serve`). A save re-indexes only
//! the entries whose text changed and rewrites only the files those changes reach: the
//! posting shards of the tokens that gained or lost an entry, and the entries' own
//! result and snippet shards. What it writes is byte for byte what a full build writes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::postings::{self, Postings, pair_token};
use super::{
    Doc, DocShard, Index, Out, encode_lists, entry_size, shard_count, shard_of, write_files,
    write_manifest, write_posting_shard,
};
use crate::output::Sink;

pub(crate) struct LiveIndex {
    index: Index,
    /// Every token's lists as written.
    encoded: HashMap<String, [String; 3]>,
    /// Posting shards in the files as written.
    shards: usize,
}

/// What an update wrote.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Update {
    /// Entries re-indexed.
    pub docs: usize,
    /// Files rewritten (`None`: all of them).
    pub files: Option<usize>,
}

impl LiveIndex {
    /// Indexes `docs` and writes the whole index.
    pub(crate) fn new(docs: Vec<Doc>, sink: &dyn Sink) -> std::io::Result<LiveIndex> {
        let index = Index::build(docs);
        let n = index.docs.len();
        let encoded: HashMap<String, [String; 3]> = index
            .postings
            .par_iter()
            .map(|(t, lists)| (t.clone(), encode_lists(lists, n)))
            .collect();
        let live = LiveIndex {
            shards: shard_count_of(&encoded),
            index,
            encoded,
        };
        live.write_all(sink)?;
        Ok(live)
    }

    /// Whether `docs` are the same entries in the same order (document numbers stay),
    /// so that [`LiveIndex::update`] applies.
    pub(crate) fn fits(&self, docs: &[Doc]) -> bool {
        docs.len() == self.index.docs.len()
            && docs
                .iter()
                .zip(&self.index.docs)
                .all(|(a, b)| a.url == b.url)
    }

    /// Brings the index and its files up to date with `docs`, which must [`fit`].
    ///
    /// [`fit`]: LiveIndex::fits
    pub(crate) fn update(&mut self, docs: Vec<Doc>, sink: &dyn Sink) -> std::io::Result<Update> {
        debug_assert!(self.fits(&docs), "update needs the same entries in order");
        let n = docs.len();
        let mut changed = Vec::new();
        let mut touched: BTreeSet<String> = BTreeSet::new();
        for (d, new) in docs.into_iter().enumerate() {
            if self.index.docs[d] == new {
                continue;
            }
            let old = tokens_of(&self.index.docs[d]);
            let now = tokens_of(&new);
            for t in old.keys().chain(now.keys()) {
                let was = old.get(t).copied().unwrap_or_default();
                let is = now.get(t).copied().unwrap_or_default();
                if was != is {
                    self.move_doc(t, d as u32, was, is);
                    touched.insert(t.clone());
                }
            }
            self.index.docs[d] = new;
            changed.push(d);
        }
        if changed.is_empty() {
            return Ok(Update::default());
        }
        for t in &touched {
            match self.index.postings.get(t) {
                Some(lists) => self.encoded.insert(t.clone(), encode_lists(lists, n)),
                None => self.encoded.remove(t),
            };
        }
        let shards = shard_count_of(&self.encoded);
        if shards != self.shards {
            // The index outgrew (or shrank below) its shard count: every token moves.
            self.shards = shards;
            self.write_all(sink)?;
            return Ok(Update {
                docs: changed.len(),
                files: None,
            });
        }
        let mut parts: BTreeMap<usize, Vec<(&str, &[String; 3])>> = touched
            .iter()
            .map(|t| (shard_of(t, self.shards), Vec::new()))
            .collect();
        for (t, lists) in &self.encoded {
            if let Some(p) = parts.get_mut(&shard_of(t, self.shards)) {
                p.push((t, lists));
            }
        }
        let out = Out::new(sink);
        let mut files = 0;
        for (i, mut part) in parts {
            part.sort_unstable_by(|a, b| a.0.cmp(b.0));
            write_posting_shard(&out, i, &part)?;
            files += 1;
        }
        for kind in DocShard::ALL {
            let mut shards: Vec<usize> = changed.iter().map(|d| d / kind.per()).collect();
            shards.dedup();
            for s in shards {
                kind.write(&out, &self.index.docs, s)?;
                files += 1;
            }
        }
        write_manifest(
            &out,
            n,
            self.shards,
            self.encoded.keys().map(String::as_str),
        )?;
        Ok(Update {
            docs: changed.len(),
            files: Some(files + 1),
        })
    }

    fn write_all(&self, sink: &dyn Sink) -> std::io::Result<()> {
        let refs = self.encoded.iter().map(|(t, l)| (t.as_str(), l)).collect();
        write_files(&Out::new(sink), &self.index.docs, refs).map(|_| ())
    }

    /// Puts document `d` into or out of each of `t`'s three lists.
    fn move_doc(&mut self, t: &str, d: u32, was: [bool; 3], is: [bool; 3]) {
        let lists = self.index.postings.entry(t.to_string()).or_default();
        postings::move_doc(lists, d, was, is);
        if lists.iter().all(Vec::is_empty) {
            self.index.postings.remove(t);
        }
    }

    /// The files the index consists of now (others under `search/` are stale).
    pub(crate) fn file_names(&self) -> Vec<String> {
        super::file_names(self.index.docs.len(), self.shards)
    }
}

/// The number of posting shards the encoded lists make.
pub(super) fn shard_count_of(encoded: &HashMap<String, [String; 3]>) -> usize {
    shard_count(encoded.iter().map(|(t, l)| entry_size(t, l)).sum())
}

/// The tokens of one document and the fields they occur in, exactly as
/// [`Index::build`] indexes it.
pub(super) fn tokens_of(doc: &Doc) -> HashMap<String, [bool; 3]> {
    let mut p = Postings::default();
    p.add(0, doc);
    let p = p.finish();
    let present = |l: &[Vec<u32>; 3]| [!l[0].is_empty(), !l[1].is_empty(), !l[2].is_empty()];
    p.pairs
        .iter()
        .map(|(k, l)| (pair_token(*k), present(l)))
        .chain(p.words.iter().map(|(w, l)| (w.clone(), present(l))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{Mem, corpus, full, text};
    use super::*;

    #[test]
    fn updates_write_what_a_full_build_writes() {
        let docs = corpus(300, 400);
        let mem = Mem::default();
        let mut live = LiveIndex::new(docs.clone(), &mem).unwrap();
        assert!(live.shards > 1, "the test needs several posting shards");
        assert_eq!(mem.files(), full(docs.clone()));

        // A body edit (text added and text gone), a title edit, and one unchanged save.
        let mut next = docs.clone();
        next[7].fields[2] = format!("{}新增的小额信贷12317", &text(99, 200)).into();
        next[123].title = "危房改造".into();
        next[123].fields[0] = "危房改造".into();
        let before = mem.files();
        let u = live.update(next.clone(), &mem).unwrap();
        assert_eq!(u.docs, 2);
        let files = u.files.expect("same shard count");
        assert!(
            files < before.len(),
            "{files} of {} files rewritten",
            before.len()
        );
        assert_eq!(mem.files(), full(next.clone()));
        assert_eq!(live.update(next.clone(), &mem).unwrap(), Update::default());

        // An entry emptied: tokens only it had disappear from the shards.
        next[7].fields[2] = "".into();
        live.update(next.clone(), &mem).unwrap();
        assert_eq!(mem.files(), full(next));
    }

    #[test]
    fn growing_past_a_shard_boundary_rewrites_everything() {
        let docs = corpus(4, 10);
        let mem = Mem::default();
        let mut live = LiveIndex::new(docs.clone(), &mem).unwrap();
        assert_eq!(live.shards, 1);
        let mut next = docs;
        for (i, d) in next.iter_mut().enumerate() {
            d.fields[2] = text(1000 + i as u64, 4000).into();
        }
        let u = live.update(next.clone(), &mem).unwrap();
        assert_eq!(u.files, None);
        assert!(live.shards > 1);
        // Shards of the old layout that the new one no longer has are left behind by
        // the sink, not listed by the manifest; compare what the manifest names.
        let want = full(next);
        let got = mem.files();
        for (name, bytes) in &want {
            assert_eq!(got.get(name), Some(bytes), "{name}");
        }
    }

    #[test]
    fn fits_only_the_same_entries_in_order() {
        let docs = corpus(5, 10);
        let live = LiveIndex::new(docs.clone(), &Mem::default()).unwrap();
        assert!(live.fits(&docs));
        assert!(!live.fits(&docs[1..]));
        let mut swapped = docs;
        swapped.swap(0, 1);
        assert!(!live.fits(&swapped));
    }
}
