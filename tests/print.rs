//! Print output checked the way a person would: every card passes qpdf, fonts are
//! embedded subsets, text extracts back (titles, every field value shown), no line
//! breaks 禁则, QR codes decode to the entry's address, nothing is drawn in a card's
//! margins. Needs poppler-utils, qpdf and zbar-tools (installed by .ci/run).

mod common;
use common::pdf::*;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The sample handbook built once for all tests here.
fn sample() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let o = mingbai(
            root,
            &[
                "build",
                "--output",
                out.path().join("site").to_str().unwrap(),
            ],
        );
        common::assert_ok(&o);
        std::fs::write(out.path().join("build.log"), &o.stderr).unwrap();
        out
    })
    .path()
}

fn site_dir() -> PathBuf {
    sample().join("site")
}

fn card_pdfs() -> Vec<PathBuf> {
    pdfs_under(&site_dir().join("print/cards"))
}

/// Front matter of an entry by id, read from the sample content.
fn front_matter(id: &str) -> toml::Table {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .join(format!("{id}.md")),
    )
    .unwrap();
    let fm = text.split("+++").nth(1).unwrap();
    fm.parse().unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_card_passes_qpdf_and_embeds_subset_fonts_only() {
    let cards = card_pdfs();
    assert!(cards.len() >= 50, "{}", cards.len());
    let mut all = cards.clone();
    all.push(site_dir().join("print/cards.pdf"));
    all.push(site_dir().join("print/handbook.pdf"));
    for pdf in &all {
        let p = pdf.to_str().unwrap();
        let check = Command::new("qpdf").args(["--check", p]).output().unwrap();
        assert!(
            check.status.success(),
            "qpdf --check {p}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let fonts = tool("pdffonts", &[p]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{p} has no fonts");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type… encoding emb sub uni object ID
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{p}: {row}");
            assert!(
                cols[0].as_bytes()[6] == b'+',
                "{p}: not a subset name: {row}"
            );
        }
    }
}

#[test]
fn card_text_extracts_back_with_every_field_shown() {
    let mut checked = 0;
    for pdf in card_pdfs() {
        let rel = pdf
            .strip_prefix(site_dir().join("print/cards"))
            .unwrap()
            .with_extension("");
        let id = rel.to_string_lossy().replace('\\', "/");
        let fm = front_matter(&id);
        let text = squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
        let title = fm["title"].as_str().unwrap();
        // A `{{小额信贷.max}}` figure reference is printed as its value: the text around
        // it must be there (tests/figures.rs checks the values).
        let pieces = |v: &str| -> Vec<String> {
            v.split("{{")
                .map(|p| squash(p.rsplit("}}").next().unwrap_or(p)))
                .collect()
        };
        for piece in pieces(title) {
            assert!(text.contains(&piece), "{id}: title missing");
        }
        let mut shown = vec!["summary", "answer", "targets", "amount", "office", "phone"];
        shown.retain(|k| fm.contains_key(*k));
        for key in shown {
            let v = fm[key].as_str().unwrap();
            for piece in pieces(v) {
                assert!(text.contains(&piece), "{id}: {key} 「{v}」 missing");
            }
        }
        for key in ["conditions", "steps", "materials"] {
            if let Some(items) = fm.get(key).and_then(|v| v.as_array()) {
                for item in items {
                    let v = item.as_str().unwrap();
                    assert!(
                        text.contains(&squash(v)),
                        "{id}: {key} item 「{v}」 missing"
                    );
                }
            }
        }
        // The site's hotlines are on every card.
        assert!(
            text.contains("12317") && text.contains("0718-6620000"),
            "{id}: hotlines"
        );
        checked += 1;
    }
    assert!(checked >= 50);
}

#[test]
fn no_extracted_line_breaks_kinsoku() {
    const NO_START: &str = "，。、；：？！）」』》";
    const NO_END: &str = "（「『《";
    let mut files = card_pdfs();
    files.push(site_dir().join("print/handbook.pdf"));
    let mut lines = 0;
    for pdf in files {
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let first = line.chars().next().unwrap();
            let last = line.chars().last().unwrap();
            assert!(
                !NO_START.contains(first),
                "{}: line starts with {first}: {line}",
                pdf.display()
            );
            assert!(
                !NO_END.contains(last),
                "{}: line ends with {last}: {line}",
                pdf.display()
            );
            lines += 1;
        }
    }
    assert!(lines > 2000, "{lines}");
}

