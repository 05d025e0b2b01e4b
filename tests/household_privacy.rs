//! Personal data can only flow from a sheet to a private PDF. Each way it could reach
//! the public site is tried here and must fail with a located error, a non-zero exit,
//! nothing written and no ID number in `public/`: the cards' folder under static/ or
//! content/, every kind of spreadsheet, document and archive dropped into content/ or
//! static/ under any name, and an ID number pasted into a policy. And no message, of
//! any bad sheet, shows 7 digits of an ID or a whole phone number.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::sheets::*;

/// The sample handbook (the repository root) copied into a temporary folder.
fn handbook() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    common::copy_tree(&repo().join("content"), &dir.path().join("content"));
    dir
}

fn build(root: &Path) -> std::process::Output {
    common::mingbai(root, &["build", "--no-print"])
}

/// Every fixture ID number (the sheets' people).
fn fixture_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for dir in [sheet(""), sheet("bad")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "csv") {
                let bytes = std::fs::read(&p).unwrap();
                let text = encoding_rs::GB18030.decode(&bytes).0.to_string();
                let text = String::from_utf8(bytes).unwrap_or(text);
                ids.extend(ids_in(&text));
            }
        }
    }
    ids.sort();
    ids.dedup();
    assert!(ids.len() >= 8);
    ids
}

/// No ID number of the fixtures anywhere in a folder's files.
fn assert_no_id_in(dir: &Path) {
    let ids = fixture_ids();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        for id in &ids {
            assert!(
                !bytes.windows(18).any(|w| w == id.as_bytes()),
                "{id} published in {}",
                e.path().display()
            );
        }
    }
}

#[test]
fn the_cards_folder_may_not_be_anywhere_the_site_reads_or_publishes() {
    let hb = handbook();
    let root = hb.path();
    let data = sheet("households.csv");
    for out in ["static", "static/private", "content/x", "public/cards", "."] {
        let o = common::mingbai(
            root,
            &["cards", "--data", data.to_str().unwrap(), "--output", out],
        );
        assert_eq!(o.status.code(), Some(1), "--output {out}");
        let err = common::stderr(&o);
        assert!(err.contains("户明白卡不能写到这里"), "{out}: {err}");
    }
    assert!(!root.join("static").exists() && !root.join("content/x").exists());
    assert!(!root.join("public").exists());

    // The same in site.toml: `build` refuses before writing anything, located.
    let before = build(root);
    assert!(before.status.success(), "{}", common::stderr(&before));
    let public = common::snapshot(&root.join("public"));
    for setting in ["static/private", "content/jiaoyu/x", "public"] {
        let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
        let toml = match toml.find("\n[cards]") {
            Some(at) => toml[..at].to_string(),
            None => toml,
        };
        std::fs::write(
            root.join("site.toml"),
            format!("{toml}\n[cards]\noutput = \"{setting}\"\n"),
        )
        .unwrap();
        let o = build(root);
        assert_eq!(o.status.code(), Some(1), "{setting}");
        let err = common::stderr(&o);
        assert!(
            err.contains("户明白卡不能写到这里") && err.contains("site.toml:"),
            "{err}"
        );
        assert_eq!(common::snapshot(&root.join("public")), public, "{setting}");
        let o = common::mingbai(root, &["cards", "--data", data.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "cards with [cards] output = {setting}"
        );
    }
    assert!(!root.join("static").exists());
}

/// Bytes of each kind a 台账 is saved as, with the name it is dropped under.
fn leaks() -> Vec<(String, Vec<u8>)> {
    let read = |n: &str| std::fs::read(sheet(n)).unwrap();
    let csv = read("households.csv");
    let tsv = String::from_utf8(csv.clone()).unwrap().replace(',', "\t");
    let json = format!(
        "{{\"households\": {:?}}}",
        String::from_utf8(csv.clone()).unwrap()
    );
    let mut zip = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zip);
        z.start_file("台账.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(&csv).unwrap();
        z.finish().unwrap();
    }
    let id = fixture_ids()[0].clone();
    // A dBASE III table with one character field holding an ID, as old systems export.
    let mut dbf = vec![0x03, 126, 11, 20, 1, 0, 0, 0, 65, 0, 19, 0];
    dbf.resize(32, 0);
    let mut field = b"SFZH".to_vec();
    field.resize(11, 0);
    field.push(b'C');
    field.extend([0; 4]);
    field.push(18);
    field.resize(32, 0);
    dbf.extend(field);
    dbf.push(0x0d);
    dbf.push(b' ');
    dbf.extend(id.as_bytes());
    dbf.push(0x1a);
    vec![
        ("名单.et".into(), read("taizhang.et")),
        ("名单.ett".into(), read("taizhang.et")),
        ("名单.xlsb".into(), read("taizhang-merged.xlsx")),
        ("名单.xltx".into(), read("taizhang-merged.xlsx")),
        ("名单.tsv".into(), tsv.into_bytes()),
        ("名单.txt".into(), csv.clone()),
        ("名单.json".into(), json.into_bytes()),
        ("名单.dbf".into(), dbf),
        ("名单.zip".into(), zip.into_inner()),
        ("名单.csv.bak".into(), csv.clone()),
        ("logo.png".into(), read("taizhang-merged.xlsx")),
        ("名单.xls".into(), read("households-gbk.csv")),
    ]
}

