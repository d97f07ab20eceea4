//! A container's resource names and the resources that cannot be overcommitted, as
//! `validateResourceRequirements` and `validateContainerResourceName` check them: a standard
//! name (`cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>`) or a domain-qualified
//! extended resource; an extended resource or hugepages request equals its limit (which it
//! needs); hugepages come in whole pages and with cpu or memory.
//! Quantities and request ≤ limit are [`super::container`]'s.

use k8s_openapi::api::core::v1::{PodSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::{invalid, shown};
use crate::names;
use crate::quantity;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::{schema, Sink};

const HUGEPAGES: &str = "hugepages-";

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    for (list, containers) in schema::containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            if let Some(resources) = &container.resources {
                let r = key(&index(&key(path, list), at), "resources");
                requirements(resources, &r, sink);
            }
        }
    }
}

fn requirements(resources: &ResourceRequirements, path: &str, sink: &mut Sink) {
    let limits = resources.limits.as_ref();
    let requests = resources.requests.as_ref();
    let mut has_cpu_or_memory = false;
    let mut has_hugepages = false;
    for (list, values) in [("limits", limits), ("requests", requests)] {
        for (name, value) in values.into_iter().flatten() {
            let at = key(&key(path, list), name);
            resource_name(name, &at, sink);
            has_cpu_or_memory |= name == "cpu" || name == "memory";
            if name.starts_with(HUGEPAGES) {
                has_hugepages = true;
                whole_pages(name, value, &at, sink);
            }
        }
    }
    for (name, request) in requests.into_iter().flatten() {
        if overcommit_allowed(name) {
            continue;
        }
        match limits.and_then(|l| l.get(name)) {
            None => sink.report(
                &rules::RESOURCE_NAME,
                &key(path, "limits"),
                "Required value: Limit must be set for non overcommitable resources",
            ),
            Some(limit) => equal_to_limit(name, request, limit, path, sink),
        }
    }
    if has_hugepages && !has_cpu_or_memory {
        let message = "Forbidden: HugePages require cpu or memory";
        sink.report(&rules::RESOURCE_NAME, path, message);
    }
}

/// `validateContainerResourceName` (after `validateResourceName`).
fn resource_name(name: &str, path: &str, sink: &mut Sink) {
    let mut report = |message: &str| {
        sink.report(&rules::RESOURCE_NAME, path, invalid(shown(name), message));
    };
    let qualified = names::qualified_name(name);
    if !qualified.is_empty() {
        qualified.iter().for_each(|message| report(message));
        return;
    }
    if !name.contains('/') {
        if !is_standard_resource(name) {
            report("must be a standard resource type or fully qualified");
        }
        if !is_standard_container_resource(name) {
            report("must be a standard resource for containers");
        }
    } else if !is_native(name) && !is_extended(name) {
        report("doesn't follow extended resource name standard");
    }
}

/// `IsStandardContainerResourceName`.
fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with(HUGEPAGES)
}

/// `IsStandardResourceName`: the names a quota or a container may use without a domain.
fn is_standard_resource(name: &str) -> bool {
    const STANDARD: &[&str] = &[
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "requests.storage",
        "services.nodeports",
        "services.loadbalancers",
    ];
    STANDARD.contains(&name) || name.starts_with(HUGEPAGES)
}

/// `IsNativeResource`: no domain, or one under `kubernetes.io/`.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsExtendedResourceName`: a domain-qualified name that is a qualified name behind `requests.`.
fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && names::qualified_name(&format!("requests.{name}")).is_empty()
}

/// `IsOvercommitAllowed`: native resources but hugepages.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !name.starts_with(HUGEPAGES)
}

fn equal_to_limit(name: &str, request: &Quantity, limit: &Quantity, path: &str, sink: &mut Sink) {
    let (Some(asked), Some(capped)) = (quantity::parse(&request.0), quantity::parse(&limit.0))
    else {
        return;
    };
    // A request above its limit is `resource-request-above-limit`.
    if asked < capped {
        let message = format!("must be equal to {name} limit of {}", limit.0);
        let at = key(path, "requests");
        sink.report(
            &rules::RESOURCE_NAME,
            &at,
            invalid(shown(&request.0), &message),
        );
    }
}

/// `validateResourceQuantityHugePageValue`: a whole number of pages of the size in the name.
fn whole_pages(name: &str, value: &Quantity, path: &str, sink: &mut Sink) {
    let page = quantity::parse(&name[HUGEPAGES.len()..]).map(quantity::Quantity::whole_units);
    let amount = quantity::parse(&value.0).map(quantity::Quantity::whole_units);
    let (Some(page), Some(amount)) = (page, amount) else {
        return;
    };
    if page <= 0 || amount % page != 0 {
        let message = format!("{} is not positive integer multiple of {name}", value.0);
        sink.report(
            &rules::RESOURCE_NAME,
            path,
            invalid(shown(&value.0), &message),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn container(resources: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources:\n{resources}"
        );
        messages(&text, "resource-name")
    }

    #[test]
    fn names_are_standard_or_qualified() {
        assert_eq!(
            container("      limits:\n        gpu: 1\n        cpu: 1\n"),
            vec![
                (
                    "spec.containers[0].resources.limits.gpu".to_string(),
                    "Invalid value: \"gpu\": must be a standard resource type or fully qualified"
                        .to_string()
                ),
                (
                    "spec.containers[0].resources.limits.gpu".to_string(),
                    "Invalid value: \"gpu\": must be a standard resource for containers"
                        .to_string()
                ),
            ]
        );
        assert!(container("      limits:\n        nvidia.com/gpu: 1\n        cpu: 1\n      requests:\n        nvidia.com/gpu: 1\n").is_empty());
    }

    #[test]
    fn extended_resources_request_their_limit() {
        assert_eq!(
            container("      requests:\n        example.com/fpga: 1\n"),
            vec![(
                "spec.containers[0].resources.limits".to_string(),
                "Required value: Limit must be set for non overcommitable resources".to_string()
            )]
        );
        assert_eq!(
            container("      requests:\n        nvidia.com/gpu: 1\n      limits:\n        nvidia.com/gpu: 2\n"),
            vec![("spec.containers[0].resources.requests".to_string(), "Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2".to_string())]
        );
    }

    #[test]
    fn hugepages_are_whole_pages_beside_cpu_or_memory() {
        assert_eq!(
            container("      limits:\n        hugepages-2Mi: 3Mi\n"),
            vec![
                (
                    "spec.containers[0].resources".to_string(),
                    "Forbidden: HugePages require cpu or memory".to_string()
                ),
                (
                    "spec.containers[0].resources.limits.hugepages-2Mi".to_string(),
                    "Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi"
                        .to_string()
                ),
            ]
        );
        assert!(
            container("      limits:\n        hugepages-2Mi: 100Mi\n        memory: 100Mi\n")
                .is_empty()
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn resource_name() {
        let text = include_str!("../../../tests/fixtures/invalid/resource-name.yaml");
        assert_eq!(
            only(text, "resource-name"),
            vec![(
                12,
                "spec.containers[0].resources.requests".to_string(),
                "Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2".to_string()
            )]
        );
    }
}
