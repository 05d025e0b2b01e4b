//! Folders beside the output that no running mingbai needs: the sites replaced by
//! earlier builds (`.public.trash-*`, left by [`super::Staging::commit`]) and what a
//! killed build left. They are deleted in a background thread while the next build
//! works, never before it writes, at idle priority so that the build keeps its cores.

use std::path::{Path, PathBuf};

/// The output folder's parent and its name (`public` when it has none).
pub(super) fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = target
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().to_string());
    (parent, name)
}

/// Deletions running in the background, joined by [`finish_background`].
static BACKGROUND: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Waits for the background deletions this process started. Called once a command
/// has done its work and said so: the deletion has run beside the build, so there is
/// usually nothing left to wait for.
pub(crate) fn finish_background() {
    let handles = std::mem::take(&mut *BACKGROUND.lock().unwrap_or_else(|e| e.into_inner()));
    for h in handles {
        let _ = h.join();
    }
}

/// Removes, in a background thread, the folders beside the output that no running
/// mingbai needs: the replaced outputs of earlier builds (`.public.trash-*`), and the
/// build and old-output folders a killed mingbai left (Ctrl-C during a build, or during
/// `serve`'s background delete). Each can hold a whole site; none is deleted before the
/// build starts writing. Folders of a process still running are left alone.
pub(super) fn sweep_leftovers(parent: &Path, name: &str) {
    let Ok(dir) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-build-"), format!(".{name}.old-")];
    let trash = format!(".{name}.trash-");
    let mut doomed = Vec::new();
    for e in dir.flatten() {
        let file_name = e.file_name();
        let Some(f) = file_name.to_str() else {
            continue;
        };
        if f.starts_with(&trash) {
            doomed.push(e.path());
            continue;
        }
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| f.strip_prefix(p.as_str()))
            .and_then(|rest| rest.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &e.path()) {
            doomed.push(e.path());
        }
    }
    if doomed.is_empty() {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("sweep".into())
        .spawn(move || {
            crate::platform::idle_priority();
            for d in doomed {
                let _ = std::fs::remove_dir_all(d);
            }
        });
    if let Ok(h) = spawned {
        BACKGROUND.lock().unwrap_or_else(|e| e.into_inner()).push(h);
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32, _leftover: &Path) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Without /proc, a leftover untouched for a day counts as abandoned.
#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32, leftover: &Path) -> bool {
    std::fs::metadata(leftover)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(24 * 3600))
}
