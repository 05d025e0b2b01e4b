//! What a revision becomes: the 修订说明 page (`xiuding/index.html`, theme template
//! `revision.html`), the 修订对照表 PDF (`print/xiuding.pdf`, print template
//! `revision.xml`, through the handbook's page engine), the cards to reprint
//! (`print/reprint.json`) and the plain-text report of `mingbai diff`.

use tera::{Context, Value};

use super::Revision;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::site::Site;
use crate::templates::Templates;

pub(crate) const PAGE_URL: &str = "/xiuding/";

/// The revision as templates see it: `previous`, `added`, `withdrawn`, `changed` (each
/// with `fields` and `figures` as `{label, old, new}`), `reprints`, and each entry's
/// `url` in this edition.
pub(crate) fn value(r: &Revision) -> Value {
    let mut v = serde_json::to_value(r).unwrap_or_default();
    let url = |id: &str| serde_json::Value::from(format!("/{id}/"));
    for key in ["added", "changed"] {
        if let Some(items) = v.get_mut(key).and_then(|x| x.as_array_mut()) {
            for item in items {
                let id = item["id"].as_str().unwrap_or_default().to_string();
                item["url"] = url(&id);
            }
        }
    }
    v["reprints"] = serde_json::to_value(r.reprints()).unwrap_or_default();
    v["pdf_url"] = serde_json::Value::from(crate::print::paths::url(crate::print::paths::REVISION));
    // As the site-wide `revision` has it, so base.html links to the page from here too.
    v["url"] = serde_json::Value::from(PAGE_URL);
    Value::from_serializable(&v)
}

/// The machine-readable list of cards to print, reprint and take back.
pub(crate) fn reprint_json(r: &Revision) -> String {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        previous: &'a str,
        cards: Vec<super::Reprint>,
    }
    let out = Out {
        previous: &r.previous,
        cards: r.reprints(),
    };
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

/// The whole comparison and the cards to print, for `mingbai diff --json`.
pub(crate) fn reprint_json_full(r: &Revision) -> String {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        #[serde(flatten)]
        revision: &'a Revision,
        cards: Vec<super::Reprint>,
    }
    let out = Out {
        revision: r,
        cards: r.reprints(),
    };
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

/// Writes the 修订说明 page and the reprint list.
pub(crate) fn write_site(
    site: &Site,
    templates: &Templates,
    r: &Revision,
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let mut ctx = Context::new();
    ctx.insert("current_url", PAGE_URL);
    ctx.insert("permalink", &site.config.permalink(PAGE_URL));
    ctx.insert("title", "修订说明");
    ctx.insert("kind", "revision");
    ctx.insert_value("revision", value(r));
    let html = templates
        .render("revision.html", &ctx)
        .map_err(|d| vec![d])?;
    let html = crate::html::relativize(&html, PAGE_URL);
    let write = |rel: &str, bytes: &[u8]| {
        sink.write(rel, bytes)
            .map_err(|e| vec![Diagnostic::error(tr!("write-file", file = rel, error = e))])
    };
    write("xiuding/index.html", html.as_bytes())?;
    write(crate::print::paths::REPRINT, reprint_json(r).as_bytes())
}

/// The 修订对照表: a two-column old/new table for every change, as an A4 PDF.
pub(crate) fn table_pdf(
    site: &Site,
    engine: &crate::print::Engine,
    names: &[String],
    r: &Revision,
    file: &str,
    out: &mut dyn std::io::Write,
) -> Result<usize, Vec<Diagnostic>> {
    let mut ctx = Context::new();
    ctx.insert_value("revision", value(r));
    let date = crate::print::pdf_date(site.entries.iter().filter_map(|n| {
        let p = n.entry.policy()?;
        p.reviewed.or(p.effective)
    }));
    ctx.insert("date", &format!("{}年{}月", date.0, date.1));
    let rendered = engine.render_markup("revision.xml", &ctx)?;
    drop(ctx);
    crate::print::handbook::document(
        site,
        engine,
        names,
        &rendered,
        date,
        &format!("{}：修订对照表", site.config.title),
        false,
        file,
        out,
        None,
    )
    .map(|(pages, _)| pages)
}

/// The report `mingbai diff` prints.
pub(crate) fn text(r: &Revision, new: &str) -> String {
    let mut s = format!("修订说明：上一版「{}」→ 本版「{new}」\n", r.previous);
    if r.is_empty() {
        s.push_str("两版内容相同，没有修订。\n");
        return s;
    }
    let kind = |k: &str| if k == "faq" { "问答" } else { "政策" };
    if !r.added.is_empty() {
        s.push_str(&format!("\n新增（{}）\n", r.added.len()));
        for i in &r.added {
            s.push_str(&format!("  + {}「{}」 {}\n", kind(i.kind), i.title, i.id));
        }
    }
    if !r.withdrawn.is_empty() {
        s.push_str(&format!("\n废止（{}）\n", r.withdrawn.len()));
        for i in &r.withdrawn {
            s.push_str(&format!("  - {}「{}」 {}\n", kind(i.kind), i.title, i.id));
        }
    }
    if !r.changed.is_empty() {
        s.push_str(&format!("\n修改（{}）\n", r.changed.len()));
        for c in &r.changed {
            let i = &c.item;
            s.push_str(&format!("  * {}「{}」 {}\n", kind(i.kind), i.title, i.id));
            for f in &c.figures {
                s.push_str(&format!("      数字 {}：{} → {}\n", f.label, f.old, f.new));
            }
            for f in &c.fields {
                s.push_str(&format!("      {}：{} → {}\n", f.label, f.old, f.new));
            }
            if c.body {
                s.push_str("      正文有修改\n");
            }
        }
    }
    let cards = r.reprints();
    if !cards.is_empty() {
        s.push_str(&format!("\n明白卡（{}）\n", cards.len()));
        for c in &cards {
            s.push_str(&format!("  {} {}「{}」\n", c.action, c.id, c.title));
        }
    }
    s
}
