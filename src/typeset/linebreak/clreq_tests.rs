//! The clreq rules on hard strings, set at 10 pt (1 em = 10 pt) with the default fonts:
//! compressed punctuation pairs, line-start and line-end compression, the Han–Latin
//! quarter em, ——, quotation marks, no one-character last line, 开明式 and none.

use super::*;
use crate::config::Punctuation;
use crate::typeset::fonts::tests::default_fonts;

const STYLE: RunStyle = RunStyle {
    size: 10.0,
    weight: Weight::Regular,
    color: [0.0; 3],
};

const QUANJIAO: Typography = Typography {
    punctuation: Punctuation::Quanjiao,
    han_latin_space: 0.25,
};
const KAIMING: Typography = Typography {
    punctuation: Punctuation::Kaiming,
    han_latin_space: 0.25,
};
const NONE: Typography = Typography {
    punctuation: Punctuation::None,
    han_latin_space: 0.0,
};

fn atoms(text: &str) -> Vec<Atom> {
    shape(default_fonts(), &[(text.to_string(), STYLE)])
        .unwrap()
        .0
}

/// `text` set `ems` em wide; the lines and the x of every atom (absolute index).
fn set(text: &str, ems: f32, align: Align, typo: &Typography) -> (Vec<Atom>, Lines) {
    let a = atoms(text);
    let ls = break_lines(&a, ems * 10.0, 0.0, align, typo);
    (a, ls)
}

fn x_of(ls: &Lines, i: usize) -> f32 {
    assert!(ls.iter().any(|l| (l.start..l.end).contains(&i)));
    ls.x[i]
}

fn index(a: &[Atom], pat: &str) -> usize {
    let chars: Vec<char> = pat.chars().collect();
    (0..a.len())
        .find(|&i| {
            chars
                .iter()
                .enumerate()
                .all(|(k, c)| a.get(i + k).is_some_and(|x| x.ch == *c))
        })
        .unwrap_or_else(|| panic!("{pat} not found"))
}

fn texts(a: &[Atom], ls: &[Line]) -> Vec<String> {
    ls.iter().map(|l| line_text(a, l)).collect()
}

fn assert_kinsoku(ls: &[String]) {
    for l in ls {
        let (first, last) = (l.chars().next().unwrap(), l.chars().last().unwrap());
        assert!(
            !NO_START.contains(&first),
            "line starts with {first}: {ls:?}"
        );
        assert!(!NO_END.contains(&last), "line ends with {last}: {ls:?}");
    }
}

const PAIRS: &str =
    "详见《实施方案》（试行）、《办法》等。所谓“两不愁”，就是电话通知：“请带身份证”。";

#[test]
fn adjacent_punctuation_pairs_take_half_an_em_each() {
    for pair in ["》（", "）、", "”，", "：“"] {
        for align in [Align::Left, Align::Justify] {
            let (a, ls) = set(PAIRS, 12.0, align, &QUANJIAO);
            let i = index(&a, pair);
            let (x0, x1) = (x_of(&ls, i), x_of(&ls, i + 1));
            // Both on one line: the test text keeps them together.
            assert!(
                ls.iter().any(|l| l.start <= i && i + 1 < l.end),
                "{pair} split"
            );
            let d = x1 - x0;
            assert!((5.0..=5.5).contains(&d), "{pair}: {d} pt apart ({align:?})");
            // Their inks never touch: the blank halves facing away are kept.
            let ink_gap = (x1 + a[i + 1].ink[0]) - (x0 + a[i].ink[1]);
            assert!(ink_gap > 0.5, "{pair}: inks {ink_gap} pt apart");
            let (_, ls) = set(PAIRS, 12.0, Align::Left, &NONE);
            let d = x_of(&ls, i + 1) - x_of(&ls, i);
            assert!((d - 10.0).abs() < 0.01, "none compresses {pair}: {d}");
        }
    }
}

