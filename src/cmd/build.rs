//! `mingbai build`

use std::path::Path;
use std::time::Instant;

use crate::build::{self, Options};
use crate::diagnostics::print_all;

pub fn run(
    root: &Path,
    output: Option<&Path>,
    strict: bool,
    no_print: bool,
    large_print: bool,
) -> anyhow::Result<i32> {
    let start = Instant::now();
    let mut opts = Options::new(root);
    opts.output = output.map(Path::to_path_buf);
    opts.no_print = no_print;
    opts.large_print = large_print;
    // One pass either way: a strict build renders everything once and keeps the
    // previous output when there are warnings.
    opts.strict = strict;
    match build::build(&opts) {
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
            eprintln!(
                "search index: {:.1} MB in {} files (loaded a few files at a time)",
                report.search.0 as f64 / 1e6,
                report.search.1
            );
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
            if std::env::var_os("MINGBAI_TIMINGS").is_some() {
                let print_timings = report.print.iter().flat_map(|p| p.timings.iter());
                for (stage, t) in report.timings.iter().chain(print_timings) {
                    eprintln!("  {stage:<10} {:>8.1} ms", t.as_secs_f64() * 1000.0);
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
