//! Typed values from a [`Node`] tree, with every error of the document and its real place.
//!
//! [`from_tree`] is a serde `Deserializer` over the tree. It reads values as the API server does
//! once kubectl has turned the YAML into JSON: `null` leaves a field at its zero value, an
//! integral float (`1.0`, `1e3`) is an integer, a number is a `Quantity`, and nothing else is
//! coerced (`value: yes` into a string field is an error, as the server's decoder makes it).
//!
//! A value of the wrong type does not stop the parse: the error is recorded with its path and
//! span, the field gets its zero value, and reading goes on. An error raised deeper by a type's
//! own code (an `IntOrString` given a list, say) does stop it; that node is then treated as
//! absent and the document read again, so every error is still found (at most [`MAX_PASSES`]
//! reads).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::node::{Entry, Node, Span, Style, Value};
use super::path;

/// The most times one document is read again after an error that stopped the parse.
pub(super) const MAX_PASSES: usize = 16;

/// What a typed parse found.
#[derive(Debug)]
pub(crate) struct Outcome<T> {
    /// The value, fields in error left at their zero value; `None` when the parse could not
    /// finish.
    pub value: Option<T>,
    /// Every error, in document order.
    pub errors: Vec<Issue>,
    /// YAML 1.1 readings that are valid but probably not what was meant, in document order.
    pub warnings: Vec<Issue>,
}

/// One problem, at one place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    /// The field path, e.g. `spec.containers[0].ports[0].containerPort`.
    pub path: String,
    /// Where the offending node is.
    pub span: Span,
    /// What kind of problem.
    pub kind: Kind,
    /// What is wrong, in serde's words.
    pub message: String,
}

/// The kinds of problem a caller may want to explain in its own words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A key the type does not have (types that deny unknown fields).
    UnknownField {
        /// The key.
        field: String,
        /// The keys the type has.
        expected: &'static [&'static str],
    },
    /// A value not among an enum's names.
    UnknownVariant {
        /// The value.
        variant: String,
        /// The names.
        expected: &'static [&'static str],
    },
    /// A required field that is absent.
    MissingField(&'static str),
    /// Anything else: a wrong type, an invalid value.
    Other,
}

/// Reads `T` from the tree under `root`; `source` is the text the spans point into.
pub(crate) fn from_tree<T: DeserializeOwned>(root: &Node, source: &str) -> Outcome<T> {
    let context = Context {
        source,
        recorded: RefCell::new(Vec::new()),
        warnings: RefCell::new(Vec::new()),
        absent: RefCell::new(Vec::new()),
        stopped_at: RefCell::new(None),
    };
    let mut stopping = Vec::new();
    for _ in 0..MAX_PASSES {
        context.recorded.borrow_mut().clear();
        context.warnings.borrow_mut().clear();
        let root_path = Path::ROOT;
        let result = T::deserialize(NodeDe {
            node: root,
            path: &root_path,
            context: &context,
        });
        match result {
            Ok(value) => return context.outcome(Some(value), stopping),
            Err(error) => {
                let (node, issue) = match context.stopped_at.borrow_mut().take() {
                    Some(found) => found,
                    None => (root as *const Node, error.at(&root_path, root.span)),
                };
                let again = context.absent.borrow().contains(&node);
                stopping.push(issue);
                if again {
                    break;
                }
                context.absent.borrow_mut().push(node);
            }
        }
    }
    context.outcome(None, stopping)
}

struct Context<'s> {
    source: &'s str,
    /// Errors recovered from in this pass.
    recorded: RefCell<Vec<Issue>>,
    warnings: RefCell<Vec<Issue>>,
    /// Nodes whose errors stopped an earlier pass, read as absent from then on.
    absent: RefCell<Vec<*const Node>>,
    /// The node at which an error stopped this pass, and the error.
    stopped_at: RefCell<Option<(*const Node, Issue)>>,
}

