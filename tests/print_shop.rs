//! What a print shop checks before it prints: the PDFs pass qpdf, are PDF 1.7 without
//! empty PDF/X keys, single cards bleed 3 mm with TrimBox and BleedBox, black and grey
//! text is black ink alone (no RGB, no rich black), the handbook's page labels run
//! i, ii… then 1, 2… with every chapter on a right-hand page, its pictures are
//! embedded, and a missing picture stops the build with its place. Needs qpdf and
//! poppler-utils.

mod common;
use common::pdf::*;
use common::*;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lopdf::{Document, Object};

const MM: f32 = 72.0 / 25.4;

/// The sample handbook (the repository root) built once for all tests here.
fn sample() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = out.path().join("site");
        let o = mingbai(root, &["build", "--output", site.to_str().unwrap()]);
        common::assert_ok(&o);
        out
    })
    .path()
}

fn print_dir() -> PathBuf {
    sample().join("site/print")
}

/// A few of each kind: the handbook, the imposed sheets, cards with and without a back.
fn pdfs(print: &Path) -> Vec<PathBuf> {
    let mut v = vec![print.join("handbook.pdf"), print.join("cards.pdf")];
    for card in ["zhufang/weifang", "jiaoyu/mianfei", "wenda/shenqing"] {
        let p = print.join(format!("cards/{card}.pdf"));
        if p.exists() {
            v.push(p);
        }
    }
    let first = walkdir::WalkDir::new(print.join("cards"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .expect("card pdfs");
    v.push(first.path().to_path_buf());
    v
}

/// The file rewritten by qpdf with every stream uncompressed and no object streams.
fn qdf(pdf: &Path) -> String {
    let out = tempfile::NamedTempFile::new().unwrap();
    tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            out.path().to_str().unwrap(),
        ],
    );
    String::from_utf8_lossy(&std::fs::read(out.path()).unwrap()).to_string()
}

#[test]
fn pdfs_pass_qpdf_are_pdf_17_and_claim_no_pdfx() {
    for pdf in pdfs(&print_dir()) {
        let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.7"), "{}", pdf.display());
        let text = qdf(&pdf);
        assert!(!text.contains("GTS_PDFX"), "{}", pdf.display());
        assert!(!text.contains("/Author ()"), "{}", pdf.display());
    }
}

fn rect(doc: &Document, page: lopdf::ObjectId, key: &[u8]) -> Option<[f32; 4]> {
    let d = doc.get_dictionary(page).ok()?;
    let a = d.get(key).ok()?.as_array().ok()?;
    let v: Vec<f32> = a.iter().map(|o| o.as_float().unwrap()).collect();
    Some([v[0], v[1], v[2], v[3]])
}

fn close(a: [f32; 4], b: [f32; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.02)
}

