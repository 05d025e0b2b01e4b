//! The imposed sheets (`print/cards.pdf`): every card on the theme's sheet with cut
//! marks, made again in a rebuild only where a card on a sheet changed.
//!
//! A sheet face's content stream is a function of its cards' faces, its place in the
//! grid, the print setup and the glyph ids of the file's font subsets. A rebuild starts
//! from the last file's glyph table (new glyphs get new ids after it, as the handbook's
//! do), so the stream of a sheet whose cards are all unchanged is byte for byte the
//! last one: it is copied out of the last file (checked against its recorded hash), and
//! only the cards of the other sheets are decoded from the cache and drawn. One phone
//! edited at 10,000 entries: the sheets took 0.8 s, nearly all of it decoding and
//! drawing 10,000 cards to change one sheet. The file is then not the bytes a first
//! build makes (glyph ids differ), but shows the same; a table grown by half again
//! starts afresh.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

use rayon::prelude::*;

use super::cache::{self, CardCache, Fields, Key, KeyHasher};
use super::cards::{Card, Imposition, SHEET_BATCH, all_glyphs, finish_sheets};
use super::plan::{Planned, faces_of};
use super::run::{Print, Report, stream};
use crate::diagnostics::Diagnostic;
use crate::typeset::embed::{DocFonts, GlyphTable};
use crate::typeset::pdf_stream::PdfStream;

/// The imposed sheets as last written: the cache's record of them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sheets {
    /// Of every card on them, in order, and the print setup.
    pub(crate) key: Key,
    pub(crate) pdf: crate::output::Digest,
    pub(crate) count: u32,
    /// The glyph table the file was written with, and how many slots it had when it
    /// last started empty.
    pub(crate) glyphs: GlyphTable,
    pub(crate) fresh: u32,
    /// Each sheet face's key and where its content stream lies in the file.
    pub(crate) streams: Vec<SheetStream>,
}

/// One sheet face's content stream in the file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SheetStream {
    /// Of its cards, its face and the print setup.
    pub(crate) key: Key,
    pub(crate) at: u64,
    pub(crate) len: u64,
    pub(crate) deflated: bool,
    /// XXH3 of its bytes: a stream is copied only when they are still these.
    pub(crate) sum: u64,
}

/// A table grown past this share of its slots when it last started empty starts
/// afresh (unused glyphs would otherwise pile up in the subsets).
const GROWTH: (u32, u32) = (3, 2);
/// No sheet's stream is this large; a record saying so is damaged.
const MAX_STREAM: u64 = 64 << 20;

impl Sheets {
    pub(crate) fn encode(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(&self.key.to_le_bytes());
        let (len, hash) = self.pdf.parts();
        w.extend_from_slice(&len.to_le_bytes());
        w.extend_from_slice(&hash.to_le_bytes());
        w.extend_from_slice(&self.count.to_le_bytes());
        cache::put_glyphs(w, &self.glyphs);
        w.extend_from_slice(&self.fresh.to_le_bytes());
        w.extend_from_slice(&(self.streams.len() as u64).to_le_bytes());
        for t in &self.streams {
            w.extend_from_slice(&t.key.to_le_bytes());
            w.extend_from_slice(&t.at.to_le_bytes());
            w.extend_from_slice(&t.len.to_le_bytes());
            w.push(u8::from(t.deflated));
            w.extend_from_slice(&t.sum.to_le_bytes());
        }
    }

    /// What [`Sheets::encode`] wrote, read off the front of `r`.
    pub(crate) fn decode(r: &mut Fields) -> Option<Sheets> {
        let (key, pdf, count) = (r.u128()?, r.digest()?, r.u32()?);
        let (glyphs, fresh) = (r.glyphs()?, r.u32()?);
        let n = r.u64()?;
        // 41 bytes a stream: the count is checked against the bytes left first.
        if n.checked_mul(41)? > r.0.len() as u64 {
            return None;
        }
        let mut streams = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let (key, at, len) = (r.u128()?, r.u64()?, r.u64()?);
            let deflated = match r.u8()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            let sum = r.u64()?;
            streams.push(SheetStream {
                key,
                at,
                len,
                deflated,
                sum,
            });
        }
        Some(Sheets {
            key,
            pdf,
            count,
            glyphs,
            fresh,
            streams,
        })
    }
}

