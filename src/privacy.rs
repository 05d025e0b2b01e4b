//! What `build` refuses to publish, by construction: a spreadsheet, document or archive
//! found among the files it would copy (by content, whatever its name: a 台账 saved as
//! `.et`, `.xlsb`, `.dbf`, `.zip`, `.csv.bak`), and any published text, entries
//! included, that holds a valid GB 11643 ID number. A policy page never needs one, so a
//! valid ID anywhere in the site is a household's data in the wrong place.

use std::path::Path;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::households::check::check_char;
use crate::sniff::{FileKind, sniff};

/// Names that are sheets whatever they hold (a CSV of households is text).
const SHEET_NAMES: &[&str] = &[
    ".csv", ".tsv", ".xlsx", ".xlsm", ".xlsb", ".xls", ".xlt", ".xltx", ".xltm", ".ods", ".et",
    ".ett", ".dbf", ".numbers",
];

/// Why the file at `display` (as the user knows it) must not be published, if it
/// must not.
pub(crate) fn refuse_file(display: &Path, bytes: &[u8]) -> Option<Diagnostic> {
    let kind = sniff(bytes);
    let lower = display.to_string_lossy().to_lowercase();
    let by_name = SHEET_NAMES.iter().any(|e| lower.ends_with(e));
    if kind.is_unpublishable() || by_name {
        let what = if kind.is_unpublishable() {
            kind.describe()
        } else {
            tr!("privacy-file-kind-sheet")
        };
        return Some(
            Diagnostic::error(tr!("privacy-file", file = display.display(), what = what))
                .in_file(display, 1, 1)
                .with_hint(tr!("privacy-file-hint")),
        );
    }
    if kind == FileKind::Text {
        let text = decode(bytes);
        if let Some(at) = find_ids(&text).first() {
            let src = SourceFile::new(display, text.clone());
            return Some(id_error(&src, *at));
        }
    }
    None
}

/// Entries (Markdown and front matter) that hold an ID number.
pub(crate) fn ids_in_source(src: &SourceFile) -> Vec<Diagnostic> {
    find_ids(&src.text)
        .into_iter()
        .map(|at| id_error(src, at))
        .collect()
}

fn id_error(src: &SourceFile, at: usize) -> Diagnostic {
    Diagnostic::error(tr!("privacy-id", start = &src.text[at..at + 6]))
        .at(src, at..at + 18)
        .with_hint(tr!("privacy-id-hint"))
        .masked()
}

fn decode(bytes: &[u8]) -> String {
    let body = bytes.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(body).0.into_owned(),
    }
}

/// Byte offsets of valid 18-character ID numbers: 17 digits and the right check
/// character, a plausible region and birth date, not part of a longer number.
pub(crate) fn find_ids(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 18 <= b.len() {
        // An ID starting anywhere from i to i + 16 has a digit at i + 16: where there
        // is none, 17 bytes are passed at once (a handbook's text has few digits).
        if !b[i + 16].is_ascii_digit() {
            i += 17;
            continue;
        }
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let candidate = match run {
            18 => true,
            17 => matches!(b.get(i + 17), Some(b'X' | b'x')),
            _ => false,
        };
        if candidate && plausible(&text[i..i + 18]) {
            let after = b.get(i + 18);
            if !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
                out.push(i);
            }
        }
        i += run.max(1);
    }
    out
}

fn plausible(id: &str) -> bool {
    let d = |r: std::ops::Range<usize>| id[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (d(6..10), d(10..12), d(12..14));
    (b'1'..=b'8').contains(&id.as_bytes()[0])
        && (1900..=2099).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && id[17..].eq_ignore_ascii_case(&check_char(&id[..17]).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place an ID starts, by looking at each byte: what `find_ids` must find.
    fn find_ids_one_by_one(text: &str) -> Vec<usize> {
        let b = text.as_bytes();
        (0..b.len().saturating_sub(17))
            .filter(|&i| {
                text.is_char_boundary(i)
                    && text.is_char_boundary(i + 18)
                    && (i == 0 || !b[i - 1].is_ascii_digit())
                    && b[i..i + 17].iter().all(u8::is_ascii_digit)
                    && (b[i + 17].is_ascii_digit() || matches!(b[i + 17], b'X' | b'x'))
                    && !b.get(i + 18).is_some_and(|c| c.is_ascii_alphanumeric())
                    && plausible(&text[i..i + 18])
            })
            .collect()
    }

    #[test]
    fn ids_are_found_wherever_they_start_among_digits_and_text() {
        let ids = [
            "11010519491231002X",
            "110105194912310021",
            "44030619900307001x",
        ];
        let pieces = ["户主", "7", "12", "X", "，", " ", "2024年", "0"];
        let mut seed = 0x9e37_79b9_u32;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        let mut found = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(40) {
                match next(6) {
                    0 => text.push_str(ids[next(ids.len())]),
                    _ => text.push_str(pieces[next(pieces.len())]),
                }
            }
            let want = find_ids_one_by_one(&text);
            assert_eq!(find_ids(&text), want, "{text}");
            found += want.len();
        }
        assert!(found > 300, "{found}");
    }

    #[test]
    fn valid_ids_are_found_and_other_numbers_not() {
        let id = "11010519491231002X";
        let text = format!("户主王堃，身份证{id}，电话13807180101；编号 123456789012345678");
        let found = find_ids(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0]..found[0] + 18], id);
        // Inside a longer number, or with a wrong check digit: not an ID.
        assert!(find_ids(&format!("9{id}")).is_empty());
        assert!(find_ids("110105194912310021").is_empty());
    }

    #[test]
    fn sheets_and_documents_are_refused_by_content() {
        let p = Path::new("static/下载/名单.txt");
        assert!(refuse_file(p, "户主,身份证号\n王堃,11010519491231002X\n".as_bytes()).is_some());
        assert!(refuse_file(p, "办理流程说明".as_bytes()).is_none());
        assert!(refuse_file(Path::new("content/a.csv.bak"), b"a,b").is_none());
        assert!(refuse_file(Path::new("static/a.et"), b"a,b").is_some());
        let d = refuse_file(Path::new("static/x.png"), b"PK\x03\x04garbage").unwrap();
        assert!(d.message.contains("压缩包"), "{}", d.message);
        let shown = d.to_string();
        assert!(!shown.contains("1101051949"), "{shown}");
    }
}
