//! The content streams' tests: numbers short and rounded as the standard library
//! rounds, glyph ids that read back, justified gaps as one character spacing, colours
//! in CMYK or grey, backgrounds carried into the bleed.

use super::*;

#[test]
fn rounding_is_std_rounding() {
    let mut special = vec![
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        -2.5,
        0.499_999_999_999_999_94,
        -0.499_999_999_999_999_94,
        4_503_599_627_370_495.5,
        -4_503_599_627_370_495.5,
        4_503_599_627_370_497.0,
        1e300,
        -1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    // Every hundredth and half-hundredth over a page, and values a little off them
    // (as an f32 coordinate times 100 is), both signs.
    for k in -200_000..200_000 {
        let v = f64::from(k) / 200.0;
        special.extend([
            v,
            v * 100.0,
            f64::from(v as f32) * 100.0,
            v + 1e-9,
            v - 1e-9,
        ]);
    }
    for x in special {
        assert_eq!(round(x), x.round() as i64, "{x:e}");
    }
}

#[test]
fn numbers_are_short() {
    let mut out = Vec::new();
    nums(
        &mut out,
        &[1.0, 0.5, -2.25, 0.004, 841.89, -0.004, -0.5, 10.05, 1e6],
    );
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "1 0.5 -2.25 0 841.89 0 -0.5 10.05 1000000 "
    );
    let mut out = Vec::new();
    for v in [0, 7, -13, 1000, i64::MIN + 1] {
        int(&mut out, v);
        out.push(b' ');
    }
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "0 7 -13 1000 -9223372036854775807 "
    );
}

/// Every glyph id, written into a TJ string, reads back as its two bytes (parsed
/// by lopdf), with no raw end of line inside the string.
#[test]
fn every_glyph_id_reads_back_from_its_literal_string() {
    let mut out = b"BT [(".to_vec();
    for v in 0..=u16::MAX {
        code(&mut out, v);
        if v % 1000 == 999 {
            out.extend_from_slice(b")-250(");
        }
    }
    out.extend_from_slice(b")] TJ ET\n");
    assert_eq!(out.iter().filter(|&&b| b == b'\n' || b == b'\r').count(), 1);
    let ops = lopdf::content::Content::decode(&out).unwrap().operations;
    let tj = ops.iter().find(|o| o.operator == "TJ").unwrap();
    let bytes: Vec<u8> = tj.operands[0]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.as_str().ok())
        .flatten()
        .copied()
        .collect();
    let ids: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(ids, (0..=u16::MAX).collect::<Vec<_>>());
}

fn painted(c: Color, mode: PrintColor, stroke: bool) -> String {
    let mut out = Vec::new();
    paint(&mut out, c, mode, stroke);
    String::from_utf8(out).unwrap()
}

#[test]
fn justified_gaps_become_one_character_spacing() {
    // A justified line: the same gap between most glyphs, a compressed pair.
    assert_eq!(common_kern(&[-9, -9, 250, -9, -9, -9, 0]), -9);
    // Too few alike to pay for the `Tc` operator.
    assert_eq!(common_kern(&[-9, -9, -9, 0, 0]), 0);
    assert_eq!(common_kern(&[]), 0);
    let text = |v: f64| {
        let mut out = Vec::new();
        fixed(&mut out, fixed_units(v));
        String::from_utf8(out).unwrap()
    };
    // -(-9) / 1000 em at 10.62 pt: exact to the fifth decimal.
    assert_eq!(text(9.0 / 1000.0 * 10.62), "0.09558");
    assert_eq!(text(-0.1), "-0.1");
    assert_eq!(text(2.0), "2");
    assert_eq!(text(0.000004), "0");
    // Zeros after the point and before the first digit kept.
    assert_eq!(text(0.00105), "0.00105");
    assert_eq!(text(-1.0005), "-1.0005");
    assert_eq!(text(0.05), "0.05");
}

#[test]
fn near_black_is_black_ink_alone() {
    let ink = [0.11, 0.11, 0.12];
    assert_eq!(painted(ink, PrintColor::Cmyk, false), "0 0 0 1 k\n");
    assert_eq!(painted(ink, PrintColor::Gray, false), "0 g\n");
    assert_eq!(painted(ink, PrintColor::Cmyk, true), "0 0 0 1 K\n");
    assert_eq!(painted(ink, PrintColor::Rgb, false), "0.11 0.11 0.12 rg\n");
    // Muted grey: a tint of black, not of four inks.
    assert_eq!(
        painted([0.36, 0.36, 0.38], PrintColor::Cmyk, false),
        "0 0 0 0.63 k\n"
    );
    assert_eq!(
        painted([1.0, 1.0, 1.0], PrintColor::Cmyk, false),
        "0 0 0 0 k\n"
    );
}

#[test]
fn backgrounds_at_the_edge_run_into_the_bleed() {
    let content = b"0 0 100 20 re f\n10 10 5 5 re f\n0 0 0 1 k\n90 180 10 20 re B\n";
    let out = String::from_utf8(into_bleed(content, 100.0, 200.0, 8.5)).unwrap();
    assert_eq!(
        out,
        "q 1 0 0 1 8.5 8.5 cm\n-8.5 -8.5 117 28.5 re f\n10 10 5 5 re f\n\
         0 0 0 1 k\n90 180 18.5 28.5 re B\nQ\n"
    );
}

