//! Where things are in a document's text, from the spans the reader recorded: the end of a
//! node's own text, the `-` of a sequence item, the start and end of a line, and the comments
//! above a line, which belong to what follows them.

use crate::yaml::{Entry, Node, Style, Value};

/// Whether a child at `at` lies in `node`'s own text (not brought in by an alias or merge).
pub(super) fn inside(node: &Node, at: usize) -> bool {
    node.style == Style::Block && node.span.start <= at && at <= node.span.end
}

/// Whether `at` is an offset in `text` after its start, up to its end.
pub(super) fn inside_text(text: &str, at: usize) -> bool {
    at > 0 && at <= text.len()
}

/// The offset of the `-` that opens sequence item `item`.
pub(super) fn dash_of(text: &str, item: &Node) -> Option<usize> {
    let before = &text[line_start(text, item.span.start)..item.span.start];
    let dash = before.rfind('-')?;
    before[dash + 1..]
        .chars()
        .all(|c| c == ' ' || c == '-')
        .then_some(line_start(text, item.span.start) + dash)
}

/// The end of the last character an entry's text holds.
pub(super) fn entry_end(text: &str, entry: &Entry) -> usize {
    node_end(text, &entry.value).max(entry.key_span.end)
}

/// The end of the last character of a node's own text (the spans of block collections and
/// block scalars run on to the next token; their content does not).
pub(super) fn node_end(text: &str, node: &Node) -> usize {
    match (&node.value, node.style) {
        (Value::Mapping(entries), Style::Block) => entries
            .iter()
            .map(|entry| entry_end(text, entry))
            .max()
            .unwrap_or(node.span.start),
        (Value::Sequence(items), Style::Block) => items
            .iter()
            .map(|item| node_end(text, item))
            .max()
            .unwrap_or(node.span.start),
        _ => {
            let end = node.span.end.min(text.len()).max(node.span.start);
            node.span.start + text[node.span.start..end].trim_end().len()
        }
    }
}

/// The start of the comment lines right above the line starting at `at` (they belong to what
/// follows them), or `at`.
pub(super) fn above_comments(text: &str, mut at: usize) -> usize {
    while at > 0 {
        let start = line_start(text, at - 1);
        if !text[start..at].trim_start().starts_with('#') {
            break;
        }
        at = start;
    }
    at
}

/// The offset of the start of the line `at` is on.
pub(super) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |n| n + 1)
}

/// The offset just past the line break of the line the character before `at` is on: where
/// the next line starts, after any comment that ends the line.
pub(super) fn line_end(text: &str, at: usize) -> usize {
    if at == 0 || text.as_bytes().get(at - 1) == Some(&b'\n') {
        return at;
    }
    text[at..].find('\n').map_or(text.len(), |n| at + n + 1)
}
