//! Chinese full-text search that works offline. Chinese has no spaces, so the index
//! holds every character and every pair of adjacent characters (bigrams) of each entry;
//! Latin words and numbers are units of their own ("12317", "app", "5万" is 5 + 万). Any
//! query of two or more characters is found by intersecting its bigrams' posting lists,
//! so every entry that contains it is found; a one-character query uses the characters.
//!
//! The index is written as JavaScript files that call a loader function, not JSON: a
//! site opened straight from disk (file://) may not `fetch()`, but may load scripts.
//! Posting lists are sharded by token hash and loaded lazily, so a query on a
//! 10,000-entry site reads a few shards; each list is a delta-varint list or a bitmap,
//! whichever is smaller. Ranking: title, alias and id hits, then summary, policy
//! fields, tags and chapter title, then body text, then pinyin hits on names.
//!
//! What people type is found too: Traditional characters are folded to Simplified in
//! the index and the query (`fold`), and titles, aliases and tags are also indexed by
//! pinyin and initials (`pinyin`), so 脫貧, xiaoe and xedk find their entries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::output::{Digest, Sink};
use crate::site::Site;

mod codec;
#[cfg(test)]
mod fixtures;
mod fold;
mod kept;
mod live;
mod pinyin;
mod postings;
#[cfg(test)]
mod query;
mod tokens;

pub(crate) use codec::fnv;
use codec::{encode, js};
pub(crate) use kept::{KeptIndex, fuzz as fuzz_saved_index};
pub(crate) use live::LiveIndex;
use postings::{Maps, Postings, pair_token};
#[cfg(test)]
pub(crate) use tokens::{query_tokens, units};

#[cfg(test)]
/// Fields a match can be in, best first.
pub(crate) const TITLE: usize = 0;
#[cfg(test)]
pub(crate) const SUMMARY: usize = 1;
#[cfg(test)]
pub(crate) const BODY: usize = 2;
#[cfg(test)]
/// Not a field of the text: a pinyin hit on a title, alias or tag, ranked last.
pub(crate) const PINYIN: usize = 3;

/// One entry's searchable text, by field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub url: String,
    pub title: String,
    pub section: String,
    pub summary: String,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// The entry's id (xindai/xiaoe): what its address says, found like a title.
    pub id: String,
    /// Title, aliases and tags as syllables (see `pinyin::encode`).
    pub pinyin: String,
    /// Per field: the text indexed (the body's that of the entry's rendering).
    pub fields: [Text; 3],
}

/// A field's text. The body's is the entry's rendering, shared with it and read (so
/// rendered, for a body rendered on first use) only when indexed or shown: a kept
/// index tells a changed entry by the text's hash, made when the body was rendered.
#[derive(Clone)]
pub(crate) enum Text {
    Str(Arc<str>),
    Body(Arc<crate::markdown::Rendered>),
}

