//! The card cache's files on disk: each is its fields, little-endian, after a magic
//! line naming the format and mingbai's version, sealed with a checksum of them all, and
//! put in place in one step (written beside, then renamed over). A file that is cut
//! short, damaged or from another version reads as `None`, never as something else.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{BOOK_MAGIC, Key, KeyHasher, MAGIC, MAX_FILE, Pulled, Stored};
use crate::output::Digest;
use crate::print::handbook::Book;
use crate::print::sheets::Sheets;
use crate::typeset::embed::GlyphTable;

/// The cache file: the cards, the imposed sheets, what each card template's inputs made.
pub(super) fn write(
    cards: &[(Key, Stored)],
    sheets: Option<Sheets>,
    pulled: &[(Key, Pulled)],
) -> Vec<u8> {
    let mut w = Vec::with_capacity(64 + cards.iter().map(|c| 48 + c.1.blob.len()).sum::<usize>());
    w.extend_from_slice(MAGIC);
    w.extend_from_slice(&(cards.len() as u64).to_le_bytes());
    for (key, s) in cards {
        w.extend_from_slice(&key.to_le_bytes());
        w.extend_from_slice(&s.faces.to_le_bytes());
        let (len, hash) = s.pdf.parts();
        w.extend_from_slice(&len.to_le_bytes());
        w.extend_from_slice(&hash.to_le_bytes());
        w.extend_from_slice(&(s.blob.len() as u64).to_le_bytes());
        w.extend_from_slice(&s.blob);
    }
    match sheets {
        Some(s) => {
            w.push(1);
            s.encode(&mut w);
        }
        None => w.push(0),
    }
    w.extend_from_slice(&(pulled.len() as u64).to_le_bytes());
    for (inputs, p) in pulled {
        w.extend_from_slice(&inputs.to_le_bytes());
        w.extend_from_slice(&p.key.to_le_bytes());
        w.extend_from_slice(&p.bodies.to_le_bytes());
        w.extend_from_slice(&(p.ids.len() as u32).to_le_bytes());
        for id in &p.ids {
            w.extend_from_slice(&(id.len() as u32).to_le_bytes());
            w.extend_from_slice(id.as_bytes());
        }
    }
    seal(w)
}

/// Creates the cache folder `dir` if it is missing, with a `.gitignore`; whether it was
/// made now.
pub(super) fn make_dir(dir: &Path) -> bool {
    let made = !dir.exists();
    let _ = std::fs::create_dir_all(dir);
    // Nothing here belongs in version control or a copy of the handbook's source.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# mingbai's cache: safe to delete.\n*\n");
    }
    made
}

/// Puts `bytes` in the cache file `name` in `dir` in one step (written beside it,
/// then renamed over it). A cache is only a saving: failing to write it is no error.
pub(crate) fn replace_file(dir: &Path, name: &str, bytes: &[u8]) {
    make_dir(dir);
    if let Some(tmp) = write_aside(dir, name, bytes)
        && std::fs::rename(&tmp, dir.join(name)).is_err()
    {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Writes `bytes` beside the cache file `name` in `dir`; the path written, or `None`
/// (and nothing left behind) when it could not be.
pub(super) fn write_aside(dir: &Path, name: &str, bytes: &[u8]) -> Option<PathBuf> {
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    match std::fs::write(&tmp, bytes) {
        Ok(()) => Some(tmp),
        Err(_) => {
            let _ = std::fs::remove_file(&tmp);
            None
        }
    }
}

/// For the fuzz tests: `input` read by `parse` as a record that starts with `magic`,
/// under the setup key it names there, sealed as it is and sealed afresh (so the body is
/// read past the checksum).
pub(crate) fn fuzz_setup_record(input: &[u8], magic: &[u8], parse: impl Fn(&[u8], Key)) {
    let setup = input
        .strip_prefix(magic)
        .and_then(|b| b.get(..16))
        .map_or(0, |k| u128::from_le_bytes(k.try_into().expect("16 bytes")));
    parse(input, setup);
    parse(&seal(input.to_vec()), setup);
}

/// `body` with its checksum after it.
pub(crate) fn seal(mut body: Vec<u8>) -> Vec<u8> {
    let sum = KeyHasher::new("sum").add(&body).finish();
    body.extend_from_slice(&sum.to_le_bytes());
    body
}

/// What `seal` sealed, when its checksum holds.
pub(crate) fn unseal(bytes: &[u8]) -> Option<&[u8]> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(16)?)?;
    (KeyHasher::new("sum").add(body).finish() == u128::from_le_bytes(sum.try_into().ok()?))
        .then_some(body)
}

