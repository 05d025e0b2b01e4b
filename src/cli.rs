//! Command-line interface: argument parsing and dispatch to [`crate::cmd`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd;

#[derive(Parser, Debug)]
#[command(
    name = "mingbai",
    version,
    about = "明白: builds a county policy handbook (政策手册) into a website and printable 明白卡"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site (and print PDFs) into the output folder.
    Build {
        /// The handbook folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; default: `output_dir` of site.toml under the root.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Treat warnings (expired policies, stale reviews, …) as errors.
        #[arg(long)]
        strict: bool,
        /// Skip print output (明白卡 and handbook PDFs).
        #[arg(long)]
        no_print: bool,
        /// Skip the search index and the search page.
        #[arg(long)]
        no_search: bool,
        /// Show how long each stage took (load, HTML, search, print, …).
        #[arg(long)]
        timings: bool,
        /// 印大字版明白卡：正文 14 磅以上，A5 卡片，给老年人看（同 site.toml 的 [print] type_size = "large"）。
        #[arg(long)]
        large_print: bool,
    },
    /// Build, serve the site on this computer, and rebuild and reload on every save.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        output: Option<PathBuf>,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 8200)]
        port: u16,
        /// Address to listen on; the default is this computer only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Skip print output (明白卡 and handbook PDFs).
        #[arg(long)]
        no_print: bool,
        /// Skip the search index and the search page.
        #[arg(long)]
        no_search: bool,
    },
    /// Build, then rebuild on every save (no server).
    Watch {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        output: Option<PathBuf>,
        /// Skip print output (明白卡 and handbook PDFs).
        #[arg(long)]
        no_print: bool,
        /// Skip the search index and the search page.
        #[arg(long)]
        no_search: bool,
    },
    /// Check everything a build checks, and warn about stale content; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors (exit non-zero).
        #[arg(long)]
        strict: bool,
        /// Show how long each stage took (load, HTML, search, print, …).
        #[arg(long)]
        timings: bool,
    },
    /// What changed between two editions (修订说明): each side is a handbook folder or
    /// a git revision (tag, branch, commit) of this handbook.
    Diff {
        /// The previous edition.
        old: String,
        /// The new edition (default: the handbook folder itself).
        #[arg(default_value = ".")]
        new: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the comparison and the cards to reprint as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Create a new handbook in DIR with one policy and one FAQ entry.
    Init { dir: PathBuf },
    /// Print household cards (户明白卡) from a sheet (CSV or Excel) of households.
    Cards {
        /// The sheet (.xlsx .xls .et .ods .csv …, told apart by content), or a folder:
        /// every sheet in it.
        #[arg(long)]
        data: PathBuf,
        /// The handbook's published policy list (policies.json from its site), for
        /// printing without the handbook's source folder.
        #[arg(long)]
        handbook: Option<PathBuf>,
        /// Only this village (村 name, or 乡镇+村).
        #[arg(long)]
        village: Option<String>,
        /// Where to write the cards; default: [cards] output of site.toml (print-private/).
        #[arg(long)]
        output: Option<PathBuf>,
        /// One PDF for all villages instead of one per village.
        #[arg(long)]
        single: bool,
        /// Copies of each card (一式N份), 1 to 10.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=10))]
        copies: u8,
        /// CSV encoding when detection is not wanted: utf-8, gbk or gb18030.
        #[arg(long)]
        encoding: Option<String>,
        /// The worksheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Print the households without problems and list the rows skipped.
        #[arg(long)]
        skip_bad_rows: bool,
        /// A policy the handbook does not list is an error, not a warning.
        #[arg(long)]
        strict: bool,
        /// The handbook folder (the one with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 印大字版户明白卡：正文 14 磅以上，给老年人看（同 site.toml 的 [print] type_size = "large"）。
        #[arg(long)]
        large_print: bool,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    if std::env::args_os().len() == 1 && crate::platform::started_from_explorer() {
        // Double-clicked: show what to type, and keep the window open to read it.
        let _ = <Cli as clap::CommandFactory>::command().print_help();
        crate::platform::wait_for_enter();
        return 0;
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            root,
            output,
            strict,
            no_print,
            no_search,
            large_print,
            timings,
        } => cmd::build::run(
            crate::engine::Options {
                root,
                output,
                no_print,
                no_search,
                strict,
                large_print,
            },
            timings,
        ),
        Command::Serve {
            root,
            output,
            port,
            bind,
            open,
            no_print,
            no_search,
        } => cmd::serve::run(
            crate::engine::Options {
                root,
                output,
                no_print,
                no_search,
                strict: false,
                large_print: false,
            },
            Some((bind, port, open)),
        ),
        Command::Watch {
            root,
            output,
            no_print,
            no_search,
        } => cmd::serve::run(
            crate::engine::Options {
                root,
                output,
                no_print,
                no_search,
                strict: false,
                large_print: false,
            },
            None,
        ),
        Command::Check {
            root,
            strict,
            timings,
        } => cmd::check::run(&root, strict, timings),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::Diff {
            old,
            new,
            root,
            json,
        } => cmd::diff::run(&root, &old, &new, json),
        Command::Cards {
            data,
            handbook,
            village,
            output,
            single,
            copies,
            encoding,
            sheet,
            skip_bad_rows,
            strict,
            root,
            large_print,
        } => cmd::cards::run(&cmd::cards::Args {
            root,
            data,
            handbook,
            village,
            output,
            single,
            copies: copies as usize,
            encoding,
            sheet,
            skip_bad_rows,
            strict,
            large_print,
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}
