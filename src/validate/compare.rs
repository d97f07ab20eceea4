//! The strict round trip without the trip: serializes the typed object into a [`Compare`]
//! serializer that walks the written YAML tree alongside, instead of building a JSON copy and
//! diffing it. A key written but never serialized was dropped by the typed parse (an unknown
//! field); a struct field serialized but never written was filled in by it (a missing required
//! field). Scalars are not compared: the typed parse already accepted their types.
//!
//! Long because serde's `Serializer` and its compound traits ask for every method; the file is
//! one walk, and each method is short.

use std::fmt;

use serde::ser::{self, Serialize};

use std::collections::HashMap;

use super::locate;
use crate::yaml::{Entry, Node};

/// What the typed object and the written tree disagree on.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Differences {
    /// Written fields the type does not have: (path, field name).
    pub(crate) unknown: Vec<(String, String)>,
    /// Paths of fields the type requires but the text lacks.
    pub(crate) missing: Vec<String>,
}

/// Compares `typed` with the `written` tree it was parsed from.
pub(super) fn differences<T: Serialize>(typed: &T, written: &Node) -> Differences {
    let mut out = Differences::default();
    let mut path = String::new();
    // The serializer never fails: every method returns Ok.
    let _ = typed.serialize(Compare {
        written: Some(written),
        path: &mut path,
        out: &mut out,
    });
    out
}

/// Never produced; serde requires an error type.
#[derive(Debug)]
pub(super) struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("comparison error")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Never
    }
}

/// Serializes a value while standing on the written node at `path` (`None` when the text has
/// no node there, for values inside defaults).
struct Compare<'a, 'p> {
    written: Option<&'a Node>,
    path: &'p mut String,
    out: &'p mut Differences,
}

impl<'a, 'p> Compare<'a, 'p> {
    fn node(&self) -> Option<&'a Node> {
        self.written
    }
}

macro_rules! scalars {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method(self, _: $ty) -> Result<(), Never> { Ok(()) })*
    };
}

