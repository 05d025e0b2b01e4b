//! `mingbai build` and `check` on the good fixture site and on the sample handbook.

mod common;
use common::*;

#[test]
fn good_site_builds_every_page() {
    let dir = site("good");
    let root = dir.path();
    let out = mingbai(root, &["build"]);
    common::assert_ok(&out);
    for page in [
        "index.html",
        "jinrong/index.html",
        "jinrong/xiaoe/index.html",
        "jinrong/xudai/index.html",
        "jiaoyu/yulu/index.html",
        "wenda/index.html",
        "wenda/daikuan/index.html",
        "wenda/yulu/index.html",
        "tags/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "style.css",
        "site.js",
        "extra.css",
    ] {
        assert!(root.join("public").join(page).is_file(), "missing {page}");
    }
    // Nothing is left of the staging folder.
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("tmp-build"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn policy_page_shows_field_box_and_content() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    let html = read(root, "public/jinrong/xiaoe/index.html");
    assert!(html.contains("<h1>脱贫人口小额信贷</h1>"));
    // The field box, in order, with values.
    let order = [
        "补助对象",
        "补助标准",
        "申请条件",
        "办理流程",
        "所需材料",
        "办理地点",
        "咨询电话",
        "政策依据",
        "有效期",
    ];
    let mut at = 0;
    for label in order {
        let i = html[at..]
            .find(&format!("<dt>{label}</dt>"))
            .unwrap_or_else(|| panic!("no {label}"));
        at += i;
    }
    assert!(html.contains("5万元以下，期限3年以内，财政全额贴息"));
    assert!(html.contains("<li>乡镇审核</li>"));
    // Digits only: a dialler takes them whatever the field's dashes.
    assert!(html.contains("<a class=\"tel\" href=\"tel:07186620607\">0718-6620607</a>"));
    assert!(html.contains("2025-01-01 起施行"));
    // Readable anchors for Chinese headings; table of contents links them.
    assert!(html.contains("<h2 id=\"一-政策要点\">"));
    assert!(html.contains("href=\"#一-政策要点\""));
    // The FAQ that cites it.
    assert!(html.contains("贷款5万元要不要抵押？"));
    // Reading time counts Chinese characters.
    assert!(html.contains("约 1 分钟读完"));
    // A field the entry does not have is not shown.
    let yulu = read(root, "public/jiaoyu/yulu/index.html");
    assert!(!yulu.contains("<dt>办理地点</dt>"));
    assert!(yulu.contains("<dt>补助标准</dt>"));
    assert!(yulu.contains("<table>") && yulu.contains("type=\"checkbox\""));
}

#[test]
fn internal_links_resolve_to_relative_urls() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    let html = read(root, "public/jinrong/xiaoe/index.html");
    assert!(html.contains("href=\"../../jinrong/xudai/\""), "{html}");
    let old = read(root, "public/jinrong/xudai/index.html");
    assert!(
        old.contains(
            "href=\"../../jinrong/xiaoe/#%E4%B8%80-%E6%94%BF%E7%AD%96%E8%A6%81%E7%82%B9\""
        )
    );
    // Expired policies are marked on their page and in lists.
    assert!(old.contains("已失效") && old.contains("2025-12-31 失效"));
    let section = read(root, "public/jinrong/index.html");
    assert!(section.contains("badge-expired"));
}

#[test]
fn tag_pages_list_their_entries() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    // A slug from [tag_slugs]; other Chinese tags get a stable ASCII slug.
    let tag = read(root, "public/tags/jinrong/index.html");
    assert!(tag.contains("标签：金融"));
    for title in [
        "脱贫人口小额信贷",
        "小额信贷续贷和展期",
        "贷款5万元要不要抵押？",
    ] {
        assert!(tag.contains(title), "{title}");
    }
    assert!(!tag.contains("雨露计划职业教育补助"));
    let all = read(root, "public/tags/index.html");
    assert!(all.contains("过渡期政策") && all.contains("学生"));
    let dirs: Vec<String> = std::fs::read_dir(root.join("public/tags"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(dirs.iter().all(|d| d.is_ascii()), "{dirs:?}");
    assert_eq!(dirs.len(), 5, "{dirs:?}"); // 4 tags + index.html
}

#[test]
fn sitemap_and_feed() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    let sitemap = read(root, "public/sitemap.xml");
    for url in [
        "https://example.org/ceshi/",
        "https://example.org/ceshi/jinrong/xiaoe/",
        "https://example.org/ceshi/wenda/yulu/",
        "https://example.org/ceshi/tags/jinrong/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
    assert!(sitemap.contains("<lastmod>2026-10-01</lastmod>"));
    let feed = read(root, "public/atom.xml");
    assert!(feed.starts_with("<?xml"));
    // Newest first: reviewed 2026-10-01, then effective 2025-09-01, then 2024-03-01.
    let a = feed.find("脱贫人口小额信贷").unwrap();
    let b = feed.find("雨露计划职业教育补助").unwrap();
    let c = feed.find("小额信贷续贷和展期").unwrap();
    assert!(a < b && b < c);
    assert!(feed.contains("<updated>2026-10-01T00:00:00+08:00</updated>"));
}

#[test]
fn site_templates_and_static_override_the_theme() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    let html = read(root, "public/jinrong/xiaoe/index.html");
    assert!(html.contains("class=\"tags site-override\">本站标签："));
    assert_eq!(
        read(root, "public/extra.css"),
        "/* site's own stylesheet */\n"
    );
}

