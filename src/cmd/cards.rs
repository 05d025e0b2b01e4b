//! `mingbai cards`: household cards (户明白卡) from a cadre's sheet, or every sheet in a
//! folder, against the handbook's source folder or its published policy list.

use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::config::{PrintConfig, TypeSize};
use crate::diagnostics::{Diagnostic, Severity, print_all};
use crate::households::{self, Handbook, Household, print, sheet};
use crate::print::Engine;
use crate::theme::Theme;

pub(crate) struct Args {
    pub root: PathBuf,
    pub data: PathBuf,
    /// The published policies.json, instead of the handbook's source at `root`.
    pub handbook: Option<PathBuf>,
    pub village: Option<String>,
    pub output: Option<PathBuf>,
    pub single: bool,
    pub copies: usize,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub skip_bad_rows: bool,
    pub strict: bool,
    /// `--large-print`: the 大字版 whatever site.toml says.
    pub large_print: bool,
}

/// The handbook as cards need it, the print engine, and where cards go by default.
struct Source {
    handbook: Handbook,
    engine: Engine,
    default_output: PathBuf,
    /// The site's output folder, which cards must never enter.
    site_output: PathBuf,
}

fn source(a: &Args) -> Result<Source, Vec<Diagnostic>> {
    if let Some(file) = &a.handbook {
        let handbook = Handbook::from_file(file)
            .map_err(|m| vec![Diagnostic::error(m).in_file(file, 1, 1)])?;
        let theme = Theme::resolve(&a.root, "default").map_err(|d| vec![d])?;
        let mut cfg = PrintConfig::default();
        if a.large_print {
            cfg.type_size = TypeSize::Large;
        }
        let mut engine = Engine::load_with(&a.root, &cfg, &theme)?;
        engine.set_household_globals(&handbook);
        return Ok(Source {
            handbook,
            engine,
            default_output: a.root.join("print-private"),
            site_output: a.root.join("public"),
        });
    }
    if !a.root.join("site.toml").is_file() {
        return Err(vec![
            Diagnostic::error(tr!(
                "cards-not-handbook",
                root = crate::guard::normalize(&a.root).display()
            ))
            .with_hint(tr!("cards-not-handbook-hint")),
        ]);
    }
    let (site, theme) = crate::engine::Engine::new(crate::engine::Options::new(&a.root))
        .load_site()
        .inspect_err(|_| {
            eprintln!("{}", tr!("cards-handbook-errors"));
        })?;
    let mut cfg = site.config.print.clone();
    if a.large_print {
        cfg.type_size = TypeSize::Large;
    }
    let mut engine = Engine::load_with(&site.root, &cfg, &theme)?;
    engine.set_globals(&site);
    Ok(Source {
        handbook: Handbook::from_site(&site),
        engine,
        default_output: a.root.join(&site.config.cards.output),
        site_output: a.root.join(&site.config.output_dir),
    })
}

