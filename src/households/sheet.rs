//! Reading a cadre's sheet into a grid of cells, chosen by what the file holds, not by
//! its name: CSV or TSV text in UTF-8 (with or without BOM) or GBK/GB18030 as Excel on
//! Chinese Windows saves it (detected; `--encoding` overrides), or a workbook (.xlsx,
//! .xlsm, .xlsb, .xls, .ods, WPS .et/.ett; see [`super::workbook`]). Row numbers are
//! the ones the cadre sees in Excel. Reading is bounded: a file, its inflated size, its
//! rows and its cells have limits with a clear message, so no sheet can exhaust memory.

use std::path::Path;

use crate::sniff::{FileKind, sniff};

/// Files larger than this are refused before reading (a county 台账 of 50,000 people
/// is about 5 MB as .xlsx, 10 MB as CSV).
pub(crate) const MAX_FILE_BYTES: u64 = 100 << 20;
/// Rows with any content, over all of a sheet.
pub(crate) const MAX_ROWS: usize = 200_000;
/// Non-empty cells, merged cells filled in included.
pub(crate) const MAX_CELLS: usize = 5_000_000;

/// A cell as the sheet holds it. Numbers stay numbers so that an ID Excel turned into
/// a number can be recognised and explained; dates stay dates (Excel's serial number)
/// so that a date in a count column is caught.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(f64),
}

static EMPTY: Cell = Cell::Empty;

impl Cell {
    /// The cell as text, numbers without a spurious ".0".
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) | Cell::Date(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                format!("{}", *n as i64)
            }
            Cell::Number(n) | Cell::Date(n) => format!("{n}"),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            Cell::Number(_) | Cell::Date(_) => false,
        }
    }
}

/// A row with the number Excel shows for it (1-based). Cells are kept sparse, sorted
/// by column, so a stray cell far to the right costs nothing.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub number: usize,
    cells: Vec<(usize, Cell)>,
}

impl Row {
    /// A row from its cells in column order (empty ones dropped).
    pub(crate) fn new(number: usize, cells: Vec<Cell>) -> Row {
        Row::sparse(number, cells.into_iter().enumerate().collect())
    }

    pub(crate) fn sparse(number: usize, mut cells: Vec<(usize, Cell)>) -> Row {
        cells.retain(|(_, c)| !c.is_empty());
        cells.sort_by_key(|(i, _)| *i);
        cells.dedup_by_key(|(i, _)| *i);
        Row { number, cells }
    }

    /// The cell in column `col` (0 = A), empty if there is none.
    pub(crate) fn get(&self, col: usize) -> &Cell {
        match self.cells.binary_search_by_key(&col, |(i, _)| *i) {
            Ok(at) => &self.cells[at].1,
            Err(_) => &EMPTY,
        }
    }

    /// The non-empty cells with their column.
    pub(crate) fn cells(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells.iter().map(|(i, c)| (*i, c))
    }
}

pub(crate) struct Grid {
    pub rows: Vec<Row>,
    /// What was read, for messages ("CSV，UTF-8", "工作表「台账」").
    pub source: String,
    /// Cells filled in from merged cells (a 乡镇 merged down a block of rows).
    pub filled: usize,
}

/// Which encoding a CSV is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    pub(crate) fn parse(s: &str) -> Option<Encoding> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" | "utf8bom" => Some(Encoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" | "ansi" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

/// Whether a file name is an Excel/WPS owner lock file (`~$台账.xlsx`), which stands
/// beside a workbook while it is open.
pub(crate) fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

/// Why a sheet could not be read, and the cell to blame (row as Excel shows it,
/// 1-based column) when one is.
#[derive(Debug)]
pub(crate) struct ReadError {
    pub(crate) message: String,
    pub(crate) at: Option<(usize, usize)>,
}

impl From<String> for ReadError {
    fn from(message: String) -> ReadError {
        ReadError { message, at: None }
    }
}

