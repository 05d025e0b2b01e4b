//! Chapters known by their markup's text. After one edit the handbook's markup is
//! mostly the last build's, and converting all of it to blocks and hashing every
//! window's blocks for its key redid what the last build did (a fifth of the
//! handbook's work after one phone edited at 1,000 entries; its markup is converted
//! again after a body edit too).
//!
//! So a chapter that is one child of the markup's root (the default template's
//! `<chapter>`, with what follows it up to the next) is recorded with the key of its
//! text and of everything its conversion reads besides: the print setup, the root's
//! start tag, every section's body and which entry each index is (a `<content>` of an
//! entry becomes a place for its body, read when laid out). A later build whose
//! chapter has the same text key makes the chapter's key from the recorded keys of its
//! windows' blocks and those entries' bodies as they are now, and converts its text
//! only when the chapter cannot be copied whole. A chapter that showed pictures was
//! never recorded (`Body::end_part`), so no picture file is trusted unread.

use std::ops::Range;

use rayon::prelude::*;

use super::reuse::{Key, Reuse, Text};
use crate::print::cache::KeyHasher;
use crate::site::Site;
use crate::typeset::layout::Block;
use crate::typeset::markup::{COVER, Cut, TOC};
use crate::typeset::style::StyleSheet;

type Content<'c> = dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync + 'c;

/// Each window's blocks key and the entries whose bodies it prints.
pub(super) type Windows = Vec<(Key, Vec<usize>)>;

/// The markup cut into its front (everything before the first chapter) and its
/// chapters, each with its text key.
pub(super) struct Split<'a> {
    cut: Cut<'a>,
    front: &'a str,
    chapters: Vec<(&'a str, Key)>,
}

/// One chapter of the markup, with its text key: converted with the rest (its blocks'
/// place in them), or known from the last build (its text, and its windows as
/// recorded).
pub(super) enum Group<'a> {
    Converted {
        blocks: Range<usize>,
        text: Key,
    },
    Known {
        text: &'a str,
        key: Key,
        windows: Windows,
    },
}

/// `rendered` cut into its front and chapters; `None` when it cannot be cut or has no
/// chapter.
pub(super) fn split<'a>(rendered: &'a str, site: &Site, setup: Key) -> Option<Split<'a>> {
    let cut = Cut::children(rendered)?;
    let at = |s: &str| s.as_ptr() as usize - rendered.as_ptr() as usize;
    let starts: Vec<usize> = cut
        .pieces
        .iter()
        .filter(|p| {
            p.strip_prefix("<chapter")
                .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
        })
        .map(|p| at(p))
        .collect();
    let first = *starts.first()?;
    let (begin, end) = {
        let last = cut.pieces.last()?;
        (at(cut.pieces.first()?), at(last) + last.len())
    };
    let mut h = KeyHasher::new("chapter content");
    h.add(&setup.to_le_bytes()).add(cut.open.as_bytes());
    for s in &site.sections {
        let s = &s.section;
        h.add(s.path.as_bytes())
            .add(
                s.src
                    .as_ref()
                    .map_or(&b""[..], |f| f.path.as_os_str().as_encoded_bytes()),
            )
            .add(&s.body_start.to_le_bytes())
            .add(s.body.as_bytes());
    }
    h.add(&(site.entries.len() as u64).to_le_bytes());
    for n in &site.entries {
        h.add(n.entry.id.as_bytes());
    }
    let content = h.finish();
    let ends = starts.iter().skip(1).copied().chain([end]);
    let chapters = starts
        .iter()
        .zip(ends)
        .map(|(&a, z)| {
            let text = &rendered[a..z];
            let key = KeyHasher::new("chapter text")
                .add(&content.to_le_bytes())
                .add(text.as_bytes())
                .finish();
            (text, key)
        })
        .collect();
    Some(Split {
        front: &rendered[begin..first],
        cut,
        chapters,
    })
}

impl<'a> Split<'a> {
    /// The blocks of the front and of the chapters not known from the last build
    /// (`reuse`), converted in parallel, with the number of the front's; and every
    /// chapter in order. `None` when a piece has an error (for the whole parse to
    /// report) or a chapter's blocks are not one chapter of the book.
    pub(super) fn blocks(
        &self,
        reuse: &Reuse,
        site: &Site,
        styles: &StyleSheet,
        content: &Content<'_>,
    ) -> Option<(Vec<Block>, usize, Vec<Group<'a>>)> {
        let known: Vec<Option<Windows>> = self
            .chapters
            .iter()
            .map(|&(_, key)| reuse.known(site, key))
            .collect();
        let texts: Vec<&str> = std::iter::once(self.front)
            .chain(
                self.chapters
                    .iter()
                    .zip(&known)
                    .filter(|(_, k)| k.is_none())
                    .map(|(&(text, _), _)| text),
            )
            .collect();
        let converted: Vec<Option<Vec<Block>>> = texts
            .par_iter()
            .with_max_len(1)
            .map(|text| self.cut.convert(text, styles, content))
            .collect();
        let mut converted = converted.into_iter();
        let mut blocks = converted.next()??;
        let front = blocks.len();
        let mut groups = Vec::with_capacity(self.chapters.len());
        for (&(text, key), known) in self.chapters.iter().zip(known) {
            match known {
                Some(windows) => groups.push(Group::Known { text, key, windows }),
                None => {
                    let own = converted.next()??;
                    if !one_chapter(&own) {
                        return None;
                    }
                    let start = blocks.len();
                    blocks.extend(own);
                    groups.push(Group::Converted {
                        blocks: start..blocks.len(),
                        text: key,
                    });
                }
            }
        }
        Some((blocks, front, groups))
    }

