//! Chinese typesetting (W3C clreq) checked on the printed sample handbook: where every
//! glyph sits is read back from the card PDFs' content streams (each font's widths
//! and ToUnicode map; pdftotext gives one box per word, not per character), and
//!
//! - adjacent punctuation (》（ ）、 ”， ：“ …) is at most 0.55 em apart,
//! - Han characters and Latin letters or digits are a quarter em apart (± 0.02),
//! - no line pdftotext extracts breaks 禁则,
//! - no card paragraph ends on a line of one character;
//!
//! and `[print] punctuation = "none"`, `han_latin_space = 0` turn both off, while a
//! wrong value stops the build with a Chinese message at its place in site.toml.
//! Needs poppler-utils (pdftotext).

mod common;
use common::pdf::*;
use common::*;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const OPEN: &str = "（〔［｛〈《「『【〖〘〚“‘";
const CLOSE: &str = "）〕］｝〉》」』】〗〙〛”’";
const STOP: &str = "、，。．；：！？";
const NO_START: &str = "，。、；：？！）」』》”’";
const NO_END: &str = "（「『《“‘";

/// One drawn glyph: the text it stands for, its origin, font size and advance (pt).
#[derive(Debug, Clone)]
struct Glyph {
    ch: char,
    x: f32,
    y: f32,
    size: f32,
    w: f32,
}

/// Widths (1/1000 em) and characters by glyph code of a Type0 font, read as a viewer
/// reads them: /W (runs `c [w1 w2 …]` and ranges `c1 c2 w`) over /DW, and the
/// ToUnicode CMap's `bfchar` pairs and `bfrange`s (a first code for a run, or an array).
struct Font {
    widths: HashMap<u16, f32>,
    default: f32,
    chars: HashMap<u16, char>,
}

impl Font {
    fn width(&self, code: u16) -> f32 {
        self.widths.get(&code).copied().unwrap_or(self.default)
    }
}

