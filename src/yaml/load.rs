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

use saphyr_parser::{Event, Parser, ScalarStyle, Span as Marks};

use super::escapes::{self, KubectlEscapes, Reader};
use super::node::{Entry, Node, Span, Style, Value};
use super::path;
use super::stream::Document;

mod keys;
mod positions;
mod scalars;

use keys::{insert, mapping_key, merged_entries};
use positions::Positions;
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
        if self.positions.opens_flow(span) {
            Style::Flow
        } else {
            Style::Block
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
mod tests;
