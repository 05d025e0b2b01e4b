//! The print markup: what print templates (Tera, under `print/` of the theme) render
//! to, and what the layout engine reads. It is a small XML vocabulary, documented in
//! docs/print.md: `h1`–`h4`, `p`, `ul`/`ol`/`li`, `table`/`tr`/`th`/`td`, `fields`/`field`,
//! `box`, `row`/`col`, `qr`, `signature`/`line`, `hr`, `space`, `pagebreak`, `content`,
//! inline `b`/`strong`/`span`/`br`; any element may carry `class="…"` for the style file.
//!
//! So that an error in the markup points at the template file and line that wrote it,
//! templates are loaded with invisible line markers, which the parser reads back.

mod markers;
mod pieces;

pub(crate) use markers::{add_line_markers, diagnostic, strip_markers};
pub(crate) use pieces::{Cut, assert_as_whole, blocks_in_pieces};

use super::layout::{Block, Marker, Runs, TableRow};
use super::linebreak::RunStyle;
use super::style::{MM, Resolved, StyleSheet};

/// Converts parsed markup to layout blocks. `content` supplies the Markdown body of
/// an entry (`<content/>` for the current one, `<content id="…"/>` for another).
pub(crate) struct Converter<'a> {
    pub styles: &'a StyleSheet,
    pub content: &'a dyn Fn(Option<&str>) -> Option<Vec<Block>>,
    pub errors: Vec<(usize, String)>,
}

/// Blocks, and the errors met making them (byte offset in the markup, message).
pub(crate) type Converted = (Vec<Block>, Vec<(usize, String)>);

/// Errors kept from one rendering of a template.
const MAX_ERRORS: usize = 20;

/// Elements nested deeper than this are an error: the converter and the layout walk
/// the tree recursively, and nothing in a card needs more.
const MAX_DEPTH: usize = 32;

/// Keys of the markers `<cover>` and `<toc>` leave for the handbook builder.
pub(crate) const COVER: &str = "#cover";
pub(crate) const TOC: &str = "#toc";

const BLOCK_TAGS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "table",
    "fields",
    "box",
    "row",
    "qr",
    "img",
    "signature",
    "hr",
    "space",
    "pagebreak",
    "content",
    "anchor",
    "footer",
    "back",
];

impl<'a> Converter<'a> {
    fn style(&self, node: roxmltree::Node, tag: &str) -> Resolved {
        let classes: Vec<&str> = node
            .attribute("class")
            .map(|c| c.split_whitespace().collect())
            .unwrap_or_default();
        self.styles.resolve(tag, &classes)
    }

    fn err(&mut self, node: roxmltree::Node, msg: String) {
        // A template rendered for every card repeats its errors for every card: a few
        // per rendering are enough to fix it, thousands filled gigabytes.
        if self.errors.len() < MAX_ERRORS {
            self.errors.push((node.range().start, msg));
        }
    }

    /// Whether `node` lies deeper than [`MAX_DEPTH`] (reported once, at it).
    fn too_deep(&mut self, node: roxmltree::Node) -> bool {
        if node.ancestors().nth(MAX_DEPTH).is_none() {
            return false;
        }
        self.err(
            node,
            tr!(
                "markup-too-deep",
                tag = node.tag_name().name(),
                max = MAX_DEPTH
            ),
        );
        true
    }

    /// The blocks inside `parent`.
    pub(crate) fn blocks(&mut self, parent: roxmltree::Node) -> Vec<Block> {
        let mut out = Vec::new();
        if self.too_deep(parent) {
            return out;
        }
        for n in parent.children() {
            self.block(n, &mut out);
        }
        out
    }

    /// The blocks inside `parent`, its children converted in parallel (a handbook's
    /// chapters: on one thread, most of the handbook's wait after one edit). The same
    /// blocks, and the same first errors, as [`Converter::blocks`].
    pub(crate) fn blocks_in_parallel(
        styles: &'a StyleSheet,
        content: &'a (dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync),
        parent: roxmltree::Node,
    ) -> Converted {
        use rayon::prelude::*;
        let new = || Converter {
            styles,
            content,
            errors: Vec::new(),
        };
        let mut first = new();
        if first.too_deep(parent) {
            return (Vec::new(), first.errors);
        }
        let kids: Vec<roxmltree::Node> = parent.children().collect();
        let parts: Vec<Converted> = kids
            .par_iter()
            .with_max_len(1)
            .map(|&n| {
                let mut c = new();
                let mut out = Vec::new();
                c.block(n, &mut out);
                (out, c.errors)
            })
            .collect();
        let mut blocks = Vec::new();
        let mut errors = Vec::new();
        for (mut b, e) in parts {
            blocks.append(&mut b);
            errors.extend(e);
        }
        errors.truncate(MAX_ERRORS);
        (blocks, errors)
    }