pub(crate) fn read(
    path: &Path,
    encoding: Option<Encoding>,
    sheet: Option<&str>,
) -> Result<Grid, ReadError> {
    if is_lock_file(path) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        return Err(tr!(
            "households-lock-file",
            name = name,
            sheet = name.trim_start_matches("~$")
        )
        .into());
    }
    let meta = std::fs::metadata(path).map_err(|e| open_error(path, &e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(tr!(
            "households-file-too-big",
            mb = format!("{:.0}", meta.len() as f64 / 1e6),
            max = MAX_FILE_BYTES >> 20
        )
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| open_error(path, &e))?;
    let kind = sniff(&bytes);
    match kind {
        k if k.is_workbook() => Ok(super::workbook::read(bytes, k, sheet)?),
        FileKind::Text => read_text(&bytes, encoding),
        FileKind::Encrypted => Err(tr!("households-encrypted").into()),
        other => Err(tr!("households-not-a-sheet", kind = other.describe()).into()),
    }
}

/// The message for a file that cannot be opened; on Windows a sheet still open in
/// Excel/WPS is locked (a sharing violation).
fn open_error(path: &Path, e: &std::io::Error) -> String {
    // ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    if cfg!(windows) && matches!(e.raw_os_error(), Some(32) | Some(33)) {
        return tr!("households-sheet-in-use", file = path.display());
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => tr!("households-sheet-not-found", file = path.display()),
        std::io::ErrorKind::PermissionDenied => {
            tr!("households-sheet-permission", file = path.display())
        }
        _ => tr!(
            "households-sheet-unreadable",
            file = path.display(),
            error = e
        ),
    }
}

/// Decodes text bytes: a UTF-8 BOM or valid UTF-8 means UTF-8; anything else is read
/// as GB18030 (which includes GBK and GB2312), the encoding of Excel's "CSV" on
/// Chinese Windows.
pub(crate) fn decode(
    bytes: &[u8],
    encoding: Option<Encoding>,
) -> Result<(String, &'static str), String> {
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
                    Err(tr!("households-not-utf8", line = line))
                }
            }
        }
        Encoding::Gb18030 => {
            // A byte-order mark decides over GB18030: Excel's and WPS's "Unicode 文本"
            // is UTF-16 with one, and is named so in the summary.
            let (text, used, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                let pos = text.find('\u{fffd}').unwrap_or(0);
                let line = text[..pos].matches('\n').count() + 1;
                return Err(tr!("households-bad-bytes", line = line));
            }
            let name = if used == encoding_rs::GB18030 {
                "GB18030/GBK"
            } else {
                used.name()
            };
            Ok((text.into_owned(), name))
        }
    }
}

/// CSV, or TSV when the first lines hold more tabs than commas (Excel's "文本文件(制表符
/// 分隔)" and many system exports).
fn read_text(bytes: &[u8], encoding: Option<Encoding>) -> Result<Grid, ReadError> {
    let (text, name) = decode(bytes, encoding)?;
    let head: String = text.lines().take(20).collect();
    let tsv = head.matches('\t').count() > head.matches(',').count();
    let delimiter = if tsv { '\t' } else { ',' };
    // Read as it stands, the cell would run to the end of the file and every cell of
    // its row after it be reported empty.
    if let Some((row, col)) = unclosed_quote(&text, delimiter) {
        return Err(ReadError {
            message: tr!(
                "households-csv-unclosed-quote",
                row = row,
                column = super::columns::letter(col)
            ),
            at: Some((row, col + 1)),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0;
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| ReadError {
            message: tr!("households-csv-row", row = i + 1, error = e),
            at: Some((i + 1, 1)),
        })?;
        let row = Row::new(
            i + 1,
            rec.iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        );
        cells += row.cells.len();
        if rows.len() >= MAX_ROWS || cells > MAX_CELLS {
            return Err(too_big().into());
        }
        rows.push(row);
    }
    Ok(Grid {
        rows,
        source: tr!(
            "households-text-source",
            format = if tsv { "TSV" } else { "CSV" },
            encoding = name
        ),
        filled: 0,
    })
}

/// Where a cell opens with a quote that is never closed (a `"` typed at a cell's start
/// in Notepad): its row as the CSV reader numbers rows (blank lines skipped, a quoted
/// line break inside its cell) and its column (0-based). The CSV reader's rules: a
/// quote opens a cell only at its start, `""` inside is one quote.
fn unclosed_quote(text: &str, delimiter: char) -> Option<(usize, usize)> {
    let (mut row, mut col) = (1, 0);
    let (mut at_start, mut blank) = (true, true);
    let mut open = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if open.is_some() {
            if c == '"' && chars.next_if_eq(&'"').is_none() {
                open = None;
            }
            continue;
        }
        match c {
            '"' if at_start => open = Some((row, col)),
            '\n' => {
                row += usize::from(!blank);
                col = 0;
                blank = true;
                at_start = true;
                continue;
            }
            '\r' => continue,
            c if c == delimiter => {
                col += 1;
                at_start = true;
                blank = false;
                continue;
            }
            _ => {}
        }
        at_start = false;
        blank = false;
    }
    open
}

