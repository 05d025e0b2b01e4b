//! Test documents and an in-memory sink for the index's tests.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Doc, Index};
use crate::output::{Digest, Sink};

/// Files written in memory; with a previous output, [`Sink::carry`] carries over
/// those of its files that hold the bytes asked for, and a write of the bytes a file
/// has there carries it, as a staged build does.
#[derive(Default)]
pub(super) struct Mem {
    now: Mutex<BTreeMap<String, Vec<u8>>>,
    previous: BTreeMap<String, Vec<u8>>,
    carried: AtomicUsize,
}

impl Sink for Mem {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        // As a staged build: bytes the previous output holds already are carried.
        if self.carry(rel, Digest::of(bytes)) {
            return Ok(());
        }
        self.now.lock().unwrap().insert(rel.into(), bytes.to_vec());
        Ok(())
    }
    fn carry(&self, rel: &str, digest: Digest) -> bool {
        let Some(bytes) = self.previous.get(rel).filter(|b| Digest::of(b) == digest) else {
            return false;
        };
        self.now.lock().unwrap().insert(rel.into(), bytes.clone());
        self.carried.fetch_add(1, Ordering::Relaxed);
        true
    }
}

impl Mem {
    /// A sink whose previous output holds `files`.
    pub(super) fn after(files: BTreeMap<String, Vec<u8>>) -> Mem {
        Mem {
            previous: files,
            ..Mem::default()
        }
    }

    pub(super) fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.now.lock().unwrap().clone()
    }

    /// How many files were carried over.
    pub(super) fn carried(&self) -> usize {
        self.carried.load(Ordering::Relaxed)
    }
}

/// Deterministic pseudo-random text of common Han characters, with some numbers.
pub(super) fn text(seed: u64, len: usize) -> String {
    let mut next = crate::testing::xorshift(
        seed.wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407),
    );
    let mut s = String::new();
    for _ in 0..len {
        let x = next();
        if x % 29 == 0 {
            s.push_str(&format!("{}", x % 100_000));
        } else {
            // 600 characters from 一 on: enough bigrams for several shards.
            s.push(char::from_u32(0x4e00 + (x % 600) as u32).unwrap());
        }
    }
    s
}

pub(super) fn doc(i: usize, seed: u64, body_len: usize) -> Doc {
    Doc::new(
        format!("/d/{i}/"),
        format!("d/{i}"),
        [
            text(seed, 6),
            "章".into(),
            text(seed + 1, 20),
            String::new(),
        ],
        text(seed + 2, body_len).into(),
        Vec::new(),
        Vec::new(),
    )
}

pub(super) fn corpus(n: usize, body_len: usize) -> Vec<Doc> {
    (0..n).map(|i| doc(i, i as u64 * 3, body_len)).collect()
}

/// What a full build of `docs` writes.
pub(super) fn full(docs: Vec<Doc>) -> BTreeMap<String, Vec<u8>> {
    let mem = Mem::default();
    Index::build(docs).write(&mem).unwrap();
    mem.files()
}
