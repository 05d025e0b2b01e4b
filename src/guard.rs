//! Where mingbai may write: the one place that knows which folders a build reads and
//! writes, and refuses an output (the site's or the household cards') that is, lies
//! inside, or contains one of them. Household data must never land where the site is
//! published or where the build would pick it up, and a build must never replace a
//! folder of sources.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The file every site output folder carries: mingbai replaces a folder wholesale, so
/// it only ever replaces one it made itself.
pub(crate) const MARKER: &str = ".mingbai-output";

/// What the marker file says to a person who opens it.
pub(crate) const MARKER_TEXT: &str = "这个文件夹由 mingbai 生成，每次构建都会整个替换。\n\
     请不要在这里存放其他文件；删掉本文件后 mingbai 将不再覆盖这个文件夹。\n";

/// What a folder is to the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The handbook folder itself: outputs may lie inside it, never contain it.
    Root,
    Content,
    Static,
    Templates,
    Themes,
    Print,
    /// The site's output folder (public/).
    Output,
}

impl Role {
    /// The folder's name for messages, in the user's terms.
    pub(crate) fn label(self) -> String {
        match self {
            Role::Root => tr!("guard-role-root"),
            Role::Content => tr!("guard-role-content"),
            Role::Static => tr!("guard-role-static"),
            Role::Templates => tr!("guard-role-templates"),
            Role::Themes => tr!("guard-role-themes"),
            Role::Print => tr!("guard-role-print"),
            Role::Output => tr!("guard-role-output"),
        }
    }
}

/// How a candidate path meets a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Overlap {
    Same,
    /// The candidate lies inside the folder.
    Inside,
    /// The candidate contains the folder.
    Contains,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conflict {
    pub folder: PathBuf,
    pub role: Role,
    pub overlap: Overlap,
}

impl Conflict {
    /// 「…在内容文件夹 content/（/x/content）里面」 and the like.
    pub(crate) fn describe(&self, what: &Path) -> String {
        let folder = self.folder.display();
        let label = self.role.label();
        let what = what.display();
        match self.overlap {
            Overlap::Same => tr!(
                "guard-overlap-same",
                what = what,
                label = label,
                folder = folder
            ),
            Overlap::Inside => tr!(
                "guard-overlap-inside",
                what = what,
                label = label,
                folder = folder
            ),
            Overlap::Contains => {
                tr!(
                    "guard-overlap-contains",
                    what = what,
                    label = label,
                    folder = folder
                )
            }
        }
    }
}

/// The folders a build of the handbook at `root` reads, by their fixed names.
pub(crate) fn source_folders(root: &Path) -> Vec<(PathBuf, Role)> {
    let root = normalize(root);
    let mut v = vec![(root.clone(), Role::Root)];
    for (name, role) in [
        ("content", Role::Content),
        ("static", Role::Static),
        ("templates", Role::Templates),
        ("themes", Role::Themes),
        ("print", Role::Print),
    ] {
        v.push((root.join(name), role));
    }
    v
}

/// The first folder `candidate` is, lies inside or contains. The handbook root may
/// hold outputs, so lying inside it is no conflict.
pub(crate) fn conflict(candidate: &Path, folders: &[(PathBuf, Role)]) -> Option<Conflict> {
    let c = normalize(candidate);
    folders.iter().find_map(|(folder, role)| {
        let f = normalize(folder);
        let overlap = if c == f {
            Overlap::Same
        } else if c.starts_with(&f) {
            Overlap::Inside
        } else if f.starts_with(&c) {
            Overlap::Contains
        } else {
            return None;
        };
        if *role == Role::Root && overlap == Overlap::Inside {
            return None;
        }
        Some(Conflict {
            folder: f,
            role: *role,
            overlap,
        })
    })
}

/// Why a folder may not receive the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// It is, lies inside or contains a folder the build reads (or the cards' folder).
    Overlap(Conflict),
    /// Something that is not a folder (site.toml, a document) is at that path.
    NotAFolder,
    /// A folder with other files in it, not made by mingbai: a few of their names.
    Foreign(Vec<String>),
}

impl Refusal {
    /// The refusal in the user's terms; `what` names the output as the user wrote it.
    pub(crate) fn describe(&self, what: &Path) -> String {
        let shown = what.display();
        match self {
            Refusal::Overlap(c) => tr!("guard-output-overlap", conflict = c.describe(what)),
            Refusal::NotAFolder => tr!("guard-output-not-folder", path = shown),
            Refusal::Foreign(names) => tr!(
                "guard-output-foreign",
                path = shown,
                names = names.join(&tr!("list-sep"))
            ),
        }
    }
}

/// Whether the site may be written to `out`: it must not meet any folder in
/// `folders` (see [`source_folders`]), and what is there already must be a folder
/// mingbai made: one with the [`MARKER`] file, an empty one, or a site of a mingbai
/// older than the marker (see [`looks_like_old_output`]).
pub(crate) fn output_refusal(out: &Path, folders: &[(PathBuf, Role)]) -> Option<Refusal> {
    if let Some(c) = conflict(out, folders) {
        return Some(Refusal::Overlap(c));
    }
    let meta = std::fs::metadata(out).ok()?;
    if !meta.is_dir() {
        return Some(Refusal::NotAFolder);
    }
    if out.join(MARKER).is_file() || looks_like_old_output(out) {
        return None;
    }
    let mut names: Vec<String> = std::fs::read_dir(out)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    if more > 0 {
        names.push(tr!("guard-names-more", n = names.len() + more));
    }
    Some(Refusal::Foreign(names))
}