#[test]
fn qr_codes_decode_to_the_entry_address() {
    let dir = tempfile::tempdir().unwrap();
    for id in [
        "xindai/xiaoe",
        "jiaoyu/yulu",
        "wenda/daikuan-diya",
        "wenda/dianhua-dabutong",
        "jiuye/jiaotong-2021",
    ] {
        let pdf = site_dir().join(format!("print/cards/{id}.pdf"));
        // The QR code is in the footer, on the front (the face that hangs on the wall).
        assert_eq!(
            qr_on_page(&pdf, 1, dir.path()),
            format!("https://example.org/qinghe/{id}/"),
            "{id}"
        );
    }
}

/// Reads a binary PGM (P5) as width, height and pixels.
fn pgm(path: &Path) -> (usize, usize, Vec<u8>) {
    let data = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).to_string());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, data[i + 1..].to_vec())
}

#[test]
fn nothing_is_drawn_in_a_cards_margins() {
    // Default theme: A6 cards with 6.5 mm margins. Rendered at 100 dpi, a pixel is
    // 0.254 mm; allow one pixel of anti-aliasing.
    let dir = tempfile::tempdir().unwrap();
    for pdf in card_pdfs() {
        let stem = dir.path().join("face");
        tool(
            "pdftoppm",
            &[
                "-gray",
                "-r",
                "100",
                pdf.to_str().unwrap(),
                stem.to_str().unwrap(),
            ],
        );
        for face in std::fs::read_dir(dir.path()).unwrap() {
            let face = face.unwrap().path();
            let (w, h, px) = pgm(&face);
            let margin = (6.5 / 25.4 * 100.0) as usize - 1;
            for y in 0..h {
                for x in 0..w {
                    let inside = x >= margin && x < w - margin && y >= margin && y < h - margin;
                    if !inside {
                        assert!(
                            px[y * w + x] > 250,
                            "{}: ink at ({x}, {y}) in the margin",
                            pdf.display()
                        );
                    }
                }
            }
            std::fs::remove_file(face).unwrap();
        }
    }
}

#[test]
fn imposed_sheets_hold_four_cards_each() {
    let info = tool(
        "pdfinfo",
        &[site_dir().join("print/cards.pdf").to_str().unwrap()],
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    let cards = card_pdfs().len();
    // Some cards have a back, so the sheets are duplex: fronts and backs alternate.
    assert_eq!(pages, cards.div_ceil(4) * 2, "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let text = tool(
        "pdftotext",
        &[
            "-f",
            "1",
            "-l",
            "1",
            site_dir().join("print/cards.pdf").to_str().unwrap(),
            "-",
        ],
    );
    assert_eq!(
        text.matches("政策明白卡").count() + text.matches("问答明白卡").count(),
        4,
        "{text}"
    );
}

#[test]
fn handbook_has_toc_chapters_outline_and_page_numbers() {
    let pdf = site_dir().join("print/handbook.pdf");
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("目  录") || text.contains("目 录"), "no TOC");
    for chapter in ["教育帮扶", "脱贫人口小额信贷", "常见问题"] {
        assert!(text.contains(chapter), "{chapter}");
    }
    // Body pages are numbered from 1; a blank page before a chapter has no number.
    let folios = (1..=40)
        .filter(|k| squash(&text).contains(&format!("—{k}—")))
        .count();
    assert!(
        squash(&text).contains("—1—") && folios >= 20,
        "page numbers"
    );
    let doc = lopdf::Document::load(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let count = outlines.get(b"Count").unwrap().as_i64().unwrap();
    assert!(count >= 11, "{count} top-level bookmarks");
    // The first chapter bookmark has the chapter's entries nested under it.
    let first = doc
        .get_dictionary(outlines.get(b"First").unwrap().as_reference().unwrap())
        .unwrap();
    let second = doc
        .get_dictionary(first.get(b"Next").unwrap().as_reference().unwrap())
        .unwrap();
    assert!(second.get(b"First").is_ok(), "chapters have nested entries");
}

#[test]
fn build_lists_cards_with_a_back_page() {
    let log = std::fs::read_to_string(sample().join("build.log")).unwrap();
    assert!(log.contains("接着印在背面："), "{log}");
    assert!(log.contains("xindai/xiaoe"), "{log}");
}

#[test]
fn print_output_is_reproducible() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build"]).status.success());
    let first = std::fs::read(root.join("public/print/cards/jinrong/xiaoe.pdf")).unwrap();
    let hb = std::fs::read(root.join("public/print/handbook.pdf")).unwrap();
    assert!(mingbai(root, &["build"]).status.success());
    assert_eq!(
        first,
        std::fs::read(root.join("public/print/cards/jinrong/xiaoe.pdf")).unwrap()
    );
    assert_eq!(
        hb,
        std::fs::read(root.join("public/print/handbook.pdf")).unwrap()
    );
    // Policy pages link their card, the home page the handbook.
    assert!(
        read(root, "public/jinrong/xiaoe/index.html")
            .contains("href=\"../../print/cards/jinrong/xiaoe.pdf\"")
    );
    assert!(read(root, "public/index.html").contains("href=\"./print/handbook.pdf\""));
}

