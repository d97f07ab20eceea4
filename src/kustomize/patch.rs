//! What one pattern changes in the base, as Kustomize takes it: the objects it adds, and a
//! strategic-merge patch per object it changes (plus JSON 6902 insertions where the merge
//! would put new port items in the wrong place).

use super::{entry, file_name, mapping, parse, string, PATCH_DIRECTIVE};
use crate::error::{Error, Result};
use crate::render::{Document, Rendered};
use crate::yaml::{Entry, Node, Value};

/// The patches of one object.
pub(super) struct Patch {
    /// The file name of the object these patches change.
    pub(crate) object: String,
    /// The strategic-merge patch: the object's identity and what changes, or `$patch: delete`;
    /// `None` when the insertions are all there is.
    pub(crate) tree: Option<Node>,
    /// The object's `kind`, `name` and `namespace`, which the insertions name as their target.
    pub(crate) target: Vec<(&'static str, String)>,
    /// JSON 6902 `add` operations that put new port items after the ones there, where the
    /// merge would put them first.
    pub(crate) inserts: Vec<Node>,
}

/// The objects of `after` that `before` does not have.
pub(super) fn added_objects(before: &Rendered, after: &Rendered) -> Vec<Document> {
    after
        .documents
        .iter()
        .filter(|document| !before.documents.iter().any(|d| same_object(d, document)))
        .cloned()
        .collect()
}

fn same_object(a: &Document, b: &Document) -> bool {
    a.kind == b.kind && a.name == b.name
}

/// The patches that turn the objects of `before` into those of `after`.
pub(super) fn patches(before: &Rendered, after: &Rendered) -> Result<Vec<Patch>> {
    let mut patches = Vec::new();
    for previous in &before.documents {
        let old = parse(previous)?;
        let Some(document) = after.documents.iter().find(|d| same_object(d, previous)) else {
            let mut entries = identity(&old);
            entries.push(entry(PATCH_DIRECTIVE, string("delete")));
            patches.push(Patch {
                object: file_name(previous),
                tree: Some(mapping(entries)),
                target: target(&old),
                inserts: Vec::new(),
            });
            continue;
        };
        let new = parse(document)?;
        let mut diff = Diff::default();
        let change = diff.value(&old, &new, "", "")?;
        if change.is_none() && diff.inserts.is_empty() {
            continue;
        }
        let mut entries = identity(&new);
        let changes = change
            .as_ref()
            .and_then(Node::as_mapping)
            .unwrap_or_default();
        for change in changes {
            match entries.iter_mut().find(|e| e.key == change.key) {
                Some(Entry {
                    value:
                        Node {
                            value: Value::Mapping(known),
                            ..
                        },
                    ..
                }) => known.extend(
                    change
                        .value
                        .as_mapping()
                        .unwrap_or_default()
                        .iter()
                        .filter(|e| e.key != "name" && e.key != "namespace")
                        .cloned(),
                ),
                _ => entries.push(change.clone()),
            }
        }
        patches.push(Patch {
            object: file_name(document),
            tree: change.is_some().then(|| mapping(entries)),
            target: target(&new),
            inserts: diff.inserts,
        });
    }
    Ok(patches)
}

/// What a strategic-merge patch selects its object by: `apiVersion`, `kind`, and `name` and
/// `namespace` in `metadata`.
fn identity(object: &Node) -> Vec<Entry> {
    let mut entries: Vec<Entry> = ["apiVersion", "kind"]
        .into_iter()
        .filter_map(|key| Some(entry(key, object.get(key)?.clone())))
        .collect();
    let metadata = object.get("metadata");
    let names: Vec<Entry> = ["name", "namespace"]
        .into_iter()
        .filter_map(|key| Some(entry(key, metadata?.get(key)?.clone())))
        .collect();
    entries.push(entry("metadata", mapping(names)));
    entries
}

/// What selects an object for a JSON patch: its kind, name and namespace.
pub(super) fn target(object: &Node) -> Vec<(&'static str, String)> {
    let text = |node: Option<&Node>| node.and_then(Node::as_str).map(str::to_string);
    let metadata = object.get("metadata");
    [
        ("kind", text(object.get("kind"))),
        ("name", text(metadata.and_then(|m| m.get("name")))),
        ("namespace", text(metadata.and_then(|m| m.get("namespace")))),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key, value?)))
    .collect()
}

/// One object's change as Kustomize takes it: a strategic-merge patch, and JSON 6902
/// insertions for the port items the merge would misplace.
#[derive(Default)]
struct Diff {
    inserts: Vec<Node>,
}

impl Diff {
    /// The strategic-merge patch that turns `old` (the value of `field`, at the JSON pointer
    /// `pointer`) into `new`: new keys whole, dropped ones as `null`, keyed lists item by item,
    /// other values replaced.
    fn value(
        &mut self,
        old: &Node,
        new: &Node,
        field: &str,
        pointer: &str,
    ) -> Result<Option<Node>> {
        if old.same_values(new) {
            return Ok(None);
        }
        match (&old.value, &new.value) {
            (Value::Mapping(old_entries), Value::Mapping(new_entries)) => {
                let mut entries = Vec::new();
                for new_entry in new_entries {
                    match old_entries.iter().find(|e| e.key == new_entry.key) {
                        None => entries.push(new_entry.clone()),
                        Some(previous) => {
                            let child = format!("{pointer}/{}", token(&new_entry.key));
                            let change = self.value(
                                &previous.value,
                                &new_entry.value,
                                &new_entry.key,
                                &child,
                            )?;
                            entries.extend(change.map(|change| entry(&new_entry.key, change)));
                        }
                    }
                }
                for gone in old_entries {
                    if !new_entries.iter().any(|e| e.key == gone.key) {
                        entries.push(entry(&gone.key, Node::built(Value::Null)));
                    }
                }
                Ok((!entries.is_empty()).then(|| mapping(entries)))
            }
            (Value::Sequence(old_items), Value::Sequence(new_items)) => {
                let all: Vec<&Node> = old_items.iter().chain(new_items).collect();
                match merge_key(field, &all) {
                    Some(key) => self.keyed(old_items, new_items, field, key, pointer),
                    None => Ok(Some(new.clone())),
                }
            }
            _ => Ok(Some(new.clone())),
        }
    }

