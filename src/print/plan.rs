//! Each card of a build: its key, found in the card cache without rendering its
//! template when nothing it reads changed, or rendered and laid out; and its faces,
//! decoded from the cache when the imposed sheets need them.

use std::collections::HashSet;

use rayon::prelude::*;
use tera::Context;

use super::Engine;
use super::cache::{self, CardCache, Key};
use super::cards::{self, Card};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::typeset::layout::{Block, Page};
use crate::typeset::mdblocks;
use crate::values;

/// A card of this build: laid out, or found unchanged in the cache.
pub(super) struct Planned {
    pub(super) key: Key,
    /// Its faces are empty while it comes from the cache and none were needed.
    pub(super) card: Card,
    /// From the cache: its face count and its PDF's size and hash.
    pub(super) cached: Option<(u32, crate::output::Digest)>,
    /// Its PDF is in the output (carried over or written).
    pub(super) written: bool,
}

impl Planned {
    pub(super) fn faces(&self) -> usize {
        self.cached
            .map_or(self.card.faces.len(), |(faces, _)| faces as usize)
    }
}

/// The card of entry `i`: its key, and its faces unless the cache has them.
///
/// A card's key hashes the print setup, its markup as the template rendered it, its
/// title and date, and the bodies the markup pulls in. The template is not rendered
/// when everything it reads (`inputs`: the templates, the site-wide values, the card's
/// own values by `own`, their [`values::EntryHashes`] hash) and the bodies it pulled
/// in last time are as they were: the key is the one recorded then.
#[allow(clippy::too_many_arguments)]
pub(super) fn plan(
    site: &Site,
    engine: &Engine,
    values: &values::Values,
    own: u128,
    i: usize,
    setup: Key,
    shared: Key,
    cache: &CardCache,
) -> Result<Planned, Vec<Diagnostic>> {
    let e = &site.entries[i].entry;
    // The web page's values hold the card's (and its headings besides, which change
    // with its body: its card is then made again, as the body may be on it).
    let inputs = cache::KeyHasher::new("card inputs")
        .add(&setup.to_le_bytes())
        .add(&shared.to_le_bytes())
        .add(card_template(e.kind).as_bytes())
        .add(e.kind.as_str().as_bytes())
        .add(&own.to_le_bytes())
        .finish();
    // The bodies of `ids`, hashed; `None` when one of them is gone.
    let bodies = |ids: &[String]| -> Option<Key> {
        let mut h = cache::KeyHasher::new("bodies");
        for id in ids {
            h.add(id.as_bytes())
                .add(site.entries[*site.by_id.get(id)?].entry.body().as_bytes());
        }
        Some(h.finish())
    };
    let mut card = card_of(e);
    if let Some(p) = cache.pulled(inputs)
        && bodies(&p.ids) == Some(p.bodies)
        && let Some(s) = cache.get(p.key)
    {
        cache.note_pulled(inputs, p.clone());
        return Ok(Planned {
            key: p.key,
            card,
            cached: Some((s.faces, s.pdf)),
            written: false,
        });
    }
    let page = values::entry_print(site, values, i);
    let (markup, blocks, pulled) = card_blocks(site, engine, page, i)?;
    let ids: Vec<String> = pulled
        .iter()
        .map(|&j| site.entries[j].entry.id.clone())
        .collect();
    let mut h = cache::KeyHasher::new("card");
    h.add(&setup.to_le_bytes())
        .add(markup.as_bytes())
        .add(card.title.as_bytes())
        .add(format!("{:?}", card.date).as_bytes());
    for &j in &pulled {
        h.add(site.entries[j].entry.body().as_bytes());
    }
    let key = h.finish();
    if let Some(hash) = bodies(&ids) {
        cache.note_pulled(
            inputs,
            cache::Pulled {
                key,
                ids,
                bodies: hash,
            },
        );
    }
    let cached = cache.get(key).map(|s| (s.faces, s.pdf));
    if cached.is_none() {
        card.faces = lay_out(engine, e, blocks)?;
    }
    Ok(Planned {
        key,
        card,
        cached,
        written: false,
    })
}

/// Gives the cards `which` of `planned` their faces: decoded from the cache, or laid
/// out again where the cache's bytes do not decode.
pub(super) fn faces_of(
    site: &Site,
    engine: &Engine,
    values: &values::Values,
    cache: &CardCache,
    planned: &mut [Planned],
    which: &[usize],
) -> Result<(), Vec<Diagnostic>> {
    let wanted: HashSet<usize> = which.iter().copied().collect();
    let done: Vec<Result<(), Vec<Diagnostic>>> = planned
        .par_iter_mut()
        .enumerate()
        .filter(|(k, p)| wanted.contains(k) && p.card.faces.is_empty())
        .map(|(_, p)| {
            if let Some(faces) = cache.get(p.key).and_then(|s| s.pages()) {
                p.card.faces = faces;
                return Ok(());
            }
            let i = site.by_id[&p.card.key];
            let page = values::entry_print(site, values, i);
            let (_, blocks, _) = card_blocks(site, engine, page, i)?;
            p.card.faces = lay_out(engine, &site.entries[i].entry, blocks)?;
            Ok(())
        })
        .collect();
    crate::diagnostics::gather(done).map(|_| ())
}

/// Entry `i`'s card as far as its entry says: faces come from [`lay_out`].
pub(super) fn card_of(e: &crate::content::Entry) -> Card {
    let date = super::pdf_date(
        e.policy()
            .and_then(|p| p.reviewed.or(p.effective))
            .into_iter(),
    );
    Card {
        key: e.id.clone(),
        title: e.title.clone(),
        date,
        faces: Vec::new(),
    }
}

/// Entry `i`'s card template rendered from `page` (its print values): the markup, its
/// blocks, and the entries whose bodies the markup pulled in.
pub(super) fn card_blocks(
    site: &Site,
    engine: &Engine,
    page: tera::Value,
    i: usize,
) -> Result<(String, Vec<Block>, Vec<usize>), Vec<Diagnostic>> {
    let e = &site.entries[i].entry;
    let mut ctx = Context::new();
    ctx.insert_value("page", page);
    ctx.insert("kind", e.kind.as_str());
    let pulled = std::cell::RefCell::new(Vec::new());
    let body = |id: Option<&str>| {
        let target = match id {
            None => Some(i),
            Some(id) => site.by_id.get(id).copied(),
        }?;
        pulled.borrow_mut().push(target);
        Some(mdblocks::blocks(
            site.entries[target].entry.body(),
            &engine.cards,
            1,
        ))
    };
    let markup = engine.render_markup(card_template(e.kind), &ctx)?;
    let blocks = engine.markup_blocks(&markup, &body, &engine.cards)?;
    Ok((markup, blocks, pulled.into_inner()))
}

pub(super) fn card_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => "card.xml",
        Kind::Faq => "faq_card.xml",
    }
}

/// Lays out the card of entry `e` from its blocks.
pub(super) fn lay_out(
    engine: &Engine,
    e: &crate::content::Entry,
    blocks: Vec<Block>,
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    cards::lay_out(engine, &engine.cards, blocks).map_err(|msg| {
        vec![
            Diagnostic::error(tr!("card-cannot-print", title = e.title, error = msg)).in_file(
                e.src.path.clone(),
                1,
                1,
            ),
        ]
    })
}
