//! Any `Serialize` value as a [`Node`] tree, keeping struct field order, for the emitter.

use std::fmt;

use serde::ser::{self, Serialize};

use super::node::{Entry, Node, Span, Style, Value};

/// Builds the tree of `value`.
pub(super) fn to_tree<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    value.serialize(NodeSer)
}

/// Why a value has no YAML form (a map with a key that is not a scalar).
#[derive(Debug)]
pub(super) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

fn node(value: Value) -> Node {
    Node::built(value)
}

fn entry(key: String, value: Node) -> Entry {
    Entry {
        key,
        key_span: Span::default(),
        key_style: Style::Built,
        value,
    }
}

struct NodeSer;

macro_rules! ints {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method(self, value: $ty) -> Result<Node, Error> {
            Ok(node(Value::Int(i64::from(value))))
        })*
    };
}

impl ser::Serializer for NodeSer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = ser::Impossible<Node, Error>;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = ser::Impossible<Node, Error>;

    ints!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32)
    );

    fn serialize_u64(self, value: u64) -> Result<Node, Error> {
        Ok(node(match i64::try_from(value) {
            Ok(value) => Value::Int(value),
            Err(_) => Value::Float(value as f64),
        }))
    }

    fn serialize_bool(self, value: bool) -> Result<Node, Error> {
        Ok(node(Value::Bool(value)))
    }

    fn serialize_f32(self, value: f32) -> Result<Node, Error> {
        Ok(node(Value::Float(f64::from(value))))
    }

    fn serialize_f64(self, value: f64) -> Result<Node, Error> {
        Ok(node(Value::Float(value)))
    }

    fn serialize_char(self, value: char) -> Result<Node, Error> {
        Ok(node(Value::String(value.to_string())))
    }

    fn serialize_str(self, value: &str) -> Result<Node, Error> {
        Ok(node(Value::String(value.to_string())))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<Node, Error> {
        Ok(node(Value::Sequence(
            value
                .iter()
                .map(|b| node(Value::Int(i64::from(*b))))
                .collect(),
        )))
    }

    fn serialize_none(self) -> Result<Node, Error> {
        Ok(node(Value::Null))
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Node, Error> {
        Ok(node(Value::Null))
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, Error> {
        Ok(node(Value::Null))
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Node, Error> {
        Ok(node(Value::String(variant.to_string())))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        let inner = value.serialize(NodeSer)?;
        Ok(node(Value::Mapping(vec![entry(
            variant.to_string(),
            inner,
        )])))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Error> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_tuple(self, len: usize) -> Result<Items, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error(format!(
            "{name}: tuple variants have no YAML form here"
        )))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Entries, Error> {
        Ok(Entries {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Entries, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error(format!(
            "{name}: struct variants have no YAML form here"
        )))
    }
}

/// A sequence being built.
struct Items(Vec<Node>);

impl Items {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(NodeSer)?);
        Ok(())
    }
}

/// Sequences, tuples and tuple structs all become a YAML sequence.
macro_rules! items_as_sequence {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Items {
            type Ok = Node;
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<Node, Error> {
                Ok(node(Value::Sequence(self.0)))
            }
        }
    )*};
}

items_as_sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A mapping being built; `None` values of struct fields are left out.
struct Entries {
    entries: Vec<Entry>,
    key: Option<String>,
}

fn key_text(key: Node) -> Result<String, Error> {
    match key.value {
        Value::String(text) => Ok(text),
        Value::Int(value) => Ok(value.to_string()),
        Value::Bool(value) => Ok(value.to_string()),
        _ => Err(Error("a map key must be a string or a number".to_string())),
    }
}

impl ser::SerializeMap for Entries {
    type Ok = Node;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key_text(key.serialize(NodeSer)?)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        self.entries.push(entry(key, value.serialize(NodeSer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(node(Value::Mapping(self.entries)))
    }
}

impl ser::SerializeStruct for Entries {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = value.serialize(NodeSer)?;
        if !value.is_null() {
            self.entries.push(entry(key.to_string(), value));
        }
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(node(Value::Mapping(self.entries)))
    }
}