    /// The patch of a keyed list: every item that was there, by its key (so they stay first)
    /// and with its changes, or `$patch: delete` when it is gone; then the new items whole. New
    /// items of a list the merge puts first go in as insertions after the old ones instead.
    fn keyed(
        &mut self,
        old: &[Node],
        new: &[Node],
        field: &str,
        key: &str,
        pointer: &str,
    ) -> Result<Option<Node>> {
        if !appends(old, new, key) {
            return Err(Error::Internal(format!(
                "`{field}` changes the order of its items, which a strategic-merge patch cannot"
            )));
        }
        let mut items = Vec::new();
        let mut changed = false;
        for (index, previous) in old.iter().enumerate() {
            let mut stub: Vec<Entry> = previous
                .as_mapping()
                .unwrap_or_default()
                .iter()
                .filter(|e| e.key == key || (field == "ports" && e.key == "protocol"))
                .cloned()
                .collect();
            let child = format!("{pointer}/{index}");
            let change = match find(new, previous, key) {
                Some(now) => self.value(previous, now, "", &child)?,
                None => Some(mapping(vec![entry(PATCH_DIRECTIVE, string("delete"))])),
            };
            match change {
                Some(change) => {
                    changed = true;
                    let extra = change.as_mapping().unwrap_or_default().iter();
                    let extra: Vec<Entry> = extra
                        .filter(|e| !stub.iter().any(|s| s.key == e.key))
                        .cloned()
                        .collect();
                    stub.extend(extra);
                    items.push(mapping(stub));
                }
                // The merge keeps an unchanged item where it is, unless the new ones go first.
                None if !new_first(field) => items.push(mapping(stub)),
                None => {}
            }
        }
        let added = new.iter().filter(|item| find(old, item, key).is_none());
        if new_first(field) && !old.is_empty() {
            for (offset, item) in added.enumerate() {
                let path = format!("{pointer}/{}", old.len() + offset);
                self.inserts.push(operation("add", &path, item.clone()));
            }
        } else {
            let before = items.len();
            items.extend(added.cloned());
            changed |= items.len() > before;
        }
        Ok(changed.then(|| Node::built(Value::Sequence(items))))
    }
}

/// Whether Kustomize merges the list `field` with the items new to it first: so it does with
/// lists keyed by two fields (`ports`: the port and the protocol), unlike those keyed by one,
/// where the patch's items come first in its order.
pub(super) fn new_first(field: &str) -> bool {
    field == "ports"
}

/// One JSON 6902 `add` operation.
fn operation(op: &str, path: &str, value: Node) -> Node {
    mapping(vec![
        entry("op", string(op)),
        entry("path", string(path)),
        entry("value", value),
    ])
}

/// A mapping key as a JSON pointer token.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The item of `items` with the same `key` as `item`.
pub(super) fn find<'a>(items: &'a [Node], item: &Node, key: &str) -> Option<&'a Node> {
    items
        .iter()
        .find(|other| key_text(other, key) == key_text(item, key))
}

/// Whether `new` keeps the items of `old` in their order, with its new items after them: what
/// a patch that names the old items before the new ones produces.
fn appends(old: &[Node], new: &[Node], key: &str) -> bool {
    let in_old = |item: &Node| find(old, item, key).is_some();
    let kept: Vec<String> = new
        .iter()
        .filter(|i| in_old(i))
        .map(|i| key_text(i, key))
        .collect();
    let old_kept: Vec<String> = old
        .iter()
        .map(|i| key_text(i, key))
        .filter(|k| kept.contains(k))
        .collect();
    let last_kept = new.iter().rposition(in_old);
    let first_new = new.iter().position(|i| !in_old(i));
    kept == old_kept
        && match (last_kept, first_new) {
            (Some(last), Some(first)) => last < first,
            _ => true,
        }
}

/// The key Kustomize merges the list `field` by (the Kubernetes API's patch merge key), when
/// every item has it.
pub(super) fn merge_key(field: &str, items: &[&Node]) -> Option<&'static str> {
    let key = match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "ports" if items.iter().all(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    };
    items.iter().all(|i| i.get(key).is_some()).then_some(key)
}

/// The value of item `key` of a list item, as text.
fn key_text(item: &Node, key: &str) -> String {
    match item.get(key).map(|v| &v.value) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Int(number)) => number.to_string(),
        _ => String::new(),
    }
}

/// Whether a list item or object is marked `$patch: delete`.
pub(super) fn deletes(node: &Node) -> bool {
    node.get(PATCH_DIRECTIVE).and_then(Node::as_str) == Some("delete")
}
