//! Writing YAML: one policy for every scalar podsmith prints, in manifests and the spec file.
//!
//! A string is written plain when every common reader (kubectl's YAML 1.1, PyYAML's YAML 1.1 and
//! YAML 1.2 core) reads the plain text back as that very string, and double-quoted otherwise:
//! `"yes"`, `"0755"`, `"~"`, `"1.30"`, `"a: b"`, `"- x"`, `"*x"`, while `-c`, `.hidden`,
//! `./migrate` and `<none>` stay plain, as kubectl prints them. Multi-line text is a literal
//! block scalar when one can hold it exactly. Double quotes escape every character a reader
//! could take as structure or a line break, so no value can add, remove or change a key.

use std::fmt::Write as _;

use super::node::{Node, Value};
use super::resolve;

/// `text` as a YAML scalar: plain when that is safe for every reader, else double-quoted.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        quote(text)
    }
}

/// Whether `text` may be written as a plain scalar, as a key or a value in block context: a
/// plain scalar there for YAML 1.1 (go-yaml v2, PyYAML) and YAML 1.2 readers alike, which every
/// one of them reads as this very string ([`resolve::is_plain_string`]).
pub(crate) fn is_plain_safe(text: &str) -> bool {
    let mut chars = text.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return false;
    };
    let last = text.chars().next_back().unwrap_or(first);
    // `-`, `?` and `:` start a plain scalar only when a non-space follows them (`-c`, not `- c`);
    // the other indicators never do.
    let first_allowed = match first {
        '-' | '?' | ':' => second.is_some_and(|c| !c.is_whitespace()),
        ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
        | '@' | '`' => false,
        _ => !first.is_whitespace(),
    };
    first_allowed
        && !is_document_marker(text)
        && !last.is_whitespace()
        && last != ':'
        && !text.contains(": ")
        && !text.contains(" #")
        && !text
            .chars()
            .any(|c| c == '\t' || c == '\n' || needs_escape(c))
        && resolve::is_plain_string(text)
}

