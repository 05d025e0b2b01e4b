//! Workbooks through calamine, bounded and as a person sees them: the chosen worksheet's
//! cells (streamed where the format allows, so a stray cell at XFD1048576 costs one
//! cell, not a 549 GB range), merged cells filled from their anchor (a 乡镇 merged down
//! a block of rows reads as that 乡镇 on every row), and zip-based files checked for
//! their inflated size before anything is parsed, so a zip bomb is refused, not
//! inflated.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Dimensions, Reader, Xls, Xlsb, Xlsx};

use super::sheet::{Cell, Grid, MAX_CELLS, MAX_ROWS, Row, too_big};
use crate::sniff::FileKind;

/// Inflated bytes of all entries of a zip-based workbook together.
pub(crate) const MAX_INFLATED: u64 = 512 << 20;

pub(crate) fn read(bytes: Vec<u8>, kind: FileKind, sheet: Option<&str>) -> Result<Grid, String> {
    if matches!(kind, FileKind::Xlsx | FileKind::Xlsb | FileKind::Ods) {
        check_inflated(&bytes)?;
    }
    let damaged = |e: &dyn std::fmt::Display| {
        tr!(
            "households-workbook-damaged",
            kind = kind.describe(),
            error = e
        )
    };
    let rs = Cursor::new(bytes);
    let mut cells = Cells::default();
    let (name, merges) = match kind {
        FileKind::Xlsx => {
            let mut wb = Xlsx::new(rs).map_err(|e| damaged(&e))?;
            let name = pick(wb.sheet_names(), sheet)?;
            {
                let mut r = wb.worksheet_cells_reader(&name).map_err(|e| damaged(&e))?;
                while let Some(c) = r.next_cell().map_err(|e| damaged(&e))? {
                    cells.push(c.get_position(), from_ref(c.get_value()))?;
                }
            }
            let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
            (name, merges)
        }
        FileKind::Xlsb => {
            let mut wb = Xlsb::new(rs).map_err(|e| damaged(&e))?;
            let name = pick(wb.sheet_names(), sheet)?;
            let mut r = wb.worksheet_cells_reader(&name).map_err(|e| damaged(&e))?;
            while let Some(c) = r.next_cell().map_err(|e| damaged(&e))? {
                cells.push(c.get_position(), from_ref(c.get_value()))?;
            }
            (name, Vec::new())
        }
        FileKind::Biff => {
            // A BIFF sheet has at most 65,536 × 256 cells, so its range is bounded.
            let mut wb = Xls::new(rs).map_err(|e| damaged(&e))?;
            let name = pick(wb.sheet_names(), sheet)?;
            let range = wb.worksheet_range(&name).map_err(|e| damaged(&e))?;
            for (r, c, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.push((r0 + r as u32, c0 + c as u32), from_data(d))?;
            }
            let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
            (name, merges)
        }
        _ => {
            let mut wb = calamine::open_workbook_auto_from_rs(rs).map_err(|e| damaged(&e))?;
            let name = pick(wb.sheet_names(), sheet)?;
            let range = wb.worksheet_range(&name).map_err(|e| damaged(&e))?;
            for (r, c, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.push((r0 + r as u32, c0 + c as u32), from_data(d))?;
            }
            (name, Vec::new())
        }
    };
    let filled = cells.fill_merged(&merges)?;
    Ok(Grid {
        rows: cells.into_rows(),
        source: tr!(
            "households-workbook-source",
            kind = kind.describe(),
            name = name
        ),
        filled,
    })
}

/// The named worksheet, or the first.
fn pick(names: Vec<String>, sheet: Option<&str>) -> Result<String, String> {
    match sheet {
        Some(s) if names.iter().any(|n| n == s) => Ok(s.to_string()),
        Some(s) => Err(tr!(
            "households-no-such-worksheet",
            name = s,
            names = names.join(&tr!("list-sep"))
        )),
        None => names
            .into_iter()
            .next()
            .ok_or_else(|| tr!("households-no-worksheets")),
    }
}

