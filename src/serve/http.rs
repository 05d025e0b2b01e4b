//! What the preview server answers: files of the output folder, the site's 404 page,
//! and live reload over server-sent events ([`super::server`] moves the bytes). Only
//! files inside the output folder are served: `..`, encoded dots and slashes, dotfiles
//! and symlinks that lead out are refused; `//` in a path is one `/` (never another
//! host); a site whose `base_url` has a path (`/qinghe/`) is served under that path as
//! well as at the root, so pages built with absolute links (the 404 page) find their
//! stylesheet. The live-reload script (and, while a save is broken, the error) is added
//! to HTML as it is served; built files never contain it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, RwLock};

use percent_encoding::percent_decode_str;

const LIVE_JS: &str = include_str!("live.js");
const EVENTS: &str = "/__mingbai/live";
const SCRIPT: &str = "/__mingbai/live.js";

type Waker = Box<dyn Fn() + Send + Sync>;

/// What open pages are told: a new site is on disk, or the last save broke the build.
#[derive(Default)]
pub(crate) struct Live {
    state: Mutex<(u64, Option<String>)>,
    changed: Condvar,
    waker: Mutex<Option<Waker>>,
}

impl Live {
    /// A rebuild succeeded: pages reload, any error overlay goes.
    pub(crate) fn reloaded(&self) {
        self.set(None);
    }

    /// A rebuild failed: pages show `report` over the last good site.
    pub(crate) fn failed(&self, report: String) {
        self.set(Some(report));
    }

    fn set(&self, error: Option<String>) {
        {
            let mut s = self.state.lock().unwrap();
            s.0 += 1;
            s.1 = error;
            self.changed.notify_all();
        }
        if let Some(w) = &*self.waker.lock().unwrap() {
            w();
        }
    }

    /// Called after each change (the server wakes its streams).
    pub(crate) fn set_waker(&self, w: Waker) {
        *self.waker.lock().unwrap() = Some(w);
    }

    pub(crate) fn version(&self) -> u64 {
        self.state.lock().unwrap().0
    }

    pub(crate) fn current(&self) -> (u64, Option<String>) {
        self.state.lock().unwrap().clone()
    }

    fn error(&self) -> Option<String> {
        self.state.lock().unwrap().1.clone()
    }
}

/// The folder served and the path the site lives under; both follow site.toml.
pub(crate) struct Served {
    place: RwLock<(PathBuf, String)>,
}

impl Served {
    /// `base` is the path part of `base_url` ("/qinghe/", or "/").
    pub(crate) fn new(out: PathBuf, base: String) -> Served {
        Served {
            place: RwLock::new((out, base)),
        }
    }

    /// Follows site.toml after a rebuild; whether the place changed.
    pub(crate) fn set(&self, out: PathBuf, base: String) -> bool {
        let mut place = self.place.write().unwrap();
        let changed = *place != (out.clone(), base.clone());
        *place = (out, base);
        changed
    }

    fn get(&self) -> (PathBuf, String) {
        self.place.read().unwrap().clone()
    }
}

/// An answer: the status line and headers, then the body.
pub(crate) enum Reply {
    Full {
        head: Vec<u8>,
        body: Body,
    },
    /// Becomes a live-reload stream after this greeting.
    Events(String),
}

pub(crate) enum Body {
    Bytes(Vec<u8>),
    /// Streamed from disk.
    File(File, u64),
    /// HEAD.
    None,
}

