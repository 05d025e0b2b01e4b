//! The build pipeline: load and link the content, load the theme, render every output
//! into a sink. `build` stages into a sibling folder and swaps it in; `check` renders
//! into nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::html::{self, Renderer, context::PrintLinks};
use crate::output::{NullSink, Sink, Staging};
use crate::print;
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Output folder; `None`: the site's `output_dir` under the root.
    pub output: Option<PathBuf>,
    /// Skip print output (cards, handbook) for this build.
    pub no_print: bool,
    /// Warnings are errors: the build renders (once) but does not swap its output in.
    pub strict: bool,
    /// `--large-print`: the 大字版 of the cards whatever site.toml says.
    pub large_print: bool,
}

impl Options {
    pub fn new(root: &Path) -> Options {
        Options {
            root: root.to_path_buf(),
            output: None,
            no_print: false,
            strict: false,
            large_print: false,
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub output: PathBuf,
    pub pages: usize,
    pub static_files: usize,
    pub bytes: u64,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    pub print: Option<print::run::Report>,
    /// Search index size in bytes and files.
    pub search: (u64, usize),
}

/// Everything loaded and checked, ready to render.
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
    pub templates: Templates,
}

/// Reads content, site.toml and the theme; all errors of all of them together.
pub fn load(
    root: &Path,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let t = Instant::now();
    let site = Site::load(root);
    timings.push(("content", t.elapsed()));
    let t = Instant::now();
    let theme_name = site
        .as_ref()
        .map(|s| s.config.theme.clone())
        .unwrap_or_else(|_| "default".into());
    let theme = Theme::resolve(root, &theme_name).map_err(|d| vec![d]);
    let templates = theme
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|th| Templates::load(th, "templates"));
    timings.push(("templates", t.elapsed()));
    // Pages that would land on a static file: known only once the theme is.
    let statics = match (&site, &theme) {
        (Ok(site), Ok(theme)) => static_collisions(site, theme),
        _ => Vec::new(),
    };
    if !statics.is_empty() {
        return Err(statics);
    }
    match (site, theme, templates) {
        (Ok(mut site), Ok(theme), Ok(templates)) => {
            // The previous edition (`[edition]`): 修订说明, 新/改 marks, cards to reprint.
            site.revision = crate::edition::for_build(&site)?.map(std::sync::Arc::new);
            Ok(Loaded {
                site,
                theme,
                templates,
            })
        }
        (site, theme, templates) => {
            let mut d = site.err().unwrap_or_default();
            match (theme, templates) {
                (Err(t), _) => d.extend(t),
                (_, Err(t)) => d.extend(t),
                _ => {}
            }
            Err(d)
        }
    }
}

/// Entries whose page would land on one of the theme's or the site's static files.
pub(crate) fn static_collisions(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let Ok(files) = theme.files("static", true) else {
        // Reported where the files are copied.
        return Vec::new();
    };
    let statics: Vec<(String, PathBuf)> = files.into_iter().map(|f| (f.rel, f.display)).collect();
    let entries: Vec<&crate::content::Entry> = site.entries.iter().map(|n| &*n.entry).collect();
    crate::ids::check_static(&entries, &statics)
}

pub fn output_dir(opts: &Options, site: &Site) -> PathBuf {
    opts.output
        .clone()
        .unwrap_or_else(|| opts.root.join(&site.config.output_dir))
}

/// Refuses, before anything is touched, an output folder a build must not replace: one
/// that is, lies inside or contains a source folder, a file, or a folder of other files
/// (see [`crate::guard::output_refusal`]). The household cards' folder is checked
/// against the output by [`crate::guard::cards_setting`], right after.
pub(crate) fn check_output(opts: &Options, site: &Site, out: &Path) -> Result<(), Vec<Diagnostic>> {
    use crate::guard::{output_refusal, source_folders};
    let folders = source_folders(&opts.root);
    let Some(refusal) = output_refusal(out, &folders) else {
        return Ok(());
    };
    let d = match &opts.output {
        Some(given) => Diagnostic::error(format!(
            "--output {}：{}",
            given.display(),
            refusal.describe(given)
        ))
        .with_hint(
            "给 --output 换一个新的或空的文件夹（例如 --output public），\
             不要用放着手册、文档或其他文件的文件夹",
        ),
        None => {
            let d = Diagnostic::error(format!(
                "site.toml 的 output_dir = \"{}\"：{}",
                site.config.output_dir,
                refusal.describe(Path::new(&site.config.output_dir))
            ))
            .with_hint("把 output_dir 改成一个只放网站的新文件夹，例如 output_dir = \"public\"");
            crate::config::locate_setting(&opts.root.join("site.toml"), None, "output_dir", d)
        }
    };
    Err(vec![d])
}

