//! Checks on single cells: ID numbers (GB 11643), phone numbers, and matching each
//! 享受政策 item to a policy of the handbook by title, alias or id.

use std::collections::HashMap;

use crate::content::Kind;
use crate::site::Site;

/// Problems with an ID number, explained for the cadre who typed it.
pub fn check_id(raw: &str, was_number: bool) -> Result<String, String> {
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
        return Err(format!(
            "身份证号「{raw}」被 Excel 当成了数字（科学计数法），后几位已经丢失。\
             请把这一列设为「文本」格式，再按身份证原件重新录入这些号码后导出"
        ));
    }
    if id.chars().count() != 18 {
        // Messages never repeat a whole ID number: terminals get logged.
        return Err(format!("身份证号有 {} 位，应为 18 位", id.chars().count()));
    }
    let bytes = id.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err("身份证号含有数字和 X 以外的字符".to_string());
    }
    let expected = check_char(&id[..17]);
    if bytes[17] as char != expected {
        return Err(format!(
            "身份证号「{}」校验位不对：按前 17 位计算，最后一位应为 {expected}，请核对身份证原件",
            mask_id(&id)
        ));
    }
    Ok(id)
}

/// The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits.
pub fn check_char(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// The printed form of an ID: first 6 and last 4 characters (421123********123X).
pub fn mask_id(id: &str) -> String {
    if id.len() != 18 {
        return "*".repeat(id.chars().count());
    }
    format!("{}********{}", &id[..6], &id[14..])
}

/// A plausible Chinese phone number: an 11-digit mobile (1[3-9]…), or a landline
/// with area code (0718-6620607), or a short service number (12317). Several numbers
/// may be separated by / 、 , ；.
pub fn check_phone(raw: &str) -> Result<(), String> {
    let parts: Vec<&str> = raw
        .split(['/', '、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err("电话为空".into());
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
            return Err(format!(
                "「{p}」不像电话号码：手机为 11 位（如 13800001234），座机要带区号（如 0718-6620607）"
            ));
        }
    }
    Ok(())
}

/// Policy titles, aliases and ids of the handbook, for matching sheet items.
pub struct PolicyIndex {
    names: HashMap<String, Vec<usize>>,
    all: Vec<String>,
}

impl PolicyIndex {
    pub fn new(site: &Site) -> PolicyIndex {
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in site.entries.iter().enumerate() {
            if n.entry.kind != Kind::Policy {
                continue;
            }
            let mut keys = vec![n.entry.title.clone(), n.entry.id.clone()];
            keys.extend(
                n.entry
                    .policy()
                    .map(|p| p.aliases.clone())
                    .unwrap_or_default(),
            );
            for k in keys {
                let list = names.entry(key(&k)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        let mut all: Vec<String> = site
            .entries
            .iter()
            .filter(|n| n.entry.kind == Kind::Policy)
            .flat_map(|n| {
                let mut v = vec![n.entry.title.clone()];
                v.extend(
                    n.entry
                        .policy()
                        .map(|p| p.aliases.clone())
                        .unwrap_or_default(),
                );
                v
            })
            .collect();
        all.sort();
        all.dedup();
        PolicyIndex { names, all }
    }

    /// The entry a sheet item names, or what is wrong with it.
    pub fn find(&self, name: &str, site: &Site) -> Result<usize, String> {
        match self.names.get(&key(name)).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) => {
                let titles: Vec<String> = many
                    .iter()
                    .map(|&i| format!("「{}」", site.entries[i].entry.title))
                    .collect();
                Err(format!(
                    "「{name}」同时是{}的名称，请写完整的政策名称",
                    titles.join("和")
                ))
            }
            None => {
                let hint = nearest(name, &self.all)
                    .map(|s| format!("，是不是「{s}」？"))
                    .unwrap_or_else(|| "；请写手册里的政策名称、别名或编号".into());
                Err(format!("手册里没有叫「{name}」的政策{hint}"))
            }
        }
    }
}

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// The closest name, compared character by character (Chinese names are short).
fn nearest<'a>(word: &str, names: &'a [String]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (strsim::normalized_levenshtein(word, n), n))
        .filter(|(s, _)| *s >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.as_str())
}

/// Splits a 享受政策 cell into (name, amount) items: `雨露计划(3000元)；两免贷款（5万元）`.
pub fn split_policies(cell: &str) -> Vec<(String, Option<String>)> {
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
