//! A model-based test of `mingbai watch`: random sequences of the edits editors make
//! (an entry's body, its front matter, a new entry in a new folder, a rename, a delete,
//! a static file added and deleted, a template edited, broken and fixed, site.toml)
//! applied one by one while `watch` runs. After each settled step the watched output is
//! byte-for-byte what a fresh `build` of the same sources writes; after a step that
//! breaks the build it is unchanged.
//!
//! CI runs a fixed seed; a longer run: `MINGBAI_MODEL_SEED=7 MINGBAI_MODEL_STEPS=200
//! cargo test --test serve_model -- --nocapture`.

mod common;

use common::Rng;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Watching {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn watch(root: &Path) -> Watching {
    let mut child = common::command()
        .args(["watch", "--no-print"])
        .current_dir(root)
        .env("MINGBAI_TODAY", "2026-11-22")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let sink = log.clone();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push_str(&format!("{line}\n"));
        }
    });
    let start = Instant::now();
    while !log.lock().unwrap().contains("正在监视 ") {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "watch did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Watching { child, log }
}

/// A fresh build of `root` into a folder of its own.
fn fresh(root: &Path, out: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>, String> {
    let _ = std::fs::remove_dir_all(out);
    let o = common::mingbai(
        root,
        &["build", "--no-print", "--output", out.to_str().unwrap()],
    );
    if o.status.success() {
        Ok(common::snapshot(out))
    } else {
        Err(common::stderr(&o))
    }
}

/// The output's files, read while `watch` may be writing: a file that goes between
/// listing and reading is skipped (the comparison is retried until it settles).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            Some((e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes))
        })
        .collect()
}

/// Files that differ between two outputs. `.mingbai-manifest` is a build's own list of
/// what it wrote (for the next build to carry unchanged files over); `serve` and `watch`
/// drop it when they first write in place, so it is not compared.
fn differences(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let manifest = |k: &PathBuf| k.ends_with(".mingbai-manifest");
    let mut d = Vec::new();
    for (k, v) in a.iter().filter(|(k, _)| !manifest(k)) {
        match b.get(k) {
            None => d.push(format!("only in watch: {}", k.display())),
            Some(w) if w != v => {
                let (x, y) = (String::from_utf8_lossy(v), String::from_utf8_lossy(w));
                let i = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
                let xa: String = x.chars().skip(i.saturating_sub(80)).take(200).collect();
                let ya: String = y.chars().skip(i.saturating_sub(80)).take(200).collect();
                eprintln!("DIFF {}\n A: {xa}\n B: {ya}", k.display());
                d.push(format!("differs: {}", k.display()))
            }
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !manifest(k)) {
        if !a.contains_key(k) {
            d.push(format!("missing from watch: {}", k.display()));
        }
    }
    d
}

/// Whether another file cites or links the entry at `f` (renaming or deleting it would
/// break the sources, which is another test's business).
fn referenced(root: &Path, entries: &[PathBuf], f: &Path) -> bool {
    let id = f
        .strip_prefix(root.join("content"))
        .unwrap()
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    entries.iter().any(|e| {
        let t = std::fs::read_to_string(e).unwrap();
        t.contains(&format!("\"{id}\"")) || t.contains(&format!("@/{id}.md"))
    })
}

/// One edit; returns its description.
fn edit(root: &Path, rng: &mut Rng, step: usize) -> String {
    let entries: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| x == "md")
                && e.file_name() != "_index.md"
        })
        .map(|e| e.into_path())
        .collect();
    let pick = |rng: &mut Rng| entries[rng.below(entries.len())].clone();
    let template = root.join("templates/policy.html");
    match rng.below(10) {
        0 | 1 => {
            let f = pick(rng);
            let mut t = std::fs::read_to_string(&f).unwrap();
            t.push_str(&format!("\n第{step}次修改的正文。\n"));
            std::fs::write(&f, t).unwrap();
            format!("body of {}", f.display())
        }
        2 => {
            let f = pick(rng);
            let t = std::fs::read_to_string(&f).unwrap();
            let t = t.replacen("title = \"", &format!("title = \"（改{step}）"), 1);
            std::fs::write(&f, t).unwrap();
            format!("title of {}", f.display())
        }
        3 => {
            let dir = root.join(format!("content/xin{step}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("_index.md"),
                format!(
                    "+++\ntitle = \"新章{step}\"\nweight = {}\nkind = \"policy\"\n+++\n",
                    10 + step
                ),
            )
            .unwrap();
            std::fs::write(
                dir.join("zhengce.md"),
                format!(
                    "+++\ntitle = \"新政策{step}\"\nsummary = \"第{step}步加的。\"\n+++\n\n正文。\n"
                ),
            )
            .unwrap();
            format!("new entry in new folder xin{step}")
        }
        4 if entries.len() > 3 => {
            let f = pick(rng);
            if referenced(root, &entries, &f) {
                return edit(root, rng, step);
            }
            let to = f.with_file_name(format!("gaiming{step}.md"));
            std::fs::rename(&f, &to).unwrap();
            format!("rename {} → {}", f.display(), to.display())
        }
        5 if entries.len() > 3 => {
            let f = pick(rng);
            if referenced(root, &entries, &f) {
                return edit(root, rng, step);
            }
            std::fs::remove_file(&f).unwrap();
            format!("delete {}", f.display())
        }
        6 => {
            let f = root.join(format!("static/file{}.txt", rng.below(3)));
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            if f.exists() {
                std::fs::remove_file(&f).unwrap();
                format!("delete static {}", f.display())
            } else {
                std::fs::write(&f, format!("第{step}步")).unwrap();
                format!("add static {}", f.display())
            }
        }
        7 if template.exists() => {
            let t = std::fs::read_to_string(&template).unwrap();
            std::fs::write(
                &template,
                t.replacen(
                    "{{ page.summary }}",
                    &format!("{{{{ page.summary }}}}<!-- {step} -->"),
                    1,
                ),
            )
            .unwrap();
            format!("template edit {step}")
        }
        8 => {
            let f = root.join("site.toml");
            let t = std::fs::read_to_string(&f).unwrap();
            let t = t.replacen("title = \"", &format!("title = \"{step}"), 1);
            std::fs::write(&f, t).unwrap();
            "site.toml title".into()
        }
        _ => {
            let f = pick(rng);
            let target = pick(rng);
            let target = target
                .strip_prefix(root.join("content"))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut t = std::fs::read_to_string(&f).unwrap();
            t.push_str(&format!("\n见[第{step}步](@/{target})。\n"));
            std::fs::write(&f, t).unwrap();
            format!("link in {}", f.display())
        }
    }
}

