//! Unit tests of figure references and the 口径 check on small in-memory handbooks.

use std::sync::Arc;

use super::*;
use crate::content::Entry;

fn entry(path: &str, text: &str) -> Arc<Entry> {
    let src = Arc::new(SourceFile::new(
        format!("content/{path}.md"),
        text.to_string(),
    ));
    let section = path.split('/').next().unwrap_or("").to_string();
    let kind = if section == "wenda" {
        Some(crate::content::Kind::Faq)
    } else {
        None
    };
    Arc::new(Entry::parse(src, path.into(), section, kind).expect("parses"))
}

fn xiaoe() -> Arc<Entry> {
    entry(
        "xindai/xiaoe",
        "+++\ntitle = \"脱贫人口小额信贷\"\nsummary = \"可贷{{max}}以下\"\naliases = [\"小额信贷\", \"两免贷款\"]\n\n[figures]\nmax = \"5万元\"\nterm = \"3年\"\n+++\n额度{{max}}，期限{{小额信贷.term}}。\n",
    )
}

fn weifang() -> Arc<Entry> {
    entry(
        "zhufang/weifang",
        "+++\ntitle = \"农村危房改造补助\"\nsummary = \"补助\"\naliases = [\"危房改造\"]\n[figures]\n\"标准\" = \"10400元\"\n+++\n正文。\n",
    )
}

#[test]
fn references_expand_in_body_and_fields() {
    let e = xiaoe();
    let t = Table::new(std::slice::from_ref(&e));
    let mut d = Vec::new();
    let x = expand_entry(&t, &e, &mut d).expect("has references");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(x.body().trim(), "额度5万元，期限3年。");
    assert_eq!(x.policy().unwrap().summary, "可贷5万元以下");
}

#[test]
fn what_a_rendering_depends_on_is_noted_once_and_follows_the_expansion() {
    // A reference only in front matter still makes the file depend on other files.
    let e = weifang();
    assert!(!e.names_figures && !e.body_links);
    let x = entry(
        "xindai/a",
        "+++\ntitle = \"甲\"\nsummary = \"见{{危房改造.标准}}\"\n[figures]\n\"文件\" = \"@/zhufang/weifang.md\"\n+++\n见[危房](@/zhufang/weifang.md)。\n",
    );
    assert!(x.names_figures && x.body_links);
    let t = Table::new(&[weifang(), x.clone()]);
    let mut d = Vec::new();
    // A link made by the expansion makes the body one with a link.
    let y = entry(
        "xindai/b",
        "+++\ntitle = \"乙\"\nsummary = \"s\"\n+++\n见[文件]({{甲.文件}})。\n",
    );
    assert!(y.names_figures && !y.body_links);
    // The body is read where it lies in the file until the expansion gives it its own.
    assert!(y.own_body.is_none());
    assert_eq!(y.body(), "见[文件]({{甲.文件}})。\n");
    let expanded = expand_entry(&t, &y, &mut d).expect("has references");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(expanded.body().trim(), "见[文件](@/zhufang/weifang.md)。");
    assert!(expanded.body_links);
    assert!(expand_entry(&t, &e, &mut d).is_none());
}

#[test]
fn unknown_policy_or_figure_is_located_with_did_you_mean() {
    let e = xiaoe();
    let q = entry(
        "wenda/daikuan",
        "+++\ntitle = \"能贷多少？\"\nanswer = \"最多{{小额信代.max}}\"\npolicies = [\"xindai/xiaoe\"]\n+++\n期限{{小额信贷.trem}}。\n",
    );
    let t = Table::new(&[e, q.clone()]);
    let mut d = Vec::new();
    expand_entry(&t, &q, &mut d);
    let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    let body = text.iter().find(|s| s.contains("trem")).unwrap();
    assert!(body.contains("content/wenda/daikuan.md:6:3"), "{body}");
    assert!(body.contains("是不是「term」"), "{body}");
    let answer = text.iter().find(|s| s.contains("小额信代")).unwrap();
    assert!(answer.contains("content/wenda/daikuan.md:3:"), "{answer}");
    assert!(answer.contains("是不是「小额信贷」"), "{answer}");
}

