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
    /// The handbook folder (the one with site.toml), for every command.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site (and print PDFs) into the output folder.
    Build {
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
        /// 印大字版户明白卡：正文 14 磅以上，给老年人看（同 site.toml 的 [print] type_size = "large"）。
        #[arg(long)]
        large_print: bool,
    },
}

/// What `serve` and `watch` build.
fn preview(
    root: PathBuf,
    output: Option<PathBuf>,
    no_print: bool,
    no_search: bool,
) -> crate::engine::Options {
    crate::engine::Options {
        root,
        output,
        no_print,
        no_search,
        strict: false,
        large_print: false,
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    if std::env::args_os().len() == 1 && crate::platform::started_from_explorer() {
        // Double-clicked: show what to type, and keep the window open to read it.
        let _ = localized().print_help();
        crate::platform::wait_for_enter();
        return 0;
    }
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&localized().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let root = cli.root;
    let result = match cli.command {
        Command::Build {
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
            output,
            port,
            bind,
            open,
            no_print,
            no_search,
        } => cmd::serve::run(
            preview(root, output, no_print, no_search),
            Some((bind, port, open)),
        ),
        Command::Watch {
            output,
            no_print,
            no_search,
        } => cmd::serve::run(preview(root, output, no_print, no_search), None),
        Command::Check { strict, timings } => cmd::check::run(&root, strict, timings),
        Command::Init { dir } => cmd::init::run(&root.join(dir)),
        Command::Diff { old, new, json } => cmd::diff::run(&root, &old, &new, json),
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
    // Old output folders being deleted beside this run's build (see output::commit).
    crate::output::finish_background();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {e:#}", tr!("label-error"));
            1
        }
    }
}

/// The command line with its help in the run's language: every about and argument
/// help text comes from the catalogue (`cli-<command>`, `cli-<command>-<arg>`, or
/// `cli-arg-<arg>` for an argument that means the same everywhere), and so do the
/// headings and the help and version flags clap would write in English.
pub fn localized() -> clap::Command {
    let cmd = <Cli as clap::CommandFactory>::command()
        .about(tr!("cli-about"))
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(tr!("cli-version")),
        );
    localize(cmd, None)
}

fn localize(mut cmd: clap::Command, name: Option<&str>) -> clap::Command {
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
        tr!("cli-usage")
    );
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(leak(tr!("cli-commands")))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(tr!("cli-help")),
        );
    if let Some(name) = name {
        cmd = cmd.about(cli_text(&format!("cli-{name}")));
    }
    let args: Vec<(String, bool, Vec<String>)> = cmd
        .get_arguments()
        .map(|a| {
            // Flags (`--strict`) have a default too (false), which clap never shows.
            let defaults = if a.get_action().takes_values() {
                a.get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect()
            } else {
                Vec::new()
            };
            (a.get_id().to_string(), a.is_positional(), defaults)
        })
        .collect();
    for (id, positional, defaults) in args {
        let heading = leak(if positional {
            tr!("cli-arguments")
        } else {
            tr!("cli-options")
        });
        if matches!(id.as_str(), "help" | "version") {
            cmd = cmd.mut_arg(id.as_str(), |a| a.help_heading(heading));
            continue;
        }
        let key = id.replace('_', "-");
        let own = name.map(|n| format!("cli-{n}-{key}"));
        let mut help = own
            .map(|k| cli_text(&k))
            .filter(|t| !t.starts_with("cli-"))
            .unwrap_or_else(|| cli_text(&format!("cli-arg-{key}")));
        // clap would add "[default: .]" in English.
        if defaults == ["."] {
            help.push_str(&tr!("cli-default-here"));
        } else if !defaults.is_empty() {
            help.push_str(&tr!("cli-default", value = defaults.join(", ")));
        }
        let hide = !defaults.is_empty();
        cmd = cmd.mut_arg(id.as_str(), |a| {
            a.help(help).help_heading(heading).hide_default_value(hide)
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(sub.as_str(), |c| localize(c, Some(&sub)));
    }
    cmd
}

/// Headings are `&'static str` to clap (without its `string` feature); the command
/// line is built once per run, so the few bytes are not worth a feature.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A help text by a computed id (the catalogue test below checks they all exist).
fn cli_text(id: &str) -> String {
    crate::i18n::t(id, &[])
}

#[cfg(test)]
mod help_tests {
    use crate::i18n::{Lang, t_in};

    /// Every command and argument has its help text in both catalogues.
    #[test]
    fn every_help_text_is_in_the_catalogues() {
        let cmd = super::localized();
        let mut missing = Vec::new();
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            for lang in [Lang::Zh, Lang::En] {
                let id = format!("cli-{name}");
                if t_in(lang, &id, &[]) == id {
                    missing.push(id);
                }
                for a in sub.get_arguments() {
                    let key = a.get_id().as_str().replace('_', "-");
                    if key == "help" {
                        continue;
                    }
                    let own = format!("cli-{name}-{key}");
                    let common = format!("cli-arg-{key}");
                    if t_in(lang, &own, &[]) == own && t_in(lang, &common, &[]) == common {
                        missing.push(own);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
        cmd.debug_assert();
    }

    #[test]
    fn help_is_chinese_by_default() {
        let help = super::localized().render_long_help().to_string();
        assert!(help.contains("用法") && help.contains("命令"), "{help}");
        assert!(!help.contains("Print help"), "{help}");
    }
}
