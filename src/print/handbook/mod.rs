//! The whole handbook as one PDF: cover, table of contents with page numbers, the
//! chapters in section order (each policy with its field box and body, its pictures,
//! the FAQ chapter), a nested PDF outline, running heads and page numbers.
//!
//! Printed double-sided and bound: the front matter (cover and contents) is numbered
//! i, ii, … and the body 1, 2, … (the PDF's page labels match), and the body's first
//! page and every chapter start on a right-hand page, with a blank page before them
//! where needed.

mod body;
mod key;
mod markup;
mod parts;
mod reuse;
mod texts;
mod toc;

pub(crate) use reuse::{Book, Reuse};

use std::io::Write;

use rayon::prelude::*;
use tera::Context;

use super::Engine;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::typeset::embed::{DocFonts, GlyphTable};
use crate::typeset::layout::{Block, Chunk, Layout, Page, Paginator, paginate};
use crate::typeset::markup::{COVER, TOC};
use crate::typeset::mdblocks;
use crate::typeset::pdf_stream::PdfStream;
use crate::typeset::style::MM;
use crate::values::Values;
use body::{Body, WINDOW, chapters, lay_out_part, page_content, take, windows};
use markup::{book, markup_key, with_reads};

/// The stack of the thread a window of entries is laid out on: the main thread's.
const LAYOUT_STACK: usize = 8 << 20;

/// The handbook's print template.
pub(super) const TEMPLATE: &str = "handbook.xml";

/// Writes the handbook to `out` (the output file `file`, named in errors), copying the
/// chapters `reuse` has unchanged; returns its page count and its glyph table.
pub(crate) fn build(
    site: &Site,
    engine: &Engine,
    values: &Values,
    names: &[String],
    file: &str,
    out: &mut dyn Write,
    reuse: &mut Reuse,
) -> Result<(usize, GlyphTable), Vec<Diagnostic>> {
    let date = super::pdf_date(site.entries.iter().filter_map(|n| {
        let p = n.entry.policy()?;
        p.reviewed.or(p.effective)
    }));
    let date_text = format!("{}年{}月", date.0, date.1);
    let (key, rendered) = with_reads(engine, values, |shared, texts, named| {
        let key = markup_key(site, values, shared, texts, named, &date_text);
        let rendered = match reuse.markup(key) {
            Some(markup) => markup,
            None => {
                let mut ctx = Context::new();
                ctx.insert_value("book", book(site, values, named));
                ctx.insert("date", &date_text);
                let rendered = engine.render_markup(TEMPLATE, &ctx)?;
                // The template's values (every entry's) are done with before the
                // markup becomes blocks: the two at once were the peak of a
                // 30,000-entry build. Freed on the pool, idle meanwhile, not on the
                // thread that goes on.
                body::drop_later(ctx);
                rendered
            }
        };
        Ok::<_, Vec<Diagnostic>>((key, rendered))
    })?;
    let done = document(
        site,
        engine,
        names,
        &rendered,
        date,
        &site.config.title,
        true,
        file,
        out,
        Some(&mut *reuse),
    );
    reuse.keep_markup(key, rendered);
    done
}

