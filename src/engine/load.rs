//! The first stage: content into the site graph, the theme and its templates, the
//! previous edition, and the checks that must pass before anything is written (pages
//! that would land on static files, an output folder mingbai may not replace, household
//! cards that would be published).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Engine, Options};
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;

/// The theme and its HTML templates, kept between rebuilds until a template or
/// site.toml changes.
pub(crate) struct Look {
    pub(crate) theme: Theme,
    pub(crate) templates: Templates,
}

impl Engine {
    /// Reads content, site.toml, the theme and the previous edition through the
    /// engine's caches; all errors of all of them together.
    pub(super) fn load(
        &mut self,
        timings: &mut Vec<(&'static str, Duration)>,
    ) -> Result<(Site, Look), Vec<Diagnostic>> {
        let t = Instant::now();
        let root = self.opts.root.clone();
        let large_print = self.opts.large_print;
        let site = Site::load_cached(&root, &mut self.files, &mut self.renders)
            .and_then(|s| self.with_revision(s))
            .map(|mut s| {
                if large_print {
                    s.set_type_size(crate::config::TypeSize::Large);
                }
                s
            });
        timings.push(("content", t.elapsed()));
        let t = Instant::now();
        let look = match self.look.take() {
            Some(l) => Ok(l),
            None => load_look(&root, site.as_ref().ok()),
        };
        timings.push(("templates", t.elapsed()));
        match (site, look) {
            (Ok(site), Ok(look)) => {
                // Pages that would land on a static file: known only once the theme is.
                let statics = static_collisions(&site, &look.theme);
                if !statics.is_empty() {
                    self.look = Some(look);
                    return Err(statics);
                }
                Ok((site, look))
            }
            (site, look) => {
                let mut d = site.err().unwrap_or_default();
                d.extend(look.err().unwrap_or_default());
                Err(d)
            }
        }
    }

    /// Sets the comparison with the previous edition of `[edition]`, loading that
    /// edition only when it is first named (or renamed): it does not change while the
    /// new one is edited.
    fn with_revision(&mut self, mut site: Site) -> Result<Site, Vec<Diagnostic>> {
        let Some(prev) = site.config.edition.previous.clone() else {
            self.previous = None;
            return Ok(site);
        };
        if self.previous.as_ref().is_none_or(|(p, _)| *p != prev) {
            let old = crate::edition::load_side(&site.root, &prev)?;
            self.previous = Some((prev.clone(), Arc::new(old)));
        }
        if let Some((_, old)) = &self.previous {
            site.set_revision(Arc::new(crate::edition::compare(old, &site, &prev)));
        }
        Ok(site)
    }

    /// The output folder, refused before anything is touched when mingbai may not
    /// replace it or when the household cards' folder would be published with it.
    pub(super) fn guard(&self, site: &Site) -> Result<PathBuf, Vec<Diagnostic>> {
        let out = output_dir(&self.opts, site);
        check_output(&self.opts, site, &out)?;
        let cards_out = self.opts.root.join(&site.config.cards.output);
        if let Some(d) = crate::guard::cards_setting(&self.opts.root, &out, &cards_out) {
            return Err(vec![d]);
        }
        Ok(out)
    }
}

fn load_look(root: &Path, site: Option<&Site>) -> Result<Look, Vec<Diagnostic>> {
    let name = site.map_or("default", |s| s.config.theme.as_str());
    let theme = Theme::resolve(root, name).map_err(|d| vec![d])?;
    let templates = Templates::load(&theme, "templates")?;
    Ok(Look { theme, templates })
}

/// Entries whose page would land on one of the theme's or the site's static files.
fn static_collisions(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let Ok(files) = theme.files("static", true) else {
        // Reported where the files are copied.
        return Vec::new();
    };
    let statics: Vec<(String, PathBuf)> = files.into_iter().map(|f| (f.rel, f.display)).collect();
    let entries: Vec<&crate::content::Entry> = site.entries.iter().map(|n| &*n.entry).collect();
    crate::ids::check_static(&entries, &statics)
}

pub(super) fn output_dir(opts: &Options, site: &Site) -> PathBuf {
    opts.output
        .clone()
        .unwrap_or_else(|| opts.root.join(&site.config.output_dir))
}

/// Refuses an output folder a build must not replace: one that is, lies inside or
/// contains a source folder, a file, or a folder of other files (see
/// [`crate::guard::output_refusal`]).
fn check_output(opts: &Options, site: &Site, out: &Path) -> Result<(), Vec<Diagnostic>> {
    use crate::guard::{output_refusal, source_folders};
    let folders = source_folders(&opts.root);
    let Some(refusal) = output_refusal(out, &folders) else {
        return Ok(());
    };
    let d = match &opts.output {
        Some(given) => Diagnostic::error(tr!(
            "output-refused-arg",
            dir = given.display(),
            why = refusal.describe(given)
        ))
        .with_hint(tr!("output-refused-arg-hint")),
        None => {
            let d = Diagnostic::error(tr!(
                "output-refused-config",
                dir = site.config.output_dir,
                why = refusal.describe(Path::new(&site.config.output_dir))
            ))
            .with_hint(tr!("output-refused-config-hint"));
            crate::config::locate_setting(&opts.root.join("site.toml"), None, "output_dir", d)
        }
    };
    Err(vec![d])
}