impl<'a, 'p> ser::Serializer for Compare<'a, 'p> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Seq<'a, 'p>;
    type SerializeTuple = ser::Impossible<(), Never>;
    type SerializeTupleStruct = ser::Impossible<(), Never>;
    type SerializeTupleVariant = ser::Impossible<(), Never>;
    type SerializeMap = Map<'a, 'p>;
    type SerializeStruct = Struct<'a, 'p>;
    type SerializeStructVariant = ser::Impossible<(), Never>;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8])
    );

    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Never> {
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a, 'p>, Never> {
        let items = self.node().and_then(Node::as_sequence);
        Ok(Seq {
            items,
            at: 0,
            path: self.path,
            out: self.out,
        })
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Never> {
        Err(Never)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Never> {
        Err(Never)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a, 'p>, Never> {
        Ok(Map {
            mapping: Written::new(self.node()),
            key: None,
            path: self.path,
            out: self.out,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Struct<'a, 'p>, Never> {
        Ok(Struct {
            mapping: self.node().and_then(Node::as_mapping),
            seen: Vec::new(),
            path: self.path,
            out: self.out,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}

/// The value written under `key`, unless it is null (which the API reads as absent).
fn written_field<'a>(entries: Option<&'a [Entry]>, key: &str) -> Option<&'a Node> {
    entries?
        .iter()
        .find(|entry| entry.key == key)
        .map(|entry| &entry.value)
        .filter(|value| !value.is_null())
}

/// A written mapping with free-form keys, indexed when large so that comparing it stays linear.
struct Written<'a> {
    entries: Option<&'a [Entry]>,
    index: Option<HashMap<&'a str, &'a Node>>,
}

impl<'a> Written<'a> {
    /// Above this many entries, a lookup by key goes through an index.
    const INDEXED_FROM: usize = 16;

    fn new(node: Option<&'a Node>) -> Written<'a> {
        let entries = node.and_then(Node::as_mapping);
        let index = entries
            .filter(|entries| entries.len() >= Self::INDEXED_FROM)
            .map(|entries| {
                entries
                    .iter()
                    .map(|entry| (entry.key.as_str(), &entry.value))
                    .collect()
            });
        Written { entries, index }
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        match &self.index {
            Some(index) => index.get(key).copied().filter(|value| !value.is_null()),
            None => written_field(self.entries, key),
        }
    }
}

/// A sequence: item `at` of the typed value stands on item `at` of the written one.
pub(super) struct Seq<'a, 'p> {
    items: Option<&'a [Node]>,
    at: usize,
    path: &'p mut String,
    out: &'p mut Differences,
}

impl ser::SerializeSeq for Seq<'_, '_> {
    type Ok = ();
    type Error = Never;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        let depth = self.path.len();
        locate::push_index(self.path, self.at);
        let written = self.items.and_then(|items| items.get(self.at));
        self.at += 1;
        let result = value.serialize(Compare {
            written,
            path: self.path,
            out: self.out,
        });
        self.path.truncate(depth);
        result
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// A map with free-form keys (labels, resource lists): every written key was kept.
pub(super) struct Map<'a, 'p> {
    mapping: Written<'a>,
    key: Option<String>,
    path: &'p mut String,
    out: &'p mut Differences,
}

impl ser::SerializeMap for Map<'_, '_> {
    type Ok = ();
    type Error = Never;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Never> {
        self.key = key.serialize(KeyText).ok();
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        let Some(key) = self.key.take() else {
            return Ok(());
        };
        let depth = self.path.len();
        locate::push_key(self.path, &key);
        let result = value.serialize(Compare {
            written: self.mapping.get(&key),
            path: self.path,
            out: self.out,
        });
        self.path.truncate(depth);
        result
    }

    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// A struct: fields serialized but not written were defaulted; written keys never serialized
/// were dropped.
pub(super) struct Struct<'a, 'p> {
    mapping: Option<&'a [Entry]>,
    seen: Vec<&'static str>,
    path: &'p mut String,
    out: &'p mut Differences,
}

impl ser::SerializeStruct for Struct<'_, '_> {
    type Ok = ();
    type Error = Never;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.seen.push(key);
        let depth = self.path.len();
        locate::push_key(self.path, key);
        let written = written_field(self.mapping, key);
        // Only fields the text could have held count: inside a defaulted value, nothing was
        // written; `metadata` at the top is optional in the schema; and an embedded object
        // (a StatefulSet's volumeClaimTemplates) serializes an `apiVersion` and `kind` that
        // the schema does not ask for.
        let optional = (depth == 0 && key == "metadata") || key == "apiVersion" || key == "kind";
        if written.is_none() && self.mapping.is_some() && !optional {
            self.out.missing.push(self.path.clone());
        }
        let result = match written {
            Some(_) => value.serialize(Compare {
                written,
                path: self.path,
                out: self.out,
            }),
            None => Ok(()),
        };
        self.path.truncate(depth);
        result
    }

    fn end(self) -> Result<(), Never> {
        let Some(mapping) = self.mapping else {
            return Ok(());
        };
        for entry in mapping {
            if entry.value.is_null() || self.seen.contains(&entry.key.as_str()) {
                continue;
            }
            self.out
                .unknown
                .push((locate::key(self.path, &entry.key), entry.key.clone()));
        }
        Ok(())
    }
}

/// Reads a map key as text.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Never;
    type SerializeSeq = ser::Impossible<String, Never>;
    type SerializeTuple = ser::Impossible<String, Never>;
    type SerializeTupleStruct = ser::Impossible<String, Never>;
    type SerializeTupleVariant = ser::Impossible<String, Never>;
    type SerializeMap = ser::Impossible<String, Never>;
    type SerializeStruct = ser::Impossible<String, Never>;
    type SerializeStructVariant = ser::Impossible<String, Never>;

    fn serialize_str(self, v: &str) -> Result<String, Never> {
        Ok(v.to_string())
    }
    fn serialize_bool(self, _: bool) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_i8(self, _: i8) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_i16(self, _: i16) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_i32(self, _: i32) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_i64(self, _: i64) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_u8(self, _: u8) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_u16(self, _: u16) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_u32(self, _: u32) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_u64(self, _: u64) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_f32(self, _: f32) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_f64(self, _: f64) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_char(self, _: char) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_none(self) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<String, Never> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<String, Never> {
        Ok(v.to_string())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Never> {
        Err(Never)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Never> {
        Err(Never)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Never> {
        Err(Never)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Never> {
        Err(Never)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Never> {
        Err(Never)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Never> {
        Err(Never)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Never> {
        Err(Never)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Never> {
        Err(Never)
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::StatefulSet;
    use k8s_openapi::api::core::v1::Pod;
    use serde::Deserialize;

    use super::differences;
    use crate::yaml;

    fn compare<T: for<'de> Deserialize<'de> + serde::Serialize>(text: &str) -> super::Differences {
        let tree = yaml::parse_one(text).expect("test YAML parses");
        let typed = yaml::from_tree::<T>(&tree.root, text)
            .value
            .expect("test YAML is the type");
        differences(&typed, &tree.root)
    }

    #[test]
    fn finds_dropped_and_defaulted_fields() {
        let found = compare::<Pod>(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: a:1\n    imagePulPolicy: Always\n    ports:\n    - containerPort: 80\n      nmae: http\n",
        );
        assert_eq!(
            found.unknown,
            vec![
                (
                    "spec.containers[0].ports[0].nmae".to_string(),
                    "nmae".to_string()
                ),
                (
                    "spec.containers[0].imagePulPolicy".to_string(),
                    "imagePulPolicy".to_string()
                ),
            ]
        );
        assert_eq!(found.missing, vec!["spec.containers[0].name".to_string()]);
    }

    #[test]
    fn nulls_free_form_maps_and_embedded_objects_are_fine() {
        let found = compare::<StatefulSet>(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  creationTimestamp: null\n  labels:\n    any.key/x: y\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    spec:\n      containers: [{name: a, image: 'a:1'}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {resources: {requests: {storage: 1Gi}}}\n",
        );
        assert_eq!(found, super::Differences::default());
    }
}
