//! Reading PDFs back as a person would check them: the command-line tools of
//! poppler-utils, qpdf and zbar-tools (installed by `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `cmd` with `args`; its standard output. A missing tool or a failure fails the test.
pub fn tool(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("{cmd} is needed (apt-get install poppler-utils qpdf zbar-tools): {e}")
    });
    assert!(
        o.status.success(),
        "{cmd} {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Every PDF under `dir`, sorted.
pub fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| e.path().to_path_buf())
        .collect();
    v.sort();
    v
}

/// What the QR code on page `page` of `pdf` decodes to (rendered at 300 dpi into `tmp`).
pub fn qr_on_page(pdf: &Path, page: usize, tmp: &Path) -> String {
    let stem = tmp.join(format!(
        "qr-{}-{page}",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    let page = page.to_string();
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "300",
            "-f",
            &page,
            "-l",
            &page,
            "-singlefile",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let png = stem.with_extension("png");
    tool("zbarimg", &["-q", "--raw", png.to_str().unwrap()])
        .trim()
        .to_string()
}

/// Whether two PDFs show the same thing: the same text, and every page the same
/// pixels at a small size. A handbook that reused chapters of the last build numbers
/// its glyphs in another order than a fresh one, so their bytes may differ.
pub fn look_the_same(a: &Path, b: &Path) -> bool {
    let text = |p: &Path| tool("pdftotext", &["-layout", p.to_str().unwrap(), "-"]);
    if text(a) != text(b) {
        return false;
    }
    let pages = |p: &Path| {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("p");
        tool(
            "pdftoppm",
            &[
                "-r",
                "24",
                "-png",
                p.to_str().unwrap(),
                stem.to_str().unwrap(),
            ],
        );
        let mut v: Vec<(std::ffi::OsString, Vec<u8>)> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    pages(a) == pages(b)
}
