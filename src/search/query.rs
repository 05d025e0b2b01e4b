//! Queries against the index in memory: the rules search.js follows in the browser,
//! kept here so that tests can hold them (which entries a query finds, in which order).

use std::collections::BTreeSet;

use super::pinyin;
use super::tokens::{contains_units, query_tokens, units};
use super::{BODY, Index, PINYIN, SUMMARY, TITLE};

impl Index {
    /// Entries matching `q`, best first: (doc, field of the best match). Candidates
    /// from the postings are confirmed against the text, so a query matches exactly
    /// where its characters stand together. A query of Latin letters is also read as
    /// pinyin of titles, aliases and tags; those hits come after every character hit.
    pub(crate) fn query(&self, q: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let toks = query_tokens(q);
        if toks.is_empty() {
            return out;
        }
        let needle: Vec<Option<String>> = units(q);
        for field in [TITLE, SUMMARY, BODY] {
            for d in self.candidates(&toks, field) {
                let d = d as usize;
                if out.iter().any(|(x, _)| *x == d) {
                    continue;
                }
                if contains_units(&units(&self.docs[d].fields[field]), &needle) {
                    out.push((d, field));
                }
            }
        }
        for (d, _) in self.pinyin_hits(q) {
            if !out.iter().any(|(x, _)| *x == d) {
                out.push((d, PINYIN));
            }
        }
        out
    }

    /// The documents whose `field` list holds every one of `toks`.
    fn candidates(&self, toks: &[String], field: usize) -> Vec<u32> {
        let mut cand: Option<Vec<u32>> = None;
        for t in toks {
            let list: &[u32] = self.postings.get(t).map_or(&[], |l| &l[field]);
            cand = Some(match cand {
                None => list.to_vec(),
                Some(c) => c
                    .into_iter()
                    .filter(|d| list.binary_search(d).is_ok())
                    .collect(),
            });
        }
        cand.unwrap_or_default()
    }

    /// Pinyin hits, titles and aliases first, then tags: (doc, where it matched as
    /// `pinyin::find` tells).
    pub(crate) fn pinyin_hits(&self, q: &str) -> Vec<(usize, (usize, usize, usize))> {
        let Some(q) = pinyin::query(q) else {
            return Vec::new();
        };
        let ways = pinyin::ways(&q, &self.syllables());
        let mut out: Vec<(usize, (usize, usize, usize))> = Vec::new();
        // Title and alias syllables are in the first list, tags' in the second.
        for field in [TITLE, SUMMARY] {
            let mut cand: BTreeSet<u32> = BTreeSet::new();
            for way in &ways {
                cand.extend(self.candidates(&pinyin::way_tokens(way), field));
            }
            for d in cand {
                let d = d as usize;
                if out.iter().any(|(x, _)| *x == d) {
                    continue;
                }
                if let Some(at) = pinyin::find(&self.docs[d].pinyin, &ways) {
                    out.push((d, at));
                }
            }
        }
        out
    }

    /// The syllables the index holds, as the manifest lists them for search.js.
    pub(crate) fn syllables(&self) -> BTreeSet<String> {
        pinyin::syllables(self.postings.keys().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Doc;
    use super::*;

    fn doc(id: &str, title: &str, section: &str, aliases: &[&str], tags: &[&str]) -> Doc {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Doc::new(
            format!("/{id}/"),
            id.into(),
            [
                title.into(),
                section.into(),
                "符合条件的农户可以申请。".into(),
                String::new(),
            ],
            "按规定办理。".into(),
            own(aliases),
            own(tags),
        )
    }

    fn index() -> Index {
        Index::build(vec![
            doc(
                "a/p0001",
                "青禾镇贷款对象实施细则",
                "金融信贷",
                &[],
                &["扶贫小额信贷", "过渡期政策"],
            ),
            doc("b/p0002", "中国人民银行贴息办法", "金融信贷", &[], &[]),
            doc(
                "c/p0003",
                "重度残疾人护理补贴",
                "兜底保障",
                &["两项补贴"],
                &["残疾人"],
            ),
            doc("d/p0004", "农村低保户认定", "兜底保障", &[], &["低保"]),
            doc("e/xiaoe", "小额贷款贴息", "金融信贷", &[], &[]),
            doc("f/p0006", "学前教育资助", "教育帮扶", &[], &[]),
        ])
    }

    fn find(q: &str) -> Vec<(usize, usize)> {
        index().query(q)
    }

    #[test]
    fn a_tag_alone_finds_the_entry() {
        assert_eq!(find("小额信贷"), vec![(0, SUMMARY)]);
    }

    #[test]
    fn a_chapter_title_finds_its_entries() {
        assert_eq!(
            find("金融信贷"),
            vec![(0, SUMMARY), (1, SUMMARY), (4, SUMMARY)]
        );
    }

    #[test]
    fn traditional_queries() {
        assert_eq!(find("貸款"), vec![(0, TITLE), (4, TITLE)]);
        assert_eq!(find("銀行"), vec![(1, TITLE)]);
    }

    #[test]
    fn pinyin_full_initials_polyphones_and_ids() {
        // The id e/xiaoe is a title-field hit (小额 of its title the same entry); the tag
        // 扶贫小额信贷 of the first entry a pinyin hit after it.
        assert_eq!(find("xiaoe"), vec![(4, TITLE), (0, PINYIN)]);
        assert_eq!(find("xedk"), vec![(4, PINYIN)]);
        assert_eq!(find("dbh"), vec![(3, PINYIN)]);
        assert_eq!(find("yinhang"), vec![(1, PINYIN)]);
        assert_eq!(find("yinh"), vec![(1, PINYIN)]);
        assert!(find("yinxing").is_empty());
        assert_eq!(find("zhongdu"), vec![(2, PINYIN)]);
        assert!(find("chongdu").is_empty());
        // Aliases and tags too; the tag ranks after titles.
        assert_eq!(find("lxbt"), vec![(2, PINYIN)]);
        assert_eq!(find("fpxexd"), vec![(0, PINYIN)]);
        assert_eq!(find("p0004"), vec![(3, TITLE)]);
    }

    #[test]
    fn queries_that_must_not_match() {
        for q in ["信贷小额", "xdxe", "xiaoexinx", "dbhh", "yx", "jrxd"] {
            assert!(find(q).is_empty(), "{q}: {:?}", find(q));
        }
        // Pinyin reads names only, not the text: 符合条件 is in every summary.
        assert!(find("fuhetiaojian").is_empty());
    }

    #[test]
    fn pinyin_hits_rank_after_character_hits() {
        let idx = Index::build(vec![
            doc("a/1", "贷款", "", &[], &[]),
            doc("b/2", "其他", "", &[], &[]),
            doc("c/daikuan", "其他", "", &[], &[]),
        ]);
        assert_eq!(idx.query("daikuan"), vec![(2, TITLE), (0, PINYIN)]);
    }
}
