//! The 口径 check: a sentence that names a policy (its title or an alias) and states an
//! amount, term, age, rate or count of a kind that policy has a figure for, but with a
//! value none of those figures has, is a warning located at both places.
//!
//! The rules, chosen so the sample handbook gives no false warning:
//! - a sentence ends at 。！？；, a table cell border `|`, a line in front matter, and
//!   a line break in a body unless the break sits between two Chinese characters (a
//!   wrapped line);
//! - a quantity belongs to the nearest policy named before it in the sentence (any
//!   policy: 「小额信贷免担保，创业担保贷款最高20万元」 is about 创业担保贷款), else one
//!   named right after it with no comma or bracket between (「3万元的小额信贷」);
//! - a name followed by 户, 家庭, 对象, 人员 or 边缘 names people (低保户), not the policy;
//! - only kinds the policy has a figure of are compared, and a value equal to any of
//!   them is fine (each kind is compared in one unit: 5万元 = 50000元, 3年 = 36个月,
//!   每年6000元 = 每月500元);
//! - `{{…}}` references, struck-out text (`~~旧标准~~`), link targets and the
//!   `[figures]` table itself are not read.

use std::ops::Range;

use super::Table;
use super::quantity::{self, Quantity};
use crate::diagnostics::{Diagnostic, SourceFile};

/// Words after a policy name that make it name a group of people instead.
const PEOPLE: &[&str] = &["户", "家庭", "对象", "人员", "边缘"];

/// Warnings for every file (entries and chapters' `_index.md`), in order.
pub(crate) fn check_files<'a>(
    table: &Table,
    files: impl Iterator<Item = &'a SourceFile>,
) -> Vec<Diagnostic> {
    // Only policies with figures can be contradicted: a handbook without figures
    // pays nothing for this check.
    let all = table.names_longest_first();
    let names: Vec<(&str, &str)> = all
        .iter()
        .copied()
        .filter(|(_, id)| !table.figures(id).is_empty())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    files
        .flat_map(|src| check_file(table, &names, &all, src))
        .collect()
}

/// `names`: the policies with figures; `all`: every policy, so a number next to a
/// policy without figures (创业担保贷款最高20万元) is not taken for another's.
fn check_file(
    table: &Table,
    names: &[(&str, &str)],
    all: &[(&str, &str)],
    src: &SourceFile,
) -> Vec<Diagnostic> {
    let text = src.text.as_str();
    // A name may be wrapped over two lines (危房\n改造).
    let flat: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    if !names.iter().any(|(n, _)| flat.contains(n)) {
        return Vec::new();
    }
    let masked = mask(text);
    let fm_end = front_matter_end(text);
    let mut out = Vec::new();
    for range in sentences(text, fm_end) {
        // The sentence without line breaks, masked parts blanked, and where each
        // character came from.
        let mut clean = String::new();
        let mut from: Vec<usize> = Vec::new();
        for (i, c) in text[range.clone()].char_indices() {
            let at = range.start + i;
            if c == '\n' || c == '\r' {
                continue;
            }
            let c = if masked[at] { ' ' } else { c };
            for _ in 0..c.len_utf8() {
                from.push(at);
            }
            clean.push(c);
        }
        from.push(range.end);
        // Sentences naming no policy with figures are most; all names only for the rest.
        if named_policies(&clean, names).is_empty() {
            continue;
        }
        let named = named_policies(&clean, all);
        for q in quantity::scan(&clean) {
            let Some(policy) = owner(&clean, &named, &q.span) else {
                continue;
            };
            // From the first character's start to the end of the last one.
            let last = from[q.span.end - 1];
            let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
            let span = from[q.span.start]..end;
            if let Some(d) = compare(table, policy, &q, src, span) {
                out.push(d);
            }
        }
    }
    out
}

fn compare(
    table: &Table,
    policy: &str,
    q: &Quantity,
    src: &SourceFile,
    span: Range<usize>,
) -> Option<Diagnostic> {
    let mut same_kind = Vec::new();
    // A policy without figures has nothing to disagree with.
    for f in table.figures(policy) {
        for fq in quantity::scan(&f.value) {
            if fq.kind == q.kind {
                if fq.same_value(q) {
                    return None;
                }
                same_kind.push(f);
            }
        }
    }
    if same_kind.is_empty() {
        return None;
    }
    same_kind.dedup_by(|a, b| a.name == b.name);
    let title = table.title(policy);
    let written = &src.text[span.clone()];
    let defs: Vec<String> = same_kind
        .iter()
        .map(|f| {
            tr!(
                "figures-definition",
                name = &f.name,
                value = &f.value,
                location = f.location()
            )
        })
        .collect();
    let first = same_kind[0];
    Some(
        Diagnostic::warning(tr!(
            "figures-disagree",
            title = title,
            kind = q.kind.label(),
            written = written,
            defs = defs.join(&tr!("list-sep"))
        ))
        .at(src, span)
        .with_hint(tr!(
            "figures-disagree-hint",
            title = title,
            name = &first.name,
            file = first.file.display()
        )),
    )
}

