//! The search index of `serve` and `watch`, kept up to date in a worker of its own
//! after the pages are out, so a save never waits for it.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use super::lap;
use crate::output::InPlace;
use crate::search::{self, LiveIndex};
use crate::site::Site;

/// Work for the search worker.
pub(super) enum IndexJob {
    /// The index a full build wrote: later sites update it.
    Seed(LiveIndex),
    /// A newer site, whose pages are out.
    Site(Arc<Site>, Arc<InPlace>),
}

/// Keeps the search index up to date after the pages are out, for the latest site
/// only: entries whose text changed are re-indexed and only the files they reach are
/// written; when entries were added, removed or reordered the index is rebuilt.
pub(super) fn worker(jobs: &Receiver<IndexJob>) {
    let mut live: Option<LiveIndex> = None;
    while let Ok(job) = jobs.recv() {
        let mut latest = None;
        for job in std::iter::once(job).chain(jobs.try_iter()) {
            match job {
                IndexJob::Seed(index) => {
                    live = Some(index);
                    latest = None;
                }
                IndexJob::Site(site, sink) => latest = Some((site, sink)),
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
            eprintln!("{}", tr!("write-search-index", error = e));
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
