//! The pod spec as `ValidatePodSpec` checks it: containers present and uniquely named, volumes,
//! host ports, the pod's restart and DNS policies, and the restart policy its owner allows.
//! Each container's own fields are [`super::container`]'s.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::{
    container, enum_value, handlers, host_aliases, invalid, match_label_keys, metadata, pod_names,
    pod_os, quoted, resource_names, scheduling, security, unsupported, volume_mounts,
    volume_sources,
};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::object::{PodOwner, PodScope};
use crate::validate::rules;
use crate::validate::{pod_settings, schema, Sink};

/// Runs the pod rules on the pod spec of a Pod or of a workload's template.
pub(super) fn check(pod: &PodScope, sink: &mut Sink) {
    if let Some(metadata) = pod.metadata {
        let path = pod.path.strip_suffix(".spec").unwrap_or(&pod.path);
        metadata::labels(metadata, &key(path, "metadata"), sink);
    }
    pod_spec(pod, sink);
    pod_settings::check(pod.spec, &pod.path, sink);
    scheduling::check(pod.spec, &pod.path, sink);
    pod_names::check(pod.spec, &pod.path, sink);
    handlers::check(pod.spec, &pod.path, sink);
    security::check(pod.spec, &pod.path, sink);
    pod_os::check(pod.spec, &pod.path, sink);
    resource_names::check(pod.spec, &pod.path, sink);
    volume_sources::check(pod.spec, &pod.path, sink);
    match_label_keys::check(pod.spec, &pod.path, sink);
    volume_mounts::check(pod.spec, &pod.path, sink);
    host_aliases::check(pod.spec, &pod.path, sink);
    template_restart_policy(pod, sink);
}

/// Whether a container is a native sidecar (an init container with `restartPolicy: Always`).
pub(crate) fn is_sidecar(container: &Container) -> bool {
    container.restart_policy.as_deref() == Some("Always")
}

fn pod_spec(pod: &PodScope, sink: &mut Sink) {
    let spec = pod.spec;
    let path = pod.path.as_str();
    if spec.containers.is_empty() {
        sink.report(
            &rules::CONTAINERS_REQUIRED,
            &key(path, "containers"),
            "Required value",
        );
    }
    let mut volumes = volumes(spec, path, sink);
    volumes.extend(pod.claim_templates.iter().copied());
    enum_value(
        sink,
        &key(path, "restartPolicy"),
        spec.restart_policy.as_deref(),
        &["Always", "OnFailure", "Never"],
    );
    enum_value(
        sink,
        &key(path, "dnsPolicy"),
        spec.dns_policy.as_deref(),
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    );
    enum_value(
        sink,
        &key(path, "preemptionPolicy"),
        spec.preemption_policy.as_deref(),
        &["Never", "PreemptLowerPriority"],
    );
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        let message = if pod.owner == PodOwner::Pod {
            "Forbidden: cannot be set on create"
        } else {
            "Forbidden: ephemeral containers not allowed in pod template"
        };
        sink.report(
            &rules::EPHEMERAL_CONTAINERS,
            &key(path, "ephemeralContainers"),
            message,
        );
    }
    let mut seen_names = HashSet::new();
    let mut claimed_host_ports = HashSet::new();
    for (list, containers) in schema::containers_of(spec) {
        let init = list == "initContainers";
        for (at, container) in containers.iter().enumerate() {
            let c = index(&key(path, list), at);
            if !container.name.is_empty() && !seen_names.insert(container.name.as_str()) {
                sink.report(
                    &rules::CONTAINER_NAME_UNIQUE,
                    &key(&c, "name"),
                    format!("Duplicate value: {}", quoted(&container.name)),
                );
            }
            container::container(container, &c, init, pod.owner, &volumes, sink);
            // Init containers run one at a time: only regular containers collide.
            if !init {
                host_ports(container, &c, &mut claimed_host_ports, sink);
            }
        }
    }
    if let Some(resources) = &spec.resources {
        container::resources(resources, &key(path, "resources"), sink);
    }
}

