//! `mingbai serve` and `mingbai watch` on a fixture site: edits show up, broken saves
//! show an error over the last good page, files come and go, and nothing outside the
//! output folder is served.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::site;

const WAIT: Duration = Duration::from_secs(30);

/// A running `mingbai serve` (or `watch`), killed when dropped.
struct Running {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, args: &[&str]) -> Running {
    spawn(root, common::command().args(args))
}

/// Starts `program args` (mingbai under a wrapper such as prlimit).
fn start_program(root: &Path, program: &str, args: &[&str]) -> Running {
    spawn(root, std::process::Command::new(program).args(args))
}

fn spawn(root: &Path, cmd: &mut std::process::Command) -> Running {
    let mut child = cmd
        .current_dir(root)
        .env("MINGBAI_TODAY", "2026-11-22")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start mingbai");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://127.0.0.1:") {
                let port: String = line[at + 17..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let _ = tx.send(port.parse::<u16>().unwrap());
            }
            if line.starts_with("正在监视 ") {
                let _ = tx.send(0);
            }
            sink.lock().unwrap().push_str(&format!("{line}\n"));
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("mingbai did not start:\n{}", log.lock().unwrap()));
    Running { child, port, log }
}

fn serve(root: &Path, print: bool) -> Running {
    let mut args = vec!["serve", "--port", "0"];
    if !print {
        args.push("--no-print");
    }
    start(root, &args)
}

