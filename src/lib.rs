//! mingbai (明白): a static site generator for county policy handbooks (政策手册) and
//! printable 明白卡.
//!
//! Data flows one way: files → [`content`] (the content model) → [`site`] (the site
//! graph) → [`values`] (shared template values) → renderers ([`html`], [`search`],
//! [`print`] on the [`typeset`]ter) → [`output`] (the writer). [`engine`] runs that
//! pipeline for every command; the [`cmd`] modules are the thin command-line entry
//! points.

// Items are `pub(crate)` unless the binary, the fuzz tests or the docs reach them.
#![warn(unreachable_pub)]

// The allocator of the executable and of every test binary (see Cargo.toml for why).
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

// First, so `tr!` is in scope in every module after it.
#[macro_use]
pub(crate) mod i18n;
pub mod cli;
pub(crate) mod cmd;
pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod diagnostics;
pub(crate) mod edition;
pub(crate) mod engine;
pub(crate) mod fields;
pub(crate) mod figures;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod guard;
pub(crate) mod households;
pub(crate) mod html;
pub(crate) mod ids;
pub(crate) mod images;
pub(crate) mod markdown;
pub(crate) mod output;
pub mod platform;
pub(crate) mod print;
pub(crate) mod privacy;
pub(crate) mod search;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod sniff;
pub(crate) mod tel;
pub(crate) mod templates;
#[cfg(test)]
mod testing;
pub(crate) mod theme;
pub(crate) mod typeset;
pub(crate) mod values;
