//! The print style file (`print/style.toml` of the theme, or the site's own): page,
//! card and sheet sizes, margins, colours, and a style per element or class of the
//! print markup. Lengths are in millimetres, type sizes in points.

// FxHash: a style is resolved for every block laid out, and SipHash on its tag and classes
// was a fifth of that.
use rustc_hash::FxHashMap as HashMap;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::fields::{Fields, parse_table};

use super::fonts::Weight;
use super::linebreak::{Align, Typography};

pub(crate) const MM: f32 = 72.0 / 25.4;

pub(crate) type Color = [f32; 3];

/// The style of one element, every property optional so styles can be layered:
/// defaults, then the tag's, then each class's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Props {
    pub size: Option<f32>,
    pub bold: Option<bool>,
    pub color: Option<Color>,
    pub line_height: Option<f32>,
    pub align: Option<Align>,
    pub indent: Option<f32>,
    pub space_before: Option<f32>,
    pub space_after: Option<f32>,
    pub background: Option<Option<Color>>,
    pub border: Option<Option<Color>>,
    pub border_width: Option<f32>,
    pub padding: Option<f32>,
    pub label_width: Option<f32>,
    pub label_color: Option<Color>,
    pub width: Option<f32>,
    pub keep_with_next: Option<bool>,
    pub page_break_before: Option<bool>,
}

/// A style with every property decided (lengths converted to pt).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Resolved {
    pub size: f32,
    pub weight: Weight,
    pub color: Color,
    pub line_height: f32,
    pub align: Align,
    pub indent: f32,
    pub space_before: f32,
    pub space_after: f32,
    pub background: Option<Color>,
    pub border: Option<Color>,
    pub border_width: f32,
    pub padding: f32,
    pub label_width: f32,
    pub label_color: Color,
    pub width: f32,
    pub keep_with_next: bool,
    pub page_break_before: bool,
    /// Punctuation compression and Han–Latin spacing (site.toml `[print]`).
    pub typography: Typography,
}

impl Props {
    fn over(&mut self, o: &Props) {
        macro_rules! take {
            ($($f:ident),*) => { $( if o.$f.is_some() { self.$f = o.$f; } )* };
        }
        take!(
            size,
            bold,
            color,
            line_height,
            align,
            indent,
            space_before,
            space_after,
            background,
            border,
            border_width,
            padding,
            label_width,
            label_color,
            width,
            keep_with_next,
            page_break_before
        );
    }
}

/// A paper or card size in mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Size {
    pub w: f32,
    pub h: f32,
}

impl Size {
    pub(crate) fn named(name: &str) -> Option<Size> {
        Some(match name.to_ascii_uppercase().as_str() {
            "A4" => Size { w: 210.0, h: 297.0 },
            "A5" => Size { w: 148.0, h: 210.0 },
            "A6" => Size { w: 105.0, h: 148.0 },
            "B5" => Size { w: 176.0, h: 250.0 },
            _ => return None,
        })
    }
    pub(crate) fn pt(self) -> (f32, f32) {
        (self.w * MM, self.h * MM)
    }
}

/// Margins in mm: top, right, bottom, left.
pub(crate) type Margins = [f32; 4];

#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub page: Size,
    pub page_margin: Margins,
    /// Type sizes on handbook pages relative to cards.
    pub text_scale: f32,
    pub card: Size,
    pub card_margin: Margins,
    pub max_faces: usize,
    pub sheet: Size,
    pub crop_marks: bool,
    /// Household cards (`[household]`): size, margins, faces.
    pub household: (Size, Margins, usize),
}

#[derive(Debug, Clone)]
pub(crate) struct StyleSheet {
    pub geometry: Sheet,
    colors: HashMap<String, Color>,
    base: Props,
    elements: HashMap<String, Props>,
    /// From site.toml `[print]`, set by the print engine; every resolved style carries it.
    pub typography: Typography,
}

/// For tests: the built-in style alone, as an empty `style.toml` gives it.
#[cfg(test)]
impl StyleSheet {
    pub(crate) fn builtin() -> StyleSheet {
        StyleSheet::parse(&crate::diagnostics::SourceFile::new(
            "style.toml",
            String::new(),
        ))
        .unwrap()
    }
}

