//! Phone numbers as links a phone can dial: the `phone_links` template filter. Editors
//! write a phone field as people say it (`0736-6623456转8001`, `6623456、13807360000`,
//! `12345（24小时）`), and `tel:` with that text would dial nothing or the wrong number;
//! each number gets its own link, holding only digits (a leading `+`), and an extension
//! after a pause (`,`), which phone diallers wait out before dialling it.

use crate::html::feeds::escape_xml;

/// `text` as HTML: each phone number in it (five digits or more, with `-` or spaces
/// between them, and an extension after 转, 分机 or ext) a `tel:` link of class `tel`;
/// everything else escaped, as written.
pub(crate) fn links(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    while let Some((start, end, dial)) = next_number(rest) {
        out.push_str(&escape_xml(&rest[..start]));
        out.push_str("<a class=\"tel\" href=\"tel:");
        out.push_str(&dial);
        out.push_str("\">");
        out.push_str(&escape_xml(&rest[start..end]));
        out.push_str("</a>");
        rest = &rest[end..];
    }
    out.push_str(&escape_xml(rest));
    out
}

/// Words that put an extension after a number.
const EXTENSION: [&str; 6] = ["转", "分机", "ext.", "ext", "EXT", "Ext"];

/// The first number of `s`: its byte range (extension included) and what to dial.
fn next_number(s: &str) -> Option<(usize, usize, String)> {
    let mut from = 0;
    while let Some(k) = s[from..].find(|c: char| c.is_ascii_digit() || c == '+') {
        let start = from + k;
        let (end, digits) = run(s, start);
        if digits.trim_start_matches('+').len() < 5 || digits.len() > 20 {
            // A year, an amount, a count: not a number to dial.
            from = end.max(start + 1);
            continue;
        }
        let mut dial = digits;
        let mut end = end;
        let after = s[end..].trim_start_matches([' ', '-', '—', '－']);
        if let Some(word) = EXTENSION.iter().find(|w| after.starts_with(**w)) {
            let at = s.len() - after.len() + word.len();
            let digits_at =
                at + (s[at..].len() - s[at..].trim_start_matches([' ', ':', '：']).len());
            let (ext_end, ext) = run(s, digits_at);
            if !ext.is_empty() && !ext.starts_with('+') && ext.len() <= 6 {
                dial.push(',');
                dial.push_str(&ext);
                end = ext_end;
            }
        }
        return Some((start, end, dial));
    }
    None
}

/// Digits from `start` (a leading `+` kept), across single dashes (`-` `－` `—`) or
/// spaces between them: where the run ends and its digits.
fn run(s: &str, start: usize) -> (usize, String) {
    let mut digits = String::new();
    let mut end = start;
    let mut chars = s[start..].char_indices().peekable();
    if let Some((_, '+')) = chars.peek() {
        chars.next();
        digits.push('+');
        end = start + 1;
    }
    while let Some((k, c)) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            end = start + k + 1;
        } else if matches!(c, '-' | ' ' | '－' | '—')
            && end == start + k
            && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit())
        {
            // A separator only between digits.
        } else {
            break;
        }
    }
    if digits == "+" {
        return (start, String::new());
    }
    (end, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(dial: &str, shown: &str) -> String {
        format!("<a class=\"tel\" href=\"tel:{dial}\">{shown}</a>")
    }

    #[test]
    fn each_number_dials_its_digits_and_extension() {
        for (text, want) in [
            ("0718-6620607", link("07186620607", "0718-6620607")),
            ("12317", link("12317", "12317")),
            (
                "0736-6623456转8001",
                link("07366623456,8001", "0736-6623456转8001"),
            ),
            (
                "0736-6623456 分机：801",
                link("07366623456,801", "0736-6623456 分机：801"),
            ),
            (
                "6623456、138 0736 0000",
                format!(
                    "{}、{}",
                    link("6623456", "6623456"),
                    link("13807360000", "138 0736 0000")
                ),
            ),
            (
                "12345（24小时）",
                format!("{}（24小时）", link("12345", "12345")),
            ),
            ("+86 718 6620607", link("+867186620607", "+86 718 6620607")),
            ("村委会", "村委会".to_string()),
            ("2026年起 <b>", "2026年起 &lt;b&gt;".to_string()),
            (
                "0736-6623456转",
                format!("{}转", link("07366623456", "0736-6623456")),
            ),
            ("0718－6620607", link("07186620607", "0718－6620607")),
        ] {
            assert_eq!(links(text), want, "{text}");
        }
    }

    #[test]
    fn any_text_comes_back_whole() {
        let pieces = ["0", "7", "-", " ", "转", "+", "、", "<", "分机", "9"];
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        for n in 0..2000 {
            let text: String = (0..n % 40)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let html = links(&text);
            // Without the tags and entities, the text as written.
            let mut plain = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' if in_tag => in_tag = false,
                    _ if !in_tag => plain.push(c),
                    _ => {}
                }
            }
            assert_eq!(plain.replace("&lt;", "<"), text, "{html}");
        }
    }
}
