//! The content model: sections (folders with `_index.md`) and entries (policy and FAQ
//! Markdown files with TOML front matter), read from `content/` and checked against
//! the contract in `../shared/content-model.md`. Nothing here knows about HTML.

mod entry;
mod frontmatter;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, SourceFile};

pub use entry::{Entry, EntryData, FaqFields, Kind, PolicyFields, Section};

/// Everything under `content/`, parsed but not yet linked together.
pub struct Content {
    /// Sorted by path; the home section (path "") first.
    pub sections: Vec<Section>,
    /// Sorted by file path.
    pub entries: Vec<Entry>,
    /// Files under content/ that are not Markdown (images, PDFs): copied as they are.
    pub assets: Vec<PathBuf>,
    /// Files that could not be read as entries, as `@/` paths without `.md`: later
    /// stages treat them as present, so one broken file does not cause a cascade of
    /// "unresolved link" errors elsewhere.
    pub failed_entries: Vec<String>,
    /// Problems found; the build fails if any is an error, but everything that could
    /// be read is, so later stages report their problems in the same run.
    pub diags: Vec<Diagnostic>,
}

/// Reads and parses every file under `root/content`. Problems found in all files, not
/// just the first, are in [`Content::diags`]; only a missing content/ folder is fatal.
pub fn load(root: &Path) -> Result<Content, Vec<Diagnostic>> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(vec![Diagnostic::error("no content/ folder").with_hint(
            format!(
                "policy entries live in {}/<chapter>/<entry>.md",
                content_dir.display()
            ),
        )]);
    }
    let mut diags = Vec::new();
    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    for item in walkdir::WalkDir::new(&content_dir).sort_by_file_name() {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read content/: {e}")));
                continue;
            }
        };
        let rel = item
            .path()
            .strip_prefix(root)
            .unwrap_or(item.path())
            .to_path_buf();
        let name = item.file_name().to_string_lossy();
        // Editor swap files, backups and dotfiles are not content.
        if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
            continue;
        }
        if item.file_type().is_dir() {
            continue;
        } else if name.ends_with(".md") {
            md_files.push(rel);
        } else if item.file_type().is_file() {
            assets.push(rel);
        }
    }

    // Sections first: an entry's default kind comes from its section.
    let (index_files, entry_files): (Vec<PathBuf>, Vec<PathBuf>) = md_files
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| n == "_index.md"));
    let mut sections = Vec::new();
    let mut failed_sections = Vec::new();
    for (rel, r) in index_files.iter().zip(
        index_files
            .par_iter()
            .map(|rel| read_source(root, rel).and_then(|src| Section::parse(src, folder_of(rel))))
            .collect::<Vec<_>>(),
    ) {
        match r {
            Ok(s) => sections.push(s),
            Err(d) => {
                diags.extend(d);
                failed_sections.push(folder_of(rel));
            }
        }
    }
    let kinds: HashMap<&str, Option<Kind>> =
        sections.iter().map(|s| (s.path.as_str(), s.kind)).collect();
    let mut entries = Vec::new();
    let mut failed_entries = Vec::new();
    let file_id = |rel: &Path| {
        path_to_id(
            &rel.strip_prefix("content")
                .unwrap_or(rel)
                .with_extension(""),
        )
    };
    for (rel, r) in entry_files.iter().zip(
        entry_files
            .par_iter()
            .map(|rel| {
                let folder = folder_of(rel);
                let kind = inherited_kind(&kinds, &folder);
                read_source(root, rel).and_then(|src| Entry::parse(src, file_id(rel), folder, kind))
            })
            .collect::<Vec<_>>(),
    ) {
        match r {
            Ok(e) => entries.push(e),
            Err(d) => {
                diags.extend(d);
                failed_entries.push(file_id(rel));
            }
        }
    }

    // Every folder that holds entries must say what chapter it is.
    let have: std::collections::HashSet<String> = sections
        .iter()
        .map(|s| s.path.clone())
        .chain(failed_sections)
        .collect();
    let mut missing: BTreeMap<String, PathBuf> = BTreeMap::new();
    for e in &entries {
        if !have.contains(&e.section) && !e.section.is_empty() {
            missing
                .entry(e.section.clone())
                .or_insert_with(|| e.src.path.clone());
        }
    }
    for (section, example) in missing {
        diags.push(
            Diagnostic::error(format!(
                "folder content/{section}/ has entries but no _index.md"
            ))
            .in_file(example, 1, 1)
            .with_hint(format!(
                "create content/{section}/_index.md with +++ title = \"…\" weight = 1 +++"
            )),
        );
    }
    // The home section may be implicit.
    if !have.contains("") {
        sections.push(Section::implicit_home());
    }
    sections.sort_by(|a, b| a.path.cmp(&b.path));

    Ok(Content {
        sections,
        entries,
        assets,
        failed_entries,
        diags,
    })
}

/// The nearest enclosing section's kind ("jiaoyu/xueqian" → "jiaoyu" → "").
fn inherited_kind(kinds: &HashMap<&str, Option<Kind>>, folder: &str) -> Option<Kind> {
    let mut f = folder;
    loop {
        if let Some(Some(k)) = kinds.get(f) {
            return Some(*k);
        }
        if f.is_empty() {
            return None;
        }
        f = f.rfind('/').map_or("", |i| &f[..i]);
    }
}

fn folder_of(rel: &Path) -> String {
    let under = rel.strip_prefix("content").unwrap_or(rel);
    path_to_id(under.parent().unwrap_or(Path::new("")))
}

fn read_source(root: &Path, rel: &Path) -> Result<Arc<SourceFile>, Vec<Diagnostic>> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        vec![Diagnostic::error(format!("cannot read file: {e}")).in_file(rel, 1, 1)]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let head = String::from_utf8_lossy(&e.as_bytes()[..off]).to_string();
        let (line, col) = SourceFile::new(rel, head).line_col(off);
        vec![
            Diagnostic::error("file is not UTF-8 text")
                .in_file(rel, line, col)
                .with_hint("save it as UTF-8 (记事本：另存为 → 编码选 UTF-8)"),
        ]
    })?;
    Ok(Arc::new(SourceFile::new(rel, text)))
}

/// `jiaoyu/yulu` from a relative path, with `/` on every platform.
fn path_to_id(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Ids become URL paths, so they must be plain ASCII: never derive them from Chinese
/// titles (slug libraries give toneless pinyin with wrong readings).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_safe() {
        assert!(is_valid_id("xindai/xiaoe"));
        assert!(is_valid_id("jiaoyu/2025-yulu"));
        assert!(!is_valid_id("教育/雨露"));
        assert!(!is_valid_id("a//b"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("a b"));
    }
}
