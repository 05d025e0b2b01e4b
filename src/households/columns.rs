//! The sheet's columns, found by header name or alias (never by position), and the
//! header row itself, found below any title rows. [`COLUMNS`] is the one alias table
//! (documented in docs/households.md, which a test keeps in step with it). Headers
//! that are one slip away from a known name are reported with a did-you-mean, and
//! [`Columns::report`] says which column was taken for each field and which were
//! ignored, so a cadre sees at a glance that 驻村工作队长 came from 第一书记.

use std::collections::HashMap;

use super::sheet::{Cell, Grid, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Col {
    HouseholdId,
    Town,
    Village,
    Group,
    /// 户主姓名: the head's name (on a per-person sheet it only groups and cross-checks).
    HeadName,
    /// 姓名: the person of the row.
    Name,
    Relation,
    IdNumber,
    Size,
    Kind,
    Risk,
    Helper,
    HelperPhone,
    Leader,
    LeaderPhone,
    Policies,
    Measures,
    Notes,
    /// The household's own phone: recognised so it is not mistaken, never printed.
    HomePhone,
}

/// Each column's name and the other names monitoring-system exports and hand-kept
/// 台账 use for it. Compared after [`normalize`] (no spaces, stars, half-width brackets).
pub(crate) const COLUMNS: &[(Col, &str, &[&str])] = &[
    (Col::HouseholdId, "户编号", &["户编码", "户号", "家庭编号"]),
    (
        Col::Town,
        "乡镇",
        &["乡(镇)", "乡镇(街道)", "乡镇街道", "乡(镇、街道)", "镇"],
    ),
    (
        Col::Village,
        "村",
        &["行政村", "村(社区)", "村社区", "村名"],
    ),
    (
        Col::Group,
        "组",
        &["自然村", "村民小组", "组别", "自然村(组)"],
    ),
    (Col::HeadName, "户主姓名", &["户主", "户主名字"]),
    (Col::Name, "姓名", &["成员姓名", "人员姓名", "家庭成员姓名"]),
    (Col::Relation, "与户主关系", &["与户主的关系"]),
    (
        Col::IdNumber,
        "身份证号",
        &["证件号码", "身份证号码", "身份证件号码", "户主身份证号"],
    ),
    (
        Col::Size,
        "家庭人口",
        &["人数", "家庭人口数", "家庭人数", "户籍人口", "家庭成员数"],
    ),
    (
        Col::Kind,
        "户类型",
        &["监测对象类别", "户类别", "监测户类型", "户属性"],
    ),
    (
        Col::Risk,
        "风险类型",
        &["致贫原因", "返贫风险", "致贫/返贫风险", "风险类别"],
    ),
    (Col::Helper, "帮扶责任人", &["帮扶责任人姓名", "帮扶人"]),
    (
        Col::HelperPhone,
        "帮扶责任人电话",
        &[
            "帮扶责任人联系电话",
            "帮扶人电话",
            "帮扶人联系电话",
            "帮扶责任人联系方式",
        ],
    ),
    (
        Col::Leader,
        "驻村工作队长",
        &["工作队长", "驻村第一书记", "第一书记", "驻村工作队"],
    ),
    (
        Col::LeaderPhone,
        "工作队电话",
        &[
            "工作队长电话",
            "驻村工作队长电话",
            "队长电话",
            "第一书记电话",
            "第一书记联系电话",
        ],
    ),
    (Col::Policies, "享受政策", &["享受帮扶政策", "享受政策情况"]),
    (Col::Measures, "帮扶措施", &["落实帮扶措施"]),
    (Col::Notes, "备注", &[]),
    (Col::HomePhone, "户主电话", &["家庭电话", "本人电话"]),
];

/// "联系电话" names the phone of whatever stands left of it: right after 帮扶责任人 it is
/// the helper's, after 第一书记 the leader's, elsewhere the household's own.
const CONTACT_PHONE: &[&str] = &["联系电话", "电话", "联系方式", "手机号码"];

pub(crate) fn name_of(c: Col) -> &'static str {
    COLUMNS.iter().find(|x| x.0 == c).map_or("", |x| x.1)
}

/// Header text as compared: no spaces, line breaks or required-field stars,
/// half-width brackets.
fn normalize(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
}

/// Which column a header names. Risk columns come numbered (致贫原因1 … 致贫原因5).
fn classify(header: &str) -> Option<Col> {
    let h = normalize(header);
    if h.is_empty() {
        return None;
    }
    for (col, name, aliases) in COLUMNS {
        if h == *name || aliases.contains(&h.as_str()) {
            return Some(*col);
        }
    }
    let trimmed = h.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed != h {
        let (_, name, aliases) = COLUMNS.iter().find(|x| x.0 == Col::Risk)?;
        if trimmed == *name || aliases.contains(&trimmed) {
            return Some(Col::Risk);
        }
    }
    None
}

