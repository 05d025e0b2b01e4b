//! Rebuilds for `mingbai serve` and `mingbai watch`. The parsed content, the rendered
//! Markdown and the last good site are kept between saves, so a save re-reads one file,
//! renders the pages that file changes and writes only output files whose bytes differ.
//!
//! Which pages a change touches follows from how page contexts are built
//! (`html::context`): every page sees the site-wide values (chapters, every entry's
//! summary, tags); an entry's page adds its own body and its neighbours (prev/next,
//! citing FAQs, cited policies). So when the site-wide values are unchanged, only entry
//! pages whose own inputs changed are rendered again; otherwise every page is, and the
//! unchanged ones are still not written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tera::Value;

use crate::build;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::html::{self, Page, Renderer, context::PrintLinks};
use crate::output::{InPlace, Remembering, Sink, Staging};
use crate::print;
use crate::site::{RenderCache, Site};
use crate::templates::Templates;
use crate::theme::Theme;

/// What changed on disk since the last rebuild, relative to the site root.
#[derive(Debug, Default, Clone)]
pub struct Change {
    /// Files under content/ that were created, modified or removed.
    pub content: Vec<PathBuf>,
    /// site.toml
    pub config: bool,
    /// Templates, print templates or other theme files.
    pub look: bool,
    /// static/ files (the site's or the theme's).
    pub statics: bool,
    /// Something we cannot place: start over.
    pub everything: bool,
}

impl Change {
    pub fn everything() -> Change {
        Change {
            everything: true,
            ..Change::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.config && !self.look && !self.statics && !self.everything
    }

    pub fn merge(&mut self, other: Change) {
        for p in other.content {
            if !self.content.contains(&p) {
                self.content.push(p);
            }
        }
        self.config |= other.config;
        self.look |= other.look;
        self.statics |= other.statics;
        self.everything |= other.everything;
    }
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Pages rendered (written or found unchanged).
    pub rendered: usize,
    /// Output files written (pages, feeds, search shards, static files).
    pub written: usize,
    pub removed: usize,
    pub full: bool,
    pub warnings: Vec<Diagnostic>,
    /// Time until the pages were on disk (what an editor waits for).
    pub pages_after: Duration,
    pub elapsed: Duration,
}

/// Cards to print again after a rebuild, done aside so they never hold back the pages.
pub struct PrintJob {
    pub site: Arc<Site>,
    pub theme: Theme,
    /// Entry ids whose cards may have changed; `None`: everything (cards, sheets,
    /// handbook).
    pub ids: Option<Vec<String>>,
}

struct Look {
    theme: Theme,
    templates: Templates,
}

struct Last {
    site: Arc<Site>,
    globals: Vec<(&'static str, Value)>,
    /// Output files of pages, to remove those of pages that are gone.
    pages: HashSet<String>,
}

pub struct Dev {
    opts: build::Options,
    files: content::Cache,
    renders: RenderCache,
    look: Option<Look>,
    last: Option<Last>,
    out: Option<PathBuf>,
    sink: Option<Arc<InPlace>>,
}

impl Dev {
    pub fn new(opts: build::Options) -> Dev {
        Dev {
            opts,
            files: content::Cache::default(),
            renders: RenderCache::default(),
            look: None,
            last: None,
            out: None,
            sink: None,
        }
    }

    /// The output folder (known after the first successful load).
    pub fn output(&self) -> Option<&Path> {
        self.out.as_deref()
    }

    /// The live output writer, shared with the print worker.
    pub fn sink(&self) -> Option<Arc<InPlace>> {
        self.sink.clone()
    }

