//! The card cache: a build lays out and writes only the 明白卡 whose inputs changed.
//!
//! A card's key is a 128-bit hash of everything its PDF depends on: its print markup as
//! the template rendered it (so the entry, the template and every site value it shows),
//! the bodies the markup pulls in, its title and date, and the print setup (this
//! version of mingbai, the style file, the `[print]` settings, the font files). For
//! each key the cache keeps the card's laid-out faces (for the imposed sheets) and the
//! size and hash of its PDF, so an unchanged card's PDF is carried over from the
//! previous output ([`crate::output::Sink::carry`]) without being laid out or written.
//! The imposed sheets are keyed by the keys of all their cards.
//!
//! It lives in `.mingbai-cache/` beside `site.toml` (ignored by git through its own
//! `.gitignore`, safe to delete) as one file holding only the cards of the last build,
//! so it never grows past one build's cards. A file that is damaged, from another
//! version, or cut short is ignored: the cards are laid out again. Only policy and FAQ
//! cards are cached, which the public site shows anyway; household cards never are.
//!
//! Beside it, `handbook.bin` records the handbook's chapters (see
//! [`crate::print::handbook::Reuse`]), staged and saved with the cards.
//!
//! The files' format (sealed with a checksum, read field by field) is in `record`.

mod record;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::PrintConfig;
use crate::output::Digest;
use crate::print::handbook::Book;
use crate::print::sheets::Sheets;
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::{Page, decode_pages, encode_pages};
use crate::values::{Gather, frame};
use record::{Contents, make_dir, read, read_book, write, write_aside};
pub(crate) use record::{
    Fields, fuzz_setup_record, parse_body, put_glyphs, put_str, read_bytes, read_file,
    replace_file, seal, unseal,
};