#[test]
fn bare_name_in_a_faq_needs_one_cited_policy() {
    let e = xiaoe();
    let q = entry(
        "wenda/x",
        "+++\ntitle = \"问\"\nanswer = \"答\"\npolicies = [\"xindai/xiaoe\"]\n+++\n最多{{max}}。\n",
    );
    let t = Table::new(&[e, q.clone()]);
    let mut d = Vec::new();
    let x = expand_entry(&t, &q, &mut d).unwrap();
    assert!(d.is_empty());
    assert_eq!(x.body().trim(), "最多5万元。");
}

struct NoLinks;

impl crate::markdown::LinkResolver for NoLinks {
    fn resolve(&self, _: &str) -> Option<(String, String)> {
        None
    }
}

#[test]
fn link_errors_after_a_reference_keep_their_column() {
    let e = xiaoe();
    let t = Table::new(std::slice::from_ref(&e));
    let src = SourceFile::new(
        "content/a.md",
        "+++\n+++\n最多{{小额信贷.max}}，见[续贷](@/xindai/xudai.md)。\n".into(),
    );
    let mut d = Vec::new();
    let body = expand(&t, &src.text[8..], &[], &src, Origin::At(8), &mut d).unwrap();
    assert!(d.is_empty());
    let r = render_located(&src, &body, 8, &NoLinks, &mut d);
    assert!(r.plain().contains("最多5万元"), "{}", r.plain());
    assert_eq!(d.len(), 1);
    // 最多{{小额信贷.max}}，见[续贷]( is 21 characters as written (13 after expansion).
    assert!(d[0].to_string().contains("content/a.md:3:22"), "{}", d[0]);
}

#[test]
fn images_after_a_reference_are_located_as_written() {
    let e = xiaoe();
    let t = Table::new(std::slice::from_ref(&e));
    let src = SourceFile::new(
        "content/a.md",
        "+++\n+++\n最多{{小额信贷.max}}。\n\n![现场](p.jpg)\n".into(),
    );
    let mut d = Vec::new();
    let body = expand(&t, &src.text[8..], &[], &src, Origin::At(8), &mut d).unwrap();
    let r = render_located(&src, &body, 8, &NoLinks, &mut d);
    assert!(d.is_empty());
    assert_eq!(r.images.len(), 1);
    assert_eq!(&src.text[r.images[0].span.clone()], "p.jpg");
}

