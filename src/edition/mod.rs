//! Yearly editions (修订): what changed between the previous edition of a handbook and
//! this one. Each side is a handbook folder or a git revision of this one; both are
//! loaded as whole sites (figures expanded), so an amount changed through a figure
//! shows as the changed field it is printed in.
//!
//! [`Revision`] is the comparison: new, withdrawn and changed entries, field by field,
//! figures old → new. [`output`] turns it into the 修订说明 page, the 修订对照表 PDF,
//! the 新/改 marks and the list of cards to reprint.

pub(crate) mod output;
mod source;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::content::{EntryData, Kind};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

pub(crate) use source::load_side;

/// One field that differs: its label and both values (empty when absent).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Change {
    pub label: String,
    pub old: String,
    pub new: String,
}

/// An entry that is in one edition only.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Item {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    /// Chapter title, for grouping.
    pub section: String,
    /// Whether it has a 明白卡 (in the edition it is in).
    pub card: bool,
}

/// An entry in both editions whose content differs.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Changed {
    #[serde(flatten)]
    pub item: Item,
    /// Printed fields, in card order, that differ.
    pub fields: Vec<Change>,
    /// Named figures that differ (`[figures]`), old → new.
    pub figures: Vec<Change>,
    /// The Markdown body differs (shown on the page, not field by field).
    pub body: bool,
    /// What its 明白卡 prints changed, so the card must be printed again: a field or
    /// figure, or the body of a FAQ (the default cards print a policy's fields, and a
    /// FAQ's answer and body; a policy's body is on its page and in the handbook only).
    pub reprint: bool,
}

/// What changed between two editions.
#[derive(Debug, Clone, Serialize, Default)]
pub(crate) struct Revision {
    /// How the previous edition was named (`v2025`, `../2025版`).
    pub previous: String,
    pub added: Vec<Item>,
    pub withdrawn: Vec<Item>,
    pub changed: Vec<Changed>,
}

/// What a card needs after the revision.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Reprint {
    pub id: String,
    pub title: String,
    /// 新印 (a new entry), 重印 (changed), 收回 (withdrawn: take the old card back).
    pub action: &'static str,
    /// The card PDF to print, in the built site (none for a withdrawn card).
    pub pdf: Option<String>,
}

impl Revision {
    /// The mark an entry of the new edition carries: 新 or 改.
    pub(crate) fn mark(&self, id: &str) -> Option<&'static str> {
        if self.added.iter().any(|i| i.id == id) {
            Some("新")
        } else if self.changed.iter().any(|c| c.item.id == id) {
            Some("改")
        } else {
            None
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.withdrawn.is_empty() && self.changed.is_empty()
    }

    /// Cards to print for the first time, print again, or take back, in that order.
    pub(crate) fn reprints(&self) -> Vec<Reprint> {
        let pdf = |id: &str| Some(crate::print::paths::card(id));
        let new = self.added.iter().filter(|i| i.card).map(|i| Reprint {
            id: i.id.clone(),
            title: i.title.clone(),
            action: "新印",
            pdf: pdf(&i.id),
        });
        let changed = self
            .changed
            .iter()
            .filter(|c| c.item.card && c.reprint)
            .map(|c| Reprint {
                id: c.item.id.clone(),
                title: c.item.title.clone(),
                action: "重印",
                pdf: pdf(&c.item.id),
            });
        let gone = self.withdrawn.iter().filter(|i| i.card).map(|i| Reprint {
            id: i.id.clone(),
            title: i.title.clone(),
            action: "收回",
            pdf: None,
        });
        new.chain(changed).chain(gone).collect()
    }
}

