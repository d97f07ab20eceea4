//! `--format kustomize`: the workload as a Kustomize base and one Component per pattern, so a
//! team turns a pattern off by deleting one line of `kustomization.yaml`.
//!
//! The base is what `new` renders without patterns (the workload and its Service). Component N
//! is the difference between the render with the first N patterns (in start order) and the
//! render with N-1: the objects it adds (ConfigMaps) as resources, the changes to the others as
//! JSON 6902 patches. JSON patches, not strategic-merge ones, because Kustomize puts the items a
//! strategic-merge patch adds to a list before the existing ones, while the pod needs them after
//! (init containers and native sidecars start in list order). So a new container, volume, mount
//! or port is appended (`add` at `/-`), a changed one is patched where it is, and a list without
//! a merge key (a command) is replaced whole: applying the Components in order, `kubectl
//! kustomize DIR` builds exactly the objects `podsmith new` prints with the same flags.
//!
//! A Component that changes what an earlier one added (a pattern that needs another, such as
//! git-sync's checkout from git-clone) says so in a comment, as removing the earlier one alone
//! would leave it half wired.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::{Document, Engine, Rendered};
use crate::spec::Spec;
use crate::yaml::{Entry, Node, Span, Style, Value};

/// The API version of a `kustomization.yaml`.
const KUSTOMIZATION_API: &str = "kustomize.config.k8s.io/v1beta1";
/// The API version of a Component's `kustomization.yaml`.
const COMPONENT_API: &str = "kustomize.config.k8s.io/v1alpha1";

/// The files of the Kustomize layout for `spec` under `dir`: `(path, text)`, folders first
/// created by the caller.
pub(crate) fn files(spec: &Spec, engine: &Engine, dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut states = Vec::with_capacity(spec.patterns.len() + 1);
    for count in 0..=spec.patterns.len() {
        let mut partial = spec.clone();
        partial.patterns.truncate(count);
        states.push(engine.render(&crate::plan::build(&partial))?);
    }
    let mut files = Vec::new();
    let base = dir.join("base");
    let mut resources = Vec::new();
    for document in &states[0].documents {
        let name = file_name(document);
        files.push((base.join(&name), document.text.clone()));
        resources.push(name);
    }
    files.push((
        base.join("kustomization.yaml"),
        kustomization(
            KUSTOMIZATION_API,
            "Kustomization",
            &[],
            &resources,
            &[],
            &[],
        ),
    ));

    let mut components: Vec<String> = Vec::new();
    // Which Component added each keyed list item, by its place: `path[key=value]`.
    let mut owners: Vec<(String, String)> = Vec::new();
    for (index, pattern) in spec.patterns.iter().enumerate() {
        let repeat = spec.patterns[..index]
            .iter()
            .filter(|p| p.id() == pattern.id())
            .count();
        let name = match repeat {
            0 => pattern.id().to_string(),
            n => format!("{}-{}", pattern.id(), n + 1),
        };
        let folder = dir.join("components").join(&name);
        let change = component(&states[index], &states[index + 1])?;
        let mut resource_files = Vec::new();
        for document in &change.resources {
            let file = file_name(document);
            files.push((folder.join(&file), document.text.clone()));
            resource_files.push(file);
        }
        let mut patch_files = Vec::new();
        let mut needs: Vec<String> = Vec::new();
        for patch in &change.patches {
            for place in &patch.changed {
                let built_on = |(owned, _): &&(String, String)| {
                    owned == place || (owned.ends_with('/') && place.starts_with(owned.as_str()))
                };
                if let Some((_, owner)) = owners.iter().find(built_on) {
                    if !needs.contains(owner) {
                        needs.push(owner.clone());
                    }
                }
            }
            for place in &patch.added {
                owners.push((place.clone(), format!("components/{name}")));
            }
            files.push((folder.join(&patch.file), patch.text.clone()));
            patch_files.push(patch);
        }
        let mut comments = vec![format!("{}: {}", pattern.id(), pattern_purpose(pattern))];
        if !needs.is_empty() {
            comments.push(format!(
                "Builds on what {} added: turning that off needs this one off too.",
                needs.join(" and ")
            ));
        }
        files.push((
            folder.join("kustomization.yaml"),
            kustomization(
                COMPONENT_API,
                "Component",
                &comments,
                &resource_files,
                &patch_files,
                &[],
            ),
        ));
        components.push(format!("components/{name}"));
    }
    let comments = match components.is_empty() {
        true => Vec::new(),
        false => vec![
            "One Component per pattern, applied in this order (the pods' start order): delete \
             a line to turn its pattern off."
                .to_string(),
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
            &components,
        ),
    ));
    Ok(files)
}

