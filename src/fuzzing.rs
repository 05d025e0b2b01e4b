//! The parsers the fuzz tests (`tests/fuzz.rs`) drive, one function per target, each
//! checking what must hold for any input: no panic, every error located in its file,
//! output in proportion, layout that ends. It is the crate's only public front besides
//! the command line, so the rest of the crate stays `pub(crate)`.

use std::path::Path;
use std::sync::Arc;

use crate::content::{Entry, Kind, Section};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::markdown::{LinkResolver, render};
use crate::print::{Engine, cards};
use crate::templates::Templates;
use crate::theme::Theme;
use crate::typeset::content::write_items;
use crate::typeset::embed::DocFonts;
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::{Block, Page};
use crate::typeset::pdf::font_names;
use crate::typeset::style::StyleSheet;
use crate::typeset::{markup, mdblocks};

/// Every error must say where it is: the fuzzer found errors blamed on no file.
fn assert_located(diags: &[Diagnostic]) {
    for d in diags.iter().filter(|d| d.is_error()) {
        assert!(d.location.is_some(), "error without a location: {d}");
    }
}

fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

/// An entry's or a section's file: front matter and body. First the bytes as a file
/// is read: UTF-8, GBK or UTF-16 (an entry), UTF-8 only (a template, the style), or a
/// located error.
pub fn front_matter(input: &[u8]) {
    let path = std::path::Path::new("content/x/y.md");
    if let Err(d) = crate::diagnostics::decode_text(input.to_vec(), path) {
        assert_located(&[d]);
    }
    if let Err(d) = crate::diagnostics::utf8_only(input.to_vec(), path) {
        assert_located(&[d]);
    }
    let src = Arc::new(SourceFile::new(path, text(input)));
    for kind in [Some(Kind::Policy), Some(Kind::Faq), None] {
        if let Err(d) = Entry::parse(src.clone(), "x/y".into(), "x".into(), kind) {
            assert_located(&d);
        }
    }
    if let Err(d) = Section::parse(src, "x".into()) {
        assert_located(&d);
    }
}

struct NoLinks;
impl LinkResolver for NoLinks {
    fn resolve(&self, path: &str) -> Option<(String, String)> {
        (path == "jinrong/xudai.md").then(|| ("jinrong/xudai".into(), "/jinrong/xudai/".into()))
    }
}

/// An entry body to HTML; and read as a template, the code page keys look at
/// ([`crate::values::code`]).
pub fn markdown_to_html(input: &[u8]) {
    let body = text(input);
    let code = crate::values::code(&body);
    assert!(
        code.len() <= body.len() * 3 / 2 + 1,
        "code out of proportion"
    );
    let src = SourceFile::new("content/x/y.md", body.clone());
    let mut diags = Vec::new();
    let r = render(&src, &body, 0, &NoLinks, &mut diags);
    assert_located(&diags);
    assert!(
        r.html().len() <= 64 * body.len() + 1024,
        "HTML out of proportion"
    );
    // The look for Markdown typed full-width, from any byte (a body starts anywhere).
    let warnings = crate::content::body_typos::check(&src, input.len() % (body.len() + 1));
    assert_located(&warnings);
}

/// A household sheet read from a file, as `mingbai cards --data` reads it.
pub fn sheet(path: &Path) {
    let _ = crate::households::sheet::read(path, None, None);
}

/// The card cache's file (`.mingbai-cache/cards.bin`, which anyone may change): read
/// with and without its checksum, every stored card's faces decoded, and the input
/// decoded as faces itself, as the handbook's record (`handbook.bin` without its
/// checksum), as the page keys (`pages.bin`), as the remembered bodies
/// (`renders.bin`), as the kept search index (`search.bin`, brought up to date when
/// it reads), as the sources found covered (`covered.bin`) and as the kept font
/// subsets (`subsets.bin`). Also read as a font's CFF table, and
/// a subset cut from it: the card subsets copy glyph programs by the offsets it holds.
/// Whatever it holds, nothing panics.
pub fn card_cache(input: &[u8]) {
    let _ = crate::html::keys::parse(input);
    crate::print::covered::fuzz_parse(input);
    crate::print::subsets::fuzz_parse(input);
    let _ = crate::site::parse_remembered(input);
    crate::search::fuzz_saved_index(input);
    if let Some(cff) = crate::typeset::cff::Source::parse(input) {
        let _ = cff.subset([1u16, 2, 3, 7, 300].into_iter());
    }
    let _ = crate::print::handbook::Book::decode(&mut &input[..]);
    // A handbook record as the cache file holds it: its fields after the first line.
    if input.starts_with(b"mingbai handbook cache")
        && let Some(line) = input.iter().position(|&b| b == b'\n')
    {
        let _ = crate::print::handbook::Book::decode(&mut &input[line + 1..]);
    }
    let _ = crate::print::cache::read_bytes(input);
    if let Some((cards, _, _)) = crate::print::cache::parse_body(input) {
        for stored in cards.values() {
            let _ = stored.pages();
        }
    }
    let _ = crate::typeset::layout::decode_pages(input);
}

