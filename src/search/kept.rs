//! The search index kept between builds (`.mingbai-cache/search.bin`). A build that
//! finds the index the last build saved, for the same entries in the same order,
//! indexes again only the entries whose searchable text changed: their tokens' lists
//! are updated, the posting shards those tokens fall in and the entries' own result
//! and snippet shards are written, and every other file of the index is carried over
//! from the previous output ([`Sink::carry`], which checks the file still holds the
//! bytes it had). What it writes is byte for byte what indexing every entry writes.
//!
//! The file holds, per entry, its address and a hash of everything indexed about it;
//! per token, its lists as the index files have them; per file, its size and hash:
//! nothing the published index does not show. It is replaced only after a build
//! succeeded; one that is damaged, cut short or from another version is ignored (every
//! entry is indexed).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::codec::{decode, held};
use super::live::{shard_count_of, tokens_of};
use super::postings::move_doc;
use super::{
    Doc, DocShard, Index, Out, encode_lists, file_names, shard_of, write_files, write_manifest,
    write_posting_shard,
};
use crate::output::{Digest, Sink};
use crate::print::cache::{DIR, Fields, put_str, read_file, seal, unseal};
use crate::values::frame;

const FILE: &str = "search.bin";
const MAGIC: &[u8] = concat!("mingbai search index 2 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// Each token's three lists, encoded as the index files hold them.
type Encoded = HashMap<String, [String; 3]>;
/// A token whose lists held a changed entry: the lists, and which entries in which field.
type Held = (String, [Vec<u32>; 3], Vec<(u32, usize)>);

/// What a build saved.
struct Saved {
    /// Per entry in index order: its address and [`doc_hash`].
    docs: Vec<(String, u128)>,
    shards: usize,
    encoded: Encoded,
    /// The index's files: path in the output → size and hash.
    files: HashMap<String, Digest>,
}

pub(crate) struct KeptIndex {
    dir: Option<PathBuf>,
    old: Option<Saved>,
    /// This build's index, ready for [`KeptIndex::save`].
    new: Option<Vec<u8>>,
}

/// What writing the index did: its size in bytes, its number of files, and how many
/// entries were indexed (all of them, unless the saved index was brought up to date).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Written {
    pub(crate) bytes: u64,
    pub(crate) files: usize,
    pub(crate) indexed: usize,
}

impl KeptIndex {
    /// The index the last build of the site at `root` saved (none if it saved none).
    pub(crate) fn open(root: &Path) -> KeptIndex {
        let dir = root.join(DIR);
        let old = read_file(&dir.join(FILE)).and_then(|bytes| parse(unseal(&bytes)?));
        KeptIndex {
            dir: Some(dir),
            old,
            new: None,
        }
    }

    /// Writes the index of `docs` into `sink`: brought up to date from the saved one
    /// when it fits, else made from every entry.
    pub(crate) fn write(&mut self, docs: Vec<Doc>, sink: &dyn Sink) -> std::io::Result<Written> {
        let n = docs.len();
        let hashes: Vec<u128> = docs.par_iter().map(doc_hash).collect();
        let out = Out::new(sink);
        let (docs, shards, encoded, indexed) =
            match self.old.take().and_then(|old| update(old, &docs, &hashes)) {
                Some(update) => {
                    let shards = update.write(&docs, &out)?;
                    (docs, shards, update.encoded, update.changed.len())
                }
                None => {
                    let index = Index::build(docs);
                    let encoded: Encoded = index
                        .postings
                        .par_iter()
                        .map(|(t, lists)| (t.clone(), encode_lists(lists, n)))
                        .collect();
                    let refs = encoded.iter().map(|(t, l)| (t.as_str(), l)).collect();
                    write_files(&out, &index.docs, refs)?;
                    (index.docs, shard_count_of(&encoded), encoded, n)
                }
            };
        self.new = Some(to_bytes(&docs, &hashes, shards, &encoded, &out));
        Ok(written(&out, n, indexed))
    }

    /// Replaces the saved index with this build's; called once the build succeeded.
    /// A saved index is only a saving: when it cannot be written, nothing else fails.
    pub(crate) fn save(self) {
        if let (Some(dir), Some(bytes)) = (self.dir, self.new) {
            crate::print::cache::replace_file(&dir, FILE, &seal(bytes));
        }
    }
}