fn pattern_purpose(pattern: &crate::patterns::Pattern) -> &'static str {
    crate::patterns::declaration_of(pattern.id()).map_or("", |d| d.purpose)
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
    patches: &[&Patch],
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
        for patch in patches {
            text.push_str(&format!(
                "- path: {}\n  target:\n",
                crate::yaml::scalar(&patch.file)
            ));
            for (key, value) in &patch.target {
                text.push_str(&format!("    {key}: {}\n", crate::yaml::scalar(value)));
            }
        }
    }
    text
}

/// What one Component adds to the render before it.
struct Component<'a> {
    /// New objects.
    resources: Vec<&'a Document>,
    /// Strategic-merge patches of the objects that changed.
    patches: Vec<Patch>,
}

/// One patch file.
struct Patch {
    file: String,
    text: String,
    /// The object it patches: `kind`, `name` and `namespace` as Kustomize selects them.
    target: Vec<(&'static str, String)>,
    /// The keyed list items it adds, by place.
    added: Vec<String>,
    /// The keyed list items it changes, by place.
    changed: Vec<String>,
}

fn parse(document: &Document) -> Result<Node> {
    crate::yaml::parse_one(&document.text)
        .map(|tree| tree.root)
        .map_err(|error| Error::Internal(format!("rendered YAML: {error}")))
}

/// What turns render `before` into render `after`.
fn component<'a>(before: &Rendered, after: &'a Rendered) -> Result<Component<'a>> {
    let same = |a: &Document, b: &Document| a.kind == b.kind && a.name == b.name;
    let mut resources = Vec::new();
    let mut patches = Vec::new();
    for document in &after.documents {
        let Some(previous) = before.documents.iter().find(|d| same(d, document)) else {
            resources.push(document);
            continue;
        };
        let (old, new) = (parse(previous)?, parse(document)?);
        let mut places = Places::default();
        let mut operations = Vec::new();
        diff(&old, &new, "", "", &mut places, &mut operations);
        if operations.is_empty() {
            continue;
        }
        patches.push(Patch {
            file: format!("patch-{}", file_name(document)),
            text: crate::yaml::to_text(&Node::built(Value::Sequence(operations))),
            target: target(&new),
            added: places.added,
            changed: places.changed,
        });
    }
    for document in &before.documents {
        if !after.documents.iter().any(|d| same(d, document)) {
            let old = parse(document)?;
            patches.push(Patch {
                file: format!("delete-{}", file_name(document)),
                text: crate::yaml::to_text(&Node::built(Value::Sequence(vec![operation(
                    "remove", "", None,
                )]))),
                target: target(&old),
                added: Vec::new(),
                changed: Vec::new(),
            });
        }
    }
    Ok(Component { resources, patches })
}

/// What a patch adds and changes, by place: keyed list items as `pointer[key=value]`, keys
/// it creates and the paths of all its operations as JSON pointers.
#[derive(Default)]
struct Places {
    added: Vec<String>,
    changed: Vec<String>,
}

impl Places {
    /// Records an operation on `path`; a new key is something later patches may build on.
    fn operate(&mut self, op: &str, path: &str) {
        self.changed.push(path.to_string());
        if op == "add" && !path.ends_with("/-") {
            self.added.push(format!("{path}/"));
        }
    }
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

/// What selects an object for a patch: its kind, name and namespace.
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

/// One JSON 6902 operation.
fn operation(op: &str, path: &str, value: Option<Node>) -> Node {
    let mut entries = vec![entry("op", string(op)), entry("path", string(path))];
    entries.extend(value.map(|value| entry("value", value)));
    mapping(entries)
}

/// A mapping key as a JSON pointer token.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The key Kubernetes merges the list `field` by, when every item has it.
fn merge_key(field: &str, items: &[&Node]) -> Option<&'static str> {
    let key = match field {
        "containers" | "initContainers" | "volumes" | "env" | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "ports" if items.iter().all(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    };
    items.iter().all(|i| i.get(key).is_some()).then_some(key)
}

/// The value of item `key` of a list item, as a place names it.
fn key_text(item: &Node, key: &str) -> String {
    match item.get(key).map(|v| &v.value) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Int(number)) => number.to_string(),
        _ => String::new(),
    }
}

