//! Unchanged chapters of the handbook are not laid out again: their pages' content
//! streams are copied out of the handbook the last build wrote.
//!
//! A chapter's pages depend only on its own blocks (a chapter starts on a new page,
//! and pagination starts afresh there), so its key is a hash of those blocks as the
//! template rendered them, the bodies of the entries it prints and the print setup.
//! What depends on the rest of the book is drawn apart, in layers of its own: the
//! blank page before a chapter, the running head, the page number. The glyph ids the
//! content streams use must mean the same glyphs in the new file, so a build that
//! reuses chapters starts from the last build's glyph table and adds to it.
//!
//! A chapter that changed is laid out again only from the first window of entries
//! (see `body::WINDOW`) that differs: its key is the last link of a chain of its
//! windows' keys, and the record says where the layout stood after each window (pages
//! finished, the chunks still waiting for a page, the space pending). A later build
//! whose chapter begins with the same windows copies the pages finished by then, lays
//! out again the few windows whose chunks were waiting, and goes on from there: the
//! pages are the ones a layout of the whole chapter makes (tested byte for byte).
//!
//! Nor is it laid out to its end: a change moves the page breaks after it only until
//! some page had room to spare (an entry's title carried to the next page, a box that
//! did not fit), and from there the pages are the last build's again. After each window
//! laid out, when the layout stands where the last build's stood after the same window
//! (the same chunks waiting, the same space pending) and the windows from the first
//! waiting chunk's on are the same as then (each window's record holds the hash of the
//! chapter's windows from it to the end), the rest of the chapter is copied. At 10,000
//! entries (windows of 32) an edit to the first entry of a chapter of 33 windows met the last layout
//! again after the second window.
//!
//! The cache ([`Book`], saved with the card cache) holds for each chapter its key, its
//! pages' markers and where their content streams lie in the last build's file, a
//! hash of those bytes, and its windows' record: a file that was replaced or damaged
//! since has its chapters laid out again. Chapters that show pictures are always laid
//! out again (their streams name pictures by their place in the file's picture list).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

mod record;

use crate::output::{Digest, Sink};
pub(crate) use crate::print::cache::Key;
use crate::print::cache::KeyHasher;
use crate::site::Site;
use crate::typeset::embed::{DocFonts, GlyphTable};
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::{Block, Marker};

/// Glyph slots kept for text no longer printed are bounded: once the table has grown
/// past this share of the last fresh build's, the next build starts afresh.
const GROWTH: (u32, u32) = (5, 4);
/// A page's content stream larger than this is not read back (a page holds a few KB).
const MAX_STREAM: u64 = 64 << 20;

/// The handbook as the last build wrote it.
#[derive(Debug, PartialEq)]
pub(crate) struct Book {
    /// The whole file's size and hash.
    pub(crate) file: Digest,
    /// The print setup it was made with (its glyph ids are of these fonts).
    setup: Key,
    /// The key of the whole book (all its chapters' keys, the cover, the contents'
    /// title) and its page count: an unchanged book is copied whole.
    whole: Key,
    pages: u32,
    /// Glyph slots when the table last started empty.
    fresh: u32,
    /// The glyph table: per face, (original glyph id, its text) in id order.
    glyphs: GlyphTable,
    chapters: Vec<Chapter>,
    /// The markup the template rendered, under the key of what it read
    /// ([`super::markup_key`]): a build whose key is the same takes it instead of
    /// making every entry's values and rendering the template again.
    markup: Option<(Key, String)>,
}

/// A chapter's pages as the last build wrote them; or the table of contents', recorded
/// the same way without windows (a chapter has one at least).
#[derive(Debug, PartialEq)]
struct Chapter {
    key: Key,
    /// Hash of its pages' content streams, in order.
    sum: Key,
    pages: Vec<Stored>,
    /// Where its layout stood after each window of entries (see [`Resume`]).
    windows: Vec<Resume>,
    /// Its markup's text, when the chapter is one child of the markup's root (see
    /// [`super::texts`]).
    text: Option<Text>,
}

