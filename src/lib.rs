//! mingbai (明白): a static site generator for county policy handbooks (政策手册) and
//! printable 明白卡.
//!
//! Data flows one way: files → [`content`] (the content model) → [`site`] (the site
//! graph) → renderers ([`html`]) → [`output`] (the writer). [`build`] runs that
//! pipeline; the [`cmd`] modules are the thin command-line entry points.

// First, so `tr!` is in scope in every module after it.
#[macro_use]
pub(crate) mod i18n;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod edition;
pub mod fields;
pub mod figures;
pub(crate) mod guard;
pub mod households;
pub mod html;
pub(crate) mod ids;
pub(crate) mod images;
pub mod markdown;
pub mod output;
pub mod platform;
pub mod print;
pub(crate) mod privacy;
pub mod search;
pub mod serve;
pub mod site;
pub(crate) mod sniff;
pub mod templates;
pub mod theme;
pub mod typeset;
