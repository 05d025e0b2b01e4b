//! `mingbai cards`: household cards (户明白卡) from a cadre's sheet.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, print_all};
use crate::households::{self, print, sheet::Encoding};
use crate::print::Engine;
use crate::site::Site;
use crate::theme::Theme;

pub struct Args {
    pub root: PathBuf,
    pub data: PathBuf,
    pub village: Option<String>,
    pub output: Option<PathBuf>,
    pub single: bool,
    pub copies: usize,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub skip_bad_rows: bool,
}

pub fn run(a: &Args) -> anyhow::Result<i32> {
    let encoding = match a.encoding.as_deref() {
        None => None,
        Some(e) => match Encoding::parse(e) {
            Some(e) => Some(e),
            None => anyhow::bail!("unknown encoding `{e}`: use utf-8, gbk or gb18030"),
        },
    };
    let site = match Site::load(&a.root) {
        Ok(s) => s,
        Err(d) => {
            print_all(&d);
            eprintln!("the handbook has errors; household cards need its policies");
            return Ok(1);
        }
    };
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| a.root.join(&site.config.cards.output));
    if let Some(d) = inside_public(&site, &a.root, &output) {
        print_all(&[d]);
        return Ok(1);
    }
    let theme = Theme::resolve(&a.root, &site.config.theme).map_err(|d| anyhow::anyhow!("{d}"))?;
    let mut engine = match Engine::load(&site, &theme) {
        Ok(e) => e,
        Err(d) => {
            print_all(&d);
            return Ok(1);
        }
    };
    engine.set_globals(&site);
    let opts = households::Options {
        encoding,
        sheet: a.sheet.clone(),
    };
    let loaded = match households::load(&a.data, &opts, &site, &mut engine.fonts) {
        Ok(l) => l,
        Err(d) => {
            print_all(&d);
            return Ok(1);
        }
    };
    eprintln!("读取 {}（{}）", a.data.display(), loaded.description);
    let mut list = loaded.households;
    if !loaded.errors.is_empty() {
        let diags: Vec<Diagnostic> = loaded
            .errors
            .iter()
            .map(|e| e.to_diagnostic(&a.data))
            .collect();
        if !a.skip_bad_rows {
            print_all(&diags);
            eprintln!("没有打印：请改正表格后再试（或用 --skip-bad-rows 先打印没有问题的户）");
            return Ok(1);
        }
        let warnings: Vec<Diagnostic> = diags
            .into_iter()
            .map(|mut d| {
                d.severity = crate::diagnostics::Severity::Warning;
                d
            })
            .collect();
        print_all(&warnings);
        let rows: std::collections::BTreeSet<usize> = loaded.errors.iter().map(|e| e.row).collect();
        eprintln!(
            "跳过有问题的行：第{}行",
            rows.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    if let Some(v) = &a.village {
        let all: std::collections::BTreeSet<String> = list
            .iter()
            .map(|h| format!("{}{}", h.town, h.village))
            .collect();
        list.retain(|h| &h.village == v || &format!("{}{}", h.town, h.village) == v);
        if list.is_empty() {
            eprintln!(
                "error: 表格里没有「{v}」；有：{}",
                all.into_iter().collect::<Vec<_>>().join("、")
            );
            return Ok(1);
        }
    }
    households::sort(&mut list);
    let report = match print::print(
        &site,
        &engine,
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
            return Ok(1);
        }
    };
    let bytes: u64 = report.files.iter().map(|f| f.2).sum();
    for (path, sheets, b) in &report.files {
        eprintln!(
            "  {}  {} 张 A4，{:.1} MB",
            path.display(),
            sheets,
            *b as f64 / 1e6
        );
    }
    eprintln!(
        "打印了 {} 户的明白卡{}，共 {} 个文件（每张卡约 {:.1} KB），在 {}（仅本人可读）",
        report.households,
        if a.copies > 1 {
            format!("，一式{}份", a.copies)
        } else {
            String::new()
        },
        report.files.len(),
        bytes as f64 / 1024.0 / (report.households * a.copies.max(1)).max(1) as f64,
        output.display()
    );
    if report.with_back > 0 {
        eprintln!(
            "{} 户的卡片一面印不下，续印在背面（请双面打印，长边翻转）",
            report.with_back
        );
    }
    Ok(0)
}

/// An error when `output` lies inside the site's output folder: household data must
/// never be published.
pub fn inside_public(site: &Site, root: &Path, output: &Path) -> Option<Diagnostic> {
    inside_public_dir(&root.join(&site.config.output_dir), output)
}

pub fn inside_public_dir(public: &Path, output: &Path) -> Option<Diagnostic> {
    let public = normalize(public);
    let out = normalize(output);
    out.starts_with(&public).then(|| {
        Diagnostic::error(format!(
            "household cards would be written to {}, inside the site's output folder {}: \
             household data must never be published",
            output.display(),
            public.display()
        ))
        .with_hint("set [cards] output = \"print-private\" in site.toml (the default), or pass --output outside the site")
    })
}

/// An absolute path without `.` and `..`, resolving symlinks where the path exists.
fn normalize(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve the longest existing prefix (symlinks).
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
