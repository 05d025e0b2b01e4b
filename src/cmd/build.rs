//! `mingbai build`

use std::time::Instant;

use crate::diagnostics::print_all;
use crate::engine::{Engine, Options};

pub fn run(opts: Options, timings: bool) -> anyhow::Result<i32> {
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
                    "… and {} more warnings: run `mingbai check` to see them all",
                    report.warnings.len() - SHOWN
                );
            }
            eprintln!(
                "built {} pages and {} static files ({:.1} MB) into {} in {:.2} s",
                report.pages,
                report.static_files,
                report.bytes as f64 / 1e6,
                report.output.display(),
                start.elapsed().as_secs_f64()
            );
            if report.search.1 > 0 {
                eprintln!(
                    "search index: {:.1} MB in {} files (loaded a few files at a time)",
                    report.search.0 as f64 / 1e6,
                    report.search.1
                );
            }
            if let Some(p) = &report.print {
                if p.cards > 0 {
                    eprintln!(
                        "printed {} cards ({} A4 sheets in print/cards.pdf){}",
                        p.cards,
                        p.sheets,
                        if p.handbook_pages > 0 {
                            format!(" and a {}-page handbook", p.handbook_pages)
                        } else {
                            String::new()
                        }
                    );
                }
                if !p.with_back.is_empty() {
                    eprintln!(
                        "{} card(s) did not fit one face and continue on the back: {}",
                        p.with_back.len(),
                        p.with_back.join(", ")
                    );
                }
            }
            Ok(0)
        }
        Err(diags) => {
            print_all(&diags);
            if strict {
                eprintln!("--strict treats warnings as errors");
            }
            eprintln!("build failed: the previous output, if any, was left as it was");
            Ok(1)
        }
    }
}
