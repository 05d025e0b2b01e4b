//! Line breaking and 禁则 on hard strings, set with the default fonts.

use super::*;
use crate::typeset::fonts::tests::default_fonts;

const STYLE: RunStyle = RunStyle {
    size: 10.0,
    weight: Weight::Regular,
    color: [0.0; 3],
};

/// Lines of `text` set at 10 pt in a box `chars` em wide.
fn lines(text: &str, chars: f32) -> Vec<String> {
    let (atoms, _) = shape(default_fonts(), &[(text.to_string(), STYLE)]).unwrap();
    let ls = break_lines(
        &atoms,
        chars * 10.0,
        0.0,
        Align::Justify,
        &Typography::default(),
    );
    for l in ls.iter() {
        let last = ls.x[l.start..l.end].last().copied().unwrap_or(0.0);
        assert!(
            l.width <= chars * 10.0 + 0.05 || l.end - l.start == 1,
            "overflow: {l:?}"
        );
        assert!(last <= chars * 10.0 + 0.05);
    }
    ls.iter().map(|l| line_text(&atoms, l)).collect()
}

fn assert_kinsoku(ls: &[String]) {
    for l in ls {
        let first = l.chars().next().unwrap();
        let last = l.chars().last().unwrap();
        assert!(
            !NO_START.contains(&first),
            "line starts with {first}: {ls:?}"
        );
        assert!(!NO_END.contains(&last), "line ends with {last}: {ls:?}");
    }
}

#[test]
fn punctuation_runs_stay_off_line_starts() {
    // Every width from 9 em (the longest run that may not be broken: 报。！？」』》——)
    // to 20 em: the break point moves across every position.
    let text = "申请人须如实填报。！？」』》——重要提示……请于“两不愁三保障”核查后，到（乡镇）便民服务中心办理、咨询。";
    for w in 9..=20 {
        let ls = lines(text, w as f32);
        assert_kinsoku(&ls);
        assert_eq!(ls.concat(), text);
    }
}

#[test]
fn book_titles_are_not_split_from_their_marks() {
    let text = "依据《关于做好脱贫人口小额信贷工作的通知》和《青禾县实施方案》执行。";
    for w in 4..=14 {
        let ls = lines(text, w as f32);
        assert_kinsoku(&ls);
    }
}

#[test]
fn amounts_and_ranges() {
    let text = "贷款额度“5万元以下、3年以内”，财政全额贴息。";
    for w in 3..=10 {
        let ls = lines(text, w as f32);
        assert_kinsoku(&ls);
        for l in &ls {
            assert!(!l.starts_with('、') && !l.starts_with('”'), "{ls:?}");
        }
    }
}

#[test]
fn phone_numbers_and_dates_never_split() {
    let text = "咨询电话0718-6620607，办理时间截至2026-12-31，全国热线12317。";
    for w in 8..=14 {
        let ls = lines(text, w as f32);
        let joined = ls.join("|");
        for token in ["0718-6620607", "2026-12-31", "12317"] {
            assert!(joined.contains(token), "{token} split: {ls:?}");
        }
        assert_kinsoku(&ls);
    }
}

#[test]
fn latin_words_never_split() {
    let text = "下载青禾e办App或登录 Qinghe Government Service Platform 在线申请。";
    for w in 9..=16 {
        let ls = lines(text, w as f32);
        let joined = ls.join("|");
        for word in ["App", "Qinghe", "Government", "Service", "Platform"] {
            assert!(joined.contains(word), "{word} split: {ls:?}");
        }
    }
}

#[test]
fn unbreakable_number_longer_than_the_line_is_cut_not_overflowed() {
    let digits = "1234567890".repeat(4);
    let text = format!("账号{digits}。");
    let ls = lines(&text, 10.0);
    assert!(ls.len() >= 3, "{ls:?}");
    assert_eq!(ls.concat(), text);
    assert_kinsoku(&ls);
}

