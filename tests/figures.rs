//! Named figures and the 口径 check (issue 19), end to end through the binary: a figure
//! changed in one place changes every page and card, references to unknown figures
//! stop the build, and amounts written by hand that disagree are warned about.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_tree, mingbai, read, site, stderr};

/// The 口径 warnings of a `check` run, one string each.
fn koujing_warnings(root: &Path) -> Vec<String> {
    let o = mingbai(root, &["check"]);
    common::assert_ok(&o);
    stderr(&o)
        .split("\n\n")
        .filter(|w| w.contains("口径不一致"))
        .map(str::to_string)
        .collect()
}

#[test]
fn check_warns_exactly_on_the_contradicting_statements() {
    let dir = site("koujing");
    let w = koujing_warnings(dir.path());
    assert_eq!(w.len(), 2, "{w:#?}");
    // The FAQ answer says 3万元; the figure is 5万元.
    let faq = w
        .iter()
        .find(|w| w.contains("3万元"))
        .expect("3万元 warned");
    assert!(faq.contains("content/wenda/daikuan.md:3:24"), "{faq}");
    assert!(
        faq.contains("max = 「5万元」（content/xindai/xiaoe.md:8:7）"),
        "{faq}"
    );
    // The chapter introduction says 一万元; the figure is 10400元.
    let intro = w
        .iter()
        .find(|w| w.contains("一万元"))
        .expect("一万元 warned");
    assert!(intro.contains("content/zhufang/_index.md:7:9"), "{intro}");
    assert!(
        intro.contains("标准 = 「10400元」（content/zhufang/weifang.md:7:8）"),
        "{intro}"
    );
    // What the hint offers to write instead.
    assert!(faq.contains("{{脱贫人口小额信贷.max}}"), "{faq}");
}

#[test]
fn check_is_quiet_once_the_statements_agree() {
    let dir = site("koujing");
    let faq = dir.path().join("content/wenda/daikuan.md");
    let text = read(dir.path(), "content/wenda/daikuan.md").replace("3万元", "五万元");
    std::fs::write(&faq, text).unwrap();
    let intro = dir.path().join("content/zhufang/_index.md");
    let text = read(dir.path(), "content/zhufang/_index.md").replace("一万元", "{{危房改造.标准}}");
    std::fs::write(&intro, text).unwrap();
    assert_eq!(koujing_warnings(dir.path()), Vec::<String>::new());
}

#[test]
fn unknown_figure_reference_is_a_located_error_with_did_you_mean() {
    let dir = site("koujing");
    let faq = dir.path().join("content/wenda/daikuan.md");
    let text = read(dir.path(), "content/wenda/daikuan.md")
        .replace("最多50000元", "最多{{小额信贷.mxa}}")
        .replace("期限三年", "期限{{小额信代.term}}");
    std::fs::write(&faq, text).unwrap();
    let o = mingbai(dir.path(), &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("政策「脱贫人口小额信贷」没有名为「mxa」的数字"),
        "{e}"
    );
    assert!(e.contains("它有的数字是：max、term"), "{e}");
    assert!(e.contains("没有叫「小额信代」的政策"), "{e}");
    assert!(e.contains("是不是「小额信贷」"), "{e}");
    assert!(e.contains("content/wenda/daikuan.md:7:7"), "{e}");
    assert!(e.contains("content/wenda/daikuan.md:7:33"), "{e}");
}

/// An entry that cannot be read takes its figures with it: a reference to them says
/// the name may be that file's, not only that it is wrong.
#[test]
fn a_reference_to_an_unreadable_entry_names_that_file() {
    let dir = site("koujing");
    let text = read(dir.path(), "content/xindai/xiaoe.md").replacen("+++", "---", 1);
    std::fs::write(dir.path().join("content/xindai/xiaoe.md"), text).unwrap();
    let o = mingbai(dir.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    let knock_on = e
        .split("\n\n")
        .find(|d| d.contains("没有叫「小额信贷」的政策"))
        .expect("the reference is an error");
    assert!(
        knock_on.contains("如果它是 content/xindai/xiaoe.md 里的政策：那个文件这次读不出来"),
        "{knock_on}"
    );
    assert!(e.contains("--> content/xindai/xiaoe.md:1:1"), "{e}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn template_function_reads_figures_and_rejects_unknown_names() {
    let dir = site("koujing");
    let t = dir.path().join("templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("index.html"),
        "<p id=\"f\">{{ figure(policy=\"两免贷款\", name=\"term\") }}</p>",
    )
    .unwrap();
    let o = mingbai(dir.path(), &["build"]);
    common::assert_ok(&o);
    assert!(read(dir.path(), "public/index.html").contains("<p id=\"f\">3年"));
    std::fs::write(
        t.join("index.html"),
        "<p>\n{{ figure(policy=\"两免贷款\", name=\"trem\") }}</p>",
    )
    .unwrap();
    let o = mingbai(dir.path(), &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("templates/index.html:2"), "{e}");
    assert!(e.contains("是不是「term」"), "{e}");
}

fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    // Lines break anywhere in Chinese text: join them.
    String::from_utf8_lossy(&o.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Every built page and card that shows 小额信贷's 额度, before and after the figure
/// changes from 5万元 to 6万元 in its one place.
#[test]
fn changing_one_figure_changes_every_page_and_card() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "themes"] {
        copy_tree(&repo.join(part), &dir.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    let pages = [
        "public/xindai/xiaoe/index.html",
        "public/xindai/xudai/index.html",
        "public/xindai/chuangye/index.html",
        "public/wenda/daikuan-diya/index.html",
    ];
    let cards = ["xindai/xiaoe", "wenda/daikuan-diya"];
    let shows = |amount: &str| {
        let o = mingbai(dir.path(), &["build"]);
        common::assert_ok(&o);
        for p in pages {
            let html = read(dir.path(), p);
            assert!(html.contains(amount), "{p} does not show {amount}");
        }
        for c in cards {
            let pdf = dir.path().join(format!("public/print/cards/{c}.pdf"));
            assert!(
                pdf_text(&pdf).contains(amount),
                "card {c} does not show {amount}"
            );
        }
        let book = pdf_text(&dir.path().join("public/print/handbook.pdf"));
        assert!(book.contains(amount), "handbook does not show {amount}");
        book
    };
    let before = shows("5万元");
    let policy = dir.path().join("content/xindai/xiaoe.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("max = \"5万元\"", "max = \"6万元\"")).unwrap();
    let after = shows("6万元");
    // Nothing still shows the old amount: no copy was left behind.
    // (防贫保险 has a 5万元 of its own, so the phrases of 小额信贷 are looked for.)
    assert!(before.contains("5万元以下") && before.contains("贷款5万元要不要抵押"));
    for old in ["5万元以下", "一般户最高5万元", "贷款5万元"] {
        assert!(!after.contains(old), "the handbook still says {old}");
    }
    for entry in walkdir::WalkDir::new(dir.path().join("public")) {
        let entry = entry.unwrap();
        // Pages, the search index, feeds and policies.json.
        let text_file = ["html", "js", "json", "xml"]
            .iter()
            .any(|x| entry.path().extension().is_some_and(|e| e == *x));
        if text_file {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let p = entry.path().display();
            assert!(!text.contains("5万元以下"), "{p} still says 5万元以下");
            assert!(!text.contains("{{"), "{p} shows a reference unexpanded");
        }
    }
    for c in cards {
        let pdf = dir.path().join(format!("public/print/cards/{c}.pdf"));
        assert!(
            !pdf_text(&pdf).contains("5万元"),
            "card {c} still says 5万元"
        );
    }
}
