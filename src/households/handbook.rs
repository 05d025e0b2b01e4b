//! What household cards need of the handbook: its policies (titles, aliases, summaries,
//! standards, offices, phones, addresses), hotlines, address and `[cards]` settings.
//! It comes from the handbook's source folder, or from the `policies.json` that `build`
//! publishes beside the site, so a village cadre prints without the source. The file
//! holds no personal data; [`PolicyIndex`] matches a sheet's 享受政策 items to it.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::CardsConfig;
use crate::content::Kind;
use crate::site::Site;

/// The published file's name, at the site's root.
pub(crate) const FILE: &str = "policies.json";
const FORMAT: &str = "mingbai-policies/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Policy {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: String,
    /// The handbook's 补助标准.
    #[serde(default)]
    pub standard: Option<String>,
    #[serde(default)]
    pub office: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// The policy's page, absolute.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct HotlineJson {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CardsJson {
    pub title: String,
    #[serde(default)]
    pub show_id: crate::config::IdDisplay,
    #[serde(default)]
    pub show_risks: bool,
}

/// The handbook as household cards see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Handbook {
    pub format: String,
    pub title: String,
    pub region: String,
    /// Without a trailing slash.
    pub base_url: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub hotlines: Vec<HotlineJson>,
    pub cards: CardsJson,
    pub policies: Vec<Policy>,
}

impl Handbook {
    pub(crate) fn from_site(site: &Site) -> Handbook {
        let c = &site.config;
        Handbook {
            format: FORMAT.into(),
            title: c.title.clone(),
            region: c.region.clone(),
            base_url: c.base_url.clone(),
            publisher: c.publisher.clone(),
            hotlines: c
                .hotlines
                .iter()
                .map(|h| HotlineJson {
                    name: h.name.clone(),
                    phone: h.phone.clone(),
                })
                .collect(),
            cards: cards_json(&c.cards),
            policies: site
                .entries
                .iter()
                .filter(|n| n.entry.kind == Kind::Policy)
                .map(|n| {
                    let p = n.entry.policy();
                    Policy {
                        id: n.entry.id.clone(),
                        title: n.entry.title.clone(),
                        aliases: p.map(|p| p.aliases.clone()).unwrap_or_default(),
                        summary: n.entry.summary().to_string(),
                        standard: p.and_then(|p| p.amount.clone()),
                        office: p.and_then(|p| p.office.clone()),
                        phone: p.and_then(|p| p.phone.clone()),
                        url: c.permalink(&n.url),
                    }
                })
                .collect(),
        }
    }

