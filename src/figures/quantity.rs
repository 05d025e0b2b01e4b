//! Amounts, terms, ages, rates and counts as a Chinese text writes them, read into
//! comparable quantities: `5万元` = `50000元` = `五万元`, `3年` = `三年` = `36个月`,
//! `每人每年6000元` = `每月500元`. Used by the 口径 check, which must not mistake
//! dates (`2026年`), ordinals (`第一年`), grades (`三年级`) or terms of a name
//! (`一年期贷款`) for a stated quantity, so those are left out on purpose.

use std::ops::Range;

/// What a quantity measures; only quantities of the same kind are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// 元, with no period: a one-off amount or a limit.
    Money,
    /// 元 per period, normalised to a month (每年6000元 is 每月500元).
    MoneyPerMonth,
    /// 元 per day (住院每天…元): not convertible to months without a calendar.
    MoneyPerDay,
    /// A term in months (年, 个月).
    Months,
    /// A term in days (天, 个工作日).
    Days,
    /// An age (岁, 周岁).
    Age,
    /// A rate in percent.
    Percent,
    /// A count of people, households or times (人, 户, 次, 名).
    Count,
}

impl Kind {
    /// How a warning names the kind, in words a county editor uses.
    pub(crate) fn label(self) -> String {
        match self {
            Kind::Money | Kind::MoneyPerMonth | Kind::MoneyPerDay => tr!("figures-kind-money"),
            Kind::Months | Kind::Days => tr!("figures-kind-term"),
            Kind::Age => tr!("figures-kind-age"),
            Kind::Percent => tr!("figures-kind-share"),
            Kind::Count => tr!("figures-kind-count"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantity {
    pub kind: Kind,
    pub value: f64,
    /// Byte range of the written quantity (number and unit) in the scanned text.
    pub span: Range<usize>,
}

impl Quantity {
    pub(crate) fn same_value(&self, other: &Quantity) -> bool {
        self.kind == other.kind
            && (self.value - other.value).abs() < 1e-6 * self.value.abs().max(1.0)
    }
}

const CN_DIGITS: &str = "零〇一二两三四五六七八九";
const CN_UNITS: &str = "十百千万亿";

fn is_cn_numeral(c: char) -> bool {
    CN_DIGITS.contains(c) || CN_UNITS.contains(c)
}

/// `一万零四百` → 10400, `三十六` → 36, `十` → 10, `两` → 2.
pub(crate) fn parse_chinese(s: &str) -> Option<f64> {
    let mut total = 0f64; // finished 亿 and 万 groups
    let mut section = 0f64; // the group below 万
    let mut digit: Option<f64> = None;
    for c in s.chars() {
        if let Some(d) = CN_DIGITS.chars().position(|x| x == c) {
            digit = Some(match d {
                0 | 1 => 0.0,
                2 => 1.0,
                3 => 2.0,
                4 => 2.0,
                n => (n - 2) as f64,
            });
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 1e4,
            '亿' => 1e8,
            _ => return None,
        };
        if unit >= 1e4 {
            section += digit.take().unwrap_or(0.0);
            total = (total + section) * unit;
            section = 0.0;
        } else {
            // 十 alone is ten.
            section += digit.take().unwrap_or(1.0) * unit;
        }
    }
    let v = total + section + digit.unwrap_or(0.0);
    (v > 0.0).then_some(v)
}

/// A number starting at byte `at` of `text`: Arabic (`1.5`, `50,000`, with an optional
/// `万`/`千`/`亿` after it) or Chinese numerals. Returns the value and its end.
fn number_at(text: &str, at: usize) -> Option<(f64, usize)> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    if first.is_ascii_digit() {
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if c.is_ascii_digit() || ((c == '.' || c == ',') && i > 0) {
                end = i + c.len_utf8();
            } else {
                break;
            }
        }
        let digits = rest[..end].trim_end_matches(['.', ',']);
        let end = digits.len();
        let mut v: f64 = digits.replace(',', "").parse().ok()?;
        let mut end = at + end;
        if let Some(m) = text[end..].chars().next() {
            let mult = match m {
                '万' => 1e4,
                '千' => 1e3,
                '亿' => 1e8,
                _ => 1.0,
            };
            if mult > 1.0 {
                v *= mult;
                end += m.len_utf8();
            }
        }
        Some((v, end))
    } else if is_cn_numeral(first) {
        let end = rest
            .char_indices()
            .find(|(_, c)| !is_cn_numeral(*c))
            .map_or(rest.len(), |(i, _)| i);
        parse_chinese(&rest[..end]).map(|v| (v, at + end))
    } else {
        None
    }
}

/// The unit right after a number: its kind, how to scale the number, and its length.
fn unit_at(text: &str, at: usize) -> Option<(Kind, f64, usize)> {
    let rest = &text[at..];
    let next = |n: usize| rest[n..].chars().next();
    const UNITS: &[(&str, Kind, f64)] = &[
        ("个工作日", Kind::Days, 1.0),
        ("个月", Kind::Months, 1.0),
        ("周岁", Kind::Age, 1.0),
        ("元", Kind::Money, 1.0),
        ("年", Kind::Months, 12.0),
        ("天", Kind::Days, 1.0),
        ("岁", Kind::Age, 1.0),
        ("%", Kind::Percent, 1.0),
        ("％", Kind::Percent, 1.0),
        ("人", Kind::Count, 1.0),
        ("户", Kind::Count, 1.0),
        ("次", Kind::Count, 1.0),
        ("名", Kind::Count, 1.0),
    ];
    let (u, kind, scale) = UNITS.iter().find(|(u, _, _)| rest.starts_with(u))?;
    // 一年期 (a kind of loan), 三年级 (a school grade), 年度, 人次, 人民币: not a term.
    if *u == "年" && matches!(next(u.len()), Some('期' | '级' | '度' | '底' | '初' | '末')) {
        return None;
    }
    if *u == "人" && matches!(next(u.len()), Some('次' | '民' | '员')) {
        return None;
    }
    Some((*kind, *scale, u.len()))
}

/// The period written just before an amount (每月620元, 每人每年6000元) or after it
/// (620元/月): months per period, `Some(0)` for a day, `None` for none.
fn period(text: &str, start: usize, end: usize) -> Option<u32> {
    let before: String = text[..start]
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[end..].chars().take(4).collect();
    let per = |s: &str| match s {
        "年" => Some(12),
        "月" => Some(1),
        "天" | "日" => Some(0),
        _ => None,
    };
    for p in ["年", "月", "天", "日"] {
        if before.ends_with(&format!("每{p}"))
            || before.ends_with(&format!("每人每{p}"))
            || after.starts_with(&format!("/{p}"))
            || after.starts_with(&format!("/人/{p}"))
            || after.starts_with(&format!("/人·{p}"))
        {
            return per(p);
        }
    }
    None
}

fn quantity(kind: Kind, value: f64, text: &str, span: Range<usize>) -> Quantity {
    let (kind, value) = match kind {
        Kind::Money => match period(text, span.start, span.end) {
            Some(0) => (Kind::MoneyPerDay, value),
            Some(m) => (Kind::MoneyPerMonth, value / m as f64),
            None => (Kind::Money, value),
        },
        k => (k, value),
    };
    Quantity { kind, value, span }
}

/// Every quantity stated in `text`, in order. `18至65周岁` gives both ends.
pub(crate) fn scan(text: &str) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let prev = text[..i].chars().next_back();
        // Inside a longer number or word (A3, 第一), or an ordinal: not a quantity.
        let starts = (c.is_ascii_digit() || is_cn_numeral(c))
            && !prev.is_some_and(|p| {
                p.is_ascii_alphanumeric() || p == '.' || p == '第' || is_cn_numeral(p)
            });
        if !starts {
            i += c.len_utf8();
            continue;
        }
        let Some((v, end)) = number_at(text, i) else {
            i += c.len_utf8();
            continue;
        };
        if let Some((kind, scale, ulen)) = unit_at(text, end) {
            // 2026年 is a year, not a term of 2026 years.
            if !(kind == Kind::Months && scale == 12.0 && v >= 1000.0) {
                out.push(quantity(kind, v * scale, text, i..end + ulen));
            }
            i = end + ulen;
            continue;
        }
        // 18至65周岁: the first number takes the unit of the second.
        let sep = text[end..].chars().next();
        if let Some(s) = sep.filter(|s| matches!(s, '至' | '到' | '-' | '~' | '～' | '—' | '－'))
        {
            let at = end + s.len_utf8();
            if let Some((v2, end2)) = number_at(text, at)
                && let Some((kind, scale, ulen)) = unit_at(text, end2)
                && !(kind == Kind::Months && scale == 12.0 && v2 >= 1000.0)
            {
                out.push(quantity(kind, v * scale, text, i..end));
                out.push(quantity(kind, v2 * scale, text, at..end2 + ulen));
                i = end2 + ulen;
                continue;
            }
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (Kind, f64) {
        let q = scan(s);
        assert_eq!(q.len(), 1, "{s}: {q:?}");
        (q[0].kind, q[0].value)
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_chinese("一万零四百"), Some(10400.0));
        assert_eq!(parse_chinese("三十六"), Some(36.0));
        assert_eq!(parse_chinese("十"), Some(10.0));
        assert_eq!(parse_chinese("五万"), Some(50000.0));
        assert_eq!(parse_chinese("两"), Some(2.0));
        assert_eq!(parse_chinese("一千二百"), Some(1200.0));
    }

    #[test]
    fn the_same_amount_in_every_form() {
        for s in ["最高5万元", "50000元", "五万元", "50,000元", "5.0万元"] {
            assert_eq!(one(s), (Kind::Money, 50000.0), "{s}");
        }
        assert_eq!(one("一万零四百元"), (Kind::Money, 10400.0));
        assert_eq!(one("1.5万元"), (Kind::Money, 15000.0));
    }

    #[test]
    fn terms_in_years_and_months_are_the_same() {
        for s in ["3年以内", "三年", "36个月"] {
            assert_eq!(one(s), (Kind::Months, 36.0), "{s}");
        }
        assert_eq!(one("公示7天"), (Kind::Days, 7.0));
    }

    #[test]
    fn periods_are_normalised_to_a_month() {
        assert_eq!(one("每人每年6000元"), (Kind::MoneyPerMonth, 500.0));
        assert_eq!(one("每月500元"), (Kind::MoneyPerMonth, 500.0));
        assert_eq!(one("每人每月620元"), (Kind::MoneyPerMonth, 620.0));
        assert_eq!(one("620元/月"), (Kind::MoneyPerMonth, 620.0));
    }

    #[test]
    fn ranges_give_both_ends() {
        let q = scan("年龄在18至65周岁");
        assert_eq!(q.len(), 2);
        assert_eq!((q[0].kind, q[0].value, q[1].value), (Kind::Age, 18.0, 65.0));
        assert_eq!(&"年龄在18至65周岁"[q[0].span.clone()], "18");
    }

    #[test]
    fn dates_ordinals_and_names_are_not_quantities() {
        for s in [
            "2026年1月1日起",
            "第一年",
            "三年级",
            "按一年期贷款市场报价利率",
            "A3纸",
            "（银保监发〔2021〕6号）",
            "一人次",
        ] {
            assert!(scan(s).is_empty(), "{s}: {:?}", scan(s));
        }
    }

    #[test]
    fn spans_cover_number_and_unit() {
        let t = "可贷三万元，期限36个月";
        let q = scan(t);
        assert_eq!(&t[q[0].span.clone()], "三万元");
        assert_eq!(&t[q[1].span.clone()], "36个月");
    }
}
