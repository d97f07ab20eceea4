//! The serde `Deserializer` standing on one node: reads it as the type asks, records a
//! mismatch and gives a zero value instead of stopping, and warns about YAML 1.1 readings.

use serde::de::{self, IntoDeserializer, Visitor};

use super::access::{EnumAccess, MapAccess, SeqAccess};
use super::{Context, Error, Path};
use crate::yaml::node::{Node, Style, Value};

/// The deserializer standing on one node.
pub(super) struct NodeDe<'a> {
    pub(super) node: &'a Node,
    pub(super) path: &'a Path<'a>,
    pub(super) context: &'a Context<'a>,
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
        let shown = crate::yaml::shorten(written);
        Some(format!(
            ": unquoted `{shown}` is {meaning} in YAML 1.1, which kubectl reads; quote it: \"{shown}\""
        ))
    }

    /// The deserializer of a child node at `path`.
    pub(super) fn child(&self, node: &'a Node, path: &'a Path<'a>) -> NodeDe<'a> {
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
