//! `site.toml`: the handbook's settings (see `docs/content-model.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::fields::{Fields, parse_table};

mod print;

pub(crate) use print::{CardSize, ExpiredCards, PrintColor, PrintConfig, Punctuation, TypeSize};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Hotline {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteConfig {
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
    pub search: SearchConfig,
    /// Problems that do not stop the build (site.toml was GBK, placeholders left
    /// from `init`), shown with the content's.
    #[serde(skip)]
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// `[search]`: the site's full-text search (index files and the search page).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchConfig {
    /// `enabled = false` leaves the index and the search page out (`--no-search` for
    /// one build).
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[edition]`: the previous edition this one is compared with (修订说明, marks,
/// the cards to reprint).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct EditionConfig {
    /// A handbook folder or a git revision (tag, branch, commit) of this one.
    pub previous: Option<String>,
}

/// `[cards]`: household cards (户明白卡), printed by `mingbai cards`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardsConfig {
    /// The card's title ("2026年度青禾县防返贫监测帮扶明白卡").
    pub title: String,
    /// Where cards are written, relative to the handbook; never inside the site output.
    pub output: String,
    /// "none" (default) or "masked" (421123********123X): a full ID is never printed.
    pub show_id: IdDisplay,
    /// Print 风险类型 (因病, 因残…): sensitive personal information, off by default
    /// because cards hang on walls.
    pub show_risks: bool,
}

/// `[cards] show_id`: how a household card shows the ID number (never in full).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum IdDisplay {
    /// Not at all (the default: cards hang on walls).
    #[default]
    None,
    /// The first six and last four characters (421123********123X).
    Masked,
}

impl IdDisplay {
    pub(crate) fn parse(s: &str) -> Option<IdDisplay> {
        match s.trim() {
            "none" => Some(IdDisplay::None),
            "masked" => Some(IdDisplay::Masked),
            _ => None,
        }
    }

    /// The setting's value, as templates and policies.json see it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            IdDisplay::None => "none",
            IdDisplay::Masked => "masked",
        }
    }
}

/// `[check]`: thresholds for `mingbai check` warnings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CheckConfig {
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
    "search",
];

impl SiteConfig {
    /// Reads `site.toml` under `root`; all problems are returned as diagnostics.
    pub(crate) fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(tr!("config-unreadable", error = e))
                        .in_file("site.toml", 1, 1)
                        .with_hint(tr!("config-unreadable-hint", root = root.display())),
                ]);
            }
        };
        // A site.toml saved as GBK is read (with a warning), not refused: the hint
        // about handbook folders was for a missing file, not a misencoded one.
        let (text, warning) =
            crate::diagnostics::decode_text(bytes, Path::new("site.toml")).map_err(|d| vec![d])?;
        let src = SourceFile::new("site.toml", text);
        let invisible = crate::diagnostics::invisible_chars(&src);
        if !invisible.is_empty() {
            return Err(invisible);
        }
        let mut config = Self::parse(&src)?;
        config.warnings.extend(warning);
        Ok(config)
    }

    pub(crate) fn parse(src: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
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
                            Diagnostic::error(tr!("config-tag-slug", slug = slug))
                                .at(src, span)
                                .with_hint(tr!("config-tag-slug-hint")),
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
                    (k == "id" || k == "show_id_number").then(|| tr!("config-show-id-key"))
                });
                let shown = c.string("show_id");
                let show_id = shown
                    .as_deref()
                    .map_or(Some(IdDisplay::None), IdDisplay::parse);
                if let (Some(show_id), None) = (&shown, show_id) {
                    c.value_error(
                        "show_id",
                        tr!("config-show-id", value = show_id),
                        &tr!("config-show-id-hint"),
                    );
                }
                let output = c.string("output").unwrap_or_else(|| "print-private".into());
                if Path::new(&output).is_absolute() || output.contains("..") || output.is_empty() {
                    c.value_error(
                        "output",
                        tr!("config-cards-output"),
                        "output = \"print-private\"",
                    );
                }
                CardsConfig {
                    title: c
                        .string("title")
                        .unwrap_or_else(|| cards_title_default.clone()),
                    output,
                    show_id: show_id.unwrap_or_default(),
                    show_risks: c.bool("show_risks").unwrap_or(false),
                }
            })
            .unwrap_or_else(|| CardsConfig {
                title: cards_title_default.clone(),
                output: "print-private".into(),
                show_id: IdDisplay::None,
                show_risks: false,
            });
        let absolute = base_url.starts_with("http://") || base_url.starts_with("https://");
        let print = f
            .table("print", |p| {
                p.check_keys(
                    &[
                        "enabled",
                        "cards",
                        "handbook",
                        "card_size",
                        "fonts",
                        "system_fonts",
                        "expired_cards",
                        "type_size",
                        "punctuation",
                        "han_latin_space",
                        "color",
                    ],
                    |_| None,
                );
                let d = PrintConfig::default();
                let card_size = p.string("card_size").and_then(|size| {
                    let parsed = CardSize::parse(&size);
                    if parsed.is_none() {
                        p.value_error(
                            "card_size",
                            tr!("config-card-size", size = size),
                            &tr!("config-card-size-hint"),
                        );
                    }
                    parsed
                });
                let expired_cards = match p.string("expired_cards") {
                    None => d.expired_cards,
                    Some(value) => ExpiredCards::parse(&value).unwrap_or_else(|| {
                        p.value_error(
                            "expired_cards",
                            tr!("config-expired-cards", value = value),
                            &tr!("config-expired-cards-hint"),
                        );
                        d.expired_cards
                    }),
                };
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
                let type_size = match p.string("type_size") {
                    None => d.type_size,
                    Some(v) => TypeSize::parse(&v).unwrap_or_else(|| {
                        p.value_error("type_size", format!("type_size = \"{v}\" 不认识：只能是 \"standard\"（标准版）或 \"large\"（大字版）"), "type_size = \"large\" 印大字版（正文 14 磅以上，A5 卡片）；不写就是标准版");
                        d.type_size
                    }),
                };
                let punctuation = match p.string("punctuation").as_deref() {
                    None | Some("quanjiao") => Punctuation::Quanjiao,
                    Some("kaiming") => Punctuation::Kaiming,
                    Some("none") => Punctuation::None,
                    Some(other) => {
                        p.value_error("punctuation", format!("标点设置 `{other}` 不认识：只能是 \"quanjiao\"（全角式）、\"kaiming\"（开明式）或 \"none\"（不挤压）"), "punctuation = \"quanjiao\"（相邻标点和行尾标点挤压成半个字宽，一般用这个）");
                        d.punctuation
                    }
                };
                let han_latin_space = p
                    .float_in("han_latin_space", 0.0..=0.5, " 个字宽", "han_latin_space = 0.25（汉字和字母、数字之间空四分之一个字宽；0 为不空）")
                    .map_or(d.han_latin_space, |v| v as f32);
                PrintConfig {
                    color,
                    type_size,
                    enabled: p.bool("enabled").unwrap_or(d.enabled),
                    cards: p.bool("cards").unwrap_or(d.cards),
                    handbook: p.bool("handbook").unwrap_or(d.handbook),
                    card_size,
                    fonts: p.strings("fonts").into_iter().map(Into::into).collect(),
                    system_fonts: p.bool("system_fonts").unwrap_or(d.system_fonts),
                    expired_cards,
                    punctuation,
                    han_latin_space,
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
        let search = f
            .table("search", |t| {
                t.check_keys(&["enabled"], |_| None);
                SearchConfig {
                    enabled: t.bool("enabled").unwrap_or(true),
                }
            })
            .unwrap_or_default();

        if !base_url.is_empty() && !absolute {
            diags.push(
                Diagnostic::error(tr!("config-base-url"))
                    .at(src, base_span.clone().unwrap_or(0..0))
                    .with_hint(tr!("config-base-url-hint")),
            );
        }
        if output_dir.is_empty()
            || Path::new(&output_dir).is_absolute()
            || output_dir.contains("..")
        {
            diags.push(
                Diagnostic::error(tr!("config-output-dir"))
                    .at(src, out_span.unwrap_or(0..0))
                    .with_hint("output_dir = \"public\""),
            );
        }
        if diags.iter().any(|d| d.is_error()) {
            return Err(diags);
        }
        let mut warnings = Vec::new();
        // `init`'s placeholder would put example.org in every card's QR code.
        if is_placeholder_url(&base_url) {
            warnings.push(
                Diagnostic::warning(tr!("config-placeholder-url", url = base_url.clone()))
                    .at(src, base_span.unwrap_or(0..0))
                    .with_hint(tr!("config-placeholder-url-hint")),
            );
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
            search,
            warnings,
        })
    }

    /// The absolute address of a root-relative URL ("/jiaoyu/" → "https://…/jiaoyu/").
    pub(crate) fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.base_url, url)
    }

    /// The path part of `base_url` ("/qinghe/"), for pages that cannot use relative links.
    pub(crate) fn base_path(&self) -> String {
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

/// The example addresses of `init` and the docs (example.org, example.com, …).
fn is_placeholder_url(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ["example.org", "example.com", "example.net"]
        .iter()
        .any(|e| host == *e || host.ends_with(&format!(".{e}")))
}

pub(crate) fn is_slug(s: &str) -> bool {
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
        assert!(all.contains("不认识的字段「titel」"), "{all}");
        assert!(all.contains("是不是「title」？"), "{all}");
        assert!(all.contains("缺少必填的字段「region」"), "{all}");
        assert!(all.contains("缺少必填的字段「phone」"), "{all}");
        assert!(all.contains("http"), "{all}");
    }

    #[test]
    fn punctuation_and_han_latin_space() {
        let base = "title = \"手册\"\nregion = \"青禾县\"\nbase_url = \"https://example.org/q\"\n";
        let c = parse(base).unwrap();
        assert_eq!(c.print.punctuation, Punctuation::Quanjiao);
        assert_eq!(c.print.han_latin_space, 0.25);
        let c = parse(&format!(
            "{base}[print]\npunctuation = \"kaiming\"\nhan_latin_space = 0\n"
        ))
        .unwrap();
        assert_eq!(c.print.punctuation, Punctuation::Kaiming);
        assert_eq!(c.print.han_latin_space, 0.0);
        let errs = parse(&format!("{base}[print]\npunctuation = \"half\"\n")).unwrap_err();
        let all: String = errs.iter().map(|d| d.to_string()).collect();
        assert!(all.contains("标点设置 `half` 不认识"), "{all}");
    }
}