/// The known name a header is one slip away from (a wrong, missing or extra
/// character): 「帮扶责任人电活」→ 帮扶责任人电话.
fn near_miss(header: &str) -> Option<(Col, &'static str)> {
    let h = normalize(header);
    let n = h.chars().count();
    if n < 3 {
        return None;
    }
    COLUMNS
        .iter()
        .flat_map(|(c, name, aliases)| {
            std::iter::once(name)
                .chain(aliases.iter())
                .map(|a| (*c, *a))
        })
        .filter(|(_, a)| a.chars().count() >= 3)
        .map(|(c, a)| (strsim::levenshtein(&h, a), c, a))
        .filter(|(d, _, _)| *d == 1)
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, c, a)| (c, a))
}

/// A header cell that names no field: its column, its text, and the known name it is
/// one slip away from.
pub(crate) type Ignored = (usize, String, Option<(Col, &'static str)>);

/// Where each column is: for every column kind, the cell indexes and the header text
/// the sheet uses.
pub(crate) struct Columns {
    pub header_row: usize,
    /// Index into `Grid::rows` of the header row.
    pub header_index: usize,
    pub map: HashMap<Col, Vec<(usize, String)>>,
    /// Header cells that name no field.
    pub ignored: Vec<Ignored>,
}

impl Columns {
    pub(crate) fn get<'a>(&self, row: &'a Row, c: Col) -> Option<&'a Cell> {
        self.map
            .get(&c)
            .and_then(|v| v.first())
            .map(|(i, _)| row.get(*i))
    }

    /// The header text the sheet uses for a column (for messages in its own terms).
    pub(crate) fn header(&self, c: Col) -> String {
        self.map
            .get(&c)
            .and_then(|v| v.first())
            .map_or_else(|| name_of(c).to_string(), |(_, h)| h.trim().to_string())
    }

    /// Spreadsheet letter of a column (A, B, …, AA).
    pub(crate) fn letter(&self, c: Col) -> String {
        self.map
            .get(&c)
            .and_then(|v| v.first())
            .map_or_else(String::new, |(i, _)| letter(*i))
    }

    pub(crate) fn has(&self, c: Col) -> bool {
        self.map.contains_key(&c)
    }

    /// The near-miss header that was probably meant for a missing column.
    pub(crate) fn suggestion_for(&self, c: Col) -> Option<(usize, &str)> {
        self.ignored
            .iter()
            .find(|(_, _, m)| m.is_some_and(|(mc, _)| mc == c))
            .map(|(i, h, _)| (*i, h.as_str()))
    }

    /// Lines saying which sheet column each field came from and which columns were
    /// ignored, in the sheet's own terms; printed before anything else.
    pub(crate) fn report(&self) -> Vec<String> {
        let mut taken: Vec<(Col, &Vec<(usize, String)>)> =
            self.map.iter().map(|(c, v)| (*c, v)).collect();
        taken.sort_by_key(|(c, _)| *c);
        let mut lines = vec![tr!("households-report-header", row = self.header_row)];
        for (c, v) in taken {
            let from: Vec<String> = v
                .iter()
                .map(|(i, h)| {
                    tr!(
                        "households-report-column",
                        letter = letter(*i),
                        header = h.trim()
                    )
                })
                .collect();
            let note = if c == Col::HomePhone {
                tr!("households-report-home-phone")
            } else {
                String::new()
            };
            lines.push(tr!(
                "households-report-field",
                field = name_of(c),
                from = from.join(&tr!("list-sep")),
                note = note
            ));
        }
        if !self.ignored.is_empty() {
            let list: Vec<String> = self
                .ignored
                .iter()
                .map(|(i, h, m)| match m {
                    Some((_, known)) => {
                        tr!(
                            "households-report-column-near",
                            letter = letter(*i),
                            header = h.trim(),
                            known = known
                        )
                    }
                    None => tr!(
                        "households-report-column",
                        letter = letter(*i),
                        header = h.trim()
                    ),
                })
                .collect();
            lines.push(tr!(
                "households-report-unused",
                columns = list.join(&tr!("list-sep"))
            ));
        }
        lines
    }
}

pub(crate) fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