/// Whether `text`, as a key at column 0, would be read as a document marker: `---` starting a
/// line is one for kubectl, which cuts the stream there (and rejects anything after it but a
/// comment), and `...` followed by a space or nothing ends the document for every reader.
fn is_document_marker(text: &str) -> bool {
    text.starts_with("---")
        || text
            .strip_prefix("...")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// A double-quoted YAML scalar holding `text` exactly.
///
/// Double quotes make every reader see a string (`yes`, `0755`, `~` included), and escapes cover
/// every character YAML does not allow raw (control characters, DEL, C1 controls, BOM).
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = c as u32;
                // Writing to a String cannot fail.
                let _ = match code <= 0xFF {
                    true => write!(out, "\\x{code:02X}"),
                    false => write!(out, "\\u{code:04X}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters outside YAML's printable set, plus the line and paragraph separators that some
/// readers treat as line breaks.
fn needs_escape(c: char) -> bool {
    let code = c as u32;
    code < 0x20
        || (0x7F..=0x9F).contains(&code)
        || code == 0x2028
        || code == 0x2029
        || code == 0xFEFF
        || (0xFFFE..=0xFFFF).contains(&code)
}

/// A literal block scalar (`|`) for multi-line text such as a config file, indented by `width`
/// spaces on every line after the indicator. Falls back to [`scalar`] for text a block scalar
/// cannot hold exactly (one line, special characters, a leading blank line, trailing spaces).
pub(crate) fn block(text: &str, width: usize) -> String {
    let representable = text.contains('\n')
        && !text.starts_with('\n')
        && !text
            .chars()
            .any(|c| c != '\n' && (c == '\t' || needs_escape(c)))
        && !text.lines().any(|l| l.ends_with(' '))
        && !text.lines().next().is_some_and(|l| l.starts_with(' '));
    if !representable {
        return scalar(text);
    }
    let trailing = text.len() - text.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(width);
    let mut out = format!("|{chomp}\n");
    for line in text.trim_end_matches('\n').split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    out.pop();
    out
}

/// A tree as block YAML, the way `kubectl get -o yaml` lays it out: two-space indentation,
/// sequence items at their key's column, `{}` and `[]` for empty collections.
pub(crate) fn to_text(node: &Node) -> String {
    to_text_indented(node, 0)
}

/// A tree as block YAML like [`to_text`], with sequence items `sequence_indent` columns right
/// of their key (0 as kubectl writes them, 2 as Helm charts often do), to match a file's text.
pub(crate) fn to_text_indented(node: &Node, sequence_indent: usize) -> String {
    let mut out = String::new();
    let layout = Layout { sequence_indent };
    match &node.value {
        Value::Mapping(entries) if !entries.is_empty() => write_mapping(&mut out, node, 0, layout),
        Value::Sequence(items) if !items.is_empty() => write_sequence(&mut out, node, 0, layout),
        _ => {
            out.push_str(&inline(node, 0));
            out.push('\n');
        }
    }
    out
}

/// A scalar or empty collection on the line of its key; `indent` is the key's column.
fn inline(node: &Node, indent: usize) -> String {
    match &node.value {
        Value::Null => "null".to_string(),
        Value::Bool(value) => value.to_string(),
        Value::Int(value) => value.to_string(),
        Value::Float(value) => float(*value),
        Value::String(text) if text.contains('\n') => block(text, indent + 2),
        Value::String(text) => scalar(text),
        Value::Sequence(_) => "[]".to_string(),
        Value::Mapping(_) => "{}".to_string(),
    }
}

fn float(value: f64) -> String {
    if value.is_nan() {
        return ".nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    let text = value.to_string();
    match text.contains(['.', 'e']) {
        true => text,
        false => format!("{text}.0"),
    }
}

fn is_nested(node: &Node) -> bool {
    match &node.value {
        Value::Mapping(entries) => !entries.is_empty(),
        Value::Sequence(items) => !items.is_empty(),
        _ => false,
    }
}

/// How nested collections are indented.
#[derive(Clone, Copy)]
struct Layout {
    /// Columns between a key and the `-` of its sequence's items.
    sequence_indent: usize,
}

fn write_mapping(out: &mut String, node: &Node, indent: usize, layout: Layout) {
    let Value::Mapping(entries) = &node.value else {
        return;
    };
    for (at, entry) in entries.iter().enumerate() {
        if at > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&scalar(&entry.key));
        out.push(':');
        match &entry.value.value {
            Value::Mapping(_) if is_nested(&entry.value) => {
                out.push('\n');
                out.push_str(&" ".repeat(indent + 2));
                write_mapping(out, &entry.value, indent + 2, layout);
            }
            Value::Sequence(_) if is_nested(&entry.value) => {
                let indent = indent + layout.sequence_indent;
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                write_sequence(out, &entry.value, indent, layout);
            }
            _ => {
                out.push(' ');
                out.push_str(&inline(&entry.value, indent));
                out.push('\n');
            }
        }
    }
}

fn write_sequence(out: &mut String, node: &Node, indent: usize, layout: Layout) {
    let Value::Sequence(items) = &node.value else {
        return;
    };
    for (at, item) in items.iter().enumerate() {
        if at > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str("- ");
        match &item.value {
            Value::Mapping(_) if is_nested(item) => write_mapping(out, item, indent + 2, layout),
            Value::Sequence(_) if is_nested(item) => write_sequence(out, item, indent + 2, layout),
            _ => {
                out.push_str(&inline(item, indent));
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_one, Node};

    fn reparse(scalar: &str) -> String {
        let doc = format!("key: {scalar}\n");
        let tree = parse_one(&doc).expect("emitted YAML reads back");
        tree.root
            .get("key")
            .and_then(Node::as_str)
            .unwrap()
            .to_string()
    }

    #[test]
    fn plain_only_where_every_reader_agrees() {
        for text in [
            "nginx:1.27",
            "apps/v1",
            "app.kubernetes.io/name",
            "web-1",
            "a b",
            "é漢",
            "-c",
            "--config-path",
            "-n+1",
            "?x",
            ":x",
            ".hidden",
            "./migrate",
            "...x",
            "<none>",
            "<<x",
            "=x",
            "x=",
            "~x",
            "127.0.0.1",
            "a#b",
            "a:b",
        ] {
            assert_eq!(scalar(text), text);
        }
        for text in [
            "yes",
            "0755",
            "~",
            "1.30",
            "a: b",
            "-",
            "- x",
            "?",
            "? x",
            ":",
            ": x",
            "-\u{a0}x",
            "*x",
            "&x",
            "",
            " lead",
            "trail ",
            "1:30",
            "2024-01-01",
            "null",
            "80",
            "#c",
            "x #c",
            "a\tb",
            "...",
            "... x",
            "---",
            "---x",
            "<<",
            "=",
            ".inf",
            ".5",
            "-.5",
            "-1",
            "a:",
            "[x",
            "{x",
            "|x",
            ">x",
            "!x",
            "%x",
            "@x",
            "`x",
            "'x",
            ",x",
        ] {
            assert!(scalar(text).starts_with('"'), "{text:?}");
        }
    }

    #[test]
    fn scalars_round_trip_hostile_text() {
        for text in [
            "yes",
            "0755",
            "~",
            "a: b",
            "- x",
            "#c",
            "{{ x }}",
            "&a *a",
            "\"'\\",
            "\u{7f}\u{85}\u{feff}",
            "line\nnext",
            "",
            " lead",
            "trail ",
            "\u{2028}",
            "é漢",
            "nginx:1.27",
            "it's",
            "a,b",
            "[x]",
            "-c",
            "?x",
            ":x",
            ".hidden",
            "<none>",
            "...x",
        ] {
            assert_eq!(reparse(&scalar(text)), text, "{text:?}");
        }
    }

    #[test]
    fn block_round_trips_config_text() {
        for text in [
            "a\nb\n",
            "a\n  b\n",
            "x: 1\n# c\n\nz\n",
            "no newline\nend",
            "two\n\n\n",
        ] {
            let scalar = block(text, 2);
            assert_eq!(reparse(&scalar), text, "{scalar}");
        }
    }

    #[test]
    fn trees_read_back_the_same() {
        let text = "a: 1\nb:\n  c: yes\n  d:\n  - x\n  - w: 2\n    z: \"0755\"\n  e: []\n  f: {}\ng: |\n  two\n  lines\n";
        let tree = parse_one(text).unwrap();
        let written = to_text(&tree.root);
        assert_eq!(to_text(&parse_one(&written).unwrap().root), written);
        assert!(
            written.contains("\n  - x\n  - w: 2\n    z: \"0755\"\n"),
            "{written}"
        );
        let indented = to_text_indented(&tree.root, 2);
        assert!(indented.contains("\n    - x\n    - w: 2\n      z: \"0755\"\n"));
        assert!(same_values(&parse_one(&indented).unwrap().root, &tree.root));
    }

    fn same_values(a: &Node, b: &Node) -> bool {
        to_text(a) == to_text(b)
    }
}
