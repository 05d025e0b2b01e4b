//! Splitting a Markdown file into its `+++` TOML front matter and its body.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, SourceFile};

pub(super) struct Split<'a> {
    /// The TOML text between the `+++` lines.
    pub toml: &'a str,
    /// Byte offset of `toml` in the file.
    pub toml_start: usize,
    /// The opening `+++` line, blamed when a required key is missing.
    pub opening: Range<usize>,
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_start: usize,
}

pub(super) fn split(src: &SourceFile) -> Result<Split<'_>, Diagnostic> {
    let text = src.text.as_str();
    // Editors on Windows may save a BOM; it is not content.
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first = text[start..first_end].trim_end();
    if first != "+++" {
        if is_full_width_fence(first) {
            return Err(full_width_fence(src, start, first));
        }
        let hint = if first == "---" {
            tr!("fm-yaml-hint")
        } else {
            tr!("fm-missing-hint")
        };
        return Err(Diagnostic::error(tr!("fm-missing"))
            .at(src, start..first_end.max(start + 1).min(text.len()))
            .with_hint(hint));
    }
    let toml_start = (first_end + 1).min(text.len());
    let mut pos = toml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "+++" {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                toml: &text[toml_start..pos],
                toml_start,
                opening: start..first_end,
                body: &text[body_start..],
                body_start,
            });
        }
        if is_full_width_fence(line) {
            return Err(full_width_fence(src, pos, line));
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(tr!("fm-not-closed"))
        .at(src, start..first_end)
        .with_hint(tr!("fm-not-closed-hint")))
}

/// A fence line typed with the Chinese input method on: ＋＋＋ (or a mix with +).
fn is_full_width_fence(line: &str) -> bool {
    let line = line.trim();
    line.chars().count() >= 3 && line.chars().all(|c| c == '+' || c == '＋') && line.contains('＋')
}

fn full_width_fence(src: &SourceFile, at: usize, line: &str) -> Diagnostic {
    let lead = line.len() - line.trim_start().len();
    let i = line.find('＋').unwrap_or(lead);
    Diagnostic::error(tr!("fm-full-width-fence", fence = line.trim()))
        .at(src, at + i..at + line.trim_end().len())
        .with_hint(tr!("fm-full-width-fence-hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_crlf_and_bom() {
        let src = SourceFile::new(
            "a.md",
            "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\n正文\r\n".into(),
        );
        let s = split(&src).unwrap();
        assert_eq!(s.toml.trim(), "title = \"x\"");
        assert_eq!(s.body.trim(), "正文");
        assert_eq!(src.line_col(s.body_start).0, 4);
    }

    #[test]
    fn unclosed_is_an_error() {
        let src = SourceFile::new("a.md", "+++\ntitle = \"x\"\n正文\n".into());
        let e = split(&src).err().unwrap();
        assert!(e.to_string().contains("没有结束"), "{e}");
    }

    #[test]
    fn yaml_gets_a_hint() {
        let src = SourceFile::new("a.md", "---\ntitle: x\n---\n".into());
        let e = split(&src).err().unwrap().to_string();
        assert!(e.contains("YAML"), "{e}");
    }

    #[test]
    fn full_width_fences_are_named() {
        let src = SourceFile::new("a.md", "＋＋＋\ntitle = \"x\"\n+++\n".into());
        let e = split(&src).err().unwrap().to_string();
        assert!(e.contains("全角加号") && e.contains("a.md:1:1"), "{e}");
        let src = SourceFile::new("a.md", "+++\ntitle = \"x\"\n＋＋＋\n正文\n".into());
        let e = split(&src).err().unwrap().to_string();
        assert!(e.contains("全角加号") && e.contains("a.md:3:1"), "{e}");
    }
}
