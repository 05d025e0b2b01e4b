//! `mingbai check`

use std::path::Path;

use crate::build::{self, Options};
use crate::diagnostics::print_all;

pub fn run(root: &Path, strict: bool) -> anyhow::Result<i32> {
    match build::check(&Options::new(root)) {
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
