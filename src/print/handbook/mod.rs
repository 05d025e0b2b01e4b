//! The whole handbook as one PDF: cover, table of contents with page numbers, the
//! chapters in section order (each policy with its field box and body, its pictures,
//! the FAQ chapter), a nested PDF outline, running heads and page numbers.
//!
//! Printed double-sided and bound: the front matter (cover and contents) is numbered
//! i, ii, … and the body 1, 2, … (the PDF's page labels match), and the body's first
//! page and every chapter start on a right-hand page, with a blank page before them
//! where needed.

mod parts;

use tera::{Context, Value};

use super::Engine;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::typeset::content::write_items;
use crate::typeset::embed::DocFonts;
use crate::typeset::layout::{Block, Item, Layout, Marker, Page, paginate};
use crate::typeset::linebreak::{Align, RunStyle};
use crate::typeset::markup::{COVER, TOC};
use crate::typeset::mdblocks;
use crate::typeset::pdf::{self, Bookmark, LabelStyle, PageContent};
use crate::typeset::style::MM;
use crate::values::{self, Values, obj};

pub struct Handbook {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Chapters for the template: every section with entries, in reading order.
fn book(site: &Site, values: &Values) -> Value {
    let chapters: Vec<Value> = site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.entries.is_empty())
        .map(|(si, s)| {
            let entries: Vec<Value> = s
                .entries
                .iter()
                .map(|&i| values::entry_page(site, values, i))
                .collect();
            obj([
                ("section", values.section_summaries[si].clone()),
                ("entries", Value::from(entries)),
            ])
        })
        .collect();
    Value::from(chapters)
}

pub fn build(
    site: &Site,
    engine: &Engine,
    values: &Values,
    names: &[String],
) -> Result<Handbook, Vec<Diagnostic>> {
    let date = super::pdf_date(site.entries.iter().filter_map(|n| {
        let p = n.entry.policy()?;
        p.reviewed.or(p.effective)
    }));
    let mut ctx = Context::new();
    ctx.insert_value("book", book(site, values));
    ctx.insert("date", &format!("{}年{}月", date.0, date.1));
    document(
        site,
        engine,
        names,
        "handbook.xml",
        &ctx,
        date,
        &site.config.title,
    )
}

