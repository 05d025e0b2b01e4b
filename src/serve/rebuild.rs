//! Rebuilds for `mingbai serve` and `mingbai watch`. The parsed content, the rendered
//! Markdown and the last good site are kept between saves, so a save re-reads one file,
//! renders the pages that file changes and writes only output files whose bytes differ.
//!
//! Which pages a change touches follows from how page contexts are built
//! (`crate::values`): every page sees the site-wide values (chapters, every entry's
//! summary, tags); an entry's page adds its own body and its neighbours (prev/next,
//! citing FAQs, cited policies). So when the site-wide values are unchanged, only entry
//! pages whose own inputs changed are rendered again; otherwise every page is, and the
//! unchanged ones are still not written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::build;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::html::{self, Page, Renderer};
use crate::output::{Deferred, InPlace, Remembering, Sink, Staging};
use crate::print;
use crate::search::{self, LiveIndex};
use crate::site::{RenderCache, Site};
use crate::templates::Templates;
use crate::theme::Theme;
use crate::values::{PrintLinks, Values};

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

/// A rebuild's report, and the cards to print after it.
pub type Done = (Outcome, Option<PrintJob>);

struct Look {
    theme: Theme,
    templates: Templates,
}

struct Last {
    site: Arc<Site>,
    values: Values,
    print: PrintLinks,
    /// Output files of pages, to remove those of pages that are gone.
    pages: HashSet<String>,
    /// Static files copied, to remove those deleted from static/ or content/.
    statics: HashSet<String>,
}

pub struct Dev {
    opts: build::Options,
    files: content::Cache,
    renders: RenderCache,
    look: Option<Look>,
    last: Option<Last>,
    out: Option<PathBuf>,
    sink: Option<Arc<InPlace>>,
    /// The previous edition (`[edition]`), loaded once: it does not change while the
    /// new one is edited.
    previous: Option<(String, Arc<Site>)>,
    /// The search index is updated aside, after the pages.
    search: Sender<SearchJob>,
}

impl Dev {
    pub fn new(opts: build::Options) -> Dev {
        let (search, jobs) = channel();
        std::thread::spawn(move || search_worker(&jobs));
        Dev {
            opts,
            files: content::Cache::default(),
            renders: RenderCache::default(),
            look: None,
            last: None,
            out: None,
            sink: None,
            previous: None,
            search,
        }
    }

