//! Sections and entries as the contract defines them, read from front matter.

use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;

use super::frontmatter;
use super::is_valid_id;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::fields::{Fields, parse_table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Policy,
    Faq,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Faq => "faq",
        }
    }
}

/// A chapter: a folder under `content/` with its `_index.md`.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder path under content/ ("jiaoyu"); "" for the home page.
    pub path: String,
    pub title: String,
    pub weight: i64,
    /// Default kind of the entries in it.
    pub kind: Option<Kind>,
    pub body: String,
    pub body_start: usize,
    pub src: Option<Arc<SourceFile>>,
}

const SECTION_KEYS: &[&str] = &["title", "weight", "kind", "description"];

impl Section {
    pub(crate) fn implicit_home() -> Section {
        Section {
            path: String::new(),
            title: String::new(),
            weight: 0,
            kind: None,
            body: String::new(),
            body_start: 0,
            src: None,
        }
    }

    pub(crate) fn parse(src: Arc<SourceFile>, path: String) -> Result<Section, Vec<Diagnostic>> {
        let (split, table) = front_matter(&src)?;
        let mut diags = Vec::new();
        let mut f = Fields::new(
            &src,
            split.toml_start,
            &table,
            split.opening.clone(),
            &mut diags,
        );
        f.check_keys(SECTION_KEYS, |k| {
            (k == "sort_by").then(|| tr!("section-sort-by"))
        });
        let title = f.req_string("title", "title = \"教育帮扶\"");
        let weight = f.int("weight").unwrap_or(0);
        let kind = read_kind(&mut f);
        let body = split.body.to_string();
        let body_start = split.body_start;
        if diags.iter().any(|d| d.is_error()) {
            return Err(diags);
        }
        Ok(Section {
            path,
            title,
            weight,
            kind,
            body,
            body_start,
            src: Some(src.clone()),
        })
    }
}

/// The file split at its `+++` fences and its front matter parsed as TOML.
fn front_matter(
    src: &SourceFile,
) -> Result<(frontmatter::Split<'_>, toml::de::DeTable<'_>), Vec<Diagnostic>> {
    let split = frontmatter::split(src).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let table = parse_table(src, split.toml, split.toml_start, &mut diags).ok_or(diags)?;
    Ok((split, table))
}

