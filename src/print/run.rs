//! The print step of a build: which entries get cards, laying them out in parallel,
//! writing each card, the imposed sheets and the handbook into the output.

use std::collections::HashSet;

use rayon::prelude::*;
use tera::Context;

use super::Engine;
use super::cards::{self, Card};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::site::Site;
use crate::theme::Theme;
use crate::typeset::{mdblocks, pdf};
use crate::values::{self, PrintLinks};

#[derive(Debug, Default)]
pub struct Report {
    pub timings: Vec<(&'static str, std::time::Duration)>,
    pub cards: usize,
    pub sheets: usize,
    /// Cards whose content did not fit their front and continued on the back.
    pub with_back: Vec<String>,
    pub handbook_pages: usize,
    pub bytes: u64,
}

/// Entries that get a card: `card = true`, and expired ones only when marked.
pub fn card_entries(site: &Site) -> Vec<usize> {
    let cfg = &site.config.print;
    if !cfg.enabled || !cfg.cards {
        return Vec::new();
    }
    site.entries
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.entry.card && !(n.expired && cfg.expired_cards == crate::config::ExpiredCards::Skip)
        })
        .map(|(i, _)| i)
        .collect()
}

/// What the web pages link to, known before anything is printed.
pub fn links(site: &Site) -> PrintLinks {
    let cfg = &site.config.print;
    let ids: HashSet<String> = card_entries(site)
        .into_iter()
        .map(|i| site.entries[i].entry.id.clone())
        .collect();
    PrintLinks {
        handbook: (cfg.enabled && cfg.handbook).then(|| super::paths::url(super::paths::HANDBOOK)),
        cards: (!ids.is_empty()).then(|| super::paths::url(super::paths::CARDS)),
        card_ids: ids,
    }
}

