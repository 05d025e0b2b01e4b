//! Helpers for tests that run `mingbai cards` on the household fixtures
//! (tests/fixtures/households, written by its generate.py) against the sample handbook
//! at the repository root, whose policies the sheets name.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sheet(name: &str) -> PathBuf {
    repo().join("tests/fixtures/households").join(name)
}

/// `mingbai cards --root <repo> --data <sheet> --output <out> ARGS`.
pub fn cards(data: &Path, out: &Path, args: &[&str]) -> Output {
    let mut cmd = super::command();
    cmd.arg("cards")
        .arg("--root")
        .arg(repo())
        .arg("--data")
        .arg(data)
        .arg("--output")
        .arg(out)
        .args(args)
        .env("MINGBAI_TODAY", "2026-11-22");
    cmd.output().expect("run mingbai cards")
}

pub fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
    v.sort();
    v
}

pub fn text_of(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub fn all_text(dir: &Path) -> String {
    pdfs(dir).iter().map(|p| text_of(p)).collect()
}

/// Every 18-character ID number in a generated sheet (digits, maybe a final X).
pub fn ids_in(csv_or_xlsx_text: &str) -> Vec<String> {
    let chars: Vec<char> = csv_or_xlsx_text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 18 <= chars.len() {
        let w = &chars[i..i + 18];
        let ok = w[..17].iter().all(char::is_ascii_digit)
            && (w[17].is_ascii_digit() || w[17] == 'X')
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        if ok {
            out.push(w.iter().collect());
            i += 18;
        } else {
            i += 1;
        }
    }
    out
}

pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "mingbai cards failed:\n{}",
        super::stderr(o)
    );
}

/// Folds whitespace away, since names may break across lines in extracted text.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The heads of the eight households of households.csv (and of the 台账 fixtures made
/// from them), rare characters included.
pub const HEADS: [&str; 8] = [
    "王堃",
    "李喆",
    "刘䶮",
    "𠮷田秀",
    "张𰻞𰻞",
    "赵红梅",
    "孙德厚",
    "钱小军",
];
