//! The site graph: sections and entries linked together (URLs, order, prev/next, tags,
//! which FAQs cite which policy, `@/` links resolved), with the Markdown rendered.
//! Renderers (HTML, print, search) read this; nothing here writes files.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{self, Entry, EntryData, Kind, Section};
use crate::diagnostics::{Diagnostic, SourceFile, suggest};
use crate::markdown::{self, LinkResolver, Rendered};

#[derive(Clone)]
pub struct SectionNode {
    pub section: Section,
    pub url: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Entries directly in this section, in reading order.
    pub entries: Vec<usize>,
    pub html: String,
}

#[derive(Clone)]
pub struct EntryNode {
    /// Shared with the content cache of `mingbai serve`, so a rebuild copies no text.
    pub entry: Arc<Entry>,
    pub url: String,
    pub section: usize,
    pub rendered: Arc<Rendered>,
    pub words: usize,
    pub prev: Option<usize>,
    pub next: Option<usize>,
    /// For a policy: the FAQs that cite it.
    pub cited_by: Vec<usize>,
    /// For a FAQ: the policies it cites.
    pub cites: Vec<usize>,
    pub tags: Vec<usize>,
    pub expired: bool,
}

#[derive(Clone)]
pub struct TagNode {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub entries: Vec<usize>,
}

#[derive(Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// The home section is index 0; the rest in reading order (weight, then path).
    pub sections: Vec<SectionNode>,
    /// In reading order: section by section, then by weight within a section.
    pub entries: Vec<EntryNode>,
    pub by_id: HashMap<String, usize>,
    /// Entry by file path under content/ without `.md` (what `@/` links name).
    pub by_file: HashMap<String, usize>,
    /// Sorted by name.
    pub tags: Vec<TagNode>,
    pub assets: Vec<PathBuf>,
    pub today: Date,
    /// Every policy's named figures (`[figures]`), for templates and the 口径 check.
    pub figures: Arc<crate::figures::Table>,
    /// What changed since the previous edition (`[edition]`), set by a full build.
    pub revision: Option<Arc<crate::edition::Revision>>,
}

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
                    let at = |e: &Entry, key: &str| {
                        let line = e
                            .src
                            .text
                            .lines()
                            .position(|l| l.trim_start().starts_with(key) && l.contains(name))
                            .map_or(1, |n| n + 1);
                        (e.src.path.clone(), line)
                    };
                    let (f1, l1) = at(other, first_key);
                    let (f2, l2) = at(e, key);
                    diags.push(
                        Diagnostic::error(format!(
                            "两项政策都叫「{name}」：{}:{l1} 和 {}:{l2}；户明白卡的表格写「{name}」时就分不清是哪一项",
                            f1.display(),
                            f2.display()
                        ))
                        .in_file(f2, l2, 1)
                        .with_hint("把其中一项的标题或别名（aliases）改成不同的名称"),
                    );
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

