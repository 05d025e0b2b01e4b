//! Typed reading of TOML tables (front matter, site.toml) that keeps every value's
//! position, so each problem is reported at its own line and all of them in one run:
//! unknown keys with the nearest known one, wrong types with an example of the right
//! one, missing required keys at the table's start.

use std::ops::Range;

use jiff::civil::Date;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, SourceFile, suggest};

pub(crate) type Spanned<T> = toml::Spanned<T>;

/// TOML syntax errors reported per file.
const MAX_SYNTAX_ERRORS: usize = 10;

/// Parses TOML text that sits at byte `base` of `src`. Syntax errors are reported
/// against the whole file's lines.
pub(crate) fn parse_table<'i>(
    src: &SourceFile,
    text: &'i str,
    base: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<DeTable<'i>> {
    // Full-width punctuation and unquoted phone numbers first: the parser's own
    // messages for them are correct but unhelpful, and come two for one mistake.
    let typos = crate::content::typos::toml_typos(src, text, base);
    if !typos.is_empty() {
        diags.extend(typos);
        return None;
    }
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(table.into_inner());
    }
    // After the first few, syntax errors mostly follow from the first; a line of
    // thousands of broken tables gave thousands, each quoting the line.
    for e in errors.into_iter().take(MAX_SYNTAX_ERRORS) {
        let span = e.span().unwrap_or(0..0);
        let message = syntax_message(e.message());
        diags.push(
            Diagnostic::error(tr!("toml-invalid", message = message))
                .at(src, base + span.start..base + span.end)
                .with_hint(tr!("toml-invalid-hint")),
        );
    }
    None
}

/// The TOML parser's message in the editor's words: `unexpected key or value, expected
/// newline, `#`` says nothing to someone who wrote `tags = "兜底", "老年人"`. Messages
/// without a wording of their own are shown as the parser gives them.
fn syntax_message(raw: &str) -> String {
    let raw = raw.trim().trim_end_matches('.');
    let what = raw.split(", expected").next().unwrap_or(raw);
    match what {
        "unexpected key or value" | "unexpected content" => tr!("toml-why-extra"),
        "unexpected content between comment and newline" => tr!("toml-why-extra"),
        "missing comma between array elements" => tr!("toml-why-array-comma"),
        "missing comma between key-value pairs" => tr!("toml-why-table-comma"),
        "string values must be quoted" | "invalid value" => tr!("toml-why-unquoted"),
        "invalid basic string" | "invalid literal string" | "missing opening quote" => {
            tr!("toml-why-quotes")
        }
        "unclosed array" => tr!("toml-why-unclosed-array"),
        "unclosed table" | "unclosed array table" => tr!("toml-why-unclosed-table"),
        "unclosed inline table" => tr!("toml-why-unclosed-inline"),
        "missing value" | "missing value for key" => tr!("toml-why-no-value"),
        "key with no value"
        | "missing assignment between key-value pairs"
        | "invalid key-value pair" => tr!("toml-why-no-equals"),
        "invalid unquoted key" | "invalid key" | "unquoted keys cannot be empty" => {
            tr!("toml-why-key")
        }
        "cannot recurse further; max recursion depth met" => tr!("toml-why-deep"),
        w if w.starts_with("duplicate key") => tr!("toml-why-duplicate"),
        _ => raw.to_string(),
    }
}

/// A table being read field by field. Problems go to `diags`.
pub(crate) struct Fields<'a, 'i> {
    src: &'a SourceFile,
    base: usize,
    table: &'a DeTable<'i>,
    /// Where to point when a required key is missing altogether.
    anchor: Range<usize>,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub(crate) fn new(
        src: &'a SourceFile,
        base: usize,
        table: &'a DeTable<'i>,
        anchor: Range<usize>,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Fields {
            src,
            base,
            table,
            anchor,
            diags,
        }
    }

    fn abs(&self, span: Range<usize>) -> Range<usize> {
        self.base + span.start..self.base + span.end
    }

