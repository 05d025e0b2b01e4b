//! Print: 明白卡 for every policy and FAQ entry, the imposed card sheets and the whole
//! handbook as one PDF, from the same content as the site.
//!
//! These are the products; the typesetter they share is [`crate::typeset`]. Print
//! templates (Tera, `print/*.xml` of the theme) render an entry to the print markup,
//! which the typesetter lays out and writes. [`cards`] makes the 明白卡 and the imposed
//! sheets, [`handbook`] the whole handbook, [`run`] drives both in a build; household
//! cards are [`crate::households::print`].

pub(crate) mod cache;
pub(crate) mod cards;
pub(crate) mod covered;
pub(crate) mod handbook;
pub(crate) mod paths;
mod plan;
pub(crate) mod run;
mod sheets;
pub(crate) mod subsets;

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use tera::Context;

use crate::config::{PrintConfig, TypeSize};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::Block;
use crate::typeset::markup;
use crate::typeset::style::{Size, StyleSheet};

/// Fonts, style and templates for print, loaded once per build.
pub(crate) struct Engine {
    pub fonts: Fonts,
    /// The theme's style as written (the handbook scales it for its pages).
    pub styles: StyleSheet,
    /// The style of policy cards: [`card_styles`] of `styles`.
    pub cards: StyleSheet,
    /// The style of household cards: [`card_styles`] with the `[household]` geometry.
    pub households: StyleSheet,
    pub templates: Templates,
    /// Font subsets of the handbook and the imposed sheets, kept between builds
    /// ([`subsets`]); empty unless the build set them.
    pub(crate) subsets: crate::typeset::embed::SubsetMemo,
}

/// Smallest type on any card, in pt: captions, hotlines and addresses included.
pub(crate) const MIN_SIZE: f32 = 8.0;

/// Smallest body text for a card: 9 pt on A6, 10.5 pt (五号) on A5 and larger, 14 pt
/// in the large-print edition.
pub(crate) fn min_body(card: Size, type_size: TypeSize) -> f32 {
    match type_size {
        TypeSize::Large => 14.0,
        TypeSize::Standard if card.w >= 140.0 => 10.5,
        TypeSize::Standard => 9.0,
    }
}

/// Household cards hold less than a policy card and hang on the wall at home: their
/// body text is at least this large in the standard edition (pt).
pub(crate) const HOUSEHOLD_BODY: f32 = 12.0;

/// A card style from the theme's: the 大字版 on A5 cards at least; type scaled up (never
/// down) until the body text reaches [`min_body`] (and `body` when larger), and nothing
/// below [`MIN_SIZE`]. A theme's larger type stays as it is.
pub(crate) fn card_styles(base: &StyleSheet, type_size: TypeSize, body: f32) -> StyleSheet {
    let mut s = base.clone();
    if type_size == TypeSize::Large && s.geometry.card.w < 140.0 {
        // 14 pt on an A6 card sets some 18 characters a line: 大字版 cards are A5.
        s.set_card_size(Size::named("A5").expect("A5 is a known size"));
    }
    // The body: paragraphs, field values and list items set the scale; table cells,
    // often set a little smaller, are raised to the body size on their own.
    let smallest = ["p", "field", "li"]
        .iter()
        .map(|t| s.resolve(t, &[]).size)
        .fold(f32::MAX, f32::min);
    let body = min_body(s.geometry.card, type_size).max(body);
    let k = (body / smallest).max(1.0);
    s.scaled(k).at_least(MIN_SIZE).raise(&["td", "th"], body)
}

impl Engine {
    pub(crate) fn load(site: &Site, theme: &Theme) -> Result<Engine, Vec<Diagnostic>> {
        Engine::load_with(&site.root, &site.config.print, theme)
    }

