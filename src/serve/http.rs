//! The preview server: files of the output folder over HTTP on loopback, the site's
//! 404 page, and live reload over server-sent events. Only files inside the output
//! folder are served: `..`, encoded dots and slashes, dotfiles and symlinks that lead
//! out are refused. The live-reload script (and, while a save is broken, the error) is
//! added to HTML as it is served; built files never contain it.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, Server};

const LIVE_JS: &str = include_str!("live.js");
const EVENTS: &str = "/__mingbai/live";
const SCRIPT: &str = "/__mingbai/live.js";
/// Threads answering file requests (each event stream gets its own).
const WORKERS: usize = 4;

/// What open pages are told: a new site is on disk, or the last save broke the build.
#[derive(Default)]
pub struct Live {
    state: Mutex<(u64, Option<String>)>,
    changed: Condvar,
}

impl Live {
    /// A rebuild succeeded: pages reload, any error overlay goes.
    pub fn reloaded(&self) {
        let mut s = self.state.lock().unwrap();
        s.0 += 1;
        s.1 = None;
        self.changed.notify_all();
    }

    /// A rebuild failed: pages show `report` over the last good site.
    pub fn failed(&self, report: String) {
        let mut s = self.state.lock().unwrap();
        s.0 += 1;
        s.1 = Some(report);
        self.changed.notify_all();
    }

    fn error(&self) -> Option<String> {
        self.state.lock().unwrap().1.clone()
    }

    /// Waits up to `timeout` for a state newer than `seen`.
    fn wait(&self, seen: u64, timeout: Duration) -> (u64, Option<String>, bool) {
        let s = self.state.lock().unwrap();
        let (s, _) = self
            .changed
            .wait_timeout_while(s, timeout, |s| s.0 == seen)
            .unwrap();
        (s.0, s.1.clone(), s.0 != seen)
    }
}

/// Starts serving `out` on `addr` in background threads; returns the bound address
/// (port 0 picks a free port).
pub fn start(addr: SocketAddr, out: PathBuf, live: Arc<Live>) -> io::Result<SocketAddr> {
    let server = Server::http(addr).map_err(io::Error::other)?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| io::Error::other("not an IP address"))?;
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, out, live) = (server.clone(), out.clone(), live.clone());
        std::thread::spawn(move || {
            while let Ok(req) = server.recv() {
                handle(req, &out, &live);
            }
        });
    }
    Ok(bound)
}

fn handle(req: Request, out: &Path, live: &Arc<Live>) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let _ = req.respond(text(405, "only GET and HEAD"));
        return;
    }
    let url = req.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    if path == EVENTS {
        let live = live.clone();
        std::thread::spawn(move || events(req, &live));
        return;
    }
    let response = match path.as_str() {
        SCRIPT => bytes(
            200,
            LIVE_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        ),
        _ => match resolve(out, &path) {
            Resolved::File(file) => match std::fs::read(&file) {
                Ok(body) => file_response(200, &file, body, live),
                Err(_) => not_found(out, live),
            },
            Resolved::Redirect(to) => {
                let mut r = text(301, "moved");
                r.add_header(header("Location", &to));
                r
            }
            Resolved::Forbidden => text(403, "forbidden"),
            Resolved::NotFound => not_found(out, live),
        },
    };
    let _ = req.respond(response);
}

#[derive(Debug, PartialEq)]
pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    Forbidden,
    NotFound,
}

/// Maps a request path to a file inside `out`, refusing anything that could leave it.
pub fn resolve(out: &Path, raw: &str) -> Resolved {
    let Some(rest) = raw.strip_prefix('/') else {
        return Resolved::Forbidden;
    };
    let mut rel = PathBuf::new();
    for seg in rest.split('/').filter(|s| !s.is_empty()) {
        let Ok(seg) = percent_decode_str(seg).decode_utf8() else {
            return Resolved::Forbidden;
        };
        // Decoded separators or parent steps can only be an attempt to walk out.
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0', ':']) {
            return Resolved::Forbidden;
        }
        // Dotfiles are never part of a site (and temp files are written as such).
        if seg.starts_with('.') {
            return Resolved::NotFound;
        }
        rel.push(seg.as_ref());
    }
    let Ok(base) = out.canonicalize() else {
        return Resolved::NotFound;
    };
    let inside = |p: &Path| match p.canonicalize() {
        Ok(c) if c.starts_with(&base) => Ok(c),
        Ok(_) => Err(Resolved::Forbidden),
        Err(_) => Err(Resolved::NotFound),
    };
    let found = match inside(&base.join(&rel)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if found.is_dir() {
        if !raw.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        return match inside(&found.join("index.html")) {
            Ok(p) if p.is_file() => Resolved::File(p),
            Ok(_) => Resolved::NotFound,
            Err(r) => r,
        };
    }
    Resolved::File(found)
}

fn not_found(out: &Path, live: &Live) -> Response<io::Cursor<Vec<u8>>> {
    let page = out.join("404.html");
    match std::fs::read(&page) {
        Ok(body) => file_response(404, &page, body, live),
        Err(_) => text(404, "404: no such page"),
    }
}

