//! Files a build carries over from the previous output instead of writing them again.
//!
//! Every staged build records what it wrote in a manifest (`.mingbai-manifest`: each
//! file's size and a hash of its bytes). The next build, for each file whose bytes hash
//! the same as last time, hard-links the previous output's file into the new folder:
//! no data is written, and when the old folder is deleted after the swap the file lives
//! on in the new one, so neither the write nor the delete touches its blocks. Where the
//! link fails (another file system, FAT, permissions) the file is written as usual.
//!
//! A previous file is trusted only when the manifest was written by this version of
//! mingbai, the file still has the recorded size and it was not modified after the
//! manifest (someone editing `public/` by hand gets their file replaced, not kept).

use std::collections::HashMap;
use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use xxhash_rust::xxh3::Xxh3;

pub(crate) const MANIFEST: &str = ".mingbai-manifest";
const HEADER: &str = concat!("mingbai-manifest 3 ", env!("CARGO_PKG_VERSION"));

/// A file's size and a hash of its bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Digest {
    len: u64,
    hash: u64,
}

impl Digest {
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Size and hash, as a cache stores them; [`Digest::from_parts`] reads them back.
    pub(crate) fn parts(&self) -> (u64, u64) {
        (self.len, self.hash)
    }

    pub(crate) fn from_parts(len: u64, hash: u64) -> Digest {
        Digest { len, hash }
    }

    /// The digest of everything `r` reads.
    pub(crate) fn of_reader(mut r: impl io::Read) -> io::Result<Digest> {
        let mut w = DigestWriter::new(io::sink());
        io::copy(&mut r, &mut w)?;
        Ok(w.digest())
    }

    pub(crate) fn of(bytes: &[u8]) -> Digest {
        let mut w = DigestWriter::new(io::sink());
        let _ = io::Write::write_all(&mut w, bytes);
        w.digest()
    }
}

/// A writer that passes bytes on and takes their [`Digest`] on the way: a file written
/// in pieces (the handbook) gets the digest its whole bytes would.
pub(super) struct DigestWriter<W> {
    inner: W,
    // XXH3-64, no seed: the same bytes give the same hash in every run. Fed bytes only
    // (no length prefix), so any split of the same bytes hashes alike.
    hash: Box<Xxh3>,
    len: u64,
}

impl<W: io::Write> DigestWriter<W> {
    pub(super) fn new(inner: W) -> DigestWriter<W> {
        DigestWriter {
            inner,
            hash: Default::default(),
            len: 0,
        }
    }

    pub(super) fn digest(&self) -> Digest {
        Digest {
            len: self.len,
            hash: self.hash.digest(),
        }
    }

    pub(super) fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: io::Write> io::Write for DigestWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The previous output and what its manifest says it holds.
pub(super) struct Previous {
    dir: PathBuf,
    written: SystemTime,
    files: HashMap<String, Digest>,
}

impl Previous {
    /// The manifest of the output folder `dir`, if it has one from this version.
    pub(super) fn load(dir: &Path) -> Option<Previous> {
        let path = dir.join(MANIFEST);
        let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
        let text = std::fs::read_to_string(&path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let files = lines
            .filter_map(|l| {
                let mut parts = l.splitn(3, ' ');
                let len = u64::from_str_radix(parts.next()?, 16).ok()?;
                let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                Some((parts.next()?.to_string(), Digest { len, hash }))
            })
            .collect();
        Some(Previous {
            dir: dir.to_path_buf(),
            written,
            files,
        })
    }

    /// Every file the manifest names.
    pub(super) fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// When the manifest was written: the build that made the folder had finished it.
    pub(super) fn written(&self) -> SystemTime {
        self.written
    }

    /// Whether the previous output had `rel` (so `dest` may be a link to it).
    pub(super) fn had(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// The previous `rel` opened for reading when its bytes are `digest`.
    pub(super) fn open(&self, rel: &str, digest: Digest) -> Option<std::fs::File> {
        let file = std::fs::File::open(self.unchanged(rel, digest)?.0).ok()?;
        // Checked again on the open file: it may have been replaced in between.
        let m = file.metadata().ok()?;
        (m.is_file() && m.len() == digest.len).then_some(file)
    }

    /// The path of the previous `rel` when the manifest says it holds `digest` and the
    /// file has that size and was not touched since, with what it is on disk.
    pub(super) fn unchanged(&self, rel: &str, digest: Digest) -> Option<(PathBuf, Metadata)> {
        if self.files.get(rel) != Some(&digest) {
            return None;
        }
        let old = self.dir.join(rel);
        let m = std::fs::symlink_metadata(&old).ok()?;
        let unchanged =
            m.is_file() && m.len() == digest.len && m.modified().is_ok_and(|t| t <= self.written);
        unchanged.then_some((old, m))
    }
}

/// What a build wrote, for the next build's [`Previous`].
#[derive(Default)]
pub(super) struct Manifest(Mutex<Vec<(String, Digest)>>);

impl Manifest {
    pub(super) fn add(&self, rel: &str, digest: Digest) {
        self.0.lock().unwrap().push((rel.to_string(), digest));
    }

    /// Every file recorded.
    pub(super) fn paths(&self) -> std::collections::HashSet<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// Writes the manifest into the staged folder `dir`.
    pub(super) fn write(&self, dir: &Path) -> io::Result<()> {
        let mut files = std::mem::take(&mut *self.0.lock().unwrap());
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        let mut text = String::with_capacity(64 * files.len() + 64);
        text.push_str(HEADER);
        text.push('\n');
        for (rel, d) in files {
            // A name the line format cannot hold is simply written again next time.
            if !rel.contains(['\n', '\r']) {
                text.push_str(&format!("{:x} {:x} {rel}\n", d.len, d.hash));
            }
        }
        std::fs::write(dir.join(MANIFEST), text)
    }
}
