//! What the patterns add to an existing workload, computed by the same plan and templates as
//! `podsmith new`, checked against what the pod already has, then put in or taken out.
//!
//! The workload is rendered as `new` would render it from the app container's image, ports,
//! env and command; everything in that render except the app container itself is what the
//! patterns need. It is added to the existing pod after what is there, and the workload's
//! [`ANNOTATION`](crate::add::record::ANNOTATION) records it, so a later run recognises, updates or removes it.

use std::collections::BTreeMap;

use crate::add::record::{Added, Record};
use crate::add::target::{self, Workload};
use crate::add::tree;
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::render::Engine;
use crate::spec::{EnvVar, Field, JobRestartPolicy, Port, SecretKeyRef, Spec, WorkloadKind};
use crate::yaml::Node;

/// What the patterns put into one pod, rendered and ready to insert.
#[derive(Debug, Default)]
pub(super) struct Additions {
    /// Init containers and native sidecars, in start order.
    pub init_containers: Vec<Node>,
    /// Regular sidecars and co-located containers.
    pub containers: Vec<Node>,
    /// Pod volumes.
    pub volumes: Vec<Node>,
    /// Mounts for the app container.
    pub mounts: Vec<Node>,
    /// Environment variables for the app container.
    pub env: Vec<Node>,
    /// A new command for the app container.
    pub command: Option<Node>,
    /// ConfigMaps to write after the workload.
    pub config_maps: Vec<Node>,
    /// Pod-level settings the patterns need, by path in the pod spec (the log volume's
    /// `securityContext.fsGroup`), as `new` sets them.
    pub pod_settings: Vec<(Vec<String>, Node)>,
    /// The flag of the pattern that adds each container, for conflict messages.
    owners: BTreeMap<String, String>,
    /// The ports the patterns listen on in the pod's network namespace, declared or not (an
    /// ambassador's local port), with the flag that adds each.
    listens: Vec<(u32, String)>,
    /// What the user must know about the result.
    pub warnings: Vec<String>,
}

/// The spec `new` would need to render this workload's app with `patterns`.
fn spec_of(
    object: &Node,
    workload: &Workload,
    app: &Node,
    patterns: &[Pattern],
    version: KubeVersion,
) -> Result<Spec> {
    let name = match crate::names::dns_label(&workload.name) {
        Ok(()) => workload.name.clone(),
        Err(_) => crate::names::derived_label(&workload.name),
    };
    let container = tree::text(app, &["name"]).unwrap_or_default();
    let image = tree::text(app, &["image"]).ok_or_else(|| {
        Error::Usage(format!(
            "{}: container `{container}` has no image",
            workload.object()
        ))
    })?;
    let mut spec = Spec::new(name, image);
    let app_spec = &mut spec.app;
    app_spec.kind = workload.kind;
    app_spec.namespace.clone_from(&workload.namespace);
    app_spec.kube_version = version;
    for port in tree::items(app, &["ports"]) {
        let Some(number) = port_number(port) else {
            continue;
        };
        app_spec.ports.push(Port {
            name: tree::text(port, &["name"])
                .filter(|n| crate::names::port_name(n).is_empty())
                .map(str::to_string),
            container_port: number,
            protocol: tree::text(port, &["protocol"])
                .and_then(|p| p.parse().ok())
                .unwrap_or_default(),
        });
    }
    for var in tree::items(app, &["env"]) {
        let Some(name) = tree::text(var, &["name"]) else {
            continue;
        };
        let secret = |field: &str| tree::text(var, &["valueFrom", "secretKeyRef", field]);
        let read = match (tree::text(var, &["value"]), secret("name"), secret("key")) {
            (Some(value), _, _) => Some(EnvVar::value(name, value)),
            (None, Some(secret), Some(key)) => Some(EnvVar {
                name: name.into(),
                value: None,
                secret_key_ref: Some(SecretKeyRef {
                    name: secret.into(),
                    key: key.into(),
                }),
            }),
            _ => None,
        };
        if let Some(read) = read {
            if crate::names::env_name(name, version).is_ok()
                && !app_spec.env.iter().any(|e| e.name == name)
            {
                app_spec.env.push(read);
            }
        }
    }
    app_spec.command = tree::strings(app.get("command"));
    let pod = target::pod_spec(object, workload.kind);
    let pod_field = |path: &[&str]| pod.and_then(|p| tree::at(p, path));
    if workload.kind.runs_to_completion() {
        app_spec.restart_policy = pod_field(&["restartPolicy"])
            .and_then(Node::as_str)
            .and_then(|p| p.parse::<JobRestartPolicy>().ok());
    }
    if workload.kind == WorkloadKind::CronJob {
        // Checked by `new`; the workload keeps its own, whatever the render says.
        app_spec.schedule = Some("0 0 * * *".into());
    }
    app_spec.fs_group = pod_field(&["securityContext", "fsGroup"])
        .and_then(tree::int)
        .and_then(|g| u32::try_from(g).ok());
    spec.patterns = patterns.to_vec();
    crate::spec::check(&spec, Field::Flags).map_err(|error| match error {
        // `new`'s checks call the app "the app"; here it is a container of the input.
        Error::Conflict {
            what,
            value,
            first,
            second,
        } if first.starts_with("the app") => Error::Conflict {
            what,
            value,
            first: format!("{} container `{container}`", workload.object()),
            second,
        },
        error => error,
    })?;
    Ok(spec)
}