/// The answer to `method path`.
pub(crate) fn route(served: &Served, live: &Live, method: &str, raw: &str) -> Reply {
    if !matches!(method, "GET" | "HEAD") {
        return text(405, "only GET and HEAD");
    }
    let head_only = method == "HEAD";
    let path = normalize(raw.split(['?', '#']).next().unwrap_or("/"));
    if path == EVENTS {
        return Reply::Events(greeting(live));
    }
    if path == SCRIPT {
        return reply(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
            head_only,
        );
    }
    let (out, base) = served.get();
    // The site at its base path too: /qinghe/jiaoyu/ is /jiaoyu/.
    let (prefix, local) = match base.strip_suffix('/') {
        Some(b) if !b.is_empty() && path == b => return redirect(&format!("{b}/")),
        Some(b) if !b.is_empty() && path.starts_with(&base) => (b, path[b.len()..].to_string()),
        _ => ("", path.clone()),
    };
    match resolve(&out, &local) {
        Resolved::File(file) => file_reply(200, &file, live, head_only)
            .unwrap_or_else(|| not_found(&out, live, head_only)),
        Resolved::Redirect(to) => redirect(&format!("{prefix}{to}")),
        Resolved::Forbidden => text(403, "forbidden"),
        Resolved::NotFound => not_found(&out, live, head_only),
    }
}

/// `//a///b` → `/a/b`: a path that starts with `//` would be another host in a
/// `Location` header.
fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[derive(Debug, PartialEq)]
pub(crate) enum Resolved {
    File(PathBuf),
    Redirect(String),
    Forbidden,
    NotFound,
}

/// Maps a request path to a file inside `out`, refusing anything that could leave it.
pub(crate) fn resolve(out: &Path, raw: &str) -> Resolved {
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

fn not_found(out: &Path, live: &Live, head_only: bool) -> Reply {
    let page = out.join("404.html");
    file_reply(404, &page, live, head_only).unwrap_or_else(|| text(404, &tr!("serve-no-page")))
}

fn file_reply(status: u16, file: &Path, live: &Live, head_only: bool) -> Option<Reply> {
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
    if mime.essence_str() == "text/html" {
        let body = std::fs::read(file).ok()?;
        let body = inject(body, live.error().as_deref()).into_bytes();
        return Some(reply(status, &content_type, body, head_only));
    }
    let f = File::open(file).ok()?;
    let len = f.metadata().ok()?.len();
    let head = head_bytes(status, &content_type, len, &[]);
    Some(Reply::Full {
        head,
        body: if head_only {
            Body::None
        } else {
            Body::File(f, len)
        },
    })
}

/// The live-reload script before `</body>`, and the error box while a save is broken.
/// The box's style and headline come with the script, so the box live.js builds when
/// a later save breaks looks the same and speaks the same language.
pub(crate) fn inject(html: Vec<u8>, error: Option<&str>) -> String {
    let mut html = String::from_utf8_lossy(&html).into_owned();
    let mut add = format!(
        r#"<style id="mb-overlay-style">{OVERLAY_CSS}</style><script src="{SCRIPT}" data-title="{}" data-note="{}"></script>"#,
        escape(&tr!("overlay-title")),
        escape(&tr!("overlay-note")),
    );
    if let Some(e) = error {
        add.insert_str(0, &overlay(e));
    }
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &add),
        None => html.push_str(&add),
    }
    html
}

/// The error box (class `mb-overlay`: the id marks a page that shows an error, and this
/// style is on every served page) covers the whole window with an opaque panel above anything a theme
/// positions (sticky headers, menus), and its text is styled here in full so no page
/// style (a theme's `pre`, its colours) shows through. Read on a phone: wrapped lines,
/// text at 16 px, the headline kept in view while scrolling.
const OVERLAY_CSS: &str = ".mb-overlay{position:fixed;top:0;right:0;bottom:0;left:0;\
z-index:2147483647;overflow:auto;-webkit-overflow-scrolling:touch;box-sizing:border-box;\
margin:0;padding:0;background:#1d1d1f;color:#f2f2f2;text-align:left;\
font:16px/1.6 system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}\
.mb-overlay *{box-sizing:border-box}\
.mb-overlay .mb-head{position:sticky;top:0;margin:0;padding:14px 16px;background:#b3261e;\
color:#fff;font-size:19px;font-weight:bold;line-height:1.4}\
.mb-overlay .mb-note{margin:0;padding:10px 16px;background:#2c2c2e;color:#e0e0e0;font-size:15px}\
.mb-overlay pre{margin:0;padding:16px;border:0;background:#1d1d1f;color:#f2f2f2;\
white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;\
font:14px/1.55 ui-monospace,'Noto Sans Mono CJK SC','Sarasa Mono SC',Menlo,Consolas,monospace}";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The error box (the same markup live.js builds when an error arrives).
fn overlay(report: &str) -> String {
    format!(
        r#"<div id="mingbai-error" class="mb-overlay" role="alert"><p class="mb-head">{}</p><p class="mb-note">{}</p><pre>{}</pre></div>"#,
        escape(&tr!("overlay-title")),
        escape(&tr!("overlay-note")),
        escape(report)
    )
}