#[test]
fn justified_lines_fill_the_width_last_line_ragged() {
    let text = "为深入贯彻落实巩固拓展脱贫攻坚成果同乡村振兴有效衔接的决策部署，进一步做好教育帮扶工作，结合本县实际制定本细则。";
    let (atoms, _) = shape(default_fonts(), &[(text.to_string(), STYLE)]).unwrap();
    let width = 95.5; // not a whole number of em: justification must spread 5.5 pt
    let ls = break_lines(&atoms, width, 20.0, Align::Justify, &Typography::default());
    assert!(ls.len() > 2);
    assert!((ls.x[ls[0].start] - 20.0).abs() < 0.01, "first-line indent");
    for l in &ls[..ls.len() - 1] {
        assert!((l.width - width).abs() < 0.05, "not justified: {}", l.width);
    }
    let last = ls.last().unwrap();
    let natural: f32 = atoms[last.start..last.end].iter().map(|a| a.width).sum();
    assert!((last.width - natural).abs() < 0.01, "last line ragged");
}

#[test]
fn min_width_keeps_phone_numbers_whole() {
    let (atoms, _) = shape(default_fonts(), &[("电话0718-6628012".to_string(), STYLE)]).unwrap();
    let phone: f32 = atoms[2..].iter().map(|a| a.width).sum();
    assert!((min_width(&atoms, &break_table(&atoms)) - phone).abs() < 0.01);
}

#[test]
fn mixed_latin_is_measured_with_real_advances() {
    let (atoms, _) = shape(default_fonts(), &[("AI助手iii".to_string(), STYLE)]).unwrap();
    let w: Vec<f32> = atoms.iter().map(|a| a.width).collect();
    assert!(w[0] > w[4], "A wider than i");
    assert!((w[2] - 10.0).abs() < 0.01, "CJK is one em");
    assert!(w[4] < 4.0);
}

#[test]
fn the_quick_kinsoku_tests_agree_with_the_lists_for_every_character() {
    for c in (0..=0x10ffff).filter_map(char::from_u32) {
        assert_eq!(super::no_start(c), NO_START.contains(&c), "{c:?}");
        assert_eq!(super::no_end(c), NO_END.contains(&c), "{c:?}");
    }
}

#[test]
fn stretches_between_ideographs_break_as_the_whole_text_does() {
    let alphabet: Vec<char> =
        "政策低保补助㐀𠀀豈，。、（）“”《》a1 \n—…%$-/.:〇ーのＡ\u{301}\u{200d}\u{3000}😀"
            .chars()
            .collect();
    let atom = |ch| Atom {
        ch,
        glyph: Glyph {
            face: 0,
            gid: 1,
            advance: 0.0,
        },
        width: 1.0,
        style: 0,
        space: ch == ' ',
        cjk: false,
        ink: [0.0, 1.0],
    };
    let mut seed: u64 = 7;
    for _ in 0..3000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (seed >> 59) as usize + 1;
        let atoms: Vec<Atom> = (0..len)
            .map(|k| {
                let r = seed.rotate_left(7 * k as u32) >> 40;
                // Mostly Han, as text is.
                let i = if r % 3 == 0 {
                    r as usize
                } else {
                    (r % 6) as usize
                };
                atom(alphabet[i % alphabet.len()])
            })
            .collect();
        let mut whole = vec![None; len + 1];
        uax14(&atoms, &mut whole[..len], &mut String::new());
        let text: String = atoms.iter().map(|a| a.ch).collect();
        assert_eq!(break_table(&atoms), whole, "{text:?}");
    }
}

#[test]
fn a_letter_and_its_combining_mark_are_set_as_one_character() {
    // Pinyin as some input methods and converters give it: the tone as a mark after
    // its vowel. Set exactly as the precomposed text (ǎ ǜ ē, and が from か + ゛).
    let shaped = |t: &str| shape(default_fonts(), &[(t.to_string(), STYLE)]).unwrap().0;
    for (typed, composed) in [
        (
            "Qi\u{304}nghe\u{301} 县 lu\u{308}\u{300}se\u{300}",
            "Qīnghé 县 lǜsè",
        ),
        ("か\u{3099}く", "がく"),
    ] {
        assert_eq!(shaped(typed), shaped(composed), "{typed}");
    }
}

