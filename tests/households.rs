//! `mingbai cards` on the household fixtures (tests/fixtures/households, written by its
//! generate.py): what the cards say, what they must never say, who may read the files,
//! and errors by row and column. Runs against the sample handbook at the repository
//! root, whose policies the sheets name.

mod common;

use common::sheets::*;

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn every_household_and_policy_is_on_the_cards_and_no_id_is() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cards");
    let o = cards(&sheet("households.csv"), &out, &[]);
    assert_ok(&o);
    let files = pdfs(&out);
    assert_eq!(files.len(), 2, "one PDF per village: {files:?}");
    let text = squash(&all_text(&out));
    for name in HEADS {
        assert!(text.contains(name), "{name} missing from the cards");
    }
    // Sheet names resolved to the handbook's titles, amounts from the sheet.
    for policy in [
        "雨露计划职业教育补助",
        "脱贫人口小额信贷",
        "县域内住院先诊疗后付费",
        "残疾人两项补贴",
        "农村危房改造补助",
        "特困人员救助供养",
    ] {
        assert!(text.contains(policy), "{policy} missing");
    }
    assert!(text.contains("50000元"), "amount from the sheet");
    assert!(text.contains("2026年度青禾县防返贫监测帮扶明白卡") || text.contains("明白卡"));
    // Risk types are sensitive and off by default.
    assert!(
        !text.contains("因残"),
        "风险类型 printed without show_risks"
    );
    // No ID number, in the text or anywhere in the files' bytes.
    let sheet_text = std::fs::read_to_string(sheet("households.csv")).unwrap();
    let ids = ids_in(&sheet_text);
    assert_eq!(ids.len(), 8);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for id in &ids {
            assert!(!text.contains(id.as_str()), "full ID {id} on a card");
            assert!(!text.contains(&id[10..]), "ID tail {id} on a card");
            assert!(
                !bytes.windows(id.len()).any(|w| w == id.as_bytes()),
                "full ID {id} in {}",
                f.display()
            );
        }
    }
    // Unix file modes; a Windows exe under Wine relies on the folder's ACLs instead.
    #[cfg(unix)]
    if !common::windows_exe() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out), 0o700, "the cards folder is owner-only");
        for f in &files {
            assert_eq!(mode(f), 0o600, "{} is owner-only", f.display());
        }
    }
}

