//! The print markup: what print templates (Tera, under `print/` of the theme) render
//! to, and what the layout engine reads. It is a small XML vocabulary, documented in
//! docs/print.md: `h1`–`h4`, `p`, `ul`/`ol`/`li`, `table`/`tr`/`th`/`td`, `fields`/`field`,
//! `box`, `row`/`col`, `qr`, `signature`/`line`, `hr`, `space`, `pagebreak`, `content`,
//! inline `b`/`strong`/`span`/`br`; any element may carry `class="…"` for the style file.
//!
//! So that an error in the markup points at the template file and line that wrote it,
//! templates are loaded with invisible line markers, which the parser reads back.

mod markers;

pub use markers::{add_line_markers, diagnostic, strip_markers};

use super::layout::{Block, Marker, Runs, TableRow};
use super::linebreak::RunStyle;
use super::style::{MM, Resolved, StyleSheet};

/// Converts parsed markup to layout blocks. `content` supplies the Markdown body of
/// an entry (`<content/>` for the current one, `<content id="…"/>` for another).
pub struct Converter<'a> {
    pub styles: &'a StyleSheet,
    pub content: &'a dyn Fn(Option<&str>) -> Option<Vec<Block>>,
    pub errors: Vec<(usize, String)>,
}

/// Errors kept from one rendering of a template.
const MAX_ERRORS: usize = 20;

/// Elements nested deeper than this are an error: the converter and the layout walk
/// the tree recursively, and nothing in a card needs more.
const MAX_DEPTH: usize = 32;

