//! The build engine: the one owner of a build, driven by `build`, `check`, `serve`,
//! `watch` (and, for the policy list, `cards`).
//!
//! It holds what lives between builds: the parsed content and rendered Markdown
//! (caches keyed by file), the theme and templates, the previous edition, and the last
//! good site with its shared template values. The stages, in order:
//!
//! 1. load ([`load`]): files → content model → site graph; theme, templates, previous
//!    edition; output-folder and privacy guards;
//! 2. shared values ([`crate::values`]), then the renderers: HTML pages, feeds and
//!    static files ([`crate::html`]), the search index ([`crate::search`]), print
//!    ([`crate::print`]);
//! 3. the sink ([`crate::output`]): a staging folder swapped in whole, nothing for
//!    `check`, or the live output folder.
//!
//! Two entry points: [`Engine::build`] / [`Engine::check`], a full build ([`full`]),
//! and [`Engine::apply`], a set of changed paths applied to the last good site
//! ([`incremental`]). Either all of a build or change reaches the output, or none.

mod change;
mod full;
mod incremental;
mod indexer;
mod load;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, Instant};

pub(crate) use change::{Change, Done, Outcome, PrintJob};

use crate::content;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::{InPlace, NullSink, Remembering, Sink, Staging};
use crate::print;
use crate::site::{RenderCache, Site};
use crate::values::{EntryHashes, PrintLinks, Values};
use full::SearchMode;
use indexer::IndexJob;
use load::Look;

/// Up to this many entries, a build with the last handbook's record prints its handbook
/// while the pages and the search index are still being made (both in memory at once).
/// After one edit at 1,000 entries the pages leave a core idle: 173 -> 158 ms; at 3,000
/// and 10,000 they do not, and starting early gained nothing (and took 10-25 MB more).
const HANDBOOK_BESIDE_PAGES: usize = 3_000;

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub root: PathBuf,
    /// Output folder; `None`: the site's `output_dir` under the root.
    pub output: Option<PathBuf>,
    /// Skip print output (cards, handbook) for this build.
    pub no_print: bool,
    /// Skip the search index and page for this build.
    pub no_search: bool,
    /// Warnings are errors: the build renders (once) but does not swap its output in.
    pub strict: bool,
    /// `--large-print`: the 大字版 of the cards whatever site.toml says.
    pub large_print: bool,
}

impl Options {
    pub(crate) fn new(root: &Path) -> Options {
        Options {
            root: root.to_path_buf(),
            output: None,
            no_print: false,
            no_search: false,
            strict: false,
            large_print: false,
        }
    }
}

/// What a full build did.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub output: PathBuf,
    pub pages: usize,
    pub static_files: usize,
    pub bytes: u64,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    pub print: Option<print::run::Report>,
    /// Search index size in bytes and files.
    pub search: (u64, usize),
    /// Entries indexed again when the index kept from the last build was brought up to
    /// date (`None`: every entry was indexed).
    pub search_reindexed: Option<usize>,
}

/// The last good site and what its rendering left for the next change.
pub(crate) struct Last {
    site: Arc<Site>,
    values: Values,
    pages: HashSet<String>,
    statics: HashSet<String>,
}

pub(crate) struct Engine {
    opts: Options,
    files: content::Cache,
    renders: RenderCache,
    look: Option<Look>,
    last: Option<Last>,
    out: Option<PathBuf>,
    sink: Option<Arc<InPlace>>,
    /// The previous edition (`[edition]`) by name, loaded once.
    previous: Option<(String, Arc<Site>)>,
    /// The search index worker of `serve`/`watch`, started with the first change.
    indexer: Option<Sender<IndexJob>>,
    /// How long each stage of the last full build took, failed or not.
    timings: Vec<(&'static str, Duration)>,
}

impl Engine {
    pub(crate) fn new(opts: Options) -> Engine {
        Engine {
            opts,
            files: content::Cache::default(),
            renders: RenderCache::default(),
            look: None,
            last: None,
            out: None,
            sink: None,
            previous: None,
            indexer: None,
            timings: Vec::new(),
        }
    }

    /// How long each stage of the last [`Engine::build`] or [`Engine::check`] took
    /// (`--timings`), print stages included; also after a failed or `--strict` build.
    pub(crate) fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }

    fn keep_timings(&mut self, report: &Report) {
        let print = report.print.iter().flat_map(|p| p.timings.iter());
        self.timings = report.timings.iter().chain(print).copied().collect();
    }

