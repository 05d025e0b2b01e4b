//! Where a body's links and images point: an image's file in the handbook, and the
//! error (with the `@/` path most likely meant) for a link to a Markdown file.

use std::ops::Range;

use super::LinkResolver;
use crate::diagnostics::{Diagnostic, SourceFile};

/// The handbook file an image address names: "liucheng.png" beside
/// content/zhufang/x.md is "content/zhufang/liucheng.png" (a page's URL is a folder
/// deeper than its file, so written as it is the browser would look in the wrong
/// place); "/img/x.png" is "static/img/x.png". `None` for web addresses.
pub(super) fn image_file(entry: &std::path::Path, dest: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    if dest.is_empty() || dest.contains(':') || dest.starts_with("//") {
        return None;
    }
    let dest = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    if let Some(abs) = dest.strip_prefix('/') {
        return normalize(&format!("static/{abs}"));
    }
    let folder = entry
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    normalize(&format!("{folder}/{dest}"))
}

/// `a/./b/../c` → `a/c`; `None` when `..` climbs out of the handbook.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A link written to a Markdown file without `@/` ("jinrong/xiaoe.md"): it would ship
/// as a dead link, since the site has pages, not .md files. The error suggests the
/// `@/` path of the entry it most likely means (relative to the entry's folder, or
/// to content/).
pub(super) fn relative_md_link(
    src: &SourceFile,
    body: &str,
    body_start: usize,
    range: &Range<usize>,
    dest: &str,
    resolver: &dyn LinkResolver,
) -> Option<Diagnostic> {
    let path = dest.split('#').next().unwrap_or("");
    if dest.starts_with("@/") || path.contains(':') || !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let folder = src
        .path
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let folder = folder.strip_prefix("content").unwrap_or(&folder);
    let candidates = [
        normalize(&format!("{folder}/{path}")),
        normalize(path.trim_start_matches('/')),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|c| resolver.resolve(c).is_some());
    let span = link_target_span(body, range, dest).unwrap_or(range.clone());
    let span = body_start + span.start..body_start + span.end;
    let fragment = dest.find('#').map_or("", |i| &dest[i..]);
    Some(match found {
        Some(target) => Diagnostic::error(tr!(
            "link-relative-md",
            link = dest,
            fixed = format!("@/{target}{fragment}")
        ))
        .at(src, span)
        .with_hint(tr!("link-relative-md-hint")),
        None => Diagnostic::error(tr!("link-relative-md-unknown", link = dest))
            .at(src, span)
            .with_hint(tr!("link-relative-md-unknown-hint")),
    })
}

/// The byte range of the link target inside `[text](target)`, for a precise caret.
pub(super) fn link_target_span(
    body: &str,
    range: &Range<usize>,
    dest: &str,
) -> Option<Range<usize>> {
    let text = body.get(range.clone())?;
    let at = text.rfind(dest)?;
    Some(range.start + at..range.start + at + dest.len())
}
