//! Field paths, spelled the way the API server spells them:
//! `spec.template.spec.containers[0].ports[1].containerPort`. A key that is not a plain word (a
//! label such as `app.kubernetes.io/name`) is written in brackets:
//! `metadata.labels[app.kubernetes.io/name]`.

use std::fmt::Write as _;

use super::node::{Node, Span};

/// The path of `key` inside `parent`.
pub(crate) fn key(parent: &str, key: &str) -> String {
    let mut path = String::with_capacity(parent.len() + key.len() + 2);
    path.push_str(parent);
    push_key(&mut path, key);
    path
}

/// The path of item `index` of the sequence at `parent`.
pub(crate) fn index(parent: &str, index: usize) -> String {
    let mut path = String::with_capacity(parent.len() + 4);
    path.push_str(parent);
    push_index(&mut path, index);
    path
}

/// Whether `key` is written after a dot rather than in brackets.
fn is_word(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// Extends `path` by `key` in place (see [`key`]).
pub(crate) fn push_key(path: &mut String, key: &str) {
    if is_word(key) {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(key);
        path.push(']');
    }
}

/// Extends `path` by `[index]` in place (see [`index`]).
pub(crate) fn push_index(path: &mut String, index: usize) {
    // Writing to a String cannot fail.
    let _ = write!(path, "[{index}]");
}

/// Where `path` points in the tree under `root`: the span of the key for a mapping entry, of the
/// item for a sequence item. When the path leaves the tree (a field the text does not have),
/// the span of the deepest part that exists, and `false`.
pub(crate) fn locate(root: &Node, path: &str) -> (Span, bool) {
    let mut node = root;
    let mut span = root.span;
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        let step = if let Some(inner) = rest.strip_prefix('[') {
            step_bracket(node, inner)
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let name = &rest[..end];
            node.entry(name)
                .map(|entry| (&entry.value, entry.key_span, &rest[end..]))
        };
        match step {
            Some((next, at, after)) => {
                node = next;
                span = at;
                rest = after;
            }
            None => return (span, false),
        }
    }
    (span, true)
}

/// One bracketed step: `[3]` into a sequence, or `[some.key]` into a mapping (the longest key of
/// the mapping that the text continues with, since a key may itself hold brackets).
fn step_bracket<'a, 'p>(node: &'a Node, inner: &'p str) -> Option<(&'a Node, Span, &'p str)> {
    if let Some(items) = node.as_sequence() {
        let close = inner.find(']')?;
        let item = items.get(inner[..close].parse::<usize>().ok()?)?;
        return Some((item, item.span, &inner[close + 1..]));
    }
    node.as_mapping()?
        .iter()
        .filter(|entry| {
            inner.starts_with(entry.key.as_str())
                && inner.as_bytes().get(entry.key.len()) == Some(&b']')
        })
        .max_by_key(|entry| entry.key.len())
        .map(|entry| (&entry.value, entry.key_span, &inner[entry.key.len() + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_api_server_paths() {
        assert_eq!(key("", "spec"), "spec");
        assert_eq!(key("spec", "containers"), "spec.containers");
        assert_eq!(index("spec.containers", 2), "spec.containers[2]");
        assert_eq!(key("metadata.labels", "app/x"), "metadata.labels[app/x]");
    }
}
