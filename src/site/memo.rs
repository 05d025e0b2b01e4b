//! Rendered bodies remembered between builds (`.mingbai-cache/renders.bin`).
//!
//! After one edit, every other body renders as it did: its headings, links, images,
//! word count and the hashes of its HTML and text are read back from the last build,
//! and its texts are rendered only if something asks for them (a page whose key
//! changed, a search shard that is written again). Rendering every body was a fifth
//! of a one-edit build's CPU at 10,000 entries; the HTML itself is not kept (220 MB
//! at that size took longer to read back than to render).
//!
//! A body is looked up by a hash of everything its rendering reads: the file's path,
//! where the body starts, the body, and (when it has an `@/` link) everything links
//! resolve to. Only bodies rendered without a message and without figure references
//! (which change with another file) are kept. The file is replaced after a build
//! succeeded; one damaged, cut short or from another version is ignored. It holds
//! public content only (headings, entry ids, image paths).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use super::links::LinkTable;
use crate::content::Entry;
use crate::markdown::{ImageRef, Rendered, TocItem};
use crate::print::cache::{DIR, Fields, put_str, read_file, seal, unseal};
use crate::values::frame;

const FILE: &str = "renders.bin";
const MAGIC: &[u8] = concat!("mingbai renders 2 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();
/// Headings deeper than this are not read back (Markdown has six levels).
const MAX_DEPTH: usize = 8;

pub(crate) type Key = u128;

pub(crate) struct RenderMemo {
    dir: Option<PathBuf>,
    /// The last build's record, read on a thread of its own while content loads.
    reading: Option<std::thread::JoinHandle<HashMap<Key, Rendered>>>,
    old: HashMap<Key, Rendered>,
    /// What this build rendered cleanly, as it is saved (texts left out: kept as
    /// bodies, they would hold every body's HTML until the build ends).
    new: Record,
}

/// This build's record: made, or being made on a thread of its own while the build
/// goes on.
enum Record {
    Made(Vec<u8>),
    Making(std::thread::JoinHandle<Vec<u8>>),
}

impl RenderMemo {
    /// What the last build of the site at `root` remembered (nothing if it did not),
    /// read in the background until [`RenderMemo::ready`].
    pub(crate) fn open(root: &Path) -> RenderMemo {
        let dir = root.join(DIR);
        let file = dir.join(FILE);
        let read = move || {
            read_file(&file)
                .and_then(|bytes| parse(unseal(&bytes)?))
                .unwrap_or_default()
        };
        RenderMemo {
            dir: Some(dir),
            reading: std::thread::Builder::new().spawn(read).ok(),
            old: HashMap::new(),
            new: Record::Made(to_bytes(&[])),
        }
    }

    /// Waits for the last build's record to be read.
    pub(crate) fn ready(&mut self) {
        if let Some(reading) = self.reading.take() {
            self.old = reading.join().unwrap_or_default();
        }
    }

    /// The key of `e`'s body; `None` for a body that is not kept (its figure
    /// references change with other files).
    pub(crate) fn key(e: &Entry, links: &LinkTable) -> Option<Key> {
        if e.names_figures {
            return None;
        }
        let mut h = Xxh3::new();
        frame(&mut h, MAGIC);
        frame(&mut h, e.src.path.to_string_lossy().as_bytes());
        h.update(&(e.body_start as u64).to_le_bytes());
        frame(&mut h, e.body().as_bytes());
        if e.body_links {
            h.update(&links.key().to_le_bytes());
        }
        Some(h.digest128())
    }

    /// The body the last build rendered for `key`, texts left out (once
    /// [`RenderMemo::ready`]); taken out of the record: a body is looked up once.
    pub(crate) fn take(&mut self, key: Key) -> Option<Rendered> {
        let r = self.old.remove(&key)?;
        Some(Rendered::remembered(
            r.toc,
            r.links,
            r.words,
            r.images,
            [r.html_hash, r.plain_hash],
        ))
    }

    /// Sets what this build rendered cleanly, to be saved for the next, and lets go of
    /// the last build's record (its bodies are in the site now).
    /// Both on a thread: they held up everything after the content (40 ms at 10,000
    /// entries, most of it freeing the last record).
    pub(crate) fn keep(&mut self, rendered: &[(Key, Arc<Rendered>)]) {
        let (old, bodies) = (std::mem::take(&mut self.old), rendered.to_vec());
        let write = move || {
            drop(old);
            to_bytes(&bodies)
        };
        self.new = match std::thread::Builder::new().spawn(write) {
            Ok(h) => Record::Making(h),
            Err(_) => Record::Made(to_bytes(rendered)),
        };
    }

    /// Replaces the remembered bodies with this build's; called once the build
    /// succeeded. Only a saving: when it cannot be written, nothing else fails.
    pub(crate) fn save(self) {
        let new = match self.new {
            Record::Made(new) => new,
            Record::Making(h) => match h.join() {
                Ok(new) => new,
                Err(_) => return,
            },
        };
        let Some(dir) = self.dir else { return };
        crate::print::cache::replace_file(&dir, FILE, &seal(new));
    }
}

fn to_bytes(bodies: &[(Key, Arc<Rendered>)]) -> Vec<u8> {
    let mut w = Vec::with_capacity(64 + bodies.len() * 256);
    w.extend_from_slice(MAGIC);
    w.extend_from_slice(&(bodies.len() as u64).to_le_bytes());
    for (key, r) in bodies {
        w.extend_from_slice(&key.to_le_bytes());
        w.extend_from_slice(&r.html_hash.to_le_bytes());
        w.extend_from_slice(&r.plain_hash.to_le_bytes());
        w.extend_from_slice(&(r.words as u64).to_le_bytes());
        put_toc(&mut w, &r.toc);
        w.extend_from_slice(&(r.links.len() as u32).to_le_bytes());
        for l in &r.links {
            put_str(&mut w, l);
        }
        w.extend_from_slice(&(r.images.len() as u32).to_le_bytes());
        for i in &r.images {
            put_str(&mut w, &i.file);
            w.extend_from_slice(&(i.span.start as u64).to_le_bytes());
            w.extend_from_slice(&(i.span.end as u64).to_le_bytes());
        }
    }
    w
}

fn put_toc(w: &mut Vec<u8>, toc: &[TocItem]) {
    w.extend_from_slice(&(toc.len() as u32).to_le_bytes());
    for t in toc {
        w.push(t.level);
        put_str(w, &t.id);
        put_str(w, &t.title);
        put_toc(w, &t.children);
    }
}

/// The remembered bodies (without the checksum); `None` when they do not read whole.
pub(crate) fn parse(body: &[u8]) -> Option<HashMap<Key, Rendered>> {
    let mut r = Fields(body.strip_prefix(MAGIC)?);
    let n = r.u64()?;
    let mut out = HashMap::new();
    for _ in 0..n {
        let key = r.u128()?;
        let hashes = [r.u128()?, r.u128()?];
        let words = usize::try_from(r.u64()?).ok()?;
        let toc = toc(&mut r, 0)?;
        let links = (0..r.u32()?)
            .map(|_| r.str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?;
        let images = (0..r.u32()?)
            .map(|_| {
                let file = r.str()?.to_string();
                let start = usize::try_from(r.u64()?).ok()?;
                let end = usize::try_from(r.u64()?).ok()?;
                Some(ImageRef {
                    file,
                    span: start..end,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        out.insert(key, Rendered::remembered(toc, links, words, images, hashes));
    }
    r.0.is_empty().then_some(out)
}

fn toc(r: &mut Fields<'_>, depth: usize) -> Option<Vec<TocItem>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let n = r.u32()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let level = r.u8()?;
        let id = r.str()?.to_string();
        let title = r.str()?.to_string();
        let children = toc(r, depth + 1)?;
        out.push(TocItem {
            level,
            id,
            title,
            children,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<(Key, Arc<Rendered>)> {
        let toc = vec![TocItem {
            level: 2,
            id: "一-政策依据".into(),
            title: "一、政策依据".into(),
            children: vec![TocItem {
                level: 3,
                id: "申请".into(),
                title: "申请".into(),
                children: Vec::new(),
            }],
        }];
        let images = vec![ImageRef {
            file: "content/zhufang/liucheng.png".into(),
            span: 30..45,
        }];
        let r = Rendered::remembered(toc, vec!["xiaoe".into()], 1234, images, [7, 9]);
        vec![(42, Arc::new(r)), (43, Arc::new(Rendered::default()))]
    }

    #[test]
    fn bodies_read_back_as_written_and_a_damaged_file_reads_as_none() {
        let bytes = to_bytes(&sample());
        let back = parse(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        let r = &back[&42];
        let want = &sample()[0].1;
        assert_eq!(format!("{r:?}"), format!("{want:?}"));
        assert_eq!(back[&43].html_hash, Rendered::default().html_hash);
        for cut in 0..bytes.len() {
            assert!(parse(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[5] ^= 1;
        assert!(parse(&other).is_none());
    }

    use crate::site::good_site;

    fn load(root: &Path) -> (crate::site::Site, super::super::RenderCache) {
        let mut renders = super::super::RenderCache::on_disk(root);
        let site = crate::site::Site::load_cached(
            root,
            &mut crate::content::Cache::default(),
            &mut renders,
        )
        .unwrap();
        (site, renders)
    }

    fn html_of(site: &crate::site::Site, id: &str) -> String {
        site.entries[site.by_id[id]].rendered.html().to_string()
    }

    #[test]
    fn a_remembered_body_renders_on_first_use_as_it_did_and_links_follow_their_target() {
        let dir = good_site();
        let root = dir.path();
        let (first, mut renders) = load(root);
        assert!(first.entries.iter().all(|n| n.rendered.has_texts()));
        renders.save();
        assert!(root.join(DIR).join(FILE).is_file());

        let (second, _) = load(root);
        // Every body without figure references is remembered, none rendered yet.
        let later: Vec<_> = second
            .entries
            .iter()
            .filter(|n| !n.entry.src.text.contains("{{"))
            .collect();
        assert!(later.len() >= 3, "{}", later.len());
        for n in &later {
            assert!(!n.rendered.has_texts(), "{}", n.entry.id);
        }
        for (a, b) in first.entries.iter().zip(&second.entries) {
            let (x, y) = (&a.rendered, &b.rendered);
            assert_eq!(format!("{x:?}"), format!("{y:?}"), "{}", a.entry.id);
            assert_eq!(x.html(), y.html(), "{}", a.entry.id);
            assert_eq!(x.plain(), y.plain(), "{}", a.entry.id);
            assert_eq!(a.words, b.words);
        }

        // The entry a body links to gets another id: the body is rendered again, and
        // its link goes to the new address.
        let xudai = root.join("content/jinrong/xudai.md");
        let text = std::fs::read_to_string(&xudai).unwrap();
        std::fs::write(
            &xudai,
            text.replacen("+++\n", "+++\nid = \"xudai-2025\"\n", 1),
        )
        .unwrap();
        let (third, _) = load(root);
        let xiaoe = &third.entries[third.by_id["jinrong/xiaoe"]].rendered;
        assert!(xiaoe.has_texts());
        assert!(html_of(&third, "jinrong/xiaoe").contains("/xudai-2025/"));
        assert!(!html_of(&first, "jinrong/xiaoe").contains("/xudai-2025/"));

        // A damaged record is ignored: every body is rendered.
        let file = root.join(DIR).join(FILE);
        let mut bytes = std::fs::read(&file).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 1;
        std::fs::write(&file, bytes).unwrap();
        let (fourth, _) = load(root);
        assert!(fourth.entries.iter().all(|n| n.rendered.has_texts()));
    }
}
