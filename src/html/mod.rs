//! The HTML renderer: every page of the site through the theme's templates, plus
//! sitemap, Atom feed, 404 page and static files. Pages render in parallel.

pub(crate) mod feeds;
pub(crate) mod keys;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostics::Diagnostic;
use crate::output::{Digest, Sink};
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;
use crate::values::{self, Values};
use keys::PageKeys;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Page {
    Home,
    Section(usize),
    Entry(usize),
    Tags,
    Tag(usize),
    Search,
    NotFound,
}

pub(crate) struct Options {
    /// The search page is made.
    pub search: bool,
}

pub(crate) struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    values: Values,
    options: Options,
}

impl<'a> Renderer<'a> {
    /// A renderer of `values` (built by [`values::build`] from `options`); puts the
    /// site-wide ones in the templates' global context.
    pub(crate) fn new(
        site: &'a Site,
        templates: &'a mut Templates,
        options: Options,
        values: Values,
    ) -> Renderer<'a> {
        let g = templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
        Renderer {
            site,
            templates,
            values,
            options,
        }
    }

    /// A renderer reusing the values of an earlier one (whose globals the templates
    /// already hold): for re-rendering pages when no site-wide value changed.
    pub(crate) fn with_values(
        site: &'a Site,
        templates: &'a Templates,
        options: Options,
        values: Values,
    ) -> Renderer<'a> {
        Renderer {
            site,
            templates,
            values,
            options,
        }
    }

    pub(crate) fn values(&self) -> &Values {
        &self.values
    }

    pub(crate) fn templates(&self) -> &'a Templates {
        self.templates
    }

    pub(crate) fn site(&self) -> &'a Site {
        self.site
    }

    /// The site-wide values every template sees; when they are unchanged, a page whose
    /// own inputs are unchanged renders the same.
    pub(crate) fn globals(&self) -> &[(&'static str, Value)] {
        &self.values.global
    }

    /// Every page of the site.
    pub(crate) fn all_pages(&self) -> Vec<Page> {
        let s = self.site;
        let mut pages = vec![Page::Home, Page::Tags, Page::NotFound];
        if self.options.search {
            pages.push(Page::Search);
        }
        pages.extend((1..s.sections.len()).map(Page::Section));
        pages.extend((0..s.entries.len()).map(Page::Entry));
        pages.extend((0..s.tags.len()).map(Page::Tag));
        pages
    }

    /// Root-relative URL of a page ("/jiaoyu/yulu/").
    pub(crate) fn url(&self, page: Page) -> String {
        let s = self.site;
        match page {
            Page::Home => "/".into(),
            Page::Section(i) => s.sections[i].url.clone(),
            Page::Entry(i) => s.entries[i].url.clone(),
            Page::Tags => "/tags/".into(),
            Page::Tag(i) => s.tags[i].url.clone(),
            Page::Search => "/search/".into(),
            Page::NotFound => "/404.html".into(),
        }
    }

    /// Output file of a page ("jiaoyu/yulu/index.html").
    pub(crate) fn file(&self, page: Page) -> String {
        let url = self.url(page);
        if url.ends_with('/') {
            format!("{}index.html", url.trim_start_matches('/'))
        } else {
            url.trim_start_matches('/').to_string()
        }
    }

    /// The template that renders `page` and what its context holds (all of a page's
    /// own inputs: its key hashes them); an entry's without its `page` unless `entry`
    /// (a page key takes it by its [`values::EntryHashes`] hash, and most pages after
    /// one edit need it no further).
    fn context(&self, page: Page, entry: bool) -> (&'static str, Vec<(&'static str, Value)>) {
        let s = self.site;
        let v = &self.values;
        let url = self.url(page);
        let mut ctx: Vec<(&'static str, Value)> = vec![
            ("permalink", Value::from(s.config.permalink(&url))),
            ("current_url", Value::from(url)),
        ];
        let (template, kind) = match page {
            Page::Home => {
                ctx.push(("section", values::section_page(s, v, 0)));
                ctx.push(("title", Value::from(s.config.title.as_str())));
                ("index.html", "home")
            }
            Page::Section(i) => {
                let sec = &s.sections[i];
                ctx.push(("section", values::section_page(s, v, i)));
                let parent = sec.parent.unwrap_or(0);
                ctx.push(("breadcrumbs", values::breadcrumbs(s, parent)));
                ctx.push(("title", Value::from(sec.section.title.as_str())));
                let faq = sec.section.kind == Some(crate::content::Kind::Faq);
                if faq && self.templates.has("faq_index.html") {
                    ("faq_index.html", "faq_index")
                } else {
                    ("section.html", "section")
                }
            }
            Page::Entry(i) => {
                let n = &s.entries[i];
                if entry {
                    let html = n.rendered.html();
                    ctx.push(("page", values::entry_page(s, v, i, Some(html))));
                }
                ctx.push(("section", v.section_summaries[n.section].clone()));
                ctx.push(("breadcrumbs", values::breadcrumbs(s, n.section)));
                ctx.push(("title", Value::from(n.entry.title.as_str())));
                match n.entry.kind {
                    crate::content::Kind::Policy => ("policy.html", "policy"),
                    crate::content::Kind::Faq => ("faq.html", "faq"),
                }
            }
            Page::Tags => {
                ctx.push(("title", Value::from("标签")));
                ("tags.html", "tags")
            }
            Page::Tag(i) => {
                let t = &s.tags[i];
                let entries: Vec<Value> = t
                    .entries
                    .iter()
                    .map(|&j| v.entry_summaries[j].clone())
                    .collect();
                let mut tag = v.tag_links[i].as_map().cloned().unwrap_or_default();
                tag.insert("entries".into(), Value::from(entries));
                ctx.push(("tag", Value::from(tag)));
                ctx.push(("title", Value::from(format!("标签：{}", t.name))));
                ("tag.html", "tag")
            }
            Page::Search => {
                ctx.push(("title", Value::from("搜索")));
                ("search.html", "search")
            }
            Page::NotFound => {
                ctx.push(("title", Value::from("页面不存在")));
                ("404.html", "404")
            }
        };
        ctx.push(("kind", Value::from(kind)));
        (template, ctx)
    }

    /// Renders `page` by `template` from `items`, its context.
    fn render_context(
        &self,
        page: Page,
        template: &str,
        items: Vec<(&'static str, Value)>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = Context::new();
        for (k, v) in items {
            ctx.insert_value(k, v);
        }
        let html = self.templates.render_bytes(template, &ctx)?;
        let prefix = match page {
            // A 404 page is served at any depth, so its links must be absolute.
            Page::NotFound => self.site.config.base_path(),
            _ => up_to_root(&self.url(page)),
        };
        Ok(rewrite_root_links(&html, &prefix))
    }

    /// Renders `pages` in parallel into `sink`, carrying over from the previous output
    /// the pages whose `keys` are unchanged (`keys` with the [`values::EntryHashes`] of
    /// this renderer's site and values). Returns the number of pages written and every
    /// error met.
    pub(crate) fn write_pages(
        &self,
        pages: &[Page],
        sink: &dyn Sink,
        keys: Option<(&PageKeys, &[u128])>,
    ) -> (usize, Vec<Diagnostic>) {
        let count = AtomicUsize::new(0);
        let errors: Vec<Diagnostic> = pages
            .par_iter()
            .filter_map(|&p| {
                let file = self.file(p);
                // With keys, an entry's values are made only if its page is rendered.
                let (template, mut items) = self.context(p, keys.is_none());
                let key = keys.and_then(|(k, entries)| {
                    // An entry's own values by their hash, and its HTML by the hash the
                    // render made.
                    let hashed: &[_] = match p {
                        Page::Entry(i) => &[
                            ("page", entries[i]),
                            ("page.content", self.site.entries[i].rendered.html_hash),
                        ],
                        _ => &[],
                    };
                    Some((k, k.key(template, &items, hashed, self.values.memo())?))
                });
                if let Some((keys, key)) = key
                    && let Some(digest) = keys.unchanged(&file, key)
                    && sink.carry(&file, digest)
                {
                    keys.record(file, key, digest);
                    count.fetch_add(1, Ordering::Relaxed);
                    return None;
                }
                if let (Some(_), Page::Entry(i)) = (keys, p) {
                    let html = self.site.entries[i].rendered.html_once();
                    let page = values::entry_page(self.site, &self.values, i, Some(&html));
                    items.push(("page", page));
                }
                let html = match self.render_context(p, template, items) {
                    Ok(h) => h,
                    Err(d) => return Some(d),
                };
                let digest = Digest::of(&html);
                match sink.write_digested(&file, &html, digest) {
                    Ok(()) => {
                        if let Some((keys, key)) = key {
                            keys.record(file, key, digest);
                        }
                        count.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                    Err(e) => Some(Diagnostic::error(tr!("write-file", file = file, error = e))),
                }
            })
            .collect();
        // One broken template fails every page the same way: report it once.
        let mut seen = std::collections::HashSet::new();
        let errors = errors
            .into_iter()
            .filter(|d| seen.insert(d.to_string()))
            .collect();
        (count.load(Ordering::Relaxed), errors)
    }

    /// sitemap.xml and atom.xml.
    pub(crate) fn write_feeds(&self, sink: &dyn Sink) -> std::io::Result<()> {
        let pages = self.all_pages();
        let urls: Vec<(String, Option<String>)> = pages
            .iter()
            .filter(|p| !matches!(p, Page::NotFound | Page::Search))
            .map(|&p| {
                let lastmod = match p {
                    Page::Entry(i) => self.site.entries[i]
                        .entry
                        .policy()
                        .and_then(|pf| pf.reviewed.or(pf.effective))
                        .map(|d| d.to_string()),
                    _ => None,
                };
                (self.url(p), lastmod)
            })
            .collect();
        sink.write(
            "sitemap.xml",
            feeds::sitemap(&self.site.config, &urls).as_bytes(),
        )?;
        sink.write("atom.xml", feeds::atom(self.site).as_bytes())?;
        // The policy list household cards read without the handbook's source.
        let list = crate::households::Handbook::from_site(self.site).to_json();
        sink.write(crate::households::handbook::FILE, list.as_bytes())?;
        Ok(())
    }
}

/// Copies the theme's `static/`, the site's `static/` (overriding) and the files
/// beside entries in content/ into the output, after checking every one of them
/// ([`crate::privacy::refuse_file`]): a spreadsheet, document or archive, or text holding
/// an ID number, stops the build with every such file named.
/// Returns the output paths written.
pub(crate) fn copy_static(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut files: Vec<(String, PathBuf, std::borrow::Cow<'static, [u8]>)> = theme
        .files("static", true)
        .map_err(|e| vec![Diagnostic::error(tr!("read-static", error = e))])?
        .into_iter()
        .map(|f| (f.rel, f.display, f.bytes))
        .collect();
    let mut diags = Vec::new();
    for rel in &site.assets {
        match std::fs::read(site.root.join(rel)) {
            Ok(bytes) => {
                let out = rel
                    .strip_prefix("content")
                    .unwrap_or(rel)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((out, rel.clone(), bytes.into()));
            }
            Err(e) => diags.push(Diagnostic::error(tr!(
                "read-file",
                file = rel.display(),
                error = e
            ))),
        }
    }
    diags.extend(
        files
            .iter()
            .filter_map(|(_, display, bytes)| crate::privacy::refuse_file(display, bytes)),
    );
    if !diags.is_empty() {
        return Err(diags);
    }
    for (rel, _, bytes) in &files {
        sink.write(rel, &crate::images::for_web(rel, bytes))
            .map_err(|e| vec![Diagnostic::error(tr!("write-file", file = rel, error = e))])?;
    }
    Ok(files.into_iter().map(|(rel, _, _)| rel).collect())
}

/// Root-relative links (`href="/x/"`) made relative to the page (`href="../x/"`), so
/// the site works under any base path and straight from disk (file://).
pub(crate) fn relativize(html: &str, page_url: &str) -> String {
    let out = rewrite_root_links(html.as_bytes(), &up_to_root(page_url));
    // Only ASCII went in, between ASCII bytes: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The relative path from the page at `page_url` to the site's root (`./`, `../../`).
fn up_to_root(page_url: &str) -> String {
    let depth = page_url
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count()
        - usize::from(!page_url.ends_with('/'));
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
fn absolutize(html: &str, base_path: &str) -> String {
    String::from_utf8(rewrite_root_links(html.as_bytes(), base_path)).unwrap()
}

/// `html` with each root-relative link (`href="/…"`, `src`, `action`, `data-root`)
/// given `prefix` in place of its leading slash.
fn rewrite_root_links(html: &[u8], prefix: &str) -> Vec<u8> {
    const ATTRS: [&[u8]; 4] = [b"href", b"src", b"action", b"data-root"];
    let mut out = Vec::with_capacity(html.len() + 1024);
    let mut last = 0;
    // One pass over `="/`; the attribute name before it decides.
    for i in memchr::memmem::find_iter(html, b"=\"/") {
        let before = &html[..i];
        let is_link_attr = ATTRS.iter().any(|a| {
            before.ends_with(a)
                && before[..before.len() - a.len()]
                    .last()
                    .is_some_and(u8::is_ascii_whitespace)
        });
        // Protocol-relative (//host/…) stays as it is.
        if !is_link_attr || html[i + 3..].starts_with(b"/") {
            continue;
        }
        out.extend_from_slice(&html[last..i + 2]);
        out.extend_from_slice(prefix.as_bytes());
        last = i + 3;
    }
    out.extend_from_slice(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_to_the_page() {
        let html = r#"<a href="/jiaoyu/">x</a><img src="/logo.png"><a href="//cdn/x">y</a><a href="https://a/">z</a>"#;
        let out = relativize(html, "/jiaoyu/yulu/");
        assert_eq!(
            out,
            r#"<a href="../../jiaoyu/">x</a><img src="../../logo.png"><a href="//cdn/x">y</a><a href="https://a/">z</a>"#
        );
        assert_eq!(
            relativize(r#"<a href="/">h</a>"#, "/"),
            r#"<a href="./">h</a>"#
        );
        assert_eq!(
            absolutize(r#"<a href="/x/">h</a>"#, "/qinghe/"),
            r#"<a href="/qinghe/x/">h</a>"#
        );
    }
}