    /// The handbook folder.
    pub(crate) fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The output folder (known after the first successful load).
    pub(crate) fn output(&self) -> Option<&Path> {
        self.out.as_deref()
    }

    /// The live output writer of `serve`/`watch`, shared with the print worker.
    pub(crate) fn sink(&self) -> Option<Arc<InPlace>> {
        self.sink.clone()
    }

    fn printing(&self, site: &Site) -> bool {
        !self.opts.no_print && site.config.print.enabled
    }

    fn searching(&self, site: &Site) -> bool {
        !self.opts.no_search && site.config.search.enabled
    }

    fn search_mode(&self, site: &Site, on: SearchMode) -> SearchMode {
        if self.searching(site) {
            on
        } else {
            SearchMode::Off
        }
    }

    fn print_links(&self, site: &Site) -> PrintLinks {
        if self.printing(site) {
            print::run::links(site)
        } else {
            PrintLinks::default()
        }
    }

    /// A full build, staged beside the output folder and swapped in only when all of
    /// it succeeded (and, with `strict`, gave no warning).
    pub(crate) fn build(&mut self) -> Result<Report, Vec<Diagnostic>> {
        self.full(true)
    }

    /// Everything a build checks and renders, written nowhere.
    pub(crate) fn check(&mut self) -> Result<Report, Vec<Diagnostic>> {
        self.full(false)
    }

    fn full(&mut self, publish: bool) -> Result<Report, Vec<Diagnostic>> {
        let mut report = Report::default();
        let done = self.full_into(publish, &mut report);
        self.keep_timings(&report);
        done.map(|()| report)
    }

