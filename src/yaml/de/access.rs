//! serde's access types over a sequence's items, a mapping's entries and an enum's one entry,
//! each value read at its own path.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::node::NodeDe;
use super::{Error, Path, Step};
use crate::yaml::node::{Entry, Node, Style, Value};

/// The items of a sequence, each read at its own path.
pub(super) struct SeqAccess<'a> {
    de: NodeDe<'a>,
    items: std::slice::Iter<'a, Node>,
    at: usize,
}

impl<'a> SeqAccess<'a> {
    pub(super) fn new(de: NodeDe<'a>, items: &'a [Node]) -> SeqAccess<'a> {
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
pub(super) struct MapAccess<'a> {
    de: NodeDe<'a>,
    entries: std::slice::Iter<'a, Entry>,
    current: Option<&'a Entry>,
}

impl<'a> MapAccess<'a> {
    pub(super) fn new(de: NodeDe<'a>, entries: &'a [Entry]) -> MapAccess<'a> {
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
                        crate::yaml::shorten(written),
                        crate::yaml::shorten(&entry.key),
                        crate::yaml::shorten(written)
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
pub(super) struct EnumAccess<'a> {
    pub(super) de: NodeDe<'a>,
    pub(super) entry: &'a Entry,
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

pub(super) struct VariantAccess<'a> {
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
