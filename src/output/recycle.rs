//! The site the build before last replaced, reused as this build's folder.
//!
//! A build's folder is new, so every page's folder had to be made again (10,000
//! `mkdir`s at 10,000 entries), and the replaced site deleted (as many inodes freed).
//! On ext4 the two together were the largest cost of a build after one edit: a folder
//! is given an inode only after the recently freed ones were looked at one by one
//! (1.2 s of CPU at 10,000 entries). So a build takes the trash folder the build
//! before left (`.public.trash-*`, a whole site nobody reads) as its folder. Its
//! folders stay; a file the build writes replaces the one there (removed first: a
//! file there may be a hard link shared with the output being replaced, which must
//! stay whole until the swap); a file carried over that is already the very file of
//! the previous output (the same inode: an unchanged page carried over twice) stays
//! as it is. While the build works, a thread lists what the folder held; at the swap,
//! every file it held that this build did not write or carry is deleted, and folders
//! left empty with them, so the site swapped in holds exactly what the build made.
//!
//! The listing starts from the folder's manifest (what the build that made it wrote):
//! only the folders changed since it was written (by hand, by `serve`) are read, and
//! folders nobody had made are read whole. Reading all 10,000 folders was 0.3 s of CPU
//! beside a one-edit build at 10,000 entries. Without a manifest of this version, or on
//! systems where a folder's time may not change with what it holds, everything is read.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// What the reused folder held: its files and its folders (paths relative to it, with
/// `/`), listed by a thread of its own.
pub(super) struct Listing(JoinHandle<io::Result<(Vec<String>, Vec<String>)>>);

/// Moves a trash folder beside the output to `dir` (this build's folder) and starts
/// listing it; `None` when there is none or it cannot be moved.
pub(super) fn take_trash(parent: &Path, name: &str, dir: &Path) -> Option<Listing> {
    let prefix = format!(".{name}.trash-");
    let trash = std::fs::read_dir(parent).ok()?.flatten().find(|e| {
        e.file_name()
            .to_str()
            .is_some_and(|f| f.starts_with(&prefix))
            && e.file_type().is_ok_and(|t| t.is_dir())
    })?;
    std::fs::rename(trash.path(), dir).ok()?;
    let root = dir.to_path_buf();
    let handle = std::thread::Builder::new()
        .name("recycle".into())
        .spawn(move || list(&root))
        .ok()?;
    Some(Listing(handle))
}

fn list(root: &Path) -> io::Result<(Vec<String>, Vec<String>)> {
    if cfg!(target_os = "linux")
        && let Some(listed) = from_manifest(root)
    {
        return Ok(listed);
    }
    walk(root)
}

/// What `root` holds, from its manifest and the folders changed since it was written
/// (a time not before the manifest's counts as changed); `None` when it has no manifest
/// of this version, the manifest names a path outside the folder or a folder cannot be
/// read as one.
pub(super) fn from_manifest(root: &Path) -> Option<(Vec<String>, Vec<String>)> {
    let made = super::carry::Previous::load(root)?;
    let mut files: HashSet<String> = HashSet::new();
    let mut dirs: HashSet<String> = HashSet::new();
    for f in made.files() {
        if !inside(f) {
            return None;
        }
        let mut at = f;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !dirs.insert(parent.to_string()) {
                break;
            }
            at = parent;
        }
        files.insert(f.to_string());
    }
    let known: Vec<String> = dirs.iter().cloned().collect();
    for d in std::iter::once(String::new()).chain(known) {
        let path = root.join(&d);
        let m = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(_) => return None,
        };
        if !m.is_dir() {
            return None;
        }
        if m.modified().ok()? < made.written() {
            continue;
        }
        for e in std::fs::read_dir(&path).ok()? {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let rel = if d.is_empty() {
                name
            } else {
                format!("{d}/{name}")
            };
            if !e.file_type().ok()?.is_dir() {
                files.insert(rel);
            } else if !dirs.contains(&rel) {
                // A folder nobody had made: everything in it.
                let (f, sub) = walk(&e.path()).ok()?;
                files.extend(f.into_iter().map(|f| format!("{rel}/{f}")));
                dirs.extend(sub.into_iter().map(|s| format!("{rel}/{s}")));
                dirs.insert(rel);
            }
        }
    }
    Some((files.into_iter().collect(), dirs.into_iter().collect()))
}