#[test]
fn single_cards_bleed_3mm_and_sheets_do_not() {
    let card = print_dir().join("cards/zhufang/weifang.pdf");
    let doc = Document::load(&card).unwrap();
    let (cw, ch) = (105.0 * MM, 148.0 * MM);
    let b = 3.0 * MM;
    for page in doc.get_pages().values() {
        let media = rect(&doc, *page, b"MediaBox").unwrap();
        let trim = rect(&doc, *page, b"TrimBox").expect("TrimBox");
        let bleed = rect(&doc, *page, b"BleedBox").expect("BleedBox");
        assert!(
            close(media, [0.0, 0.0, cw + 2.0 * b, ch + 2.0 * b]),
            "{media:?}"
        );
        assert!(close(trim, [b, b, cw + b, ch + b]), "{trim:?}");
        assert!(close(bleed, media), "{bleed:?}");
    }
    // The card's text stays where it was inside the trim: 6.5 mm margins from the trim
    // edge are 9.5 mm from the sheet's edge, and nothing is drawn there.
    let text = tool(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", card.to_str().unwrap(), "-"],
    );
    let min_x = text
        .lines()
        .filter(|l| l.contains("<word"))
        .filter_map(|l| {
            l.split("xMin=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse::<f32>()
                .ok()
        })
        .fold(f32::MAX, f32::min);
    assert!(
        (9.4 * MM..12.0 * MM).contains(&min_x),
        "text starts at {min_x} pt"
    );

    let sheets = Document::load(print_dir().join("cards.pdf")).unwrap();
    for page in sheets.get_pages().values() {
        let media = rect(&sheets, *page, b"MediaBox").unwrap();
        assert!(close(media, [0.0, 0.0, 595.28, 841.89]), "{media:?}");
        assert_eq!(rect(&sheets, *page, b"TrimBox"), Some(media));
        assert_eq!(rect(&sheets, *page, b"BleedBox"), None);
    }
}

/// Every fill colour set before text, as (operands, operator), from a qdf file; and
/// every colour operator used at all.
fn text_colours(qdf: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut fills = Vec::new();
    let mut ops = Vec::new();
    let mut current = (String::new(), String::new());
    for line in qdf.lines() {
        let line = line.trim();
        let Some((operands, op)) = line.rsplit_once(' ') else {
            continue;
        };
        match op {
            "g" | "k" | "rg" | "sc" | "scn" => {
                current = (operands.to_string(), op.to_string());
                ops.push(op.to_string());
            }
            "G" | "K" | "RG" | "SC" | "SCN" => ops.push(op.to_string()),
            "TJ" | "Tj" => fills.push(current.clone()),
            _ => {}
        }
    }
    (fills, ops)
}

/// Black or grey written as black ink alone: `x g`, or `0 0 0 x k`.
fn black_ink(operands: &str, op: &str) -> bool {
    let v: Vec<f32> = operands
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match op {
        "g" => v.len() == 1,
        "k" => v.len() == 4 && v[..3].iter().all(|&c| c == 0.0),
        _ => false,
    }
}

#[test]
fn text_is_black_ink_alone_and_nothing_is_rgb() {
    for pdf in pdfs(&print_dir()) {
        let (fills, ops) = text_colours(&qdf(&pdf));
        assert!(!fills.is_empty(), "{}: no text found", pdf.display());
        assert!(
            !ops.iter().any(|o| o == "rg" || o == "RG"),
            "{}: RGB colour",
            pdf.display()
        );
        // Body text: solid black ink.
        let solid = fills.iter().filter(|(v, op)| v == "0 0 0 1" && op == "k");
        assert!(solid.count() * 2 > fills.len(), "{}", pdf.display());
        for (v, op) in &fills {
            // Colours (the red headings) are CMYK; anything with equal cyan, magenta and
            // yellow would be a rich black or a grey in four inks.
            let n: Vec<f32> = v
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            assert_eq!(op, "k", "{}: text in `{v} {op}`", pdf.display());
            assert!(
                black_ink(v, op) || !(n[0] == n[1] && n[1] == n[2]),
                "{}: text in four inks `{v} {op}`",
                pdf.display()
            );
        }
    }
}

/// The fixture site with `[print] color = …`, built into `out/`.
fn built_with_colour(mode: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = site("good");
    let cfg = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}\n[print]\ncolor = \"{mode}\"\n")).unwrap();
    let o = mingbai(dir.path(), &["build", "--output", "out"]);
    (dir, o)
}

#[test]
fn gray_mode_is_all_black_ink_and_rgb_mode_is_caught() {
    let (dir, o) = built_with_colour("gray");
    common::assert_ok(&o);
    for pdf in pdfs(&dir.path().join("out/print")) {
        let (fills, ops) = text_colours(&qdf(&pdf));
        assert!(ops.iter().all(|o| o == "g" || o == "G"), "{ops:?}");
        assert!(fills.iter().all(|(v, op)| black_ink(v, op)));
        assert!(fills.iter().any(|(v, _)| v == "0"), "solid black text");
    }
    // The checks above do fail on RGB output.
    let (dir, o) = built_with_colour("rgb");
    common::assert_ok(&o);
    let (fills, ops) = text_colours(&qdf(&dir.path().join("out/print/handbook.pdf")));
    assert!(ops.iter().any(|o| o == "rg"));
    assert!(!fills.iter().all(|(v, op)| black_ink(v, op)));

    let (_dir, o) = built_with_colour("cmky");
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("印刷颜色 `cmky` 不认识"), "{e}");
    assert!(e.contains("--> site.toml:"), "{e}");
}

