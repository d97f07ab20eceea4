//! The Pod Security Standards' baseline and restricted levels, checked control by control as
//! the Kubernetes documentation lists them, field by field, on every container of the pod.

use serde_json::Value;

use super::containers;

/// Capabilities the baseline level lets a container add.
const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Volume types the restricted level allows.
const RESTRICTED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// The sysctls the baseline level allows on every version podsmith targets (1.27 and newer),
/// as the Pod Security Standards list them.
const BASELINE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
];

/// Where the pod breaks the baseline level, one line each.
pub(super) fn baseline_violations(pod: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        if pod[field].as_bool() == Some(true) {
            out.push(format!("{field} is true"));
        }
    }
    let sysctls = pod["securityContext"]["sysctls"].as_array();
    for sysctl in sysctls.into_iter().flatten() {
        let name = sysctl["name"].as_str().unwrap_or_default();
        if !BASELINE_SYSCTLS.contains(&name) {
            out.push(format!("sysctl {name} is not a safe one"));
        }
    }
    if pod["securityContext"]["seccompProfile"]["type"].as_str() == Some("Unconfined") {
        out.push("the pod's seccomp profile is Unconfined".into());
    }
    for volume in pod["volumes"].as_array().into_iter().flatten() {
        if !volume["hostPath"].is_null() {
            out.push(format!("volume {:?} is a hostPath", volume["name"]));
        }
    }
    for container in containers(pod) {
        let name = container["name"].as_str().unwrap_or_default();
        let context = &container["securityContext"];
        if context["privileged"].as_bool() == Some(true) {
            out.push(format!("{name} is privileged"));
        }
        for capability in context["capabilities"]["add"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let capability = capability.as_str().unwrap_or_default();
            if !BASELINE_CAPABILITIES.contains(&capability) {
                out.push(format!("{name} adds {capability}"));
            }
        }
        for port in container["ports"].as_array().into_iter().flatten() {
            if port["hostPort"].as_u64().is_some_and(|p| p != 0) {
                out.push(format!("{name} uses a hostPort"));
            }
        }
        if context["seccompProfile"]["type"].as_str() == Some("Unconfined") {
            out.push(format!("{name}'s seccomp profile is Unconfined"));
        }
        if context["procMount"]
            .as_str()
            .is_some_and(|m| m != "Default")
        {
            out.push(format!("{name} unmasks /proc"));
        }
    }
    out
}

/// Where the pod breaks the restricted level (which includes baseline), one line each.
pub(super) fn restricted_violations(pod: &Value) -> Vec<String> {
    let mut out = baseline_violations(pod);
    let pod_context = &pod["securityContext"];
    for volume in pod["volumes"].as_array().into_iter().flatten() {
        let kind = volume
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, _)| key.as_str())
            .find(|key| *key != "name")
            .unwrap_or_default();
        if !RESTRICTED_VOLUMES.contains(&kind) {
            out.push(format!("volume {:?} is a {kind}", volume["name"]));
        }
    }
    if pod_context["runAsUser"].as_u64() == Some(0) {
        out.push("the pod runs as UID 0".into());
    }
    let pod_seccomp = pod_context["seccompProfile"]["type"].as_str();
    for container in containers(pod) {
        let name = container["name"].as_str().unwrap_or_default();
        let context = &container["securityContext"];
        if context["allowPrivilegeEscalation"].as_bool() != Some(false) {
            out.push(format!("{name} may escalate privileges"));
        }
        let non_root = context["runAsNonRoot"]
            .as_bool()
            .or(pod_context["runAsNonRoot"].as_bool());
        if non_root != Some(true) {
            out.push(format!("{name} does not set runAsNonRoot: true"));
        }
        if context["runAsUser"].as_u64() == Some(0) {
            out.push(format!("{name} runs as UID 0"));
        }
        let seccomp = context["seccompProfile"]["type"].as_str().or(pod_seccomp);
        if !matches!(seccomp, Some("RuntimeDefault" | "Localhost")) {
            out.push(format!("{name} has no RuntimeDefault seccomp profile"));
        }
        let drops_all = context["capabilities"]["drop"]
            .as_array()
            .is_some_and(|d| d.iter().any(|c| c.as_str() == Some("ALL")));
        if !drops_all {
            out.push(format!("{name} does not drop ALL capabilities"));
        }
        for capability in context["capabilities"]["add"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if capability.as_str() != Some("NET_BIND_SERVICE") {
                out.push(format!("{name} adds {capability:?}"));
            }
        }
    }
    out
}
