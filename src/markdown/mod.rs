//! Markdown bodies to HTML (pulldown-cmark), with what a Chinese handbook needs on top:
//! readable unique heading anchors for Chinese headings, `@/…md` links resolved to
//! entry URLs, a table of contents, the plain text (for search and print) and word
//! counts that count Chinese characters.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, SourceFile};

mod chinese;
mod links;

pub(crate) use chinese::{
    anchor_for, common_ideograph_at, count_words, is_cjk, is_han, join_cjk_soft_breaks,
    reading_minutes,
};
use links::{image_file, link_target_span, relative_md_link};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct TocItem {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocItem>,
}

pub(crate) struct Rendered {
    pub toc: Vec<TocItem>,
    /// Ids of the entries this body links to with `@/` (for "what links here").
    pub links: Vec<String>,
    /// Words (Chinese characters count one each) of the plain text, counted once here.
    pub words: usize,
    /// Images on the site itself (beside the entry or under static/), checked and
    /// published by [`crate::images`].
    pub images: Vec<ImageRef>,
    /// XXH3-128 of the HTML and of the plain text: what page keys and the search
    /// index's entry hashes take in, known without the texts (see [`Rendered::later`]).
    pub html_hash: u128,
    pub plain_hash: u128,
    texts: std::sync::OnceLock<Texts>,
    /// Renders the texts on first use, for a body whose other parts were remembered.
    later: Option<Later>,
}

/// Renders a body's texts again, on first use.
pub(crate) type Later = std::sync::Arc<dyn Fn() -> Texts + Send + Sync>;

/// A body's HTML and its text only, blocks separated by newlines (for search and
/// counting). The text is shared with the search index's documents, which would
/// otherwise copy every body once more.
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    pub html: String,
    pub plain: std::sync::Arc<str>,
}

impl Default for Rendered {
    fn default() -> Rendered {
        Rendered::ready(Texts::default(), Vec::new(), Vec::new(), 0, Vec::new())
    }
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("toc", &self.toc)
            .field("links", &self.links)
            .field("words", &self.words)
            .field("images", &self.images)
            .field("html_hash", &self.html_hash)
            .field("plain_hash", &self.plain_hash)
            .finish_non_exhaustive()
    }
}

impl Rendered {
    fn ready(
        texts: Texts,
        toc: Vec<TocItem>,
        links: Vec<String>,
        words: usize,
        images: Vec<ImageRef>,
    ) -> Rendered {
        let hashes = [
            xxhash_rust::xxh3::xxh3_128(texts.html.as_bytes()),
            xxhash_rust::xxh3::xxh3_128(texts.plain.as_bytes()),
        ];
        let r = Rendered::remembered(toc, links, words, images, hashes);
        let _ = r.texts.set(texts);
        r
    }

    /// A body known by everything but its texts, which `later` renders when first
    /// asked for: after one edit, most pages are carried over and most bodies never
    /// need their HTML. `remembered` is a render of the same inputs, texts aside.
    pub(crate) fn later(remembered: Rendered, later: Later) -> Rendered {
        Rendered {
            texts: std::sync::OnceLock::new(),
            later: Some(later),
            ..remembered
        }
    }

    /// The parts a [`Rendered::later`] body is made from (texts left out).
    pub(crate) fn remembered(
        toc: Vec<TocItem>,
        links: Vec<String>,
        words: usize,
        images: Vec<ImageRef>,
        [html_hash, plain_hash]: [u128; 2],
    ) -> Rendered {
        Rendered {
            toc,
            links,
            words,
            images,
            html_hash,
            plain_hash,
            texts: std::sync::OnceLock::new(),
            later: None,
        }
    }

    fn texts(&self) -> &Texts {
        self.texts
            .get_or_init(|| self.later.as_ref().map(|f| f()).unwrap_or_default())
    }

    /// Whether the texts are there (not left to render on first use).
    #[cfg(test)]
    pub(crate) fn has_texts(&self) -> bool {
        self.texts.get().is_some()
    }