    /// Applies `change`. `pages_done` runs as soon as the pages are on disk, before the
    /// feeds, search index and static files (so a browser reloads without waiting).
    /// On error nothing in the output was changed.
    pub fn rebuild(
        &mut self,
        change: &Change,
        pages_done: &mut dyn FnMut(&Outcome),
    ) -> Result<(Outcome, Option<PrintJob>), Vec<Diagnostic>> {
        let start = Instant::now();
        let root = self.opts.root.clone();
        if change.everything {
            self.files = content::Cache::default();
            self.renders = RenderCache::default();
        } else if !change.content.is_empty() && !self.files.invalidate(&root, &change.content) {
            self.renders = RenderCache::default();
        }
        if change.everything || change.look || change.config {
            self.look = None;
        }
        let site = Site::load_cached(&root, &mut self.files, &mut self.renders);
        let look = match self.look.take() {
            Some(l) => Ok(l),
            None => load_look(&root, site.as_ref().ok()),
        };
        let (site, mut look): (Site, Look) = match (site, look) {
            (Ok(s), Ok(l)) => (s, l),
            (s, l) => {
                let mut d = s.err().unwrap_or_default();
                d.extend(l.err().unwrap_or_default());
                return Err(d);
            }
        };
        let out = build::output_dir(&self.opts, &site);
        let cards_out = root.join(&site.config.cards.output);
        if let Some(d) = crate::cmd::cards::inside_public_dir(&out, &cards_out) {
            self.look = Some(look);
            return Err(vec![d.in_file("site.toml", 1, 1)]);
        }
        if self.out.as_ref().is_some_and(|o| *o != out) {
            // The output folder moved (site.toml): start there afresh.
            self.last = None;
        }
        let printing = !self.opts.no_print && site.config.print.enabled;
        let links = if printing {
            print::run::links(&site)
        } else {
            PrintLinks::default()
        };
        let mut outcome = Outcome {
            warnings: site.warnings(),
            ..Outcome::default()
        };
        let site = Arc::new(site);
        let Look { theme, templates } = &mut look;
        let renderer = Renderer::new(
            &site,
            templates,
            html::Options {
                print: links,
                search: true,
            },
        );
        let result = match (&self.last, &self.sink) {
            (Some(last), Some(sink)) => again(
                &renderer,
                theme,
                last,
                sink,
                change,
                &mut outcome,
                start,
                pages_done,
            ),
            _ => first(&renderer, theme, &out, &mut outcome).map(|(sink, rest)| {
                self.sink = Some(Arc::new(sink));
                rest
            }),
        };
        drop(renderer);
        let theme = look.theme.clone();
        self.look = Some(look);
        let (globals, pages, dirty) = result?;
        self.last = Some(Last {
            site: site.clone(),
            globals,
            pages,
        });
        self.out = Some(out);
        outcome.elapsed = start.elapsed();
        let job = printing.then(|| PrintJob {
            ids: dirty.map(|d| {
                d.into_iter()
                    .map(|i| site.entries[i].entry.id.clone())
                    .collect()
            }),
            site,
            theme,
        });
        Ok((outcome, job))
    }
}

/// What a rebuild leaves for the next: the site-wide values, the page files, and the
/// entries whose pages changed (`None`: possibly all).
type Rendered = (
    Vec<(&'static str, Value)>,
    HashSet<String>,
    Option<Vec<usize>>,
);

/// The first build: everything, staged aside and swapped in like `mingbai build`.
fn first(
    renderer: &Renderer,
    theme: &Theme,
    out: &Path,
    outcome: &mut Outcome,
) -> Result<(InPlace, Rendered), Vec<Diagnostic>> {
    let memory = InPlace::new(out);
    let staging = Staging::new(out).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot create a build folder beside {}: {e}",
            out.display()
        ))]
    })?;
    let sink = Remembering {
        inner: &staging,
        memory: &memory,
    };
    let pages = renderer.all_pages();
    let (n, errors) = renderer.write_pages(&pages, &sink);
    if !errors.is_empty() {
        return Err(errors);
    }
    write_rest(renderer, theme, &sink, true, true)?;
    staging.commit().map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot move the new site into {}: {e}",
            out.display()
        ))]
    })?;
    outcome.rendered = n;
    outcome.written = n;
    outcome.full = true;
    let files = pages.iter().map(|&p| renderer.file(p)).collect();
    Ok((memory, (renderer.globals().to_vec(), files, None)))
}