/// Renders everything into `sink`.
pub fn render_all(
    loaded: &mut Loaded,
    opts: &Options,
    sink: &dyn Sink,
    report: &mut Report,
) -> Result<(), Vec<Diagnostic>> {
    let Loaded {
        site,
        theme,
        templates,
    } = loaded;
    let t = Instant::now();
    let printing = !opts.no_print && site.config.print.enabled;
    let links = if printing {
        print::run::links(site)
    } else {
        PrintLinks::default()
    };
    let renderer = Renderer::new(
        site,
        templates,
        html::Options {
            print: links,
            search: true,
        },
    );
    let pages = renderer.all_pages();
    let (n, errors) = renderer.write_pages(&pages, sink);
    if !errors.is_empty() {
        return Err(errors);
    }
    renderer
        .write_feeds(sink)
        .map_err(|e| vec![Diagnostic::error(format!("cannot write feeds: {e}"))])?;
    report.pages = n;
    if let Some(r) = &site.revision {
        crate::edition::output::write_site(site, templates, r, sink)?;
        report.pages += 1;
    }
    report.static_files = html::copy_static(site, theme, sink)?.len();
    report.timings.push(("html", t.elapsed()));
    let t = Instant::now();
    report.search = crate::search::Index::build(crate::search::docs(site))
        .write(sink)
        .map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot write the search index: {e}"
            ))]
        })?;
    report.timings.push(("search", t.elapsed()));
    if printing {
        let t = Instant::now();
        report.print = Some(print::run::run(site, theme, sink)?);
        report.timings.push(("print", t.elapsed()));
    }
    report.bytes = sink.bytes();
    Ok(())
}

/// A full build, swapped into the output folder only on success.
pub fn build(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let mut report = Report::default();
    let mut loaded = load(&opts.root, &mut report.timings)?;
    if opts.large_print {
        loaded.site.config.print.type_size = crate::config::TypeSize::Large;
    }
    report.warnings = loaded.site.warnings();
    let out = output_dir(opts, &loaded.site);
    // Nothing is touched unless the output is a folder mingbai may replace.
    check_output(opts, &loaded.site, &out)?;
    // Household cards must never land where the site is published.
    let cards_out = opts.root.join(&loaded.site.config.cards.output);
    if let Some(d) = crate::guard::cards_setting(&opts.root, &out, &cards_out) {
        return Err(vec![d]);
    }
    let staging = Staging::new(&out).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot create a build folder beside {}: {e}",
            out.display()
        ))]
    })?;
    render_all(&mut loaded, opts, &staging, &mut report)?;
    if opts.strict && !report.warnings.is_empty() {
        // Dropping the staging folder leaves the previous output as it was.
        return Err(std::mem::take(&mut report.warnings)
            .into_iter()
            .map(|mut d| {
                d.severity = crate::diagnostics::Severity::Error;
                d
            })
            .collect());
    }
    let t = Instant::now();
    staging.commit().map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot move the new site into {}: {e}",
            out.display()
        ))]
    })?;
    report.timings.push(("swap", t.elapsed()));
    report.output = out;
    Ok(report)
}

/// Everything `build` checks, writing nothing.
pub fn check(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let mut report = Report::default();
    let mut loaded = load(&opts.root, &mut report.timings)?;
    report.warnings = loaded.site.warnings();
    // A build would refuse this output folder: so does check.
    check_output(opts, &loaded.site, &output_dir(opts, &loaded.site))?;
    let sink = NullSink::default();
    render_all(&mut loaded, opts, &sink, &mut report)?;
    Ok(report)
}
