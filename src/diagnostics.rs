//! Errors and warnings about the user's files, printed like a compiler's: where
//! (file:line:col), the offending line with the span underlined, and a hint.
//!
//! Every stage collects diagnostics instead of stopping at the first one, so a single
//! run reports everything that is wrong.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// A position in a user's file. `line` and `col` are 1-based; `col` counts characters,
/// not bytes, so it matches what an editor shows for Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// The source line and the underlined character range within it.
    snippet: Option<Box<(String, Range<usize>)>>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            snippet: None,
            hint: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points at a byte range of a source file.
    pub(crate) fn at(mut self, src: &SourceFile, span: Range<usize>) -> Self {
        let (line, line_start, line_text) = src.line_at(span.start);
        let col = src.col(line_start, span.start);
        // Byte offsets in the line: the span's start, and its end on this line (at least
        // one character is underlined).
        let len = line_text.len();
        let rel = floor_char(line_text, span.start.saturating_sub(line_start).min(len));
        let rel_end = floor_char(line_text, span.end.saturating_sub(line_start).min(len)).max(rel);
        // Only a window of the line around the span is looked at, so an error on a
        // 40 KB line costs what one on a short line does (thousands of them were
        // quadratic).
        let w0 = floor_char(line_text, rel.saturating_sub(SNIPPET_WINDOW));
        let w1 = ceil_char(line_text, (rel + SNIPPET_WINDOW).min(len));
        let window = &line_text[w0..w1];
        let from = line_text[w0..rel].chars().count();
        let width = line_text[rel..rel_end.min(w1)].chars().count().max(1);
        self.location = Some(Location {
            file: src.path.clone(),
            line,
            col,
        });
        self.snippet = Some(Box::new(cut_line(
            window,
            from..from + width,
            (w0 > 0, w1 < len),
        )));
        self
    }

    /// Points at a whole file, or a line of it, without a snippet.
    pub(crate) fn in_file(mut self, file: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        self.location = Some(Location {
            file: file.into(),
            line,
            col,
        });
        self
    }

    /// Masks long digit runs (ID and phone numbers) in the message and the quoted
    /// source line, keeping every column where it was: the line may hold personal data.
    pub(crate) fn masked(mut self) -> Self {
        self.message = crate::households::check::redact(&self.message);
        if let Some(snippet) = &mut self.snippet {
            snippet.0 = crate::households::check::redact(&snippet.0);
        }
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => tr!("label-error"),
            Severity::Warning => tr!("label-warning"),
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(loc) = &self.location {
            writeln!(f, "  --> {}:{}:{}", loc.file.display(), loc.line, loc.col)?;
            if let Some(snippet) = &self.snippet {
                let (text, range) = &**snippet;
                let num = loc.line.to_string();
                let pad = " ".repeat(num.len());
                let before: String = text.chars().take(range.start).collect();
                let marked: String = text
                    .chars()
                    .skip(range.start)
                    .take(range.end - range.start)
                    .collect();
                // Terminal columns, so the carets sit under wide (CJK) characters too.
                let indent = " ".repeat(UnicodeWidthStr::width(before.replace('\t', " ").as_str()));
                let carets = "^".repeat(UnicodeWidthStr::width(marked.as_str()).max(1));
                writeln!(f, " {pad} |")?;
                writeln!(f, " {num} | {}", text.replace('\t', " "))?;
                writeln!(f, " {pad} | {indent}{carets}")?;
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = {}: {hint}", tr!("label-hint"))?;
        }
        Ok(())
    }
}

