//! Regression tests for issue 12 (found by a mutation fuzzer): inputs that lost data,
//! crashed, ran without bound or were blamed on the wrong file. Each asserts the
//! located error (or the right output), the exit code, and that the handbook's sources
//! and its public/ are byte for byte what they were.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{mingbai, site, snapshot, stderr};

/// A copy of the good fixture, built once so there is a public/ to protect.
fn built_site() -> tempfile::TempDir {
    let dir = site("good");
    let o = mingbai(dir.path(), &["build", "--no-print"]);
    common::assert_ok(&o);
    dir
}

/// Runs mingbai under a 2 GiB address-space limit and a CPU-time limit (util-linux
/// `prlimit`), returning its output and wall time.
fn limited(cwd: &Path, args: &[&str]) -> (Output, Duration) {
    // The binary under test (common::command: this build's, or MINGBAI_TEST_EXE's
    // through its runner), started by prlimit.
    let base = common::command();
    let mut c = Command::new("prlimit");
    c.args(["--as=2147483648", "--cpu=60", "--"])
        .arg(base.get_program())
        .args(base.get_args());
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    let t = Instant::now();
    let o = c
        .args(args)
        .current_dir(cwd)
        .env("MINGBAI_TODAY", "2026-11-22")
        .output()
        .expect("run prlimit (util-linux)");
    (o, t.elapsed())
}

/// Runs `args` on the site at `root`, which must fail with exit code 1, print every
/// one of `needles` and leave every file under `root` as it was.
fn refused(root: &Path, args: &[&str], needles: &[&str]) -> String {
    let before = snapshot(root);
    let (o, took) = limited(root, args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(snapshot(root) == before, "files changed:\n{err}");
    err
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    write(root, rel, &f(text));
}

// ---- Output safety -------------------------------------------------------------

#[test]
fn output_dir_content_is_refused() {
    let dir = built_site();
    let root = dir.path();
    edit(root, "site.toml", |t| {
        format!("output_dir = \"content\"\n{t}")
    });
    // check refuses it too: it is everything build checks.
    for cmd in ["build", "check"] {
        refused(
            root,
            &[cmd],
            &[
                "site.toml:1:14",
                "内容文件夹 content/",
                "output_dir = \"public\"",
            ],
        );
    }
    refused(
        root,
        &["build", "--output", "content"],
        &["--output content", "内容文件夹"],
    );
}

#[test]
fn output_holding_other_files_is_refused() {
    let dir = built_site();
    let root = dir.path();
    let docs = tempfile::tempdir().unwrap();
    let mydocs = docs.path().join("mydocs");
    write(&mydocs, "report.docx", "季度报告");
    let before = snapshot(docs.path());
    let target = mydocs.to_str().unwrap();
    refused(
        root,
        &["build", "--output", target],
        &["report.docx", "不是 mingbai 生成的"],
    );
    assert!(snapshot(docs.path()) == before, "report.docx is untouched");
    // A parent of the handbook, and a file.
    refused(root, &["build", "--output", ".."], &["包含了手册文件夹"]);
    refused(
        root,
        &["build", "--output", "site.toml"],
        &["site.toml 已经是一个文件"],
    );
    refused(
        root,
        &["build", "--output", "static/site"],
        &["静态文件夹 static/"],
    );
}

#[test]
fn a_site_of_an_older_mingbai_is_still_replaced() {
    let dir = built_site();
    let root = dir.path();
    // Sites built before the marker have none.
    std::fs::remove_file(root.join("public/.mingbai-output")).unwrap();
    let o = mingbai(root, &["build", "--no-print"]);
    common::assert_ok(&o);
    assert!(root.join("public/.mingbai-output").is_file());
    // A folder with only an index.html of someone's own is not taken for one.
    write(root, "mine/index.html", "<p>我的主页</p>");
    refused(root, &["build", "--output", "mine"], &["index.html"]);
}

#[test]
fn the_output_path_always_holds_a_whole_site() {
    let dir = built_site();
    let root = dir.path().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (root, stop) = (root.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut missing = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if !root.join("public/index.html").is_file() {
                    missing += 1;
                }
            }
            missing
        })
    };
    for _ in 0..20 {
        let o = mingbai(&root, &["build", "--no-print"]);
        common::assert_ok(&o);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        watcher.join().unwrap(),
        0,
        "public/ was missing during a swap"
    );
}

