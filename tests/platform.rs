//! What county offices' computers throw at mingbai: a handbook folder whose path has
//! Chinese characters and spaces, output paths with `\` and mixed separators (read as
//! separators on Windows), a rebuild that swaps the output while the old one is there,
//! `check`, and household cards from an .xlsx in a Chinese-named folder. Runs natively,
//! and in CI against the Windows exe under Wine (`MINGBAI_TEST_EXE`).

mod common;

use std::path::Path;

use common::sheets::{all_text, repo, sheet, squash};

/// The sample handbook copied into `<tmp>/青禾县 政策手册（2026）`.
fn chinese_folder(tmp: &Path) -> std::path::PathBuf {
    let root = tmp.join("青禾县 政策手册（2026）");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    common::copy_tree(&repo().join("content"), &root.join("content"));
    root
}

#[test]
fn a_handbook_in_a_chinese_folder_builds_checks_and_swaps() {
    let tmp = tempfile::tempdir().unwrap();
    let root = chinese_folder(tmp.path());
    let o = common::mingbai(&root, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let index = root.join("public/index.html");
    let first = std::fs::read_to_string(&index).unwrap();
    assert!(first.contains("青禾县"));
    assert!(root.join("public/print/handbook.pdf").is_file());
    assert!(root.join("public/print/cards/xindai/xiaoe.pdf").is_file());

    // A second build swaps a whole new site in over the old one.
    let entry = root.join("content/xindai/xiaoe.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, format!("{text}\n第二次构建的内容。\n")).unwrap();
    let o = common::mingbai(&root, &["build", "--no-print"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let page = std::fs::read_to_string(root.join("public/xindai/xiaoe/index.html")).unwrap();
    assert!(page.contains("第二次构建的内容"));
    // No build folder is left; the replaced site waits in one trash folder for the next
    // build, which deletes it beside its own work.
    let beside = |root: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".public"))
            .collect();
        v.sort();
        v
    };
    let first_trash = beside(&root);
    assert!(
        first_trash.len() == 1 && first_trash[0].starts_with(".public.trash-"),
        "beside the output: {first_trash:?}"
    );

    let o = common::mingbai(&root, &["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let o = common::mingbai(&root, &["build", "--no-print"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let second_trash = beside(&root);
    assert!(
        second_trash.len() == 1 && second_trash != first_trash,
        "the first trash is swept by the next build: {first_trash:?} → {second_trash:?}"
    );

    // Output paths written the Windows way, with `\` and mixed separators.
    let sep = if common::windows_exe() { "\\" } else { "/" };
    let out = format!("输出{sep}网站 一");
    let o = common::mingbai(&root, &["build", "--no-print", "--output", &out]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(root.join("输出/网站 一/index.html").is_file());
}

#[test]
fn household_cards_from_an_xlsx_in_a_chinese_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = chinese_folder(tmp.path());
    let data_dir = tmp.path().join("村委会 台账");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::copy(
        sheet("taizhang-merged.xlsx"),
        data_dir.join("桃源村 台账.xlsx"),
    )
    .unwrap();
    let data = data_dir.join("桃源村 台账.xlsx");
    let out = tmp.path().join("户明白卡 打印");
    let o = common::mingbai(
        &root,
        &[
            "cards",
            "--data",
            data.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let err = common::stderr(&o);
    assert!(err.contains("打印了 8 户"), "{err}");
    assert!(
        err.contains("桃源村 台账.xlsx"),
        "the path reads right: {err}"
    );
    let text = squash(&all_text(&out));
    assert!(text.contains("王堃") && text.contains("张𰻞𰻞"), "{text}");
}

#[test]
fn version_and_help_speak_plainly() {
    let o = common::run(common::command().arg("--version"));
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("mingbai "));
}
