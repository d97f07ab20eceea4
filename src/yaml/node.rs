//! The tree a YAML document is read into: every node with its value, as kubectl reads it, and
//! its place in the source text.

use std::fmt;

/// Where a node is in the source: byte offsets into the whole file (`start..end`, for slicing or
/// splicing the file's text) and the 1-based line and column of its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    /// Byte offset of the node's first character in the file.
    pub(crate) start: usize,
    /// Byte offset just past the node's last character in the file.
    pub(crate) end: usize,
    /// 1-based line of `start`.
    pub(crate) line: usize,
    /// 1-based column of `start`, in characters.
    pub(crate) column: usize,
}

/// How a node was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// A plain (unquoted) scalar, or a value left empty (`key:`).
    Plain,
    /// `'single quoted'`.
    SingleQuoted,
    /// `"double quoted"`.
    DoubleQuoted,
    /// A `|` block scalar.
    Literal,
    /// A `>` block scalar.
    Folded,
    /// A block (indented) collection.
    Block,
    /// A flow collection: `[a, b]` or `{a: b}`.
    Flow,
    /// `*alias`: a copy of the anchored node, whose children keep the anchor's spans.
    Alias,
    /// Built in memory, not read from text.
    Built,
}

/// A node's value, with scalars resolved the way kubectl resolves them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// A boolean (`true`, and YAML 1.1's `yes`, `on`, `y`...).
    Bool(bool),
    /// An integer (YAML 1.1: `0755` is octal).
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    String(String),
    /// A sequence.
    Sequence(Vec<Node>),
    /// A mapping, in source order, merge keys applied and keys as kubectl turns them into strings.
    Mapping(Vec<Entry>),
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// What it holds.
    pub(crate) value: Value,
    /// Where it is.
    pub(crate) span: Span,
    /// How it was written.
    pub(crate) style: Style,
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The key as kubectl passes it on: a string, numbers and booleans spelled the way kubectl
    /// spells them (`1`, `true`, `493` for `0755`).
    pub(crate) key: String,
    /// Where the key is.
    pub(crate) key_span: Span,
    /// How the key was written.
    pub(crate) key_style: Style,
    /// The value.
    pub(crate) value: Node,
}

impl Node {
    /// Whether two trees hold the same values, wherever they were written (spans and styles
    /// aside).
    pub(crate) fn same_values(&self, other: &Node) -> bool {
        match (&self.value, &other.value) {
            (Value::Sequence(x), Value::Sequence(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.same_values(b))
            }
            (Value::Mapping(x), Value::Mapping(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|(a, b)| a.key == b.key && a.value.same_values(&b.value))
            }
            (x, y) => x == y,
        }
    }

    /// A node built in memory, with no place in any text.
    pub(crate) fn built(value: Value) -> Node {
        Node {
            value,
            span: Span::default(),
            style: Style::Built,
        }
    }

    /// The value under `key`, if this is a mapping that has it.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry of `key`, if this is a mapping that has it.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?.iter().find(|entry| entry.key == key)
    }

    /// Item `index`, if this is a sequence that long.
    pub(crate) fn item(&self, index: usize) -> Option<&Node> {
        self.as_sequence()?.get(index)
    }

    /// The text of a string node.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of a boolean node.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(value) => Some(value),
            _ => None,
        }
    }

    /// The items of a sequence node.
    pub(crate) fn as_sequence(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a mapping node.
    pub(crate) fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// Whether the node is null.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

impl fmt::Display for Value {
    /// A short description for messages: `string "x"`, `integer 5`, `a mapping`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(value) => write!(f, "boolean `{value}`"),
            Value::Int(value) => write!(f, "integer `{value}`"),
            Value::Float(value) => write!(f, "floating point `{value}`"),
            Value::String(text) => write!(f, "string {:?}", super::shorten(text)),
            Value::Sequence(_) => f.write_str("sequence"),
            Value::Mapping(_) => f.write_str("map"),
        }
    }
}
