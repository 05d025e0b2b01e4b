//! The preview server's connections: one thread accepts, one thread moves every
//! connection forward with non-blocking reads and writes. No connection owns a thread,
//! so slow or idle clients (a phone that requests `cards.pdf` and never reads it, fifty
//! open tabs each holding a live-reload stream) cannot tie up the server or exhaust
//! memory; each has deadlines, and a client too slow to keep up is dropped. Files are
//! streamed from disk in chunks, never held whole per client. What to answer is
//! [`super::http::route`]'s business.

use std::fs::File;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use super::http::{self, Body, Live, Reply, Served};

/// Open connections at once; past this a new one is closed at once.
const MAX_CONNECTIONS: usize = 1024;
/// A request's head must arrive whole within this many bytes and this time.
const MAX_REQUEST: usize = 16 * 1024;
const READ_DEADLINE: Duration = Duration::from_secs(10);
/// A response that makes no progress for this long, or takes this long in all, is
/// dropped (a reader that stopped reading).
const STALL: Duration = Duration::from_secs(10);
const WRITE_DEADLINE: Duration = Duration::from_secs(300);
/// Live-reload bytes a stream may have waiting before its client counts as gone.
const STREAM_BACKLOG: usize = 256 * 1024;
const PING: Duration = Duration::from_secs(15);
const CHUNK: usize = 64 * 1024;

pub(crate) enum Msg {
    Conn(TcpStream),
    /// The site was rebuilt (or broke): tell the streams.
    Wake,
}

/// Listens on `addr` (already bound by the caller, so a busy port is known before the
/// first build) and serves in two background threads.
pub(crate) fn start(listener: TcpListener, served: Arc<Served>, live: Arc<Live>) -> io::Result<()> {
    let (tx, rx) = channel();
    let waker = tx.clone();
    live.set_waker(Box::new(move || {
        let _ = waker.send(Msg::Wake);
    }));
    std::thread::Builder::new()
        .name("mingbai-accept".into())
        .spawn(move || accept(&listener, &tx))?;
    std::thread::Builder::new()
        .name("mingbai-http".into())
        .spawn(move || pump(&rx, &served, &live))?;
    Ok(())
}

