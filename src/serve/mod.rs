//! `mingbai serve` and `mingbai watch`: watching ([`watch`]), HTTP ([`http`]) and live
//! reload ([`http::Live`]) around the build engine ([`crate::engine`]), which builds
//! once and then applies each save; changed cards are printed in a worker of their
//! own so PDFs never hold back the pages.

pub(crate) mod http;
mod server;
pub(crate) mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, print_all};
use crate::engine::{self, Change, Engine, PrintJob};
use crate::output::InPlace;
use http::{Live, Served};

pub(crate) struct Options {
    /// What to build: the handbook, the output folder, print and search on or off.
    pub build: engine::Options,
    /// `None`: watch and rebuild only (`mingbai watch`).
    pub server: Option<ServerOptions>,
}

pub(crate) struct ServerOptions {
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

/// How long after the last save the imposed sheets and the handbook are printed again.
const WHOLE_PRINT_DELAY: Duration = Duration::from_secs(3);

pub(crate) fn run(opts: &Options) -> anyhow::Result<i32> {
    let build_opts = opts.build.clone();
    let out = match &opts.build.output {
        Some(o) => o.clone(),
        None => {
            let dir = SiteConfig::load(&opts.build.root).map_or("public".into(), |c| c.output_dir);
            opts.build.root.join(dir)
        }
    };
    let live = Arc::new(Live::default());
    // The port first: a busy one is reported before a long first build, not after.
    let listener = match &opts.server {
        Some(s) => match server::bind(SocketAddr::new(s.bind, s.port)) {
            Ok(l) => Some(l),
            Err(m) => {
                eprintln!("{}", tr!("serve-error", message = m));
                return Ok(1);
            }
        },
        None => None,
    };
    // Watch before the first build, so a save during it is not missed.
    let mut watcher = watch::Watcher::new(&opts.build.root).map_err(|e| {
        anyhow::anyhow!(tr!(
            "serve-cannot-watch",
            dir = opts.build.root.display(),
            error = e
        ))
    })?;
    let printer = start_printer();
    let mut dev = Engine::new(build_opts);
    let served = Arc::new(Served::new(out.clone(), base_path(&opts.build.root)));
    let first = Instant::now();
    step(&mut dev, &Change::everything(), &live, &printer, &served);
    eprintln!(
        "{}",
        tr!(
            "serve-first-build",
            secs = format!("{:.2}", first.elapsed().as_secs_f64())
        )
    );
    match (&opts.server, listener) {
        (Some(s), Some(listener)) => {
            let bound = listener.local_addr()?;
            server::start(listener, served.clone(), live.clone())
                .map_err(|e| anyhow::anyhow!(tr!("serve-cannot-start", error = e)))?;
            let url = format!("http://{bound}/");
            eprintln!("{}", tr!("serve-serving", dir = out.display(), url = url));
            if !s.bind.is_loopback() {
                eprintln!("{}", tr!("serve-listening-all", addr = s.bind));
            }
            if s.open && open::that_detached(&url).is_err() {
                eprintln!("{}", tr!("serve-no-browser", url = url));
            }
        }
        _ => eprintln!(
            "{}",
            tr!(
                "serve-watching",
                root = opts.build.root.display(),
                out = out.display()
            )
        ),
    }
    while let Some(change) = watcher.wait() {
        step(&mut dev, &change, &live, &printer, &served);
    }
    Ok(0)
}

/// One rebuild: report it in the terminal and to open pages; queue the cards.
fn step(
    dev: &mut Engine,
    change: &Change,
    live: &Live,
    printer: &Sender<(PrintJob, Arc<InPlace>)>,
    served: &Served,
) {
    let mut told = false;
    let result = dev.apply(change, &mut |_| {
        live.reloaded();
        told = true;
    });
    match result {
        Ok((o, job)) => {
            // site.toml may have moved the output folder or the base path: serve
            // the new place, and have open pages load from it.
            if let Some(out) = dev.output() {
                let place = (out.to_path_buf(), base_path(dev.root()));
                if served.set(place.0, place.1) {
                    told = false;
                }
            }
            if !told {
                live.reloaded();
            }
            if change.everything {
                print_all(&o.warnings[..o.warnings.len().min(10)]);
            }
            eprintln!(
                "{}",
                tr!(
                    "serve-rebuilt",
                    time = stamp(),
                    pages = o.rendered,
                    files = o.written,
                    removed = if o.removed > 0 {
                        tr!("serve-rebuilt-removed", n = o.removed)
                    } else {
                        String::new()
                    },
                    ms = format!("{:.0}", o.elapsed.as_secs_f64() * 1000.0),
                    after = if o.pages_after.is_zero() {
                        String::new()
                    } else {
                        tr!(
                            "serve-rebuilt-after",
                            ms = format!("{:.0}", o.pages_after.as_secs_f64() * 1000.0)
                        )
                    }
                )
            );
            if let (Some(job), Some(sink)) = (job, dev.sink()) {
                let _ = printer.send((job, sink));
            }
        }
        Err(diags) => {
            print_all(&diags);
            eprintln!("{}", tr!("serve-build-failed", time = stamp()));
            live.failed(report(&diags));
        }
    }
}

/// The errors as shown in the browser: the same text as in the terminal.
fn report(diags: &[Diagnostic]) -> String {
    let mut errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    errors.truncate(20);
    let mut s: String = errors.iter().map(|d| format!("{d}\n")).collect();
    let more = diags.iter().filter(|d| d.is_error()).count() - errors.len();
    if more > 0 {
        s.push_str(&tr!("overlay-more", more = more));
        s.push('\n');
    }
    s
}

/// The path part of the site's `base_url` ("/qinghe/"), "/" when it has none.
fn base_path(root: &std::path::Path) -> String {
    SiteConfig::load(root).map_or_else(|_| "/".into(), |c| c.base_path())
}

fn stamp() -> String {
    jiff::Zoned::now().strftime("[%H:%M:%S]").to_string()
}

/// The print worker: cards of edited entries right away; the imposed sheets and the
/// handbook once the editor pauses.
fn start_printer() -> Sender<(PrintJob, Arc<InPlace>)> {
    let (tx, rx) = channel::<(PrintJob, Arc<InPlace>)>();
    std::thread::spawn(move || print_worker(&rx));
    tx
}

fn print_worker(rx: &Receiver<(PrintJob, Arc<InPlace>)>) {
    // The latest site, when the sheets and handbook still need printing from it.
    let mut whole_due: Option<(PrintJob, Arc<InPlace>)> = None;
    loop {
        let next = match &whole_due {
            Some(_) => match rx.recv_timeout(WHOLE_PRINT_DELAY) {
                Ok(j) => Some(j),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            },
            None => match rx.recv() {
                Ok(j) => Some(j),
                Err(_) => return,
            },
        };
        let Some(mut job) = next else {
            if let Some((job, sink)) = whole_due.take() {
                print_whole(&job, &sink);
            }
            continue;
        };
        // Saves that came while printing: only the latest site matters.
        while let Ok(more) = rx.try_recv() {
            job = merge(job, more);
        }
        let (j, sink) = &job;
        match &j.ids {
            None => {
                // The edited cards now; the whole print once saves pause (it takes
                // seconds, both cores, and cannot be stopped for the next save).
                if !j.first.is_empty() {
                    print_cards(j, sink, &j.first);
                }
                whole_due = Some(job);
            }
            Some(ids) => {
                print_cards(j, sink, ids);
                whole_due = Some(job);
            }
        }
    }
}

/// The cards of the entries `ids` of the job's site.
fn print_cards(j: &PrintJob, sink: &InPlace, ids: &[String]) {
    let which: Vec<usize> = ids
        .iter()
        .filter_map(|id| j.site.by_id.get(id).copied())
        .collect();
    if let Err(d) = crate::print::run::cards_only(&j.site, &j.theme, sink, &which) {
        print_all(&d);
        eprintln!("{}", tr!("serve-cards-failed", time = stamp()));
    }
}

fn merge(a: (PrintJob, Arc<InPlace>), b: (PrintJob, Arc<InPlace>)) -> (PrintJob, Arc<InPlace>) {
    let union = |mut x: Vec<String>, y: Vec<String>| {
        x.extend(y);
        x.sort();
        x.dedup();
        x
    };
    let first = union(a.0.first, b.0.first);
    let (ids, first) = match (a.0.ids, b.0.ids) {
        (Some(x), Some(y)) => (Some(union(x, y)), first),
        // Everything prints: the cards edited in either save go first.
        (Some(x), None) | (None, Some(x)) => (None, union(first, x)),
        (None, None) => (None, first),
    };
    (PrintJob { ids, first, ..b.0 }, b.1)
}

fn print_whole(job: &PrintJob, sink: &InPlace) {
    let t = Instant::now();
    let mut cache = crate::print::cache::CardCache::open(&job.site.root, true);
    match crate::print::run::run(&job.site, &job.theme, sink, &mut cache) {
        Ok(r) => {
            cache.save();
            eprintln!(
                "{}",
                tr!(
                    "serve-printed",
                    time = stamp(),
                    cards = r.cards,
                    pages = r.handbook_pages,
                    secs = format!("{:.1}", t.elapsed().as_secs_f64())
                )
            );
        }
        Err(d) => {
            print_all(&d);
            eprintln!("{}", tr!("serve-print-failed", time = stamp()));
        }
    }
}
