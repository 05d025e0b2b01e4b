//! `mingbai diff OLD NEW`: what changed between two editions of a handbook.

use std::path::Path;

use crate::diagnostics::print_all;
use crate::edition::{self, output};

pub(crate) fn run(root: &Path, old: &str, new: &str, json: bool) -> anyhow::Result<i32> {
    match edition::diff(root, old, new) {
        Ok(r) => {
            if json {
                print!("{}", output::reprint_json_full(&r));
            } else {
                print!("{}", output::text(&r, new));
            }
            Ok(0)
        }
        Err(d) => {
            print_all(&d);
            Ok(1)
        }
    }
}
