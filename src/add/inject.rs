//! What the patterns add to an existing workload, computed by the same plan and templates as
//! `podsmith new`, checked against what the pod already has, then put in or taken out.
//!
//! The workload is rendered as `new` would render it from the app container's image, ports,
//! env and command; everything in that render except the app container itself is what the
//! patterns need. It is added to the existing pod after what is there, and the workload's
//! [`ANNOTATION`] records it, so a later run recognises, updates or removes it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::add::target::{self, Workload};
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::render::Engine;
use crate::spec::{EnvVar, Field, JobRestartPolicy, Port, Spec, WorkloadKind};
use serde_yaml::{Mapping, Value};

/// The workload annotation that records the patterns podsmith added and what they put in.
pub const ANNOTATION: &str = "podsmith.dev/patterns";

/// What the annotation holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The app container the patterns were wired to.
    pub container: String,
    /// The Kubernetes version they were rendered for.
    pub kube_version: KubeVersion,
    /// The patterns with their options, in start order.
    pub patterns: Vec<Pattern>,
    /// What they put into the pod, by name, so it can be taken out again exactly.
    pub added: Added,
}

/// The names of everything podsmith put into a pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Added {
    /// Init containers and native sidecars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<String>,
    /// Regular containers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<String>,
    /// Pod volumes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<String>,
    /// Mount paths in the app container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<String>,
    /// Environment variables of the app container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// ConfigMaps, written as documents after the workload.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub config_maps: Vec<String>,
    /// The lists podsmith created (`volumes`, `app.env`...), removed again once empty; a list
    /// that was there before, even empty, stays.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub created: Vec<String>,
    /// The app's own command, when podsmith wrapped it (Job sidecars before 1.29).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
}

impl Record {
    /// Reads the record of `object`, if podsmith added patterns to it before.
    pub fn read(object: &Value, workload: &Workload) -> Result<Option<Record>> {
        let Some(text) = object["metadata"]["annotations"][ANNOTATION].as_str() else {
            return Ok(None);
        };
        serde_json::from_str(text).map(Some).map_err(|error| {
            Error::invalid(
                format!("{}: metadata.annotations.{ANNOTATION}", workload.object()),
                text,
                format!("not written by this podsmith ({error}); remove the annotation"),
            )
        })
    }

    /// Writes it into `object`'s annotations, or removes it when `record` is `None`.
    pub fn write(record: Option<&Record>, object: &mut Value) -> Result<()> {
        let Some(metadata) = object.get_mut("metadata").and_then(Value::as_mapping_mut) else {
            return Err(Error::Internal("a workload without metadata".into()));
        };
        match record {
            Some(record) => {
                let text = serde_json::to_string(record).map_err(|error| {
                    Error::Internal(format!("cannot write the record: {error}"))
                })?;
                let annotations = metadata
                    .entry(key("annotations"))
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                if !annotations.is_mapping() {
                    *annotations = Value::Mapping(Mapping::new());
                }
                if let Some(annotations) = annotations.as_mapping_mut() {
                    annotations.insert(key(ANNOTATION), Value::String(text));
                }
            }
            None => {
                if let Some(annotations) = metadata
                    .get_mut("annotations")
                    .and_then(Value::as_mapping_mut)
                {
                    annotations.shift_remove(ANNOTATION);
                    if annotations.is_empty() {
                        metadata.shift_remove("annotations");
                    }
                }
            }
        }
        Ok(())
    }
}

fn key(text: &str) -> Value {
    Value::String(text.to_string())
}

/// What the patterns put into one pod, rendered and ready to insert.
#[derive(Debug, Default)]
pub struct Additions {
    /// Init containers and native sidecars, in start order.
    pub init_containers: Vec<Value>,
    /// Regular sidecars and co-located containers.
    pub containers: Vec<Value>,
    /// Pod volumes.
    pub volumes: Vec<Value>,
    /// Mounts for the app container.
    pub mounts: Vec<Value>,
    /// Environment variables for the app container.
    pub env: Vec<Value>,
    /// A new command for the app container.
    pub command: Option<Value>,
    /// ConfigMaps to write after the workload.
    pub config_maps: Vec<Value>,
    /// The flag of the pattern that adds each container, for conflict messages.
    owners: BTreeMap<String, String>,
    /// What the user must know about the result.
    pub warnings: Vec<String>,
}