#[test]
fn han_and_latin_get_a_quarter_em_none_where_a_space_is() {
    for (text, at) in [
        ("拨打12317热线咨询", ["打1", "7热"]),
        ("使用APP申请补贴", ["用A", "P申"]),
    ] {
        for (align, ems) in [(Align::Left, 30.0), (Align::Justify, 5.3)] {
            let (a, ls) = set(text, ems, align, &QUANJIAO);
            for pat in at {
                let i = index(&a, pat);
                if !ls.iter().any(|l| l.start <= i && i + 1 < l.end) {
                    continue; // broken there: a line end has no space
                }
                let gap = x_of(&ls, i + 1) - (x_of(&ls, i) + a[i].width);
                assert!((gap - 2.5).abs() <= 0.2, "{text} {pat}: {gap} ({align:?})");
            }
        }
        let (a, ls) = set(text, 30.0, Align::Left, &NONE);
        let i = index(&a, at[0]);
        assert!((x_of(&ls, i + 1) - x_of(&ls, i) - a[i].width).abs() < 0.01);
    }
    // The source's own space is kept as it is, with nothing added.
    let (a, ls) = set("使用 APP 申请", 30.0, Align::Left, &QUANJIAO);
    let i = index(&a, "用 A");
    let gap = x_of(&ls, i + 2) - x_of(&ls, i) - a[i].width;
    assert!((gap - a[i + 1].width).abs() < 0.01, "{gap}");
    // Nothing next to punctuation.
    let (a, ls) = set("使用（APP）申请", 30.0, Align::Left, &QUANJIAO);
    let i = index(&a, "（A");
    assert!((x_of(&ls, i + 1) - x_of(&ls, i) - 10.0).abs() < 0.01);
    let i = index(&a, "P）");
    assert!((x_of(&ls, i + 1) - x_of(&ls, i) - a[i].width).abs() < 0.01);
}

#[test]
fn dashes_and_ellipses_stay_whole_and_dashes_touch() {
    let text = "他说——这是最要紧的一条……请您务必记住——到时候带上身份证……";
    for w in 3..=16 {
        for typo in [QUANJIAO, KAIMING, NONE] {
            let (a, ls) = set(text, w as f32, Align::Justify, &typo);
            let t = texts(&a, &ls);
            assert_eq!(t.concat(), text);
            for l in &t {
                assert!(
                    !l.starts_with('—') && !l.starts_with('…'),
                    "starts with a dash or ellipsis: {t:?}"
                );
                assert_eq!(l.matches('—').count() % 2, 0, "—— broken: {t:?}");
                assert_eq!(l.matches('…').count() % 2, 0, "…… broken: {t:?}");
            }
            let i = index(&a, "——");
            let seam = (x_of(&ls, i + 1) + a[i + 1].ink[0]) - (x_of(&ls, i) + a[i].ink[1]);
            assert!(seam <= 0.0, "a gap of {seam} pt inside ——");
            // …and still inside their two em.
            assert!(x_of(&ls, i + 1) - x_of(&ls, i) <= 10.0);
        }
    }
}

#[test]
fn a_closing_mark_compresses_at_the_line_end_rather_than_push_a_character_down() {
    let text = "农户携带材料到银行网点申请，银行调查审批。";
    // Thirteen characters and the comma without its blank half: 13.53 em.
    let (a, ls) = set(text, 13.6, Align::Justify, &QUANJIAO);
    let t = texts(&a, &ls);
    assert_eq!(t[0], "农户携带材料到银行网点申请，", "{t:?}");
    assert!((ls[0].width - 136.0).abs() < 0.1, "{}", ls[0].width);
    let (a, ls) = set(text, 13.6, Align::Justify, &NONE);
    let t = texts(&a, &ls);
    assert!(t[1].starts_with("请，"), "none pushes 请， down: {t:?}");
    // An opening bracket starting a line gives up its blank half: its ink is flush
    // with the left edge.
    let (a, ls) = set(
        "脱贫户和防止返贫监测（含脱贫不稳定户）",
        10.0,
        Align::Justify,
        &QUANJIAO,
    );
    assert_eq!(a[ls[1].start].ch, '（');
    assert!(
        (ls.x[ls[1].start] + 4.7).abs() < 0.01,
        "{:?}",
        ls.x[ls[1].start]
    );
    assert!(
        ls.x[ls[1].start] + a[ls[1].start].ink[0] >= 0.0,
        "ink left of the edge"
    );
}

#[test]
fn no_paragraph_ends_on_a_line_of_one_character() {
    let text = "为深入贯彻落实巩固拓展脱贫攻坚成果同乡村振兴有效衔接的决策部署进一步做好教育帮扶工作结合本县实际制定本细则";
    let chars: Vec<char> = text.chars().collect();
    for len in 12..chars.len() {
        let t: String = chars[..len].iter().collect();
        let t = if len % 2 == 0 { t + "。" } else { t };
        for w in 4..=18 {
            let (a, ls) = set(&t, w as f32, Align::Justify, &QUANJIAO);
            let lines = texts(&a, &ls);
            assert_eq!(lines.concat(), t);
            // A column under a dozen characters keeps a lonely last character
            // rather than space the line before out.
            if ls.len() > 1 && w >= 12 {
                let last = lines.last().unwrap();
                let chars = last.chars().filter(|c| !NO_START.contains(c)).count();
                assert!(chars >= 2, "one character last: {lines:?}");
            }
            assert_kinsoku(&lines);
            for l in &ls[..ls.len() - 1] {
                assert!((l.width - w as f32 * 10.0).abs() < 0.1, "not justified");
            }
        }
    }
}