#[test]
fn watch_output_equals_a_fresh_build_after_every_step() {
    let seed: u64 = std::env::var("MINGBAI_MODEL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261202);
    let steps: usize = std::env::var("MINGBAI_MODEL_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let mut rng = Rng(seed | 1);
    let dir = common::site("good");
    let root = dir.path();
    // The theme's policy page as the site's own template, for template edits.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/policy.html"),
        root.join("templates/policy.html"),
    )
    .unwrap();
    let other = tempfile::tempdir().unwrap();
    let expected_dir = other.path().join("fresh");
    let run = watch(root);
    let public = root.join("public");
    let mut history = Vec::new();
    for step in 0..steps {
        // A broken template, then the fix, as one pair of steps.
        // The first two steps break the template both ways, so every run covers them.
        let broken = step < 2 || rng.below(8) == 0;
        let before = snapshot(&public);
        if broken {
            let t = root.join("templates/policy.html");
            let good = std::fs::read_to_string(&t).unwrap();
            let fails_at = run
                .log
                .lock()
                .unwrap()
                .matches("生成失败：预览里仍是上一次")
                .count();
            // A syntax error, or a template that fails for one page only (the others
            // render fine, and must not be written either).
            let syntax = if step < 2 {
                step == 0
            } else {
                rng.below(2) == 0
            };
            let (bad, what) = if syntax {
                (good.replacen("{{", "{% if %}{{", 1), "syntax")
            } else {
                (
                    good.replacen(
                        "{{ page.summary }}",
                        "{{ page.summary }}<!-- 改了 -->{% if page.id == \"jinrong/xiaoe\" %}{{ no_such_value.x }}{% endif %}",
                        1,
                    ),
                    "one page",
                )
            };
            // Saved in one step (a temporary file renamed over it, as editors do): a
            // write that truncates first lets watch see an empty template in between,
            // which renders fine, so the output would rightly change.
            let tmp = root.join(".policy.html.tmp");
            std::fs::write(&tmp, bad).unwrap();
            std::fs::rename(&tmp, &t).unwrap();
            history.push(format!("{step}: broken template ({what})"));
            let start = Instant::now();
            while run
                .log
                .lock()
                .unwrap()
                .matches("生成失败：预览里仍是上一次")
                .count()
                == fails_at
            {
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "no failure reported"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(300));
            assert_eq!(
                differences(&snapshot(&public), &before),
                Vec::<String>::new(),
                "a failing step changed the output; steps: {history:#?}"
            );
            std::fs::write(&t, good).unwrap();
        } else {
            history.push(format!("{step}: {}", edit(root, &mut rng, step)));
        }
        let expected = fresh(root, &expected_dir).unwrap_or_else(|e| {
            panic!("the sources must build after each step: {e}\nsteps: {history:#?}")
        });
        let start = Instant::now();
        loop {
            let diff = differences(&snapshot(&public), &expected);
            if diff.is_empty() {
                break;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!(
                    "after step {step} (seed {seed}) watch's output differs from a fresh build:\n{}\nsteps: {history:#?}\nlog:\n{}",
                    diff.join("\n"),
                    run.log.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
