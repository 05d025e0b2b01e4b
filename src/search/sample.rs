//! The index of the sample handbook in this repository (the content tests rely on),
//! queried as people type: Simplified, Traditional, pinyin and initials, ids.

use super::*;
use std::sync::OnceLock;

fn index() -> &'static (Index, Vec<String>) {
    static I: OnceLock<(Index, Vec<String>)> = OnceLock::new();
    I.get_or_init(|| {
        let site = Site::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("sample handbook loads");
        let ids = site.entries.iter().map(|n| n.entry.id.clone()).collect();
        (Index::build(docs(&site)), ids)
    })
}

fn hits(q: &str) -> Vec<(String, usize)> {
    let (idx, ids) = index();
    idx.query(q)
        .into_iter()
        .map(|(d, f)| (ids[d].clone(), f))
        .collect()
}

fn ids(q: &str) -> Vec<String> {
    hits(q).into_iter().map(|h| h.0).collect()
}

#[test]
fn microcredit_title_first() {
    let h = hits("小额信贷");
    assert_eq!(h[0], ("xindai/xiaoe".to_string(), TITLE), "{h:?}");
    assert!(h.len() >= 5, "{h:?}");
}

#[test]
fn alias_finds_the_policy() {
    let h = hits("两免贷款");
    assert_eq!(h[0], ("xindai/xiaoe".to_string(), TITLE), "{h:?}");
}

#[test]
fn other_policies_and_numbers() {
    assert_eq!(ids("先诊疗后付费")[0], "jiankang/xianzhenliao");
    assert!(ids("12317").contains(&"jiance/shibie".to_string()));
    assert!(ids("危房").contains(&"zhufang/weifang".to_string()));
    assert!(
        ids("0718-6620607").contains(&"xindai/xiaoe".to_string()),
        "{:?}",
        ids("0718-6620607")
    );
}

#[test]
fn one_character_query() {
    let h = ids("贷");
    assert!(h.contains(&"xindai/xiaoe".to_string()) && h.contains(&"xindai/chuangye".to_string()));
}

#[test]
fn query_across_a_line_break_in_the_source() {
    // content/zhufang/weifang.md has 危 at the end of one line and 房改造 on the next.
    let src = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/zhufang/weifang.md"),
    )
    .unwrap();
    assert!(
        src.contains("危\n房改造"),
        "the sample keeps its line break"
    );
    let h = hits("危房改造");
    assert!(h.iter().any(|(id, _)| id == "zhufang/weifang"), "{h:?}");
}

#[test]
fn must_not_match() {
    assert!(ids("信贷小额").is_empty(), "{:?}", ids("信贷小额"));
    assert!(ids("两免代款").is_empty());
    assert!(ids("12318").is_empty());
    assert!(ids("").is_empty());
}

#[test]
fn a_chapter_title_finds_its_entries() {
    // 常见问题 is the title of the wenda chapter; its entries do not say it.
    let h = hits("常见问题");
    let wenda: Vec<&(String, usize)> = h
        .iter()
        .filter(|(id, _)| id.starts_with("wenda/"))
        .collect();
    assert!(wenda.len() >= 20, "{h:?}");
    assert!(wenda.iter().all(|(_, f)| *f == SUMMARY), "{h:?}");
}

#[test]
fn traditional_characters_find_simplified_entries() {
    assert!(ids("脫貧人口小額信貸").first() == Some(&"xindai/xiaoe".to_string()));
    let loans = ids("貸款");
    assert_eq!(loans, ids("贷款"));
    assert!(loans.contains(&"xindai/xiaoe".to_string()), "{loans:?}");
    assert_eq!(ids("脫貧"), ids("脱贫"));
    assert!(!ids("脫貧").is_empty());
}

#[test]
fn pinyin_and_initials_of_names() {
    // xiaoe is also the entry's id: a character (title-field) hit, not a pinyin one.
    assert_eq!(hits("xiaoe")[0], ("xindai/xiaoe".to_string(), TITLE));
    assert!(hits("lmdk").contains(&("xindai/xiaoe".to_string(), PINYIN)));
    assert!(hits("liangmiandaikuan").contains(&("xindai/xiaoe".to_string(), PINYIN)));
    assert!(ids("xianzhenliao").contains(&"jiankang/xianzhenliao".to_string()));
    // The id as a whole and its chapter part.
    assert!(ids("xindai/xiaoe").contains(&"xindai/xiaoe".to_string()));
}

#[test]
fn pinyin_must_not_match() {
    for q in ["xiaoedai", "lmdkx", "qqqq", "x", "xindaixiaoezzz"] {
        assert!(ids(q).is_empty(), "{q}: {:?}", ids(q));
    }
}
