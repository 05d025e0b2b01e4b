//! What the handbook does to its blocks before layout: reading the pictures of
//! Markdown images (beside the entry in content/, or under static/ for `/img/x.png`),
//! breaking the cover title only between words, and putting entry bodies into the
//! places the markup left for them, a chapter at a time; and laying out the table of
//! contents on every core.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::typeset::fonts::Fonts;
use crate::typeset::image::{Picture, for_each_figure};
use crate::typeset::layout::{Block, Chunk, Layout, Marker};
use crate::typeset::linebreak;

/// The level of the anchor that stands for an entry's body until it is read.
const DEFERRED: u8 = u8::MAX;

/// The place of entry `i`'s body, filled by [`expand_deferred`].
pub(super) fn deferred(i: usize) -> Block {
    Block::Anchor(Marker {
        level: DEFERRED,
        title: String::new(),
        key: i.to_string(),
    })
}

fn deferred_entry(b: &Block) -> Option<usize> {
    match b {
        Block::Anchor(mk) if mk.level == DEFERRED => mk.key.parse().ok(),
        _ => None,
    }
}

/// Calls `f` on every list of blocks in `blocks`, nested ones included.
fn for_each_list(blocks: &mut Vec<Block>, f: &mut dyn FnMut(&mut Vec<Block>)) {
    f(blocks);
    for b in blocks.iter_mut() {
        b.for_each_child_mut(&mut |c| for_each_list(c, f));
    }
}

