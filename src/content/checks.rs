//! What `check` warns about in an entry that reads fine: expired policies, reviews
//! long ago, FAQs citing nothing, and what an editor forgot to fill in (`init`'s
//! placeholder phone, dates typed a few decades ahead). `check --strict` fails on any.

use std::ops::Range;

use jiff::civil::Date;

use super::{Entry, EntryData};
use crate::diagnostics::Diagnostic;

/// Placeholder phone numbers of `init` and of forms: all zeros (0000-0000000).
pub(crate) fn is_placeholder_phone(phone: &str) -> bool {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    digits.len() >= 5 && digits.iter().all(|&d| d == '0')
}

/// The warnings for `e` as of `today` (`expired`: its `expires` has passed).
pub(crate) fn entry_warnings(
    e: &Entry,
    expired: bool,
    today: Date,
    review_max_age_months: i64,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |key: &str| -> Diagnostic {
        let d = Diagnostic::warning(String::new());
        match value_span(e, key) {
            Some(span) => d.at(&e.src, span),
            None => d.in_file(e.src.path.clone(), 1, 1),
        }
    };
    let warn = |key: &str, message: String, hint: String| -> Diagnostic {
        let mut d = at(key).with_hint(hint);
        d.message = message;
        d
    };
    match &e.data {
        EntryData::Policy(p) => {
            if let Some(x) = p.expires
                && expired
            {
                out.push(warn(
                    "expires",
                    tr!("check-expired", title = e.title, date = x),
                    tr!("check-expired-hint"),
                ));
            }
            if let Some(r) = p.reviewed
                && let Ok(limit) =
                    today.checked_sub(jiff::Span::new().months(review_max_age_months))
                && r < limit
            {
                out.push(warn(
                    "reviewed",
                    tr!(
                        "check-review-old",
                        title = e.title,
                        date = r,
                        months = review_max_age_months
                    ),
                    tr!("check-review-old-hint"),
                ));
            }
            // A year ahead is a typo (2062 for 2026), not a plan.
            let horizon = today.checked_add(jiff::Span::new().years(1)).ok();
            for (key, date) in [("reviewed", p.reviewed), ("effective", p.effective)] {
                if let (Some(d), Some(h)) = (date, horizon)
                    && d > h
                {
                    out.push(warn(
                        key,
                        tr!("check-far-future", key = key, date = d, today = today),
                        tr!("check-far-future-hint", key = key),
                    ));
                }
            }
            if let Some(phone) = &p.phone
                && is_placeholder_phone(phone)
            {
                out.push(warn(
                    "phone",
                    tr!("check-placeholder-phone", phone = phone),
                    tr!("check-placeholder-phone-hint"),
                ));
            }
        }
        EntryData::Faq(q) => {
            if q.policies.is_empty() {
                out.push(warn(
                    "title",
                    tr!("check-faq-no-policy", title = e.title),
                    tr!("check-faq-no-policy-hint"),
                ));
            }
        }
    }
    out
}

/// Where `key`'s value is written in the entry's front matter (a line `key = value`).
fn value_span(e: &Entry, key: &str) -> Option<Range<usize>> {
    let text = &e.src.text[..e.body_start.min(e.src.text.len())];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(rest) = line.trim_start().strip_prefix(key) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let offset = start + line.find(value)?;
        return Some(offset..offset + value.len());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;
    use std::sync::Arc;

    fn entry(front: &str) -> Entry {
        let src = SourceFile::new("content/a/b.md", format!("+++\n{front}\n+++\n正文\n"));
        Entry::parse(Arc::new(src), "a/b".into(), "a".into(), None).unwrap()
    }

    fn warnings(front: &str) -> Vec<String> {
        let today = Date::new(2026, 12, 2).unwrap();
        entry_warnings(&entry(front), false, today, 12)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn far_future_dates_and_placeholders_are_located() {
        let w = warnings(
            "title = \"t\"\nsummary = \"s\"\nphone = \"0000-0000000\"\nreviewed = 2062-08-01\neffective = 2027-06-01",
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains("2062-08-01") && w[0].contains("b.md:5:12"),
            "{}",
            w[0]
        );
        assert!(
            w[1].contains("0000-0000000") && w[1].contains("b.md:4:9"),
            "{}",
            w[1]
        );
    }

    #[test]
    fn real_values_pass() {
        let w = warnings(
            "title = \"t\"\nsummary = \"s\"\nphone = \"0736-6623456\"\nreviewed = 2026-11-01",
        );
        assert!(w.is_empty(), "{w:?}");
        assert!(is_placeholder_phone("0000-0000000"));
        assert!(!is_placeholder_phone("12317"));
    }
}