/// The last file's streams by key, the file, and its glyph table.
struct Last {
    streams: HashMap<Key, SheetStream>,
    file: std::fs::File,
    glyphs: DocFonts,
    fresh: u32,
}

/// A copied stream was not what the record says: make every sheet afresh.
struct Stale;

/// Writes the imposed sheets of `planned` into the output: carried over whole when
/// every card is the last build's, else made again where a card changed.
pub(super) fn impose(
    print: &Print,
    planned: &mut [Planned],
    cache: &mut CardCache,
    report: &mut Report,
) -> Result<(), Vec<Diagnostic>> {
    let Print {
        site,
        engine,
        values,
        sink,
        setup,
        ..
    } = *print;
    if planned.is_empty() {
        return Ok(());
    }
    let title = format!("{}：明白卡", site.config.title);
    let mut h = KeyHasher::new("sheets");
    h.add(&setup.to_le_bytes()).add(title.as_bytes());
    for p in planned.iter() {
        h.add(&p.key.to_le_bytes());
    }
    let key = h.finish();
    let rel = super::paths::CARDS;
    if let Some(sheets) = cache
        .sheets(key)
        .filter(|s| sink.carry(rel, s.pdf))
        .cloned()
    {
        report.sheets = sheets.count as usize;
        engine.subsets.keep_table(&engine.fonts, &sheets.glyphs);
        cache.put_sheets(sheets);
        return Ok(());
    }
    let imposition = Imposition::new(&engine.cards.geometry);
    let per = imposition.per();
    let faces = if planned.iter().any(|p| p.faces() > 1) {
        2
    } else {
        1
    };
    // Each sheet face's key: its cards in their places, the face, the setup.
    let keys: Vec<Key> = planned
        .chunks(per)
        .flat_map(|group| {
            (0..faces).map(move |face| {
                let mut h = KeyHasher::new("sheet");
                h.add(&setup.to_le_bytes()).add(&[face as u8]);
                for p in group {
                    h.add(&p.key.to_le_bytes());
                }
                h.finish()
            })
        })
        .collect();
    let mut last = cache.last_sheets().and_then(|old| {
        let streams: HashMap<Key, SheetStream> = old.streams.iter().map(|t| (t.key, *t)).collect();
        // Only where some sheet is unchanged is the last glyph table worth keeping
        // (and only then is it of these fonts: the keys hold the setup).
        if !keys.iter().any(|k| streams.contains_key(k)) {
            return None;
        }
        Some(Last {
            streams,
            file: sink.previous(rel, old.pdf)?,
            glyphs: DocFonts::seeded(&engine.fonts, &old.glyphs)?,
            fresh: old.fresh,
        })
    });
    loop {
        // The cards of the sheets to draw, decoded from the cache (or laid out).
        let draw: Vec<usize> = (0..planned.len())
            .filter(|&k| {
                let sheet = k / per * faces;
                last.as_ref().is_none_or(|l| {
                    (sheet..sheet + faces).any(|s| !l.streams.contains_key(&keys[s]))
                })
            })
            .collect();
        faces_of(site, engine, values, cache, planned, &draw)?;
        let cards: Vec<&Card> = planned.iter().map(|p| &p.card).collect();
        let (glyphs, fresh) = match last.as_mut() {
            Some(l) => {
                let mut glyphs = std::mem::replace(&mut l.glyphs, DocFonts::empty(&engine.fonts));
                for &k in &draw {
                    for face in &cards[k].faces {
                        glyphs.add(&face.items);
                    }
                }
                (glyphs, Some(l.fresh))
            }
            None => (all_glyphs(engine, cards.iter().copied()), None),
        };
        let mut made = None;
        let mut stale = false;
        let written = stream(sink, rel, |out| {
            match write(
                print,
                &imposition,
                &cards,
                &keys,
                faces,
                &glyphs,
                last.as_mut(),
                &title,
                out,
            ) {
                Ok(Ok(w)) => {
                    let pages = w.pages;
                    made = Some(w);
                    Ok(pages)
                }
                Ok(Err(Stale)) => {
                    stale = true;
                    Err(Vec::new())
                }
                Err(e) => Err(vec![Diagnostic::error(tr!(
                    "write-file",
                    file = rel,
                    error = e
                ))]),
            }
        });
        if stale {
            last = None;
            continue;
        }
        let (count, pdf) = written?;
        let Written {
            streams, copied, ..
        } = made.unwrap_or_default();
        let glyphs = glyphs.table();
        let slots: u32 = glyphs.iter().map(|f| f.len() as u32).sum();
        let fresh = fresh.unwrap_or(slots);
        let sheets = Sheets {
            key,
            pdf,
            count: count as u32,
            glyphs,
            fresh,
            streams,
        };
        // A table grown too far is not kept: the next build starts afresh.
        if slots <= fresh.saturating_mul(GROWTH.0) / GROWTH.1 + 256 {
            cache.put_sheets(sheets);
        }
        report.sheets = count;
        report.sheets_copied = copied;
        report.bytes += pdf.len();
        return Ok(());
    }
}

