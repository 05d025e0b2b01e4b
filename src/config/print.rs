//! `[print]` of site.toml: what `build` prints and how, with the enums its strings
//! are parsed into on load.

use serde::Serialize;

/// `[print]`: what `build` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintConfig {
    /// Print output at all (`--no-print` turns it off for one build).
    pub enabled: bool,
    /// A 明白卡 PDF per entry and the imposed sheets.
    pub cards: bool,
    /// The whole handbook as one PDF.
    pub handbook: bool,
    /// Overrides the theme's card size: "A6" (4 per A4 sheet) or "A5" (2 per sheet).
    pub card_size: Option<CardSize>,
    /// Font files (relative to the handbook) tried before the theme's fonts.
    pub fonts: Vec<std::path::PathBuf>,
    /// Whether installed system fonts may supply characters the others lack.
    pub system_fonts: bool,
    /// Cards of expired policies: "mark" (printed with 已失效) or "skip".
    pub expired_cards: ExpiredCards,
    /// Type size of policy and household cards: standard, or 大字版 for elderly readers.
    pub type_size: TypeSize,
    /// Punctuation widths (标点挤压): 全角式, 开明式 or none.
    pub punctuation: Punctuation,
    /// Space between Han characters and Latin letters or digits, in em (0: none).
    pub han_latin_space: f32,
    /// How colours are written into the PDFs (`color = "cmyk"`).
    pub color: PrintColor,
}

/// `[print] card_size`: the cards' size over the theme's (A6: four on an A4 sheet, A5:
/// two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum CardSize {
    A6,
    A5,
}

impl CardSize {
    /// "A6" or "A5", in either case.
    pub(crate) fn parse(s: &str) -> Option<CardSize> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A6" => Some(CardSize::A6),
            "A5" => Some(CardSize::A5),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            CardSize::A6 => "A6",
            CardSize::A5 => "A5",
        }
    }
}

/// `[print] expired_cards`: what becomes of the cards of expired policies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExpiredCards {
    /// Printed, marked 已失效.
    #[default]
    Mark,
    /// Not printed.
    Skip,
}

impl ExpiredCards {
    pub(crate) fn parse(s: &str) -> Option<ExpiredCards> {
        match s.trim() {
            "mark" => Some(ExpiredCards::Mark),
            "skip" => Some(ExpiredCards::Skip),
            _ => None,
        }
    }
}

/// `[print] punctuation`: how full-width punctuation is set (W3C clreq §3.1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Punctuation {
    /// 全角式: full width, adjacent marks and line ends compressed.
    #[default]
    Quanjiao,
    /// 开明式: 、，；：。！？ full width, brackets, quotes and book-title marks half.
    Kaiming,
    /// Every mark full width, never compressed.
    None,
}

/// `[print] type_size`: the standard cards, or the large-print edition (大字版: body
/// text at least 14 pt, on A5 cards).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TypeSize {
    #[default]
    Standard,
    Large,
}

impl TypeSize {
    /// The setting's value: "standard", "large", or the Chinese 标准 / 大字 (版).
    pub(crate) fn parse(s: &str) -> Option<TypeSize> {
        match s.trim() {
            "standard" | "标准" | "标准版" => Some(TypeSize::Standard),
            "large" | "大字" | "大字版" => Some(TypeSize::Large),
            _ => None,
        }
    }
}

/// `[print] color`: the colour space of every PDF the build prints. Whatever the mode
/// (but `rgb`), black and grey text and rules print in black ink alone (K), never as
/// rich black or RGB a press would split into four inks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PrintColor {
    /// Four-colour offset or digital press: greys as K tints, colours as CMYK.
    #[default]
    Cmyk,
    /// Black ink only (one-colour press, photocopier): colours become grey tints.
    Gray,
    /// The style's colours as RGB, for screens and office printers.
    Rgb,
}

impl PrintColor {
    const NAMES: [(&str, PrintColor); 3] = [
        ("cmyk", PrintColor::Cmyk),
        ("gray", PrintColor::Gray),
        ("rgb", PrintColor::Rgb),
    ];

    /// The mode named in site.toml (`grey` and upper case accepted too).
    pub(crate) fn named(name: &str) -> Option<PrintColor> {
        let n = name.trim().to_ascii_lowercase();
        let n = if n == "grey" { "gray".to_string() } else { n };
        Self::NAMES.iter().find(|(k, _)| *k == n).map(|&(_, v)| v)
    }
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            enabled: true,
            cards: true,
            handbook: true,
            card_size: None,
            fonts: Vec::new(),
            system_fonts: true,
            expired_cards: ExpiredCards::Mark,
            type_size: TypeSize::Standard,
            punctuation: Punctuation::Quanjiao,
            han_latin_space: 0.25,
            color: PrintColor::default(),
        }
    }
}