fn file_response(
    status: u16,
    file: &Path,
    body: Vec<u8>,
    live: &Live,
) -> Response<io::Cursor<Vec<u8>>> {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let textual = mime.type_() == "text"
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    let content_type = if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if mime.essence_str() == "text/html" {
        inject(body, live.error().as_deref()).into_bytes()
    } else {
        body
    };
    bytes(status, body, &content_type)
}

/// The live-reload script before `</body>`, and the error box while a save is broken.
pub fn inject(html: Vec<u8>, error: Option<&str>) -> String {
    let mut html = String::from_utf8_lossy(&html).into_owned();
    let mut add = format!(r#"<script src="{SCRIPT}"></script>"#);
    if let Some(e) = error {
        add.insert_str(0, &overlay(e));
    }
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &add),
        None => html.push_str(&add),
    }
    html
}

/// The error box (the same markup live.js builds when an error arrives).
fn overlay(report: &str) -> String {
    let escaped = report
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<div id="mingbai-error" role="alert" style="position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:1.5em;font:15px/1.5 monospace"><p style="font:bold 18px sans-serif;color:#ff8a80;margin:0 0 1em">构建失败：页面显示的是上一次成功构建的内容。修正后保存即自动刷新。</p><pre style="white-space:pre-wrap;margin:0">{escaped}</pre></div>"#
    )
}

/// A server-sent event stream: `reload` after each good rebuild, `build-error` with
/// the report after a broken one. Held open until the page goes away.
fn events(req: Request, live: &Live) {
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    let (mut seen, error, _) = live.wait(u64::MAX, Duration::ZERO);
    let mut first = String::from(": mingbai live reload\n\n");
    if let Some(e) = error {
        first.push_str(&event("build-error", &e));
    }
    if send(&mut w, &format!("{head}{first}")).is_err() {
        return;
    }
    loop {
        let (now, error, changed) = live.wait(seen, Duration::from_secs(15));
        let msg = if !changed {
            ": ping\n\n".to_string()
        } else {
            seen = now;
            match error {
                Some(e) => event("build-error", &e),
                None => event("reload", &now.to_string()),
            }
        };
        if send(&mut w, &msg).is_err() {
            return;
        }
    }
}

fn event(name: &str, data: &str) -> String {
    let mut s = format!("event: {name}\n");
    for line in data.lines() {
        s.push_str("data: ");
        s.push_str(line);
        s.push('\n');
    }
    if data.is_empty() {
        s.push_str("data:\n");
    }
    s.push('\n');
    s
}

fn send(w: &mut Box<dyn Write + Send>, s: &str) -> io::Result<()> {
    w.write_all(s.as_bytes())?;
    w.flush()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn bytes(status: u16, body: Vec<u8>, content_type: &str) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, body: &str) -> Response<io::Cursor<Vec<u8>>> {
    bytes(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("jiaoyu/yulu")).unwrap();
        std::fs::write(out.join("jiaoyu/yulu/index.html"), "<body>雨露</body>").unwrap();
        std::fs::write(out.join("index.html"), "<body>home</body>").unwrap();
        std::fs::write(out.join(".hidden"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        tmp
    }

    #[test]
    fn paths_inside_are_served() {
        let tmp = site();
        let out = tmp.path().join("public");
        let base = out.canonicalize().unwrap();
        assert_eq!(
            resolve(&out, "/jiaoyu/yulu/"),
            Resolved::File(base.join("jiaoyu/yulu/index.html"))
        );
        assert_eq!(resolve(&out, "/"), Resolved::File(base.join("index.html")));
        assert_eq!(
            resolve(&out, "/jiaoyu/yulu"),
            Resolved::Redirect("/jiaoyu/yulu/".into())
        );
        assert_eq!(
            resolve(&out, "/%6aiaoyu/yulu/index.html"),
            Resolved::File(base.join("jiaoyu/yulu/index.html"))
        );
        assert_eq!(resolve(&out, "/nope/"), Resolved::NotFound);
    }

    #[test]
    fn ways_out_are_refused() {
        let tmp = site();
        let out = tmp.path().join("public");
        for p in [
            "/../secret.txt",
            "/jiaoyu/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/..%5csecret.txt",
            "/jiaoyu%2f..%2f..%2fsecret.txt",
            "/%00",
            "secret.txt",
        ] {
            assert_eq!(resolve(&out, p), Resolved::Forbidden, "{p}");
        }
        assert_eq!(resolve(&out, "/.hidden"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            std::os::unix::fs::symlink(tmp.path(), out.join("up")).unwrap();
            assert_eq!(resolve(&out, "/link.txt"), Resolved::Forbidden);
            assert_eq!(resolve(&out, "/up/secret.txt"), Resolved::Forbidden);
        }
    }

    #[test]
    fn script_and_error_go_before_body_end() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), None);
        assert!(html.ends_with(r#"<script src="/__mingbai/live.js"></script></body></html>"#));
        let html = inject(b"<body>x</body>".to_vec(), Some("error: <bad> & worse"));
        assert!(html.contains("mingbai-error"));
        assert!(html.contains("error: &lt;bad&gt; &amp; worse"));
    }

    #[test]
    fn events_carry_multi_line_reports() {
        assert_eq!(
            event("build-error", "a\nb"),
            "event: build-error\ndata: a\ndata: b\n\n"
        );
    }
}