#[test]
fn not_found_page_uses_absolute_links() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    let html = read(root, "public/404.html");
    assert!(html.contains("href=\"/ceshi/style.css\""));
}

#[test]
fn output_option_and_check_write_where_told() {
    let dir = site("good");
    let root = dir.path();
    let out = mingbai(root, &["check"]);
    common::assert_ok(&out);
    assert!(!root.join("public").exists(), "check writes nothing");
    // The expired policy and the FAQ citing it are fine, but check warns about expiry.
    assert!(
        stderr(&out).contains("已于 2025-12-31 失效"),
        "{}",
        stderr(&out)
    );
    assert!(!mingbai(root, &["check", "--strict"]).status.success());
    let o = mingbai(root, &["build", "--output", "elsewhere"]);
    common::assert_ok(&o);
    assert!(root.join("elsewhere/index.html").is_file());
}

#[test]
fn init_makes_a_handbook_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = mingbai(dir.path(), &["init", "new-handbook"]);
    common::assert_ok(&o);
    let root = dir.path().join("new-handbook");
    let o = mingbai(&root, &["check"]);
    common::assert_ok(&o);
    // Its placeholders (example.org, 0000-0000000) must be replaced before printing.
    let o = mingbai(&root, &["check", "--strict"]);
    assert!(!o.status.success(), "{}", stderr(&o));
    let o = mingbai(&root, &["build"]);
    common::assert_ok(&o);
    assert!(read(&root, "public/jinrong/xiaoe/index.html").contains("两免贷款"));
    // init refuses to write into a folder that has things in it.
    assert!(
        !mingbai(dir.path(), &["init", "new-handbook"])
            .status
            .success()
    );
}

#[test]
fn sample_handbook_checks_clean_and_every_entry_has_a_page() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = mingbai(root, &["check"]);
    common::assert_ok(&o);
    assert!(!stderr(&o).contains("错误"), "{}", stderr(&o));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let o = mingbai(root, &["build", "--output", target.to_str().unwrap()]);
    common::assert_ok(&o);
    let mut entries = 0;
    for item in walkdir::WalkDir::new(root.join("content")) {
        let item = item.unwrap();
        let name = item.file_name().to_string_lossy();
        if !name.ends_with(".md") || name == "_index.md" {
            continue;
        }
        let id = item
            .path()
            .strip_prefix(root.join("content"))
            .unwrap()
            .with_extension("");
        assert!(
            target.join(&id).join("index.html").is_file(),
            "no page for {}",
            id.display()
        );
        entries += 1;
    }
    assert!(entries >= 50, "{entries}");
}

/// `--strict` renders once: every stage of `check --strict` and `build --strict` (pages,
/// search, each print step) runs exactly once, though the warnings fail the run, and the
/// failed build leaves no output behind.
#[test]
fn strict_check_and_build_do_the_work_once() {
    let dir = site("good");
    let root = dir.path();
    for command in ["check", "build"] {
        let o = mingbai(root, &[command, "--strict", "--timings"]);
        let e = stderr(&o);
        assert!(!o.status.success(), "{command} --strict passed:\n{e}");
        for stage in [
            "content",
            "html",
            "search",
            "print",
            "layout",
            "card pdfs",
            "handbook",
        ] {
            let runs = e
                .lines()
                .filter(|l| {
                    l.trim_start()
                        .strip_prefix(stage)
                        .is_some_and(|r| r.starts_with("  "))
                })
                .count();
            assert_eq!(
                runs, 1,
                "{command} --strict: stage `{stage}` ran {runs} times:\n{e}"
            );
        }
    }
    assert!(
        !root.join("public").exists(),
        "a failed strict build wrote its output"
    );
}

/// Search can be left out for one build (`--no-search`) or for good (`[search] enabled =
/// false`): no index files, no search page, no search box on the pages.
#[test]
fn search_can_be_turned_off() {
    let dir = site("good");
    let root = dir.path();
    let o = mingbai(root, &["build", "--no-print"]);
    common::assert_ok(&o);
    assert!(root.join("public/search/index.html").is_file());
    assert!(read(root, "public/index.html").contains("/search/"));
    let off = |root: &std::path::Path| {
        assert!(
            !root.join("public/search").exists(),
            "search files published"
        );
        assert!(
            !read(root, "public/index.html").contains("search/"),
            "search box shown"
        );
    };
    let o = mingbai(root, &["build", "--no-print", "--no-search"]);
    common::assert_ok(&o);
    off(root);
    let toml = read(root, "site.toml") + "\n[search]\nenabled = false\n";
    std::fs::write(root.join("site.toml"), toml).unwrap();
    let o = mingbai(root, &["build", "--no-print"]);
    common::assert_ok(&o);
    off(root);
}

/// One `--root` for every command, before or after the command's name.
#[test]
fn root_is_one_option_for_every_command() {
    let dir = site("good");
    let root = dir.path().to_str().unwrap().to_string();
    let elsewhere = tempfile::tempdir().unwrap();
    for args in [
        vec!["--root", root.as_str(), "check"],
        vec!["check", "--root", root.as_str()],
        vec!["--root", root.as_str(), "build", "--no-print"],
        vec!["--root", root.as_str(), "init", "second"],
    ] {
        let o = mingbai(elsewhere.path(), &args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    assert!(dir.path().join("public/index.html").is_file());
    assert!(
        dir.path().join("second/site.toml").is_file(),
        "init DIR is under --root"
    );
}