/// Counts what every entry inflates to, reading through at most the limit: the sizes a
/// zip declares can lie.
fn check_inflated(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| tr!("households-workbook-corrupt", error = e))?;
    let mut total: u64 = 0;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| tr!("households-workbook-corrupt", error = e))?;
        loop {
            let n = f
                .read(&mut sink)
                .map_err(|e| tr!("households-workbook-corrupt", error = e))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_INFLATED {
                return Err(tr!(
                    "households-workbook-inflated",
                    max = MAX_INFLATED >> 20,
                    mb = format!("{:.1}", bytes.len() as f64 / 1e6)
                ));
            }
        }
    }
    Ok(())
}

fn from_ref(d: &DataRef) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(d) => Cell::Date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(d) => Cell::Date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// Non-empty cells by row, counted against the limits as they arrive.
#[derive(Default)]
struct Cells {
    rows: BTreeMap<u32, Vec<(usize, Cell)>>,
    count: usize,
}

impl Cells {
    fn push(&mut self, (r, c): (u32, u32), cell: Cell) -> Result<(), String> {
        if cell.is_empty() {
            return Ok(());
        }
        self.count += 1;
        let row = self.rows.entry(r).or_default();
        row.push((c as usize, cell));
        if self.count > MAX_CELLS || self.rows.len() > MAX_ROWS {
            return Err(too_big());
        }
        Ok(())
    }

    /// Copies each merged region's anchor value into its other cells, within the rows
    /// and columns that hold anything (a region may claim the whole sheet).
    fn fill_merged(&mut self, merges: &[Dimensions]) -> Result<usize, String> {
        let Some((&last_row, _)) = self.rows.last_key_value() else {
            return Ok(0);
        };
        let last_col = self
            .rows
            .values()
            .flat_map(|v| v.iter().map(|(c, _)| *c as u32))
            .max()
            .unwrap_or(0);
        let mut filled = 0;
        for m in merges {
            let (r0, c0) = m.start;
            let Some(anchor) = self
                .rows
                .get(&r0)
                .and_then(|v| v.iter().find(|(c, _)| *c == c0 as usize))
                .map(|(_, cell)| cell.clone())
            else {
                continue;
            };
            for r in r0..=m.end.0.min(last_row) {
                for c in c0..=m.end.1.min(last_col) {
                    let row = self.rows.entry(r).or_default();
                    if !row.iter().any(|(x, _)| *x == c as usize) {
                        row.push((c as usize, anchor.clone()));
                        filled += 1;
                        self.count += 1;
                        if self.count > MAX_CELLS {
                            return Err(too_big());
                        }
                    }
                }
            }
        }
        Ok(filled)
    }

    fn into_rows(self) -> Vec<Row> {
        self.rows
            .into_iter()
            .map(|(r, cells)| Row::sparse(r as usize + 1, cells))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_regions_fill_down_and_right_within_the_data() {
        let mut c = Cells::default();
        let t = |s: &str| Cell::Text(s.into());
        c.push((3, 1), t("青禾镇")).unwrap();
        c.push((3, 2), t("桃源村")).unwrap();
        for r in 3..7 {
            c.push((r, 4), t("王")).unwrap();
        }
        let merges = [
            // 乡镇 down four rows; a region claiming a million rows stops at the data.
            Dimensions {
                start: (3, 1),
                end: (1_048_575, 1),
            },
            Dimensions {
                start: (3, 2),
                end: (4, 3),
            },
        ];
        let filled = c.fill_merged(&merges).unwrap();
        assert_eq!(filled, 3 + 3);
        let rows = c.into_rows();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[3].number, 7);
        assert_eq!(rows[3].get(1), &t("青禾镇"));
        assert_eq!(rows[1].get(3), &t("桃源村"));
        assert_eq!(rows[2].get(2), &Cell::Empty);
    }

    #[test]
    fn a_zip_bomb_is_refused_before_parsing() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(MAX_INFLATED >> 20) + 1 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
        let bytes = buf.into_inner();
        assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
        let e = read(bytes, FileKind::Xlsx, None).err().unwrap();
        assert!(e.contains("解压后超过"), "{e}");
    }
}
