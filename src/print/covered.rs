//! Which sources the last build found every character of in the fonts: a source with
//! the same text, under the same print setup (fonts, settings, style), is not looked
//! through again.
//!
//! Every character of every entry is checked against the font chain before any layout
//! ([`super::Engine::check_coverage`]): at 1,000 entries 13 MB of sources, 11 ms before
//! the cards or the handbook could start after one edit, for the same answer as the
//! last build's. `.mingbai-cache/covered.bin` holds the print setup's key and a hash of
//! each source's text; it is replaced only after a build succeeded, and one that is
//! damaged, cut short or of another setup is ignored (every source is looked through).
//! A build whose check added a face from the system's fonts records nothing: a source
//! that needed one is looked through again, which adds it.

use std::collections::HashSet;
use std::path::Path;

use super::cache::{DIR, Key, read_file, seal, unseal};

const FILE: &str = "covered.bin";
const MAGIC: &[u8] = concat!("mingbai covered 1 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// The hash a source's text is known by.
pub(crate) fn sum(text: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// The sources' hashes the last build saved under `setup`; empty when there are none.
pub(crate) fn open(root: &Path, setup: Key) -> HashSet<u128> {
    read_file(&root.join(DIR).join(FILE))
        .and_then(|b| parse(&b, setup))
        .unwrap_or_default()
}

fn parse(bytes: &[u8], setup: Key) -> Option<HashSet<u128>> {
    let body = unseal(bytes)?.strip_prefix(MAGIC)?;
    let (key, sums) = body.split_at_checked(16)?;
    if u128::from_le_bytes(key.try_into().ok()?) != setup || sums.len() % 16 != 0 {
        return None;
    }
    Some(
        sums.chunks_exact(16)
            .map(|s| u128::from_le_bytes(s.try_into().expect("16 bytes")))
            .collect(),
    )
}

/// For the fuzz tests: `input` read as a record, sealed as it is and sealed afresh (so
/// the body is read past the checksum), under the setup key it names.
pub(crate) fn fuzz_parse(input: &[u8]) {
    super::cache::fuzz_setup_record(input, MAGIC, |b, setup| {
        let _ = parse(b, setup);
    });
}

/// The record of `sums` (the sources a build found covered) under `setup`.
pub(crate) fn record(setup: Key, sums: &[u128]) -> Vec<u8> {
    let mut w = Vec::with_capacity(MAGIC.len() + 16 * (sums.len() + 2));
    w.extend_from_slice(MAGIC);
    w.extend_from_slice(&setup.to_le_bytes());
    for s in sums {
        w.extend_from_slice(&s.to_le_bytes());
    }
    seal(w)
}

/// Puts `record` in place in the cache folder `dir`; called once the build succeeded.
/// Only a saving: when it cannot be written, the next build looks through every source.
pub(crate) fn save(dir: &Path, record: &[u8]) {
    super::cache::replace_file(dir, FILE, record);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_under_its_setup_only() {
        let dir = tempfile::tempdir().unwrap();
        let sums = [sum("title = \"低保\""), sum("")];
        assert!(open(dir.path(), 7).is_empty());
        save(&dir.path().join(DIR), &record(7, &sums));
        assert_eq!(open(dir.path(), 7), sums.into_iter().collect());
        assert!(open(dir.path(), 8).is_empty());
        // Cut short or changed: ignored.
        let path = dir.path().join(DIR).join(FILE);
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 1]).unwrap();
        assert!(open(dir.path(), 7).is_empty());
        let mut changed = whole.clone();
        changed[MAGIC.len() + 20] ^= 1;
        std::fs::write(&path, changed).unwrap();
        assert!(open(dir.path(), 7).is_empty());
    }
}
