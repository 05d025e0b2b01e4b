//! Tera templates from the theme's `templates/` and the site's own `templates/`
//! (a site file replaces the theme file of the same name). Template errors are
//! reported against the real file path with line and column.

use std::collections::HashMap;

use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::theme::Theme;

pub(crate) struct Templates {
    pub tera: Tera,
    /// Template name → its source file, to report errors against the file.
    sources: HashMap<String, SourceFile>,
    /// With line markers (print templates): the sources in marker order.
    pub marked: Vec<SourceFile>,
}

impl Templates {
    /// Loads the `sub` folder of the theme (`templates` or `print`), with the site's
    /// overrides of the same folder.
    pub(crate) fn load(theme: &Theme, sub: &str) -> Result<Templates, Vec<Diagnostic>> {
        Self::load_with(theme, sub, false)
    }

    /// Like [`Templates::load`]; with `mark`, every template line is marked so that
    /// print markup errors can name the template line that wrote them.
    pub(crate) fn load_with(
        theme: &Theme,
        sub: &str,
        mark: bool,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let files = theme.files(sub, true).map_err(|e| {
            vec![Diagnostic::error(tr!(
                "template-folder-unreadable",
                sub = sub,
                error = e
            ))]
        })?;
        let mut diags = Vec::new();
        let mut sources = HashMap::new();
        let mut marked = Vec::new();
        let mut raw: Vec<(String, String)> = Vec::new();
        for f in files {
            if !is_template(&f.rel) {
                continue;
            }
            // A BOM would be copied into every page (and the print markup): dropped.
            let text = match crate::diagnostics::utf8_only(f.bytes.into_owned(), &f.display) {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let invisible = crate::diagnostics::invisible_chars(&SourceFile::new(
                f.display.clone(),
                text.clone(),
            ));
            if !invisible.is_empty() {
                diags.extend(invisible);
                continue;
            }
            // Parse each template on its own first: every syntax error is then reported,
            // each at its own file and line.
            let mut alone = Tera::new();
            if let Err(e) = alone.add_raw_template(&f.rel, &text) {
                if let ErrorKind::SyntaxError(report) = e.kind() {
                    let src = SourceFile::new(f.display.clone(), text.clone());
                    diags.push(report_diag(&src, report));
                    continue;
                }
            }
            let src = SourceFile::new(f.display, text.clone());
            let text = if mark {
                marked.push(src.clone());
                crate::typeset::markup::add_line_markers(&text, marked.len() - 1)
            } else {
                text
            };
            sources.insert(f.rel.clone(), src);
            raw.push((f.rel, text));
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".htm"]);
        register(&mut tera);
        let mut templates = Templates {
            tera: Tera::new(),
            sources,
            marked,
        };
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(vec![templates.to_diag(&e)]);
        }
        templates.tera = tera;
        Ok(templates)
    }

    /// Every template's name and source: what pages render by (for their keys).
    pub(crate) fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub(crate) fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| self.to_diag(&e))
    }

    /// [`Templates::render`] as the bytes to write: a page is not made a `String`
    /// (checked as UTF-8 again, 200 MB at 10,000 entries) only to be written out.
    pub(crate) fn render_bytes(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::new();
        match self.tera.render_to(name, ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(self.to_diag(&e)),
        }
    }

    fn to_diag(&self, e: &tera::Error) -> Diagnostic {
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                match self.sources.get(r.filename()) {
                    Some(src) => report_diag(src, r),
                    None => Diagnostic::error(tr!("template-error", message = r.message())),
                }
            }
            _ => {
                // Pre-formatted reports name templates by their logical name; show paths.
                let mut text = e.to_string();
                for (name, src) in &self.sources {
                    text = text.replace(
                        &format!("--> {name}:"),
                        &format!("--> {}:", src.path.display()),
                    );
                }
                let mut d = Diagnostic::error(tr!("template-error", message = text));
                if let Some(src) = self
                    .sources
                    .values()
                    .find(|s| text.contains(&*s.path.to_string_lossy()))
                {
                    d = d.in_file(src.path.clone(), 1, 1);
                }
                d
            }
        }
    }
}

fn is_template(rel: &str) -> bool {
    [".html", ".xml", ".txt", ".htm", ".md"]
        .iter()
        .any(|ext| rel.ends_with(ext))
}

fn report_diag(src: &SourceFile, r: &tera::ReportError) -> Diagnostic {
    let span = r.span();
    // Tera gives 1-based lines and 0-based character columns; turn that into bytes.
    let line = span.start_line.clamp(1, src.line_count());
    let line_start = src.line_start(line);
    let text = src.line_text(line);
    // Print templates carry an invisible line marker at the start of most lines.
    let marker = marker_width(src, line);
    let start_col = span.start_col.saturating_sub(marker);
    let end_col = span.end_col.saturating_sub(marker);
    let start = line_start
        + text
            .char_indices()
            .nth(start_col)
            .map_or(text.len(), |(i, _)| i);
    let end = if span.end_line == span.start_line && end_col > start_col {
        line_start
            + text
                .char_indices()
                .nth(end_col)
                .map_or(text.len(), |(i, _)| i)
    } else {
        start + 1
    };
    Diagnostic::error(tr!("template-error", message = r.message()))
        .at(src, start..end)
        .with_hint(tr!("template-error-hint"))
}

/// Characters of the line marker Tera saw before line `line` (0 for site templates).
fn marker_width(src: &SourceFile, line: usize) -> usize {
    if !is_print_template(&src.path) {
        return 0;
    }
    let probe = crate::typeset::markup::add_line_markers(src.line_text(line), 0);
    let plain = src.line_text(line).chars().count();
    // The marker holds the template index too; its digits are unknown here, so take
    // the common case of a single-digit index.
    probe.chars().count().saturating_sub(plain)
}

fn is_print_template(p: &std::path::Path) -> bool {
    p.components().any(|c| c.as_os_str() == "print")
}

/// Filters themes can use beyond Tera's built-ins.
fn register(tera: &mut Tera) {
    tera.register_filter("urlencode", |s: &str, _: tera::Kwargs, _: &tera::State| {
        percent_encode(s)
    });
    // `{{ p.phone | phone_links }}`: each number a `tel:` link that dials it.
    tera.register_filter(
        "phone_links",
        |s: &str, _: tera::Kwargs, _: &tera::State| tera::Value::safe_string(&crate::tel::links(s)),
    );
    // `figure(policy="小额信贷", name="max")`: a policy's named figure (docs/content-model.md).
    tera.register_function("figure", crate::figures::template_function);
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for query strings.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_chinese_queries() {
        assert_eq!(percent_encode("小额"), "%E5%B0%8F%E9%A2%9D");
        assert_eq!(percent_encode("a b&c"), "a%20b%26c");
    }
}