    /// [`Engine::load`] from the print settings alone: `mingbai cards --handbook` has
    /// the published policy list, not the handbook's source.
    pub(crate) fn load_with(
        root: &Path,
        cfg: &PrintConfig,
        theme: &Theme,
    ) -> Result<Engine, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        crate::typeset::configure(root, cfg.color);
        let fonts = Fonts::load(theme, root, &cfg.fonts, cfg.system_fonts);
        if let Ok(fonts) = &fonts {
            // Each face's table of characters made on the pool, beside the coverage
            // check and the setup that come first (one after the other on this thread,
            // on the path of a build after one edit).
            for face in &fonts.faces {
                let face = face.clone();
                rayon::spawn(move || face.warm());
            }
        }
        let styles = match theme.file("print/style.toml") {
            Some(f) => crate::diagnostics::utf8_only(f.bytes.into_owned(), &f.display)
                .map_err(|d| vec![d])
                .and_then(|text| {
                    let src = SourceFile::new(f.display, text);
                    let invisible = crate::diagnostics::invisible_chars(&src);
                    if invisible.is_empty() {
                        StyleSheet::parse(&src)
                    } else {
                        Err(invisible)
                    }
                }),
            None => Err(vec![Diagnostic::error(tr!("style-missing"))]),
        };
        let templates = Templates::load_with(theme, "print", true);
        let (fonts, mut styles, templates) = match (fonts, styles, templates) {
            (Ok(f), Ok(s), Ok(t)) => (f, s, t),
            (f, s, t) => {
                diags.extend(f.err().unwrap_or_default());
                diags.extend(s.err().unwrap_or_default());
                diags.extend(t.err().unwrap_or_default());
                return Err(diags);
            }
        };
        if let Some(size) = cfg.card_size.and_then(|s| Size::named(s.name())) {
            styles.set_card_size(size);
            // The style's margins were checked against its own card size, not this one;
            // margins wider than the card set each character on a line of its own.
            let m = styles.geometry.card_margin;
            if m[0] + m[2] > size.h / 2.0 || m[1] + m[3] > size.w / 2.0 {
                let d = Diagnostic::error(tr!(
                    "print-card-margin",
                    size = cfg.card_size.map_or("", |s| s.name()),
                    w = size.w,
                    h = size.h,
                    v = m[0] + m[2],
                    hz = m[1] + m[3]
                ))
                .with_hint(tr!("print-card-margin-hint"));
                return Err(vec![crate::config::locate_setting(
                    &root.join("site.toml"),
                    Some("print"),
                    "card_size",
                    d,
                )]);
            }
        }
        styles.typography = crate::typeset::linebreak::Typography {
            punctuation: cfg.punctuation,
            han_latin_space: cfg.han_latin_space,
        };
        Ok(Engine::from_parts(fonts, styles, templates, cfg.type_size))
    }

    /// An engine from loaded fonts, style and templates: the card styles are derived
    /// from `styles` for `type_size`.
    pub(crate) fn from_parts(
        fonts: Fonts,
        styles: StyleSheet,
        templates: Templates,
        type_size: TypeSize,
    ) -> Engine {
        let cards = card_styles(&styles, type_size, 0.0);
        let households = card_styles(&styles.for_households(), type_size, HOUSEHOLD_BODY);
        Engine {
            fonts,
            styles,
            cards,
            households,
            templates,
            subsets: Default::default(),
        }
    }

    /// Puts the site-wide template values (`site`, `chapters`, …) in the print
    /// templates' global context.
    pub(crate) fn set_globals(&mut self, site: &Site) {
        let links = run::links(site);
        let values = crate::values::build(site, &links, false);
        let g = self.templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
    }

    /// The global template values household cards need when there is no handbook
    /// source, only its published policy list: `site` with its title, region, address,
    /// publisher and hotlines.
    pub(crate) fn set_household_globals(&mut self, hb: &crate::households::Handbook) {
        let site = crate::values::obj([
            ("title", tera::Value::from(hb.title.as_str())),
            ("region", tera::Value::from(hb.region.as_str())),
            ("base_url", tera::Value::from(hb.base_url.as_str())),
            (
                "publisher",
                hb.publisher
                    .clone()
                    .map_or(tera::Value::none(), tera::Value::from),
            ),
            (
                "hotlines",
                tera::Value::from(
                    hb.hotlines
                        .iter()
                        .map(|h| {
                            crate::values::obj([
                                ("name", tera::Value::from(h.name.as_str())),
                                ("phone", tera::Value::from(h.phone.as_str())),
                            ])
                        })
                        .collect::<Vec<_>>(),
                ),
            ),
        ]);
        self.templates
            .tera
            .global_context()
            .insert_value("site", site);
    }

    /// Every character of every entry (and of site.toml, which cards print) checked
    /// against the font chain before any layout: a character no font has is an error
    /// naming the file, line and column, and the character with its code point. A
    /// source whose text hashes to one of `known` ([`covered`]: the last build found
    /// it covered by the same fonts) is not looked through again. Returns the errors
    /// and every source's hash.
    pub(crate) fn check_coverage(
        &mut self,
        site: &Site,
        entries: &[usize],
        known: &HashSet<u128>,
    ) -> (Vec<Diagnostic>, Vec<u128>) {
        let mut diags = Vec::new();
        let mut sources: Vec<&SourceFile> = entries
            .iter()
            .map(|&i| &*site.entries[i].entry.src)
            .collect();
        let site_toml = std::fs::read_to_string(site.root.join("site.toml"))
            .map(|t| SourceFile::new("site.toml", crate::diagnostics::strip_bom(t)))
            .ok();
        sources.extend(site_toml.as_ref());
        let (firsts, sums) = first_places(&sources, known);
        let mut seen = CharSet::default();
        for (c, mut i, mut off) in firsts {
            if !seen.insert(c) || self.fonts.missing(c.encode_utf8(&mut [0; 4])).is_empty() {
                continue;
            }
            // A combining mark no font has prints where it makes one character with
            // the one before it (u and ̈ as ü): the error is where it does not.
            if crate::typeset::linebreak::is_combining(c) {
                match self.uncomposed(&sources, c) {
                    Some(place) => (i, off) = place,
                    None => continue,
                }
            }
            diags.push(
                Diagnostic::error(tr!(
                    "font-missing-char",
                    char = c,
                    code = format!("{:04X}", c as u32)
                ))
                .at(sources[i], off..off + c.len_utf8())
                .with_hint(tr!("font-missing-char-hint")),
            );
        }
        (diags, sums)
    }

    /// The first place in `sources` (its index and byte offset) where the combining
    /// mark `mark` does not make, with the character before it, one the fonts have.
    fn uncomposed(&self, sources: &[&SourceFile], mark: char) -> Option<(usize, usize)> {
        sources.iter().enumerate().find_map(|(i, src)| {
            // As the line breaker's shaping composes them.
            let mut before = '\n';
            src.text.char_indices().find_map(|(off, c)| {
                if let Some(k) = self.fonts.composed(before, c) {
                    before = k;
                    return None;
                }
                before = c;
                (c == mark).then_some((i, off))
            })
        })
    }

    /// Renders print template `name` with `styles` (the cards', the handbook's scaled
    /// ones, …) and turns the markup into blocks.
    pub(crate) fn markup_styled(
        &self,
        name: &str,
        ctx: &Context,
        content: &dyn Fn(Option<&str>) -> Option<Vec<Block>>,
        styles: &StyleSheet,
    ) -> Result<Vec<Block>, Vec<Diagnostic>> {
        let rendered = self.render_markup(name, ctx)?;
        self.markup_blocks(&rendered, content, styles)
    }

    /// Renders print template `name`: the markup [`Engine::markup_blocks`] reads.
    pub(crate) fn render_markup(
        &self,
        name: &str,
        ctx: &Context,
    ) -> Result<String, Vec<Diagnostic>> {
        self.templates.render(name, ctx).map_err(|d| vec![d])
    }

    /// Turns rendered print markup into blocks with `styles`; `content` gives the
    /// blocks of an entry's body where the markup asks for them.
    pub(crate) fn markup_blocks(
        &self,
        rendered: &str,
        content: &dyn Fn(Option<&str>) -> Option<Vec<Block>>,
        styles: &StyleSheet,
    ) -> Result<Vec<Block>, Vec<Diagnostic>> {
        self.convert(rendered, |root| {
            let mut conv = markup::Converter {
                styles,
                content,
                errors: Vec::new(),
            };
            let blocks = conv.blocks(root);
            (blocks, conv.errors)
        })
    }

    /// [`Engine::markup_blocks`] with the top-level elements (a handbook's chapters)
    /// converted in parallel.
    pub(crate) fn markup_blocks_in_parallel(
        &self,
        rendered: &str,
        content: &(dyn Fn(Option<&str>) -> Option<Vec<Block>> + Sync),
        styles: &StyleSheet,
    ) -> Result<Vec<Block>, Vec<Diagnostic>> {
        // Parsed a piece per core where it can be cut; parsed whole otherwise, and
        // for the messages of markup that has an error.
        if let Some(blocks) = markup::blocks_in_pieces(rendered, styles, content) {
            return Ok(blocks);
        }
        self.convert(rendered, |root| {
            markup::Converter::blocks_in_parallel(styles, content, root)
        })
    }

    fn convert(
        &self,
        rendered: &str,
        blocks: impl FnOnce(roxmltree::Node) -> markup::Converted,
    ) -> Result<Vec<Block>, Vec<Diagnostic>> {
        // A wrapper element, so markers and comments around the root are legal XML.
        let wrapped = format!("<mingbai>{rendered}</mingbai>");
        let doc = roxmltree::Document::parse(&wrapped).map_err(|e| {
            let pos = e.pos();
            let offset = offset_of(&wrapped, pos.row as usize, pos.col as usize);
            vec![markup::diagnostic(
                &wrapped,
                offset,
                &self.templates.marked,
                e.to_string(),
            )]
        })?;
        let Some(root) = doc.root_element().first_element_child() else {
            return Ok(Vec::new());
        };
        let (blocks, errors) = blocks(root);
        if errors.is_empty() {
            Ok(blocks)
        } else {
            Err(errors
                .into_iter()
                .map(|(off, msg)| markup::diagnostic(&wrapped, off, &self.templates.marked, msg))
                .collect())
        }
    }
}

