//! The site graph: sections and entries linked together (URLs, order, prev/next, tags,
//! which FAQs cite which policy, `@/` links resolved), with the Markdown rendered.
//! Renderers (HTML, print, search) read this; nothing here writes files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::SiteConfig;
use crate::content::{self, Entry, Section};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
mod graph;
mod links;
mod memo;

pub(crate) use links::RenderCache;
pub(crate) use memo::parse as parse_remembered;

#[derive(Clone)]
pub(crate) struct SectionNode {
    pub section: Section,
    pub url: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Entries directly in this section, in reading order.
    pub entries: Vec<usize>,
    pub html: String,
}

#[derive(Clone)]
pub(crate) struct EntryNode {
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
pub(crate) struct TagNode {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub entries: Vec<usize>,
}

#[derive(Clone)]
pub(crate) struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// The home section is index 0; the rest in reading order (weight, then path).
    pub sections: Vec<SectionNode>,
    /// In reading order: section by section, then by weight within a section.
    pub entries: Vec<EntryNode>,
    pub by_id: HashMap<String, usize>,
    /// What `@/` links resolve to.
    pub(crate) links: Arc<links::LinkTable>,
    /// Sorted by name.
    pub tags: Vec<TagNode>,
    pub assets: Vec<PathBuf>,
    pub today: Date,
    /// Every policy's named figures (`[figures]`), for templates and the 口径 check.
    pub figures: Arc<crate::figures::Table>,
    /// What changed since the previous edition (`[edition]`), set by a full build.
    pub revision: Option<Arc<crate::edition::Revision>>,
}

/// Today's date; `MINGBAI_TODAY=2026-01-01` pins it (reproducible builds and tests).
pub(crate) fn today() -> Date {
    std::env::var("MINGBAI_TODAY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| jiff::Zoned::now().date())
}

impl Site {
    /// Loads `site.toml` and `content/`, links and renders everything. Errors from
    /// every stage that could run are returned together.
    pub(crate) fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
        Site::load_cached(
            root,
            &mut content::Cache::default(),
            &mut RenderCache::default(),
        )
    }

    /// [`Site::load`], re-reading and re-rendering only what the caches do not hold.
    pub(crate) fn load_cached(
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

    /// Renders the body of `e`, an edited version of one of this site's entries, with
    /// `@/` links resolved against this site (`mingbai serve`, when only a body changed).
    pub(crate) fn render_body(&self, e: &Entry) -> (Rendered, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let expanded = crate::figures::expand_entry(&self.figures, e, &mut d);
        let e = expanded.as_deref().unwrap_or(e);
        let r =
            crate::figures::render_located(&e.src, e.body(), e.body_start, &*self.links, &mut d);
        (r, d)
    }

    /// The cards' type size for this build (`--large-print` over site.toml).
    pub(crate) fn set_type_size(&mut self, size: crate::config::TypeSize) {
        self.config.print.type_size = size;
    }

    /// Keeps of every entry's rendered body only its text (for the search index) once
    /// the web pages are written (`build`, `check`: `serve` renders pages again).
    pub(crate) fn forget_pages(&mut self) {
        for n in &mut self.entries {
            n.rendered = Arc::new(n.rendered.without_html());
        }
    }

    /// Drops every entry's rendered body once the web pages and the search index are
    /// written: print reads the Markdown, and at 30,000 entries the rendered bodies
    /// hold 700 MB that print would otherwise sit on.
    pub(crate) fn forget_rendered(&mut self) {
        let empty = Arc::new(Rendered::default());
        for n in &mut self.entries {
            n.rendered = empty.clone();
        }
    }

    /// Sets what changed since the previous edition.
    pub(crate) fn set_revision(&mut self, revision: Arc<crate::edition::Revision>) {
        self.revision = Some(revision);
    }

    /// Replaces entry `i` with an edited version whose front matter is unchanged (so
    /// nothing site-wide moves) and its rendered body (`mingbai serve`); the old ones
    /// are returned, to be put back if the change fails.
    pub(crate) fn replace_body(
        &mut self,
        i: usize,
        entry: Arc<Entry>,
        rendered: Arc<Rendered>,
    ) -> (Arc<Entry>, Arc<Rendered>) {
        let n = &mut self.entries[i];
        n.words = n.words - n.rendered.words + rendered.words;
        (
            std::mem::replace(&mut n.entry, entry),
            std::mem::replace(&mut n.rendered, rendered),
        )
    }

    /// Top-level chapters (children of the home page), in order.
    pub(crate) fn chapters(&self) -> impl Iterator<Item = usize> + '_ {
        self.sections[0].children.iter().copied()
    }

    /// The chain of sections from the top chapter down to `s` (home excluded).
    pub(crate) fn ancestors(&self, mut s: usize) -> Vec<usize> {
        let mut out = Vec::new();
        while s != 0 {
            out.push(s);
            s = self.sections[s].parent.unwrap_or(0);
        }
        out.reverse();
        out
    }

    /// Warnings `check` reports: expired policies, stale reviews, FAQs citing nothing.
    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let max_age = self.config.check.review_max_age_months;
        out.extend(self.config.warnings.iter().cloned());
        // On both cores: the look at each body's lines is 20 ms at 10,000 entries.
        use rayon::prelude::*;
        out.par_extend(self.entries.par_iter().flat_map_iter(|n| {
            let e = &n.entry;
            crate::content::checks::entry_warnings(e, n.expired, self.today, max_age)
                .into_iter()
                .chain(crate::content::body_typos::check(&e.src, e.body_start))
        }));
        for s in &self.sections {
            if let Some(src) = &s.section.src {
                out.extend(crate::content::body_typos::check(src, s.section.body_start));
            }
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

/// A stable, ASCII URL slug for a tag that has none in `[tag_slugs]`: ASCII tags are
/// used as they are; others (Chinese) get a short hash, never a pinyin guess.
pub(crate) fn tag_slug(name: &str) -> String {
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

/// Copies the test site `good` into a folder of its own (for unit tests).
#[cfg(test)]
pub(crate) fn good_site() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let dir = tempfile::tempdir().unwrap();
    for item in walkdir::WalkDir::new(&from) {
        let item = item.unwrap();
        let to = dir.path().join(item.path().strip_prefix(&from).unwrap());
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(item.path(), &to).unwrap();
        }
    }
    dir
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