/// The handbook's record at `path`; `None` when it is missing, from another version
/// or damaged.
pub(super) fn read_book(path: &Path) -> Option<Book> {
    let bytes = read_file(path)?;
    let mut r = unseal(&bytes)?.strip_prefix(BOOK_MAGIC)?;
    let book = Book::decode(&mut r)?;
    r.is_empty().then_some(book)
}

/// A cache file's bytes, unless it is larger than any cache this writes.
pub(crate) fn read_file(path: &Path) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    if len > MAX_FILE {
        return None;
    }
    // Sized at once: `take` hides the length from `read_to_end`, which then grew the
    // buffer by doubling (the card cache is 23 MB at 10,000 entries).
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()? + 1);
    file.take(MAX_FILE).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The cards, the imposed sheets, and what each card template's inputs made.
pub(crate) type Contents = (HashMap<Key, Stored>, Option<Sheets>, HashMap<Key, Pulled>);

/// The cache file at `path`; `None` when it is missing, from another version, damaged
/// or cut short.
pub(super) fn read(path: &Path) -> Option<Contents> {
    read_bytes(&read_file(path)?)
}

/// A cache file's bytes, checked against their checksum and read.
pub(crate) fn read_bytes(bytes: &[u8]) -> Option<Contents> {
    parse_body(unseal(bytes)?)
}

/// The cache file without its checksum (the fuzz tests feed it anything).
pub(crate) fn parse_body(body: &[u8]) -> Option<Contents> {
    let mut r = Fields(body.strip_prefix(MAGIC)?);
    let n = r.u64()?;
    let mut cards = HashMap::new();
    for _ in 0..n {
        let key = r.u128()?;
        let faces = r.u32()?;
        let pdf = r.digest()?;
        let len = usize::try_from(r.u64()?).ok()?;
        let blob = r.take(len)?.to_vec();
        cards.insert(key, Stored { faces, pdf, blob });
    }
    let sheets = match r.u8()? {
        0 => None,
        1 => Some(Sheets::decode(&mut r)?),
        _ => return None,
    };
    let n = r.u64()?;
    let mut pulled = HashMap::new();
    for _ in 0..n {
        let inputs = r.u128()?;
        let key = r.u128()?;
        let bodies = r.u128()?;
        let count = r.u32()?;
        let mut ids = Vec::new();
        for _ in 0..count {
            ids.push(r.str()?.to_string());
        }
        pulled.insert(inputs, Pulled { key, ids, bodies });
    }
    r.0.is_empty().then_some((cards, sheets, pulled))
}

/// Writes `s` after its length (a `u32`), as [`Fields::str`] reads it.
pub(crate) fn put_str(w: &mut Vec<u8>, s: &str) {
    w.extend_from_slice(&(s.len() as u32).to_le_bytes());
    w.extend_from_slice(s.as_bytes());
}

/// Writes a glyph table: per face, (glyph id, its character).
pub(crate) fn put_glyphs(w: &mut Vec<u8>, glyphs: &GlyphTable) {
    w.extend_from_slice(&(glyphs.len() as u32).to_le_bytes());
    for face in glyphs {
        w.extend_from_slice(&(face.len() as u32).to_le_bytes());
        for &(gid, ch) in face {
            w.extend_from_slice(&gid.to_le_bytes());
            w.extend_from_slice(&(ch as u32).to_le_bytes());
        }
    }
}

/// The fields of a cache file, read front to back (little-endian, as written); a read
/// past the end is `None`.
pub(crate) struct Fields<'a>(pub(crate) &'a [u8]);

impl<'a> Fields<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, b) = self.0.split_at_checked(n)?;
        self.0 = b;
        Some(a)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// A glyph table [`put_glyphs`] wrote; counts are checked against the bytes left
    /// before anything is reserved.
    pub(crate) fn glyphs(&mut self) -> Option<GlyphTable> {
        let faces = self.u32()?;
        let mut glyphs = Vec::new();
        for _ in 0..faces {
            let n = self.u32()? as usize;
            let bytes = self.take(n.checked_mul(6)?)?;
            let face = bytes
                .chunks_exact(6)
                .map(|c| {
                    let gid = u16::from_le_bytes([c[0], c[1]]);
                    let ch = char::from_u32(u32::from_le_bytes([c[2], c[3], c[4], c[5]]))?;
                    Some((gid, ch))
                })
                .collect::<Option<Vec<_>>>()?;
            glyphs.push(face);
        }
        Some(glyphs)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    pub(crate) fn u128(&mut self) -> Option<u128> {
        self.array().map(u128::from_le_bytes)
    }

    /// A string written after its length (a `u32`).
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }

    /// A file's size and hash (two `u64`s, [`Digest::parts`]).
    pub(crate) fn digest(&mut self) -> Option<Digest> {
        Some(Digest::from_parts(self.u64()?, self.u64()?))
    }
}
