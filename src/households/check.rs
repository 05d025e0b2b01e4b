//! Checks on single cells: ID numbers (GB 11643), phone numbers, control characters,
//! the 享受政策 list; and [`redact`], which every household message passes through so
//! that no terminal or log ever holds more than 6 digits of an ID or a whole phone.

/// Problems with an ID number, explained for the cadre who typed it.
pub(crate) fn check_id(raw: &str, was_number: bool) -> Result<String, String> {
    let id: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let looks_scientific = id.contains('E')
        && id
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'E' | '+' | '-'));
    if looks_scientific || (was_number && id.len() != 18) {
        return Err(tr!("households-id-scientific", raw = raw));
    }
    if id.chars().count() != 18 {
        // Messages never repeat a whole ID number: terminals get logged.
        return Err(tr!("households-id-length", n = id.chars().count()));
    }
    let bytes = id.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(tr!("households-id-chars"));
    }
    let expected = check_char(&id[..17]);
    if bytes[17] as char != expected {
        // At most the first 6 digits (the region) in any message.
        return Err(tr!(
            "households-id-check",
            start = &id[..6],
            expected = expected
        ));
    }
    Ok(id)
}

/// Masks long digit runs in a message: an ID number (15 or 18 characters) keeps its
/// first 6 digits (the region), any other run of 7 or more digits (a phone, a mangled
/// ID) its first 3. Terminals get logged and screenshots get shared.
pub(crate) fn redact(msg: &str) -> String {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::with_capacity(msg.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i < chars.len() && matches!(chars[i], 'X' | 'x') && i - start == 17 {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let n = run.chars().count();
        if n < 7 {
            out.push_str(&run);
            continue;
        }
        let keep = if n == 15 || n >= 17 { 6 } else { 3 };
        out.push_str(&run[..keep]);
        out.push_str(&"*".repeat(n - keep));
    }
    out
}

/// A cell's text made printable: Alt+Enter's vertical tab and carriage returns become
/// line breaks, tabs spaces; any other control character (NUL, ESC …) is removed and
/// named in the error, since it is invisible in Excel and cannot be printed.
pub(crate) fn clean_controls(text: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(text.len());
    let mut bad: Vec<char> = Vec::new();
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\u{0b}' | '\r' | '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() || matches!(c, '\u{200b}' | '\u{feff}') => {
                if !bad.contains(&c) {
                    bad.push(c);
                }
            }
            c => out.push(c),
        }
    }
    let err = (!bad.is_empty()).then(|| {
        let named: Vec<String> = bad
            .iter()
            .map(|c| {
                let what = match *c {
                    '\0' => tr!("households-char-nul"),
                    '\u{1b}' => tr!("households-char-esc"),
                    '\u{200b}' => tr!("households-char-zwsp"),
                    '\u{feff}' => tr!("households-char-bom"),
                    _ => tr!("households-char-control"),
                };
                tr!(
                    "households-char-named",
                    code = format!("{:04X}", *c as u32),
                    what = what
                )
            })
            .collect();
        tr!("households-invisible", chars = named.join(&tr!("list-sep")))
    });
    (out.trim().to_string(), err)
}

/// The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits.
pub(crate) fn check_char(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// The printed form of an ID: first 6 and last 4 characters (421123********123X).
pub(crate) fn mask_id(id: &str) -> String {
    if id.len() != 18 {
        return "*".repeat(id.chars().count());
    }
    format!("{}********{}", &id[..6], &id[14..])
}

/// A plausible Chinese phone number: an 11-digit mobile (1[3-9]…), or a landline
/// with area code (0718-6620607), or a short service number (12317). Several numbers
/// may be separated by / 、 , ；.
pub(crate) fn check_phone(raw: &str) -> Result<(), String> {
    let parts: Vec<&str> = raw
        .split(['/', '、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(tr!("households-phone-empty"));
    }
    for p in parts {
        let digits: String = p
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '—' | '－'))
            .collect();
        let ok = digits.chars().all(|c| c.is_ascii_digit())
            && match digits.as_bytes() {
                [b'1', second, ..] if digits.len() == 11 => (b'3'..=b'9').contains(second),
                [b'0', ..] => (10..=12).contains(&digits.len()),
                [b'1', b'2', ..] => digits.len() == 5,
                _ => false,
            };
        if !ok {
            return Err(tr!("households-phone-bad", phone = p));
        }
    }
    Ok(())
}

