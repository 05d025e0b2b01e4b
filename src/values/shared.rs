//! What a template reads besides its own values: every template's source, and those
//! site-wide values its template set can name.
//!
//! Pages and cards are keyed by the site-wide values their templates can reach, not by
//! all of them: the lists of every entry's summary (`chapters`, `policies_by_section`,
//! `faqs`) change with any title, amount or phone, and when every key held them, one
//! such edit rendered every page and every card's template again (at 1,000 entries,
//! 160 ms of pages that came out the same). A template reaches a site-wide value only by
//! its name: Tera has no lookup of a variable by a computed name besides
//! `__tera_context`, which dumps them all, and `include` and `extends` take only
//! literal template names. So a template set reaches a value when the code of one of
//! its templates (inside `{{ }}` and `{% %}`, see [`code`]) names it as a word, the set
//! being the template and every template one of them names. Only the code counts: the
//! markup around it says `<section>` and `site` in every other line, and a policy page
//! keyed by every chapter's summary was rendered again with its whole chapter after
//! one phone was edited. Over-counting (a name inside a string, a template named by a
//! longer one) only costs a render; a component (defined in one template, used in
//! any) makes every template reach every value.

use xxhash_rust::xxh3::Xxh3;

use super::hash::{Memo, frame};
use tera::Value;

/// The templates and the hashes of the site-wide values, from which each template's
/// share is worked out.
pub(crate) struct Shared<'a> {
    /// Name and source, sorted by name.
    templates: Vec<(&'a str, &'a str)>,
    /// Each template's code ([`code`]), in the same order.
    code: Vec<String>,
    /// The hash of every template's name and source: a change to any re-keys all.
    sources: u128,
    /// Each site-wide value's name and hash.
    globals: Vec<(&'static str, u128)>,
}

impl<'a> Shared<'a> {
    pub(crate) fn new(
        templates: impl Iterator<Item = (&'a str, &'a str)>,
        globals: &[(&'static str, Value)],
        memo: &Memo,
    ) -> Shared<'a> {
        let mut templates: Vec<_> = templates.collect();
        templates.sort_unstable();
        let mut h = Xxh3::new();
        for (name, text) in &templates {
            frame(&mut h, name.as_bytes());
            frame(&mut h, text.as_bytes());
        }
        Shared {
            code: templates.iter().map(|&(_, t)| code(t)).collect(),
            templates,
            sources: h.digest128(),
            globals: globals.iter().map(|(n, v)| (*n, memo.hash(v))).collect(),
        }
    }

    /// The templates' names.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.templates.iter().map(|&(n, _)| n)
    }

    /// The hash of what template `from` reads besides its own values (every site-wide
    /// value when `from` is `None` or not among the templates).
    pub(crate) fn hash(&self, from: Option<&str>) -> u128 {
        self.hash_of(&self.reach(from))
    }

    /// [`Shared::hash`] of the templates' code `reach` (as [`Shared::reach`] gives it).
    pub(crate) fn hash_of(&self, reach: &[&str]) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.sources.to_le_bytes());
        for &(name, sum) in &self.globals {
            // `figure(...)`, the one function templates call, reads `figures`.
            let named = if name == "figures" { "figure" } else { name };
            if reads(reach, named) {
                frame(&mut h, name.as_bytes());
                h.update(&sum.to_le_bytes());
            }
        }
        h.digest128()
    }

    /// The code of `from` and of every template it names, however deep; of every
    /// template when `from` is `None`, unknown, or any template can reach everything.
    pub(crate) fn reach(&self, from: Option<&str>) -> Vec<&str> {
        let all = || self.code.iter().map(String::as_str).collect();
        let whole = self.templates.iter().any(|(_, t)| {
            crate::content::contains(t, "__tera_context")
                || crate::content::contains(t, "component")
        });
        let Some(start) = from.filter(|_| !whole) else {
            return all();
        };
        let Some(first) = self.templates.iter().position(|&(n, _)| n == start) else {
            return all();
        };
        let mut seen = vec![false; self.templates.len()];
        seen[first] = true;
        let mut queue = vec![first];
        let mut texts = Vec::new();
        while let Some(k) = queue.pop() {
            let text = self.code[k].as_str();
            texts.push(text);
            for (j, &(name, _)) in self.templates.iter().enumerate() {
                if !seen[j] && crate::content::contains(text, name) {
                    seen[j] = true;
                    queue.push(j);
                }
            }
        }
        texts
    }
}

/// Whether the code `reach` names `name` as a word (not as part of a longer one).
pub(crate) fn reads(reach: &[&str], name: &str) -> bool {
    let word = |c: Option<&u8>| c.is_some_and(|&c| is_word(char::from(c)));
    reach.iter().any(|code| {
        let b = code.as_bytes();
        memchr::memmem::find_iter(b, name.as_bytes())
            .any(|p| !word(p.checked_sub(1).and_then(|q| b.get(q))) && !word(b.get(p + name.len())))
    })
}