/// Appends to `out` the operations that turn `old` (the value of `field`, at the JSON pointer
/// `pointer`) into `new`.
fn diff(
    old: &Node,
    new: &Node,
    field: &str,
    pointer: &str,
    places: &mut Places,
    out: &mut Vec<Node>,
) {
    if old.same_values(new) {
        return;
    }
    match (&old.value, &new.value) {
        (Value::Mapping(old_entries), Value::Mapping(new_entries)) => {
            for new_entry in new_entries {
                let child = format!("{pointer}/{}", token(&new_entry.key));
                match old_entries.iter().find(|e| e.key == new_entry.key) {
                    None => {
                        places.operate("add", &child);
                        out.push(operation("add", &child, Some(new_entry.value.clone())));
                    }
                    Some(previous) => diff(
                        &previous.value,
                        &new_entry.value,
                        &new_entry.key,
                        &child,
                        places,
                        out,
                    ),
                }
            }
            for gone in old_entries {
                if !new_entries.iter().any(|e| e.key == gone.key) {
                    let child = format!("{pointer}/{}", token(&gone.key));
                    places.operate("remove", &child);
                    out.push(operation("remove", &child, None));
                }
            }
        }
        (Value::Sequence(old_items), Value::Sequence(new_items)) => {
            let all: Vec<&Node> = old_items.iter().chain(new_items).collect();
            match merge_key(field, &all) {
                Some(key) if appends(old_items, new_items, key) => {
                    list_diff(old_items, new_items, key, pointer, places, out)
                }
                _ => {
                    places.operate("replace", pointer);
                    out.push(operation("replace", pointer, Some(new.clone())));
                }
            }
        }
        _ => {
            places.operate("replace", pointer);
            out.push(operation("replace", pointer, Some(new.clone())));
        }
    }
}

/// Whether `new` keeps the items of `old` in their order, with its new items after them: what
/// a merge that appends produces.
fn appends(old: &[Node], new: &[Node], key: &str) -> bool {
    let in_old = |item: &Node| old.iter().any(|o| key_text(o, key) == key_text(item, key));
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

/// The operations on a keyed list: its items changed where they are, those gone removed (from
/// the last, so the indexes hold), the new ones appended.
fn list_diff(
    old: &[Node],
    new: &[Node],
    key: &str,
    pointer: &str,
    places: &mut Places,
    out: &mut Vec<Node>,
) {
    let find = |items: &[Node], item: &Node| {
        items
            .iter()
            .position(|other| key_text(other, key) == key_text(item, key))
    };
    let place = |item: &Node| format!("{pointer}[{key}={}]", key_text(item, key));
    for (index, previous) in old.iter().enumerate() {
        if let Some(at) = find(new, previous) {
            let before = out.len();
            diff(
                previous,
                &new[at],
                "",
                &format!("{pointer}/{index}"),
                places,
                out,
            );
            if out.len() > before {
                places.changed.push(place(previous));
            }
        }
    }
    for (index, previous) in old.iter().enumerate().rev() {
        if find(new, previous).is_none() {
            places.changed.push(place(previous));
            out.push(operation("remove", &format!("{pointer}/{index}"), None));
        }
    }
    for item in new {
        if find(old, item).is_none() {
            places.added.push(place(item));
            places.changed.push(format!("{pointer}/-"));
            out.push(operation(
                "add",
                &format!("{pointer}/-"),
                Some(item.clone()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        crate::yaml::parse_one(text).unwrap().root
    }

    fn patch(old: &str, new: &str) -> String {
        let mut places = Places::default();
        let mut out = Vec::new();
        diff(&tree(old), &tree(new), "", "", &mut places, &mut out);
        crate::yaml::to_text(&Node::built(Value::Sequence(out)))
    }

    #[test]
    fn keyed_lists_are_appended_to_and_patched_in_place() {
        let old = "containers:\n- name: app\n  image: a\n";
        let new = "containers:\n- name: app\n  image: a\n  volumeMounts:\n  - name: v\n    mountPath: /v\n- name: sidecar\n  image: s\n";
        assert_eq!(
            patch(old, new),
            "- op: add\n  path: /containers/0/volumeMounts\n  value:\n  - name: v\n    mountPath: /v\n- op: add\n  path: /containers/-\n  value:\n    name: sidecar\n    image: s\n"
        );
    }

    #[test]
    fn other_lists_and_scalars_are_replaced_and_dropped_keys_removed() {
        let old = "command: [a]\nx: 1\ngone: true\na/b: 1\n";
        let new = "command: [sh, a]\nx: 2\na/b: 2\n";
        assert_eq!(
            patch(old, new),
            "- op: replace\n  path: /command\n  value:\n  - sh\n  - a\n- op: replace\n  path: /x\n  value: 2\n- op: replace\n  path: /a~1b\n  value: 2\n- op: remove\n  path: /gone\n"
        );
        assert_eq!(patch(old, old), "[]\n");
    }

    #[test]
    fn a_reordered_keyed_list_is_replaced_whole() {
        let old = "initContainers: [{name: a}, {name: b}]\n";
        let new = "initContainers: [{name: c}, {name: a}, {name: b}]\n";
        assert_eq!(
            patch(old, new),
            "- op: replace\n  path: /initContainers\n  value:\n  - name: c\n  - name: a\n  - name: b\n"
        );
    }
}