/// Finds the header row among the first rows (title rows may stand above it) and maps
/// its columns.
pub(crate) fn find(grid: &Grid) -> Result<Columns, String> {
    for (idx, row) in grid.rows.iter().enumerate().take(30) {
        let mut map: HashMap<Col, Vec<(usize, String)>> = HashMap::new();
        let mut ignored = Vec::new();
        let mut prev: Option<Col> = None;
        for (i, cell) in row.cells() {
            let Cell::Text(t) = cell else {
                continue;
            };
            let col = classify(t).or_else(|| {
                CONTACT_PHONE
                    .contains(&normalize(t).as_str())
                    .then_some(match prev {
                        Some(Col::Helper) => Col::HelperPhone,
                        Some(Col::Leader) => Col::LeaderPhone,
                        _ => Col::HomePhone,
                    })
            });
            match col {
                Some(c) => {
                    map.entry(c).or_default().push((i, t.clone()));
                    prev = Some(c);
                }
                None => {
                    ignored.push((i, t.clone(), near_miss(t)));
                    prev = None;
                }
            }
        }
        let has_name = map.contains_key(&Col::HeadName) || map.contains_key(&Col::Name);
        if map.len() >= 3 && (map.contains_key(&Col::HouseholdId) || has_name) {
            // A near-miss for a column found under its right name is just another column.
            for (_, _, m) in ignored.iter_mut() {
                if m.is_some_and(|(c, _)| map.contains_key(&c) && c != Col::Risk) {
                    *m = None;
                }
            }
            return Ok(Columns {
                header_row: row.number,
                header_index: idx,
                map,
                ignored,
            });
        }
    }
    Err(tr!("households-no-header"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: Vec<Vec<&str>>) -> Grid {
        Grid {
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    Row::new(i + 1, r.into_iter().map(|s| Cell::Text(s.into())).collect())
                })
                .collect(),
            source: String::new(),
            filled: 0,
        }
    }

    #[test]
    fn header_below_title_rows_with_aliases() {
        let g = grid(vec![
            vec!["2026年防返贫监测对象帮扶台账"],
            vec![],
            vec![
                "序号",
                "乡（镇）",
                "行政村",
                "户编号",
                " 姓 名 ",
                "证件号码",
                "致贫原因1",
                "致贫原因2",
            ],
        ]);
        let c = find(&g).unwrap();
        assert_eq!(c.header_row, 3);
        assert_eq!(c.map[&Col::Town][0].0, 1);
        assert_eq!(c.header(Col::IdNumber), "证件号码");
        assert_eq!(c.letter(Col::IdNumber), "F");
        assert_eq!(c.map[&Col::Risk].len(), 2);
        assert!(c.has(Col::Name) && !c.has(Col::HeadName));
        assert!(!c.has(Col::Relation));
    }

    #[test]
    fn variants_contact_phones_and_near_misses() {
        let g = grid(vec![vec![
            "户编码",
            "户主",
            "联系电话",
            "帮扶人",
            "联系电话",
            "第一书记",
            "队长电话",
            "帮扶责任人电活",
            "性别",
        ]]);
        let c = find(&g).unwrap();
        assert_eq!(c.map[&Col::HeadName][0].0, 1);
        assert_eq!(c.map[&Col::HomePhone][0].0, 2);
        assert_eq!(c.map[&Col::Helper][0].0, 3);
        assert_eq!(c.map[&Col::HelperPhone][0].0, 4);
        assert_eq!(c.map[&Col::Leader][0].1, "第一书记");
        assert_eq!(c.map[&Col::LeaderPhone][0].0, 6);
        // The helper phone was found under 联系电话, so the slip is only reported.
        assert_eq!(c.ignored.len(), 2);
        assert_eq!(c.ignored[0].2, None);
        let report = c.report().join("\n");
        assert!(
            report.contains("驻村工作队长 ← F列「第一书记」"),
            "{report}"
        );
        assert!(report.contains("I列「性别」"), "{report}");

        let g = grid(vec![vec![
            "户编号",
            "户主姓名",
            "帮扶责任人",
            "帮扶责任人电活",
        ]]);
        let c = find(&g).unwrap();
        assert_eq!(
            c.suggestion_for(Col::HelperPhone),
            Some((3, "帮扶责任人电活"))
        );
        assert!(c.report().join("").contains("是不是「帮扶责任人电话」"));
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(40), "AO");
    }

    #[test]
    fn the_alias_table_is_documented() {
        let doc = include_str!("../../docs/households.md");
        for (_, name, aliases) in COLUMNS {
            for n in std::iter::once(name).chain(aliases.iter()) {
                assert!(
                    doc.contains(&format!("`{n}`")),
                    "docs/households.md lacks `{n}`"
                );
            }
        }
        for n in CONTACT_PHONE {
            assert!(
                doc.contains(&format!("`{n}`")),
                "docs/households.md lacks `{n}`"
            );
        }
    }
}