    /// The published form (pretty, stable order: it is diffed and downloaded).
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a downloaded `policies.json`, with the cadre's fix when it is not one.
    pub(crate) fn from_file(path: &Path) -> Result<Handbook, String> {
        let bytes = std::fs::read(path).map_err(|e| {
            tr!(
                "households-handbook-unreadable",
                file = path.display(),
                error = e
            )
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_start_matches('\u{feff}');
        let hb: Handbook = serde_json::from_str(text).map_err(|e| {
            tr!(
                "households-handbook-not-list",
                file = path.display(),
                line = e.line(),
                column = e.column(),
                error = e,
                name = FILE
            )
        })?;
        if hb.format != FORMAT {
            return Err(tr!(
                "households-handbook-format",
                file = path.display(),
                format = &hb.format,
                expected = FORMAT,
                name = FILE
            ));
        }
        Ok(hb)
    }

    pub(crate) fn site_url(&self) -> String {
        format!("{}/", self.base_url)
    }
}

fn cards_json(c: &CardsConfig) -> CardsJson {
    CardsJson {
        title: c.title.clone(),
        show_id: c.show_id,
        show_risks: c.show_risks,
    }
}

/// How a 享受政策 item matched the handbook.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Match {
    Found(usize),
    /// Not in the handbook, but one or two characters from a name that is: a typo.
    Near(String),
    /// A name shared by several policies.
    Ambiguous(Vec<String>),
    /// Not in the handbook at all: a local policy, printed as written.
    Unknown,
}

/// Policy titles, aliases and ids of the handbook, for matching sheet items.
pub(crate) struct PolicyIndex {
    names: HashMap<String, Vec<usize>>,
    all: Vec<String>,
}

impl PolicyIndex {
    pub(crate) fn new(hb: &Handbook) -> PolicyIndex {
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        let mut all = Vec::new();
        for (i, p) in hb.policies.iter().enumerate() {
            let keys = std::iter::once(&p.title)
                .chain(std::iter::once(&p.id))
                .chain(p.aliases.iter());
            for k in keys {
                let list = names.entry(key(k)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
            all.push(p.title.clone());
            all.extend(p.aliases.iter().cloned());
        }
        all.sort();
        all.dedup();
        PolicyIndex { names, all }
    }

    pub(crate) fn find(&self, name: &str, hb: &Handbook) -> Match {
        match self.names.get(&key(name)).map(Vec::as_slice) {
            Some([one]) => Match::Found(*one),
            Some(many) => {
                Match::Ambiguous(many.iter().map(|&i| hb.policies[i].title.clone()).collect())
            }
            None => match nearest(name, &self.all) {
                Some(s) => Match::Near(s.to_string()),
                None => Match::Unknown,
            },
        }
    }
}

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// The closest name within a small edit distance: one character for short names, two
/// for longer ones (Chinese policy names are short, and a local policy that merely
/// shares a word, 公益岗位补贴 beside 残疾人两项补贴, is no typo).
fn nearest<'a>(word: &str, names: &'a [String]) -> Option<&'a str> {
    let w = key(word);
    let len = w.chars().count();
    let allowed = if len >= 6 { 2 } else { 1 };
    names
        .iter()
        .map(|n| (strsim::levenshtein(&w, &key(n)), n))
        .filter(|(d, n)| *d <= allowed && *d < n.chars().count().min(len))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hb() -> Handbook {
        let p = |id: &str, title: &str, aliases: &[&str]| Policy {
            id: id.into(),
            title: title.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            summary: String::new(),
            standard: None,
            office: None,
            phone: None,
            url: format!("https://x/{id}/"),
        };
        Handbook {
            format: FORMAT.into(),
            title: "t".into(),
            region: "青禾县".into(),
            base_url: "https://x".into(),
            publisher: None,
            hotlines: vec![],
            cards: CardsJson {
                title: "卡".into(),
                show_id: crate::config::IdDisplay::None,
                show_risks: false,
            },
            policies: vec![
                p(
                    "xindai/xiaoe",
                    "脱贫人口小额信贷",
                    &["两免贷款", "小额信贷"],
                ),
                p("shbz/canji", "残疾人两项补贴", &[]),
                p("shbz/dibao", "农村低保", &["低保"]),
            ],
        }
    }

    #[test]
    fn typos_are_near_and_local_policies_unknown() {
        let hb = hb();
        let ix = PolicyIndex::new(&hb);
        assert_eq!(ix.find("两免贷款", &hb), Match::Found(0));
        assert_eq!(ix.find("xindai/xiaoe", &hb), Match::Found(0));
        assert_eq!(ix.find("两免代款", &hb), Match::Near("两免贷款".into()));
        assert_eq!(ix.find("公益岗位补贴", &hb), Match::Unknown);
        assert_eq!(ix.find("村级光伏收益分红", &hb), Match::Unknown);
        assert_eq!(ix.find("医保资助", &hb), Match::Unknown);
        // One character against a two-character name is not a typo of it.
        assert_eq!(ix.find("低", &hb), Match::Unknown);
    }

    #[test]
    fn the_published_list_reads_back() {
        let hb = hb();
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join(FILE);
        std::fs::write(&f, hb.to_json()).unwrap();
        let back = Handbook::from_file(&f).unwrap();
        assert_eq!(back.policies.len(), 3);
        assert_eq!(back.policies[0].aliases, ["两免贷款", "小额信贷"]);
        std::fs::write(&f, "{\"title\": 1}").unwrap();
        assert!(
            Handbook::from_file(&f)
                .unwrap_err()
                .contains("不是 mingbai 发布的政策清单")
        );
    }
}