fn font(doc: &lopdf::Document, dict: &lopdf::Dictionary) -> Font {
    let desc = dict
        .get_deref(b"DescendantFonts", doc)
        .unwrap()
        .as_array()
        .unwrap();
    let cid = doc.dereference(&desc[0]).unwrap().1.as_dict().unwrap();
    let default = cid.get(b"DW").map_or(1000.0, |v| v.as_float().unwrap());
    let w = cid.get_deref(b"W", doc).unwrap().as_array().unwrap();
    let mut widths = HashMap::new();
    let mut i = 0;
    while i < w.len() {
        let first = w[i].as_i64().unwrap() as u16;
        if let Ok(run) = w[i + 1].as_array() {
            for (k, v) in run.iter().enumerate() {
                widths.insert(first + k as u16, v.as_float().unwrap());
            }
            i += 2;
        } else {
            let last = w[i + 1].as_i64().unwrap() as u16;
            for c in first..=last {
                widths.insert(c, w[i + 2].as_float().unwrap());
            }
            i += 3;
        }
    }
    let cmap = dict
        .get_deref(b"ToUnicode", doc)
        .unwrap()
        .as_stream()
        .unwrap();
    let text =
        String::from_utf8(cmap.decompressed_content().unwrap_or(cmap.content.clone())).unwrap();
    let hex = |h: &str| -> Vec<u16> {
        let h = h.trim_matches(['<', '>', '[', ']']);
        (0..h.len() / 4)
            .map(|i| u16::from_str_radix(&h[i * 4..i * 4 + 4], 16).unwrap())
            .collect()
    };
    let one = |units: Vec<u16>| char::decode_utf16(units).next().and_then(Result::ok);
    let mut chars = HashMap::new();
    for line in text.lines().filter(|l| l.starts_with('<')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts[..] {
            [code, uni] => {
                if let Some(c) = one(hex(uni)) {
                    chars.insert(hex(code)[0], c);
                }
            }
            [lo, hi, ref dst @ ..] if !dst.is_empty() => {
                let (lo, hi) = (hex(lo)[0], hex(hi)[0]);
                if dst[0].starts_with('[') {
                    for (k, d) in dst.iter().enumerate() {
                        if let Some(c) = one(hex(d)) {
                            chars.insert(lo + k as u16, c);
                        }
                    }
                } else if let Some(c) = one(hex(dst[0])) {
                    for (k, code) in (lo..=hi).enumerate() {
                        if let Some(c) = char::from_u32(c as u32 + k as u32) {
                            chars.insert(code, c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Font {
        widths,
        default,
        chars,
    }
}

/// Every glyph of every page of `pdf`, page by page.
fn glyphs(pdf: &Path) -> Vec<Vec<Glyph>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut pages = Vec::new();
    for (_, page) in doc.get_pages() {
        let fonts: BTreeMap<Vec<u8>, Font> = doc
            .get_page_fonts(page)
            .unwrap()
            .into_iter()
            .map(|(name, dict)| (name, font(&doc, dict)))
            .collect();
        let content = doc.get_and_decode_page_content(page).unwrap();
        let (mut cur, mut size, mut x, mut y) = (None, 0.0f32, 0.0f32, 0.0f32);
        let mut line = (0.0f32, 0.0f32);
        let mut shift = (0.0f32, 0.0f32);
        let (mut scaled, mut saved) = (false, Vec::new());
        // Character spacing (Tc): added after every glyph, kept by q … Q.
        let mut tc = 0.0f32;
        let mut out = Vec::new();
        for op in &content.operations {
            let num = |i: usize| op.operands[i].as_float().unwrap();
            match op.operator.as_str() {
                "Tf" => {
                    cur = fonts.get(op.operands[0].as_name().unwrap());
                    size = num(1);
                }
                // A single card's content is moved inside its bleed by one translation.
                "Tm" => {
                    line = (num(4), num(5));
                    (x, y) = (line.0 + shift.0, line.1 + shift.1);
                }
                // Each line moved from the start of the one before (from the origin
                // after BT).
                "BT" => line = (0.0, 0.0),
                "Td" => {
                    line = (line.0 + num(0), line.1 + num(1));
                    (x, y) = (line.0 + shift.0, line.1 + shift.1);
                }
                "q" => saved.push((shift, scaled, tc)),
                "Q" => (shift, scaled, tc) = saved.pop().unwrap_or_default(),
                "Tc" => tc = num(0),
                // A picture is scaled into place (in its own q … Q, with no text).
                "cm" if num(0) != 1.0 || num(3) != 1.0 => scaled = true,
                "cm" => shift = (shift.0 + num(4), shift.1 + num(5)),
                "TJ" => {
                    assert!(!scaled, "{}: text under a scaling matrix", pdf.display());
                    let f = cur.expect("a font before text");
                    for part in op.operands[0].as_array().unwrap() {
                        match part {
                            lopdf::Object::String(bytes, _) => {
                                for code in bytes.chunks(2) {
                                    let code = u16::from_be_bytes([code[0], code[1]]);
                                    let w = f.width(code) / 1000.0 * size;
                                    let ch = f.chars.get(&code).copied().unwrap_or('\u{fffd}');
                                    out.push(Glyph { ch, x, y, size, w });
                                    x += w + tc;
                                }
                            }
                            n => x -= n.as_float().unwrap() / 1000.0 * size,
                        }
                    }
                }
                _ => {}
            }
        }
        pages.push(out);
    }
    pages
}

/// A page's glyphs as lines: same baseline, left to right.
fn lines(page: &[Glyph]) -> Vec<Vec<Glyph>> {
    let mut by_y: BTreeMap<i64, Vec<Glyph>> = BTreeMap::new();
    for g in page {
        by_y.entry((g.y * 10.0).round() as i64)
            .or_default()
            .push(g.clone());
    }
    by_y.into_values()
        .map(|mut l| {
            l.sort_by(|a, b| a.x.total_cmp(&b.x));
            l
        })
        .collect()
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// What the rules measure on a set of PDFs.
#[derive(Default)]
struct Figures {
    /// Adjacent punctuation pairs whose facing blanks compress, and how many of
    /// them are set at most 0.55 em apart.
    pairs: usize,
    pairs_compressed: usize,
    /// Han–Latin neighbours, and how many are a quarter em (± 0.02) apart.
    han_latin: usize,
    han_latin_quarter: usize,
    /// Gaps found outside the tolerance, for the message.
    bad: Vec<String>,
}

impl std::fmt::Debug for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} pairs, {} at ≤ 0.55 em; {} Han–Latin, {} a quarter em apart; first faults: {:#?}",
            self.pairs,
            self.pairs_compressed,
            self.han_latin,
            self.han_latin_quarter,
            &self.bad[..self.bad.len().min(10)]
        )
    }
}

fn measure(pdfs: &[PathBuf]) -> Figures {
    let mut f = Figures::default();
    for pdf in pdfs {
        for page in glyphs(pdf) {
            for line in lines(&page) {
                for p in line.windows(2) {
                    let (a, b) = (&p[0], &p[1]);
                    let em = a.size.max(b.size);
                    let gap = b.x - (a.x + a.w);
                    let text: String = line.iter().map(|g| g.ch).collect();
                    let marks = |c: char| OPEN.contains(c) || CLOSE.contains(c) || STOP.contains(c);
                    // Neighbours only: not a label and its value, not two columns.
                    if marks(a.ch)
                        && marks(b.ch)
                        && gap < 0.3 * em
                        && ((CLOSE.contains(a.ch) || STOP.contains(a.ch)) || OPEN.contains(b.ch))
                    {
                        f.pairs += 1;
                        let d = (b.x - a.x) / em;
                        if d <= 0.55 {
                            f.pairs_compressed += 1;
                        } else {
                            f.bad.push(format!("{}{} {d:.3} em: {text}", a.ch, b.ch));
                        }
                    }
                    let latin = |c: char| c.is_ascii_alphanumeric();
                    let han = if is_han(a.ch) { a.size } else { b.size };
                    let q = gap / han;
                    // Closer than half an em: neighbours, not a label and its value.
                    if ((is_han(a.ch) && latin(b.ch)) || (latin(a.ch) && is_han(b.ch))) && q < 0.5 {
                        f.han_latin += 1;
                        if (q - 0.25).abs() <= 0.02 {
                            f.han_latin_quarter += 1;
                        } else {
                            f.bad.push(format!("{}{} {q:.3} em: {text}", a.ch, b.ch));
                        }
                    }
                }
            }
        }
    }
    f
}

/// Lines of one character a reader counts ("请", "请。") in the text pdftotext
/// extracts, and lines that break 禁则.
fn extracted_faults(pdfs: &[PathBuf]) -> (Vec<String>, Vec<String>) {
    let (mut lonely, mut kinsoku) = (Vec::new(), Vec::new());
    for pdf in pdfs {
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let name = pdf.file_name().unwrap().to_string_lossy();
            let counted: Vec<char> = line
                .chars()
                .filter(|c| !c.is_whitespace() && !NO_START.contains(*c))
                .collect();
            if counted.len() == 1 && is_han(counted[0]) {
                lonely.push(format!("{name}: {line}"));
            }
            let (first, last) = (line.chars().next().unwrap(), line.chars().last().unwrap());
            if NO_START.contains(first) || NO_END.contains(last) {
                kinsoku.push(format!("{name}: {line}"));
            }
        }
    }
    (lonely, kinsoku)
}

/// The sample handbook (this repository's content and site.toml, with `extra`
/// appended to site.toml) printed into a temporary folder.
fn build(extra: &str) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root.join("content"), &dir.path().join("content"));
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(dir.path().join("site.toml"), format!("{toml}\n{extra}")).unwrap();
    let o = mingbai(dir.path(), &["build", "--output", "site"]);
    common::assert_ok(&o);
    dir
}

fn sample() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| build("")).path()
}

