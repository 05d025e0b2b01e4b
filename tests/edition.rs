//! Yearly editions (issue 19): `mingbai diff` between two editions of the sample
//! handbook, and a build with `[edition]` writing the 修订说明 page, the 修订对照表
//! PDF, the 新/改 marks on pages and cards, and the list of cards to reprint.
//!
//! The second edition is tests/fixtures/edition2 laid over the sample: a policy added,
//! one withdrawn, two amounts changed (through figures), an office moved.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_tree, fixtures, mingbai, read, stderr};

/// The sample handbook (content, themes, site.toml) copied to `to`.
fn sample_into(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "themes"] {
        copy_tree(&repo.join(part), &to.join(part));
    }
    std::fs::copy(repo.join("site.toml"), to.join("site.toml")).unwrap();
}

/// Turns the sample at `root` into its second edition.
fn second_edition(root: &Path) {
    let e2 = fixtures().join("edition2");
    copy_tree(&e2.join("content"), &root.join("content"));
    for line in std::fs::read_to_string(e2.join("WITHDRAWN"))
        .unwrap()
        .lines()
    {
        if !line.starts_with('#') && !line.trim().is_empty() {
            std::fs::remove_file(root.join(line.trim())).unwrap();
        }
    }
}

/// `old/` (the sample) and `new/` (its second edition) side by side.
fn editions() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    sample_into(&old);
    sample_into(&new);
    second_edition(&new);
    (dir, old, new)
}

fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(o.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&o.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The cards to print as (id, action), from reprint JSON.
fn cards(json: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected_cards() -> Vec<(String, String)> {
    [
        ("doudi/kangfu", "新印"),
        ("doudi/dibao", "重印"),
        ("xindai/xiaoe", "重印"),
        ("zhufang/weifang", "重印"),
        ("wenda/daikuan-diya", "重印"),
        ("wenda/dibao-tiaojian", "重印"),
        ("jiuye/jiaotong-2021", "收回"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .to_vec()
}

#[test]
fn diff_lists_new_withdrawn_and_changed_field_by_field() {
    let (_dir, _old, new) = editions();
    let o = mingbai(&new, &["diff", "../old", "."]);
    common::assert_ok(&o);
    let t = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        t.contains("新增（1）\n  + 政策「残疾儿童康复救助」 doudi/kangfu"),
        "{t}"
    );
    assert!(
        t.contains("废止（1）\n  - 政策「外出务工一次性交通补助（2021年版）」"),
        "{t}"
    );
    assert!(t.contains("数字 max：5万元 → 6万元"), "{t}");
    assert!(
        t.contains("数字 年标准：每人每年6000元 → 每人每年6240元"),
        "{t}"
    );
    assert!(
        t.contains("办理地点：户籍所在村委会；乡镇规划建设办；青禾县住房和城乡建设局村镇建设股（县城建设路88号） → "),
        "{t}"
    );
    // Unchanged entries are not listed.
    assert!(!t.contains("jiaoyu/yulu"), "{t}");
    let o = mingbai(&new, &["diff", "../old", ".", "--json"]);
    common::assert_ok(&o);
    let json = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(cards(&json), expected_cards());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["added"][0]["id"], "doudi/kangfu");
    assert_eq!(v["withdrawn"][0]["id"], "jiuye/jiaotong-2021");
}

#[test]
fn diff_against_a_git_revision() {
    if common::windows_exe() {
        // The Wine prefix has no git for Windows (mingbai says so in Chinese).
        eprintln!("skipped under Wine: no git for Windows there");
        return;
    }
    let (_dir, old, _new) = editions();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(&old)
            .output()
            .expect("git");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "2026年版"]);
    git(&["tag", "v2026"]);
    // The folder becomes the second edition; the first is only in git now.
    second_edition(&old);
    let o = mingbai(&old, &["diff", "v2026", ".", "--json"]);
    common::assert_ok(&o);
    assert_eq!(cards(&String::from_utf8_lossy(&o.stdout)), expected_cards());
    // A name that is neither a folder nor a revision says so, in Chinese.
    let o = mingbai(&old, &["diff", "v2025", "."]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("找不到上一版「v2025」"), "{e}");
}

