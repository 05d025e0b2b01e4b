//! The print step of a build: which entries get cards, each card planned (`plan`) and
//! written, the imposed sheets (`sheets`) and the handbook, into the output.

use std::collections::HashSet;

use rayon::prelude::*;

use super::Engine;
use super::cache::{self, CardCache, Key};
use super::cards;
use super::handbook::Book;
use super::plan::{Planned, card_blocks, card_of, card_template, faces_of, lay_out, plan};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::site::Site;
use crate::theme::Theme;
use crate::typeset::pdf;
use crate::values::{self, PrintLinks};

#[derive(Debug, Default)]
pub(crate) struct Report {
    pub timings: Vec<(&'static str, std::time::Duration)>,
    pub cards: usize,
    pub sheets: usize,
    /// Cards whose content did not fit their front and continued on the back.
    pub with_back: Vec<String>,
    pub handbook_pages: usize,
    pub bytes: u64,
    /// Cards unchanged since the last build: taken from the card cache, not laid out.
    pub reused: usize,
    /// Handbook chapters unchanged since the last build: copied, not laid out.
    pub chapters_reused: usize,
    /// Handbook chapters laid out only from the first entries that changed, their
    /// pages before those copied from the last handbook.
    pub chapters_resumed: usize,
    /// Handbook chapters laid out only until their pages met the last handbook's
    /// again, the rest copied from it.
    pub chapters_rejoined: usize,
    /// Pages of the imposed sheets copied from the last build's (none of their cards
    /// changed).
    pub sheets_copied: usize,
}

/// Entries that get a card: `card = true`, and expired ones only when marked.
pub(crate) fn card_entries(site: &Site) -> Vec<usize> {
    let cfg = &site.config.print;
    if !cfg.enabled || !cfg.cards {
        return Vec::new();
    }
    site.entries
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.entry.card && !(n.expired && cfg.expired_cards == crate::config::ExpiredCards::Skip)
        })
        .map(|(i, _)| i)
        .collect()
}

/// What the web pages link to, known before anything is printed.
pub(crate) fn links(site: &Site) -> PrintLinks {
    let cfg = &site.config.print;
    let ids: HashSet<String> = card_entries(site)
        .into_iter()
        .map(|i| site.entries[i].entry.id.clone())
        .collect();
    PrintLinks {
        handbook: (cfg.enabled && cfg.handbook).then(|| super::paths::url(super::paths::HANDBOOK)),
        cards: (!ids.is_empty()).then(|| super::paths::url(super::paths::CARDS)),
        card_ids: ids,
    }
}

/// Prints `site` into `sink`: every card (those `cache` holds unchanged are carried
/// over), the imposed sheets and the handbook. The caller saves `cache` once the whole
/// build has succeeded.
pub(crate) fn run(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    cache: &mut CardCache,
) -> Result<Report, Vec<Diagnostic>> {
    let values = values::build(site, &links(site), false);
    let hashes = values::EntryHashes::default();
    run_then(site, theme, sink, cache, (&values, &hashes), None, &|| {})
}

/// The print engine (fonts, style, print templates) loaded on a thread of its own from
/// site.toml and the theme while the content loads: after one edit at 1,000 entries its
/// 5 ms were on the path of the handbook, which waited for it after the content.
pub(crate) struct Early(std::thread::JoinHandle<Option<(String, String, Engine)>>);

impl Early {
    /// Starts loading the engine of the site at `root` (`large_print`: as
    /// `--large-print` sets it).
    pub(crate) fn start(root: &std::path::Path, large_print: bool) -> Early {
        let root = root.to_path_buf();
        Early(std::thread::spawn(move || {
            let cfg = crate::config::SiteConfig::load(&root).ok()?;
            let mut print = cfg.print.clone();
            if !print.enabled || (!print.cards && !print.handbook) {
                return None;
            }
            if large_print {
                print.type_size = crate::config::TypeSize::Large;
            }
            let theme = Theme::resolve(&root, &cfg.theme).ok()?;
            let engine = Engine::load_with(&root, &print, &theme).ok()?;
            Some((format!("{print:?}"), cfg.theme, engine))
        }))
    }

    /// The engine, when it was loaded with the print settings and theme `site` has
    /// (site.toml may have changed in between); its errors are found again by
    /// [`Engine::load`].
    fn take(self, site: &Site) -> Option<Engine> {
        let (print, theme, engine) = self.0.join().ok()??;
        (print == format!("{:?}", site.config.print) && theme == site.config.theme)
            .then_some(engine)
    }
}