impl Text {
    /// XXH3-128 of the text.
    pub(crate) fn hash(&self) -> u128 {
        match self {
            Text::Str(s) => xxhash_rust::xxh3::xxh3_128(s.as_bytes()),
            Text::Body(r) => r.plain_hash,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Str(s) => s,
            Text::Body(r) => r.plain(),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Str(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Str(s.into())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl Doc {
    /// A document from its parts: title, aliases and id make the first field; summary
    /// and policy fields (`more`), tags and chapter title the second; `body` the third.
    pub(crate) fn new(
        url: String,
        id: String,
        [title, section, summary, more]: [String; 4],
        body: Text,
        aliases: Vec<String>,
        tags: Vec<String>,
    ) -> Doc {
        let names: Vec<&str> = std::iter::once(title.as_str())
            .chain(aliases.iter().map(String::as_str))
            .chain(tags.iter().map(String::as_str))
            .collect();
        let pinyin = pinyin::encode(&names);
        let first = std::iter::once(title.as_str())
            .chain(aliases.iter().map(String::as_str))
            .chain(std::iter::once(id.as_str()))
            .collect::<Vec<_>>()
            .join("\n");
        let mut second = summary.clone();
        for s in std::iter::once(&more).chain(&tags).chain([&section]) {
            if !s.is_empty() {
                second.push('\n');
                second.push_str(s);
            }
        }
        Doc {
            url,
            fields: [first.into(), second.into(), body],
            title,
            section,
            summary,
            aliases,
            tags,
            id,
            pinyin,
        }
    }
}

pub(crate) fn docs(site: &Site) -> Vec<Doc> {
    // In parallel: each title's pinyin is looked up character by character.
    site.entries
        .par_iter()
        .map(|n| {
            let e = &n.entry;
            let aliases = e.policy().map(|p| p.aliases.clone()).unwrap_or_default();
            let mut more = String::new();
            if let Some(p) = e.policy() {
                for s in [&p.targets, &p.amount, &p.office, &p.phone, &p.issuer]
                    .into_iter()
                    .flatten()
                {
                    more.push('\n');
                    more.push_str(s);
                }
                for list in [&p.conditions, &p.steps, &p.materials, &p.basis] {
                    for s in list {
                        more.push('\n');
                        more.push_str(s);
                    }
                }
            }
            Doc::new(
                n.url.clone(),
                e.id.clone(),
                [
                    e.title.clone(),
                    site.sections[n.section].section.title.clone(),
                    e.summary().to_string(),
                    more,
                ],
                Text::Body(n.rendered.clone()),
                aliases,
                e.tags.clone(),
            )
        })
        .collect()
}

/// Sorted doc ids per token and field.
pub(crate) struct Index {
    pub docs: Vec<Doc>,
    pub postings: HashMap<String, [Vec<u32>; 3]>,
}

impl Index {
    /// Builds the postings in parallel: each worker indexes a run of documents, and the
    /// runs are joined in order, so every list stays sorted without sorting it.
    pub(crate) fn build(docs: Vec<Doc>) -> Index {
        // One run per thread: every extra run costs a merge of large maps.
        let per = docs.len().div_ceil(rayon::current_num_threads()).max(1);
        let parts = docs
            .par_chunks(per)
            .enumerate()
            .map(|(c, chunk)| {
                let mut p = Postings::default();
                for (k, doc) in chunk.iter().enumerate() {
                    p.add((c * per + k) as u32, doc);
                }
                p.finish()
            })
            .reduce(Maps::default, Maps::join);
        let mut postings: HashMap<String, [Vec<u32>; 3]> =
            HashMap::with_capacity(parts.pairs.len() + parts.words.len());
        for (key, lists) in parts.pairs {
            postings.insert(pair_token(key), lists);
        }
        postings.extend(parts.words);
        Index { docs, postings }
    }

    /// The index as files under `search/`: its total size in bytes and number of files.
    pub(crate) fn write(&self, sink: &dyn Sink) -> std::io::Result<(u64, usize)> {
        let n = self.docs.len();
        let encoded: Vec<(&String, [String; 3])> = self
            .postings
            .par_iter()
            .map(|(t, lists)| (t, encode_lists(lists, n)))
            .collect();
        let refs = encoded.iter().map(|(t, l)| (t.as_str(), l)).collect();
        write_files(&Out::new(sink), &self.docs, refs)
    }
}

/// Where the index's files go: the sink, with a note of each file's digest (by which
/// a kept index carries unchanged files over next time).
pub(super) struct Out<'a> {
    sink: &'a dyn Sink,
    files: Mutex<Vec<(String, Digest)>>,
}

impl<'a> Out<'a> {
    pub(super) fn new(sink: &'a dyn Sink) -> Out<'a> {
        Out {
            sink,
            files: Mutex::default(),
        }
    }

    /// Writes `body` as `rel`; returns its size.
    pub(super) fn put(&self, rel: String, body: &[u8]) -> std::io::Result<u64> {
        let digest = Digest::of(body);
        self.sink.write_digested(&rel, body, digest)?;
        self.files.lock().unwrap().push((rel, digest));
        Ok(body.len() as u64)
    }

    /// Carries `rel` over from the previous output when it holds `digest` there.
    pub(super) fn carry(&self, rel: &str, digest: Digest) -> bool {
        let carried = self.sink.carry(rel, digest);
        if carried {
            self.files.lock().unwrap().push((rel.to_string(), digest));
        }
        carried
    }
}

/// Writes every file of an index: `encoded` holds each token's encoded lists.
fn write_files(
    out: &Out,
    docs: &[Doc],
    mut encoded: Vec<(&str, &[String; 3])>,
) -> std::io::Result<(u64, usize)> {
    let n = docs.len();
    // Shards list their tokens in a fixed order: the same site, the same files.
    encoded.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let total: usize = encoded.iter().map(|(t, l)| entry_size(t, l)).sum();
    let shards = shard_count(total);
    let mut parts: Vec<Vec<(&str, &[String; 3])>> = vec![Vec::new(); shards];
    for &(t, lists) in &encoded {
        parts[shard_of(t, shards)].push((t, lists));
    }
    // Each file made and written on its own: in parallel.
    let mut bytes: u64 = parts
        .par_iter()
        .enumerate()
        .map(|(i, part)| write_posting_shard(out, i, part))
        .sum::<std::io::Result<u64>>()?;
    let doc_shards: Vec<(DocShard, usize)> = DocShard::ALL
        .into_iter()
        .flat_map(|kind| (0..n.div_ceil(kind.per())).map(move |s| (kind, s)))
        .collect();
    bytes += doc_shards
        .par_iter()
        .map(|&(kind, s)| kind.write(out, docs, s))
        .sum::<std::io::Result<u64>>()?;
    bytes += write_manifest(out, n, shards, encoded.iter().map(|(t, _)| *t))?;
    Ok((bytes, file_names(n, shards).len()))
}

/// Whether `rel` (a path in the output) is one of the index's files, of any size of
/// index; the search page and theme files beside them are not.
pub(crate) fn is_index_file(rel: &str) -> bool {
    let Some(name) = rel
        .strip_prefix("search/")
        .and_then(|n| n.strip_suffix(".js"))
    else {
        return false;
    };
    name == "manifest"
        || name
            .strip_prefix(['p', 'm', 't'])
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The files of an index of `n` entries in `shards` posting shards.
fn file_names(n: usize, shards: usize) -> Vec<String> {
    (0..shards)
        .map(|i| format!("search/p{i}.js"))
        .chain(
            DocShard::ALL
                .into_iter()
                .flat_map(|k| (0..n.div_ceil(k.per())).map(move |s| k.file(s))),
        )
        .chain(std::iter::once("search/manifest.js".to_string()))
        .collect()
}

// Entries: address, title, section, summary (for result lists) in shards of PER; and
// their text for snippets, in shards of TPER loaded only for the results on screen. The
// body is kept to its first part: enough for a snippet around most matches, small
// enough that a page of results loads quickly on a phone.
const PER: usize = 50;
const TPER: usize = 25;
const BODY_CHARS: usize = 400;

fn encode_lists(lists: &[Vec<u32>; 3], n: usize) -> [String; 3] {
    [
        encode(&lists[0], n),
        encode(&lists[1], n),
        encode(&lists[2], n),
    ]
}

/// What a token adds to its posting shard, in bytes (about: quotes and commas).
fn entry_size(token: &str, lists: &[String; 3]) -> usize {
    token.len() + lists.iter().map(String::len).sum::<usize>() + 12
}

/// Posting shards of 8 to 16 KB: a query loads one shard per token, and on a phone's
/// connection its bytes are what a query waits for (at 64 KB a four-character query
/// read 240 KB of postings on the sample); more, smaller files cost a server nothing.
fn shard_count(total: usize) -> usize {
    (total / 16384).clamp(1, 4096).next_power_of_two()
}

fn shard_of(token: &str, shards: usize) -> usize {
    (fnv(token) as usize) & (shards - 1)
}

/// One posting shard; `tokens` sorted.
fn write_posting_shard(
    out: &Out,
    i: usize,
    tokens: &[(&str, &[String; 3])],
) -> std::io::Result<u64> {
    let mut p = String::new();
    for (t, lists) in tokens {
        if !p.is_empty() {
            p.push(',');
        }
        p.push_str(&format!(
            "{}:[{},{},{}]",
            js(t),
            js(&lists[0]),
            js(&lists[1]),
            js(&lists[2])
        ));
    }
    let body = format!("__mingbaiSearch(\"p\",{i},{{{p}}});\n");
    out.put(format!("search/p{i}.js"), body.as_bytes())
}

fn js_list(l: &[String]) -> String {
    format!(
        "[{}]",
        l.iter().map(|s| js(s)).collect::<Vec<_>>().join(",")
    )
}

/// The two kinds of per-entry shards.
#[derive(Clone, Copy)]
enum DocShard {
    /// Address, title, section, summary: what a result list shows.
    Meta,
    /// Title and text, for snippets.
    Text,
}

impl DocShard {
    const ALL: [DocShard; 2] = [DocShard::Meta, DocShard::Text];

    fn per(self) -> usize {
        match self {
            DocShard::Meta => PER,
            DocShard::Text => TPER,
        }
    }

    fn letter(self) -> char {
        match self {
            DocShard::Meta => 'm',
            DocShard::Text => 't',
        }
    }

    fn item(self, d: &Doc) -> String {
        match self {
            DocShard::Meta => format!(
                "[{},{},{},{},{},{},{},{}]",
                js(&d.url),
                js(&d.title),
                js(&d.section),
                js(&d.summary),
                js_list(&d.aliases),
                js_list(&d.tags),
                js(&d.id),
                js(&d.pinyin)
            ),
            DocShard::Text => {
                let body: String = d.fields[2].chars().take(BODY_CHARS).collect();
                let cut = d.fields[2].chars().count() > BODY_CHARS;
                // Tags and chapter end the second field; the result list has them
                // already, and a snippet should come from the entry's own words.
                let names: usize = d
                    .tags
                    .iter()
                    .chain([&d.section])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.len() + 1)
                    .sum();
                let own = &d.fields[1][..d.fields[1].len() - names];
                let rest = format!("{own}\n{body}");
                format!("[{},{},{}]", js(&d.fields[0]), js(&rest), u8::from(cut))
            }
        }
    }

    /// Shard `s` of this kind, written.
    fn write(self, out: &Out, docs: &[Doc], s: usize) -> std::io::Result<u64> {
        let per = self.per();
        let chunk = &docs[s * per..docs.len().min((s + 1) * per)];
        let items: Vec<String> = chunk.iter().map(|d| self.item(d)).collect();
        let c = self.letter();
        let body = format!("__mingbaiSearch(\"{c}\",{s},[{}]);\n", items.join(","));
        out.put(self.file(s), body.as_bytes())
    }

    /// The name of shard `s` of this kind.
    fn file(self, s: usize) -> String {
        format!("search/{}{s}.js", self.letter())
    }
}

/// The manifest: sizes, and what search.js needs to read a query as the index does:
/// the Traditional characters that fold to a character of the index, and the syllables
/// of the pinyin index (to cut a pinyin query), both taken from the index's tokens.
fn write_manifest<'a>(
    out: &Out,
    n: usize,
    shards: usize,
    tokens: impl Iterator<Item = &'a str> + Clone,
) -> std::io::Result<u64> {
    let occurring: std::collections::BTreeSet<char> = tokens
        .clone()
        .filter_map(|t| {
            let mut c = t.chars();
            match (c.next(), c.next()) {
                (Some(h), None) if crate::markdown::is_han(h) => Some(h),
                _ => None,
            }
        })
        .collect();
    let fold = fold::table_for(&occurring);
    let syl = pinyin::syllables(tokens)
        .into_iter()
        .collect::<Vec<_>>()
        .join(" ");
    let manifest = format!(
        "__mingbaiSearch(\"manifest\",0,{{\"docs\":{n},\"per\":{PER},\"tper\":{TPER},\"shards\":{shards},\"fold\":{},\"syl\":{}}});\n",
        js(&fold),
        js(&syl)
    );
    out.put("search/manifest.js".into(), manifest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, summary: &str, body: &str) -> Doc {
        Doc::new(
            format!("/{title}/"),
            String::new(),
            [title.into(), String::new(), summary.into(), String::new()],
            body.into(),
            Vec::new(),
            Vec::new(),
        )
    }

    #[test]
    fn units_and_tokens() {
        assert_eq!(
            units("贷款5万元，App"),
            vec![
                Some("贷".into()),
                Some("款".into()),
                Some("5".into()),
                Some("万".into()),
                Some("元".into()),
                None,
                Some("app".into())
            ]
        );
        assert_eq!(query_tokens("小额信贷"), vec!["信贷", "小额", "额信"]);
        assert_eq!(query_tokens("贷"), vec!["贷"]);
        assert_eq!(query_tokens("12317"), vec!["12317"]);
        assert_eq!(query_tokens("5万"), vec!["5万"]);
    }

    #[test]
    fn bigrams_must_stand_together() {
        let idx = Index::build(vec![
            doc("甲", "", "小额的信贷"),
            doc("乙", "", "申请小额信贷"),
        ]);
        let hits: Vec<usize> = idx.query("小额信贷").into_iter().map(|h| h.0).collect();
        assert_eq!(hits, vec![1]);
    }

    #[test]
    fn index_files_are_told_from_the_search_page() {
        for f in file_names(120, 4) {
            assert!(is_index_file(&f), "{f}");
        }
        for f in [
            "search/index.html",
            "search/search.js",
            "search/p.js",
            "p0.js",
            "search/x1.js",
        ] {
            assert!(!is_index_file(f), "{f}");
        }
    }

    #[test]
    fn title_hits_rank_first() {
        let idx = Index::build(vec![doc("低保", "", "小额信贷"), doc("小额信贷", "", "")]);
        assert_eq!(idx.query("小额信贷"), vec![(1, TITLE), (0, BODY)]);
    }
}

/// The sample handbook's index (in `sample.rs`).
#[cfg(test)]
mod sample;
