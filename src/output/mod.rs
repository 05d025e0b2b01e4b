//! Writing the output: a full build goes into a hidden sibling folder and is swapped
//! into place only when everything succeeded, so a failed build leaves the previous
//! output exactly as it was.

mod behind;
mod carry;
mod recycle;
mod sweep;

pub(crate) use carry::{Digest, MANIFEST};
pub(crate) use sweep::finish_background;
use sweep::{parent_and_name, sweep_leftovers};

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where renderers put files. Paths are relative to the output root, with `/`.
pub(crate) trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// [`Sink::write`] of bytes whose digest the caller already took (the card cache
    /// keeps it), so they are not hashed twice.
    fn write_digested(&self, rel: &str, bytes: &[u8], _digest: Digest) -> io::Result<()> {
        self.write(rel, bytes)
    }
    /// Writes `rel` from `fill`, which writes the file's bytes in pieces: a big
    /// document (the handbook) goes to disk as it is laid out. Sinks that need the
    /// whole file at once collect it first. Returns the file's size and hash.
    fn write_stream(&self, rel: &str, fill: &mut Fill<'_>) -> io::Result<Digest> {
        let mut buf = Vec::new();
        fill(&mut buf)?;
        let digest = Digest::of(&buf);
        self.write_digested(rel, &buf, digest)?;
        Ok(digest)
    }
    /// The file `rel` as the previous build left it, opened for reading, when it holds
    /// exactly the bytes `digest` describes: the handbook copies unchanged chapters'
    /// pages out of it. It stays readable until this build is done.
    fn previous(&self, _rel: &str, _digest: Digest) -> Option<std::fs::File> {
        None
    }
    /// Puts `rel` in the output without its bytes, when the sink already has a file
    /// with exactly the bytes `digest` describes (the previous output's, or what it
    /// last wrote there): the caller then need not make them. False: write it.
    fn carry(&self, _rel: &str, _digest: Digest) -> bool {
        false
    }
    /// Bytes written so far (for the build summary).
    fn bytes(&self) -> u64 {
        0
    }
}

/// What [`Sink::write_stream`] calls to write a file's bytes.
pub(crate) type Fill<'a> = dyn FnMut(&mut dyn io::Write) -> io::Result<()> + 'a;

/// Discards everything: `mingbai check` renders every page but writes nothing.
#[derive(Default)]
pub(crate) struct NullSink {
    bytes: AtomicU64,
}

impl Sink for NullSink {
    fn write(&self, _rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }
    fn write_stream(&self, _rel: &str, fill: &mut Fill<'_>) -> io::Result<Digest> {
        let mut w = carry::DigestWriter::new(io::sink());
        fill(&mut w)?;
        let digest = w.digest();
        self.bytes.fetch_add(digest.len(), Ordering::Relaxed);
        Ok(digest)
    }
    fn carry(&self, _rel: &str, digest: Digest) -> bool {
        self.bytes.fetch_add(digest.len(), Ordering::Relaxed);
        true
    }
    fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// A build in progress, aside from the real output folder.
pub(crate) struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    bytes: AtomicU64,
    /// The output being replaced, whose unchanged files are linked, not written.
    previous: Option<carry::Previous>,
    manifest: carry::Manifest,
    /// When the folder is a reused trash folder: what it held ([`recycle`]).
    recycled: Option<recycle::Listing>,
}

impl Staging {
    pub(crate) fn new(target: &Path) -> io::Result<Staging> {
        let (parent, name) = parent_and_name(target);
        let parent = parent.as_path();
        std::fs::create_dir_all(parent)?;
        let dir = parent.join(format!(".{name}.tmp-build-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        // The site the build before last replaced becomes this build's folder; other
        // leftovers are deleted beside the build.
        let recycled = recycle::take_trash(parent, &name, &dir);
        sweep_leftovers(parent, &name);
        if recycled.is_none() {
            std::fs::create_dir_all(&dir)?;
        }
        // The mark that lets later builds replace this folder (see guard::output_refusal).
        let marker = dir.join(crate::guard::MARKER);
        let _ = std::fs::remove_file(&marker);
        std::fs::write(marker, crate::guard::MARKER_TEXT)?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            bytes: AtomicU64::new(0),
            previous: carry::Previous::load(target),
            manifest: carry::Manifest::default(),
            recycled,
        })
    }

