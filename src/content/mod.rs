//! The content model: sections (folders with `_index.md`) and entries (policy and FAQ
//! Markdown files with TOML front matter), read from `content/` and checked against
//! the contract in `docs/content-model.md`. Nothing here knows about HTML.

pub(crate) mod body_typos;
pub(crate) mod checks;
mod entry;
mod frontmatter;
pub(crate) mod typos;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, SourceFile};

pub(crate) use entry::{Entry, EntryData, Kind, PolicyFields, Section};

/// Everything under `content/`, parsed but not yet linked together.
pub(crate) struct Content {
    /// Sorted by path; the home section (path "") first.
    pub sections: Vec<Section>,
    /// Sorted by file path.
    pub entries: Vec<Arc<Entry>>,
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

/// Parsed files kept between builds by `mingbai serve`, so a save re-reads and re-parses
/// only the files that changed.
#[derive(Default)]
pub(crate) struct Cache {
    /// Markdown files and assets under content/ (relative to the root), sorted; `None`
    /// until the folder has been walked.
    files: Option<Vec<PathBuf>>,
    sections: HashMap<PathBuf, Result<Section, Vec<Diagnostic>>>,
    entries: HashMap<PathBuf, Result<Arc<Entry>, Vec<Diagnostic>>>,
    /// Warnings from reading a file (it was GBK, not UTF-8), kept with the file.
    read_warnings: HashMap<PathBuf, Diagnostic>,
    walk_diags: Vec<Diagnostic>,
}

impl Cache {
    /// Forgets the files at `paths` (relative to the root), which were created, changed
    /// or removed. Returns false when the change cannot be applied file by file (a
    /// folder came or went) and everything was forgotten instead.
    pub(crate) fn invalidate(&mut self, root: &Path, paths: &[PathBuf]) -> bool {
        let mut section_changed = false;
        for rel in paths {
            let full = root.join(rel);
            if full.is_dir() || rel.extension().is_none() && !full.exists() {
                // A folder was created, renamed or removed: walk again.
                *self = Cache::default();
                return false;
            }
            self.entries.remove(rel);
            self.read_warnings.remove(rel);
            if self.sections.remove(rel).is_some() || is_index(rel) {
                section_changed = true;
            }
            if let Some(files) = &mut self.files {
                let at = files.binary_search(rel);
                match (at, full.is_file() && !is_ignored(rel)) {
                    (Ok(i), false) => {
                        files.remove(i);
                    }
                    (Err(i), true) => files.insert(i, rel.clone()),
                    _ => {}
                }
            }
        }
        if section_changed {
            // An entry's default kind comes from its section.
            self.entries.clear();
        }
        true
    }
}

impl Cache {
    /// Reads and parses one entry file again (it was saved), keeping the result for the
    /// next full load.
    pub(crate) fn reparse(
        &mut self,
        root: &Path,
        rel: &Path,
    ) -> Result<Arc<Entry>, Vec<Diagnostic>> {
        let kinds: HashMap<&str, Option<Kind>> = self
            .sections
            .values()
            .flatten()
            .map(|s| (s.path.as_str(), s.kind))
            .collect();
        let folder = folder_of(rel);
        let kind = inherited_kind(&kinds, &folder);
        let id = path_to_id(
            &rel.strip_prefix("content")
                .unwrap_or(rel)
                .with_extension(""),
        );
        let parsed = read_source(root, rel)
            .and_then(|(src, warning)| {
                if let Some(w) = warning {
                    self.read_warnings.insert(rel.to_path_buf(), w);
                }
                Entry::parse(src, id, folder, kind)
            })
            .map(Arc::new);
        self.entries.insert(rel.to_path_buf(), parsed.clone());
        parsed
    }
}

fn is_index(rel: &Path) -> bool {
    rel.file_name().is_some_and(|n| n == "_index.md")
}

/// Editor swap files, backups and dotfiles are not content.
pub(crate) fn is_ignored(rel: &Path) -> bool {
    rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
    })
}

