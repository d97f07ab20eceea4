//! One document's text to a [`Node`] tree, with kubectl's reading (go-yaml v2 under
//! sigs.k8s.io/yaml): YAML 1.1 scalars ([`super::resolve`]), merge keys (`<<: *base`, also a
//! list of maps, earlier maps winning), anchors and aliases, core tags (`!!str`, `!!int`,
//! `!!binary`...), and keys turned into strings (`1` → "1", `yes` → "true").
//!
//! A key written twice is recorded as a [`Duplicate`] and the last value kept, as kubectl does.
//! A null or collection key is an error, as it is for kubectl. Nesting deeper than
//! [`MAX_DEPTH`] and aliases that expand past [`MAX_ALIAS_NODES`] nodes are errors, so reading
//! stays linear in the input and bounded in memory.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as Marks};

use super::escapes::{self, KubectlEscapes, Reader};
use super::node::{Entry, Node, Span, Style, Value};
use super::path;
use super::stream::Document;

mod keys;
mod scalars;

use keys::{insert, mapping_key, merged_entries};
use scalars::scalar;

/// The deepest nesting of collections read.
pub(crate) const MAX_DEPTH: usize = 1000;
/// The most nodes that aliases may copy into one document (a "billion laughs" guard).
pub(super) const MAX_ALIAS_NODES: usize = 1_000_000;
/// Above this many entries, a mapping under construction keeps an index of its keys.
const INDEXED_FROM: usize = 16;

/// A document read into a tree.
#[derive(Debug)]
pub struct Tree {
    /// The document's root node.
    pub(crate) root: Node,
    /// Keys written twice in one mapping.
    pub(crate) duplicates: Vec<Duplicate>,
}

/// A key written twice in one mapping; kubectl keeps the last value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// The path of the key.
    pub(crate) path: String,
    /// The key.
    pub(crate) key: String,
    /// Where it is written first.
    pub(crate) first: Span,
    /// Where it is written again.
    pub(crate) second: Span,
}

/// A document that cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What is wrong.
    pub(crate) message: String,
    /// Where (an empty span at the point of the error).
    pub(crate) span: Span,
}

impl std::fmt::Display for Error {
    /// The message; the place is in [`Error::span`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Reads one document.
pub fn parse(document: &Document) -> Result<Tree, Error> {
    let positions = Positions::new(document);
    let mut builder = Builder {
        positions: &positions,
        frames: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        duplicates: Vec::new(),
        nodes: 0,
        alias_nodes: 0,
    };
    let reader = Reader::for_document(document.text, document.offset);
    for event in Parser::new(KubectlEscapes::new(document.text, reader)) {
        let (event, marks) = event.map_err(|error| positions.scan_error(&error))?;
        builder.event(event, marks)?;
    }
    Ok(Tree {
        root: builder.root.unwrap_or_else(|| Node::built(Value::Null)),
        duplicates: builder.duplicates,
    })
}

/// Turns the parser's character positions into file byte offsets, lines and columns.
struct Positions<'a> {
    document: &'a Document<'a>,
    /// Byte offset of every character, for text that is not ASCII.
    bytes: Option<Vec<usize>>,
}

impl<'a> Positions<'a> {
    fn new(document: &'a Document<'a>) -> Positions<'a> {
        let bytes = (!document.text.is_ascii()).then(|| {
            let mut bytes: Vec<usize> = document.text.char_indices().map(|(at, _)| at).collect();
            bytes.push(document.text.len());
            bytes
        });
        Positions { document, bytes }
    }

    fn span(&self, start: saphyr_parser::Marker, end: saphyr_parser::Marker) -> Span {
        let byte = |index: usize| match &self.bytes {
            Some(bytes) => bytes[index.min(bytes.len() - 1)],
            None => index.min(self.document.text.len()),
        };
        Span {
            start: self.document.offset + byte(start.index()),
            end: self.document.offset + byte(end.index()),
            line: self.document.line + start.line().max(1) - 1,
            column: start.col() + 1,
        }
    }

    /// The document's text within `span`.
    fn source(&self, span: Span) -> &str {
        let offset = self.document.offset;
        &self.document.text[span.start - offset..span.end - offset]
    }

    fn scan_error(&self, error: &ScanError) -> Error {
        let message = match error.info() {
            // The parser's own limit on flow nesting (`[[[...`).
            "recursion limit exceeded" => {
                "flow collections (`[` or `{`) nested deeper than 255 levels".to_string()
            }
            info => info.to_string(),
        };
        Error {
            message,
            span: self.span(*error.marker(), *error.marker()),
        }
    }
}

/// A collection being read.
enum Frame {
    Sequence {
        start: Span,
        style: Style,
        anchor: usize,
        nodes_before: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: Span,
        style: Style,
        anchor: usize,
        nodes_before: usize,
        entries: Vec<Entry>,
        /// Whether each entry's key was written here (not merged in).
        written: Vec<bool>,
        /// The key whose value is being read.
        key: Option<Key>,
        /// Key → entry, once the mapping is large.
        index: Option<HashMap<String, usize>>,
    },
}

