//! The only module that names the YAML crate: multi-document parsing and safe scalar output.
//!
//! Everything podsmith prints goes through [`quote`] or [`block`], so no input value can add,
//! remove or change a YAML key, and every reader (YAML 1.1 or 1.2) sees the same string.

use serde::de::DeserializeOwned;

pub use serde_yaml::{Error, Mapping, Value};

/// One document of a multi-document stream, with the line its text starts on (1-based).
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's source text, without the `---` separator.
    pub text: String,
    /// The line of the stream on which the document's text starts.
    pub line: usize,
}

/// Splits a YAML stream into documents at `---` lines, keeping each document's start line.
/// Documents that hold only comments or white space are dropped.
pub fn split_documents(stream: &str) -> Vec<Document> {
    let mut documents = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    for (index, line) in stream.lines().enumerate() {
        let is_separator = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if is_separator || line == "..." {
            push_document(&mut documents, &mut current, start);
            start = index + 2;
            if let Some(rest) = line.strip_prefix("---").filter(|r| !r.trim().is_empty()) {
                // `--- key: value` starts the next document on the separator line itself.
                current.push_str(rest.trim_start());
                current.push('\n');
                start = index + 1;
            }
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    push_document(&mut documents, &mut current, start);
    documents
}

fn push_document(documents: &mut Vec<Document>, current: &mut String, line: usize) {
    let has_content = current
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let text = std::mem::take(current);
    if has_content {
        documents.push(Document { text, line });
    }
}

/// Parses one YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_yaml::from_str(text)
}

/// Serializes a value as a YAML document.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_yaml::to_string(value)
}

/// The 1-based line of a YAML error, when the parser knows it.
pub fn error_line(error: &Error) -> Option<usize> {
    error.location().map(|l| l.line())
}

/// A double-quoted YAML scalar holding `text` exactly.
///
/// Double quotes make every reader see a string (`yes`, `0755`, `~` included), and escapes cover
/// every character YAML does not allow raw (control characters, DEL, C1 controls, BOM).
pub fn quote(text: &str) -> String {
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
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
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
/// spaces on every line after the indicator. Falls back to [`quote`] for text a block scalar
/// cannot hold exactly (special characters, a leading blank line, trailing spaces).
pub fn block(text: &str, width: usize) -> String {
    let representable = !text.is_empty()
        && text.contains('\n')
        && !text.starts_with('\n')
        && !text
            .chars()
            .any(|c| c != '\n' && (c == '\t' || needs_escape(c)))
        && !text.lines().any(|l| l.ends_with(' '))
        && !text.lines().next().is_some_and(|l| l.starts_with(' '));
    if !representable {
        return quote(text);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn reparse(scalar: &str) -> String {
        let doc = format!("key: {scalar}\n");
        let value: Value = from_str(&doc).unwrap();
        value["key"].as_str().unwrap().to_string()
    }

    #[test]
    fn quote_round_trips_hostile_text() {
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
        ] {
            assert_eq!(reparse(&quote(text)), text, "{text:?}");
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
    fn split_keeps_start_lines() {
        let docs = split_documents("a: 1\n---\n# only a comment\n---\nb: 2\nc: 3\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].line, 5);
    }
}