#[test]
fn gbk_and_gb18030_sheets_are_read() {
    for (file, names) in [
        ("households-gbk.csv", vec!["王堃", "李喆", "赵红梅"]),
        ("households-gb18030.csv", vec!["刘䶮", "𠮷田秀", "张𰻞𰻞"]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("cards");
        let o = cards(&sheet(file), &out, &[]);
        assert_ok(&o);
        let text = squash(&all_text(&out));
        for n in names {
            assert!(text.contains(n), "{file}: {n} missing");
        }
    }
}

#[test]
fn excel_sheets_with_title_rows_and_one_row_per_person() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("merged");
    let o = cards(&sheet("households-merged.xlsx"), &out, &[]);
    assert_ok(&o);
    let text = squash(&all_text(&out));
    for n in ["罗喆", "杨堃", "何𠮷", "冯䶮", "曹秀英", "彭𰻞"] {
        assert!(text.contains(n), "merged.xlsx: {n} missing");
    }
    assert!(
        common::stderr(&o).contains("第3行"),
        "header found below the title rows"
    );

    let out = tmp.path().join("persons");
    let o = cards(&sheet("persons.xlsx"), &out, &["--single"]);
    assert_ok(&o);
    assert_eq!(pdfs(&out).len(), 1, "--single: one file");
    let text = squash(&all_text(&out));
    // Heads and members, grouped by 户编号.
    for n in [
        "黄德明",
        "李桂兰",
        "黄喆",
        "卢永福",
        "卢堃",
        "谭志刚",
        "谭𠮷",
        "钟国庆",
    ] {
        assert!(text.contains(n), "persons.xlsx: {n} missing");
    }
    assert!(
        common::stderr(&o).contains("4 户"),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn each_bad_sheet_is_reported_by_row_and_column_and_nothing_is_written() {
    let cases = [
        ("id-checksum.csv", "第3行「身份证号」（F列）", "校验位"),
        (
            "id-scientific.csv",
            "第3行「身份证号」（F列）",
            "科学计数法",
        ),
        ("id-length.csv", "第3行「身份证号」（F列）", "有 17 位"),
        ("phone.csv", "第3行「帮扶责任人电话」（K列）", "电话"),
        (
            "policy-typo.csv",
            "第3行「享受政策」（N列）",
            "是不是「两免贷款」",
        ),
        ("duplicate-id.csv", "第3行「户编号」（A列）", "第2行重复"),
        ("empty-name.csv", "第3行「户主姓名」（E列）", "不能为空"),
        ("rare-char.csv", "第3行「户主姓名」（E列）", "U+31350"),
        ("missing-column.csv", "缺少「帮扶责任人」", "第1行"),
        (
            "control-chars.csv",
            "第4行「户主姓名」（E列）",
            "U+001B（ESC 控制符）",
        ),
        ("date-serial.csv", "第3行「家庭人口」（G列）", "日期格式"),
        ("id-15.csv", "第3行「身份证号」（F列）", "有 15 位"),
        (
            "phone-in-error.csv",
            "第4行「帮扶责任人电话」（K列）",
            "不像电话号码",
        ),
        (
            "id-excel-number.xlsx",
            "第3行「身份证号」（F列）",
            "「4.21123E+17」被 Excel 当成了数字",
        ),
    ];
    for (file, place, what) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("cards");
        let o = cards(&sheet(&format!("bad/{file}")), &out, &[]);
        let err = common::stderr(&o);
        assert!(!o.status.success(), "{file} must fail");
        assert!(err.contains(place), "{file}: no {place} in\n{err}");
        assert!(err.contains(what), "{file}: no {what} in\n{err}");
        assert!(pdfs(&out).is_empty(), "{file}: nothing written");
        let sheet_text =
            String::from_utf8_lossy(&std::fs::read(sheet(&format!("bad/{file}"))).unwrap())
                .to_string();
        for id in ids_in(&sheet_text) {
            assert!(
                !err.contains(&id),
                "{file}: the message repeats an ID number"
            );
        }
    }
}

#[test]
fn alt_enter_in_a_cell_is_a_line_break_not_an_error() {
    // control-chars.csv: row 3's 帮扶措施 holds a vertical tab (Alt+Enter); only row 4
    // (an ESC in a name) is wrong.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cards");
    let o = cards(&sheet("bad/control-chars.csv"), &out, &["--skip-bad-rows"]);
    assert_ok(&o);
    let err = common::stderr(&o);
    assert!(!err.contains("第3行"), "{err}");
    assert!(err.contains("第4行"), "{err}");
    let text = squash(&all_text(&out));
    assert!(
        text.contains("落实慢特病待遇") && text.contains("安排公益岗"),
        "{text}"
    );
    assert!(!text.contains("刘䶮"), "the bad row was printed");
}

#[test]
fn all_errors_in_one_run_and_skip_bad_rows_prints_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cards");
    let data = sheet("bad/many.csv");
    let o = cards(&data, &out, &[]);
    let err = common::stderr(&o);
    assert!(!o.status.success());
    for place in [
        "第2行「身份证号」",
        "第4行「帮扶责任人电话」",
        "第6行「享受政策」",
    ] {
        assert!(err.contains(place), "{place} missing:\n{err}");
    }
    assert!(pdfs(&out).is_empty());

    let o = cards(&data, &out, &["--skip-bad-rows", "--single"]);
    assert_ok(&o);
    let text = squash(&all_text(&out));
    assert!(
        !text.contains("王堃") && !text.contains("刘䶮"),
        "bad rows skipped"
    );
    for n in ["李喆", "𠮷田秀", "赵红梅"] {
        assert!(text.contains(n), "good row {n} printed");
    }
    let err = common::stderr(&o);
    assert!(
        err.contains("第2行") && err.contains("第4行") && err.contains("第6行"),
        "{err}"
    );
}

#[test]
fn village_filter_and_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("one");
    let o = cards(&sheet("households.csv"), &out, &["--village", "桃源村"]);
    assert_ok(&o);
    let files = pdfs(&out);
    assert_eq!(files.len(), 1);
    let text = squash(&all_text(&out));
    assert!(text.contains("王堃") && !text.contains("赵红梅"));

    let out2 = tmp.path().join("two");
    let o = cards(
        &sheet("households.csv"),
        &out2,
        &["--village", "桃源村", "--copies", "2"],
    );
    assert_ok(&o);
    let count = |dir: &Path| squash(&all_text(dir)).matches("王堃").count();
    assert_eq!(count(&out2), 2 * count(&out), "一式两份");
}

#[test]
fn masked_ids_and_risks_only_when_the_site_asks() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&repo().join("content"), &dir.path().join("content"));
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    let toml = if toml.contains("\n[cards]\n") {
        toml.replace(
            "\n[cards]\n",
            "\n[cards]\nshow_id = \"masked\"\nshow_risks = true\n",
        )
    } else {
        format!("{toml}\n[cards]\nshow_id = \"masked\"\nshow_risks = true\n")
    };
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    let out = dir.path().join("cards");
    let o = common::run(
        common::command()
            .args(["cards", "--data"])
            .arg(sheet("households.csv"))
            .arg("--output")
            .arg(&out)
            .current_dir(dir.path())
            .env("MINGBAI_TODAY", "2026-11-22"),
    );
    assert_ok(&o);
    let text = squash(&all_text(&out));
    assert!(text.contains("421123********0118"), "masked ID of 王堃");
    assert!(!text.contains("421123196803120118"));
    assert!(text.contains("因残"), "show_risks prints 风险类型");
}

