//! Where mingbai may write: the one place that knows which folders a build reads and
//! writes, and refuses an output (the site's or the household cards') that is, lies
//! inside, or contains one of them. Household data must never land where the site is
//! published or where the build would pick it up, and a build must never replace a
//! folder of sources.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

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
    pub(crate) fn label(self) -> &'static str {
        match self {
            Role::Root => "手册文件夹",
            Role::Content => "内容文件夹 content/",
            Role::Static => "静态文件夹 static/",
            Role::Templates => "模板文件夹 templates/",
            Role::Themes => "主题文件夹 themes/",
            Role::Print => "印刷模板文件夹 print/",
            Role::Output => "网站输出文件夹",
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
        let f = self.folder.display();
        let label = self.role.label();
        match self.overlap {
            Overlap::Same => format!("{} 就是{label}（{f}）", what.display()),
            Overlap::Inside => format!("{} 在{label}（{f}）里面", what.display()),
            Overlap::Contains => format!("{} 包含了{label}（{f}）", what.display()),
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
        Diagnostic::error(format!(
            "户明白卡不能写到这里：{}。卡上是农户的个人信息，放在这里会被发布到网站或被手册读进去",
            c.describe(private)
        ))
        .with_hint(
            "用手册文件夹外的文件夹（如 --output D:/户明白卡），或在 site.toml 的 [cards] 里写 output = \"print-private\"（默认）",
        ),
    )
}

/// [`private_output`] for the `[cards] output` of site.toml, located at its line.
pub(crate) fn cards_setting(root: &Path, site_output: &Path, private: &Path) -> Option<Diagnostic> {
    let d = private_output(root, site_output, private)?;
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    Some(d.in_file("site.toml", cards_output_line(&toml), 1))
}

/// The line of `output =` under `[cards]` in site.toml, where a refused cards folder
/// is set (1 when it is not written there).
fn cards_output_line(site_toml: &str) -> usize {
    let mut in_cards = false;
    for (i, line) in site_toml.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_cards = t.trim_start_matches('[').trim_start().starts_with("cards");
        } else if in_cards && t.starts_with("output") {
            return i + 1;
        }
    }
    1
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
