//! Layer 2, the pod's settings beyond its containers' names, images and ports, with the rules
//! and messages of `pkg/apis/core/validation/validation.go`: security contexts
//! (`ValidateSecurityContext`, `validatePodSecurityContext`), host-network ports
//! (`validatePodHostNetworkDeps`), DNS (`validatePodDNSConfig`), volume sources and paths
//! (`validateVolumeSource`, `validateKeyToPath`, `ValidateVolumeMounts`), and the numeric ranges
//! of probes and deadlines (`validateProbe`, `ValidatePodSpec`).

use k8s_openapi::api::core::v1::{
    Container, KeyToPath, PodSpec, Probe, SecurityContext, Volume, VolumeMount,
};

use super::api::{invalid, quoted};
use super::locate::{index, key};
use super::rules::{self, Rule};
use super::{schema, Sink};
use crate::names;

/// `MaxDNSNameservers` and `MaxDNSSearchPaths` of the core validation.
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;

/// Runs the pod-level rules of this module on the pod spec at `path`.
pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    pod_security_context(spec, path, sink);
    host_network_ports(spec, path, sink);
    dns(spec, path, sink);
    for (at, volume) in spec.volumes.iter().flatten().enumerate() {
        self::volume(volume, &index(&key(path, "volumes"), at), sink);
    }
    if let Some(deadline) = spec.active_deadline_seconds.filter(|d| *d < 1) {
        sink.report(
            &rules::NUMBER_RANGE,
            &key(path, "activeDeadlineSeconds"),
            invalid(deadline, "must be between 1 and 2147483647, inclusive"),
        );
    }
    for (list, containers) in schema::containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            self::container(container, &index(&key(path, list), at), sink);
        }
    }
}

fn container(container: &Container, path: &str, sink: &mut Sink) {
    if let Some(context) = &container.security_context {
        security_context(context, &key(path, "securityContext"), sink);
    }
    for (at, mount) in container.volume_mounts.iter().flatten().enumerate() {
        sub_paths(mount, &index(&key(path, "volumeMounts"), at), sink);
    }
    for (name, probe) in [
        ("livenessProbe", &container.liveness_probe),
        ("readinessProbe", &container.readiness_probe),
        ("startupProbe", &container.startup_probe),
    ] {
        if let Some(probe) = probe {
            probe_numbers(probe, &key(path, name), sink);
        }
    }
}

/// `IsValidUserID`/`IsValidGroupID`: IDs from 0 to 2147483647.
fn id_range(id: Option<i64>, path: &str, sink: &mut Sink) {
    if let Some(id) = id.filter(|id| !(0..=i64::from(i32::MAX)).contains(id)) {
        sink.report(
            &rules::SECURITY_CONTEXT,
            path,
            invalid(id, "must be between 0 and 2147483647, inclusive"),
        );
    }
}

fn pod_security_context(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let Some(context) = &spec.security_context else {
        return;
    };
    let c = key(path, "securityContext");
    id_range(context.run_as_user, &key(&c, "runAsUser"), sink);
    id_range(context.run_as_group, &key(&c, "runAsGroup"), sink);
    id_range(context.fs_group, &key(&c, "fsGroup"), sink);
    for (at, group) in context.supplemental_groups.iter().flatten().enumerate() {
        id_range(
            Some(*group),
            &index(&key(&c, "supplementalGroups"), at),
            sink,
        );
    }
}

