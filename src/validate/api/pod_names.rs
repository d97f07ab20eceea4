//! The names a pod spec sets or refers to, as `ValidatePodSpec`
//! (`pkg/apis/core/validation/validation.go`) checks them: `serviceAccountName`
//! (`ValidateServiceAccountName`), `nodeName` (`ValidateNodeName`), `priorityClassName`
//! (`ValidatePriorityClassName`), `runtimeClassName` (`ValidateRuntimeClassName`), all DNS-1123
//! subdomains; `hostname` and `subdomain`
//! (`ValidateDNS1123Label`); readiness gate condition types (`validateReadinessGates`) and
//! scheduling gate names (`validateSchedulingGates`), qualified names, the latter unique.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::PodSpec;

use super::{invalid, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let subdomains = [
        ("serviceAccountName", &spec.service_account_name),
        ("nodeName", &spec.node_name),
        ("priorityClassName", &spec.priority_class_name),
        ("runtimeClassName", &spec.runtime_class_name),
    ];
    for (field, value) in subdomains {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            report(
                names::dns1123_subdomain(value),
                value,
                &key(path, field),
                sink,
            );
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            report(names::dns1123_label(value), value, &key(path, field), sink);
        }
    }
    if let Some(gates) = spec.readiness_gates.as_deref().filter(|g| !g.is_empty()) {
        let gates_path = key(path, "readinessGates");
        for (at, gate) in gates.iter().enumerate() {
            let at = key(&index(&gates_path, at), "conditionType");
            let condition = &gate.condition_type;
            report(names::qualified_name(condition), condition, &at, sink);
        }
    }
    if let Some(gates) = spec.scheduling_gates.as_deref().filter(|g| !g.is_empty()) {
        let gates_path = key(path, "schedulingGates");
        let mut seen = HashSet::new();
        for (at, gate) in gates.iter().enumerate() {
            let at = key(&index(&gates_path, at), "name");
            report(names::qualified_name(&gate.name), &gate.name, &at, sink);
            if !seen.insert(gate.name.as_str()) {
                let message = format!("Duplicate value: {}", shown(&gate.name));
                sink.report(&rules::POD_NAMES, &at, message);
            }
        }
    }
}

fn report(messages: Vec<String>, value: &str, path: &str, sink: &mut Sink) {
    for message in messages {
        sink.report(&rules::POD_NAMES, path, invalid(shown(value), &message));
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;

    fn pod(spec: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{spec}  containers:\n  - name: app\n    image: nginx:1.27\n")
    }

    #[test]
    fn names_a_pod_sets_are_dns_names() {
        let ok = "  serviceAccountName: web.reader\n  priorityClassName: high\n  nodeName: node-1.example.com\n  hostname: web-0\n  subdomain: web\n";
        assert!(only(&pod(ok), "pod-names").is_empty());
        let found = only(
            &pod("  serviceAccountName: Web_Reader\n  hostname: web.0\n"),
            "pod-names",
        );
        let paths: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["spec.serviceAccountName", "spec.hostname"],
            "{found:?}"
        );
        assert!(
            found[0]
                .2
                .starts_with("Invalid value: \"Web_Reader\": a lowercase RFC 1123 subdomain"),
            "{found:?}"
        );
    }

    #[test]
    fn gates_are_qualified_names_and_scheduling_gates_unique() {
        let ok = "  readinessGates:\n  - conditionType: example.com/ready\n  schedulingGates:\n  - name: example.com/quota\n  - name: example.com/zone\n";
        assert!(only(&pod(ok), "pod-names").is_empty());
        let twice =
            "  schedulingGates:\n  - name: example.com/quota\n  - name: example.com/quota\n";
        assert_eq!(
            only(&pod(twice), "pod-names"),
            vec![(
                8,
                "spec.schedulingGates[1].name".to_string(),
                "Duplicate value: \"example.com/quota\"".to_string()
            )]
        );
        let bad = only(
            &pod("  readinessGates:\n  - conditionType: \"not ready\"\n"),
            "pod-names",
        );
        assert_eq!(bad.len(), 1, "{bad:?}");
    }
}