/// Splits a 享受政策 cell into (name, amount) items: `雨露计划(3000元)；两免贷款（5万元）`.
pub(crate) fn split_policies(cell: &str) -> Vec<(String, Option<String>)> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in cell.chars() {
        match c {
            '(' | '（' => {
                depth += 1;
                cur.push(c);
            }
            ')' | '）' => {
                depth -= 1;
                cur.push(c);
            }
            '；' | ';' | '、' | '，' | ',' | '\n' if depth <= 0 => {
                items.push(std::mem::take(&mut cur));
            }
            _ => cur.push(c),
        }
    }
    items.push(cur);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let open = s.find(['(', '（']);
            match open {
                Some(i) if s.ends_with([')', '）']) => {
                    let name = s[..i].trim().to_string();
                    let inner: String = s[i..].chars().skip(1).collect();
                    let inner = inner.trim_end_matches([')', '）']).trim().to_string();
                    (name, (!inner.is_empty()).then_some(inner))
                }
                _ => (s, None),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb11643_checksum() {
        // The standard's own example.
        assert_eq!(check_char("11010519491231002"), 'X');
        assert!(check_id("11010519491231002X", false).is_ok());
        assert!(
            check_id("110105194912310021", false)
                .unwrap_err()
                .contains("最后一位应为 X")
        );
        assert!(
            check_id("4.21123E+17", false)
                .unwrap_err()
                .contains("科学计数法")
        );
        assert!(
            check_id("421123198001011", false)
                .unwrap_err()
                .contains("15 位")
        );
        assert_eq!(mask_id("11010519491231002X"), "110105********002X");
    }

    #[test]
    fn messages_never_hold_a_whole_id_or_phone() {
        assert_eq!(
            redact("身份证号「42112319800312001X」与「421123800312001」"),
            "身份证号「421123************」与「421123*********」"
        );
        assert_eq!(redact("「12800001234」不像电话"), "「128********」不像电话");
        assert_eq!(
            redact("第12行「4.21123E+17」户编号 001"),
            "第12行「4.21123E+17」户编号 001"
        );
        let e = check_id("110105194912310021", false).unwrap_err();
        assert!(!e.contains("1101051"), "{e}");
    }

    #[test]
    fn control_characters_are_cleaned_or_named() {
        assert_eq!(
            clean_controls("养牛\u{0b}种茶"),
            ("养牛\n种茶".into(), None)
        );
        let (t, e) = clean_controls("王\0堃\u{1b}");
        assert_eq!(t, "王堃");
        let e = e.unwrap();
        assert!(
            e.contains("U+0000（空字符）") && e.contains("U+001B"),
            "{e}"
        );
    }

    #[test]
    fn phones() {
        assert!(check_phone("13800001234").is_ok());
        assert!(check_phone("0718-6620607").is_ok());
        assert!(check_phone("138 0000 1234 / 0718-6620607").is_ok());
        assert!(check_phone("12317").is_ok());
        assert!(check_phone("1380013").is_err());
        assert!(check_phone("abc").is_err());
        assert!(check_phone("12800001234").is_err());
    }

    #[test]
    fn policy_items_with_amounts() {
        let v = split_policies("雨露计划(3000元)；两免贷款（5万元，3年）、jiaoyu/mianfei; 低保");
        assert_eq!(
            v,
            vec![
                ("雨露计划".into(), Some("3000元".into())),
                ("两免贷款".into(), Some("5万元，3年".into())),
                ("jiaoyu/mianfei".into(), None),
                ("低保".into(), None),
            ]
        );
    }
}