#[test]
fn a_mark_with_no_composed_form_sits_over_its_letter() {
    // ê̄ (pinyin's ê with the first tone) has no one character: the macron is drawn
    // over the ê and takes no room; the letter after follows the ê directly.
    let (atoms, _) = shape(default_fonts(), &[("ê\u{304}r 县".to_string(), STYLE)]).unwrap();
    assert_eq!(
        atoms.iter().map(|a| a.ch).collect::<String>(),
        "ê\u{304}r 县"
    );
    let ls = break_lines(&atoms, 200.0, 0.0, Align::Left, &Typography::default());
    let x = &ls.x;
    let (base, mark) = (&atoms[0], &atoms[1]);
    let ink_middle = x[1] + (mark.ink[0] + mark.ink[1]) / 2.0;
    assert!(
        (ink_middle - (x[0] + base.width / 2.0)).abs() < 0.01,
        "macron's ink at {ink_middle}, ê from {} to {}",
        x[0],
        x[0] + base.width
    );
    assert!((x[2] - (x[0] + base.width)).abs() < 0.01, "{x:?}");
    // Justified lines spread the slack between characters, never between a letter
    // and its mark.
    let text = "ê\u{304}r县乡村振兴政策手册明白卡ê\u{304}r县乡村振兴政策".repeat(3);
    let (atoms, _) = shape(default_fonts(), &[(text, STYLE)]).unwrap();
    let ls = break_lines(&atoms, 100.0, 0.0, Align::Justify, &Typography::default());
    let mut marks = 0;
    for l in ls.iter() {
        for i in l.start.max(1)..l.end {
            if atoms[i].ch != '\u{304}' {
                continue;
            }
            marks += 1;
            let (base, mark) = (&atoms[i - 1], &atoms[i]);
            let ink_middle = ls.x[i] + (mark.ink[0] + mark.ink[1]) / 2.0;
            assert!((ink_middle - (ls.x[i - 1] + base.width / 2.0)).abs() < 0.01);
        }
    }
    assert_eq!(marks, 6);
}

/// `text` cut at every break opportunity (UAX #14, 禁则, addresses).
fn pieces(text: &str) -> Vec<String> {
    let (atoms, _) = shape(default_fonts(), &[(text.to_string(), STYLE)]).unwrap();
    let table = break_table(&atoms);
    let mut out = vec![String::new()];
    for (i, a) in atoms.iter().enumerate() {
        if i > 0 && table[i].is_some() {
            out.push(String::new());
        }
        out.last_mut().unwrap().push(a.ch);
    }
    out
}

#[test]
fn an_address_fills_the_line_instead_of_spreading_the_chinese_before_it() {
    let text = "更多信息见https://zwgk.qinghe.gov.cn/col/col2025/art_678901.html?from=card&id=2025001，或拨打电话。";
    let ls = lines(text, 20.0);
    assert_eq!(ls.concat(), text);
    // Before, the first line was 更多信息见 alone, justified across the width.
    assert!(ls[0].starts_with("更多信息见https://zwgk"), "{ls:?}");
    assert!(ls.len() <= 4, "{ls:?}");
}

#[test]
fn addresses_break_where_a_reader_expects() {
    assert_eq!(
        pieces("见https://a.qinghe.gov.cn/x/y?k=v&z=1。"),
        [
            "见", "https://", "a", ".qinghe", ".gov", ".cn/", "x/", "y", "?k=", "v", "&z=1。"
        ],
    );
    assert_eq!(
        pieces("邮箱：qinghe_xzb@163.com。"),
        ["邮", "箱：", "qinghe", "_xzb", "@163", ".com。"]
    );
    assert_eq!(
        pieces("www.qinghe.gov.cn"),
        ["www", ".qinghe", ".gov", ".cn"]
    );
    assert_eq!(
        pieces("（zwgk.qinghe.gov.cn/col/）"),
        ["（zwgk", ".qinghe", ".gov", ".cn/", "col/）"]
    );
}

#[test]
fn other_latin_words_and_sentences_keep_their_breaks() {
    // A version number, a file name, a sentence's full stop, a decimal: no address.
    for text in [
        "版本v1.2.3发布",
        "见附件table_2025.xlsx。",
        "see a.b. Then",
        "3.5%",
        "main.cnf",
        "a.cn_x",
    ] {
        let (atoms, _) = shape(default_fonts(), &[(text.to_string(), STYLE)]).unwrap();
        let mut table = vec![None; atoms.len() + 1];
        address::breaks(&atoms, &mut table);
        assert!(table.iter().all(Option::is_none), "{text}: {table:?}");
    }
}
