//! The HTML renderer: every page of the site through the theme's templates, plus
//! sitemap, Atom feed, 404 page and static files. Pages render in parallel.

mod feeds;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;
use crate::values::{self, PrintLinks, Values};

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    Section(usize),
    Entry(usize),
    Tags,
    Tag(usize),
    Search,
    NotFound,
}

pub struct Options {
    pub print: PrintLinks,
    pub search: bool,
}

pub struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    values: Values,
    options: Options,
}

impl<'a> Renderer<'a> {
    /// Prepares shared values and puts site-wide ones in the templates' global context.
    pub fn new(site: &'a Site, templates: &'a mut Templates, options: Options) -> Renderer<'a> {
        let values = values::build(site, &options.print, options.search);
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
    pub fn with_values(
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

    pub fn values(&self) -> &Values {
        &self.values
    }

    pub(crate) fn templates(&self) -> &'a Templates {
        self.templates
    }

    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The site-wide values every template sees; when they are unchanged, a page whose
    /// own inputs are unchanged renders the same.
    pub fn globals(&self) -> &[(&'static str, Value)] {
        &self.values.global
    }

    /// Every page of the site.
    pub fn all_pages(&self) -> Vec<Page> {
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
    pub fn url(&self, page: Page) -> String {
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
    pub fn file(&self, page: Page) -> String {
        let url = self.url(page);
        if url.ends_with('/') {
            format!("{}index.html", url.trim_start_matches('/'))
        } else {
            url.trim_start_matches('/').to_string()
        }
    }

    /// Renders one page to HTML.
    pub fn render(&self, page: Page) -> Result<String, Diagnostic> {
        let s = self.site;
        let v = &self.values;
        let mut ctx = Context::new();
        let url = self.url(page);
        ctx.insert("current_url", &url);
        ctx.insert("permalink", &s.config.permalink(&url));
        let (template, kind) = match page {
            Page::Home => {
                ctx.insert_value("section", values::section_page(s, v, 0));
                ctx.insert("title", &s.config.title);
                ("index.html", "home")
            }
            Page::Section(i) => {
                let sec = &s.sections[i];
                ctx.insert_value("section", values::section_page(s, v, i));
                ctx.insert_value(
                    "breadcrumbs",
                    values::breadcrumbs(s, sec.parent.unwrap_or(0)),
                );
                ctx.insert("title", &sec.section.title);
                let faq = sec.section.kind == Some(crate::content::Kind::Faq);
                if faq && self.templates.has("faq_index.html") {
                    ("faq_index.html", "faq_index")
                } else {
                    ("section.html", "section")
                }
            }
            Page::Entry(i) => {
                let n = &s.entries[i];
                ctx.insert_value("page", values::entry_page(s, v, i));
                ctx.insert_value("section", v.section_summaries[n.section].clone());
                ctx.insert_value("breadcrumbs", values::breadcrumbs(s, n.section));
                ctx.insert("title", &n.entry.title);
                match n.entry.kind {
                    crate::content::Kind::Policy => ("policy.html", "policy"),
                    crate::content::Kind::Faq => ("faq.html", "faq"),
                }
            }
            Page::Tags => {
                ctx.insert("title", "标签");
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
                ctx.insert_value("tag", Value::from(tag));
                ctx.insert("title", &format!("标签：{}", t.name));
                ("tag.html", "tag")
            }
            Page::Search => {
                ctx.insert("title", "搜索");
                ("search.html", "search")
            }
            Page::NotFound => {
                ctx.insert("title", "页面不存在");
                ("404.html", "404")
            }
        };
        ctx.insert("kind", kind);
        let html = self.templates.render(template, &ctx)?;
        let html = match page {
            // A 404 page is served at any depth, so its links must be absolute.
            Page::NotFound => absolutize(&html, &s.config.base_path()),
            _ => relativize(&html, &url),
        };
        Ok(html)
    }

    /// Renders `pages` in parallel into `sink`. Returns the number of pages written and
    /// every error met.
    pub fn write_pages(&self, pages: &[Page], sink: &dyn Sink) -> (usize, Vec<Diagnostic>) {
        let count = AtomicUsize::new(0);
        let errors: Vec<Diagnostic> = pages
            .par_iter()
            .filter_map(|&p| {
                let html = match self.render(p) {
                    Ok(h) => h,
                    Err(d) => return Some(d),
                };
                match sink.write(&self.file(p), html.as_bytes()) {
                    Ok(()) => {
                        count.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                    Err(e) => Some(Diagnostic::error(tr!(
                        "write-file",
                        file = self.file(p),
                        error = e
                    ))),
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
    pub fn write_feeds(&self, sink: &dyn Sink) -> std::io::Result<()> {
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
pub fn copy_static(
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
pub fn relativize(html: &str, page_url: &str) -> String {
    let depth = page_url
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count()
        - usize::from(!page_url.ends_with('/'));
    let prefix = if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    };
    rewrite_root_links(html, &prefix)
}

fn absolutize(html: &str, base_path: &str) -> String {
    rewrite_root_links(html, base_path)
}

fn rewrite_root_links(html: &str, prefix: &str) -> String {
    const ATTRS: [&str; 4] = ["href", "src", "action", "data-root"];
    let mut out = String::with_capacity(html.len() + 1024);
    let mut last = 0;
    // One pass over `="/`; the attribute name before it decides.
    for (i, _) in html.match_indices("=\"/") {
        let before = &html[..i];
        let is_link_attr = ATTRS.iter().any(|a| {
            before.ends_with(a)
                && before[..before.len() - a.len()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace)
        });
        // Protocol-relative (//host/…) stays as it is.
        if !is_link_attr || html[i + 3..].starts_with('/') {
            continue;
        }
        out.push_str(&html[last..i + 2]);
        out.push_str(prefix);
        last = i + 3;
    }
    out.push_str(&html[last..]);
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
