//! Printing household cards: one card per household through the theme's
//! `print/household.xml`, with the same engine and fonts as the policy cards, imposed on
//! A4 with cut marks, one PDF per village (or one with `--single`), each card repeated
//! for 一式N份, into a private folder with owner-only files.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Value};

use super::Household;
use crate::diagnostics::Diagnostic;
use crate::html::context::obj;
use crate::print::cards::{self, Card};
use crate::print::embed::Prepared;
use crate::print::style::StyleSheet;
use crate::print::{Engine, pdf};
use crate::site::Site;

pub struct Options {
    pub output: PathBuf,
    pub single: bool,
    pub copies: usize,
    /// Show a progress bar (stderr is a terminal).
    pub progress: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub households: usize,
    pub files: Vec<(PathBuf, usize, u64)>,
    pub with_back: usize,
}

/// The household as the template sees it. No full ID number is ever put here.
fn value(site: &Site, h: &Household) -> Value {
    let cfg = &site.config.cards;
    let person = |name: &str, relation: &str| {
        obj([
            ("name", Value::from(name)),
            ("relation", Value::from(relation)),
        ])
    };
    let mut head = obj([
        ("name", Value::from(h.head.name.as_str())),
        ("relation", Value::from("户主")),
    ])
    .into_map()
    .unwrap_or_default();
    if cfg.show_id == "masked" {
        head.insert(
            "id_masked".into(),
            Value::from(super::check::mask_id(&h.head.id)),
        );
    }
    let policies: Vec<Value> = h
        .policies
        .iter()
        .map(|p| {
            let n = &site.entries[p.entry];
            let pf = n.entry.policy();
            obj([
                ("id", Value::from(n.entry.id.as_str())),
                ("title", Value::from(n.entry.title.as_str())),
                ("summary", Value::from(n.entry.summary())),
                (
                    "amount",
                    p.amount.clone().map_or(Value::none(), Value::from),
                ),
                (
                    "standard",
                    pf.and_then(|x| x.amount.clone())
                        .map_or(Value::none(), Value::from),
                ),
                (
                    "phone",
                    pf.and_then(|x| x.phone.clone())
                        .map_or(Value::from(""), Value::from),
                ),
                (
                    "office",
                    pf.and_then(|x| x.office.clone())
                        .map_or(Value::none(), Value::from),
                ),
                ("url", Value::from(site.config.permalink(&n.url))),
            ])
        })
        .collect();
    let address = format!("{}{}{}", h.town, h.village, h.group);
    obj([
        ("key", Value::from(h.key.as_str())),
        ("town", Value::from(h.town.as_str())),
        ("village", Value::from(h.village.as_str())),
        ("group", Value::from(h.group.as_str())),
        ("address", Value::from(address)),
        ("head", Value::from(head)),
        (
            "members",
            Value::from(
                h.members
                    .iter()
                    .map(|m| person(&m.name, &m.relation))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("size", Value::from(h.size)),
        ("kind", Value::from(h.kind.as_str())),
        // Sensitive (PIPL): only when the site turns it on.
        (
            "risks",
            Value::from(if cfg.show_risks {
                h.risks.iter().map(|r| Value::from(r.as_str())).collect()
            } else {
                Vec::new()
            }),
        ),
        ("helper", Value::from(h.helper.as_str())),
        ("helper_phone", Value::from(h.helper_phone.as_str())),
        ("leader", Value::from(h.leader.as_str())),
        ("leader_phone", Value::from(h.leader_phone.as_str())),
        ("policies", Value::from(policies)),
        ("measures", Value::from(h.measures.as_str())),
        ("notes", Value::from(h.notes.as_str())),
    ])
}

/// Lays out and writes the cards of `households` (already checked and sorted).
pub fn print(
    site: &Site,
    engine: &Engine,
    households: &[Household],
    opts: &Options,
) -> Result<Report, Vec<Diagnostic>> {
    let styles: StyleSheet = engine.styles.for_households();
    let cfg = &site.config.cards;
    let cards_value = obj([
        ("title", Value::from(cfg.title.as_str())),
        ("show_id", Value::from(cfg.show_id.as_str())),
        ("show_risks", Value::from(cfg.show_risks)),
    ]);
    let site_url = site.config.permalink("/");
    let bar = opts.progress.then(|| {
        let b = indicatif::ProgressBar::new(households.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} 户 ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message("排版");
        b
    });
    let laid: Vec<Result<Card, Diagnostic>> = households
        .par_iter()
        .map(|h| {
            let mut ctx = Context::new();
            ctx.insert_value("household", value(site, h));
            ctx.insert_value("cards", cards_value.clone());
            ctx.insert("site_url", &site_url);
            let none = |_: Option<&str>| None;
            let row = h.rows.first().copied().unwrap_or(0);
            let fail = |m: String| {
                Diagnostic::error(format!(
                    "第{row}行（户编号 {}）的明白卡无法排版：{m}",
                    h.key
                ))
            };
            let blocks = engine
                .markup_styled("household.xml", &ctx, &none, &styles)
                .map_err(|d| {
                    d.into_iter()
                        .next()
                        .unwrap_or_else(|| fail("模板错误".into()))
                })?;
            let faces = cards::lay_out(engine, &styles, blocks).map_err(fail)?;
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(Card {
                key: h.key.clone(),
                title: format!("{} {}", cfg.title, h.head.name),
                date: (2000, 1, 1),
                faces,
            })
        })
        .collect();
    let done = crate::diagnostics::gather(laid.into_iter().map(|r| r.map_err(|d| [d])))?;
    if let Some(b) = &bar {
        b.set_message("写入");
    }

    // One file per village (in sheet order: they are sorted), or one for all.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, h) in households.iter().enumerate() {
        let name = if opts.single {
            "户明白卡".to_string()
        } else {
            format!("{}{}户明白卡", h.town, h.village)
        };
        match groups.last_mut() {
            Some((n, v)) if *n == name => v.push(i),
            _ => groups.push((name, vec![i])),
        }
    }
    let prepared = Prepared::new(&engine.fonts, &cards::all_glyphs(engine, &done));
    let names = pdf::font_names(&engine.fonts);
    let written: Vec<Result<(PathBuf, usize, u64), Diagnostic>> = groups
        .par_iter()
        .map(|(name, idx)| {
            let list: Vec<&Card> = idx
                .iter()
                .flat_map(|&i| std::iter::repeat_n(&done[i], opts.copies.max(1)))
                .collect();
            let (bytes, sheets) = cards::imposed_pdf(
                engine,
                &styles.geometry,
                Some(&prepared),
                &names,
                &list,
                name,
            );
            let path = opts.output.join(format!("{}.pdf", safe_file_name(name)));
            write_private(&path, &bytes)
                .map_err(|e| Diagnostic::error(format!("无法写入 {}：{e}", path.display())))?;
            Ok((path, sheets, bytes.len() as u64))
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut report = Report {
        households: households.len(),
        with_back: done.iter().filter(|c| c.faces.len() > 1).count(),
        ..Report::default()
    };
    for w in written {
        report.files.push(w.map_err(|d| vec![d])?);
    }
    Ok(report)
}

/// A file name without path separators or characters Windows refuses.
fn safe_file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Writes a file only its owner can read (0600) in a folder only its owner can enter
/// (0700), through a temporary file so a reader never sees half a PDF.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string()),
        std::process::id()
    ));
    {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        std::io::Write::write_all(&mut f, bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}