fn written(out: &Out, n: usize, indexed: usize) -> Written {
    let files = out.files.lock().unwrap();
    Written {
        bytes: files.iter().map(|(_, d)| d.len()).sum(),
        files: files.len(),
        indexed: indexed.min(n),
    }
}

/// A hash of everything the index holds of `doc`.
fn doc_hash(doc: &Doc) -> u128 {
    let mut h = Xxh3::new();
    for s in [
        &doc.url,
        &doc.title,
        &doc.section,
        &doc.summary,
        &doc.id,
        &doc.pinyin,
    ] {
        frame(&mut h, s.as_bytes());
    }
    for list in [&doc.aliases, &doc.tags] {
        h.update(&(list.len() as u64).to_le_bytes());
        for s in list {
            frame(&mut h, s.as_bytes());
        }
    }
    for f in &doc.fields {
        h.update(&f.hash().to_le_bytes());
    }
    h.digest128()
}

/// A token's three lists as [`encode_lists`] wrote them, decoded.
fn decode_lists(enc: &[String; 3], n: usize) -> Option<[Vec<u32>; 3]> {
    Some([
        decode(&enc[0], n)?,
        decode(&enc[1], n)?,
        decode(&enc[2], n)?,
    ])
}

/// The saved index brought up to date, before its files are written.
struct Update {
    old_shards: usize,
    old_files: HashMap<String, Digest>,
    encoded: Encoded,
    /// Tokens whose lists changed.
    touched: BTreeSet<String>,
    /// Entries whose text changed, ascending.
    changed: Vec<u32>,
}

/// More changed entries than this share of all: index them all again.
const MOST: usize = 4;

/// The saved index with the entries of `docs` whose hash changed indexed again; `None`
/// when it does not apply (other entries or order, most entries changed, a damaged list).
fn update(old: Saved, docs: &[Doc], hashes: &[u128]) -> Option<Update> {
    let n = docs.len();
    if old.docs.len() != n || old.docs.iter().zip(docs).any(|((url, _), d)| *url != d.url) {
        return None;
    }
    let changed: Vec<u32> = (0..n)
        .filter(|&d| old.docs[d].1 != hashes[d])
        .map(|d| d as u32)
        .collect();
    if changed.len() > n / MOST {
        return None;
    }
    let mut encoded = old.encoded;
    // Which tokens held a changed entry, and in which fields: every list is read as far
    // as the last changed entry.
    let found: Vec<Option<Held>> = encoded
        .par_iter()
        .map(|(t, enc)| {
            // Looked for without decoding the lists: only those holding one are.
            let mut hits: Vec<(u32, usize)> = Vec::new();
            for (f, list) in enc.iter().enumerate() {
                let held = held(list, n, &changed)?;
                hits.extend(
                    changed
                        .iter()
                        .zip(held)
                        .filter(|(_, h)| *h)
                        .map(|(&d, _)| (d, f)),
                );
            }
            if hits.is_empty() {
                return Some(None);
            }
            Some(Some((t.clone(), decode_lists(enc, n)?, hits)))
        })
        .collect::<Option<Vec<_>>>()?;
    let mut raw: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
    let mut was: HashMap<u32, HashMap<String, [bool; 3]>> = HashMap::new();
    for (t, lists, hits) in found.into_iter().flatten() {
        for (d, f) in hits {
            was.entry(d).or_default().entry(t.clone()).or_default()[f] = true;
        }
        raw.insert(t, lists);
    }
    let mut touched = BTreeSet::new();
    for &d in &changed {
        let now = tokens_of(&docs[d as usize]);
        let before = was.remove(&d).unwrap_or_default();
        for t in before.keys().chain(now.keys()) {
            let w = before.get(t).copied().unwrap_or_default();
            let i = now.get(t).copied().unwrap_or_default();
            if w == i {
                continue;
            }
            if !raw.contains_key(t) {
                let lists = match encoded.get(t) {
                    Some(enc) => decode_lists(enc, n)?,
                    None => Default::default(),
                };
                raw.insert(t.clone(), lists);
            }
            move_doc(raw.get_mut(t)?, d, w, i);
            touched.insert(t.clone());
        }
    }
    for t in &touched {
        let lists = &raw[t];
        if lists.iter().all(Vec::is_empty) {
            encoded.remove(t);
        } else {
            encoded.insert(t.clone(), encode_lists(lists, n));
        }
    }
    Some(Update {
        old_shards: old.shards,
        old_files: old.files,
        encoded,
        touched,
        changed,
    })
}