/// The /PageLabels ranges of a document: (first page, style).
fn page_labels(doc: &Document) -> Vec<(i64, Vec<u8>)> {
    let labels = doc
        .catalog()
        .unwrap()
        .get(b"PageLabels")
        .expect("PageLabels");
    let labels = match labels {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
    nums.chunks(2)
        .map(|p| {
            let d = match &p[1] {
                Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
                o => o.as_dict().unwrap(),
            };
            (
                p[0].as_i64().unwrap(),
                d.get(b"S").unwrap().as_name().unwrap().to_vec(),
            )
        })
        .collect()
}

#[test]
fn handbook_front_matter_is_roman_and_chapters_start_on_the_right() {
    let pdf = print_dir().join("handbook.pdf");
    let doc = Document::load(&pdf).unwrap();
    let labels = page_labels(&doc);
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert_eq!(labels[0], (0, b"r".to_vec()));
    let body = labels[1].0;
    assert_eq!(labels[1].1, b"D".to_vec());
    // The body's page 1 is a right-hand page: the front matter is an even count.
    assert!(
        body >= 2 && body % 2 == 0,
        "body starts at page index {body}"
    );

    let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    let outlines = doc
        .get_dictionary(
            doc.catalog()
                .unwrap()
                .get(b"Outlines")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    let mut item = outlines.get(b"First").unwrap().as_reference().ok();
    let mut chapters = 0;
    while let Some(id) = item {
        let d = doc.get_dictionary(id).unwrap();
        let dest = d.get(b"Dest").unwrap().as_array().unwrap()[0]
            .as_reference()
            .unwrap();
        let index = pages.iter().position(|&p| p == dest).unwrap() as i64;
        if index >= body {
            let number = index - body + 1;
            assert!(number % 2 == 1, "a chapter starts on page {number}");
            chapters += 1;
        }
        item = d.get(b"Next").ok().and_then(|n| n.as_reference().ok());
    }
    assert!(chapters >= 10, "{chapters} chapters");

    // The cover title is broken only between words.
    let cover = tool(
        "pdftotext",
        &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    let lines: Vec<String> = cover
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(lines.iter().any(|l| l.contains("明白手册")), "{cover}");
    assert!(lines.iter().all(|l| !l.ends_with("明白")), "{cover}");
}

#[test]
fn the_handbook_embeds_the_flow_chart() {
    let pdf = print_dir().join("handbook.pdf");
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    // The flow chart beside zhufang/weifang.md, 1360 × 290 px, with its transparency
    // as a soft mask.
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert!(
        rows.iter()
            .any(|r| r.contains(" image ") && r.contains("1360") && r.contains(" rgb ")),
        "{list}"
    );
    assert!(rows.iter().any(|r| r.contains(" smask ")), "{list}");
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(
        !text.contains("［图］"),
        "an image printed as a placeholder"
    );
    assert!(squash(&text).contains("危房改造办理流程"), "caption");
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn a_missing_picture_stops_the_build_and_leaves_the_site_alone() {
    let dir = site("good");
    let root = dir.path();
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    let before = snapshot(&root.join("public"));

    let path = root.join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = format!("{text}\n\n办理流程见下图：\n\n![办理流程](liucheng.png)\n");
    let line = text
        .lines()
        .position(|l| l.contains("](liucheng.png)"))
        .unwrap()
        + 1;
    std::fs::write(&path, text).unwrap();
    let o = mingbai(root, &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    // Found when the site is read, before print: located at the image's address.
    assert!(
        e.contains("找不到图片「content/jinrong/liucheng.png」"),
        "{e}"
    );
    assert!(
        e.contains(&format!("--> content/jinrong/xiaoe.md:{line}:")),
        "{e}"
    );
    assert!(snapshot(&root.join("public")) == before, "public/ changed");

    // With the file there, the build prints it.
    let png = root.join("content/jinrong/liucheng.png");
    image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30]))
        .save(&png)
        .unwrap();
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    let list = tool(
        "pdfimages",
        &[
            "-list",
            root.join("public/print/handbook.pdf").to_str().unwrap(),
        ],
    );
    assert!(
        list.lines()
            .any(|r| r.contains(" 40 ") && r.contains(" 20 ")),
        "{list}"
    );
}

#[test]
fn a_card_template_can_ask_for_a_picture() {
    let dir = site("good");
    let root = dir.path();
    std::fs::create_dir_all(root.join("print")).unwrap();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    let card = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/print/card.xml"),
    )
    .unwrap();
    let with_img = card.replacen(
        "<fields>",
        "<img src=\"/img/logo.png\" width=\"12\" caption=\"县徽\"/>\n<fields>",
        1,
    );
    assert_ne!(with_img, card, "the card template has <fields>");
    std::fs::write(root.join("print/card.xml"), &with_img).unwrap();
    // Missing: the template's line.
    let o = mingbai(root, &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    let line = with_img.lines().position(|l| l.contains("<img")).unwrap() + 1;
    assert!(
        e.contains("找不到这个图片文件（static/img/logo.png）"),
        "{e}"
    );
    assert!(e.contains(&format!("--> print/card.xml:{line}:")), "{e}");

    let rgba = image::RgbaImage::from_fn(30, 30, |x, _| image::Rgba([0, 90, 160, (x * 8) as u8]));
    rgba.save(root.join("static/img/logo.png")).unwrap();
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    let one = walkdir::WalkDir::new(root.join("public/print/cards"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap();
    let list = tool("pdfimages", &["-list", one.path().to_str().unwrap()]);
    assert!(
        list.contains(" image ") && list.contains(" smask "),
        "{list}"
    );
}
