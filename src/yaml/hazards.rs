//! YAML 1.1 readings that kubectl makes and that probably mean something else than was meant:
//! a plain integer with a leading zero is octal (`010` is 8) and a plain key can become another
//! string (`yes:` is the key `"true"`). The typed reader and the schema-table walk of the
//! validator both warn about them, in these words.

use super::{shorten, Entry, Node, Style, Value};

/// The warning for `node`, written as `written`, when it is a plain integer with a leading zero
/// outside a field whose name ends in `mode` (file modes are meant as octal). `field` is the key
/// the node is the value of, if any.
pub(crate) fn octal_integer(node: &Node, written: &str, field: Option<&str>) -> Option<String> {
    let Value::Int(value) = node.value else {
        return None;
    };
    let digits = written.trim_start_matches(['+', '-']);
    let octal = node.style == Style::Plain
        && digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|c| c.is_ascii_digit() || c == b'_');
    let mode_field = field.is_some_and(|field| field.to_ascii_lowercase().ends_with("mode"));
    (octal && !mode_field).then(|| {
        format!(
            "`{written}` is octal in YAML 1.1, which kubectl reads: it is {value}; write {value}, or quote it if a string is meant"
        )
    })
}

/// The warning for a plain key that kubectl reads as another string than the one written.
/// `source` is the text the entry's spans point into.
pub(crate) fn rewritten_key(entry: &Entry, source: &str) -> Option<String> {
    if entry.key_style != Style::Plain {
        return None;
    }
    let written = source
        .get(entry.key_span.start..entry.key_span.end)
        .unwrap_or(&entry.key);
    (written != entry.key && !written.is_empty()).then(|| {
        format!(
            "the key `{}` is `{}` in YAML 1.1, which kubectl reads; quote it: \"{}\"",
            shorten(written),
            shorten(&entry.key),
            shorten(written)
        )
    })
}