/// A chapter's markup known by its text: the key of that text (with everything its
/// conversion reads) and, for each of its windows, the key of its blocks and the
/// entries whose bodies it prints. A later build whose chapter has the same text key
/// makes the chapter's key from these and the bodies as they are now, without
/// converting the text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Text {
    pub(super) key: Key,
    pub(super) windows: Vec<(Key, Vec<u32>)>,
}

/// Where a chapter's layout stood after one window of its entries: a later build
/// whose chapter begins with the same windows copies the pages made until then and
/// goes on from there, laying out only the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Resume {
    /// The chapter's windows so far, hashed in a chain ([`Reuse::chain`]).
    pub(super) chain: Key,
    /// The chapter's windows from this one to its end, hashed ([`Reuse::suffixes`]).
    pub(super) suffix: Key,
    /// Pages finished (and written) so far.
    pub(super) pages: u32,
    /// The chunks waiting for a page: those of windows `from` on, past the first
    /// `skip` of them; laying out window `from` starts with `pending` space.
    pub(super) from: u32,
    pub(super) skip: u32,
    pub(super) pending: f32,
}

/// A chapter laid out in part from the last build: the pages copied (with their
/// streams), the windows' record until then, and where to go on.
pub(super) struct Resumed {
    pub(super) pages: Vec<(Stored, Vec<u8>)>,
    pub(super) windows: Vec<Resume>,
}

/// One page of a chapter: what the book needs to know of it, and where its content
/// stream is in the file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Stored {
    pub(super) markers: Vec<(Marker, f32)>,
    /// It shows something (gets a running head and a page number).
    pub(super) shows: bool,
    pub(super) deflated: bool,
    pub(super) at: u64,
    pub(super) len: u64,
}

/// The part of a last build's chapter not copied by [`Reuse::resume`]: its pages
/// from `first` on, and its windows' record.
struct Held {
    chapter: Key,
    first: usize,
    pages: Vec<(Stored, Vec<u8>)>,
    windows: Vec<Resume>,
}

/// A chapter copied from the last build: its pages with their content streams, the
/// hash of those streams, and its windows' record.
pub(super) type Copied = (Vec<(Stored, Vec<u8>)>, Key, Vec<Resume>);

/// What one handbook build reuses and records.
pub(crate) struct Reuse {
    setup: Key,
    /// The last build's chapters by key, with its file opened, when that file still
    /// holds what the cache says.
    old: Option<(HashMap<Key, Chapter>, File)>,
    /// The last build's windows by chain key: the chapter's key and the window's place.
    chains: HashMap<Key, (Key, usize)>,
    /// The last build's chapters by the key of their markup's text ([`Text`]).
    texts: HashMap<Key, Key>,
    /// The same by the hash of the windows from each to its chapter's end.
    suffixes: HashMap<Key, (Key, usize)>,
    /// The pages and windows of the last build's chapter [`Reuse::resume`] read, from
    /// page `.1` on (those before it were copied), for [`Reuse::rejoin`].
    held: Option<Held>,
    /// The last build's glyph table and its fresh size.
    seed: Option<(GlyphTable, u32)>,
    /// The last book's whole key, page count and file.
    old_whole: Option<(Key, u32, Digest)>,
    /// This book's whole key.
    whole: Key,
    chapters: Vec<Chapter>,
    /// Chapters copied from the last build.
    pub(crate) reused: usize,
    /// Chapters laid out from a point on, their pages before it copied.
    pub(crate) resumed: usize,
    /// Chapters laid out only until their layout met the last build's again.
    pub(crate) rejoined: usize,
    /// The last build's markup and its key, then this build's.
    markup: Option<(Key, String)>,
}

