//! The sheet's columns, found by header name or alias (never by position), and the
//! header row itself, found below any title rows.

use std::collections::HashMap;

use super::sheet::{Cell, Grid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    HouseholdId,
    Town,
    Village,
    Group,
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
}

/// Each column's name and the other names monitoring-system exports use for it.
pub const COLUMNS: &[(Col, &str, &[&str])] = &[
    (Col::HouseholdId, "户编号", &["户编码", "户号"]),
    (Col::Town, "乡镇", &["乡(镇)", "乡镇(街道)", "乡镇街道"]),
    (Col::Village, "村", &["行政村", "村(社区)", "村社区"]),
    (Col::Group, "组", &["自然村", "村民小组", "组别"]),
    (Col::Name, "户主姓名", &["姓名"]),
    (Col::Relation, "与户主关系", &["与户主的关系"]),
    (
        Col::IdNumber,
        "身份证号",
        &["证件号码", "身份证号码", "身份证件号码"],
    ),
    (Col::Size, "家庭人口", &["人数", "家庭人口数", "家庭人数"]),
    (Col::Kind, "户类型", &["监测对象类别", "户类别"]),
    (
        Col::Risk,
        "风险类型",
        &["致贫原因", "返贫风险", "致贫/返贫风险", "风险类别"],
    ),
    (Col::Helper, "帮扶责任人", &["帮扶责任人姓名"]),
    (
        Col::HelperPhone,
        "帮扶责任人电话",
        &["帮扶责任人联系电话", "帮扶人电话"],
    ),
    (Col::Leader, "驻村工作队长", &["工作队长", "驻村第一书记"]),
    (
        Col::LeaderPhone,
        "工作队电话",
        &["工作队长电话", "驻村工作队长电话"],
    ),
    (Col::Policies, "享受政策", &["享受帮扶政策"]),
    (Col::Measures, "帮扶措施", &["落实帮扶措施"]),
    (Col::Notes, "备注", &[]),
];

pub fn name_of(c: Col) -> &'static str {
    COLUMNS.iter().find(|x| x.0 == c).map_or("", |x| x.1)
}

/// Header text as compared: no spaces or required-field stars, half-width brackets.
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
        for (col, name, aliases) in COLUMNS {
            if *col == Col::Risk && (trimmed == *name || aliases.contains(&trimmed)) {
                return Some(Col::Risk);
            }
        }
    }
    None
}

/// Where each column is: for every column kind, the cell indexes and the header text
/// the sheet uses.
pub struct Columns {
    pub header_row: usize,
    /// Index into `Grid::rows` of the header row.
    pub header_index: usize,
    pub map: HashMap<Col, Vec<(usize, String)>>,
}

impl Columns {
    pub fn get<'a>(&self, row: &'a [Cell], c: Col) -> Option<&'a Cell> {
        self.map
            .get(&c)
            .and_then(|v| v.first())
            .and_then(|(i, _)| row.get(*i))
    }

    /// The header text the sheet uses for a column (for messages in its own terms).
    pub fn header(&self, c: Col) -> String {
        self.map
            .get(&c)
            .and_then(|v| v.first())
            .map_or_else(|| name_of(c).to_string(), |(_, h)| h.trim().to_string())
    }

    /// Spreadsheet letter of a column (A, B, …, AA).
    pub fn letter(&self, c: Col) -> String {
        self.map
            .get(&c)
            .and_then(|v| v.first())
            .map_or_else(String::new, |(i, _)| letter(*i))
    }

    pub fn has(&self, c: Col) -> bool {
        self.map.contains_key(&c)
    }
}

pub fn letter(mut i: usize) -> String {
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
pub fn find(grid: &Grid) -> Result<Columns, String> {
    for (idx, row) in grid.rows.iter().enumerate().take(30) {
        let mut map: HashMap<Col, Vec<(usize, String)>> = HashMap::new();
        for (i, cell) in row.cells.iter().enumerate() {
            if let Cell::Text(t) = cell
                && let Some(c) = classify(t)
            {
                map.entry(c).or_default().push((i, t.clone()));
            }
        }
        let known = map.len();
        if known >= 3 && (map.contains_key(&Col::HouseholdId) || map.contains_key(&Col::Name)) {
            return Ok(Columns {
                header_row: row.number,
                header_index: idx,
                map,
            });
        }
    }
    Err("找不到表头行：前30行里没有一行写着「户编号」「户主姓名」「身份证号」等列名".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::households::sheet::Row;

    #[test]
    fn header_below_title_rows_with_aliases() {
        let t = |s: &str| Cell::Text(s.into());
        let grid = Grid {
            rows: vec![
                Row {
                    number: 1,
                    cells: vec![t("2026年防返贫监测对象帮扶台账")],
                },
                Row {
                    number: 2,
                    cells: vec![],
                },
                Row {
                    number: 3,
                    cells: vec![
                        t("序号"),
                        t("乡（镇）"),
                        t("行政村"),
                        t("户编号"),
                        t(" 姓 名 "),
                        t("证件号码"),
                        t("致贫原因1"),
                        t("致贫原因2"),
                    ],
                },
            ],
            source: String::new(),
        };
        let c = find(&grid).unwrap();
        assert_eq!(c.header_row, 3);
        assert_eq!(c.map[&Col::Town][0].0, 1);
        assert_eq!(c.header(Col::IdNumber), "证件号码");
        assert_eq!(c.letter(Col::IdNumber), "F");
        assert_eq!(c.map[&Col::Risk].len(), 2);
        assert!(!c.has(Col::Relation));
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(40), "AO");
    }
}