/// The sheets written to `out` a batch at a time: each face copied from `last` when
/// its key is there, else drawn (in parallel). Returns the page count and each face's
/// stream for the record; `Stale` when a copied stream is not what was recorded.
#[allow(clippy::too_many_arguments)]
fn write(
    print: &Print,
    imposition: &Imposition,
    cards: &[&Card],
    keys: &[Key],
    faces: usize,
    glyphs: &DocFonts,
    mut last: Option<&mut Last>,
    title: &str,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Result<Written, Stale>> {
    let (engine, names) = (print.engine, print.ids);
    let (sw, sh) = imposition.sheet_size();
    let groups: Vec<&[&Card]> = cards.chunks(imposition.per()).collect();
    let mut pdf = PdfStream::new(out)?;
    let mut order = Vec::with_capacity(keys.len());
    let mut streams = Vec::with_capacity(keys.len());
    let mut copied_pages = 0;
    let faces_of_batch = |batch: std::ops::Range<usize>| {
        batch.flat_map(move |g| (0..faces).map(move |face| (g, face)))
    };
    for start in (0..groups.len()).step_by(SHEET_BATCH) {
        let batch = start..(start + SHEET_BATCH).min(groups.len());
        let copied = |s: usize| last.as_ref().and_then(|l| l.streams.get(&keys[s]).copied());
        let drawn: Vec<Option<(Vec<u8>, bool)>> = faces_of_batch(batch.clone())
            .map(|(g, face)| (g, face, copied(g * faces + face)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(g, face, old)| {
                old.is_none()
                    .then(|| imposition.sheet(groups[g], face, names, glyphs))
            })
            .collect();
        for ((g, face), drawn) in faces_of_batch(batch).zip(drawn) {
            let s = g * faces + face;
            let (data, deflated) = match drawn {
                Some(d) => d,
                None => {
                    let Some(l) = last.as_deref_mut() else {
                        return Ok(Err(Stale));
                    };
                    let t = l.streams[&keys[s]];
                    copied_pages += 1;
                    match read(&mut l.file, t) {
                        Some(data) => (data, t.deflated),
                        None => return Ok(Err(Stale)),
                    }
                }
            };
            let (contents, at) = pdf.layer(&data, deflated)?;
            streams.push(SheetStream {
                key: keys[s],
                at,
                len: data.len() as u64,
                deflated,
                sum: xxhash_rust::xxh3::xxh3_64(&data),
            });
            order.push(pdf.page_with(sw, sh, contents)?);
        }
    }
    let pages = order.len();
    finish_sheets(
        pdf,
        engine,
        glyphs,
        None,
        Some(&engine.subsets),
        names,
        cards,
        title,
        &order,
    )?;
    Ok(Ok(Written {
        pages,
        streams,
        copied: copied_pages,
    }))
}

/// What [`write`] wrote: the page count, each face's stream, how many were copied.
#[derive(Default)]
struct Written {
    pages: usize,
    streams: Vec<SheetStream>,
    copied: usize,
}

/// The stream `t` out of the last file, when its bytes are still the recorded ones.
fn read(file: &mut std::fs::File, t: SheetStream) -> Option<Vec<u8>> {
    if t.len > MAX_STREAM {
        return None;
    }
    let mut data = vec![0; usize::try_from(t.len).ok()?];
    file.seek(SeekFrom::Start(t.at)).ok()?;
    file.read_exact(&mut data).ok()?;
    (xxhash_rust::xxh3::xxh3_64(&data) == t.sum).then_some(data)
}