/// [`load`], re-reading only what is not in `cache` (and filling it).
pub(crate) fn load_cached(root: &Path, cache: &mut Cache) -> Result<Content, Vec<Diagnostic>> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(vec![Diagnostic::error(tr!("content-no-folder")).with_hint(
            tr!("content-no-folder-hint", dir = content_dir.display()),
        )]);
    }
    if cache.files.is_none() {
        let (files, diags) = walk(root, &content_dir);
        cache.files = Some(files);
        cache.walk_diags = diags;
    }
    let files = cache.files.as_deref().unwrap_or_default();
    let mut diags = cache.walk_diags.clone();
    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    for rel in files {
        if rel.extension().is_some_and(|e| e == "md") {
            md_files.push(rel.clone());
        } else {
            assets.push(rel.clone());
        }
    }

    // Sections first: an entry's default kind comes from its section.
    let (index_files, entry_files): (Vec<PathBuf>, Vec<PathBuf>) =
        md_files.into_iter().partition(|p| is_index(p));
    crate::platform::prefetch(
        entry_files
            .iter()
            .filter(|p| !cache.entries.contains_key(*p))
            .map(|p| root.join(p))
            .collect(),
    );
    let todo: Vec<&PathBuf> = index_files
        .iter()
        .filter(|p| !cache.sections.contains_key(*p))
        .collect();
    let parsed: Vec<_> = todo
        .par_iter()
        .map(|rel| {
            let (src, warning) = split_warning(read_source(root, rel));
            (
                src.and_then(|src| Section::parse(src, folder_of(rel))),
                warning,
            )
        })
        .collect();
    for (rel, (parsed, warning)) in todo.into_iter().zip(parsed) {
        if let Some(w) = warning {
            cache.read_warnings.insert(rel.clone(), w);
        }
        cache.sections.insert(rel.clone(), parsed);
    }
    let mut sections = Vec::new();
    let mut failed_sections = Vec::new();
    for rel in &index_files {
        match &cache.sections[rel] {
            Ok(s) => sections.push(s.clone()),
            Err(d) => {
                diags.extend(d.iter().cloned());
                failed_sections.push(folder_of(rel));
            }
        }
    }
    let kinds: HashMap<&str, Option<Kind>> =
        sections.iter().map(|s| (s.path.as_str(), s.kind)).collect();
    let file_id = |rel: &Path| {
        path_to_id(
            &rel.strip_prefix("content")
                .unwrap_or(rel)
                .with_extension(""),
        )
    };
    let todo: Vec<&PathBuf> = entry_files
        .iter()
        .filter(|p| !cache.entries.contains_key(*p))
        .collect();
    let parsed: Vec<_> = todo
        .par_iter()
        .map(|rel| {
            let folder = folder_of(rel);
            let kind = inherited_kind(&kinds, &folder);
            let (src, warning) = split_warning(read_source(root, rel));
            let entry = src
                .and_then(|src| Entry::parse(src, file_id(rel), folder, kind))
                .map(Arc::new);
            (entry, warning)
        })
        .collect();
    for (rel, (parsed, warning)) in todo.into_iter().zip(parsed) {
        if let Some(w) = warning {
            cache.read_warnings.insert(rel.clone(), w);
        }
        cache.entries.insert(rel.clone(), parsed);
    }
    diags.extend(
        files
            .iter()
            .filter_map(|f| cache.read_warnings.get(f).cloned()),
    );
    let mut entries = Vec::with_capacity(entry_files.len());
    let mut failed_entries = Vec::new();
    for rel in &entry_files {
        match &cache.entries[rel] {
            Ok(e) => entries.push(e.clone()),
            Err(d) => {
                diags.extend(d.iter().cloned());
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
            Diagnostic::error(tr!("content-no-index", section = section))
                .in_file(example, 1, 1)
                .with_hint(tr!("content-no-index-hint", section = section)),
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

/// Every file under content/ that is not ignored, sorted.
fn walk(root: &Path, content_dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut files = Vec::new();
    for item in walkdir::WalkDir::new(content_dir).sort_by_file_name() {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                diags.push(Diagnostic::error(tr!("content-unreadable", error = e)));
                continue;
            }
        };
        let rel = crate::platform::portable(item.path().strip_prefix(root).unwrap_or(item.path()));
        if item.file_type().is_file() && !is_ignored(&rel) {
            files.push(rel);
        }
    }
    files.sort();
    (files, diags)
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

/// A file's text, and the warning that it was read as GBK when it was.
type Read = Result<(Arc<SourceFile>, Option<Diagnostic>), Vec<Diagnostic>>;

fn split_warning(read: Read) -> (Result<Arc<SourceFile>, Vec<Diagnostic>>, Option<Diagnostic>) {
    match read {
        Ok((src, w)) => (Ok(src), w),
        Err(d) => (Err(d), None),
    }
}

fn read_source(root: &Path, rel: &Path) -> Read {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        vec![Diagnostic::error(tr!("file-unreadable", error = e)).in_file(rel, 1, 1)]
    })?;
    let (text, warning) = crate::diagnostics::decode_text(bytes, rel).map_err(|d| vec![d])?;
    let src = SourceFile::new(rel, text);
    let invisible = crate::diagnostics::invisible_chars(&src);
    if !invisible.is_empty() {
        return Err(invisible);
    }
    Ok((Arc::new(src), warning))
}

/// Whether `needle` is in `hay`: every source is looked at for `{{` and `@/` more than
/// once a build, and memchr's search is the fastest there is.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes()).is_some()
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
pub(crate) fn is_valid_id(id: &str) -> bool {
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
