//! Bad input: each fixture under tests/fixtures/bad/ is laid over the good site. The
//! error must name the file and line, and the previous public/ must stay untouched.

mod common;
use common::*;

/// Builds the good site, lays `case` over it, builds again; returns stderr of the
/// failed build after checking the old output survived byte for byte.
fn fails(case: &str) -> String {
    let dir = site("good");
    let root = dir.path();
    let first = mingbai(root, &["build"]);
    common::assert_ok(&first);
    let before = snapshot(&root.join("public"));
    copy_tree(&fixtures().join("bad").join(case), root);
    let out = mingbai(root, &["build"]);
    assert!(!out.status.success(), "{case}: build should fail");
    assert_eq!(out.status.code(), Some(1));
    let after = snapshot(&root.join("public"));
    assert!(
        before == after,
        "{case}: public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        // Build folders left beside the output; the card cache the good build made is
        // meant to stay.
        .filter(|n| n.starts_with('.') && n != ".mingbai-cache")
        .collect();
    assert!(leftovers.is_empty(), "{case}: {leftovers:?}");
    // check finds the same problem.
    let check = mingbai(root, &["check"]);
    assert!(!check.status.success(), "{case}: check should fail");
    stderr(&out)
}

#[test]
fn broken_toml() {
    let e = fails("broken_toml");
    assert!(e.contains("设置的写法不对"), "{e}");
    assert!(e.contains("--> content/jinrong/xudai.md:3:"), "{e}");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let e = fails("unknown_key");
    assert!(e.contains("不认识的字段「amout」"), "{e}");
    assert!(e.contains("--> content/jinrong/xudai.md:4:1"), "{e}");
    assert!(e.contains("是不是「amount」？"), "{e}");
}

#[test]
fn missing_required_field() {
    let e = fails("missing_required");
    assert!(e.contains("缺少必填的字段「summary」"), "{e}");
    assert!(e.contains("--> content/jiaoyu/yulu.md:1:1"), "{e}");
}

#[test]
fn duplicate_id() {
    let e = fails("duplicate_id");
    assert!(e.contains("两个条目的 id 都是「jiaoyu/yulu」"), "{e}");
    assert!(e.contains("content/jiaoyu/copy.md:2:6"), "{e}");
    assert!(e.contains("content/jiaoyu/yulu.md"), "{e}");
}

#[test]
fn unresolved_internal_link() {
    let e = fails("unresolved_link");
    assert!(
        e.contains("链接「@/jiaoyu/zhuxue.md」指向的条目不存在"),
        "{e}"
    );
    assert!(e.contains("--> content/jiaoyu/yulu.md:8:"), "{e}");
}

#[test]
fn faq_citing_unknown_policy() {
    let e = fails("faq_unknown_policy");
    assert!(e.contains("问答引用的政策「jinrong/xiaoe2」不存在"), "{e}");
    assert!(e.contains("--> content/wenda/daikuan.md:4:13"), "{e}");
    assert!(e.contains("是不是「jinrong/xiaoe」？"), "{e}");
}

#[test]
fn faq_citing_a_policy_by_its_name_or_alias() {
    let e = fails("faq_policy_by_name");
    for (name, col) in [("脱贫人口小额信贷", 13), ("两免贷款", 25)] {
        assert!(
            e.contains(&format!("「{name}」是政策的名称：policies 里要写政策的 id")),
            "{e}"
        );
        assert!(
            e.contains(&format!("--> content/wenda/daikuan.md:4:{col}")),
            "{e}"
        );
    }
    assert_eq!(e.matches("改成 \"jinrong/xiaoe\"").count(), 2, "{e}");
}

#[test]
fn tera_syntax_error_in_template() {
    let e = fails("tera_syntax");
    assert!(e.contains("模板有错"), "{e}");
    assert!(e.contains("--> templates/policy.html:6:"), "{e}");
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let dir = site("good");
    let root = dir.path();
    for case in ["unknown_key", "missing_required", "faq_unknown_policy"] {
        copy_tree(&fixtures().join("bad").join(case), root);
    }
    let out = mingbai(root, &["build"]);
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(e.contains("不认识的字段「amout」"), "{e}");
    assert!(e.contains("缺少必填的字段「summary」"), "{e}");
    // Site-level checks still run when some files failed to parse.
    assert!(e.contains("问答引用的政策「jinrong/xiaoe2」不存在"), "{e}");
    assert!(e.contains("3 个错误"), "{e}");
    assert!(!root.join("public").exists());
}
