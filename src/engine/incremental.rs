//! Applying a change to the last good site (`serve`, `watch`): only what the change
//! touches is rendered again, and only output files whose bytes differ are written.
//!
//! Which pages a change touches follows from how page values are built
//! ([`crate::values`]): every page sees the site-wide values (chapters, every entry's
//! summary, tags); an entry's page adds its own body and its neighbours (prev/next,
//! citing FAQs, cited policies). So when the site-wide values are unchanged, only entry
//! pages whose own inputs changed are rendered again; otherwise every page is, and the
//! unchanged ones are still not written. Everything a change writes is held until all
//! of it rendered: a change is all-or-nothing, as a build is.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use super::change::{Change, Done, Outcome, PrintJob};
use super::indexer::IndexJob;
use super::load::Look;
use super::{Engine, Last, lap};
use crate::diagnostics::Diagnostic;
use crate::html::{self, Page, Renderer};
use crate::output::{Deferred, InPlace, Sink};
use crate::site::Site;
use crate::theme::Theme;
use crate::values::{PrintLinks, Values};

/// What an applied change leaves for the next: the shared template values, the page
/// files, the static files, and the entries whose pages changed (`None`: possibly all).
pub(super) type Applied = (Values, HashSet<String>, HashSet<String>, Option<Vec<usize>>);

/// A later build: only what changed, written in place.
#[allow(clippy::too_many_arguments)]
pub(super) fn again(
    site: &Site,
    look: &mut Look,
    links: PrintLinks,
    searching: bool,
    last: &Last,
    sink: &InPlace,
    change: &Change,
    outcome: &mut Outcome,
    start: Instant,
    pages_done: &mut dyn FnMut(&Outcome),
) -> Result<Applied, Vec<Diagnostic>> {
    let Look { theme, templates } = look;
    let values = crate::values::build(site, &links, searching);
    let renderer = Renderer::new(site, templates, html::Options { search: searching }, values);
    lap("renderer", start);
    let renderer = &renderer;
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
    let (n, errors) = renderer.write_pages(&todo, &held, None);
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
    // The 修订说明 follows every change of the new edition.
    if let Some(r) = &site.revision {
        crate::edition::output::write_site(site, renderer.templates(), r, &held)?;
    }
    held.commit()
        .map_err(|e| vec![Diagnostic::error(tr!("write-failed", error = e))])?;
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

impl Engine {
    /// The common case, fast: saved entries whose front matter is byte-for-byte what it
    /// was. Nothing site-wide can have changed (titles, summaries, tags, order all
    /// come from front matter), so only their own pages, cards and the search index
    /// change. `None` when the change is not of that kind.
    pub(super) fn body_only(
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
        // Patched in place (copied only if the print worker still holds the site); a
        // failed render puts the old bodies back, so the last good site stays.
        let searching = self.searching(&self.last.as_ref()?.site);
        let last = self.last.as_mut()?;
        let site = Arc::make_mut(&mut last.site);
        let mut todo = Vec::new();
        let mut remembered = Vec::new();
        let mut undo = Vec::new();
        for (i, e, r) in updates {
            let rendered = Arc::new(r);
            remembered.push((e.src.clone(), rendered.clone()));
            undo.push((i, site.replace_body(i, e, rendered)));
            todo.push(i);
        }
        lap("patched", start);
        let look = self.look.as_ref()?;
        let renderer = Renderer::with_values(
            site,
            &look.templates,
            html::Options { search: searching },
            last.values.clone(),
        );
        let pages: Vec<Page> = todo.iter().map(|&i| Page::Entry(i)).collect();
        let held = Deferred::new(&sink);
        let (n, errors) = renderer.write_pages(&pages, &held, None);
        let failed = if !errors.is_empty() {
            Some(errors)
        } else {
            held.commit()
                .err()
                .map(|e| vec![Diagnostic::error(tr!("write-failed", error = e))])
        };
        if let Some(errors) = failed {
            drop(renderer);
            for (i, (entry, rendered)) in undo {
                site.replace_body(i, entry, rendered);
            }
            return Some(Err(errors));
        }
        let mut outcome = Outcome {
            rendered: n,
            written: sink.take_written(),
            pages_after: start.elapsed(),
            ..Outcome::default()
        };
        pages_done(&outcome);
        if let Err(e) = renderer.write_feeds(&*sink) {
            return Some(Err(vec![Diagnostic::error(tr!("write-feeds", error = e))]));
        }
        outcome.written += sink.take_written();
        drop(renderer);
        let theme = look.theme.clone();
        for (src, rendered) in remembered {
            self.renders.remember(src, rendered);
        }
        let site = self.last.as_ref()?.site.clone();
        if searching {
            self.index(IndexJob::Site(site.clone(), sink));
        }
        outcome.elapsed = start.elapsed();
        let printing = self.printing(&site);
        let job = printing.then(|| PrintJob {
            ids: Some(
                todo.iter()
                    .map(|&i| site.entries[i].entry.id.clone())
                    .collect(),
            ),
            first: Vec::new(),
            theme,
            site,
        });
        Some(Ok((outcome, job)))
    }
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
            .map_err(|e| vec![Diagnostic::error(tr!("write-feeds", error = e))])?;
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
pub(super) fn changed_entries(old: &Site, new: &Site) -> Vec<usize> {
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