/// A later build: only what changed, written in place.
#[allow(clippy::too_many_arguments)]
fn again(
    renderer: &Renderer,
    theme: &Theme,
    last: &Last,
    sink: &InPlace,
    change: &Change,
    outcome: &mut Outcome,
    start: Instant,
    pages_done: &mut dyn FnMut(&Outcome),
) -> Result<Rendered, Vec<Diagnostic>> {
    let site = renderer.site();
    let sections_changed = change
        .content
        .iter()
        .any(|p| p.file_name().is_some_and(|n| n == "_index.md"));
    let full = change.everything
        || change.look
        || change.config
        || sections_changed
        || renderer.globals() != last.globals.as_slice();
    let pages = renderer.all_pages();
    let dirty = (!full).then(|| changed_entries(&last.site, site));
    let todo: Vec<Page> = match &dirty {
        None => pages.clone(),
        Some(d) => d.iter().map(|&i| Page::Entry(i)).collect(),
    };
    let (n, errors) = renderer.write_pages(&todo, sink);
    if !errors.is_empty() {
        return Err(errors);
    }
    let files: HashSet<String> = pages.iter().map(|&p| renderer.file(p)).collect();
    let mut removed = 0;
    for gone in last.pages.difference(&files) {
        if sink.remove(gone).is_ok() {
            removed += 1;
        }
    }
    outcome.rendered = n;
    outcome.full = full;
    outcome.removed = removed;
    outcome.written = sink.take_written();
    outcome.pages_after = start.elapsed();
    pages_done(outcome);
    let statics = full || change.statics;
    write_rest(
        renderer,
        theme,
        sink,
        statics,
        !change.content.is_empty() || full,
    )?;
    outcome.written += sink.take_written();
    Ok((renderer.globals().to_vec(), files, dirty))
}

fn load_look(root: &Path, site: Option<&Site>) -> Result<Look, Vec<Diagnostic>> {
    let name = site.map_or("default", |s| s.config.theme.as_str());
    let theme = Theme::resolve(root, name).map_err(|d| vec![d])?;
    let templates = Templates::load(&theme, "templates")?;
    Ok(Look { theme, templates })
}

/// Feeds, static files and the search index.
fn write_rest(
    renderer: &Renderer,
    theme: &Theme,
    sink: &dyn Sink,
    statics: bool,
    content: bool,
) -> Result<(), Vec<Diagnostic>> {
    let site = renderer.site();
    if content {
        renderer
            .write_feeds(sink)
            .map_err(|e| vec![Diagnostic::error(format!("cannot write feeds: {e}"))])?;
        crate::search::Index::build(crate::search::docs(site))
            .write(sink)
            .map_err(|e| {
                vec![Diagnostic::error(format!(
                    "cannot write the search index: {e}"
                ))]
            })?;
    }
    if statics {
        html::copy_static(site, theme, sink).map_err(|d| vec![d])?;
    }
    Ok(())
}

fn one(site: &Site, i: Option<usize>) -> Option<&str> {
    i.map(|i| site.entries[i].entry.id.as_str())
}

/// Entries whose page shows something different from the last build: their own file
/// or body changed, or one of their neighbours is another entry now.
fn changed_entries(old: &Site, new: &Site) -> Vec<usize> {
    let old_index: HashMap<&str, usize> = old
        .entries
        .iter()
        .enumerate()
        .map(|(i, n)| (n.entry.id.as_str(), i))
        .collect();
    let ids = |site: &Site, list: &[usize]| -> Vec<String> {
        list.iter()
            .map(|&i| site.entries[i].entry.id.clone())
            .collect()
    };
    new.entries
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            let Some(&j) = old_index.get(n.entry.id.as_str()) else {
                return true;
            };
            let o = &old.entries[j];
            !Arc::ptr_eq(&o.entry, &n.entry)
                || !Arc::ptr_eq(&o.rendered, &n.rendered)
                || o.url != n.url
                || o.expired != n.expired
                || one(old, o.prev) != one(new, n.prev)
                || one(old, o.next) != one(new, n.next)
                || ids(old, &o.cites) != ids(new, &n.cites)
                || ids(old, &o.cited_by) != ids(new, &n.cited_by)
                || old.sections[o.section].section.path != new.sections[n.section].section.path
        })
        .map(|(i, _)| i)
        .collect()
}