    /// Replaces the target folder with the staged one. The replaced folder is renamed
    /// to a trash name, not deleted: deleting a whole site here would sit on the build's
    /// critical path, and on ext4 freeing 10,000 inodes slows the next run's writes. The
    /// next run deletes it in the background ([`sweep_leftovers`]); most of its files
    /// are hard links into the new output anyway ([`carry`]).
    pub(crate) fn commit(self) -> io::Result<()> {
        let target = self.target.clone();
        if let Some(old) = self.commit_keeping_old()? {
            let (parent, name) = parent_and_name(&target);
            static N: AtomicU64 = AtomicU64::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let trash = parent.join(format!(".{name}.trash-{}-{n}", std::process::id()));
            if std::fs::rename(&old, &trash).is_err() {
                // A trash folder of an earlier process with our pid: delete now.
                return std::fs::remove_dir_all(old);
            }
        }
        Ok(())
    }

    /// Like [`Staging::commit`], but returns the replaced folder (moved aside) for the
    /// caller to delete when it suits it: `mingbai serve` deletes it in the background.
    pub(crate) fn commit_keeping_old(mut self) -> io::Result<Option<PathBuf>> {
        if let Some(listing) = self.recycled.take() {
            let mut keep = self.manifest.paths();
            keep.insert(crate::guard::MARKER.to_string());
            listing.clear(&self.dir, &keep)?;
        }
        let _ = std::fs::remove_file(self.dir.join(carry::MANIFEST));
        self.manifest.write(&self.dir)?;
        let old = swap_into_place(&self.dir, &self.target)?;
        self.committed = true;
        Ok(old)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_digested(rel, bytes, Digest::of(bytes))
    }
    fn write_digested(&self, rel: &str, bytes: &[u8], digest: Digest) -> io::Result<()> {
        if self.carry(rel, digest) {
            return Ok(());
        }
        let path = self.dir.join(rel);
        if self.recycled.is_some() || self.previous.as_ref().is_some_and(|p| p.had(rel)) {
            // Written twice in one build, or a file of the reused folder: never write
            // through a link into the previous output, which must stay whole until the
            // swap.
            let _ = std::fs::remove_file(&path);
        }
        let mut written = write_file(&path, bytes);
        if written.is_err() && self.recycled.is_some() {
            // A folder of the reused site where this file goes, or a file where its
            // folder goes.
            recycle::clear_way(&self.dir, &path);
            written = write_file(&path, bytes);
        }
        written.map_err(|e| naming(rel, e))?;
        self.manifest.add(rel, digest);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }
    fn write_stream(&self, rel: &str, fill: &mut Fill<'_>) -> io::Result<Digest> {
        let path = self.dir.join(rel);
        if self.recycled.is_some() {
            recycle::clear_way(&self.dir, &path);
        }
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| naming(rel, e))?;
        }
        // Never write through a link into the previous output.
        let _ = std::fs::remove_file(&path);
        let file = std::fs::File::create(&path).map_err(|e| naming(rel, e))?;
        let behind = behind::Behind::new(file).map_err(|e| naming(rel, e))?;
        let mut w = carry::DigestWriter::new(behind);
        fill(&mut w)?;
        let digest = w.digest();
        w.into_inner().finish().map_err(|e| naming(rel, e))?;
        self.manifest.add(rel, digest);
        self.bytes.fetch_add(digest.len(), Ordering::Relaxed);
        Ok(digest)
    }
    fn previous(&self, rel: &str, digest: Digest) -> Option<std::fs::File> {
        self.previous.as_ref()?.open(rel, digest)
    }
    fn carry(&self, rel: &str, digest: Digest) -> bool {
        let path = self.dir.join(rel);
        let Some((old, meta)) = self
            .previous
            .as_ref()
            .and_then(|p| p.unchanged(rel, digest))
        else {
            return false;
        };
        let link = || {
            path.parent()
                .is_none_or(|d| std::fs::create_dir_all(d).is_ok())
                && std::fs::hard_link(&old, &path).is_ok()
        };
        let linked = match &self.recycled {
            None => link(),
            // The reused folder may hold the very file already (carried over twice).
            Some(_) if recycle::same_file(&path, &meta) => true,
            Some(_) => {
                let _ = std::fs::remove_file(&path);
                link() || {
                    recycle::clear_way(&self.dir, &path);
                    link()
                }
            }
        };
        if linked {
            self.manifest.add(rel, digest);
            self.bytes.fetch_add(digest.len(), Ordering::Relaxed);
        }
        linked
    }
    fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes into a live output folder (`mingbai serve`): each file atomically, and only
