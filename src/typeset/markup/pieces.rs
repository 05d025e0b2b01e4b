//! Rendered markup cut between its root element's children and parsed a piece per
//! core: roxmltree parses a document on one thread, and a handbook's markup (16 MB at
//! 10,000 entries) took 0.11-0.13 s to parse, on the handbook's path after one edit.
//!
//! A cut is made only where the text is plain enough to be sure of it; anything else
//! (a DOCTYPE, a declaration, a second root, a stray `&` outside the root) is left to
//! the whole parse. Each piece is parsed as a document of its own, so a cut in the
//! wrong place could only fail to parse, and any failure or markup error sends the
//! caller back to the whole parse, whose messages name the right line.

use rayon::prelude::*;

use super::{Converter, StyleSheet};
use crate::typeset::layout::Block;

/// Below this, one parse is quick enough (a card's markup is a few KB).
const MIN_LEN: usize = 1 << 20;

/// The root element of some markup: its start tag as written, its name, and its
/// content in pieces of whole children.
#[derive(Debug, PartialEq)]
pub(crate) struct Cut<'a> {
    pub(crate) open: &'a str,
    pub(crate) name: &'a str,
    pub(crate) pieces: Vec<&'a str>,
}

impl<'a> Cut<'a> {
    /// The root of `markup` cut before each of its children (a piece holds one, and
    /// the blanks and comments after it); `None` when it cannot be cut (see the module).
    pub(crate) fn children(markup: &'a str) -> Option<Cut<'a>> {
        cut(markup, usize::MAX)
    }

    /// The blocks of `text` (whole children of this root, as its pieces are), as the
    /// whole parse makes of them; `None` when it does not parse or has an error.
    pub(crate) fn convert(
        &self,
        text: &str,
        styles: &StyleSheet,
        content: &(dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync),
    ) -> Option<Vec<Block>> {
        // The wrapper the whole parse puts around the markup, and the root around
        // the piece.
        let text = format!("<mingbai>{}{text}</{}></mingbai>", self.open, self.name);
        let doc = roxmltree::Document::parse(&text).ok()?;
        let root = doc.root_element().first_element_child()?;
        let (blocks, errors) = Converter::blocks_in_parallel(styles, content, root);
        errors.is_empty().then_some(blocks)
    }
}

/// The blocks of `markup`, as [`Converter::blocks_in_parallel`] makes them of its
/// root, from pieces parsed in parallel; `None` when it cannot be cut, a piece does
/// not parse, or a piece has an error (for the whole parse to report).
pub(crate) fn blocks_in_pieces(
    markup: &str,
    styles: &StyleSheet,
    content: &(dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync),
) -> Option<Vec<Block>> {
    if markup.len() < MIN_LEN {
        return None;
    }
    in_pieces(markup, rayon::current_num_threads() * 4, styles, content)
}

/// [`blocks_in_pieces`] in about `want` pieces, whatever the markup's length.
fn in_pieces(
    markup: &str,
    want: usize,
    styles: &StyleSheet,
    content: &(dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync),
) -> Option<Vec<Block>> {
    let cut = cut(markup, want)?;
    let parts: Vec<Option<Vec<Block>>> = cut
        .pieces
        .par_iter()
        .with_max_len(1)
        .map(|piece| cut.convert(piece, styles, content))
        .collect();
    let mut blocks = Vec::new();
    for part in parts {
        blocks.extend(part?);
    }
    Some(blocks)
}

/// For the fuzz tests: panics unless `markup`, where it can be cut, converts in pieces
/// as it does whole.
pub(crate) fn assert_as_whole(
    markup: &str,
    styles: &StyleSheet,
    content: &(dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync),
) {
    let wrapped = format!("<mingbai>{markup}</mingbai>");
    let whole = roxmltree::Document::parse(&wrapped).ok().and_then(|doc| {
        let root = doc.root_element().first_element_child()?;
        let (blocks, errors) = Converter::blocks_in_parallel(styles, content, root);
        Some((format!("{blocks:?}"), errors.is_empty()))
    });
    for want in [1, 3, 8] {
        if let Some(pieces) = in_pieces(markup, want, styles, content) {
            let (blocks, clean) = whole.as_ref().expect("cut what does not parse whole");
            assert!(clean, "pieces without the errors of the whole");
            assert_eq!(&format!("{pieces:?}"), blocks, "{want} pieces");
        }
    }
}

/// Cuts the root's content of `text` into about `want` pieces of similar size, each
/// whole children; `None` when the text is not plain enough to cut (see the module).
fn cut(text: &str, want: usize) -> Option<Cut<'_>> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    // The root's start tag (from, to) and where its content ends.
    let mut root: Option<(usize, usize)> = None;
    let mut close = None;
    // Where each child element of the root starts.
    let mut starts = Vec::new();
    // Text outside the root, checked below.
    let mut outside = vec![(0, 0)];
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'<', &b[i..]) {
        let at = i + rel;
        if depth == 0 {
            outside.push((i, at));
        }
        let rest = &b[at..];
        if rest.starts_with(b"<!--") {
            i = at + 4 + find(&b[at + 4..], b"-->")? + 3;
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            // Character data outside the root is an error the whole parse reports.
            if depth == 0 {
                return None;
            }
            i = at + 9 + find(&b[at + 9..], b"]]>")? + 3;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            return None;
        }
        let end = tag_end(b, at)?;
        if rest.starts_with(b"</") {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                close = Some(at);
                i = end;
                break;
            }
        } else {
            let empty = b[end - 2] == b'/';
            match depth {
                0 if root.is_none() && !empty => root = Some((at, end)),
                0 => return None,
                1 => starts.push(at),
                _ => {}
            }
            if !empty {
                depth += 1;
            }
        }
        i = end;
    }
    let ((from, to), close) = (root?, close?);
    outside.push((i, b.len()));
    // Around the root: only blanks, template line markers and comments (skipped above).
    let plain = |s: &str| {
        s.chars().all(|c| {
            c.is_whitespace() || c.is_ascii_digit() || ('\u{E000}'..='\u{E002}').contains(&c)
        })
    };
    if !outside.iter().all(|&(a, z)| plain(&text[a..z])) {
        return None;
    }
    let open = &text[from..to];
    let name_len = open[1..]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(open.len() - 1);
    let name = &open[1..1 + name_len];
    // Pieces of about equal size, cut where a child starts.
    let size = (close - to).div_ceil(want.max(1));
    let mut pieces = Vec::new();
    let mut start = to;
    for &s in &starts {
        if s - start >= size {
            pieces.push(&text[start..s]);
            start = s;
        }
    }
    pieces.push(&text[start..close]);
    Some(Cut { open, name, pieces })
}