#[test]
fn build_with_edition_writes_page_pdf_marks_and_reprint_list() {
    let (_dir, _old, new) = editions();
    let toml = read(&new, "site.toml") + "\n[edition]\nprevious = \"../old\"\n";
    std::fs::write(new.join("site.toml"), toml).unwrap();
    let o = mingbai(&new, &["build"]);
    common::assert_ok(&o);
    let check = mingbai(&new, &["check"]);
    assert!(!stderr(&check).contains("口径不一致"), "{}", stderr(&check));

    // The 修订说明 page.
    let page = read(&new, "public/xiuding/index.html");
    assert!(page.contains("新增 1 项，废止 1 项，修改 8 项"), "{page}");
    assert!(
        page.contains("href=\"../doudi/kangfu/\">残疾儿童康复救助</a>"),
        "{page}"
    );
    assert!(page.contains("外出务工一次性交通补助（2021年版）"));
    assert!(page.contains("<td>数字 max</td><td><del>5万元</del></td><td><ins>6万元</ins></td>"));
    assert!(page.contains("（县城建设路88号）</del>"));
    assert!(page.contains("（县政务服务中心三楼 21 号窗口）</ins>"));
    // Every page links to it.
    assert!(read(&new, "public/index.html").contains("href=\"./xiuding/\">修订说明</a>"));

    // The 修订对照表 PDF.
    let table = pdf_text(&new.join("public/print/xiuding.pdf"));
    for s in [
        "修订对照表",
        "项目上一版本版",
        "数字max5万元6万元",
        "县城建设路88号",
        "县政务服务中心三楼21号窗口",
        "残疾儿童康复救助",
        "收回外出务工一次性交通补助",
    ] {
        assert!(table.contains(s), "修订对照表 lacks {s}: {table}");
    }

    // Marks: 改 and 新 on changed and new entries' pages and cards, none elsewhere.
    let mark = |rel: &str| read(&new, &format!("public/{rel}/index.html"));
    assert!(mark("xindai/xiaoe").contains("badge-changed"));
    assert!(mark("wenda/daikuan-diya").contains("badge-changed"));
    assert!(mark("doudi/kangfu").contains("badge-new"));
    assert!(!mark("jiaoyu/yulu").contains("badge-changed"));
    assert!(!mark("jiaoyu/yulu").contains("badge-new"));
    let card = |id: &str| pdf_text(&new.join(format!("public/print/cards/{id}.pdf")));
    assert!(card("xindai/xiaoe").contains("【改】"));
    assert!(card("wenda/dibao-tiaojian").contains("【改】"));
    assert!(card("doudi/kangfu").contains("【新】"));
    assert!(!card("jiaoyu/yulu").contains("【改】"));
    assert!(
        !new.join("public/print/cards/jiuye/jiaotong-2021.pdf")
            .exists()
    );

    // The reprint list, machine-readable.
    assert_eq!(
        cards(&read(&new, "public/print/reprint.json")),
        expected_cards()
    );
}

#[test]
fn unknown_previous_edition_is_an_error_in_chinese() {
    let (_dir, _old, new) = editions();
    let toml = read(&new, "site.toml") + "\n[edition]\nprevious = \"../2025版\"\n";
    std::fs::write(new.join("site.toml"), toml).unwrap();
    let o = mingbai(&new, &["check"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("找不到上一版「../2025版」"), "{e}");
    assert!(e.contains("site.toml"), "{e}");
}

/// `mingbai watch` keeps the 修订说明 and the marks up to date while the new edition is
/// edited (the previous edition is loaded once).
#[test]
fn watch_updates_the_revision_while_editing() {
    let (_dir, old, new) = editions();
    let toml = read(&new, "site.toml") + "\n[edition]\nprevious = \"../old\"\n";
    std::fs::write(new.join("site.toml"), toml).unwrap();
    let mut child = common::command()
        .args(["watch", "--no-print"])
        .current_dir(&new)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start mingbai watch");
    let page = new.join("public/xiuding/index.html");
    let wait = |what: &str, ok: &dyn Fn(&str) -> bool| {
        let start = std::time::Instant::now();
        loop {
            if std::fs::read_to_string(&page).is_ok_and(|p| ok(&p)) {
                return;
            }
            if start.elapsed() > std::time::Duration::from_secs(120) {
                panic!("timed out waiting until {what}");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    wait("the first build", &|p| p.contains("修改 8 项"));
    assert!(read(&new, "public/zhufang/weifang/index.html").contains("badge-changed"));
    // The office moves back: 危房改造 is no longer changed.
    let first = read(&old, "content/zhufang/weifang.md");
    std::fs::write(new.join("content/zhufang/weifang.md"), first).unwrap();
    wait("the rebuild", &|p| p.contains("修改 7 项"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(!read(&new, "public/zhufang/weifang/index.html").contains("badge-changed"));
}
