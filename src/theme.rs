//! Themes: a folder with `templates/` (Tera, for the site), `static/` (CSS, JS),
//! `print/` (card and handbook templates and print style) and `fonts/`.
//!
//! The default theme is compiled into the binary, so a handbook needs no theme folder
//! of its own; a `themes/<name>/` folder beside `site.toml` takes precedence, and a
//! site's own `templates/` and `static/` override single files of either.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

#[derive(Debug, Clone)]
enum Source {
    Disk(PathBuf),
    Embedded(&'static Dir<'static>),
}

#[derive(Debug, Clone)]
pub(crate) struct Theme {
    pub name: String,
    source: Source,
    /// The site root, for the site's own overrides.
    root: PathBuf,
}

/// A file of the theme (or the site's override of it).
pub(crate) struct ThemeFile {
    /// Path inside the sub-folder, with `/` ("partials/footer.html").
    pub rel: String,
    /// Where it came from, as shown in error messages.
    pub display: PathBuf,
    pub bytes: Cow<'static, [u8]>,
}

impl Theme {
    pub(crate) fn resolve(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        let source = if dir.is_dir() {
            Source::Disk(dir)
        } else if name == "default" {
            Source::Embedded(&DEFAULT_THEME)
        } else {
            let d = Diagnostic::error(tr!("theme-not-found", name = name))
                .with_hint(tr!("theme-not-found-hint", dir = dir.display()));
            return Err(crate::config::locate_setting(
                &root.join("site.toml"),
                None,
                "theme",
                d,
            ));
        };
        Ok(Theme {
            name: name.to_string(),
            source,
            root: root.to_path_buf(),
        })
    }

    /// The built-in default theme, regardless of what is on disk.
    pub(crate) fn embedded_default() -> &'static Dir<'static> {
        &DEFAULT_THEME
    }

    fn theme_label(&self) -> PathBuf {
        match &self.source {
            Source::Disk(d) => crate::platform::portable(d.strip_prefix(&self.root).unwrap_or(d)),
            Source::Embedded(_) => PathBuf::from(format!("<built-in theme {}>", self.name)),
        }
    }

    /// All files under the theme's `sub` folder, then the site's own `sub` folder when
    /// `site_overrides` (same relative path: the site's file wins).
    pub(crate) fn files(&self, sub: &str, site_overrides: bool) -> std::io::Result<Vec<ThemeFile>> {
        let mut out: Vec<ThemeFile> = Vec::new();
        match &self.source {
            Source::Disk(d) => read_disk(&d.join(sub), &self.root, &mut out)?,
            Source::Embedded(dir) => {
                if let Some(sub_dir) = dir.get_dir(sub) {
                    collect_embedded(sub_dir, sub, &self.theme_label(), &mut out);
                }
            }
        }
        if site_overrides {
            let mut own = Vec::new();
            read_disk(&self.root.join(sub), &self.root, &mut own)?;
            for f in own {
                out.retain(|t| t.rel != f.rel);
                out.push(f);
            }
        }
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(out)
    }

    /// One file of the theme (`print/style.toml`), the site's override first.
    pub(crate) fn file(&self, rel: &str) -> Option<ThemeFile> {
        let own = self.root.join(rel);
        if own.is_file()
            && let Ok(bytes) = std::fs::read(&own)
        {
            return Some(ThemeFile {
                rel: rel.to_string(),
                display: PathBuf::from(rel),
                bytes: Cow::Owned(bytes),
            });
        }
        match &self.source {
            Source::Disk(d) => {
                let p = d.join(rel);
                std::fs::read(&p).ok().map(|bytes| ThemeFile {
                    rel: rel.to_string(),
                    display: crate::platform::portable(p.strip_prefix(&self.root).unwrap_or(&p)),
                    bytes: Cow::Owned(bytes),
                })
            }
            Source::Embedded(dir) => dir.get_file(rel).map(|f| ThemeFile {
                rel: rel.to_string(),
                display: self.theme_label().join(rel),
                bytes: Cow::Borrowed(f.contents()),
            }),
        }
    }
}

fn read_disk(dir: &Path, root: &Path, out: &mut Vec<ThemeFile>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item = item.map_err(std::io::Error::other)?;
        if !item.file_type().is_file() {
            continue;
        }
        let name = item.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let rel = item
            .path()
            .strip_prefix(dir)
            .unwrap_or(item.path())
            .to_string_lossy()
            .replace('\\', "/");
        out.push(ThemeFile {
            rel,
            display: crate::platform::portable(
                item.path().strip_prefix(root).unwrap_or(item.path()),
            ),
            bytes: Cow::Owned(std::fs::read(item.path())?),
        });
    }
    Ok(())
}

fn collect_embedded(dir: &'static Dir<'static>, sub: &str, label: &Path, out: &mut Vec<ThemeFile>) {
    for f in dir.files() {
        let full = f.path().to_string_lossy().replace('\\', "/");
        let rel = full
            .strip_prefix(sub)
            .unwrap_or(&full)
            .trim_start_matches('/')
            .to_string();
        out.push(ThemeFile {
            rel,
            display: label.join(&full),
            bytes: Cow::Borrowed(f.contents()),
        });
    }
    for d in dir.dirs() {
        collect_embedded(d, sub, label, out);
    }
}
