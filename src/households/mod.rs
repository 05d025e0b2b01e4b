//! Households (户明白卡 data) from a cadre's sheet: read ([`sheet`]), columns found by
//! name ([`columns`]), every row checked ([`check`]) with all problems reported by row and
//! column in the sheet's own terms, then printed one card per household ([`print`]).
//!
//! Household data is personal data: it is read only by `mingbai cards`, never enters
//! the site, and no full ID number is printed or written anywhere.

pub mod check;
pub mod columns;
pub mod print;
pub mod sheet;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::print::fonts::Fonts;
use crate::site::Site;
use check::PolicyIndex;
use columns::{Col, Columns};
use sheet::{Cell, Encoding};

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub relation: String,
    /// The checked ID number. Held only to print the masked form when asked.
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct PolicyUse {
    /// Index of the policy entry in the site.
    pub entry: usize,
    pub amount: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub key: String,
    pub town: String,
    pub village: String,
    pub group: String,
    pub head: Person,
    pub members: Vec<Person>,
    pub size: usize,
    pub kind: String,
    pub risks: Vec<String>,
    pub helper: String,
    pub helper_phone: String,
    pub leader: String,
    pub leader_phone: String,
    pub policies: Vec<PolicyUse>,
    pub measures: String,
    pub notes: String,
    /// Sheet rows it came from.
    pub rows: Vec<usize>,
}

/// A problem in a cell, in the sheet's own terms.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetError {
    pub row: usize,
    /// Header text and column letter ("身份证号", "F"); none for whole-row problems.
    pub column: Option<(String, String)>,
    pub message: String,
}

impl SheetError {
    pub fn to_diagnostic(&self, file: &Path) -> Diagnostic {
        let at = match &self.column {
            Some((name, letter)) => format!("第{}行「{name}」（{letter}列）", self.row),
            None => format!("第{}行", self.row),
        };
        let col = self.column.as_ref().map_or(1, |(_, l)| {
            l.bytes().fold(0, |n, b| n * 26 + (b - b'A') as usize + 1)
        });
        Diagnostic::error(format!("{at}：{}", self.message)).in_file(file, self.row, col)
    }
}

pub const KINDS: &[&str] = &[
    "脱贫户",
    "脱贫不稳定户",
    "边缘易致贫户",
    "突发严重困难户",
    "一般农户",
];

pub struct Options {
    pub encoding: Option<Encoding>,
    pub sheet: Option<String>,
}

pub struct Loaded {
    pub households: Vec<Household>,
    /// Problems found; households with problems are not in `households`.
    pub errors: Vec<SheetError>,
    /// How the sheet was read ("CSV，GB18030/GBK", per-person or per-household).
    pub description: String,
}

/// Reads and checks a sheet. Sheet-level failures (unreadable file, no header row,
/// missing columns) are `Err`; row problems are collected in [`Loaded::errors`].
pub fn load(
    path: &Path,
    opts: &Options,
    site: &Site,
    fonts: &mut Fonts,
) -> Result<Loaded, Vec<Diagnostic>> {
    let at_file = |m: String| vec![Diagnostic::error(m).in_file(path, 1, 1)];
    let grid = sheet::read(path, opts.encoding, opts.sheet.as_deref()).map_err(at_file)?;
    let cols = columns::find(&grid).map_err(at_file)?;
    let per_person = cols.has(Col::Relation);
    let mut required = vec![
        Col::HouseholdId,
        Col::Town,
        Col::Village,
        Col::Name,
        Col::IdNumber,
        Col::Kind,
        Col::Helper,
        Col::HelperPhone,
    ];
    if !per_person {
        required.push(Col::Size);
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|c| !cols.has(**c))
        .map(|c| {
            let (_, name, aliases) = columns::COLUMNS
                .iter()
                .find(|x| x.0 == *c)
                .expect("known column");
            if aliases.is_empty() {
                format!("「{name}」")
            } else {
                format!("「{name}」（也可叫「{}」）", aliases.join("」「"))
            }
        })
        .collect();
    if !missing.is_empty() {
        return Err(at_file(format!(
            "第{}行是表头，但缺少{}列",
            cols.header_row,
            missing.join("、")
        )));
    }
    let index = PolicyIndex::new(site);
    let mut errors = Vec::new();
    let data: Vec<&sheet::Row> = grid.rows[cols.header_index + 1..]
        .iter()
        .filter(|r| {
            cols.map
                .values()
                .flatten()
                .any(|(i, _)| r.cells.get(*i).is_some_and(|c| !c.is_empty()))
        })
        .collect();

    let mut reader = RowReader {
        cols: &cols,
        errors: &mut errors,
        fonts,
    };
    let households = if per_person {
        per_person_households(&data, &mut reader, &index, site)
    } else {
        per_household(&data, &mut reader, &index, site)
    };
    let bad_rows: std::collections::HashSet<usize> = errors.iter().map(|e| e.row).collect();
    let households = households
        .into_iter()
        .filter(|h| !h.rows.iter().any(|r| bad_rows.contains(r)))
        .collect::<Vec<_>>();
    errors.sort_by_key(|e| e.row);
    Ok(Loaded {
        households,
        errors,
        description: format!(
            "{}，{}，表头在第{}行",
            grid.source,
            if per_person {
                "每人一行"
            } else {
                "每户一行"
            },
            cols.header_row
        ),
    })
}