    fn full_into(&mut self, publish: bool, report: &mut Report) -> Result<(), Vec<Diagnostic>> {
        // What the last build rendered, read back; a build is the engine's only one.
        self.renders = RenderCache::on_disk(&self.opts.root);
        // The other caches the last build saved, read while the content loads.
        let root = self.opts.root.clone();
        let caches = std::thread::spawn(move || {
            (
                crate::print::cache::CardCache::open(&root, publish),
                crate::html::keys::PageKeys::open(&root),
                crate::search::KeptIndex::open(&root),
            )
        });
        let early = (!self.opts.no_print)
            .then(|| crate::print::run::Early::start(&self.opts.root, self.opts.large_print));
        let (mut site, mut look) = self.load(&mut report.timings)?;
        report.warnings = site.warnings();
        // `check` refuses what `build` would refuse.
        let out = self.guard(&site)?;
        let staging = match publish {
            true => Some(Staging::new(&out).map_err(|e| {
                vec![
                    Diagnostic::error(tr!("write-build-folder", dir = out.display(), error = e))
                        .with_hint(tr!("write-build-folder-hint")),
                ]
            })?),
            false => None,
        };
        let nowhere = NullSink::default();
        let sink: &dyn Sink = match &staging {
            Some(s) => s,
            None => &nowhere,
        };
        let search_mode = self.search_mode(&site, SearchMode::Once);
        let searching = !matches!(search_mode, SearchMode::Off);
        // `check` reads the card cache and the page keys too (an unchanged page renders
        // as it did) but never writes them; a build saves them only when everything
        // succeeded.
        let (cache, mut keys, mut kept) = caches
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let mut cache = self.printing(&site).then_some(cache);
        // With the last handbook's record, print is mostly one thread copying and
        // laying out what changed: it runs beside the pages and the search index
        // instead of after them. Without it (a first build) every part keeps both cores
        // busy and the rendered bodies are let go before print, for memory.
        let beside = cache.as_ref().is_some_and(|c| c.has_book());
        let links = self.print_links(&site);
        let mut renders = std::mem::take(&mut self.renders);
        let Look { theme, templates } = &mut look;
        // Made once for the pages and for print; so are the entries' hashes their keys
        // start from (by whichever needs them first).
        let values = crate::values::build(&site, &links, searching);
        let print_values = values.for_print();
        let hashes = EntryHashes::default();
        let early = std::sync::Mutex::new(early);
        let print = |site: &Site,
                     cache: Option<&mut crate::print::cache::CardCache>,
                     before_handbook: &(dyn Fn() + Sync)| {
            let Some(cache) = cache else { return Ok(None) };
            let t = Instant::now();
            let r = crate::print::run::run_then(
                site,
                theme,
                sink,
                cache,
                (&print_values, &hashes),
                early.lock().ok().and_then(|mut e| e.take()),
                before_handbook,
            )?;
            Ok(Some((r, t.elapsed())))
        };
        let pages = |site: &Site, report: &mut Report| {
            full::pages(
                site,
                theme,
                templates,
                links,
                values,
                sink,
                searching,
                Some((&mut keys, &hashes)),
                report,
            )
            .map(|_| ())
        };
        let printed = if beside {
            // The handbook waits for the pages and the search index to be done (their
            // memory freed): the two at once were 2.1 GB at 30,000 entries. A smaller
            // book starts at once, in the time the pages leave a core idle.
            let wait_for_web = site.entries.len() > HANDBOOK_BESIDE_PAGES;
            let (web_done, web_waited) = std::sync::mpsc::channel::<()>();
            let web_waited = std::sync::Mutex::new(web_waited);
            std::thread::scope(|scope| {
                let printing = scope.spawn(|| {
                    let wait = || {
                        if wait_for_web {
                            let _ = web_waited.lock().unwrap().recv();
                        }
                    };
                    print(&site, cache.as_mut(), &wait)
                });
                let web = || {
                    pages(&site, report).and_then(|()| {
                        renders.forget_bodies();
                        full::search(&site, sink, search_mode, Some(&mut kept), report)
                    })
                };
                // Threads of their own, beside print's: see [`crate::platform::own_pool`].
                let web = match crate::platform::own_pool("web") {
                    Some(pool) => pool.install(web),
                    None => web(),
                };
                // Sent or not (an error), the handbook goes on.
                drop(web_done);
                let printed = printing
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                match (web, printed) {
                    (Ok(_), printed) => printed,
                    (Err(mut d), Err(p)) => {
                        d.extend(p);
                        Err(d)
                    }
                    (Err(d), Ok(_)) => Err(d),
                }
            })?
        } else {
            pages(&site, report)?;
            // What is written needs no keeping: of the rendered bodies, search needs
            // the text and print nothing (here or in the render cache: a build is the
            // engine's only one). At 30,000 entries the HTML alone is 400 MB.
            renders.forget_bodies();
            site.forget_pages();
            crate::platform::release_free_memory();
            full::search(&site, sink, search_mode, Some(&mut kept), report)?;
            if cache.is_some() {
                site.forget_rendered();
                crate::platform::release_free_memory();
            }
            print(&site, cache.as_mut(), &|| {})?
        };
        if let Some((r, took)) = printed {
            report.print = Some(r);
            report.timings.push(("print", took));
            report.bytes = sink.bytes();
        }
        let Some(staging) = staging else {
            return Ok(());
        };
        if self.opts.strict && !report.warnings.is_empty() {
            // Dropping the staging folder leaves the previous output as it was.
            return Err(std::mem::take(&mut report.warnings)
                .into_iter()
                .map(|mut d| {
                    d.severity = Severity::Error;
                    d
                })
                .collect());
        }
        let t = Instant::now();
        staging.commit().map_err(|e| {
            vec![
                Diagnostic::error(tr!("write-move-site", dir = out.display(), error = e))
                    .with_hint(tr!("write-move-site-hint")),
            ]
        })?;
        report.timings.push(("swap", t.elapsed()));
        let t = Instant::now();
        // Four files of their own, each serialised and written aside, then renamed:
        // side by side (one after another they were 0.1 s at 30,000 entries).
        std::thread::scope(|scope| {
            if let Some(cache) = cache {
                scope.spawn(move || cache.save());
            }
            scope.spawn(move || keys.save());
            scope.spawn(move || kept.save());
            renders.save();
        });
        report.timings.push(("save", t.elapsed()));
        report.output = out;
        // Freeing the site (every entry, its values, its blocks) took a tenth of a
        // second at 10,000 entries on the thread that reports and ends the command.
        std::thread::spawn(move || drop((site, look)));
        Ok(())
    }

    /// The site and its theme, loaded and checked as a build loads them, for `cards`,
    /// which prints household cards from the handbook's policies.
    pub(crate) fn load_site(&mut self) -> Result<(Site, crate::theme::Theme), Vec<Diagnostic>> {
        let (site, look) = self.load(&mut Vec::new())?;
        Ok((site, look.theme))
    }

