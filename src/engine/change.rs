//! What a rebuild is asked to apply (the changed paths, sorted by kind) and what it
//! reports back, with the cards to print after it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::theme::Theme;

/// What changed on disk since the last rebuild, relative to the site root.
#[derive(Debug, Default, Clone)]
pub(crate) struct Change {
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
    pub(crate) fn everything() -> Change {
        Change {
            everything: true,
            ..Change::default()
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.config && !self.look && !self.statics && !self.everything
    }
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
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
pub(crate) struct PrintJob {
    pub site: Arc<Site>,
    pub theme: Theme,
    /// Entry ids whose cards may have changed; `None`: everything (cards, sheets,
    /// handbook).
    pub ids: Option<Vec<String>>,
    /// With `ids` `None`: the entries this change edited, whose cards are printed
    /// first (a summary edit changes lists site-wide, and the editor waits for the
    /// card they edited, not for the handbook).
    pub first: Vec<String>,
}

/// A rebuild's report, and the cards to print after it.
pub(crate) type Done = (Outcome, Option<PrintJob>);