/// Where the front matter ends (the byte after the closing `+++` line), or 0.
fn front_matter_end(text: &str) -> usize {
    let body = text.trim_start_matches('\u{feff}');
    if !body.starts_with("+++") {
        return 0;
    }
    let skip = text.len() - body.len();
    let mut pos = body.find('\n').map_or(body.len(), |i| i + 1);
    while pos < body.len() {
        let end = body[pos..].find('\n').map_or(body.len(), |i| pos + i);
        if body[pos..end].trim_end() == "+++" {
            return skip + (end + 1).min(body.len());
        }
        pos = end + 1;
    }
    0
}

/// Bytes not to read: `{{…}}` references, `~~struck out~~` text, `](link targets)` and
/// the lines of a `[figures]` table.
fn mask(text: &str) -> Vec<bool> {
    let mut m = vec![false; text.len()];
    let mut blank = |r: Range<usize>| m[r].iter_mut().for_each(|b| *b = true);
    for (open, close, keep_end) in [("{{", "}}", true), ("~~", "~~", true), ("](", ")", true)] {
        let mut at = 0;
        while let Some(s) = text[at..].find(open).map(|i| at + i) {
            let Some(e) = text[s + open.len()..]
                .find(close)
                .map(|i| s + open.len() + i)
            else {
                break;
            };
            let end = if keep_end { e + close.len() } else { e };
            blank(s..end);
            at = end;
        }
    }
    let fm = front_matter_end(text);
    let mut in_figures = false;
    let mut pos = 0;
    for line in text[..fm].split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') && !t.contains('=') {
            in_figures = t == "[figures]";
        }
        if in_figures {
            blank(pos..pos + line.len());
        }
        pos += line.len();
    }
    m
}

/// Sentence ranges of `text`; `fm_end` is where the front matter ends.
fn sentences(text: &str, fm_end: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let ends = match c {
            '。' | '！' | '？' | '；' | '!' | '?' | ';' | '|' => true,
            '\n' => {
                i < fm_end
                    || !(prev.is_some_and(crate::markdown::is_han)
                        && next.is_some_and(crate::markdown::is_han))
            }
            _ => false,
        };
        if ends {
            out.push(start..i);
            start = i + c.len_utf8();
        }
        prev = Some(c);
    }
    out.push(start..text.len());
    out.retain(|r| !r.is_empty());
    out
}

/// Policy names in `clean` (longest first, never overlapping), with their positions.
fn named_policies<'a>(clean: &str, names: &[(&str, &'a str)]) -> Vec<(usize, &'a str)> {
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for (name, id) in names {
        let mut at = 0;
        while let Some(s) = clean[at..].find(name).map(|i| at + i) {
            let e = s + name.len();
            at = e;
            if taken.iter().any(|t| t.start < e && s < t.end) {
                continue;
            }
            taken.push(s..e);
            if PEOPLE.iter().any(|p| clean[e..].starts_with(p)) {
                continue;
            }
            out.push((s, *id));
        }
    }
    out.sort();
    out
}

/// The policy a quantity at `q` is about: the nearest named before it, else one named
/// right after it (「3万元的小额信贷」). A name after a comma or bracket is another
/// clause (「每月650元（不低于低保标准的1.3倍）」 is not about 低保).
fn owner<'a>(clean: &str, named: &[(usize, &'a str)], q: &Range<usize>) -> Option<&'a str> {
    if let Some((_, id)) = named.iter().rev().find(|(p, _)| *p < q.start) {
        return Some(id);
    }
    let (p, id) = named.iter().find(|(p, _)| *p >= q.end)?;
    let between = &clean[q.end..*p];
    let close =
        between.chars().count() <= 6 && !between.chars().any(|c| "，,、（）()：:“”\"".contains(c));
    close.then_some(*id)
}