/// The `containerPort` of a port entry.
fn port_number(port: &Node) -> Option<u32> {
    port.get("containerPort")
        .and_then(tree::int)
        .and_then(|n| u32::try_from(n).ok())
}

/// Renders `patterns` for the workload as `new` would, and keeps what they add to the pod.
pub(super) fn compute(
    object: &Node,
    workload: &Workload,
    app_index: usize,
    patterns: &[Pattern],
    version: KubeVersion,
    engine: &Engine,
) -> Result<Additions> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| no_pod(workload))?;
    let app = tree::items(pod, &["containers"])
        .get(app_index)
        .ok_or_else(|| no_pod(workload))?;
    let spec = spec_of(object, workload, app, patterns, version)?;
    let rendered = engine.render(&crate::plan::build(&spec))?;
    // What the patterns set at pod level, found without the pod's own fsGroup so that one
    // differing from theirs is seen (and kept, with a note).
    let mut settled = spec.clone();
    settled.app.fs_group = None;
    let with_patterns = engine.render(&crate::plan::build(&settled))?;
    settled.patterns.clear();
    let bare = engine.render(&crate::plan::build(&settled))?;
    let mut additions = Additions {
        warnings: crate::batch::warnings(&spec),
        ..Additions::default()
    };
    for pattern in patterns {
        additions
            .owners
            .insert(pattern.container_name(), pattern.flag());
        for port in pattern.ports(&spec) {
            additions.listens.push((port, pattern.flag()));
        }
        if matches!(pattern, Pattern::Proxy(_)) {
            additions.warnings.push(format!(
                "{}: add leaves Services as they are: point the Service's targetPort at the \
                 proxy's port `{}` so traffic goes through it",
                workload.object(),
                crate::patterns::proxy::PORT_NAME
            ));
        }
    }
    for document in &rendered.documents {
        let value = tree::parse(&document.text)
            .map(tree::detach)
            .map_err(|error| Error::Internal(format!("rendered YAML: {error}")))?;
        match document.kind.as_str() {
            "ConfigMap" => additions.config_maps.push(value),
            kind if kind == workload.kind.api_kind() => {
                let rendered_pod = target::pod_spec(&value, workload.kind)
                    .ok_or_else(|| Error::Internal("rendered workload without a pod".into()))?;
                take_pod_parts(rendered_pod, &spec, &mut additions);
                let workload_of = |rendered: &crate::render::Rendered| {
                    rendered
                        .documents
                        .iter()
                        .find(|d| d.kind == document.kind)
                        .and_then(|d| tree::parse(&d.text).ok())
                        .map(tree::detach)
                        .ok_or_else(|| Error::Internal("no render of the workload".into()))
                };
                let (with_patterns, bare) = (workload_of(&with_patterns)?, workload_of(&bare)?);
                let pods = (
                    target::pod_spec(&with_patterns, workload.kind),
                    target::pod_spec(&bare, workload.kind),
                );
                let (Some(with_patterns), Some(bare)) = pods else {
                    return Err(Error::Internal("rendered workload without a pod".into()));
                };
                settings(
                    with_patterns,
                    bare,
                    &mut Vec::new(),
                    &mut additions.pod_settings,
                );
            }
            _ => {}
        }
    }
    Ok(additions)
}