#[test]
fn kinsoku_and_justification_hold_under_every_scheme() {
    let texts_ = [
        PAIRS,
        "申请人须如实填报。！？」』》——重要提示……请于“两不愁三保障”核查后，到（乡镇）便民服务中心办理、咨询。",
        "贷款额度“5万元以下、3年以内”，财政全额贴息；咨询电话0718-6620607（工作日），或拨打12317。",
    ];
    for text in texts_ {
        for typo in [QUANJIAO, KAIMING, NONE] {
            for w in 9..=20 {
                let (a, ls) = set(text, w as f32, Align::Justify, &typo);
                let t = texts(&a, &ls);
                assert_kinsoku(&t);
                assert_eq!(t.concat(), text);
                for l in &ls[..ls.len() - 1] {
                    // A line before a long unbreakable run (a phone number) is left
                    // ragged rather than spaced out absurdly; compression and
                    // justification errors are smaller than that.
                    let ragged = w as f32 * 10.0 - l.width > 15.0;
                    assert!(
                        ragged || (l.width - w as f32 * 10.0).abs() < 0.1,
                        "{:?} {w}: {} in {t:?}",
                        typo.punctuation,
                        l.width
                    );
                }
                for l in ls.iter() {
                    assert!(l.width <= w as f32 * 10.0 + 0.05);
                }
            }
        }
    }
}

#[test]
fn kaiming_sets_brackets_and_quotes_half_pause_marks_full() {
    let text = "甲（乙）丙，丁。戊“己”庚";
    let (a, k) = set(text, 30.0, Align::Left, &KAIMING);
    let (_, q) = set(text, 30.0, Align::Left, &QUANJIAO);
    let (_, n) = set(text, 30.0, Align::Left, &NONE);
    let step =
        |ls: &Lines, from: &str, to: &str| x_of(ls, index(&a, to)) - x_of(ls, index(&a, from));
    for (from, to, kaiming) in [
        ("甲", "乙", 15.0), // （ half
        ("乙", "丙", 15.0), // ） half
        ("丙", "丁", 20.0), // ， full
        ("丁", "戊", 20.0), // 。 full
        ("戊", "己", 15.0), // “ half
        ("己", "庚", 15.0), // ” half
    ] {
        // Half width: what a mark gives up is 0.47 em (clreq::HALF).
        let k_step = step(&k, from, to);
        assert!(
            (k_step - kaiming).abs() < 0.35,
            "kaiming {from}{to}: {k_step}"
        );
        assert!(
            (step(&q, from, to) - 20.0).abs() < 0.01,
            "quanjiao {from}{to}"
        );
        assert!((step(&n, from, to) - 20.0).abs() < 0.01, "none {from}{to}");
    }
}

#[test]
fn quotation_marks_break_on_their_chinese_side() {
    let a = atoms("请按照“先申请后审批”的原则办理");
    let table = break_table(&a);
    let open = index(&a, "“");
    let close = index(&a, "”");
    assert_eq!(table[open], Some(false), "before “");
    assert_eq!(table[open + 1], None, "after “");
    assert_eq!(table[close], None, "before ”");
    assert_eq!(table[close + 1], Some(false), "after ”");
    // Lines no longer stop short of a quotation: every justified line is full.
    let text = "请按照“先申请后审批”的原则，由“村两委”初审、“乡镇”复核后报县“乡村振兴局”审定。";
    for w in 6..=14 {
        let (a, ls) = set(text, w as f32, Align::Justify, &QUANJIAO);
        assert_kinsoku(&texts(&a, &ls));
        // (The line before the last may have given the last a character.)
        for l in &ls[..ls.len().saturating_sub(2)] {
            let natural: f32 = a[l.start..l.end].iter().map(|x| x.width).sum();
            assert!(natural > (w as f32 - 2.0) * 10.0, "{:?}", texts(&a, &ls));
        }
    }
}
