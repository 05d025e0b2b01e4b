//! Printing household cards: one card per household through the theme's
//! `print/household.xml`, with the same engine and fonts as the policy cards, imposed on
//! A4 with cut marks, one PDF per village (or one with `--single`), each card repeated
//! for 一式N份, into a private folder with owner-only files.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use tera::{Context, Value};

use super::{Handbook, Household};
use crate::diagnostics::Diagnostic;
use crate::print::Engine;
use crate::print::cards::{self, Card};
use crate::typeset::pdf;
use crate::typeset::style::StyleSheet;
use crate::values::obj;

pub(crate) struct Options {
    pub output: PathBuf,
    pub single: bool,
    pub copies: usize,
    /// Show a progress bar (stderr is a terminal).
    pub progress: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Report {
    pub households: usize,
    pub files: Vec<(PathBuf, usize, u64)>,
    pub with_back: usize,
}

/// The household as the template sees it. No full ID number is ever put here.
fn value(hb: &Handbook, h: &Household) -> Value {
    let cfg = &hb.cards;
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
    if cfg.show_id == crate::config::IdDisplay::Masked {
        head.insert(
            "id_masked".into(),
            Value::from(super::check::mask_id(&h.head.id)),
        );
    }
    let opt = |v: &Option<String>| v.clone().map_or(Value::none(), Value::from);
    let policies: Vec<Value> = h
        .policies
        .iter()
        .map(|u| match u.policy.map(|i| &hb.policies[i]) {
            Some(p) => obj([
                ("id", Value::from(p.id.as_str())),
                ("title", Value::from(p.title.as_str())),
                ("summary", Value::from(p.summary.as_str())),
                ("amount", opt(&u.amount)),
                ("standard", opt(&p.standard)),
                ("phone", Value::from(p.phone.clone().unwrap_or_default())),
                ("office", opt(&p.office)),
                ("url", Value::from(p.url.as_str())),
                ("local", Value::from(false)),
            ]),
            // A local policy the handbook lacks: as the sheet writes it.
            None => obj([
                ("id", Value::from("")),
                ("title", Value::from(u.name.as_str())),
                ("summary", Value::from("")),
                ("amount", opt(&u.amount)),
                ("standard", Value::none()),
                ("phone", Value::from("")),
                ("office", Value::none()),
                ("url", Value::none()),
                ("local", Value::from(true)),
            ]),
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

/// A village's file, written under a temporary name: where it goes, its sheets and
/// bytes, and how many of its cards have a back.
struct Village {
    path: PathBuf,
    tmp: PathBuf,
    sheets: usize,
    bytes: u64,
    with_back: usize,
}

/// Lays out and writes the cards of `households` (already checked and sorted).
pub(crate) fn print(
    hb: &Handbook,
    engine: &Engine,
    households: &[Household],
    opts: &Options,
) -> Result<Report, Vec<Diagnostic>> {
    let styles: &StyleSheet = &engine.households;
    let cfg = &hb.cards;
    let cards_value = obj([
        ("title", Value::from(cfg.title.as_str())),
        ("show_id", Value::from(cfg.show_id.name())),
        ("show_risks", Value::from(cfg.show_risks)),
    ]);
    let site_url = hb.site_url();
    let bar = opts.progress.then(|| {
        let b = indicatif::ProgressBar::new(households.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{msg}} [{{bar:30}}] {{pos}}/{{len}} {} ({{eta}})",
                tr!("households-progress-unit")
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message(tr!("households-progress-laying-out"));
        b
    });
    let lay = |h: &Household| -> Result<Card, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert_value("household", value(hb, h));
        ctx.insert_value("cards", cards_value.clone());
        ctx.insert("site_url", &site_url);
        let none = |_: Option<&str>| None;
        let row = h.rows.first().copied().unwrap_or(0);
        let fail = |m: String| {
            Diagnostic::error(tr!(
                "households-card-failed",
                row = row,
                key = &h.key,
                message = m
            ))
        };
        let blocks = engine
            .markup_styled("household.xml", &ctx, &none, styles)
            .map_err(|d| {
                // The rendered markup holds the household's data, and a message may
                // quote it (a QR code's data, stray text): ID and phone numbers
                // masked, as in every household message.
                d.into_iter()
                    .next()
                    .map_or_else(|| fail(tr!("households-template-error")), |d| d.masked())
            })?;
        let faces = cards::lay_out(engine, styles, blocks).map_err(fail)?;
        if let Some(b) = &bar {
            b.inc(1);
        }
        Ok(Card {
            key: h.key.clone(),
            title: format!("{} {}", cfg.title, h.head.name),
            date: (2000, 1, 1),
            faces,
        })
    };

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
    let names = pdf::font_names(&engine.fonts);
    // Village by village: its cards laid out, its file written, and the cards dropped,
    // so memory holds a village's cards or two (both cores work, a village each or
    // within one), not the county's (10,000 households: 288 MiB when all were held,
    // 103 MiB now). Each file's fonts are cut for its own characters. After a card
    // fails the rest are still laid out, for every message in one run, but no more
    // files are written.
    let card_failed = std::sync::atomic::AtomicBool::new(false);
    let outcomes: Vec<Result<Village, Vec<Diagnostic>>> = groups
        .par_iter()
        .map(|(name, idx)| {
            let laid: Vec<Result<Card, Diagnostic>> =
                idx.par_iter().map(|&i| lay(&households[i])).collect();
            let done = crate::diagnostics::gather(laid.into_iter().map(|r| r.map_err(|d| [d])))
                .inspect_err(|_| card_failed.store(true, Ordering::Relaxed))?;
            if card_failed.load(Ordering::Relaxed) {
                return Err(Vec::new());
            }
            if let Some(b) = &bar {
                b.set_message(tr!("households-progress-writing"));
            }
            let list: Vec<&Card> = done
                .iter()
                .flat_map(|c| std::iter::repeat_n(c, opts.copies.max(1)))
                .collect();
            let path = opts.output.join(format!("{}.pdf", safe_file_name(name)));
            let mut bytes = Vec::new();
            let written = cards::imposed_pdf(
                engine,
                &styles.geometry,
                None,
                &names,
                &list,
                name,
                &mut bytes,
            )
            .and_then(|sheets| Ok((sheets, write_private_tmp(&path, &bytes)?)));
            match written {
                Ok((sheets, tmp)) => {
                    let with_back = done.iter().filter(|c| c.faces.len() > 1).count();
                    Ok(Village {
                        path,
                        tmp,
                        sheets,
                        bytes: bytes.len() as u64,
                        with_back,
                    })
                }
                Err(e) => Err(vec![Diagnostic::error(tr!(
                    "households-write-failed",
                    file = path.display(),
                    error = e
                ))]),
            }
        })
        .collect();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut written = Vec::new();
    let mut with_back = 0;
    for o in outcomes {
        match o {
            Ok(v) => {
                with_back += v.with_back;
                written.push(v);
            }
            Err(d) => errors.extend(d),
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // All or nothing: a card that failed, or a file that could not be written (a full
    // disk), removes the others' temporary files, and no village's PDF is left
    // half-replaced.
    if !errors.is_empty() {
        for v in &written {
            let _ = std::fs::remove_file(&v.tmp);
        }
        return Err(errors);
    }
    let mut report = Report {
        households: households.len(),
        with_back,
        ..Report::default()
    };
    for Village {
        path,
        tmp,
        sheets,
        bytes,
        ..
    } in written
    {
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            vec![Diagnostic::error(tr!(
                "households-write-failed",
                file = path.display(),
                error = e
            ))]
        })?;
        report.files.push((path, sheets, bytes));
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
/// (0700) under a temporary name, for the caller to rename into place once every file
/// of the run is written; removed again when it could not be written whole.
fn write_private_tmp(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string()),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        std::io::Write::write_all(&mut f, bytes)?;
        f.sync_all()
    };
    match write() {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
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