#[test]
fn places_in_an_expanded_body_map_back_to_the_body_as_written() {
    let raw = "标准{{a}}，即{{b}}{{c}}元。见图![x](p.jpg)，{{d";
    let expanded = "标准6000元，即50010元。见图![x](p.jpg)，{{d";
    for (at_x, at_raw) in [
        (0, 0),
        (expanded.find("6000").unwrap(), raw.find("{{a").unwrap()),
        (expanded.find("元，").unwrap(), raw.find("{{a").unwrap()),
        (expanded.find("，即").unwrap(), raw.find("，即").unwrap()),
        (expanded.find("500").unwrap(), raw.find("{{b").unwrap()),
        (expanded.find("10元").unwrap(), raw.find("{{b").unwrap()),
        (expanded.find("元。").unwrap(), raw.find("元。").unwrap()),
        (expanded.find("p.jpg").unwrap(), raw.find("p.jpg").unwrap()),
        (
            expanded.find("{{d").unwrap() + 1,
            raw.find("{{d").unwrap() + 1,
        ),
        (expanded.len(), raw.len()),
    ] {
        assert_eq!(written_at(raw, expanded, at_x), at_raw, "at {at_x}");
    }
    assert_eq!(written_at("同样", "同样", 3), 3);
    // Any pair, even one that does not match, gives a place in the body as written.
    let pieces = ["{{", "}}", "元", "a", "\n", "{", "}"];
    let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
    let mut text = |n: usize| -> String {
        (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect()
    };
    for n in 0..400 {
        let (raw, expanded) = (text(n % 23), text(n % 17));
        for at in 0..=expanded.len() {
            let k = written_at(&raw, &expanded, at);
            assert!(raw.is_char_boundary(k), "{raw:?} {expanded:?} {at}");
        }
    }
}

#[test]
fn figure_names_and_references_are_checked() {
    let src = Arc::new(SourceFile::new(
        "content/a/b.md",
        "+++\ntitle = \"x\"\nsummary = \"y\"\n[figures]\n\"a.b\" = \"1元\"\n+++\n".into(),
    ));
    let e = Entry::parse(src, "a/b".into(), "a".into(), None).unwrap_err();
    let s = e[0].to_string();
    assert!(s.contains("数字名称「a.b」不能用"), "{s}");
    assert!(s.contains("content/a/b.md:5:9"), "{s}");

    let t = Table::new(&[xiaoe()]);
    let q = entry(
        "wenda/y",
        "+++\ntitle = \"问\"\nanswer = \"答\"\n+++\n最多{{max}}，期限{{小额信贷.term\n",
    );
    let mut d = Vec::new();
    expand_entry(&t, &q, &mut d);
    let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(text[0].contains("没有说是哪项政策"), "{}", text[0]);
    assert!(text[0].contains("content/wenda/y.md:5:3"), "{}", text[0]);
    assert!(text[1].contains("后面没有「}}」"), "{}", text[1]);
    assert!(text[1].contains("content/wenda/y.md:5:13"), "{}", text[1]);
}

fn warnings(files: &[(&str, &str)]) -> Vec<String> {
    let chuangye = entry(
        "xindai/chuangye",
        "+++\ntitle = \"创业担保贷款\"\nsummary = \"创业\"\n+++\n",
    );
    let entries = vec![xiaoe(), weifang(), chuangye];
    let t = Table::new(&entries);
    files
        .iter()
        .flat_map(|(path, text)| {
            let src = SourceFile::new(*path, text.to_string());
            check::check_files(&t, std::iter::once(&src))
        })
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn check_warns_on_a_different_amount_with_both_locations() {
    let w = warnings(&[(
        "content/wenda/a.md",
        "+++\ntitle = \"问\"\n+++\n小额信贷最多能贷3万元。\n",
    )]);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("content/wenda/a.md:4:9"), "{}", w[0]);
    assert!(w[0].contains("3万元"), "{}", w[0]);
    assert!(w[0].contains("content/xindai/xiaoe.md:7:7"), "{}", w[0]);
}

#[test]
fn check_accepts_true_statements_in_other_units() {
    let w = warnings(&[(
        "content/wenda/b.md",
        "+++\ntitle = \"问\"\n+++\n两免贷款最多50000元，期限三年，也就是36个月；小额信贷五万元以下。\n\n危房改造每户一万零四百元。\n",
    )]);
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn check_reads_chinese_numerals_and_wrapped_lines() {
    let w = warnings(&[(
        "content/zhufang/_index.md",
        "+++\ntitle = \"住房\"\n+++\n危房\n改造每户补助一万元。\n",
    )]);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("content/zhufang/_index.md:5:7"), "{}", w[0]);
    assert!(w[0].contains("content/zhufang/weifang.md:6:8"), "{}", w[0]);
}

#[test]
fn check_skips_other_kinds_struck_text_references_and_people() {
    let w = warnings(&[(
        "content/a.md",
        "+++\ntitle = \"x\"\n+++\n小额信贷由~~2万元~~提高到{{小额信贷.max}}，年龄18至65周岁。\n\n危房改造户每户补助2万元。\n",
    )]);
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn check_gives_a_quantity_to_the_nearest_policy_named() {
    let w = warnings(&[(
        "content/a.md",
        "+++\ntitle = \"x\"\n+++\n小额信贷5万元，危房改造补助10400元。危房改造补助10400元，小额信贷3年。\n",
    )]);
    assert!(w.is_empty(), "{w:?}");
    // A number next to a policy without figures is that policy's.
    let w = warnings(&[(
        "content/a.md",
        "+++\ntitle = \"x\"\n+++\n小额信贷免担保，创业担保贷款个人最高20万元、期限2年。\n",
    )]);
    assert!(w.is_empty(), "{w:?}");
    let w = warnings(&[(
        "content/a.md",
        "+++\ntitle = \"x\"\n+++\n危房改造补助5万元，小额信贷10400元。\n",
    )]);
    assert_eq!(w.len(), 2, "{w:?}");
    let w = warnings(&[(
        "content/a.md",
        "+++\ntitle = \"x\"\n+++\n可贷3万元的小额信贷。基本标准每月650元（不低于危房改造的1.3倍）。\n",
    )]);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("3万元"), "{}", w[0]);
}