/// A user's file held in memory, with a line index for turning byte offsets into
/// line:column positions.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    pub text: String,
    /// Made when a position is first asked for: most files never have a problem, and
    /// at 10,000 entries the index cost 60 ms and 24 MB.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub(crate) fn new(path: impl Into<PathBuf>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, start, _) = self.line_at(offset);
        (line, self.col(start, offset))
    }

    /// The line holding byte `offset`: its number (1-based), where it starts, and its
    /// text. Until the line index is made, a line within the file's first few KB is
    /// found by reading up to it: a message in each of 10,000 front matters (stale
    /// review dates) indexed every line of every file, 40 ms on one thread. Further
    /// in, the index is made, so many messages in a large file stay linear.
    pub(crate) fn line_at(&self, offset: usize) -> (usize, usize, &str) {
        const QUICK: usize = 4096;
        let offset = offset.min(self.text.len());
        let bytes = self.text.as_bytes();
        if self.line_starts.get().is_none() && offset <= QUICK {
            let before = &bytes[..offset];
            let start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let rest = &bytes[start..bytes.len().min(start + QUICK)];
            let end = match rest.iter().position(|&b| b == b'\n') {
                Some(e) => Some(start + e),
                None if start + rest.len() == bytes.len() => Some(bytes.len()),
                None => None,
            };
            if let Some(end) = end {
                let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
                return (line, start, self.text[start..end].trim_end_matches('\r'));
            }
        }
        let line = self.line_starts().partition_point(|&s| s <= offset);
        (line, self.line_start(line), self.line_text(line))
    }

    /// The 1-based character column of byte `offset` in the line starting at `start`.
    fn col(&self, start: usize, offset: usize) -> usize {
        let offset = offset.min(self.text.len()).max(start);
        self.text[start..floor_char(&self.text, offset)]
            .chars()
            .count()
            + 1
    }

    pub(crate) fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.line_starts()[line - 1]
    }

    pub(crate) fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let start = starts[line - 1];
        let end = starts.get(line).map_or(self.text.len(), |&e| e - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }
}

/// Characters of a source line shown around the column: a 10 KB line (minified, or a
/// fuzzer's) would otherwise fill the terminal, and be kept in memory per error.
const SNIPPET_CHARS: usize = 100;

/// Bytes of a line on either side of an error's column that are looked at (enough for
/// [`SNIPPET_CHARS`] characters of any width).
const SNIPPET_WINDOW: usize = 4 * SNIPPET_CHARS;

/// `line` cut to [`SNIPPET_CHARS`] around `range` (in characters), with `…` where it
/// was cut (`cut` says whether it already was, on the left and on the right), and the
/// range moved to match.
fn cut_line(line: &str, range: Range<usize>, cut: (bool, bool)) -> (String, Range<usize>) {
    let n = line.chars().count();
    let width = range
        .end
        .saturating_sub(range.start)
        .clamp(1, SNIPPET_CHARS / 2);
    let (from, to) = if n <= SNIPPET_CHARS {
        (0, n)
    } else {
        let from = range
            .start
            .saturating_sub(SNIPPET_CHARS / 3)
            .min(n.saturating_sub(SNIPPET_CHARS));
        (from, (from + SNIPPET_CHARS).min(n))
    };
    let left = from > 0 || cut.0;
    let mut out: String = if left { "…".into() } else { String::new() };
    out.extend(line.chars().skip(from).take(to - from));
    if to < n || cut.1 {
        out.push('…');
    }
    let start = range.start - from + usize::from(left);
    (out, start..start + width)
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A file's text as mingbai reads it: a byte-order mark at the very start (Windows
/// editors save one) is not content and is dropped, in every text file mingbai reads.
pub(crate) fn strip_bom(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// The text of a user's file (`display` is how it is named to the user): UTF-8 with
/// any byte-order mark dropped; else UTF-16 with its byte-order mark (Notepad's
/// "Unicode") or, when the bytes decode as GB18030 without a single error (Notepad and
/// WPS on Chinese Windows save GBK), that text and a warning naming the file; else a
/// located error at the first byte that is none of these.
pub(crate) fn decode_text(
    bytes: Vec<u8>,
    display: &Path,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    // simdutf8 checks Chinese text several times faster than std, whose path for
    // multi-byte characters was 0.08 s of each build of a 10,000-entry handbook (100
    // MB); std then says where a file that is not UTF-8 goes wrong.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: checked to be UTF-8 just above.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Ok((strip_bom(text), None));
    }
    let err = match String::from_utf8(bytes) {
        Ok(text) => return Ok((strip_bom(text), None)),
        Err(e) => e,
    };
    let off = err.utf8_error().valid_up_to();
    let bytes = err.as_bytes();
    match other_encoding(bytes) {
        Other::Utf16(enc, body) => utf16(enc, body, display),
        Other::Gbk(text) => {
            let warning = Diagnostic::warning(tr!("file-gbk", file = display.display()))
                .in_file(display, 1, 1)
                .with_hint(tr!("file-gbk-hint"));
            Ok((strip_bom(text.into_owned()), Some(warning)))
        }
        Other::Unknown => Err(unreadable(
            tr!("file-not-utf8"),
            utf8_head(bytes, off),
            display,
        )),
    }
}

/// The text of a theme file (a template, the print style), which is UTF-8 only (a
/// byte-order mark dropped): another encoding is a located error that says which it
/// seems to be, never text read with replacement characters (a font name in a GBK
/// style file would silently become another name).
pub(crate) fn utf8_only(bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    let err = match String::from_utf8(bytes) {
        Ok(text) => return Ok(strip_bom(text)),
        Err(e) => e,
    };
    let off = err.utf8_error().valid_up_to();
    let bytes = err.as_bytes();
    let message = match other_encoding(bytes) {
        Other::Utf16(..) => tr!("theme-file-utf16"),
        Other::Gbk(_) => {
            // The first character that is not UTF-8, as GBK reads it.
            let (rest, _) = encoding_rs::GB18030.decode_without_bom_handling(&bytes[off..]);
            let ch = rest.chars().next().unwrap_or('?');
            tr!("theme-file-gbk", char = ch.to_string())
        }
        Other::Unknown => tr!("template-not-utf8"),
    };
    Err(unreadable(message, utf8_head(bytes, off), display))
}

/// What bytes that are not UTF-8 hold.
enum Other<'a> {
    /// UTF-16 (the encoding its byte-order mark names) and the text after the mark.
    Utf16(&'static encoding_rs::Encoding, &'a [u8]),
    /// GBK: the whole file decodes as GB18030 without an error.
    Gbk(std::borrow::Cow<'a, str>),
    Unknown,
}

fn other_encoding(bytes: &[u8]) -> Other<'_> {
    // A UTF-16 byte-order mark is never valid GBK (0xFF is no lead byte, and no trail
    // byte either), so the two cannot be confused.
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        return Other::Utf16(enc, &bytes[bom..]);
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Other::Gbk(text),
        None => Other::Unknown,
    }
}

