//! Layer 2: the API server's own validation rules that a schema cannot express, with the
//! messages of kubernetes `pkg/apis/core/validation`, `pkg/apis/apps/validation` and
//! `pkg/apis/batch/validation`, written `<Type>: <detail>` as the server writes them.
//!
//! The typed object is read after the API's defaulting, as the server does: a field the API
//! defaults (protocol, imagePullPolicy, restartPolicy, terminationMessagePolicy, dnsPolicy) is
//! never reported missing, and a pod template without `restartPolicy` counts as `Always`.

use std::collections::{BTreeMap, HashMap, HashSet};

use k8s_openapi::api::core::v1::{
    ConfigMap, Container, EnvVar, LifecycleHandler, PodSpec, Probe, ResourceRequirements, Secret,
    Service, ServicePort,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

mod env_from;
mod networking;
mod pod_names;
mod rbac;
mod scheduling;
mod selector;

use super::locate::{index, key};
use super::object::{Object, Parsed, PodOwner, PodScope};
use super::rules;
use super::{controllers, pod_settings, schema, Sink};
use crate::{names, quantity};

/// Runs layer 2 on a parsed object.
pub fn check(parsed: &Parsed, sink: &mut Sink) {
    object_metadata(parsed, sink);
    if let Some(pod) = parsed.pod() {
        if let Some(metadata) = pod.metadata {
            let path = pod.path.strip_suffix(".spec").unwrap_or(&pod.path);
            labels(metadata, &key(path, "metadata"), sink);
        }
        pod_spec(&pod, sink);
        pod_settings::check(pod.spec, &pod.path, sink);
        scheduling::check(pod.spec, &pod.path, sink);
        pod_names::check(pod.spec, &pod.path, sink);
        template_restart_policy(&pod, sink);
    }
    controllers::check(parsed, sink);
    if let Some(replicated) = parsed.replicated() {
        selector(replicated.selector, replicated.labels, parsed.kind, sink);
    }
    match &parsed.object {
        Object::StatefulSet(set) => {
            let named = set
                .spec
                .service_name
                .as_deref()
                .is_some_and(|n| !n.is_empty());
            if !named && !sink.version().statefulset_service_name_optional() {
                let minor = sink.version().minor();
                sink.report(
                    &rules::SERVICE_NAME_REQUIRED,
                    "spec.serviceName",
                    format!("Required value: a StatefulSet names its governing Service until Kubernetes 1.33 (target: 1.{minor})"),
                );
            }
        }
        Object::CronJob(job) if job.spec.schedule.is_empty() => {
            sink.report(&rules::REQUIRED_FIELD, "spec.schedule", "Required value");
        }
        Object::Service(service) => service_spec(service, sink),
        Object::Ingress(ingress) => networking::ingress(ingress, &parsed.metadata, sink),
        Object::IngressClass(class) => networking::ingress_class(class, sink),
        Object::NetworkPolicy(policy) => networking::network_policy(policy, sink),
        Object::PodDisruptionBudget(budget) => {
            // `ValidatePodDisruptionBudgetSpec`: the selector is a well-formed label selector.
            if let Some(pods) = budget.spec.as_ref().and_then(|s| s.selector.as_ref()) {
                let rule = &rules::DISRUPTION_BUDGET;
                selector::label_selector(pods, "spec.selector", rule, sink);
            }
        }
        Object::Role(policy_rules) => {
            rbac::policy_rules(policy_rules, parsed.kind == "Role", sink);
        }
        Object::RoleBinding(binding) => {
            let (role_ref, subjects) = binding.as_ref();
            rbac::binding(role_ref, subjects, parsed.kind == "RoleBinding", sink);
        }
        Object::ConfigMap(map) => {
            config_map_size(map, sink);
            let data = map.data.iter().flat_map(|d| d.keys());
            let binary = map.binary_data.iter().flat_map(|d| d.keys());
            config_keys(
                data.map(|k| ("data", k))
                    .chain(binary.map(|k| ("binaryData", k))),
                sink,
            );
        }
        Object::Secret(secret) => {
            secret_data(secret, sink);
            let data = secret.data.iter().flat_map(|d| d.keys());
            let string = secret.string_data.iter().flat_map(|d| d.keys());
            config_keys(
                data.map(|k| ("data", k))
                    .chain(string.map(|k| ("stringData", k))),
                sink,
            );
        }
        _ => {}
    }
}

pub(super) fn quoted(text: &str) -> String {
    format!("{text:?}")
}

/// A user's value quoted for a message, shortened when long.
fn shown(text: &str) -> String {
    quoted(&crate::yaml::shorten(text))
}

pub(super) fn invalid(value: impl std::fmt::Display, message: &str) -> String {
    format!("Invalid value: {value}: {message}")
}

pub(super) fn unsupported(value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| quoted(s)).collect();
    format!(
        "Unsupported value: {}: supported values: {}",
        quoted(value),
        list.join(", ")
    )
}