    /// Applies `change` (the first call: a full build, swapped in like `build`).
    /// `pages_done` runs as soon as the pages are on disk, before the feeds, search
    /// index and static files (so a browser reloads without waiting). On error nothing
    /// in the output was changed and the last good site stays.
    pub(crate) fn apply(
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
        let mut timings = Vec::new();
        let (site, mut look) = self.load(&mut timings)?;
        lap("load", start);
        let out = match self.guard(&site) {
            Ok(out) => out,
            Err(d) => {
                self.look = Some(look);
                return Err(d);
            }
        };
        if self.out.as_ref().is_some_and(|o| *o != out) {
            // The output folder moved (site.toml): start there afresh.
            self.last = None;
        }
        let links = self.print_links(&site);
        let printing = self.printing(&site);
        let mut outcome = Outcome {
            warnings: site.warnings(),
            ..Outcome::default()
        };
        let site = Arc::new(site);
        let result = match (&self.last, &self.sink) {
            (Some(last), Some(sink)) => incremental::again(
                &site,
                &mut look,
                links.clone(),
                self.searching(&site),
                last,
                sink,
                change,
                &mut outcome,
                start,
                pages_done,
            ),
            _ => self
                .first(&site, &mut look, links.clone(), &out, &mut outcome)
                .map(|r| (r.values, r.pages, r.statics, None)),
        };
        let theme = look.theme.clone();
        self.look = Some(look);
        let was_first = self.last.is_none();
        let (values, pages, statics, dirty) = result?;
        // Everything prints again: the cards of the few entries edited go first (when
        // most changed, as after a site.toml edit, the whole print is the quickest).
        let first: Vec<String> = match (&self.last, &dirty) {
            (Some(last), None) if printing => {
                let changed = incremental::changed_entries(&last.site, &site);
                changed
                    .into_iter()
                    .map(|i| site.entries[i].entry.id.clone())
                    .collect()
            }
            _ => Vec::new(),
        };
        let first = if first.len() > FIRST_CARDS {
            Vec::new()
        } else {
            first
        };
        if !was_first && let Some(sink) = self.sink.clone() {
            if self.searching(&site) {
                self.index(IndexJob::Site(site.clone(), sink));
            } else {
                // Search turned off in site.toml while serving: its files go too.
                for file in sink.files_under("search/") {
                    let _ = sink.remove(&file);
                }
            }
        }
        self.last = Some(Last {
            site: site.clone(),
            values,
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
            first,
            site,
            theme,
        });
        Ok((outcome, job))
    }

    /// The first build of `serve`/`watch`: staged and swapped in like `build`, its
    /// files remembered so later changes write only what differs; print follows aside.
    fn first(
        &mut self,
        site: &Site,
        look: &mut Look,
        links: PrintLinks,
        out: &Path,
        outcome: &mut Outcome,
    ) -> Result<full::Rendered, Vec<Diagnostic>> {
        let memory = InPlace::new(out);
        let staging = Staging::new(out).map_err(|e| {
            vec![
                Diagnostic::error(tr!("write-build-folder", dir = out.display(), error = e))
                    .with_hint(tr!("write-build-folder-hint")),
            ]
        })?;
        let sink = Remembering {
            inner: &staging,
            memory: &memory,
        };
        let mut report = Report::default();
        let mut rendered = full::render(
            site,
            look,
            links,
            &sink,
            self.search_mode(site, SearchMode::Live),
            &mut report,
        )?;
        let replaced = staging.commit_keeping_old().map_err(|e| {
            vec![
                Diagnostic::error(tr!("write-move-site", dir = out.display(), error = e))
                    .with_hint(tr!("write-move-site-hint")),
            ]
        })?;
        if let Some(old) = replaced {
            // Deleting 10,000 old pages takes seconds: the preview need not wait for it.
            std::thread::spawn(move || {
                crate::platform::idle_priority();
                std::fs::remove_dir_all(old)
            });
        }
        outcome.rendered = report.pages;
        outcome.written = report.pages;
        outcome.full = true;
        self.sink = Some(Arc::new(memory));
        if let Some(index) = rendered.index.take() {
            self.index(IndexJob::Seed(index));
        }
        Ok(rendered)
    }

    /// Hands work to the search index worker, starting it the first time.
    fn index(&mut self, job: IndexJob) {
        let tx = self.indexer.get_or_insert_with(|| {
            let (tx, jobs) = channel();
            std::thread::spawn(move || indexer::worker(&jobs));
            tx
        });
        let _ = tx.send(job);
    }
}

/// At most this many edited entries get their cards printed before a whole print.
const FIRST_CARDS: usize = 64;

/// With `MINGBAI_TIMINGS` set, how long a rebuild took to reach `what`.
pub(crate) fn lap(what: &str, start: Instant) {
    if std::env::var_os("MINGBAI_TIMINGS").is_some() {
        eprintln!(
            "  {what:<10} {:>8.1} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