/// The first `off` bytes of `bytes`, which are valid UTF-8.
fn utf8_head(bytes: &[u8], off: usize) -> &str {
    std::str::from_utf8(&bytes[..off]).unwrap_or_default()
}

/// The error `message` at the end of `head`, the file's text up to where it cannot be
/// read, with the hint to save it as UTF-8.
fn unreadable(message: String, head: &str, display: &Path) -> Diagnostic {
    let (line, col) = SourceFile::new(display, head.to_string()).line_col(head.len());
    Diagnostic::error(message)
        .in_file(display, line, col)
        .with_hint(tr!("file-not-utf8-hint"))
}

/// A file saved as UTF-16 (`enc`, its byte-order mark already taken off): its text
/// and a warning, or an error at the line of the first unit that is no character (a
/// lone surrogate, an odd last byte).
fn utf16(
    enc: &'static encoding_rs::Encoding,
    body: &[u8],
    display: &Path,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    if had_errors {
        let off = text.find('\u{fffd}').unwrap_or(0);
        return Err(unreadable(tr!("file-not-utf8"), &text[..off], display));
    }
    let warning = Diagnostic::warning(tr!("file-utf16", file = display.display()))
        .in_file(display, 1, 1)
        .with_hint(tr!("file-gbk-hint"));
    Ok((strip_bom(text.into_owned()), Some(warning)))
}

/// Whether `text` may hold an [`is_invisible`] character: a C0 control byte or DEL,
/// the lead byte of U+0080–U+00BF (C1 controls among them), or the last two bytes of
/// U+FEFF. Byte by byte without branches, so the compiler makes it wide: a handbook's
/// 100 MB of Markdown has none, and decoding every character to look was 0.08 s.
fn may_hold_invisible(text: &str) -> bool {
    let b = text.as_bytes();
    let control =
        |x: u8| (x < 0x20 && x != b'\t' && x != b'\n' && x != b'\r') | (x == 0x7f) | (x == 0xc2);
    b.chunks(256)
        .any(|c| c.iter().fold(false, |hit, &x| hit | control(x)))
        || b.chunks(256)
            .zip(b.get(1..).unwrap_or_default().chunks(256))
            .any(|(c, next)| {
                c.iter()
                    .zip(next)
                    .fold(false, |hit, (&x, &y)| hit | ((x == 0xbb) & (y == 0xbf)))
            })
}

