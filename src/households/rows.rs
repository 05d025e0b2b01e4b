//! Rows into households: every cell read through [`RowReader`], which checks it and
//! collects problems by row and column; per-household sheets give one household a row,
//! per-person sheets group rows by 户编号 (姓名 is each person's own name; 户主姓名 only
//! cross-checks). Totals and footer rows are recognised and left out.

use std::collections::{BTreeMap, HashMap};

use super::check::{self, clean_controls};
use super::columns::{Col, Columns};
use super::handbook::{Handbook, Match, PolicyIndex};
use super::sheet::{Cell, Row};
use super::{Household, KINDS, Person, PolicyUse, SheetError};
use crate::typeset::fonts::Fonts;

/// The largest household a count column may state; larger numbers are Excel date
/// serials or typing slips.
const MAX_SIZE: usize = 30;

/// A totals row (合计/小计/总计) or a footer (填表人, 审核人, 制表), with its text.
pub(super) fn totals_or_footer(row: &Row) -> Option<String> {
    const TOTALS: &[&str] = &["合计", "小计", "总计", "总合计", "累计"];
    const FOOTERS: &[&str] = &[
        "填表人",
        "填报人",
        "审核人",
        "制表人",
        "制表",
        "负责人",
        "注：",
        "说明：",
    ];
    row.cells().find_map(|(_, c)| {
        let Cell::Text(t) = c else {
            return None;
        };
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        let is_total = TOTALS.iter().any(|w| {
            t == *w
                || t.strip_prefix(w)
                    .is_some_and(|r| r.starts_with(['：', ':', '(']))
        });
        let is_footer = FOOTERS.iter().any(|w| t.starts_with(w));
        (is_total || is_footer).then(|| t.chars().take(12).collect())
    })
}

/// Reads checked values out of rows, collecting problems.
pub(super) struct RowReader<'a> {
    pub cols: &'a Columns,
    pub errors: &'a mut Vec<SheetError>,
    pub fonts: &'a mut Fonts,
    pub strict: bool,
}

