//! Print: 明白卡 for every policy and FAQ entry, the imposed card sheets and the whole
//! handbook as one PDF, from the same content as the site.
//!
//! These are the products; the typesetter they share is [`crate::typeset`]. Print
//! templates (Tera, `print/*.xml` of the theme) render an entry to the print markup,
//! which the typesetter lays out and writes. [`cards`] makes the 明白卡 and the imposed
//! sheets, [`handbook`] the whole handbook, [`run`] drives both in a build; household
//! cards are [`crate::households::print`].

pub mod cards;
pub mod handbook;
pub mod run;

use std::collections::HashSet;
use std::path::Path;

use tera::Context;

use crate::config::PrintConfig;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Theme;
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::Block;
use crate::typeset::markup;
use crate::typeset::style::{Size, StyleSheet};

/// Fonts, style and templates for print, loaded once per build.
pub struct Engine {
    pub fonts: Fonts,
    pub styles: StyleSheet,
    pub templates: Templates,
}

impl Engine {
    pub fn load(site: &Site, theme: &Theme) -> Result<Engine, Vec<Diagnostic>> {
        Engine::load_with(&site.root, &site.config.print, theme)
    }

    /// [`Engine::load`] from the print settings alone: `mingbai cards --handbook` has
    /// the published policy list, not the handbook's source.
    pub fn load_with(
        root: &Path,
        cfg: &PrintConfig,
        theme: &Theme,
    ) -> Result<Engine, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        crate::typeset::configure(root, cfg.color);
        let fonts = Fonts::load(theme, root, &cfg.fonts, cfg.system_fonts);
        let styles = match theme.file("print/style.toml") {
            Some(f) => {
                let text = String::from_utf8_lossy(&f.bytes).to_string();
                let src = SourceFile::new(f.display, crate::diagnostics::strip_bom(text));
                let invisible = crate::diagnostics::invisible_chars(&src);
                if invisible.is_empty() {
                    StyleSheet::parse(&src)
                } else {
                    Err(invisible)
                }
            }
            None => Err(vec![Diagnostic::error("the theme has no print/style.toml")]),
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
        if let Some(size) = cfg.card_size.as_deref().and_then(Size::named) {
            styles.set_card_size(size);
            // The style's margins were checked against its own card size, not this one;
            // margins wider than the card set each character on a line of its own.
            let m = styles.geometry.card_margin;
            if m[0] + m[2] > size.h / 2.0 || m[1] + m[3] > size.w / 2.0 {
                let d = Diagnostic::error(format!(
                    "site.toml 的 card_size = \"{}\"（{}×{} 毫米）和 print/style.toml 的 [card] margin \
                     合不上：页边距上下合计 {} 毫米、左右合计 {} 毫米，超过了这种卡片的一半",
                    cfg.card_size.as_deref().unwrap_or_default(),
                    size.w,
                    size.h,
                    m[0] + m[2],
                    m[1] + m[3]
                ))
                .with_hint("把 print/style.toml 的 [card] margin 改小（例如 margin = 6），或者换回原来的卡片尺寸");
                return Err(vec![crate::config::locate_setting(
                    &root.join("site.toml"),
                    Some("print"),
                    "card_size",
                    d,
                )]);
            }
        }
        Ok(Engine {
            fonts,
            styles,
            templates,
        })
    }

    /// Puts the site-wide template values (`site`, `chapters`, …) in the print
    /// templates' global context.
    pub fn set_globals(&mut self, site: &Site) {
        let links = run::links(site);
        let values = crate::html::context::build(site, &links, false);
        let g = self.templates.tera.global_context();
        for (k, v) in &values.global {
            g.insert_value(*k, v.clone());
        }
    }

    /// The global template values household cards need when there is no handbook
    /// source, only its published policy list: `site` with its title, region, address,
    /// publisher and hotlines.
    pub fn set_household_globals(&mut self, hb: &crate::households::Handbook) {
        let site = crate::html::context::obj([
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
                            crate::html::context::obj([
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
    /// naming the file, line and column, and the character with its code point.
    pub fn check_coverage(&mut self, site: &Site, entries: &[usize]) -> Vec<Diagnostic> {
        let mut seen: HashSet<char> = HashSet::new();
        let mut diags = Vec::new();
        let mut sources: Vec<&SourceFile> = entries
            .iter()
            .map(|&i| &*site.entries[i].entry.src)
            .collect();
        let site_toml = std::fs::read_to_string(site.root.join("site.toml"))
            .map(|t| SourceFile::new("site.toml", crate::diagnostics::strip_bom(t)))
            .ok();
        sources.extend(site_toml.as_ref());
        for src in sources {
            for (off, c) in src.text.char_indices() {
                if seen.contains(&c) {
                    continue;
                }
                seen.insert(c);
                if self.fonts.missing(c.encode_utf8(&mut [0; 4])).is_empty() {
                    continue;
                }
                diags.push(
                    Diagnostic::error(format!(
                        "no font can print the character「{c}」(U+{:04X})",
                        c as u32
                    ))
                    .at(src, off..off + c.len_utf8())
                    .with_hint(
                        "add a font that has it under [print] fonts in site.toml, \
                         or install one on this computer",
                    ),
                );
            }
        }
        diags
    }

    /// Renders print template `name` and turns the markup into blocks.
    pub fn markup(
        &self,
        name: &str,
        ctx: &Context,
        content: &dyn Fn(Option<&str>) -> Option<Vec<Block>>,
    ) -> Result<Vec<Block>, Vec<Diagnostic>> {
        self.markup_styled(name, ctx, content, &self.styles)
    }

    /// [`Engine::markup`] with another style sheet (the handbook's scaled one).
    pub fn markup_styled(
        &self,
        name: &str,
        ctx: &Context,
        content: &dyn Fn(Option<&str>) -> Option<Vec<Block>>,
        styles: &StyleSheet,
    ) -> Result<Vec<Block>, Vec<Diagnostic>> {
        let rendered = self.templates.render(name, ctx).map_err(|d| vec![d])?;
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
        let mut conv = markup::Converter {
            styles,
            content,
            errors: Vec::new(),
        };
        let blocks = conv.blocks(root);
        if conv.errors.is_empty() {
            Ok(blocks)
        } else {
            Err(conv
                .errors
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
pub fn pdf_date(dates: impl Iterator<Item = jiff::civil::Date>) -> (i32, u8, u8) {
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
