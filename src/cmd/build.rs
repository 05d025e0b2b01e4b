//! `mingbai build`

use std::time::Instant;

use crate::diagnostics::print_all;
use crate::engine::{Engine, Options};

pub(crate) fn run(opts: Options, timings: bool) -> anyhow::Result<i32> {
    let start = Instant::now();
    // One pass either way: a strict build renders everything once and keeps the
    // previous output when there are warnings.
    let strict = opts.strict;
    let mut engine = Engine::new(opts);
    let result = engine.build();
    if timings || std::env::var_os("MINGBAI_TIMINGS").is_some() {
        super::print_timings(engine.timings());
    }
    match result {
        Ok(report) => {
            // A build shows a few warnings; `check` lists them all.
            const SHOWN: usize = 10;
            print_all(&report.warnings[..report.warnings.len().min(SHOWN)]);
            if report.warnings.len() > SHOWN {
                eprintln!(
                    "{}",
                    tr!("build-more-warnings", n = report.warnings.len() - SHOWN)
                );
            }
            eprintln!(
                "{}",
                tr!(
                    "build-done",
                    pages = report.pages,
                    files = report.static_files,
                    mb = format!("{:.1}", report.bytes as f64 / 1e6),
                    output = report.output.display(),
                    secs = format!("{:.2}", start.elapsed().as_secs_f64())
                )
            );
            if report.search.1 > 0 {
                eprintln!(
                    "{}",
                    tr!(
                        "build-search-index",
                        mb = format!("{:.1}", report.search.0 as f64 / 1e6),
                        files = report.search.1
                    )
                );
                if let Some(n) = report.search_reindexed {
                    eprintln!("{}", tr!("build-search-kept", n = n));
                }
            }
            if let Some(p) = &report.print {
                if p.cards > 0 {
                    let line = if p.handbook_pages > 0 {
                        tr!(
                            "build-printed-handbook",
                            cards = p.cards,
                            sheets = p.sheets,
                            pages = p.handbook_pages
                        )
                    } else {
                        tr!("build-printed", cards = p.cards, sheets = p.sheets)
                    };
                    eprintln!("{line}");
                }
                if p.reused > 0 {
                    eprintln!("{}", tr!("build-cards-reused", n = p.reused));
                }
                if p.sheets_copied > 0 {
                    eprintln!("{}", tr!("build-sheets-copied", n = p.sheets_copied));
                }
                if p.chapters_reused > 0 {
                    eprintln!("{}", tr!("build-chapters-reused", n = p.chapters_reused));
                }
                if p.chapters_resumed > 0 {
                    eprintln!("{}", tr!("build-chapters-resumed", n = p.chapters_resumed));
                }
                if p.chapters_rejoined > 0 {
                    eprintln!(
                        "{}",
                        tr!("build-chapters-rejoined", n = p.chapters_rejoined)
                    );
                }
                if !p.with_back.is_empty() {
                    eprintln!(
                        "{}",
                        tr!(
                            "build-card-back",
                            n = p.with_back.len(),
                            ids = p.with_back.join(", ")
                        )
                    );
                }
            }
            Ok(0)
        }
        Err(diags) => {
            print_all(&diags);
            if strict {
                eprintln!("{}", tr!("strict-fails"));
            }
            eprintln!("{}", tr!("build-failed"));
            Ok(1)
        }
    }
}