    /// Appends the blocks of `n`, a child of a flow of blocks, to `out`.
    fn block(&mut self, n: roxmltree::Node, out: &mut Vec<Block>) {
        if n.is_text() {
            let t = strip_markers(n.text().unwrap_or(""));
            if !t.trim().is_empty() {
                self.err(n, tr!("markup-text-outside", text = t.trim()));
            }
            return;
        }
        if !n.is_element() {
            return;
        }
        let tag = n.tag_name().name();
        match tag {
            "h1" | "h2" | "h3" | "h4" | "p" => {
                let style = self.style(n, tag);
                let runs = self.inline_runs(n, &style);
                out.push(Block::Para { runs, style });
            }
            "ul" | "ol" => {
                let style = self.style(n, tag);
                let mut items = Vec::new();
                for li in n.children().filter(|c| c.is_element()) {
                    if li.tag_name().name() != "li" {
                        self.err(
                            li,
                            tr!("markup-list-item", tag = li.tag_name().name(), list = tag),
                        );
                        continue;
                    }
                    items.push(self.flow(li, "li"));
                }
                let start = n
                    .attribute("start")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                out.push(Block::List {
                    ordered: tag == "ol",
                    start,
                    items,
                    style,
                });
            }
            "table" => out.push(self.table(n)),
            "fields" => {
                let style = self.style(n, "fields");
                let label_style = self.styles.resolve("label", &[]);
                let mut rows = Vec::new();
                for f in n.children().filter(|c| c.is_element()) {
                    if f.tag_name().name() != "field" {
                        self.err(f, tr!("markup-fields-item", tag = f.tag_name().name()));
                        continue;
                    }
                    let Some(label) = f.attribute("label") else {
                        self.err(f, tr!("markup-field-label"));
                        continue;
                    };
                    let label_runs = vec![(
                        strip_markers(label).to_string(),
                        RunStyle {
                            size: label_style.size,
                            weight: label_style.weight,
                            color: style.label_color,
                        },
                    )];
                    rows.push((label_runs, self.flow(f, "field")));
                }
                out.push(Block::Fields { rows, style });
            }
            "box" => {
                let style = self.style(n, "box");
                let children = self.blocks(n);
                out.push(Block::Boxed { children, style });
            }
            "row" => {
                let style = self.style(n, "row");
                let mut cols = Vec::new();
                for c in n.children().filter(|c| c.is_element()) {
                    if c.tag_name().name() != "col" {
                        self.err(c, tr!("markup-row-item", tag = c.tag_name().name()));
                        continue;
                    }
                    let w = match length(c, "width") {
                        Ok(w) => w.unwrap_or(0.0),
                        Err(why) => {
                            self.err(c, why);
                            0.0
                        }
                    };
                    cols.push((w * MM, self.flow(c, "col")));
                }
                out.push(Block::Columns { cols, style });
            }
            "qr" => {
                let style = self.style(n, "qr");
                match n.attribute("data") {
                    Some(d) if !d.is_empty() => {
                        let size = match length(n, "size") {
                            Ok(Some(s)) if s > 0.0 => s * MM,
                            Ok(_) if style.width > 0.0 => style.width,
                            Ok(_) => 20.0 * MM,
                            Err(why) => return self.err(n, why),
                        };
                        let data = strip_markers(d).to_string();
                        match super::qr::unprintable(&data, size) {
                            Some(why) => self.err(n, why),
                            None => out.push(Block::Qr { data, size, style }),
                        }
                    }
                    _ => self.err(n, tr!("markup-qr-data")),
                }
            }
            "signature" => {
                let style = self.style(n, "signature");
                let labels: Vec<String> = n
                    .children()
                    .filter(|c| c.is_element() && c.tag_name().name() == "line")
                    .map(|c| c.attribute("label").unwrap_or("").to_string())
                    .collect();
                out.push(Block::Signature { labels, style });
            }
            "img" => match super::image::from_markup(n, self.styles) {
                Ok(fig) => out.push(Block::Image(fig)),
                Err(why) => self.err(n, why),
            },
            "hr" => out.push(Block::Rule {
                style: self.style(n, "hr"),
            }),
            "space" => match length(n, "height") {
                Ok(h) => out.push(Block::Space(h.unwrap_or(2.0) * MM)),
                Err(why) => self.err(n, why),
            },
            "pagebreak" => out.push(Block::PageBreak),
            "cover" => {
                out.push(Block::Anchor(Marker {
                    level: 0,
                    title: String::new(),
                    key: COVER.into(),
                }));
                out.extend(self.blocks(n));
                out.push(Block::PageBreak);
            }
            "toc" => {
                let title = n.attribute("title").unwrap_or("目录").to_string();
                out.push(Block::Anchor(Marker {
                    level: 0,
                    title,
                    key: TOC.into(),
                }));
                out.push(Block::PageBreak);
            }
            "chapter" | "entry" => {
                let level = if tag == "chapter" { 1 } else { 2 };
                if level == 1 {
                    out.push(Block::PageBreak);
                }
                out.push(Block::Anchor(Marker {
                    level,
                    title: strip_markers(n.attribute("title").unwrap_or("")).to_string(),
                    key: n.attribute("key").unwrap_or("").to_string(),
                }));
                out.extend(self.blocks(n));
            }
            "footer" => {
                let children = self.blocks(n);
                out.push(Block::Footer(children));
            }
            "back" => {
                let children = self.blocks(n);
                out.push(Block::Back(children));
            }
            "anchor" => out.push(Block::Anchor(Marker {
                level: n
                    .attribute("level")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1),
                title: n.attribute("title").unwrap_or("").to_string(),
                key: n.attribute("key").unwrap_or("").to_string(),
            })),
            "content" => match (self.content)(n.attribute("id")) {
                Some(mut b) => out.append(&mut b),
                None => self.err(
                    n,
                    tr!(
                        "markup-content-unknown",
                        id = n.attribute("id").unwrap_or("")
                    ),
                ),
            },
            _ => {
                let hint = crate::diagnostics::suggest(tag, BLOCK_TAGS.iter().copied())
                    .map(|s| tr!("markup-did-you-mean", name = s))
                    .unwrap_or_default();
                self.err(n, tr!("markup-unknown", tag = tag, hint = hint));
            }
        }
    }

    /// Children of a list item, field or cell: blocks if it has block elements, else
    /// one paragraph of its inline content.
    fn flow(&mut self, n: roxmltree::Node, tag: &str) -> Vec<Block> {
        let has_blocks = n
            .children()
            .any(|c| c.is_element() && BLOCK_TAGS.contains(&c.tag_name().name()));
        if has_blocks {
            self.blocks(n)
        } else {
            let style = self.style(n, tag);
            let runs = self.inline_runs(n, &style);
            if runs.iter().all(|(t, _)| t.trim().is_empty()) {
                Vec::new()
            } else {
                vec![Block::Para { runs, style }]
            }
        }
    }

    fn table(&mut self, n: roxmltree::Node) -> Block {
        let style = self.style(n, "table");
        let head = self.styles.resolve("th", &[]);
        let mut rows = Vec::new();
        for tr in n.children().filter(|c| c.is_element()) {
            if tr.tag_name().name() != "tr" {
                self.err(tr, tr!("markup-table-item", tag = tr.tag_name().name()));
                continue;
            }
            let mut cells = Vec::new();
            let mut header = true;
            for td in tr.children().filter(|c| c.is_element()) {
                let t = td.tag_name().name();
                if t != "td" && t != "th" {
                    self.err(td, tr!("markup-tr-item", tag = t));
                    continue;
                }
                header &= t == "th";
                cells.push(self.flow(td, t));
            }
            rows.push(TableRow {
                header: header && !cells.is_empty(),
                cells,
            });
        }
        Block::Table { rows, style, head }
    }

    /// Inline content of `n` as styled runs, with whitespace made Chinese-friendly.
    fn inline_runs(&mut self, n: roxmltree::Node, style: &Resolved) -> Runs {
        let mut runs = Vec::new();
        let base = RunStyle {
            size: style.size,
            weight: style.weight,
            color: style.color,
        };
        self.inline(n, base, &mut runs);
        normalize_space(&mut runs);
        runs
    }

    fn inline(&mut self, n: roxmltree::Node, st: RunStyle, out: &mut Runs) {
        if self.too_deep(n) {
            return;
        }
        for c in n.children() {
            if c.is_text() {
                out.push((strip_markers(c.text().unwrap_or("")).to_string(), st));
                continue;
            }
            if !c.is_element() {
                continue;
            }
            let tag = c.tag_name().name();
            match tag {
                "b" | "strong" => {
                    let s = self.style(c, tag);
                    self.inline(
                        c,
                        RunStyle {
                            weight: super::fonts::Weight::Bold,
                            color: s.color,
                            ..st
                        },
                        out,
                    );
                }
                "span" | "em" | "small" => {
                    let has_class = c.attribute("class").is_some() || tag == "small";
                    let s = self.style(c, tag);
                    let next = if has_class {
                        RunStyle {
                            size: s.size,
                            weight: s.weight,
                            color: s.color,
                        }
                    } else {
                        st
                    };
                    self.inline(c, next, out);
                }
                "br" => out.push(("\n".into(), st)),
                _ if BLOCK_TAGS.contains(&tag) => {
                    self.err(c, tr!("markup-block-inline", tag = tag));
                }
                _ => self.err(c, tr!("markup-unknown-inline", tag = tag)),
            }
        }
    }
}

