//! The values templates see (documented in docs/templates.md), shared by the HTML pages
//! and the print templates: built once per build from the site graph. Each entry's and
//! section's summary is built once and shared (Tera values are reference-counted),
//! so 10,000 pages do not copy 10,000 lists.

use tera::Value;
use tera::value::ValueKind;
use xxhash_rust::xxh3::Xxh3;

use crate::content::{EntryData, Kind};
use crate::markdown::{TocItem, reading_minutes};
use crate::site::Site;

/// Builds a template map from key/value pairs.
pub fn obj<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    let mut m = tera::Map::default();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::from(m)
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
pub struct PrintLinks {
    pub handbook: Option<String>,
    pub cards: Option<String>,
    /// Entry ids with a card PDF.
    pub card_ids: std::collections::HashSet<String>,
}

impl PrintLinks {
    pub fn card_url(&self, id: &str) -> Option<String> {
        self.card_ids
            .contains(id)
            .then(|| crate::print::paths::url(&crate::print::paths::card(id)))
    }
}

/// Shared values for one build.
#[derive(Clone)]
pub struct Values {
    pub entry_summaries: Vec<Value>,
    pub section_summaries: Vec<Value>,
    pub tag_links: Vec<Value>,
    pub global: Vec<(&'static str, Value)>,
}

pub fn build(site: &Site, print: &PrintLinks, search: bool) -> Values {
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

    let entry_summaries: Vec<Value> = site
        .entries
        .iter()
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
    }
}

/// One labelled row of a policy's field box (补助对象, 补助标准, …), present only when
/// the entry has that field.
fn field(
    key: &'static str,
    label: &'static str,
    text: Option<String>,
    items: &[String],
) -> Option<Value> {
    if text.as_deref().is_none_or(str::is_empty) && items.is_empty() {
        return None;
    }
    Some(obj([
        ("key", Value::from(key)),
        ("label", Value::from(label)),
        ("text", text.map_or(Value::none(), Value::from)),
        ("items", strings(items)),
    ]))
}

