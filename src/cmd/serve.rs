//! `mingbai serve` and `mingbai watch`

use std::net::IpAddr;
use std::path::PathBuf;

use crate::serve::{self, Options, ServerOptions};

pub fn run(
    root: PathBuf,
    output: Option<PathBuf>,
    no_print: bool,
    server: Option<(IpAddr, u16, bool)>,
) -> anyhow::Result<i32> {
    serve::run(&Options {
        root,
        output,
        no_print,
        server: server.map(|(bind, port, open)| ServerOptions { bind, port, open }),
    })
}