fn accept(listener: &TcpListener, tx: &Sender<Msg>) {
    for stream in listener.incoming() {
        match stream {
            Ok(s) => {
                if s.set_nonblocking(true).is_ok() {
                    let _ = s.set_nodelay(true);
                    if tx.send(Msg::Conn(s)).is_err() {
                        return;
                    }
                }
            }
            // Out of file descriptors and the like: wait, never give up the socket.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

enum State {
    Reading(Vec<u8>),
    Writing {
        out: Vec<u8>,
        pos: usize,
        file: Option<(File, u64)>,
        last_progress: Instant,
        /// Becomes a live-reload stream once the head is out.
        then_stream: bool,
    },
    Streaming {
        out: Vec<u8>,
    },
}

struct Conn {
    stream: TcpStream,
    state: State,
    since: Instant,
}

#[derive(PartialEq)]
enum Step {
    Keep,
    Close,
}

fn pump(rx: &Receiver<Msg>, served: &Served, live: &Live) {
    let mut conns: Vec<Conn> = Vec::new();
    let mut seen = live.version();
    let mut last_ping = Instant::now();
    loop {
        // Poll quickly while bytes are on the move, otherwise sleep until woken.
        let busy = conns
            .iter()
            .any(|c| !matches!(&c.state, State::Streaming { out } if out.is_empty()));
        let wait = if busy { Duration::from_millis(2) } else { PING };
        let mut incoming = Vec::new();
        match rx.recv_timeout(wait) {
            Ok(m) => incoming.push(m),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        incoming.extend(rx.try_iter());
        for m in incoming {
            if let Msg::Conn(stream) = m {
                if conns.len() < MAX_CONNECTIONS {
                    conns.push(Conn {
                        stream,
                        state: State::Reading(Vec::new()),
                        since: Instant::now(),
                    });
                }
            }
        }
        let (version, error) = live.current();
        if version != seen {
            seen = version;
            let ev = match error {
                Some(e) => http::event("build-error", &e),
                None => http::event("reload", &version.to_string()),
            };
            for c in &mut conns {
                if let State::Streaming { out } = &mut c.state {
                    out.extend_from_slice(ev.as_bytes());
                }
            }
        }
        if last_ping.elapsed() >= PING {
            last_ping = Instant::now();
            for c in &mut conns {
                if let State::Streaming { out } = &mut c.state {
                    out.extend_from_slice(b": ping\n\n");
                }
            }
        }
        conns.retain_mut(|c| step(c, served, live) == Step::Keep);
    }
}

fn step(c: &mut Conn, served: &Served, live: &Live) -> Step {
    let now = Instant::now();
    match &mut c.state {
        State::Reading(buf) => {
            let mut chunk = [0u8; 4096];
            loop {
                match c.stream.read(&mut chunk) {
                    Ok(0) => return Step::Close,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(_) => return Step::Close,
                }
                if buf.len() > MAX_REQUEST {
                    break;
                }
            }
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut headers);
            let reply = match req.parse(buf) {
                Ok(httparse::Status::Complete(_)) => {
                    let method = req.method.unwrap_or("GET").to_string();
                    let path = req.path.unwrap_or("/").to_string();
                    http::route(served, live, &method, &path)
                }
                Ok(httparse::Status::Partial) if buf.len() <= MAX_REQUEST => {
                    if now.duration_since(c.since) > READ_DEADLINE {
                        return Step::Close;
                    }
                    return Step::Keep;
                }
                _ => http::text(400, &tr!("serve-bad-request")),
            };
            c.state = match reply {
                Reply::Events(first) => State::Writing {
                    out: first.into_bytes(),
                    pos: 0,
                    file: None,
                    last_progress: now,
                    then_stream: true,
                },
                Reply::Full { head, body } => {
                    let (out, file) = match body {
                        Body::Bytes(b) => ([head, b].concat(), None),
                        Body::File(f, len) => (head, Some((f, len))),
                        Body::None => (head, None),
                    };
                    State::Writing {
                        out,
                        pos: 0,
                        file,
                        last_progress: now,
                        then_stream: false,
                    }
                }
            };
            c.since = now;
            step(c, served, live)
        }
        State::Writing {
            out,
            pos,
            file,
            last_progress,
            then_stream,
        } => {
            loop {
                if *pos == out.len() {
                    out.clear();
                    *pos = 0;
                    match file {
                        Some((f, left)) if *left > 0 => {
                            out.resize(CHUNK.min(*left as usize), 0);
                            match f.read(out) {
                                Ok(0) | Err(_) => return Step::Close,
                                Ok(n) => {
                                    out.truncate(n);
                                    *left -= n as u64;
                                }
                            }
                        }
                        _ => break,
                    }
                }
                match c.stream.write(&out[*pos..]) {
                    Ok(0) => return Step::Close,
                    Ok(n) => {
                        *pos += n;
                        *last_progress = now;
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        let stalled = now.duration_since(*last_progress) > STALL;
                        let too_long = now.duration_since(c.since) > WRITE_DEADLINE;
                        return if stalled || too_long {
                            Step::Close
                        } else {
                            Step::Keep
                        };
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(_) => return Step::Close,
                }
            }
            if *then_stream {
                c.state = State::Streaming { out: Vec::new() };
                Step::Keep
            } else {
                let _ = c.stream.shutdown(std::net::Shutdown::Write);
                Step::Close
            }
        }
        State::Streaming { out } => {
            // A page that went away closes its end.
            let mut probe = [0u8; 512];
            match c.stream.read(&mut probe) {
                Ok(0) => return Step::Close,
                Err(e)
                    if e.kind() != ErrorKind::WouldBlock && e.kind() != ErrorKind::Interrupted =>
                {
                    return Step::Close;
                }
                _ => {}
            }
            while !out.is_empty() {
                match c.stream.write(out) {
                    Ok(0) => return Step::Close,
                    Ok(n) => {
                        out.drain(..n);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(_) => return Step::Close,
                }
            }
            if out.len() > STREAM_BACKLOG {
                Step::Close
            } else {
                Step::Keep
            }
        }
    }
}

/// Binds the preview's address, with a message in the editor's words for a port in use.
pub(crate) fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr).map_err(|e| {
        if e.kind() == ErrorKind::AddrInUse {
            let free = (addr.port().saturating_add(1)..addr.port().saturating_add(50))
                .find(|p| TcpListener::bind(SocketAddr::new(addr.ip(), *p)).is_ok());
            match free {
                Some(p) => tr!("serve-port-busy", port = addr.port(), free = p),
                None => tr!("serve-port-busy-none", port = addr.port()),
            }
        } else {
            tr!("serve-cannot-listen", addr = addr, error = e)
        }
    })
}
