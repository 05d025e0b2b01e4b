//! `mingbai cards` on sheets laid out like the ones cadres really have: a per-person
//! monitoring-system export with both 户主姓名 and 姓名, a hand-kept 台账 with merged
//! 乡镇/村 blocks and a 合计 row (as .xlsx and as a real WPS .et), an .xlsx named .et,
//! header variants, an Excel lock file, a sheet citing local policies, and printing from
//! the published policy list with no handbook folder at all.

mod common;

use std::path::Path;

use common::sheets::*;

fn stderr(o: &std::process::Output) -> String {
    common::stderr(o)
}

/// The messages of a run that stopped with an error (exit code 1).
fn failed(o: &std::process::Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    stderr(o)
}

#[test]
fn a_per_person_export_prints_each_members_own_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cards");
    let o = cards(&sheet("export-persons.xlsx"), &out, &[]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("每人一行"), "{err}");
    assert!(err.contains("姓名 ← J列「姓名」"), "{err}");
    assert!(err.contains("户主姓名 ← I列「户主姓名」"), "{err}");
    let text = squash(&all_text(&out));
    for member in [
        "李秀兰（配偶）",
        "孙浩（之子）",
        "周丽（儿媳）",
        "孙堃（之孙子）",
        "王淑芬（配偶）",
        "陈喆（之子）",
        "陈德福（父亲）",
        "张桂英（母亲）",
        "郑红霞（配偶）",
        "吴雨涵（之女）",
    ] {
        assert!(text.contains(member), "{member} missing:\n{text}");
    }
    // The old bug: the head's name printed for every member.
    assert!(!text.contains("孙国华（配偶）"), "{text}");
    assert!(!text.contains("孙国华（之子）"), "{text}");
    assert!(text.matches("户主").count() >= 4, "{text}");
}

#[test]
fn a_per_person_row_whose_head_name_disagrees_is_an_error_by_row() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("export.csv");
    let text = std::fs::read_to_string(sheet("households.csv")).unwrap();
    let ids = ids_in(&text);
    std::fs::write(
        &csv,
        format!(
            "户编号,乡镇,村,户主姓名,姓名,与户主关系,身份证号,户类型,帮扶责任人,帮扶责任人电话\n\
             H1,青禾镇,桃源村,王堃,王堃,户主,{},脱贫户,陈立新,13807180101\n\
             H1,青禾镇,桃源村,王堃,李秀兰,配偶,{},脱贫户,陈立新,13807180101\n\
             H1,青禾镇,桃源村,孙国华,王小明,之子,{},脱贫户,陈立新,13807180101\n",
            ids[0], ids[1], ids[2]
        ),
    )
    .unwrap();
    let o = cards(&csv, &tmp.path().join("out"), &[]);
    let err = failed(&o);
    assert!(
        err.contains("第4行「户主姓名」（D列）：「孙国华」与本户户主（第2行，姓名「王堃」）不一致"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn merged_taizhang_as_xlsx_and_wps_et_prints_every_household() {
    for name in ["taizhang-merged.xlsx", "taizhang.et", "xlsx-renamed.et"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("cards");
        let o = cards(&sheet(name), &out, &[]);
        assert_ok(&o);
        let err = stderr(&o);
        if name == "xlsx-renamed.et" {
            assert!(err.contains("Excel 工作簿（xlsx）"), "{name}: {err}");
        } else {
            assert!(
                err.contains("跳过合计行和表尾：第12行「合计」、第13行「填表人"),
                "{name}: {err}"
            );
            assert!(err.contains("合并单元格"), "{name}: {err}");
        }
        if name == "taizhang.et" {
            assert!(err.contains("WPS 表格工作簿"), "{err}");
        }
        assert!(!err.contains("不能为空"), "{name}: {err}");
        assert!(err.contains("打印了 8 户"), "{name}: {err}");
        // Merged 村 blocks: one PDF for each village.
        let files = pdfs(&out);
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert_eq!(
            names,
            ["青禾镇桃源村户明白卡.pdf", "青禾镇白沙村户明白卡.pdf"],
            "{name}"
        );
        let text = squash(&all_text(&out));
        for head in HEADS {
            assert!(text.contains(head), "{name}: {head} missing");
        }
        assert!(
            text.contains("4人"),
            "{name}: 家庭人口 read as a whole number"
        );
        assert!(!text.contains("4.0人"), "{name}");
    }
}

#[test]
fn header_variants_are_reported_and_a_slip_gets_a_did_you_mean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cards");
    let o = cards(&sheet("header-variants.csv"), &out, &[]);
    assert_ok(&o);
    let err = stderr(&o);
    // The column report comes before anything else is printed.
    let report_at = err.find("各项取自").expect("column report");
    assert!(report_at < err.find("打印了").unwrap());
    for line in [
        "户主姓名 ← E列「户主」",
        "家庭人口 ← H列「户籍人口」",
        "帮扶责任人 ← J列「帮扶人」",
        "帮扶责任人电话 ← K列「帮扶人联系电话」",
        "驻村工作队长 ← L列「第一书记」",
        "工作队电话 ← M列「队长电话」",
        "户主电话 ← G列「联系电话」（户的电话，不印在卡上）",
    ] {
        assert!(err.contains(line), "{line} not reported:\n{err}");
    }
    let text = squash(&all_text(&out));
    assert!(text.contains("驻村工作队"), "{text}");
    // The household's own phone is read, never printed.
    for own in ["13797180411", "15071860522", "18972860644"] {
        assert!(!text.contains(own), "household phone {own} printed");
    }

    let o = cards(&sheet("header-typo.csv"), &tmp.path().join("typo"), &[]);
    let err = failed(&o);
    assert!(
        err.contains("缺少「帮扶责任人电话」")
            && err.contains("K列「帮扶责任人电活」是不是「帮扶责任人电话」？"),
        "{err}"
    );
    assert!(!tmp.path().join("typo").exists());
}

#[test]
fn an_excel_lock_file_is_named_for_what_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let o = cards(&sheet("~$taizhang.xlsx"), &tmp.path().join("o"), &[]);
    let err = failed(&o);
    assert!(
        err.contains("临时锁定文件") && err.contains("表格「taizhang.xlsx」还开着"),
        "{err}"
    );
    assert!(err.contains("请先保存并关闭它"), "{err}");
}