/// [`run`] with the build's shared values (as [`values::Values::for_print`] gives them,
/// from [`links`]) and their entries' hashes, calling `before_handbook` (which may
/// wait) before the handbook begins: a build running print beside its pages lets the
/// handbook, print's largest part in memory, wait until the pages let go of theirs.
///
/// With the last handbook's record (a rebuild) the handbook is mostly one thread
/// copying what did not change: it runs beside the cards instead of after them (at
/// 1,000 entries with one body edited, the cards were a fifth of print's time, with a
/// core to spare). A first build lays the cards out first and lets them go before the
/// handbook, for memory.
pub(crate) fn run_then(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    cache: &mut CardCache,
    (values, hashes): (&values::Values, &values::EntryHashes),
    early: Option<Early>,
    before_handbook: &(dyn Fn() + Sync),
) -> Result<Report, Vec<Diagnostic>> {
    let cfg = &site.config.print;
    let mut report = Report::default();
    if !cfg.enabled || (!cfg.cards && !cfg.handbook) {
        return Ok(report);
    }
    let t = std::time::Instant::now();
    let mut engine = match early.and_then(|e| e.take(site)) {
        Some(engine) => engine,
        None => Engine::load(site, theme)?,
    };
    let entries = card_entries(site);
    let all: Vec<usize> = if cfg.handbook {
        (0..site.entries.len()).collect()
    } else {
        entries.clone()
    };
    let style = theme.file("print/style.toml");
    let style = style.as_ref().map(|f| &f.bytes[..]);
    // The sources the last build found covered by these fonts are not looked through
    // again ([`super::covered`]). Recorded only when no system font had to be added: a
    // source that needed one is looked through again, to add it.
    let base = cache::setup_key(&engine.fonts, cfg, style);
    let faces = engine.fonts.faces.len();
    let known = super::covered::open(&site.root, base);
    let (missing, sums) = engine.check_coverage(site, &all, &known);
    if !missing.is_empty() {
        return Err(missing);
    }
    let setup = if engine.fonts.faces.len() == faces {
        cache.stage_covered(super::covered::record(base, &sums));
        base
    } else {
        cache::setup_key(&engine.fonts, cfg, style)
    };
    {
        let g = engine.templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
    }
    engine.subsets = super::subsets::open(&site.root, setup);
    let ids = pdf::font_names(&engine.fonts);
    let engine = &engine;
    report.timings.push(("load+check", t.elapsed()));

    let book = if cfg.handbook {
        cache.take_book()
    } else {
        None
    };
    let beside = book.is_some();
    let print = Print {
        site,
        engine,
        values,
        ids: &ids,
        sink,
        setup,
    };
    let handbook = |book: Option<Book>| {
        before_handbook();
        print.handbook(book)
    };
    let (cards, printed) = if beside {
        // Taken by the handbook's thread, or left for this one when the system gives
        // no thread.
        let slot = std::sync::Mutex::new(book);
        let take = || slot.lock().ok().and_then(|mut b| b.take());
        let handbook = &handbook;
        std::thread::scope(|s| {
            let job = std::thread::Builder::new()
                .stack_size(HANDBOOK_STACK)
                // On threads of its own: on the cards' pool its parallel steps waited
                // for theirs (see `platform::own_pool`).
                .spawn_scoped(s, move || match crate::platform::own_pool("handbook") {
                    Some(pool) => pool.install(|| handbook(take())),
                    None => handbook(take()),
                })
                .ok();
            let cards = print.cards(&entries, hashes, cache, &mut report);
            let printed = match job {
                Some(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                None => handbook(take()),
            };
            (cards, printed)
        })
    } else {
        print.cards(&entries, hashes, cache, &mut report)?;
        (
            Ok(()),
            if cfg.handbook {
                handbook(None)
            } else {
                Ok(None)
            },
        )
    };
    let printed = match (cards, printed) {
        (Ok(()), printed) => printed?,
        (Err(mut d), Err(more)) => {
            d.extend(more);
            return Err(d);
        }
        (Err(d), Ok(_)) => return Err(d),
    };
    if let Some(hb) = printed {
        report.handbook_pages = hb.pages;
        report.chapters_reused = hb.reused;
        report.chapters_resumed = hb.resumed;
        report.chapters_rejoined = hb.rejoined;
        report.bytes += hb.bytes;
        // After the cards' `stage`, which made the cache folder.
        cache.stage_book(hb.record);
        report.timings.push(("handbook", hb.took));
    }
    cache.stage_subsets(super::subsets::record(setup, &engine.subsets));
    if let Some(r) = &site.revision {
        // The 修订对照表 (issue 19), on the handbook's page engine.
        let rel = super::paths::REVISION;
        let (_, file) = stream(sink, rel, |out| {
            crate::edition::output::table_pdf(site, engine, &ids, r, rel, out)
        })?;
        report.bytes += file.len();
    }
    Ok(report)
}

/// The stack of the thread the handbook runs on beside the cards: the main thread's.
const HANDBOOK_STACK: usize = 8 << 20;

/// What the cards and the handbook of one build share.
pub(super) struct Print<'a> {
    pub(super) site: &'a Site,
    pub(super) engine: &'a Engine,
    pub(super) values: &'a values::Values,
    pub(super) ids: &'a [String],
    pub(super) sink: &'a dyn Sink,
    pub(super) setup: Key,
}