#[test]
fn build_refuses_a_cards_folder_inside_the_site() {
    let dir = common::site("good");
    let toml = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}\n[cards]\noutput = \"public/households\"\n"),
    )
    .unwrap();
    let o = common::mingbai(dir.path(), &["build", "--no-print"]);
    assert!(!o.status.success());
    let err = common::stderr(&o);
    assert!(err.contains("site.toml"), "{err}");
    assert!(!dir.path().join("public").exists(), "nothing built");
}

/// Unmounts the small filesystem of a full-disk test, whatever happens.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn cards_on_a_full_disk_write_nothing_and_leave_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--skip-bad-rows"];
    // The two villages' PDFs as they come out on a roomy disk.
    let roomy = tmp.path().join("roomy");
    assert_ok(&cards(&sheet("local-policy.csv"), &roomy, &args));
    let mut sizes: Vec<u64> = pdfs(&roomy)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .collect();
    sizes.sort();
    assert_eq!(sizes.len(), 2);
    // A disk with room for the larger file but not for both.
    let disk = tmp.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let size = sizes[1] + sizes[0] / 2;
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}")])
        .arg("tmpfs")
        .arg(&disk)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs as root)");
        return;
    }
    let _unmount = Mounted(disk.clone());
    let out = disk.join("cards");
    let o = cards(&sheet("local-policy.csv"), &out, &args);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    assert!(err.contains("无法写入"), "{err}");
    assert!(err.contains("没有留下这次的任何文件"), "{err}");
    let left: Vec<String> = std::fs::read_dir(&out)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A household template whose QR code cannot be printed stops the run at the
/// template, and the message that quotes the code's data (the household's, here a
/// phone number) masks it as every household message does: terminals get logged.
#[test]
fn a_household_qr_code_too_long_stops_the_run_and_its_message_masks_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let long = format!(
        r#"<qr data="{{{{ household.helper_phone }}}}{}"/>"#,
        "x".repeat(2400)
    );
    site_with_household_qr(&root, &long);
    let out = tmp.path().join("cards");
    let o = cards_of_site(&root, &out);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{e}");
    assert!(e.contains("一个二维码最多装 2331 个"), "{e}");
    assert!(e.contains("print/household.xml"), "{e}");
    // 陈立新's phone, the first household's helper: shown as its first three digits.
    assert!(e.contains("「138********xxx"), "{e}");
    assert!(!e.contains("13807180101"), "{e}");
    assert!(pdfs(&out).is_empty());
}

/// Cards are laid out and written a village at a time: when one village's cards fail,
/// no village's file is written, not even that of the village whose cards were fine,
/// and the last run's files stay as they were, with no temporary file beside them.
#[test]
fn a_village_whose_cards_fail_leaves_every_villages_last_file_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("cards");
    site_with_household_qr(&root, r#"<qr data="{{ site_url }}"/>"#);
    let o = cards_of_site(&root, &out);
    common::assert_ok(&o);
    let before: Vec<(PathBuf, Vec<u8>)> = pdfs(&out)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(before.len(), 2, "{before:?}");

    // 白沙村's four households get a code no QR code holds; 桃源村's are as before.
    let failing = format!(
        r#"{{% if household.village == "白沙村" %}}<qr data="{}"/>{{% else %}}<qr data="{{{{ site_url }}}}"/>{{% endif %}}"#,
        "x".repeat(2400)
    );
    site_with_household_qr(&root, &failing);
    let o = cards_of_site(&root, &out);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{e}");
    assert!(e.contains("一个二维码最多装 2331 个"), "{e}");
    assert!(e.contains("print/household.xml:39"), "{e}");
    for (path, bytes) in &before {
        assert!(std::fs::read(path).unwrap() == *bytes, "{path:?} changed");
    }
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "a temporary file left: {left:?}");
}

/// The sample handbook copied to `root`, its household template's QR code replaced by
/// `qr` (print markup, Tera allowed).
fn site_with_household_qr(root: &Path, qr: &str) {
    for part in ["content", "themes"] {
        common::copy_tree(&repo().join(part), &root.join(part));
    }
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    let theme = std::fs::read_to_string(repo().join("themes/default/print/household.xml")).unwrap();
    let default = r#"<qr data="{{ site_url }}"/>"#;
    assert!(theme.contains(default));
    std::fs::create_dir_all(root.join("print")).unwrap();
    std::fs::write(root.join("print/household.xml"), theme.replace(default, qr)).unwrap();
}

/// `mingbai cards` of the households fixture sheet for the site at `root` into `out`.
fn cards_of_site(root: &Path, out: &Path) -> std::process::Output {
    let mut cmd = common::command();
    cmd.arg("cards")
        .arg("--root")
        .arg(root)
        .arg("--data")
        .arg(sheet("households.csv"))
        .arg("--output")
        .arg(out)
        .env("MINGBAI_TODAY", "2026-11-22");
    common::run(&mut cmd)
}