/// Today's date; `MINGBAI_TODAY=2026-01-01` pins it (reproducible builds and tests).
pub fn today() -> Date {
    std::env::var("MINGBAI_TODAY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| jiff::Zoned::now().date())
}

impl Site {
    /// Loads `site.toml` and `content/`, links and renders everything. Errors from
    /// every stage that could run are returned together.
    pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
        Site::load_cached(
            root,
            &mut content::Cache::default(),
            &mut RenderCache::default(),
        )
    }

    /// [`Site::load`], re-reading and re-rendering only what the caches do not hold.
    pub fn load_cached(
        root: &Path,
        files: &mut content::Cache,
        renders: &mut RenderCache,
    ) -> Result<Site, Vec<Diagnostic>> {
        let config = SiteConfig::load(root);
        let content = content::load_cached(root, files);
        let (config, content) = match (config, content) {
            (Ok(c), Ok(k)) => (c, k),
            (c, k) => {
                let mut d = c.err().unwrap_or_default();
                d.extend(k.err().unwrap_or_default());
                return Err(d);
            }
        };
        Site::build_cached(root, config, content, today(), renders)
    }

    pub fn build(
        root: &Path,
        config: SiteConfig,
        content: content::Content,
        today: Date,
    ) -> Result<Site, Vec<Diagnostic>> {
        Site::build_cached(root, config, content, today, &mut RenderCache::default())
    }

    /// [`Site::build`], reusing the Markdown of entries whose source and link targets
    /// are unchanged since the build that filled `cache`.
    pub fn build_cached(
        root: &Path,
        config: SiteConfig,
        content: content::Content,
        today: Date,
        cache: &mut RenderCache,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut content = content;
        let mut diags = std::mem::take(&mut content.diags);

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

        // No ID number is ever published: a policy page never needs one.
        diags.extend(
            entries
                .iter()
                .map(|e| &*e.src)
                .chain(sec_nodes.iter().filter_map(|s| s.section.src.as_deref()))
                .flat_map(crate::privacy::ids_in_source),
        );
        diags.extend(duplicate_policy_names(&entries));

        // Named figures: every `{{小额信贷.max}}` becomes its value before anything
        // renders, so pages, search, cards and the handbook show the same number.
        let figures = Arc::new(crate::figures::Table::new(&entries));
        let entries: Vec<Arc<Entry>> = entries
            .into_iter()
            .map(|e| crate::figures::expand_entry(&figures, &e, &mut diags).unwrap_or(e))
            .collect();
        for s in &mut sec_nodes {
            crate::figures::expand_section(&figures, &mut s.section, &mut diags);
        }

        // Ids are unique; `@/` links name files, which may differ from ids.
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut by_file: HashMap<String, usize> = HashMap::new();
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
                let d = Diagnostic::error(format!("duplicate id `{}`", e.id));
                let d = match &e.id_span {
                    Some(span) => d.at(&e.src, span.clone()),
                    None => d.in_file(e.src.path.clone(), 1, 1),
                };
                diags.push(d.with_hint(format!(
                    "{} has the same id; ids must be unique (set a different id = \"…\")",
                    other.src.path.display()
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
        for (i, e) in entries.iter().enumerate() {
            let file_id = e
                .src
                .path
                .strip_prefix("content")
                .unwrap_or(&e.src.path)
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            by_file.insert(file_id, i);
        }

        let failed: std::collections::HashSet<&str> =
            content.failed_entries.iter().map(String::as_str).collect();
        let resolver = Resolver {
            failed: &failed,
            by_file: &by_file,
            sections: &sec_index,
            entries: &entries,
            site_entries: None,
            sec_nodes: &sec_nodes,
        };

        // Markdown, in parallel; what an earlier build rendered is reused when neither
        // the file nor anything its `@/` links could point at changed.
        let links_key = links_key(&by_file, &entries, &sec_index, &failed);
        if cache.links_key != links_key {
            // Only bodies with `@/` links can render differently.
            cache.by_path.retain(|_, (src, _)| !src.text.contains("@/"));
            cache.links_key = links_key;
        }
        let cached = &cache.by_path;
        let rendered: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = entries
            .par_iter()
            .map(|e| {
                if let Some((src, r)) = cached.get(&e.src.path)
                    && Arc::ptr_eq(src, &e.src)
                {
                    return (r.clone(), Vec::new());
                }
                let mut d = Vec::new();
                let r = crate::figures::render_located(
                    &e.src,
                    &e.body,
                    e.body_start,
                    &resolver,
                    &mut d,
                );
                (Arc::new(r), d)
            })
            .collect();
        // Only clean renders are kept: one with problems is redone, so they are reported
        // again.
        cache.by_path = entries
            .iter()
            .zip(&rendered)
            // A body with figure references changes when another file's figure does.
            .filter(|(e, (_, d))| d.is_empty() && !e.src.text.contains("{{"))
            .map(|(e, (r, _))| (e.src.path.clone(), (e.src.clone(), r.clone())))
            .collect();
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
                            &resolver,
                            &mut d,
                        )
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
        for (e, (r, d)) in entries.into_iter().zip(rendered) {
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
                        let message = if found.is_some() {
                            format!("`{pid}` is a FAQ, not a policy")
                        } else {
                            format!("FAQ cites unknown policy `{pid}`")
                        };
                        let hint = match suggest(pid, policy_ids.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "policies = [\"…\"] lists policy ids: the file path under \
                                     content/ without .md, e.g. \"xindai/xiaoe\""
                                .into(),
                        };
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
                    Diagnostic::error(format!(
                        "tags `{other}` and `{name}` have the same slug `{slug}`"
                    ))
                    .in_file("site.toml", 1, 1)
                    .with_hint("give them different slugs under [tag_slugs]"),
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
            by_file,
            tags,
            assets: content.assets,
            today,
            figures,
            revision: None,
        })
    }

    /// Renders the body of `e`, an edited version of one of this site's entries, with
    /// `@/` links resolved against this site (`mingbai serve`, when only a body changed).
    pub fn render_body(&self, e: &Entry) -> (Rendered, Vec<Diagnostic>) {
        let sec_index: HashMap<String, usize> = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.section.path.clone(), i))
            .collect();
        let entries: Vec<Arc<Entry>> = Vec::new();
        let failed = std::collections::HashSet::new();
        let resolver = Resolver {
            failed: &failed,
            by_file: &self.by_file,
            sections: &sec_index,
            entries: &entries,
            site_entries: Some(&self.entries),
            sec_nodes: &self.sections,
        };
        let mut d = Vec::new();
        let expanded = crate::figures::expand_entry(&self.figures, e, &mut d);
        let e = expanded.as_deref().unwrap_or(e);
        let r = crate::figures::render_located(&e.src, &e.body, e.body_start, &resolver, &mut d);
        (r, d)
    }

    pub fn home(&self) -> &SectionNode {
        &self.sections[0]
    }

    /// Top-level chapters (children of the home page), in order.
    pub fn chapters(&self) -> impl Iterator<Item = usize> + '_ {
        self.sections[0].children.iter().copied()
    }

    /// The chain of sections from the top chapter down to `s` (home excluded).
    pub fn ancestors(&self, mut s: usize) -> Vec<usize> {
        let mut out = Vec::new();
        while s != 0 {
            out.push(s);
            s = self.sections[s].parent.unwrap_or(0);
        }
        out.reverse();
        out
    }

    /// Warnings `check` reports: expired policies, stale reviews, FAQs citing nothing.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let max_age = self.config.check.review_max_age_months;
        out.extend(self.config.warnings.iter().cloned());
        for n in &self.entries {
            out.extend(crate::content::checks::entry_warnings(
                &n.entry, n.expired, self.today, max_age,
            ));
        }
        // 口径: amounts written by hand that disagree with a policy's figures.
        let files = self.entries.iter().map(|n| &*n.entry.src).chain(
            self.sections
                .iter()
                .filter_map(|s| s.section.src.as_deref()),
        );
        out.extend(crate::figures::check::check_files(&self.figures, files));
        out
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

