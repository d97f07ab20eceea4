//! `--format kustomize`: the workload as a Kustomize base and one Component per pattern, so a
//! team turns a pattern off by deleting one line of `kustomization.yaml`.
//!
//! The base is what `new` renders without patterns (the workload and its Service). Each
//! Component holds what its pattern adds to that base on its own: its objects (ConfigMaps) as
//! resources, its changes to the others as strategic-merge patches keyed by name (or mount
//! path, or port), which create a list that is not there yet and merge into one that is. So any
//! subset of the Components builds, whichever others are on; a pattern that needs another
//! (git-sync on git-clone's checkout) is diffed against that one and says so in a comment.
//!
//! Kustomize puts the list items a strategic-merge patch names first, in the patch's order, and
//! the items already there after them. So each patch names the items its pattern found (by key
//! only) before the ones it adds, and the Components are listed last-starting first: the one
//! applied last, the first pattern, puts its items right after the base's, ahead of those of the
//! patterns after it. Before writing, [`check`] builds every layout a team gets by deleting one
//! line the way Kustomize merges and compares it with what `new` renders for those patterns.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::patterns::Pattern;
use crate::render::{Document, Engine, Rendered};
use crate::spec::Spec;
use crate::yaml::{Entry, Node, Span, Style, Value};

/// The API version of a `kustomization.yaml`.
const KUSTOMIZATION_API: &str = "kustomize.config.k8s.io/v1beta1";
/// The API version of a Component's `kustomization.yaml`.
const COMPONENT_API: &str = "kustomize.config.k8s.io/v1alpha1";
/// The strategic-merge directive that deletes the object or list item it is in.
const PATCH_DIRECTIVE: &str = "$patch";

/// The files of the Kustomize layout for `spec` under `dir`: `(path, text)`, folders first
/// created by the caller.
pub(crate) fn files(spec: &Spec, engine: &Engine, dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let render = |patterns: &[Pattern]| {
        let mut partial = spec.clone();
        partial.patterns = patterns.to_vec();
        engine.render(&crate::plan::build(&partial))
    };
    let base = render(&[])?;
    let mut components: Vec<Component> = Vec::new();
    for (index, pattern) in spec.patterns.iter().enumerate() {
        let repeat = spec.patterns[..index]
            .iter()
            .filter(|p| p.id() == pattern.id())
            .count();
        let name = match repeat {
            0 => pattern.id().to_string(),
            n => format!("{}-{}", pattern.id(), n + 1),
        };
        // What the pattern needs, as the earlier patterns that provide it.
        let needs: Vec<usize> = (0..index)
            .filter(|&i| Some(spec.patterns[i].id()) == pattern.declaration().requires)
            .collect();
        let context: Vec<Pattern> = needs.iter().map(|&i| spec.patterns[i].clone()).collect();
        let before = render(&context)?;
        let mut alone = context;
        alone.push(pattern.clone());
        let after = render(&alone)?;
        let mut comments = vec![format!(
            "{}: {}",
            pattern.id(),
            pattern.declaration().purpose
        )];
        if !needs.is_empty() {
            let names: Vec<String> = needs
                .iter()
                .map(|&i| format!("components/{}", components[i].name))
                .collect();
            comments.push(format!(
                "Builds on what {} adds: turning that off needs this one off too.",
                names.join(" and ")
            ));
        }
        components.push(Component {
            name,
            comments,
            needs,
            resources: added_objects(&before, &after),
            patches: patches(&before, &after)?,
        });
    }
    check(spec, &base, &components, render)?;
    Ok(layout(&base, &components, dir))
}

/// One pattern's Component.
struct Component {
    /// Its folder under `components/`.
    name: String,
    /// The comments of its `kustomization.yaml`.
    comments: Vec<String>,
    /// The Components (by index) it builds on.
    needs: Vec<usize>,
    /// The objects it adds.
    resources: Vec<Document>,
    /// Its patches of the objects it changes or deletes.
    patches: Vec<Patch>,
}

