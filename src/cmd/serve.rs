//! `mingbai serve` and `mingbai watch`

use std::net::IpAddr;

use crate::engine;
use crate::serve::{self, Options, ServerOptions};

pub(crate) fn run(
    build: engine::Options,
    server: Option<(IpAddr, u16, bool)>,
) -> anyhow::Result<i32> {
    serve::run(&Options {
        build,
        server: server.map(|(bind, port, open)| ServerOptions { bind, port, open }),
    })
}