/// Whether `rel` (a manifest's path) names a place inside the folder.
fn inside(rel: &str) -> bool {
    !rel.contains(['\\', ':', '\0'])
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Everything under `root`, read folder by folder.
pub(super) fn walk(root: &Path) -> io::Result<(Vec<String>, Vec<String>)> {
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    for e in walkdir::WalkDir::new(root).min_depth(1) {
        let e = e.map_err(io::Error::other)?;
        let Some(rel) = relative(root, e.path()) else {
            return Err(io::Error::other("a name that is not UTF-8"));
        };
        if e.file_type().is_dir() {
            dirs.push(rel);
        } else {
            files.push(rel);
        }
    }
    Ok((files, dirs))
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?.to_str()?;
    Some(rel.replace('\\', "/"))
}

impl Listing {
    /// Deletes from `dir` every file it held that is not in `keep`, then every folder
    /// left empty. The listing is taken again here if the thread failed; a folder that
    /// cannot be listed fails the build rather than publish what it holds.
    pub(super) fn clear(self, dir: &Path, keep: &HashSet<String>) -> io::Result<()> {
        let (files, dirs) = match self.0.join() {
            Ok(Ok(listed)) => listed,
            _ => walk(dir)?,
        };
        let parent = |rel: &str| rel.rsplit_once('/').map(|(p, _)| p.to_string());
        // Folders that may be left empty: those that held nothing, and the folder of
        // each file deleted (then, as they go, their own folders). Trying every folder
        // was 10,000 `rmdir`s at the swap.
        let holding: HashSet<String> = files
            .iter()
            .chain(&dirs)
            .filter_map(|r| parent(r))
            .collect();
        let mut maybe: Vec<String> = dirs.into_iter().filter(|d| !holding.contains(d)).collect();
        for rel in files.iter().filter(|f| !keep.contains(*f)) {
            use io::ErrorKind::{IsADirectory, NotADirectory, NotFound};
            match std::fs::remove_file(dir.join(rel)) {
                // Gone, or its place taken by a folder of this build (or a file where
                // its folder was): nothing of it is left.
                Err(e) if !matches!(e.kind(), NotFound | NotADirectory | IsADirectory) => {
                    return Err(e);
                }
                _ => maybe.extend(parent(rel)),
            }
        }
        // Deepest first: a folder's children go before it.
        let depth = |d: &String| d.matches('/').count();
        let mut todo: std::collections::BinaryHeap<(usize, String)> =
            maybe.into_iter().map(|d| (depth(&d), d)).collect();
        let mut tried = HashSet::new();
        while let Some((_, rel)) = todo.pop() {
            // Only empty folders go; one that still holds the build's files stays.
            if tried.insert(rel.clone())
                && std::fs::remove_dir(dir.join(&rel)).is_ok()
                && let Some(p) = parent(&rel)
            {
                todo.push((depth(&p), p));
            }
        }
        Ok(())
    }
}

/// Whether `path` (in the reused folder) is the very file `old` (its metadata) is.
pub(super) fn same_file(path: &Path, old: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path)
            .is_ok_and(|a| a.is_file() && a.ino() == old.ino() && a.dev() == old.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = (path, old);
        false
    }
}

/// Clears the way for a file at `path` in the reused folder: a file there is removed
/// (never written through: it may be shared with the previous output), a folder there
/// removed whole, and a file where one of its folders must be removed too.
pub(super) fn clear_way(root: &Path, path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
    let mut ancestors: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .take_while(|a| *a != root)
        .map(Path::to_path_buf)
        .collect();
    ancestors.reverse();
    for a in ancestors {
        if std::fs::symlink_metadata(&a).is_ok_and(|m| !m.is_dir()) {
            let _ = std::fs::remove_file(&a);
        }
    }
}