/// An entry as the comparison sees it: its printed fields, figures and body.
struct Snapshot {
    item: Item,
    fields: Vec<(&'static str, String)>,
    figures: BTreeMap<String, String>,
    body: String,
}

fn list(v: &[String]) -> String {
    v.join("；")
}

fn snapshots(site: &Site) -> BTreeMap<String, Snapshot> {
    let mut out = BTreeMap::new();
    for n in &site.entries {
        let e = &n.entry;
        let item = Item {
            id: e.id.clone(),
            kind: e.kind.as_str(),
            title: e.title.clone(),
            section: site.sections[n.section].section.title.clone(),
            card: e.card,
        };
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let fields = match &e.data {
            EntryData::Policy(p) => vec![
                ("政策名称", e.title.clone()),
                ("一句话说明", p.summary.clone()),
                ("补助对象", opt(&p.targets)),
                ("补助标准", opt(&p.amount)),
                ("申请条件", list(&p.conditions)),
                ("办理流程", list(&p.steps)),
                ("所需材料", list(&p.materials)),
                ("办理地点", opt(&p.office)),
                ("咨询电话", opt(&p.phone)),
                ("政策依据", list(&p.basis)),
                ("主管单位", opt(&p.issuer)),
                ("生效日期", date(p.effective)),
                ("失效日期", date(p.expires)),
            ],
            EntryData::Faq(q) => vec![
                ("问题", e.title.clone()),
                ("回答", q.answer.clone()),
                (
                    "相关政策",
                    q.policies
                        .iter()
                        .map(|(p, _)| p.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
            ],
        };
        let figures = site
            .figures
            .figures(&e.id)
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect();
        out.insert(
            e.id.clone(),
            Snapshot {
                item,
                fields,
                figures,
                body: e.body().trim().to_string(),
            },
        );
    }
    out
}

/// Compares two editions entry by entry (by id, so a renamed title is a change).
pub(crate) fn compare(old: &Site, new: &Site, previous: &str) -> Revision {
    let old = snapshots(old);
    let new = snapshots(new);
    let mut r = Revision {
        previous: previous.to_string(),
        ..Revision::default()
    };
    // New entries in the new edition's reading order would need the site; id order is
    // stable and what a diff of files shows.
    for (id, n) in &new {
        let Some(o) = old.get(id) else {
            r.added.push(n.item.clone());
            continue;
        };
        let fields: Vec<Change> = n
            .fields
            .iter()
            .zip(&o.fields)
            .filter(|((_, a), (_, b))| a != b)
            .map(|((label, a), (_, b))| Change {
                label: label.to_string(),
                old: b.clone(),
                new: a.clone(),
            })
            .collect();
        let mut figures = Vec::new();
        let names: std::collections::BTreeSet<&String> =
            o.figures.keys().chain(n.figures.keys()).collect();
        for name in names {
            let (a, b) = (o.figures.get(name), n.figures.get(name));
            if a != b {
                figures.push(Change {
                    label: name.clone(),
                    old: a.cloned().unwrap_or_default(),
                    new: b.cloned().unwrap_or_default(),
                });
            }
        }
        // A kind change (policy → FAQ) shows as its fields changing entirely.
        let kind_changed = o.item.kind != n.item.kind;
        let body = o.body != n.body;
        if !fields.is_empty() || !figures.is_empty() || body || kind_changed {
            let reprint = !fields.is_empty()
                || !figures.is_empty()
                || kind_changed
                || (body && n.item.kind == Kind::Faq.as_str());
            r.changed.push(Changed {
                item: n.item.clone(),
                fields,
                figures,
                body,
                reprint,
            });
        }
    }
    for (id, o) in &old {
        if !new.contains_key(id) {
            r.withdrawn.push(o.item.clone());
        }
    }
    // Policies first, then FAQs, each by id: the order a reader scans a 修订说明.
    let rank = |k: &str| (k == Kind::Faq.as_str()) as u8;
    r.added
        .sort_by(|a, b| (rank(a.kind), &a.id).cmp(&(rank(b.kind), &b.id)));
    r.withdrawn
        .sort_by(|a, b| (rank(a.kind), &a.id).cmp(&(rank(b.kind), &b.id)));
    r.changed
        .sort_by(|a, b| (rank(a.item.kind), &a.item.id).cmp(&(rank(b.item.kind), &b.item.id)));
    r
}

/// `mingbai diff OLD NEW`: both sides loaded relative to `root`.
pub(crate) fn diff(root: &Path, old: &str, new: &str) -> Result<Revision, Vec<Diagnostic>> {
    let o = load_side(root, old)?;
    let n = load_side(root, new)?;
    Ok(compare(&o, &n, old))
}

#[cfg(test)]
mod tests;
