//! The 明白卡 design, checked on the PDFs as a household and a print shop get them: every
//! policy card's front holds its phone and a QR code that decodes; a card that goes on
//! to its back says （见背面）, and a field that continues repeats its label with （续）;
//! type sizes read back from the content streams (nothing below 8 pt; body at least
//! 9 pt on A6, 10.5 pt on A5, 14 pt in the 大字版); every back of an imposed sheet lands
//! behind its own front when the sheet is turned over along its long edge; household
//! backs name 户主 and 户编号. Needs poppler-utils, qpdf and zbar-tools.

mod common;
use common::pdf::*;
use common::sheets::{cards, repo, sheet};
use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The sample handbook copied to a temporary folder (site.toml with `extra` appended),
/// built with `args`, handbook PDF off. Returns the folder; the site is in `site/`.
fn build(extra: &str, args: &[&str]) -> tempfile::TempDir {
    build_with(extra, args, &|_| {})
}

/// [`build`], with `edit` changing the copy before it is built.
fn build_with(extra: &str, args: &[&str], edit: &dyn Fn(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for d in ["content", "themes"] {
        copy_tree(&repo().join(d), &dir.path().join(d));
    }
    edit(dir.path());
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        format!("{toml}\n[print]\nhandbook = false\n{extra}"),
    )
    .unwrap();
    let out = dir.path().join("site");
    let mut all = vec!["build", "--output", out.to_str().unwrap()];
    all.extend(args);
    let o = mingbai(dir.path(), &all);
    common::assert_ok(&o);
    dir
}

/// The sample as it ships: A6 cards.
fn standard() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| build("", &[])).path()
}

/// Policy entries of the sample: id and the phone its front matter gives.
fn policies() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let p = e.path();
        if p.extension().is_none_or(|x| x != "md") || p.file_name().unwrap() == "_index.md" {
            continue;
        }
        let rel = p.strip_prefix(repo().join("content")).unwrap();
        if rel.starts_with("wenda") {
            continue;
        }
        let text = std::fs::read_to_string(p).unwrap();
        if text.lines().any(|l| l.replace(' ', "") == "card=false") {
            continue;
        }
        let phone = text
            .lines()
            .find_map(|l| l.strip_prefix("phone = \""))
            .map(|v| v.trim_end_matches('"').to_string());
        let id = rel.with_extension("").to_string_lossy().replace('\\', "/");
        out.push((id, phone));
    }
    out.sort();
    assert!(out.len() >= 30, "{out:?}");
    out
}

fn card(dir: &Path, id: &str) -> PathBuf {
    dir.join("site/print/cards").join(format!("{id}.pdf"))
}

fn pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

/// The text of page `n`, without spaces and line breaks.
fn page_text(pdf: &Path, n: usize) -> String {
    page_text_with(pdf, n, &[])
}

