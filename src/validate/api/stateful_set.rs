//! A StatefulSet's own fields as `ValidateStatefulSetSpec` checks them: the governing
//! Service (until 1.33), the first ordinal and the claim retention policy. Its template's
//! selector, restart policy and deadline are checked with the other workloads'.

use k8s_openapi::api::apps::v1::StatefulSetSpec;

use super::{enum_value, invalid};
use crate::kube_version::KubeVersion;
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn check(spec: &StatefulSetSpec, sink: &mut Sink) {
    service_name(spec.service_name.as_deref(), sink);
    if let Some(start) = spec
        .ordinals
        .as_ref()
        .and_then(|o| o.start)
        .filter(|s| *s < 0)
    {
        sink.report(
            &rules::NUMBER_RANGE,
            "spec.ordinals.start",
            invalid(start, "must be greater than or equal to 0"),
        );
    }
    // `ValidatePersistentVolumeClaimRetentionPolicyType`; an unset policy defaults to Retain.
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        for (field, value) in [
            ("whenDeleted", &policy.when_deleted),
            ("whenScaled", &policy.when_scaled),
        ] {
            let path = format!("spec.persistentVolumeClaimRetentionPolicy.{field}");
            let value = value.as_deref().filter(|v| !v.is_empty());
            enum_value(sink, &path, value, &["Retain", "Delete"]);
        }
    }
}

/// A StatefulSet names its governing Service until 1.33, when the field became optional.
fn service_name(name: Option<&str>, sink: &mut Sink) {
    let named = name.is_some_and(|n| !n.is_empty());
    if !named && !sink.version().statefulset_service_name_optional() {
        sink.report(
            &rules::SERVICE_NAME_REQUIRED,
            "spec.serviceName",
            format!(
                "Required value: a StatefulSet names its governing Service until Kubernetes {} (target: {})",
                KubeVersion::OPTIONAL_SERVICE_NAME,
                sink.version()
            ),
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn service_name_required() {
        let text = include_str!("../../../tests/fixtures/invalid/service-name-required.yaml");
        assert_eq!(
            only(text, "service-name-required"),
            vec![
            (8, "spec.serviceName".to_string(), "Required value: a StatefulSet names its governing Service until Kubernetes 1.33 (target: 1.32)".to_string())
            ]
        );
    }

    #[test]
    fn ordinals_and_retention_policy() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  ordinals:\n    start: -1\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Keep\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres:16.4\n";
        let paths = |rule| -> Vec<String> { only(text, rule).into_iter().map(|f| f.1).collect() };
        assert_eq!(paths("number-range"), vec!["spec.ordinals.start"]);
        assert_eq!(
            paths("enum-value"),
            vec!["spec.persistentVolumeClaimRetentionPolicy.whenDeleted"]
        );
    }
}