pub(crate) fn too_big() -> String {
    tr!("households-too-big", rows = MAX_ROWS, cells = MAX_CELLS)
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

    /// Excel's and WPS's "Unicode 文本" export: UTF-16 with a byte-order mark, read as
    /// such and named so (GB18030 would read its ASCII as text with NULs between).
    #[test]
    fn reads_utf16_with_its_byte_order_mark() {
        let text = "户编号\t户主姓名\r\nQH-1\t王堃\r\n";
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le, None).unwrap(), (text.to_string(), "UTF-16LE"));
        assert_eq!(decode(&be, None).unwrap(), (text.to_string(), "UTF-16BE"));
        let grid = read_text(&le, None).unwrap();
        assert_eq!(grid.rows.len(), 2);
        assert_eq!(grid.rows[1].get(1).text(), "王堃");
    }

    #[test]
    fn numbers_print_without_decimals() {
        assert_eq!(Cell::Number(4.0).text(), "4");
        assert_eq!(Cell::Number(3000.5).text(), "3000.5");
    }

    /// A quote with no partner names its cell (row as Excel shows it, after a blank
    /// line and a quoted line break), not the cells it would swallow.
    #[test]
    fn an_unclosed_quote_names_its_cell() {
        let text = "户编号,姓名,身份证号\n\n1,\"王五\n二行\",421123\n2,\"王\"\"六,4211\n";
        assert_eq!(unclosed_quote(text, ','), Some((3, 1)));
        let e = read_text(text.as_bytes(), None).err().unwrap();
        assert!(e.message.contains("第3行B列"), "{}", e.message);
        assert_eq!(e.at, Some((3, 2)));
        // Closed, doubled inside, or in the middle of a cell: read as before.
        let fine = "户编号,姓名\n1,\"王\"\"五\"\n2,王\"六\n3,\"a\"b\n";
        assert_eq!(unclosed_quote(fine, ','), None);
        assert_eq!(read_text(fine.as_bytes(), None).unwrap().rows.len(), 4);
        assert_eq!(unclosed_quote("a\t\"b\n", '\t'), Some((1, 1)));
    }

    #[test]
    fn tsv_and_sparse_rows() {
        let g = read_text("户编号\t姓名\n1\t王堃\n".as_bytes(), None).unwrap();
        assert!(g.source.starts_with("TSV"));
        assert_eq!(g.rows[1].get(1), &Cell::Text("王堃".into()));
        assert_eq!(g.rows[1].get(7), &Cell::Empty);
        let r = Row::new(3, vec![Cell::Empty, Cell::Text("a".into())]);
        assert_eq!(r.cells().count(), 1);
    }

    #[test]
    fn lock_files_are_named_for_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("~$台账.xlsx");
        std::fs::write(&p, [6u8; 165]).unwrap();
        let e = read(&p, None, None).err().unwrap().message;
        assert!(e.contains("还开着") && e.contains("「台账.xlsx」"), "{e}");
        let doc = dir.path().join("名单.csv");
        std::fs::write(&doc, b"%PDF-1.4\n").unwrap();
        assert!(
            read(&doc, None, None)
                .err()
                .unwrap()
                .message
                .contains("PDF")
        );
    }
}