/// A paginated A4 document from the markup a print template `rendered` (the
/// handbook, the 修订对照表): cover and table of contents when it has them, running
/// heads, page numbers and an outline. `title` is the PDF's title; `defer`: the template shows
/// every entry's body (read each chapter's when it is laid out). Written to `out` as
/// it is laid out (see [`PdfStream`]); `reuse`: chapters unchanged since the last
/// build are copied from its file. Returns the page count and the glyph table.
#[allow(clippy::too_many_arguments)]
pub(crate) fn document(
    site: &Site,
    engine: &Engine,
    names: &[String],
    rendered: &str,
    date: (i32, u8, u8),
    title: &str,
    defer: bool,
    file: &str,
    out: &mut dyn Write,
    mut reuse: Option<&mut Reuse>,
) -> Result<(usize, GlyphTable), Vec<Diagnostic>> {
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
                (s.body.as_str(), s.src.as_deref(), s.body_start)
            }
            None => {
                let i = *site.by_id.get(id)?;
                if defer {
                    // Read when its chapter is laid out: a whole book of bodies at
                    // once took 1.3 GB at 10,000 entries.
                    return Some(vec![parts::deferred(i)]);
                }
                let e = &site.entries[i].entry;
                (e.body(), Some(&*e.src), e.body_start)
            }
        };
        let mut blocks = mdblocks::blocks(body, styles, 1);
        pictures.read(&mut blocks, &site.root, src, start, body);
        Some(blocks)
    };
    // Entry bodies for the deferred places in `owned`, read in parallel.
    let fill = |mut owned: Vec<Block>| -> Result<Vec<Block>, Vec<Diagnostic>> {
        let wanted = parts::deferred_in(&owned);
        if wanted.is_empty() {
            return Ok(owned);
        }
        let mut bodies: std::collections::HashMap<usize, Vec<Block>> = wanted
            .par_iter()
            .map(|&i| (i, mdblocks::blocks(site.entries[i].entry.body(), styles, 1)))
            .collect();
        for (&i, b) in bodies.iter_mut() {
            let e = &site.entries[i].entry;
            pictures.read(b, &site.root, Some(&*e.src), e.body_start, e.body());
        }
        let errors = pictures.take_errors();
        if !errors.is_empty() {
            return Err(errors);
        }
        parts::expand_deferred(&mut owned, &mut bodies);
        Ok(owned)
    };
    // With reuse, the chapters whose text is the last build's are not converted.
    let split = reuse
        .as_deref()
        .filter(|_| defer)
        .and_then(|r| texts::split(rendered, site, r.setup()));
    let by_chapter = split
        .as_ref()
        .zip(reuse.as_deref())
        .and_then(|(sp, r)| sp.blocks(r, site, styles, &content));
    let (mut blocks, groups) = match by_chapter {
        Some((blocks, front, groups)) => (blocks, Some((front, groups))),
        None => (
            engine.markup_blocks_in_parallel(rendered, &content, styles)?,
            None,
        ),
    };
    let errors = pictures.take_errors();
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
    let body_at = blocks.len() - body.len();
    let io = |e: std::io::Error| vec![Diagnostic::error(tr!("write-file", file = file, error = e))];
    let parts = texts::parts(&blocks, body_at, groups, reuse.as_deref(), site);
    // Each chapter's windows' keys chained (the last link is the chapter's key) and
    // hashed from each to the chapter's end.
    let chains: Vec<Vec<reuse::Key>> = parts.iter().map(|p| Reuse::chain(&p.keys)).collect();
    let suffixes: Vec<Vec<reuse::Key>> = parts.iter().map(|p| Reuse::suffixes(&p.keys)).collect();
    let keys: Vec<Option<reuse::Key>> = chains.iter().map(|c| c.last().copied()).collect();
    if let Some(r) = reuse.as_mut() {
        let all: Vec<reuse::Key> = keys.iter().flatten().copied().collect();
        let front = (front, &parts::deferred_in(front)[..]);
        r.whole_key(site, front, toc_title.as_deref(), title, date, &all);
        // Nothing in the book changed: the last file, as it was.
        if let Some(done) = r.copy_whole(out).map_err(io)? {
            engine.subsets.keep_table(&engine.fonts, &done.1);
            return Ok(done);
        }
    }
    let has_cover = front
        .iter()
        .any(|b| matches!(b, Block::Anchor(mk) if mk.key == COVER));
    let (mut front_pages, _) = if has_cover || !front.is_empty() {
        paginate(&layout.blocks(&fill(front.to_vec())?, w), h)
    } else {
        (Vec::new(), false)
    };

    let mut pdf = PdfStream::new(out).map_err(io)?;
    let mut glyphs = match reuse.as_mut() {
        Some(r) => r.glyphs(&engine.fonts, &keys, &chains, &suffixes),
        None => DocFonts::empty(&engine.fonts),
    };
    let page = |pdf: &mut PdfStream, glyphs: &DocFonts, p: &Page| -> std::io::Result<u32> {
        let (content, zipped) = page_content(p, names, glyphs, m[3], m[0], ph);
        pdf.page(pw, ph, content, zipped)
    };
    let mut front_ids = Vec::new();
    for p in &front_pages {
        glyphs.add(&p.items);
        front_ids.push(page(&mut pdf, &glyphs, p).map_err(io)?);
    }
    let empty = pdf.content(Vec::new()).map_err(io)?;

    // The body, a chapter at a time: laid out, given running heads, written and
    // dropped, so memory holds one chapter's pages, never the book's. Every chapter
    // starts on a right-hand page (a blank left-hand page before it where needed).
    let mut body = Body {
        layout: &layout,
        book: &site.config.title,
        running: styles.resolve("p", &["running"]),
        styles,
        names,
        geometry: (pw, ph, w, h, m),
        empty,
        chapter: String::new(),
        ids: Vec::new(),
        marks: Vec::new(),
        heads: Default::default(),
        part: Vec::new(),
        sum: reuse::stream_sum(),
        stored_sum: None,
        pictures: false,
    };
    for ((mut p, mut key), (mut chain, mut suffix)) in parts
        .into_iter()
        .zip(keys)
        .zip(chains.into_iter().zip(suffixes))
    {
        // A chapter known from the last build is copied; when it cannot be (an
        // entry's body changed, or its pages are not there as recorded) its text is
        // converted now.
        let mut copied = None;
        let mut own_blocks = None;
        if let (Some(text), Some(text_key)) = (p.known.take(), p.text) {
            copied = reuse.as_mut().zip(key).and_then(|(r, k)| r.take(k));
            if copied.is_none() {
                p = split
                    .as_ref()
                    .and_then(|sp| sp.convert(text, styles, &content))
                    .and_then(|b| {
                        let part = texts::converted(&b, text_key, reuse.as_deref(), site)?;
                        own_blocks = Some(b);
                        Some(part)
                    })
                    .ok_or_else(|| {
                        vec![
                            Diagnostic::error(tr!("handbook-chapter-unread"))
                                .with_hint(tr!("handbook-chapter-unread-hint")),
                        ]
                    })?;
                chain = Reuse::chain(&p.keys);
                suffix = Reuse::suffixes(&p.keys);
                key = chain.last().copied();
            }
        }
        let text = p.text.map(|t| texts::record(t, &p.own));
        let wins = p.wins;
        let part: &mut [Block] = match own_blocks.as_mut() {
            Some(own) => own,
            None => {
                let r = p.range.unwrap_or_default();
                &mut blocks[body_at + r.start..body_at + r.end]
            }
        };
        let copied = copied.or_else(|| reuse.as_mut().zip(key).and_then(|(r, k)| r.take(k)));
        if let Some((pages, sum, record)) = copied {
            body.write_stored(pages, sum, &mut pdf, &mut glyphs)
                .map_err(io)?;
            if let (Some(r), Some((k, pages, sum))) = (reuse.as_mut(), body.end_part(key)) {
                r.record(k, pages, sum, record, text);
            }
            continue;
        }
        // A window of entries at a time: read, laid out in parallel, paginated; the
        // pages that later entries cannot change are written and dropped. Where the
        // layout stands after each window is recorded; a chapter that begins as the
        // last build's did copies its pages until the first window that differs.
        let mut paging = Paginator::new(h);
        let mut pending = 0.0;
        let mut any = false;
        let mut record: Vec<reuse::Resume> = Vec::new();
        // Windows laid out in this build: (window, number of its first chunk, pending
        // space before it).
        let mut laid: Vec<(usize, usize, f32)> = Vec::new();
        // Chunks laid out so far.
        let fed = std::cell::Cell::new(0);
        // A window's layout from the space pending before it: its chunks, the space
        // pending after it, the characters no font has. It touches nothing the
        // pagination does, so the next window is laid out while one is paginated and
        // written (one after the other, the pool waited on that thread's work).
        let lay_window = |window: Vec<Block>, mut pending: f32| {
            let window = fill(window)?;
            let (chunks, missing) = lay_out_part(engine, &window, w, &mut pending);
            body::drop_later(window);
            Ok::<_, Vec<Diagnostic>>((chunks, pending, missing))
        };
        // Window `j`'s layout taken in: where it started noted, its missing characters
        // kept.
        let took = |j: usize,
                    laid_out: (Vec<Chunk>, f32, Vec<char>),
                    pending: &mut f32,
                    laid: &mut Vec<(usize, usize, f32)>| {
            let (chunks, after, missing) = laid_out;
            laid.push((j, fed.get(), *pending));
            *pending = after;
            fed.set(fed.get() + chunks.len());
            layout.missing.borrow_mut().extend(missing);
            chunks
        };
        let lay = |j: usize, part: &mut [Block], pending: &mut f32, laid: &mut Vec<_>| {
            let laid_out = lay_window(take(&mut part[wins[j].clone()]), *pending)?;
            Ok::<_, Vec<Diagnostic>>(took(j, laid_out, pending, laid))
        };
        if let Some(resumed) = reuse.as_mut().and_then(|r| r.resume(&chain)) {
            let at = resumed.windows[resumed.windows.len() - 1];
            any = at.pages > 0;
            body.write_copied(resumed.pages, &mut pdf, &mut glyphs)
                .map_err(io)?;
            // The chunks that were waiting for a page, laid out again.
            pending = at.pending;
            let mut waiting = Vec::new();
            for j in at.from as usize..resumed.windows.len() {
                waiting.extend(lay(j, part, &mut pending, &mut laid)?);
            }
            let skip = (at.skip as usize).min(waiting.len());
            body::drop_later(waiting.drain(..skip).collect::<Vec<_>>());
            paging = Paginator::resume(h, waiting, any);
            record = resumed.windows;
        }
        // Set when the layout met the last build's again and the rest was copied.
        let mut rejoined = false;
        // The next window's layout, made while this one was paginated and written.
        let mut ahead = None;
        for j in record.len()..wins.len() {
            let chunks = match ahead.take() {
                Some(laid_out) => took(j, laid_out?, &mut pending, &mut laid),
                None => lay(j, part, &mut pending, &mut laid)?,
            };
            // Laid out on a thread of its own (its work goes to the pool) while this
            // one paginates and writes; not where the rest of the chapter may turn out
            // to be the last build's (it would be laid out for nothing, and waited for).
            let starts = &suffix[..(j + 2).min(suffix.len())];
            let ahead_ok = !reuse.as_ref().is_some_and(|r| r.may_rejoin(starts));
            let next = wins
                .get(j + 1)
                .filter(|_| ahead_ok)
                .map(|r| std::sync::Mutex::new(Some(take(&mut part[r.clone()]))));
            let before = pending;
            let laying = std::thread::scope(|s| {
                // The stack of the thread it would otherwise have run on; a thread
                // the system will not give leaves the window to this one, after.
                let job = next.as_ref().and_then(|slot| {
                    std::thread::Builder::new()
                        .stack_size(LAYOUT_STACK)
                        .spawn_scoped(s, move || {
                            let window = slot.lock().ok().and_then(|mut w| w.take());
                            lay_window(window.unwrap_or_default(), before)
                        })
                        .ok()
                });
                // This window paginated and written; `true` when the rest of the
                // chapter was copied from the last build.
                let step = (|| {
                    let pages = paging.feed(chunks);
                    any |= !pages.is_empty();
                    body.write(pages, &mut pdf, &mut glyphs).map_err(io)?;
                    let (from, skip, before) = match paging.waiting() {
                        0 => (j + 1, 0, pending),
                        waiting => {
                            let first = fed.get() - waiting;
                            let &(from, start, before) = laid
                                .iter()
                                .rev()
                                .find(|&&(_, start, _)| start <= first)
                                .unwrap_or(&laid[0]);
                            (from, first - start, before)
                        }
                    };
                    let (Some(&link), Some(&own)) = (chain.get(j), suffix.get(j)) else {
                        return Ok(false);
                    };
                    let at = reuse::Resume {
                        chain: link,
                        suffix: own,
                        pages: body.part.len() as u32,
                        from: from as u32,
                        skip: skip as u32,
                        pending: before,
                    };
                    record.push(at);
                    // Where the layout stands as the last build's stood, with the same
                    // windows to come: the rest of the chapter is the last build's
                    // (unless a block too tall for a page makes this build an error).
                    if let Some(rest) =
                        suffix
                            .get(from)
                            .filter(|_| !paging.overflow)
                            .and_then(|&ahead| {
                                let r = reuse.as_mut()?;
                                r.rejoin(j, wins.len(), ahead, at)
                            })
                    {
                        body.write_copied(rest.pages, &mut pdf, &mut glyphs)
                            .map_err(io)?;
                        record.extend(rest.windows);
                        return Ok(true);
                    }
                    Ok::<_, Vec<Diagnostic>>(false)
                })();
                let next = job.map(|h| match h.join() {
                    Ok(laid_out) => laid_out,
                    Err(panic) => std::panic::resume_unwind(panic),
                });
                (step, next)
            });
            let (step, laid_out) = laying;
            if step? {
                rejoined = true;
                break;
            }
            ahead = match (laid_out, next) {
                (Some(laid_out), _) => Some(laid_out),
                (None, Some(slot)) => slot
                    .into_inner()
                    .ok()
                    .flatten()
                    .map(|window| lay_window(window, before)),
                (None, None) => None,
            };
        }
        // The windows' records before a change (copied by `resume`) and after it
        // (copied by `rejoin`) take this chapter's links.
        for ((r, &link), &own) in record.iter_mut().zip(&chain).zip(&suffix) {
            r.chain = link;
            r.suffix = own;
        }
        if rejoined {
            // Its waiting chunks are the copied pages'.
            body::drop_later(paging);
        } else {
            let overflow = paging.overflow;
            let (mut pages, last_overflow) = paging.finish();
            if !any && pages.len() == 1 && pages[0].items.is_empty() && pages[0].markers.is_empty()
            {
                // A part with nothing to show (the page break before the first chapter):
                // one pagination of the whole body would make no page of it.
                pages.clear();
            }
            if overflow || last_overflow {
                return Err(vec![
                    Diagnostic::error(tr!("handbook-too-tall"))
                        .with_hint(tr!("handbook-too-tall-hint")),
                ]);
            }
            body.write(pages, &mut pdf, &mut glyphs).map_err(io)?;
        }
        if let (Some(r), Some((k, pages, sum))) = (reuse.as_mut(), body.end_part(key)) {
            r.record(k, pages, sum, record, text);
        }
    }
    let Body {
        ids: body_ids,
        marks,
        ..
    } = body;
    // The book's blocks (every entry's but the bodies) are freed on the pool: on this
    // thread they held up the end of the file (20 ms after one edit at 10,000).
    body::drop_later(blocks);

    // Table of contents: chapters and entries with the body page they start on.
    let toc = toc_title.as_deref().map(|title| {
        let key = toc::key(title, &marks);
        let contents = toc::contents(
            engine,
            &layout,
            styles,
            title,
            &marks,
            (w, h),
            key,
            reuse.as_deref_mut(),
        );
        (key, contents)
    });
    if let Some(error) = body::missing_chars(&layout) {
        return Err(vec![error]);
    }
    let mut toc_ids = match toc {
        Some((key, contents)) => toc::write(
            contents,
            key,
            names,
            (pw, ph, m[3], m[0]),
            &mut pdf,
            &mut glyphs,
            reuse,
        )
        .map_err(io)?,
        None => Vec::new(),
    };

    // The cover's back is blank, the contents start on a right-hand page, and the
    // front matter is an even number of pages so the body's page 1 is a right-hand one.
    if !front_ids.is_empty() && !toc_ids.is_empty() && front_ids.len() % 2 == 1 {
        front_ids.push(pdf.page_with(pw, ph, empty).map_err(io)?);
    }
    if (front_ids.len() + toc_ids.len()) % 2 == 1 {
        let blank = pdf.page_with(pw, ph, empty).map_err(io)?;
        if toc_ids.is_empty() {
            front_ids.push(blank);
        } else {
            toc_ids.push(blank);
        }
    }
    front_pages.clear();
    let (outline, labels) = toc::outline(front_ids.len(), toc_ids.len(), toc_title, &marks);
    let order: Vec<u32> = front_ids
        .into_iter()
        .chain(toc_ids)
        .chain(body_ids)
        .collect();
    let mut scratch = pdf.scratch();
    let resources = glyphs
        .resources(
            &engine.fonts,
            None,
            Some(&engine.subsets),
            names,
            &mut scratch,
        )
        .map_err(|e| vec![Diagnostic::error(tr!("pdf-subset-failed", error = e))])?;
    let n = order.len();
    pdf.finish(scratch, resources, &order, &outline, &labels, title, date)
        .map_err(io)?;
    Ok((n, glyphs.table()))
}
