//! What `@/` links resolve to, and the rendered Markdown `serve` keeps between builds
//! (valid while everything a link can resolve to stays the same).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use super::{EntryNode, SectionNode};
use crate::content::Entry;
use crate::diagnostics::SourceFile;
use crate::markdown::{LinkResolver, Rendered};

pub(super) struct Resolver<'a> {
    /// Entries that failed to parse: links to them are not errors of their own.
    pub(super) failed: &'a std::collections::HashSet<&'a str>,
    pub(super) by_file: &'a HashMap<String, usize>,
    pub(super) sections: &'a HashMap<String, usize>,
    pub(super) entries: &'a [Arc<Entry>],
    /// When resolving against a built site, `by_file` indexes these instead.
    pub(super) site_entries: Option<&'a [EntryNode]>,
    pub(super) sec_nodes: &'a [SectionNode],
}

/// Rendered Markdown kept between builds by `mingbai serve`.
#[derive(Default)]
pub struct RenderCache {
    pub(super) links_key: u64,
    pub(super) by_path: HashMap<PathBuf, (Arc<SourceFile>, Arc<Rendered>)>,
}

impl RenderCache {
    /// Keeps a body rendered outside a full build.
    pub fn remember(&mut self, src: Arc<SourceFile>, rendered: Arc<Rendered>) {
        self.by_path.insert(src.path.clone(), (src, rendered));
    }
}

/// Everything an `@/` link can resolve to; when it changes, every body is rendered again.
pub(super) fn links_key(
    by_file: &HashMap<String, usize>,
    entries: &[Arc<Entry>],
    sections: &HashMap<String, usize>,
    failed: &std::collections::HashSet<&str>,
) -> u64 {
    let mut files: Vec<(&str, &str)> = by_file
        .iter()
        .map(|(f, &i)| (f.as_str(), entries[i].id.as_str()))
        .collect();
    files.sort_unstable();
    let mut secs: Vec<&str> = sections.keys().map(String::as_str).collect();
    secs.sort_unstable();
    let mut failed: Vec<&str> = failed.iter().copied().collect();
    failed.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (files, secs, failed).hash(&mut h);
    h.finish()
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, path: &str) -> Option<(String, String)> {
        let path = path.trim_start_matches('/');
        if let Some(dir) = path.strip_suffix("_index.md") {
            let dir = dir.trim_end_matches('/');
            return self
                .sections
                .get(dir)
                .map(|&i| (String::new(), self.sec_nodes[i].url.clone()));
        }
        let key = path.strip_suffix(".md")?;
        if self.failed.contains(key) {
            return Some((String::new(), "#".into()));
        }
        self.by_file.get(key).map(|&i| {
            let id = match self.site_entries {
                Some(nodes) => &nodes[i].entry.id,
                None => &self.entries[i].id,
            };
            (id.clone(), format!("/{id}/"))
        })
    }
}