impl Context<'_> {
    fn outcome<T>(&self, value: Option<T>, stopping: Vec<Issue>) -> Outcome<T> {
        let mut errors = stopping;
        errors.append(&mut self.recorded.borrow_mut());
        errors.sort_by_key(|issue| issue.span.start);
        errors.dedup();
        let mut warnings = std::mem::take(&mut *self.warnings.borrow_mut());
        warnings.sort_by_key(|issue| issue.span.start);
        Outcome {
            value,
            errors,
            warnings,
        }
    }

    fn is_absent(&self, node: &Node) -> bool {
        let absent = self.absent.borrow();
        !absent.is_empty() && absent.contains(&(node as *const Node))
    }

    /// The text a node was written as.
    fn written<'n>(&'n self, node: &'n Node) -> &'n str {
        self.source
            .get(node.span.start..node.span.end)
            .unwrap_or("")
    }

    fn record(&self, path: &Path, span: Span, message: String) {
        self.recorded.borrow_mut().push(Issue {
            path: path.spell(),
            span,
            kind: Kind::Other,
            message,
        });
    }

    fn warn(&self, path: &Path, span: Span, message: String) {
        self.warnings.borrow_mut().push(Issue {
            path: path.spell(),
            span,
            kind: Kind::Other,
            message,
        });
    }

    /// Notes where an error that stops the parse happened, the first time it passes a node.
    fn stop(&self, mut error: Error, node: &Node, path: &Path) -> Error {
        if !error.placed {
            error.placed = true;
            *self.stopped_at.borrow_mut() = Some((node, error.at(path, node.span)));
        }
        error
    }
}

/// The path to a node, as a chain through the stack (spelled only when an issue needs it).
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    const ROOT: Path<'static> = Path {
        parent: None,
        step: Step::Root,
    };

    fn spell(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(path.step);
            at = path.parent;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) => path::push_key(&mut out, key),
                Step::Index(index) => path::push_index(&mut out, *index),
            }
        }
        out
    }

    /// The key this node is the value of, if any.
    fn field(&self) -> Option<&'a str> {
        match self.step {
            Step::Key(key) => Some(key),
            _ => None,
        }
    }
}

/// serde's error for this deserializer: the message, its kind, and whether it has been placed.
#[derive(Debug)]
pub(super) struct Error {
    kind: Kind,
    message: String,
    placed: bool,
}

impl Error {
    fn at(&self, path: &Path, span: Span) -> Issue {
        Issue {
            path: path.spell(),
            span,
            kind: self.kind.clone(),
            message: self.message.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            kind: Kind::Other,
            message: message.to_string(),
            placed: false,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error {
            kind: Kind::UnknownField {
                field: field.to_string(),
                expected,
            },
            message: format!("unknown field `{}`", super::shorten(field)),
            placed: false,
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error {
            kind: Kind::UnknownVariant {
                variant: variant.to_string(),
                expected,
            },
            message: format!("unknown variant `{}`", super::shorten(variant)),
            placed: false,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Error {
            kind: Kind::MissingField(field),
            message: format!("missing field `{field}`"),
            placed: false,
        }
    }
}

/// The deserializer standing on one node.
struct NodeDe<'a> {
    node: &'a Node,
    path: &'a Path<'a>,
    context: &'a Context<'a>,
}

/// A float that JSON carries as an integer (Go writes `1.0` as `1`).
fn integral(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.2e18).then_some(value as i64)
}

impl<'a> NodeDe<'a> {
    /// Records that the node is not what `expected` wants; the caller then visits a zero value.
    fn mismatch(&self, expected: &dyn de::Expected) {
        let mut message = format!("invalid type: {}, expected {expected}", self.node.value);
        if let Some(hint) = self.quote_hint() {
            message.push_str(&hint);
        }
        self.context.record(self.path, self.node.span, message);
    }

    /// For a plain scalar that kubectl reads as a boolean or number where a string is wanted:
    /// how to write it so it stays a string.
    fn quote_hint(&self) -> Option<String> {
        if self.node.style != Style::Plain {
            return None;
        }
        let written = self.context.written(self.node);
        let meaning = match &self.node.value {
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            _ => return None,
        };
        let shown = super::shorten(written);
        Some(format!(
            ": unquoted `{shown}` is {meaning} in YAML 1.1, which kubectl reads; quote it: \"{shown}\""
        ))
    }