    /// Converts a known chapter's `text` (not copied after all); `None` on an error.
    pub(super) fn convert(
        &self,
        text: &str,
        styles: &StyleSheet,
        content: &Content<'_>,
    ) -> Option<Vec<Block>> {
        self.cut
            .convert(text, styles, content)
            .filter(|b| one_chapter(b))
    }
}

/// Whether `blocks` are one chapter of the book as `body::chapters` cuts it: they begin
/// with a chapter's page break and anchor, and hold no other such start, cover or
/// contents.
fn one_chapter(blocks: &[Block]) -> bool {
    let starts = |i: usize| {
        matches!(blocks[i], Block::PageBreak)
            && matches!(blocks.get(i + 1), Some(Block::Anchor(mk)) if mk.level == 1)
    };
    !blocks.is_empty()
        && starts(0)
        && !(1..blocks.len()).any(starts)
        && !blocks
            .iter()
            .any(|b| matches!(b, Block::Anchor(mk) if mk.key == TOC || mk.key == COVER))
}

/// The record of a chapter's text: its key and its windows' (blocks key, entries).
pub(super) fn record(key: Key, windows: &Windows) -> Text {
    Text {
        key,
        windows: windows
            .iter()
            .map(|(k, ds)| (*k, ds.iter().map(|&i| i as u32).collect()))
            .collect(),
    }
}

/// One part of the body as `body::chapters` cuts it (a chapter, or what comes before
/// the first): its blocks or the last build's record of them, its windows, and their
/// keys.
pub(super) struct Part<'a> {
    /// Its blocks' place in the body; `None` for a chapter known from the last build,
    /// whose text `known` is.
    pub(super) range: Option<Range<usize>>,
    pub(super) known: Option<&'a str>,
    /// Its text key, when it is one chapter of the markup.
    pub(super) text: Option<Key>,
    /// Its windows of entries (in its blocks).
    pub(super) wins: Vec<Range<usize>>,
    /// With reuse, each window's blocks key and entries, and its key.
    pub(super) own: Windows,
    pub(super) keys: Vec<Key>,
}

/// The body's parts (the body: `blocks` from `body_at`), in order: cut by
/// `body::chapters`, or with `split` (the number of the front's blocks and the
/// chapters from [`Split::blocks`]) the front's cut so and each chapter one part.
/// Hashing blocks takes a while: every window's key at once, in parallel.
pub(super) fn parts<'a>(
    blocks: &[Block],
    body_at: usize,
    split: Option<(usize, Vec<Group<'a>>)>,
    reuse: Option<&Reuse>,
    site: &Site,
) -> Vec<Part<'a>> {
    let part = |range: Range<usize>, text| Part {
        range: Some(range),
        known: None,
        text,
        wins: Vec::new(),
        own: Vec::new(),
        keys: Vec::new(),
    };
    let body = &blocks[body_at..];
    let mut parts: Vec<Part> = Vec::new();
    match split {
        None => parts.extend(super::chapters(body).into_iter().map(|r| part(r, None))),
        Some((front, groups)) => {
            let tail = body_at.min(front)..front;
            parts.extend(super::chapters(&blocks[tail.clone()]).into_iter().map(|r| {
                part(
                    r.start + tail.start - body_at..r.end + tail.start - body_at,
                    None,
                )
            }));
            for g in groups {
                parts.push(match g {
                    Group::Converted { blocks: r, text } => {
                        part(r.start - body_at..r.end - body_at, Some(text))
                    }
                    Group::Known { text, key, windows } => Part {
                        range: None,
                        known: Some(text),
                        text: Some(key),
                        wins: Vec::new(),
                        own: windows,
                        keys: Vec::new(),
                    },
                });
            }
        }
    }
    for p in &mut parts {
        if let Some(r) = &p.range {
            p.wins = super::windows(&body[r.clone()], super::WINDOW);
        }
    }
    let Some(reuse) = reuse else { return parts };
    let all: Vec<(usize, &[Block])> = parts
        .iter()
        .enumerate()
        .filter_map(|(c, p)| Some((c, &body[p.range.clone()?], &p.wins)))
        .flat_map(|(c, b, ws)| ws.iter().map(move |w| (c, &b[w.clone()])))
        .collect();
    let own: Vec<(Key, Vec<usize>)> = all
        .par_iter()
        .map(|&(_, b)| (Reuse::blocks_key(b), super::parts::deferred_in(b)))
        .collect();
    for (&(c, _), o) in all.iter().zip(own) {
        parts[c].own.push(o);
    }
    for p in &mut parts {
        p.keys = p
            .own
            .iter()
            .map(|(k, ds)| reuse.window_key(site, *k, ds))
            .collect();
    }
    parts
}

