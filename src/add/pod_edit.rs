//! Puts what the patterns add into a workload's pod, after what is there, and takes it out
//! again by the record `add` keeps: lists podsmith created go once empty, the pod's own items
//! and values stay.

use crate::add::inject::Additions;
use crate::add::record::{Added, Record};
use crate::add::target::{self, Workload};
use crate::add::tree;
use crate::error::{Error, Result};
use crate::yaml::Node;

/// Extends the list under `key` of `mapping` with `items`, creating it (before the key
/// `before`, if present) when missing. Returns whether it created the list.
fn extend(mapping: &mut Node, key: &str, before: Option<&str>, items: &[Node]) -> bool {
    if items.is_empty() {
        return false;
    }
    let create = mapping
        .get(key)
        .is_none_or(|list| list.as_sequence().is_none());
    if create {
        tree::remove(mapping, key);
        if let Some(entries) = tree::entries_mut(mapping) {
            let position = before
                .and_then(|b| entries.iter().position(|e| e.key == b))
                .unwrap_or(entries.len());
            entries.insert(position, tree::entry(key, tree::sequence(Vec::new())));
        }
    }
    if let Some(list) = tree::get_mut(mapping, key).and_then(tree::items_mut) {
        list.extend(items.iter().cloned());
    }
    create
}

/// Removes the items of the list `key` whose `field` is in `names`, and the list when it ends
/// up empty and podsmith `created` it.
fn remove_from(mapping: &mut Node, key: &str, field: &str, names: &[String], created: bool) {
    if names.is_empty() {
        return;
    }
    if let Some(list) = tree::get_mut(mapping, key).and_then(tree::items_mut) {
        list.retain(|item| {
            !tree::text(item, &[field]).is_some_and(|n| names.iter().any(|x| x == n))
        });
        if list.is_empty() && created {
            tree::remove(mapping, key);
        }
    }
}

/// Puts `additions` into the workload's pod and returns the names of what was added, with a
/// note for each pod-level setting the pod already has a value of its own for (kept).
pub(super) fn apply(
    object: &mut Node,
    workload: &Workload,
    app_index: usize,
    additions: &Additions,
) -> Result<(Added, Vec<String>)> {
    let pod =
        target::pod_spec_mut(object, workload.kind).ok_or_else(|| target::no_pod(workload))?;
    let settings = set_pod_settings(pod, workload, &additions.pod_settings)?;
    let names = |values: &[Node], field: &str| -> Vec<String> {
        values
            .iter()
            .filter_map(|v| tree::text(v, &[field]).map(str::to_string))
            .collect()
    };
    let mut added = Added {
        init_containers: names(&additions.init_containers, "name"),
        containers: names(&additions.containers, "name"),
        volumes: names(&additions.volumes, "name"),
        mounts: names(&additions.mounts, "mountPath"),
        env: names(&additions.env, "name"),
        config_maps: additions
            .config_maps
            .iter()
            .filter_map(|c| tree::text(c, &["metadata", "name"]).map(str::to_string))
            .collect(),
        pod: settings.set,
        created: settings.created_maps,
        command: None,
    };
    let mut created = |list: &str, was_created: bool| {
        if was_created {
            added.created.push(list.to_string());
        }
    };
    created(
        "initContainers",
        extend(
            pod,
            "initContainers",
            Some("containers"),
            &additions.init_containers,
        ),
    );
    created("volumes", extend(pod, "volumes", None, &additions.volumes));
    let Some(containers) = tree::get_mut(pod, "containers").and_then(tree::items_mut) else {
        return Err(target::no_pod(workload));
    };
    let Some(app) = containers
        .get_mut(app_index)
        .filter(|app| app.as_mapping().is_some())
    else {
        return Err(Error::Internal("the app container vanished".into()));
    };
    created("app.env", extend(app, "env", None, &additions.env));
    created(
        "app.volumeMounts",
        extend(app, "volumeMounts", None, &additions.mounts),
    );
    if let Some(command) = &additions.command {
        added.command = Some(tree::strings(app.get("command")));
        tree::set(app, "command", command.clone());
    }
    containers.extend(additions.containers.iter().cloned());
    Ok((added, settings.notes))
}

/// What [`set_pod_settings`] did.
struct PodSettings {
    /// The dotted paths it set.
    set: Vec<String>,
    /// The mappings it created for them (`pod.securityContext`), outermost first.
    created_maps: Vec<String>,
    /// A note for each setting the pod has a value of its own for (kept).
    notes: Vec<String>,
}

/// Sets the pod-level values the patterns need where the pod has none, creating the mappings
/// on the way.
fn set_pod_settings(
    pod: &mut Node,
    workload: &Workload,
    settings: &[(Vec<String>, Node)],
) -> Result<PodSettings> {
    let mut done = PodSettings {
        set: Vec::new(),
        created_maps: Vec::new(),
        notes: Vec::new(),
    };
    for (path, value) in settings {
        match setting(pod, path) {
            None => {
                let (key, parents) = path.split_last().unwrap_or((&path[0], &[]));
                let mut at = &mut *pod;
                for (depth, parent) in parents.iter().enumerate() {
                    if tree::get_mut(at, parent).is_none_or(|m| m.as_mapping().is_none()) {
                        tree::set(at, parent, tree::mapping());
                        done.created_maps
                            .push(format!("pod.{}", parents[..=depth].join(".")));
                    }
                    at = tree::get_mut(at, parent).ok_or_else(|| target::no_pod(workload))?;
                }
                tree::set(at, key, value.clone());
                done.set.push(path.join("."));
            }
            Some(own) if own.same_values(value) => {}
            Some(own) => done.notes.push(kept_note(workload, path, own, value)),
        }
    }
    Ok(done)
}