/// The first bytes of a live-reload stream: headers, a greeting, and the error if the
/// last save broke the build.
fn greeting(live: &Live) -> String {
    let mut s = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n: mingbai live reload\n\n",
    );
    if let Some(e) = live.error() {
        s.push_str(&event("build-error", &e));
    }
    s
}

pub(crate) fn event(name: &str, data: &str) -> String {
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

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}

fn head_bytes(status: u16, content_type: &str, len: u64, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status)
    );
    for (k, v) in extra {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    h.into_bytes()
}

fn reply(status: u16, content_type: &str, body: Vec<u8>, head_only: bool) -> Reply {
    Reply::Full {
        head: head_bytes(status, content_type, body.len() as u64, &[]),
        body: if head_only {
            Body::None
        } else {
            Body::Bytes(body)
        },
    }
}

fn redirect(to: &str) -> Reply {
    Reply::Full {
        head: head_bytes(301, "text/plain; charset=utf-8", 5, &[("Location", to)]),
        body: Body::Bytes(b"moved".to_vec()),
    }
}

pub(crate) fn text(status: u16, body: &str) -> Reply {
    reply(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
        false,
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
        assert!(html.contains(r#"<script src="/__mingbai/live.js" data-title="#));
        assert!(html.ends_with("</script></body></html>"));
        // The overlay's style is on every page; the marker only with an error.
        assert!(!html.contains("mingbai-error"), "{html}");
        let html = inject(b"<body>x</body>".to_vec(), Some("error: <bad> & worse"));
        assert!(html.contains("mingbai-error"));
        assert!(html.contains("error: &lt;bad&gt; &amp; worse"));
    }

    /// The status and the Location header of a reply.
    fn answer(served: &Served, path: &str) -> (u16, Option<String>) {
        let live = Live::default();
        match route(served, &live, "GET", path) {
            Reply::Full { head, .. } => {
                let head = String::from_utf8(head).unwrap();
                let status = head[9..12].parse().unwrap();
                let location = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Location: "))
                    .map(str::to_string);
                (status, location)
            }
            Reply::Events(_) => (0, None),
        }
    }

    #[test]
    fn double_slashes_stay_on_this_host_and_the_base_path_is_served() {
        let tmp = site();
        let out = tmp.path().join("public");
        std::fs::write(out.join("404.html"), "<body>404</body>").unwrap();
        let served = Served::new(out.clone(), "/".into());
        assert_eq!(answer(&served, "//jiaoyu"), (301, Some("/jiaoyu/".into())));
        assert_eq!(answer(&served, "//jiaoyu//yulu/"), (200, None));
        let served = Served::new(out, "/qinghe/".into());
        assert_eq!(answer(&served, "/qinghe/jiaoyu/yulu/"), (200, None));
        assert_eq!(answer(&served, "/jiaoyu/yulu/"), (200, None));
        assert_eq!(answer(&served, "/qinghe"), (301, Some("/qinghe/".into())));
        assert_eq!(
            answer(&served, "/qinghe/jiaoyu"),
            (301, Some("/qinghe/jiaoyu/".into()))
        );
        assert_eq!(answer(&served, "/qinghe/nope/"), (404, None));
        assert_eq!(answer(&served, "/__mingbai/live"), (0, None));
    }

    #[test]
    fn events_carry_multi_line_reports() {
        assert_eq!(
            event("build-error", "a\nb"),
            "event: build-error\ndata: a\ndata: b\n\n"
        );
    }
}
