//! Named figures (数字口径): a policy's `[figures]` table (`max = "5万元"`) and the
//! `{{小额信贷.max}}` references that put those values into any text, so an amount is
//! written once and every page, card and handbook page that shows it changes with it.
//!
//! References are expanded in the content itself (entry bodies, text fields, chapter
//! introductions) before anything renders, so the website, search, cards and the
//! handbook cannot disagree. Templates use the `figure(policy=…, name=…)` function.
//! The 口径 check, which finds amounts written by hand that disagree with a figure, is
//! in [`check`].

pub(crate) mod check;
pub(crate) mod quantity;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::content::{Entry, EntryData, Section};
use crate::diagnostics::{Diagnostic, SourceFile, suggest};

/// One figure of one policy, and where it is defined.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    pub name: String,
    pub value: String,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Figure {
    pub(crate) fn location(&self) -> String {
        format!("{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// Every policy's figures, and every name (id, title, alias) a reference may use.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Policy id → its figures in the order written.
    by_policy: HashMap<String, Vec<Figure>>,
    /// Title, alias or id → policy id.
    names: HashMap<String, String>,
    /// Policy id → its title (for messages).
    titles: HashMap<String, String>,
    /// Entries that could not be read this run (their errors are shown): a name found
    /// nowhere may be one of theirs.
    unread: Vec<String>,
}

impl Table {
    pub(crate) fn new(entries: &[Arc<Entry>]) -> Table {
        let mut t = Table::default();
        // Room for a title and an id per entry: growing them was a third of the time.
        t.by_policy.reserve(entries.len());
        t.titles.reserve(entries.len());
        t.names.reserve(2 * entries.len());
        for e in entries {
            let EntryData::Policy(p) = &e.data else {
                continue;
            };
            let figures = p
                .figures
                .iter()
                .map(|(name, value, span)| {
                    let (line, col) = e.src.line_col(span.start);
                    Figure {
                        name: name.clone(),
                        value: value.clone(),
                        file: e.src.path.clone(),
                        line,
                        col,
                    }
                })
                .collect();
            t.by_policy.insert(e.id.clone(), figures);
            t.titles.insert(e.id.clone(), e.title.clone());
            for n in std::iter::once(&e.title).chain(&p.aliases) {
                t.names.entry(n.trim().to_string()).or_insert(e.id.clone());
            }
            t.names.insert(e.id.clone(), e.id.clone());
        }
        t
    }

    pub(crate) fn figures(&self, policy: &str) -> &[Figure] {
        self.by_policy.get(policy).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn title<'a>(&'a self, policy: &'a str) -> &'a str {
        self.titles.get(policy).map_or(policy, String::as_str)
    }

    /// Policy names (titles and aliases) with the policy each names, longest first, so
    /// 脱贫人口小额信贷 is matched before 小额信贷.
    pub(crate) fn names_longest_first(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .names
            .iter()
            .filter(|(n, id)| n != id)
            .map(|(n, id)| (n.as_str(), id.as_str()))
            .collect();
        v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
        v
    }

    /// The entries (their files) that could not be read this run: a reference to a
    /// name not found says it may be theirs, rather than only that it is wrong.
    pub(crate) fn with_unread(mut self, files: Vec<String>) -> Table {
        self.unread = files;
        self
    }

    /// The value of `name` of the policy called `policy` (id, title or alias), or a
    /// message in Chinese with the nearest known name.
    pub(crate) fn lookup(&self, policy: &str, name: &str) -> Result<&Figure, (String, String)> {
        let Some(id) = self.names.get(policy.trim()) else {
            let near = suggest(policy, self.names.keys().map(String::as_str));
            let hint = match near {
                Some(s) => tr!("figures-no-policy-near", suggestion = s),
                None if !self.unread.is_empty() => {
                    // A few named; the rest are in the errors shown with this one.
                    let mut files = self.unread[..self.unread.len().min(3)].join("、");
                    if self.unread.len() > 3 {
                        files.push('…');
                    }
                    tr!("figures-no-policy-unread", files = files)
                }
                None => tr!("figures-no-policy-hint"),
            };
            return Err((tr!("figures-no-policy", policy = policy), hint));
        };
        let figures = self.figures(id);
        if let Some(f) = figures.iter().find(|f| f.name == name.trim()) {
            return Ok(f);
        }
        let title = self.title(id);
        let near = suggest(name, figures.iter().map(|f| f.name.as_str()));
        let known: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
        Err((
            tr!("figures-no-figure", title = title, name = name),
            match (near, known.is_empty()) {
                (Some(s), _) => tr!("figures-did-you-mean", suggestion = s),
                (None, true) => tr!("figures-none-defined", title = title, name = name),
                (None, false) => tr!("figures-known", names = known.join(&tr!("list-sep"))),
            },
        ))
    }
}

/// Where a piece of text sits in its file, for errors about references in it.
pub(crate) enum Origin {
    /// At this byte offset of the file (a Markdown body).
    At(usize),
    /// Somewhere in the front matter: found by searching the file for the reference.
    FrontMatter,
}

/// Expands every `{{policy.name}}` (or `{{name}}`, a figure of `own`, the entry's own
/// policy or the one policy a FAQ cites) in `text`. `None` when there is nothing to
/// expand; unknown references are errors pushed to `diags` and left as written.
pub(crate) fn expand(
    table: &Table,
    text: &str,
    own: &[&str],
    src: &SourceFile,
    origin: Origin,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if !text.contains("{{") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{").map(|i| rest + i) {
        let Some(close) = text[open..].find("}}").map(|i| open + i) else {
            // An unclosed reference would be printed as written: say so.
            let line_end = text[open..].find('\n').map_or(text.len(), |i| open + i);
            let whole = &text[open..line_end];
            let start = match origin {
                Origin::At(base) => Some(base + open),
                Origin::FrontMatter => src.text.find(whole),
            };
            let d = Diagnostic::error(tr!("figures-unclosed"));
            let d = match start {
                Some(s) => d.at(src, s..s + 2),
                None => d.in_file(src.path.clone(), 1, 1),
            };
            diags.push(d.with_hint(tr!("figures-unclosed-hint")));
            break;
        };
        let inner = text[open + 2..close].trim();
        out.push_str(&text[rest..open]);
        let (policy, name) = match inner.rsplit_once(['.', '．']) {
            Some((p, n)) => (Some(p.trim()), n.trim()),
            None => (None, inner),
        };
        let found = match policy {
            Some(p) => table.lookup(p, name),
            None if own.len() == 1 => table.lookup(own[0], name),
            None => Err((
                tr!("figures-which-policy", inner = inner),
                if own.is_empty() {
                    tr!("figures-which-policy-hint", name = name)
                } else {
                    tr!(
                        "figures-which-policy-faq-hint",
                        name = name,
                        title = table.title(own[0])
                    )
                },
            )),
        };
        match found {
            Ok(f) => out.push_str(&f.value),
            Err((message, hint)) => {
                let whole = &text[open..close + 2];
                let start = match origin {
                    Origin::At(base) => Some(base + open),
                    Origin::FrontMatter => src.text.find(whole),
                };
                let d = Diagnostic::error(tr!("figures-error", message = message));
                let d = match start {
                    Some(s) => d.at(src, s..s + whole.len()),
                    None => d.in_file(src.path.clone(), 1, 1),
                };
                diags.push(d.with_hint(hint));
                out.push_str(whole);
            }
        }
        rest = close + 2;
    }
    out.push_str(&text[rest..]);
    Some(out)
}

fn expand_field(
    table: &Table,
    own: &[&str],
    src: &SourceFile,
    s: &mut String,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    match expand(table, s, own, src, Origin::FrontMatter, diags) {
        Some(x) => {
            *s = x;
            true
        }
        None => false,
    }
}

/// The entry with its references expanded, or `None` when it has none.
pub(crate) fn expand_entry(
    table: &Table,
    e: &Entry,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Entry>> {
    if !e.names_figures {
        return None;
    }
    let mut x = e.clone();
    let own: Vec<&str> = match &e.data {
        EntryData::Policy(_) => vec![e.id.as_str()],
        EntryData::Faq(q) => q.policies.iter().map(|(p, _)| p.as_str()).collect(),
    };
    let src = &*e.src;
    if let Some(b) = expand(table, e.body(), &own, src, Origin::At(e.body_start), diags) {
        x.body_links = crate::content::contains(&b, "@/");
        x.own_body = Some(b);
    }
    expand_field(table, &own, src, &mut x.title, diags);
    match &mut x.data {
        EntryData::Policy(p) => {
            let p = &mut **p;
            for s in [&mut p.summary]
                .into_iter()
                .chain(p.issuer.as_mut())
                .chain(p.targets.as_mut())
                .chain(p.amount.as_mut())
                .chain(p.office.as_mut())
                .chain(p.phone.as_mut())
                .chain(p.basis.iter_mut())
                .chain(p.conditions.iter_mut())
                .chain(p.steps.iter_mut())
                .chain(p.materials.iter_mut())
            {
                expand_field(table, &own, src, s, diags);
            }
        }
        EntryData::Faq(q) => {
            expand_field(table, &own, src, &mut q.answer, diags);
        }
    }
    Some(Arc::new(x))
}

/// Where byte `at` of `expanded` (a body with its references replaced by their values)
/// stands in `raw`, the body as written. The text between references is the same in
/// both, so the two are walked side by side; a place inside a value maps to the start
/// of its reference. Only for locating problems: it searches, where [`expand`] knows.
pub(crate) fn written_at(raw: &str, expanded: &str, at: usize) -> usize {
    let mut k = if raw == expanded {
        at.min(raw.len())
    } else {
        walk_back(raw, expanded, at)
    };
    while !raw.is_char_boundary(k) {
        k -= 1;
    }
    k
}

fn walk_back(raw: &str, expanded: &str, at: usize) -> usize {
    let (mut i, mut j) = (0, 0);
    loop {
        let open = raw[i..].find("{{").map_or(raw.len(), |k| i + k);
        if at < j + (open - i) || open == raw.len() {
            return (i + at.saturating_sub(j)).min(open);
        }
        j += open - i;
        i = open;
        // Adjacent references make one run: their values' border is unknown.
        let mut end = i;
        loop {
            let Some(close) = raw[end..].find("}}") else {
                // Unclosed: the rest stays as written.
                return (i + at.saturating_sub(j)).min(raw.len());
            };
            end += close + 2;
            if !raw[end..].starts_with("{{") {
                break;
            }
        }
        let next = raw[end..].find("{{").map_or(raw.len(), |k| end + k);
        let after = &raw[end..next];
        let value_end = match after {
            "" => expanded.len(),
            _ => expanded
                .get(j..)
                .and_then(|x| x.find(after))
                .map_or(expanded.len(), |k| j + k),
        };
        if at < value_end {
            return i;
        }
        (i, j) = (end, value_end);
    }
}

/// Renders a body whose references were expanded, with its problems (an unresolved
/// `@/` link) located in the file as written: an expanded value moves what follows it
/// on its line, so when there are problems the body as written is rendered again to
/// place them.
pub(crate) fn render_located(
    src: &SourceFile,
    body: &str,
    body_start: usize,
    resolver: &dyn crate::markdown::LinkResolver,
    diags: &mut Vec<Diagnostic>,
) -> crate::markdown::Rendered {
    let mut d = Vec::new();
    let mut r = crate::markdown::render(src, body, body_start, resolver, &mut d);
    let raw = src.text.get(body_start..).unwrap_or("");
    if !d.is_empty() && raw != body {
        d.clear();
        crate::markdown::render(src, raw, body_start, resolver, &mut d);
    }
    diags.extend(d);
    // The images a later check locates, as written.
    for img in &mut r.images {
        let [start, end] = [img.span.start, img.span.end]
            .map(|b| body_start + written_at(raw, body, b.saturating_sub(body_start)));
        img.span = start..end.max(start);
    }
    r
}

/// A chapter introduction with its references expanded (it has no policy of its own).
pub(crate) fn expand_section(table: &Table, s: &mut Section, diags: &mut Vec<Diagnostic>) {
    let Some(src) = s.src.clone() else {
        return;
    };
    if let Some(b) = expand(table, &s.body, &[], &src, Origin::At(s.body_start), diags) {
        s.body = b;
    }
}

impl Table {
    /// The `figures` template value: for every policy id, title and alias, a map from
    /// figure name to value (`figures["小额信贷"].max`).
    pub(crate) fn to_value(&self) -> tera::Value {
        let mut m = tera::Map::default();
        let mut keys: Vec<(&String, &String)> = self.names.iter().collect();
        keys.sort();
        for (name, id) in keys {
            let figures = self.figures(id);
            if figures.is_empty() {
                continue;
            }
            m.insert(name.clone().into(), figure_map(figures));
        }
        tera::Value::from(m)
    }
}

/// One policy's figures as a template map (`page.figures.max`).
pub(crate) fn figure_map(figures: &[Figure]) -> tera::Value {
    let mut m = tera::Map::default();
    for f in figures {
        m.insert(f.name.clone().into(), tera::Value::from(f.value.as_str()));
    }
    tera::Value::from(m)
}

/// The `figure(policy="小额信贷", name="max")` template function of web and print
/// templates. It reads the global `figures` value, so templates loaded once (by
/// `serve`) see the figures of the latest build; an unknown name stops the build at
/// the template line that wrote it, with the nearest known name.
pub(crate) fn template_function(
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let policy: String = kwargs.must_get("policy")?;
    let name: String = kwargs.must_get("name")?;
    let all: tera::Value = state.get("figures")?.unwrap_or_else(tera::Value::none);
    let err = |m: String| tera::Error::message(tr!("figures-error", message = m));
    let Some(map) = all.as_map() else {
        return Err(err(tr!("figures-none-here")));
    };
    let Some(figs) = map.get(&policy.clone().into()) else {
        let keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
        let hint = match suggest(&policy, keys.iter().map(String::as_str)) {
            Some(s) => tr!("figures-did-you-mean", suggestion = s),
            None => tr!("figures-policy-key-hint"),
        };
        return Err(err(tr!(
            "figures-no-policy-with-figures",
            policy = &policy,
            hint = hint
        )));
    };
    let figs = figs.as_map().cloned().unwrap_or_default();
    match figs.get(&name.clone().into()) {
        Some(v) => Ok(v.clone()),
        None => {
            let keys: Vec<String> = figs.keys().map(|k| k.to_string()).collect();
            let hint = match suggest(&name, keys.iter().map(String::as_str)) {
                Some(s) => tr!("figures-did-you-mean", suggestion = s),
                None => tr!("figures-known", names = keys.join(&tr!("list-sep"))),
            };
            Err(err(tr!(
                "figures-no-figure-hint",
                policy = &policy,
                name = &name,
                hint = hint
            )))
        }
    }
}

#[cfg(test)]
mod tests;
