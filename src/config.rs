//! `site.toml`: the handbook's settings (see `docs/content-model.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::fields::{Fields, parse_table};

#[derive(Debug, Clone, Serialize)]
pub struct Hotline {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    /// Printed on cards ("青禾县").
    pub region: String,
    /// Without a trailing slash.
    pub base_url: String,
    pub theme: String,
    pub output_dir: String,
    pub hotlines: Vec<Hotline>,
    pub description: Option<String>,
    /// Who issues the handbook ("青禾县乡村振兴局"), shown in footers and on the cover.
    pub publisher: Option<String>,
    /// Readable URL slugs for tags (`教育 = "jiaoyu"`); other tags get a stable hash slug.
    pub tag_slugs: BTreeMap<String, String>,
    pub check: CheckConfig,
    pub print: PrintConfig,
    pub cards: CardsConfig,
    pub edition: EditionConfig,
}

/// `[edition]`: the previous edition this one is compared with (修订说明, marks,
/// the cards to reprint).
#[derive(Debug, Clone, Default, Serialize)]
pub struct EditionConfig {
    /// A handbook folder or a git revision (tag, branch, commit) of this one.
    pub previous: Option<String>,
}

/// `[cards]`: household cards (户明白卡), printed by `mingbai cards`.
#[derive(Debug, Clone, Serialize)]
pub struct CardsConfig {
    /// The card's title ("2026年度青禾县防返贫监测帮扶明白卡").
    pub title: String,
    /// Where cards are written, relative to the handbook; never inside the site output.
    pub output: String,
    /// "none" (default) or "masked" (421123********123X): a full ID is never printed.
    pub show_id: String,
    /// Print 风险类型 (因病, 因残…): sensitive personal information, off by default
    /// because cards hang on walls.
    pub show_risks: bool,
}

/// `[print]`: what `build` prints.
#[derive(Debug, Clone, Serialize)]
pub struct PrintConfig {
    /// Print output at all (`--no-print` turns it off for one build).
    pub enabled: bool,
    /// A 明白卡 PDF per entry and the imposed sheets.
    pub cards: bool,
    /// The whole handbook as one PDF.
    pub handbook: bool,
    /// Overrides the theme's card size: "A6" (4 per A4 sheet) or "A5" (2 per sheet).
    pub card_size: Option<String>,
    /// Font files (relative to the handbook) tried before the theme's fonts.
    pub fonts: Vec<std::path::PathBuf>,
    /// Whether installed system fonts may supply characters the others lack.
    pub system_fonts: bool,
    /// Cards of expired policies: "mark" (printed with 已失效) or "skip".
    pub expired_cards: String,
    /// How colours are written into the PDFs (`color = "cmyk"`).
    pub color: PrintColor,
}

/// `[print] color`: the colour space of every PDF the build prints. Whatever the mode
/// (but `rgb`), black and grey text and rules print in black ink alone (K), never as
/// rich black or RGB a press would split into four inks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintColor {
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
            expired_cards: "mark".into(),
            color: PrintColor::default(),
        }
    }
}

/// `[check]`: thresholds for `mingbai check` warnings.
#[derive(Debug, Clone, Serialize)]
pub struct CheckConfig {
    /// Warn when a policy's `reviewed` date is older than this many months.
    pub review_max_age_months: i64,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "region",
    "base_url",
    "theme",
    "output_dir",
    "hotlines",
    "description",
    "publisher",
    "tag_slugs",
    "check",
    "print",
    "cards",
    "edition",
];

