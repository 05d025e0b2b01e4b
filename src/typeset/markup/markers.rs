//! Template line markers: print templates are loaded with an invisible marker
//! `template:line` at the start of each line, so that an error found in the rendered
//! markup is reported at the template file and line that wrote it.

use std::borrow::Cow;

use crate::diagnostics::{Diagnostic, SourceFile};

const MARK_START: char = '\u{E000}';
const MARK_SEP: char = '\u{E001}';
const MARK_END: char = '\u{E002}';

/// Inserts a marker `template:line` at the start of every template line that begins
/// in plain text (not inside a Tera tag or an XML tag).
pub(crate) fn add_line_markers(src: &str, template: usize) -> String {
    if src.contains("{% extends") {
        // Text outside blocks of a child template is not output; mark nothing.
        return src.to_string();
    }
    let mut out = String::with_capacity(src.len() + src.len() / 8);
    let b = src.as_bytes();
    let mut in_tera: Option<u8> = None;
    let mut in_tag = false;
    let mut line = 1;
    let mut at_line_start = true;
    let mut i = 0;
    while i < b.len() {
        if at_line_start {
            if in_tera.is_none() && !in_tag {
                out.push(MARK_START);
                out.push_str(&template.to_string());
                out.push(MARK_SEP);
                out.push_str(&line.to_string());
                out.push(MARK_END);
            }
            at_line_start = false;
        }
        let c = b[i];
        match in_tera {
            None if c == b'{' && i + 1 < b.len() && matches!(b[i + 1], b'{' | b'%' | b'#') => {
                in_tera = Some(b[i + 1]);
            }
            Some(kind) if i + 1 < b.len() && b[i + 1] == b'}' => {
                let close = match kind {
                    b'{' => b'}',
                    other => other,
                };
                if c == close {
                    in_tera = None;
                }
            }
            None if c == b'<' => in_tag = true,
            None if c == b'>' => in_tag = false,
            _ => {}
        }
        if c == b'\n' {
            line += 1;
            at_line_start = true;
        }
        // Copy the whole UTF-8 character.
        let len = utf8_len(c);
        out.push_str(&src[i..(i + len).min(src.len())]);
        i += len;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Text without markers.
pub(crate) fn strip_markers(s: &str) -> Cow<'_, str> {
    if !s.contains(MARK_START) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut skipping = false;
    for c in s.chars() {
        match c {
            MARK_START => skipping = true,
            MARK_END => skipping = false,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// The template and line that wrote byte `offset` of rendered markup.
pub(super) fn locate(rendered: &str, offset: usize) -> Option<(usize, usize)> {
    let head = rendered.get(..offset.min(rendered.len()))?;
    let start = head.rfind(MARK_START)?;
    let rest = &rendered[start + MARK_START.len_utf8()..];
    let end = rest.find(MARK_END)?;
    let (t, l) = rest[..end].split_once(MARK_SEP)?;
    Some((t.parse().ok()?, l.parse().ok()?))
}

/// A problem in rendered markup, reported against the template that wrote it.
pub(crate) fn diagnostic(
    rendered: &str,
    offset: usize,
    templates: &[SourceFile],
    message: String,
) -> Diagnostic {
    let d = Diagnostic::error(tr!("markup-error", message = message))
        .with_hint(tr!("markup-error-hint"));
    match locate(rendered, offset) {
        Some((t, line)) if t < templates.len() => {
            let src = &templates[t];
            let line = line.clamp(1, src.line_count());
            let start = src.line_start(line);
            let end = start + src.line_text(line).len();
            d.at(src, start..end.max(start + 1))
        }
        _ => d,
    }
}