    /// The HTML, not kept when it was left to render on first use: a page shows its
    /// body once, and keeping them all would hold every body's HTML to the build's end.
    pub(crate) fn html_once(&self) -> std::borrow::Cow<'_, str> {
        match (self.texts.get(), &self.later) {
            (Some(t), _) => t.html.as_str().into(),
            (None, Some(later)) => later().html.into(),
            (None, None) => "".into(),
        }
    }

    pub(crate) fn html(&self) -> &str {
        &self.texts().html
    }

    pub(crate) fn plain(&self) -> &std::sync::Arc<str> {
        &self.texts().plain
    }

    /// The texts, rendering them if they were not (see [`Rendered::later`]).
    pub(crate) fn into_texts(self) -> Texts {
        self.texts();
        self.texts.into_inner().unwrap_or_default()
    }

    /// This body without its HTML (the text is kept for search), once the pages
    /// are written; a body not rendered yet stays as it is.
    pub(crate) fn without_html(&self) -> Rendered {
        let hashes = [self.html_hash, self.plain_hash];
        let mut r = Rendered::remembered(Vec::new(), Vec::new(), self.words, Vec::new(), hashes);
        match self.texts.get() {
            Some(t) => {
                let _ = r.texts.set(Texts {
                    html: String::new(),
                    plain: t.plain.clone(),
                });
            }
            None => r.later = self.later.clone(),
        }
        r
    }
}

/// An image a body shows, as a file of the handbook.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageRef {
    /// Relative to the handbook folder, with `/`: "content/zhufang/liucheng.png" or
    /// "static/img/x.png".
    pub file: String,
    /// Where the image's address is written in the source file (bytes).
    pub span: Range<usize>,
}

/// Turns `@/jiaoyu/yulu.md` into the entry's URL, or `None` when there is no such entry.
pub(crate) trait LinkResolver {
    fn resolve(&self, path: &str) -> Option<(String, String)>;
}

/// The deepest nesting of block quotes and lists a body may have. Nobody writes more
/// than a few levels; thousands of `>` on one line made print recurse until the
/// stack overflowed, so a body past this is a located error and print never sees it.
pub(crate) const MAX_NESTING: usize = 16;