#[test]
fn colours_become_cmyk_or_grey() {
    let accent = [0.7, 0.15, 0.12];
    assert_eq!(
        painted(accent, PrintColor::Cmyk, false),
        "0 0.79 0.83 0.3 k\n"
    );
    assert_eq!(painted(accent, PrintColor::Gray, true), "0.31 G\n");
}

#[test]
fn a_qr_code_is_drawn_in_whole_modules_from_its_lower_left_corner() {
    use std::sync::Arc;
    // Rows from the top: ##. / .#. / #.#
    let dark = [true, true, false, false, true, false, true, false, true];
    let items = [Item::Qr {
        x: 10.0,
        y: 20.0,
        module: 2.052,
        n: 3,
        dark: Arc::new(dark.to_vec()),
    }];
    let mut out = Vec::new();
    write_items(
        &mut out,
        &items,
        &[],
        &DocFonts::empty(crate::typeset::fonts::tests::default_fonts()),
        5.0,
        7.0,
        100.0,
    );
    let out = String::from_utf8(out).unwrap();
    // The colour line is the build's colour mode's; the drawing follows it.
    let drawing = &out[out.find("q ").unwrap()..];
    // Top at 100 - 7 - 20; the corner a code's height (3 × 2.052) below it.
    assert_eq!(
        drawing,
        "q 2.052 0 0 2.052 15 66.84 cm\n0 2 2 1 re\n1 1 1 1 re\n0 0 1 1 re\n2 0 1 1 re\nf Q\n"
    );
    // The code's top edge is the item's top (100 - 7 - 20), its right edge 3 modules on.
    let cm: Vec<f32> = drawing[2..]
        .split(' ')
        .take(6)
        .map(|v| v.parse().unwrap())
        .collect();
    assert!((cm[5] + 3.0 * cm[3] - 73.0).abs() < 0.01);
    assert!((cm[4] + 3.0 * cm[0] - (15.0 + 3.0 * 2.052)).abs() < 0.01);
}

#[test]
fn each_line_moves_from_the_last_and_lands_where_its_rounded_place_is() {
    let fonts = crate::typeset::fonts::tests::default_fonts();
    let run = one_glyph_run;
    // Lines 15.403 pt apart (a sum of such rounded moves would drift), a rule between
    // the third and fourth (text starts again from the origin after it).
    let mut items: Vec<Item> = (0..3).map(|k| run(0.0, 20.0 + 15.403 * k as f32)).collect();
    items.push(Item::Line {
        x1: 0.0,
        y1: 70.0,
        x2: 100.0,
        y2: 70.0,
        color: [0.0; 3],
        width: 0.5,
        dash: false,
    });
    items.push(run(12.5, 80.0));
    let mut glyphs = DocFonts::empty(fonts);
    glyphs.add(&items);
    let names = vec!["F0".to_string(); fonts.faces.len()];
    let mut out = Vec::new();
    write_items(&mut out, &items, &names, &glyphs, 56.69, 10.0, 841.89);
    let text = String::from_utf8_lossy(&out).into_owned();
    let moves: Vec<(f64, f64)> = text
        .lines()
        .filter_map(|l| l.split_once(" Td ["))
        .map(|(m, _)| {
            let (x, y) = m.rsplit_once(' ').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert_eq!(moves.len(), 4, "{text}");
    assert!(text.contains("56.69 811.89 Td") && text.contains("0 -15.4 Td"));
    // Added up within each BT … ET, the moves give each line's place rounded once.
    let mut at = (0.0, 0.0);
    let want = [
        (56.69, 811.89),
        (56.69, 796.49),
        (56.69, 781.08),
        (69.19, 751.89),
    ];
    for (k, (m, w)) in moves.iter().zip(want).enumerate() {
        at = if k == 3 { *m } else { (at.0 + m.0, at.1 + m.1) };
        assert!(
            (at.0 - w.0).abs() < 1e-9 && (at.1 - w.1).abs() < 1e-9,
            "{k}: {at:?}"
        );
    }
}

#[test]
fn a_line_placed_absurdly_far_is_written_without_a_panic() {
    let fonts = crate::typeset::fonts::tests::default_fonts();
    let run = one_glyph_run;
    let items = [run(-3e38, 3e38), run(3e38, -3e38), run(f32::NAN, 0.0)];
    let mut glyphs = DocFonts::empty(fonts);
    glyphs.add(&items);
    let names = vec!["F0".to_string(); fonts.faces.len()];
    let mut out = Vec::new();
    write_items(&mut out, &items, &names, &glyphs, 0.0, 0.0, 100.0);
    assert_eq!(String::from_utf8_lossy(&out).matches(" Td [").count(), 3);
}

/// A run of one glyph (政, 10 pt) at (`x`, `y`).
fn one_glyph_run(x: f32, y: f32) -> Item {
    Item::Text(crate::typeset::layout::TextRun {
        x,
        y,
        face: 0,
        size: 10.0,
        color: [0.0; 3],
        glyphs: vec![(5, '政', 0.0, 10.0)],
    })
}
