//! The font subsets of the handbook and the imposed sheets, kept between builds: the
//! same glyphs of the same face give the same subset, and after one edit the glyphs
//! are nearly always the last build's.
//!
//! `.mingbai-cache/subsets.bin` holds the print setup's key (fonts, settings, style:
//! [`super::cache::setup_key`]) and each subset a build used, by
//! [`crate::typeset::embed::SubsetMemo`]'s key. It is replaced only after a build
//! succeeded; one that is damaged, cut short or of another setup is ignored (every
//! subset is cut afresh). Household cards never put a subset here: which characters
//! their sheets use is personal data.

use std::collections::HashMap;
use std::path::Path;

use super::cache::{DIR, Key, read_file, seal, unseal};
use crate::typeset::embed::{Subset, SubsetMemo};

const FILE: &str = "subsets.bin";
const MAGIC: &[u8] = concat!("mingbai subsets 1 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// The memo of the subsets the last build saved under `setup`; empty when there are
/// none.
pub(crate) fn open(root: &Path, setup: Key) -> SubsetMemo {
    let old = read_file(&root.join(DIR).join(FILE))
        .and_then(|b| parse(&b, setup))
        .unwrap_or_default();
    SubsetMemo::with(old)
}

fn parse(bytes: &[u8], setup: Key) -> Option<HashMap<u128, Subset>> {
    let body = unseal(bytes)?.strip_prefix(MAGIC)?;
    let (key, mut rest) = body.split_at_checked(16)?;
    if u128::from_le_bytes(key.try_into().ok()?) != setup {
        return None;
    }
    let mut out = HashMap::new();
    while !rest.is_empty() {
        let (head, tail) = rest.split_at_checked(16 + 1 + 4)?;
        let key = u128::from_le_bytes(head[..16].try_into().ok()?);
        let len = u32::from_le_bytes(head[17..21].try_into().ok()?) as usize;
        let (bytes, tail) = tail.split_at_checked(len)?;
        let subset = match head[16] {
            0 => Subset::Cff(bytes.to_vec()),
            1 => Subset::TrueType(bytes.to_vec()),
            _ => return None,
        };
        out.insert(key, subset);
        rest = tail;
    }
    Some(out)
}

/// For the fuzz tests: `input` read as a record, sealed as it is and sealed afresh (so
/// the body is read past the checksum), under the setup key it names.
pub(crate) fn fuzz_parse(input: &[u8]) {
    super::cache::fuzz_setup_record(input, MAGIC, |b, setup| {
        let _ = parse(b, setup);
    });
}

/// The record of the subsets `memo` says this build used, under `setup`.
pub(crate) fn record(setup: Key, memo: &SubsetMemo) -> Vec<u8> {
    let used = memo.used();
    let size: usize = used.iter().map(|(_, s)| bytes(s).1.len() + 21).sum();
    let mut w = Vec::with_capacity(MAGIC.len() + 16 + size + 16);
    w.extend_from_slice(MAGIC);
    w.extend_from_slice(&setup.to_le_bytes());
    for (key, subset) in &used {
        let (kind, data) = bytes(subset);
        // A subset never nears 4 GB (a whole CJK face is 20 MB); one that did is left
        // out rather than written wrong.
        let Ok(len) = u32::try_from(data.len()) else {
            continue;
        };
        w.extend_from_slice(&key.to_le_bytes());
        w.push(kind);
        w.extend_from_slice(&len.to_le_bytes());
        w.extend_from_slice(data);
    }
    seal(w)
}

fn bytes(s: &Subset) -> (u8, &[u8]) {
    match s {
        Subset::Cff(b) => (0, b),
        Subset::TrueType(b) => (1, b),
    }
}

/// Puts `record` in place in the cache folder `dir`; called once the build succeeded.
/// Only a saving: when it cannot be written, the next build cuts its subsets afresh.
pub(crate) fn save(dir: &Path, record: &[u8]) {
    super::cache::replace_file(dir, FILE, record);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo_of(subsets: &[(u128, Subset)]) -> SubsetMemo {
        SubsetMemo::with(subsets.iter().cloned().collect())
    }

    #[test]
    fn a_record_reads_back_under_its_setup_only() {
        let dir = tempfile::tempdir().unwrap();
        let subsets = [
            (3u128, Subset::Cff(b"CFF table".to_vec())),
            (u128::MAX, Subset::TrueType(Vec::new())),
        ];
        // What a memo was given and then used is what its record holds.
        let memo = memo_of(&subsets);
        for (k, s) in &subsets {
            assert_eq!(memo.get(*k).as_ref(), Some(s));
        }
        assert!(open(dir.path(), 7).used().is_empty());
        save(&dir.path().join(DIR), &record(7, &memo));
        let back = open(dir.path(), 7);
        for (k, s) in &subsets {
            assert_eq!(back.get(*k).as_ref(), Some(s));
        }
        assert!(open(dir.path(), 8).get(3).is_none());
        // Cut short or changed: ignored.
        let path = dir.path().join(DIR).join(FILE);
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 1]).unwrap();
        assert!(open(dir.path(), 7).get(3).is_none());
        let mut changed = whole.clone();
        changed[MAGIC.len() + 20] ^= 1;
        std::fs::write(&path, changed).unwrap();
        assert!(open(dir.path(), 7).get(3).is_none());
        // A length past the end, sealed afresh: not read.
        let mut body = unseal(&whole).unwrap().to_vec();
        let at = MAGIC.len() + 16 + 17;
        body[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(parse(&seal(body), 7).is_none());
    }

    #[test]
    fn only_the_subsets_a_build_used_are_kept() {
        let memo = memo_of(&[(1, Subset::Cff(vec![1])), (2, Subset::Cff(vec![2]))]);
        assert!(memo.used().is_empty());
        memo.get(2);
        memo.get(2);
        let kept = parse(&record(5, &memo), 5).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[&2], Subset::Cff(vec![2]));
    }
}