/// The field box rows of a policy, in the order the handbook prints them.
pub fn policy_fields(p: &crate::content::PolicyFields) -> Vec<Value> {
    let validity = match (p.effective, p.expires) {
        (Some(a), Some(b)) => Some(format!("{a} 至 {b}")),
        (Some(a), None) => Some(format!("{a} 起施行")),
        (None, Some(b)) => Some(format!("至 {b}")),
        (None, None) => None,
    };
    [
        field("targets", "补助对象", p.targets.clone(), &[]),
        field("amount", "补助标准", p.amount.clone(), &[]),
        field("conditions", "申请条件", None, &p.conditions),
        field("steps", "办理流程", None, &p.steps),
        field("materials", "所需材料", None, &p.materials),
        field("office", "办理地点", p.office.clone(), &[]),
        field("phone", "咨询电话", p.phone.clone(), &[]),
        field("basis", "政策依据", None, &p.basis),
        field("validity", "有效期", validity, &[]),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn toc_value(toc: &[TocItem]) -> Value {
    Value::from(
        toc.iter()
            .map(|t| {
                obj([
                    ("level", Value::from(t.level)),
                    ("id", Value::from(t.id.as_str())),
                    ("title", Value::from(t.title.as_str())),
                    ("children", toc_value(&t.children)),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// Everything about one entry, for its own page; without its HTML (`content`) when
/// not `content`: [`with_content`] adds it to a page that is rendered, and a page's
/// key takes the HTML's hash instead (most bodies need no HTML after one edit).
pub fn entry_page(site: &Site, v: &Values, i: usize, content: bool) -> Value {
    let page = entry_value(site, v, i, true);
    match content {
        true => with_content(page, site.entries[i].rendered.html()),
        false => page,
    }
}

/// `page` (an [`entry_page`] without its HTML) with the entry's HTML as `content`.
pub fn with_content(page: Value, html: &str) -> Value {
    let mut m = page.into_map().unwrap_or_default();
    m.insert("content".into(), Value::safe_string(html));
    Value::from(m)
}

/// [`entry_page`] for print templates: without the web page's headings (`toc`), which print markup never shows (its `<content/>` sets the
/// Markdown body) and which cost 200 MB across a 10,000-entry handbook.
pub fn entry_print(site: &Site, v: &Values, i: usize) -> Value {
    entry_value(site, v, i, false)
}

fn entry_value(site: &Site, v: &Values, i: usize, web: bool) -> Value {
    let n = &site.entries[i];
    let e = &n.entry;
    let summary = v.entry_summaries[i].as_map().cloned().unwrap_or_default();
    let mut m = summary;
    let link = |x: Option<usize>| x.map_or(Value::none(), |j| v.entry_summaries[j].clone());
    let list = |xs: &[usize]| {
        Value::from(
            xs.iter()
                .map(|&j| v.entry_summaries[j].clone())
                .collect::<Vec<_>>(),
        )
    };
    if web {
        m.insert("toc".into(), toc_value(&n.rendered.toc));
    }
    let extra: Vec<(&'static str, Value)> = vec![
        ("words", Value::from(n.words)),
        ("reading_minutes", Value::from(reading_minutes(n.words))),
        ("prev", link(n.prev)),
        ("next", link(n.next)),
        ("cited_by", list(&n.cited_by)),
        ("cites", list(&n.cites)),
        (
            "revision",
            site.revision
                .as_ref()
                .and_then(|r| r.mark(&e.id))
                .map_or(Value::none(), Value::from),
        ),
        (
            "file",
            Value::from(e.src.path.to_string_lossy().replace('\\', "/")),
        ),
    ];
    for (k, val) in extra {
        m.insert(k.into(), val);
    }
    match &e.data {
        EntryData::Policy(p) => {
            let fields: Vec<(&'static str, Value)> = vec![
                ("issuer", opt(&p.issuer)),
                ("basis", strings(&p.basis)),
                ("targets", opt(&p.targets)),
                ("conditions", strings(&p.conditions)),
                ("steps", strings(&p.steps)),
                ("materials", strings(&p.materials)),
                ("office", opt(&p.office)),
                ("aliases", strings(&p.aliases)),
                ("fields", Value::from(policy_fields(p))),
                (
                    "figures",
                    crate::figures::figure_map(site.figures.figures(&e.id)),
                ),
            ];
            for (k, val) in fields {
                m.insert(k.into(), val);
            }
        }
        EntryData::Faq(q) => {
            m.insert("answer".into(), Value::from(q.answer.as_str()));
        }
    }
    Value::from(m)
}

/// Everything about one section, for its own page.
pub fn section_page(site: &Site, v: &Values, s: usize) -> Value {
    let mut m = v.section_summaries[s].as_map().cloned().unwrap_or_default();
    m.insert("content".into(), Value::safe_string(&site.sections[s].html));
    Value::from(m)
}

/// Home → chapter → … → the page's own section, as links.
pub fn breadcrumbs(site: &Site, section: usize) -> Value {
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

/// A 128-bit hash of a template value (XXH3, the same in every run): the page and card
/// keys take values in by it.
pub(crate) fn value_hash(v: &Value) -> u128 {
    let mut h = Xxh3::new();
    hash_into(&mut h, v);
    h.digest128()
}

/// A hash of every template (name and source) and of the site-wide values: what each
/// page and each card reads besides its own values. Page and card keys start from it.
pub(crate) fn shared_hash<'a>(
    templates: impl Iterator<Item = (&'a str, &'a str)>,
    globals: &[(&'static str, Value)],
) -> u128 {
    let mut h = Xxh3::new();
    let mut templates: Vec<_> = templates.collect();
    templates.sort_unstable();
    for (name, text) in templates {
        frame(&mut h, name.as_bytes());
        frame(&mut h, text.as_bytes());
    }
    for (name, v) in globals {
        frame(&mut h, name.as_bytes());
        h.update(&value_hash(v).to_le_bytes());
    }
    h.digest128()
}

/// `bytes` with their length before them, so that no two sequences hash alike.
pub(crate) fn frame(h: &mut Xxh3, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Feeds a template value to `h`: its kind, whether a string is safe (written without
/// escaping), and its content; a map's entries sorted by key.
fn hash_into(h: &mut Xxh3, v: &Value) {
    let kind = v.kind();
    h.update(&[kind_tag(kind)]);
    match kind {
        ValueKind::String => {
            h.update(&[u8::from(v.is_safe())]);
            frame(h, v.as_str().unwrap_or_default().as_bytes());
        }
        ValueKind::Bool => h.update(&[u8::from(v.as_bool().unwrap_or_default())]),
        ValueKind::Array => {
            let items = v.as_array().unwrap_or_default();
            h.update(&(items.len() as u64).to_le_bytes());
            for item in items {
                hash_into(h, item);
            }
        }
        ValueKind::Map => {
            let Some(map) = v.as_map() else { return };
            h.update(&(map.len() as u64).to_le_bytes());
            // In key order: tera's maps keep none. Keys are nearly always strings.
            let mut entries: Vec<(std::borrow::Cow<'_, str>, &Value)> = map
                .iter()
                .map(|(k, item)| match k.as_str() {
                    Some(s) => (s.into(), item),
                    None => (k.to_string().into(), item),
                })
                .collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (k, item) in entries {
                frame(h, k.as_bytes());
                hash_into(h, item);
            }
        }
        ValueKind::Bytes => frame(h, v.as_bytes().unwrap_or_default()),
        // Numbers (and anything newer) by their text: `1` and `1.0` print differently.
        _ => frame(h, v.to_string().as_bytes()),
    }
}

fn kind_tag(kind: ValueKind) -> u8 {
    match kind {
        ValueKind::Undefined => 0,
        ValueKind::None => 1,
        ValueKind::Bool => 2,
        ValueKind::U64 => 3,
        ValueKind::I64 => 4,
        ValueKind::U128 => 5,
        ValueKind::I128 => 6,
        ValueKind::F64 => 7,
        ValueKind::String => 8,
        ValueKind::Array => 9,
        ValueKind::Map => 10,
        ValueKind::Bytes => 11,
        _ => 12,
    }
}