/// A quote typed at a cell's start in Notepad and never closed: the run stops at that
/// cell (row and column, in the message and its location), not at the empty cells the
/// quote would have swallowed, and no ID number the swallowed text holds is shown.
#[test]
fn an_unclosed_quote_in_a_csv_names_its_cell_and_prints_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(sheet("households.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    // Row 3: the first household; its 户主姓名 (F) opened with a quote.
    let mut cells: Vec<&str> = lines[2].split(',').collect();
    let quoted = format!("\"{}", cells[5]);
    cells[5] = &quoted;
    lines[2] = cells.join(",");
    let data = tmp.path().join("台账.csv");
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("o");
    let o = cards(&data, &out, &[]);
    let err = failed(&o);
    assert!(
        err.contains("第3行F列") && err.contains("没有配对的结束引号"),
        "{err}"
    );
    assert!(err.contains("台账.csv:3:6"), "{err}");
    assert!(!err.contains("不能为空"), "{err}");
    for id in ids_in(&good) {
        assert!(!err.contains(&id), "{err}");
    }
    assert!(!out.exists() || pdfs(&out).is_empty());
}

#[test]
fn a_folder_of_sheets_is_read_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("各村台账");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(sheet("export-persons.xlsx"), dir.join("石桥村.xlsx")).unwrap();
    std::fs::copy(sheet("taizhang.et"), dir.join("青禾镇.et")).unwrap();
    std::fs::copy(sheet("~$taizhang.xlsx"), dir.join("~$青禾镇.xlsx")).unwrap();
    std::fs::write(dir.join("说明.txt"), "各村台账，11月汇总").unwrap();
    let o = cards(&dir, &tmp.path().join("out"), &[]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("打印了 12 户"), "{err}");
    assert!(err.contains("跳过不是表格的文件：说明.txt"), "{err}");
    assert!(
        err.contains("「青禾镇.xlsx」还在 Excel/WPS 里开着"),
        "{err}"
    );
    assert_eq!(pdfs(&tmp.path().join("out")).len(), 3);
}

#[test]
fn local_policies_print_as_written_with_a_warning_and_typos_stop() {
    let tmp = tempfile::tempdir().unwrap();
    // Row 16 cites 两免代款: an error that suggests the right name.
    let o = cards(&sheet("local-policy.csv"), &tmp.path().join("a"), &[]);
    let err = failed(&o);
    assert!(
        err.contains(
            "错误: 第16行「享受政策」（N列）：手册里没有叫「两免代款」的政策，是不是「两免贷款」？"
        ),
        "{err}"
    );
    assert!(!tmp.path().join("a").exists());

    // Without the typo row: all 29 others print, local policies as written.
    let out = tmp.path().join("b");
    let o = cards(&sheet("local-policy.csv"), &out, &["--skip-bad-rows"]);
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("打印了 29 户"), "{err}");
    let warned: Vec<usize> = [4, 8, 13, 19, 25, 30]
        .into_iter()
        .filter(|r| err.contains(&format!("警告: 第{r}行「享受政策」（N列）：手册里没有「")))
        .collect();
    assert_eq!(warned.len(), 6, "{err}");
    let text = squash(&all_text(&out));
    assert!(text.contains("村级光伏收益分红"), "local policy missing");
    assert!(text.contains("生态护林员补助"), "local policy missing");
    assert!(text.contains("500元/月"), "its amount missing");
    assert!(
        text.contains("脱贫人口小额信贷"),
        "handbook policies still resolved"
    );

    // --strict: the local policies are errors too.
    let o = cards(
        &sheet("local-policy.csv"),
        &tmp.path().join("c"),
        &["--strict", "--skip-bad-rows"],
    );
    let err = stderr(&o);
    assert!(err.contains("打印了 23 户"), "{err}");
    assert!(err.contains("--strict 下不允许"), "{err}");
}

