//! Linking content into the site graph: sections into a tree, entries into reading
//! order with URLs, prev/next, tags and citations, `@/` links resolved and Markdown
//! rendered (in parallel, reusing what the render cache holds).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use super::links::{LinkTable, RenderCache};
use super::memo::{Key as MemoKey, RenderMemo};
use super::{EntryNode, SectionNode, Site, TagNode, tag_slug};
use crate::config::SiteConfig;
use crate::content::{self, Entry, EntryData, Kind};
use crate::diagnostics::{Diagnostic, suggest};
use crate::markdown::{self, Rendered};

/// Two policies that share a title or alias: a 享受政策 item on a household sheet that
/// names it could not say which one it means. Located in both files.
fn duplicate_policy_names(entries: &[Arc<Entry>]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, (usize, &str)> = HashMap::new();
    let mut diags = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(p) = e.policy() else {
            continue;
        };
        let mut names: Vec<(&str, &str)> = vec![(e.title.as_str(), "title")];
        names.extend(p.aliases.iter().map(|a| (a.as_str(), "aliases")));
        for (name, key) in names {
            let k: String = name.chars().filter(|c| !c.is_whitespace()).collect();
            match seen.get(&k) {
                Some(&(j, first_key)) if j != i => {
                    let other = &entries[j];
                    // The name as written under its key (`aliases` may span lines).
                    let at = |e: &Entry, key: &str| {
                        let text = &e.src.text;
                        let head = &text[..e.body_start.min(text.len())];
                        let from = head
                            .match_indices(key)
                            .map(|(k, _)| k)
                            .find(|&k| k == 0 || head[..k].ends_with('\n'))?;
                        let k = from + head[from..].find(name)?;
                        Some(k..k + name.len())
                    };
                    let place = |e: &Entry, span: &Option<std::ops::Range<usize>>| {
                        let line = span.as_ref().map_or(1, |s| e.src.line_col(s.start).0);
                        format!("{}:{line}", e.src.path.display())
                    };
                    let (s1, s2) = (at(other, first_key), at(e, key));
                    let d = Diagnostic::error(tr!(
                        "site-same-policy-name",
                        name = name,
                        at1 = place(other, &s1),
                        at2 = place(e, &s2)
                    ));
                    let d = match s2 {
                        Some(span) => d.at(&e.src, span),
                        None => d.in_file(e.src.path.clone(), 1, 1),
                    };
                    diags.push(d.with_hint(tr!("site-same-policy-name-hint")));
                }
                Some(_) => {}
                None => {
                    seen.insert(k, (i, key));
                }
            }
        }
    }
    diags
}