/// A raw HTTP/1.1 GET (no client-side path normalisation): status and body.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn wait_until(what: &str, run: &Running, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        if start.elapsed() > WAIT {
            panic!(
                "timed out waiting until {what}; log:\n{}",
                run.log.lock().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// The search index files of a built site, by name.
fn search_index(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(out.join("search"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".js"))
                .map(|n| {
                    (
                        n.clone(),
                        std::fs::read(out.join("search").join(&n)).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the event stream in the background, collecting what arrives.
fn listen(port: u16) -> Arc<Mutex<String>> {
    let got = Arc::new(Mutex::new(String::new()));
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__mingbai/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let sink = got.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    // The stream is open once its greeting arrived.
    let start = Instant::now();
    while !got.lock().unwrap().contains("live reload") && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    got
}

#[test]
fn an_edit_is_served_and_open_pages_reload() {
    let dir = site("good");
    let run = serve(dir.path(), false);
    let (status, head, body) = get(run.port, "/jiaoyu/yulu/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html; charset=utf-8"), "{head}");
    assert!(
        body.contains("/__mingbai/live.js"),
        "live reload script injected"
    );
    let on_disk =
        std::fs::read_to_string(dir.path().join("public/jiaoyu/yulu/index.html")).unwrap();
    assert!(!on_disk.contains("__mingbai"), "never in the built files");

    let events = listen(run.port);
    append(
        &dir.path().join("content/jiaoyu/yulu.md"),
        "\n\n新增一段：2026年秋季学期补助已于11月发放完毕。\n",
    );
    wait_until("the edit is served", &run, || {
        get(run.port, "/jiaoyu/yulu/")
            .2
            .contains("秋季学期补助已于11月发放完毕")
    });
    wait_until("open pages are told to reload", &run, || {
        events.lock().unwrap().contains("event: reload")
    });
    // Only what the edit touched was rendered.
    let log = run.log.lock().unwrap().clone();
    assert!(log.contains("重新生成了 1 个网页"), "{log}");

    // The search index follows, file for file what a full build of the same files
    // writes, and the search page beside it stays.
    let fresh = tempfile::tempdir().unwrap();
    let o = common::run(
        common::command()
            .args(["build", "--no-print", "--output"])
            .arg(fresh.path())
            .current_dir(dir.path())
            .env("MINGBAI_TODAY", "2026-11-22"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let want = search_index(fresh.path());
    assert!(want.keys().any(|k| k.starts_with('p')), "{:?}", want.keys());
    wait_until("the search index is updated", &run, || {
        search_index(&dir.path().join("public")) == want
    });
    assert_eq!(get(run.port, "/search/").0, 200);

    // A template edit re-renders every page.
    let partial = dir.path().join("templates/partials/tags.html");
    append(&partial, "<p class=\"marker\">模板已修改</p>\n");
    wait_until("the template edit is served", &run, || {
        get(run.port, "/jinrong/xiaoe/").2.contains("模板已修改")
    });
    // And site.toml.
    let toml = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("测试县惠民政策明白手册", "测试县惠民政策手册（修订）"),
    )
    .unwrap();
    wait_until("the new title is served", &run, || {
        get(run.port, "/").2.contains("测试县惠民政策手册（修订）")
    });
}

#[test]
fn a_broken_save_shows_the_error_over_the_last_good_page() {
    let dir = site("good");
    let run = serve(dir.path(), false);
    let events = listen(run.port);
    let file = dir.path().join("content/jiaoyu/yulu.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let (_, _, before) = get(run.port, "/jiaoyu/yulu/");
    assert!(!before.contains("mingbai-error"));

    // Broken TOML in the front matter.
    std::fs::write(
        &file,
        good.replacen("title = \"", "title = \"雨露计划\" 多余的字 \"", 1),
    )
    .unwrap();
    wait_until("the error is shown", &run, || {
        get(run.port, "/jiaoyu/yulu/").2.contains("mingbai-error")
    });
    let (status, _, page) = get(run.port, "/jiaoyu/yulu/");
    assert_eq!(status, 200, "the last good page is still served");
    let old_main = before
        .split("<main")
        .nth(1)
        .unwrap()
        .split("</main>")
        .next()
        .unwrap();
    assert!(page.contains(old_main), "the old page content is intact");
    assert!(
        page.contains("content/jiaoyu/yulu.md:2:"),
        "names file and line: {page}"
    );
    wait_until("open pages get the error", &run, || {
        events.lock().unwrap().contains("event: build-error")
    });
    assert!(
        run.log
            .lock()
            .unwrap()
            .contains("content/jiaoyu/yulu.md:2:")
    );

    // An unresolved link, while the TOML is fixed: still an error, now a different one.
    std::fs::write(
        &file,
        format!("{good}\n见[不存在的政策](@/jiaoyu/meiyou.md)。\n"),
    )
    .unwrap();
    wait_until("the link error is shown", &run, || {
        get(run.port, "/jiaoyu/yulu/")
            .2
            .contains("jiaoyu/meiyou.md")
    });

    // Fixed: the error goes and the page is served fresh.
    std::fs::write(&file, format!("{good}\n修正后的内容。\n")).unwrap();
    wait_until("the error is cleared", &run, || {
        let (_, _, b) = get(run.port, "/jiaoyu/yulu/");
        !b.contains("mingbai-error") && b.contains("修正后的内容")
    });
}

#[test]
fn files_can_be_added_renamed_and_deleted() {
    let dir = site("good");
    let run = serve(dir.path(), false);
    let new = dir.path().join("content/jiaoyu/zhuxue.md");
    std::fs::write(
        &new,
        "+++\ntitle = \"助学金测试政策\"\nsummary = \"测试用的新政策。\"\ntags = [\"教育\"]\n+++\n\n新政策正文。\n",
    )
    .unwrap();
    wait_until("the new page is served", &run, || {
        get(run.port, "/jiaoyu/zhuxue/").0 == 200
    });
    // The change's pages are written one by one (each atomically): the chapter may
    // follow the new page by a moment.
    wait_until("the chapter lists it", &run, || {
        get(run.port, "/jiaoyu/").2.contains("助学金测试政策")
    });

    let renamed = dir.path().join("content/jiaoyu/zhuxuejin.md");
    std::fs::rename(&new, &renamed).unwrap();
    wait_until("the renamed page is served", &run, || {
        get(run.port, "/jiaoyu/zhuxuejin/").0 == 200
    });
    // A rename may reach the watcher as two bursts under load: wait until it settled.
    wait_until("the old address is gone", &run, || {
        get(run.port, "/jiaoyu/zhuxue/").0 == 404
    });
    let (_, _, body) = get(run.port, "/jiaoyu/zhuxue/");
    assert!(
        body.contains("页面不存在") || body.contains("404"),
        "the site's 404 page"
    );

    std::fs::remove_file(&renamed).unwrap();
    wait_until("the deleted page is gone", &run, || {
        get(run.port, "/jiaoyu/zhuxuejin/").0 == 404
    });
    wait_until("the chapter no longer lists it", &run, || {
        !get(run.port, "/jiaoyu/").2.contains("助学金测试政策")
    });
}

#[test]
fn nothing_outside_the_output_is_served() {
    let dir = site("good");
    let run = serve(dir.path(), false);
    let secret = std::fs::read_to_string(dir.path().join("site.toml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("site.toml"),
        dir.path().join("public/link.toml"),
    )
    .unwrap();
    for path in [
        "/../site.toml",
        "/jiaoyu/../../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/site.toml",
        "/..%2fsite.toml",
        "/jiaoyu%2f..%2f..%2fsite.toml",
        "/..%5csite.toml",
        "/.%2e/site.toml",
        "/link.toml",
    ] {
        let (status, _, body) = get(run.port, path);
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("review_max_age_months"),
            "{path} leaked site.toml"
        );
    }
    assert!(!secret.is_empty());
    let (status, head, _) = get(run.port, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css; charset=utf-8"), "{head}");
    let (status, _, body) = get(run.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在"), "the site's own 404 page");
    let (status, head, _) = get(run.port, "/jiaoyu");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /jiaoyu/"), "{head}");
}

#[test]
fn cards_are_printed_again_after_the_pages() {
    let dir = site("good");
    let run = serve(dir.path(), true);
    let card = dir.path().join("public/print/cards/jinrong/xiaoe.pdf");
    wait_until("the first cards are printed", &run, || card.is_file());
    let before = std::fs::read(&card).unwrap();
    let file = dir.path().join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("title = \"", "title = \"（修订）", 1)).unwrap();
    wait_until("the page shows the new title", &run, || {
        get(run.port, "/jinrong/xiaoe/").2.contains("（修订）")
    });
    wait_until("the card is printed again", &run, || {
        std::fs::read(&card).is_ok_and(|b| b != before)
    });
}

/// A summary is shown in lists all over the site, so its edit prints everything again;
/// the edited entry's card still comes first, the handbook once the saves pause.
#[test]
fn a_summary_edit_prints_its_card_before_the_handbook() {
    let dir = site("good");
    let run = serve(dir.path(), true);
    let card = dir.path().join("public/print/cards/jinrong/xiaoe.pdf");
    let handbook = dir.path().join("public/print/handbook.pdf");
    wait_until("the first print is done", &run, || handbook.is_file());
    let (card_before, book_before) = (
        std::fs::read(&card).unwrap(),
        std::fs::read(&handbook).unwrap(),
    );
    let file = dir.path().join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("summary = \"", "summary = \"（新）", 1),
    )
    .unwrap();
    let mut book_then = Vec::new();
    wait_until("the card is printed again", &run, || {
        let changed = std::fs::read(&card).is_ok_and(|b| b != card_before);
        if changed {
            book_then = std::fs::read(&handbook).unwrap();
        }
        changed
    });
    assert!(
        book_then == book_before,
        "the handbook was printed before the card"
    );
    // The whole print waits for saves to pause (3 s): not right behind the card.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        std::fs::read(&handbook).unwrap() == book_before,
        "the handbook was printed right after the card, before saves paused"
    );
    wait_until("the handbook is printed again", &run, || {
        std::fs::read(&handbook).is_ok_and(|b| b != book_before)
    });
}

#[test]
fn watch_rebuilds_without_a_server() {
    let dir = site("good");
    let run = start(dir.path(), &["watch", "--no-print"]);
    let page = dir.path().join("public/jiaoyu/yulu/index.html");
    append(
        &dir.path().join("content/jiaoyu/yulu.md"),
        "\n\n监视模式的修改。\n",
    );
    wait_until("the page is rebuilt", &run, || {
        std::fs::read_to_string(&page).is_ok_and(|p| p.contains("监视模式的修改"))
    });
    assert!(
        !std::fs::read_to_string(&page)
            .unwrap()
            .contains("__mingbai")
    );
}

#[test]
fn an_id_number_saved_into_an_entry_is_never_served() {
    let dir = site("good");
    let run = serve(dir.path(), false);
    let file = dir.path().join("content/jiaoyu/yulu.md");
    let good = std::fs::read_to_string(&file).unwrap();
    // A body-only save (the fast path) with a valid ID number in it.
    std::fs::write(&file, format!("{good}\n联系人身份证：11010519491231002X\n")).unwrap();
    wait_until("the error is shown", &run, || {
        get(run.port, "/jiaoyu/yulu/").2.contains("mingbai-error")
    });
    let (_, _, page) = get(run.port, "/jiaoyu/yulu/");
    assert!(page.contains("身份证号"), "{page}");
    assert!(
        !page.contains("11010519491231002X"),
        "the ID reached the page"
    );
    for e in walkdir::WalkDir::new(dir.path().join("public")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            assert!(
                !bytes.windows(18).any(|w| w == b"11010519491231002X"),
                "published in {}",
                e.path().display()
            );
        }
    }
}

/// `mingbai serve --no-print --port 0` through `prefix` (e.g. prlimit).
fn serve_under(root: &Path, prefix: &[&str]) -> Running {
    let mut args: Vec<&str> = prefix.to_vec();
    let exe = env!("CARGO_BIN_EXE_mingbai");
    args.extend([exe, "serve", "--no-print", "--port", "0"]);
    start_program(root, args[0], &args[1..])
}

#[test]
fn slow_readers_do_not_hold_up_other_requests() {
    let dir = site("good");
    // A large download, as the card sheets or the handbook PDF are.
    let big: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..24u32 << 20).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8))
        .collect();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/big.pdf"), &big).unwrap();
    let run = serve(dir.path(), false);
    // Eight clients ask for it and never read.
    let stuck: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", run.port)).unwrap();
            write!(s, "GET /big.pdf HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..5 {
        let t = Instant::now();
        let (status, _, body) = get(run.port, "/jiaoyu/yulu/");
        assert_eq!(status, 200);
        assert!(body.contains("</html>"));
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "took {:?}",
            t.elapsed()
        );
    }
    // And a reader that reads gets the whole file.
    let mut s = TcpStream::connect(("127.0.0.1", run.port)).unwrap();
    write!(s, "GET /big.pdf HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert!(raw.ends_with(&big[big.len() - 1000..]));
    assert_eq!(
        raw.len() - raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() - 4,
        big.len()
    );
    drop(stuck);
}

#[test]
fn hundreds_of_live_reload_streams_cost_no_thread_each() {
    let dir = site("good");
    // 1 GiB of address space: a thread per stream (8 MiB of stack reserved each) would
    // run out long before 400 streams.
    let run = serve_under(dir.path(), &["prlimit", "--as=1073741824", "--"]);
    let streams: Vec<Arc<Mutex<String>>> = (0..400).map(|_| listen(run.port)).collect();
    assert!(
        streams
            .iter()
            .all(|s| s.lock().unwrap().contains("live reload"))
    );
    let (status, _, _) = get(run.port, "/");
    assert_eq!(status, 200, "still answering:\n{}", run.log.lock().unwrap());
    append(&dir.path().join("content/jiaoyu/yulu.md"), "\n新的一段。\n");
    wait_until("every stream is told to reload", &run, || {
        streams
            .iter()
            .all(|s| s.lock().unwrap().contains("event: reload"))
    });
    assert!(!run.log.lock().unwrap().contains("panicked"));
}

#[test]
fn double_slashes_stay_on_this_host_and_a_path_base_url_keeps_its_styles() {
    let dir = site("good");
    let run = serve(dir.path(), false);
    let (status, head, _) = get(run.port, "//jiaoyu");
    assert_eq!(status, 301);
    let location = head.lines().find_map(|l| l.strip_prefix("Location: "));
    assert_eq!(location, Some("/jiaoyu/"), "{head}");
    // base_url = https://example.org/ceshi: the 404 page links /ceshi/style.css.
    let (status, _, page) = get(run.port, "/no-such-page/");
    assert_eq!(status, 404);
    let css = page
        .split("href=\"")
        .map(|s| s.split('"').next().unwrap_or(""))
        .find(|h| h.ends_with(".css"))
        .expect("the 404 page links a stylesheet")
        .to_string();
    assert!(css.starts_with("/ceshi/"), "{css}");
    let (status, head, _) = get(run.port, &css);
    assert_eq!(status, 200, "{css}");
    assert!(head.contains("text/css"));
    assert_eq!(get(run.port, "/ceshi/jiaoyu/yulu/").0, 200);
}

#[test]
fn a_busy_port_is_reported_before_building() {
    let dir = site("good");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let t = Instant::now();
    let o = common::mingbai(dir.path(), &["serve", "--no-print", "--port", &port]);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains(&format!("端口 {port} 已被占用")), "{err}");
    assert!(
        err.contains("mingbai serve --port "),
        "suggests a free port: {err}"
    );
    assert!(!err.contains("第一次生成用了"), "{err}");
    assert!(!dir.path().join("public").exists(), "nothing was built");
    assert!(t.elapsed() < Duration::from_secs(20));
}

