//! The files of a layout: the base, one folder per Component with its resources and patches,
//! and the `kustomization.yaml` files that list them.

use std::path::{Path, PathBuf};

use super::patch::deletes;
use super::{file_name, Component, COMPONENT_API, KUSTOMIZATION_API};
use crate::render::Rendered;
use crate::yaml::{Node, Value};

/// The files: the base, the Components, and the `kustomization.yaml` that lists them.
pub(super) fn layout(
    base: &Rendered,
    components: &[Component],
    dir: &Path,
) -> Vec<(PathBuf, String)> {
    let mut files = base_files(base, &dir.join("base"));
    for component in components {
        let folder = dir.join("components").join(&component.name);
        files.extend(component_files(component, &folder));
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

/// The base's objects and the `kustomization.yaml` that lists them, under `base_dir`.
fn base_files(base: &Rendered, base_dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
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
    files
}

/// One Component's objects, patches and `kustomization.yaml`, under `folder`.
fn component_files(component: &Component, folder: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
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
    files
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