/// Keys of the markers `<cover>` and `<toc>` leave for the handbook builder.
pub const COVER: &str = "#cover";
pub const TOC: &str = "#toc";

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
    pub fn blocks(&mut self, parent: roxmltree::Node) -> Vec<Block> {
        let mut out = Vec::new();
        if self.too_deep(parent) {
            return out;
        }
        for n in parent.children() {
            if n.is_text() {
                let t = strip_markers(n.text().unwrap_or(""));
                if !t.trim().is_empty() {
                    self.err(n, tr!("markup-text-outside", text = t.trim()));
                }
                continue;
            }
            if !n.is_element() {
                continue;
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
                        let w = c
                            .attribute("width")
                            .and_then(|w| w.trim_end_matches("mm").parse::<f32>().ok())
                            .unwrap_or(0.0);
                        cols.push((w * MM, self.flow(c, "col")));
                    }
                    out.push(Block::Columns { cols, style });
                }
                "qr" => {
                    let style = self.style(n, "qr");
                    match n.attribute("data") {
                        Some(d) if !d.is_empty() => {
                            let size = n
                                .attribute("size")
                                .and_then(|s| s.trim_end_matches("mm").parse::<f32>().ok())
                                .map_or(
                                    if style.width > 0.0 {
                                        style.width
                                    } else {
                                        20.0 * MM
                                    },
                                    |s| s * MM,
                                );
                            out.push(Block::Qr {
                                data: strip_markers(d).to_string(),
                                size,
                                style,
                            });
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
                "space" => {
                    let h = n
                        .attribute("height")
                        .and_then(|s| s.trim_end_matches("mm").parse::<f32>().ok())
                        .unwrap_or(2.0);
                    out.push(Block::Space(h * MM));
                }
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
        out
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

/// Collapses whitespace the way a reader of Chinese expects: runs of spaces become one,
/// a line break between Chinese characters disappears, a paragraph has no space at
/// its ends.
pub fn normalize_space(runs: &mut Runs) {
    use crate::markdown::is_cjk;
    // The ideographic space (U+3000) is a full-width space set on purpose (「户主 王某　户编号
    // …」), not markup whitespace: it is kept as it is.
    let blank = |c: char| c.is_whitespace() && c != '\u{3000}';
    // One pass over the characters, writing each run's text anew: a blank run waits
    // until the character after it decides whether it stays (as one space, or the
    // line break it began with) or goes. This was 6 % of a handbook's CPU as arrays of
    // every character, their runs and a flag each.
    let drop_all = |prev: Option<char>, next: Option<char>, newline: bool| match (prev, next) {
        (None, _) | (_, None) => true,
        (Some(p), Some(n)) => (newline && (is_cjk(p) || is_cjk(n))) || p == '\n' || n == '\n',
    };
    let mut out: Vec<String> = runs
        .iter()
        .map(|(t, _)| String::with_capacity(t.len()))
        .collect();
    let mut prev: Option<char> = None;
    // The run the blanks began in, their first character, whether they hold a line break.
    let mut pending: Option<(usize, char, bool)> = None;
    for (r, (t, _)) in runs.iter().enumerate() {
        // A run of just "\n" is a hard line break, never collapsed.
        let hard = t == "\n";
        for c in t.chars() {
            if !hard && blank(c) {
                match &mut pending {
                    Some((_, _, newline)) => *newline |= c == '\n',
                    None => pending = Some((r, c, c == '\n')),
                }
                continue;
            }
            if let Some((at, first, newline)) = pending.take()
                && !drop_all(prev, Some(c), newline)
            {
                out[at].push(if first == '\n' { '\n' } else { ' ' });
            }
            out[r].push(c);
            prev = Some(c);
        }
    }
    for (r, t) in runs.iter_mut().zip(out) {
        r.0 = t;
    }
    runs.retain(|(t, _)| !t.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::Weight;

    const ST: RunStyle = RunStyle {
        size: 9.0,
        weight: Weight::Regular,
        color: [0.0; 3],
    };

    /// The whitespace rules written as directly as they read (every character, its run,
    /// a keep flag), against which the one-pass [`normalize_space`] is checked.
    fn normalize_space_by_the_rules(runs: &mut Runs) {
        use crate::markdown::is_cjk;
        let blank = |c: char| c.is_whitespace() && c != '\u{3000}';
        let text: Vec<char> = runs.iter().flat_map(|(t, _)| t.chars()).collect();
        let owner: Vec<usize> = (runs.iter().enumerate())
            .flat_map(|(i, (t, _))| std::iter::repeat_n(i, t.chars().count()))
            .collect();
        let hard = |i: usize| text[i] == '\n' && runs[owner[i]].0 == "\n";
        let mut keep = vec![true; text.len()];
        let mut i = 0;
        while i < text.len() {
            if hard(i) || !blank(text[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < text.len() && blank(text[i]) && !hard(i) {
                i += 1;
            }
            let newline = text[start..i].contains(&'\n');
            let drop_all = match (start.checked_sub(1).map(|p| text[p]), text.get(i)) {
                (None, _) | (_, None) => true,
                (Some(p), Some(&n)) => {
                    (newline && (is_cjk(p) || is_cjk(n))) || p == '\n' || n == '\n'
                }
            };
            for (k, slot) in keep.iter_mut().enumerate().take(i).skip(start) {
                *slot = !drop_all && k == start;
            }
        }
        let mut out = vec![String::new(); runs.len()];
        for (k, &c) in text.iter().enumerate() {
            if keep[k] {
                out[owner[k]].push(if blank(c) && c != '\n' { ' ' } else { c });
            }
        }
        for (r, t) in runs.iter_mut().zip(out) {
            r.0 = t;
        }
        runs.retain(|(t, _)| !t.is_empty());
    }

    #[test]
    fn whitespace_collapses_as_the_rules_say() {
        // Every run of up to 4 pieces drawn from these, in up to 3 runs (a piece "\n"
        // alone as a run is a hard break): 60,000-odd arrangements.
        let pieces = [
            "a", "中", " ", "\n", "\t", "\u{3000}", "，", "b c", " \n ", "字\n",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..60_000 {
            let n_runs = 1 + next() % 3;
            let mut runs: Runs = Vec::new();
            for _ in 0..n_runs {
                let n = next() % 5;
                let t: String = (0..n).map(|_| pieces[(next() % 10) as usize]).collect();
                runs.push((t, ST));
            }
            let (mut a, mut b) = (runs.clone(), runs.clone());
            normalize_space(&mut a);
            normalize_space_by_the_rules(&mut b);
            let text = |r: &Runs| r.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
            assert_eq!(text(&a), text(&b), "{:?}", text(&runs));
        }
        let mut runs: Runs = vec![("  义务 教育\n营养 \n计划 ".into(), ST), ("\n".into(), ST)];
        normalize_space(&mut runs);
        assert_eq!(runs[0].0, "义务 教育营养计划");
    }

    #[test]
    fn markers_map_rendered_text_back_to_template_lines() {
        let tpl = "<card>\n  <h1>{{ title }}</h1>\n  {% if x %}\n  <p>{{ y }}</p>\n  {% endif %}\n</card>\n";
        let marked = add_line_markers(tpl, 3);
        let rendered = marked
            .replace("{{ title }}", "标题")
            .replace("{{ y }}", "正文");
        let at = rendered.find("<p>").unwrap();
        assert_eq!(markers::locate(&rendered, at), Some((3, 4)));
        assert_eq!(
            strip_markers(&rendered).lines().nth(1).unwrap(),
            "  <h1>标题</h1>"
        );
    }

    #[test]
    fn no_marker_inside_multiline_tags() {
        let tpl = "<field\n  label=\"x\">v</field>\n{{ a\n }}\n";
        let marked = add_line_markers(tpl, 0);
        assert!(!marked.contains("\n\u{E000}0\u{E001}2"), "{marked:?}");
        assert!(!marked.contains("\n\u{E000}0\u{E001}4"), "{marked:?}");
        assert!(marked.contains("\n\u{E000}0\u{E001}3"), "{marked:?}");
    }

    #[test]
    fn whitespace_between_chinese_lines_disappears() {
        let mut runs = vec![
            ("\n  脱贫户\n  可以申请 ".to_string(), ST),
            ("5万元".to_string(), ST),
            (" 贷款 App 办理\n".to_string(), ST),
        ];
        normalize_space(&mut runs);
        let t: String = runs.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(t, "脱贫户可以申请 5万元 贷款 App 办理");
    }

    #[test]
    fn an_ideographic_space_is_kept_full_width() {
        let mut runs = vec![("户主 王某　户编号 QH-1\n".to_string(), ST)];
        normalize_space(&mut runs);
        assert_eq!(runs[0].0, "户主 王某　户编号 QH-1");
        let mut runs = vec![("甲 　 乙".to_string(), ST)];
        normalize_space(&mut runs);
        assert_eq!(runs[0].0, "甲 　 乙");
    }
}