impl Update {
    /// Writes the files the update changed and carries the others over; returns the
    /// number of posting shards.
    fn write(&self, docs: &[Doc], out: &Out) -> std::io::Result<usize> {
        let n = docs.len();
        let shards = shard_count_of(&self.encoded);
        let moved = shards != self.old_shards;
        let dirty: BTreeSet<usize> = self.touched.iter().map(|t| shard_of(t, shards)).collect();
        // A file is carried over when the last build wrote it and nothing in it changed.
        let carried = |rel: &str| {
            self.old_files
                .get(rel)
                .is_some_and(|&digest| out.carry(rel, digest))
        };
        let mut parts: Vec<Vec<(&str, &[String; 3])>> = vec![Vec::new(); shards];
        for (t, lists) in &self.encoded {
            parts[shard_of(t, shards)].push((t, lists));
        }
        parts.par_iter_mut().enumerate().try_for_each(|(i, part)| {
            if !moved && !dirty.contains(&i) && carried(&format!("search/p{i}.js")) {
                return Ok(());
            }
            part.sort_unstable_by(|a, b| a.0.cmp(b.0));
            write_posting_shard(out, i, part).map(|_| ())
        })?;
        let doc_shards: Vec<(DocShard, usize)> = DocShard::ALL
            .into_iter()
            .flat_map(|kind| (0..n.div_ceil(kind.per())).map(move |s| (kind, s)))
            .collect();
        doc_shards.par_iter().try_for_each(|&(kind, s)| {
            let per = kind.per() as u32;
            let range = s as u32 * per..(s as u32 + 1) * per;
            let dirty = self.changed.iter().any(|d| range.contains(d));
            if !dirty && carried(&kind.file(s)) {
                return Ok(());
            }
            kind.write(out, docs, s).map(|_| ())
        })?;
        write_manifest(out, n, shards, self.encoded.keys().map(String::as_str))?;
        debug_assert_eq!(out.files.lock().unwrap().len(), file_names(n, shards).len());
        Ok(shards)
    }
}

/// Reads `body` as a saved index (without its checksum) and, when it reads, brings it
/// up to date for its first entry changed and writes the result nowhere: what the
/// fuzz target runs, since anyone may change the file.
pub(crate) fn fuzz(body: &[u8]) {
    let Some(saved) = parse(body) else { return };
    if saved.docs.len() > 4096 {
        return;
    }
    let docs: Vec<Doc> = saved
        .docs
        .iter()
        .map(|(url, _)| {
            let text = [
                "改动的小额信贷12317".into(),
                String::new(),
                String::new(),
                String::new(),
            ];
            Doc::new(
                url.clone(),
                "x".into(),
                text,
                "正文".into(),
                Vec::new(),
                Vec::new(),
            )
        })
        .collect();
    let mut hashes: Vec<u128> = saved.docs.iter().map(|&(_, h)| h).collect();
    if let Some(h) = hashes.first_mut() {
        *h = h.wrapping_add(1);
    }
    if let Some(update) = update(saved, &docs, &hashes) {
        let _ = update.write(&docs, &Out::new(&crate::output::NullSink::default()));
    }
}

