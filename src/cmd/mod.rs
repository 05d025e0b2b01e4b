//! One module per subcommand; each parses nothing and decides little: it calls the
//! pipeline and reports.

pub mod build;
pub mod cards;
pub mod check;
pub mod diff;
pub mod init;
pub mod serve;