/// The handbook as written: its figures for the report, and its record for the next
/// build.
struct Handbook {
    pages: usize,
    reused: usize,
    resumed: usize,
    rejoined: usize,
    bytes: u64,
    record: Option<Book>,
    took: std::time::Duration,
}

impl Print<'_> {
    /// Every card (those `cache` holds unchanged are carried over) and the imposed
    /// sheets; then the cards' cache is staged and their memory let go.
    fn cards(
        &self,
        entries: &[usize],
        hashes: &values::EntryHashes,
        cache: &mut CardCache,
        report: &mut Report,
    ) -> Result<(), Vec<Diagnostic>> {
        let Print {
            site,
            engine,
            values,
            ids,
            sink,
            setup,
        } = *self;
        let t = std::time::Instant::now();
        // Everything every card's template reads besides its own values.
        let shared = values::Shared::new(engine.templates.texts(), &values.global, values.memo());
        let shared = |kind| shared.hash(Some(card_template(kind)));
        let shared = [shared(Kind::Policy), shared(Kind::Faq)];
        let hashes = hashes.get(site, values);
        let planned: Vec<Result<Planned, Vec<Diagnostic>>> = entries
            .par_iter()
            .map(|&i| {
                let shared = shared[usize::from(site.entries[i].entry.kind == Kind::Faq)];
                plan(site, engine, values, hashes[i], i, setup, shared, cache)
            })
            .collect();
        let mut planned = crate::diagnostics::gather(planned)?;
        report.timings.push(("layout", t.elapsed()));
        let t = std::time::Instant::now();
        report.with_back = planned
            .iter()
            .filter(|p| p.faces() > 1)
            .map(|p| p.card.key.clone())
            .collect();
        // An unchanged card's PDF is the previous output's: carried over, not written.
        planned.par_iter_mut().for_each(|p| {
            if let Some((_, pdf)) = p.cached
                && sink.carry(&super::paths::card(&p.card.key), pdf)
            {
                cache.keep(p.key);
                p.written = true;
            }
        });
        let to_write: Vec<usize> = (0..planned.len())
            .filter(|&k| !planned[k].written)
            .collect();
        faces_of(site, engine, values, cache, &mut planned, &to_write)?;
        let prepared = crate::typeset::embed::Prepared::new(
            &engine.fonts,
            &cards::all_glyphs(engine, to_write.iter().map(|&k| &planned[k].card)),
        );
        let written: Vec<Result<u64, Diagnostic>> = to_write
            .par_iter()
            .map(|&k| {
                let p = &planned[k];
                let bytes = cards::card_pdf(engine, Some(&prepared), ids, &p.card);
                let rel = super::paths::card(&p.card.key);
                let digest = crate::output::Digest::of(&bytes);
                sink.write_digested(&rel, &bytes, digest)
                    .map_err(|e| Diagnostic::error(tr!("write-file", file = rel, error = e)))?;
                match p.cached {
                    Some(_) => cache.keep(p.key),
                    None => cache.put(p.key, &p.card.faces, digest),
                }
                Ok(bytes.len() as u64)
            })
            .collect();
        drop(prepared);
        for w in written {
            report.bytes += w.map_err(|d| vec![d])?;
        }
        report.cards = planned.len();
        report.reused = planned.iter().filter(|p| p.cached.is_some()).count();
        report.timings.push(("card pdfs", t.elapsed()));
        let t = std::time::Instant::now();
        super::sheets::impose(self, &mut planned, cache, report)?;
        report.timings.push(("imposed", t.elapsed()));
        // The laid-out cards are done with: the handbook gets their memory.
        drop(planned);
        cache.stage();
        crate::platform::release_free_memory();
        Ok(())
    }

    /// The handbook, from the last one's record `book` where there is one.
    fn handbook(&self, book: Option<Book>) -> Result<Option<Handbook>, Vec<Diagnostic>> {
        let Print {
            site,
            engine,
            values,
            ids,
            sink,
            setup,
        } = *self;
        let t = std::time::Instant::now();
        let rel = super::paths::HANDBOOK;
        let mut reuse = super::handbook::Reuse::new(setup, book, sink, rel);
        let mut table = Vec::new();
        let (pages, file) = stream(sink, rel, |out| {
            let built = super::handbook::build(site, engine, values, ids, rel, out, &mut reuse);
            // Closed before the sink puts the new file in its place: Windows cannot
            // replace or move a file that is open.
            reuse.close();
            let (pages, glyphs) = built?;
            table = glyphs;
            Ok(pages)
        })?;
        Ok(Some(Handbook {
            pages,
            reused: reuse.reused,
            resumed: reuse.resumed,
            rejoined: reuse.rejoined,
            bytes: file.len(),
            record: reuse.finish(table, file, pages),
            took: t.elapsed(),
        }))
    }
}

