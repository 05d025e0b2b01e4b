//! The search page in a real browser (headless Chromium, installed by .ci/run): served
//! over loopback HTTP, and opened straight from disk (file://), where `fetch()` of an
//! index file would be refused. Queries as people type them too: Traditional characters
//! (folded by the manifest's table) and pinyin initials (matched against the names).

mod common;
use common::*;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let o = mingbai(
            root,
            &[
                "build",
                "--no-print",
                "--output",
                out.path().join("site").to_str().unwrap(),
            ],
        );
        common::assert_ok(&o);
        out
    })
    .path()
}

/// A minimal static file server for the built site, on a free loopback port.
fn serve(dir: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut file = dir.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let mut s = &stream;
                match std::fs::read(&file) {
                    Ok(body) => {
                        let ty = if path.ends_with(".js") {
                            "text/javascript"
                        } else if path.ends_with(".css") {
                            "text/css"
                        } else {
                            "text/html; charset=utf-8"
                        };
                        let _ = write!(
                            s,
                            "HTTP/1.0 200 OK\r\nContent-Type: {ty}\r\nContent-Length: {}\r\n\r\n",
                            body.len()
                        );
                        let _ = s.write_all(&body);
                    }
                    Err(_) => {
                        let _ = write!(s, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                    }
                }
            });
        }
    });
    port
}

/// The page's DOM after its scripts ran, from headless Chromium.
fn dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            &format!("--user-data-dir={}", profile.path().display()),
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ])
        .output()
        .expect("chromium is needed for the browser tests (apt-get install chromium)");
    String::from_utf8_lossy(&out.stdout).to_string()
}

const Q: &str = "%E5%B0%8F%E9%A2%9D%E4%BF%A1%E8%B4%B7"; // 小额信贷

#[test]
fn search_over_http_finds_microcredit() {
    let port = serve(built().join("site"));
    let html = dom(&format!("http://127.0.0.1:{port}/search/?q={Q}"));
    let results = html
        .split("id=\"search-results\"")
        .nth(1)
        .unwrap_or_default();
    assert!(results.contains("href=\"../xindai/xiaoe/\""), "{html}");
    assert!(results.contains("<mark>小额信贷</mark>"), "{html}");
    assert!(
        html.contains("value=\"小额信贷\"") || html.contains("找到约"),
        "{html}"
    );
}

#[test]
fn search_from_disk_finds_microcredit() {
    let page = built().join("site/search/index.html");
    let html = dom(&format!("file://{}?q={Q}", page.display()));
    let results = html
        .split("id=\"search-results\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        results.contains("href=\"../xindai/xiaoe/index.html\""),
        "{html}"
    );
    assert!(results.contains("<mark>小额信贷</mark>"), "{html}");
}

#[test]
fn every_page_has_a_search_box_pointing_at_the_search_page() {
    let html = read(&built().join("site"), "xindai/xiaoe/index.html");
    assert!(
        html.contains("<form class=\"search-box\" action=\"../../search/\""),
        "{html}"
    );
}

/// The results list of a page, from both ways of opening it.
fn results_both_ways(query: &str) -> [(String, String); 2] {
    let q: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let port = serve(built().join("site"));
    let page = built().join("site/search/index.html");
    let http = dom(&format!("http://127.0.0.1:{port}/search/?q={q}"));
    let disk = dom(&format!("file://{}?q={q}", page.display()));
    [("http", http), ("file", disk)].map(|(how, html)| {
        let results = html
            .split("id=\"search-results\"")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        (how.to_string(), results)
    })
}

fn link(how: &str, to: &str) -> String {
    let index = if how == "file" { "index.html" } else { "" };
    format!("href=\"../{to}{index}\"")
}

#[test]
fn traditional_characters_find_simplified_entries() {
    for (how, results) in results_both_ways("貸款") {
        // The text is Simplified; the highlight sits on it all the same.
        assert!(
            results.contains(&link(&how, "xindai/chuangye/")),
            "{how}: {results}"
        );
        assert!(results.contains("<mark>贷款</mark>"), "{how}: {results}");
    }
}

#[test]
fn pinyin_initials_find_an_alias_and_say_so() {
    for (how, results) in results_both_ways("lmdk") {
        assert!(
            results.contains(&link(&how, "xindai/xiaoe/")),
            "{how}: {results}"
        );
        assert!(
            results.contains("「别名：<mark>两免贷款</mark>」"),
            "{how}: {results}"
        );
    }
}

#[test]
fn a_chapter_title_is_the_reason_shown() {
    for (how, results) in results_both_ways("常见问题") {
        assert!(
            results.contains(&link(&how, "wenda/daikuan-diya/")),
            "{how}: {results}"
        );
        assert!(
            results.contains("「栏目：<mark>常见问题</mark>」"),
            "{how}: {results}"
        );
    }
}