    fn child(&self, node: &'a Node, path: &'a Path<'a>) -> NodeDe<'a> {
        NodeDe {
            node,
            path,
            context: self.context,
        }
    }

    /// Warns about a plain integer written with a leading zero outside a file-mode field:
    /// kubectl reads `010` as 8.
    fn check_octal(&self) {
        let Value::Int(value) = self.node.value else {
            return;
        };
        if self.node.style != Style::Plain {
            return;
        }
        let written = self.context.written(self.node);
        let digits = written.trim_start_matches(['+', '-']);
        let octal = digits.len() > 1
            && digits.starts_with('0')
            && digits.bytes().all(|c| c.is_ascii_digit() || c == b'_');
        let mode_field = self
            .path
            .field()
            .is_some_and(|field| field.to_ascii_lowercase().ends_with("mode"));
        if octal && !mode_field {
            self.context.warn(
                self.path,
                self.node.span,
                format!(
                    "`{written}` is octal in YAML 1.1, which kubectl reads: it is {value}; write {value}, or quote it if a string is meant"
                ),
            );
        }
    }
}

macro_rules! integers {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if self.context.is_absent(self.node) {
                return visitor.visit_i64(0);
            }
            match &self.node.value {
                Value::Int(value) => {
                    self.check_octal();
                    visitor.visit_i64(*value)
                }
                Value::Float(value) if integral(*value).is_some() => {
                    visitor.visit_i64(integral(*value).unwrap_or_default())
                }
                Value::Null => visitor.visit_i64(0),
                _ => {
                    self.mismatch(&visitor);
                    visitor.visit_i64(0)
                }
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.context.is_absent(self.node) {
            return visitor.visit_unit();
        }
        match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(value) => visitor.visit_bool(*value),
            Value::Int(value) => visitor.visit_i64(*value),
            Value::Float(value) => match integral(*value) {
                Some(value) => visitor.visit_i64(value),
                None => visitor.visit_f64(*value),
            },
            Value::String(text) => visitor.visit_str(text),
            Value::Sequence(items) => visitor.visit_seq(SeqAccess::new(self, items)),
            Value::Mapping(entries) => visitor.visit_map(MapAccess::new(self, entries)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Bool(value) if !self.context.is_absent(self.node) => visitor.visit_bool(*value),
            Value::Null | Value::Bool(_) => visitor.visit_bool(false),
            _ => {
                self.mismatch(&visitor);
                visitor.visit_bool(false)
            }
        }
    }

    integers!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            _ if self.context.is_absent(self.node) => visitor.visit_f64(0.0),
            Value::Int(value) => visitor.visit_f64(*value as f64),
            Value::Float(value) => visitor.visit_f64(*value),
            Value::Null => visitor.visit_f64(0.0),
            _ => {
                self.mismatch(&visitor);
                visitor.visit_f64(0.0)
            }
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::String(text) if !self.context.is_absent(self.node) => visitor.visit_str(text),
            Value::Null | Value::String(_) => visitor.visit_str(""),
            _ => {
                self.mismatch(&visitor);
                visitor.visit_str("")
            }
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() || self.context.is_absent(self.node) {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.node.is_null() && !self.context.is_absent(self.node) {
            self.mismatch(&visitor);
        }
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // The API server reads a JSON number as a quantity (`cpu: 1` is "1").
        let number = match &self.node.value {
            Value::Int(value) if name == "Quantity" => Some(value.to_string()),
            Value::Float(value) if name == "Quantity" => Some(value.to_string()),
            _ => None,
        };
        match number {
            Some(text) if !self.context.is_absent(self.node) => {
                self.check_octal();
                let node = Node {
                    value: Value::String(text),
                    span: self.node.span,
                    style: self.node.style,
                };
                visitor.visit_newtype_struct(NodeDe {
                    node: &node,
                    path: self.path,
                    context: self.context,
                })
            }
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Sequence(items) if !self.context.is_absent(self.node) => {
                visitor.visit_seq(SeqAccess::new(self, items))
            }
            Value::Null | Value::Sequence(_) => visitor.visit_seq(SeqAccess::new(self, &[])),
            _ => {
                self.mismatch(&visitor);
                visitor.visit_seq(SeqAccess::new(self, &[]))
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Mapping(entries) if !self.context.is_absent(self.node) => {
                visitor.visit_map(MapAccess::new(self, entries))
            }
            Value::Null | Value::Mapping(_) => visitor.visit_map(MapAccess::new(self, &[])),
            _ => {
                self.mismatch(&visitor);
                visitor.visit_map(MapAccess::new(self, &[]))
            }
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::String(text) => visitor.visit_enum(text.as_str().into_deserializer()),
            Value::Mapping(entries) if entries.len() == 1 => visitor.visit_enum(EnumAccess {
                de: self,
                entry: &entries[0],
            }),
            _ => Err(de::Error::custom(format_args!(
                "invalid type: {}, expected {}",
                self.node.value, &visitor as &dyn de::Expected
            ))),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Unknown fields are found by comparing the typed value with the tree; nothing to read.
        visitor.visit_unit()
    }
}

/// The items of a sequence, each read at its own path.
struct SeqAccess<'a> {
    de: NodeDe<'a>,
    items: std::slice::Iter<'a, Node>,
    at: usize,
}

impl<'a> SeqAccess<'a> {
    fn new(de: NodeDe<'a>, items: &'a [Node]) -> SeqAccess<'a> {
        SeqAccess {
            de,
            items: items.iter(),
            at: 0,
        }
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let path = Path {
            parent: Some(self.de.path),
            step: Step::Index(self.at),
        };
        self.at += 1;
        seed.deserialize(self.de.child(item, &path))
            .map(Some)
            .map_err(|error| self.de.context.stop(error, item, &path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a mapping, each value read at its own path.
struct MapAccess<'a> {
    de: NodeDe<'a>,
    entries: std::slice::Iter<'a, Entry>,
    current: Option<&'a Entry>,
}

impl<'a> MapAccess<'a> {
    fn new(de: NodeDe<'a>, entries: &'a [Entry]) -> MapAccess<'a> {
        MapAccess {
            de,
            entries: entries.iter(),
            current: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.current = Some(entry);
        let path = Path {
            parent: Some(self.de.path),
            step: Step::Key(&entry.key),
        };
        if entry.key_style == Style::Plain {
            let written = self
                .de
                .context
                .source
                .get(entry.key_span.start..entry.key_span.end)
                .unwrap_or(&entry.key);
            if written != entry.key && !written.is_empty() {
                self.de.context.warn(
                    &path,
                    entry.key_span,
                    format!(
                        "the key `{}` is `{}` in YAML 1.1, which kubectl reads; quote it: \"{}\"",
                        super::shorten(written),
                        super::shorten(&entry.key),
                        super::shorten(written)
                    ),
                );
            }
        }
        let key: &str = &entry.key;
        seed.deserialize(key.into_deserializer())
            .map(Some)
            .map_err(|error: Error| {
                let key_node = Node {
                    value: Value::String(entry.key.clone()),
                    span: entry.key_span,
                    style: entry.key_style,
                };
                let mut error = self.de.context.stop(error, &entry.value, &path);
                if let Some((_, issue)) = self.de.context.stopped_at.borrow_mut().as_mut() {
                    issue.span = key_node.span;
                }
                error.placed = true;
                error
            })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let entry = self
            .current
            .take()
            .expect("serde asks for a value after its key");
        let path = Path {
            parent: Some(self.de.path),
            step: Step::Key(&entry.key),
        };
        seed.deserialize(self.de.child(&entry.value, &path))
            .map_err(|error| self.de.context.stop(error, &entry.value, &path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum written as a single-entry mapping: `{variant: content}`.
struct EnumAccess<'a> {
    de: NodeDe<'a>,
    entry: &'a Entry,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumAccess<'a> {
    type Error = Error;
    type Variant = VariantAccess<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantAccess<'a>), Error> {
        let key: &str = &self.entry.key;
        let variant = seed.deserialize(key.into_deserializer())?;
        Ok((
            variant,
            VariantAccess {
                de: self.de,
                entry: self.entry,
            },
        ))
    }
}

struct VariantAccess<'a> {
    de: NodeDe<'a>,
    entry: &'a Entry,
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let path = Path {
            parent: Some(self.de.path),
            step: Step::Key(&self.entry.key),
        };
        seed.deserialize(self.de.child(&self.entry.value, &path))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        let path = Path {
            parent: Some(self.de.path),
            step: Step::Key(&self.entry.key),
        };
        de::Deserializer::deserialize_seq(self.de.child(&self.entry.value, &path), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let path = Path {
            parent: Some(self.de.path),
            step: Step::Key(&self.entry.key),
        };
        de::Deserializer::deserialize_map(self.de.child(&self.entry.value, &path), visitor)
    }
}