/// The pod-level values `pod` (rendered with the patterns) has and `bare` (without them) has
/// not, by path: what the patterns set besides their containers and volumes.
fn settings(pod: &Node, bare: &Node, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Node)>) {
    for entry in pod.as_mapping().unwrap_or_default() {
        if path.is_empty()
            && ["containers", "initContainers", "volumes"].contains(&entry.key.as_str())
        {
            continue;
        }
        let before = bare.get(&entry.key);
        path.push(entry.key.clone());
        match before {
            Some(before) if before.same_values(&entry.value) => {}
            Some(before) if before.as_mapping().is_some() && entry.value.as_mapping().is_some() => {
                settings(&entry.value, before, path, out);
            }
            _ => out.push((path.clone(), entry.value.clone())),
        }
        path.pop();
    }
}

fn take_pod_parts(pod: &Node, spec: &Spec, additions: &mut Additions) {
    let list = |key: &str| tree::items(pod, &[key]).to_vec();
    additions.init_containers = list("initContainers");
    additions.volumes = list("volumes");
    for container in list("containers") {
        if tree::text(&container, &["name"]) != Some(spec.app.name.as_str()) {
            additions.containers.push(container);
            continue;
        }
        additions.mounts = tree::items(&container, &["volumeMounts"]).to_vec();
        additions.env = tree::items(&container, &["env"])
            .iter()
            .filter(|var| {
                !spec
                    .app
                    .env
                    .iter()
                    .any(|own| tree::text(var, &["name"]) == Some(own.name.as_str()))
            })
            .cloned()
            .collect();
        if tree::strings(container.get("command")) != spec.app.command {
            additions.command = container.get("command").cloned();
        }
    }
}

fn no_pod(workload: &Workload) -> Error {
    Error::Usage(format!("{} has no pod template", workload.object()))
}

/// The names of the ConfigMaps of one namespace already in the stream.
pub(super) type ConfigMapNames = Vec<(Option<String>, String)>;

/// The port a container listens on in the pod's network namespace: number and protocol.
fn listens(port: &Node) -> Option<(u32, &str)> {
    Some((
        port_number(port)?,
        tree::text(port, &["protocol"]).unwrap_or("TCP"),
    ))
}

/// The `name` of a node, or "".
fn name_of(node: &Node) -> &str {
    tree::text(node, &["name"]).unwrap_or_default()
}