/// The part of a known chapter whose text was converted after all (`blocks`, one
/// chapter: see [`Split::convert`]), `text` its text key.
pub(super) fn converted(
    blocks: &[Block],
    text: Key,
    reuse: Option<&Reuse>,
    site: &Site,
) -> Option<Part<'static>> {
    let split = Some((
        0,
        vec![Group::Converted {
            blocks: 0..blocks.len(),
            text,
        }],
    ));
    parts(blocks, 0, split, reuse, site).pop()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::NullSink;

    const MARKUP: &str = "<handbook>\n<cover><p class=\"cover-title\">封面</p></cover>\n<toc title=\"目录\"/>\n\
        <chapter title=\"一\" key=\"a\"><p>甲</p><entry title=\"条一\" key=\"e1\"><p>乙</p><content id=\"x\"/></entry></chapter>\n\
        <!-- 注 -->\n<chapter title=\"二\" key=\"b\"><entry title=\"条二\" key=\"e2\"><p>丙</p></entry></chapter>\n</handbook>\n";

    fn content(id: Option<&str>) -> Option<Vec<Block>> {
        Some(crate::typeset::mdblocks::blocks(
            &format!("正文 {}", id?),
            &StyleSheet::builtin(),
            1,
        ))
    }

    /// Each chapter's text key changes with its own text and with what every
    /// conversion reads (the setup, a section's body), not with another chapter's.
    #[test]
    fn a_chapter_s_key_is_its_text_and_what_its_conversion_reads() {
        let dir = crate::site::good_site();
        let mut site = Site::load(dir.path()).unwrap();
        let keys = |markup: &str, site: &Site, setup: Key| -> Vec<Key> {
            split(markup, site, setup)
                .unwrap()
                .chapters
                .iter()
                .map(|c| c.1)
                .collect()
        };
        let sp = split(MARKUP, &site, 1).unwrap();
        assert!(sp.front.contains("<cover>") && sp.front.contains("<toc"));
        assert_eq!(sp.chapters.len(), 2);
        assert!(
            sp.chapters[1].0.starts_with("<chapter title=\"二\"")
                && sp.chapters[0].0.contains("<!-- 注 -->")
        );
        let first = keys(MARKUP, &site, 1);
        assert_ne!(first[0], first[1]);
        assert_eq!(keys(MARKUP, &site, 1), first);
        let second = keys(&MARKUP.replace("丙", "丁"), &site, 1);
        assert_eq!((second[0], second[1] == first[1]), (first[0], false));
        assert!(
            keys(MARKUP, &site, 2)
                .iter()
                .zip(&first)
                .all(|(a, b)| a != b)
        );
        site.sections[0].section.body.push_str("导语改动");
        assert!(
            keys(MARKUP, &site, 1)
                .iter()
                .zip(&first)
                .all(|(a, b)| a != b)
        );
        assert!(split("<handbook><cover/></handbook>", &site, 1).is_none());
    }

    /// Converted by chapter, the markup gives the blocks of the whole parse, and its
    /// parts are the ones `body::chapters` cuts; a chapter that is not one chapter of
    /// the book (a second one started inside it) is left to the whole parse.
    #[test]
    fn by_chapter_the_blocks_and_parts_are_the_whole_parse_s() {
        let dir = crate::site::good_site();
        let site = Site::load(dir.path()).unwrap();
        let styles = StyleSheet::builtin();
        let reuse = Reuse::new(1, None, &NullSink::default(), "x");
        let sp = split(MARKUP, &site, 1).unwrap();
        let (blocks, front, groups) = sp.blocks(&reuse, &site, &styles, &content).unwrap();
        let wrapped = format!("<mingbai>{MARKUP}</mingbai>");
        let doc = roxmltree::Document::parse(&wrapped).unwrap();
        let root = doc.root_element().first_element_child().unwrap();
        let (whole, errors) =
            crate::typeset::markup::Converter::blocks_in_parallel(&styles, &content, root);
        assert!(errors.is_empty());
        assert_eq!(format!("{blocks:?}"), format!("{whole:?}"));
        let body_at = 1 + blocks
            .iter()
            .position(|b| matches!(b, Block::Anchor(mk) if mk.key == TOC))
            .unwrap();
        let parts = parts(&blocks, body_at, Some((front, groups)), Some(&reuse), &site);
        let ranges: Vec<_> = parts.iter().map(|p| p.range.clone().unwrap()).collect();
        assert_eq!(ranges, super::super::chapters(&blocks[body_at..]));
        assert_eq!(parts.iter().filter(|p| p.text.is_some()).count(), 2);
        assert!(
            parts
                .iter()
                .all(|p| p.keys.len() == p.wins.len() && p.own.len() == p.wins.len())
        );

        let two = MARKUP.replace(
            "<p>乙</p>",
            "<pagebreak/><anchor level=\"1\" title=\"又\"/>",
        );
        let sp = split(&two, &site, 1).unwrap();
        assert!(sp.blocks(&reuse, &site, &styles, &content).is_none());
    }
}
