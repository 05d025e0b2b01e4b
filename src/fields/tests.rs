//! The typed reading of TOML values and the syntax errors in the editors' words.
use super::*;

fn read(text: &str, f: impl FnOnce(&mut Fields)) -> Vec<Diagnostic> {
    let src = SourceFile::new("t.toml", text.to_string());
    let mut diags = Vec::new();
    let table = parse_table(&src, &src.text, 0, &mut diags);
    if let Some(table) = table {
        let mut fields = Fields::new(&src, 0, &table, 0..1, &mut diags);
        f(&mut fields);
    }
    diags
}

#[test]
fn syntax_errors_are_told_in_the_editors_words() {
    for (text, want) in [
        (
            "tags = \"兜底\", \"老年人\"\n",
            "这一行在值的后面还有别的内容",
        ),
        (
            "tags = [\"兜底\" \"老年人\"]\n",
            "列表里两项之间少了英文逗号",
        ),
        ("tags = [\"兜底\",\n", "列表的 [ 没有对应的 ]"),
        ("title =\n", "文字没有加英文双引号"),
        ("title \"临时救助\"\n", "名称和值之间少了等号"),
        ("[cards\n", "[ 栏目名 ] 的方括号没有配对"),
        ("title = \"a\"\ntitle = \"b\"\n", "同一项写了两次"),
        ("a = { b = 1\n", "花括号 { 没有对应的 }"),
    ] {
        let d = read(text, |_| {});
        let all: Vec<String> = d.iter().map(|d| d.message.clone()).collect();
        assert!(all.iter().any(|m| m.contains(want)), "{text:?}: {all:?}");
        // No parser English left in a Chinese message.
        for m in &all {
            assert!(!m.contains("expected") && !m.contains("missing"), "{m}");
        }
    }
}

#[test]
fn unknown_key_gets_nearest_suggestion() {
    let d = read("title = \"x\"\namout = \"1\"\n", |f| {
        f.check_keys(&["title", "amount"], |_| None)
    });
    assert_eq!(d.len(), 1);
    let s = d[0].to_string();
    assert!(
        s.contains("不认识的字段「amout」") && s.contains("t.toml:2:1"),
        "{s}"
    );
    assert!(s.contains("是不是「amount」？"), "{s}");
}

#[test]
fn quoted_date_is_explained() {
    let d = read("effective = \"2025-03-01\"\n", |f| {
        assert!(f.date("effective").is_none());
    });
    assert!(d[0].to_string().contains("去掉引号"), "{}", d[0]);
}

#[test]
fn reads_typed_values() {
    let d = read(
        "a = \"x\"\nb = [\"1\", \"2\"]\nc = 2025-01-31\nd = true\ne = 3\n",
        |f| {
            assert_eq!(f.string("a").as_deref(), Some("x"));
            assert_eq!(f.strings("b"), vec!["1", "2"]);
            assert_eq!(f.date("c").unwrap().to_string(), "2025-01-31");
            assert_eq!(f.bool("d"), Some(true));
            assert_eq!(f.int("e"), Some(3));
        },
    );
    assert!(d.is_empty());
}

#[test]
fn syntax_error_points_at_line() {
    let d = read("title = \"x\"\nsummary = \"unterminated\n", |_| ());
    assert!(!d.is_empty());
    assert!(d[0].to_string().contains("t.toml:2:"), "{}", d[0]);
}

#[test]
fn a_value_of_the_wrong_kind_gets_the_line_that_was_meant() {
    let text = "amount = 3000\ntags = \"兜底\"\nweight = \"4\"\ncard = \"是\"\nsize = \"10.5\"\nnote = 2025-03-01\n";
    let d = read(text, |f| {
        f.string("amount");
        f.strings("tags");
        f.int("weight");
        f.bool("card");
        f.float("size");
        f.string("note");
    });
    let hints: Vec<&str> = d.iter().filter_map(|d| d.hint.as_deref()).collect();
    assert_eq!(
        hints,
        [
            "改成：amount = \"3000\"",
            "改成：tags = [\"兜底\"]",
            "改成：weight = 4",
            "改成：card = true",
            "改成：size = 10.5",
            "改成：note = \"2025-03-01\"",
        ]
    );
    // Where the value does not say what was meant, an example.
    let d = read("weight = \"很重\"\ntags = 3\n", |f| {
        f.int("weight");
        f.strings("tags");
    });
    let hints: Vec<&str> = d.iter().filter_map(|d| d.hint.as_deref()).collect();
    assert_eq!(hints, ["例如：weight = 10", "例如：tags = [\"…\", \"…\"]"]);
}