/// A key read, waiting for its value.
struct Key {
    text: String,
    span: Span,
    style: Style,
    merge: bool,
}

struct Builder<'a> {
    positions: &'a Positions<'a>,
    frames: Vec<Frame>,
    /// Anchored nodes and how many nodes each holds.
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    duplicates: Vec<Duplicate>,
    /// Nodes read so far (aliases count the nodes they copy).
    nodes: usize,
    alias_nodes: usize,
}

impl Builder<'_> {
    fn event(&mut self, event: Event, marks: Marks) -> Result<(), Error> {
        let span = self.positions.span(marks.start, marks.end);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let text = match style {
                    ScalarStyle::DoubleQuoted => {
                        escapes::restore_quotes(self.positions.source(span), &text)
                    }
                    _ => Cow::Borrowed(text.as_ref()),
                };
                let node = scalar(&text, style, tag.as_deref(), span)?;
                self.finish(node, anchor, 1)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(span)?;
                let style = self.collection_style(span);
                self.frames.push(Frame::Sequence {
                    start: span,
                    style,
                    anchor,
                    nodes_before: self.nodes,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(span)?;
                let style = self.collection_style(span);
                self.frames.push(Frame::Mapping {
                    start: span,
                    style,
                    anchor,
                    nodes_before: self.nodes,
                    entries: Vec::new(),
                    written: Vec::new(),
                    key: None,
                    index: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(id) => {
                let Some((node, count)) = self.anchors.get(&id) else {
                    return Err(Error {
                        message: "unknown anchor referenced".to_string(),
                        span,
                    });
                };
                self.alias_nodes += count;
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(Error {
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes in this document"
                        ),
                        span,
                    });
                }
                let mut node = node.clone();
                let count = *count;
                node.span = span;
                node.style = Style::Alias;
                self.finish(node, 0, count)
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Ok(()),
        }
    }

    fn collection_style(&self, span: Span) -> Style {
        let text = &self.positions.document.text;
        let at = span.start - self.positions.document.offset;
        match text.as_bytes().get(at) {
            Some(b'[' | b'{') => Style::Flow,
            _ => Style::Block,
        }
    }

    fn open(&self, span: Span) -> Result<(), Error> {
        if self.frames.len() >= MAX_DEPTH {
            return Err(Error {
                message: format!("collections nested deeper than {MAX_DEPTH} levels"),
                span,
            });
        }
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), Error> {
        let frame = self.frames.pop().expect("the parser balances collections");
        let (node, anchor, nodes_before) = match frame {
            Frame::Sequence {
                start,
                style,
                anchor,
                nodes_before,
                items,
            } => (
                Node {
                    value: Value::Sequence(items),
                    span: Span {
                        end: end.end.max(start.start),
                        ..start
                    },
                    style,
                },
                anchor,
                nodes_before,
            ),
            Frame::Mapping {
                start,
                style,
                anchor,
                nodes_before,
                entries,
                ..
            } => (
                Node {
                    value: Value::Mapping(entries),
                    span: Span {
                        end: end.end.max(start.start),
                        ..start
                    },
                    style,
                },
                anchor,
                nodes_before,
            ),
        };
        let count = self.nodes - nodes_before + 1;
        self.nodes = nodes_before;
        self.finish(node, anchor, count)
    }

    /// Hands a complete node (holding `count` nodes) to its parent.
    fn finish(&mut self, node: Node, anchor: usize, count: usize) -> Result<(), Error> {
        self.nodes += count;
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), count));
        }
        let Some((last, parents)) = self.frames.split_last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        let path = PathOf(parents);
        match last {
            Frame::Sequence { items, .. } => {
                items.push(node);
                Ok(())
            }
            Frame::Mapping {
                entries,
                written,
                key,
                index,
                ..
            } => match key.take() {
                None => {
                    *key = Some(mapping_key(node)?);
                    Ok(())
                }
                Some(key) if key.merge => {
                    for entry in merged_entries(node)? {
                        let mapping = (&mut *entries, &mut *written, &mut *index);
                        insert(mapping, entry, false, &path, &mut self.duplicates);
                    }
                    Ok(())
                }
                Some(key) => {
                    let entry = Entry {
                        key: key.text,
                        key_span: key.span,
                        key_style: key.style,
                        value: node,
                    };
                    let mapping = (&mut *entries, &mut *written, &mut *index);
                    insert(mapping, entry, true, &path, &mut self.duplicates);
                    Ok(())
                }
            },
        }
    }
}

/// The collections that hold the one being read: its path, spelled out when needed.
struct PathOf<'a>(&'a [Frame]);

impl PathOf<'_> {
    fn spell(&self) -> String {
        let mut out = String::new();
        for frame in self.0 {
            match frame {
                Frame::Sequence { items, .. } => path::push_index(&mut out, items.len()),
                Frame::Mapping { key: Some(key), .. } => path::push_key(&mut out, &key.text),
                Frame::Mapping { key: None, .. } => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
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
        let text = "a: \"it\\'s \\0 \\\"x\\\" \\'q\\'\"\nb: \"x\\\n  y\"\nc: [\"\\u00e9\\'\", x]\nd: a\\'b\n";
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
}