/// Characters no page or card can show and nobody types on purpose: control
/// characters other than tab and line breaks, and U+FEFF anywhere but a file's start.
pub(crate) fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{feff}'
}

/// What the user might know an invisible character as.
pub(crate) fn invisible_name(c: char) -> String {
    if c == '\u{feff}' {
        tr!("invisible-name-bom")
    } else {
        tr!("invisible-name-control")
    }
}

/// A located error for each invisible character in `src` (at most a few per file: one
/// pasted block tends to bring many).
pub(crate) fn invisible_chars(src: &SourceFile) -> Vec<Diagnostic> {
    if !may_hold_invisible(&src.text) {
        return Vec::new();
    }
    src.text
        .char_indices()
        .filter(|&(_, c)| is_invisible(c))
        .take(5)
        .map(|(off, c)| {
            Diagnostic::error(tr!(
                "invisible-char",
                code = format!("U+{:04X}", c as u32),
                name = invisible_name(c)
            ))
            .at(src, off..off + c.len_utf8())
            .with_hint(tr!("invisible-char-hint"))
        })
        .collect()
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// At most this many diagnostics are printed: a broken template used by every card
/// would otherwise print the same errors thousands of times (gigabytes of output).
pub(crate) const MAX_SHOWN: usize = 50;

/// Prints diagnostics to stderr, errors last so they are what the user sees first
/// at the bottom of the terminal, followed by a one-line tally.
pub(crate) fn print_all(diags: &[Diagnostic]) {
    eprint!("{}", render_all(diags));
}

/// What [`print_all`] prints: repeats (the same message at the same place, as a
/// print template's error is for every card) once, at most [`MAX_SHOWN`] of the rest
/// (the errors first), and a count of those not shown.
pub(crate) fn render_all(diags: &[Diagnostic]) -> String {
    use std::fmt::Write;
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.message.cmp(&b.message))
    });
    sorted.dedup_by(|a, b| {
        a.severity == b.severity && a.location == b.location && a.message == b.message
    });
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let warnings = sorted.len() - errors;
    let hidden = sorted.len().saturating_sub(MAX_SHOWN);
    sorted.truncate(MAX_SHOWN);
    // Warnings above errors, so errors end up at the bottom of the terminal.
    sorted.reverse();
    let mut out = String::new();
    for d in &sorted {
        let _ = writeln!(out, "{d}");
    }
    if hidden > 0 {
        let _ = writeln!(out, "{}\n", tr!("diags-hidden", hidden = hidden));
    }
    if errors > 0 || warnings > 0 {
        let _ = writeln!(out, "{}", tally(errors, warnings));
    }
    out
}

/// All the successes, or all the diagnostics of every failure (never just the first).
pub(crate) fn gather<T, E: IntoIterator<Item = Diagnostic>>(
    results: impl IntoIterator<Item = Result<T, E>>,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut ok = Vec::new();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(t) => ok.push(t),
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() { Ok(ok) } else { Err(diags) }
}