pub(super) fn enum_value(sink: &mut Sink, path: &str, value: Option<&str>, supported: &[&str]) {
    if let Some(value) = value.filter(|v| !supported.contains(v)) {
        sink.report(&rules::ENUM_VALUE, path, unsupported(value, supported));
    }
}

fn object_metadata(parsed: &Parsed, sink: &mut Sink) {
    let metadata = &parsed.metadata;
    match metadata.name.as_deref() {
        None | Some("") => {
            if metadata
                .generate_name
                .as_deref()
                .unwrap_or_default()
                .is_empty()
            {
                sink.report(
                    &rules::OBJECT_NAME,
                    "metadata.name",
                    "Required value: name or generateName is required",
                );
            }
        }
        Some(name) => {
            let mut messages = match parsed.kind {
                "Service" => names::dns1035_label(name),
                "Namespace" => names::dns1123_label(name),
                "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => {
                    path_segment_name(name)
                }
                _ => names::dns1123_subdomain(name),
            };
            if parsed.kind == "CronJob" && name.len() > 52 {
                messages.push("must be no more than 52 characters".to_string());
            }
            for message in messages {
                sink.report(
                    &rules::OBJECT_NAME,
                    "metadata.name",
                    invalid(quoted(name), &message),
                );
            }
        }
    }
    if let Some(namespace) = metadata.namespace.as_deref().filter(|n| !n.is_empty()) {
        for message in names::dns1123_label(namespace) {
            sink.report(
                &rules::OBJECT_NAME,
                "metadata.namespace",
                invalid(quoted(namespace), &message),
            );
        }
    }
    labels(metadata, "metadata", sink);
}

/// `IsValidPathSegmentName`: the names of RBAC objects and of typed references.
fn path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(**bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

fn labels(metadata: &ObjectMeta, path: &str, sink: &mut Sink) {
    let labels_path = key(path, "labels");
    for (name, value) in metadata.labels.iter().flatten() {
        let at = key(&labels_path, name);
        for message in names::qualified_name(name) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(name), &message));
        }
        for message in names::label_value(value) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(value), &message));
        }
    }
    let annotations_path = key(path, "annotations");
    for name in metadata.annotations.iter().flatten().map(|(k, _)| k) {
        for message in names::qualified_name(&name.to_lowercase()) {
            let at = key(&annotations_path, name);
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(name), &message));
        }
    }
}

