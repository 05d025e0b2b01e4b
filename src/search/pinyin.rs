//! Pinyin search over titles, aliases and tags (not the text: a phone keyboard's
//! "xiaoe" means a name, and pinyin of whole bodies would triple the index). Each entry
//! keeps its names as syllables ("tuo pin ren kou xiao e xin dai"); a query of Latin
//! letters matches a run of them where each piece of the query is a whole syllable, an
//! initial (x, zh), or, last, the start of one: xiaoe, xedk, xiaoexind all find 小额信贷.
//!
//! The index holds, per run of syllables, each syllable ("~xiao"), each pair of
//! syllables ("~xiao'e") and each pair of initials ("^xe"); a query is cut into pieces
//! every way the syllables allow, and each way needs its pairs. Candidates are then
//! checked against the syllables, here and in search.js, by the same rules.

use pinyin::ToPinyin;

use super::fold::fold;
use crate::markdown::is_han;

/// Words whose reading differs from their characters' first reading, in the handbook's
/// vocabulary: the pinyin crate gives each character its most common reading, which is
/// wrong for 行 in 银行 or 还 in 还款. Longest word first wins.
const WORDS: &[(&str, &str)] = &[
    ("银行", "yin hang"),
    ("支行", "zhi hang"),
    ("分行", "fen hang"),
    ("商行", "shang hang"),
    ("行业", "hang ye"),
    ("重度", "zhong du"),
    ("重点", "zhong dian"),
    ("重大", "zhong da"),
    ("重特大", "zhong te da"),
    ("重病", "zhong bing"),
    ("重新", "chong xin"),
    ("重建", "chong jian"),
    ("重复", "chong fu"),
    ("长期", "chang qi"),
    ("长效", "chang xiao"),
    ("延长", "yan chang"),
    ("还款", "huan kuan"),
    ("还贷", "huan dai"),
    ("户还", "hu huan"),
    ("偿还", "chang huan"),
    ("归还", "gui huan"),
    ("还本", "huan ben"),
    ("单人", "dan ren"),
    ("调查", "diao cha"),
    ("调整", "tiao zheng"),
    ("调解", "tiao jie"),
    ("利率", "li lv"),
    ("会计", "kuai ji"),
    ("给予", "ji yu"),
    ("供给", "gong ji"),
    ("干部", "gan bu"),
    ("种植", "zhong zhi"),
    ("种养", "zhong yang"),
    ("参保", "can bao"),
    ("参加", "can jia"),
    ("处置", "chu zhi"),
    ("处理", "chu li"),
    ("寄宿", "ji su"),
    ("住宿", "zhu su"),
    ("省级", "sheng ji"),
    ("中转", "zhong zhuan"),
    ("担保", "dan bao"),
    ("传染", "chuan ran"),
    ("间断", "jian duan"),
    ("期间", "qi jian"),
    ("朝阳", "zhao yang"),
    ("曾经", "ceng jing"),
];

/// The syllables of one run of Han characters in `text`, per run; other characters
/// (punctuation, Latin words, numbers) end a run. Traditional characters read as their
/// Simplified forms.
pub(crate) fn runs(text: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_han(chars[i]) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            i += 1;
            continue;
        }
        if let Some((w, read)) = WORDS
            .iter()
            .filter(|(w, _)| starts_with(&chars[i..], w))
            .max_by_key(|(w, _)| w.chars().count())
        {
            cur.extend(read.split(' ').map(String::from));
            i += w.chars().count();
            continue;
        }
        let s = chars[i]
            .to_pinyin()
            .map(|p| p.plain().replace('ü', "v"))
            // A character without a reading still stands in the run, so that the
            // syllables stay one per character (search.js highlights by position).
            .unwrap_or_else(|| "?".into());
        cur.push(s);
        i += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn starts_with(chars: &[char], w: &str) -> bool {
    let mut n = 0;
    for (a, b) in chars.iter().zip(w.chars()) {
        if *a != b {
            return false;
        }
        n += 1;
    }
    n == w.chars().count()
}