/// Page `n`'s text without whitespace; `flags` for pdftotext (`-raw`: in the order it
/// was drawn, where a full-width space would otherwise split a line into two columns).
fn page_text_with(pdf: &Path, n: usize, flags: &[&str]) -> String {
    let n = n.to_string();
    let mut args = vec!["-f", &n, "-l", &n];
    args.extend(flags);
    args.extend([pdf.to_str().unwrap(), "-"]);
    tool("pdftotext", &args)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn every_front_holds_the_phone_the_qr_code_and_the_essentials() {
    let dir = tempfile::tempdir().unwrap();
    for (id, phone) in policies() {
        let pdf = card(standard(), &id);
        let front = page_text(&pdf, 1);
        if let Some(phone) = phone {
            assert!(front.contains(&phone), "{id}: no {phone} on the front");
        }
        for label in ["补助标准", "办理地点"] {
            let all: String = (1..=pages(&pdf)).map(|n| page_text(&pdf, n)).collect();
            if all.contains(label) {
                assert!(front.contains(label), "{id}: {label} not on the front");
            }
        }
        assert_eq!(
            qr_on_page(&pdf, 1, dir.path()),
            format!("https://example.org/qinghe/{id}/"),
            "{id}: the front's QR code"
        );
    }
}

#[test]
fn a_card_that_goes_on_says_so_on_both_faces() {
    let labels = [
        "补助对象",
        "补助标准",
        "办理地点",
        "申请条件",
        "办理流程",
        "所需材料",
    ];
    let (mut backs, mut continued) = (0, 0);
    for (id, _) in policies() {
        let pdf = card(standard(), &id);
        let front = page_text(&pdf, 1);
        if pages(&pdf) == 1 {
            assert!(
                !front.contains("（见背面）"),
                "{id}: （见背面） on a one-face card"
            );
            continue;
        }
        backs += 1;
        assert!(
            front.ends_with("（见背面）") || front.contains("（见背面）"),
            "{id}"
        );
        let back = page_text(&pdf, 2);
        assert!(
            back.contains("（背面）"),
            "{id}: the back does not say which card"
        );
        // The back opens with a field: a new one, or the front's last with （续）.
        let first = labels
            .iter()
            .filter_map(|l| back.find(l).map(|at| (at, *l)))
            .min()
            .map(|(_, l)| l);
        let Some(first) = first else { continue };
        if front.contains(first) {
            assert!(
                back.contains(&format!("{first}（续）")),
                "{id}: {first} continues on the back without （续）"
            );
            continued += 1;
        }
        assert!(!back.contains("（续）") || front.contains(first), "{id}");
    }
    assert!(backs >= 10, "{backs} cards with a back");
    assert!(continued >= 1, "no card continues a field on its back");
}

/// Type sizes of a PDF's text, in pt, with how many glyphs each sets: from `Tf` and the
/// text matrix's scale in the content streams (the pages' and any form's), parsed by
/// lopdf (glyph ids are two bytes in this writer's strings).
fn type_sizes(pdf: &Path) -> BTreeMap<u32, usize> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut contents: Vec<Vec<lopdf::content::Operation>> = doc
        .get_pages()
        .values()
        .map(|&page| doc.get_and_decode_page_content(page).unwrap().operations)
        .collect();
    for obj in doc.objects.values() {
        if let Ok(stream) = obj.as_stream()
            && stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(&b"Form"[..])
        {
            let bytes = stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone());
            contents.push(lopdf::content::Content::decode(&bytes).unwrap().operations);
        }
    }
    let mut out = BTreeMap::new();
    for ops in contents {
        let (mut size, mut scale) = (0.0f64, 1.0f64);
        for op in ops {
            let num = |i: usize| f64::from(op.operands[i].as_float().unwrap());
            let strings = |o: &lopdf::Object| -> usize {
                match o {
                    lopdf::Object::String(b, _) => b.len() / 2,
                    lopdf::Object::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str().ok())
                        .map(|b| b.len() / 2)
                        .sum(),
                    _ => 0,
                }
            };
            match op.operator.as_str() {
                "Tf" => size = num(1),
                "Tm" => scale = (num(0) * num(0) + num(1) * num(1)).sqrt(),
                "TJ" | "Tj" => {
                    *out.entry((size * scale * 100.0).round() as u32)
                        .or_default() += strings(&op.operands[0]);
                }
                _ => {}
            }
        }
    }
    out
}

/// The smallest size and the body size (the one setting the most glyphs), in pt, over
/// `pdfs`.
fn smallest_and_body(pdfs: &[PathBuf]) -> (f64, f64) {
    let mut all: BTreeMap<u32, usize> = BTreeMap::new();
    for p in pdfs {
        for (s, n) in type_sizes(p) {
            *all.entry(s).or_default() += n;
        }
    }
    assert!(!all.is_empty(), "no text in {pdfs:?}");
    let smallest = *all.keys().next().unwrap() as f64 / 100.0;
    let body = *all.iter().max_by_key(|(_, n)| **n).unwrap().0 as f64 / 100.0;
    (smallest, body)
}

fn policy_cards(dir: &Path) -> Vec<PathBuf> {
    policies().iter().map(|(id, _)| card(dir, id)).collect()
}

