//! Where entries' pages land in the output, checked against everything else that is
//! written there: an entry's id is its URL (`jiaoyu/yulu` → `jiaoyu/yulu/index.html`),
//! so an id equal to a chapter, a built-in page (`search`, `tags`, `print`), a built-in
//! file (`sitemap.xml`, `atom.xml`, `404.html`) or a static file would overwrite it, or
//! fail to be written. Each is an error naming both files, before anything is written.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::content::Entry;
use crate::diagnostics::Diagnostic;

/// Folders and files the build itself writes at the top of the output, with the
/// catalogue message that says what they are in the user's terms.
const BUILT_IN: &[(&str, &str)] = &[
    ("search", "ids-builtin-search"),
    ("tags", "ids-builtin-tags"),
    ("print", "ids-builtin-print"),
    ("sitemap.xml", "ids-builtin-sitemap"),
    ("atom.xml", "ids-builtin-atom"),
    ("404.html", "ids-builtin-404"),
    ("index.html", "ids-builtin-index"),
    (crate::guard::MARKER, "ids-builtin-marker"),
    (crate::output::MANIFEST, "ids-builtin-manifest"),
];

/// The error for entry `e` whose page would collide with `other`.
fn collision(e: &Entry, other: &str) -> Diagnostic {
    let d = Diagnostic::error(tr!(
        "ids-collision",
        file = e.src.path.display(),
        id = e.id,
        other = other
    ));
    let d = match &e.id_span {
        Some(span) => d.at(&e.src, span.clone()),
        None => d.in_file(e.src.path.clone(), 1, 1),
    };
    d.with_hint(if e.id_span.is_some() {
        tr!("ids-collision-id-hint")
    } else {
        tr!("ids-collision-file-hint")
    })
}

/// Entries whose pages would land on a chapter's page or a built-in page or file.
/// `sections` are the chapters' folder paths under content/; `assets` the files
/// beside entries (copied as they are).
pub(crate) fn check_pages(
    entries: &[std::sync::Arc<Entry>],
    sections: &[String],
    assets: &[std::path::PathBuf],
) -> Vec<Diagnostic> {
    let chapters: HashSet<&str> = sections.iter().map(String::as_str).collect();
    let built_in: HashMap<&str, &str> = BUILT_IN.iter().copied().collect();
    let asset_paths: HashMap<String, String> = assets
        .iter()
        .map(|a| {
            let rel = a.strip_prefix("content").unwrap_or(a);
            (
                rel.to_string_lossy().replace('\\', "/"),
                a.display().to_string(),
            )
        })
        .collect();
    let mut diags = Vec::new();
    for e in entries {
        let first = e.id.split('/').next().unwrap_or("");
        if chapters.contains(e.id.as_str()) {
            // Written with `/` on every system, as every message names files.
            diags.push(collision(e, &tr!("ids-section", id = e.id)));
        } else if let Some(what) = built_in.get(first) {
            diags.push(collision(e, &crate::i18n::t(what, &[])));
        } else if let Some(file) = prefixes(&e.id)
            .find_map(|p| asset_paths.get(p))
            .or_else(|| asset_paths.get(&format!("{}/index.html", e.id)))
        {
            diags.push(collision(e, &tr!("ids-file", file = file)));
        }
    }
    diags
}

/// Entries whose pages would land on a static file (the theme's or the site's).
/// `statics` are the static files' output paths and where each came from.
pub(crate) fn check_static(
    entries: &[&Entry],
    statics: &[(String, std::path::PathBuf)],
) -> Vec<Diagnostic> {
    let by_rel: HashMap<&str, &Path> = statics
        .iter()
        .map(|(rel, from)| (rel.as_str(), from.as_path()))
        .collect();
    let mut diags = Vec::new();
    for e in entries {
        let index = format!("{}/index.html", e.id);
        if let Some(from) = prefixes(&e.id)
            .find_map(|p| by_rel.get(p))
            .or_else(|| by_rel.get(index.as_str()))
        {
            diags.push(collision(e, &tr!("ids-static", file = from.display())));
        }
    }
    diags
}

/// `a`, `a/b`, `a/b/c` for id `a/b/c`: a file at any of them blocks the page's folder.
fn prefixes(id: &str) -> impl Iterator<Item = &str> {
    id.match_indices('/')
        .map(|(i, _)| &id[..i])
        .chain(std::iter::once(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_an_id() {
        assert_eq!(prefixes("a/b/c").collect::<Vec<_>>(), ["a", "a/b", "a/b/c"]);
        assert_eq!(prefixes("a").collect::<Vec<_>>(), ["a"]);
    }
}