    /// The handbook folder.
    pub fn root(&self) -> &Path {
        &self.opts.root
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
    ) -> Result<Done, Vec<Diagnostic>> {
        let start = Instant::now();
        if let Some(done) = self.body_only(change, start, pages_done) {
            return done;
        }
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
        let site = Site::load_cached(&root, &mut self.files, &mut self.renders)
            .and_then(|s| self.with_revision(s));
        lap("load", start);
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
        // As in `build`: a page that would land on a static file.
        let statics = build::static_collisions(&site, &look.theme);
        if !statics.is_empty() {
            self.look = Some(look);
            return Err(statics);
        }
        let out = build::output_dir(&self.opts, &site);
        if let Err(d) = build::check_output(&self.opts, &site, &out) {
            self.look = Some(look);
            return Err(d);
        }
        let cards_out = root.join(&site.config.cards.output);
        if let Some(d) = crate::guard::cards_setting(&root, &out, &cards_out) {
            self.look = Some(look);
            return Err(vec![d]);
        }
        if self.out.as_ref().is_some_and(|o| *o != out) {
            // The output folder moved (site.toml): start there afresh.
            self.last = None;
        }
        let printing = !self.opts.no_print && site.config.print.enabled;
        let print_links = if printing {
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
                print: print_links.clone(),
                search: true,
            },
        );
        lap("renderer", start);
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
            _ => first(&renderer, theme, &out, &mut outcome).map(|(sink, rest, index)| {
                self.sink = Some(Arc::new(sink));
                let _ = self.search.send(SearchJob::Seed(index));
                rest
            }),
        };
        drop(renderer);
        let theme = look.theme.clone();
        self.look = Some(look);
        let was_first = self.last.is_none();
        let (values, pages, statics, dirty) = result?;
        if let (Some(r), Some(sink), Some(look)) = (&site.revision, &self.sink, &self.look) {
            crate::edition::output::write_site(&site, &look.templates, r, &**sink)?;
        }
        if !was_first && let Some(sink) = &self.sink {
            let _ = self
                .search
                .send(SearchJob::Site(site.clone(), sink.clone()));
        }
        self.last = Some(Last {
            site: site.clone(),
            values,
            print: print_links,
            pages,
            statics,
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

impl Dev {
    /// Sets the comparison with the previous edition of `[edition]`, loading that
    /// edition only when it is first named (or renamed).
    fn with_revision(&mut self, mut site: Site) -> Result<Site, Vec<Diagnostic>> {
        let Some(prev) = site.config.edition.previous.clone() else {
            self.previous = None;
            return Ok(site);
        };
        if self.previous.as_ref().is_none_or(|(p, _)| *p != prev) {
            let old = crate::edition::load_side(&site.root, &prev)?;
            self.previous = Some((prev.clone(), Arc::new(old)));
        }
        if let Some((_, old)) = &self.previous {
            site.revision = Some(Arc::new(crate::edition::compare(old, &site, &prev)));
        }
        Ok(site)
    }
}

/// What a rebuild leaves for the next: the shared template values, the page files,
/// the static files, and the entries whose pages changed (`None`: possibly all).
type Rendered = (Values, HashSet<String>, HashSet<String>, Option<Vec<usize>>);

/// The first build: everything, staged aside and swapped in like `mingbai build`.
fn first(
    renderer: &Renderer,
    theme: &Theme,
    out: &Path,
    outcome: &mut Outcome,
) -> Result<(InPlace, Rendered, LiveIndex), Vec<Diagnostic>> {
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
    let statics = write_rest(renderer, theme, &sink, true, true)?.unwrap_or_default();
    let index = LiveIndex::new(search::docs(renderer.site()), &sink).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot write the search index: {e}"
        ))]
    })?;
    let replaced = staging.commit_keeping_old().map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot move the new site into {}: {e}",
            out.display()
        ))]
    })?;
    if let Some(old) = replaced {
        // Deleting 10,000 old pages takes seconds: the preview need not wait for it.
        std::thread::spawn(move || std::fs::remove_dir_all(old));
    }
    outcome.rendered = n;
    outcome.written = n;
    outcome.full = true;
    let files = pages.iter().map(|&p| renderer.file(p)).collect();
    Ok((
        memory,
        (renderer.values().clone(), files, statics, None),
        index,
    ))
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
        || renderer.globals() != last.values.global.as_slice();
    lap("globals", start);
    let pages = renderer.all_pages();
    let dirty = (!full).then(|| changed_entries(&last.site, site));
    lap("dirty", start);
    let todo: Vec<Page> = match &dirty {
        None => pages.clone(),
        Some(d) => d.iter().map(|&i| Page::Entry(i)).collect(),
    };
    // Everything this change writes is held until all of it rendered: a template
    // that fails for one page leaves the other pages as they were too.
    let held = Deferred::new(sink);
    let (n, errors) = renderer.write_pages(&todo, &held);
    if !errors.is_empty() {
        return Err(errors);
    }
    let files: HashSet<String> = pages.iter().map(|&p| renderer.file(p)).collect();
    // Files beside entries are copied like static/; a saved .md alone needs no copying.
    let assets_changed = change
        .content
        .iter()
        .any(|p| p.extension().is_none_or(|e| e != "md"));
    let copy_statics = full || change.statics || assets_changed;
    let now_statics = write_rest(
        renderer,
        theme,
        &held,
        copy_statics,
        !change.content.is_empty() || full,
    )?;
    held.commit()
        .map_err(|e| vec![Diagnostic::error(e.to_string())])?;
    let mut removed = 0;
    for gone in last.pages.difference(&files) {
        if sink.remove(gone).is_ok() {
            removed += 1;
        }
    }
    let statics = match now_statics {
        Some(now) => {
            // Deleted from static/ (or from beside an entry): no longer published.
            for gone in last.statics.difference(&now) {
                if !files.contains(gone) && sink.remove(gone).is_ok() {
                    removed += 1;
                }
            }
            now
        }
        None => last.statics.clone(),
    };
    outcome.rendered = n;
    outcome.full = full;
    outcome.removed = removed;
    outcome.written = sink.take_written();
    outcome.pages_after = start.elapsed();
    pages_done(outcome);
    Ok((renderer.values().clone(), files, statics, dirty))
}