// ---- Deep nesting and runaway settings -----------------------------------------

#[test]
fn deep_block_quotes_are_a_located_error_in_bounded_time_and_memory() {
    for n in [2_000, 10_000] {
        let dir = built_site();
        let root = dir.path();
        edit(root, "content/jinrong/xiaoe.md", |t| {
            format!("{t}\n{} 深\n", ">".repeat(n))
        });
        for cmd in ["build", "check"] {
            // `refused` runs under prlimit and asserts the time and the snapshot.
            refused(
                root,
                &[cmd],
                &["content/jinrong/xiaoe.md:28:17", "超过 16 层"],
            );
        }
    }
}

#[test]
fn a_deep_save_does_not_kill_watch() {
    use std::io::{BufRead, BufReader};
    let dir = built_site();
    let root = dir.path();
    let mut child = common::command()
        .args(["watch"])
        .current_dir(root)
        .env("MINGBAI_TODAY", "2026-11-22")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |needle: &str| {
        let end = Instant::now() + Duration::from_secs(60);
        let mut seen = String::new();
        while Instant::now() < end {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return seen;
                }
            }
        }
        panic!("no {needle:?} in:\n{seen}");
    };
    wait_for("正在监视 ");
    edit(root, "content/jinrong/xiaoe.md", |t| {
        format!("{t}\n{} 深\n", ">".repeat(10_000))
    });
    let log = wait_for("生成失败：预览里仍是上一次");
    assert!(log.contains("超过 16 层"), "{log}");
    assert!(child.try_wait().unwrap().is_none(), "watch died:\n{log}");
    // The next good save builds again.
    edit(root, "content/jinrong/xiaoe.md", |t| {
        t.replace(&">".repeat(10_000), ">")
    });
    wait_for("个网页，写了");
    assert!(child.try_wait().unwrap().is_none());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn deep_lists_are_a_located_error() {
    let dir = built_site();
    let root = dir.path();
    let list: String = (0..200)
        .map(|i| format!("{}- 项\n", "  ".repeat(i)))
        .collect();
    edit(root, "content/jinrong/xiaoe.md", |t| format!("{t}\n{list}"));
    refused(
        root,
        &["build"],
        &["content/jinrong/xiaoe.md:", "超过 16 层"],
    );
}

#[test]
fn deep_print_markup_is_a_located_template_error() {
    let dir = built_site();
    let root = dir.path();
    let deep = format!(
        "<card>{}<p>x</p>{}</card>",
        "<box>".repeat(5000),
        "</box>".repeat(5000)
    );
    write(root, "print/card.xml", &deep);
    refused(root, &["build"], &["print/card.xml:1:1", "超过 32 层"]);
    // A template including itself, and nested without end, stop with the template named.
    write(root, "print/card.xml", "<card><p>x</p></card>");
    write(
        root,
        "templates/partials/tags.html",
        &format!(
            "{}x{}",
            "{% if true %}".repeat(5000),
            "{% endif %}".repeat(5000)
        ),
    );
    refused(root, &["build"], &["templates/partials/tags.html:1:"]);
    write(
        root,
        "templates/partials/tags.html",
        "{% include \"partials/tags.html\" %}",
    );
    refused(root, &["build"], &["partials/tags.html"]);
}