/// A stable, ASCII URL slug for a tag that has none in `[tag_slugs]`: ASCII tags are
/// used as they are; others (Chinese) get a short hash, never a pinyin guess.
pub fn tag_slug(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if crate::config::is_slug(&lower) {
        return lower;
    }
    // FNV-1a: stable across runs and platforms.
    let mut h: u32 = 0x811c9dc5;
    for b in name.as_bytes() {
        h ^= *b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    format!("t{h:08x}")
}

struct Resolver<'a> {
    /// Entries that failed to parse: links to them are not errors of their own.
    failed: &'a std::collections::HashSet<&'a str>,
    by_file: &'a HashMap<String, usize>,
    sections: &'a HashMap<String, usize>,
    entries: &'a [Arc<Entry>],
    /// When resolving against a built site, `by_file` indexes these instead.
    site_entries: Option<&'a [EntryNode]>,
    sec_nodes: &'a [SectionNode],
}

/// Rendered Markdown kept between builds by `mingbai serve`.
#[derive(Default)]
pub struct RenderCache {
    links_key: u64,
    by_path: HashMap<PathBuf, (Arc<SourceFile>, Arc<Rendered>)>,
}

impl RenderCache {
    /// Keeps a body rendered outside a full build.
    pub fn remember(&mut self, src: Arc<SourceFile>, rendered: Arc<Rendered>) {
        self.by_path.insert(src.path.clone(), (src, rendered));
    }
}

/// Everything an `@/` link can resolve to; when it changes, every body is rendered again.
fn links_key(
    by_file: &HashMap<String, usize>,
    entries: &[Arc<Entry>],
    sections: &HashMap<String, usize>,
    failed: &std::collections::HashSet<&str>,
) -> u64 {
    let mut files: Vec<(&str, &str)> = by_file
        .iter()
        .map(|(f, &i)| (f.as_str(), entries[i].id.as_str()))
        .collect();
    files.sort_unstable();
    let mut secs: Vec<&str> = sections.keys().map(String::as_str).collect();
    secs.sort_unstable();
    let mut failed: Vec<&str> = failed.iter().copied().collect();
    failed.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (files, secs, failed).hash(&mut h);
    h.finish()
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, path: &str) -> Option<(String, String)> {
        let path = path.trim_start_matches('/');
        if let Some(dir) = path.strip_suffix("_index.md") {
            let dir = dir.trim_end_matches('/');
            return self
                .sections
                .get(dir)
                .map(|&i| (String::new(), self.sec_nodes[i].url.clone()));
        }
        let key = path.strip_suffix(".md")?;
        if self.failed.contains(key) {
            return Some((String::new(), "#".into()));
        }
        self.by_file.get(key).map(|&i| {
            let id = match self.site_entries {
                Some(nodes) => &nodes[i].entry.id,
                None => &self.entries[i].id,
            };
            (id.clone(), format!("/{id}/"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_are_ascii_and_stable() {
        assert_eq!(tag_slug("COVID"), "covid");
        let s = tag_slug("教育");
        assert!(s.starts_with('t') && s.len() == 9, "{s}");
        assert_eq!(s, tag_slug("教育"));
        assert_ne!(s, tag_slug("医疗"));
    }
}