#[test]
fn no_sheet_or_document_is_published_whatever_its_name() {
    let hb = handbook();
    let root = hb.path();
    assert!(build(root).status.success());
    let public = common::snapshot(&root.join("public"));
    for folder in ["static/下载", "content/jiaoyu"] {
        for (name, bytes) in leaks() {
            let file: PathBuf = root.join(folder).join(&name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &bytes).unwrap();
            let o = build(root);
            let err = common::stderr(&o);
            assert_eq!(
                o.status.code(),
                Some(1),
                "{folder}/{name} was published:\n{err}"
            );
            assert!(
                err.contains(&format!("{folder}/{name}")),
                "{folder}/{name} not named:\n{err}"
            );
            assert_eq!(common::snapshot(&root.join("public")), public, "{name}");
            assert_no_id_in(&root.join("public"));
            // `check` refuses it too.
            let o = common::mingbai(root, &["check"]);
            assert_eq!(o.status.code(), Some(1), "check passed {folder}/{name}");
            std::fs::remove_file(&file).unwrap();
        }
    }
    // A PDF 办事指南 and a photo are fine.
    std::fs::create_dir_all(root.join("static/下载")).unwrap();
    std::fs::write(root.join("static/下载/指南.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let o = build(root);
    assert!(o.status.success(), "{}", common::stderr(&o));
}

#[test]
fn an_id_number_pasted_into_a_policy_stops_the_build_at_its_line() {
    let hb = handbook();
    let root = hb.path();
    assert!(build(root).status.success());
    let public = common::snapshot(&root.join("public"));
    let id = fixture_ids()[0].clone();
    let entry = root.join("content/jiaoyu/yulu.md");
    let mut text = std::fs::read_to_string(&entry).unwrap();
    let line = text.lines().count() + 1;
    text.push_str(&format!("联系人：王堃（{id}）\n"));
    std::fs::write(&entry, text).unwrap();
    let o = build(root);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains("身份证号"), "{err}");
    assert!(
        err.contains(&format!("content/jiaoyu/yulu.md:{line}:")),
        "{err}"
    );
    assert!(!err.contains(&id[..10]), "the error shows the ID: {err}");
    assert_eq!(common::snapshot(&root.join("public")), public);
}

#[test]
fn no_message_of_a_bad_sheet_shows_an_id_or_a_whole_phone() {
    let ids = fixture_ids();
    let mut phones: Vec<String> = Vec::new();
    let csvs = std::fs::read_dir(sheet("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .chain(["households.csv", "header-variants.csv", "local-policy.csv"].map(sheet))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"));
    for path in csvs {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).to_string();
        for field in text.split([',', '\n']) {
            let digits: String = field.chars().filter(char::is_ascii_digit).collect();
            let phone_like = (digits.len() == 11 && digits.starts_with('1'))
                || (field.starts_with('0') && field.contains('-'));
            if phone_like && digits.len() >= 10 {
                phones.push(field.trim().to_string());
            }
        }
    }
    phones.sort();
    phones.dedup();
    assert!(phones.len() >= 5, "{phones:?}");
    let tmp = tempfile::tempdir().unwrap();
    let mut sheets: Vec<PathBuf> = std::fs::read_dir(sheet("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    sheets.extend(["local-policy.csv", "header-typo.csv"].map(sheet));
    sheets.sort();
    assert!(sheets.len() >= 17);
    for s in sheets {
        for extra in [&[][..], &["--skip-bad-rows"][..]] {
            let o = cards(&s, &tmp.path().join("out"), extra);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                common::stderr(&o)
            );
            for id in &ids {
                for w in 0..=id.len() - 7 {
                    let part = &id[w..w + 7];
                    assert!(
                        !all.contains(part),
                        "{}: 7 digits of an ID ({part}) in the output:\n{all}",
                        s.display()
                    );
                }
            }
            for p in &phones {
                assert!(
                    !all.contains(p.as_str()),
                    "{}: phone {p} in the output:\n{all}",
                    s.display()
                );
            }
        }
    }
}

/// Household cards are printed from a site's policies, but nothing of a household
/// stays in the site: not in its published folder, not in the cache where its builds
/// keep laid-out cards and font subsets (which characters a sheet of names uses is
/// theirs), byte for byte as before.
#[test]
fn household_cards_leave_nothing_in_the_site_or_its_cache() {
    let hb = handbook();
    let root = hb.path();
    let o = common::mingbai(root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(root.join(".mingbai-cache/subsets.bin").is_file());
    let before = common::snapshot(root);
    let out = tempfile::tempdir().unwrap();
    let o = common::run(
        common::command()
            .arg("cards")
            .arg("--root")
            .arg(root)
            .arg("--data")
            .arg(sheet("households.csv"))
            .arg("--output")
            .arg(out.path().join("cards"))
            .env("MINGBAI_TODAY", "2026-11-22"),
    );
    assert_ok(&o);
    assert_eq!(pdfs(&out.path().join("cards")).len(), 2);
    let after = common::snapshot(root);
    let changed: Vec<&PathBuf> = after
        .keys()
        .chain(before.keys())
        .filter(|p| after.get(*p) != before.get(*p))
        .collect();
    assert!(changed.is_empty(), "household cards changed {changed:?}");
}