fn offset_of(text: &str, row: usize, col: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(row.saturating_sub(1))
        .map(str::len)
        .sum();
    let line = &text[line_start.min(text.len())..];
    line_start
        + line
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

/// The date written into a PDF: from the content (so rebuilding the same content gives
/// the same bytes), `SOURCE_DATE_EPOCH` when set, else 2000-01-01.
pub(crate) fn pdf_date(dates: impl Iterator<Item = jiff::civil::Date>) -> (i32, u8, u8) {
    if let Some(d) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
    {
        return (d.year() as i32, d.month() as u8, d.day() as u8);
    }
    dates.max().map_or((2000, 1, 1), |d| {
        (d.year() as i32, d.month() as u8, d.day() as u8)
    })
}

/// A character and where it stands: the source's number, the byte offset.
type Place = (char, usize, usize);

/// Each character's first place in `sources` and each
/// source's hash ([`covered::sum`]); the sources in `known` are not looked through.
fn first_places(sources: &[&SourceFile], known: &HashSet<u128>) -> (Vec<Place>, Vec<u128>) {
    // Each character's first place, found a slice of the sources per thread (30
    // million characters at 10,000 entries): in order within a slice, and slices in
    // order, so the first slice naming a character holds its first place.
    let (firsts, sums): (Vec<Vec<Place>>, Vec<Vec<u128>>) = sources
        .par_chunks(256)
        .enumerate()
        .map(|(k, chunk)| {
            let mut seen = CharSet::default();
            let mut out = Vec::new();
            let mut sums = Vec::with_capacity(chunk.len());
            for (j, src) in chunk.iter().enumerate() {
                let sum = covered::sum(&src.text);
                sums.push(sum);
                if known.contains(&sum) {
                    continue;
                }
                for (off, c) in src.text.char_indices() {
                    if seen.insert(c) {
                        out.push((c, k * 256 + j, off));
                    }
                }
            }
            (out, sums)
        })
        .unzip();
    (firsts.into_iter().flatten().collect(), sums.concat())
}

/// Characters seen: a bit per BMP character (a hash set per character was 4 % of a
/// rebuild), a set for the rest.
struct CharSet {
    bmp: Vec<u64>,
    astral: HashSet<char>,
}

impl Default for CharSet {
    fn default() -> CharSet {
        CharSet {
            bmp: vec![0u64; 0x10000 / 64],
            astral: HashSet::new(),
        }
    }
}

impl CharSet {
    /// Adds `c`; whether it is new.
    fn insert(&mut self, c: char) -> bool {
        let u = c as usize;
        if u < 0x10000 {
            let (word, bit) = (u / 64, 1u64 << (u % 64));
            let new = self.bmp[word] & bit == 0;
            self.bmp[word] |= bit;
            new
        } else {
            self.astral.insert(c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each character's first place, in order of the sources; a source the last build
    /// found covered (its hash known) is not looked through, and every source's hash
    /// is given for the next build.
    #[test]
    fn first_places_skip_the_sources_known_covered() {
        let a = SourceFile::new("a.md", "低保a".to_string());
        let b = SourceFile::new("b.md", "保障b低".to_string());
        let sources = [&a, &b];
        let (firsts, sums) = first_places(&sources, &HashSet::new());
        assert_eq!(
            firsts,
            [
                ('低', 0, 0),
                ('保', 0, 3),
                ('a', 0, 6),
                ('障', 1, 3),
                ('b', 1, 6)
            ]
        );
        assert_eq!(sums, [covered::sum("低保a"), covered::sum("保障b低")]);
        let known: HashSet<u128> = [sums[0]].into_iter().collect();
        let (firsts, again) = first_places(&sources, &known);
        assert_eq!(
            firsts,
            [('保', 1, 0), ('障', 1, 3), ('b', 1, 6), ('低', 1, 7)]
        );
        assert_eq!(again, sums);
    }

    fn style(src: &str) -> StyleSheet {
        StyleSheet::parse(&SourceFile::new("style.toml", src.to_string())).unwrap()
    }

    #[test]
    fn card_type_reaches_the_minimums_and_never_shrinks() {
        let base = style(
            "[card]\nsize = \"A6\"\n[text]\nsize = 8\n[element.url]\nsize = 6\n\
             [element.h1]\nsize = 20\n",
        );
        let body = |s: &StyleSheet| s.resolve("p", &[]).size;
        let a6 = card_styles(&base, TypeSize::Standard, 0.0);
        assert_eq!(body(&a6), 9.0);
        assert!(a6.resolve("p", &["url"]).size >= MIN_SIZE);
        assert_eq!(a6.resolve("h1", &[]).size, 20.0 * 9.0 / 8.0);
        let mut a5 = base.clone();
        a5.set_card_size(Size::named("A5").unwrap());
        assert_eq!(body(&card_styles(&a5, TypeSize::Standard, 0.0)), 10.5);
        let large = card_styles(&base, TypeSize::Large, 0.0);
        assert_eq!(body(&large), 14.0);
        assert_eq!(large.geometry.card, Size::named("A5").unwrap());
        assert_eq!(large.resolve("td", &[]).size, 14.0);
        // A theme with larger type keeps it.
        let big = style("[text]\nsize = 12\n");
        assert_eq!(body(&card_styles(&big, TypeSize::Standard, 0.0)), 12.0);
    }
}