#[test]
fn type_is_large_enough_on_a6_a5_and_in_the_large_print_edition() {
    let (small, body) = smallest_and_body(&policy_cards(standard()));
    assert!(small >= 8.0, "A6: text at {small} pt");
    assert!(body >= 9.0, "A6: body at {body} pt");
    // The imposed sheets set the same faces.
    let sheets = standard().join("site/print/cards.pdf");
    assert!(smallest_and_body(&[sheets]).0 >= 8.0);

    let a5 = build("card_size = \"A5\"\n", &[]);
    let (small, body) = smallest_and_body(&policy_cards(a5.path()));
    assert!(small >= 8.0, "A5: text at {small} pt");
    assert!(body >= 10.5, "A5: body at {body} pt");

    let large = build("", &["--large-print"]);
    let (small, body) = smallest_and_body(&policy_cards(large.path()));
    assert!(small >= 8.0, "大字版: text at {small} pt");
    assert!(body >= 14.0, "大字版: body at {body} pt");
    let (w, _) = sheet_size(&large.path().join("site/print/cards.pdf"), 1);
    assert!(
        w > 800.0,
        "大字版 cards are A5, two on a landscape A4 sheet: {w} pt wide"
    );

    // The setting says the same as the flag; a wrong value is a Chinese error.
    let set = build("type_size = \"large\"\n", &[]);
    assert_eq!(
        smallest_and_body(&policy_cards(set.path())).1,
        body,
        "type_size = \"large\""
    );
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(
        bad.path().join("site.toml"),
        "title = \"x\"\nregion = \"x\"\n[print]\ntype_size = \"huge\"\n",
    )
    .unwrap();
    let o = mingbai(bad.path(), &["build"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("site.toml:4") && err.contains("大字版"),
        "{err}"
    );
}

#[test]
fn household_cards_use_large_type() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, min_body) in [(&[][..], 12.0), (&["--large-print"][..], 14.0)] {
        let out = tmp.path().join(args.len().to_string());
        let o = cards(&sheet("households.csv"), &out, args);
        common::assert_ok(&o);
        let (small, body) = smallest_and_body(&common::sheets::pdfs(&out));
        assert!(small >= 8.0, "{args:?}: text at {small} pt");
        assert!(body >= min_body, "{args:?}: body at {body} pt");
    }
}

/// Width and height of page `n`, in pt.
fn sheet_size(pdf: &Path, n: usize) -> (f64, f64) {
    let bbox = bbox(pdf, n);
    let num = |k: &str| -> f64 {
        let at = bbox.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        bbox[at..].split('"').next().unwrap().parse().unwrap()
    };
    (num("width"), num("height"))
}