/// A paginated A4 document from the print template `template` (the handbook, the
/// 修订对照表): cover and table of contents when it has them, running heads, page
/// numbers and an outline. `title` is the PDF's title.
pub(crate) fn document(
    site: &Site,
    engine: &Engine,
    names: &[String],
    template: &str,
    ctx: &Context,
    date: (i32, u8, u8),
    title: &str,
) -> Result<Handbook, Vec<Diagnostic>> {
    let scaled = engine.styles.scaled(engine.styles.geometry.text_scale);
    let styles = &scaled;
    let pictures = parts::Pictures::default();
    let content = |id: Option<&str>| -> Option<Vec<Block>> {
        let id = id?;
        let (body, src, start) = match id.strip_prefix("section:") {
            Some(path) => {
                let s = &site
                    .sections
                    .iter()
                    .find(|s| s.section.path == path)?
                    .section;
                (&s.body, s.src.as_deref(), s.body_start)
            }
            None => {
                let e = &site.entries[*site.by_id.get(id)?].entry;
                (&e.body, Some(&*e.src), e.body_start)
            }
        };
        let mut blocks = mdblocks::blocks(body, styles, 1);
        pictures.read(&mut blocks, &site.root, src, start);
        Some(blocks)
    };
    let mut blocks = engine.markup_styled(template, ctx, &content, styles)?;
    let errors = pictures.errors.take();
    if !errors.is_empty() {
        return Err(errors);
    }

    let g = &styles.geometry;
    let (pw, ph) = g.page.pt();
    let m = g.page_margin.map(|v| v * MM);
    let (w, h) = (pw - m[1] - m[3], ph - m[0] - m[2]);
    let layout = Layout::new(&engine.fonts);
    if let Some(i) = blocks
        .iter()
        .position(|b| matches!(b, Block::Anchor(mk) if mk.key == TOC))
    {
        parts::break_cover_title(
            &mut blocks[..i],
            title,
            &site.config.region,
            &engine.fonts,
            w,
        );
    }

    // Cover, then the table of contents, then the body.
    let toc_at = blocks
        .iter()
        .position(|b| matches!(b, Block::Anchor(mk) if mk.key == TOC));
    let (front, toc_title, body) = match toc_at {
        Some(i) => {
            let title = match &blocks[i] {
                Block::Anchor(mk) => mk.title.clone(),
                _ => String::new(),
            };
            (&blocks[..i], Some(title), &blocks[i + 1..])
        }
        None => (&blocks[..0], None, &blocks[..]),
    };
    let has_cover = front
        .iter()
        .any(|b| matches!(b, Block::Anchor(mk) if mk.key == COVER));
    let (front_pages, _) = if has_cover || !front.is_empty() {
        paginate(&layout.blocks(front, w), h)
    } else {
        (Vec::new(), false)
    };
    let (body_pages, overflow) = paginate(&layout.blocks(body, w), h);
    let body_pages = chapters_on_the_right(body_pages);
    if overflow {
        return Err(vec![
            Diagnostic::error(tr!("handbook-too-tall")).with_hint(tr!("handbook-too-tall-hint")),
        ]);
    }

    // Table of contents: chapters and entries with the body page they start on.
    let marks: Vec<(Marker, usize)> = body_pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| page.markers.iter().map(move |(mk, _)| (mk.clone(), p)))
        .filter(|(mk, _)| mk.level >= 1)
        .collect();
    let toc_pages = match &toc_title {
        Some(title) => {
            let ts = styles.resolve("p", &["toc-title"]);
            let mut tb = vec![Block::Para {
                runs: vec![(title.clone(), run(&ts))],
                style: ts,
            }];
            for (mk, p) in &marks {
                let st = styles.resolve(
                    "p",
                    &[if mk.level == 1 {
                        "toc-chapter"
                    } else {
                        "toc-entry"
                    }],
                );
                let st = crate::typeset::style::Resolved {
                    indent: if mk.level == 1 { 0.0 } else { st.size * 2.0 },
                    ..st
                };
                tb.push(Block::Leader {
                    runs: vec![(mk.title.clone(), run(&st))],
                    right: (p + 1).to_string(),
                    style: st,
                });
            }
            paginate(&layout.blocks(&tb, w), h).0
        }
        None => Vec::new(),
    };
    if !layout.missing.borrow().is_empty() {
        let mut missing = layout.missing.borrow().clone();
        missing.sort_unstable();
        missing.dedup();
        let chars: Vec<String> = missing
            .iter()
            .map(|c| format!("「{c}」(U+{:04X})", *c as u32))
            .collect();
        return Err(vec![Diagnostic::error(tr!(
            "font-missing-chars",
            chars = chars.join(" ")
        ))]);
    }

    // Running heads and page numbers on body pages.
    let rs = styles.resolve("p", &["running"]);
    let mut chapter = String::new();
    let mut body_pages = body_pages;
    for (p, page) in body_pages.iter_mut().enumerate() {
        if let Some((mk, _)) = page.markers.iter().find(|(mk, _)| mk.level == 1) {
            chapter = mk.title.clone();
        }
        if page.items.is_empty() && page.markers.is_empty() {
            // A blank left-hand page before a chapter stays blank.
            continue;
        }
        let mut extra = Vec::new();
        let head_y = -m[0] * 0.55;
        extra.extend(line_items(
            &layout,
            &site.config.title,
            &rs,
            Align::Left,
            w,
            head_y,
        ));
        extra.extend(line_items(&layout, &chapter, &rs, Align::Right, w, head_y));
        extra.push(Item::Line {
            x1: 0.0,
            y1: head_y + rs.size * 0.6,
            x2: w,
            y2: head_y + rs.size * 0.6,
            color: styles.color("line"),
            width: 0.4,
            dash: false,
        });
        extra.extend(line_items(
            &layout,
            &format!("— {} —", p + 1),
            &rs,
            Align::Center,
            w,
            h + m[2] * 0.4,
        ));
        page.items.extend(extra);
    }

    // The cover's back is blank, the contents start on a right-hand page, and the
    // front matter is an even number of pages so the body's page 1 is a right-hand one.
    let mut front_pages = front_pages;
    let mut toc_pages = toc_pages;
    if !front_pages.is_empty() && !toc_pages.is_empty() && front_pages.len() % 2 == 1 {
        front_pages.push(Page::default());
    }
    if (front_pages.len() + toc_pages.len()) % 2 == 1 {
        if toc_pages.is_empty() {
            front_pages.push(Page::default());
        } else {
            toc_pages.push(Page::default());
        }
    }
    let front_n = front_pages.len();
    let toc_n = toc_pages.len();
    let mut outline = Vec::new();
    if toc_n > 0 {
        outline.push(Bookmark {
            level: 1,
            title: toc_title.unwrap_or_default().replace(' ', ""),
            page: front_n,
        });
    }
    for (mk, p) in &marks {
        outline.push(Bookmark {
            level: mk.level,
            title: mk.title.clone(),
            page: front_n + toc_n + p,
        });
    }

    let all: Vec<&Page> = front_pages
        .iter()
        .chain(&toc_pages)
        .chain(&body_pages)
        .collect();
    let glyphs = DocFonts::collect(&engine.fonts, all.iter().map(|p| p.items.as_slice()));
    let ops: Vec<PageContent> = all
        .iter()
        .map(|p| {
            let mut content = Vec::new();
            write_items(&mut content, &p.items, names, &glyphs, m[3], m[0], ph);
            PageContent {
                width: pw,
                height: ph,
                content,
            }
        })
        .collect();
    let n = ops.len();
    let mut opts = pdf::Options::default();
    if front_n + toc_n > 0 {
        opts.labels = vec![
            (0, LabelStyle::Roman),
            (front_n + toc_n, LabelStyle::Arabic),
        ];
    }
    let bytes = pdf::save_with(
        &opts,
        &engine.fonts,
        None,
        names,
        &glyphs,
        title,
        date,
        ops,
        &outline,
    );
    Ok(Handbook {
        pdf: bytes,
        pages: n,
    })
}