pub fn lap(what: &str, start: Instant) {
    if std::env::var_os("MINGBAI_TIMINGS").is_some() {
        eprintln!(
            "  {what:<10} {:>8.1} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Work for the search worker.
enum SearchJob {
    /// The index a full build wrote: later sites update it.
    Seed(LiveIndex),
    /// A newer site, whose pages are out.
    Site(Arc<Site>, Arc<InPlace>),
}

/// Keeps the search index up to date after the pages are out, for the latest site
/// only: entries whose text changed are re-indexed and only the files they reach are
/// written; when entries were added, removed or reordered the index is rebuilt.
fn search_worker(jobs: &Receiver<SearchJob>) {
    let mut live: Option<LiveIndex> = None;
    while let Ok(job) = jobs.recv() {
        let mut latest = None;
        for job in std::iter::once(job).chain(jobs.try_iter()) {
            match job {
                SearchJob::Seed(index) => {
                    live = Some(index);
                    latest = None;
                }
                SearchJob::Site(site, sink) => latest = Some((site, sink)),
            }
        }
        let Some((site, sink)) = latest else {
            continue;
        };
        let start = Instant::now();
        let docs = search::docs(&site);
        let written = match live.as_mut() {
            Some(index) if index.fits(&docs) => index.update(docs, &*sink).map(|_| ()),
            _ => LiveIndex::new(docs, &*sink).map(|index| live = Some(index)),
        };
        if let Err(e) = written {
            eprintln!("cannot write the search index: {e}");
            live = None;
        } else if let Some(index) = &live {
            // Shards an index of another size had.
            let now: HashSet<String> = index.file_names().into_iter().collect();
            for stale in sink.files_under("search/") {
                if search::is_index_file(&stale) && !now.contains(&stale) {
                    let _ = sink.remove(&stale);
                }
            }
        }
        lap("search", start);
    }
}

impl Dev {
    /// The common case, fast: saved entries whose front matter is byte-for-byte what it
    /// was. Nothing site-wide can have changed (titles, summaries, tags, order all
    /// come from front matter), so only their own pages, cards and the search index
    /// change. `None` when the change is not of that kind.
    fn body_only(
        &mut self,
        change: &Change,
        start: Instant,
        pages_done: &mut dyn FnMut(&Outcome),
    ) -> Option<Result<Done, Vec<Diagnostic>>> {
        if change.everything || change.config || change.look || change.statics {
            return None;
        }
        let root = self.opts.root.clone();
        let last = self.last.as_ref()?;
        let sink = self.sink.clone()?;
        let mut targets = Vec::new();
        for rel in &change.content {
            if rel.file_name().is_some_and(|n| n == "_index.md")
                || rel.extension().is_none_or(|e| e != "md")
                || !root.join(rel).is_file()
            {
                return None;
            }
            let i = last
                .site
                .entries
                .iter()
                .position(|n| n.entry.src.path == *rel)?;
            targets.push((rel, i));
        }
        if targets.is_empty() {
            return None;
        }
        let mut diags = Vec::new();
        let mut updates = Vec::new();
        for (rel, i) in targets {
            match self.files.reparse(&root, rel) {
                Err(d) => diags.extend(d),
                Ok(e) => {
                    // The same refusal as a full build: no ID number is ever published.
                    let ids = crate::privacy::ids_in_source(&e.src);
                    if !ids.is_empty() {
                        diags.extend(ids);
                        continue;
                    }
                    let old = &last.site.entries[i].entry;
                    if old.src.text.get(..old.body_start) != e.src.text.get(..e.body_start) {
                        return None;
                    }
                    let (r, d) = last.site.render_body(&e);
                    if d.iter().any(Diagnostic::is_error) {
                        diags.extend(d);
                    } else {
                        updates.push((i, e, r));
                    }
                }
            }
        }
        if !diags.is_empty() {
            return Some(Err(diags));
        }
        lap("parsed", start);
        let last = self.last.as_mut()?;
        let site = Arc::make_mut(&mut last.site);
        let mut todo = Vec::new();
        for (i, e, r) in updates {
            let n = &mut site.entries[i];
            n.words = n.words - n.rendered.words + r.words;
            n.rendered = Arc::new(r);
            self.renders.remember(e.src.clone(), n.rendered.clone());
            n.entry = e;
            todo.push(i);
        }
        lap("patched", start);
        let look = self.look.as_ref()?;
        let renderer = Renderer::with_values(
            site,
            &look.templates,
            html::Options {
                print: last.print.clone(),
                search: true,
            },
            last.values.clone(),
        );
        let pages: Vec<Page> = todo.iter().map(|&i| Page::Entry(i)).collect();
        let held = Deferred::new(&sink);
        let (n, errors) = renderer.write_pages(&pages, &held);
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        if let Err(e) = held.commit() {
            return Some(Err(vec![Diagnostic::error(e.to_string())]));
        }
        let mut outcome = Outcome {
            rendered: n,
            written: sink.take_written(),
            pages_after: start.elapsed(),
            ..Outcome::default()
        };
        pages_done(&outcome);
        if let Err(e) = renderer.write_feeds(&*sink) {
            return Some(Err(vec![Diagnostic::error(format!(
                "cannot write feeds: {e}"
            ))]));
        }
        outcome.written += sink.take_written();
        let site = last.site.clone();
        let _ = self.search.send(SearchJob::Site(site.clone(), sink));
        outcome.elapsed = start.elapsed();
        let printing = !self.opts.no_print && site.config.print.enabled;
        let job = printing.then(|| PrintJob {
            ids: Some(
                todo.iter()
                    .map(|&i| site.entries[i].entry.id.clone())
                    .collect(),
            ),
            theme: look.theme.clone(),
            site,
        });
        Some(Ok((outcome, job)))
    }
}

fn load_look(root: &Path, site: Option<&Site>) -> Result<Look, Vec<Diagnostic>> {
    let name = site.map_or("default", |s| s.config.theme.as_str());
    let theme = Theme::resolve(root, name).map_err(|d| vec![d])?;
    let templates = Templates::load(&theme, "templates")?;
    Ok(Look { theme, templates })
}

/// Feeds and static files (the search index is the search worker's); the static
/// files' output paths when they were copied.
fn write_rest(
    renderer: &Renderer,
    theme: &Theme,
    sink: &dyn Sink,
    statics: bool,
    content: bool,
) -> Result<Option<HashSet<String>>, Vec<Diagnostic>> {
    let site = renderer.site();
    if content {
        renderer
            .write_feeds(sink)
            .map_err(|e| vec![Diagnostic::error(format!("cannot write feeds: {e}"))])?;
    }
    if statics {
        return Ok(Some(
            html::copy_static(site, theme, sink)?.into_iter().collect(),
        ));
    }
    Ok(None)
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