/// Fails with a one-line conflict when an addition claims a name, port or path the pod (or
/// the stream) already uses.
pub(super) fn check_conflicts(
    object: &Node,
    workload: &Workload,
    app_index: usize,
    additions: &Additions,
    config_maps: &ConfigMapNames,
) -> Result<()> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| no_pod(workload))?;
    let here = workload.object();
    let existing_containers: Vec<&Node> = ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|list| tree::items(pod, &[list]))
        .collect();
    let added_containers: Vec<&Node> = additions
        .init_containers
        .iter()
        .chain(&additions.containers)
        .collect();
    let owner_of_container = |container: &Node| {
        let name = name_of(container);
        additions
            .owners
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("podsmith's container `{name}`"))
    };
    // A volume, mount or ConfigMap belongs to the first added container that mounts it.
    let owner_of_volume = |volume: &str| {
        added_containers
            .iter()
            .find(|c| {
                tree::items(c, &["volumeMounts"])
                    .iter()
                    .any(|m| name_of(m) == volume)
            })
            .map(|c| owner_of_container(c))
            .unwrap_or_else(|| format!("podsmith's volume `{volume}`"))
    };
    let conflict = |what: &str, value: &str, first: String, second: String| Error::Conflict {
        what: what.into(),
        value: value.into(),
        first,
        second,
    };

    for added in &added_containers {
        let name = name_of(added);
        if existing_containers.iter().any(|c| name_of(c) == name) {
            return Err(conflict(
                "container name",
                name,
                format!("{here} (its container)"),
                owner_of_container(added),
            ));
        }
        for port in tree::items(added, &["ports"]) {
            let Some(wanted) = listens(port) else {
                continue;
            };
            let holder = existing_containers.iter().find(|c| {
                tree::items(c, &["ports"])
                    .iter()
                    .any(|p| listens(p) == Some(wanted))
            });
            if let Some(holder) = holder {
                let port = match wanted.1 {
                    "TCP" => wanted.0.to_string(),
                    protocol => format!("{}/{protocol}", wanted.0),
                };
                return Err(conflict(
                    "port",
                    &port,
                    format!("{here} container `{}`", name_of(holder)),
                    owner_of_container(added),
                ));
            }
        }
    }

    for (port, flag) in &additions.listens {
        let holder = existing_containers.iter().find(|c| {
            tree::items(c, &["ports"])
                .iter()
                .any(|p| listens(p) == Some((*port, "TCP")))
        });
        if let Some(holder) = holder {
            return Err(conflict(
                "port",
                &port.to_string(),
                format!("{here} container `{}`", name_of(holder)),
                flag.clone(),
            ));
        }
    }

    let mut volumes: Vec<&str> = tree::items(pod, &["volumes"]).iter().map(name_of).collect();
    // A StatefulSet's claim templates name pod volumes too.
    volumes.extend(
        tree::items(object, &["spec", "volumeClaimTemplates"])
            .iter()
            .filter_map(|c| tree::text(c, &["metadata", "name"])),
    );
    for volume in &additions.volumes {
        let name = name_of(volume);
        if volumes.contains(&name) {
            return Err(conflict(
                "volume name",
                name,
                format!("{here} (its volume)"),
                owner_of_volume(name),
            ));
        }
    }

    let app = tree::items(pod, &["containers"])
        .get(app_index)
        .ok_or_else(|| no_pod(workload))?;
    let app_name = name_of(app);
    for mount in &additions.mounts {
        let path = tree::text(mount, &["mountPath"]).unwrap_or_default();
        let taken = tree::items(app, &["volumeMounts"])
            .iter()
            .find(|m| tree::text(m, &["mountPath"]) == Some(path));
        if let Some(taken) = taken {
            return Err(conflict(
                "mount path",
                path,
                format!(
                    "{here} container `{app_name}` (volume `{}`)",
                    name_of(taken)
                ),
                owner_of_volume(name_of(mount)),
            ));
        }
    }
    for var in &additions.env {
        let name = name_of(var);
        if tree::items(app, &["env"])
            .iter()
            .any(|v| name_of(v) == name)
        {
            return Err(conflict(
                "environment variable",
                name,
                format!("{here} container `{app_name}`"),
                "podsmith's Job sidecar wiring".into(),
            ));
        }
    }
    for config_map in &additions.config_maps {
        let name = tree::text(config_map, &["metadata", "name"]).unwrap_or_default();
        if config_maps
            .iter()
            .any(|(namespace, other)| *namespace == workload.namespace && other == name)
        {
            let owner = additions
                .volumes
                .iter()
                .find(|v| tree::text(v, &["configMap", "name"]) == Some(name))
                .map(name_of)
                .map_or_else(|| "podsmith".to_string(), owner_of_volume);
            return Err(conflict(
                "ConfigMap name",
                name,
                format!("ConfigMap/{name} of the input"),
                owner,
            ));
        }
    }
    Ok(())
}

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
    let pod = target::pod_spec_mut(object, workload.kind).ok_or_else(|| no_pod(workload))?;
    let mut notes = Vec::new();
    let mut set = Vec::new();
    let mut created_maps = Vec::new();
    for (path, value) in &additions.pod_settings {
        match setting(pod, path) {
            None => {
                let (key, parents) = path.split_last().unwrap_or((&path[0], &[]));
                let mut at = &mut *pod;
                for (depth, parent) in parents.iter().enumerate() {
                    if tree::get_mut(at, parent).is_none_or(|m| m.as_mapping().is_none()) {
                        tree::set(at, parent, tree::mapping());
                        created_maps.push(format!("pod.{}", parents[..=depth].join(".")));
                    }
                    at = tree::get_mut(at, parent).ok_or_else(|| no_pod(workload))?;
                }
                tree::set(at, key, value.clone());
                set.push(path.join("."));
            }
            Some(own) if own.same_values(value) => {}
            Some(own) => notes.push(kept_note(workload, path, own, value)),
        }
    }
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
        pod: set,
        created: created_maps,
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
        return Err(no_pod(workload));
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
    Ok((added, notes))
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
    let pod = target::pod_spec_mut(object, workload.kind).ok_or_else(|| no_pod(workload))?;
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
        containers.retain(|c| !added.containers.iter().any(|x| x == name_of(c)));
        let app = containers
            .iter_mut()
            .find(|c| name_of(c) == record.container);
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