impl Reuse {
    /// Reuse of `old` (the cache's record of the handbook) for the file `rel` of `sink`;
    /// `setup`: the print setup's key.
    pub(crate) fn new(setup: Key, mut old: Option<Book>, sink: &dyn Sink, rel: &str) -> Reuse {
        let mut reuse = Reuse {
            setup,
            old: None,
            chains: HashMap::new(),
            texts: HashMap::new(),
            suffixes: HashMap::new(),
            held: None,
            seed: None,
            old_whole: None,
            whole: 0,
            chapters: Vec::new(),
            reused: 0,
            resumed: 0,
            rejoined: 0,
            markup: None,
        };
        // The markup depends on the templates and the values alone.
        reuse.markup = old.as_mut().and_then(|b| b.markup.take());
        // Another setup (fonts above all) shares nothing with this one.
        if let Some(b) = old.filter(|b| b.setup == setup)
            && let Some(file) = sink.previous(rel, b.file)
        {
            for c in &b.chapters {
                if let Some(t) = &c.text {
                    reuse.texts.insert(t.key, c.key);
                }
                for (j, w) in c.windows.iter().enumerate() {
                    reuse.chains.insert(w.chain, (c.key, j));
                    reuse.suffixes.insert(w.suffix, (c.key, j));
                }
            }
            let chapters = b.chapters.into_iter().map(|c| (c.key, c)).collect();
            reuse.old = Some((chapters, file));
            reuse.seed = Some((b.glyphs, b.fresh));
            reuse.old_whole = Some((b.whole, b.pages, b.file));
        }
        reuse
    }

    /// The key of the whole book: its `front` blocks (the cover, with `deferred` the
    /// entries they print), the contents' title, the PDF's `title` and `date`, and the
    /// keys of all its chapters. Kept for [`Reuse::finish`].
    pub(super) fn whole_key(
        &mut self,
        site: &Site,
        front: (&[Block], &[usize]),
        toc: Option<&str>,
        title: &str,
        date: (i32, u8, u8),
        chapters: &[Key],
    ) -> Key {
        let mut h = KeyHasher::new("book");
        h.add(&self.key(site, front.0, front.1).to_le_bytes())
            .add(format!("{toc:?} {title} {date:?}").as_bytes());
        for k in chapters {
            h.add(&k.to_le_bytes());
        }
        self.whole = h.finish();
        self.whole
    }