/// The saved form of an index (before its checksum).
fn to_bytes(docs: &[Doc], hashes: &[u128], shards: usize, encoded: &Encoded, out: &Out) -> Vec<u8> {
    let size: usize = encoded
        .iter()
        .map(|(t, l)| 16 + t.len() + l.iter().map(String::len).sum::<usize>())
        .sum();
    let mut w = Vec::with_capacity(size + docs.len() * 64 + 4096);
    w.extend_from_slice(MAGIC);
    w.extend_from_slice(&(docs.len() as u64).to_le_bytes());
    for (doc, hash) in docs.iter().zip(hashes) {
        put_str(&mut w, &doc.url);
        w.extend_from_slice(&hash.to_le_bytes());
    }
    w.extend_from_slice(&(shards as u64).to_le_bytes());
    // In token order: the same index, the same file.
    let mut tokens: Vec<(&String, &[String; 3])> = encoded.iter().collect();
    tokens.sort_unstable_by(|a, b| a.0.cmp(b.0));
    w.extend_from_slice(&(tokens.len() as u64).to_le_bytes());
    for (t, lists) in tokens {
        put_str(&mut w, t);
        for l in lists {
            put_str(&mut w, l);
        }
    }
    let mut files = out.files.lock().unwrap().clone();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    w.extend_from_slice(&(files.len() as u64).to_le_bytes());
    for (rel, digest) in files {
        put_str(&mut w, &rel);
        let (len, hash) = digest.parts();
        w.extend_from_slice(&len.to_le_bytes());
        w.extend_from_slice(&hash.to_le_bytes());
    }
    w
}