#[test]
fn no_print_skips_print_output() {
    let dir = site("good");
    let root = dir.path();
    assert!(mingbai(root, &["build", "--no-print"]).status.success());
    assert!(!root.join("public/print").exists());
    assert!(!read(root, "public/jinrong/xiaoe/index.html").contains(".pdf"));
}

#[test]
fn a_character_no_font_has_stops_the_build_with_its_place() {
    let dir = site("good");
    let root = dir.path();
    // After a build, so the check runs beside the cards and the handbook laid out
    // again: its error, with the place, is the one given.
    assert!(mingbai(root, &["build"]).status.success());
    let handbook = || std::fs::read(root.join("public/print/handbook.pdf")).unwrap();
    let before = handbook();
    let path = root.join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("按时还款", "按时还款\u{10FFFD}");
    let line = text.lines().position(|l| l.contains('\u{10FFFD}')).unwrap() + 1;
    std::fs::write(&path, text).unwrap();
    let o = mingbai(root, &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("U+10FFFD"), "{e}");
    assert!(
        e.contains(&format!("--> content/jinrong/xiaoe.md:{line}:5")),
        "{e}"
    );
    assert!(!e.contains("characters no font can print"), "{e}");
    assert!(handbook() == before, "the last handbook stays as it was");
}

#[test]
fn tone_marks_typed_after_their_letters_print_as_the_letters_with_them() {
    // Pinyin whose tones were typed as combining marks: the fonts have no diaeresis
    // (U+0308) of their own, but ü and ǜ they have; an x with one is an error at its
    // place. No system font: one could supply the mark and hide the difference.
    let dir = site("good");
    let root = dir.path();
    let toml = read(root, "site.toml").replacen(
        "[tag_slugs]",
        "[print]\nsystem_fonts = false\n\n[tag_slugs]",
        1,
    );
    std::fs::write(root.join("site.toml"), toml).unwrap();
    let path = root.join("content/jinrong/xiaoe.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let typed = "lu\u{308}\u{300}se\u{300} 绿色，nu\u{308}\u{301}li\u{300} 努力";
    std::fs::write(&path, text.replace("按时还款", &format!("{typed}按时还款"))).unwrap();
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    let handbook = root.join("public/print/handbook.pdf");
    let extracted = tool("pdftotext", &[handbook.to_str().unwrap(), "-"]);
    assert!(extracted.contains("lǜsè 绿色，nǘlì 努力"), "{extracted}");

    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(typed, "x\u{308} 按");
    let line = text.lines().position(|l| l.contains('\u{308}')).unwrap() + 1;
    std::fs::write(&path, text).unwrap();
    let o = mingbai(root, &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("U+0308"), "{e}");
    assert!(
        e.contains(&format!("--> content/jinrong/xiaoe.md:{line}:2")),
        "{e}"
    );
}

/// The good fixture site with a `print/` folder for its own templates, and the default
/// theme's card template to start one from.
fn site_with_print_folder() -> (tempfile::TempDir, String) {
    let dir = site("good");
    std::fs::create_dir_all(dir.path().join("print")).unwrap();
    let theme_card = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/print/card.xml"),
    )
    .unwrap();
    (dir, theme_card)
}