/// The patches of one object.
struct Patch {
    /// The file name of the object these patches change.
    object: String,
    /// The strategic-merge patch: the object's identity and what changes, or `$patch: delete`;
    /// `None` when the insertions are all there is.
    tree: Option<Node>,
    /// The object's `kind`, `name` and `namespace`, which the insertions name as their target.
    target: Vec<(&'static str, String)>,
    /// JSON 6902 `add` operations that put new port items after the ones there, where the
    /// merge would put them first.
    inserts: Vec<Node>,
}

/// The objects of `after` that `before` does not have.
fn added_objects(before: &Rendered, after: &Rendered) -> Vec<Document> {
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
fn patches(before: &Rendered, after: &Rendered) -> Result<Vec<Patch>> {
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
fn target(object: &Node) -> Vec<(&'static str, String)> {
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
fn new_first(field: &str) -> bool {
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
fn find<'a>(items: &'a [Node], item: &Node, key: &str) -> Option<&'a Node> {
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
fn merge_key(field: &str, items: &[&Node]) -> Option<&'static str> {
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
fn deletes(node: &Node) -> bool {
    node.get(PATCH_DIRECTIVE).and_then(Node::as_str) == Some("delete")
}

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
fn check(
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

/// The files: the base, the Components, and the `kustomization.yaml` that lists them.
fn layout(base: &Rendered, components: &[Component], dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let base_dir = dir.join("base");
    let mut resources = Vec::new();
    for document in &base.documents {
        let name = file_name(document);
        files.push((base_dir.join(&name), document.text.clone()));
        resources.push(name);
    }
    files.push((
        base_dir.join("kustomization.yaml"),
        kustomization(
            KUSTOMIZATION_API,
            "Kustomization",
            &[],
            &resources,
            &[],
            &[],
        ),
    ));
    for component in components {
        let folder = dir.join("components").join(&component.name);
        let mut resource_files = Vec::new();
        for document in &component.resources {
            let file = file_name(document);
            files.push((folder.join(&file), document.text.clone()));
            resource_files.push(file);
        }
        let mut patch_files = Vec::new();
        for patch in &component.patches {
            if let Some(tree) = &patch.tree {
                let prefix = if deletes(tree) { "delete" } else { "patch" };
                let file = format!("{prefix}-{}", patch.object);
                files.push((folder.join(&file), crate::yaml::to_text(tree)));
                patch_files.push((file, Vec::new()));
            }
            if !patch.inserts.is_empty() {
                let file = format!("insert-{}", patch.object);
                let operations = Node::built(Value::Sequence(patch.inserts.clone()));
                files.push((folder.join(&file), crate::yaml::to_text(&operations)));
                patch_files.push((file, patch.target.clone()));
            }
        }
        files.push((
            folder.join("kustomization.yaml"),
            kustomization(
                COMPONENT_API,
                "Component",
                &component.comments,
                &resource_files,
                &patch_files,
                &[],
            ),
        ));
    }
    let listed: Vec<String> = components
        .iter()
        .rev()
        .map(|c| format!("components/{}", c.name))
        .collect();
    let comments = match components.is_empty() {
        true => Vec::new(),
        false => vec![
            "One Component per pattern: delete a line to turn its pattern off.".to_string(),
            "Listed last-starting first: Kustomize puts what a Component adds to a list"
                .to_string(),
            "before what is there, so this order gives the pod its start order.".to_string(),
        ],
    };
    files.push((
        dir.join("kustomization.yaml"),
        kustomization(
            KUSTOMIZATION_API,
            "Kustomization",
            &comments,
            &["base".to_string()],
            &[],
            &listed,
        ),
    ));
    files
}

/// The file a document goes to: as `--output-dir` names it.
fn file_name(document: &Document) -> String {
    crate::output::file_name(document, crate::cli::ManifestFormat::Yaml)
}

/// A `kustomization.yaml`, with `comments` above its lists.
fn kustomization(
    api_version: &str,
    kind: &str,
    comments: &[String],
    resources: &[String],
    patches: &[(String, Vec<(&str, String)>)],
    components: &[String],
) -> String {
    let mut text = format!("apiVersion: {api_version}\nkind: {kind}\n");
    for comment in comments {
        text.push_str(&format!("# {comment}\n"));
    }
    let mut list = |key: &str, items: &[String]| {
        if !items.is_empty() {
            text.push_str(&format!("{key}:\n"));
            for item in items {
                text.push_str(&format!("- {}\n", crate::yaml::scalar(item)));
            }
        }
    };
    list("resources", resources);
    list("components", components);
    if !patches.is_empty() {
        text.push_str("patches:\n");
        for (file, target) in patches {
            text.push_str(&format!("- path: {}\n", crate::yaml::scalar(file)));
            if !target.is_empty() {
                text.push_str("  target:\n");
                for (key, value) in target {
                    text.push_str(&format!("    {key}: {}\n", crate::yaml::scalar(value)));
                }
            }
        }
    }
    text
}

fn parse(document: &Document) -> Result<Node> {
    crate::yaml::parse_one(&document.text)
        .map(|tree| tree.root)
        .map_err(|error| Error::Internal(format!("rendered YAML: {error}")))
}

fn entry(key: &str, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span: Span::default(),
        key_style: Style::Built,
        value,
    }
}

fn string(text: &str) -> Node {
    Node::built(Value::String(text.to_string()))
}

fn mapping(entries: Vec<Entry>) -> Node {
    Node::built(Value::Mapping(entries))
}
