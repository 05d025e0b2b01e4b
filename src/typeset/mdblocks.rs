//! An entry's Markdown body as print blocks: paragraphs, headings, lists (nested),
//! tables, block quotes, rules, task lists, footnotes and images (as figures the product
//! reads the files of, [`super::image`]), styled by the print style
//! file (`body`, `h2`…, `li`, `table`, `th`, `td`, `blockquote`, `footnote`).

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::fonts::Weight;
use super::image::Figure;
use super::layout::{Block, Runs, TableRow};
use super::linebreak::RunStyle;
use super::markup::normalize_space;
use super::style::{Resolved, StyleSheet};

/// `heading_shift` moves body headings down (## in a body under an entry title set
/// as h2 prints as h3).
pub(crate) fn blocks(markdown: &str, styles: &StyleSheet, heading_shift: u8) -> Vec<Block> {
    let events = crate::markdown::events_of(markdown);
    let mut b = Builder {
        styles,
        shift: heading_shift,
        stack: vec![Frame::new(Kind::Root, "body")],
        footnotes: Vec::new(),
        notes: Vec::new(),
        strong: 0,
        del: 0,
        containers: Vec::new(),
        open_containers: 0,
        at: 0,
        image: None,
        resolved: Default::default(),
    };
    for (ev, range) in events {
        b.at = range.start;
        b.event(ev);
    }
    let mut out = b.finish_root();
    if !b.footnotes.is_empty() {
        let style = styles.resolve("footnote", &[]);
        out.push(Block::Rule {
            style: styles.resolve("hr", &["footnote"]),
        });
        for f in std::mem::take(&mut b.footnotes) {
            out.push(Block::Para { runs: f, style });
        }
    }
    out
}

#[derive(PartialEq)]
enum Kind {
    Root,
    Para(&'static str),
    List(bool, u32),
    Item,
    Quote,
    Table,
    Row(bool),
    Cell,
    Footnote(String),
}

struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
    runs: Runs,
    items: Vec<Vec<Block>>,
    rows: Vec<TableRow>,
    cells: Vec<Vec<Block>>,
    style_tag: &'static str,
}

impl Frame {
    fn new(kind: Kind, style_tag: &'static str) -> Frame {
        Frame {
            kind,
            blocks: Vec::new(),
            runs: Vec::new(),
            items: Vec::new(),
            rows: Vec::new(),
            cells: Vec::new(),
            style_tag,
        }
    }
}

struct Builder<'a> {
    styles: &'a StyleSheet,
    shift: u8,
    stack: Vec<Frame>,
    footnotes: Vec<Runs>,
    /// Footnote names in order of first reference: their number is the position + 1.
    notes: Vec<String>,
    strong: u32,
    del: u32,
    /// For each open list, item and block quote: whether it was flattened into its
    /// parent because it lies deeper than [`MAX_NESTING`] (see [`Builder::open`]).
    containers: Vec<bool>,
    /// How many of `containers` have a frame.
    open_containers: usize,
    /// Byte offset of the event being handled.
    at: usize,
    /// The image being read: its text is its caption.
    image: Option<Figure>,
    /// Styles resolved so far, by tag: every text event asks for its paragraph's, and
    /// resolving one from the sheet was a tenth of reading a body.
    resolved: std::cell::RefCell<Vec<(&'static str, Resolved)>>,
}

/// Lists, items and quotes nested deeper than this are set as part of their parent:
/// the blocks, and the layout that walks them, stay shallow whatever the input
/// (content deeper than `markdown::MAX_NESTING` is already an error; this guards
/// every other caller). A list level counts twice (list and item); each level narrows
/// the text and every line inside carries every level's box, so print stops nesting
/// well before a page would be all indent.
const MAX_NESTING: usize = crate::markdown::MAX_NESTING;