/// Whether a container is a native sidecar (an init container with `restartPolicy: Always`).
pub fn is_sidecar(container: &Container) -> bool {
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
    let mut host_ports = HashSet::new();
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
            self::container(container, &c, init, pod.owner, &volumes, sink);
            for (p, port) in container.ports.iter().flatten().enumerate() {
                // Init containers run one at a time: only regular containers collide.
                let host_port = port.host_port.unwrap_or(0);
                if init || host_port == 0 {
                    continue;
                }
                let claim = format!(
                    "{}/{}/{}",
                    port.protocol.as_deref().unwrap_or("TCP"),
                    port.host_ip.as_deref().unwrap_or_default(),
                    host_port
                );
                if !host_ports.insert(claim.clone()) {
                    let at = key(&index(&key(&c, "ports"), p), "hostPort");
                    sink.report(
                        &rules::HOST_PORT_UNIQUE,
                        &at,
                        format!("Duplicate value: {}", quoted(&claim)),
                    );
                }
            }
        }
    }
    if let Some(resources) = &spec.resources {
        self::resources(resources, &key(path, "resources"), sink);
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

fn container(
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
    probes(container, path, init, sink);
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

fn port_number(sink: &mut Sink, path: &str, port: i32) {
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

fn resources(resources: &ResourceRequirements, path: &str, sink: &mut Sink) {
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
                "Forbidden: native sidecars need the SidecarContainers feature gate, which is alpha and off by default in Kubernetes 1.28; target 1.29 or later, or run the sidecar in `containers`",
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

fn probes(container: &Container, path: &str, init: bool, sink: &mut Sink) {
    let probes = [
        ("livenessProbe", container.liveness_probe.as_ref()),
        ("readinessProbe", container.readiness_probe.as_ref()),
        ("startupProbe", container.startup_probe.as_ref()),
    ];
    if init && !is_sidecar(container) {
        let set = probes
            .iter()
            .filter(|(_, probe)| probe.is_some())
            .map(|(name, _)| *name)
            .chain(container.lifecycle.as_ref().map(|_| "lifecycle"));
        for name in set {
            sink.report(
                &rules::INIT_CONTAINER_PROBES,
                &key(path, name),
                "Forbidden: may not be set for init containers without restartPolicy=Always",
            );
        }
        return;
    }
    for (name, probe) in probes {
        if let Some(probe) = probe {
            self::probe(probe, name, &key(path, name), sink);
        }
    }
    if let Some(lifecycle) = &container.lifecycle {
        let l = key(path, "lifecycle");
        for (hook, handler) in [
            ("postStart", &lifecycle.post_start),
            ("preStop", &lifecycle.pre_stop),
        ] {
            if let Some(handler) = handler {
                hook_handler(handler, &key(&l, hook), sink);
            }
        }
    }
}

fn handler_count(sink: &mut Sink, path: &str, count: usize) {
    if count == 0 {
        sink.report(
            &rules::PROBE_INVALID,
            path,
            "Required value: must specify a handler type",
        );
    } else if count > 1 {
        sink.report(
            &rules::PROBE_INVALID,
            path,
            "Forbidden: may not specify more than 1 handler type",
        );
    }
}

fn probe(probe: &Probe, kind: &str, path: &str, sink: &mut Sink) {
    let handlers = [
        probe.exec.is_some(),
        probe.http_get.is_some(),
        probe.tcp_socket.is_some(),
        probe.grpc.is_some(),
    ];
    handler_count(sink, path, handlers.iter().filter(|h| **h).count());
    if kind != "readinessProbe" {
        if let Some(threshold) = probe.success_threshold.filter(|t| *t != 1) {
            sink.report(
                &rules::PROBE_INVALID,
                &key(path, "successThreshold"),
                invalid(threshold, "must be 1"),
            );
        }
    } else if let Some(grace) = probe.termination_grace_period_seconds {
        sink.report(
            &rules::PROBE_INVALID,
            &key(path, "terminationGracePeriodSeconds"),
            invalid(grace, "must not be set for readinessProbes"),
        );
    }
}

fn hook_handler(handler: &LifecycleHandler, path: &str, sink: &mut Sink) {
    let handlers = [
        handler.exec.is_some(),
        handler.http_get.is_some(),
        handler.tcp_socket.is_some(),
        handler.sleep.is_some(),
    ];
    handler_count(sink, path, handlers.iter().filter(|h| **h).count());
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

fn selector(
    selector: &LabelSelector,
    labels: Option<&BTreeMap<String, String>>,
    kind: &str,
    sink: &mut Sink,
) {
    let match_labels = selector.match_labels.as_ref().map_or(0, BTreeMap::len);
    let expressions = selector.match_expressions.as_deref().unwrap_or_default();
    if match_labels + expressions.len() == 0 {
        sink.report(
            &rules::SELECTOR_REQUIRED,
            "spec.selector",
            format!(
                "Invalid value: {{}}: empty selector is invalid for {}",
                kind.to_lowercase()
            ),
        );
        return;
    }
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    let mut matches = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    for (at, expression) in expressions.iter().enumerate() {
        let value = labels.get(&expression.key);
        let values = expression.values.as_deref().unwrap_or_default();
        let ok = match expression.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            other => {
                let path = key(&index("spec.selector.matchExpressions", at), "operator");
                sink.report(
                    &rules::ENUM_VALUE,
                    &path,
                    invalid(quoted(other), "not a valid selector operator"),
                );
                return;
            }
        };
        matches &= ok;
    }
    if !matches {
        let shown: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
        sink.report(
            &rules::SELECTOR_MISMATCH,
            "spec.template.metadata.labels",
            format!(
                "Invalid value: {{{}}}: `selector` does not match template `labels`",
                shown.join(",")
            ),
        );
    }
}

fn service_spec(service: &Service, sink: &mut Sink) {
    let Some(spec) = &service.spec else {
        return;
    };
    enum_value(
        sink,
        "spec.type",
        spec.type_.as_deref(),
        &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    );
    for (name, value) in spec.selector.iter().flatten() {
        let at = key("spec.selector", name);
        for message in names::qualified_name(name) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(name), &message));
        }
        for message in names::label_value(value) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(value), &message));
        }
    }
    if spec.type_.as_deref() == Some("ExternalName") {
        return;
    }
    let ports = spec.ports.as_deref().unwrap_or_default();
    service_port_duplicates(ports, sink);
    if ports.is_empty() && spec.cluster_ip.as_deref() != Some("None") {
        sink.report(&rules::SERVICE_PORTS, "spec.ports", "Required value");
    }
    let mut seen = HashSet::new();
    for (at, port) in ports.iter().enumerate() {
        let p = index("spec.ports", at);
        let name = port.name.as_deref().unwrap_or_default();
        if name.is_empty() {
            if ports.len() > 1 {
                sink.report(&rules::SERVICE_PORTS, &key(&p, "name"), "Required value");
            }
        } else {
            for message in names::dns1123_label(name) {
                sink.report(
                    &rules::PORT_NAME,
                    &key(&p, "name"),
                    invalid(quoted(name), &message),
                );
            }
            if !seen.insert(name) {
                sink.report(
                    &rules::PORT_NAME_UNIQUE,
                    &key(&p, "name"),
                    format!("Duplicate value: {}", quoted(name)),
                );
            }
        }
        port_number(sink, &key(&p, "port"), port.port);
        if let Some(node_port) = port.node_port.filter(|n| *n != 0) {
            port_number(sink, &key(&p, "nodePort"), node_port);
        }
        enum_value(
            sink,
            &key(&p, "protocol"),
            port.protocol.as_deref(),
            &["SCTP", "TCP", "UDP"],
        );
        match &port.target_port {
            Some(IntOrString::Int(number)) if *number != 0 => {
                port_number(sink, &key(&p, "targetPort"), *number)
            }
            Some(IntOrString::String(text)) => {
                for message in names::port_name(text) {
                    sink.report(
                        &rules::PORT_NAME,
                        &key(&p, "targetPort"),
                        invalid(quoted(text), &message),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `ValidateService`: each (protocol, port) and each (protocol, nodePort) once.
fn service_port_duplicates(ports: &[ServicePort], sink: &mut Sink) {
    let mut seen_ports = HashSet::new();
    let mut seen_node_ports = HashSet::new();
    for (at, port) in ports.iter().enumerate() {
        let protocol = port.protocol.as_deref().unwrap_or("TCP");
        let claim = format!("{protocol}/{}", port.port);
        if !seen_ports.insert(claim.clone()) {
            sink.report(
                &rules::SERVICE_PORT_UNIQUE,
                &index("spec.ports", at),
                format!("Duplicate value: {}", quoted(&claim)),
            );
        }
        if let Some(node_port) = port.node_port.filter(|n| *n != 0) {
            if !seen_node_ports.insert(format!("{protocol}/{node_port}")) {
                sink.report(
                    &rules::SERVICE_PORT_UNIQUE,
                    &index("spec.ports", at),
                    format!("Duplicate value: {node_port}"),
                );
            }
        }
    }
}

/// `core.MaxSecretSize`: the data of a ConfigMap or Secret, 1 MiB at most.
const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// `ValidateConfigMap`: the values of `data` and `binaryData` together.
fn config_map_size(map: &ConfigMap, sink: &mut Sink) {
    let text: usize = map.data.iter().flatten().map(|(_, v)| v.len()).sum();
    let binary: usize = map
        .binary_data
        .iter()
        .flatten()
        .map(|(_, v)| v.0.len())
        .sum();
    if text + binary > MAX_CONFIG_BYTES {
        sink.report(
            &rules::CONFIG_SIZE,
            "",
            format!(
                "Too long: must have at most {MAX_CONFIG_BYTES} bytes (the data has {})",
                text + binary
            ),
        );
    }
}

/// `ValidateSecret`: the size of `data` once `stringData` is merged into it (a key of both
/// takes the `stringData` value), and the keys each built-in type needs.
fn secret_data(secret: &Secret, sink: &mut Sink) {
    let mut merged: BTreeMap<&str, usize> = secret
        .data
        .iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v.0.len()))
        .collect();
    for (k, v) in secret.string_data.iter().flatten() {
        merged.insert(k, v.len());
    }
    let total: usize = merged.values().sum();
    if total > MAX_CONFIG_BYTES {
        sink.report(
            &rules::CONFIG_SIZE,
            "data",
            format!("Too long: must have at most {MAX_CONFIG_BYTES} bytes (the data has {total})"),
        );
    }
    let has = |name: &str| merged.contains_key(name);
    let required: &[&str] = match secret.type_.as_deref().unwrap_or("Opaque") {
        "kubernetes.io/tls" => &["tls.crt", "tls.key"],
        "kubernetes.io/dockerconfigjson" => &[".dockerconfigjson"],
        "kubernetes.io/dockercfg" => &[".dockercfg"],
        "kubernetes.io/ssh-auth" => &["ssh-privatekey"],
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            sink.report(
                &rules::SECRET_TYPE,
                "data[username]",
                "Required value: either username or password is required",
            );
            &[]
        }
        _ => &[],
    };
    for name in required.iter().filter(|name| !has(name)) {
        sink.report(&rules::SECRET_TYPE, &key("data", name), "Required value");
    }
    if secret.type_.as_deref() == Some("kubernetes.io/service-account-token") {
        let named = secret.metadata.annotations.as_ref().is_some_and(|a| {
            a.get("kubernetes.io/service-account.name")
                .is_some_and(|n| !n.is_empty())
        });
        if !named {
            sink.report(
                &rules::SECRET_TYPE,
                "metadata.annotations[kubernetes.io/service-account.name]",
                "Required value",
            );
        }
    }
}

fn config_keys<'a>(keys: impl Iterator<Item = (&'static str, &'a String)>, sink: &mut Sink) {
    const MESSAGE: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    let mut seen = HashSet::new();
    for (list, name) in keys {
        let at = key(list, name);
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-._".contains(&c));
        if !valid {
            sink.report(&rules::CONFIG_KEY, &at, invalid(quoted(name), MESSAGE));
        } else if name == "." || name == ".." || name.starts_with("..") {
            sink.report(
                &rules::CONFIG_KEY,
                &at,
                invalid(quoted(name), "must not be '.' or '..' or start with '..'"),
            );
        } else if name.len() > 253 {
            sink.report(
                &rules::CONFIG_KEY,
                &at,
                invalid(quoted(name), "must be no more than 253 characters"),
            );
        }
        if list != "stringData" && !seen.insert(name.as_str()) {
            sink.report(
                &rules::CONFIG_KEY,
                &at,
                invalid(quoted(name), "duplicate of key present in data"),
            );
        }
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn config_key() {
        let text = include_str!("../../tests/fixtures/invalid/config-key.yaml");
        assert_eq!(
            only(text, "config-key"),
            vec![
            (8, "data[bad key]".to_string(), "Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string())
            ]
        );
    }

    #[test]
    fn container_name_unique() {
        let text = include_str!("../../tests/fixtures/invalid/container-name-unique.yaml");
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
    fn container_name() {
        let text = include_str!("../../tests/fixtures/invalid/container-name.yaml");
        assert_eq!(
            only(text, "container-name"),
            vec![
            (9, "spec.containers[0].name".to_string(), "Invalid value: \"App\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string())
            ]
        );
    }

    #[test]
    fn container_restart_policy_native_sidecar_1_28() {
        let text = include_str!(
            "../../tests/fixtures/invalid/container-restart-policy--native-sidecar-1-28.yaml"
        );
        assert_eq!(
            only(text, "container-restart-policy"),
            vec![
            (12, "spec.initContainers[0].restartPolicy".to_string(), "Forbidden: native sidecars need the SidecarContainers feature gate, which is alpha and off by default in Kubernetes 1.28; target 1.29 or later, or run the sidecar in `containers`".to_string())
            ]
        );
    }

    #[test]
    fn container_restart_policy_regular_container_1_34() {
        let text = include_str!(
            "../../tests/fixtures/invalid/container-restart-policy--regular-container-1-34.yaml"
        );
        assert_eq!(
            only(text, "container-restart-policy"),
            vec![(
                21,
                "spec.containers[0].restartPolicy".to_string(),
                "Forbidden: may not be set for non-init containers".to_string()
            )]
        );
    }

    #[test]
    fn container_restart_policy() {
        let text = include_str!("../../tests/fixtures/invalid/container-restart-policy.yaml");
        assert_eq!(
            only(text, "container-restart-policy"),
            vec![(
                11,
                "spec.initContainers[0].restartPolicy".to_string(),
                "Unsupported value: \"OnFailure\": supported values: \"Always\"".to_string()
            )]
        );
    }

    #[test]
    fn containers_required() {
        let text = include_str!("../../tests/fixtures/invalid/containers-required.yaml");
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
    fn enum_value() {
        let text = include_str!("../../tests/fixtures/invalid/enum-value.yaml");
        assert_eq!(
            only(text, "enum-value"),
            vec![
            (20, "spec.containers[0].imagePullPolicy".to_string(), "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"".to_string())
            ]
        );
    }

    #[test]
    fn env_name() {
        let text = include_str!("../../tests/fixtures/invalid/env-name.yaml");
        assert_eq!(
            only(text, "env-name"),
            vec![
            (21, "spec.containers[0].env[0].name".to_string(), "Invalid value: \"LOG=LEVEL\": a valid environment variable name must consist only of printable ASCII characters other than '='".to_string())
            ]
        );
    }

    #[test]
    fn ephemeral_containers() {
        let text = include_str!("../../tests/fixtures/invalid/ephemeral-containers.yaml");
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
        let text = include_str!("../../tests/fixtures/invalid/host-port-unique.yaml");
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
    fn image_required() {
        let text = include_str!("../../tests/fixtures/invalid/image-required.yaml");
        assert_eq!(
            only(text, "image-required"),
            vec![(
                10,
                "spec.containers[0].image".to_string(),
                "Required value".to_string()
            )]
        );
    }

    #[test]
    fn init_container_probes() {
        let text = include_str!("../../tests/fixtures/invalid/init-container-probes.yaml");
        assert_eq!(
            only(text, "init-container-probes"),
            vec![(
                12,
                "spec.initContainers[0].readinessProbe".to_string(),
                "Forbidden: may not be set for init containers without restartPolicy=Always"
                    .to_string()
            )]
        );
    }

    #[test]
    fn label_invalid() {
        let text = include_str!("../../tests/fixtures/invalid/label-invalid.yaml");
        assert_eq!(
            only(text, "label-invalid"),
            vec![
            (8, "metadata.labels.app".to_string(), "Invalid value: \"web app\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string())
            ]
        );
    }

    #[test]
    fn mount_path_unique() {
        let text = include_str!("../../tests/fixtures/invalid/mount-path-unique.yaml");
        assert_eq!(
            only(text, "mount-path-unique"),
            vec![(
                29,
                "spec.containers[0].volumeMounts[1].mountPath".to_string(),
                "Invalid value: \"/data\": must be unique".to_string()
            )]
        );
    }

    #[test]
    fn object_name() {
        let text = include_str!("../../tests/fixtures/invalid/object-name.yaml");
        assert_eq!(
            only(text, "object-name"),
            vec![
            (6, "metadata.name".to_string(), "Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string())
            ]
        );
    }

    #[test]
    fn port_name_unique() {
        let text = include_str!("../../tests/fixtures/invalid/port-name-unique.yaml");
        assert_eq!(
            only(text, "port-name-unique"),
            vec![(
                14,
                "spec.containers[0].ports[1].name".to_string(),
                "Duplicate value: \"http\"".to_string()
            )]
        );
    }

    #[test]
    fn port_name() {
        let text = include_str!("../../tests/fixtures/invalid/port-name.yaml");
        assert_eq!(
            only(text, "port-name"),
            vec![(
                12,
                "spec.containers[0].ports[0].name".to_string(),
                "Invalid value: \"http--api\": must not contain consecutive hyphens".to_string()
            )]
        );
    }

    #[test]
    fn port_range() {
        let text = include_str!("../../tests/fixtures/invalid/port-range.yaml");
        assert_eq!(
            only(text, "port-range"),
            vec![(
                13,
                "spec.containers[0].ports[0].containerPort".to_string(),
                "Invalid value: 70000: must be between 1 and 65535, inclusive".to_string()
            )]
        );
    }

    #[test]
    fn probe_invalid() {
        let text = include_str!("../../tests/fixtures/invalid/probe-invalid.yaml");
        assert_eq!(
            only(text, "probe-invalid"),
            vec![(
                18,
                "spec.containers[0].livenessProbe.successThreshold".to_string(),
                "Invalid value: 2: must be 1".to_string()
            )]
        );
    }

    #[test]
    fn resource_quantity() {
        let text = include_str!("../../tests/fixtures/invalid/resource-quantity.yaml");
        assert_eq!(
            only(text, "resource-quantity"),
            vec![
            (34, "spec.containers[0].resources.limits.memory".to_string(), "Invalid value: \"256MB\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".to_string())
            ]
        );
    }

    #[test]
    fn resource_request_above_limit() {
        let text = include_str!("../../tests/fixtures/invalid/resource-request-above-limit.yaml");
        assert_eq!(
            only(text, "resource-request-above-limit"),
            vec![(
                30,
                "spec.containers[0].resources.requests.cpu".to_string(),
                "Invalid value: \"2\": must be less than or equal to cpu limit of 500m".to_string()
            )]
        );
    }

    #[test]
    fn selector_mismatch() {
        let text = include_str!("../../tests/fixtures/invalid/selector-mismatch.yaml");
        assert_eq!(
            only(text, "selector-mismatch"),
            vec![(
                14,
                "spec.template.metadata.labels".to_string(),
                "Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
                    .to_string()
            )]
        );
    }

    #[test]
    fn selector_required() {
        let text = include_str!("../../tests/fixtures/invalid/selector-required.yaml");
        assert_eq!(
            only(text, "selector-required"),
            vec![(
                9,
                "spec.selector".to_string(),
                "Invalid value: {}: empty selector is invalid for deployment".to_string()
            )]
        );
    }

    #[test]
    fn service_name_required() {
        let text = include_str!("../../tests/fixtures/invalid/service-name-required.yaml");
        assert_eq!(
            only(text, "service-name-required"),
            vec![
            (8, "spec.serviceName".to_string(), "Required value: a StatefulSet names its governing Service until Kubernetes 1.33 (target: 1.32)".to_string())
            ]
        );
    }

    #[test]
    fn service_ports() {
        let text = include_str!("../../tests/fixtures/invalid/service-ports.yaml");
        assert_eq!(
            only(text, "service-ports"),
            vec![(
                13,
                "spec.ports[1].name".to_string(),
                "Required value".to_string()
            )]
        );
    }

    #[test]
    fn template_restart_policy() {
        let text = include_str!("../../tests/fixtures/invalid/template-restart-policy.yaml");
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
    fn volume_mount_missing() {
        let text = include_str!("../../tests/fixtures/invalid/volume-mount-missing.yaml");
        assert_eq!(
            only(text, "volume-mount-missing"),
            vec![(
                21,
                "spec.containers[0].volumeMounts[0].name".to_string(),
                "Not found: \"cache\"".to_string()
            )]
        );
    }

    #[test]
    fn volume_name() {
        let text = include_str!("../../tests/fixtures/invalid/volume-name.yaml");
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
