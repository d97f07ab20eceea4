//! Reading and changing a parsed document ([`Node`] tree) by key, for `add`'s edits.
//!
//! Nodes read from the input keep their spans, so [`super::splice`] can tell what was there
//! from what `add` put in; everything `add` builds or takes from a render is [`detach`]ed
//! (no span, [`Style::Built`]) for the same reason.

use crate::yaml::{Entry, Node, Span, Style, Value};

/// The node at `path` (mapping keys) under `node`.
pub(super) fn at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    path.iter().try_fold(node, |node, key| node.get(key))
}

/// The string at `path` under `node`.
pub(super) fn text<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    at(node, path).and_then(Node::as_str)
}

/// The `name` of a node, or "".
pub(super) fn name(node: &Node) -> &str {
    text(node, &["name"]).unwrap_or_default()
}

/// The integer value of a node.
pub(super) fn int(node: &Node) -> Option<i64> {
    match node.value {
        Value::Int(value) => Some(value),
        _ => None,
    }
}

/// The items of the sequence at `path`, or none.
pub(super) fn items<'a>(node: &'a Node, path: &[&str]) -> &'a [Node] {
    at(node, path).and_then(Node::as_sequence).unwrap_or(&[])
}

/// The value under `key`, to change.
pub(super) fn get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    entries_mut(node)?
        .iter_mut()
        .find(|entry| entry.key == key)
        .map(|entry| &mut entry.value)
}

/// The node at `path` under `node`, to change.
pub(super) fn at_mut<'a>(node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    path.iter().try_fold(node, |node, key| get_mut(node, key))
}

/// The entries of a mapping node, to change.
pub(super) fn entries_mut(node: &mut Node) -> Option<&mut Vec<Entry>> {
    match &mut node.value {
        Value::Mapping(entries) => Some(entries),
        _ => None,
    }
}

/// The items of a sequence node, to change.
pub(super) fn items_mut(node: &mut Node) -> Option<&mut Vec<Node>> {
    match &mut node.value {
        Value::Sequence(items) => Some(items),
        _ => None,
    }
}

/// A new mapping entry.
pub(super) fn entry(key: &str, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span: Span::default(),
        key_style: Style::Built,
        value,
    }
}

/// A new string node.
pub(super) fn string(text: &str) -> Node {
    Node::built(Value::String(text.to_string()))
}

/// A new sequence node.
pub(super) fn sequence(items: Vec<Node>) -> Node {
    Node::built(Value::Sequence(items))
}

/// A new, empty mapping node.
pub(super) fn mapping() -> Node {
    Node::built(Value::Mapping(Vec::new()))
}

/// Sets `key` of a mapping node: replaces its value, or adds it at the end.
pub(super) fn set(node: &mut Node, key: &str, value: Node) {
    let Some(entries) = entries_mut(node) else {
        return;
    };
    match entries.iter_mut().find(|e| e.key == key) {
        Some(existing) => existing.value = value,
        None => entries.push(entry(key, value)),
    }
}

/// Removes `key` from a mapping node; returns its value.
pub(super) fn remove(node: &mut Node, key: &str) -> Option<Node> {
    let entries = entries_mut(node)?;
    let position = entries.iter().position(|e| e.key == key)?;
    Some(entries.remove(position).value)
}

/// `node` as if `add` had built it: no spans, no source styles, all the way down.
pub(super) fn detach(mut node: Node) -> Node {
    node.span = Span::default();
    node.style = Style::Built;
    node.value = match node.value {
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(detach).collect()),
        Value::Mapping(entries) => Value::Mapping(
            entries
                .into_iter()
                .map(|e| entry(&e.key, detach(e.value)))
                .collect(),
        ),
        scalar => scalar,
    };
    node
}

/// The strings of a sequence node (a command), skipping anything else.
pub(super) fn strings(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_sequence)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Parses one YAML document podsmith wrote (a render, a test's input).
pub(super) fn parse(text: &str) -> Result<Node, crate::yaml::Error> {
    Ok(crate::yaml::parse_one(text)?.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_or_appends_and_remove_takes_out() {
        let mut node = detach(parse("a: 1\nb: {c: x}\n").unwrap());
        set(&mut node, "a", string("one"));
        set(&mut node, "z", sequence(Vec::new()));
        assert_eq!(text(&node, &["a"]), Some("one"));
        let keys: Vec<_> = node.as_mapping().unwrap().iter().map(|e| &e.key).collect();
        assert_eq!(keys, ["a", "b", "z"]);
        assert!(remove(&mut node, "b").is_some());
        assert!(remove(&mut node, "b").is_none());
        assert_eq!(text(&parse("b: {c: x}").unwrap(), &["b", "c"]), Some("x"));
    }

    #[test]
    fn same_ignores_where_values_were_written() {
        let a = parse("a: [1, {b: yes}]\n").unwrap();
        let b = parse("# moved\na:\n- 1\n- b: true\n").unwrap();
        assert!(a.same_values(&b));
        assert!(detach(a.clone()).same_values(&a));
        assert!(!a.same_values(&parse("a: [1]").unwrap()));
    }
}
