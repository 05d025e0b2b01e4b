//! Watching the handbook's sources (notify), with a short debounce: editors save in
//! several steps (write a temp file, rename it, touch metadata), and one save must make
//! one rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::engine::Change;

/// Folders under the root whose files make the site.
const WATCHED: &[&str] = &["content", "templates", "themes", "static", "print"];

/// Quiet time that ends a burst of events, and the longest a burst may be stretched.
const QUIET: Duration = Duration::from_millis(8);
const MAX_BURST: Duration = Duration::from_millis(400);

pub(crate) struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl Watcher {
    pub(crate) fn new(root: &Path) -> notify::Result<Watcher> {
        let root = root.canonicalize()?;
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        // The root itself (not recursively) for site.toml and for watched folders that
        // are created later.
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED {
            let d = root.join(dir);
            if d.is_dir() {
                watcher.watch(&d, RecursiveMode::Recursive)?;
            }
        }
        Ok(Watcher {
            root,
            watcher,
            events,
        })
    }

    /// Blocks until something that matters changed, then returns everything that
    /// changed in that burst. `None` when the watcher is gone.
    pub(crate) fn wait(&mut self) -> Option<Change> {
        loop {
            let first = self.events.recv().ok()?;
            let mut change = Change::default();
            self.take(first, &mut change);
            let start = Instant::now();
            loop {
                let left = MAX_BURST.saturating_sub(start.elapsed());
                if left.is_zero() {
                    break;
                }
                match self.events.recv_timeout(QUIET.min(left)) {
                    Ok(ev) => self.take(ev, &mut change),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if !change.is_empty() {
                return Some(change);
            }
        }
    }

    fn take(&mut self, ev: notify::Result<notify::Event>, change: &mut Change) {
        let ev = match ev {
            Ok(ev) => ev,
            Err(_) => {
                // Lost events (queue overflow): nothing can be trusted.
                change.everything = true;
                return;
            }
        };
        match ev.kind {
            EventKind::Access(_) | EventKind::Modify(notify::event::ModifyKind::Metadata(_)) => {
                return;
            }
            _ => {}
        }
        if ev.need_rescan() {
            change.everything = true;
        }
        for path in &ev.paths {
            let Some(rel) = relative(&self.root, path) else {
                continue;
            };
            let top = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().to_string());
            if rel.components().count() == 1 && WATCHED.contains(&top.as_deref().unwrap_or("")) {
                // A watched folder appeared (or went): watch it, and start over.
                if path.is_dir() {
                    let _ = self.watcher.watch(path, RecursiveMode::Recursive);
                }
                change.everything = true;
                continue;
            }
            classify(&rel, change);
        }
    }
}

fn relative(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    // With `/` on every system, as the content loader names files.
    (!rel.as_os_str().is_empty()).then(|| crate::platform::portable(rel))
}

/// Editors' temporary and backup files (vim's 4913 and .swp, emacs' #x# and x~,
/// dotfiles) are not sources.
fn ignored(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(n) => {
            let n = n.to_string_lossy();
            n.starts_with('.')
                || n.ends_with('~')
                || n.starts_with('#')
                || n.ends_with(".swp")
                || n.ends_with(".swx")
                || n == "4913"
        }
        _ => false,
    })
}

/// Sorts a changed path (relative to the root) into what it affects.
pub(crate) fn classify(rel: &Path, change: &mut Change) {
    if ignored(rel) {
        return;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let top = parts.next().unwrap_or_default();
    match top.as_ref() {
        "site.toml" => change.config = true,
        "content" => change.content.push(rel.to_path_buf()),
        "static" => change.statics = true,
        "templates" | "print" => change.look = true,
        "themes" => {
            // themes/<name>/static/… is a static file; anything else is the look.
            let _name = parts.next();
            if parts.next().as_deref() == Some("static") {
                change.statics = true;
            } else {
                change.look = true;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(paths: &[&str]) -> Change {
        let mut c = Change::default();
        for p in paths {
            classify(Path::new(p), &mut c);
        }
        c
    }

    #[test]
    fn paths_are_sorted_by_what_they_affect() {
        let c = of(&["content/jiaoyu/yulu.md", "site.toml"]);
        assert_eq!(c.content, vec![PathBuf::from("content/jiaoyu/yulu.md")]);
        assert!(c.config && !c.look && !c.statics);
        assert!(of(&["templates/base.html"]).look);
        assert!(of(&["themes/default/print/card.xml"]).look);
        assert!(of(&["themes/default/static/style.css"]).statics);
        assert!(of(&["static/logo.png"]).statics);
    }

    #[test]
    fn editor_droppings_and_output_are_ignored() {
        for p in [
            "content/jiaoyu/.yulu.md.swp",
            "content/jiaoyu/yulu.md~",
            "content/jiaoyu/#yulu.md#",
            "content/jiaoyu/4913",
            "public/index.html",
            "print-private/桃源村.pdf",
            "target/debug/mingbai",
        ] {
            assert!(of(&[p]).is_empty(), "{p}");
        }
    }
}
