//! One module per subcommand; each parses nothing and decides little: it calls the
//! pipeline and reports.

pub(crate) mod build;
pub(crate) mod cards;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod init;
pub(crate) mod serve;

/// The stages of a build and how long each took (`--timings`, `MINGBAI_TIMINGS=1`),
/// print's own stages after `print`.
fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    eprintln!("{}", tr!("timings-heading"));
    for (stage, t) in timings {
        eprintln!("  {stage:<10} {:>8.1} ms", t.as_secs_f64() * 1000.0);
    }
}