fn read_kind(f: &mut Fields) -> Option<Kind> {
    match f.string("kind").as_deref() {
        None => None,
        Some("policy") => Some(Kind::Policy),
        Some("faq") => Some(Kind::Faq),
        Some(other) => {
            f.value_error(
                "kind",
                tr!("kind-unknown", kind = other),
                &tr!("kind-unknown-hint"),
            );
            None
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PolicyFields {
    pub summary: String,
    pub issuer: Option<String>,
    pub basis: Vec<String>,
    pub targets: Option<String>,
    pub amount: Option<String>,
    pub conditions: Vec<String>,
    pub steps: Vec<String>,
    pub materials: Vec<String>,
    pub office: Option<String>,
    pub phone: Option<String>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    pub reviewed: Option<Date>,
    pub aliases: Vec<String>,
    /// Named figures (`[figures]`: `max = "5万元"`): name, value, and where the value
    /// is written (see `crate::figures`).
    pub figures: Vec<(String, String, Range<usize>)>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct FaqFields {
    pub answer: String,
    /// Cited policy ids, with where each is written (for "unknown policy" errors).
    pub policies: Vec<(String, Range<usize>)>,
}

#[derive(Debug, Clone)]
pub(crate) enum EntryData {
    Policy(Box<PolicyFields>),
    Faq(FaqFields),
}

/// A policy entry (政策条目) or FAQ entry (问答卡).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: String,
    /// Where the id is written when it comes from front matter (for duplicate-id errors).
    pub id_span: Option<Range<usize>>,
    /// The section (folder) it lives in.
    pub section: String,
    pub kind: Kind,
    pub title: String,
    pub tags: Vec<String>,
    pub card: bool,
    pub weight: i64,
    pub data: EntryData,
    /// The body when it is not the file's own (named figures put in): otherwise it is
    /// read where it lies in `src`, not copied (a copy of every body was 300 MB held
    /// through a 30,000-entry build).
    pub(crate) own_body: Option<String>,
    pub body_start: usize,
    pub src: Arc<SourceFile>,
    /// The file refers to a named figure (`{{`): how it renders changes with other
    /// files. Looked for once, while the file is at hand (every later look at 30,000
    /// files read 300 MB again).
    pub names_figures: bool,
    /// The body has an `@/` link: how it renders changes with the files it links to.
    pub body_links: bool,
}

const COMMON_KEYS: &[&str] = &["id", "kind", "title", "tags", "card", "weight"];
pub(super) const POLICY_KEYS: &[&str] = &[
    "summary",
    "issuer",
    "basis",
    "targets",
    "amount",
    "conditions",
    "steps",
    "materials",
    "office",
    "phone",
    "effective",
    "expires",
    "reviewed",
    "aliases",
    "figures",
];
pub(super) const FAQ_KEYS: &[&str] = &["answer", "policies"];

impl Entry {
    /// Parses an entry; `section_kind` is the default kind its section gives.
    pub(crate) fn parse(
        src: Arc<SourceFile>,
        default_id: String,
        section: String,
        section_kind: Option<Kind>,
    ) -> Result<Entry, Vec<Diagnostic>> {
        let (split, table) = front_matter(&src)?;
        let mut diags = Vec::new();
        let mut f = Fields::new(
            &src,
            split.toml_start,
            &table,
            split.opening.clone(),
            &mut diags,
        );

        let own_kind = read_kind(&mut f);
        let kind = own_kind.or(section_kind).unwrap_or(Kind::Policy);
        let (own_keys, other_keys, other_name, other_kind) = match kind {
            Kind::Policy => (POLICY_KEYS, FAQ_KEYS, tr!("kind-name-faq"), "faq"),
            Kind::Faq => (FAQ_KEYS, POLICY_KEYS, tr!("kind-name-policy"), "policy"),
        };
        let allowed: Vec<&str> = COMMON_KEYS.iter().chain(own_keys).copied().collect();
        let this_name = match kind {
            Kind::Policy => tr!("kind-name-policy"),
            Kind::Faq => tr!("kind-name-faq"),
        };
        f.check_keys(&allowed, |k| {
            other_keys.contains(&k).then(|| {
                tr!(
                    "key-of-other-kind",
                    key = k,
                    other = other_name,
                    this = this_name,
                    kind = other_kind
                )
            })
        });

        let id_span = f.value_span("id");
        let id = match f.string("id") {
            Some(id) => {
                if !is_valid_id(&id) {
                    f.value_error("id", tr!("id-invalid", id = id), &tr!("id-invalid-hint"));
                }
                id
            }
            None => {
                if !is_valid_id(&default_id) {
                    f.diags.push(
                        Diagnostic::error(tr!("file-name-invalid", name = default_id))
                            .at(&src, split.opening.clone())
                            .with_hint(tr!("file-name-invalid-hint")),
                    );
                }
                default_id
            }
        };
        let title = f.req_string("title", "title = \"脱贫人口小额信贷\"");
        let tags = f.strings("tags");
        let card = f.bool("card").unwrap_or(true);
        let weight = f.int("weight").unwrap_or(0);
        let data = match kind {
            Kind::Policy => EntryData::Policy(Box::new(read_policy(&mut f))),
            Kind::Faq => EntryData::Faq(read_faq(&mut f)),
        };
        if diags.iter().any(|d| d.is_error()) {
            return Err(diags);
        }
        Ok(Entry {
            id,
            id_span,
            section,
            kind,
            title,
            tags,
            card,
            weight,
            data,
            own_body: None,
            body_start: split.body_start,
            names_figures: super::contains(&src.text, "{{"),
            body_links: super::contains(split.body, "@/"),
            src,
        })
    }

    /// The Markdown body (after the front matter).
    pub(crate) fn body(&self) -> &str {
        match &self.own_body {
            Some(b) => b,
            None => self.src.text.get(self.body_start..).unwrap_or_default(),
        }
    }

    pub(crate) fn policy(&self) -> Option<&PolicyFields> {
        match &self.data {
            EntryData::Policy(p) => Some(p),
            EntryData::Faq(_) => None,
        }
    }

    /// One line about the entry for lists, cards and search results.
    pub(crate) fn summary(&self) -> &str {
        match &self.data {
            EntryData::Policy(p) => &p.summary,
            EntryData::Faq(q) => &q.answer,
        }
    }
}

fn read_policy(f: &mut Fields) -> PolicyFields {
    let p = PolicyFields {
        summary: f.req_string("summary", "summary = \"一句话说明这项政策\""),
        issuer: f.string("issuer"),
        basis: f.strings("basis"),
        targets: f.string("targets"),
        amount: f.string("amount"),
        conditions: f.strings("conditions"),
        steps: f.strings("steps"),
        materials: f.strings("materials"),
        office: f.string("office"),
        phone: f.string("phone"),
        effective: f.date("effective"),
        expires: f.date("expires"),
        reviewed: f.date("reviewed"),
        aliases: f.strings("aliases"),
        figures: read_figures(f),
    };
    // A policy that ends before (or on the day) it starts is a typo in one of the
    // dates, not an expired policy.
    if let (Some(from), Some(to)) = (p.effective, p.expires)
        && to <= from
    {
        f.value_error(
            "expires",
            tr!(
                "expires-not-after-effective",
                expires = to,
                effective = from
            ),
            &tr!("expires-not-after-effective-hint"),
        );
    }
    p
}

/// `[figures]`: every value a string, every name usable in `{{政策.名称}}`.
fn read_figures(f: &mut Fields) -> Vec<(String, String, Range<usize>)> {
    f.table("figures", |t| {
        let mut out = Vec::new();
        for name in t.keys() {
            let bad = name.is_empty()
                || name
                    .chars()
                    .any(|c| c.is_whitespace() || matches!(c, '.' | '．' | '{' | '}'));
            if bad {
                t.value_error(
                    &name,
                    tr!("figure-name-bad", name = name),
                    &tr!("figure-name-bad-hint"),
                );
                continue;
            }
            let span = t.value_span(&name).unwrap_or_default();
            if let Some(v) = t.string(&name) {
                out.push((name, v, span));
            }
        }
        out.sort_by_key(|(_, _, s)| s.start);
        out
    })
    .unwrap_or_default()
}

fn read_faq(f: &mut Fields) -> FaqFields {
    FaqFields {
        answer: f.req_string("answer", "answer = \"一两句话的回答\""),
        policies: f.strings_spanned("policies"),
    }
}