impl Site {
    /// [`Site::build`], reusing the Markdown of entries whose source and link targets
    /// are unchanged since the build that filled `cache`.
    pub(crate) fn build_cached(
        root: &Path,
        config: SiteConfig,
        content: content::Content,
        today: Date,
        cache: &mut RenderCache,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut content = content;
        let mut diags = std::mem::take(&mut content.diags);
        // Those from reading the files, before any from what they say.
        let read_errors = diags.len();

        // Sections: home first, then chapters by weight.
        let mut sections = content.sections;
        sections.sort_by(|a, b| {
            (a.path.is_empty(), 0)
                .cmp(&(b.path.is_empty(), 0))
                .reverse()
                .then(a.weight.cmp(&b.weight))
                .then(a.path.cmp(&b.path))
        });
        let sec_index: HashMap<String, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.path.clone(), i))
            .collect();
        let mut sec_nodes: Vec<SectionNode> = sections
            .into_iter()
            .map(|s| SectionNode {
                url: if s.path.is_empty() {
                    "/".into()
                } else {
                    format!("/{}/", s.path)
                },
                parent: None,
                children: Vec::new(),
                entries: Vec::new(),
                html: String::new(),
                section: s,
            })
            .collect();
        for i in 0..sec_nodes.len() {
            let path = sec_nodes[i].section.path.clone();
            if path.is_empty() {
                continue;
            }
            let parent_path = path.rfind('/').map_or("", |p| &path[..p]);
            let parent = nearest_section(&sec_index, parent_path);
            sec_nodes[i].parent = Some(parent);
            sec_nodes[parent].children.push(i);
        }

        // Entries in reading order.
        let entries = content.entries;
        // Each entry's section looked up once, not at every comparison.
        let mut keyed: Vec<(usize, Arc<Entry>)> = entries
            .into_iter()
            .map(|e| (nearest_section(&sec_index, &e.section), e))
            .collect();
        keyed.sort_by(|(sa, a), (sb, b)| {
            sa.cmp(sb)
                .then(a.weight.cmp(&b.weight))
                .then(a.id.cmp(&b.id))
                .then(a.src.path.cmp(&b.src.path))
        });
        let entries: Vec<Arc<Entry>> = keyed.into_iter().map(|(_, e)| e).collect();

        // No ID number is ever published: a policy page never needs one. Every source's
        // bytes are looked at: in parallel (one after another, a tenth of a second at
        // 10,000 entries).
        let sources: Vec<&crate::diagnostics::SourceFile> = entries
            .iter()
            .map(|e| &*e.src)
            .chain(sec_nodes.iter().filter_map(|s| s.section.src.as_deref()))
            .collect();
        let found: Vec<Vec<Diagnostic>> = sources
            .par_iter()
            .map(|src| crate::privacy::ids_in_source(src))
            .collect();
        diags.extend(found.into_iter().flatten());
        diags.extend(duplicate_policy_names(&entries));

        // Named figures: every `{{小额信贷.max}}` becomes its value before anything
        // renders, so pages, search, cards and the handbook show the same number.
        // The entries that failed to load are reported above; a reference to one of
        // them is then not simply a wrong name.
        let loaded: std::collections::HashSet<&Path> =
            entries.iter().map(|e| e.src.path.as_path()).collect();
        let mut unread: Vec<String> = diags[..read_errors]
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.location.as_ref())
            .filter(|l| l.file.extension().is_some_and(|x| x == "md"))
            .filter(|l| !loaded.contains(l.file.as_path()))
            .map(|l| crate::platform::portable(&l.file).display().to_string())
            .collect();
        unread.sort();
        unread.dedup();
        let figures = Arc::new(crate::figures::Table::new(&entries).with_unread(unread));
        // In parallel: every file is looked at for a reference.
        let expanded: Vec<(Arc<Entry>, Vec<Diagnostic>)> = entries
            .into_par_iter()
            .map(|e| {
                let mut d = Vec::new();
                let x = crate::figures::expand_entry(&figures, &e, &mut d);
                (x.unwrap_or(e), d)
            })
            .collect();
        let mut entries: Vec<Arc<Entry>> = Vec::with_capacity(expanded.len());
        for (e, d) in expanded {
            entries.push(e);
            diags.extend(d);
        }
        for s in &mut sec_nodes {
            crate::figures::expand_section(&figures, &mut s.section, &mut diags);
        }

        // Ids are unique; `@/` links name files, which may differ from ids.
        let mut by_id: HashMap<String, usize> = HashMap::new();
        // When two entries share an id, the one that set it in front matter is the one
        // to fix; otherwise the later file.
        let mut claim: Vec<usize> = (0..entries.len()).collect();
        claim.sort_by(|&a, &b| {
            let (a, b) = (&entries[a], &entries[b]);
            (a.id_span.is_some(), &a.src.path).cmp(&(b.id_span.is_some(), &b.src.path))
        });
        for &i in &claim {
            let e = &entries[i];
            if let Some(&first) = by_id.get(&e.id) {
                let other = &entries[first];
                let d = Diagnostic::error(tr!("site-duplicate-id", id = e.id));
                let d = match &e.id_span {
                    Some(span) => d.at(&e.src, span.clone()),
                    None => d.in_file(e.src.path.clone(), 1, 1),
                };
                diags.push(d.with_hint(tr!(
                    "site-duplicate-id-hint",
                    other = other.src.path.display()
                )));
            } else {
                by_id.insert(e.id.clone(), i);
            }
        }
        // Pages landing on a chapter's, a built-in page or a file beside the entries.
        let section_paths: Vec<String> = sec_nodes
            .iter()
            .map(|n| n.section.path.clone())
            .filter(|p| !p.is_empty())
            .collect();
        diags.extend(crate::ids::check_pages(
            &entries,
            &section_paths,
            &content.assets,
        ));
        let failed: std::collections::HashSet<&str> =
            content.failed_entries.iter().map(String::as_str).collect();
        let links = Arc::new(LinkTable::new(
            &entries,
            &sec_nodes,
            &content.failed_entries,
        ));
        // Markdown, in parallel; what an earlier build rendered is reused when neither
        // the file nor anything its `@/` links could point at changed: from memory
        // (`serve`) or, texts left to be rendered on first use, from the last build's
        // record (`build`).
        if cache.links_key != links.key() {
            // Only bodies with `@/` links can render differently.
            cache.by_path.retain(|_, (src, _)| !src.text.contains("@/"));
            cache.links_key = links.key();
        }
        if let Some(m) = cache.memo.as_mut() {
            m.ready();
        }
        let cached = &cache.by_path;
        // What the last build rendered, taken out of its record (not copied: headings
        // and links of every body were a tenth of the content's CPU after one edit).
        // Each body: as rendered in this process (`serve`), or its key in the record.
        let found: Vec<(Option<Arc<Rendered>>, Option<MemoKey>)> = entries
            .par_iter()
            .map(|e| match cached.get(&e.src.path) {
                Some((src, r)) if Arc::ptr_eq(src, &e.src) => (Some(r.clone()), None),
                _ => (
                    None,
                    cache.memo.as_ref().and_then(|_| RenderMemo::key(e, &links)),
                ),
            })
            .collect();
        let mut memo = cache.memo.as_mut();
        let jobs: Vec<_> = entries
            .iter()
            .zip(found)
            .map(|(e, (done, k))| (e, done, k, k.and_then(|k| memo.as_mut()?.take(k))))
            .collect();
        let rendered: Vec<(Arc<Rendered>, Vec<Diagnostic>, Option<MemoKey>)> = jobs
            .into_par_iter()
            .map(|(e, done, key, remembered)| {
                if let Some(r) = done {
                    return (r, Vec::new(), None);
                }
                if let Some(r) = remembered {
                    let (e, links) = (e.clone(), links.clone());
                    let later: markdown::Later = Arc::new(move || {
                        crate::figures::render_located(
                            &e.src,
                            e.body(),
                            e.body_start,
                            &*links,
                            &mut Vec::new(),
                        )
                        .into_texts()
                    });
                    return (Arc::new(Rendered::later(r, later)), Vec::new(), key);
                }
                let mut d = Vec::new();
                let r =
                    crate::figures::render_located(&e.src, e.body(), e.body_start, &*links, &mut d);
                (Arc::new(r), d, key)
            })
            .collect();
        // Only clean renders are kept: one with problems is redone, so they are reported
        // again.
        cache.by_path = entries
            .iter()
            .zip(&rendered)
            // A body with figure references changes when another file's figure does.
            .filter(|(e, (_, d, _))| d.is_empty() && !e.names_figures)
            .map(|(e, (r, _, _))| (e.src.path.clone(), (e.src.clone(), r.clone())))
            .collect();
        if let Some(m) = cache.memo.as_mut() {
            let clean: Vec<(MemoKey, Arc<Rendered>)> = rendered
                .iter()
                .filter(|(_, d, _)| d.is_empty())
                .filter_map(|(r, _, k)| Some(((*k)?, r.clone())))
                .collect();
            m.keep(&clean);
        }
        let section_html: Vec<(String, Vec<Diagnostic>)> = sec_nodes
            .par_iter()
            .map(|s| {
                let mut d = Vec::new();
                let html = match &s.section.src {
                    Some(src) => {
                        crate::figures::render_located(
                            src,
                            &s.section.body,
                            s.section.body_start,
                            &*links,
                            &mut d,
                        )
                        .into_texts()
                        .html
                    }
                    None => String::new(),
                };
                (html, d)
            })
            .collect();
        for (node, (html, d)) in sec_nodes.iter_mut().zip(section_html) {
            node.html = html;
            diags.extend(d);
        }

        let mut nodes: Vec<EntryNode> = Vec::with_capacity(entries.len());
        for (e, (r, d, _)) in entries.into_iter().zip(rendered) {
            diags.extend(d);
            diags.extend(crate::images::check(root, &e.src, &r.images));
            let section = nearest_section(&sec_index, &e.section);
            let expired = e
                .policy()
                .and_then(|p| p.expires)
                .is_some_and(|x| x < today);
            let words =
                markdown::count_words(&e.title) + markdown::count_words(e.summary()) + r.words;
            nodes.push(EntryNode {
                url: format!("/{}/", e.id),
                section,
                words,
                rendered: r,
                prev: None,
                next: None,
                cited_by: Vec::new(),
                cites: Vec::new(),
                tags: Vec::new(),
                expired,
                entry: e,
            });
        }

        // Section membership and prev/next within a section.
        for i in 0..nodes.len() {
            sec_nodes[nodes[i].section].entries.push(i);
        }
        for s in &sec_nodes {
            for w in s.entries.windows(2) {
                nodes[w[0]].next = Some(w[1]);
                nodes[w[1]].prev = Some(w[0]);
            }
        }

        // FAQ → policy citations.
        let policy_ids: Vec<&str> = nodes
            .iter()
            .filter(|n| n.entry.kind == Kind::Policy)
            .map(|n| n.entry.id.as_str())
            .collect();
        let mut citations = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            let EntryData::Faq(faq) = &n.entry.data else {
                continue;
            };
            for (pid, span) in &faq.policies {
                if failed.contains(pid.as_str()) {
                    continue;
                }
                match by_id.get(pid) {
                    Some(&j) if nodes[j].entry.kind == Kind::Policy => citations.push((i, j)),
                    found => {
                        // Editors think of a policy by its name: 临时救助 for doudi/linshi.
                        let named = nodes.iter().find(|m| match &m.entry.data {
                            EntryData::Policy(p) => {
                                m.entry.title == *pid || p.aliases.iter().any(|a| a == pid)
                            }
                            EntryData::Faq(_) => false,
                        });
                        let (message, hint) = match (found, named) {
                            (Some(_), _) => (tr!("site-faq-cites-faq", id = pid), None),
                            (None, Some(m)) => (
                                tr!("site-faq-policy-by-name", name = pid),
                                Some(tr!(
                                    "site-faq-policy-by-name-hint",
                                    id = m.entry.id.as_str()
                                )),
                            ),
                            (None, None) => (tr!("site-faq-unknown-policy", id = pid), None),
                        };
                        let hint = hint.unwrap_or_else(|| {
                            match suggest(pid, policy_ids.iter().copied()) {
                                Some(s) => tr!("did-you-mean", name = s),
                                None => tr!("site-faq-policies-hint"),
                            }
                        });
                        diags.push(
                            Diagnostic::error(message)
                                .at(&n.entry.src, span.clone())
                                .with_hint(hint),
                        );
                    }
                }
            }
        }
        for (faq, policy) in citations {
            nodes[faq].cites.push(policy);
            nodes[policy].cited_by.push(faq);
        }

        // Tags.
        let mut tag_map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, n) in nodes.iter().enumerate() {
            for t in &n.entry.tags {
                let list = tag_map.entry(t.trim().to_string()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut tags = Vec::with_capacity(tag_map.len());
        let mut slugs: HashMap<String, String> = HashMap::new();
        for (name, list) in tag_map {
            let slug = config
                .tag_slugs
                .get(&name)
                .cloned()
                .unwrap_or_else(|| tag_slug(&name));
            if let Some(other) = slugs.insert(slug.clone(), name.clone()) {
                diags.push(
                    Diagnostic::error(tr!("site-tag-slug-clash", a = other, b = name, slug = slug))
                        .in_file("site.toml", 1, 1)
                        .with_hint(tr!("site-tag-slug-clash-hint", b = name, slug = slug)),
                );
            }
            let t = tags.len();
            for &i in &list {
                nodes[i].tags.push(t);
            }
            tags.push(TagNode {
                url: format!("/tags/{slug}/"),
                name,
                slug,
                entries: list,
            });
        }

        if diags.iter().any(|d| d.is_error()) {
            return Err(diags);
        }
        // Warnings found while loading (a GBK file) are shown with check's.
        let mut config = config;
        config.warnings.extend(diags);
        Ok(Site {
            root: root.to_path_buf(),
            config,
            sections: sec_nodes,
            entries: nodes,
            by_id,
            links,
            tags,
            assets: content.assets,
            today,
            figures,
            revision: None,
        })
    }
}

fn nearest_section(index: &HashMap<String, usize>, mut path: &str) -> usize {
    loop {
        if let Some(&i) = index.get(path) {
            return i;
        }
        if path.is_empty() {
            return 0;
        }
        path = path.rfind('/').map_or("", |i| &path[..i]);
    }
}