impl StyleSheet {
    pub(crate) fn parse(src: &SourceFile) -> Result<StyleSheet, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let Some(table) = parse_table(src, &src.text, 0, &mut diags) else {
            return Err(diags);
        };
        let mut f = Fields::new(src, 0, &table, 0..0, &mut diags);
        f.check_keys(
            &[
                "page",
                "card",
                "household",
                "sheet",
                "colors",
                "text",
                "element",
            ],
            |_| None,
        );
        let mut colors: HashMap<String, Color> = HashMap::default();
        f.table("colors", |c| {
            for name in c.keys() {
                if let Some(v) = c.string(&name) {
                    match parse_hex(&v) {
                        Some(col) => {
                            colors.insert(name, col);
                        }
                        None => c.value_error(
                            &name,
                            tr!("style-not-colour", value = v),
                            &tr!("style-not-colour-hint"),
                        ),
                    }
                }
            }
        });
        let page = f
            .table("page", |p| {
                p.check_keys(&["size", "margin", "text_scale"], |_| None);
                let size = read_size(p, "size", "A4");
                (
                    size,
                    read_margin(p, "margin", [20.0, 18.0, 20.0, 18.0], size),
                    p.float_in(
                        "text_scale",
                        0.5..=2.0,
                        &tr!("unit-times"),
                        "text_scale = 1.2",
                    )
                    .unwrap_or(1.0) as f32,
                )
            })
            .unwrap_or((Size::named("A4").unwrap(), [20.0, 18.0, 20.0, 18.0], 1.0));
        let card = f
            .table("card", |p| {
                p.check_keys(&["size", "margin", "max_faces"], |_| None);
                let size = read_size(p, "size", "A6");
                (
                    size,
                    read_margin(p, "margin", [6.0; 4], size),
                    // Faces are pages of one card: a card longer than this is an error,
                    // not a booklet.
                    p.int_in("max_faces", 1..=8, &tr!("unit-faces"), "max_faces = 2")
                        .unwrap_or(2) as usize,
                )
            })
            .unwrap_or((Size::named("A6").unwrap(), [6.0; 4], 2));
        let household = f
            .table("household", |p| {
                p.check_keys(&["size", "margin", "max_faces"], |_| None);
                let size = read_size(p, "size", "A5");
                (
                    size,
                    read_margin(p, "margin", [8.0; 4], size),
                    // Faces are pages of one card: a card longer than this is an error,
                    // not a booklet.
                    p.int_in("max_faces", 1..=8, &tr!("unit-faces"), "max_faces = 2")
                        .unwrap_or(2) as usize,
                )
            })
            .unwrap_or((Size::named("A5").unwrap(), [8.0; 4], 2));
        let sheet = f
            .table("sheet", |p| {
                p.check_keys(&["size", "crop_marks"], |_| None);
                (
                    read_size(p, "size", "A4"),
                    p.bool("crop_marks").unwrap_or(true),
                )
            })
            .unwrap_or((Size::named("A4").unwrap(), true));
        let base = f
            .table("text", |t| read_props(t, &colors))
            .unwrap_or_default();
        let mut elements = HashMap::default();
        f.table("element", |e| {
            for name in e.keys() {
                if let Some(p) = e.table(&name, |t| read_props(t, &colors)) {
                    elements.insert(name, p);
                }
            }
        });
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(StyleSheet {
            geometry: Sheet {
                page: page.0,
                page_margin: page.1,
                text_scale: page.2,
                card: card.0,
                card_margin: card.1,
                max_faces: card.2,
                sheet: sheet.0,
                crop_marks: sheet.1,
                household,
            },
            colors,
            base,
            elements,
            typography: Typography::default(),
        })
    }

    /// The style of an element: the text defaults, then the tag's style, then each
    /// class's in order.
    pub(crate) fn resolve(&self, tag: &str, classes: &[&str]) -> Resolved {
        let mut p = self.base.clone();
        if let Some(t) = self.elements.get(tag) {
            p.over(t);
        }
        for c in classes {
            if let Some(t) = self.elements.get(*c) {
                p.over(t);
            }
        }
        let ink = self.color("ink");
        Resolved {
            size: p.size.unwrap_or(9.0),
            weight: if p.bold.unwrap_or(false) {
                Weight::Bold
            } else {
                Weight::Regular
            },
            color: p.color.unwrap_or(ink),
            line_height: p.line_height.unwrap_or(1.5),
            align: p.align.unwrap_or(Align::Justify),
            indent: p.indent.unwrap_or(0.0) * MM,
            space_before: p.space_before.unwrap_or(0.0) * MM,
            space_after: p.space_after.unwrap_or(0.0) * MM,
            background: p.background.flatten(),
            border: p.border.flatten(),
            border_width: p.border_width.unwrap_or(0.3) * MM,
            padding: p.padding.unwrap_or(0.0) * MM,
            label_width: p.label_width.unwrap_or(14.0) * MM,
            label_color: p.label_color.unwrap_or(ink),
            width: p.width.unwrap_or(0.0) * MM,
            keep_with_next: p.keep_with_next.unwrap_or(false),
            page_break_before: p.page_break_before.unwrap_or(false),
            typography: self.typography,
        }
    }

    pub(crate) fn color(&self, name: &str) -> Color {
        self.colors.get(name).copied().unwrap_or([0.11, 0.11, 0.12])
    }

    /// The same style with every type size multiplied by `k` (the handbook's pages are
    /// larger than a card and read at arm's length: `[page] text_scale`).
    pub(crate) fn scaled(&self, k: f32) -> StyleSheet {
        let mut s = self.clone();
        s.base.size = s.base.size.map(|v| v * k);
        for p in s.elements.values_mut() {
            p.size = p.size.map(|v| v * k);
        }
        s
    }

    /// The same style with every type size below `min` raised to it (cards: nothing
    /// smaller than a reader can make out).
    pub(crate) fn at_least(&self, min: f32) -> StyleSheet {
        let mut s = self.clone();
        s.base.size = s.base.size.map(|v| v.max(min));
        for p in s.elements.values_mut() {
            p.size = p.size.map(|v| v.max(min));
        }
        s
    }

    /// The same style with the type of elements `names` raised to at least `min`.
    pub(crate) fn raise(&self, names: &[&str], min: f32) -> StyleSheet {
        let mut s = self.clone();
        for n in names {
            let p = s.elements.entry((*n).to_string()).or_default();
            p.size = Some(p.size.unwrap_or(min).max(min));
        }
        s
    }

    /// The style with the household card's geometry in place of the policy card's.
    pub(crate) fn for_households(&self) -> StyleSheet {
        let mut s = self.clone();
        let (size, margin, faces) = s.geometry.household;
        s.geometry.card = size;
        s.geometry.card_margin = margin;
        s.geometry.max_faces = faces;
        s
    }

    /// Replaces the card size (site.toml `[print] card_size`).
    pub(crate) fn set_card_size(&mut self, size: Size) {
        self.geometry.card = size;
    }
}