/// Reads checked values out of rows, collecting problems.
struct RowReader<'a> {
    cols: &'a Columns,
    errors: &'a mut Vec<SheetError>,
    fonts: &'a mut Fonts,
}

impl RowReader<'_> {
    fn err(&mut self, row: usize, c: Col, message: String) {
        self.errors.push(SheetError {
            row,
            column: Some((self.cols.header(c), self.cols.letter(c))),
            message,
        });
    }

    /// A cell's text, checked against the fonts (it will be printed).
    fn text(&mut self, row: &sheet::Row, c: Col) -> String {
        let t = self
            .cols
            .get(&row.cells, c)
            .map(Cell::text)
            .unwrap_or_default();
        let missing = self.fonts.missing(&t);
        if !missing.is_empty() {
            let chars: Vec<String> = missing
                .iter()
                .map(|ch| format!("「{ch}」(U+{:04X})", *ch as u32))
                .collect();
            self.err(
                row.number,
                c,
                format!(
                    "「{t}」中的{}没有字体能打印：在 site.toml 的 [print] fonts 里加一个有这个字的字体，或在本机安装",
                    chars.join("、")
                ),
            );
        }
        t
    }

    fn required(&mut self, row: &sheet::Row, c: Col) -> String {
        let t = self.text(row, c);
        if t.is_empty() {
            self.err(row.number, c, "不能为空".into());
        }
        t
    }

    /// [`RowReader::id`], and an error when an earlier row (in `seen`) had it.
    fn unique_id(&mut self, row: &sheet::Row, seen: &mut HashMap<String, usize>) -> String {
        let id = self.id(row);
        if !id.is_empty()
            && let Some(first) = seen.insert(id.clone(), row.number)
        {
            self.err(
                row.number,
                Col::IdNumber,
                format!("身份证号与第{first}行重复"),
            );
        }
        id
    }

    fn id(&mut self, row: &sheet::Row) -> String {
        let cell = self
            .cols
            .get(&row.cells, Col::IdNumber)
            .cloned()
            .unwrap_or(Cell::Empty);
        if cell.is_empty() {
            self.err(row.number, Col::IdNumber, "不能为空".into());
            return String::new();
        }
        let raw = match &cell {
            // What Excel displays for a big number: the digits it kept.
            Cell::Number(n) if *n >= 1e15 => format!("{n:E}").replace("E", "E+"),
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

    fn phone(&mut self, row: &sheet::Row, c: Col, required: bool) -> String {
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

    fn kind(&mut self, row: &sheet::Row) -> String {
        let t = self.required(row, Col::Kind);
        if !t.is_empty() && !KINDS.contains(&t.as_str()) {
            self.err(
                row.number,
                Col::Kind,
                format!("「{t}」不是户类型：应为{}之一", KINDS.join("、")),
            );
        }
        t
    }

    fn risks(&mut self, row: &sheet::Row) -> Vec<String> {
        let idx: Vec<usize> = self
            .cols
            .map
            .get(&Col::Risk)
            .map(|v| v.iter().map(|x| x.0).collect())
            .unwrap_or_default();
        idx.iter()
            .filter_map(|i| row.cells.get(*i))
            .flat_map(|c| {
                c.text()
                    .split(['、', '，', ',', ';', '；'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn policies(&mut self, row: &sheet::Row, index: &PolicyIndex, site: &Site) -> Vec<PolicyUse> {
        let t = self.text(row, Col::Policies);
        let mut out = Vec::new();
        for (name, amount) in check::split_policies(&t) {
            match index.find(&name, site) {
                Ok(entry) => out.push(PolicyUse { entry, amount }),
                Err(m) => self.err(row.number, Col::Policies, m),
            }
        }
        out
    }
}

fn per_household(
    rows: &[&sheet::Row],
    r: &mut RowReader,
    index: &PolicyIndex,
    site: &Site,
) -> Vec<Household> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        let key = r.required(row, Col::HouseholdId);
        if let Some(first) = seen.get(&key) {
            r.err(
                row.number,
                Col::HouseholdId,
                format!("户编号「{key}」与第{first}行重复"),
            );
        } else if !key.is_empty() {
            seen.insert(key.clone(), row.number);
        }
        let name = r.required(row, Col::Name);
        let id = r.unique_id(row, &mut ids);
        let size_text = r.required(row, Col::Size);
        let size = match size_text.parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => {
                if !size_text.is_empty() {
                    r.err(row.number, Col::Size, format!("「{size_text}」不是正整数"));
                }
                1
            }
        };
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
            policies: r.policies(row, index, site),
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

fn per_person_households(
    rows: &[&sheet::Row],
    r: &mut RowReader,
    index: &PolicyIndex,
    site: &Site,
) -> Vec<Household> {
    // Rows grouped by 户编号, in first-appearance order.
    let mut groups: BTreeMap<usize, (String, Vec<&sheet::Row>)> = BTreeMap::new();
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
            people.push((row, Person { name, relation, id }));
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
                    format!("户编号「{key}」的各行里没有「户主」"),
                );
                0
            }
            [_, second, ..] => {
                r.err(
                    people[second].0.number,
                    Col::Relation,
                    format!("户编号「{key}」有不止一个「户主」"),
                );
                0
            }
        };
        let head_row = people[head_at].0;
        // Household-level cells are on the head's row; some exports repeat them on
        // every row, some leave them to the first.
        let pick = |r: &mut RowReader, c: Col| -> &sheet::Row {
            if r.cols
                .get(&head_row.cells, c)
                .is_some_and(|x| !x.is_empty())
            {
                return head_row;
            }
            rows.iter()
                .copied()
                .find(|row| r.cols.get(&row.cells, c).is_some_and(|x| !x.is_empty()))
                .unwrap_or(head_row)
        };
        let town_row = pick(r, Col::Town);
        let village_row = pick(r, Col::Village);
        let group_row = pick(r, Col::Group);
        let kind_row = pick(r, Col::Kind);
        let helper_row = pick(r, Col::Helper);
        let hp_row = pick(r, Col::HelperPhone);
        let leader_row = pick(r, Col::Leader);
        let lp_row = pick(r, Col::LeaderPhone);
        let pol_row = pick(r, Col::Policies);
        let mea_row = pick(r, Col::Measures);
        let note_row = pick(r, Col::Notes);
        let risk_row = pick(r, Col::Risk);
        let mut people: Vec<Person> = people.into_iter().map(|p| p.1).collect();
        let head = people.remove(head_at);
        out.push(Household {
            town: r.required(town_row, Col::Town),
            village: r.required(village_row, Col::Village),
            group: r.text(group_row, Col::Group),
            kind: r.kind(kind_row),
            risks: r.risks(risk_row),
            helper: r.required(helper_row, Col::Helper),
            helper_phone: r.phone(hp_row, Col::HelperPhone, true),
            leader: r.text(leader_row, Col::Leader),
            leader_phone: r.phone(lp_row, Col::LeaderPhone, false),
            policies: r.policies(pol_row, index, site),
            measures: r.text(mea_row, Col::Measures),
            notes: r.text(note_row, Col::Notes),
            size: people.len() + 1,
            head,
            members: people,
            key,
            rows: rows.iter().map(|x| x.number).collect(),
        });
    }
    out
}

/// Cards print sorted by village, group (一组 < 二组 < … < 十组) and household number.
pub fn sort(households: &mut [Household]) {
    households.sort_by(|a, b| {
        (&a.town, &a.village)
            .cmp(&(&b.town, &b.village))
            .then(group_number(&a.group).cmp(&group_number(&b.group)))
            .then(a.group.cmp(&b.group))
            .then(a.key.cmp(&b.key))
    });
}

/// The number in a group name: "3组" → 3, "十二组" → 12, none → 0.
fn group_number(g: &str) -> u32 {
    let digits: String = g.chars().filter(char::is_ascii_digit).collect();
    if let Ok(n) = digits.parse() {
        return n;
    }
    let val = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = g
        .chars()
        .filter(|c| "零一二三四五六七八九十".contains(*c))
        .collect();
    match chars.as_slice() {
        ['十'] => 10,
        ['十', u] => 10 + val(*u).unwrap_or(0),
        [t, '十'] => val(*t).unwrap_or(0) * 10,
        [t, '十', u] => val(*t).unwrap_or(0) * 10 + val(*u).unwrap_or(0),
        [d] => val(*d).unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_numbers_sort_naturally() {
        assert_eq!(group_number("一组"), 1);
        assert_eq!(group_number("十组"), 10);
        assert_eq!(group_number("十二组"), 12);
        assert_eq!(group_number("二十组"), 20);
        assert_eq!(group_number("3组"), 3);
    }
}
