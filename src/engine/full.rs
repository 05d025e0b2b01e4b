//! A full build: every page, the feeds, the static files and the search index, into one
//! sink. `build` and the first build of `serve` both come here (and print after it,
//! `serve` aside); `check` too, with a sink that writes nothing.

use std::collections::HashSet;
use std::time::Instant;

use super::Report;
use super::load::Look;
use crate::diagnostics::Diagnostic;
use crate::html::keys::PageKeys;
use crate::html::{self, Renderer};
use crate::output::Sink;
use crate::search::{self, KeptIndex, LiveIndex};
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;
use crate::values::{EntryHashes, PrintLinks, Values};

/// How the search index is written.
pub(super) enum SearchMode {
    /// Once (`build`, `check`).
    Once,
    /// Kept in memory to be updated by later saves (`serve`, `watch`).
    Live,
    /// No index and no search page (`[search] enabled = false`, `--no-search`).
    Off,
}

/// What the next rebuild needs from a full one.
pub(super) struct Rendered {
    pub(super) values: Values,
    /// Output files of pages, to remove those of pages that are gone.
    pub(super) pages: HashSet<String>,
    /// Static files copied, to remove those deleted from static/ or content/.
    pub(super) statics: HashSet<String>,
    pub(super) index: Option<LiveIndex>,
}

/// Renders the pages, feeds, static files and search index into `sink` (print is the
/// caller's: `build` runs it after, `serve` beside the preview).
pub(super) fn render(
    site: &Site,
    look: &mut Look,
    links: PrintLinks,
    sink: &dyn Sink,
    search_mode: SearchMode,
    report: &mut Report,
) -> Result<Rendered, Vec<Diagnostic>> {
    let searching = !matches!(search_mode, SearchMode::Off);
    let Look { theme, templates } = look;
    let values = crate::values::build(site, &links, searching);
    let (values, files, statics) = pages(
        site, theme, templates, links, values, sink, searching, None, report,
    )?;
    let index = search(site, sink, search_mode, None, report)?;
    Ok(Rendered {
        values,
        pages: files,
        statics,
        index,
    })
}

/// The pages, feeds and static files of `values` (built from `links` and `searching`);
/// returns the values, the pages' files and the static files copied. With `keys`,
/// pages whose inputs are those of the last build are carried over without rendering
/// them.
#[allow(clippy::too_many_arguments)]
pub(super) fn pages(
    site: &Site,
    theme: &Theme,
    templates: &mut Templates,
    links: PrintLinks,
    values: Values,
    sink: &dyn Sink,
    searching: bool,
    mut keys: Option<(&mut PageKeys, &EntryHashes)>,
    report: &mut Report,
) -> Result<(Values, HashSet<String>, HashSet<String>), Vec<Diagnostic>> {
    let t = Instant::now();
    // Settings that change pages other than through their values.
    let mut setup = vec![
        site.config.base_path().into_bytes(),
        vec![u8::from(searching)],
    ];
    for link in [&links.handbook, &links.cards] {
        setup.push(link.as_deref().unwrap_or("\0").as_bytes().to_vec());
    }
    let mut ids: Vec<&String> = links.card_ids.iter().collect();
    ids.sort_unstable();
    setup.extend(ids.into_iter().map(|id| id.as_bytes().to_vec()));
    let renderer = Renderer::new(site, templates, html::Options { search: searching }, values);
    if let Some((keys, _)) = keys.as_mut() {
        let setup: Vec<&[u8]> = setup.iter().map(Vec::as_slice).collect();
        keys.set_shared(
            renderer.templates().texts(),
            renderer.globals(),
            &setup,
            renderer.values().memo(),
        );
    }
    let pages = renderer.all_pages();
    let keys = keys.map(|(k, hashes)| (&*k, hashes.get(site, renderer.values())));
    let (n, errors) = renderer.write_pages(&pages, sink, keys);
    if !errors.is_empty() {
        return Err(errors);
    }
    renderer
        .write_feeds(sink)
        .map_err(|e| vec![Diagnostic::error(tr!("write-feeds", error = e))])?;
    report.pages = n;
    let files = pages.iter().map(|&p| renderer.file(p)).collect();
    let values = renderer.values().clone();
    drop(renderer);
    if let Some(r) = &site.revision {
        crate::edition::output::write_site(site, templates, r, sink)?;
        report.pages += 1;
    }
    let statics: HashSet<String> = html::copy_static(site, theme, sink)?.into_iter().collect();
    report.static_files = statics.len();
    report.timings.push(("html", t.elapsed()));
    Ok((values, files, statics))
}

/// The search index, written once or kept live for later saves. Written once, it is
/// brought up to date from `kept` (the index the last build saved) when it can be.
pub(super) fn search(
    site: &Site,
    sink: &dyn Sink,
    search_mode: SearchMode,
    kept: Option<&mut KeptIndex>,
    report: &mut Report,
) -> Result<Option<LiveIndex>, Vec<Diagnostic>> {
    let t = Instant::now();
    let search_error =
        |e: std::io::Error| vec![Diagnostic::error(tr!("write-search-index", error = e))];
    let index = match search_mode {
        SearchMode::Once => {
            let docs = search::docs(site);
            report.search = match kept {
                Some(kept) => {
                    let n = docs.len();
                    let w = kept.write(docs, sink).map_err(search_error)?;
                    report.search_reindexed = (w.indexed < n).then_some(w.indexed);
                    (w.bytes, w.files)
                }
                None => search::Index::build(docs)
                    .write(sink)
                    .map_err(search_error)?,
            };
            None
        }
        SearchMode::Live => Some(LiveIndex::new(search::docs(site), sink).map_err(search_error)?),
        SearchMode::Off => None,
    };
    report.timings.push(("search", t.elapsed()));
    report.bytes = sink.bytes();
    Ok(index)
}
