//! The values templates see (documented in docs/templates.md), shared by the HTML pages
//! and the print templates: built once per build from the site graph. Each entry's and
//! section's summary is built once and shared (Tera values are reference-counted),
//! so 10,000 pages do not copy 10,000 lists.

use rayon::prelude::*;
use tera::Value;

use crate::content::Kind;
use crate::site::Site;

mod entry;
mod hash;
mod shared;
pub(crate) use entry::{entry_page, entry_print};
pub(crate) use entry::{entry_print_hash, entry_print_named};
#[cfg(test)]
pub(crate) use hash::value_hash;
pub(crate) use hash::{EntryHashes, Feed, Gather, Memo, frame};
pub(crate) use shared::{Shared, Words, code, dynamic, reads};

/// Builds a template map from key/value pairs.
pub(crate) fn obj<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    map_of(&pairs)
}

/// A template map of `pairs` (a later pair replacing an earlier one of the same key),
/// made by tera's serializer straight into the map it keeps: `Value::from` a map
/// copies it into a new one, and that was a third of making every entry's value.
pub(crate) fn map_of(pairs: &[(&'static str, Value)]) -> Value {
    Value::from_serializable(&Pairs(pairs))
}

/// Pairs serialized as a struct: tera passes the values through (reference-counted,
/// not copied) and keys stay `&'static str`.
struct Pairs<'a>(&'a [(&'static str, Value)]);

impl serde::Serialize for Pairs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("map", self.0.len())?;
        for (k, v) in self.0 {
            m.serialize_field(k, v)?;
        }
        m.end()
    }
}

fn strings(v: &[String]) -> Value {
    Value::from(
        v.iter()
            .map(|s| Value::from(s.as_str()))
            .collect::<Vec<_>>(),
    )
}

fn opt(v: &Option<String>) -> Value {
    v.as_deref().map_or(Value::none(), Value::from)
}

fn date(d: Option<jiff::civil::Date>) -> Value {
    d.map_or(Value::none(), |d| Value::from(d.to_string()))
}

/// Links to where print output lives, when print is on.
#[derive(Clone, Default)]
pub(crate) struct PrintLinks {
    pub handbook: Option<String>,
    pub cards: Option<String>,
    /// Entry ids with a card PDF.
    pub card_ids: std::collections::HashSet<String>,
}

impl PrintLinks {
    pub(crate) fn card_url(&self, id: &str) -> Option<String> {
        self.card_ids
            .contains(id)
            .then(|| crate::print::paths::url(&crate::print::paths::card(id)))
    }
}

/// Shared values for one build.
#[derive(Clone)]
pub(crate) struct Values {
    pub entry_summaries: Vec<Value>,
    pub section_summaries: Vec<Value>,
    pub tag_links: Vec<Value>,
    pub global: Vec<(&'static str, Value)>,
    section_links: Vec<Value>,
    /// The digests of the values above, made on first use (see [`Values::memo`]).
    memo: std::sync::Arc<std::sync::OnceLock<Memo>>,
}

impl Values {
    /// These values as print templates see them: the same but for the search page's
    /// address, which a printed page has no use for (print is the same with search
    /// on or off). Cheap: the values are shared, the memo too.
    pub(crate) fn for_print(&self) -> Values {
        let mut v = self.clone();
        for (name, value) in &mut v.global {
            if *name == "search_url" {
                *value = Value::none();
            }
        }
        v
    }

    /// Hashes values as [`value_hash`] does, with the summaries and links these values
    /// hold (in every page's and card's values many times over) each hashed once.
    pub(crate) fn memo(&self) -> &Memo {
        self.memo.get_or_init(|| {
            let mut memo = Memo::default();
            memo.add(&self.section_links);
            memo.add(&self.tag_links);
            memo.add(&self.entry_summaries);
            memo.add(&self.section_summaries);
            memo
        })
    }
}

pub(crate) fn build(site: &Site, print: &PrintLinks, search: bool) -> Values {
    let tag_links: Vec<Value> = site
        .tags
        .iter()
        .map(|t| {
            obj([
                ("name", Value::from(t.name.as_str())),
                ("slug", Value::from(t.slug.as_str())),
                ("url", Value::from(t.url.as_str())),
                ("count", Value::from(t.entries.len())),
            ])
        })
        .collect();
    let section_links: Vec<Value> = site
        .sections
        .iter()
        .map(|s| {
            obj([
                ("title", Value::from(s.section.title.as_str())),
                ("url", Value::from(s.url.as_str())),
                ("path", Value::from(s.section.path.as_str())),
            ])
        })
        .collect();

    // In parallel: 10,000 summaries took 0.1 s on one thread, before any page could
    // start.
    let entry_summaries: Vec<Value> = site
        .entries
        .par_iter()
        .map(|n| {
            let e = &n.entry;
            let tags: Vec<Value> = n.tags.iter().map(|&t| tag_links[t].clone()).collect();
            let p = e.policy();
            obj([
                ("id", Value::from(e.id.as_str())),
                ("kind", Value::from(e.kind.as_str())),
                ("title", Value::from(e.title.as_str())),
                ("summary", Value::from(e.summary())),
                ("url", Value::from(n.url.as_str())),
                ("permalink", Value::from(site.config.permalink(&n.url))),
                ("section", section_links[n.section].clone()),
                ("tags", Value::from(tags)),
                ("expired", Value::from(n.expired)),
                ("weight", Value::from(e.weight)),
                ("amount", p.map_or(Value::none(), |p| opt(&p.amount))),
                ("phone", p.map_or(Value::none(), |p| opt(&p.phone))),
                ("effective", date(p.and_then(|p| p.effective))),
                ("expires", date(p.and_then(|p| p.expires))),
                ("reviewed", date(p.and_then(|p| p.reviewed))),
                (
                    "card_url",
                    print.card_url(&e.id).map_or(Value::none(), Value::from),
                ),
            ])
        })
        .collect();

    let section_summaries: Vec<Value> = site
        .sections
        .iter()
        .map(|s| {
            let entries: Vec<Value> = s
                .entries
                .iter()
                .map(|&i| entry_summaries[i].clone())
                .collect();
            let children: Vec<Value> = s
                .children
                .iter()
                .map(|&c| section_links[c].clone())
                .collect();
            obj([
                ("title", Value::from(s.section.title.as_str())),
                ("url", Value::from(s.url.as_str())),
                ("path", Value::from(s.section.path.as_str())),
                ("weight", Value::from(s.section.weight)),
                (
                    "kind",
                    Value::from(s.section.kind.map_or("policy", Kind::as_str)),
                ),
                ("entries", Value::from(entries)),
                ("subsections", Value::from(children)),
                ("count", Value::from(s.entries.len())),
            ])
        })
        .collect();

    let chapters: Vec<Value> = site
        .chapters()
        .map(|i| section_summaries[i].clone())
        .collect();
    let policies_by_section: Vec<Value> = site
        .sections
        .iter()
        .enumerate()
        .filter_map(|(si, s)| {
            let policies: Vec<Value> = s
                .entries
                .iter()
                .filter(|&&i| site.entries[i].entry.kind == Kind::Policy)
                .map(|&i| entry_summaries[i].clone())
                .collect();
            (!policies.is_empty()).then(|| {
                obj([
                    ("section", section_links[si].clone()),
                    ("policies", Value::from(policies)),
                ])
            })
        })
        .collect();
    let faqs: Vec<Value> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, n)| n.entry.kind == Kind::Faq)
        .map(|(i, _)| entry_summaries[i].clone())
        .collect();
    let c = &site.config;
    let hotlines: Vec<Value> = c
        .hotlines
        .iter()
        .map(|h| {
            obj([
                ("name", Value::from(h.name.as_str())),
                ("phone", Value::from(h.phone.as_str())),
            ])
        })
        .collect();
    let site_value = obj([
        ("title", Value::from(c.title.as_str())),
        ("region", Value::from(c.region.as_str())),
        ("base_url", Value::from(c.base_url.as_str())),
        ("description", opt(&c.description)),
        ("publisher", opt(&c.publisher)),
        ("hotlines", Value::from(hotlines)),
        ("today", Value::from(site.today.to_string())),
        (
            "generator",
            Value::from(concat!("mingbai ", env!("CARGO_PKG_VERSION"))),
        ),
        ("entry_count", Value::from(site.entries.len())),
    ]);
    let print_value = obj([
        (
            "handbook_url",
            print.handbook.clone().map_or(Value::none(), Value::from),
        ),
        (
            "cards_url",
            print.cards.clone().map_or(Value::none(), Value::from),
        ),
    ]);
    let global = vec![
        ("site", site_value),
        ("chapters", Value::from(chapters)),
        ("policies_by_section", Value::from(policies_by_section)),
        ("faqs", Value::from(faqs)),
        ("tags", Value::from(tag_links.clone())),
        ("print", print_value),
        ("figures", site.figures.to_value()),
        (
            "revision",
            site.revision.as_ref().map_or(Value::none(), |r| {
                obj([
                    ("url", Value::from(crate::edition::output::PAGE_URL)),
                    ("previous", Value::from(r.previous.as_str())),
                ])
            }),
        ),
        (
            "search_url",
            if search {
                Value::from("/search/")
            } else {
                Value::none()
            },
        ),
    ];
    Values {
        entry_summaries,
        section_summaries,
        tag_links,
        global,
        section_links,
        memo: Default::default(),
    }
}

/// Everything about one section, for its own page.
pub(crate) fn section_page(site: &Site, v: &Values, s: usize) -> Value {
    let mut m = v.section_summaries[s].as_map().cloned().unwrap_or_default();
    m.insert("content".into(), Value::safe_string(&site.sections[s].html));
    Value::from(m)
}

/// Home → chapter → … → the page's own section, as links.
pub(crate) fn breadcrumbs(site: &Site, section: usize) -> Value {
    let mut out = vec![obj([
        ("title", Value::from("首页")),
        ("url", Value::from("/")),
    ])];
    for s in site.ancestors(section) {
        let node = &site.sections[s];
        out.push(obj([
            ("title", Value::from(node.section.title.as_str())),
            ("url", Value::from(node.url.as_str())),
        ]));
    }
    Value::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_made_in_place_is_the_map_of_its_pairs_the_last_of_a_key_kept() {
        let list = Value::from(vec![Value::from("甲"), Value::from("乙")]);
        let m = map_of(&[
            ("title", Value::from("脱贫人口小额信贷")),
            ("n", Value::from(3usize)),
            ("list", list.clone()),
            ("title", Value::from("雨露计划")),
        ]);
        let map = m.as_map().unwrap();
        assert_eq!(map.len(), 3);
        assert_eq!(
            m.get_from_path("title").and_then(Value::as_str),
            Some("雨露计划")
        );
        assert_eq!(m.get_from_path("n").and_then(Value::as_u64), Some(3));
        assert_eq!(m.get_from_path("list"), Some(&list));
        assert_eq!(
            value_hash(&m),
            value_hash(&{
                let mut old = tera::Map::new();
                old.insert("n".into(), Value::from(3usize));
                old.insert("list".into(), list);
                old.insert("title".into(), Value::from("雨露计划"));
                Value::from(old)
            })
        );
    }
}