/// The built-in theme's fonts, templates and style: what print runs with.
pub struct Print(Engine);

impl Default for Print {
    fn default() -> Print {
        let root = std::env::temp_dir();
        let theme = Theme::resolve(&root, "default").expect("the built-in theme");
        let fonts = Fonts::load(&theme, &root, &[], false).expect("the built-in fonts");
        let f = theme.file("print/style.toml").expect("the built-in style");
        let styles = StyleSheet::parse(&SourceFile::new(f.display, text(&f.bytes)))
            .expect("the built-in style parses");
        let templates = Templates::load_with(&theme, "print", true).expect("print templates");
        Print(Engine::from_parts(
            fonts,
            styles,
            templates,
            crate::config::TypeSize::Standard,
        ))
    }
}

impl Print {
    /// An entry body to print blocks, laid out.
    pub fn markdown(&self, input: &[u8]) {
        let blocks = mdblocks::blocks(&text(input), &self.0.styles, 1);
        self.lay_out(&self.0.styles, blocks);
    }

    /// The print markup a template renders to, laid out.
    pub fn markup(&self, input: &[u8]) {
        let wrapped = format!("<mingbai>{}</mingbai>", text(input));
        let Ok(doc) = roxmltree::Document::parse(&wrapped) else {
            return;
        };
        let Some(root) = doc.root_element().first_element_child() else {
            return;
        };
        let styles = &self.0.styles;
        let content = |_: Option<&str>| Some(mdblocks::blocks("正文段落。", styles, 1));
        // Cut into pieces (as a handbook's markup is, for parallel parsing), the same.
        markup::assert_as_whole(text(input).as_str(), styles, &content);
        let mut conv = markup::Converter {
            styles,
            content: &content,
            errors: Vec::new(),
        };
        let blocks = conv.blocks(root);
        assert!(conv.errors.len() <= 20, "{} errors kept", conv.errors.len());
        self.lay_out(styles, blocks);
    }

    /// A print style file, used to lay out `card` (print markup of one card).
    pub fn style(&self, input: &[u8], card: &[u8]) {
        let src = SourceFile::new("print/style.toml", text(input));
        let styles = match StyleSheet::parse(&src) {
            Ok(s) => s,
            Err(d) => {
                assert_located(&d);
                return;
            }
        };
        let sample = format!("<mingbai>{}</mingbai>", text(card));
        let doc = roxmltree::Document::parse(&sample).expect("the card sample parses");
        let root = doc.root_element().first_element_child().expect("a card");
        let content = |_: Option<&str>| Some(mdblocks::blocks("正文段落。", &styles, 1));
        let mut conv = markup::Converter {
            styles: &styles,
            content: &content,
            errors: Vec::new(),
        };
        let blocks = conv.blocks(root);
        self.lay_out(&styles, blocks);
    }

    /// Lays `blocks` out as a card, and as a handbook page would scale them, and writes
    /// the pages' content streams; an error (too long for the card) is fine, running
    /// without end is not.
    fn lay_out(&self, styles: &StyleSheet, blocks: Vec<Block>) {
        self.write(cards::lay_out(&self.0, styles, blocks.clone()));
        let scaled = styles.scaled(styles.geometry.text_scale);
        self.write(cards::lay_out(&self.0, &scaled, blocks));
    }

    /// Each laid-out page's content stream, as a card's PDF is given it.
    fn write(&self, laid: Result<Vec<Page>, String>) {
        let Ok(pages) = laid else { return };
        let fonts = &self.0.fonts;
        let glyphs = DocFonts::collect(fonts, pages.iter().map(|p| p.items.as_slice()));
        let names = font_names(fonts);
        for p in &pages {
            write_items(&mut Vec::new(), &p.items, &names, &glyphs, 8.5, 8.5, 420.0);
        }
    }
}