/// Reports a host port (with its protocol and host IP) that another container claimed already.
fn host_ports(container: &Container, path: &str, claimed: &mut HashSet<String>, sink: &mut Sink) {
    for (p, port) in container.ports.iter().flatten().enumerate() {
        let host_port = port.host_port.unwrap_or(0);
        if host_port == 0 {
            continue;
        }
        let claim = format!(
            "{}/{}/{}",
            port.protocol.as_deref().unwrap_or("TCP"),
            port.host_ip.as_deref().unwrap_or_default(),
            host_port
        );
        if !claimed.insert(claim.clone()) {
            let at = key(&index(&key(path, "ports"), p), "hostPort");
            sink.report(
                &rules::HOST_PORT_UNIQUE,
                &at,
                format!("Duplicate value: {}", quoted(&claim)),
            );
        }
    }
}

fn volumes<'a>(spec: &'a PodSpec, path: &str, sink: &mut Sink) -> HashSet<&'a str> {
    let mut declared = HashSet::new();
    for (at, volume) in spec.volumes.iter().flatten().enumerate() {
        let name_path = key(&index(&key(path, "volumes"), at), "name");
        if volume.name.is_empty() {
            sink.report(&rules::VOLUME_NAME, &name_path, "Required value");
            continue;
        }
        for message in names::dns1123_label(&volume.name) {
            sink.report(
                &rules::VOLUME_NAME,
                &name_path,
                invalid(quoted(&volume.name), &message),
            );
        }
        if !declared.insert(volume.name.as_str()) {
            sink.report(
                &rules::VOLUME_NAME,
                &name_path,
                format!("Duplicate value: {}", quoted(&volume.name)),
            );
        }
    }
    declared
}

fn template_restart_policy(pod: &PodScope, sink: &mut Sink) {
    // The API defaults an unset pod restartPolicy to Always before validating.
    let policy = pod.spec.restart_policy.as_deref().unwrap_or("Always");
    let at = key(&pod.path, "restartPolicy");
    match pod.owner {
        PodOwner::Pod => {}
        PodOwner::LongRunning => {
            if policy != "Always" && ["OnFailure", "Never"].contains(&policy) {
                sink.report(
                    &rules::TEMPLATE_RESTART_POLICY,
                    &at,
                    unsupported(policy, &["Always"]),
                );
            }
        }
        PodOwner::Batch => {
            if policy == "Always" || policy.is_empty() {
                sink.report(
                    &rules::TEMPLATE_RESTART_POLICY,
                    &at,
                    "Required value: valid values: \"OnFailure\", \"Never\"",
                );
            }
        }
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn containers_required() {
        let text = include_str!("../../../tests/fixtures/invalid/containers-required.yaml");
        assert_eq!(
            only(text, "containers-required"),
            vec![(
                8,
                "spec.containers".to_string(),
                "Required value".to_string()
            )]
        );
    }

    #[test]
    fn container_name_unique() {
        let text = include_str!("../../../tests/fixtures/invalid/container-name-unique.yaml");
        assert_eq!(
            only(text, "container-name-unique"),
            vec![(
                40,
                "spec.containers[1].name".to_string(),
                "Duplicate value: \"app\"".to_string()
            )]
        );
    }

    #[test]
    fn ephemeral_containers() {
        let text = include_str!("../../../tests/fixtures/invalid/ephemeral-containers.yaml");
        assert_eq!(
            only(text, "ephemeral-containers"),
            vec![(
                8,
                "spec.ephemeralContainers".to_string(),
                "Forbidden: cannot be set on create".to_string()
            )]
        );
    }

    #[test]
    fn host_port_unique() {
        let text = include_str!("../../../tests/fixtures/invalid/host-port-unique.yaml");
        assert_eq!(
            only(text, "host-port-unique"),
            vec![(
                40,
                "spec.containers[1].ports[0].hostPort".to_string(),
                "Duplicate value: \"TCP//80\"".to_string()
            )]
        );
    }

    #[test]
    fn template_restart_policy() {
        let text = include_str!("../../../tests/fixtures/invalid/template-restart-policy.yaml");
        assert_eq!(
            only(text, "template-restart-policy"),
            vec![(
                9,
                "spec.template.spec.restartPolicy".to_string(),
                "Required value: valid values: \"OnFailure\", \"Never\"".to_string()
            )]
        );
    }

    #[test]
    fn volume_name() {
        let text = include_str!("../../../tests/fixtures/invalid/volume-name.yaml");
        assert_eq!(
            only(text, "volume-name"),
            vec![(
                11,
                "spec.volumes[1].name".to_string(),
                "Duplicate value: \"data\"".to_string()
            )]
        );
    }
}
