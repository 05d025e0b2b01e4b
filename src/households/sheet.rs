//! Reading a cadre's sheet into a grid of cells: CSV in UTF-8 (with or without BOM) or
//! GBK/GB18030 as Excel on Chinese Windows saves it (detected; `--encoding` overrides),
//! or the first (or a named) sheet of an .xlsx/.xls/.ods workbook. Row numbers are the
//! ones the cadre sees in Excel.

use std::path::Path;

/// A cell as the sheet holds it. Numbers stay numbers so that an ID Excel turned into
/// a number can be recognised and explained.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as text, numbers without a spurious ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// A row with the number Excel shows for it (1-based).
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

pub struct Grid {
    pub rows: Vec<Row>,
    /// What was read, for messages ("UTF-8", "GB18030", "工作表「台账」").
    pub source: String,
}

/// Which encoding a CSV is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" | "utf8bom" => Some(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" | "ansi" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

pub fn read(path: &Path, encoding: Option<Encoding>, sheet: Option<&str>) -> Result<Grid, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, sheet),
        _ => {
            let bytes =
                std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
            read_csv(&bytes, encoding)
        }
    }
}

/// Decodes CSV bytes: a UTF-8 BOM or valid UTF-8 means UTF-8; anything else is read as
/// GB18030 (which includes GBK and GB2312), the encoding of Excel's "CSV" on Chinese
/// Windows.
pub fn decode(bytes: &[u8], encoding: Option<Encoding>) -> Result<(String, &'static str), String> {
    let enc = encoding.unwrap_or_else(|| {
        if bytes.starts_with(&[0xef, 0xbb, 0xbf]) || std::str::from_utf8(bytes).is_ok() {
            Encoding::Utf8
        } else {
            Encoding::Gb18030
        }
    });
    match enc {
        Encoding::Utf8 => {
            let body = bytes.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(s) => Ok((s.to_string(), "UTF-8")),
                Err(e) => {
                    let line = body[..e.valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1;
                    Err(format!(
                        "第{line}行不是 UTF-8 文字：这个文件可能是 GBK（Excel 在中文 Windows 上另存为 CSV 的默认编码），\
                         去掉 --encoding 让 mingbai 自动识别，或写 --encoding gbk"
                    ))
                }
            }
        }
        Encoding::Gb18030 => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                let pos = text.find('\u{fffd}').unwrap_or(0);
                let line = text[..pos].matches('\n').count() + 1;
                return Err(format!(
                    "第{line}行有无法识别的字节：文件既不是 UTF-8 也不是 GBK/GB18030；请在 Excel 中另存为「CSV UTF-8」"
                ));
            }
            Ok((text.into_owned(), "GB18030/GBK"))
        }
    }
}

fn read_csv(bytes: &[u8], encoding: Option<Encoding>) -> Result<Grid, String> {
    let (text, name) = decode(bytes, encoding)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("第{}行无法读取：{e}", i + 1))?;
        let cells = rec
            .iter()
            .map(|c| {
                if c.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect();
        rows.push(Row {
            number: i + 1,
            cells,
        });
    }
    Ok(Grid {
        rows,
        source: format!("CSV，{name}"),
    })
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb =
        open_workbook_auto(path).map_err(|e| format!("无法打开工作簿 {}：{e}", path.display()))?;
    let names = wb.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(format!(
                    "没有名为「{s}」的工作表；工作簿里有：{}",
                    names.join("、")
                ));
            }
            s.to_string()
        }
        None => names.first().cloned().ok_or("工作簿里没有工作表")?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| format!("无法读取工作表「{name}」：{e}"))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<Cell> = vec![Cell::Empty; c0 as usize];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty => Cell::Empty,
            Data::String(s) if s.trim().is_empty() => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(n) => Cell::Number(*n as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
            Data::DateTime(d) => Cell::Text(d.as_f64().to_string()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(e) => Cell::Text(format!("#{e:?}")),
        }));
        rows.push(Row {
            number: r0 as usize + i + 1,
            cells,
        });
    }
    Ok(Grid {
        rows,
        source: format!("工作表「{name}」"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gbk_and_utf8_with_bom() {
        let (t, e) = decode("\u{feff}户编号,姓名\n".as_bytes(), None).unwrap();
        assert_eq!((t.as_str(), e), ("户编号,姓名\n", "UTF-8"));
        let (gbk, _, _) = encoding_rs::GBK.encode("户编号,王堃\n");
        let (t, e) = decode(&gbk, None).unwrap();
        assert_eq!((t.as_str(), e), ("户编号,王堃\n", "GB18030/GBK"));
        assert!(
            decode(&gbk, Some(Encoding::Utf8))
                .unwrap_err()
                .contains("GBK")
        );
    }

    #[test]
    fn numbers_print_without_decimals() {
        assert_eq!(Cell::Number(4.0).text(), "4");
        assert_eq!(Cell::Number(3000.5).text(), "3000.5");
    }
}
