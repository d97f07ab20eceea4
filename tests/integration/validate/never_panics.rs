//! Property tests: no input makes the validator panic, whether it is a fixture cut, repeated or
//! shifted line by line, or any text at all.

use proptest::prelude::*;

use podsmith::kube_version::KubeVersion;
use podsmith::validate::{validate_stream, Options};

use super::fixtures;

fn valid_texts() -> Vec<String> {
    fixtures("valid")
        .iter()
        .chain(fixtures("invalid").iter())
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// A small edit of a manifest: delete, duplicate, indent or outdent a line, or put a YAML token
/// somewhere.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Indent(usize, usize),
    Outdent(usize),
    Insert(usize, usize, String),
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return String::new();
    }
    let n = lines.len();
    match edit {
        Edit::Delete(at) => {
            lines.remove(at % n);
        }
        Edit::Duplicate(at) => {
            let line = lines[at % n].clone();
            lines.insert(at % n, line);
        }
        Edit::Indent(at, by) => lines[at % n].insert_str(0, &" ".repeat(by % 5)),
        Edit::Outdent(at) => {
            let line = &mut lines[at % n];
            let trimmed = line.trim_start().to_string();
            *line = trimmed;
        }
        Edit::Insert(at, column, token) => {
            let line = &mut lines[at % n];
            let mut cut = column % (line.len() + 1);
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.insert_str(cut, token);
        }
    }
    lines.join("\n")
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop::sample::select(vec![
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        "'",
        "\"",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "|",
        ">",
        "~",
        "yes",
        "0755",
        "-1",
        "99999999999999999999",
        "1e400",
        "\t",
        "é",
        "---",
        "\u{0}",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Indent(a, b)),
        any::<usize>().prop_map(Edit::Outdent),
        (any::<usize>(), any::<usize>(), token).prop_map(|(a, b, t)| Edit::Insert(a, b, t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
        let report = validate_stream(&text, "fuzz.yaml", &Options::default());
        prop_assert!(report.findings.iter().all(|f| f.line >= 1));
    }

    #[test]
    fn yaml_like_text_never_panics(text in "([a-zA-Z]{1,8}: ?|- |  |[{}\\[\\],:]|\"|'|\n|[0-9]{1,3}|#|---\n){0,60}") {
        let report = validate_stream(&text, "fuzz.yaml", &Options::default());
        prop_assert!(report.findings.iter().all(|f| f.line >= 1));
    }

    #[test]
    fn mutated_manifests_never_panic(
        pick in any::<usize>(),
        edits in prop::collection::vec(edit(), 1..4),
        minor in 27u32..=37,
    ) {
        let texts = valid_texts();
        let mut text = texts[pick % texts.len()].clone();
        for e in &edits {
            text = apply(&text, e);
        }
        let options = Options {
            kube_version: KubeVersion::new(minor).unwrap_or_default(),
            ..Options::default()
        };
        let report = validate_stream(&text, "mutated.yaml", &options);
        let lines = text.lines().count().max(1);
        prop_assert!(report.findings.iter().all(|f| f.line >= 1 && f.line <= lines + 1), "{:?}", report.findings);
    }
}
