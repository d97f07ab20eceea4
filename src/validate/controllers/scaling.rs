//! What bounds a workload's pod count from outside: `ValidatePodDisruptionBudgetSpec` and
//! `ValidateHorizontalPodAutoscalerSpec`.

use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;

use super::{count_or_percent, show};
use crate::validate::api::{enum_value, invalid};
use crate::validate::locate::key;
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn disruption_budget(budget: &PodDisruptionBudget, sink: &mut Sink) {
    let Some(spec) = &budget.spec else {
        return;
    };
    if let (Some(min), Some(max)) = (&spec.min_available, &spec.max_unavailable) {
        sink.report(
            &rules::DISRUPTION_BUDGET,
            "spec",
            invalid(
                format!(
                    "{{\"minAvailable\":{},\"maxUnavailable\":{}}}",
                    show(min),
                    show(max)
                ),
                "minAvailable and maxUnavailable cannot be both set",
            ),
        );
    }
    for (name, value) in [
        ("minAvailable", &spec.min_available),
        ("maxUnavailable", &spec.max_unavailable),
    ] {
        if let Some(value) = value {
            count_or_percent(
                value,
                &key("spec", name),
                true,
                &rules::DISRUPTION_BUDGET,
                sink,
            );
        }
    }
    enum_value(
        sink,
        "spec.unhealthyPodEvictionPolicy",
        spec.unhealthy_pod_eviction_policy.as_deref(),
        &["IfHealthyBudget", "AlwaysAllow"],
    );
}

pub(super) fn autoscaler(autoscaler: &HorizontalPodAutoscaler, sink: &mut Sink) {
    let spec = &autoscaler.spec;
    if let Some(min) = spec.min_replicas.filter(|m| *m < 1) {
        sink.report(
            &rules::NUMBER_RANGE,
            "spec.minReplicas",
            invalid(min, "must be greater than or equal to 1"),
        );
    }
    if spec.max_replicas < 1 {
        sink.report(
            &rules::NUMBER_RANGE,
            "spec.maxReplicas",
            invalid(spec.max_replicas, "must be greater than 0"),
        );
    }
    if spec.min_replicas.is_some_and(|min| spec.max_replicas < min) {
        sink.report(
            &rules::NUMBER_RANGE,
            "spec.maxReplicas",
            invalid(
                spec.max_replicas,
                "must be greater than or equal to `minReplicas`",
            ),
        );
    }
    let target = &spec.scale_target_ref;
    for (name, value) in [("kind", &target.kind), ("name", &target.name)] {
        if value.is_empty() {
            sink.report(
                &rules::SCALE_TARGET,
                &key("spec.scaleTargetRef", name),
                "Required value",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;

    #[test]
    fn disruption_budget_sets_one_bound() {
        let text = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: b\nspec:\n  minAvailable: 1\n  maxUnavailable: 50%\n  selector:\n    matchLabels:\n      app: web\n";
        assert_eq!(
            only(text, "disruption-budget"),
            vec![(5, "spec".to_string(), "Invalid value: {\"minAvailable\":1,\"maxUnavailable\":\"50%\"}: minAvailable and maxUnavailable cannot be both set".to_string())]
        );
    }

    #[test]
    fn autoscaler_replicas() {
        let text = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 5\n  maxReplicas: 2\n";
        assert_eq!(
            only(text, "number-range")[0].2,
            "Invalid value: 2: must be greater than or equal to `minReplicas`"
        );
    }
}