/// The spec `new` would need to render this workload's app with `patterns`.
fn spec_of(
    object: &Value,
    workload: &Workload,
    app: &Value,
    patterns: &[Pattern],
    version: KubeVersion,
) -> Result<Spec> {
    let name = match crate::names::dns_label(&workload.name) {
        Ok(()) => workload.name.clone(),
        Err(_) => crate::names::derived_label(&workload.name),
    };
    let container = app["name"].as_str().unwrap_or_default();
    let image = app["image"].as_str().ok_or_else(|| {
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
    for port in app["ports"].as_sequence().into_iter().flatten() {
        let Some(number) = port["containerPort"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
        else {
            continue;
        };
        app_spec.ports.push(Port {
            name: port["name"]
                .as_str()
                .filter(|n| crate::names::port_name(n).is_empty())
                .map(str::to_string),
            container_port: number,
            protocol: port["protocol"]
                .as_str()
                .and_then(|p| p.parse().ok())
                .unwrap_or_default(),
        });
    }
    for var in app["env"].as_sequence().into_iter().flatten() {
        if let (Some(name), Some(value)) = (var["name"].as_str(), var["value"].as_str()) {
            if crate::names::env_name(name, version).is_ok()
                && !app_spec.env.iter().any(|e| e.name == name)
            {
                app_spec.env.push(EnvVar {
                    name: name.into(),
                    value: value.into(),
                });
            }
        }
    }
    app_spec.command = strings(&app["command"]);
    let pod = target::pod_spec(object, workload.kind);
    let pod_field = |field: &str| pod.and_then(|p| p.get(field)).cloned().unwrap_or_default();
    if workload.kind.runs_to_completion() {
        app_spec.restart_policy = pod_field("restartPolicy")
            .as_str()
            .and_then(|p| p.parse::<JobRestartPolicy>().ok());
    }
    if workload.kind == WorkloadKind::CronJob {
        // Checked by `new`; the workload keeps its own, whatever the render says.
        app_spec.schedule = Some("0 0 * * *".into());
    }
    app_spec.fs_group = pod_field("securityContext")["fsGroup"]
        .as_u64()
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

fn strings(value: &Value) -> Vec<String> {
    value
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Renders `patterns` for the workload as `new` would, and keeps what they add to the pod.
pub fn compute(
    object: &Value,
    workload: &Workload,
    app_index: usize,
    patterns: &[Pattern],
    version: KubeVersion,
    engine: &Engine,
) -> Result<Additions> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| no_pod(workload))?;
    let app = &pod["containers"][app_index];
    let spec = spec_of(object, workload, app, patterns, version)?;
    let rendered = engine.render(&crate::plan::build(&spec))?;
    let mut additions = Additions {
        warnings: crate::batch::warnings(&spec),
        ..Additions::default()
    };
    for pattern in patterns {
        additions
            .owners
            .insert(pattern.container_name(), pattern.flag());
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
        let value: Value = serde_yaml::from_str(&document.text)
            .map_err(|error| Error::Internal(format!("rendered YAML: {error}")))?;
        match document.kind.as_str() {
            "ConfigMap" => additions.config_maps.push(value),
            kind if kind == workload.kind.api_kind() => {
                let rendered_pod = target::pod_spec(&value, workload.kind)
                    .ok_or_else(|| Error::Internal("rendered workload without a pod".into()))?;
                take_pod_parts(rendered_pod, &spec, &mut additions);
            }
            _ => {}
        }
    }
    Ok(additions)
}

fn take_pod_parts(pod: &Mapping, spec: &Spec, additions: &mut Additions) {
    let list = |key: &str| {
        pod.get(key)
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
    };
    additions.init_containers = list("initContainers");
    additions.volumes = list("volumes");
    for container in list("containers") {
        if container["name"].as_str() != Some(spec.app.name.as_str()) {
            additions.containers.push(container);
            continue;
        }
        additions.mounts = container["volumeMounts"]
            .as_sequence()
            .cloned()
            .unwrap_or_default();
        additions.env = container["env"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter(|var| {
                !spec
                    .app
                    .env
                    .iter()
                    .any(|own| var["name"].as_str() == Some(own.name.as_str()))
            })
            .cloned()
            .collect();
        if strings(&container["command"]) != spec.app.command {
            additions.command = Some(container["command"].clone());
        }
    }
}

fn no_pod(workload: &Workload) -> Error {
    Error::Usage(format!("{} has no pod template", workload.object()))
}

/// The names of the ConfigMaps of one namespace already in the stream.
pub type ConfigMapNames = Vec<(Option<String>, String)>;

/// Fails with a one-line conflict when an addition claims a name, port or path the pod (or
/// the stream) already uses.
pub fn check_conflicts(
    object: &Value,
    workload: &Workload,
    app_index: usize,
    additions: &Additions,
    config_maps: &ConfigMapNames,
) -> Result<()> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| no_pod(workload))?;
    let here = workload.object();
    let existing_containers: Vec<&Value> = ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|list| {
            pod.get(*list)
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
        })
        .collect();
    let added_containers: Vec<&Value> = additions
        .init_containers
        .iter()
        .chain(&additions.containers)
        .collect();
    let owner_of_container = |container: &Value| {
        let name = container["name"].as_str().unwrap_or_default();
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
                c["volumeMounts"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .any(|m| m["name"].as_str() == Some(volume))
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
        let name = added["name"].as_str().unwrap_or_default();
        if existing_containers
            .iter()
            .any(|c| c["name"].as_str() == Some(name))
        {
            return Err(conflict(
                "container name",
                name,
                format!("{here} (its container)"),
                owner_of_container(added),
            ));
        }
        for port in added["ports"].as_sequence().into_iter().flatten() {
            let Some(number) = port["containerPort"].as_u64() else {
                continue;
            };
            let holder = existing_containers.iter().find(|c| {
                c["ports"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .any(|p| p["containerPort"].as_u64() == Some(number))
            });
            if let Some(holder) = holder {
                return Err(conflict(
                    "port",
                    &number.to_string(),
                    format!(
                        "{here} container `{}`",
                        holder["name"].as_str().unwrap_or_default()
                    ),
                    owner_of_container(added),
                ));
            }
        }
    }

    let mut volumes: Vec<&str> = pod
        .get("volumes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str())
        .collect();
    // A StatefulSet's claim templates name pod volumes too.
    volumes.extend(
        object["spec"]["volumeClaimTemplates"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|c| c["metadata"]["name"].as_str()),
    );
    for volume in &additions.volumes {
        let name = volume["name"].as_str().unwrap_or_default();
        if volumes.contains(&name) {
            return Err(conflict(
                "volume name",
                name,
                format!("{here} (its volume)"),
                owner_of_volume(name),
            ));
        }
    }

    let app = &pod["containers"][app_index];
    let app_name = app["name"].as_str().unwrap_or_default();
    for mount in &additions.mounts {
        let path = mount["mountPath"].as_str().unwrap_or_default();
        let taken = app["volumeMounts"]
            .as_sequence()
            .into_iter()
            .flatten()
            .find(|m| m["mountPath"].as_str() == Some(path));
        if let Some(taken) = taken {
            return Err(conflict(
                "mount path",
                path,
                format!(
                    "{here} container `{app_name}` (volume `{}`)",
                    taken["name"].as_str().unwrap_or_default()
                ),
                owner_of_volume(mount["name"].as_str().unwrap_or_default()),
            ));
        }
    }
    for var in &additions.env {
        let name = var["name"].as_str().unwrap_or_default();
        if app["env"]
            .as_sequence()
            .into_iter()
            .flatten()
            .any(|v| v["name"].as_str() == Some(name))
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
        let name = config_map["metadata"]["name"].as_str().unwrap_or_default();
        if config_maps
            .iter()
            .any(|(namespace, other)| *namespace == workload.namespace && other == name)
        {
            let owner = additions
                .volumes
                .iter()
                .find(|v| v["configMap"]["name"].as_str() == Some(name))
                .and_then(|v| v["name"].as_str())
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

/// Extends the list under `key_name` of `mapping` with `items`, creating it (before the key
/// `before`, if present) when missing. Returns whether it created the list.
fn extend(mapping: &mut Mapping, key_name: &str, before: Option<&str>, items: &[Value]) -> bool {
    if items.is_empty() {
        return false;
    }
    let create = !mapping.get(key_name).is_some_and(Value::is_sequence);
    if create {
        let position = before.and_then(|b| mapping.keys().position(|k| k.as_str() == Some(b)));
        let entries: Vec<(Value, Value)> = std::mem::take(mapping).into_iter().collect();
        for (index, (k, v)) in entries.into_iter().enumerate() {
            if Some(index) == position {
                mapping.insert(key(key_name), Value::Sequence(Vec::new()));
            }
            if k.as_str() != Some(key_name) {
                mapping.insert(k, v);
            }
        }
        if position.is_none() {
            mapping.insert(key(key_name), Value::Sequence(Vec::new()));
        }
    }
    if let Some(list) = mapping.get_mut(key_name).and_then(Value::as_sequence_mut) {
        list.extend(items.iter().cloned());
    }
    create
}

/// Removes the items of the list `key_name` whose `field` is in `names`, and the list when it
/// ends up empty and podsmith `created` it.
fn remove_from(
    mapping: &mut Mapping,
    key_name: &str,
    field: &str,
    names: &[String],
    created: bool,
) {
    if names.is_empty() {
        return;
    }
    if let Some(list) = mapping.get_mut(key_name).and_then(Value::as_sequence_mut) {
        list.retain(|item| {
            !item[field]
                .as_str()
                .is_some_and(|n| names.iter().any(|x| x == n))
        });
        if list.is_empty() && created {
            mapping.shift_remove(key_name);
        }
    }
}

/// Puts `additions` into the workload's pod and returns the names of what was added.
pub fn apply(
    object: &mut Value,
    workload: &Workload,
    app_index: usize,
    additions: &Additions,
) -> Result<Added> {
    let pod = target::pod_spec_mut(object, workload.kind).ok_or_else(|| no_pod(workload))?;
    let names = |values: &[Value], field: &str| -> Vec<String> {
        values
            .iter()
            .filter_map(|v| v[field].as_str().map(str::to_string))
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
            .filter_map(|c| c["metadata"]["name"].as_str().map(str::to_string))
            .collect(),
        created: Vec::new(),
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
    let Some(containers) = pod.get_mut("containers").and_then(Value::as_sequence_mut) else {
        return Err(no_pod(workload));
    };
    let Some(app) = containers
        .get_mut(app_index)
        .and_then(Value::as_mapping_mut)
    else {
        return Err(Error::Internal("the app container vanished".into()));
    };
    created("app.env", extend(app, "env", None, &additions.env));
    created(
        "app.volumeMounts",
        extend(app, "volumeMounts", None, &additions.mounts),
    );
    if let Some(command) = &additions.command {
        added.command = Some(strings(app.get("command").unwrap_or(&Value::Null)));
        app.insert(key("command"), command.clone());
    }
    containers.extend(additions.containers.iter().cloned());
    Ok(added)
}

/// Takes out of the workload's pod what `record` says podsmith added.
pub fn undo(object: &mut Value, workload: &Workload, record: &Record) -> Result<()> {
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
    if let Some(containers) = pod.get_mut("containers").and_then(Value::as_sequence_mut) {
        containers.retain(|c| {
            !c["name"]
                .as_str()
                .is_some_and(|n| added.containers.iter().any(|x| x == n))
        });
        let app = containers
            .iter_mut()
            .find(|c| c["name"].as_str() == Some(record.container.as_str()))
            .and_then(Value::as_mapping_mut);
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
                    app.shift_remove("command");
                }
                Some(command) => {
                    let words = command.iter().map(|w| Value::String(w.clone())).collect();
                    app.insert(key("command"), Value::Sequence(words));
                }
                None => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_created_before_the_key_it_precedes() {
        let mut mapping: Mapping = serde_yaml::from_str("a: 1\ncontainers: []\nz: 2\n").unwrap();
        extend(
            &mut mapping,
            "initContainers",
            Some("containers"),
            &[Value::Null],
        );
        let keys: Vec<_> = mapping.keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["a", "initContainers", "containers", "z"]);
    }

    #[test]
    fn emptied_lists_are_removed_when_podsmith_created_them() {
        let mut mapping: Mapping =
            serde_yaml::from_str("volumes: [{name: a}, {name: b}]\n").unwrap();
        remove_from(&mut mapping, "volumes", "name", &["a".into()], true);
        assert_eq!(mapping["volumes"].as_sequence().unwrap().len(), 1);
        remove_from(&mut mapping, "volumes", "name", &["b".into()], false);
        assert_eq!(mapping["volumes"], Value::Sequence(Vec::new()));
        remove_from(&mut mapping, "volumes", "name", &[], true);
        mapping.insert(key("volumes"), serde_yaml::from_str("[{name: c}]").unwrap());
        remove_from(&mut mapping, "volumes", "name", &["c".into()], true);
        assert!(mapping.is_empty());
    }
}
