//! What a file is, told by its bytes, never by its name: a 台账 saved as `.et`, an
//! `.xlsx` renamed `.et`, or a sheet saved as `.txt` is recognised for what it holds.
//! Used by the household sheet reader (to pick the reader) and by `build` (to refuse
//! to publish spreadsheets and documents dropped into `content/` or `static/`).

use std::io::Cursor;

/// A file's kind by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// Office Open XML workbook (.xlsx, .xlsm, .xltx, .xltm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// An OLE2 compound file holding a BIFF workbook (.xls, WPS .et/.ett).
    Biff,
    /// An OLE2 compound file holding a Word/WPS document or other non-sheet content.
    OleDocument,
    /// A password-protected Office file (OLE2 with an EncryptedPackage stream).
    Encrypted,
    /// A word-processing or presentation document in a zip (.docx, .pptx, .odt).
    ZipDocument,
    /// Any other zip archive.
    Zip,
    /// A dBASE table (.dbf), as old statistics systems export.
    Dbf,
    Pdf,
    /// Text in UTF-8 or GB18030/GBK (CSV, TSV, TXT, JSON, HTML, …).
    Text,
    /// Anything else (images, fonts, …).
    Binary,
}

impl FileKind {
    /// A workbook mingbai can read as a household sheet.
    pub(crate) fn is_workbook(self) -> bool {
        matches!(
            self,
            FileKind::Xlsx | FileKind::Xlsb | FileKind::Ods | FileKind::Biff
        )
    }

    /// A spreadsheet, document or archive that must never be published: its contents
    /// cannot be checked for personal data.
    pub(crate) fn is_unpublishable(self) -> bool {
        !matches!(self, FileKind::Pdf | FileKind::Text | FileKind::Binary)
    }

    /// The kind in the user's words.
    pub(crate) fn describe(self) -> String {
        match self {
            FileKind::Xlsx => tr!("sniff-xlsx"),
            FileKind::Xlsb => tr!("sniff-xlsb"),
            FileKind::Ods => tr!("sniff-ods"),
            FileKind::Biff => tr!("sniff-biff"),
            FileKind::OleDocument => tr!("sniff-ole-document"),
            FileKind::Encrypted => tr!("sniff-encrypted"),
            FileKind::ZipDocument => tr!("sniff-zip-document"),
            FileKind::Zip => tr!("sniff-zip"),
            FileKind::Dbf => tr!("sniff-dbf"),
            FileKind::Pdf => tr!("sniff-pdf"),
            FileKind::Text => tr!("sniff-text"),
            FileKind::Binary => tr!("sniff-binary"),
        }
    }
}

const OLE: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/// Tells a file's kind from its bytes.
pub(crate) fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes);
    }
    if bytes.starts_with(OLE) {
        return ole_kind(bytes);
    }
    if bytes.starts_with(b"%PDF-") {
        return FileKind::Pdf;
    }
    if looks_like_dbf(bytes) {
        return FileKind::Dbf;
    }
    if is_text(bytes) {
        return FileKind::Text;
    }
    FileKind::Binary
}

/// A zip's kind by the names of its entries (and the ODF mimetype).
fn zip_kind(bytes: &[u8]) -> FileKind {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return FileKind::Zip;
    };
    let has = |n: &str| zip.index_for_name(n).is_some();
    if has("xl/workbook.xml") {
        return FileKind::Xlsx;
    }
    if has("xl/workbook.bin") {
        return FileKind::Xlsb;
    }
    if has("word/document.xml") || has("ppt/presentation.xml") {
        return FileKind::ZipDocument;
    }
    if has("mimetype") && has("content.xml") {
        // The mimetype entry is stored first and uncompressed: its text is in the bytes.
        let head = &bytes[..bytes.len().min(200)];
        if find(head, b"opendocument.spreadsheet").is_some() {
            return FileKind::Ods;
        }
        return FileKind::ZipDocument;
    }
    FileKind::Zip
}

/// An OLE2 compound file's kind by the stream names in its directory (UTF-16LE).
fn ole_kind(bytes: &[u8]) -> FileKind {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    if find(bytes, &utf16("EncryptedPackage")).is_some() {
        return FileKind::Encrypted;
    }
    if find(bytes, &utf16("Workbook")).is_some() || find(bytes, &utf16("Book")).is_some() {
        return FileKind::Biff;
    }
    FileKind::OleDocument
}

/// dBASE III/IV/FoxPro: a version byte, a plausible last-update date, a header length
/// that is 32 bytes a field plus 33, and the header terminator where it says.
fn looks_like_dbf(b: &[u8]) -> bool {
    if b.len() < 65 || !matches!(b[0], 0x02 | 0x03 | 0x30 | 0x31 | 0x32 | 0x83 | 0x8b | 0xf5) {
        return false;
    }
    let (month, day) = (b[2], b[3]);
    let header = u16::from_le_bytes([b[8], b[9]]) as usize;
    (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && header >= 65
        && header <= b.len()
        && (header - 1) % 32 == 0
        && b[header - 1] == 0x0d
}

/// Text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030, with at most a few
/// stray control bytes (a NUL or ESC pasted into a cell is the sheet's problem, named
/// by row and column later, not a reason to call the file binary).
fn is_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1a))
        .count();
    if controls > 4.max(sample.len() / 1000) {
        return false;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A cut in the middle of a character at the sample's end is not an error.
        Err(e) if e.error_len().is_none() => true,
        Err(_) => !encoding_rs::GB18030.decode(sample).2,
    }
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        for n in names {
            z.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"<x/>").unwrap();
        }
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn kinds_by_content() {
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "xl/workbook.xml"])),
            FileKind::Xlsx
        );
        assert_eq!(sniff(&zip_with(&["xl/workbook.bin"])), FileKind::Xlsb);
        assert_eq!(
            sniff(&zip_with(&["word/document.xml"])),
            FileKind::ZipDocument
        );
        assert_eq!(sniff(&zip_with(&["a.txt"])), FileKind::Zip);
        let mut ole = OLE.to_vec();
        ole.extend(std::iter::repeat_n(0, 500));
        ole.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&ole), FileKind::Biff);
        assert_eq!(sniff(&OLE.repeat(20)), FileKind::OleDocument);
        assert_eq!(sniff("户编号,姓名\n1,王堃\n".as_bytes()), FileKind::Text);
        let (gbk, _, _) = encoding_rs::GBK.encode("户编号\t姓名\r\n");
        assert_eq!(sniff(&gbk), FileKind::Text);
        assert_eq!(sniff(b"%PDF-1.7\n"), FileKind::Pdf);
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
        png.resize(200, 0);
        assert_eq!(sniff(&png), FileKind::Binary);
        // A NUL or ESC pasted into a sheet's cell does not make it binary.
        assert_eq!(
            sniff("户编号,姓名\n1,王\x1b堃\n".as_bytes()),
            FileKind::Text
        );
        let mut dbf = vec![0x03, 126, 11, 20, 2, 0, 0, 0, 97, 0, 40, 0];
        dbf.resize(97, 0);
        dbf[96] = 0x0d;
        dbf.extend(b" 421123");
        assert_eq!(sniff(&dbf), FileKind::Dbf);
    }
}
