//! `mingbai check`

use std::path::Path;

use crate::diagnostics::print_all;
use crate::engine::{Engine, Options};

pub(crate) fn run(root: &Path, strict: bool, timings: bool) -> anyhow::Result<i32> {
    let mut engine = Engine::new(Options::new(root));
    let result = engine.check();
    if timings || std::env::var_os("MINGBAI_TIMINGS").is_some() {
        super::print_timings(engine.timings());
    }
    match result {
        Ok(report) => {
            print_all(&report.warnings);
            if report.warnings.is_empty() {
                eprintln!("{}", tr!("check-passed", pages = report.pages));
                Ok(0)
            } else if strict {
                eprintln!("{}", tr!("check-failed-strict"));
                Ok(1)
            } else {
                eprintln!("{}", tr!("check-passed-warnings", pages = report.pages));
                Ok(0)
            }
        }
        Err(diags) => {
            print_all(&diags);
            Ok(1)
        }
    }
}