#[test]
fn sample_cards_compress_punctuation_and_space_han_and_latin() {
    let cards = pdfs_under(&sample().join("site/print/cards"));
    assert!(cards.len() >= 50, "{}", cards.len());
    let f = measure(&cards);
    eprintln!("cards: {f:?}");
    // The sample has dozens of each; all of them follow the rules.
    assert!(f.pairs >= 20, "{f:?}");
    assert!(f.han_latin >= 200, "{f:?}");
    assert!(f.bad.is_empty(), "{f:?}");
    assert_eq!(f.pairs, f.pairs_compressed);
    assert_eq!(f.han_latin, f.han_latin_quarter);
}

#[test]
fn no_extracted_line_breaks_kinsoku_and_no_card_ends_on_one_character() {
    let cards = pdfs_under(&sample().join("site/print/cards"));
    let (lonely, kinsoku) = extracted_faults(&cards);
    assert!(lonely.is_empty(), "one-character last lines: {lonely:#?}");
    assert!(kinsoku.is_empty(), "禁则: {kinsoku:#?}");
    let handbook = [sample().join("site/print/handbook.pdf")];
    let (_, kinsoku) = extracted_faults(&handbook);
    assert!(kinsoku.is_empty(), "禁则 in the handbook: {kinsoku:#?}");
    // The handbook, set on wider pages, follows the spacing rules too.
    let f = measure(&handbook);
    eprintln!("handbook: {f:?}");
    assert!(f.pairs >= 50 && f.bad.is_empty(), "{f:?}");
}