/// Inserts a blank page before every chapter that would start on a left-hand (even)
/// page of the body; the body's page 1 is a right-hand page.
fn chapters_on_the_right(pages: Vec<Page>) -> Vec<Page> {
    let mut out = Vec::with_capacity(pages.len() + 8);
    for page in pages {
        let starts_chapter = page.markers.iter().any(|(mk, _)| mk.level == 1);
        if starts_chapter && out.len() % 2 == 1 {
            out.push(Page::default());
        }
        out.push(page);
    }
    out
}

fn run(s: &crate::typeset::style::Resolved) -> RunStyle {
    RunStyle {
        size: s.size,
        weight: s.weight,
        color: s.color,
    }
}

/// One line of small text at baseline-ish `y` (running heads, page numbers).
fn line_items(
    layout: &Layout,
    text: &str,
    style: &crate::typeset::style::Resolved,
    align: Align,
    w: f32,
    y: f32,
) -> Vec<Item> {
    if text.is_empty() {
        return Vec::new();
    }
    let st = crate::typeset::style::Resolved {
        align,
        indent: 0.0,
        ..*style
    };
    let mut out = Vec::new();
    if let Some(c) = layout
        .para(&vec![(text.to_string(), run(style))], &st, w)
        .into_iter()
        .next()
    {
        for mut it in c.items {
            it.shift(0.0, y - c.height / 2.0);
            out.push(it);
        }
    }
    out
}