/// The entries whose bodies `blocks` has places for, in order.
pub(super) fn deferred_in(blocks: &[Block]) -> Vec<usize> {
    fn walk(blocks: &[Block], out: &mut Vec<usize>) {
        for b in blocks {
            out.extend(deferred_entry(b));
            b.for_each_child(&mut |c| walk(c, out));
        }
    }
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Puts each entry body of `bodies` into its place in `blocks`. A body is moved into
/// its last place (cloned only into earlier ones): the bodies are most of the book's
/// text, and copying them was a tenth of the handbook's single-threaded time.
pub(super) fn expand_deferred(blocks: &mut Vec<Block>, bodies: &mut HashMap<usize, Vec<Block>>) {
    let mut uses: HashMap<usize, usize> = HashMap::new();
    for_each_list(blocks, &mut |list| {
        for i in list.iter().filter_map(deferred_entry) {
            *uses.entry(i).or_default() += 1;
        }
    });
    for_each_list(blocks, &mut |list| {
        if !list.iter().any(|b| deferred_entry(b).is_some()) {
            return;
        }
        let len = list
            .iter()
            .map(|b| match deferred_entry(b) {
                Some(i) => bodies.get(&i).map_or(0, Vec::len),
                None => 1,
            })
            .sum();
        let mut out = Vec::with_capacity(len);
        for b in list.drain(..) {
            let Some(i) = deferred_entry(&b) else {
                out.push(b);
                continue;
            };
            let left = uses.get_mut(&i).map(|n| {
                *n -= 1;
                *n
            });
            match left {
                Some(0) => out.extend(bodies.remove(&i).unwrap_or_default()),
                _ => out.extend(bodies.get(&i).cloned().unwrap_or_default()),
            }
        }
        *list = out;
    });
}

/// Reads pictures once per build, and collects what went wrong; shared by the threads
/// that turn the handbook's chapters into blocks.
#[derive(Default)]
pub(super) struct Pictures {
    read: Mutex<HashMap<PathBuf, Arc<Picture>>>,
    errors: Mutex<Vec<Diagnostic>>,
}

impl Pictures {
    /// What went wrong so far, taken out.
    pub(super) fn take_errors(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Reads the picture of every figure in `blocks`, made from `body`: the Markdown
    /// body that starts at byte `body_start` of `src` (the entry's file,
    /// `content/…/x.md`), its figures references expanded.
    pub(super) fn read(
        &self,
        blocks: &mut [Block],
        root: &Path,
        src: Option<&SourceFile>,
        body_start: usize,
        body: &str,
    ) {
        // Where a figure is written in the file.
        let written = |at: usize| {
            let raw = src.and_then(|s| s.text.get(body_start..)).unwrap_or(body);
            body_start + crate::figures::written_at(raw, body, at)
        };
        for_each_figure(blocks, &mut |fig| {
            let folder = src
                .and_then(|s| s.path.parent())
                .map_or_else(|| root.join("content"), |p| root.join(p));
            let path = match locate(&fig.src, root, &folder) {
                Ok(p) => p,
                Err(why) => {
                    let hint = tr!("handbook-image-hint");
                    self.error(&fig.src, why, hint, src, written(fig.at));
                    return;
                }
            };
            let known = self.lock_read().get(&path).cloned();
            if let Some(p) = known {
                fig.picture = Some(p);
                return;
            }
            match Picture::load(&path) {
                Ok(p) => {
                    self.lock_read().insert(path, p.clone());
                    fig.picture = Some(p);
                }
                Err(why) => {
                    let shown = path.strip_prefix(root).unwrap_or(&path).display();
                    let why = format!("{why}（{shown}）");
                    let hint = tr!("handbook-image-file-hint");
                    self.error(&fig.src, why, hint, src, written(fig.at));
                }
            }
        });
    }

    /// A located error about the picture at `addr`; `hint` says what to do about `why`
    /// (the file is not found, or not a picture print can take).
    fn error(&self, addr: &str, why: String, hint: String, src: Option<&SourceFile>, at: usize) {
        let mut d =
            Diagnostic::error(tr!("handbook-image", addr = addr, why = why)).with_hint(hint);
        if let Some(s) = src {
            let end = s
                .text
                .get(at..)
                .and_then(|t| t.find(')'))
                .map_or(at, |e| at + e + 1);
            d = d.at(s, at..end);
        }
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(d);
    }

    fn lock_read(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Picture>>> {
        self.read.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The file an image address names: `/img/x.png` under static/, `x.png` (or
/// `../other/x.png`) beside the entry. Web addresses cannot be printed.
fn locate(addr: &str, root: &Path, folder: &Path) -> Result<PathBuf, String> {
    if addr.starts_with("http://") || addr.starts_with("https://") || addr.starts_with("//") {
        return Err(tr!("image-web"));
    }
    let addr = addr.split(['?', '#']).next().unwrap_or(addr);
    let decoded = percent_encoding::percent_decode_str(addr).decode_utf8_lossy();
    if decoded.is_empty() {
        return Err(tr!("image-empty-address"));
    }
    Ok(match decoded.strip_prefix('/') {
        Some(rest) => root.join("static").join(rest),
        None => folder.join(decoded.as_ref()),
    })
}

/// The cover title's paragraph in `front` (the blocks before the table of contents)
/// gets line breaks only between words, as few lines as fit `width`.
pub(super) fn break_cover_title(
    front: &mut [Block],
    title: &str,
    region: &str,
    fonts: &Fonts,
    width: f32,
) {
    for b in front {
        let Block::Para { runs, .. } = b else {
            continue;
        };
        let text: String = runs.iter().map(|r| r.0.as_str()).collect();
        if text.trim() != title.trim() || runs.is_empty() {
            continue;
        }
        let style = runs[0].1;
        let measure = |s: &str| -> f32 {
            linebreak::shape(fonts, &[(s.to_string(), style)])
                .map(|(atoms, _)| atoms.iter().map(|a| a.width).sum())
                .unwrap_or(0.0)
        };
        let lines = title_lines(title.trim(), region, width, &measure);
        *runs = vec![(lines.join("\n"), style)];
    }
}

/// Breaks `title` into lines no wider than `width` (as measured), only at the given
/// points: spaces when the title has them; otherwise after the region's name, around
/// a bracketed part, and, inside a part too long for a line, after an even number of
/// characters (Chinese title words are two or four characters: 明白 手册, 脱贫 攻坚).
fn title_lines(
    title: &str,
    region: &str,
    width: f32,
    measure: &dyn Fn(&str) -> f32,
) -> Vec<String> {
    let mut units: Vec<String> = if title.contains([' ', '\u{3000}', '\u{200B}']) {
        title
            .split([' ', '\u{3000}', '\u{200B}'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    } else {
        let mut parts = Vec::new();
        let mut rest = title;
        if !region.is_empty()
            && let Some(r) = rest.strip_prefix(region)
            && !r.is_empty()
        {
            parts.push(region.to_string());
            rest = r;
        }
        let mut cur = String::new();
        for c in rest.chars() {
            if matches!(c, '（' | '(' | '《') && !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            cur.push(c);
            if matches!(c, '）' | ')' | '》') {
                parts.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            parts.push(cur);
        }
        parts
    };
    // A part wider than a line is cut into balanced pieces at even offsets.
    units = units
        .into_iter()
        .flat_map(|u| {
            let w = measure(&u);
            if w <= width || width <= 0.0 {
                return vec![u];
            }
            let chars: Vec<char> = u.chars().collect();
            let k = (w / width).ceil() as usize;
            let mut cuts = vec![0];
            for i in 1..k {
                let ideal = chars.len() * i / k;
                let even = (ideal / 2 * 2).max(cuts[cuts.len() - 1] + 2);
                if even < chars.len() {
                    cuts.push(even);
                }
            }
            cuts.push(chars.len());
            cuts.windows(2)
                .map(|w| chars[w[0]..w[1]].iter().collect())
                .collect()
        })
        .collect();
    let mut lines: Vec<String> = Vec::new();
    for u in units {
        match lines.last_mut() {
            Some(l) if measure(&format!("{l}{u}")) <= width => l.push_str(&u),
            _ => lines.push(u),
        }
    }
    lines
}

/// Lines of the table of contents laid out per thread at a time.
const TOC_SLICE: usize = 1024;

/// The table of contents' blocks (a line per entry) laid out a slice per thread, joined
/// as [`Layout::blocks`] would have laid them out at once (10,000 lines took 60 ms on
/// one thread, on the handbook's path after one edit); characters no font has go to
/// `layout`'s.
pub(super) fn toc_chunks(fonts: &Fonts, layout: &Layout, blocks: &[Block], w: f32) -> Vec<Chunk> {
    use rayon::prelude::*;
    let laid: Vec<_> = blocks
        .par_chunks(TOC_SLICE)
        .map(|part| {
            let l = Layout::new(fonts);
            let (chunks, seam) = l.blocks_seamed(part, w);
            (chunks, seam, l.missing.take())
        })
        .collect();
    let mut out = Vec::new();
    let mut pending = 0.0;
    for (mut chunks, seam, missing) in laid {
        pending = seam.join(&mut chunks, pending);
        out.append(&mut chunks);
        layout.missing.borrow_mut().extend(missing);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contents of a 3,000-entry book laid out in slices: the chunks of one layout.
    #[test]
    fn the_contents_in_slices_are_laid_out_as_at_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::site::Site::load(root).unwrap();
        let theme = crate::theme::Theme::resolve(root, "default").unwrap();
        let engine = crate::print::Engine::load(&site, &theme).unwrap();
        let st = engine.styles.resolve("p", &["toc-entry"]);
        let run = crate::typeset::linebreak::RunStyle {
            size: st.size,
            weight: st.weight,
            color: st.color,
        };
        let blocks: Vec<Block> = (0..3000)
            .map(|i| {
                let st = crate::typeset::style::Resolved {
                    space_before: (i % 7) as f32,
                    space_after: (i % 5) as f32,
                    ..st
                };
                match i % 500 {
                    0 => Block::Space(3.0),
                    _ => Block::Leader {
                        runs: vec![(format!("第{i}条 脱贫人口小额信贷政策"), run)],
                        right: (i * 3).to_string(),
                        style: st,
                    },
                }
            })
            .collect();
        let layout = Layout::new(&engine.fonts);
        let sliced = toc_chunks(&engine.fonts, &layout, &blocks, 400.0);
        let whole = Layout::new(&engine.fonts).blocks(&blocks, 400.0);
        assert!(blocks.len() > 2 * TOC_SLICE);
        assert_eq!(format!("{sliced:?}"), format!("{whole:?}"));
        // A character no font has is reported through the given layout.
        let odd = [Block::Leader {
            runs: vec![("\u{10FFFD}".into(), run)],
            right: "1".into(),
            style: st,
        }];
        toc_chunks(&engine.fonts, &layout, &odd, 400.0);
        assert_eq!(*layout.missing.borrow(), vec!['\u{10FFFD}']);
    }

    /// Every character one unit wide.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn the_sample_title_breaks_between_words() {
        let t = "青禾县巩固拓展脱贫攻坚成果惠民政策明白手册（示例）";
        let lines = title_lines(t, "青禾县", 19.0, &chars);
        assert_eq!(
            lines,
            ["青禾县", "巩固拓展脱贫攻坚成果惠民政策明白手册", "（示例）"]
        );
        // Narrower: the long part is cut after an even number of characters.
        let lines = title_lines(t, "青禾县", 12.0, &chars);
        assert_eq!(lines.concat(), t);
        assert!(lines.iter().all(|l| !l.ends_with('明')), "{lines:?}");
        assert!(lines.iter().all(|l| chars(l) <= 12.0), "{lines:?}");
    }

    #[test]
    fn spaces_are_the_given_break_points() {
        let lines = title_lines("青禾县 政策明白手册", "青禾县", 6.0, &chars);
        assert_eq!(lines, ["青禾县", "政策明白手册"]);
        assert_eq!(title_lines("短 标题", "", 20.0, &chars), ["短标题"]);
    }

    #[test]
    fn image_addresses() {
        let root = Path::new("/h");
        let folder = Path::new("/h/content/zhufang");
        assert_eq!(
            locate("liucheng.png", root, folder).unwrap(),
            Path::new("/h/content/zhufang/liucheng.png")
        );
        assert_eq!(
            locate("/img/%E5%9B%BE.png", root, folder).unwrap(),
            Path::new("/h/static/img/图.png")
        );
        assert!(locate("https://x.org/a.png", root, folder).is_err());
    }

    #[test]
    fn each_place_gets_its_body_also_when_a_body_is_shown_twice() {
        let space = |v: f32| Block::Space(v);
        let mut blocks = vec![
            space(0.0),
            deferred(3),
            Block::Footer(vec![deferred(3), deferred(7)]),
            deferred(9),
        ];
        let mut bodies = HashMap::from([
            (3, vec![space(3.0), space(3.5)]),
            (7, vec![space(7.0)]),
            // No body read for 9: its place is left empty.
        ]);
        expand_deferred(&mut blocks, &mut bodies);
        let shown = |bs: &[Block]| -> Vec<f32> {
            bs.iter()
                .filter_map(|b| match b {
                    Block::Space(v) => Some(*v),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(shown(&blocks), [0.0, 3.0, 3.5]);
        let Block::Footer(children) = &blocks[3] else {
            panic!("{blocks:?}")
        };
        assert_eq!(shown(children), [3.0, 3.5, 7.0]);
        assert_eq!(blocks.len(), 4);
        assert!(bodies.is_empty(), "each body moved into its last place");
    }
}
