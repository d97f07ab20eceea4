//! Reading documents as kubectl reads them: merge keys, keys as strings, tags and anchors,
//! duplicate keys, spans, the bounds on nesting and aliases, and escapes.

use super::*;
use crate::yaml::stream::split_documents;

fn read(text: &str) -> Result<Tree, Error> {
    parse(&split_documents(text)[0])
}

fn data(text: &str) -> Vec<(String, Value)> {
    let tree = read(text).expect("test YAML reads");
    tree.root
        .as_mapping()
        .unwrap()
        .iter()
        .map(|e| (e.key.clone(), e.value.value.clone()))
        .collect()
}

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

#[test]
fn merge_keys_apply_in_kubectls_order() {
    assert_eq!(
        data("a: 1\n<<: {a: 2, b: 2}\n"),
        vec![("a".into(), Value::Int(2)), ("b".into(), Value::Int(2))]
    );
    assert_eq!(
        data("<<: {a: 2, b: 2}\na: 1\n"),
        vec![("a".into(), Value::Int(1)), ("b".into(), Value::Int(2))]
    );
    assert_eq!(
        data("<<: [{a: 1}, {a: 2, b: 2}]\n"),
        vec![("a".into(), Value::Int(1)), ("b".into(), Value::Int(2))]
    );
    let tree = read("base: &b {x: 1}\nuse:\n  <<: *b\n  w: 2\n").unwrap();
    let merged = tree.root.get("use").unwrap();
    assert_eq!(
        crate::yaml::emit::to_text(merged),
        crate::yaml::emit::to_text(&read("{x: 1, w: 2}").unwrap().root)
    );
    assert!(read("a: 1\n<<: 5\n").is_err());
}

#[test]
fn keys_become_kubectls_strings() {
    let keys: Vec<String> = data("1: a\nyes: b\n1.10: c\n0755: d\n0x1F: e\n+12: f\n1e3: g\n")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["1", "true", "1.1", "493", "31", "12", "1000"]);
    assert!(read("~: x\n").is_err());
    assert!(read("? [a]\n: b\n").is_err());
}

#[test]
fn tags_and_anchors() {
    assert_eq!(
        data("x: !!str 0400\ny2: !!int \"12\"\nz: !foo bar\nb: !!binary aGVsbG8=\nf: !!float 1\n"),
        vec![
            ("x".into(), s("0400")),
            ("y2".into(), Value::Int(12)),
            ("z".into(), s("bar")),
            ("b".into(), s("hello")),
            ("f".into(), Value::Float(1.0)),
        ]
    );
    assert_eq!(
        data("a: &x 1\nb: *x\n"),
        vec![("a".into(), Value::Int(1)), ("b".into(), Value::Int(1))]
    );
    assert!(read("a: *nope\n").is_err());
    assert!(read("a: !!int abc\n").is_err());
}

#[test]
fn duplicates_are_recorded_and_the_last_value_kept() {
    let tree = read("spec:\n  containers:\n  - image: a\n    image: b\n").unwrap();
    assert_eq!(tree.duplicates.len(), 1);
    let duplicate = &tree.duplicates[0];
    assert_eq!(duplicate.path, "spec.containers[0].image");
    assert_eq!((duplicate.first.line, duplicate.second.line), (3, 4));
    let image = path::locate(&tree.root, "spec.containers[0].image");
    assert_eq!(image.0.line, 4);
}

#[test]
fn spans_are_file_offsets_and_lines() {
    let text = "a: 1\n---\nname: é漢\nlist:\n- x\n";
    let document = split_documents(text)[1];
    let tree = parse(&document).unwrap();
    let list = tree.root.get("list").unwrap();
    assert_eq!(list.span.line, 5);
    let name = tree.root.get("name").unwrap();
    assert_eq!(&text[name.span.start..name.span.end], "é漢");
    assert_eq!((name.span.line, name.span.column), (3, 7));
}

#[test]
fn nesting_and_aliases_are_bounded() {
    let deep = "- ".repeat(MAX_DEPTH + 1) + "x\n";
    let error = read(&deep).unwrap_err();
    assert!(error.message.contains("nested deeper"), "{error:?}");
    let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let prev = (b'a' + level - 1) as char;
        let this = (b'a' + level) as char;
        laughs.push_str(&format!(
            "{this}: &{this} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let error = read(&laughs).unwrap_err();
    assert!(error.message.contains("aliases expand"), "{error:?}");
}

/// Deep nesting stops the read where the limit is crossed, so the work done is bounded by
/// the limit, not by the input: 40,000 `[` (80 KB with the `]`) or `- ` are read only up to
/// there. Quadratic work would show as an error far into the input, or none.
#[test]
fn deep_nesting_stops_early() {
    let flow = "[".repeat(40_000) + &"]".repeat(40_000);
    let error = read(&flow).unwrap_err();
    assert!(error.span.start <= 256, "{error:?}");
    assert!(
        error.message.contains("nested deeper than 255"),
        "{error:?}"
    );
    let block = "- ".repeat(40_000) + "x\n";
    let error = read(&block).unwrap_err();
    assert!(error.span.start <= 2 * MAX_DEPTH + 2, "{error:?}");
}

/// Double-quoted escapes are go-yaml v2's (kubectl's YAML reader): `\'` is a quote and
/// `\/` an error; in a JSON file they are encoding/json's. Positions after them stay right.
#[test]
fn escapes_are_kubectls() {
    let text =
        "a: \"it\\'s \\0 \\\"x\\\" \\'q\\'\"\nb: \"x\\\n  y\"\nc: [\"\\u00e9\\'\", x]\nd: a\\'b\n";
    let tree = read(text).expect("go-yaml reads \\'");
    let root = tree.root.as_mapping().unwrap();
    assert_eq!(root[0].value.value, s("it's \0 \"x\" 'q'"));
    assert_eq!(root[1].value.value, s("xy"));
    let items = root[2].value.as_sequence().unwrap();
    assert_eq!(items[0].value, s("é'"));
    assert_eq!((items[1].span.line, items[1].span.column), (4, 17));
    assert_eq!(root[3].value.value, s("a\\'b"));
    let error = read("a: \"x\\/y\"\n").unwrap_err();
    assert!(error.message.contains("unknown escape"), "{error:?}");

    let json = |text: &str| parse(&split_documents(text)[0]);
    let tree = json("{\"a\": \"x\\/y\\u0041\"}").expect("JSON reads \\/");
    let root = tree.root.as_mapping().unwrap();
    assert_eq!(root[0].value.value, s("x/yA"));
    for refused in ["\\'", "\\x41", "\\0", "\\e"] {
        let error = json(&format!("{{\"a\": \"{refused}\"}}")).unwrap_err();
        assert!(
            error.message.contains("unknown escape"),
            "{refused}: {error:?}"
        );
    }
}
