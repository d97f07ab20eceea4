//! Builds a layout the way Kustomize merges it (strategic-merge patches by the API's merge
//! keys, then JSON 6902 insertions) so [`check`] can compare every layout a team gets by
//! deleting one line with what `new` renders for the patterns left on.

use super::patch::{deletes, find, merge_key, new_first, target};
use super::{mapping, parse, Component};
use crate::error::{Error, Result};
use crate::patterns::Pattern;
use crate::render::Rendered;
use crate::spec::Spec;
use crate::yaml::{Node, Value};

/// `patch` merged into `dest` (the value of `field`) as Kustomize merges a strategic-merge
/// patch: keys set or, when `null`, removed; keyed lists as the patch's items in its order,
/// each merged into the item with its key, then the items the patch does not name.
fn merge(dest: &Node, patch: &Node, field: &str) -> Node {
    match (&dest.value, &patch.value) {
        (Value::Mapping(entries), Value::Mapping(changes)) => {
            let mut entries = entries.clone();
            for change in changes {
                if change.value.is_null() {
                    entries.retain(|e| e.key != change.key);
                } else if let Some(known) = entries.iter_mut().find(|e| e.key == change.key) {
                    known.value = merge(&known.value, &change.value, &change.key);
                } else {
                    entries.push(change.clone());
                }
            }
            mapping(entries)
        }
        (Value::Sequence(items), Value::Sequence(changes)) => {
            let all: Vec<&Node> = items.iter().chain(changes).collect();
            let Some(key) = merge_key(field, &all) else {
                return patch.clone();
            };
            if new_first(field) {
                let mut merged: Vec<Node> = changes
                    .iter()
                    .filter(|change| !deletes(change) && find(items, change, key).is_none())
                    .cloned()
                    .collect();
                for item in items {
                    match find(changes, item, key) {
                        Some(change) if deletes(change) => {}
                        Some(change) => merged.push(merge(item, change, "")),
                        None => merged.push(item.clone()),
                    }
                }
                return Node::built(Value::Sequence(merged));
            }
            let mut merged: Vec<Node> = changes
                .iter()
                .filter(|change| !deletes(change))
                .map(|change| match find(items, change, key) {
                    Some(item) => merge(item, change, ""),
                    None => change.clone(),
                })
                .collect();
            merged.extend(
                items
                    .iter()
                    .filter(|item| find(changes, item, key).is_none())
                    .cloned(),
            );
            Node::built(Value::Sequence(merged))
        }
        _ => patch.clone(),
    }
}

/// An object's identity in a build: `Kind/namespace/name`.
fn object_id(object: &Node) -> String {
    let text = |node: Option<&Node>| node.and_then(Node::as_str).unwrap_or_default().to_string();
    let metadata = object.get("metadata");
    format!(
        "{}/{}/{}",
        text(object.get("kind")),
        text(metadata.and_then(|m| m.get("namespace"))),
        text(metadata.and_then(|m| m.get("name")))
    )
}

fn objects(rendered: &Rendered) -> Result<Vec<(String, Node)>> {
    rendered
        .documents
        .iter()
        .map(|document| parse(document).map(|tree| (object_id(&tree), tree)))
        .collect()
}

/// What Kustomize builds from the base and `components`, in the order it applies them.
fn build<'a>(
    base: &Rendered,
    components: impl Iterator<Item = &'a Component>,
) -> Result<Vec<(String, Node)>> {
    let mut built = objects(base)?;
    for component in components {
        for document in &component.resources {
            let tree = parse(document)?;
            let id = object_id(&tree);
            if built.iter().any(|(known, _)| *known == id) {
                return Err(Error::Internal(format!(
                    "components/{} adds {id}, which is already there",
                    component.name
                )));
            }
            built.push((id, tree));
        }
        for patch in &component.patches {
            let Some(position) = built
                .iter()
                .position(|(_, object)| target(object) == patch.target)
            else {
                continue;
            };
            if let Some(tree) = &patch.tree {
                if deletes(tree) {
                    built.remove(position);
                    continue;
                }
                built[position].1 = merge(&built[position].1, tree, "");
            }
            for insert in &patch.inserts {
                let path = insert
                    .get("path")
                    .and_then(Node::as_str)
                    .unwrap_or_default();
                let value = insert
                    .get("value")
                    .cloned()
                    .unwrap_or(Node::built(Value::Null));
                if !insert_at(&mut built[position].1, path, value) {
                    return Err(Error::Internal(format!(
                        "components/{}: no list to insert into at {path}",
                        component.name
                    )));
                }
            }
        }
    }
    Ok(built)
}

/// Inserts `item` into `object` at the JSON pointer `path` (a list and an index), as JSON patch
/// `add` does; false when there is no such list.
fn insert_at(object: &mut Node, path: &str, item: Node) -> bool {
    let tokens: Vec<String> = path
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = tokens.split_last() else {
        return false;
    };
    let mut node = object;
    for token in parents {
        node = match &mut node.value {
            Value::Mapping(entries) => match entries.iter_mut().find(|e| e.key == *token) {
                Some(entry) => &mut entry.value,
                None => return false,
            },
            Value::Sequence(items) => {
                match token.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match (&mut node.value, last.parse::<usize>()) {
        (Value::Sequence(items), Ok(index)) if index <= items.len() => {
            items.insert(index, item);
            true
        }
        _ => false,
    }
}

/// Whether two trees hold the same values, whatever the order of mapping keys (which a build
/// does not keep).
fn equal(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|e| b.get(&e.key).is_some_and(|other| equal(&e.value, other)))
        }
        (x, y) => x == y,
    }
}

/// Checks that the full layout, and every layout without one Component, builds what `new`
/// renders for the patterns left on. A Component others build on is only turned off with
/// them, as `new` refuses their flags without its own.
pub(super) fn check(
    spec: &Spec,
    base: &Rendered,
    components: &[Component],
    render: impl Fn(&[Pattern]) -> Result<Rendered>,
) -> Result<()> {
    let layouts = std::iter::once(None).chain((0..components.len()).map(Some));
    for off in layouts {
        if let Some(off) = off {
            let needed = components
                .iter()
                .enumerate()
                .any(|(i, c)| i != off && c.needs.contains(&off));
            if needed {
                continue;
            }
        }
        let on: Vec<usize> = (0..components.len()).filter(|&i| Some(i) != off).collect();
        let built = build(base, on.iter().rev().map(|&i| &components[i]))?;
        let patterns: Vec<Pattern> = on.iter().map(|&i| spec.patterns[i].clone()).collect();
        let expected = objects(&render(&patterns)?)?;
        let differs = expected.iter().find(|(id, tree)| {
            !built
                .iter()
                .any(|(known, object)| known == id && equal(object, tree))
        });
        let extra = built
            .iter()
            .find(|(id, _)| !expected.iter().any(|(known, _)| known == id));
        if let Some((id, _)) = differs.or(extra) {
            let without = off.map_or(String::new(), |i| {
                format!(" without components/{}", components[i].name)
            });
            return Err(Error::Internal(format!(
                "the Kustomize layout{without} would not build {id} as `new` renders it"
            )));
        }
    }
    Ok(())
}