fn security_context(context: &SecurityContext, path: &str, sink: &mut Sink) {
    id_range(context.run_as_user, &key(path, "runAsUser"), sink);
    id_range(context.run_as_group, &key(path, "runAsGroup"), sink);
    if context.allow_privilege_escalation != Some(false) {
        return;
    }
    if context.privileged == Some(true) {
        sink.report(
            &rules::SECURITY_CONTEXT,
            path,
            invalid(
                "{\"allowPrivilegeEscalation\":false,\"privileged\":true}",
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ),
        );
    }
    let adds = context
        .capabilities
        .as_ref()
        .and_then(|c| c.add.as_ref())
        .into_iter()
        .flatten();
    // The server compares with this exact spelling; `SYS_ADMIN` is not caught.
    if adds.into_iter().any(|cap| cap == "CAP_SYS_ADMIN") {
        sink.report(
            &rules::SECURITY_CONTEXT,
            path,
            invalid(
                "{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"add\":[\"CAP_SYS_ADMIN\"]}}",
                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
            ),
        );
    }
}

/// With `hostNetwork`, a set `hostPort` equals `containerPort` (the API defaults an unset one
/// to it in a Pod, and leaves it 0 in a template; both pass).
fn host_network_ports(spec: &PodSpec, path: &str, sink: &mut Sink) {
    if spec.host_network != Some(true) {
        return;
    }
    for (at, container) in spec.containers.iter().enumerate() {
        let c = index(&key(path, "containers"), at);
        for (p, port) in container.ports.iter().flatten().enumerate() {
            let host_port = port.host_port.unwrap_or(0);
            if host_port != 0 && host_port != port.container_port {
                sink.report(
                    &rules::HOST_NETWORK_PORT,
                    &key(&index(&key(&c, "ports"), p), "hostPort"),
                    invalid(
                        host_port,
                        "must match `containerPort` when `hostNetwork` is true",
                    ),
                );
            }
        }
    }
}

fn dns(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let at = key(path, "dnsConfig");
    let config = spec.dns_config.as_ref();
    let nameservers = config
        .and_then(|c| c.nameservers.as_deref())
        .unwrap_or_default();
    if spec.dns_policy.as_deref() == Some("None") {
        if config.is_none() {
            sink.report(
                &rules::DNS_CONFIG,
                &at,
                "Required value: must provide `dnsConfig` when `dnsPolicy` is None",
            );
            return;
        }
        if nameservers.is_empty() {
            sink.report(
                &rules::DNS_CONFIG,
                &key(&at, "nameservers"),
                "Required value: must provide at least one DNS nameserver when `dnsPolicy` is None",
            );
            return;
        }
    }
    let Some(config) = config else {
        return;
    };
    if nameservers.len() > MAX_NAMESERVERS {
        sink.report(
            &rules::DNS_CONFIG,
            &key(&at, "nameservers"),
            invalid(
                format!("{nameservers:?}"),
                &format!("must not have more than {MAX_NAMESERVERS} nameservers"),
            ),
        );
    }
    for (i, server) in nameservers.iter().enumerate() {
        if server.parse::<std::net::IpAddr>().is_err() {
            sink.report(
                &rules::DNS_CONFIG,
                &index(&key(&at, "nameservers"), i),
                invalid(quoted(server), "must be a valid IP address"),
            );
        }
    }
    let searches = config.searches.as_deref().unwrap_or_default();
    if searches.len() > MAX_SEARCHES {
        sink.report(
            &rules::DNS_CONFIG,
            &key(&at, "searches"),
            invalid(
                format!("{searches:?}"),
                &format!("must not have more than {MAX_SEARCHES} search paths"),
            ),
        );
    }
    for (i, search) in searches.iter().enumerate() {
        let domain = search.strip_suffix('.').unwrap_or(search);
        for message in names::dns1123_subdomain(domain) {
            sink.report(
                &rules::DNS_CONFIG,
                &index(&key(&at, "searches"), i),
                invalid(quoted(search), &message),
            );
        }
    }
}