#[test]
fn punctuation_none_and_no_han_latin_space_set_everything_full_width() {
    let dir = build("[print]\npunctuation = \"none\"\nhan_latin_space = 0\nhandbook = false\n");
    let f = measure(&pdfs_under(&dir.path().join("site/print/cards")));
    assert!(f.pairs >= 20, "{f:?}");
    assert_eq!(f.pairs_compressed, 0, "{f:?}");
    assert!(f.han_latin >= 200, "{f:?}");
    // Justification may happen to spread one of them to a quarter em; no more.
    assert!(f.han_latin_quarter * 100 < f.han_latin, "{f:?}");
}

#[test]
fn a_wrong_punctuation_setting_is_reported_in_chinese_at_its_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root.join("content"), &dir.path().join("content"));
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let text = format!("{toml}\n[print]\npunctuation = \"全角\"\nhan_latin_space = 3\n");
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("punctuation"))
        .unwrap();
    std::fs::write(dir.path().join("site.toml"), text).unwrap();
    let o = mingbai(dir.path(), &["build", "--output", "site"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("标点设置 `全角` 不认识"), "{err}");
    assert!(err.contains("quanjiao"), "{err}");
    assert!(err.contains(&format!("site.toml:{line}:")), "{err}");
    assert!(err.contains("han_latin_space"), "{err}");
}

/// Figures for any built site: `CLREQ_MEASURE=path/to/site cargo test --test clreq
/// -- --ignored --nocapture` (to compare a build before and after a change).
#[test]
#[ignore]
fn measure_a_built_site() {
    let Ok(site) = std::env::var("CLREQ_MEASURE") else {
        return;
    };
    let cards = pdfs_under(&Path::new(&site).join("print/cards"));
    let f = measure(&cards);
    let (lonely, kinsoku) = extracted_faults(&cards);
    println!(
        "cards: {} pairs, {} at ≤ 0.55 em; {} Han–Latin neighbours, {} a quarter em apart; \
         {} one-character last lines; {} 禁则 faults",
        f.pairs,
        f.pairs_compressed,
        f.han_latin,
        f.han_latin_quarter,
        lonely.len(),
        kinsoku.len()
    );
    let hb = [Path::new(&site).join("print/handbook.pdf")];
    let f = measure(&hb);
    println!(
        "handbook: {} pairs, {} at ≤ 0.55 em; {} Han–Latin, {} a quarter em apart",
        f.pairs, f.pairs_compressed, f.han_latin, f.han_latin_quarter
    );
}