/// Paper and card sides, in mm: from a business card to A0.
const SIDE_MM: std::ops::RangeInclusive<f64> = 50.0..=1200.0;

fn read_size(f: &mut Fields, key: &str, default: &str) -> Size {
    if let Some(v) = f.floats(key) {
        if let [w, h] = v[..] {
            if SIDE_MM.contains(&w) && SIDE_MM.contains(&h) {
                return Size {
                    w: w as f32,
                    h: h as f32,
                };
            }
            f.out_of_range(key, &tr!("style-size-sides"), &tr!("style-size-two-hint"));
            return Size::named(default).unwrap();
        }
        f.value_error(
            key,
            tr!("style-size-two", key = key),
            &tr!("style-size-two-hint"),
        );
        return Size::named(default).unwrap();
    }
    if let Some(name) = f.string(key) {
        return Size::named(&name).unwrap_or_else(|| {
            f.value_error(
                key,
                tr!("style-paper-unknown", name = name),
                &tr!("style-paper-unknown-hint"),
            );
            Size::named(default).unwrap()
        });
    }
    Size::named(default).unwrap()
}

/// Margins of `size`: none negative, and together at most half of each side, so the
/// text always has room (margins wider than the card made layout run without end).
fn read_margin(f: &mut Fields, key: &str, default: Margins, size: Size) -> Margins {
    let m = read_margin_values(f, key, default);
    let ok = m.iter().all(|v| v.is_finite() && *v >= 0.0)
        && m[0] + m[2] <= size.h / 2.0
        && m[1] + m[3] <= size.w / 2.0;
    if ok {
        return m;
    }
    f.out_of_range(
        key,
        &tr!("style-margin-range", v = size.h / 2.0, h = size.w / 2.0),
        &tr!("style-margin-hint"),
    );
    default
}

fn read_margin_values(f: &mut Fields, key: &str, default: Margins) -> Margins {
    if let Some(v) = f.floats(key) {
        return match v[..] {
            [a] => [a as f32; 4],
            [v, h] => [v as f32, h as f32, v as f32, h as f32],
            [t, r, b, l] => [t as f32, r as f32, b as f32, l as f32],
            _ => {
                f.value_error(key, tr!("style-margin-count"), &tr!("style-margin-hint"));
                default
            }
        };
    }
    f.float(key).map_or(default, |m| [m as f32; 4])
}