fn volume(volume: &Volume, path: &str, sink: &mut Sink) {
    // Every field of a volume but its name is a source; none at all defaults to emptyDir.
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(volume) {
        let mut sources = fields.keys().filter(|k| *k != "name");
        if let (Some(_), Some(second)) = (sources.next(), sources.next()) {
            sink.report(
                &rules::VOLUME_SOURCE,
                &key(path, second),
                "Forbidden: may not specify more than 1 volume type",
            );
        }
    }
    let sources = [
        (
            "configMap",
            volume
                .config_map
                .as_ref()
                .map(|c| (c.items.as_deref(), c.default_mode)),
        ),
        (
            "secret",
            volume
                .secret
                .as_ref()
                .map(|s| (s.items.as_deref(), s.default_mode)),
        ),
    ];
    for (source, found) in sources {
        let Some((items, default_mode)) = found else {
            continue;
        };
        let s = key(path, source);
        file_mode(default_mode, &key(&s, "defaultMode"), sink);
        for (at, item) in items.unwrap_or_default().iter().enumerate() {
            key_to_path(item, &index(&key(&s, "items"), at), sink);
        }
    }
}

/// `validateKeyToPath`: a relative path that does not start with `..`, and a file mode.
fn key_to_path(item: &KeyToPath, path: &str, sink: &mut Sink) {
    let at = key(path, "path");
    if item.path.is_empty() {
        sink.report(&rules::SUB_PATH, &at, "Required value");
    } else {
        local_descending_path(&item.path, &at, &rules::SUB_PATH, sink);
        if item.path.starts_with("..") && !item.path.starts_with("../") {
            sink.report(
                &rules::SUB_PATH,
                &at,
                invalid(quoted(&item.path), "must not start with '..'"),
            );
        }
    }
    file_mode(item.mode, &key(path, "mode"), sink);
}

fn file_mode(mode: Option<i32>, path: &str, sink: &mut Sink) {
    if let Some(mode) = mode.filter(|m| !(0..=0o777).contains(m)) {
        sink.report(
            &rules::NUMBER_RANGE,
            path,
            invalid(
                mode,
                "must be a number between 0 and 0777 (octal), both inclusive",
            ),
        );
    }
}

fn sub_paths(mount: &VolumeMount, path: &str, sink: &mut Sink) {
    let sub_path = mount.sub_path.as_deref().unwrap_or_default();
    if !sub_path.is_empty() {
        local_descending_path(sub_path, &key(path, "subPath"), &rules::SUB_PATH, sink);
    }
    let expression = mount.sub_path_expr.as_deref().unwrap_or_default();
    if !expression.is_empty() {
        let at = key(path, "subPathExpr");
        if !sub_path.is_empty() {
            sink.report(
                &rules::SUB_PATH,
                &at,
                invalid(
                    quoted(expression),
                    "subPathExpr and subPath are mutually exclusive",
                ),
            );
        }
        local_descending_path(expression, &at, &rules::SUB_PATH, sink);
    }
}

/// `validateLocalDescendingPath`: relative, and no `..` element.
pub(super) fn local_descending_path(
    target: &str,
    path: &str,
    rule: &'static Rule,
    sink: &mut Sink,
) {
    if target.starts_with('/') {
        sink.report(
            rule,
            path,
            invalid(quoted(target), "must be a relative path"),
        );
    }
    if target.split('/').any(|part| part == "..") {
        sink.report(rule, path, invalid(quoted(target), "must not contain '..'"));
    }
}

/// `validateProbe`: timings and thresholds not negative, a probe grace period above 0.
fn probe_numbers(probe: &Probe, path: &str, sink: &mut Sink) {
    for (name, value) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        if let Some(value) = value.filter(|v| *v < 0) {
            sink.report(
                &rules::NUMBER_RANGE,
                &key(path, name),
                invalid(value, "must be greater than or equal to 0"),
            );
        }
    }
    if let Some(grace) = probe.termination_grace_period_seconds.filter(|g| *g <= 0) {
        sink.report(
            &rules::NUMBER_RANGE,
            &key(path, "terminationGracePeriodSeconds"),
            invalid(grace, "must be greater than 0"),
        );
    }
}

#[cfg(test)]
mod tests;
