//! An entry's own values: its page's `page`, a card's and the handbook's entry, and
//! the hash a page's and a card's key start from. Both come from one list of fields
//! ([`fields`]), so nothing a template can read of an entry is missing from its key;
//! the hash is fed the fields themselves, without the template map: making 10,000 maps
//! only to hash them was a fifth of a build after one edit.

use super::{Feed, Gather};
use tera::Value;

use super::{Memo, Values, frame, obj, strings};
use crate::content::EntryData;
use crate::figures::Figure;
use crate::markdown::{TocItem, reading_minutes};
use crate::site::Site;

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
fn policy_fields(p: &crate::content::PolicyFields) -> Vec<Value> {
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

/// Everything about one entry, for its own page, with its HTML as `content` when
/// given: a page's key takes the HTML's hash instead (most bodies need no HTML after
/// one edit).
pub(crate) fn entry_page(site: &Site, v: &Values, i: usize, html: Option<&str>) -> Value {
    entry_value(site, v, i, true, html)
}

/// [`entry_page`] for print templates: without the web page's headings (`toc`), which
/// print markup never shows (its `<content/>` sets the Markdown body) and which cost
/// 200 MB across a 10,000-entry handbook.
pub(crate) fn entry_print(site: &Site, v: &Values, i: usize) -> Value {
    entry_value(site, v, i, false, None)
}

/// [`entry_print`] with only the fields `named` says a template names (its summary's
/// all): the handbook's template shows a few of them, and every entry's values are
/// made again when one field it shows changes (a third of the handbook's time after a
/// phone number was edited at 1,000 entries).
pub(crate) fn entry_print_named(
    site: &Site,
    v: &Values,
    i: usize,
    named: &(dyn Fn(&str) -> bool + Sync),
) -> Value {
    let mut out = MapOut {
        pairs: Vec::with_capacity(24),
        other: Vec::new(),
        named: Some(named),
    };
    fields(site, v, i, false, &mut out);
    out.into_value()
}

fn entry_value(site: &Site, v: &Values, i: usize, web: bool, html: Option<&str>) -> Value {
    // Room for every field at once: growing the list was a tenth of making 10,000
    // entries' values.
    let mut out = MapOut {
        pairs: Vec::with_capacity(48),
        other: Vec::new(),
        named: None,
    };
    fields(site, v, i, web, &mut out);
    if let Some(html) = html {
        out.put("content", || Value::safe_string(html));
    }
    out.into_value()
}

/// The hash of [`entry_page`] without its HTML: what the page's and the card's keys
/// start from. Not the hash of that value (see [`super::value_hash`]) but of the
/// fields it is made of, the summaries by their digests in `memo`.
pub(crate) fn entry_hash(site: &Site, v: &Values, i: usize, memo: &Memo) -> u128 {
    let mut out = HashOut {
        h: Gather::new(),
        memo,
        named: None,
    };
    fields(site, v, i, true, &mut out);
    out.h.digest128()
}

/// The hash of [`entry_print`]'s fields a template names (`named` says which; its
/// summary always): what the handbook's markup is keyed by. A body edit changes the
/// entry's word count, which the handbook's template does not show.
pub(crate) fn entry_print_hash(
    site: &Site,
    v: &Values,
    i: usize,
    memo: &Memo,
    named: &dyn Fn(&str) -> bool,
) -> u128 {
    let mut out = HashOut {
        h: Gather::new(),
        memo,
        named: Some(named),
    };
    fields(site, v, i, false, &mut out);
    out.h.digest128()
}

/// Where an entry's fields go: into its template map, or into its hash.
trait Out {
    /// The entry's own summary: its fields are the page's too.
    fn summary(&mut self, summary: &Value);
    fn text(&mut self, key: &'static str, text: Option<&str>);
    fn texts(&mut self, key: &'static str, list: &[String]);
    fn number(&mut self, key: &'static str, n: usize);
    /// Other entries' summaries: one (or none), or a list.
    fn link(&mut self, key: &'static str, to: Option<&Value>);
    /// Of the summaries `all`, those numbered `to`.
    fn links(&mut self, key: &'static str, to: &[usize], all: &[Value]);
    fn toc(&mut self, toc: &[TocItem]);
    fn figures(&mut self, key: &'static str, figures: &[Figure]);
    /// A value made only from fields this list gives too: in the map, and left out of
    /// the hash, which has what it is made from.
    fn derived(&mut self, key: &'static str, make: &dyn Fn() -> Value);
}

/// The fields of entry `i`'s values, in the order its hash takes them; its web page's
/// headings (`toc`) with `web`.
fn fields(site: &Site, v: &Values, i: usize, web: bool, out: &mut impl Out) {
    let n = &site.entries[i];
    let e = &n.entry;
    let summary = |j: usize| &v.entry_summaries[j];
    out.summary(summary(i));
    if web {
        out.toc(&n.rendered.toc);
    }
    out.number("words", n.words);
    out.derived("reading_minutes", &|| Value::from(reading_minutes(n.words)));
    out.link("prev", n.prev.map(summary));
    out.link("next", n.next.map(summary));
    out.links("cited_by", &n.cited_by, &v.entry_summaries);
    out.links("cites", &n.cites, &v.entry_summaries);
    let mark = site.revision.as_ref().and_then(|r| r.mark(&e.id));
    out.text("revision", mark);
    let file = e.src.path.to_string_lossy().replace('\\', "/");
    out.text("file", Some(&file));
    match &e.data {
        EntryData::Policy(p) => {
            out.text("issuer", p.issuer.as_deref());
            out.texts("basis", &p.basis);
            out.text("targets", p.targets.as_deref());
            out.texts("conditions", &p.conditions);
            out.texts("steps", &p.steps);
            out.texts("materials", &p.materials);
            out.text("office", p.office.as_deref());
            out.texts("aliases", &p.aliases);
            // Of the fields above and the summary's amount, phone and dates.
            out.derived("fields", &|| Value::from(policy_fields(p)));
            out.figures("figures", site.figures.figures(&e.id));
        }
        EntryData::Faq(q) => out.text("answer", Some(&q.answer)),
    }
}

/// The template map's pairs, in order (a later one replacing an earlier of the same
/// key); `other`: a summary's keys that are not static names (none so far).
struct MapOut<'a> {
    pairs: Vec<(&'static str, Value)>,
    other: Vec<(tera::value::Key<'static>, Value)>,
    /// Only the fields this says a template names (all without it).
    named: Option<&'a (dyn Fn(&str) -> bool + Sync)>,
}

impl MapOut<'_> {
    /// Puts `key`'s value, made only when a template names it.
    fn put(&mut self, key: &'static str, value: impl FnOnce() -> Value) {
        if self.named.is_none_or(|named| named(key)) {
            self.pairs.push((key, value()));
        }
    }

    fn into_value(self) -> Value {
        if self.other.is_empty() {
            return super::map_of(&self.pairs);
        }
        let mut m = tera::Map::with_capacity(self.pairs.len() + self.other.len());
        m.extend(self.other);
        m.extend(self.pairs.into_iter().map(|(k, v)| (k.into(), v)));
        Value::from(m)
    }
}

impl Out for MapOut<'_> {
    fn summary(&mut self, summary: &Value) {
        if let Some(m) = summary.as_map() {
            for (k, val) in m {
                match k {
                    tera::value::Key::Str(name) => self.pairs.push((name, val.clone())),
                    k => self.other.push((k.clone(), val.clone())),
                }
            }
        }
    }
    fn text(&mut self, key: &'static str, text: Option<&str>) {
        self.put(key, || text.map_or(Value::none(), Value::from));
    }
    fn texts(&mut self, key: &'static str, list: &[String]) {
        self.put(key, || strings(list));
    }
    fn number(&mut self, key: &'static str, n: usize) {
        self.put(key, || Value::from(n));
    }
    fn link(&mut self, key: &'static str, to: Option<&Value>) {
        self.put(key, || to.cloned().unwrap_or_else(Value::none));
    }
    fn links(&mut self, key: &'static str, to: &[usize], all: &[Value]) {
        self.put(key, || {
            Value::from(to.iter().map(|&j| all[j].clone()).collect::<Vec<_>>())
        });
    }
    fn toc(&mut self, toc: &[TocItem]) {
        self.put("toc", || toc_value(toc));
    }
    fn figures(&mut self, key: &'static str, figures: &[Figure]) {
        self.put(key, || crate::figures::figure_map(figures));
    }
    fn derived(&mut self, key: &'static str, make: &dyn Fn() -> Value) {
        self.put(key, make);
    }
}

/// The hash: each field's name, then its content, lengths before what varies, so
/// that no two different lists of fields feed the same bytes.
struct HashOut<'a> {
    h: Gather,
    memo: &'a Memo,
    /// Only the fields this says a template names (all without it).
    named: Option<&'a dyn Fn(&str) -> bool>,
}

impl HashOut<'_> {
    /// Whether field `key` is left out of the hash.
    fn unread(&self, key: &str) -> bool {
        self.named.is_some_and(|named| !named(key))
    }
    fn summary_digest(&mut self, s: &Value) {
        self.h.update(&self.memo.digest_of(s).to_le_bytes());
    }
    fn toc_items(&mut self, toc: &[TocItem]) {
        self.h.update(&(toc.len() as u64).to_le_bytes());
        for t in toc {
            self.h.update(&[t.level]);
            frame(&mut self.h, t.id.as_bytes());
            frame(&mut self.h, t.title.as_bytes());
            self.toc_items(&t.children);
        }
    }
}

impl Out for HashOut<'_> {
    fn summary(&mut self, summary: &Value) {
        frame(&mut self.h, b"\0summary");
        self.summary_digest(summary);
    }
    fn text(&mut self, key: &'static str, text: Option<&str>) {
        if self.unread(key) {
            return;
        }
        frame(&mut self.h, key.as_bytes());
        match text {
            Some(t) => {
                self.h.update(&[1]);
                frame(&mut self.h, t.as_bytes());
            }
            None => self.h.update(&[0]),
        }
    }
    fn texts(&mut self, key: &'static str, list: &[String]) {
        if self.unread(key) {
            return;
        }
        frame(&mut self.h, key.as_bytes());
        self.h.update(&(list.len() as u64).to_le_bytes());
        for t in list {
            frame(&mut self.h, t.as_bytes());
        }
    }
    fn number(&mut self, key: &'static str, n: usize) {
        if self.unread(key) {
            return;
        }
        frame(&mut self.h, key.as_bytes());
        self.h.update(&(n as u64).to_le_bytes());
    }
    fn link(&mut self, key: &'static str, to: Option<&Value>) {
        if self.unread(key) {
            return;
        }
        frame(&mut self.h, key.as_bytes());
        match to {
            Some(s) => {
                self.h.update(&[1]);
                self.summary_digest(s);
            }
            None => self.h.update(&[0]),
        }
    }
    fn links(&mut self, key: &'static str, to: &[usize], all: &[Value]) {
        if self.unread(key) {
            return;
        }
        frame(&mut self.h, key.as_bytes());
        self.h.update(&(to.len() as u64).to_le_bytes());
        for &j in to {
            self.summary_digest(&all[j]);
        }
    }
    fn toc(&mut self, toc: &[TocItem]) {
        if self.unread("toc") {
            return;
        }
        frame(&mut self.h, b"toc");
        self.toc_items(toc);
    }
    fn figures(&mut self, key: &'static str, figures: &[Figure]) {
        if self.unread(key) {
            return;
        }
        frame(&mut self.h, key.as_bytes());
        self.h.update(&(figures.len() as u64).to_le_bytes());
        for f in figures {
            frame(&mut self.h, f.name.as_bytes());
            frame(&mut self.h, f.value.as_bytes());
        }
    }
    fn derived(&mut self, _key: &'static str, _make: &dyn Fn() -> Value) {}
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::values;

    /// Field names as [`fields`] gives them, derived ones apart.
    #[derive(Default)]
    struct Names {
        hashed: BTreeSet<String>,
        derived: BTreeSet<String>,
    }

    impl Out for Names {
        fn summary(&mut self, summary: &Value) {
            for k in summary.as_map().unwrap().keys() {
                self.hashed.insert(k.to_string());
            }
        }
        fn text(&mut self, key: &'static str, _: Option<&str>) {
            self.hashed.insert(key.into());
        }
        fn texts(&mut self, key: &'static str, _: &[String]) {
            self.hashed.insert(key.into());
        }
        fn number(&mut self, key: &'static str, _: usize) {
            self.hashed.insert(key.into());
        }
        fn link(&mut self, key: &'static str, _: Option<&Value>) {
            self.hashed.insert(key.into());
        }
        fn links(&mut self, key: &'static str, _: &[usize], _: &[Value]) {
            self.hashed.insert(key.into());
        }
        fn toc(&mut self, _: &[TocItem]) {
            self.hashed.insert("toc".into());
        }
        fn figures(&mut self, key: &'static str, _: &[Figure]) {
            self.hashed.insert(key.into());
        }
        fn derived(&mut self, key: &'static str, _: &dyn Fn() -> Value) {
            self.derived.insert(key.into());
        }
    }

    fn sample() -> Site {
        Site::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn hashes(site: &Site) -> Vec<u128> {
        let v = values::build(site, &crate::print::run::links(site), true);
        let memo = v.memo();
        (0..site.entries.len())
            .map(|i| entry_hash(site, &v, i, memo))
            .collect()
    }

    /// Every key of every sample entry's page is in its hash, but for the two made
    /// from others (a key set outside the field list would be in neither).
    #[test]
    fn every_key_a_page_reads_is_in_its_hash() {
        let site = sample();
        let v = values::build(&site, &crate::print::run::links(&site), true);
        for i in 0..site.entries.len() {
            let mut names = Names::default();
            fields(&site, &v, i, true, &mut names);
            let page = entry_page(&site, &v, i, None);
            let keys: BTreeSet<String> = page
                .as_map()
                .unwrap()
                .keys()
                .map(|k| k.to_string())
                .collect();
            let all: BTreeSet<String> = names.hashed.union(&names.derived).cloned().collect();
            assert_eq!(keys, all, "entry {i}");
            let allowed = ["reading_minutes", "fields"];
            assert!(names.derived.iter().all(|k| allowed.contains(&k.as_str())));
        }
    }

    /// An entry's hash moves with its own fields, its headings and its neighbours'
    /// summaries, and no other entry's does unless it shows what changed.
    #[test]
    fn an_entry_hash_moves_with_what_its_page_shows() {
        let site = sample();
        let before = hashes(&site);
        assert_eq!(
            before.iter().collect::<BTreeSet<_>>().len(),
            before.len(),
            "every entry hashes apart"
        );
        let i = site
            .entries
            .iter()
            .position(|n| n.entry.policy().is_some_and(|p| !p.steps.is_empty()) && n.next.is_some())
            .unwrap();
        let edit = |f: &dyn Fn(&mut crate::content::Entry)| {
            let mut s = sample();
            let mut e = (*s.entries[i].entry).clone();
            f(&mut e);
            s.entries[i].entry = std::sync::Arc::new(e);
            hashes(&s)
        };
        // A step of the policy's own: its hash alone.
        let after = edit(&|e| {
            if let EntryData::Policy(p) = &mut e.data {
                p.steps[0].push('。');
            }
        });
        let moved: Vec<usize> = (0..before.len())
            .filter(|&j| before[j] != after[j])
            .collect();
        assert_eq!(moved, vec![i]);
        // Its title is in its summary, which its neighbours show as prev and next.
        let after = edit(&|e| e.title.push('甲'));
        let next = site.entries[i].next.unwrap();
        assert_ne!(before[i], after[i]);
        assert_ne!(before[next], after[next]);
        // Its headings.
        let mut s = sample();
        // The same headings in a new body: the same hash; one heading more: another.
        let mut r = crate::markdown::Rendered::default();
        r.toc = s.entries[i].rendered.toc.clone();
        let mut same = crate::markdown::Rendered::default();
        same.toc = r.toc.clone();
        s.entries[i].rendered = std::sync::Arc::new(same);
        assert_eq!(hashes(&s)[i], before[i]);
        r.toc.push(TocItem {
            level: 2,
            id: "x".into(),
            title: "新增".into(),
            children: Vec::new(),
        });
        s.entries[i].rendered = std::sync::Arc::new(r);
        assert_ne!(hashes(&s)[i], before[i]);
    }
}