/// The index just after the `>` that ends the tag starting at `at`, quoted attribute
/// values (which may hold `>`) skipped.
fn tag_end(b: &[u8], at: usize) -> Option<usize> {
    let mut quote = None;
    for (k, &c) in b[at..].iter().enumerate() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => return Some(at + k + 1),
            (None, b'<') if k > 0 => return None,
            _ => {}
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKUP: &str = "\u{E000}0\u{E001}1\u{E002}<!-- 手册 --><handbook a=\"x>y\">\n\
        <cover><p>封面</p></cover>\n<toc title='目 录'/>\n\
        <chapter title=\"一\"><p>甲 &amp; 乙<![CDATA[ <not/> ]]></p><!-- </chapter> --></chapter>\n\
        <chapter title=\"二\"><p>丙</p></chapter>\n</handbook>\n\u{E000}0\u{E001}9\u{E002}";

    #[test]
    fn the_root_is_cut_between_children_and_the_pieces_make_its_content() {
        for want in [1, 2, 3, 10] {
            let c = cut(MARKUP, want).unwrap();
            assert_eq!(c.open, "<handbook a=\"x>y\">");
            assert_eq!(c.name, "handbook");
            let inner =
                &MARKUP[MARKUP.find("y\">").unwrap() + 3..MARKUP.rfind("</handbook>").unwrap()];
            assert_eq!(c.pieces.concat(), inner);
            assert!(c.pieces.len() <= want.max(1) + 1, "{want}: {:?}", c.pieces);
            for p in &c.pieces {
                let doc = format!("<mingbai>{}{p}</handbook></mingbai>", c.open);
                roxmltree::Document::parse(&doc).unwrap();
            }
        }
        assert_eq!(cut(MARKUP, 10).unwrap().pieces.len(), 4);
    }

    /// A handbook's kind of markup, converted from pieces, gives the blocks of the
    /// whole, in order; a piece with an error gives none.
    #[test]
    fn pieces_convert_to_the_blocks_of_the_whole() {
        let styles = StyleSheet::builtin();
        let content = |id: Option<&str>| -> Option<Vec<Block>> {
            let id = id?;
            Some(crate::typeset::mdblocks::blocks(
                &format!("正文 {id}"),
                &styles,
                1,
            ))
        };
        let mut markup = String::from(
            "<!-- 手册 -->\u{E000}0\u{E001}1\u{E002}<handbook>\n<cover><p class=\"cover-title\">封面</p></cover>\n<toc title=\"目  录\"/>\n",
        );
        for c in 0..12 {
            markup.push_str(&format!(
                "<chapter title=\"第{c}章\" key=\"c{c}\">\n<p class=\"chapter-title\">第{c}章</p>\n"
            ));
            for e in 0..c * 3 {
                markup.push_str(&format!(
                    "\u{E000}0\u{E001}9\u{E002}<entry title=\"条{c}-{e}\" key=\"e{c}-{e}\"><p class=\"entry-title\">条 &amp; {e}</p>\
                     <box class=\"answer\"><p>答：<![CDATA[<是>]]></p></box><fields><field label=\"补助标准\">每人 {e} 元</field>\
                     <field label=\"办理流程\"><ol><li>申请</li><li>审核</li></ol></field></fields>\
                     <!-- </entry> --><content id=\"e{c}-{e}\"/></entry>\n"
                ));
            }
            markup.push_str("</chapter>\n");
        }
        markup.push_str("</handbook>\n\u{E000}0\u{E001}99\u{E002}");
        let wrapped = format!("<mingbai>{markup}</mingbai>");
        let doc = roxmltree::Document::parse(&wrapped).unwrap();
        let root = doc.root_element().first_element_child().unwrap();
        let (whole, errors) = Converter::blocks_in_parallel(&styles, &content, root);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(whole.len() > 400, "{}", whole.len());
        for want in [1, 2, 5, 16, 1000] {
            let pieces = in_pieces(&markup, want, &styles, &content).unwrap();
            assert_eq!(format!("{pieces:?}"), format!("{whole:?}"), "{want}");
        }
        // A markup error in one piece: no blocks, for the whole parse to report it.
        let bad = markup.replacen(
            "<p class=\"entry-title\">条 &amp; 4</p>",
            "<p>条<bogus/></p>",
            1,
        );
        assert_ne!(bad, markup);
        assert!(in_pieces(&bad, 5, &styles, &content).is_none());
        // Not even XML in one piece.
        let broken = markup.replacen("<li>审核</li>", "<li>审核</i>", 1);
        assert!(in_pieces(&broken, 5, &styles, &content).is_none());
    }

    #[test]
    fn markup_that_is_not_plain_is_left_whole() {
        for bad in [
            "<!DOCTYPE x><handbook><p/></handbook>",
            "<?xml version=\"1.0\"?><handbook><p/></handbook>",
            "<handbook><p/></handbook><handbook/>",
            "甲<handbook><p/></handbook>",
            "<handbook><p/></handbook>&",
            "<handbook><p/>",
            "<handbook><p a=\"1></handbook>",
            "<handbook><!-- <p/></handbook>",
            "<handbook/>",
            "</handbook>",
            "",
        ] {
            assert_eq!(cut(bad, 4), None, "{bad}");
        }
    }
}