impl Builder<'_> {
    /// The style of `tag` with no classes.
    fn style(&self, tag: &'static str) -> Resolved {
        if let Some((_, r)) = self.resolved.borrow().iter().find(|(t, _)| *t == tag) {
            return *r;
        }
        let r = self.styles.resolve(tag, &[]);
        self.resolved.borrow_mut().push((tag, r));
        r
    }

    fn run_style(&self) -> RunStyle {
        let tag = self
            .stack
            .iter()
            .rev()
            .find(|f| matches!(f.kind, Kind::Para(_)))
            .map_or("body", |f| f.style_tag);
        let s = self.style(tag);
        RunStyle {
            size: s.size,
            weight: s.weight,
            color: s.color,
        }
    }

    /// Inline text goes to the innermost frame collecting runs; text directly in a
    /// list item or cell (tight lists) opens an implicit paragraph.
    fn text(&mut self, t: &str) {
        if let Some(fig) = &mut self.image {
            let st = fig.style;
            fig.caption.push((
                t.to_string(),
                super::linebreak::RunStyle {
                    size: st.size,
                    weight: st.weight,
                    color: st.color,
                },
            ));
            return;
        }
        let needs_para = !matches!(self.stack.last().map(|f| &f.kind), Some(Kind::Para(_)));
        if needs_para {
            let tag = if matches!(self.stack.last().map(|f| &f.kind), Some(Kind::Cell)) {
                "td"
            } else {
                "li"
            };
            self.stack.push(Frame::new(Kind::Para("implicit"), tag));
        }
        let mut st = self.run_style();
        if self.strong > 0 {
            st.weight = Weight::Bold;
        }
        if self.del > 0 {
            st.color = self.style("del").color;
        }
        if let Some(f) = self.stack.last_mut() {
            f.runs.push((t.to_string(), st));
        }
    }

    fn close_implicit(&mut self) {
        if matches!(
            self.stack.last().map(|f| &f.kind),
            Some(Kind::Para("implicit"))
        ) {
            self.end_para();
        }
    }

    fn end_para(&mut self) {
        let Some(f) = self.stack.pop() else { return };
        let mut runs = f.runs;
        normalize_space(&mut runs);
        if runs.is_empty() {
            return;
        }
        let style = self.style(f.style_tag);
        if let Some(Kind::Footnote(_)) = self.stack.last().map(|p| &p.kind) {
            if let Some(parent) = self.stack.last_mut() {
                parent.runs.extend(runs);
            }
            return;
        }
        self.push_block(Block::Para { runs, style });
    }

    fn push_block(&mut self, b: Block) {
        if let Some(f) = self.stack.last_mut() {
            f.blocks.push(b);
        }
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => {
                self.close_implicit();
                self.push_block(Block::Rule {
                    style: self.style("hr"),
                });
            }
            Event::TaskListMarker(done) => self.text(if done { "■ " } else { "□ " }),
            Event::FootnoteReference(name) => {
                let n = self.footnote_number(&name);
                self.text(&format!("[{n}]"));
            }
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
    }

    fn footnote_number(&mut self, name: &str) -> usize {
        if let Some(i) = self.notes.iter().position(|n| n == name) {
            return i + 1;
        }
        self.notes.push(name.to_string());
        self.notes.len()
    }

    /// Whether a list, item or quote opens a frame of its own (false: too deep).
    fn open(&mut self) -> bool {
        let open = self.open_containers < MAX_NESTING;
        self.open_containers += usize::from(open);
        self.containers.push(!open);
        open
    }

    /// Whether the container being closed had a frame of its own.
    fn close(&mut self) -> bool {
        let flat = self.containers.pop().unwrap_or(false);
        if !flat {
            self.open_containers = self.open_containers.saturating_sub(1);
        }
        !flat
    }

    fn start(&mut self, tag: Tag) {
        if matches!(tag, Tag::List(_) | Tag::Item | Tag::BlockQuote(_)) && !self.open() {
            self.close_implicit();
            return;
        }
        match tag {
            Tag::Paragraph => {
                self.close_implicit();
                let in_item = matches!(self.stack.last().map(|f| &f.kind), Some(Kind::Item));
                self.stack.push(Frame::new(
                    Kind::Para("p"),
                    if in_item { "li" } else { "body" },
                ));
            }
            Tag::Heading { level, .. } => {
                self.close_implicit();
                let l = (heading_num(level) + self.shift).min(4);
                let tag = ["h1", "h2", "h3", "h4"][(l - 1) as usize];
                self.stack.push(Frame::new(Kind::Para("h"), tag));
            }
            Tag::List(start) => {
                self.close_implicit();
                self.stack.push(Frame::new(
                    Kind::List(start.is_some(), start.unwrap_or(1) as u32),
                    "li",
                ));
            }
            Tag::Item => self.stack.push(Frame::new(Kind::Item, "li")),
            Tag::BlockQuote(_) => {
                self.close_implicit();
                self.stack.push(Frame::new(Kind::Quote, "blockquote"));
            }
            Tag::Table(_) => self.stack.push(Frame::new(Kind::Table, "table")),
            Tag::TableHead => self.stack.push(Frame::new(Kind::Row(true), "th")),
            Tag::TableRow => self.stack.push(Frame::new(Kind::Row(false), "td")),
            Tag::TableCell => self.stack.push(Frame::new(Kind::Cell, "td")),
            Tag::FootnoteDefinition(name) => {
                let n = self.footnote_number(&name);
                let mut f = Frame::new(Kind::Footnote(name.to_string()), "footnote");
                let s = self.style("footnote");
                f.runs.push((
                    format!("[{n}] "),
                    RunStyle {
                        size: s.size,
                        weight: s.weight,
                        color: s.color,
                    },
                ));
                self.stack.push(f);
            }
            Tag::Strong => self.strong += 1,
            Tag::Strikethrough => self.del += 1,
            Tag::Image { dest_url, .. } => {
                let style = figcaption(self.styles, &[]);
                self.image = Some(Figure {
                    src: dest_url.to_string(),
                    at: self.at,
                    picture: None,
                    caption: Vec::new(),
                    style,
                    width: 0.0,
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if matches!(tag, TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_)) && !self.close() {
            self.close_implicit();
            return;
        }
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.end_para(),
            TagEnd::Item => {
                self.close_implicit();
                if let Some(f) = self.stack.pop()
                    && let Some(list) = self.stack.last_mut()
                {
                    list.items.push(f.blocks);
                }
            }
            TagEnd::List(_) => {
                self.close_implicit();
                if let Some(f) = self.stack.pop()
                    && let Kind::List(ordered, start) = f.kind
                {
                    let style = self.style("li");
                    self.push_block(Block::List {
                        ordered,
                        start,
                        items: f.items,
                        style,
                    });
                }
            }
            TagEnd::BlockQuote(_) => {
                self.close_implicit();
                if let Some(f) = self.stack.pop() {
                    let style = self.style("blockquote");
                    self.push_block(Block::Boxed {
                        children: f.blocks,
                        style,
                    });
                }
            }
            TagEnd::TableCell => {
                self.close_implicit();
                if let Some(f) = self.stack.pop()
                    && let Some(row) = self.stack.last_mut()
                {
                    row.cells.push(f.blocks);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(f) = self.stack.pop()
                    && let Kind::Row(header) = f.kind
                    && let Some(t) = self.stack.last_mut()
                {
                    t.rows.push(TableRow {
                        header,
                        cells: f.cells,
                    });
                }
            }
            TagEnd::Table => {
                if let Some(f) = self.stack.pop() {
                    let style = self.style("table");
                    let head = self.style("th");
                    self.push_block(Block::Table {
                        rows: f.rows,
                        style,
                        head,
                    });
                }
            }
            TagEnd::FootnoteDefinition => {
                self.close_implicit();
                if let Some(f) = self.stack.pop() {
                    let mut runs = f.runs;
                    normalize_space(&mut runs);
                    self.footnotes.push(runs);
                }
            }
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.del = self.del.saturating_sub(1),
            TagEnd::Image => self.end_image(),
            _ => {}
        }
    }

    /// A figure is a block of its own: the paragraph it sits in is set in two parts,
    /// the text before the picture and the text after it.
    fn end_image(&mut self) {
        let Some(mut fig) = self.image.take() else {
            return;
        };
        normalize_space(&mut fig.caption);
        let reopen = match self.stack.last() {
            Some(
                f @ Frame {
                    kind: Kind::Para(k),
                    ..
                },
            ) => Some((*k, f.style_tag)),
            _ => None,
        };
        if reopen.is_some() {
            self.end_para();
        }
        self.push_block(Block::Image(fig));
        if let Some((k, tag)) = reopen {
            self.stack.push(Frame::new(Kind::Para(k), tag));
        }
    }

    fn finish_root(&mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.close_implicit();
            if self.stack.len() > 1 {
                self.stack.pop();
            }
        }
        std::mem::take(&mut self.stack[0].blocks)
    }
}

/// A caption's style: the `small` class, then the theme's `figcaption` (and `classes`),
/// centred; at least a little space above and below the figure.
pub(crate) fn figcaption(styles: &StyleSheet, classes: &[&str]) -> super::style::Resolved {
    let mut all = vec!["small", "figcaption"];
    all.extend_from_slice(classes);
    let mut s = styles.resolve("figcaption", &all);
    s.align = super::linebreak::Align::Center;
    s.space_before = s.space_before.max(1.5 * super::style::MM);
    s.space_after = s.space_after.max(2.5 * super::style::MM);
    s
}

fn heading_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;

    /// How deep blocks nest inside each other.
    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Boxed { children, .. } => 1 + depth(children),
                Block::List { items, .. } => 1 + items.iter().map(|i| depth(i)).max().unwrap_or(0),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn deep_quotes_and_lists_are_flattened_fast() {
        let styles = StyleSheet::parse(&SourceFile::new("style.toml", String::new())).unwrap();
        for body in [
            format!("{} 深", ">".repeat(10_000)),
            (0..3000)
                .map(|i| format!("{}- 项\n", "  ".repeat(i)))
                .collect(),
        ] {
            let t = std::time::Instant::now();
            let b = blocks(&body, &styles, 1);
            assert!(depth(&b) <= MAX_NESTING, "{}", depth(&b));
            assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
        }
    }
}