#[test]
fn markup_errors_point_at_the_print_template() {
    let (dir, theme_card) = site_with_print_folder();
    let root = dir.path();
    let broken =
        theme_card
            .replacen("<fields>", "<feilds>", 1)
            .replacen("</fields>", "</feilds>", 1);
    let line = broken.lines().position(|l| l.contains("<feilds>")).unwrap() + 1;
    std::fs::write(root.join("print/card.xml"), broken).unwrap();
    let o = mingbai(root, &["build"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("不认识的标记 <feilds>（是不是 <fields>？）"),
        "{e}"
    );
    assert!(e.contains(&format!("--> print/card.xml:{line}:")), "{e}");
}

/// A QR code that could not be scanned (more data than a code holds, or modules too
/// small at its size) stops the run at the template's `<qr>`, naming the data and the
/// size that would do: it was a card printed without its code, and no message.
#[test]
fn a_qr_code_too_dense_or_too_long_to_scan_stops_the_build_at_the_template() {
    let (dir, theme_card) = site_with_print_folder();
    let root = dir.path();
    let qr = r#"<qr data="{{ page.permalink }}"/>"#;
    assert!(theme_card.contains(qr));
    let line = theme_card.lines().position(|l| l.contains(qr)).unwrap() + 1;
    // The address and 200 bytes more (some 250) in 21 mm: version 12 at most, 65
    // modules of 0.32 mm, scannable; with 440 more, version 17 or so, 85 modules of
    // 0.25 mm; with 2,400 more, no code holds it.
    for (pad, expect) in [
        (200, None),
        (440, Some("毫米见方里太密")),
        (2400, Some("一个二维码最多装 2331 个")),
    ] {
        let data = format!("{}{{{{ page.permalink }}}}", "x".repeat(pad));
        let card = theme_card.replace(qr, &format!(r#"<qr data="{data}"/>"#));
        std::fs::write(root.join("print/card.xml"), card).unwrap();
        let o = mingbai(root, &["build"]);
        let e = stderr(&o);
        match expect {
            None => assert!(o.status.success(), "{e}"),
            Some(msg) => {
                assert!(!o.status.success(), "{pad}: {e}");
                assert!(e.contains(msg), "{e}");
                assert!(e.contains("二维码里的内容「xxxxxxxx"), "{e}");
                assert!(e.contains(&format!("--> print/card.xml:{line}:")), "{e}");
            }
        }
    }
}

/// A chapter far longer than one batch of entries (the handbook is laid out and
/// written a few dozen entries at a time): every contents line names the page the
/// entry really starts on, body pages are numbered in order, and the file is whole.
#[test]
fn a_long_chapter_is_written_in_batches_with_true_page_numbers() {
    let dir = site("good");
    let root = dir.path();
    let n = 90;
    for k in 0..n {
        // Bodies of different lengths, so entries start anywhere on a page.
        let paras: String = (0..(k % 7 + 1))
            .map(|p| {
                format!(
                    "第{p}段：脱贫户家庭成员参加职业技能培训，取得证书后按规定申领补贴，\
                     由乡镇便民服务中心受理，县人社局审核后发放到本人社保卡。\n\n"
                )
            })
            .collect();
        let text = format!(
            "+++\ntitle = \"长章节条目{k:03}\"\nsummary = \"第{k}条的摘要。\"\n\
             phone = \"0718-6621234\"\neffective = 2025-09-01\nweight = {k}\n+++\n\n{paras}"
        );
        std::fs::write(root.join(format!("content/jiaoyu/c{k:03}.md")), text).unwrap();
    }
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    let pdf = root.join("public/print/handbook.pdf");
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);

    // Body page 1 is the first page of the Arabic page-label range.
    let doc = lopdf::Document::load(&pdf).unwrap();
    let labels = doc
        .catalog()
        .unwrap()
        .get(b"PageLabels")
        .and_then(|l| l.as_dict())
        .unwrap()
        .get(b"Nums")
        .and_then(|n| n.as_array())
        .unwrap()
        .clone();
    let body_start = labels[2].as_i64().unwrap() as usize;
    let pages = doc.get_pages().len();
    let page_text = |physical: usize| {
        let p = physical.to_string();
        squash(&tool(
            "pdftotext",
            &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
        ))
    };
    let contents: String = (1..=body_start).map(page_text).collect();
    let mut checked = 0;
    for k in (0..n).step_by(7) {
        let title = format!("长章节条目{k:03}");
        // 「长章节条目007……………12」: the page number follows the leader dots.
        let at = contents
            .find(&title)
            .unwrap_or_else(|| panic!("{title} not in contents"));
        let number: String = contents[at + title.len()..]
            .trim_start_matches('…')
            .trim_start_matches('.')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let number: usize = number.parse().unwrap_or_else(|_| {
            panic!(
                "no page number for {title}: {}",
                &contents[at..(at + 120).min(contents.len())]
            )
        });
        let physical = body_start + number;
        assert!(physical <= pages, "{title}: page {number} of {pages}");
        let text = page_text(physical);
        assert!(
            text.contains(&title) && text.contains(&format!("—{number}—")),
            "{title} is listed on page {number}, which reads: {text}"
        );
        checked += 1;
    }
    assert!(checked >= 12);
}
