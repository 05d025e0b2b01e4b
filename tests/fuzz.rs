//! Fuzz targets, on stable Rust, as ordinary tests: each feeds one parser the seed
//! corpus in `tests/fuzz/corpus/<target>/` and then, for `MINGBAI_FUZZ_SECS` seconds,
//! mutations of it (bytes flipped, tokens of the format inserted, ranges deleted,
//! repeated thousands of times or spliced from other seeds — the mutations that found
//! issue 12). Every input must come back without a panic, within a time limit, and
//! with every error located in its file.
//!
//! No fuzzing crate: `bolero` or `cargo fuzz` need nightly or an extra toolchain
//! (libFuzzer built with cc) for their real engines, and on stable bolero only runs
//! random bytes; a seeded mutator over a corpus of real handbook files finds the
//! deep-nesting and huge-setting inputs in seconds, reproducibly from the seed it
//! prints, and costs nothing to build. See README "Fuzzing" for longer runs.
//!
//! - `MINGBAI_FUZZ_SECS=N`: mutate for N seconds per target (default 0: seeds only,
//!   as in every `cargo test`).
//! - `MINGBAI_FUZZ_SEED=S`: the mutator's seed (default: from the clock, printed).
//! - `MINGBAI_FUZZ_INPUT=FILE`: run one input (a failure's saved file) and nothing else.
//!
//! A failing input is saved under `target/tmp/fuzz-failures/`; the input being run is
//! always in `target/tmp/fuzz-last-<target>`, so one that aborts the process (a stack
//! overflow) is not lost either.

mod common;

use common::Rng;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mingbai::fuzzing;

/// Longest one input may take (a debug build; the inputs are small).
const PER_INPUT: Duration = Duration::from_secs(5);

/// One mutation of `input`: 1 to 4 edits, each drawn from the format's `tokens`,
/// random bytes, deletions, repetitions or another seed.
fn mutate(rng: &mut Rng, input: &[u8], seeds: &[Vec<u8>], tokens: &[&str]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            1 | 2 => {
                let t = tokens[rng.below(tokens.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            3 if !v.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at.min(end)..end);
            }
            4 => {
                // A token or a slice repeated many times: deep nesting, long lines.
                let unit: Vec<u8> = if rng.below(2) == 0 || v.is_empty() {
                    tokens[rng.below(tokens.len())].as_bytes().to_vec()
                } else {
                    let s = rng.below(v.len());
                    v[s..(s + 1 + rng.below(16)).min(v.len())].to_vec()
                };
                let times = [2, 10, 100, 1000, 3000][rng.below(5)];
                let rep: Vec<u8> = unit
                    .iter()
                    .copied()
                    .cycle()
                    .take(unit.len() * times)
                    .collect();
                v.splice(at..at, rep);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let s = rng.below(other.len());
                    let e = (s + rng.below(256)).min(other.len());
                    v.splice(at..at, other[s..e].iter().copied());
                }
            }
            _ => {
                let n = v.len();
                v.truncate(n.saturating_sub(rng.below(8)));
            }
        }
    }
    // Inputs stay small enough to run fast; nothing found needs more.
    v.truncate(256 * 1024);
    v
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// Runs `check` on the seeds of `target`, then on mutations for the configured time.
fn fuzz(target: &str, tokens: &[&str], check: impl Fn(&[u8])) {
    if let Ok(file) = std::env::var("MINGBAI_FUZZ_INPUT") {
        if std::env::var("MINGBAI_FUZZ_TARGET").is_ok_and(|t| t != target) {
            return;
        }
        check(&std::fs::read(&file).unwrap());
        return;
    }
    let seeds = corpus(target);
    let secs: u64 = std::env::var("MINGBAI_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let seed: u64 = std::env::var("MINGBAI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
        | 1;
    let last = tmp().join(format!("fuzz-last-{target}"));
    let run = |input: &[u8], n: u64| {
        let _ = std::fs::write(&last, input);
        let t = Instant::now();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(input)));
        let took = t.elapsed();
        if r.is_err() || took > PER_INPUT {
            let dir = tmp().join("fuzz-failures");
            std::fs::create_dir_all(&dir).unwrap();
            let saved = dir.join(format!("{target}-{seed}-{n}"));
            std::fs::write(&saved, input).unwrap();
            panic!(
                "fuzz target {target}: input {n} {} (seed {seed}); saved to {}\n\
                 rerun: MINGBAI_FUZZ_INPUT={} MINGBAI_FUZZ_TARGET={target} cargo test --test fuzz {target}",
                if r.is_err() {
                    "panicked".to_string()
                } else {
                    format!("took {took:?}")
                },
                saved.display(),
                saved.display(),
            );
        }
    };
    for (i, s) in seeds.iter().enumerate() {
        run(s, i as u64);
    }
    let mut rng = Rng(seed);
    let end = Instant::now() + Duration::from_secs(secs);
    let mut n = 0u64;
    while Instant::now() < end {
        let base = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, base, &seeds, tokens);
        run(&input, seeds.len() as u64 + n);
        n += 1;
    }
    if secs > 0 {
        eprintln!("fuzz {target}: {n} inputs in {secs} s, seed {seed}, no failure");
    }
}