    fn entry(&self, key: &str) -> Option<(&'a Spanned<DeValue<'i>>, Range<usize>)> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, k.span()))
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.table
            .iter()
            .map(|(k, _)| k.get_ref().to_string())
            .collect()
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    pub(crate) fn value_span(&self, key: &str) -> Option<Range<usize>> {
        self.entry(key).map(|(v, _)| self.abs(v.span()))
    }

    /// Reports every key not in `allowed`, with the nearest allowed one, or the hint
    /// `explain` gives for a key that is valid elsewhere.
    pub(crate) fn check_keys(
        &mut self,
        allowed: &[&str],
        explain: impl Fn(&str) -> Option<String>,
    ) {
        let mut unknown: Vec<(Range<usize>, String)> = self
            .table
            .iter()
            .filter(|(k, _)| !allowed.contains(&k.get_ref().as_ref()))
            .map(|(k, _)| (self.abs(k.span()), k.get_ref().to_string()))
            .collect();
        unknown.sort_by_key(|(s, _)| s.start);
        for (span, key) in unknown {
            let hint = explain(&key).or_else(|| {
                suggest(&key, allowed.iter().copied()).map(|s| tr!("did-you-mean", name = s))
            });
            let hint = hint.unwrap_or_else(|| tr!("known-keys", keys = allowed.join(", ")));
            self.diags.push(
                Diagnostic::error(tr!("unknown-key", key = key))
                    .at(self.src, span)
                    .with_hint(hint),
            );
        }
    }

    fn type_error(&mut self, key: &str, expected: &str, example: &str) {
        self.type_error_fixed(key, expected, example, None);
    }

    /// [`Self::type_error`] with the corrected line when the value says what was meant
    /// (`amount = 3000` → `amount = "3000"`, `tags = "兜底"` → `tags = ["兜底"]`).
    fn type_error_fixed(&mut self, key: &str, expected: &str, example: &str, fix: Option<String>) {
        let span = self.value_span(key).unwrap_or(self.anchor.clone());
        let hint = match fix {
            Some(line) => tr!("typo-fix-line", line = line),
            None => tr!("for-example", example = example),
        };
        self.diags.push(
            Diagnostic::error(tr!("type-wrong", key = key, expected = expected))
                .at(self.src, span)
                .with_hint(hint),
        );
    }

    /// The value of `key` as written in the file (one line of it at most).
    fn written(&self, key: &str) -> Option<&str> {
        let text = self.src.text.get(self.value_span(key)?)?;
        (!text.contains('\n')).then_some(text)
    }

    pub(crate) fn missing(&mut self, key: &str, example: &str) {
        self.diags.push(
            Diagnostic::error(tr!("missing-key", key = key))
                .at(self.src, self.anchor.clone())
                .with_hint(tr!("missing-key-hint", example = example)),
        );
    }

    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        let (v, _) = self.entry(key)?;
        match v.get_ref() {
            DeValue::String(s) => {
                // An escape such as "\u0007" puts an invisible character in the value
                // that the source-text check cannot see; blamed here, not on the
                // template that would print it.
                if let Some(c) = s.chars().find(|&c| crate::diagnostics::is_invisible(c)) {
                    let span = self.value_span(key).unwrap_or(self.anchor.clone());
                    self.diags.push(
                        Diagnostic::error(tr!(
                            "value-invisible",
                            key = key,
                            code = format!("U+{:04X}", c as u32),
                            name = crate::diagnostics::invisible_name(c)
                        ))
                        .at(self.src, span)
                        .with_hint(tr!("value-invisible-hint")),
                    );
                }
                Some(s.to_string())
            }
            _ => {
                if key.contains("phone") && matches!(v.get_ref(), DeValue::Integer(_)) {
                    let span = self.value_span(key).unwrap_or(self.anchor.clone());
                    let written = self.src.text.get(span.clone()).unwrap_or("").to_string();
                    self.diags.push(
                        Diagnostic::error(tr!("typo-unquoted-phone", key = key, value = written))
                            .at(self.src, span),
                    );
                    return None;
                }
                // A number, date or true written where text belongs: the same in quotes.
                let fix = match v.get_ref() {
                    DeValue::Integer(_)
                    | DeValue::Float(_)
                    | DeValue::Boolean(_)
                    | DeValue::Datetime(_) => self
                        .written(key)
                        .filter(|w| !w.contains('"'))
                        .map(|w| format!("{key} = \"{w}\"")),
                    _ => None,
                };
                self.type_error_fixed(key, &tr!("type-string"), &format!("{key} = \"…\""), fix);
                None
            }
        }
    }

    /// A required, non-empty string.
    pub(crate) fn req_string(&mut self, key: &str, example: &str) -> String {
        if !self.has(key) {
            self.missing(key, example);
            return String::new();
        }
        let s = self.string(key).unwrap_or_default();
        if s.trim().is_empty() && self.has(key) {
            let span = self.value_span(key).unwrap_or(self.anchor.clone());
            self.diags.push(
                Diagnostic::error(tr!("value-empty", key = key))
                    .at(self.src, span)
                    .with_hint(tr!("value-empty-hint", example = example)),
            );
        }
        s
    }

    pub(crate) fn strings(&mut self, key: &str) -> Vec<String> {
        self.strings_spanned(key)
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    }

    /// A list of strings, each with its byte span in the file.
    pub(crate) fn strings_spanned(&mut self, key: &str) -> Vec<(String, Range<usize>)> {
        let Some((v, _)) = self.entry(key) else {
            return Vec::new();
        };
        let example = format!("{key} = [\"…\", \"…\"]");
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push((s.to_string(), self.abs(item.span()))),
                        _ => {
                            self.diags.push(
                                Diagnostic::error(tr!("list-strings-only", key = key))
                                    .at(self.src, self.abs(item.span()))
                                    .with_hint(tr!("for-example", example = example)),
                            );
                        }
                    }
                }
                out
            }
            DeValue::String(_) => {
                let fix = self.written(key).map(|w| format!("{key} = [{w}]"));
                self.type_error_fixed(key, &tr!("type-string-list-brackets"), &example, fix);
                Vec::new()
            }
            _ => {
                self.type_error(key, &tr!("type-string-list"), &example);
                Vec::new()
            }
        }
    }

    /// Reports a problem with `key`'s value, pointing at the value.
    pub(crate) fn value_error(&mut self, key: &str, message: String, hint: &str) {
        let span = self.value_span(key).unwrap_or(self.anchor.clone());
        self.diags.push(
            Diagnostic::error(message)
                .at(self.src, span)
                .with_hint(hint),
        );
    }

    pub(crate) fn date(&mut self, key: &str) -> Option<Date> {
        let (v, _) = self.entry(key)?;
        let example = format!("{key} = 2025-03-01");
        match v.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                let d = dt.date?;
                match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                    Ok(date) => Some(date),
                    Err(_) => {
                        self.type_error(key, &tr!("type-real-date"), &example);
                        None
                    }
                }
            }
            DeValue::String(s) if let Some(date) = crate::content::typos::loose_date(s) => {
                let span = self.value_span(key).unwrap_or(self.anchor.clone());
                self.diags.push(
                    Diagnostic::error(tr!("date-quoted", key = key))
                        .at(self.src, span)
                        .with_hint(tr!("date-quoted-hint", key = key, value = date)),
                );
                None
            }
            _ => {
                self.type_error(key, &tr!("type-date"), &example);
                None
            }
        }
    }

    pub(crate) fn bool(&mut self, key: &str) -> Option<bool> {
        let (v, _) = self.entry(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let fix = match other {
                    DeValue::String(s) => match s.trim() {
                        "true" | "是" => Some(true),
                        "false" | "否" => Some(false),
                        _ => None,
                    },
                    _ => None,
                };
                let fix = fix.map(|b| format!("{key} = {b}"));
                self.type_error_fixed(key, &tr!("type-bool"), &format!("{key} = false"), fix);
                None
            }
        }
    }

    pub(crate) fn int(&mut self, key: &str) -> Option<i64> {
        let (v, _) = self.entry(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            other => {
                let fix = match other {
                    DeValue::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                let fix = fix.map(|n| format!("{key} = {n}"));
                self.type_error_fixed(key, &tr!("type-int"), &format!("{key} = 10"), fix);
                None
            }
        }
    }

    pub(crate) fn float(&mut self, key: &str) -> Option<f64> {
        let (v, _) = self.entry(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
            other => {
                let fix = match other {
                    DeValue::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
                    _ => None,
                };
                let fix = fix.map(|n| format!("{key} = {n}"));
                self.type_error_fixed(key, &tr!("type-number"), &format!("{key} = 10.5"), fix);
                None
            }
        }
    }

    /// A number in `range` (`unit` after it in messages, `example` a good value):
    /// NaN, infinities and values that would make print lay out without end are a
    /// located error, and `None`.
    pub(crate) fn float_in(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<f64>,
        unit: &str,
        example: &str,
    ) -> Option<f64> {
        let v = self.float(key)?;
        if range.contains(&v) {
            return Some(v);
        }
        self.out_of_range(
            key,
            &tr!(
                "range-between",
                lo = range.start(),
                hi = range.end(),
                unit = unit
            ),
            example,
        );
        None
    }

    /// A whole number in `range`, like [`Fields::float_in`].
    pub(crate) fn int_in(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
        unit: &str,
        example: &str,
    ) -> Option<i64> {
        if !self.has(key) {
            return None;
        }
        match self.int(key) {
            Some(v) if range.contains(&v) => Some(v),
            // A value too large for any integer type is out of range too.
            None if matches!(
                self.entry(key).map(|(v, _)| v.get_ref()),
                Some(DeValue::Integer(_))
            ) =>
            {
                self.out_of_range(
                    key,
                    &tr!(
                        "range-between",
                        lo = range.start(),
                        hi = range.end(),
                        unit = unit
                    ),
                    example,
                );
                None
            }
            None => None,
            Some(_) => {
                self.out_of_range(
                    key,
                    &tr!(
                        "range-between",
                        lo = range.start(),
                        hi = range.end(),
                        unit = unit
                    ),
                    example,
                );
                None
            }
        }
    }

    /// Reports `key`'s value as outside `allowed` (a phrase: 「应在 1 到 8 面之间」).
    pub(crate) fn out_of_range(&mut self, key: &str, allowed: &str, example: &str) {
        let span = self.value_span(key).unwrap_or(self.anchor.clone());
        let written = self
            .src
            .text
            .get(span.clone())
            .unwrap_or("")
            .trim()
            .to_string();
        self.diags.push(
            Diagnostic::error(tr!(
                "range-out",
                key = key,
                written = written,
                allowed = allowed
            ))
            .at(self.src, span)
            .with_hint(tr!("range-hint", example = example)),
        );
    }

    /// A list of numbers (`margin = [20, 18, 20, 18]`).
    pub(crate) fn floats(&mut self, key: &str) -> Option<Vec<f64>> {
        let (v, _) = self.entry(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Integer(i) => {
                    out.push(i64::from_str_radix(i.as_str(), i.radix()).ok()? as f64)
                }
                DeValue::Float(f) => out.push(f.as_str().replace('_', "").parse().ok()?),
                _ => {
                    self.type_error(
                        key,
                        &tr!("type-number-list"),
                        &format!("{key} = [20, 18, 20, 18]"),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A sub-table (`[print]`) read with the same rules; `None` when absent.
    pub(crate) fn table<R>(
        &mut self,
        key: &str,
        read: impl FnOnce(&mut Fields<'_, 'i>) -> R,
    ) -> Option<R> {
        let (v, kspan) = self.entry(key)?;
        match v.get_ref() {
            DeValue::Table(t) => {
                let anchor = self.abs(kspan);
                let mut sub = Fields::new(self.src, self.base, t, anchor, self.diags);
                Some(read(&mut sub))
            }
            _ => {
                self.type_error(key, &tr!("type-table"), &format!("[{key}]"));
                None
            }
        }
    }

    /// An array of inline tables (`hotlines = [{ name = "…", phone = "…" }]`).
    pub(crate) fn tables<R>(
        &mut self,
        key: &str,
        example: &str,
        mut read: impl FnMut(&mut Fields<'_, 'i>) -> R,
    ) -> Vec<R> {
        let Some((v, _)) = self.entry(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(key, &tr!("type-table-list"), example);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    let anchor = self.abs(item.span());
                    let mut sub = Fields::new(self.src, self.base, t, anchor, self.diags);
                    out.push(read(&mut sub));
                }
                _ => self.diags.push(
                    Diagnostic::error(tr!("list-tables-only", key = key))
                        .at(self.src, self.abs(item.span()))
                        .with_hint(tr!("for-example", example = example)),
                ),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
