//! The words mingbai says to editors, in one catalogue per language: Fluent files
//! `i18n/zh-CN/main.ftl` and `i18n/en/main.ftl`, compiled into the binary. Chinese is
//! the default; English when the locale asks for it (`MINGBAI_LANG=en`, or `LC_ALL`,
//! `LC_MESSAGES`, `LANG` starting with `en`, checked in that order).
//!
//! Messages are looked up with [`tr!`]: `tr!("entry-unknown-key", key = k)`.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

const ZH_FTL: &str = include_str!("../i18n/zh-CN/main.ftl");
const EN_FTL: &str = include_str!("../i18n/en/main.ftl");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Zh,
    En,
}

/// The language messages are shown in, decided once per run.
pub(crate) fn lang() -> Lang {
    static LANG: OnceLock<Lang> = OnceLock::new();
    *LANG.get_or_init(|| {
        // Unit tests assert the default (Chinese) whatever the developer's locale.
        if cfg!(test) {
            Lang::Zh
        } else {
            lang_from(|k| std::env::var(k).ok())
        }
    })
}

/// The language the environment asks for: `MINGBAI_LANG` first, then the POSIX
/// locale variables in their order of precedence; Chinese unless one says English.
pub(crate) fn lang_from(var: impl Fn(&str) -> Option<String>) -> Lang {
    for key in ["MINGBAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        let Some(v) = var(key).filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let v = v.trim().to_ascii_lowercase();
        // The first variable that is set decides (as POSIX does): LC_ALL=zh_CN.UTF-8
        // wins over LANG=en_US.UTF-8. "C"/"POSIX" say nothing about language.
        if v == "c" || v == "posix" || v.starts_with("c.") {
            continue;
        }
        return if v.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        };
    }
    Lang::Zh
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> &'static Bundle {
    static BUNDLES: OnceLock<(Bundle, Bundle)> = OnceLock::new();
    let (zh, en) = BUNDLES.get_or_init(|| (make("zh-CN", ZH_FTL), make("en", EN_FTL)));
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn make(locale: &str, ftl: &'static str) -> Bundle {
    let res = FluentResource::try_new(ftl.to_string())
        .unwrap_or_else(|(_, e)| panic!("i18n/{locale}/main.ftl does not parse: {e:?}"));
    let mut b = FluentBundle::new_concurrent(vec![locale.parse().expect("a valid locale")]);
    // No Unicode isolation marks around arguments: terminals show them as boxes,
    // and file paths and keys in messages are never right-to-left.
    b.set_use_isolating(false);
    b.add_resource(res)
        .unwrap_or_else(|e| panic!("i18n/{locale}/main.ftl: {e:?}"));
    b
}

/// The message `id` in the run's language, with `args` filled in.
pub(crate) fn t(id: &str, args: &[(&str, String)]) -> String {
    t_in(lang(), id, args)
}

/// The message `id` in `lang`. An id missing from the catalogue (a test catches that)
/// shows as the id itself rather than stopping the run.
pub(crate) fn t_in(lang: Lang, id: &str, args: &[(&str, String)]) -> String {
    let b = bundle(lang);
    let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fa = FluentArgs::new();
    for (k, v) in args {
        fa.set(*k, FluentValue::from(v.as_str()));
    }
    let mut errors = Vec::new();
    b.format_pattern(pattern, Some(&fa), &mut errors)
        .into_owned()
}

/// `tr!("id")` or `tr!("id", name = value, …)`: the message in the run's language;
/// each value is anything that implements `Display`.
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::t($id, &[])
    };
    ($id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::t($id, &[$((stringify!($k), ($v).to_string())),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(ftl: &str) -> BTreeSet<String> {
        ftl.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .collect()
    }

    #[test]
    fn both_catalogues_hold_the_same_ids() {
        let zh = ids(ZH_FTL);
        let en = ids(EN_FTL);
        assert!(zh.len() > 50, "{}", zh.len());
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty(), "only in zh-CN: {only_zh:?}");
        assert!(only_en.is_empty(), "only in en: {only_en:?}");
        // Every id parses and formats in both (a stray brace would fail here).
        for id in &zh {
            assert_ne!(&t_in(Lang::Zh, id, &[]), id);
            assert_ne!(&t_in(Lang::En, id, &[]), id);
        }
    }

    #[test]
    fn every_id_used_in_code_exists() {
        let zh = ids(ZH_FTL);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut used = 0;
        for item in walkdir::WalkDir::new(&root) {
            let item = item.unwrap();
            if item.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            // This file's own docs and tests name ids that are not messages.
            if item.path().ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(item.path()).unwrap();
            for (at, _) in text.match_indices("tr!(\"") {
                // `include_str!("…")` is not a message.
                if text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let rest = &text[at + 5..];
                let id = &rest[..rest.find('"').unwrap()];
                used += 1;
                if !zh.contains(id) {
                    missing.push(format!("{}: {id}", item.path().display()));
                }
            }
        }
        assert!(used > 50, "{used}");
        assert!(missing.is_empty(), "ids not in the catalogue: {missing:?}");
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let s = t_in(Lang::En, "unknown-key", &[("key", "amout".into())]);
        assert_eq!(s, "unknown key `amout`");
        let s = t_in(Lang::Zh, "unknown-key", &[("key", "amout".into())]);
        assert!(s.contains("amout") && !s.contains('\u{2068}'), "{s}");
    }

    #[test]
    fn locale_decides_the_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(lang_from(env(&[])), Lang::Zh);
        assert_eq!(lang_from(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(lang_from(env(&[("LANG", "C.UTF-8")])), Lang::Zh);
        assert_eq!(lang_from(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            lang_from(env(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(
            lang_from(env(&[("MINGBAI_LANG", "en"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(lang_from(env(&[("LC_MESSAGES", "en_GB")])), Lang::En);
    }
}
