//! One side of a comparison: a handbook folder, or a git revision of the handbook the
//! command runs in (read with the git command line, so no git library is built in).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// Loads `spec` as a site: a folder with site.toml (relative to `root` or absolute),
/// else a git revision (tag, branch, commit) of the repository `root` is in.
pub(crate) fn load_side(root: &Path, spec: &str) -> Result<Site, Vec<Diagnostic>> {
    let folder = root.join(spec);
    if folder.join("site.toml").is_file() {
        return Site::load(&folder).map_err(|d| explain(spec, d));
    }
    let dir = export_revision(root, spec)?;
    let site = Site::load(&dir.0);
    site.map_err(|d| explain(spec, d))
}

/// Errors of the other edition say which edition they are in.
fn explain(spec: &str, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut diags {
        d.message = tr!("edition-in", spec = spec, message = d.message);
    }
    diags
}

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| tr!("edition-no-git", error = e))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Writes site.toml and content/ of revision `rev` into a temporary folder.
fn export_revision(root: &Path, rev: &str) -> Result<TempDir, Vec<Diagnostic>> {
    let not_found = |why: String| {
        vec![
            Diagnostic::error(tr!("edition-not-found", rev = rev))
                .in_file("site.toml", 1, 1)
                .with_hint(tr!("edition-not-found-hint", why = why)),
        ]
    };
    let commit = format!("{rev}^{{commit}}");
    git(root, &["rev-parse", "--verify", "--quiet", &commit]).map_err(not_found)?;
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            rev,
            "--",
            "site.toml",
            "content",
        ],
    )
    .map_err(not_found)?;
    let dir = TempDir(std::env::temp_dir().join(format!(
        "mingbai-edition-{}-{}",
        std::process::id(),
        rev.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    )));
    let _ = std::fs::remove_dir_all(&dir.0);
    let io = |e: std::io::Error| {
        vec![Diagnostic::error(tr!(
            "edition-export",
            rev = rev,
            dir = dir.0.display(),
            error = e
        ))]
    };
    for path in listing.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).to_string();
        let bytes = git(root, &["show", &format!("{rev}:./{path}")]).map_err(not_found)?;
        let to = dir.0.join(&path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&to, bytes).map_err(io)?;
    }
    if !dir.0.join("site.toml").is_file() {
        return Err(not_found(tr!("edition-no-site-toml")));
    }
    Ok(dir)
}
