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
pub enum Severity {
    Error,
    Warning,
}

/// A position in a user's file. `line` and `col` are 1-based; `col` counts characters,
/// not bytes, so it matches what an editor shows for Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// The source line and the underlined character range within it.
    snippet: Option<Box<(String, Range<usize>)>>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            snippet: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points at a byte range of a source file.
    pub fn at(mut self, src: &SourceFile, span: Range<usize>) -> Self {
        let (line, col) = src.line_col(span.start);
        let line_text = src.line_text(line);
        let line_start = src.line_start(line);
        // Underline at most to the end of the first line of the span.
        let end = span
            .end
            .max(span.start + 1)
            .min(line_start + line_text.len());
        let from = col - 1;
        let to = from
            + line_text
                .get(span.start.saturating_sub(line_start)..end.saturating_sub(line_start))
                .map_or(1, |s| s.chars().count().max(1));
        self.location = Some(Location {
            file: src.path.clone(),
            line,
            col,
        });
        self.snippet = Some(Box::new((line_text.to_string(), from..to)));
        self
    }

    /// Points at a whole file, or a line of it, without a snippet.
    pub fn in_file(mut self, file: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        self.location = Some(Location {
            file: file.into(),
            line,
            col,
        });
        self
    }

    /// Masks long digit runs (ID and phone numbers) in the message and the quoted
    /// source line, keeping every column where it was: the line may hold personal data.
    pub fn masked(mut self) -> Self {
        self.message = crate::households::check::redact(&self.message);
        if let Some(snippet) = &mut self.snippet {
            snippet.0 = crate::households::check::redact(&snippet.0);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
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
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// A user's file held in memory, with a line index for turning byte offsets into
/// line:column positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..floor_char(&self.text, offset)]
            .chars()
            .count()
            + 1;
        (line, col)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }

    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Shows `path` relative to `root` when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Prints diagnostics to stderr, errors last so they are what the user sees first
/// at the bottom of the terminal, followed by a one-line tally.
pub fn print_all(diags: &[Diagnostic]) {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.location.cmp(&b.location))
    });
    for d in &sorted {
        eprintln!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 || warnings > 0 {
        eprintln!("{}", tally(errors, warnings));
    }
}

/// All the successes, or all the diagnostics of every failure (never just the first).
pub fn gather<T, E: IntoIterator<Item = Diagnostic>>(
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

pub fn tally(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, w) => format!("{w} warning(s)"),
        (e, 0) => format!("{e} error(s)"),
        (e, w) => format!("{e} error(s), {w} warning(s)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(out.contains("hint: did you mean `title`?"), "{out}");
    }

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["amount", "aliases", "title"];
        assert_eq!(suggest("amout", keys), Some("amount"));
        assert_eq!(suggest("zzz", keys), None);
    }
}