#[test]
fn cards_print_from_the_published_policy_list_alone() {
    let tmp = tempfile::tempdir().unwrap();
    // The handbook's site, built as the county publishes it.
    let site = tmp.path().join("site");
    let o = common::mingbai(
        &repo(),
        &["build", "--no-print", "--output", site.to_str().unwrap()],
    );
    common::assert_ok(&o);
    let list = site.join("policies.json");
    let json = std::fs::read_to_string(&list).unwrap();
    assert!(json.contains("\"title\": \"脱贫人口小额信贷\""), "{json}");
    assert!(!json.contains("421123"), "no personal data in the list");
    // A cadre's computer: the downloaded list and a sheet, no handbook folder.
    let cadre = tmp.path().join("村委会电脑");
    std::fs::create_dir(&cadre).unwrap();
    std::fs::copy(&list, cadre.join("policies.json")).unwrap();
    std::fs::copy(sheet("households.csv"), cadre.join("台账.csv")).unwrap();
    let run = |args: &[&str]| common::run(common::command().args(args).current_dir(&cadre));
    let o = run(&["cards", "--handbook", "policies.json", "--data", "台账.csv"]);
    common::assert_ok(&o);
    let out = cadre.join("print-private");
    let text = squash(&all_text(&out));
    for t in [
        "脱贫人口小额信贷",
        "雨露计划职业教育补助",
        "残疾人两项补贴",
        "王堃",
    ] {
        assert!(text.contains(t), "{t} missing");
    }
    assert!(text.contains("12317"), "hotlines from the list");
    // The same checks: a typo in the sheet is caught against the list.
    let o = run(&[
        "cards",
        "--handbook",
        "policies.json",
        "--data",
        sheet("bad/policy-typo.csv").to_str().unwrap(),
        "--output",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("是不是"), "{}", stderr(&o));
    // Without either, the cadre is told what to do.
    let o = run(&["cards", "--data", "台账.csv", "--output", "y"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--handbook policies.json"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new(&cadre.join("y")).exists());
}

/// A minimal .xlsx whose one worksheet is `sheet_xml`.
fn xlsx(sheet_xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    let files: [(&str, &[u8]); 5] = [
        (
            "_rels/.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ];
    for (name, bytes) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

/// `mingbai cards` under a 1 GiB address-space limit and a 60 s time limit.
fn cards_limited(data: &Path, out: &Path) -> std::process::Output {
    std::process::Command::new("prlimit")
        .args(["--as=1073741824", "--"])
        .arg("timeout")
        .arg("60")
        .arg(env!("CARGO_BIN_EXE_mingbai"))
        .args(["cards", "--root"])
        .arg(repo())
        .arg("--data")
        .arg(data)
        .arg("--output")
        .arg(out)
        .output()
        .expect("prlimit (util-linux) and timeout (coreutils)")
}

#[test]
fn a_stray_cell_at_xfd1048576_and_a_zip_bomb_stay_within_a_memory_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let row = |r: usize, cells: &[(&str, &str)]| {
        let c: String = cells
            .iter()
            .map(|(at, v)| format!(r#"<c r="{at}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#))
            .collect();
        format!(r#"<row r="{r}">{c}</row>"#)
    };
    let text = std::fs::read_to_string(sheet("households.csv")).unwrap();
    let id = &ids_in(&text)[0];
    let header = [
        "户编号",
        "乡镇",
        "村",
        "户主姓名",
        "身份证号",
        "家庭人口",
        "户类型",
        "帮扶责任人",
        "帮扶责任人电话",
    ];
    let cols = ["A", "B", "C", "D", "E", "F", "G", "H", "I"];
    let head: Vec<(&str, &str)> = cols.iter().copied().zip(header).collect();
    let data: Vec<(&str, &str)> = cols
        .iter()
        .copied()
        .zip([
            "H1",
            "青禾镇",
            "桃源村",
            "王堃",
            id.as_str(),
            "4",
            "脱贫户",
            "陈立新",
            "13807180101",
        ])
        .collect();
    // The declared range claims the whole sheet; one stray cell sits in its last corner.
    let stray = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{}{}{}</sheetData><mergeCells count="1"><mergeCell ref="J2:XFD1048576"/></mergeCells></worksheet>"#,
        row(1, &head),
        row(2, &data),
        row(1048576, &[("XFD", "x")])
    );
    let file = tmp.path().join("stray.xlsx");
    std::fs::write(&file, xlsx(stray.as_bytes())).unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() < 4096);
    let o = cards_limited(&file, &tmp.path().join("a"));
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("打印了 1 户"),
        "{}",
        common::stderr(&o)
    );

    // 600 MB of padding that deflates to well under a megabyte.
    let mut bomb = format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}"#,
        row(1, &head)
    )
    .into_bytes();
    bomb.resize(bomb.len() + (600 << 20), b' ');
    bomb.extend(b"</sheetData></worksheet>");
    let file = tmp.path().join("bomb.xlsx");
    std::fs::write(&file, xlsx(&bomb)).unwrap();
    drop(bomb);
    assert!(std::fs::metadata(&file).unwrap().len() < 2 << 20);
    let o = cards_limited(&file, &tmp.path().join("b"));
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("解压后超过 512 MB"),
        "{}",
        common::stderr(&o)
    );
    assert!(!tmp.path().join("b").exists());
}

#[test]
fn copies_are_capped_with_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = cards(
        &sheet("households.csv"),
        &tmp.path().join("o"),
        &["--copies", "100000"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains("--copies"),
        "{}",
        common::stderr(&o)
    );
    assert!(!tmp.path().join("o").exists());
}

#[test]
fn two_policies_sharing_a_name_are_a_check_error_in_both_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).unwrap();
    common::copy_tree(&repo().join("content"), &dir.path().join("content"));
    // 两免贷款 is already an alias of 脱贫人口小额信贷 (xindai/xiaoe).
    let other = dir.path().join("content/jiaoyu/yulu.md");
    let text = std::fs::read_to_string(&other).unwrap();
    let text = text.replace(
        "aliases = [\"雨露计划\"]",
        "aliases = [\"雨露计划\", \"两免贷款\"]",
    );
    std::fs::write(&other, text).unwrap();
    let o = common::mingbai(dir.path(), &["check"]);
    let err = failed(&o);
    assert!(err.contains("两项政策都叫「两免贷款」"), "{err}");
    assert!(
        err.contains("content/xindai/xiaoe.md:35") && err.contains("content/jiaoyu/yulu.md:33"),
        "{err}"
    );
    // Shown at the name as written in one of them, underlined.
    assert!(
        err.contains("--> content/jiaoyu/yulu.md:33:21")
            || err.contains("--> content/xindai/xiaoe.md:35:13"),
        "{err}"
    );
}