fn read_props(t: &mut Fields, colors: &HashMap<String, Color>) -> Props {
    t.check_keys(
        &[
            "size",
            "bold",
            "color",
            "line_height",
            "align",
            "indent",
            "space_before",
            "space_after",
            "background",
            "border",
            "border_width",
            "padding",
            "label_width",
            "label_color",
            "width",
            "keep_with_next",
            "page_break_before",
        ],
        |_| None,
    );
    let color = |t: &mut Fields, key: &str| -> Option<Option<Color>> {
        let v = t.string(key)?;
        if v == "none" {
            return Some(None);
        }
        match colors.get(&v).copied().or_else(|| parse_hex(&v)) {
            Some(c) => Some(Some(c)),
            None => {
                t.value_error(
                    key,
                    tr!("style-colour-unknown", value = v),
                    &tr!("style-colour-unknown-hint"),
                );
                None
            }
        }
    };
    let align = t.string("align").and_then(|a| match a.as_str() {
        "left" => Some(Align::Left),
        "justify" => Some(Align::Justify),
        "center" => Some(Align::Center),
        "right" => Some(Align::Right),
        _ => {
            t.value_error(
                "align",
                tr!("style-align-unknown", value = a),
                &tr!("style-align-unknown-hint"),
            );
            None
        }
    });
    // Ranges that keep layout finite: a glyph always fits a line and a line a page.
    let mm = |t: &mut Fields, key: &str, max: f64, example: &str| {
        t.float_in(key, 0.0..=max, &tr!("unit-mm"), example)
            .map(|v| v as f32)
    };
    Props {
        size: t
            .float_in("size", 4.0..=48.0, &tr!("unit-pt"), "size = 9")
            .map(|v| v as f32),
        bold: t.bool("bold"),
        color: color(t, "color").flatten(),
        line_height: t
            .float_in(
                "line_height",
                0.8..=3.0,
                &tr!("unit-times"),
                "line_height = 1.5",
            )
            .map(|v| v as f32),
        align,
        indent: mm(t, "indent", 50.0, "indent = 7"),
        space_before: mm(t, "space_before", 150.0, "space_before = 2"),
        space_after: mm(t, "space_after", 150.0, "space_after = 2"),
        background: color(t, "background"),
        border: color(t, "border"),
        border_width: mm(t, "border_width", 5.0, "border_width = 0.3"),
        padding: mm(t, "padding", 20.0, "padding = 2"),
        label_width: mm(t, "label_width", 60.0, "label_width = 14"),
        label_color: color(t, "label_color").flatten(),
        width: mm(t, "width", 200.0, "width = 20"),
        keep_with_next: t.bool("keep_with_next"),
        page_break_before: t.bool("page_break_before"),
    }
}

pub(crate) fn parse_hex(s: &str) -> Option<Color> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some([
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_tag_then_classes() {
        let src = SourceFile::new(
            "style.toml",
            r##"
[colors]
ink = "#000000"
accent = "#ff0000"
[text]
size = 9
[element.h1]
size = 14
bold = true
color = "accent"
[element.small]
size = 6.5
"##
            .to_string(),
        );
        let s = StyleSheet::parse(&src).unwrap();
        let h1 = s.resolve("h1", &[]);
        assert_eq!(h1.size, 14.0);
        assert_eq!(h1.weight, Weight::Bold);
        assert_eq!(h1.color, [1.0, 0.0, 0.0]);
        let small = s.resolve("h1", &["small"]);
        assert_eq!(small.size, 6.5);
        assert_eq!(small.weight, Weight::Bold);
        assert_eq!(s.resolve("p", &[]).size, 9.0);
    }

    #[test]
    fn settings_out_of_range_are_located_errors() {
        for (text, key) in [
            ("[page]\ntext_scale = 0\n", "text_scale = 0"),
            ("[page]\ntext_scale = 100\n", "text_scale = 100"),
            ("[page]\ntext_scale = nan\n", "text_scale = nan"),
            (
                "[page]\nmargin = [300, 300, 300, 300]\n",
                "margin = [300, 300, 300, 300]",
            ),
            ("[card]\nmargin = -10\n", "margin = -10"),
            ("[card]\nmax_faces = 100000000\n", "max_faces = 100000000"),
            ("[card]\nsize = [0, 0]\n", "size = [0, 0]"),
            ("[text]\nsize = 0\n", "size = 0"),
            ("[text]\nsize = -5\n", "size = -5"),
            ("[element.h1]\nline_height = -1\n", "line_height = -1"),
        ] {
            let src = SourceFile::new("print/style.toml", text.to_string());
            let e = StyleSheet::parse(&src).expect_err(text);
            let all: String = e.iter().map(|d| d.to_string()).collect();
            assert!(all.contains(&format!("`{key}` 不在允许的范围内")), "{all}");
            assert!(all.contains("--> print/style.toml:2:"), "{all}");
        }
    }

    #[test]
    fn bad_values_are_reported() {
        let src = SourceFile::new(
            "style.toml",
            "[element.h1]\ncolor = \"reddish\"\nsise = 3\n".to_string(),
        );
        let e = StyleSheet::parse(&src).unwrap_err();
        let all: String = e.iter().map(|d| d.to_string()).collect();
        assert!(all.contains("不认识的颜色「reddish」"), "{all}");
        assert!(all.contains("是不是「size」？"), "{all}");
    }
}
