//! Unit tests of the revision model: marks, the reprint list and the text report.

use super::*;

fn item(id: &str, kind: &'static str, card: bool) -> Item {
    Item {
        id: id.into(),
        kind,
        title: format!("标题{id}"),
        section: "章".into(),
        card,
    }
}

fn sample() -> Revision {
    Revision {
        previous: "v2025".into(),
        added: vec![item("a/new", "policy", true)],
        withdrawn: vec![
            item("a/old", "policy", true),
            item("a/nocard", "policy", false),
        ],
        changed: vec![Changed {
            item: item("a/xiaoe", "policy", true),
            fields: vec![Change {
                label: "补助标准".into(),
                old: "5万元以下".into(),
                new: "6万元以下".into(),
            }],
            figures: vec![Change {
                label: "max".into(),
                old: "5万元".into(),
                new: "6万元".into(),
            }],
            body: false,
            reprint: true,
        }],
    }
}

#[test]
fn marks_new_and_changed_entries_only() {
    let r = sample();
    assert_eq!(r.mark("a/new"), Some("新"));
    assert_eq!(r.mark("a/xiaoe"), Some("改"));
    assert_eq!(r.mark("a/old"), None);
    assert_eq!(r.mark("a/other"), None);
}

#[test]
fn reprints_new_changed_and_take_back_withdrawn_cards() {
    let got: Vec<(String, &str, Option<String>)> = sample()
        .reprints()
        .into_iter()
        .map(|r| (r.id, r.action, r.pdf))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a/new".into(), "新印", Some("print/cards/a/new.pdf".into())),
            (
                "a/xiaoe".into(),
                "重印",
                Some("print/cards/a/xiaoe.pdf".into())
            ),
            ("a/old".into(), "收回", None),
        ]
    );
}

#[test]
fn text_report_lists_figures_and_fields_old_to_new() {
    let t = output::text(&sample(), ".");
    assert!(t.contains("数字 max：5万元 → 6万元"), "{t}");
    assert!(t.contains("补助标准：5万元以下 → 6万元以下"), "{t}");
    assert!(t.contains("废止（2）"), "{t}");
    let json: serde_json::Value = serde_json::from_str(&output::reprint_json(&sample())).unwrap();
    assert_eq!(json["cards"].as_array().unwrap().len(), 3);
    assert_eq!(json["previous"], "v2025");
}