fn bbox(pdf: &Path, n: usize) -> String {
    let n = n.to_string();
    tool(
        "pdftotext",
        &["-bbox", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"],
    )
}

/// Words of page `n` with their centres.
fn words(pdf: &Path, n: usize) -> Vec<(String, f64, f64)> {
    let text = bbox(pdf, n);
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.contains("<word ")) {
        let num = |k: &str| -> f64 {
            let at = line.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        let word = line.split('>').nth(1).unwrap().split('<').next().unwrap();
        out.push((
            word.to_string(),
            (num("xMin") + num("xMax")) / 2.0,
            (num("yMin") + num("yMax")) / 2.0,
        ));
    }
    out
}

/// A point of a sheet's back, turned over along the sheet's long edge (长边翻转): where
/// it lies on the front. A portrait sheet turns about its vertical middle, a landscape
/// one about its horizontal middle.
fn turned_over((x, y): (f64, f64), (w, h): (f64, f64)) -> (f64, f64) {
    if w <= h { (w - x, y) } else { (x, h - y) }
}

/// For every sheet pair of an imposed PDF: each back's `key` (found by `back_key` in a
/// word of the back) turned over lands in the same card slot as the front word that
/// `front_has` finds for that key. Returns how many backs were checked.
fn assert_backs_behind_fronts(
    pdf: &Path,
    back_key: &dyn Fn(&str) -> Option<String>,
    front_has: &dyn Fn(&str, &str) -> bool,
    (cols, rows): (f64, f64),
    wrapped_keys: bool,
) -> usize {
    let mut checked = 0;
    for sheet in (1..=pages(pdf)).step_by(2) {
        let size = sheet_size(pdf, sheet);
        let slot = |(x, y): (f64, f64)| {
            (
                (x / (size.0 / cols)).floor() as i32,
                (y / (size.1 / rows)).floor() as i32,
            )
        };
        let front = words(pdf, sheet);
        for (w, x, y) in words(pdf, sheet + 1) {
            let Some(key) = back_key(&w) else { continue };
            let Some((fx, fy)) = front
                .iter()
                .find(|(fw, _, _)| front_has(fw, &key))
                .map(|(_, x, y)| (*x, *y))
            else {
                // A back heading that wraps leaves its last line's tail as the key
                // (年版）): no front names it, and that back is not counted.
                assert!(wrapped_keys, "{key} is on no front of sheet {sheet}");
                continue;
            };
            assert_eq!(
                slot(turned_over((x, y), size)),
                slot((fx, fy)),
                "sheet {sheet}: the back of {key} is not behind its front"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn backs_of_imposed_policy_cards_land_behind_their_fronts() {
    // Four A6 cards on a portrait A4 sheet: the back names the card's title.
    let pdf = standard().join("site/print/cards.pdf");
    let n = assert_backs_behind_fronts(
        &pdf,
        &|w| w.strip_suffix("（背面）").map(str::to_string),
        &|fw, title| fw.chars().count() >= 4 && title.starts_with(fw),
        (2.0, 2.0),
        true,
    );
    assert!(n >= 20, "{n} backs checked");
}

#[test]
fn household_backs_land_behind_their_fronts_and_name_the_household() {
    // The 大字版 sends the policies of most households to the back.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cards");
    let o = cards(
        &sheet("households.csv"),
        &out,
        &["--large-print", "--single"],
    );
    common::assert_ok(&o);
    let pdf = common::sheets::pdfs(&out).remove(0);
    let n = assert_backs_behind_fronts(
        &pdf,
        &|w| {
            let k = w.strip_suffix("（背面）")?;
            k.starts_with("QH-").then(|| k.to_string())
        },
        &|fw, key| fw == key,
        (2.0, 1.0),
        false,
    );
    assert!(n >= 4, "{n} household backs checked");
    // Each back names the household as its front does.
    for sheet in (1..=pages(&pdf)).step_by(2) {
        let back = page_text_with(&pdf, sheet + 1, &["-raw"]);
        let front = page_text(&pdf, sheet);
        // 「户主签字」 may follow on the back too: only the heading's 户主 has a 户编号.
        for part in back
            .split("户主")
            .skip(1)
            .filter(|p| !p.starts_with("签字"))
        {
            let (name, rest) = part.split_once("户编号").expect("户编号 after 户主");
            let key = rest.split("（背面）").next().unwrap();
            assert!(!name.is_empty() && key.starts_with("QH-"), "{back}");
            assert!(
                front.contains(&format!("户主{name}")),
                "{name} not on the front"
            );
            assert!(front.contains(key), "{key} not on the front");
        }
    }
}

/// Straight lines a PDF page draws (`x1 y1 m x2 y2 l S`), in pt from its bottom left.
fn lines(pdf: &Path, page: usize) -> Vec<[f64; 4]> {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one.pdf");
    let n = page.to_string();
    tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            "--pages",
            pdf.to_str().unwrap(),
            &n,
            "--",
            one.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&one).unwrap();
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            if let [a, b, "m", c, d, "l", "S"] = w[..] {
                let v = [a, b, c, d].map(|x| x.parse::<f64>().unwrap());
                Some(v)
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn crop_marks_lie_outside_the_cards_and_away_from_the_sheet_edge() {
    const MM: f64 = 72.0 / 25.4;
    // A sheet with room around four A6 cards (230 × 330 mm).
    let dir = build_with("", &[], &|root| {
        let style = root.join("themes/default/print/style.toml");
        let text = std::fs::read_to_string(&style).unwrap();
        let text = text.replacen(
            "[sheet]                     # the imposed cards.pdf\nsize = \"A4\"",
            "[sheet]\nsize = [230, 330]",
            1,
        );
        assert!(text.contains("size = [230, 330]"));
        std::fs::write(&style, text).unwrap();
    });
    let pdf = dir.path().join("site/print/cards.pdf");
    let (sw, sh) = sheet_size(&pdf, 1);
    let (cw, ch) = (105.0 * MM, 148.0 * MM);
    let (gx, gy) = ((sw - 2.0 * cw) / 2.0, (sh - 2.0 * ch) / 2.0);
    let trims_x: Vec<f64> = (0..3).map(|c| gx + c as f64 * cw).collect();
    let trims_y: Vec<f64> = (0..3).map(|r| gy + r as f64 * ch).collect();
    let near = |v: f64, set: &[f64]| set.iter().any(|t| (v - t).abs() < 0.1);
    let mut marks = 0;
    for [x1, y1, x2, y2] in lines(&pdf, 1) {
        let vertical = (x1 - x2).abs() < 0.01 && near(x1, &trims_x);
        let horizontal = (y1 - y2).abs() < 0.01 && near(y1, &trims_y);
        if !vertical && !horizontal {
            continue;
        }
        marks += 1;
        for (x, y) in [(x1, y1), (x2, y2)] {
            let edge = x.min(sw - x).min(y).min(sh - y);
            assert!(
                edge >= 5.0 * MM - 0.1,
                "a mark {edge:.1} pt from the sheet edge"
            );
            let on_card = x > gx + 0.1 && x < sw - gx - 0.1 && y > gy + 0.1 && y < sh - gy - 0.1;
            assert!(!on_card, "a cut line on a card: {x1},{y1} – {x2},{y2}");
        }
    }
    assert!(marks >= 12, "{marks} crop marks");
    // A4: the cards fill the sheet, no room for a mark, and none on the cards.
    let pdf = standard().join("site/print/cards.pdf");
    let (sw, sh) = sheet_size(&pdf, 1);
    for [x1, y1, x2, y2] in lines(&pdf, 1) {
        let on_trim = ((x1 - x2).abs() < 0.01 && (x1 - sw / 2.0).abs() < 0.1)
            || ((y1 - y2).abs() < 0.01 && (y1 - sh / 2.0).abs() < 0.1);
        assert!(!on_trim, "a cut line on the cards: {x1},{y1} – {x2},{y2}");
    }
}

/// After one card changed, only the sheet holding it is drawn again: the other pages of
/// print/cards.pdf are copied from the last build's, and the file shows what a fresh
/// build's shows. A last file whose streams are not the recorded bytes (same size, same
/// time) is not copied from, and the sheets still come out right.
#[test]
fn a_changed_card_redraws_only_its_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for d in ["content", "themes"] {
        copy_tree(&repo().join(d), &root.join(d));
    }
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("{toml}\n[print]\nhandbook = false\n"),
    )
    .unwrap();
    let build = english_build;
    let copied = |log: &str| -> usize {
        log.lines()
            .find_map(|l| {
                l.strip_suffix(
                    " pages of print/cards.pdf hold no changed card, copied from the last build",
                )
            })
            .map_or(0, |n| n.trim().parse().unwrap())
    };
    let sheets = root.join("public/print/cards.pdf");
    let looks_fresh = |what: &str| {
        let fresh = tempfile::tempdir().unwrap();
        for d in ["content", "themes"] {
            copy_tree(&root.join(d), &fresh.path().join(d));
        }
        std::fs::copy(root.join("site.toml"), fresh.path().join("site.toml")).unwrap();
        assert_eq!(copied(&build(fresh.path())), 0);
        let other = fresh.path().join("public/print/cards.pdf");
        assert!(
            look_the_same(&sheets, &other),
            "{what}: the sheets differ from a fresh build's"
        );
    };
    assert_eq!(copied(&build(root)), 0);
    let n = pages(&sheets);
    assert!(n >= 4, "{n} pages of sheets");
    let (id, phone) = policies()
        .into_iter()
        .find_map(|(id, phone)| Some((id, phone?)))
        .unwrap();
    let entry = root.join("content").join(format!("{id}.md"));
    let edit_phone = |to: &str| {
        let text = std::fs::read_to_string(&entry).unwrap();
        let at = text.find("phone = \"").unwrap() + "phone = \"".len();
        let end = at + text[at..].find('"').unwrap();
        std::fs::write(&entry, format!("{}{to}{}", &text[..at], &text[end..])).unwrap();
    };
    assert_ne!(phone, "0718-6600001");
    edit_phone("0718-6600001");
    let log = build(root);
    let k = copied(&log);
    // The cards changed (the policy's, and any that shows its phone): the sheets
    // holding them, front and back, drawn again; the rest copied.
    let cards: usize = log
        .lines()
        .find_map(|l| l.strip_prefix("printed "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    let unchanged = log
        .lines()
        .find_map(|l| l.strip_suffix(" of them unchanged since the last build, reused from the card cache (.mingbai-cache, safe to delete)"))
        .map_or(0, |n| n.trim().parse::<usize>().unwrap());
    let changed = cards - unchanged;
    assert!(
        (1..=3).contains(&changed),
        "{changed} cards changed:\n{log}"
    );
    assert!(
        k < n && k + 2 * changed >= n,
        "{k} of {n} pages copied:\n{log}"
    );
    let text = std::process::Command::new("pdftotext")
        .args([sheets.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("0718-6600001"));
    looks_fresh("after one card changed");

    // Every stream of the last file altered in place, its size and time kept: nothing
    // is copied from it.
    let mut bytes = std::fs::read(&sheets).unwrap();
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(7).position(|w| w == b"stream\n") {
        at += i + 7;
        bytes[at] ^= 0x5a;
    }
    let time = std::fs::metadata(&sheets).unwrap().modified().unwrap();
    std::fs::remove_file(&sheets).unwrap();
    std::fs::write(&sheets, &bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&sheets)
        .unwrap()
        .set_modified(time)
        .unwrap();
    edit_phone("0718-6600002");
    assert_eq!(copied(&build(root)), 0);
    looks_fresh("after the last sheets were altered");
}
