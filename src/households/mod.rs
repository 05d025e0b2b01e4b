//! Households (户明白卡 data) from a cadre's sheet: read by content ([`sheet`],
//! [`workbook`]), columns found by name ([`columns`]), every row checked ([`rows`],
//! [`check`]) with all problems reported by row and column in the sheet's own terms,
//! matched to the handbook's policies ([`handbook`]: the source folder or the published
//! policy list), then printed one card per household ([`print`]).
//!
//! Household data is personal data: it is read only by `mingbai cards`, never enters
//! the site, and no message shows more than 6 digits of an ID or a whole phone number.

pub(crate) mod check;
pub(crate) mod columns;
pub(crate) mod handbook;
pub(crate) mod print;
mod rows;
pub(crate) mod sheet;
mod workbook;

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::typeset::fonts::Fonts;
use columns::Col;
pub(crate) use handbook::{Handbook, PolicyIndex};
use sheet::Encoding;

#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub name: String,
    pub relation: String,
    /// The checked ID number. Held only to print the masked form when asked.
    pub id: String,
}

#[derive(Debug, Clone)]
pub(crate) struct PolicyUse {
    /// Index into [`Handbook::policies`]; none for a local policy the handbook lacks,
    /// which is printed as written.
    pub policy: Option<usize>,
    /// The name as the sheet writes it.
    pub name: String,
    pub amount: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Household {
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
pub(crate) struct SheetError {
    pub row: usize,
    /// Header text and column letter ("身份证号", "F"); none for whole-row problems.
    pub column: Option<(String, String)>,
    pub message: String,
    /// A warning prints the household anyway (a local policy the handbook lacks).
    pub warning: bool,
}

impl SheetError {
    /// The diagnostic, with every long digit run masked ([`check::redact`]).
    pub(crate) fn to_diagnostic(&self, file: &Path) -> Diagnostic {
        let at = match &self.column {
            Some((name, letter)) => tr!(
                "households-at-cell",
                row = self.row,
                name = name,
                letter = letter
            ),
            None => tr!("households-at-row", row = self.row),
        };
        let col = self.column.as_ref().map_or(1, |(_, l)| {
            l.bytes().fold(0, |n, b| n * 26 + (b - b'A') as usize + 1)
        });
        let message = check::redact(&tr!("households-at", at = at, message = &self.message));
        let d = if self.warning {
            Diagnostic::warning(message)
        } else {
            Diagnostic::error(message)
        };
        d.in_file(file, self.row, col)
    }
}

pub(crate) const KINDS: &[&str] = &[
    "脱贫户",
    "脱贫不稳定户",
    "边缘易致贫户",
    "突发严重困难户",
    "一般农户",
];

pub(crate) struct Options {
    pub encoding: Option<Encoding>,
    pub sheet: Option<String>,
    /// A policy the handbook lacks is an error, not a warning.
    pub strict: bool,
}

pub(crate) struct Loaded {
    pub households: Vec<Household>,
    /// Problems found; households with errors are not in `households`. Warnings
    /// (`SheetError::warning`) leave the household in.
    pub errors: Vec<SheetError>,
    /// How the sheet was read ("Excel 工作簿（xlsx），工作表「台账」，每户一行").
    pub description: String,
    /// Which column each field came from, and the columns not used.
    pub columns: Vec<String>,
    /// Rows left out on purpose: totals (合计) and footers (填表人), with what they say.
    pub skipped: Vec<(usize, String)>,
    /// Cells filled in from merged cells.
    pub filled: usize,
}

impl Loaded {}

/// Reads and checks a sheet. Sheet-level failures (unreadable file, no header row,
/// missing columns) are `Err`; row problems are collected in [`Loaded::errors`].
pub(crate) fn load(
    path: &Path,
    opts: &Options,
    hb: &Handbook,
    fonts: &mut Fonts,
) -> Result<Loaded, Vec<Diagnostic>> {
    let at =
        |m: &str, (row, col)| vec![Diagnostic::error(check::redact(m)).in_file(path, row, col)];
    let at_file = |m: String| at(&m, (1, 1));
    let grid = sheet::read(path, opts.encoding, opts.sheet.as_deref())
        .map_err(|e| at(&e.message, e.at.unwrap_or((1, 1))))?;
    let cols = columns::find(&grid).map_err(at_file)?;
    let per_person = cols.has(Col::Relation);
    let mut required = vec![
        Col::HouseholdId,
        Col::Town,
        Col::Village,
        Col::IdNumber,
        Col::Kind,
        Col::Helper,
        Col::HelperPhone,
    ];
    if per_person {
        required.push(Col::Name);
    } else {
        required.push(Col::Size);
        if !cols.has(Col::Name) {
            required.push(Col::HeadName);
        }
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|c| !cols.has(**c))
        .map(|c| {
            let (_, name, aliases) = columns::COLUMNS
                .iter()
                .find(|x| x.0 == *c)
                .expect("known column");
            let near = cols
                .suggestion_for(*c)
                .map(|(i, h)| {
                    tr!(
                        "households-column-near",
                        letter = columns::letter(i),
                        header = h,
                        name = name
                    )
                })
                .unwrap_or_default();
            if aliases.is_empty() {
                tr!("households-column", name = name, near = near)
            } else {
                tr!(
                    "households-column-aliases",
                    name = name,
                    aliases = aliases[..aliases.len().min(3)].join(&tr!("households-aliases-sep")),
                    near = near
                )
            }
        })
        .collect();
    if !missing.is_empty() {
        let why = if per_person && !cols.has(Col::Name) {
            tr!("households-missing-name-why")
        } else {
            String::new()
        };
        let mut d = at_file(tr!(
            "households-missing-columns",
            row = cols.header_row,
            columns = missing.join(&tr!("list-sep")),
            why = why
        ));
        if let Some(l) = d[0].location.as_mut() {
            l.line = cols.header_row;
        }
        return Err(d);
    }

    let mut skipped = Vec::new();
    let data: Vec<&sheet::Row> = grid.rows[cols.header_index + 1..]
        .iter()
        .filter(|r| {
            cols.map
                .values()
                .flatten()
                .any(|(i, _)| !r.get(*i).is_empty())
        })
        .filter(|r| match rows::totals_or_footer(r) {
            Some(what) => {
                skipped.push((r.number, what));
                false
            }
            None => true,
        })
        .collect();

    let index = PolicyIndex::new(hb);
    let mut errors = Vec::new();
    let mut reader = rows::RowReader {
        cols: &cols,
        errors: &mut errors,
        fonts,
        strict: opts.strict,
    };
    let households = if per_person {
        rows::per_person(&data, &mut reader, &index, hb)
    } else {
        rows::per_household(&data, &mut reader, &index, hb)
    };
    let bad_rows: std::collections::HashSet<usize> = errors
        .iter()
        .filter(|e| !e.warning)
        .map(|e| e.row)
        .collect();
    let households = households
        .into_iter()
        .filter(|h| !h.rows.iter().any(|r| bad_rows.contains(r)))
        .collect::<Vec<_>>();
    errors.sort_by_key(|e| (e.row, e.warning));
    Ok(Loaded {
        households,
        errors,
        description: tr!(
            "households-description",
            source = &grid.source,
            layout = if per_person {
                tr!("households-per-person")
            } else {
                tr!("households-per-household")
            },
        ),
        columns: cols.report(),
        skipped,
        filled: grid.filled,
    })
}

/// Cards print sorted by village, group (一组 < 二组 < … < 十组) and household number.
pub(crate) fn sort(households: &mut [Household]) {
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
