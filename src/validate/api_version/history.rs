//! The apiVersions the generated tables cannot tell about, kept by hand from the Kubernetes
//! deprecated API migration guide: those removed before 1.27, the oldest version the tables
//! cover, and GA kinds deprecated without a newer version to move to.

use crate::validate::served;

/// When an apiVersion of a kind was removed before the tables start.
pub(super) struct Removal {
    /// The minor version that stopped serving it.
    pub(crate) removed_in: u32,
    /// The apiVersion to use instead, if the kind lives on.
    pub(crate) replacement: Option<&'static str>,
}

/// The removal of `kind` under `api_version` before 1.27, if it was removed then.
pub(super) fn removed_before(api_version: &str, kind: &str) -> Option<Removal> {
    REMOVED_BEFORE
        .iter()
        .find(|(version, kinds, _, _)| *version == api_version && kinds.contains(&kind))
        .map(|(_, _, removed_in, replacement)| Removal {
            removed_in: *removed_in,
            replacement: *replacement,
        })
}

/// Whether `group` is a built-in API group whose every version was removed before 1.27
/// (`extensions`), so that an unknown kind in it is not a custom resource.
pub(super) fn is_removed_group(group: &str) -> bool {
    REMOVED_BEFORE
        .iter()
        .any(|(version, _, _, _)| served::group_of(version) == group)
}

/// When a served GA `kind` under `api_version` was deprecated at `minor` or before, and what
/// to use instead.
pub(super) fn deprecated_ga(
    api_version: &str,
    kind: &str,
    minor: u32,
) -> Option<(u32, &'static str)> {
    DEPRECATED_GA
        .iter()
        .find(|(v, k, since, _)| *v == api_version && *k == kind && minor >= *since)
        .map(|(_, _, since, instead)| (*since, *instead))
}

/// apiVersions removed before 1.27, the oldest version the tables cover: (apiVersion, kinds,
/// removed in 1.x, replacement apiVersion).
const REMOVED_BEFORE: &[(&str, &[&str], u32, Option<&str>)] = &[
    (
        "extensions/v1beta1",
        &["Deployment", "DaemonSet", "ReplicaSet"],
        16,
        Some("apps/v1"),
    ),
    (
        "extensions/v1beta1",
        &["NetworkPolicy"],
        16,
        Some("networking.k8s.io/v1"),
    ),
    ("extensions/v1beta1", &["PodSecurityPolicy"], 16, None),
    (
        "apps/v1beta1",
        &["Deployment", "StatefulSet", "ReplicaSet"],
        16,
        Some("apps/v1"),
    ),
    (
        "apps/v1beta2",
        &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
        16,
        Some("apps/v1"),
    ),
    (
        "extensions/v1beta1",
        &["Ingress"],
        22,
        Some("networking.k8s.io/v1"),
    ),
    (
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        22,
        Some("networking.k8s.io/v1"),
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        22,
        Some("admissionregistration.k8s.io/v1"),
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        &["CustomResourceDefinition"],
        22,
        Some("apiextensions.k8s.io/v1"),
    ),
    (
        "apiregistration.k8s.io/v1beta1",
        &["APIService"],
        22,
        Some("apiregistration.k8s.io/v1"),
    ),
    (
        "authentication.k8s.io/v1beta1",
        &["TokenReview"],
        22,
        Some("authentication.k8s.io/v1"),
    ),
    (
        "authorization.k8s.io/v1beta1",
        &[
            "SubjectAccessReview",
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
        ],
        22,
        Some("authorization.k8s.io/v1"),
    ),
    (
        "certificates.k8s.io/v1beta1",
        &["CertificateSigningRequest"],
        22,
        Some("certificates.k8s.io/v1"),
    ),
    (
        "coordination.k8s.io/v1beta1",
        &["Lease"],
        22,
        Some("coordination.k8s.io/v1"),
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        22,
        Some("rbac.authorization.k8s.io/v1"),
    ),
    (
        "scheduling.k8s.io/v1beta1",
        &["PriorityClass"],
        22,
        Some("scheduling.k8s.io/v1"),
    ),
    (
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
        22,
        Some("storage.k8s.io/v1"),
    ),
    ("batch/v1beta1", &["CronJob"], 25, Some("batch/v1")),
    (
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        25,
        Some("discovery.k8s.io/v1"),
    ),
    (
        "events.k8s.io/v1beta1",
        &["Event"],
        25,
        Some("events.k8s.io/v1"),
    ),
    (
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        25,
        Some("autoscaling/v2"),
    ),
    (
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        25,
        Some("policy/v1"),
    ),
    ("policy/v1beta1", &["PodSecurityPolicy"], 25, None),
    (
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        25,
        Some("node.k8s.io/v1"),
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &["FlowSchema", "PriorityLevelConfiguration"],
        26,
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
    (
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        26,
        Some("autoscaling/v2"),
    ),
    (
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        27,
        Some("storage.k8s.io/v1"),
    ),
];

/// Served GA kinds that are deprecated without a newer version of their own: (apiVersion,
/// kind, since 1.x, what to use instead).
const DEPRECATED_GA: &[(&str, &str, u32, &str)] = &[
    (
        "v1",
        "ComponentStatus",
        19,
        "the API server's /livez and /readyz",
    ),
    ("v1", "Endpoints", 33, "discovery.k8s.io/v1 EndpointSlice"),
];
