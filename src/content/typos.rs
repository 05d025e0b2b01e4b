//! The everyday typing mistakes of editors who write Chinese all day, found in TOML
//! (front matter and site.toml) before the TOML parser sees them: full-width quotes,
//! equals signs, commas and brackets typed with the Chinese input method still on,
//! and phone numbers or text left without quotes. The parser would report each
//! correctly but unhelpfully ("string values must be quoted", "invalid date" for a
//! phone number, two errors for one full-width comma); here each is one error at the
//! character, naming it, with the corrected line.

use crate::diagnostics::{Diagnostic, SourceFile};

/// The ASCII a full-width character typed outside a string should have been, with
/// the message id that names it.
fn ascii_for(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '“' | '”' | '＂' => ("\"", "typo-cn-quote"),
        '‘' | '’' | '＇' => ("\"", "typo-cn-quote"),
        '＝' => ("=", "typo-fw-equals"),
        '，' | '、' => (",", "typo-cn-comma"),
        '［' | '【' => ("[", "typo-fw-bracket"),
        '］' | '】' => ("]", "typo-fw-bracket"),
        '｛' => ("{", "typo-fw-bracket"),
        '｝' => ("}", "typo-fw-bracket"),
        '：' => ("=", "typo-cn-colon"),
        '＃' => ("#", "typo-fw-hash"),
        '\u{3000}' => (" ", "typo-fw-space"),
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Multi {
    None,
    Basic,
    Literal,
}

/// One error per line with a typing mistake in `text` (TOML at byte `base` of `src`).
pub(crate) fn toml_typos(src: &SourceFile, text: &str, base: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut multi = Multi::None;
    let mut line_start = 0;
    // Before the first [table]: the entry's own fields. Under [figures] a name in
    // Chinese is a figure's (标准), not a field's.
    let mut top = true;
    for line in text.split_inclusive('\n') {
        let lo = line_start;
        line_start += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let head = line.split('#').next().unwrap_or("").trim();
        if multi == Multi::None
            && head.starts_with('[')
            && head.ends_with(']')
            && !head.contains(['=', ','])
        {
            top = false;
        }
        if let Some(d) = check_line(src, base + lo, line, &mut multi, top) {
            out.push(d);
        }
        if out.len() >= 10 {
            break;
        }
    }
    out
}

/// The first mistake on `line` (at byte `at` of the file), tracking multi-line
/// strings across lines in `multi`.
fn check_line(
    src: &SourceFile,
    at: usize,
    line: &str,
    multi: &mut Multi,
    top: bool,
) -> Option<Diagnostic> {
    // The corrected line is written out only for a line with a mistake: nearly every
    // line has none, and writing each out was most of the time of this look.
    let before = *multi;
    let (first_bad, equals) = scan(line, multi, &mut ());
    if let Some((i, c, id)) = first_bad {
        let mut fixed = String::with_capacity(line.len());
        scan(line, &mut { before }, &mut fixed);
        let fixed = squeeze_spaces(&fixed);
        let message = crate::i18n::t(id, &[("ch", c.to_string())]);
        return Some(
            Diagnostic::error(message)
                .at(src, at + i..at + i + c.len_utf8())
                .with_hint(tr!("typo-fix-line", line = fixed.trim())),
        );
    }
    let eq = equals?;
    top.then(|| chinese_key(src, at, line, eq))
        .flatten()
        .or_else(|| unquoted(src, at, line, eq))
}

/// Where the corrected line goes: a `String`, or nowhere.
trait Fixed {
    fn push(&mut self, c: char);
    fn push_str(&mut self, s: &str);
}

impl Fixed for String {
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

impl Fixed for () {
    fn push(&mut self, _: char) {}
    fn push_str(&mut self, _: &str) {}
}

/// Reads `line`, tracking multi-line strings in `multi`, writing the corrected line
/// to `fixed`: the first full-width character where ASCII belongs, and the byte
/// offset of the first `=` outside strings, brackets and tables.
fn scan(
    line: &str,
    multi: &mut Multi,
    fixed: &mut impl Fixed,
) -> (Option<(usize, char, &'static str)>, Option<usize>) {
    let mut first_bad: Option<(usize, char, &'static str)> = None;
    // Byte offset in `line` of the first `=` outside strings, brackets and tables.
    let mut equals: Option<usize> = None;
    let mut depth = 0i32;
    let mut chars = line.char_indices();
    // Inside a one-line string: Some('"') or Some('\'').
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let rest = &line[i..];
        if *multi != Multi::None {
            let close = if *multi == Multi::Basic {
                "\"\"\""
            } else {
                "'''"
            };
            if rest.starts_with(close) {
                *multi = Multi::None;
                fixed.push_str(close);
                chars.nth(1);
            } else {
                fixed.push(c);
                if *multi == Multi::Basic
                    && c == '\\'
                    && let Some((_, n)) = chars.next()
                {
                    fixed.push(n);
                }
            }
            continue;
        }
        if let Some(q) = quote {
            fixed.push(c);
            if q == '"' && c == '\\' {
                if let Some((_, n)) = chars.next() {
                    fixed.push(n);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '#' => {
                fixed.push_str(rest);
                break;
            }
            '"' | '\'' => {
                let triple = if c == '"' { "\"\"\"" } else { "'''" };
                if rest.starts_with(triple) {
                    *multi = if c == '"' {
                        Multi::Basic
                    } else {
                        Multi::Literal
                    };
                    fixed.push_str(triple);
                    chars.nth(1);
                } else {
                    quote = Some(c);
                    fixed.push(c);
                }
            }
            '[' | '{' => {
                depth += 1;
                fixed.push(c);
            }
            ']' | '}' => {
                depth -= 1;
                fixed.push(c);
            }
            '=' if depth == 0 && equals.is_none() => {
                equals = Some(i);
                fixed.push(c);
            }
            _ => match ascii_for(c) {
                Some((ascii, id)) => {
                    if first_bad.is_none() {
                        first_bad = Some((i, c, id));
                    }
                    // A full-width colon between key and value stands for ` = `.
                    fixed.push_str(if c == '：' { " = " } else { ascii });
                }
                None => fixed.push(c),
            },
        }
    }
    (first_bad, equals)
}

/// The field a name in Chinese stands for: the labels the handbook prints (咨询电话,
/// 办理地点) and the words an editor reaches for (标题, 电话, 标签).
const CHINESE_KEYS: &[(&str, &[&str])] = &[
    ("title", &["标题", "名称", "题目", "问题"]),
    ("summary", &["摘要", "简介", "概要", "说明"]),
    ("issuer", &["发文单位", "发布单位", "主管部门", "发文机关"]),
    ("basis", &["政策依据", "依据", "文件依据"]),
    ("targets", &["补助对象", "对象", "适用对象", "享受对象"]),
    ("amount", &["补助标准", "标准", "金额", "补助金额"]),
    ("conditions", &["申请条件", "条件"]),
    ("steps", &["办理流程", "流程", "办理步骤", "步骤"]),
    ("materials", &["所需材料", "材料", "申请材料"]),
    ("office", &["办理地点", "地点", "办理地址", "地址"]),
    ("phone", &["咨询电话", "电话", "联系电话"]),
    ("effective", &["生效日期", "施行日期", "实施日期"]),
    ("expires", &["失效日期", "截止日期"]),
    ("reviewed", &["核对日期", "审核日期"]),
    ("aliases", &["别名", "又称", "俗称"]),
    ("tags", &["标签"]),
    ("weight", &["排序", "顺序"]),
    ("answer", &["回答", "答案", "解答"]),
    ("policies", &["相关政策", "引用政策"]),
];

/// A name written in Chinese before the `=` at byte `eq` (quoted or not: TOML takes it
/// quoted, mingbai knows its fields only in English): the field meant, and the line.
fn chinese_key(src: &SourceFile, at: usize, line: &str, eq: usize) -> Option<Diagnostic> {
    let written = line[..eq].trim();
    let key_at = line.len() - line.trim_start().len();
    let (key, _) = CHINESE_KEYS
        .iter()
        .find(|(_, names)| names.contains(&written.trim_matches(['"', '\''])))?;
    let fixed = format!("{key} = {}", line[eq + 1..].trim());
    Some(
        Diagnostic::error(tr!("typo-cn-key", name = written, key = *key))
            .at(src, at + key_at..at + key_at + written.len())
            .with_hint(tr!("typo-fix-line", line = fixed)),
    )
}

/// An unquoted phone number, number with dashes or text after the `=` at byte `eq`.
fn unquoted(src: &SourceFile, at: usize, line: &str, eq: usize) -> Option<Diagnostic> {
    let key = line[..eq].trim();
    let value_at = eq + 1 + (line[eq + 1..].len() - line[eq + 1..].trim_start().len());
    let value = line[value_at..].split('#').next().unwrap_or("").trim_end();
    if key.is_empty() || value.is_empty() {
        return None;
    }
    let span = at + value_at..at + value_at + value.len();
    let first = value.chars().next()?;
    let phone_key = key.contains("phone") || key.contains("电话") || key == "tel";
    let phone_like = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '－' | '—'))
        && value.chars().filter(char::is_ascii_digit).count() >= 3;
    if !is_date(value)
        && let Some(date) = loose_date(value)
    {
        return Some(
            Diagnostic::error(tr!("typo-loose-date", key = key, date = date.clone()))
                .at(src, span)
                .with_hint(tr!("typo-fix-line", line = format!("{key} = {date}"))),
        );
    }
    let message = if phone_key && phone_like {
        tr!("typo-unquoted-phone", key = key, value = value)
    } else if phone_like
        && first.is_ascii_digit()
        && value.contains(['-', '－', '—'])
        && !is_date(value)
    {
        tr!("typo-unquoted-number", key = key, value = value)
    } else if !first.is_ascii() && ascii_for(first).is_none() {
        tr!("typo-unquoted-text", key = key, value = value)
    } else {
        return None;
    };
    Some(
        Diagnostic::error(message)
            .at(src, span)
            .with_hint(tr!("typo-fix-line", line = format!("{key} = \"{value}\""))),
    )
}

/// TOML's bare date (2025-03-01), which needs no quotes.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A date as people write it (2025-4-1, 2025/4/1, 2025.04.01, 2025年4月1日, in
/// full-width digits too) in TOML's form (2025-04-01); `None` for anything else. The
/// day's existence is TOML's to check.
pub(crate) fn loose_date(v: &str) -> Option<String> {
    let digits: String = v
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '年' | '月' | '/' | '.' | '／' | '．' | '－' => '-',
            _ => c,
        })
        .collect();
    let digits = digits.strip_suffix(['日', '号']).unwrap_or(&digits);
    let mut parts = digits.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let number = |p: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?);
    (parts.next().is_none() && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The corrected line without the doubled spaces a replaced `：` leaves.
fn squeeze_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ' ' && out.ends_with(' ') => continue,
            None => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typos(text: &str) -> Vec<String> {
        let src = SourceFile::new("a.md", text.to_string());
        toml_typos(&src, text, 0)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn full_width_quotes_are_named_with_the_fix() {
        let d = typos("title = \"x\"\noffice = “乡镇便民服务中心”\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains("中文引号"), "{}", d[0]);
        assert!(d[0].contains("a.md:2:10"), "{}", d[0]);
        assert!(d[0].contains("office = \"乡镇便民服务中心\""), "{}", d[0]);
    }

    #[test]
    fn one_error_for_one_full_width_comma() {
        let d = typos("tags = [\"住房\"，\"危房\"]\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains("a.md:1:13"), "{}", d[0]);
        assert!(d[0].contains("tags = [\"住房\",\"危房\"]"), "{}", d[0]);
    }

    #[test]
    fn equals_colon_and_space() {
        let d = typos("office ＝ \"中心\"\nphone： \"1\"\n\u{3000}title = \"x\"\n");
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d[0].contains("全角等号") && d[0].contains("a.md:1:8"),
            "{}",
            d[0]
        );
        assert!(d[1].contains("phone = \"1\""), "{}", d[1]);
        assert!(d[2].contains("全角空格"), "{}", d[2]);
    }

    #[test]
    fn unquoted_phone_and_text() {
        let d = typos("phone = 0736-6623456\noffice = 乡镇便民服务中心\neffective = 2025-03-01\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].contains("电话号码要加引号：phone = \"0736-6623456\""),
            "{}",
            d[0]
        );
        assert!(d[0].contains("a.md:1:9"), "{}", d[0]);
        assert!(d[1].contains("office = \"乡镇便民服务中心\""), "{}", d[1]);
    }

    #[test]
    fn dates_as_people_write_them_get_the_form_that_works() {
        let d =
            typos("effective = 2025-4-1\nexpires = 2026年12月31日\nreviewed = 2026/1/5 # 核对\n");
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d[0].contains("effective = 2025-04-01") && d[0].contains("a.md:1:13"),
            "{}",
            d[0]
        );
        assert!(d[1].contains("expires = 2026-12-31"), "{}", d[1]);
        assert!(d[2].contains("reviewed = 2026-01-05"), "{}", d[2]);
        // Never the advice to quote it, which the next run refuses as a quoted date.
        assert!(d.iter().all(|d| !d.contains('"')), "{d:?}");
        for (written, date) in [
            ("２０２５．３．１", Some("2025-03-01")),
            ("2025年3月1号", Some("2025-03-01")),
        ] {
            assert_eq!(loose_date(written).as_deref(), date);
        }
        for other in [
            "0736-6623456",
            "2025-13-01",
            "25-3-1",
            "2025-3",
            "2025-3-1-2",
            "第2025年",
        ] {
            assert_eq!(loose_date(other), None, "{other}");
        }
    }

    #[test]
    fn a_field_named_in_chinese_gets_its_english_name() {
        let d = typos(
            "电话 = \"0718-6628012\"\n  办理地点 = \"乡镇\"\n\"标签\" = [\"兜底\"]\n乡镇 = \"x\"\n",
        );
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d[0].contains("「电话」") && d[0].contains("phone") && d[0].contains("a.md:1:1"),
            "{}",
            d[0]
        );
        assert!(d[0].contains("改成：phone = \"0718-6628012\""), "{}", d[0]);
        assert!(
            d[1].contains("a.md:2:3") && d[1].contains("改成：office = \"乡镇\""),
            "{}",
            d[1]
        );
        assert!(d[2].contains("改成：tags = [\"兜底\"]"), "{}", d[2]);
        // A figure may be named 标准: under [figures] it is one, not a field.
        let d = typos("title = \"x\"\n[figures] # 口径\n\"标准\" = \"每月500元\"\n金额 = \"1\"\n");
        assert!(d.iter().all(|d| !d.contains("amount")), "{d:?}");
    }

    #[test]
    fn a_line_that_ends_a_multiline_string_is_fixed_from_inside_it() {
        let d = typos("answer = \"\"\"\n第一行\n第二行\"\"\"，\nweight = 1\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains("a.md:3:7"), "{}", d[0]);
        assert!(d[0].contains("第二行\"\"\","), "{}", d[0]);
    }

    #[test]
    fn strings_comments_and_multiline_strings_are_left_alone() {
        let ok = "summary = \"贷款“免担保”，可以申请：5万元\" # 注释，随便写\n\
                  answer = \"\"\"\n第一行，“引号”\n\"\"\"\nweight = 10\nbasis = ['国发〔2021〕1号，附件']\n";
        assert!(typos(ok).is_empty(), "{:?}", typos(ok));
    }
}