/// A saved index (without its checksum); `None` when it does not read whole.
fn parse(body: &[u8]) -> Option<Saved> {
    let mut r = Fields(body.strip_prefix(MAGIC)?);
    let n = r.u64()?;
    // Counts are checked against the bytes left before anything is sized by them.
    let fits = |r: &Fields, count: u64, least: u64| {
        count
            .checked_mul(least)
            .is_some_and(|b| b <= r.0.len() as u64)
    };
    if !fits(&r, n, 20) {
        return None;
    }
    let mut docs = Vec::with_capacity(n as usize);
    for _ in 0..n {
        docs.push((r.str()?.to_string(), r.u128()?));
    }
    let shards = usize::try_from(r.u64()?).ok()?;
    if !shards.is_power_of_two() {
        return None;
    }
    let count = r.u64()?;
    if !fits(&r, count, 16) {
        return None;
    }
    let mut encoded = HashMap::with_capacity(count as usize);
    for _ in 0..count {
        let t = r.str()?.to_string();
        let lists = [
            r.str()?.to_string(),
            r.str()?.to_string(),
            r.str()?.to_string(),
        ];
        encoded.insert(t, lists);
    }
    let count = r.u64()?;
    if !fits(&r, count, 20) {
        return None;
    }
    let mut files = HashMap::with_capacity(count as usize);
    for _ in 0..count {
        files.insert(r.str()?.to_string(), r.digest()?);
    }
    r.0.is_empty().then_some(Saved {
        docs,
        shards,
        encoded,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{Mem, corpus, full, text};
    use super::*;

    /// A kept index in `dir` (none saved yet).
    fn kept(dir: &Path) -> KeptIndex {
        KeptIndex::open(dir)
    }

    /// Writes `docs` after `previous` (the last output) with the index saved in `dir`,
    /// saves it, and returns what was written and how.
    fn build(dir: &Path, docs: &[Doc], previous: &Mem) -> (Mem, Written) {
        let mut k = kept(dir);
        let mem = Mem::after(previous.files());
        let w = k.write(docs.to_vec(), &mem).unwrap();
        k.save();
        (mem, w)
    }

    #[test]
    fn a_kept_index_writes_what_indexing_every_entry_writes() {
        let dir = tempfile::tempdir().unwrap();
        let docs = corpus(300, 400);
        let (first, w) = build(dir.path(), &docs, &Mem::default());
        assert_eq!(w.indexed, 300);
        assert_eq!(first.files(), full(docs.clone()));
        assert_eq!(w.files, first.files().len());
        assert_eq!(
            w.bytes,
            first.files().values().map(|b| b.len() as u64).sum::<u64>()
        );

        // A body edit (text added and text gone) and a title edit.
        let mut next = docs.clone();
        next[7].fields[2] = format!("{}新增的小额信贷12317", &text(99, 200)).into();
        next[123].title = "危房改造".into();
        next[123].fields[0] = "危房改造".into();
        let (second, w) = build(dir.path(), &next, &first);
        assert_eq!(w.indexed, 2);
        let want = full(next.clone());
        assert_eq!(second.files(), want);
        // Every file whose bytes stay the same is carried over, and only those.
        let same = first
            .files()
            .iter()
            .filter(|&(f, b)| want.get(f) == Some(b))
            .count();
        assert!(same > 0);
        assert_eq!(second.carried(), same);
        let all = want.len();

        // Nothing changed: everything carried over.
        let (third, w) = build(dir.path(), &next, &second);
        assert_eq!(w.indexed, 0);
        assert_eq!(third.carried(), all);
        assert_eq!(third.files(), full(next.clone()));

        // A file of the previous output changed by hand is written again, not kept.
        let mut edited = third.files();
        for bytes in edited.values_mut() {
            bytes.push(b' ');
        }
        let (fourth, _) = build(dir.path(), &next, &Mem::after(edited));
        assert_eq!(fourth.carried(), 0);
        assert_eq!(fourth.files(), full(next.clone()));

        // An entry emptied: tokens only it had leave the index.
        next[7].fields[2] = "".into();
        let (fifth, w) = build(dir.path(), &next, &fourth);
        assert_eq!(w.indexed, 1);
        assert_eq!(fifth.files(), full(next));
    }

    #[test]
    fn other_entries_or_most_of_them_changed_index_everything() {
        let dir = tempfile::tempdir().unwrap();
        let docs = corpus(40, 100);
        let (first, _) = build(dir.path(), &docs, &Mem::default());
        // One entry more.
        let more = corpus(41, 100);
        let (second, w) = build(dir.path(), &more, &first);
        assert_eq!(w.indexed, 41);
        assert_eq!(second.files(), full(more.clone()));
        // Two entries swapped.
        let mut swapped = more.clone();
        swapped.swap(0, 1);
        let (third, w) = build(dir.path(), &swapped, &second);
        assert_eq!(w.indexed, 41);
        assert_eq!(third.files(), full(swapped.clone()));
        // Most entries changed.
        let mut most = swapped.clone();
        for (i, d) in most.iter_mut().enumerate().take(30) {
            d.fields[2] = text(500 + i as u64, 100).into();
        }
        let (fourth, w) = build(dir.path(), &most, &third);
        assert_eq!(w.indexed, 41);
        assert_eq!(fourth.files(), full(most));
    }

    #[test]
    fn an_index_that_outgrows_its_shards_is_laid_out_again() {
        let dir = tempfile::tempdir().unwrap();
        let docs = corpus(40, 10);
        let (first, _) = build(dir.path(), &docs, &Mem::default());
        let mut next = docs.clone();
        for (i, d) in next.iter_mut().enumerate().take(10) {
            d.fields[2] = text(1000 + i as u64, 6000).into();
        }
        let (second, w) = build(dir.path(), &next, &first);
        assert_eq!(w.indexed, 10);
        let want = full(next);
        assert!(
            want.keys().filter(|f| f.starts_with("search/p")).count()
                > first
                    .files()
                    .keys()
                    .filter(|f| f.starts_with("search/p"))
                    .count()
        );
        assert_eq!(second.files(), want);
    }

    #[test]
    fn a_damaged_saved_index_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let docs = corpus(30, 50);
        build(dir.path(), &docs, &Mem::default());
        let path = dir.path().join(DIR).join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        let body = unseal(&bytes).unwrap();
        assert!(parse(body).is_some());
        for cut in 0..body.len() {
            assert!(parse(&body[..cut]).is_none(), "cut at {cut}");
        }
        let mut damaged = bytes.clone();
        let at = damaged.len() / 2;
        damaged[at] ^= 1;
        std::fs::write(&path, &damaged).unwrap();
        assert!(kept(dir.path()).old.is_none());
        // Lists that do not decode (a checksum that holds over bad contents).
        let mut saved = parse(body).unwrap();
        for lists in saved.encoded.values_mut() {
            lists[2] = "v!!!!".into();
        }
        let mut next = docs.clone();
        next[3].fields[2] = "改".into();
        let hashes: Vec<u128> = next.iter().map(doc_hash).collect();
        assert!(update(saved, &next, &hashes).is_none());
    }
}