/// when its bytes differ from what this sink last wrote there, so a rebuild touches
/// only the files that really changed.
pub(crate) struct InPlace {
    dir: PathBuf,
    hashes: std::sync::Mutex<std::collections::HashMap<String, Digest>>,
    manifest_gone: std::sync::atomic::AtomicBool,
    written: std::sync::atomic::AtomicUsize,
}

impl InPlace {
    pub(crate) fn new(dir: &Path) -> InPlace {
        InPlace {
            dir: dir.to_path_buf(),
            hashes: Default::default(),
            manifest_gone: Default::default(),
            written: Default::default(),
        }
    }

    /// Files written since the last call (unchanged ones are not counted).
    pub(crate) fn take_written(&self) -> usize {
        self.written.swap(0, Ordering::Relaxed)
    }

    /// Records `rel` as already holding `bytes` (after a staged build was swapped in).
    pub(crate) fn remember(&self, rel: &str, bytes: &[u8]) {
        self.holds(rel, Digest::of(bytes));
    }

    /// Records `rel` as holding the bytes `digest` describes.
    fn holds(&self, rel: &str, digest: Digest) {
        self.hashes.lock().unwrap().insert(rel.to_string(), digest);
    }

    /// The files under `prefix` this sink wrote or remembers.
    pub(crate) fn files_under(&self, prefix: &str) -> Vec<String> {
        let hashes = self.hashes.lock().unwrap();
        hashes
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Removes a file that is no longer part of the site.
    pub(crate) fn remove(&self, rel: &str) -> io::Result<()> {
        self.hashes.lock().unwrap().remove(rel);
        let path = self.dir.join(rel);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // Drop folders left empty (a removed entry's `id/` folder), up to the root.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.dir || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

impl Sink for InPlace {
    fn carry(&self, rel: &str, digest: Digest) -> bool {
        self.hashes.lock().unwrap().get(rel) == Some(&digest)
    }
    fn previous(&self, rel: &str, digest: Digest) -> Option<std::fs::File> {
        if !self.carry(rel, digest) {
            return None;
        }
        // Files are replaced by rename, so an open file keeps its bytes.
        std::fs::File::open(self.dir.join(rel)).ok()
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_digested(rel, bytes, Digest::of(bytes))
    }
    fn write_digested(&self, rel: &str, bytes: &[u8], h: Digest) -> io::Result<()> {
        if self.carry(rel, h) {
            return Ok(());
        }
        if !self.manifest_gone.swap(true, Ordering::Relaxed) {
            // The build's manifest describes the output as built; from the first file
            // written in place it no longer does (the next build writes everything).
            let _ = std::fs::remove_file(self.dir.join(MANIFEST));
        }
        write_file_atomic(&self.dir.join(rel), bytes).map_err(|e| naming(rel, e))?;
        self.holds(rel, h);
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Writes held back until a whole change has rendered: a change to the live output of
/// `mingbai serve` is all or nothing, so a template that fails for one page leaves
/// every other page as it was too. Only files whose bytes differ from what the
/// [`InPlace`] sink last wrote are held.
pub(crate) struct Deferred<'a> {
    target: &'a InPlace,
    pending: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
}

impl<'a> Deferred<'a> {
    pub(crate) fn new(target: &'a InPlace) -> Deferred<'a> {
        Deferred {
            target,
            pending: Default::default(),
        }
    }

    /// Writes everything held, in the order it came.
    pub(crate) fn commit(self) -> io::Result<()> {
        for (rel, bytes) in self.pending.into_inner().unwrap_or_default() {
            self.target.write(&rel, &bytes)?;
        }
        Ok(())
    }
}

impl Sink for Deferred<'_> {
    fn carry(&self, rel: &str, digest: Digest) -> bool {
        self.target.carry(rel, digest)
    }
    fn previous(&self, rel: &str, digest: Digest) -> Option<std::fs::File> {
        self.target.previous(rel, digest)
    }
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if !self.target.carry(rel, Digest::of(bytes)) {
            self.pending
                .lock()
                .unwrap()
                .push((rel.to_string(), bytes.to_vec()));
        }
        Ok(())
    }
}

/// A sink that passes writes on and remembers them in an [`InPlace`] (the first build
/// of `mingbai serve` is staged, the later ones are written in place).
pub(crate) struct Remembering<'a> {
    pub inner: &'a dyn Sink,
    pub memory: &'a InPlace,
}

impl Sink for Remembering<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(rel, bytes)?;
        self.memory.remember(rel, bytes);
        Ok(())
    }
    fn carry(&self, rel: &str, digest: Digest) -> bool {
        let carried = self.inner.carry(rel, digest);
        if carried {
            self.memory.holds(rel, digest);
        }
        carried
    }
    fn previous(&self, rel: &str, digest: Digest) -> Option<std::fs::File> {
        self.inner.previous(rel, digest)
    }
    fn bytes(&self) -> u64 {
        self.inner.bytes()
    }
}

