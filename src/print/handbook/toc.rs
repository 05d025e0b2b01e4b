//! The handbook's table of contents: the chapters' and entries' titles with the body
//! page each starts on, laid out after the body, or copied from the last build's file
//! when those titles and pages are as they were (after one edit, nearly always: 4 ms
//! of laying out and 2 ms of writing at the end of a 1,000-entry handbook); and the
//! PDF's outline and page labels.

use super::body::run;
use super::reuse::{self, Copied, Key, Reuse, Stored};
use crate::print::Engine;
use crate::print::cache::KeyHasher;
use crate::typeset::embed::DocFonts;
use crate::typeset::layout::{Block, Layout, Marker, Page, paginate};
use crate::typeset::pdf::{Bookmark, LabelStyle};
use crate::typeset::pdf_stream::{PdfStream, packed};
use crate::typeset::style::{Resolved, StyleSheet};

/// The contents' pages, to be written.
pub(super) enum Contents {
    /// Copied from the last build's file.
    Copied(Copied),
    /// Laid out in this build.
    Laid(Vec<Page>),
}

/// The key of the contents titled `title` listing `marks` (each title with the body
/// page it starts on); the style and fonts are the print setup's, which a record is
/// kept under.
pub(super) fn key(title: &str, marks: &[(Marker, usize)]) -> Key {
    let mut h = KeyHasher::new("contents");
    h.add(title.as_bytes());
    for (mk, p) in marks {
        h.add(&[mk.level])
            .add(mk.title.as_bytes())
            .add(&(*p as u64).to_le_bytes());
    }
    h.finish()
}

/// The contents titled `title` listing `marks`: the last build's pages when `reuse`
/// has them under `key`, else laid out `w` wide in pages `h` high.
#[allow(clippy::too_many_arguments)]
pub(super) fn contents(
    engine: &Engine,
    layout: &Layout,
    styles: &StyleSheet,
    title: &str,
    marks: &[(Marker, usize)],
    (w, h): (f32, f32),
    key: Key,
    reuse: Option<&mut Reuse>,
) -> Contents {
    if let Some(copied) = reuse.and_then(|r| r.take_contents(key)) {
        return Contents::Copied(copied);
    }
    let ts = styles.resolve("p", &["toc-title"]);
    let mut tb = vec![Block::Para {
        runs: vec![(title.to_string(), run(&ts))],
        style: ts,
    }];
    for (mk, p) in marks {
        let class = if mk.level == 1 {
            "toc-chapter"
        } else {
            "toc-entry"
        };
        let st = styles.resolve("p", &[class]);
        let st = Resolved {
            indent: if mk.level == 1 { 0.0 } else { st.size * 2.0 },
            ..st
        };
        tb.push(Block::Leader {
            runs: vec![(mk.title.clone(), run(&st))],
            right: (p + 1).to_string(),
            style: st,
        });
    }
    let chunks = super::parts::toc_chunks(&engine.fonts, layout, &tb, w);
    Contents::Laid(paginate(&chunks, h).0)
}

/// Writes the contents' pages (`pw` × `ph`, content placed from the margins `left`,
/// `top`) and records them under `key` in `reuse`; returns the pages' object numbers.
#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    contents: Contents,
    key: Key,
    names: &[String],
    (pw, ph, left, top): (f32, f32, f32, f32),
    pdf: &mut PdfStream,
    glyphs: &mut DocFonts,
    reuse: Option<&mut Reuse>,
) -> std::io::Result<Vec<u32>> {
    let mut ids = Vec::new();
    let mut kept = Vec::new();
    let mut sum = reuse::stream_sum();
    let mut put = |pdf: &mut PdfStream, data: &[u8], deflated: bool| -> std::io::Result<()> {
        let (layer, at) = pdf.layer(data, deflated)?;
        ids.push(pdf.page_with(pw, ph, layer)?);
        sum.add(data);
        kept.push(Stored {
            markers: Vec::new(),
            shows: false,
            deflated,
            at,
            len: data.len() as u64,
        });
        Ok(())
    };
    match contents {
        // Their glyphs have the ids the last build gave them: the table starts from
        // its ([`Reuse::take_contents`]).
        Contents::Copied((pages, ..)) => {
            for (p, data) in pages {
                put(pdf, &data, p.deflated)?;
            }
        }
        Contents::Laid(pages) => {
            for p in &pages {
                glyphs.add(&p.items);
                let (content, zipped) = super::page_content(p, names, glyphs, left, top, ph);
                let (data, deflated) = packed(content, zipped);
                put(pdf, &data, deflated)?;
            }
        }
    }
    if let Some(r) = reuse {
        r.record(key, kept, sum.finish(), Vec::new(), None);
    }
    Ok(ids)
}

/// The PDF's outline (the contents, then every chapter and entry at the page it starts
/// on) and its page labels (the front matter numbered i, ii, …, the body 1, 2, …), for
/// `front` pages of cover and `toc` pages of contents before the body.
pub(super) fn outline(
    front: usize,
    toc: usize,
    toc_title: Option<String>,
    marks: &[(Marker, usize)],
) -> (Vec<Bookmark>, Vec<(usize, LabelStyle)>) {
    let mut outline = Vec::new();
    if toc > 0 {
        outline.push(Bookmark {
            level: 1,
            title: toc_title.unwrap_or_default().replace(' ', ""),
            page: front,
        });
    }
    for (mk, p) in marks {
        outline.push(Bookmark {
            level: mk.level,
            title: mk.title.clone(),
            page: front + toc + p,
        });
    }
    let labels = if front + toc > 0 {
        vec![(0, LabelStyle::Roman), (front + toc, LabelStyle::Arabic)]
    } else {
        Vec::new()
    };
    (outline, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(level: u8, title: &str) -> Marker {
        Marker {
            level,
            title: title.to_string(),
            key: String::new(),
        }
    }

    /// The contents are the same while their title, each listed title, its level and
    /// its page are; any of them changed, they are laid out again.
    #[test]
    fn the_contents_are_keyed_by_their_titles_and_pages() {
        let marks = vec![(mark(1, "产业帮扶"), 0), (mark(2, "小额信贷"), 2)];
        let k = key("目  录", &marks);
        assert_eq!(k, key("目  录", &marks.clone()));
        assert_ne!(k, key("目录", &marks));
        let mut moved = marks.clone();
        moved[1].1 = 3;
        assert_ne!(k, key("目  录", &moved));
        let mut retitled = marks.clone();
        retitled[1].0.title = "小额信贷续贷".into();
        assert_ne!(k, key("目  录", &retitled));
        let mut level = marks.clone();
        level[1].0.level = 1;
        assert_ne!(k, key("目  录", &level));
        // Where one title ends and the next begins is part of the key.
        let split = vec![(mark(1, "产业帮扶小额"), 0), (mark(2, "信贷"), 2)];
        let joined = vec![(mark(1, "产业帮扶"), 0), (mark(2, "小额信贷"), 2)];
        assert_ne!(key("目  录", &split), key("目  录", &joined));
    }
}
