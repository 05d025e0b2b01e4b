//! Helpers for tests that run the `mingbai` binary on fixture sites.
#![allow(dead_code)]

pub mod sheets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies `src` into `dst` (creating it), overwriting files of the same path.
pub fn copy_tree(src: &Path, dst: &Path) {
    for item in walkdir::WalkDir::new(src) {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(item.path(), &to).unwrap();
        }
    }
}

/// A fresh copy of a fixture site in a temporary folder.
pub fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(name), dir.path());
    dir
}

/// Runs mingbai with `args` in `cwd`, with today's date pinned.
pub fn mingbai(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mingbai"))
        .args(args)
        .current_dir(cwd)
        .env("MINGBAI_TODAY", "2026-11-22")
        .output()
        .expect("run mingbai")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}