pub(crate) fn run(a: &Args) -> anyhow::Result<i32> {
    let encoding = match a.encoding.as_deref() {
        None => None,
        Some(e) => match sheet::Encoding::parse(e) {
            Some(e) => Some(e),
            None => {
                eprintln!(
                    "{}: {}",
                    tr!("label-error"),
                    tr!("cards-unknown-encoding", encoding = e)
                );
                return Ok(2);
            }
        },
    };
    let mut src = match source(a) {
        Ok(s) => s,
        Err(d) => {
            print_all(&d);
            return Ok(1);
        }
    };
    let output = a.output.clone().unwrap_or(src.default_output.clone());
    // Checked before any sheet is read: nothing personal may go where it is published.
    if let Some(d) = crate::guard::private_output(&a.root, &src.site_output, &output) {
        print_all(&[d]);
        return Ok(1);
    }
    let opts = households::Options {
        encoding,
        sheet: a.sheet.clone(),
        strict: a.strict,
    };
    let sheets = match sheets_in(&a.data) {
        Ok(s) => s,
        Err(d) => {
            print_all(&d);
            return Ok(1);
        }
    };
    let mut list: Vec<Household> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut bad_rows: Vec<(PathBuf, BTreeSet<usize>)> = Vec::new();
    let mut keys: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for path in &sheets {
        let loaded = match households::load(path, &opts, &src.handbook, &mut src.engine.fonts) {
            Ok(l) => l,
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        eprintln!(
            "{}",
            tr!(
                "cards-reading",
                file = path.display(),
                description = &loaded.description
            )
        );
        for line in &loaded.columns {
            eprintln!("{line}");
        }
        if loaded.filled > 0 {
            eprintln!("{}", tr!("cards-merged-filled", n = loaded.filled));
        }
        if !loaded.skipped.is_empty() {
            let rows: Vec<String> = loaded
                .skipped
                .iter()
                .map(|(r, t)| tr!("cards-skipped-row", row = r, text = t))
                .collect();
            eprintln!(
                "{}",
                tr!("cards-skipped-totals", rows = rows.join(&tr!("list-sep")))
            );
        }
        errors.extend(loaded.errors.iter().map(|e| e.to_diagnostic(path)));
        let rows: BTreeSet<usize> = loaded
            .errors
            .iter()
            .filter(|e| !e.warning)
            .map(|e| e.row)
            .collect();
        if !rows.is_empty() {
            bad_rows.push((path.clone(), rows));
        }
        for h in loaded.households {
            let row = h.rows[0];
            if let Some((file, first)) = keys.get(&h.key) {
                errors.push(
                    Diagnostic::error(tr!(
                        "cards-duplicate-key",
                        row = row,
                        key = &h.key,
                        file = file.display(),
                        first = first
                    ))
                    .in_file(path, row, 1),
                );
                continue;
            }
            keys.insert(h.key.clone(), (path.clone(), row));
            list.push(h);
        }
    }
    let has_errors = errors.iter().any(Diagnostic::is_error);
    if has_errors && !a.skip_bad_rows {
        print_all(&errors);
        eprintln!("{}", tr!("cards-not-printed-fix"));
        return Ok(1);
    }
    let shown: Vec<Diagnostic> = errors
        .into_iter()
        .map(|mut d| {
            d.severity = Severity::Warning;
            d
        })
        .collect();
    print_all(&shown);
    for (path, rows) in &bad_rows {
        let list: Vec<String> = rows.iter().map(usize::to_string).collect();
        eprintln!(
            "{}",
            tr!(
                "cards-skipping-bad-rows",
                file = path.display(),
                rows = list.join(&tr!("list-sep"))
            )
        );
    }
    if let Some(v) = &a.village {
        let all: BTreeSet<String> = list
            .iter()
            .map(|h| format!("{}{}", h.town, h.village))
            .collect();
        list.retain(|h| &h.village == v || &format!("{}{}", h.town, h.village) == v);
        if list.is_empty() {
            eprintln!(
                "{}: {}",
                tr!("label-error"),
                tr!(
                    "cards-no-village",
                    village = v,
                    all = all.into_iter().collect::<Vec<_>>().join(&tr!("list-sep"))
                )
            );
            return Ok(1);
        }
    }
    if list.is_empty() {
        eprintln!("{}: {}", tr!("label-error"), tr!("cards-none"));
        return Ok(1);
    }
    households::sort(&mut list);
    let report = match print::print(
        &src.handbook,
        &src.engine,
        &list,
        &print::Options {
            output: output.clone(),
            single: a.single,
            copies: a.copies,
            progress: std::io::stderr().is_terminal(),
        },
    ) {
        Ok(r) => r,
        Err(d) => {
            print_all(&d);
            eprintln!(
                "{}",
                tr!("cards-not-printed-nothing-left", dir = output.display())
            );
            return Ok(1);
        }
    };
    summary(a, &report, &output);
    Ok(0)
}

fn summary(a: &Args, report: &print::Report, output: &Path) {
    let bytes: u64 = report.files.iter().map(|f| f.2).sum();
    for (path, sheets, b) in &report.files {
        eprintln!(
            "{}",
            tr!(
                "cards-file-line",
                file = path.display(),
                sheets = sheets,
                mb = format!("{:.1}", *b as f64 / 1e6)
            )
        );
    }
    let copies = if a.copies > 1 {
        tr!("cards-copies", copies = a.copies)
    } else {
        String::new()
    };
    let kb = bytes as f64 / 1024.0 / (report.households * a.copies.max(1)).max(1) as f64;
    eprintln!(
        "{}",
        tr!(
            "cards-summary",
            households = report.households,
            copies = copies,
            files = report.files.len(),
            kb = format!("{kb:.1}"),
            dir = output.display()
        )
    );
    if report.with_back > 0 {
        eprintln!("{}", tr!("cards-with-back", n = report.with_back));
    }
}

/// The sheets `--data` names: the file itself, or every sheet in a folder (by content;
/// other files are listed as skipped, and an open workbook's lock file is pointed out).
fn sheets_in(data: &Path) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    if !data.is_dir() {
        return Ok(vec![data.to_path_buf()]);
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(data)
        .map_err(|e| {
            vec![Diagnostic::error(tr!(
                "cards-dir-unreadable",
                dir = data.display(),
                error = e
            ))]
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let mut sheets = Vec::new();
    let mut other = Vec::new();
    for p in entries {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if sheet::is_lock_file(&p) {
            eprintln!(
                "{}",
                tr!(
                    "cards-sheet-open",
                    name = name.trim_start_matches("~$"),
                    lock = &name
                )
            );
            continue;
        }
        let head = read_head(&p);
        let kind = crate::sniff::sniff(&head);
        if kind.is_workbook() || (kind == crate::sniff::FileKind::Text && is_sheet_name(&name)) {
            sheets.push(p);
        } else {
            other.push(name);
        }
    }
    if !other.is_empty() {
        eprintln!(
            "{}",
            tr!(
                "cards-skipping-not-sheets",
                names = other.join(&tr!("list-sep"))
            )
        );
    }
    if sheets.is_empty() {
        return Err(vec![Diagnostic::error(tr!(
            "cards-no-sheets",
            dir = data.display()
        ))]);
    }
    Ok(sheets)
}

/// Enough of a file to tell its kind (a workbook's zip directory is at its end, so
/// small files are read whole).
fn read_head(p: &Path) -> Vec<u8> {
    let small = std::fs::metadata(p).is_ok_and(|m| m.len() <= sheet::MAX_FILE_BYTES);
    if small {
        std::fs::read(p).unwrap_or_default()
    } else {
        Vec::new()
    }
}

/// Text files in a folder count as sheets only under a sheet's name (a README.txt
/// beside the sheets is not one).
fn is_sheet_name(name: &str) -> bool {
    let n = name.to_lowercase();
    [".csv", ".tsv"].iter().any(|e| n.ends_with(e))
}