impl RowReader<'_> {
    fn push(&mut self, row: usize, c: Col, message: String, warning: bool) {
        self.errors.push(SheetError {
            row,
            column: Some((self.cols.header(c), self.cols.letter(c))),
            message,
            warning,
        });
    }

    fn err(&mut self, row: usize, c: Col, message: String) {
        self.push(row, c, message, false);
    }

    fn cell<'r>(&self, row: &'r Row, c: Col) -> &'r Cell {
        static EMPTY: Cell = Cell::Empty;
        self.cols.get(row, c).unwrap_or(&EMPTY)
    }

    /// A cell's text, cleaned of control characters and checked against the fonts (it
    /// will be printed).
    fn text(&mut self, row: &Row, c: Col) -> String {
        let (t, bad) = clean_controls(&self.cell(row, c).text());
        if let Some(m) = bad {
            self.err(row.number, c, m);
        }
        let missing = self.fonts.missing(&t);
        if !missing.is_empty() {
            let chars: Vec<String> = missing
                .iter()
                .map(|ch| {
                    tr!(
                        "households-quoted-char",
                        ch = ch,
                        code = format!("{:04X}", *ch as u32)
                    )
                })
                .collect();
            self.err(
                row.number,
                c,
                tr!(
                    "households-no-font",
                    text = &t,
                    chars = chars.join(&tr!("list-sep"))
                ),
            );
        }
        t
    }

    fn required(&mut self, row: &Row, c: Col) -> String {
        let t = self.text(row, c);
        if t.is_empty() {
            self.err(row.number, c, tr!("households-empty"));
        }
        t
    }

    /// [`RowReader::id`], and an error when an earlier row (in `seen`) had it.
    fn unique_id(&mut self, row: &Row, seen: &mut HashMap<String, usize>) -> String {
        let id = self.id(row);
        if !id.is_empty()
            && let Some(first) = seen.insert(id.clone(), row.number)
        {
            self.err(
                row.number,
                Col::IdNumber,
                tr!("households-id-repeated", first = first),
            );
        }
        id
    }

    fn id(&mut self, row: &Row) -> String {
        let cell = self.cell(row, Col::IdNumber).clone();
        if cell.is_empty() {
            self.err(row.number, Col::IdNumber, tr!("households-empty"));
            return String::new();
        }
        let raw = match &cell {
            // What Excel displays for a big number: six significant digits.
            Cell::Number(n) if *n >= 1e15 => format!("{n:.5E}").replace('E', "E+"),
            other => other.text(),
        };
        match check::check_id(&raw, matches!(cell, Cell::Number(_))) {
            Ok(id) => id,
            Err(m) => {
                self.err(row.number, Col::IdNumber, m);
                String::new()
            }
        }
    }

    fn phone(&mut self, row: &Row, c: Col, required: bool) -> String {
        let t = if required {
            self.required(row, c)
        } else {
            self.text(row, c)
        };
        if !t.is_empty()
            && let Err(m) = check::check_phone(&t)
        {
            self.err(row.number, c, m);
        }
        t
    }

    fn kind(&mut self, row: &Row) -> String {
        let t = self.required(row, Col::Kind);
        if !t.is_empty() && !KINDS.contains(&t.as_str()) {
            self.err(
                row.number,
                Col::Kind,
                tr!(
                    "households-not-a-kind",
                    text = &t,
                    kinds = KINDS.join(&tr!("list-sep"))
                ),
            );
        }
        t
    }

    /// 家庭人口: a positive whole number, and not a date.
    fn size(&mut self, row: &Row) -> usize {
        let cell = self.cell(row, Col::Size).clone();
        // Excel stores a count typed into a date-formatted column as a date serial.
        if matches!(cell, Cell::Date(_)) {
            self.err(row.number, Col::Size, tr!("households-size-date"));
            return 1;
        }
        let t = self.required(row, Col::Size);
        match t.parse::<usize>() {
            Ok(n) if (1..=MAX_SIZE).contains(&n) => n,
            Ok(n) if n > MAX_SIZE => {
                self.err(
                    row.number,
                    Col::Size,
                    tr!("households-size-too-big", n = n, max = MAX_SIZE),
                );
                1
            }
            _ => {
                if !t.is_empty() {
                    self.err(
                        row.number,
                        Col::Size,
                        tr!("households-size-not-number", text = &t),
                    );
                }
                1
            }
        }
    }

    fn risks(&mut self, row: &Row) -> Vec<String> {
        let idx: Vec<usize> = self
            .cols
            .map
            .get(&Col::Risk)
            .map(|v| v.iter().map(|x| x.0).collect())
            .unwrap_or_default();
        idx.iter()
            .flat_map(|&i| {
                clean_controls(&row.get(i).text())
                    .0
                    .split(['、', '，', ',', ';', '；', '\n'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn policies(&mut self, row: &Row, index: &PolicyIndex, hb: &Handbook) -> Vec<PolicyUse> {
        let t = self.text(row, Col::Policies);
        let mut out = Vec::new();
        for (name, amount) in check::split_policies(&t) {
            match index.find(&name, hb) {
                Match::Found(i) => out.push(PolicyUse {
                    policy: Some(i),
                    name,
                    amount,
                }),
                Match::Near(s) => self.err(
                    row.number,
                    Col::Policies,
                    tr!("households-policy-near", name = &name, suggestion = s),
                ),
                Match::Ambiguous(titles) => self.err(
                    row.number,
                    Col::Policies,
                    tr!(
                        "households-policy-ambiguous",
                        name = &name,
                        titles = titles.join(&tr!("households-titles-sep"))
                    ),
                ),
                Match::Unknown => {
                    let strict = self.strict;
                    self.push(
                        row.number,
                        Col::Policies,
                        tr!(
                            "households-policy-unknown",
                            name = &name,
                            why = if strict {
                                tr!("households-policy-unknown-strict")
                            } else {
                                tr!("households-policy-unknown-alias")
                            }
                        ),
                        !strict,
                    );
                    out.push(PolicyUse {
                        policy: None,
                        name,
                        amount,
                    });
                }
            }
        }
        out
    }
}

pub(super) fn per_household(
    rows: &[&Row],
    r: &mut RowReader,
    index: &PolicyIndex,
    hb: &Handbook,
) -> Vec<Household> {
    let name_col = if r.cols.has(Col::HeadName) {
        Col::HeadName
    } else {
        Col::Name
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        let key = r.required(row, Col::HouseholdId);
        if let Some(first) = seen.get(&key) {
            r.err(
                row.number,
                Col::HouseholdId,
                tr!("households-key-repeated", key = &key, first = first),
            );
        } else if !key.is_empty() {
            seen.insert(key.clone(), row.number);
        }
        let name = r.required(row, name_col);
        let id = r.unique_id(row, &mut ids);
        let size = r.size(row);
        out.push(Household {
            town: r.required(row, Col::Town),
            village: r.required(row, Col::Village),
            group: r.text(row, Col::Group),
            kind: r.kind(row),
            risks: r.risks(row),
            helper: r.required(row, Col::Helper),
            helper_phone: r.phone(row, Col::HelperPhone, true),
            leader: r.text(row, Col::Leader),
            leader_phone: r.phone(row, Col::LeaderPhone, false),
            policies: r.policies(row, index, hb),
            measures: r.text(row, Col::Measures),
            notes: r.text(row, Col::Notes),
            head: Person {
                name,
                relation: "户主".into(),
                id,
            },
            members: Vec::new(),
            size,
            key,
            rows: vec![row.number],
        });
    }
    out
}

pub(super) fn per_person(
    rows: &[&Row],
    r: &mut RowReader,
    index: &PolicyIndex,
    hb: &Handbook,
) -> Vec<Household> {
    // Rows grouped by 户编号, in first-appearance order.
    let mut groups: BTreeMap<usize, (String, Vec<&Row>)> = BTreeMap::new();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let key = r.required(row, Col::HouseholdId);
        if key.is_empty() {
            continue;
        }
        let at = *first_row.entry(key.clone()).or_insert(row.number);
        groups
            .entry(at)
            .or_insert_with(|| (key, Vec::new()))
            .1
            .push(row);
    }
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (_, (key, rows)) in groups {
        let mut people = Vec::new();
        for row in &rows {
            let name = r.required(row, Col::Name);
            let relation = r.required(row, Col::Relation);
            let id = r.unique_id(row, &mut ids);
            people.push((*row, Person { name, relation, id }));
        }
        let heads: Vec<usize> = people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.1.relation == "户主")
            .map(|(i, _)| i)
            .collect();
        let head_at = match heads[..] {
            [one] => one,
            [] => {
                r.err(
                    rows[0].number,
                    Col::Relation,
                    tr!("households-no-head", key = &key),
                );
                0
            }
            [_, second, ..] => {
                r.err(
                    people[second].0.number,
                    Col::Relation,
                    tr!("households-two-heads", key = &key),
                );
                0
            }
        };
        let head_row = people[head_at].0;
        // 户主姓名 on each row must name this household's head.
        if r.cols.has(Col::HeadName) && heads.len() == 1 {
            let head_name = people[head_at].1.name.clone();
            for (row, _) in &people {
                let stated = r.text(row, Col::HeadName);
                if !stated.is_empty() && !head_name.is_empty() && stated != head_name {
                    r.err(
                        row.number,
                        Col::HeadName,
                        tr!(
                            "households-head-mismatch",
                            stated = &stated,
                            row = head_row.number,
                            head = &head_name
                        ),
                    );
                }
            }
        }
        // Household-level cells are on the head's row; some exports repeat them on
        // every row, some leave them to the first.
        let pick = |r: &RowReader, c: Col| -> &Row {
            if !r.cell(head_row, c).is_empty() {
                return head_row;
            }
            rows.iter()
                .copied()
                .find(|row| !r.cell(row, c).is_empty())
                .unwrap_or(head_row)
        };
        let (town, village, group) = (
            pick(r, Col::Town),
            pick(r, Col::Village),
            pick(r, Col::Group),
        );
        let (kind, risk, helper) = (pick(r, Col::Kind), pick(r, Col::Risk), pick(r, Col::Helper));
        let (hp, leader, lp) = (
            pick(r, Col::HelperPhone),
            pick(r, Col::Leader),
            pick(r, Col::LeaderPhone),
        );
        let (pol, mea, note) = (
            pick(r, Col::Policies),
            pick(r, Col::Measures),
            pick(r, Col::Notes),
        );
        let mut people: Vec<Person> = people.into_iter().map(|p| p.1).collect();
        let head = people.remove(head_at);
        out.push(Household {
            town: r.required(town, Col::Town),
            village: r.required(village, Col::Village),
            group: r.text(group, Col::Group),
            kind: r.kind(kind),
            risks: r.risks(risk),
            helper: r.required(helper, Col::Helper),
            helper_phone: r.phone(hp, Col::HelperPhone, true),
            leader: r.text(leader, Col::Leader),
            leader_phone: r.phone(lp, Col::LeaderPhone, false),
            policies: r.policies(pol, index, hb),
            measures: r.text(mea, Col::Measures),
            notes: r.text(note, Col::Notes),
            size: people.len() + 1,
            head,
            members: people,
            key,
            rows: rows.iter().map(|x| x.number).collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_footers_are_recognised() {
        let t = |s: &str| Cell::Text(s.into());
        let row = |cells| Row::new(9, cells);
        assert_eq!(
            totals_or_footer(&row(vec![t("合 计"), Cell::Empty, Cell::Number(31.0)])),
            Some("合计".into())
        );
        assert!(totals_or_footer(&row(vec![t("填表人：李四　审核人：王五")])).is_some());
        assert!(totals_or_footer(&row(vec![t("合计：8户")])).is_some());
        // A name or a policy that merely contains the word is data.
        assert_eq!(totals_or_footer(&row(vec![t("QH-001"), t("合计划")])), None);
    }
}