#[test]
fn style_settings_out_of_range_are_located_errors() {
    let cases = [
        ("[page]\ntext_scale = 0\n", "text_scale = 0"),
        ("[page]\ntext_scale = 100\n", "text_scale = 100"),
        ("[page]\ntext_scale = nan\n", "text_scale = nan"),
        (
            "[page]\nmargin = [300, 300, 300, 300]\n",
            "margin = [300, 300, 300, 300]",
        ),
        ("[card]\nmargin = -10\n", "margin = -10"),
        ("[card]\nmax_faces = 100000000\n", "max_faces = 100000000"),
        ("[text]\nsize = 0\n", "size = 0"),
        ("[text]\nsize = -5\n", "size = -5"),
        ("[element.h1]\nline_height = -1\n", "line_height = -1"),
    ];
    let dir = built_site();
    let root = dir.path();
    for (style, key) in cases {
        write(root, "print/style.toml", style);
        let err = refused(
            root,
            &["build"],
            &["print/style.toml:2:", &format!("`{key}` 不在允许的范围内")],
        );
        assert!(!err.contains("layout bug"), "{err}");
    }
    // Margins that fit the style's own card but not the one site.toml picks.
    write(
        root,
        "print/style.toml",
        "[card]\nsize = [300, 300]\nmargin = 70\n",
    );
    edit(root, "site.toml", |t| {
        format!("{t}\n[print]\ncard_size = \"A6\"\n")
    });
    refused(
        root,
        &["build"],
        &["site.toml:18:13", "card_size = \"A6\"", "[card] margin"],
    );
    edit(root, "site.toml", |t| {
        t.replace("\n[print]\ncard_size = \"A6\"\n", "")
    });
    // Did-you-mean for a misspelt setting.
    write(root, "print/style.toml", "[page]\ntext_scal = 1\n");
    refused(
        root,
        &["build"],
        &["print/style.toml:2:1", "是不是「text_scale」？"],
    );
}

#[test]
fn the_largest_allowed_settings_lay_out_in_bounded_time_and_memory() {
    let dir = built_site();
    let root = dir.path();
    // Each at the edge of its range: margins taking half the page, the largest type.
    let style = "[page]\ntext_scale = 2\nmargin = [74, 52, 74, 52]\n\
                 [card]\nmargin = [37, 26, 37, 26]\nmax_faces = 8\n\
                 [text]\nsize = 48\nline_height = 3\n";
    write(root, "print/style.toml", style);
    // Cards and handbook, then the handbook alone (a table row that did not fit below
    // its repeated header made pages without end).
    let site_toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    for cards in [true, false] {
        write(
            root,
            "site.toml",
            &format!("{site_toml}\n[print]\ncards = {cards}\n"),
        );
        let (o, took) = limited(root, &["build"]);
        let err = stderr(&o);
        // Cards this large may not fit their faces: a clean error, not a crash.
        assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
        assert!(took < Duration::from_secs(30), "{took:?}");
        assert!(err.len() < 64 * 1024);
        assert!(!err.contains("memory allocation"), "{err}");
        assert!(!err.contains("invalid TOML"), "{err}");
    }
}

#[test]
fn site_settings_out_of_range_are_located_errors() {
    let dir = built_site();
    let root = dir.path();
    for months in ["240000", "-1", "0"] {
        edit(root, "site.toml", |t| {
            let start = t.find("review_max_age_months = ").unwrap();
            let end = start + t[start..].find('\n').unwrap();
            format!(
                "{}review_max_age_months = {months}{}",
                &t[..start],
                &t[end..]
            )
        });
        refused(
            root,
            &["check"],
            &[
                "site.toml:15:25",
                &format!("`review_max_age_months = {months}` 不在允许的范围内"),
            ],
        );
    }
}

// ---- Bounded error output --------------------------------------------------------

#[test]
fn thousands_of_template_errors_print_a_bounded_report() {
    let dir = built_site();
    let root = dir.path();
    let rows = "<row><p>x</p></row>\n".repeat(2000);
    write(root, "print/card.xml", &format!("<card>\n{rows}</card>\n"));
    let err = refused(
        root,
        &["build"],
        &["print/card.xml:2:1", "<p> 放在了 <row> 里"],
    );
    assert!(err.len() < 64 * 1024, "{} bytes of errors", err.len());
    assert!(err.matches("错误: ").count() <= 50, "{err}");
}