/// An entry's names as the browser checks them: segments (title, aliases…, tags…)
/// joined by "|", runs by ",", syllables by " ".
pub(crate) fn encode(segments: &[&str]) -> String {
    segments
        .iter()
        .map(|s| {
            runs(s)
                .iter()
                .map(|r| r.join(" "))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The index tokens of an encoded segment list (see the module doc).
pub(crate) fn tokens(encoded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in encoded.split(['|', ',']) {
        let syl: Vec<&str> = run.split(' ').filter(|s| !s.is_empty()).collect();
        for (k, s) in syl.iter().enumerate() {
            out.push(format!("~{s}"));
            if let Some(next) = syl.get(k + 1) {
                out.push(format!("~{s}'{next}"));
                out.push(format!("^{}{}", initial(s), initial(next)));
            }
        }
    }
    out
}

fn initial(s: &str) -> char {
    s.chars().next().unwrap_or('?')
}

#[cfg(test)]
/// How a piece of a query matches a syllable.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// The whole syllable.
    Full(String),
    /// Its initial: a letter, or zh, ch, sh.
    Initial(String),
    /// The start of a syllable (the last piece only: the word being typed).
    Prefix(String),
}

#[cfg(test)]
impl Piece {
    fn text(&self) -> &str {
        match self {
            Piece::Full(s) | Piece::Initial(s) | Piece::Prefix(s) => s,
        }
    }

    fn matches(&self, syllable: &str) -> bool {
        match self {
            Piece::Full(s) => s == syllable,
            Piece::Initial(s) | Piece::Prefix(s) => syllable.starts_with(s.as_str()),
        }
    }
}

#[cfg(test)]
/// Ways of cutting a query, at most this many: enough for any real query, a bound on
/// what a long run of letters costs.
const MAX_WAYS: usize = 32;

#[cfg(test)]
/// A pinyin query, lowercased, without spaces or apostrophes; `None` when `q` is not
/// made of Latin letters, or is too short to mean anything.
pub(crate) fn query(q: &str) -> Option<String> {
    let q: String = q
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '\'')
        .collect();
    (q.len() >= 2 && q.bytes().all(|b| b.is_ascii_alphabetic())).then(|| q.to_ascii_lowercase())
}

#[cfg(test)]
/// Every way to cut `q` into pieces, whole syllables first (longest first), given the
/// syllables the index holds; the same order and bound as search.js.
pub(crate) fn ways(q: &str, syllables: &std::collections::BTreeSet<String>) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    cut(q, syllables, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
fn cut(
    rest: &str,
    syl: &std::collections::BTreeSet<String>,
    have: &mut Vec<Piece>,
    out: &mut Vec<Vec<Piece>>,
) {
    if out.len() >= MAX_WAYS {
        return;
    }
    if rest.is_empty() {
        // A single piece must be a whole syllable: "x" alone would match half the site.
        if have.len() > 1 || matches!(have.first(), Some(Piece::Full(_))) {
            out.push(have.clone());
        }
        return;
    }
    let mut options = Vec::new();
    for len in (1..=rest.len().min(6)).rev() {
        if syl.contains(&rest[..len]) {
            options.push(Piece::Full(rest[..len].to_string()));
        }
    }
    for len in [2, 1] {
        let p = &rest[..len.min(rest.len())];
        if p.len() == len
            && (len == 1 || ["zh", "ch", "sh"].contains(&p))
            && syl.iter().any(|s| s.starts_with(p))
        {
            options.push(Piece::Initial(p.to_string()));
        }
    }
    if rest.len() >= 2
        && !syl.contains(rest)
        && !["zh", "ch", "sh"].contains(&rest)
        && syl.iter().any(|s| s.starts_with(rest))
    {
        options.push(Piece::Prefix(rest.to_string()));
    }
    for p in options {
        let len = p.text().len();
        have.push(p);
        cut(&rest[len..], syl, have, out);
        have.pop();
    }
}

#[cfg(test)]
/// The tokens every entry matching a way of cutting holds.
pub(crate) fn way_tokens(way: &[Piece]) -> Vec<String> {
    if let [Piece::Full(s)] = way {
        return vec![format!("~{s}")];
    }
    way.windows(2)
        .map(|w| match (&w[0], &w[1]) {
            (Piece::Full(a), Piece::Full(b)) => format!("~{a}'{b}"),
            (a, b) => format!("^{}{}", initial(a.text()), initial(b.text())),
        })
        .collect()
}

#[cfg(test)]
/// Where a way of cutting matches an encoded entry: the segment, the first character
/// (counted among the segment's Han characters) and how many.
pub(crate) fn find(encoded: &str, ways: &[Vec<Piece>]) -> Option<(usize, usize, usize)> {
    for way in ways {
        for (g, segment) in encoded.split('|').enumerate() {
            let mut before = 0;
            for run in segment.split(',') {
                let syl: Vec<&str> = run.split(' ').filter(|s| !s.is_empty()).collect();
                for start in 0..syl.len() {
                    if syl.len() - start >= way.len()
                        && way.iter().zip(&syl[start..]).all(|(p, s)| p.matches(s))
                    {
                        return Some((g, before + start, way.len()));
                    }
                }
                before += syl.len();
            }
        }
    }
    None
}

/// The syllables among index tokens.
pub(crate) fn syllables<'a>(
    tokens: impl Iterator<Item = &'a str>,
) -> std::collections::BTreeSet<String> {
    tokens
        .filter_map(|t| t.strip_prefix('~'))
        .filter(|s| !s.contains('\''))
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syllables(texts: &[&str]) -> std::collections::BTreeSet<String> {
        texts
            .iter()
            .flat_map(|t| runs(t).into_iter().flatten())
            .collect()
    }

    #[test]
    fn polyphones_of_the_handbook() {
        assert_eq!(
            runs("中国人民银行"),
            vec![vec!["zhong", "guo", "ren", "min", "yin", "hang"]]
        );
        assert_eq!(runs("重度残疾"), vec![vec!["zhong", "du", "can", "ji"]]);
        assert_eq!(runs("户借、户用、户还")[2], vec!["hu", "huan"]);
        assert_eq!(runs("脫貧"), vec![vec!["tuo", "pin"]]);
        assert_eq!(runs("（2025年）绿色"), vec![vec!["nian"], vec!["lv", "se"]]);
    }

    #[test]
    fn ways_of_cutting() {
        let syl = syllables(&["小额信贷", "贷款", "西奥"]);
        let ways = ways("xiaoe", &syl);
        assert_eq!(
            ways[0],
            vec![Piece::Full("xiao".into()), Piece::Full("e".into())]
        );
        assert_eq!(way_tokens(&ways[0]), vec!["~xiao'e"]);
        let w = super::ways("xedk", &syl);
        assert!(!w.is_empty());
        assert_eq!(way_tokens(&w[0]), vec!["^xe", "^ed", "^dk"]);
        assert!(super::ways("x", &syl).is_empty());
        assert_eq!(query(" Xiao'e "), Some("xiaoe".into()));
        assert_eq!(query("贷款"), None);
        assert_eq!(query("x"), None);
    }

    #[test]
    fn matching_names() {
        let enc = encode(&["脱贫人口小额信贷", "两免贷款", "扶贫小额信贷"]);
        let syl = syllables(&["脱贫人口小额信贷两免贷款扶贫"]);
        let at = |q: &str| find(&enc, &ways(q, &syl));
        assert_eq!(at("xiaoe"), Some((0, 4, 2)));
        assert_eq!(at("lmdk"), Some((1, 0, 4)));
        assert_eq!(at("xiaoexind"), Some((0, 4, 4)));
        assert_eq!(at("tuopinr"), Some((0, 0, 3)));
        assert_eq!(at("xiaoedai"), None);
        assert_eq!(at("dkxe"), None);
        for t in tokens(&enc) {
            assert!(t.starts_with('~') || t.starts_with('^'), "{t}");
        }
    }
}