/// The cache folder, under the handbook's root.
pub(crate) const DIR: &str = ".mingbai-cache";
const FILE: &str = "cards.bin";
// 4: CFF font programs stored, not deflated (the PDFs carried over are made again once).
// 6: the faces stored as encoded, not deflated. 8: addresses break inside (same input, new lines).
const MAGIC: &[u8] = concat!("mingbai card cache 8 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();
const BOOK_FILE: &str = "handbook.bin";
const BOOK_MAGIC: &[u8] =
    concat!("mingbai handbook cache 9 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();
/// A cache file larger than this is not read (a card's entry is a few KB).
const MAX_FILE: u64 = 2 << 30;

/// A 128-bit hash of length-framed byte strings, the same in every run and on every
/// machine (XXH3-128, no seed), fed through a buffer ([`Gather`]: a handbook window's
/// key takes a float, a colour, a short run at a time).
#[derive(Clone)]
pub(crate) struct KeyHasher(Box<Gather>);

pub(crate) type Key = u128;

impl KeyHasher {
    pub(crate) fn new(domain: &str) -> KeyHasher {
        let mut h = KeyHasher(Box::default());
        h.add(domain.as_bytes());
        h
    }

    pub(crate) fn add(&mut self, bytes: &[u8]) -> &mut KeyHasher {
        frame(&mut *self.0, bytes);
        self
    }

    pub(crate) fn finish(&self) -> Key {
        self.0.digest128()
    }
}

/// The part of every card's key that is the same for the whole build: this version of
/// mingbai, the `[print]` settings, the theme's print style and every font file.
pub(crate) fn setup_key(fonts: &Fonts, cfg: &PrintConfig, style: Option<&[u8]>) -> Key {
    let mut h = KeyHasher::new(std::str::from_utf8(MAGIC).unwrap_or_default());
    h.add(format!("{cfg:?}").as_bytes());
    h.add(style.unwrap_or_default());
    for face in &fonts.faces {
        h.add(face.name.as_bytes()).add(&face.index.to_le_bytes());
        match face.embedded {
            // Hashed when mingbai was built.
            true => h.add(env!("MINGBAI_THEME_FONTS_SUM").as_bytes()),
            false => h.add(face.bytes),
        };
    }
    h.finish()
}

/// What the cache holds for one card.
pub(crate) struct Stored {
    /// How many faces the card has (2: it continues on the back).
    pub(crate) faces: u32,
    /// Its PDF's size and hash.
    pub(crate) pdf: Digest,
    /// The faces, encoded ([`encode_pages`]). Not deflated: a card's are 4-5 KB, which
    /// libdeflate halved for a fiftieth of a first build's instructions (its fixed cost
    /// a call is much of it at this size); stored as they are, the cache file is 45 MB
    /// instead of 23 at 10,000 cards.
    blob: Vec<u8>,
}

impl Stored {
    /// The card's faces; `None` when the stored bytes do not decode.
    pub(crate) fn pages(&self) -> Option<Vec<Page>> {
        decode_pages(&self.blob)
    }
}

/// What a card's template made of its inputs: the card's key, the entries whose bodies
/// its markup pulled in, and a hash of those bodies.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pulled {
    pub(crate) key: Key,
    pub(crate) ids: Vec<String>,
    pub(crate) bodies: Key,
}

/// The cache of one build: what the last build left, and what this one keeps.
pub(crate) struct CardCache {
    /// Where it is saved; `None`: read only (`check` writes nothing).
    dir: Option<PathBuf>,
    old: HashMap<Key, Stored>,
    old_sheets: Option<Sheets>,
    /// For the inputs of a card's template, what the last build made of them (see
    /// [`CardCache::pulled`]).
    old_pulled: HashMap<Key, Pulled>,
    new: Mutex<Vec<(Key, Stored)>>,
    new_pulled: Mutex<Vec<(Key, Pulled)>>,
    sheets: Option<Sheets>,
    /// The handbook as the last build left it (taken by the handbook).
    book: Option<Book>,
    /// This build's record of the sources found covered ([`super::covered`]).
    covered: Option<Vec<u8>>,
    /// This build's record of the font subsets it used ([`super::subsets`]).
    subsets: Option<Vec<u8>>,
    /// The new cache being written aside by [`CardCache::stage`] (on a thread of its
    /// own), put in place by `save`.
    staged: Option<std::thread::JoinHandle<Option<PathBuf>>>,
    /// The handbook's new record written aside, or `None` when the next build must
    /// lay the handbook out afresh; put in place by `save`.
    staged_book: Option<std::thread::JoinHandle<Option<PathBuf>>>,
    /// `stage` made the cache folder: a failed build takes it away again.
    made_dir: bool,
}

impl CardCache {
    /// No cache at all: every card is laid out.
    #[cfg(test)]
    pub(crate) fn none() -> CardCache {
        CardCache::from_parts(None, (HashMap::new(), None, HashMap::new()))
    }

    /// The cache of the handbook at `root`; saved by [`CardCache::save`] when `write`.
    pub(crate) fn open(root: &Path, write: bool) -> CardCache {
        let dir = root.join(DIR);
        let contents = read(&dir.join(FILE)).unwrap_or_default();
        let book = read_book(&dir.join(BOOK_FILE));
        let mut cache = CardCache::from_parts(write.then_some(dir), contents);
        cache.book = book;
        cache
    }

    fn from_parts(dir: Option<PathBuf>, (old, old_sheets, old_pulled): Contents) -> CardCache {
        CardCache {
            dir,
            old,
            old_sheets,
            old_pulled,
            new: Mutex::default(),
            new_pulled: Mutex::default(),
            sheets: None,
            book: None,
            covered: None,
            subsets: None,
            staged: None,
            staged_book: None,
            made_dir: false,
        }
    }

    /// Whether the last build left a record of its handbook.
    pub(crate) fn has_book(&self) -> bool {
        self.book.is_some()
    }

    /// The handbook as the last build left it.
    pub(crate) fn take_book(&mut self) -> Option<Book> {
        self.book.take()
    }

    /// The record of the sources this build found covered, put in place by
    /// [`CardCache::save`].
    pub(crate) fn stage_covered(&mut self, record: Vec<u8>) {
        self.covered = Some(record);
    }

    /// The record of the font subsets this build used, put in place by
    /// [`CardCache::save`].
    pub(crate) fn stage_subsets(&mut self, record: Vec<u8>) {
        self.subsets = Some(record);
    }

    /// Writes the record of the handbook this build wrote beside the cache, to be put
    /// in place by [`CardCache::save`]; `None`: the next build lays it out afresh.
    pub(crate) fn stage_book(&mut self, book: Option<Book>) {
        let Some(dir) = self.dir.clone() else { return };
        // Staged after the cards, whose staging made the folder; written on a thread
        // of its own, like the cards.
        self.staged_book = Some(std::thread::spawn(move || {
            let mut w = BOOK_MAGIC.to_vec();
            book?.encode(&mut w);
            write_aside(&dir, BOOK_FILE, &seal(w))
        }));
    }

    /// The handbook's record [`CardCache::stage_book`] wrote aside: `None` when it
    /// was not staged, `Some(None)` when the next build must lay the handbook out
    /// afresh.
    fn staged_book_file(&mut self) -> Option<Option<PathBuf>> {
        let t = self.staged_book.take()?;
        Some(t.join().ok().flatten())
    }

    /// The card stored under `key` by the last build.
    pub(crate) fn get(&self, key: Key) -> Option<&Stored> {
        self.old.get(&key)
    }

    /// What the last build made of a card template's `inputs` (the hash of everything
    /// it read: templates, site-wide values, the card's own values, the print setup).
    /// The same inputs render the same markup, which pulls in the same bodies: when
    /// those bodies are unchanged too, the card's key is the one recorded, found
    /// without rendering its template.
    pub(crate) fn pulled(&self, inputs: Key) -> Option<&Pulled> {
        self.old_pulled.get(&inputs)
    }

    /// Records what this build made of `inputs`, for the next.
    pub(crate) fn note_pulled(&self, inputs: Key, pulled: Pulled) {
        self.new_pulled.lock().unwrap().push((inputs, pulled));
    }

    /// The imposed sheets, when the last build wrote them from the same cards.
    pub(crate) fn sheets(&self, key: Key) -> Option<&Sheets> {
        self.old_sheets.as_ref().filter(|s| s.key == key)
    }

    /// The imposed sheets as the last build wrote them, whatever their cards.
    pub(crate) fn last_sheets(&self) -> Option<&Sheets> {
        self.old_sheets.as_ref()
    }

    /// Keeps the card of the last build stored under `key` for the next one.
    pub(crate) fn keep(&self, key: Key) {
        if let Some(s) = self.old.get(&key) {
            let copy = Stored {
                faces: s.faces,
                pdf: s.pdf,
                blob: s.blob.clone(),
            };
            self.new.lock().unwrap().push((key, copy));
        }
    }

    /// Stores a card laid out in this build (not one that draws a picture: see
    /// [`encode_pages`]).
    pub(crate) fn put(&self, key: Key, faces: &[Page], pdf: Digest) {
        let Some(mut blob) = encode_pages(faces) else {
            return;
        };
        // Kept until the cache is written: not the spare room encoding grew into.
        blob.shrink_to_fit();
        let stored = Stored {
            faces: faces.len() as u32,
            pdf,
            blob,
        };
        self.new.lock().unwrap().push((key, stored));
    }

    pub(crate) fn put_sheets(&mut self, sheets: Sheets) {
        self.sheets = Some(sheets);
    }

    /// Writes what this build kept beside the cache file, to be put in place by
    /// [`CardCache::save`], and frees the memory the cards took: the handbook that
    /// prints next gets it. A cache is only a saving: when it cannot be written, the
    /// build goes on.
    ///
    /// The writing (46 MB at 10,000 cards) is done on a thread of its own: the
    /// handbook need not wait for it.
    pub(crate) fn stage(&mut self) {
        let mut cards = std::mem::take(&mut *self.new.lock().unwrap());
        let mut pulled = std::mem::take(&mut *self.new_pulled.lock().unwrap());
        let old = (
            std::mem::take(&mut self.old),
            std::mem::take(&mut self.old_pulled),
        );
        let Some(dir) = self.dir.clone() else {
            std::thread::spawn(move || drop(old));
            return;
        };
        self.made_dir = make_dir(&dir);
        let sheets = self.sheets.take();
        self.staged = Some(std::thread::spawn(move || {
            drop(old);
            cards.sort_unstable_by_key(|c| c.0);
            cards.dedup_by_key(|c| c.0);
            pulled.sort_unstable_by_key(|p| p.0);
            pulled.dedup_by_key(|p| p.0);
            let bytes = write(&cards, sheets, &pulled);
            drop(cards);
            write_aside(&dir, FILE, &bytes)
        }));
    }

    /// The cache file [`CardCache::stage`] wrote aside, once it is written (`None` if
    /// it could not be).
    fn staged_file(&mut self) -> Option<PathBuf> {
        self.staged.take().and_then(|t| t.join().ok().flatten())
    }

    /// Puts this build's cache in place of the last one, in one step; called once the
    /// whole build succeeded.
    pub(crate) fn save(mut self) {
        if self.staged.is_none() {
            self.stage();
        }
        match (self.dir.clone(), self.staged_file()) {
            (Some(dir), Some(tmp)) => {
                if std::fs::rename(&tmp, dir.join(FILE)).is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
            }
            // Not written aside: nothing is put in place (not an emptied cache).
            _ => self.dir = None,
        }
        if let (Some(dir), Some(covered)) = (&self.dir, self.covered.take()) {
            super::covered::save(dir, &covered);
        }
        if let (Some(dir), Some(subsets)) = (&self.dir, self.subsets.take()) {
            super::subsets::save(dir, &subsets);
        }
        if let (Some(dir), Some(book)) = (self.dir.clone(), self.staged_book_file()) {
            let path = dir.join(BOOK_FILE);
            match book {
                Some(tmp) => {
                    if std::fs::rename(&tmp, &path).is_err() {
                        let _ = std::fs::remove_file(&tmp);
                        let _ = std::fs::remove_file(&path);
                    }
                }
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        // In place: the folder stays.
        self.made_dir = false;
    }
}

impl Drop for CardCache {
    /// A build that failed leaves the last cache as it was, and no staged file.
    fn drop(&mut self) {
        if let Some(tmp) = self.staged_file() {
            let _ = std::fs::remove_file(tmp);
        }
        if let Some(Some(tmp)) = self.staged_book_file() {
            let _ = std::fs::remove_file(tmp);
        }
        if let (true, Some(dir)) = (self.made_dir, &self.dir) {
            let _ = std::fs::remove_file(dir.join(".gitignore"));
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled-in fonts are known by the hash made when mingbai was built; a
    /// site's own font file by its bytes, read at every build.
    #[test]
    fn the_setup_key_knows_the_built_in_fonts_and_hashes_a_site_s_own() {
        let theme = crate::theme::Theme::resolve(Path::new("/nonexistent"), "default").unwrap();
        let cfg = PrintConfig::default();
        let built_in = Fonts::load(&theme, Path::new("."), &[], false).unwrap();
        assert!(built_in.faces.iter().all(|f| f.embedded));
        let again = Fonts::load(&theme, Path::new("."), &[], false).unwrap();
        assert_eq!(
            setup_key(&built_in, &cfg, None),
            setup_key(&again, &cfg, None)
        );
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = theme
            .file("fonts/NotoSansCJKsc-Regular.otf")
            .unwrap()
            .bytes
            .into_owned();
        let site = |bytes: &[u8]| {
            std::fs::write(dir.path().join("zh.otf"), bytes).unwrap();
            let fonts = Fonts::load(&theme, dir.path(), &[PathBuf::from("zh.otf")], false);
            let fonts = fonts.unwrap();
            assert!(!fonts.faces[0].embedded);
            setup_key(&fonts, &cfg, None)
        };
        let before = site(&bytes);
        bytes.push(0);
        assert_ne!(before, site(&bytes));
    }

    fn page(used: f32) -> Page {
        Page {
            used,
            ..Page::default()
        }
    }

    #[test]
    fn a_saved_cache_reads_back_and_keeps_only_this_builds_cards() {
        let root = tempfile::tempdir().unwrap();
        let mut c = CardCache::open(root.path(), true);
        assert!(c.get(1).is_none());
        c.put(1, &[page(1.0), page(2.0)], Digest::of(b"one"));
        c.put(2, &[page(3.0)], Digest::of(b"two"));
        let sheets = Sheets {
            key: 9,
            pdf: Digest::of(b"sheets"),
            count: 3,
            glyphs: vec![vec![(5, '低'), (9, '保')], vec![]],
            fresh: 2,
            streams: vec![crate::print::sheets::SheetStream {
                key: 11,
                at: 40,
                len: 700,
                deflated: true,
                sum: 12,
            }],
        };
        c.put_sheets(sheets.clone());
        let pulled = Pulled {
            key: 1,
            ids: vec!["jiaoyu/yulu".into(), "wenda/daikuan".into()],
            bodies: 4,
        };
        c.note_pulled(5, pulled.clone());
        c.save();
        let ignore = std::fs::read_to_string(root.path().join(DIR).join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"));

        let c = CardCache::open(root.path(), true);
        let one = c.get(1).unwrap();
        assert_eq!((one.faces, one.pdf), (2, Digest::of(b"one")));
        assert_eq!(one.pages().unwrap()[1].used, 2.0);
        assert_eq!(c.sheets(9), Some(&sheets));
        assert!(c.sheets(8).is_none());
        assert_eq!(c.pulled(5), Some(&pulled));
        assert!(c.pulled(6).is_none());
        // This build uses card 2 only: card 1 is gone from the next one.
        c.keep(2);
        c.save();
        let c = CardCache::open(root.path(), false);
        assert!(c.get(1).is_none() && c.get(2).is_some() && c.sheets(9).is_none());
        // Read-only: saving writes nothing.
        c.keep(2);
        std::fs::remove_dir_all(root.path().join(DIR)).unwrap();
        c.save();
        assert!(!root.path().join(DIR).exists());
    }

    #[test]
    fn a_failed_build_leaves_the_last_cache_and_no_staged_file() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(DIR);
        // No cache yet: a staged one that is never saved leaves no folder behind.
        let mut c = CardCache::open(root.path(), true);
        c.put(1, &[page(1.0)], Digest::of(b"one"));
        c.stage();
        assert!(dir.exists());
        drop(c);
        assert!(!dir.exists());
        // A cache in place stays as it was, with no staged file beside it.
        let mut c = CardCache::open(root.path(), true);
        c.put(1, &[page(1.0)], Digest::of(b"one"));
        c.stage();
        c.save();
        let before = std::fs::read(dir.join(FILE)).unwrap();
        let mut c = CardCache::open(root.path(), true);
        c.put(2, &[page(2.0)], Digest::of(b"two"));
        c.stage();
        drop(c);
        assert_eq!(std::fs::read(dir.join(FILE)).unwrap(), before);
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".gitignore", FILE]);
    }

    #[test]
    fn a_damaged_cache_is_ignored() {
        let c = CardCache::none();
        c.put(7, &[page(1.0)], Digest::of(b"x"));
        let cards = std::mem::take(&mut *c.new.lock().unwrap());
        let pulled = Pulled {
            key: 7,
            ids: vec!["jiaoyu/yulu".into()],
            bodies: 2,
        };
        let good = write(&cards, None, &[(3, pulled)]);
        assert!(
            read_bytes(&good).is_some_and(|(c, _, p)| c.contains_key(&7) && p.contains_key(&3))
        );
        for cut in 0..good.len() {
            assert!(read_bytes(&good[..cut]).is_none(), "cut at {cut}");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x20;
            assert!(read_bytes(&bad).is_none(), "byte {i} changed");
        }
    }

    #[test]
    fn keys_frame_their_parts() {
        let k = |parts: &[&[u8]]| {
            let mut h = KeyHasher::new("t");
            for p in parts {
                h.add(p);
            }
            h.finish()
        };
        assert_eq!(k(&[b"ab", b"c"]), k(&[b"ab", b"c"]));
        assert_ne!(k(&[b"ab", b"c"]), k(&[b"a", b"bc"]));
        assert_ne!(KeyHasher::new("t").finish(), KeyHasher::new("u").finish());
    }

    #[test]
    fn a_key_is_the_hash_of_its_framed_bytes_however_they_are_gathered() {
        use xxhash_rust::xxh3::Xxh3;
        // Parts small, straddling the gathered size and larger than it, in a mix.
        let sizes = [0, 1, 4, 13, 4088, 4089, 4096, 5000, 3, 70_000, 7, 4080, 16];
        let parts: Vec<Vec<u8>> = sizes
            .iter()
            .enumerate()
            .map(|(k, &n)| (0..n).map(|i| (i * 31 + k) as u8).collect())
            .collect();
        let mut plain = Xxh3::new();
        let mut h = KeyHasher::new("t");
        for part in std::iter::once(&b"t".to_vec()).chain(&parts) {
            plain.update(&(part.len() as u64).to_le_bytes());
            plain.update(part);
        }
        for part in &parts {
            h.add(part);
            // Finishing reads the key so far and leaves the hasher as it was.
            let _ = h.finish();
        }
        assert_eq!(h.finish(), plain.digest128());
    }
}
