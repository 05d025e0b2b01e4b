//! Page keys: a build renders only the pages whose inputs changed.
//!
//! A page's HTML is a function of its template set, the site-wide values its template
//! can name (see [`crate::values::Shared`]), and the values put in its own context
//! that it can name; nothing else reaches a template (the one function templates call,
//! `figure`, reads a site-wide value). A page's key is a 128-bit hash of all of them
//! and of this version of mingbai. A policy page is given its chapter's summary, which
//! the default theme's policy page never shows: keyed by it, every page of a chapter was
//! rendered again when one of its policies' phone or word count changed. `.mingbai-cache/pages.bin`
//! keeps, for each page the last build wrote, its key and the size and hash of its
//! file. When a page's key is the same, its file is carried over from the previous
//! output ([`crate::output::Sink::carry`], which checks the file still holds those
//! bytes) without rendering it; otherwise it is rendered as before.
//!
//! The file is replaced only after a build succeeded; one that is damaged, cut short or
//! from another version is ignored (every page is rendered). It holds no more than the
//! output paths of public pages and hashes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tera::Value;
use xxhash_rust::xxh3::Xxh3;

use crate::output::Digest;
use crate::print::cache::{DIR, Fields, seal, unseal};
use crate::values::{Memo, Shared, frame};

const FILE: &str = "pages.bin";
const MAGIC: &[u8] = concat!("mingbai page keys 1 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();
/// A key file larger than this is not read (a page takes about 60 bytes).
const MAX_FILE: u64 = 1 << 30;

pub(crate) type Key = u128;

/// What one template reads (see [`PageKeys::set_shared`]).
struct Reads {
    template: Option<String>,
    shared: u128,
    /// The code of every template it reaches, a line apart.
    code: String,
    /// Whether that code names each context value asked about so far: looked through
    /// once per name, not for every page (10,000 pages of a few names each).
    names: std::sync::RwLock<Vec<(&'static str, bool)>>,
}

impl Reads {
    fn names(&self, name: &'static str) -> bool {
        let known = self.names.read().unwrap_or_else(|e| e.into_inner());
        if let Some(&(_, named)) = known.iter().find(|(n, _)| *n == name) {
            return named;
        }
        drop(known);
        let named = crate::values::reads(&[&self.code], name);
        let mut known = self.names.write().unwrap_or_else(|e| e.into_inner());
        known.push((name, named));
        named
    }
}

pub(crate) struct PageKeys {
    dir: Option<PathBuf>,
    /// What the last build wrote: output path → key and file.
    old: HashMap<String, (Key, Digest)>,
    /// What this build wrote.
    new: Mutex<Vec<(String, Key, Digest)>>,
    /// The hash of the settings every page shares, set by [`PageKeys::set_shared`].
    shared: Option<Xxh3>,
    /// Per template, the hash of what it reads besides its values (see [`Shared`])
    /// and the code it reaches (to tell which of its values it can name); under
    /// `None`, of every template.
    reads: Vec<Reads>,
}

impl PageKeys {
    /// The keys the last build of the site at `root` saved (none if it saved none).
    pub(crate) fn open(root: &Path) -> PageKeys {
        let dir = root.join(DIR);
        let old = std::fs::File::open(dir.join(FILE))
            .ok()
            .and_then(|f| {
                use std::io::Read;
                let mut bytes = Vec::new();
                f.take(MAX_FILE).read_to_end(&mut bytes).ok()?;
                parse(unseal(&bytes)?)
            })
            .unwrap_or_default();
        PageKeys {
            dir: Some(dir),
            old,
            new: Mutex::default(),
            shared: None,
            reads: Vec::new(),
        }
    }

    /// Sets what every page's key starts from: the templates' sources, the site-wide
    /// values its template can reach, and `more` (settings that change how pages are
    /// rendered).
    pub(crate) fn set_shared<'a>(
        &mut self,
        templates: impl Iterator<Item = (&'a str, &'a str)>,
        globals: &[(&'static str, Value)],
        more: &[&[u8]],
        memo: &Memo,
    ) {
        let mut h = Xxh3::new();
        frame(&mut h, MAGIC);
        for m in more {
            frame(&mut h, m);
        }
        self.shared = Some(h);
        let shared = Shared::new(templates, globals, memo);
        let mut names: Vec<Option<String>> = shared.names().map(|n| Some(n.to_string())).collect();
        names.push(None);
        self.reads = names
            .into_iter()
            .map(|n| Reads {
                shared: shared.hash(n.as_deref()),
                code: shared.reach(n.as_deref()).join("\n"),
                names: Default::default(),
                template: n,
            })
            .collect();
    }

    /// The key of a page rendered by `template` from `context` (its values hashed
    /// through `memo`, those its template cannot name left out); the values named in
    /// `hashed` are given by their [`crate::values::value_hash`]. A name in `hashed`
    /// the context does not hold is an input of its own (an entry's HTML, added to the
    /// context only when the page is rendered).
    pub(crate) fn key(
        &self,
        template: &str,
        context: &[(&'static str, Value)],
        hashed: &[(&'static str, u128)],
        memo: &Memo,
    ) -> Option<Key> {
        let mut h = self.shared.clone()?;
        let reads = self
            .reads
            .iter()
            .find(|r| r.template.as_deref() == Some(template))
            .or_else(|| self.reads.iter().find(|r| r.template.is_none()))?;
        h.update(&reads.shared.to_le_bytes());
        frame(&mut h, template.as_bytes());
        for (name, v) in context {
            if !reads.names(name) {
                continue;
            }
            frame(&mut h, name.as_bytes());
            let sum = match hashed.iter().find(|(n, _)| n == name) {
                Some(&(_, sum)) => sum,
                None => memo.hash(v),
            };
            h.update(&sum.to_le_bytes());
        }
        for (name, sum) in hashed {
            if !context.iter().any(|(n, _)| n == name) {
                frame(&mut h, name.as_bytes());
                h.update(&sum.to_le_bytes());
            }
        }
        Some(h.digest128())
    }

    /// The file the last build wrote at `rel` for a page of this `key`.
    pub(crate) fn unchanged(&self, rel: &str, key: Key) -> Option<Digest> {
        self.old
            .get(rel)
            .and_then(|&(k, digest)| (k == key).then_some(digest))
    }

    pub(crate) fn record(&self, rel: String, key: Key, digest: Digest) {
        self.new.lock().unwrap().push((rel, key, digest));
    }

    /// Replaces the saved keys with this build's; called once the build succeeded. A
    /// key file is only a saving: when it cannot be written, nothing else fails.
    pub(crate) fn save(self) {
        let Some(dir) = self.dir else { return };
        let mut pages = self.new.into_inner().unwrap();
        pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut w = Vec::with_capacity(64 + pages.len() * 72);
        w.extend_from_slice(MAGIC);
        w.extend_from_slice(&(pages.len() as u64).to_le_bytes());
        for (rel, key, digest) in &pages {
            w.extend_from_slice(&(rel.len() as u32).to_le_bytes());
            w.extend_from_slice(rel.as_bytes());
            w.extend_from_slice(&key.to_le_bytes());
            let (len, hash) = digest.parts();
            w.extend_from_slice(&len.to_le_bytes());
            w.extend_from_slice(&hash.to_le_bytes());
        }
        crate::print::cache::replace_file(&dir, FILE, &seal(w));
    }
}

/// The saved keys (without the checksum); `None` when they do not read whole.
pub(crate) fn parse(body: &[u8]) -> Option<HashMap<String, (Key, Digest)>> {
    let mut r = Fields(body.strip_prefix(MAGIC)?);
    let n = r.u64()?;
    let mut pages = HashMap::new();
    for _ in 0..n {
        let rel = r.str()?.to_string();
        let key = r.u128()?;
        pages.insert(rel, (key, r.digest()?));
    }
    r.0.is_empty().then_some(pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::value_hash;

    /// Keys with nothing saved and nothing shared set.
    fn blank() -> PageKeys {
        PageKeys {
            dir: None,
            old: HashMap::new(),
            new: Mutex::default(),
            shared: None,
            reads: Vec::new(),
        }
    }

    fn keys() -> PageKeys {
        let mut k = blank();
        k.set_shared(
            [("page.html", "{{ page.title }}")].into_iter(),
            &[],
            &[],
            &Memo::default(),
        );
        k
    }

    fn map(pairs: &[(&str, Value)]) -> Value {
        let mut m = tera::Map::new();
        for (k, v) in pairs {
            m.insert((*k).to_string().into(), v.clone());
        }
        Value::from(m)
    }

    #[test]
    fn a_key_changes_with_every_input_and_only_with_them() {
        let k = keys();
        let page = |title: &str| {
            vec![(
                "page",
                map(&[("title", Value::from(title)), ("n", Value::from(1))]),
            )]
        };
        let a = k
            .key("page.html", &page("低保"), &[], &Memo::default())
            .unwrap();
        assert_eq!(
            a,
            k.key("page.html", &page("低保"), &[], &Memo::default())
                .unwrap()
        );
        // The same map built in another order.
        let other_order = vec![(
            "page",
            map(&[("n", Value::from(1)), ("title", Value::from("低保"))]),
        )];
        assert_eq!(
            a,
            k.key("page.html", &other_order, &[], &Memo::default())
                .unwrap()
        );
        assert_ne!(
            a,
            k.key("page.html", &page("特困"), &[], &Memo::default())
                .unwrap()
        );
        assert_ne!(
            a,
            k.key("faq.html", &page("低保"), &[], &Memo::default())
                .unwrap()
        );
        // Safe (unescaped) and escaped strings render differently.
        let safe = vec![(
            "page",
            map(&[("title", Value::safe_string("低保")), ("n", Value::from(1))]),
        )];
        assert_ne!(a, k.key("page.html", &safe, &[], &Memo::default()).unwrap());
        let float = vec![(
            "page",
            map(&[("title", Value::from("低保")), ("n", Value::from(1.0))]),
        )];
        assert_ne!(
            a,
            k.key("page.html", &float, &[], &Memo::default()).unwrap()
        );
        // Another template source, or another site-wide value.
        let mut k2 = keys();
        k2.set_shared(
            [("page.html", "{{ page.title }}!")].into_iter(),
            &[],
            &[],
            &Memo::default(),
        );
        assert_ne!(
            a,
            k2.key("page.html", &page("低保"), &[], &Memo::default())
                .unwrap()
        );
        // A site-wide value keys the pages whose template names it, and only those.
        let with_site = |site: &str| {
            let mut k = blank();
            k.set_shared(
                [
                    ("page.html", "{{ page.title }}"),
                    ("home.html", "{{ site_title }}"),
                ]
                .into_iter(),
                &[("site_title", Value::from(site))],
                &[],
                &Memo::default(),
            );
            let of = |t: &str| k.key(t, &page("低保"), &[], &Memo::default()).unwrap();
            (of("page.html"), of("home.html"))
        };
        let (page_a, home_a) = with_site("青禾县");
        let (page_b, home_b) = with_site("青禾县乡村振兴局");
        assert_eq!(page_a, page_b);
        assert_ne!(home_a, home_b);
        // A value of the page's own its template never names (the markup's
        // `<section>` is not the value `section`) does not key it; one it names does.
        let mut k3 = blank();
        k3.set_shared(
            [
                ("page.html", "<section>{{ page.title }}</section>"),
                ("list.html", "{{ section.title }}"),
            ]
            .into_iter(),
            &[],
            &[],
            &Memo::default(),
        );
        let with_section = |template: &str, title: &str| {
            let mut context = page("低保");
            context.push(("section", map(&[("title", Value::from(title))])));
            k3.key(template, &context, &[], &Memo::default()).unwrap()
        };
        assert_eq!(
            with_section("page.html", "健康"),
            with_section("page.html", "教育")
        );
        assert_ne!(
            with_section("list.html", "健康"),
            with_section("list.html", "教育")
        );
        // A value given by its hash keys the page as the value itself does.
        let v = map(&[("title", Value::from("低保")), ("n", Value::from(1))]);
        let by_hash = k.key(
            "page.html",
            &page("低保"),
            &[("page", value_hash(&v))],
            &Memo::default(),
        );
        assert_eq!(by_hash, Some(a));
    }

    #[test]
    fn saved_keys_read_back_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut k = PageKeys::open(dir.path());
        assert!(k.old.is_empty());
        k.set_shared(std::iter::empty(), &[], &[], &Memo::default());
        k.record("jiaoyu/index.html".into(), 7, Digest::of(b"<html>"));
        k.save();
        let k = PageKeys::open(dir.path());
        assert_eq!(
            k.unchanged("jiaoyu/index.html", 7),
            Some(Digest::of(b"<html>"))
        );
        assert_eq!(k.unchanged("jiaoyu/index.html", 8), None);
        let path = dir.path().join(DIR).join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        let body = unseal(&bytes).unwrap();
        assert!(parse(body).is_some());
        for cut in 0..body.len() {
            assert!(parse(&body[..cut]).is_none(), "cut at {cut}");
        }
        let mut damaged = bytes.clone();
        let at = damaged.len() - 20;
        damaged[at] ^= 1;
        std::fs::write(&path, &damaged).unwrap();
        assert!(PageKeys::open(dir.path()).old.is_empty());
    }
}