/// The length in mm attribute `attr` of `n` gives (`21` or `21mm`), `None` when it has
/// none; a value that is not one (`21毫米`, `二十`, `-3`, `NaN`, or more than a metre) is
/// an error naming it: taken as no value, a typo printed a card the wrong size.
pub(crate) fn length(n: roxmltree::Node, attr: &str) -> Result<Option<f32>, String> {
    let Some(raw) = n.attribute(attr) else {
        return Ok(None);
    };
    match raw.trim().trim_end_matches("mm").trim_end().parse::<f32>() {
        Ok(v) if (0.0..=1000.0).contains(&v) => Ok(Some(v)),
        _ => Err(tr!(
            "markup-bad-length",
            tag = n.tag_name().name(),
            attr = attr,
            value = raw
        )),
    }
}

/// Whitespace other than the ideographic space. Unicode's table is asked only below
/// U+2100, where all its other blanks lie: for Chinese text it was a tenth of
/// collapsing whitespace.
fn is_blank(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        matches!(c, '\t'..='\r' | ' ')
    } else {
        u < 0x2100 && c.is_whitespace()
    }
}

/// Collapses whitespace the way a reader of Chinese expects: runs of spaces become one,
/// a line break between Chinese characters disappears, a paragraph has no space at
/// its ends.
pub(crate) fn normalize_space(runs: &mut Runs) {
    use crate::markdown::is_cjk;
    // The ideographic space (U+3000) is a full-width space set on purpose (「户主 王某　户编号
    // …」), not markup whitespace: it is kept as it is.
    let blank = is_blank;
    // One pass over the characters, writing each run's text anew: a blank run waits
    // until the character after it decides whether it stays (as one space, or the
    // line break it began with) or goes. This was 6 % of a handbook's CPU as arrays of
    // every character, their runs and a flag each.
    let drop_all = |prev: Option<char>, next: Option<char>, newline: bool| match (prev, next) {
        (None, _) | (_, None) => true,
        (Some(p), Some(n)) => (newline && (is_cjk(p) || is_cjk(n))) || p == '\n' || n == '\n',
    };
    // The blanks waiting before `next` settled: the run they go to and what stays of
    // them (one space, or the line break they began with), or nothing.
    let settle = |pending: &mut Option<(usize, char, bool)>, prev: Option<char>, next: char| {
        pending
            .take()
            .filter(|&(_, _, newline)| !drop_all(prev, Some(next), newline))
            .map(|(at, first, _)| (at, if first == '\n' { '\n' } else { ' ' }))
    };
    let mut out: Vec<String> = Vec::with_capacity(runs.len());
    let mut prev: Option<char> = None;
    // The run the blanks began in, their first character, whether they hold a line break.
    let mut pending: Option<(usize, char, bool)> = None;
    for (r, (t, _)) in runs.iter_mut().enumerate() {
        // A run of just "\n" is a hard line break, never collapsed.
        let hard = t == "\n";
        if !hard && !t.chars().any(blank) {
            // Nothing to collapse inside (most runs of Chinese text): the run is kept
            // as it is, and only the blanks before it are settled.
            if let Some(c) = t.chars().next() {
                if let Some((at, kept)) = settle(&mut pending, prev, c) {
                    out[at].push(kept);
                }
                prev = t.chars().next_back();
            }
            out.push(std::mem::take(t));
            continue;
        }
        let mut o = String::with_capacity(t.len());
        for c in t.chars() {
            if !hard && blank(c) {
                match &mut pending {
                    Some((_, _, newline)) => *newline |= c == '\n',
                    None => pending = Some((r, c, c == '\n')),
                }
                continue;
            }
            if let Some((at, kept)) = settle(&mut pending, prev, c) {
                if at == r {
                    o.push(kept);
                } else {
                    out[at].push(kept);
                }
            }
            o.push(c);
            prev = Some(c);
        }
        out.push(o);
    }
    for (r, t) in runs.iter_mut().zip(out) {
        r.0 = t;
    }
    runs.retain(|(t, _)| !t.is_empty());
}

#[cfg(test)]
mod tests;