// ---- Invisible characters and where problems are blamed --------------------------

#[test]
fn a_bom_at_the_start_of_any_file_is_ignored() {
    let dir = built_site();
    let root = dir.path();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/print");
    for f in ["card.xml", "style.toml"] {
        let text = std::fs::read_to_string(theme.join(f)).unwrap();
        write(root, &format!("print/{f}"), &text);
    }
    for rel in [
        "content/jinrong/xiaoe.md",
        "content/jiaoyu/_index.md",
        "site.toml",
        "print/style.toml",
        "print/card.xml",
        "templates/partials/tags.html",
    ] {
        edit(root, rel, |t| format!("\u{feff}{t}"));
    }
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    for page in [
        "jinrong/xiaoe/index.html",
        "jiaoyu/index.html",
        "index.html",
    ] {
        let html = common::read(root, &format!("public/{page}"));
        assert!(!html.contains('\u{feff}'), "BOM in {page}");
    }
}

#[test]
fn u_feff_inside_a_title_is_a_located_error() {
    let dir = built_site();
    let root = dir.path();
    edit(root, "content/jiaoyu/_index.md", |t| {
        t.replace("教育帮扶", "教育\u{feff}帮扶")
    });
    edit(root, "content/jinrong/xudai.md", |t| {
        format!("{t}\n正文\u{feff}里\n")
    });
    let err = refused(
        root,
        &["build"],
        &[
            "content/jiaoyu/_index.md:2:12",
            "U+FEFF",
            "content/jinrong/xudai.md:",
        ],
    );
    assert!(!err.contains("没有哪个字体能印出"), "{err}");
}

#[test]
fn a_control_character_in_a_summary_is_blamed_on_the_entry() {
    let dir = built_site();
    let root = dir.path();
    edit(root, "content/jinrong/xudai.md", |t| {
        t.replace("summary = \"", "summary = \"\\u0007")
    });
    let err = refused(
        root,
        &["build"],
        &["content/jinrong/xudai.md:3:11", "U+0007"],
    );
    assert!(!err.contains("card.xml"), "{err}");
}

// ---- Ids that collide with other pages -------------------------------------------

#[test]
fn ids_colliding_with_chapters_and_built_in_pages_are_errors() {
    for (id, other) in [
        ("jiaoyu", "content/jiaoyu/_index.md"),
        ("search", "search/"),
        ("tags", "tags/"),
        ("tags/jinrong", "tags/"),
        ("print", "print/"),
        ("atom.xml", "atom.xml"),
        ("sitemap.xml", "sitemap.xml"),
        ("404.html", "404.html"),
        ("extra.css", "static/extra.css"),
        ("style.css", "style.css"),
    ] {
        let dir = built_site();
        let root = dir.path();
        edit(root, "content/jinrong/xudai.md", |t| {
            t.replacen("+++\n", &format!("+++\nid = \"{id}\"\n"), 1)
        });
        let err = refused(root, &["check"], &["content/jinrong/xudai.md:2:6", other]);
        assert!(err.contains(&format!("「{id}」")), "{err}");
        refused(root, &["build"], &["content/jinrong/xudai.md:2:6"]);
    }
}

#[test]
fn many_errors_are_capped_with_a_count() {
    let dir = built_site();
    let root = dir.path();
    for i in 0..80 {
        write(
            root,
            &format!("content/jinrong/e{i}.md"),
            &format!("+++\ntitle = \"条目{i}\"\namout = 1\n+++\n"),
        );
    }
    let err = refused(root, &["check"], &["另有", "条问题没有显示"]);
    assert!(err.matches("错误: ").count() == 50, "{err}");
}
