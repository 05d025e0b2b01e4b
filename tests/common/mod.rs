//! Helpers for tests that run the `mingbai` binary on fixture sites.
#![allow(dead_code)]

pub mod pdf;
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

/// The mingbai under test: this build's binary, or the one `MINGBAI_TEST_EXE` names,
/// run through `MINGBAI_TEST_RUNNER` (CI runs the Windows exe under `wine`, the ARM64
/// binary under `qemu-aarch64-static`).
pub fn command() -> Command {
    let mut c = runner();
    // Messages in the default language (Chinese) whatever the machine's locale.
    c.env("MINGBAI_LANG", "zh-CN");
    c
}

fn runner() -> Command {
    match std::env::var_os("MINGBAI_TEST_EXE") {
        Some(exe) => {
            let runner = std::env::var("MINGBAI_TEST_RUNNER").unwrap_or_else(|_| "wine".into());
            let mut c = Command::new(runner);
            c.arg(exe).env("WINEDEBUG", "-all");
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_mingbai")),
    }
}

/// Whether the binary under test is a Windows one (no Unix file modes there).
pub fn windows_exe() -> bool {
    std::env::var("MINGBAI_TEST_EXE").is_ok_and(|e| e.ends_with(".exe"))
}

/// Runs mingbai with `args` in `cwd`, with today's date pinned.
pub fn mingbai(cwd: &Path, args: &[&str]) -> Output {
    run(command()
        .args(args)
        .current_dir(cwd)
        .env("MINGBAI_TODAY", "2026-11-22"))
}

/// Runs `cmd` to its end. Under Wine, a start that failed before mingbai's `main` (exit
/// status 66: Windows' STATUS_DLL_INIT_FAILED, 0xC0000142, cut to its low byte; a
/// loaded CI machine's wineserver gave it once) is tried again: mingbai itself never
/// exits with 66, and a process that never started changed nothing.
pub fn run(cmd: &mut Command) -> Output {
    let never_started = |o: &Output| windows_exe() && o.status.code() == Some(66);
    for _ in 1..3 {
        let o = cmd.output().expect("run mingbai");
        if !never_started(&o) {
            return o;
        }
    }
    cmd.output().expect("run mingbai")
}

/// `mingbai build` in `root` with English messages, as it ended.
pub fn english_build_output(root: &Path) -> std::process::Output {
    run(command()
        .args(["build"])
        .current_dir(root)
        .env("MINGBAI_LANG", "en"))
}

/// `mingbai build` in `root` with English messages, which must succeed: its log.
pub fn english_build(root: &Path) -> String {
    let o = english_build_output(root);
    assert_ok(&o);
    stderr(&o)
}

/// Fails the test unless the run succeeded, with its status (which names the signal of
/// a process killed before it printed anything) and what it printed.
pub fn assert_ok(o: &Output) {
    assert!(o.status.success(), "{}: {}", o.status, stderr(o));
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

/// xorshift64*: small, seedable, reproducible from its seed, no dependency; picks
/// fuzz mutations and model-test edits.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Two built output folders hold the same files with the same bytes (the build's
/// manifest aside), except the handbook, which must look the same
/// ([`pdf::look_the_same`]); `Err` names what differs.
pub fn same_output(a: &Path, b: &Path) -> Result<(), String> {
    // Rebuilt in part, these two number their glyphs from the last build's table: the
    // same look, not always the same bytes.
    let looks = [
        Path::new("print/handbook.pdf"),
        Path::new("print/cards.pdf"),
    ];
    let files = |dir: &Path| {
        let mut s = snapshot(dir);
        s.retain(|p, _| !p.ends_with(".mingbai-manifest") && !looks.contains(&p.as_path()));
        s
    };
    let (x, y) = (files(a), files(b));
    if let Some(p) = x.keys().chain(y.keys()).find(|p| x.get(*p) != y.get(*p)) {
        return Err(format!("{} differs", p.display()));
    }
    for f in looks {
        match (a.join(f).is_file(), b.join(f).is_file()) {
            (false, false) => {}
            (true, true) if pdf::look_the_same(&a.join(f), &b.join(f)) => {}
            _ => return Err(format!("{} differs", f.display())),
        }
    }
    Ok(())
}