/// The value at `path` in the pod spec.
fn setting<'a>(pod: &'a Node, path: &[String]) -> Option<&'a Node> {
    path.iter().try_fold(pod, |node, key| node.get(key))
}

/// Why the pod's own value of a setting the patterns would set differently stays.
fn kept_note(workload: &Workload, path: &[String], own: &Node, wanted: &Node) -> String {
    let scalar = |node: &Node| crate::yaml::to_text(node).trim_end().to_string();
    let field = path.join(".");
    let why = match field.as_str() {
        "securityContext.fsGroup" => {
            ": every container gets it as a supplementary group, so the sidecars read the \
             group-readable files the app writes to the shared volumes"
        }
        _ => "",
    };
    format!(
        "{}: keeps the pod's {field}: {} (the patterns set {}){why}",
        workload.object(),
        scalar(own),
        scalar(wanted)
    )
}

/// Takes out of the workload's pod what `record` says podsmith added.
pub(super) fn undo(object: &mut Node, workload: &Workload, record: &Record) -> Result<()> {
    let pod =
        target::pod_spec_mut(object, workload.kind).ok_or_else(|| target::no_pod(workload))?;
    let added = &record.added;
    let created = |list: &str| added.created.iter().any(|c| c == list);
    remove_from(
        pod,
        "initContainers",
        "name",
        &added.init_containers,
        created("initContainers"),
    );
    remove_from(pod, "volumes", "name", &added.volumes, created("volumes"));
    for path in &added.pod {
        if let Some((parent, key)) = parent_of(pod, path) {
            tree::remove(parent, key);
        }
    }
    // The mappings podsmith created for them go again once empty (deepest first).
    for map in added
        .created
        .iter()
        .rev()
        .filter_map(|c| c.strip_prefix("pod."))
    {
        if let Some((parent, key)) = parent_of(pod, map) {
            if parent
                .get(key)
                .and_then(Node::as_mapping)
                .is_some_and(<[_]>::is_empty)
            {
                tree::remove(parent, key);
            }
        }
    }
    if let Some(containers) = tree::get_mut(pod, "containers").and_then(tree::items_mut) {
        containers.retain(|c| !added.containers.iter().any(|x| x == tree::name(c)));
        let app = containers
            .iter_mut()
            .find(|c| tree::name(c) == record.container);
        if let Some(app) = app {
            remove_from(
                app,
                "volumeMounts",
                "mountPath",
                &added.mounts,
                created("app.volumeMounts"),
            );
            remove_from(app, "env", "name", &added.env, created("app.env"));
            match &added.command {
                Some(command) if command.is_empty() => {
                    tree::remove(app, "command");
                }
                Some(command) => {
                    let words = command.iter().map(|w| tree::string(w)).collect();
                    tree::set(app, "command", tree::sequence(words));
                }
                None => {}
            }
        }
    }
    Ok(())
}

/// The mapping that holds the last key of the dotted `path` under `pod`, and that key.
fn parent_of<'a, 'p>(pod: &'a mut Node, path: &'p str) -> Option<(&'a mut Node, &'p str)> {
    let (parents, key) = path.rsplit_once('.').unwrap_or(("", path));
    let parent = parents
        .split('.')
        .filter(|parent| !parent.is_empty())
        .try_fold(pod, |node, parent| tree::get_mut(node, parent))?;
    Some((parent, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(node: &Node) -> Vec<&str> {
        node.as_mapping()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect()
    }

    #[test]
    fn a_list_is_created_before_the_key_it_precedes() {
        let mut mapping = tree::parse("a: 1\ncontainers: []\nz: 2\n").unwrap();
        let item = tree::string("x");
        assert!(extend(
            &mut mapping,
            "initContainers",
            Some("containers"),
            &[item]
        ));
        assert_eq!(keys(&mapping), ["a", "initContainers", "containers", "z"]);
    }

    #[test]
    fn emptied_lists_are_removed_when_podsmith_created_them() {
        let mut mapping = tree::parse("volumes: [{name: a}, {name: b}]\n").unwrap();
        remove_from(&mut mapping, "volumes", "name", &["a".into()], true);
        assert_eq!(tree::items(&mapping, &["volumes"]).len(), 1);
        remove_from(&mut mapping, "volumes", "name", &["b".into()], false);
        assert_eq!(tree::items(&mapping, &["volumes"]).len(), 0);
        assert_eq!(keys(&mapping), ["volumes"]);
        remove_from(&mut mapping, "volumes", "name", &[], true);
        tree::set(&mut mapping, "volumes", tree::parse("[{name: c}]").unwrap());
        remove_from(&mut mapping, "volumes", "name", &["c".into()], true);
        assert!(keys(&mapping).is_empty());
    }
}