/// The error with the output file it is about: "Is a directory" alone named nothing.
fn naming(rel: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{rel}: {e}"))
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// Writes a single file so readers never see it half-written (temp file, then rename).
pub(crate) fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy().to_string());
    // Unique per thread too: pages are written in parallel.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = parent.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let done = std::fs::write(&tmp, bytes)
        .and_then(|()| retry_while_in_use(|| std::fs::rename(&tmp, path), in_use));
    if done.is_err() {
        // A full disk leaves no half-written temporary file behind.
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// Whether `e` says a file is open elsewhere: on Windows a file being read (the preview
/// server sending it to the browser, a virus scanner, the search indexer) cannot be
/// replaced until the reader closes it (access denied, or a sharing violation).
fn in_use(e: &io::Error) -> bool {
    cfg!(windows) && (e.kind() == io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(32))
}

/// Runs `op` until it succeeds or fails for a reason other than `busy`, waiting 5 ms
/// and then twice as long each time, about 1.3 s in all: a reader holds a page for
/// milliseconds, and a save that failed for it left the preview on the last site (a
/// Windows CI run under Wine). npm's graceful-fs retries such renames the same way.
fn retry_while_in_use(
    mut op: impl FnMut() -> io::Result<()>,
    busy: impl Fn(&io::Error) -> bool,
) -> io::Result<()> {
    let mut wait = std::time::Duration::from_millis(5);
    for _ in 0..8 {
        match op() {
            Err(e) if busy(&e) => std::thread::sleep(wait),
            done => return done,
        }
        wait *= 2;
    }
    op()
}

/// Moves `staged` to `target`, replacing what was there; the replaced folder is
/// returned for deletion. On Linux the two folders are exchanged in one step
/// (`renameat2` with `RENAME_EXCHANGE`), so `target` always holds a whole site, even
/// if mingbai is killed mid-swap; elsewhere, or on a file system without the exchange,
/// the old folder is moved aside first and put back if the second rename fails.
fn swap_into_place(staged: &Path, target: &Path) -> io::Result<Option<PathBuf>> {
    if !target.exists() {
        return std::fs::rename(staged, target).map(|()| None);
    }
    let (parent, name) = parent_and_name(target);
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    if exchange(staged, target)? {
        // `staged` now holds the old site under a build folder's name, which a killed
        // run's sweep would also remove; renamed so a running `serve` can delete it in
        // the background while its next build stages under the same name.
        std::fs::rename(staged, &old)?;
        return Ok(Some(old));
    }
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    Ok(Some(old))
}

/// Exchanges two paths atomically. `Ok(false)`: this system cannot, use renames.
#[cfg(target_os = "linux")]
pub(crate) fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, tr!("output-nul-in-path")))
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // The system call itself: musl (the static release binaries) has no renameat2
    // wrapper, and glibc's is the same call.
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // Old kernel, or a file system without exchange (some network mounts).
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests;