/// A located error at the first place `events` nest block quotes and lists deeper
/// than [`MAX_NESTING`].
fn check_nesting(
    src: &SourceFile,
    body_start: usize,
    events: &[(Event, Range<usize>)],
    diags: &mut Vec<Diagnostic>,
) {
    let mut depth = 0usize;
    for (ev, range) in events {
        match ev {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                depth += 1;
                if depth > MAX_NESTING {
                    let at = body_start + range.start;
                    diags.push(
                        Diagnostic::error(format!(
                            "引用（>）或列表在这里套了超过 {MAX_NESTING} 层，手册最多支持 {MAX_NESTING} 层"
                        ))
                        .at(src, at..at + 1)
                        .with_hint(
                            "去掉这一行开头多余的 >（或减少列表的缩进层数）：一般一两层就够了",
                        ),
                    );
                    return;
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
}

/// The events of `text` with their byte ranges, line breaks inside Chinese paragraphs
/// joined: what the page ([`render`]) and print ([`crate::typeset::mdblocks`]) read.
pub(crate) fn events_of(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    // Room for about one event for every 16 bytes (a policy's paragraphs and lists
    // take one for every 30-40, tables more), so the list is seldom grown: grown from
    // empty, copying the events each time, it was about 1 % of a build. At most 65,536
    // up front (3.5 MB): a huge file's list grows as it needs, not all at once.
    let mut events = Vec::with_capacity((text.len() / 16 + 16).min(1 << 16));
    events.extend(Parser::new_ext(text, options()).into_offset_iter());
    join_cjk_soft_breaks(&mut events);
    events
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`, which starts at byte `body_start` of `src` (so errors carry the
/// file's own line numbers). Unresolved `@/` links become diagnostics.
pub(crate) fn render(
    src: &SourceFile,
    body: &str,
    body_start: usize,
    resolver: &dyn LinkResolver,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let mut events = events_of(body);
    check_nesting(src, body_start, &events, diags);

    let mut links_out: Vec<String> = Vec::new();
    let mut images_out: Vec<ImageRef> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut flat_toc: Vec<(u8, String, String)> = Vec::new();

    // Headings: give each an id from its text, unless it has one ({#id}).
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| anchor_for(&text));
            let n = used_ids.entry(base.clone()).or_insert(0);
            *n += 1;
            let unique = if *n == 1 { base } else { format!("{base}-{n}") };
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(unique.clone()));
            }
            flat_toc.push((level, unique, text.trim().to_string()));
            i = j;
        }
        i += 1;
    }
    let toc_out = nest_toc(&flat_toc);

    // Links and tables; collect plain text on the way.
    let mut plain = String::with_capacity(body.len());
    let mut rewritten = Vec::with_capacity(events.len() + 8);
    for (ev, range) in events {
        if let Event::Start(Tag::Link { dest_url, .. }) = &ev
            && let Some(d) = relative_md_link(src, body, body_start, &range, dest_url, resolver)
        {
            diags.push(d);
        }
        match &ev {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak => plain.push(' '),
            Event::HardBreak
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell)
            | Event::End(TagEnd::TableRow) => plain.push('\n'),
            _ => {}
        }
        match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let (path, fragment) = match dest_url.split_once('#') {
                    Some((p, f)) => (p.to_string(), Some(f.to_string())),
                    None => (dest_url.to_string(), None),
                };
                let target = path.trim_start_matches("@/").to_string();
                let url = match resolver.resolve(&target) {
                    Some((id, url)) => {
                        if !id.is_empty() {
                            links_out.push(id);
                        }
                        match fragment {
                            Some(f) => format!("{url}#{f}"),
                            None => url,
                        }
                    }
                    None => {
                        let at = body_start + range.start..body_start + range.end;
                        let span = link_target_span(body, &range, &dest_url)
                            .map(|r| body_start + r.start..body_start + r.end)
                            .unwrap_or(at);
                        diags.push(
                            Diagnostic::error(tr!("link-unresolved", link = dest_url))
                                .at(src, span)
                                .with_hint(tr!("link-unresolved-hint", target = target)),
                        );
                        "#".to_string()
                    }
                };
                rewritten.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = match image_file(&src.path, &dest_url) {
                    Some(file) => {
                        let span =
                            link_target_span(body, &range, &dest_url).unwrap_or(range.clone());
                        let url = format!(
                            "/{}",
                            file.strip_prefix("content/")
                                .unwrap_or_else(|| file.strip_prefix("static/").unwrap_or(&file))
                        );
                        images_out.push(ImageRef {
                            file,
                            span: body_start + span.start..body_start + span.end,
                        });
                        CowStr::from(url)
                    }
                    None => dest_url,
                };
                rewritten.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Table(a)) => {
                rewritten.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                rewritten.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                rewritten.push(Event::End(TagEnd::Table));
                rewritten.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            other => rewritten.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, rewritten.into_iter());
    let words = count_words(&plain);
    let texts = Texts {
        html,
        plain: plain.into(),
    };
    Rendered::ready(texts, toc_out, links_out, words, images_out)
}
fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn nest_toc(flat: &[(u8, String, String)]) -> Vec<TocItem> {
    fn take(flat: &[(u8, String, String)], i: &mut usize, level: u8) -> Vec<TocItem> {
        let mut items = Vec::new();
        while *i < flat.len() && flat[*i].0 >= level {
            let (l, id, title) = flat[*i].clone();
            *i += 1;
            let children = take(flat, i, l + 1);
            items.push(TocItem {
                level: l,
                id,
                title,
                children,
            });
        }
        items
    }
    let min = flat.iter().map(|t| t.0).min().unwrap_or(1);
    let mut i = 0;
    take(flat, &mut i, min)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ids;
    impl LinkResolver for Ids {
        fn resolve(&self, path: &str) -> Option<(String, String)> {
            (path == "xindai/xiaoe.md").then(|| ("xindai/xiaoe".into(), "/xindai/xiaoe/".into()))
        }
    }

    fn md(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let src = SourceFile::new("content/a.md", format!("+++\n+++\n{body}"));
        let mut diags = Vec::new();
        let r = render(&src, body, 8, &Ids, &mut diags);
        (r, diags)
    }

    #[test]
    fn chinese_heading_anchors_are_readable_and_unique() {
        let (r, _) = md("## 一、政策依据\n\n## 温馨提示\n\n## 温馨提示\n\n### Q&A 问答\n");
        assert!(r.html().contains("<h2 id=\"一-政策依据\">"), "{}", r.html());
        assert!(r.html().contains("<h2 id=\"温馨提示\">"));
        assert!(r.html().contains("<h2 id=\"温馨提示-2\">"));
        assert!(r.html().contains("<h3 id=\"q-a-问答\">"));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[2].children[0].title, "Q&A 问答");
    }

    #[test]
    fn internal_links_resolve_or_error_with_line() {
        let (r, d) =
            md("见[小额信贷](@/xindai/xiaoe.md#办理流程)。\n\n第二段[坏链接](@/nope/x.md)。\n");
        assert!(
            r.html()
                .contains("href=\"/xindai/xiaoe/#%E5%8A%9E%E7%90%86%E6%B5%81%E7%A8%8B\""),
            "{}",
            r.html()
        );
        assert_eq!(r.links, vec!["xindai/xiaoe"]);
        assert_eq!(d.len(), 1);
        let s = d[0].to_string();
        assert!(s.contains("content/a.md:5:"), "{s}");
        assert!(s.contains("@/nope/x.md"), "{s}");
    }

    #[test]
    fn images_beside_the_entry_get_their_site_url() {
        let src = SourceFile::new("content/zhufang/weifang.md", "+++\n+++\n![流程](liucheng.png)\n![](/img/a.png)\n![](../x/b.jpg)\n![](https://e.cn/c.png)\n".into());
        let body = &src.text[8..];
        let mut d = Vec::new();
        let r = render(&src, body, 8, &Ids, &mut d);
        assert!(
            r.html().contains("src=\"/zhufang/liucheng.png\""),
            "{}",
            r.html()
        );
        assert!(r.html().contains("src=\"/img/a.png\""), "{}", r.html());
        assert!(r.html().contains("src=\"/x/b.jpg\""), "{}", r.html());
        assert!(
            r.html().contains("src=\"https://e.cn/c.png\""),
            "{}",
            r.html()
        );
        let files: Vec<&str> = r.images.iter().map(|i| i.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "content/zhufang/liucheng.png",
                "static/img/a.png",
                "content/x/b.jpg"
            ]
        );
        assert_eq!(src.line_col(r.images[0].span.start), (3, 7));
    }

    #[test]
    fn links_to_md_files_without_at_are_errors_with_the_path_meant() {
        let (_, d) = md(
            "见[小额信贷](xindai/xiaoe.md#流程)和[别的](nope.md)，[网页](https://x.cn/a.md)。\n",
        );
        assert_eq!(d.len(), 2, "{d:?}");
        let s = d[0].to_string();
        assert!(s.contains("「@/xindai/xiaoe.md#流程」"), "{s}");
        assert!(s.contains("content/a.md:3:9"), "{s}");
        assert!(d[1].to_string().contains("nope.md"), "{}", d[1]);
    }

    #[test]
    fn extensions_render() {
        let (r, _) = md(
            "| 项目 | 标准 |\n|---|---|\n| 雨露计划 | 3000元 |\n\n~~旧标准~~\n\n- [x] 身份证\n- [ ] 户口簿\n\n注[^1]\n\n[^1]: 脚注。\n",
        );
        assert!(
            r.html().contains("<div class=\"table-wrap\"><table>"),
            "{}",
            r.html()
        );
        assert!(r.html().contains("<del>旧标准</del>"));
        assert!(r.html().contains("type=\"checkbox\""));
        assert!(r.html().contains("footnote-definition"));
    }

    #[test]
    fn line_break_inside_chinese_word_is_joined() {
        let (r, _) = md("农村危\n房改造 and\nLatin\n");
        assert!(r.plain().contains("危房改造"), "{}", r.plain());
        assert!(r.plain().contains("and Latin"), "{}", r.plain());
    }

    #[test]
    fn counts_chinese_characters() {
        assert_eq!(count_words("贷款5万元以下，期限3年。"), 11);
        // The fast paths count as the plain rule does, whatever the characters.
        let rule = |text: &str| {
            let (mut n, mut in_word) = (0, false);
            for c in text.chars() {
                if is_han(c) {
                    n += 1;
                    in_word = false;
                } else if c.is_alphanumeric() {
                    n += usize::from(!in_word);
                    in_word = true;
                } else {
                    in_word = false;
                }
            }
            n
        };
        // The ends of the ideographs counted from their bytes (一 鿿), beside them (䶿
        // ꀀ), and beyond the BMP (𠀀).
        let chars: Vec<char> = "a1 中，。、：；（）“”Ａ〇①é-_\n一鿿䶿ꀀ𠀀㐀"
            .chars()
            .collect();
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let text: String = (0..12)
                .map(|_| chars[(next() % chars.len() as u64) as usize])
                .collect();
            assert_eq!(count_words(&text), rule(&text), "{text:?}");
        }
        assert_eq!(count_words("下载 App 办理"), 5);
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(301), 2);
    }
}
