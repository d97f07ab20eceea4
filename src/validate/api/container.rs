//! One container as `validateContainers` and `validateInitContainers` check it: name, image,
//! ports, env, mounts, resources and its own restart policy. Probes are [`super::probes`]'.

use std::collections::{BTreeMap, HashMap, HashSet};

use k8s_openapi::api::core::v1::{Container, EnvVar, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::{enum_value, env_from, invalid, probes, quoted, unsupported};
use crate::kube_version::KubeVersion;
use crate::validate::locate::{index, key};
use crate::validate::object::PodOwner;
use crate::validate::rules;
use crate::validate::Sink;
use crate::{names, quantity};

pub(super) fn container(
    container: &Container,
    path: &str,
    init: bool,
    owner: PodOwner,
    volumes: &HashSet<&str>,
    sink: &mut Sink,
) {
    let name_path = key(path, "name");
    if container.name.is_empty() {
        sink.report(&rules::CONTAINER_NAME, &name_path, "Required value");
    }
    for message in names::dns1123_label(&container.name)
        .into_iter()
        .filter(|_| !container.name.is_empty())
    {
        sink.report(
            &rules::CONTAINER_NAME,
            &name_path,
            invalid(quoted(&container.name), &message),
        );
    }
    match container.image.as_deref() {
        None | Some("") => sink.report(
            &rules::IMAGE_REQUIRED,
            &key(path, "image"),
            "Required value",
        ),
        Some(image) if owner == PodOwner::Pod && image.trim() != image => sink.report(
            &rules::IMAGE_REQUIRED,
            &key(path, "image"),
            invalid(
                quoted(image),
                "must not have leading or trailing whitespace",
            ),
        ),
        Some(_) => {}
    }
    enum_value(
        sink,
        &key(path, "imagePullPolicy"),
        container.image_pull_policy.as_deref(),
        &["Always", "IfNotPresent", "Never"],
    );
    enum_value(
        sink,
        &key(path, "terminationMessagePolicy"),
        container.termination_message_policy.as_deref(),
        &["File", "FallbackToLogsOnError"],
    );
    ports(container, path, sink);
    env(container, path, sink);
    env_from::check(container, path, sink);
    mounts(container, path, volumes, sink);
    if let Some(resources) = &container.resources {
        self::resources(resources, &key(path, "resources"), sink);
    }
    restart_policy(container, path, init, sink);
    probes::probes(container, path, init, sink);
}

fn ports(container: &Container, path: &str, sink: &mut Sink) {
    let mut names_seen = HashSet::new();
    for (at, port) in container.ports.iter().flatten().enumerate() {
        let p = index(&key(path, "ports"), at);
        port_number(sink, &key(&p, "containerPort"), port.container_port);
        if let Some(host_port) = port.host_port.filter(|h| *h != 0) {
            port_number(sink, &key(&p, "hostPort"), host_port);
        }
        enum_value(
            sink,
            &key(&p, "protocol"),
            port.protocol.as_deref(),
            &["SCTP", "TCP", "UDP"],
        );
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let name_path = key(&p, "name");
            for message in names::port_name(name) {
                sink.report(
                    &rules::PORT_NAME,
                    &name_path,
                    invalid(quoted(name), &message),
                );
            }
            if !names_seen.insert(name) {
                sink.report(
                    &rules::PORT_NAME_UNIQUE,
                    &name_path,
                    format!("Duplicate value: {}", quoted(name)),
                );
            }
        }
    }
}

pub(super) fn port_number(sink: &mut Sink, path: &str, port: i32) {
    if !(1..=65535).contains(&port) {
        sink.report(
            &rules::PORT_RANGE,
            path,
            invalid(port, "must be between 1 and 65535, inclusive"),
        );
    }
}

fn env(container: &Container, path: &str, sink: &mut Sink) {
    for (at, var) in container.env.iter().flatten().enumerate() {
        let e = index(&key(path, "env"), at);
        env_var(var, &e, sink);
    }
}