/// A site written by a mingbai from before the marker file. Every such build wrote
/// `index.html`, `sitemap.xml` and the `search/` page together, and a folder of someone's
/// documents is very unlikely to hold all three; anything else without the marker is
/// refused rather than guessed at.
pub(crate) fn looks_like_old_output(dir: &Path) -> bool {
    dir.join("index.html").is_file()
        && dir.join("sitemap.xml").is_file()
        && dir.join("search/index.html").is_file()
}

/// An error when household cards would be written into, or over, a folder the build
/// reads or publishes: `private` is the cards' folder, `site_output` the site's.
pub(crate) fn private_output(
    root: &Path,
    site_output: &Path,
    private: &Path,
) -> Option<Diagnostic> {
    let mut folders = source_folders(root);
    folders.insert(0, (site_output.to_path_buf(), Role::Output));
    let c = conflict(private, &folders)?;
    Some(
        Diagnostic::error(tr!("guard-cards-here", conflict = c.describe(private)))
            .with_hint(tr!("guard-cards-here-hint")),
    )
}

/// [`private_output`] for the `[cards] output` of site.toml, located at its value.
pub(crate) fn cards_setting(root: &Path, site_output: &Path, private: &Path) -> Option<Diagnostic> {
    let d = private_output(root, site_output, private)?;
    let toml = root.join("site.toml");
    Some(crate::config::locate_setting(
        &toml,
        Some("cards"),
        "output",
        d,
    ))
}

/// An absolute path without `.` and `..`, with symlinks resolved along the longest
/// part of it that exists (so a link into public/ is seen for what it is).
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(n), Some(p)) => {
                rest.push(n);
                existing = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        resolved.push(n);
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_folders_mingbai_made_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("手册");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let folders = source_folders(&root);
        let refused = |p: &Path| output_refusal(p, &folders);
        // Missing or empty: fine.
        assert_eq!(refused(&root.join("public")), None);
        std::fs::create_dir_all(root.join("public")).unwrap();
        assert_eq!(refused(&root.join("public")), None);
        // Someone's documents: refused, named.
        let docs = dir.path().join("mydocs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("report.docx"), b"x").unwrap();
        assert_eq!(
            refused(&docs),
            Some(Refusal::Foreign(vec!["report.docx".into()]))
        );
        // Marked as ours: fine.
        std::fs::write(docs.join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(refused(&docs), None);
        // An older mingbai's site: fine; a lone index.html is not enough.
        let old = dir.path().join("old");
        std::fs::create_dir_all(old.join("search")).unwrap();
        std::fs::write(old.join("index.html"), b"x").unwrap();
        assert!(matches!(refused(&old), Some(Refusal::Foreign(_))));
        std::fs::write(old.join("sitemap.xml"), b"x").unwrap();
        std::fs::write(old.join("search/index.html"), b"x").unwrap();
        assert_eq!(refused(&old), None);
        // A file, and source folders.
        std::fs::write(root.join("site.toml"), b"x").unwrap();
        assert_eq!(refused(&root.join("site.toml")), Some(Refusal::NotAFolder));
        assert!(matches!(
            refused(&root.join("content")),
            Some(Refusal::Overlap(_))
        ));
        assert!(matches!(refused(dir.path()), Some(Refusal::Overlap(_))));
    }

    #[test]
    fn outputs_meeting_source_folders_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("手册");
        std::fs::create_dir_all(root.join("content/jiaoyu")).unwrap();
        let mut folders = source_folders(&root);
        folders.push((root.join("public"), Role::Output));
        let at = |p: PathBuf| conflict(&p, &folders).map(|c| (c.role, c.overlap));
        assert_eq!(at(root.join("print-private")), None);
        assert_eq!(at(dir.path().join("elsewhere")), None);
        assert_eq!(
            at(root.join("content/x")),
            Some((Role::Content, Overlap::Inside))
        );
        assert_eq!(
            at(root.join("static/private")),
            Some((Role::Static, Overlap::Inside))
        );
        assert_eq!(at(root.join("public")), Some((Role::Output, Overlap::Same)));
        assert_eq!(
            at(root.join("public/../public/cards")),
            Some((Role::Output, Overlap::Inside))
        );
        assert_eq!(at(root.clone()), Some((Role::Root, Overlap::Same)));
        assert_eq!(
            at(dir.path().to_path_buf()),
            Some((Role::Root, Overlap::Contains))
        );
        #[cfg(unix)]
        {
            // A link that leads into content/ is content/.
            std::os::unix::fs::symlink(root.join("content"), dir.path().join("link")).unwrap();
            assert_eq!(
                at(dir.path().join("link/new")),
                Some((Role::Content, Overlap::Inside))
            );
        }
    }
}