/// A row/column error of a sheet, in Chinese by default and in English with
/// `MINGBAI_LANG=en`; the column's header stays as the sheet has it.
#[test]
fn a_bad_cell_is_reported_in_the_locales_language() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("bad.csv");
    let text = std::fs::read_to_string(sheet("households.csv")).unwrap();
    let ids = ids_in(&text);
    std::fs::write(
        &csv,
        format!(
            "户编号,乡镇,村,户主姓名,身份证号,家庭人口,户类型,帮扶责任人,帮扶责任人电话\n\
             H1,青禾镇,桃源村,王堃,{},3,脱贫户,陈立新,1234\n",
            ids[0]
        ),
    )
    .unwrap();
    let run = |lang: Option<&str>| {
        let mut cmd = common::command();
        cmd.arg("cards")
            .arg("--root")
            .arg(repo())
            .arg("--data")
            .arg(&csv)
            .arg("--output")
            .arg(tmp.path().join("out"))
            .env("MINGBAI_TODAY", "2026-11-22");
        match lang {
            Some(l) => cmd.env("MINGBAI_LANG", l),
            None => cmd
                .env_remove("MINGBAI_LANG")
                .env_remove("LC_ALL")
                .env_remove("LC_MESSAGES")
                .env_remove("LANG"),
        };
        let o = cmd.output().expect("run mingbai cards");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        stderr(&o)
    };
    let zh = run(None);
    assert!(
        zh.contains("第2行「帮扶责任人电话」（I列）：「1234」不像电话号码"),
        "{zh}"
    );
    assert!(zh.contains("没有打印：请改正表格后再试"), "{zh}");
    let en = run(Some("en"));
    assert!(
        en.contains(
            "row 2, \"帮扶责任人电话\" (column I): \"1234\" does not look like a phone number"
        ),
        "{en}"
    );
    assert!(en.contains("nothing printed: fix the sheet"), "{en}");
    assert!(!en.contains("不像电话号码"), "{en}");
    assert!(!tmp.path().join("out").exists());
}
