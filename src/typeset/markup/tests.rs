//! The markup converter's tests: whitespace rules, and the parallel conversion.

use super::*;
use crate::typeset::fonts::Weight;

const ST: RunStyle = RunStyle {
    size: 9.0,
    weight: Weight::Regular,
    color: [0.0; 3],
};

/// The whitespace rules written as directly as they read (every character, its run,
/// a keep flag), against which the one-pass [`normalize_space`] is checked.
fn normalize_space_by_the_rules(runs: &mut Runs) {
    use crate::markdown::is_cjk;
    let blank = |c: char| c.is_whitespace() && c != '\u{3000}';
    let text: Vec<char> = runs.iter().flat_map(|(t, _)| t.chars()).collect();
    let owner: Vec<usize> = (runs.iter().enumerate())
        .flat_map(|(i, (t, _))| std::iter::repeat_n(i, t.chars().count()))
        .collect();
    let hard = |i: usize| text[i] == '\n' && runs[owner[i]].0 == "\n";
    let mut keep = vec![true; text.len()];
    let mut i = 0;
    while i < text.len() {
        if hard(i) || !blank(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && blank(text[i]) && !hard(i) {
            i += 1;
        }
        let newline = text[start..i].contains(&'\n');
        let drop_all = match (start.checked_sub(1).map(|p| text[p]), text.get(i)) {
            (None, _) | (_, None) => true,
            (Some(p), Some(&n)) => (newline && (is_cjk(p) || is_cjk(n))) || p == '\n' || n == '\n',
        };
        for (k, slot) in keep.iter_mut().enumerate().take(i).skip(start) {
            *slot = !drop_all && k == start;
        }
    }
    let mut out = vec![String::new(); runs.len()];
    for (k, &c) in text.iter().enumerate() {
        if keep[k] {
            out[owner[k]].push(if blank(c) && c != '\n' { ' ' } else { c });
        }
    }
    for (r, t) in runs.iter_mut().zip(out) {
        r.0 = t;
    }
    runs.retain(|(t, _)| !t.is_empty());
}

#[test]
fn whitespace_collapses_as_the_rules_say() {
    // Every run of up to 4 pieces drawn from these, in up to 3 runs (a piece "\n"
    // alone as a run is a hard break): 60,000-odd arrangements.
    let pieces = [
        "a", "中", " ", "\n", "\t", "\u{3000}", "，", "b c", " \n ", "字\n",
    ];
    let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
    for _ in 0..60_000 {
        let n_runs = 1 + next() % 3;
        let mut runs: Runs = Vec::new();
        for _ in 0..n_runs {
            let n = next() % 5;
            let t: String = (0..n).map(|_| pieces[(next() % 10) as usize]).collect();
            runs.push((t, ST));
        }
        let (mut a, mut b) = (runs.clone(), runs.clone());
        normalize_space(&mut a);
        normalize_space_by_the_rules(&mut b);
        let text = |r: &Runs| r.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
        assert_eq!(text(&a), text(&b), "{:?}", text(&runs));
    }
    let mut runs: Runs = vec![("  义务 教育\n营养 \n计划 ".into(), ST), ("\n".into(), ST)];
    normalize_space(&mut runs);
    assert_eq!(runs[0].0, "义务 教育营养计划");
}

#[test]
fn markers_map_rendered_text_back_to_template_lines() {
    let tpl =
        "<card>\n  <h1>{{ title }}</h1>\n  {% if x %}\n  <p>{{ y }}</p>\n  {% endif %}\n</card>\n";
    let marked = add_line_markers(tpl, 3);
    let rendered = marked
        .replace("{{ title }}", "标题")
        .replace("{{ y }}", "正文");
    let at = rendered.find("<p>").unwrap();
    assert_eq!(markers::locate(&rendered, at), Some((3, 4)));
    assert_eq!(
        strip_markers(&rendered).lines().nth(1).unwrap(),
        "  <h1>标题</h1>"
    );
}

#[test]
fn no_marker_inside_multiline_tags() {
    let tpl = "<field\n  label=\"x\">v</field>\n{{ a\n }}\n";
    let marked = add_line_markers(tpl, 0);
    assert!(!marked.contains("\n\u{E000}0\u{E001}2"), "{marked:?}");
    assert!(!marked.contains("\n\u{E000}0\u{E001}4"), "{marked:?}");
    assert!(marked.contains("\n\u{E000}0\u{E001}3"), "{marked:?}");
}

#[test]
fn whitespace_between_chinese_lines_disappears() {
    let mut runs = vec![
        ("\n  脱贫户\n  可以申请 ".to_string(), ST),
        ("5万元".to_string(), ST),
        (" 贷款 App 办理\n".to_string(), ST),
    ];
    normalize_space(&mut runs);
    let t: String = runs.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(t, "脱贫户可以申请 5万元 贷款 App 办理");
}

#[test]
fn an_ideographic_space_is_kept_full_width() {
    let mut runs = vec![("户主 王某　户编号 QH-1\n".to_string(), ST)];
    normalize_space(&mut runs);
    assert_eq!(runs[0].0, "户主 王某　户编号 QH-1");
    let mut runs = vec![("甲 　 乙".to_string(), ST)];
    normalize_space(&mut runs);
    assert_eq!(runs[0].0, "甲 　 乙");
}

/// Markup of a small handbook: chapters with entries, text where it may not be and
/// unknown elements (more errors than are kept), a nested box.
fn book_markup() -> String {
    let mut m = String::from("<book><cover><h1>青禾县</h1></cover><toc title=\"目录\"/>");
    for c in 0..6 {
        m.push_str(&format!("<chapter title=\"第{c}章\" key=\"c{c}\">"));
        for e in 0..4 {
            m.push_str(&format!(
                "<entry title=\"政策{c}-{e}\" key=\"e{c}{e}\"><p>补助 <b>{e}</b> 元</p>\
                 <box><ul><li>一</li><li>二</li></ul></box><content id=\"x{e}\"/>\
                 <oops/>散字</entry>"
            ));
        }
        m.push_str("</chapter>");
    }
    m.push_str("</book>");
    m
}

#[test]
fn chapters_converted_in_parallel_give_the_blocks_and_first_errors_of_one_pass() {
    let styles = StyleSheet::builtin();
    let content = |id: Option<&str>| -> Option<Vec<Block>> {
        let id = id?;
        (id != "x3").then(|| vec![Block::Space(id.len() as f32)])
    };
    let text = book_markup();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    let mut one = Converter {
        styles: &styles,
        content: &content,
        errors: Vec::new(),
    };
    let want = one.blocks(root);
    let (got, errors) = Converter::blocks_in_parallel(&styles, &content, root);
    assert_eq!(format!("{got:?}"), format!("{want:?}"));
    assert!(want.len() > 100, "{}", want.len());
    // 6 chapters × 4 entries × 3 errors: more than are kept, and the same first ones.
    assert_eq!(one.errors.len(), MAX_ERRORS);
    assert_eq!(errors, one.errors);
}

/// The blocks and errors of `markup` (one root element's children).
fn convert(markup: &str) -> (Vec<Block>, Vec<(usize, String)>) {
    let styles = StyleSheet::builtin();
    let content = |_: Option<&str>| -> Option<Vec<Block>> { None };
    let doc = roxmltree::Document::parse(markup).unwrap();
    let mut c = Converter {
        styles: &styles,
        content: &content,
        errors: Vec::new(),
    };
    let blocks = c.blocks(doc.root_element());
    (blocks, c.errors)
}

/// Lengths in mm are read as written, `mm` or not; one that is not a length is an
/// error at its element naming the attribute and the value, not a default size.
#[test]
fn lengths_read_as_written_and_a_bad_one_is_an_error_at_its_element() {
    let (blocks, errors) = convert(
        r#"<m><space height="3"/><space height=" 4.5mm "/><space/><qr data="x" size="30"/></m>"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let spaces: Vec<f32> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Space(h) => Some(h / MM),
            _ => None,
        })
        .collect();
    assert_eq!(spaces.len(), 3);
    for (got, want) in spaces.iter().zip([3.0, 4.5, 2.0]) {
        assert!((got - want).abs() < 1e-4, "{spaces:?}");
    }
    assert!(matches!(blocks[3], Block::Qr { size, .. } if (size / MM - 30.0).abs() < 1e-4));
    for (markup, attr, value) in [
        (r#"<space height="3毫米"/>"#, "height", "3毫米"),
        (r#"<qr data="x" size="二十"/>"#, "size", "二十"),
        (r#"<qr data="x" size="NaN"/>"#, "size", "NaN"),
        (
            r#"<row><col width="-21"><p>字</p></col></row>"#,
            "width",
            "-21",
        ),
        (r#"<space height="1e9"/>"#, "height", "1e9"),
    ] {
        let (blocks, errors) = convert(&format!("<m>{markup}</m>"));
        assert_eq!(errors.len(), 1, "{markup}: {errors:?}");
        let msg = &errors[0].1;
        assert!(msg.contains(&format!(r#"{attr}="{value}""#)), "{msg}");
        // The element with the error makes no block but the rest still convert.
        assert!(
            !blocks
                .iter()
                .any(|b| matches!(b, Block::Qr { .. } | Block::Space(_))),
            "{markup}: {blocks:?}"
        );
    }
}

#[test]
fn blanks_are_unicode_whitespace_but_the_ideographic_space() {
    for c in (0..0x11_0000).filter_map(char::from_u32) {
        let want = c.is_whitespace() && c != '\u{3000}';
        assert_eq!(super::is_blank(c), want, "U+{:04X}", c as u32);
    }
}
