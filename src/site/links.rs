//! What `@/` links resolve to, and the rendered Markdown `serve` keeps between builds
//! (valid while everything a link can resolve to stays the same).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use super::SectionNode;
use crate::content::Entry;
use crate::diagnostics::SourceFile;
use crate::markdown::{LinkResolver, Rendered};
use crate::values::frame;

/// Everything an `@/` link can resolve to, owned: bodies rendered after the graph is
/// built (on first use, or by `serve`) resolve their links exactly as the build did.
#[derive(Default)]
pub(crate) struct LinkTable {
    /// Entry file under content/ without `.md` → the entry's id.
    files: HashMap<String, String>,
    /// Section path → its URL.
    sections: HashMap<String, String>,
    /// Entries that failed to parse: links to them are not errors of their own.
    failed: HashSet<String>,
    /// A hash of all of the above (see [`LinkTable::key`]).
    key: u128,
}

impl LinkTable {
    pub(super) fn new(
        entries: &[Arc<Entry>],
        sections: &[SectionNode],
        failed: &[String],
    ) -> LinkTable {
        let files: HashMap<String, String> =
            entries.iter().map(|e| (file_id(e), e.id.clone())).collect();
        let sections: HashMap<String, String> = sections
            .iter()
            .map(|s| (s.section.path.clone(), s.url.clone()))
            .collect();
        let failed: HashSet<String> = failed.iter().cloned().collect();
        let mut h = Xxh3::new();
        let mut sorted: Vec<(&String, &String)> = files.iter().collect();
        sorted.sort_unstable();
        let mut secs: Vec<(&String, &String)> = sections.iter().collect();
        secs.sort_unstable();
        for (a, b) in sorted.into_iter().chain(secs) {
            frame(&mut h, a.as_bytes());
            frame(&mut h, b.as_bytes());
        }
        let mut gone: Vec<&String> = failed.iter().collect();
        gone.sort_unstable();
        for f in gone {
            frame(&mut h, f.as_bytes());
        }
        LinkTable {
            files,
            sections,
            failed,
            key: h.digest128(),
        }
    }

    /// Changes whenever any link could resolve differently: every body with an `@/`
    /// link is rendered again.
    pub(crate) fn key(&self) -> u128 {
        self.key
    }
}

/// What `@/` links name an entry by: its file under content/ without `.md`.
pub(super) fn file_id(e: &Entry) -> String {
    e.src
        .path
        .strip_prefix("content")
        .unwrap_or(&e.src.path)
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/")
}

/// Rendered Markdown kept between builds by `mingbai serve`.
#[derive(Default)]
pub(crate) struct RenderCache {
    pub(super) links_key: u128,
    pub(super) by_path: HashMap<PathBuf, (Arc<SourceFile>, Arc<Rendered>)>,
    /// Kept on disk between builds (`build`, `check`): see [`super::memo`].
    pub(super) memo: Option<super::memo::RenderMemo>,
}

impl RenderCache {
    /// Keeps a body rendered outside a full build.
    pub(crate) fn remember(&mut self, src: Arc<SourceFile>, rendered: Arc<Rendered>) {
        self.by_path.insert(src.path.clone(), (src, rendered));
    }

    /// A cache that also reads what the last build of the site at `root` rendered
    /// and, through [`RenderCache::save`], keeps this build's for the next.
    pub(crate) fn on_disk(root: &std::path::Path) -> RenderCache {
        RenderCache {
            memo: Some(super::memo::RenderMemo::open(root)),
            ..RenderCache::default()
        }
    }

    /// Lets go of the bodies kept in memory, keeping what is to be saved on disk.
    pub(crate) fn forget_bodies(&mut self) {
        self.by_path.clear();
    }

    /// Saves what this build rendered (see [`RenderCache::on_disk`]); called once a
    /// build succeeded.
    pub(crate) fn save(&mut self) {
        if let Some(memo) = self.memo.take() {
            memo.save();
        }
    }
}

impl LinkResolver for LinkTable {
    fn resolve(&self, path: &str) -> Option<(String, String)> {
        let path = path.trim_start_matches('/');
        if let Some(dir) = path.strip_suffix("_index.md") {
            let dir = dir.trim_end_matches('/');
            return self
                .sections
                .get(dir)
                .map(|url| (String::new(), url.clone()));
        }
        let key = path.strip_suffix(".md")?;
        if self.failed.contains(key) {
            return Some((String::new(), "#".into()));
        }
        self.files
            .get(key)
            .map(|id| (id.clone(), format!("/{id}/")))
    }
}