/// The words of some templates' code, for asking [`reads`] of many names (each field
/// of every entry, for the handbook): the code is looked through once, not once a name
/// (10,000 times at 1,000 entries).
pub(crate) struct Words<'a> {
    reach: &'a [&'a str],
    words: std::collections::HashSet<&'a str>,
}

impl<'a> Words<'a> {
    pub(crate) fn new(reach: &'a [&'a str]) -> Words<'a> {
        let words = reach
            .iter()
            .flat_map(|code| code.split(|c: char| !is_word(c)))
            .filter(|w| !w.is_empty())
            .collect();
        Words { reach, words }
    }

    /// [`reads`] of the code: a name that is one word is one of its words.
    pub(crate) fn has(&self, name: &str) -> bool {
        if !name.is_empty() && name.chars().all(is_word) {
            self.words.contains(name)
        } else {
            reads(self.reach, name)
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether the code `reach` may read a value's fields by names it computes, or all of
/// them at once: a subscript (`e[k]`), a loop over a map's keys and values, or a filter
/// that gives a map's keys, values, pairs, size or text. Such a template reads every
/// field, named or not.
pub(crate) fn dynamic(reach: &[&str]) -> bool {
    [
        "keys",
        "values",
        "pairs",
        "length",
        "str",
        "get",
        "json_encode",
    ]
    .iter()
    .any(|f| reads(reach, f))
        || reach.iter().any(|code| {
            code.contains('[')
                || code.lines().any(|l| {
                    // `for k, v in m`
                    let l = l.trim_start().trim_start_matches('-').trim_start();
                    l.starts_with("for ") && l.split(" in ").next().is_some_and(|h| h.contains(','))
                })
        })
}

/// The code of a Tera template: what is inside its `{{ }}` and `{% %}` tags, string
/// literals and all, a line each; its text and its `{# #}` comments left out. A tag
/// left open takes the rest of the template (Tera refused such a template already).
pub(crate) fn code(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'{', &b[i..]) {
        let open = i + p;
        let close = match b.get(open + 1) {
            Some(b'{') => b'}',
            Some(b'%') => b'%',
            Some(b'#') => {
                i = memchr::memmem::find(&b[open + 2..], b"#}").map_or(b.len(), |e| open + 4 + e);
                continue;
            }
            _ => {
                i = open + 1;
                continue;
            }
        };
        // To the closing `}}` or `%}` outside a string (which may hold one).
        let mut j = open + 2;
        let mut quote = None;
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if matches!(c, b'"' | b'\'' | b'`') => quote = Some(c),
                None if c == close && b.get(j + 1) == Some(&b'}') => break,
                None => {}
            }
            j += 1;
        }
        out.push_str(&text[open + 2..j]);
        out.push('\n');
        i = (j + 2).min(b.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_answer_as_reads_does() {
        let codes = [
            code("{{ e.phone }}{% for f in e.fields %}{{ f.label_text }}{% endfor %}"),
            code("{% if site.title %}{{ e.steps | join(sep=\"、\") }}{% endif %}{{ 电话 }}"),
        ];
        let reach: Vec<&str> = codes.iter().map(String::as_str).collect();
        let words = Words::new(&reach);
        for name in [
            "phone",
            "e",
            "f",
            "label",
            "label_text",
            "text",
            "fields",
            "steps",
            "join",
            "sep",
            "site",
            "title",
            "电话",
            "话",
            "",
            "e.phone",
            "phone ",
            "ph",
            "for",
        ] {
            assert_eq!(words.has(name), reads(&reach, name), "{name:?}");
        }
    }
    use crate::values::obj;

    fn globals(list: &str) -> Vec<(&'static str, Value)> {
        vec![
            ("site", obj([("title", Value::from("青禾县"))])),
            ("faqs", Value::from(vec![Value::from(list)])),
            ("figures", Value::from(vec![Value::from("低保标准")])),
        ]
    }

    const TEMPLATES: &[(&str, &str)] = &[
        (
            "base.html",
            "<title>{{ site.title }}</title>{% block main %}{% endblock %}",
        ),
        (
            "policy.html",
            "{% extends \"base.html\" %}{% block main %}{% include \"partials/faq.html\" %}{% endblock %}",
        ),
        (
            "partials/faq.html",
            "{% for f in faqs %}{{ f }}{% endfor %}",
        ),
        (
            "section.html",
            "{% extends \"base.html\" %}{{ figure(name=\"低保标准\") }}",
        ),
        ("tag.html", "{% extends \"base.html\" %}{{ section.title }}"),
    ];

    fn hashes(list: &str, templates: &[(&'static str, &'static str)]) -> Vec<u128> {
        let g = globals(list);
        let shared = Shared::new(templates.iter().copied(), &g, &Memo::default());
        let mut names: Vec<Option<&str>> = templates.iter().map(|&(n, _)| Some(n)).collect();
        names.push(None);
        names.into_iter().map(|n| shared.hash(n)).collect()
    }

    /// A site-wide value re-keys the templates that can name it, through `extends`
    /// and `include`, and no other.
    #[test]
    fn a_value_re_keys_only_the_templates_that_reach_it() {
        let before = hashes("怎样申请低保？", TEMPLATES);
        let after = hashes("低保怎样申请？", TEMPLATES);
        let changed: Vec<bool> = before.iter().zip(&after).map(|(a, b)| a != b).collect();
        // base, policy (includes the FAQ list), the list itself, section, tag, all.
        assert_eq!(changed, [false, true, true, false, false, true]);
    }

    /// `figure(...)` reads `figures`; a template source changed re-keys everything.
    #[test]
    fn the_figure_function_and_the_sources_count() {
        let g = globals("问");
        let mut other = globals("问");
        other[2].1 = Value::from(vec![Value::from("特困标准")]);
        let a = Shared::new(TEMPLATES.iter().copied(), &g, &Memo::default());
        let b = Shared::new(TEMPLATES.iter().copied(), &other, &Memo::default());
        assert_ne!(a.hash(Some("section.html")), b.hash(Some("section.html")));
        assert_eq!(a.hash(Some("tag.html")), b.hash(Some("tag.html")));
        let mut edited = TEMPLATES.to_vec();
        edited[0].1 = "<title>{{ site.title }}！</title>{% block main %}{% endblock %}";
        let c = Shared::new(edited.into_iter(), &g, &Memo::default());
        assert_ne!(a.hash(Some("tag.html")), c.hash(Some("tag.html")));
    }

    /// Only code counts, as whole words: the markup and the comments around it do not.
    #[test]
    fn a_template_names_what_its_code_names() {
        let t =
            "<section class=\"site\">{# faqs #}{{ page.title }}{%- if x == \"%}}\" ~ chapters -%}";
        let c = code(t);
        assert!(reads(&[&c], "page") && reads(&[&c], "chapters"), "{c}");
        assert!(!reads(&[&c], "section") && !reads(&[&c], "site") && !reads(&[&c], "faqs"));
        // Part of a longer name is not the name; a key in a string is.
        let c = code("{{ pages | length }}{{ page[\"words\"] }}");
        assert!(!reads(&[&c], "page_count") && reads(&[&c], "page") && reads(&[&c], "words"));
        assert!(!reads(&[&code("{{ pages }}")], "page"));
        // A tag or a comment left open takes the rest.
        assert!(reads(&[&code("text {{ site.title")], "site"));
        assert!(!reads(&[&code("{# {{ site }}")], "site"));
        // A section named only in the markup no longer keys a page by it.
        let g = vec![("section", Value::from("首页"))];
        let other = vec![("section", Value::from("健康"))];
        let html = [("p.html", "<section>{{ page.title }}</section>")];
        let a = Shared::new(html.iter().copied(), &g, &Memo::default());
        let b = Shared::new(html.iter().copied(), &other, &Memo::default());
        assert_eq!(a.hash(Some("p.html")), b.hash(Some("p.html")));
    }

    /// A template that dumps the whole context, or defines a component any template
    /// may use, makes every template reach every value.
    #[test]
    fn a_dump_or_a_component_reaches_everything() {
        for extra in [
            "{{ __tera_context }}",
            "{% component Faq(q) %}{{ q }}{% endcomponent %}",
        ] {
            let mut templates = TEMPLATES.to_vec();
            templates.push(("debug.html", extra));
            let before = hashes("怎样申请低保？", &templates);
            let after = hashes("低保怎样申请？", &templates);
            assert!(before.iter().zip(&after).all(|(a, b)| a != b), "{extra}");
        }
    }

    /// A template that may read fields by computed names reads them all; one that
    /// names its fields does not.
    #[test]
    fn fields_read_by_computed_names_are_found() {
        let dynamic = |t: &str| super::dynamic(&[code(t).as_str()]);
        for t in [
            "{% for k, v in e %}{{ k }}{% endfor %}",
            "{%- for k,v in e -%}{{ v }}{% endfor %}",
            "{{ e[name] }}",
            "{{ e | keys | join(sep=\",\") }}",
            "{% for p in e | pairs %}{{ p }}{% endfor %}",
            "{{ e | length }}",
            "{{ e | get(key=k) }}",
        ] {
            assert!(dynamic(t), "{t}");
        }
        for t in [
            "{% for f in e.fields %}{{ f.label }}{% endfor %}",
            "{{ e.title }} [{{ e.phone }}]",
            "{# e[k] #}{{ e.summary }}",
        ] {
            assert!(!dynamic(t), "{t}");
        }
    }
}