fn env_var(var: &EnvVar, path: &str, sink: &mut Sink) {
    let name_path = key(path, "name");
    if var.name.is_empty() {
        sink.report(&rules::ENV_NAME, &name_path, "Required value");
    } else {
        for message in names::env_var_name(&var.name, sink.version()) {
            sink.report(
                &rules::ENV_NAME,
                &name_path,
                invalid(quoted(&var.name), &message),
            );
        }
    }
    let Some(source) = &var.value_from else {
        return;
    };
    let from_path = key(path, "valueFrom");
    let sources = [
        source.field_ref.is_some(),
        source.resource_field_ref.is_some(),
        source.config_map_key_ref.is_some(),
        source.secret_key_ref.is_some(),
        source.file_key_ref.is_some(),
    ]
    .iter()
    .filter(|set| **set)
    .count();
    if sources == 0 {
        sink.report(
            &rules::ENV_NAME,
            &from_path,
            "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        );
    } else if sources > 1 {
        sink.report(
            &rules::ENV_NAME,
            &from_path,
            "Invalid value: \"\": may not have more than one field specified at a time",
        );
    }
    if var.value.as_deref().is_some_and(|v| !v.is_empty()) {
        sink.report(
            &rules::ENV_NAME,
            &from_path,
            "Invalid value: \"\": may not be specified when `value` is not empty",
        );
    }
}

fn mounts(container: &Container, path: &str, volumes: &HashSet<&str>, sink: &mut Sink) {
    let mut paths = HashSet::new();
    for (at, mount) in container.volume_mounts.iter().flatten().enumerate() {
        let m = index(&key(path, "volumeMounts"), at);
        if mount.name.is_empty() {
            sink.report(
                &rules::VOLUME_MOUNT_MISSING,
                &key(&m, "name"),
                "Required value",
            );
        } else if !volumes.contains(mount.name.as_str()) {
            sink.report(
                &rules::VOLUME_MOUNT_MISSING,
                &key(&m, "name"),
                format!("Not found: {}", quoted(&mount.name)),
            );
        }
        if mount.mount_path.is_empty() {
            sink.report(
                &rules::MOUNT_PATH_UNIQUE,
                &key(&m, "mountPath"),
                "Required value",
            );
        } else if !paths.insert(mount.mount_path.as_str()) {
            sink.report(
                &rules::MOUNT_PATH_UNIQUE,
                &key(&m, "mountPath"),
                invalid(quoted(&mount.mount_path), "must be unique"),
            );
        }
    }
}

pub(super) fn resources(resources: &ResourceRequirements, path: &str, sink: &mut Sink) {
    fn parse<'a>(
        sink: &mut Sink,
        path: &str,
        list: &str,
        values: Option<&'a BTreeMap<String, Quantity>>,
    ) -> HashMap<&'a str, quantity::Quantity> {
        let mut parsed = HashMap::new();
        for (name, value) in values.into_iter().flatten() {
            let at = key(&key(path, list), name);
            match quantity::parse(&value.0) {
                None => sink.report(
                    &rules::RESOURCE_QUANTITY,
                    &at,
                    invalid(quoted(&value.0), quantity::FORMAT_MSG),
                ),
                Some(q) if q.is_negative() => sink.report(
                    &rules::RESOURCE_QUANTITY,
                    &at,
                    invalid(quoted(&value.0), "must be greater than or equal to 0"),
                ),
                Some(q) => {
                    parsed.insert(name.as_str(), q);
                }
            }
        }
        parsed
    }
    let requests = parse(sink, path, "requests", resources.requests.as_ref());
    let limits = parse(sink, path, "limits", resources.limits.as_ref());
    for (name, request) in &requests {
        let Some(limit) = limits.get(name) else {
            continue;
        };
        if request > limit {
            let written = |list: Option<&BTreeMap<String, Quantity>>| {
                list.and_then(|l| l.get(*name))
                    .map(|q| q.0.clone())
                    .unwrap_or_default()
            };
            sink.report(
                &rules::RESOURCE_REQUEST_ABOVE_LIMIT,
                &key(&key(path, "requests"), name),
                invalid(
                    quoted(&written(resources.requests.as_ref())),
                    &format!(
                        "must be less than or equal to {name} limit of {}",
                        written(resources.limits.as_ref())
                    ),
                ),
            );
        }
    }
}

fn restart_policy(container: &Container, path: &str, init: bool, sink: &mut Sink) {
    let Some(policy) = container.restart_policy.as_deref() else {
        return;
    };
    let version = sink.version();
    if !version.has_container_restart_policy() {
        return; // Reported as an unknown field by `field_versions`.
    }
    let at = key(path, "restartPolicy");
    // From 1.35 the ContainerRestartRules feature (beta, on by default) lets any container
    // set OnFailure or Never as well.
    let any_policy = version.regular_container_restart_policy();
    if init && !any_policy {
        if policy != "Always" {
            sink.report(
                &rules::CONTAINER_RESTART_POLICY,
                &at,
                unsupported(policy, &["Always"]),
            );
        } else if !version.native_sidecars_by_default() {
            sink.report(
                &rules::CONTAINER_RESTART_POLICY,
                &at,
                format!("Forbidden: native sidecars need the SidecarContainers feature gate, which is alpha and off by default in Kubernetes {version}; target {} or later, or run the sidecar in `containers`", KubeVersion::NATIVE_SIDECARS),
            );
        }
    } else if !any_policy {
        sink.report(
            &rules::CONTAINER_RESTART_POLICY,
            &at,
            "Forbidden: may not be set for non-init containers",
        );
    } else if !["Always", "OnFailure", "Never"].contains(&policy) {
        sink.report(
            &rules::CONTAINER_RESTART_POLICY,
            &at,
            unsupported(policy, &["Always", "OnFailure", "Never"]),
        );
    }
}

#[cfg(test)]
mod rule_tests;