const MD_TOKENS: &[&str] = &[
    ">",
    "> ",
    "- ",
    "1. ",
    "  ",
    "    ",
    "\n",
    "\n\n",
    "#",
    "## ",
    "*",
    "**",
    "~~",
    "`",
    "```\n",
    "|",
    "| a | b |\n|---|---|\n",
    "[x](@/jinrong/xudai.md)",
    "[y](@/no.md)",
    "[^1]",
    "[^1]: 注\n",
    // Figure references, and a template's tags (the body is also read as one).
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "\"",
    "- [ ] ",
    "<div>",
    "\u{feff}",
    "\u{0}",
    "\r\n",
    "　",
    "，",
    "贷",
    "{#id}",
    "![图](a.png)",
    // Addresses, which break inside (print) and are linked (pages).
    "https://",
    "www.",
    "a.cn/x?k=v&",
    "_@.",
    // Markdown typed full-width.
    "＃＃ ",
    "｜",
    "－ ",
    "• ",
    "１．",
    "1、",
    "](a b.png)",
];

#[test]
fn fuzz_front_matter() {
    let tokens = &[
        "+++\n",
        "+++",
        "\n",
        "title = \"",
        "\"",
        "id = \"",
        "tags = [",
        "]",
        "[",
        "=",
        "kind = \"faq\"",
        "effective = 2025-13-45",
        "weight = 99999999999999999999",
        "\\u0007",
        "\\u",
        "\u{feff}",
        "\u{7}",
        "'''",
        "\"\"\"",
        "policies = [\"jinrong/xiaoe\"]",
        "amout = 1",
        "{ a = 1 }",
        "\r\n",
        "nan",
        "inf",
        "-",
        "贷款",
        "[[x]]",
    ];
    fuzz("frontmatter", tokens, fuzzing::front_matter);
}

#[test]
fn fuzz_markdown_to_html() {
    fuzz("markdown", MD_TOKENS, fuzzing::markdown_to_html);
}

#[test]
fn fuzz_markdown_to_print() {
    let print = fuzzing::Print::default();
    fuzz("markdown", MD_TOKENS, |input| print.markdown(input));
}

#[test]
fn fuzz_print_markup() {
    let print = fuzzing::Print::default();
    let tokens = &[
        "<row>",
        "</row>",
        "<col>",
        "</col>",
        "<box>",
        "</box>",
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<span class=\"accent\">",
        "</span>",
        "<ul><li>",
        "</li></ul>",
        "<table><tr><td>",
        "</td></tr></table>",
        "<fields><field label=\"甲\">",
        "</field></fields>",
        "<qr data=\"x\"/>",
        "<space height=\"1e30mm\"/>",
        "<pagebreak/>",
        "<col width=\"-5mm\">",
        "<ol start=\"99999999999\">",
        "<h1>",
        "</h1>",
        "&amp;",
        "&#7;",
        "\u{feff}",
        "\n",
        "字",
        "<content/>",
        "<footer>",
        "</footer>",
    ];
    fuzz("markup", tokens, |input| print.markup(input));
}

#[test]
fn fuzz_style_toml() {
    let print = fuzzing::Print::default();
    let card = corpus("markup").into_iter().next().unwrap();
    let tokens = &[
        "[page]\n",
        "[card]\n",
        "[text]\n",
        "[element.h1]\n",
        "size = ",
        "margin = ",
        "text_scale = ",
        "line_height = ",
        "max_faces = ",
        "padding = ",
        "width = ",
        "indent = ",
        "0",
        "-1",
        "nan",
        "inf",
        "1e308",
        "100000000",
        "99999999999999999999",
        "[300, 300, 300, 300]",
        "[0, 0]",
        "\"A0\"",
        "\n",
        "\u{feff}",
        "=",
        "\"",
        "0.0001",
        "48",
        "3",
        "2",
    ];
    fuzz("style", tokens, |input| print.style(input, &card));
}

/// The household sheet reader, owned by the households work: this hook feeds it CSV
/// bytes through a file, as `mingbai cards --data` does. If `sheet::read` changes its
/// signature, change the one call below.
#[test]
fn fuzz_sheet_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.csv");
    let tokens = &[
        ",",
        "\"",
        "\n",
        "\r\n",
        "\u{feff}",
        "户编号",
        "身份证号",
        "4.21123E+17",
        "\u{0}",
        ",,,,,,",
    ];
    fuzz("sheet", tokens, |input| {
        std::fs::write(&path, input).unwrap();
        fuzzing::sheet(&path);
    });
}

/// The cache files, which anyone may change or damage: they are read, never trusted.
#[test]
fn fuzz_card_cache() {
    fuzz(
        "cache",
        &[
            "\u{0}",
            "\u{ff}",
            "mingbai card cache 8 ",
            "mingbai handbook cache 9 ",
            "mingbai renders 2 ",
            "mingbai page keys 1 ",
            "mingbai covered 1 ",
            "mingbai subsets 1 ",
            "mingbai search index 2 ",
            "\u{1}\u{0}\u{4}\u{4}",
        ],
        fuzzing::card_cache,
    );
}