impl SiteConfig {
    /// Reads `site.toml` under `root`; all problems are returned as diagnostics.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(format!("cannot read site.toml: {e}"))
                        .in_file("site.toml", 1, 1)
                        .with_hint(format!(
                            "run mingbai in a handbook folder (one with site.toml), or pass --root; \
                             looked in {}",
                            root.display()
                        )),
                ]);
            }
        };
        let src = SourceFile::new("site.toml", crate::diagnostics::strip_bom(text));
        let invisible = crate::diagnostics::invisible_chars(&src);
        if !invisible.is_empty() {
            return Err(invisible);
        }
        Self::parse(&src)
    }

    pub fn parse(src: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let Some(table) = parse_table(src, &src.text, 0, &mut diags) else {
            return Err(diags);
        };
        let mut f = Fields::new(src, 0, &table, 0..0, &mut diags);
        f.check_keys(TOP_KEYS, |_| None);
        let title = f.req_string("title", "title = \"青禾县惠民政策明白手册\"");
        let region = f.req_string("region", "region = \"青禾县\"");
        let base_url = f.req_string("base_url", "base_url = \"https://example.org/qinghe\"");
        let base_span = f.value_span("base_url");
        let theme = f.string("theme").unwrap_or_else(|| "default".into());
        let output_dir = f.string("output_dir").unwrap_or_else(|| "public".into());
        let out_span = f.value_span("output_dir");
        let hotlines = f.tables(
            "hotlines",
            "hotlines = [{ name = \"监督举报电话\", phone = \"12317\" }]",
            |h| {
                h.check_keys(&["name", "phone"], |_| None);
                Hotline {
                    name: h.req_string("name", "name = \"监督举报电话\""),
                    phone: h.req_string("phone", "phone = \"12317\""),
                }
            },
        );
        let description = f.string("description");
        let publisher = f.string("publisher");
        let mut tag_slugs = BTreeMap::new();
        f.table("tag_slugs", |t| {
            // Keys are tag names, so there is no fixed key list to check.
            for tag in t.keys() {
                if let Some(slug) = t.string(&tag) {
                    if !is_slug(&slug) {
                        let span = t.value_span(&tag).unwrap_or(0..0);
                        t.diags.push(
                            Diagnostic::error(format!("tag slug `{slug}` is not URL-safe"))
                                .at(src, span)
                                .with_hint(
                                    "use lowercase ASCII letters, digits and `-`, e.g. \"jiaoyu\"",
                                ),
                        );
                    } else {
                        tag_slugs.insert(tag, slug);
                    }
                }
            }
        });
        let check = f
            .table("check", |c| {
                c.check_keys(&["review_max_age_months"], |_| None);
                CheckConfig {
                    // Past 20 years the check means nothing, and date arithmetic far
                    // out of range would fail.
                    review_max_age_months: c
                        .int_in(
                            "review_max_age_months",
                            1..=240,
                            "个月",
                            "review_max_age_months = 12",
                        )
                        .unwrap_or(12),
                }
            })
            .unwrap_or(CheckConfig {
                review_max_age_months: 12,
            });

        let cards_title_default = format!("{region}防返贫监测帮扶明白卡");
        let cards = f
            .table("cards", |c| {
                c.check_keys(&["title", "output", "show_id", "show_risks"], |k| {
                    (k == "id" || k == "show_id_number").then(|| "the key is show_id = \"masked\"".to_string())
                });
                let show_id = c.string("show_id").unwrap_or_else(|| "none".into());
                if !["none", "masked"].contains(&show_id.as_str()) {
                    c.value_error(
                        "show_id",
                        format!("show_id = \"{show_id}\" is not allowed"),
                        "a full ID number is never printed: use \"none\" or \"masked\" (first 6 and last 4)",
                    );
                }
                let output = c.string("output").unwrap_or_else(|| "print-private".into());
                if Path::new(&output).is_absolute() || output.contains("..") || output.is_empty() {
                    c.value_error("output", "`output` must be a folder inside the handbook".into(), "output = \"print-private\"");
                }
                CardsConfig {
                    title: c.string("title").unwrap_or_else(|| cards_title_default.clone()),
                    output,
                    show_id,
                    show_risks: c.bool("show_risks").unwrap_or(false),
                }
            })
            .unwrap_or_else(|| CardsConfig {
                title: cards_title_default.clone(),
                output: "print-private".into(),
                show_id: "none".into(),
                show_risks: false,
            });
        let absolute = base_url.starts_with("http://") || base_url.starts_with("https://");
        let print = f
            .table("print", |p| {
                p.check_keys(
                    &["enabled", "cards", "handbook", "card_size", "fonts", "system_fonts", "expired_cards", "color"],
                    |_| None,
                );
                let d = PrintConfig::default();
                let card_size = p.string("card_size");
                if let Some(size) = &card_size
                    && !["A5", "A6"].contains(&size.to_ascii_uppercase().as_str())
                {
                    p.value_error("card_size", format!("card size `{size}` is not A5 or A6"), "card_size = \"A6\" (4 cards on an A4 sheet) or \"A5\" (2 cards)");
                }
                let expired_cards = p.string("expired_cards").unwrap_or(d.expired_cards.clone());
                if !["mark", "skip"].contains(&expired_cards.as_str()) {
                    p.value_error("expired_cards", format!("`{expired_cards}` is not \"mark\" or \"skip\""), "expired_cards = \"mark\" prints them with 已失效; \"skip\" leaves them out");
                }
                let color = match p.string("color") {
                    None => d.color,
                    Some(name) => PrintColor::named(&name).unwrap_or_else(|| {
                        p.value_error(
                            "color",
                            format!("印刷颜色 `{name}` 不认识：只能是 \"cmyk\"、\"gray\" 或 \"rgb\""),
                            "color = \"cmyk\"（彩色印刷，默认）、\"gray\"（只用黑墨印）或 \"rgb\"（屏幕和办公打印机）",
                        );
                        d.color
                    }),
                };
                PrintConfig {
                    color,
                    enabled: p.bool("enabled").unwrap_or(d.enabled),
                    cards: p.bool("cards").unwrap_or(d.cards),
                    handbook: p.bool("handbook").unwrap_or(d.handbook),
                    card_size,
                    fonts: p.strings("fonts").into_iter().map(Into::into).collect(),
                    system_fonts: p.bool("system_fonts").unwrap_or(d.system_fonts),
                    expired_cards,
                }
            })
            .unwrap_or_default();
        let edition = f
            .table("edition", |e| {
                e.check_keys(&["previous"], |_| None);
                EditionConfig {
                    previous: e.string("previous"),
                }
            })
            .unwrap_or_default();

        if !base_url.is_empty() && !absolute {
            diags.push(
                Diagnostic::error("`base_url` must be an absolute http(s) address")
                    .at(src, base_span.unwrap_or(0..0))
                    .with_hint("base_url = \"https://example.org/qinghe\" (used in QR codes, sitemap and feed)"),
            );
        }
        if output_dir.is_empty()
            || Path::new(&output_dir).is_absolute()
            || output_dir.contains("..")
        {
            diags.push(
                Diagnostic::error("`output_dir` must be a folder name inside the handbook")
                    .at(src, out_span.unwrap_or(0..0))
                    .with_hint("output_dir = \"public\""),
            );
        }
        if diags.iter().any(|d| d.is_error()) {
            return Err(diags);
        }
        Ok(SiteConfig {
            title,
            region,
            base_url: base_url.trim_end_matches('/').to_string(),
            theme,
            output_dir,
            hotlines,
            description,
            publisher,
            tag_slugs,
            check,
            print,
            cards,
            edition,
        })
    }

    /// The absolute address of a root-relative URL ("/jiaoyu/" → "https://…/jiaoyu/").
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.base_url, url)
    }

    /// The path part of `base_url` ("/qinghe/"), for pages that cannot use relative links.
    pub fn base_path(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map_or("", |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
        if rest.is_empty() {
            "/".into()
        } else {
            format!("/{}/", rest.trim_matches('/'))
        }
    }
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Points `d` at the value of `key` in site.toml: in `[table]`, or before any table
/// header when `table` is `None`; the whole file when the key is not written there.
pub(crate) fn locate_setting(
    path: &Path,
    table: Option<&str>,
    key: &str,
    d: Diagnostic,
) -> Diagnostic {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let src = SourceFile::new("site.toml", text);
    let mut current: Option<String> = None;
    let mut start = 0;
    for line in src.text.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let t = line.trim();
        if let Some(header) = t.strip_prefix('[') {
            current = Some(header.trim_end_matches(']').trim().to_string());
            continue;
        }
        let in_table = current.as_deref() == table;
        if let Some(rest) = t.strip_prefix(key)
            && in_table
            && rest.trim_start().starts_with('=')
        {
            let eq = line.find('=').map_or(0, |i| i + 1);
            let value = eq + line[eq..].len() - line[eq..].trim_start().len();
            let end = at + line.trim_end().len();
            return d.at(&src, at + value..end.max(at + value + 1));
        }
    }
    d.in_file("site.toml", 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(&SourceFile::new("site.toml", text.to_string()))
    }

    #[test]
    fn minimal_config() {
        let c = parse(
            "title = \"手册\"\nregion = \"青禾县\"\nbase_url = \"https://example.org/qinghe/\"\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://example.org/qinghe");
        assert_eq!(c.base_path(), "/qinghe/");
        assert_eq!(c.output_dir, "public");
        assert_eq!(
            c.permalink("/jiaoyu/"),
            "https://example.org/qinghe/jiaoyu/"
        );
    }

    #[test]
    fn print_color_modes() {
        let base = "title = \"手册\"\nregion = \"青禾县\"\nbase_url = \"https://example.org/q\"\n";
        assert_eq!(parse(base).unwrap().print.color, PrintColor::Cmyk);
        let c = parse(&format!("{base}[print]\ncolor = \"Grey\"\n")).unwrap();
        assert_eq!(c.print.color, PrintColor::Gray);
        let c = parse(&format!("{base}[print]\ncolor = \"rgb\"\n")).unwrap();
        assert_eq!(c.print.color, PrintColor::Rgb);
        let errs = parse(&format!("{base}[print]\ncolor = \"cmky\"\n")).unwrap_err();
        let all: String = errs.iter().map(|d| d.to_string()).collect();
        assert!(all.contains("印刷颜色 `cmky` 不认识"), "{all}");
        assert!(all.contains("site.toml:5"), "{all}");
    }

    #[test]
    fn all_problems_reported() {
        let errs =
            parse("titel = \"x\"\nbase_url = \"example.org\"\nhotlines = [{ name = \"a\" }]\n")
                .unwrap_err();
        let all: String = errs.iter().map(|d| d.to_string()).collect();
        assert!(all.contains("unknown key `titel`"), "{all}");
        assert!(all.contains("did you mean `title`?"), "{all}");
        assert!(all.contains("missing required key `region`"), "{all}");
        assert!(all.contains("missing required key `phone`"), "{all}");
        assert!(all.contains("absolute http(s)"), "{all}");
    }
}