#[test]
fn new_folders_and_deleted_static_files_are_followed() {
    let dir = site("good");
    std::fs::create_dir_all(dir.path().join("static/xiazai")).unwrap();
    std::fs::write(
        dir.path().join("static/xiazai/zhinan.pdf"),
        b"%PDF-1.4\n%%EOF\n",
    )
    .unwrap();
    let run = serve(dir.path(), false);
    assert_eq!(get(run.port, "/xiazai/zhinan.pdf").0, 200);

    // A new chapter folder with an entry in it, made at once as a file manager does.
    let chapter = dir.path().join("content/xinzhang");
    std::fs::create_dir_all(&chapter).unwrap();
    std::fs::write(
        chapter.join("_index.md"),
        "+++\ntitle = \"新的一章\"\nweight = 50\n+++\n",
    )
    .unwrap();
    std::fs::write(
        chapter.join("zhengce.md"),
        "+++\ntitle = \"新章节里的政策\"\nsummary = \"测试。\"\n+++\n\n正文。\n",
    )
    .unwrap();
    wait_until("the new entry is served", &run, || {
        get(run.port, "/xinzhang/zhengce/").0 == 200
    });

    // A file removed from static/ is no longer published.
    std::fs::remove_file(dir.path().join("static/xiazai/zhinan.pdf")).unwrap();
    wait_until("the deleted static file is gone", &run, || {
        get(run.port, "/xiazai/zhinan.pdf").0 == 404
    });
    assert!(!dir.path().join("public/xiazai/zhinan.pdf").exists());
}