pub fn run(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<Report, Vec<Diagnostic>> {
    let cfg = &site.config.print;
    let mut report = Report::default();
    if !cfg.enabled || (!cfg.cards && !cfg.handbook) {
        return Ok(report);
    }
    let t = std::time::Instant::now();
    let mut engine = Engine::load(site, theme)?;
    let entries = card_entries(site);
    let all: Vec<usize> = if cfg.handbook {
        (0..site.entries.len()).collect()
    } else {
        entries.clone()
    };
    let missing = engine.check_coverage(site, &all);
    if !missing.is_empty() {
        return Err(missing);
    }
    let links = links(site);
    let values = values::build(site, &links, false);
    {
        let g = engine.templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
    }
    let ids = pdf::font_names(&engine.fonts);
    let engine = &engine;
    report.timings.push(("load+check", t.elapsed()));
    let t = std::time::Instant::now();

    let laid: Vec<Result<Card, Vec<Diagnostic>>> = entries
        .par_iter()
        .map(|&i| card(site, engine, &values, i))
        .collect();
    let done = crate::diagnostics::gather(laid)?;
    report.timings.push(("layout", t.elapsed()));
    let t = std::time::Instant::now();
    let prepared =
        crate::typeset::embed::Prepared::new(&engine.fonts, &cards::all_glyphs(engine, &done));
    report.with_back = done
        .iter()
        .filter(|c| c.faces.len() > 1)
        .map(|c| c.key.clone())
        .collect();
    let written: Vec<Result<u64, Diagnostic>> = done
        .par_iter()
        .map(|c| {
            let bytes = cards::card_pdf(engine, Some(&prepared), &ids, c);
            let rel = super::paths::card(&c.key);
            sink.write(&rel, &bytes)
                .map(|_| bytes.len() as u64)
                .map_err(|e| Diagnostic::error(tr!("write-file", file = rel, error = e)))
        })
        .collect();
    for w in written {
        report.bytes += w.map_err(|d| vec![d])?;
    }
    report.cards = done.len();
    report.timings.push(("card pdfs", t.elapsed()));
    let t = std::time::Instant::now();
    if !done.is_empty() {
        let all: Vec<&Card> = done.iter().collect();
        let (bytes, sheets) = cards::imposed_pdf(
            engine,
            &engine.cards.geometry,
            Some(&prepared),
            &ids,
            &all,
            &format!("{}：明白卡", site.config.title),
        );
        let rel = super::paths::CARDS;
        sink.write(rel, &bytes)
            .map_err(|e| vec![Diagnostic::error(tr!("write-file", file = rel, error = e))])?;
        report.sheets = sheets;
        report.bytes += bytes.len() as u64;
    }
    report.timings.push(("imposed", t.elapsed()));
    // The laid-out cards are done with: the handbook gets their memory.
    drop(done);
    drop(prepared);
    crate::platform::release_free_memory();
    if cfg.handbook {
        let t = std::time::Instant::now();
        let rel = super::paths::HANDBOOK;
        let (pages, bytes) = stream(sink, rel, |out| {
            super::handbook::build(site, engine, &values, &ids, rel, out)
        })?;
        report.handbook_pages = pages;
        report.bytes += bytes;
        report.timings.push(("handbook", t.elapsed()));
    }
    if let Some(r) = &site.revision {
        // The 修订对照表 (issue 19), on the handbook's page engine.
        let rel = super::paths::REVISION;
        let (_, bytes) = stream(sink, rel, |out| {
            crate::edition::output::table_pdf(site, engine, &ids, r, rel, out)
        })?;
        report.bytes += bytes;
    }
    Ok(report)
}

/// Writes `rel` as `make` lays it out, straight into the sink; returns what `make`
/// returned (a page count) and the file's size. A layout error leaves no file.
fn stream(
    sink: &dyn Sink,
    rel: &str,
    make: impl FnOnce(&mut dyn std::io::Write) -> Result<usize, Vec<Diagnostic>>,
) -> Result<(usize, u64), Vec<Diagnostic>> {
    let mut make = Some(make);
    let mut made: Option<Result<usize, Vec<Diagnostic>>> = None;
    let written = sink.write_stream(rel, &mut |w| {
        if let Some(make) = make.take() {
            made = Some(make(w));
        }
        match &made {
            Some(Err(_)) => Err(std::io::Error::other("layout failed")),
            _ => Ok(()),
        }
    });
    match (made, written) {
        (Some(Err(d)), _) => Err(d),
        (_, Err(e)) => Err(vec![Diagnostic::error(tr!(
            "write-file",
            file = rel,
            error = e
        ))]),
        (made, Ok(bytes)) => Ok((made.and_then(Result::ok).unwrap_or(0), bytes)),
    }
}

/// Prints only the cards of `which` (entries edited while `mingbai serve` runs), each
/// with its own font subset; the imposed sheets and the handbook are left as they are.
pub fn cards_only(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    which: &[usize],
) -> Result<usize, Vec<Diagnostic>> {
    let wanted: HashSet<usize> = which.iter().copied().collect();
    let entries: Vec<usize> = card_entries(site)
        .into_iter()
        .filter(|i| wanted.contains(i))
        .collect();
    if entries.is_empty() {
        return Ok(0);
    }
    let mut engine = Engine::load(site, theme)?;
    let missing = engine.check_coverage(site, &entries);
    if !missing.is_empty() {
        return Err(missing);
    }
    let values = values::build(site, &links(site), false);
    {
        let g = engine.templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
    }
    let ids = pdf::font_names(&engine.fonts);
    let engine = &engine;
    let results: Vec<Result<(), Vec<Diagnostic>>> = entries
        .par_iter()
        .map(|&i| {
            let c = card(site, engine, &values, i)?;
            let rel = super::paths::card(&c.key);
            sink.write(&rel, &cards::card_pdf(engine, None, &ids, &c))
                .map_err(|e| vec![Diagnostic::error(tr!("write-file", file = rel, error = e))])
        })
        .collect();
    let diags: Vec<Diagnostic> = results
        .into_iter()
        .filter_map(Result::err)
        .flatten()
        .collect();
    if diags.is_empty() {
        Ok(entries.len())
    } else {
        Err(diags)
    }
}

/// Lays out the card of entry `i`.
fn card(
    site: &Site,
    engine: &Engine,
    values: &values::Values,
    i: usize,
) -> Result<Card, Vec<Diagnostic>> {
    let n = &site.entries[i];
    let e = &n.entry;
    let template = match e.kind {
        Kind::Policy => "card.xml",
        Kind::Faq => "faq_card.xml",
    };
    let mut ctx = Context::new();
    ctx.insert_value("page", values::entry_print(site, values, i));
    ctx.insert("kind", e.kind.as_str());
    let body = |id: Option<&str>| {
        let target = match id {
            None => Some(i),
            Some(id) => site.by_id.get(id).copied(),
        }?;
        Some(mdblocks::blocks(
            &site.entries[target].entry.body,
            &engine.cards,
            1,
        ))
    };
    let blocks = engine.markup_styled(template, &ctx, &body, &engine.cards)?;
    let faces = cards::lay_out(engine, &engine.cards, blocks).map_err(|msg| {
        vec![
            Diagnostic::error(tr!("card-cannot-print", title = e.title, error = msg)).in_file(
                e.src.path.clone(),
                1,
                1,
            ),
        ]
    })?;
    let date = super::pdf_date(
        e.policy()
            .and_then(|p| p.reviewed.or(p.effective))
            .into_iter(),
    );
    Ok(Card {
        key: e.id.clone(),
        title: e.title.clone(),
        date,
        faces,
    })
}