pub(crate) fn tally(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, w) => tr!("tally-warnings", warnings = w),
        (e, 0) => tr!("tally-errors", errors = e),
        (e, w) => tr!("tally-both", errors = e, warnings = w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_look_for_invisible_characters_misses_none() {
        // Every character, at every offset within the quick look's chunks of bytes.
        let pad = "政策".repeat(50);
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            let text = format!("{pad}{c}");
            if is_invisible(c) {
                for cut in 0..4 {
                    assert!(may_hold_invisible(&text[cut * 3..]), "U+{:04X}", c as u32);
                }
                assert!(may_hold_invisible(&c.to_string()), "U+{:04X}", c as u32);
            }
        }
        // Chinese text with full-width punctuation passes without a closer look.
        assert!(!may_hold_invisible(&format!(
            "{pad}，符合条件的（脱贫户）可申请。\n"
        )));
        let src = SourceFile::new("a.md", format!("{pad}\u{feff}x"));
        assert_eq!(invisible_chars(&src).len(), 1);
    }

    #[test]
    fn lines_found_without_the_index_are_those_the_index_finds() {
        let mut x: u32 = 1;
        let long = "乙".repeat(1500);
        let pieces = ["\n", "\r\n", "甲", "a", "\r", "", "𠀀", "\n\n", &long];
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..(x % 40) {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(x >> 16) as usize % pieces.len()]);
            }
            let fresh = SourceFile::new("a.md", text.clone());
            let indexed = SourceFile::new("a.md", text.clone());
            indexed.line_count();
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    fresh.line_at(offset),
                    indexed.line_at(offset),
                    "{text:?} {offset}"
                );
                assert_eq!(fresh.line_col(offset), indexed.line_col(offset), "{text:?}");
                let (line, start, t) = indexed.line_at(offset);
                assert_eq!(
                    (start, t),
                    (indexed.line_start(line), indexed.line_text(line))
                );
            }
        }
        // Lines past the first few KB, and a first line longer than that.
        for text in [
            format!("{}\n{}\r\n尾", "甲".repeat(2000), "乙".repeat(2000)),
            format!("a\n{}", "乙".repeat(3000)),
        ] {
            let fresh = SourceFile::new("a.md", text.clone());
            let indexed = SourceFile::new("a.md", text.clone());
            indexed.line_count();
            for offset in [0, 1, 2, 3, 4095, 4096, 5999, 6001, 9000, text.len()] {
                assert_eq!(fresh.line_at(offset), indexed.line_at(offset), "{offset}");
            }
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let src = SourceFile::new("a.md", "+++\ntitle = \"小额信贷\"\namout = 1\n".into());
        let off = src.text.find("amout").unwrap();
        assert_eq!(src.line_col(off), (3, 1));
        let off = src.text.find('贷').unwrap();
        assert_eq!(src.line_col(off), (2, 13));
    }

    #[test]
    fn renders_snippet_with_wide_carets() {
        let src = SourceFile::new("content/a.md", "标题 = 1\n".into());
        let d = Diagnostic::error("unknown key `标题`")
            .at(&src, 0..6)
            .with_hint("did you mean `title`?");
        let out = d.to_string();
        assert!(out.contains("--> content/a.md:1:1"), "{out}");
        assert!(out.contains(" | ^^^^\n"), "{out}");
        assert!(out.contains("提示: did you mean `title`?"), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}错{}", "甲".repeat(5000), "乙".repeat(5000));
        let src = SourceFile::new("a.md", line);
        let at = src.text.find('错').unwrap();
        let out = Diagnostic::error("x").at(&src, at..at + 3).to_string();
        assert!(out.len() < 1000, "{} bytes", out.len());
        assert!(out.contains("--> a.md:1:5001"), "{out}");
        // The caret is still under the character.
        let lines: Vec<&str> = out.lines().collect();
        let text = lines
            .iter()
            .find(|l| l.contains('错') && l.contains(" | "))
            .unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        let col = |s: &str, c: char| UnicodeWidthStr::width(&s[..s.find(c).unwrap()]);
        assert_eq!(col(text, '错'), col(caret, '^'));
    }

    #[test]
    fn thousands_of_errors_on_one_long_line_take_linear_time() {
        let line = "[y](@/no.md)".repeat(5000);
        let src = SourceFile::new("a.md", line);
        let t = std::time::Instant::now();
        for i in 0..5000 {
            let d = Diagnostic::error("x").at(&src, i * 12..i * 12 + 12);
            assert!(d.to_string().len() < 600);
        }
        // Quadratic, this was seconds; linear, a few milliseconds even unoptimised.
        assert!(t.elapsed().as_millis() < 1500, "{:?}", t.elapsed());
    }

    #[test]
    fn output_is_bounded_and_repeats_shown_once() {
        let src = SourceFile::new("t.xml", "a\n".repeat(200));
        let mut diags: Vec<Diagnostic> = (0..200)
            .map(|i| Diagnostic::error("bad").at(&src, i * 2..i * 2 + 1))
            .collect();
        diags.extend((0..1000).map(|_| Diagnostic::error("same").at(&src, 0..1)));
        let out = render_all(&diags);
        assert_eq!(out.matches("错误: ").count(), MAX_SHOWN, "{out}");
        assert_eq!(out.matches("错误: same").count(), 1);
        assert!(out.contains("另有 151 条问题没有显示"), "{out}");
        assert!(out.contains("201 个错误"), "{out}");
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["amount", "aliases", "title"];
        assert_eq!(suggest("amout", keys), Some("amount"));
        assert_eq!(suggest("zzz", keys), None);
    }
}