    /// When the whole book is unchanged (`whole_key` as last time) and the last file
    /// still holds its bytes: copies that file into `out` and returns its page count
    /// and glyph table. `Ok(None)`: lay the book out.
    pub(super) fn copy_whole(
        &mut self,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<Option<(usize, GlyphTable)>> {
        let (Some((key, pages, digest)), Some((chapters, file)), Some((glyphs, _))) =
            (self.old_whole, self.old.as_mut(), self.seed.as_ref())
        else {
            return Ok(None);
        };
        if key != self.whole {
            return Ok(None);
        }
        // Read once to check, then copied: a file changed since is laid out afresh.
        file.seek(SeekFrom::Start(0))?;
        if Digest::of_reader(&mut *file)? != digest {
            return Ok(None);
        }
        file.seek(SeekFrom::Start(0))?;
        let copied = std::io::copy(&mut (&mut *file).take(digest.len()), out)?;
        if copied != digest.len() {
            return Err(std::io::Error::other("the last handbook was cut short"));
        }
        self.chapters = std::mem::take(chapters).into_values().collect();
        self.chapters.sort_unstable_by_key(|c| c.key);
        self.reused = self
            .chapters
            .iter()
            .filter(|c| !c.windows.is_empty())
            .count();
        Ok(Some((pages as usize, glyphs.clone())))
    }

    /// The glyph table to start from: the last build's, when one of the chapters
    /// `keys` can be copied from it, begins as one of its chapters did (`chains`: each
    /// chapter's windows), or ends as one did (`suffixes`); otherwise empty (and the
    /// record starts afresh).
    pub(super) fn glyphs(
        &mut self,
        fonts: &Fonts,
        keys: &[Option<Key>],
        chains: &[Vec<Key>],
        suffixes: &[Vec<Key>],
    ) -> DocFonts {
        let any = self.old.as_ref().is_some_and(|(chapters, _)| {
            keys.iter().flatten().any(|k| chapters.contains_key(k))
                || chains
                    .iter()
                    .filter_map(|c| c.first())
                    .any(|k| self.chains.contains_key(k))
                || suffixes
                    .iter()
                    .flatten()
                    .any(|k| self.suffixes.contains_key(k))
        });
        if !any {
            self.seed = None;
        }
        self.seed
            .as_ref()
            .and_then(|(t, _)| DocFonts::seeded(fonts, t))
            .unwrap_or_else(|| DocFonts::empty(fonts))
    }

    /// The print setup's key.
    pub(super) fn setup(&self) -> Key {
        self.setup
    }

    /// The key of the blocks `part`: the blocks, the bodies of the entries they print
    /// (`deferred`: their indexes in `site`) and the print setup.
    pub(super) fn key(&self, site: &Site, part: &[Block], deferred: &[usize]) -> Key {
        self.window_key(site, Reuse::blocks_key(part), deferred)
    }

    /// The key of the blocks `part` alone (a part of [`Reuse::key`]).
    pub(super) fn blocks_key(part: &[Block]) -> Key {
        let mut h = KeyHasher::new("blocks");
        super::key::blocks(&mut h, part);
        h.finish()
    }

    /// [`Reuse::key`] of blocks whose own key is `blocks`.
    pub(super) fn window_key(&self, site: &Site, blocks: Key, deferred: &[usize]) -> Key {
        let mut h = KeyHasher::new("chapter");
        h.add(&self.setup.to_le_bytes()).add(&blocks.to_le_bytes());
        for &i in deferred {
            let e = &site.entries[i].entry;
            h.add(e.src.path.as_os_str().as_encoded_bytes())
                .add(&e.body_start.to_le_bytes())
                .add(e.body().as_bytes());
        }
        h.finish()
    }

    /// The windows of the last build's chapter whose markup had the text key `text`
    /// (see [`Text`]), when its pages can still be copied; entries past the end of
    /// `site` make it unknown.
    pub(super) fn known(&self, site: &Site, text: Key) -> Option<Vec<(Key, Vec<usize>)>> {
        let key = self.texts.get(&text)?;
        let chapter = self.old.as_ref()?.0.get(key)?;
        let t = chapter.text.as_ref().filter(|t| t.key == text)?;
        let n = site.entries.len();
        t.windows
            .iter()
            .map(|(k, ds)| {
                let ds: Option<Vec<usize>> = ds
                    .iter()
                    .map(|&i| Some(i as usize).filter(|&i| i < n))
                    .collect();
                Some((*k, ds?))
            })
            .collect()
    }

    /// A chapter's windows hashed in a chain from their keys ([`Reuse::key`] of
    /// each): the last link is the chapter's key.
    pub(super) fn chain(windows: &[Key]) -> Vec<Key> {
        links(("windows", "window"), windows.iter())
    }

    /// For each of a chapter's windows (`windows`: their keys), the hash of the windows
    /// from it to the chapter's end.
    pub(super) fn suffixes(windows: &[Key]) -> Vec<Key> {
        let mut out = links(("suffixes", "suffix"), windows.iter().rev());
        out.reverse();
        out
    }

    /// For a chapter whose windows chain to `chain` (and which was not copied whole):
    /// the pages the last build made before the first window that differs, when that
    /// chapter began with the same windows and its file still holds them.
    pub(super) fn resume(&mut self, chain: &[Key]) -> Option<Resumed> {
        let (old, _) = *self.chains.get(chain.first()?)?;
        let same = chain
            .iter()
            .enumerate()
            .take_while(|&(j, k)| self.chains.get(k) == Some(&(old, j)))
            .count();
        // The last window is where the two differ at the latest: resuming after the
        // last of all would copy the whole chapter, which its key does.
        if same == 0 || same >= chain.len() {
            return None;
        }
        // Looked at before the pages are read: a chapter not resumed from stays there
        // for `rejoin`.
        let at = *self.old.as_ref()?.0.get(&old)?.windows.get(same - 1)?;
        let copied = usize::try_from(at.pages).ok()?;
        // Nothing to copy: laid out whole.
        if copied == 0 || at.from as usize > same {
            return None;
        }
        let (pages, _, windows) = self.read(old)?;
        if copied > pages.len() {
            return None;
        }
        self.resumed += 1;
        let mut pages = pages;
        let rest = pages.split_off(copied);
        let prefix = windows[..same].to_vec();
        self.held = Some(Held {
            chapter: old,
            first: copied,
            pages: rest,
            windows,
        });
        Some(Resumed {
            pages,
            windows: prefix,
        })
    }

    /// Whether the rest of a chapter could turn out to be the last build's once a
    /// window is laid out: `starts` are the suffix keys of the windows the waiting
    /// chunks could start at (from the chapter's first to the one after it). When not,
    /// the window after it is laid out ahead, beside its pagination.
    pub(super) fn may_rejoin(&self, starts: &[Key]) -> bool {
        self.seed.is_some() && starts.iter().any(|k| self.suffixes.contains_key(k))
    }

    /// After window `j` of a chapter of `windows` windows was laid out, its layout
    /// standing at `at`, and `ahead` the hash of its windows from `at.from` on: when the last build's layout of a chapter stood at the same place after the
    /// same window, with the same windows to come, the rest of that chapter's pages
    /// (and its record of the windows after `j`, their page counts moved to follow
    /// `at.pages`). The chapter's pages are then the ones a layout to its end makes.
    pub(super) fn rejoin(
        &mut self,
        j: usize,
        windows: usize,
        ahead: Key,
        at: Resume,
    ) -> Option<Resumed> {
        // Copied content streams name glyphs by the last build's ids.
        self.seed.as_ref()?;
        let &(old, from) = self.suffixes.get(&ahead)?;
        let held = self.held.as_ref().filter(|h| h.chapter == old);
        let record = match held {
            Some(h) => &h.windows,
            None => &self.old.as_ref()?.0.get(&old)?.windows,
        };
        let then = *record.get(j)?;
        let same = from == at.from as usize
            && then.from == at.from
            && then.skip == at.skip
            && then.pending.to_bits() == at.pending.to_bits()
            && (then.pages > 0) == (at.pages > 0)
            && record.len() == windows;
        if !same {
            return None;
        }
        let (first, mut pages, record) = match self.held.take().filter(|h| h.chapter == old) {
            Some(h) => (h.first, h.pages, h.windows),
            None => {
                let (pages, _, record) = self.read(old)?;
                (0, pages, record)
            }
        };
        let cut = (then.pages as usize).checked_sub(first)?;
        if cut > pages.len() {
            return None;
        }
        let rest = pages.split_off(cut);
        let later = record[j + 1..]
            .iter()
            .map(|r| {
                Some(Resume {
                    pages: at.pages.checked_add(r.pages.checked_sub(then.pages)?)?,
                    ..*r
                })
            })
            .collect::<Option<Vec<_>>>()?;
        self.rejoined += 1;
        Some(Resumed {
            pages: rest,
            windows: later,
        })
    }

    /// The pages of the chapter `key` with their content streams, read out of the last
    /// build's file, and the hash of those streams; `None` when it is not there as
    /// recorded.
    pub(super) fn take(&mut self, key: Key) -> Option<Copied> {
        let copied = self.read(key)?;
        self.reused += 1;
        Some(copied)
    }

    /// The last build's table of contents recorded under `key` (see `super::toc`),
    /// when this build's glyph table starts from the last one's (the pages' glyph ids
    /// are its).
    pub(super) fn take_contents(&mut self, key: Key) -> Option<Copied> {
        self.seed.as_ref()?;
        self.read(key)
    }

    /// The pages of the last build's chapter `key`, as [`Reuse::take`] gives them (the
    /// chapter can be read once).
    fn read(&mut self, key: Key) -> Option<Copied> {
        let (chapters, file) = self.old.as_mut()?;
        let chapter = chapters.remove(&key)?;
        let size = file.metadata().ok()?.len();
        for p in &chapter.pages {
            if p.len > MAX_STREAM || p.at.checked_add(p.len)? > size {
                return None;
            }
        }
        // The chapter's streams lie together, a page's other objects between them: read
        // in one piece (two calls a page were a tenth of copying 100,000 pages).
        let start = chapter.pages.iter().map(|p| p.at).min().unwrap_or(0);
        let end = chapter
            .pages
            .iter()
            .map(|p| p.at + p.len)
            .max()
            .unwrap_or(start);
        let streams: u64 = chapter.pages.iter().map(|p| p.len).sum();
        let span = end - start;
        let whole = if span <= 2 * streams + (1 << 20) {
            let mut buf = vec![0; usize::try_from(span).ok()?];
            file.seek(SeekFrom::Start(start)).ok()?;
            file.read_exact(&mut buf).ok()?;
            Some(buf)
        } else {
            None
        };
        let mut sum = stream_sum();
        let mut out = Vec::with_capacity(chapter.pages.len());
        for p in chapter.pages {
            let data = match &whole {
                Some(buf) => buf[(p.at - start) as usize..(p.at - start + p.len) as usize].to_vec(),
                None => {
                    let mut data = vec![0; p.len as usize];
                    file.seek(SeekFrom::Start(p.at)).ok()?;
                    file.read_exact(&mut data).ok()?;
                    data
                }
            };
            sum.add(&data);
            out.push((p, data));
        }
        (sum.finish() == chapter.sum).then_some((out, chapter.sum, chapter.windows))
    }

    /// The last build's markup, when it was rendered from what `key` hashes.
    pub(crate) fn markup(&mut self, key: Key) -> Option<String> {
        match self.markup.take() {
            Some((k, m)) if k == key => Some(m),
            _ => None,
        }
    }

    /// Keeps this build's `markup` (rendered from what `key` hashes) for the next.
    pub(crate) fn keep_markup(&mut self, key: Key, markup: String) {
        self.markup = Some((key, markup));
    }

    /// Closes the last build's file: nothing more is copied from it.
    pub(crate) fn close(&mut self) {
        self.old = None;
        self.held = None;
    }

    /// Records a chapter written in this build: its pages with the hash of their
    /// content streams (`sum`, as [`Reuse::take`] takes it), its windows and its
    /// markup's text.
    pub(super) fn record(
        &mut self,
        key: Key,
        pages: Vec<Stored>,
        sum: Key,
        windows: Vec<Resume>,
        text: Option<Text>,
    ) {
        self.held = None;
        self.chapters.push(Chapter {
            key,
            sum,
            pages,
            windows,
            text,
        });
    }

    /// The record of the handbook this build wrote (`file`, with the glyph table
    /// `glyphs`), for the next build; `None` when the next should start afresh.
    pub(crate) fn finish(self, glyphs: GlyphTable, file: Digest, pages: usize) -> Option<Book> {
        let slots: u32 = glyphs.iter().map(|f| f.len() as u32).sum();
        let fresh = match self.seed {
            Some((_, fresh)) => fresh,
            None => slots,
        };
        if slots > fresh.saturating_mul(GROWTH.0) / GROWTH.1 + 256 || self.chapters.is_empty() {
            return None;
        }
        Some(Book {
            file,
            setup: self.setup,
            whole: self.whole,
            pages: pages as u32,
            fresh,
            glyphs,
            chapters: self.chapters,
            markup: self.markup,
        })
    }
}

/// `keys` hashed in a chain: each link hashes the one before (the first, the hash of
/// `names.0`) and the next key, under `names.1`.
fn links<'a>(names: (&str, &str), keys: impl Iterator<Item = &'a Key>) -> Vec<Key> {
    let mut link = KeyHasher::new(names.0).finish();
    keys.map(|k| {
        link = KeyHasher::new(names.1)
            .add(&link.to_le_bytes())
            .add(&k.to_le_bytes())
            .finish();
        link
    })
    .collect()
}

/// The hash of a chapter's content streams, fed one page at a time.
pub(super) fn stream_sum() -> KeyHasher {
    KeyHasher::new("streams")
}

#[cfg(test)]
pub(super) mod tests;