/// Writes `rel` as `make` lays it out, straight into the sink; returns what `make`
/// returned (a page count) and the file's size and hash. A layout error leaves no file.
pub(super) fn stream(
    sink: &dyn Sink,
    rel: &str,
    make: impl FnOnce(&mut dyn std::io::Write) -> Result<usize, Vec<Diagnostic>>,
) -> Result<(usize, crate::output::Digest), Vec<Diagnostic>> {
    let mut make = Some(make);
    let mut made: Option<Result<usize, Vec<Diagnostic>>> = None;
    let written = sink.write_stream(rel, &mut |w| {
        if let Some(make) = make.take() {
            made = Some(make(w));
        }
        match &made {
            Some(Err(_)) => Err(std::io::Error::other("layout failed")),
            _ => Ok(()),
        }
    });
    match (made, written) {
        (Some(Err(d)), _) => Err(d),
        (_, Err(e)) => Err(vec![Diagnostic::error(tr!(
            "write-file",
            file = rel,
            error = e
        ))]),
        (made, Ok(file)) => Ok((made.and_then(Result::ok).unwrap_or(0), file)),
    }
}

/// Prints only the cards of `which` (entries edited while `mingbai serve` runs), each
/// with its own font subset; the imposed sheets and the handbook are left as they are.
pub(crate) fn cards_only(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    which: &[usize],
) -> Result<usize, Vec<Diagnostic>> {
    let wanted: HashSet<usize> = which.iter().copied().collect();
    let entries: Vec<usize> = card_entries(site)
        .into_iter()
        .filter(|i| wanted.contains(i))
        .collect();
    if entries.is_empty() {
        return Ok(0);
    }
    let mut engine = Engine::load(site, theme)?;
    let (missing, _) = engine.check_coverage(site, &entries, &Default::default());
    if !missing.is_empty() {
        return Err(missing);
    }
    let values = values::build(site, &links(site), false);
    {
        let g = engine.templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
    }
    let ids = pdf::font_names(&engine.fonts);
    let engine = &engine;
    let results: Vec<Result<(), Vec<Diagnostic>>> = entries
        .par_iter()
        .map(|&i| {
            let page = values::entry_print(site, &values, i);
            let (_, blocks, _) = card_blocks(site, engine, page, i)?;
            let mut c = card_of(&site.entries[i].entry);
            c.faces = lay_out(engine, &site.entries[i].entry, blocks)?;
            let rel = super::paths::card(&c.key);
            sink.write(&rel, &cards::card_pdf(engine, None, &ids, &c))
                .map_err(|e| vec![Diagnostic::error(tr!("write-file", file = rel, error = e))])
        })
        .collect();
    let diags: Vec<Diagnostic> = results
        .into_iter()
        .filter_map(Result::err)
        .flatten()
        .collect();
    if diags.is_empty() {
        Ok(entries.len())
    } else {
        Err(diags)
    }
}
