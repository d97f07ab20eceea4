//! The pod's sysctls that stop it at start though the API server accepts them. The kubelet
//! sets only its safe sysctls unless the node allows more (`--allowed-unsafe-sysctls`), else the
//! pod fails with `SysctlForbidden`; the Pod Security Standards' baseline level (and so
//! restricted) admits the same safe set, which grew with the Kubernetes version. A sysctl of a
//! namespace the pod shares with the node (`net.*` with hostNetwork, the IPC ones with hostIPC)
//! is refused by the kubelet whatever its list (and from 1.29 by the API server, which
//! `security-context` reports).

use k8s_openapi::api::core::v1::PodSpec;

use super::locate::{index, key};
use super::rules;
use super::Sink;

/// Whether a sysctl belongs to the IPC namespace.
fn in_ipc_namespace(name: &str) -> bool {
    name == "kernel.sem"
        || ["kernel.shm", "kernel.msg", "fs.mqueue."]
            .iter()
            .any(|p| name.starts_with(p))
}

/// Reports each of the pod's sysctls the kubelet or the Pod Security Standards would refuse.
pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let sysctls = spec
        .security_context
        .as_ref()
        .and_then(|context| context.sysctls.as_deref())
        .unwrap_or_default();
    let minor = sink.version().minor();
    let at = key(&key(path, "securityContext"), "sysctls");
    for (position, sysctl) in sysctls.iter().enumerate() {
        // The kubelet reads `/` as `.` (`net/ipv4/tcp_syncookies`).
        let name = sysctl.name.replace('/', ".");
        let here = key(&index(&at, position), "name");
        let shared = match () {
            _ if name.starts_with("net.") && spec.host_network == Some(true) => Some("hostNetwork"),
            _ if in_ipc_namespace(&name) && spec.host_ipc == Some(true) => Some("hostIPC"),
            _ => None,
        };
        // From 1.29 the API server itself refuses these (`security-context`).
        let refused_on_create = sink.version().host_namespace_sysctls_forbidden();
        if let Some(field) = shared.filter(|_| !refused_on_create) {
            sink.report(
                &rules::SYSCTL_REFUSED,
                &here,
                format!("sysctl {name:?} is set in a namespace the pod shares with the node ({field}: true): the kubelet refuses the pod (SysctlForbidden); drop {field} or the sysctl"),
            );
            continue;
        }
        match crate::kube_version::sysctl_safe_since(&name) {
            Some(since) if since <= minor => {}
            Some(since) => sink.report(
                &rules::SYSCTL_REFUSED,
                &here,
                format!("sysctl {name:?} is safe from Kubernetes 1.{since}, not on 1.{minor}: the kubelet refuses the pod (SysctlForbidden) unless the node allows it with --allowed-unsafe-sysctls, and the Pod Security Standards' baseline and restricted levels refuse it at admission"),
            ),
            None => sink.report(
                &rules::SYSCTL_REFUSED,
                &here,
                format!("sysctl {name:?} is not one of the kubelet's safe sysctls: the kubelet refuses the pod (SysctlForbidden) unless the node allows it with --allowed-unsafe-sysctls, and the Pod Security Standards' baseline and restricted levels refuse it at admission"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kube_version::KubeVersion;

    /// The sysctl-refused findings on a Pod with these sysctls and pod settings.
    fn findings(sysctls: &[&str], settings: &str, minor: u32) -> Vec<String> {
        let list: String = sysctls
            .iter()
            .map(|name| format!("    - name: {name}\n      value: \"80\"\n"))
            .collect();
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{settings}  securityContext:\n    sysctls:\n{list}  containers:\n  - name: web\n    image: nginx:1.27\n"
        );
        let options = crate::validate::Options {
            kube_version: KubeVersion::new(minor).unwrap(),
            ..crate::validate::Options::default()
        };
        crate::validate::validate_stream(&text, "<test>", &options)
            .findings
            .into_iter()
            .filter(|f| f.rule == "sysctl-refused")
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect()
    }

    #[test]
    fn the_unprivileged_port_sysctl_is_safe_on_every_supported_version() {
        for version in KubeVersion::all() {
            let minor = version.minor();
            assert_eq!(
                findings(&["net.ipv4.ip_unprivileged_port_start"], "", minor),
                Vec::<String>::new(),
                "1.{minor}"
            );
        }
    }

    #[test]
    fn an_unsafe_sysctl_is_refused() {
        let found = findings(&["net.core.somaxconn"], "", 37);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("spec.securityContext.sysctls[0].name: sysctl \"net.core.somaxconn\" is not one of the kubelet's safe sysctls"),
            "{found:?}"
        );
    }

    #[test]
    fn a_safe_sysctl_counts_from_the_version_that_made_it_safe() {
        assert_eq!(
            findings(&["net.ipv4.tcp_rmem"], "", 32),
            Vec::<String>::new()
        );
        let found = findings(&["net.ipv4.tcp_rmem"], "", 31);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("safe from Kubernetes 1.32, not on 1.31"),
            "{found:?}"
        );
    }

    #[test]
    fn a_sysctl_of_a_namespace_shared_with_the_node_is_refused() {
        // Before 1.29 only the kubelet refuses it; from 1.29 the API server does, as
        // `security-context`, and this warning stays quiet.
        let found = findings(
            &["net.ipv4.ip_unprivileged_port_start"],
            "  hostNetwork: true\n",
            28,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("(hostNetwork: true): the kubelet refuses the pod"),
            "{found:?}"
        );
        let at_37 = findings(
            &["net.ipv4.ip_unprivileged_port_start"],
            "  hostNetwork: true\n",
            37,
        );
        assert!(at_37.is_empty(), "{at_37:?}");
        assert_eq!(
            findings(&["kernel.shm_rmid_forced"], "  hostNetwork: true\n", 28),
            Vec::<String>::new()
        );
        let ipc = findings(&["kernel.shm_rmid_forced"], "  hostIPC: true\n", 28);
        assert!(ipc[0].contains("(hostIPC: true)"), "{ipc:?}");
    }
}
