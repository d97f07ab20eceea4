//! Mapping keys as kubectl reads them: each key turned into its string (`1` → "1", `yes` →
//! "true", floats as Go prints them), merge keys bringing in other mappings' entries (earlier
//! ones winning), and a key written twice recorded as a [`Duplicate`].

use std::collections::HashMap;

use super::{Duplicate, Error, Key, PathOf, INDEXED_FROM};
use crate::yaml::node::{Entry, Node, Style, Value};
use crate::yaml::path;

/// A mapping being read: its entries, whether each key was written there, its key index.
type Mapping<'a> = (
    &'a mut Vec<Entry>,
    &'a mut Vec<bool>,
    &'a mut Option<HashMap<String, usize>>,
);

/// Adds an entry to a mapping being read: a later value replaces an earlier one; two values
/// written under one key are a duplicate.
pub(super) fn insert(
    (entries, written, index): Mapping,
    entry: Entry,
    is_written: bool,
    path: &PathOf,
    duplicates: &mut Vec<Duplicate>,
) {
    let found = match index {
        Some(index) => index.get(&entry.key).copied(),
        None => entries.iter().position(|e| e.key == entry.key),
    };
    match found {
        Some(at) => {
            if is_written && written[at] {
                duplicates.push(Duplicate {
                    path: path::key(&path.spell(), &entry.key),
                    key: entry.key.clone(),
                    first: entries[at].key_span,
                    second: entry.key_span,
                });
            }
            written[at] = written[at] || is_written;
            entries[at] = entry;
        }
        None => {
            if let Some(index) = index {
                index.insert(entry.key.clone(), entries.len());
            }
            entries.push(entry);
            written.push(is_written);
            if index.is_none() && entries.len() >= INDEXED_FROM {
                *index = Some(
                    entries
                        .iter()
                        .enumerate()
                        .map(|(at, e)| (e.key.clone(), at))
                        .collect(),
                );
            }
        }
    }
}

/// The entries a merge key brings in: one mapping's, or a list of mappings' (earlier ones win).
pub(super) fn merged_entries(node: Node) -> Result<Vec<Entry>, Error> {
    let span = node.span;
    let refused = || Error {
        message: "map merge requires map or sequence of maps as the value".to_string(),
        span,
    };
    match node.value {
        Value::Mapping(entries) => Ok(entries),
        Value::Sequence(items) => {
            let mut out = Vec::new();
            for item in items.into_iter().rev() {
                match item.value {
                    Value::Mapping(entries) => out.extend(entries),
                    _ => return Err(refused()),
                }
            }
            Ok(out)
        }
        _ => Err(refused()),
    }
}

/// A node read as a key: kubectl's string for it, or an error for keys kubectl refuses.
pub(super) fn mapping_key(node: Node) -> Result<Key, Error> {
    let merge = node.style == Style::Plain && node.as_str() == Some("<<");
    let text = match node.value {
        Value::String(text) => text,
        Value::Bool(value) => value.to_string(),
        Value::Int(value) => value.to_string(),
        Value::Float(value) => go_float_key(value),
        Value::Null => {
            return Err(Error {
                message: "a null key: kubectl cannot turn it into a field name".to_string(),
                span: node.span,
            })
        }
        Value::Sequence(_) | Value::Mapping(_) => {
            return Err(Error {
                message: "a collection as a key: kubectl cannot turn it into a field name"
                    .to_string(),
                span: node.span,
            })
        }
    };
    Ok(Key {
        text,
        span: node.span,
        style: node.style,
        merge,
    })
}

/// A float key as sigs.k8s.io/yaml writes it: Go's `FormatFloat(f, 'g', -1, 32)`.
fn go_float_key(value: f64) -> String {
    if value.is_nan() {
        return ".nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    let single = value as f32;
    let scientific = format!("{single:e}");
    let (mantissa, power) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let power: i32 = power.parse().unwrap_or(0);
    if (-4..6).contains(&power) {
        return format!("{single}");
    }
    // Go's %e form: mantissa, `e`, sign, at least two digits.
    let sign = if power < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", power.abs())
}
