//! A HorizontalPodAutoscaler's metrics and behavior, as `validateMetrics`, `validateMetricSpec`
//! (with each source's function and `validateMetricTarget`) and `validateBehavior`
//! (`validateScalingRules`, `validateScalingPolicy`) check them. Read after the v2 defaults:
//! a scaling rule without `policies` gets the default ones.

use k8s_openapi::api::autoscaling::v2::{
    HPAScalingRules, HorizontalPodAutoscaler, MetricIdentifier, MetricSpec, MetricTarget,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::metadata::path_segment_name;
use super::{invalid, quoted, unsupported};
use crate::quantity;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

const METRIC_TYPES: &[&str] = &[
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];
/// `MaxPeriodSeconds`, `MaxStabilizationWindowSeconds`.
const MAX_PERIOD_SECONDS: i32 = 1800;
const MAX_WINDOW_SECONDS: i32 = 3600;

fn report(sink: &mut Sink, path: &str, message: impl Into<String>) {
    sink.report(&rules::AUTOSCALER, path, message);
}

pub(super) fn check(autoscaler: &HorizontalPodAutoscaler, sink: &mut Sink) {
    let spec = &autoscaler.spec;
    for (at, metric) in spec.metrics.iter().flatten().enumerate() {
        self::metric(metric, &index("spec.metrics", at), sink);
    }
    if let Some(behavior) = &spec.behavior {
        for (name, rules) in [
            ("scaleUp", &behavior.scale_up),
            ("scaleDown", &behavior.scale_down),
        ] {
            if let Some(rules) = rules {
                scaling_rules(rules, &key("spec.behavior", name), sink);
            }
        }
    }
}

/// `validateMetricSpec`: a known type, its source set and no other, the source complete.
fn metric(metric: &MetricSpec, path: &str, sink: &mut Sink) {
    let kind = metric.type_.as_str();
    let type_path = key(path, "type");
    if kind.is_empty() {
        report(
            sink,
            &type_path,
            "Required value: must specify a metric source type",
        );
    } else if !METRIC_TYPES.contains(&kind) {
        report(sink, &type_path, unsupported(kind, METRIC_TYPES));
    }
    let present = [
        ("object", metric.object.is_some()),
        ("external", metric.external.is_some()),
        ("pods", metric.pods.is_some()),
        ("resource", metric.resource.is_some()),
        ("containerResource", metric.container_resource.is_some()),
    ];
    let expected = match kind {
        "Object" => "object",
        "External" => "external",
        "Pods" => "pods",
        "Resource" => "resource",
        "ContainerResource" => "containerResource",
        _ => "",
    };
    if let Some((field, false)) = present.iter().find(|(field, _)| *field == expected) {
        let message = "Required value: must populate information for the given metric source";
        report(sink, &key(path, field), message);
    }
    if present.iter().filter(|(_, set)| *set).count() > 1 {
        for (field, _) in present.iter().filter(|(f, set)| *set && *f != expected) {
            let message = "Forbidden: must populate the given metric source only";
            report(sink, &key(path, field), message);
        }
    }
    sources(metric, path, sink);
}

/// Each source's own checks (`validateObjectSource`, `validateExternalSource`,
/// `validatePodsSource`, `validateResourceSource`, `validateContainerResourceSource`).
fn sources(metric: &MetricSpec, path: &str, sink: &mut Sink) {
    if let Some(object) = &metric.object {
        let at = key(path, "object");
        let described = key(&at, "describedObject");
        for (field, value) in [
            ("kind", &object.described_object.kind),
            ("name", &object.described_object.name),
        ] {
            path_segment(value, &key(&described, field), sink);
        }
        identifier(&object.metric, &key(&at, "metric"), sink);
        let target = &object.target;
        target_values(target, &key(&at, "target"), sink);
        if target.value.is_none() && target.average_value.is_none() {
            let message = "Required value: must set either a target value or averageValue";
            report(sink, &key(&key(&at, "target"), "averageValue"), message);
        }
    }
    if let Some(external) = &metric.external {
        let at = key(path, "external");
        identifier(&external.metric, &key(&at, "metric"), sink);
        value_or_average(&external.target, &key(&at, "target"), "for metric", sink);
    }
    if let Some(pods) = &metric.pods {
        let at = key(path, "pods");
        identifier(&pods.metric, &key(&at, "metric"), sink);
        target_values(&pods.target, &key(&at, "target"), sink);
        if pods.target.average_value.is_none() {
            let message = "Required value: must specify a positive target averageValue";
            report(sink, &key(&key(&at, "target"), "averageValue"), message);
        }
    }
    if let Some(resource) = &metric.resource {
        let at = key(path, "resource");
        if resource.name.is_empty() {
            report(
                sink,
                &key(&at, "name"),
                "Required value: must specify a resource name",
            );
        }
        raw_or_utilization(&resource.target, &key(&at, "target"), sink);
    }
    if let Some(resource) = &metric.container_resource {
        let at = key(path, "containerResource");
        if resource.name.is_empty() {
            report(
                sink,
                &key(&at, "name"),
                "Required value: must specify a resource name",
            );
        }
        if resource.container.is_empty() {
            report(
                sink,
                &key(&at, "container"),
                "Required value: must specify a container",
            );
        }
        raw_or_utilization(&resource.target, &key(&at, "target"), sink);
    }
}

fn path_segment(value: &str, path: &str, sink: &mut Sink) {
    if value.is_empty() {
        report(sink, path, "Required value");
    }
    for message in path_segment_name(value) {
        report(sink, path, invalid(quoted(value), &message));
    }
}

/// `validateMetricIdentifier`.
fn identifier(metric: &MetricIdentifier, path: &str, sink: &mut Sink) {
    let at = key(path, "name");
    if metric.name.is_empty() {
        report(sink, &at, "Required value: must specify a metric name");
    }
    for message in path_segment_name(&metric.name) {
        report(sink, &at, invalid(quoted(&metric.name), &message));
    }
}

fn value_or_average(target: &MetricTarget, path: &str, what: &str, sink: &mut Sink) {
    target_values(target, path, sink);
    match (&target.value, &target.average_value) {
        (None, None) => report(
            sink,
            &key(path, "averageValue"),
            format!("Required value: must set either a target value {what} or a per-pod target"),
        ),
        (Some(_), Some(_)) => report(
            sink,
            &key(path, "value"),
            format!("Forbidden: may not set both a target value {what} and a per-pod target"),
        ),
        _ => {}
    }
}

fn raw_or_utilization(target: &MetricTarget, path: &str, sink: &mut Sink) {
    target_values(target, path, sink);
    match (&target.average_utilization, &target.average_value) {
        (None, None) => report(
            sink,
            &key(path, "averageUtilization"),
            "Required value: must set either a target raw value or a target utilization",
        ),
        (Some(_), Some(_)) => report(
            sink,
            &key(path, "averageValue"),
            "Forbidden: may not set both a target raw value and a target utilization",
        ),
        _ => {}
    }
}

/// `validateMetricTarget`: a known type, positive values, utilization above 0.
fn target_values(target: &MetricTarget, path: &str, sink: &mut Sink) {
    let kind = target.type_.as_str();
    if kind.is_empty() {
        report(
            sink,
            &key(path, "type"),
            "Required value: must specify a metric target type",
        );
    }
    if !["Utilization", "Value", "AverageValue"].contains(&kind) {
        let message = invalid(
            quoted(kind),
            "must be either Utilization, Value, or AverageValue",
        );
        report(sink, &key(path, "type"), message);
    }
    for (field, value) in [
        ("value", &target.value),
        ("averageValue", &target.average_value),
    ] {
        if let Some(value) = value.as_ref().filter(|v| !positive(v)) {
            report(
                sink,
                &key(path, field),
                invalid(quoted(&value.0), "must be positive"),
            );
        }
    }
    if let Some(utilization) = target.average_utilization.filter(|u| *u < 1) {
        let message = invalid(utilization, "must be greater than 0");
        report(sink, &key(path, "averageUtilization"), message);
    }
}

/// Whether a quantity is above zero (a malformed one is the schema's concern).
fn positive(value: &Quantity) -> bool {
    quantity::parse(&value.0).is_none_or(|q| q > quantity::Quantity::ZERO)
}

/// `validateScalingRules` and `validateScalingPolicy`.
fn scaling_rules(rules: &HPAScalingRules, path: &str, sink: &mut Sink) {
    let window_path = key(path, "stabilizationWindowSeconds");
    match rules.stabilization_window_seconds {
        Some(window) if window < 0 => report(
            sink,
            &window_path,
            invalid(window, "must be greater than or equal to zero"),
        ),
        Some(window) if window > MAX_WINDOW_SECONDS => report(
            sink,
            &window_path,
            invalid(
                window,
                &format!("must be less than or equal to {MAX_WINDOW_SECONDS}"),
            ),
        ),
        _ => {}
    }
    if let Some(select) = rules.select_policy.as_deref() {
        if !["Disabled", "Max", "Min"].contains(&select) {
            let message = unsupported(select, &["Disabled", "Max", "Min"]);
            report(sink, &key(path, "selectPolicy"), message);
        }
    }
    let policies_path = key(path, "policies");
    if rules.policies.as_ref().is_some_and(Vec::is_empty) {
        report(
            sink,
            &policies_path,
            "Required value: must specify at least one Policy",
        );
    }
    for (at, policy) in rules.policies.iter().flatten().enumerate() {
        let p = index(&policies_path, at);
        if policy.type_ != "Pods" && policy.type_ != "Percent" {
            report(
                sink,
                &key(&p, "type"),
                unsupported(&policy.type_, &["Percent", "Pods"]),
            );
        }
        if policy.value <= 0 {
            let message = invalid(policy.value, "must be greater than zero");
            report(sink, &key(&p, "value"), message);
        }
        let period_path = key(&p, "periodSeconds");
        if policy.period_seconds <= 0 {
            report(
                sink,
                &period_path,
                invalid(policy.period_seconds, "must be greater than zero"),
            );
        } else if policy.period_seconds > MAX_PERIOD_SECONDS {
            let message = format!("must be less than or equal to {MAX_PERIOD_SECONDS}");
            report(sink, &period_path, invalid(policy.period_seconds, &message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn autoscaler(spec: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 5\n{spec}"
        );
        messages(&text, "autoscaler")
    }

    #[test]
    fn metrics_set_their_source_and_a_target() {
        let spec = "  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n  - type: Pods\n    resource:\n      name: memory\n      target:\n        type: AverageValue\n        averageValue: 500Mi\n";
        assert_eq!(
            autoscaler(spec),
            vec![
                (
                    "spec.metrics[0].resource.target.averageUtilization".to_string(),
                    "Required value: must set either a target raw value or a target utilization"
                        .to_string()
                ),
                (
                    "spec.metrics[1].pods".to_string(),
                    "Required value: must populate information for the given metric source"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn behavior_policies() {
        let spec = "  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 7200\n      policies:\n      - type: Percent\n        value: 0\n        periodSeconds: 60\n    scaleUp:\n      selectPolicy: Fastest\n";
        assert_eq!(
            autoscaler(spec),
            vec![
                ("spec.behavior.scaleDown.stabilizationWindowSeconds".to_string(), "Invalid value: 7200: must be less than or equal to 3600".to_string()),
                ("spec.behavior.scaleDown.policies[0].value".to_string(), "Invalid value: 0: must be greater than zero".to_string()),
                ("spec.behavior.scaleUp.selectPolicy".to_string(), "Unsupported value: \"Fastest\": supported values: \"Disabled\", \"Max\", \"Min\"".to_string()),
            ]
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn autoscaler() {
        let text = include_str!("../../../tests/fixtures/invalid/autoscaler.yaml");
        assert_eq!(
            only(text, "autoscaler"),
            vec![(
                18,
                "spec.metrics[0].resource.target.averageUtilization".to_string(),
                "Required value: must set either a target raw value or a target utilization"
                    .to_string()
            )]
        );
    }
}
