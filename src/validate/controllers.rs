//! Layer 2, the controllers' own API rules, with the messages of upstream
//! `pkg/apis/apps/validation` (`ValidateDeploymentSpec`, `ValidateDeploymentStrategy`,
//! `ValidateRollingUpdateDeployment`, `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`,
//! `ValidateReplicaSetSpec`), `pkg/apis/core/validation` (`ValidateReplicationControllerSpec`),
//! `pkg/apis/batch/validation` (`validateJobSpec`, `validateCronJobSpec`),
//! `pkg/apis/policy/validation` (`ValidatePodDisruptionBudgetSpec`) and
//! `pkg/apis/autoscaling/validation` (`ValidateHorizontalPodAutoscalerSpec`). The workload
//! controllers are here, Jobs and CronJobs in [`batch`], budgets and autoscalers in [`scaling`].

use k8s_openapi::api::apps::v1 as apps;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ReplicationControllerSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::api::{enum_value, invalid, quoted, unsupported};
use super::locate::key;
use super::object::{Object, Parsed};
use super::rules;
use super::Sink;

mod batch;
mod job_policies;
mod scaling;

use batch::{cron_job, job};
use scaling::{autoscaler, disruption_budget};

/// Runs the controller rules of the object's kind.
pub(super) fn check(parsed: &Parsed, sink: &mut Sink) {
    match &parsed.object {
        Object::Deployment(o) => deployment(&o.spec, sink),
        Object::StatefulSet(o) => stateful_set(&o.spec, sink),
        Object::DaemonSet(o) => daemon_set(&o.spec, sink),
        Object::ReplicaSet(o) => {
            non_negative(o.spec.replicas.map(i64::from), "spec.replicas", sink);
            non_negative(
                o.spec.min_ready_seconds.map(i64::from),
                "spec.minReadySeconds",
                sink,
            );
        }
        Object::ReplicationController(o) => {
            if let Some(spec) = &o.spec {
                replication_selector(spec, sink);
                non_negative(spec.replicas.map(i64::from), "spec.replicas", sink);
                non_negative(
                    spec.min_ready_seconds.map(i64::from),
                    "spec.minReadySeconds",
                    sink,
                );
            }
        }
        Object::Job(o) => {
            if let Some(spec) = &o.spec {
                job(spec, "spec", sink);
            }
        }
        Object::CronJob(o) => cron_job(o, sink),
        Object::PodDisruptionBudget(o) => disruption_budget(o, sink),
        Object::HorizontalPodAutoscaler(o) => autoscaler(o, sink),
        _ => {}
    }
}

/// `ValidateReplicationControllerSpec`: the selector (defaulted to the template labels when
/// empty) is not empty and matches the template labels.
fn replication_selector(spec: &ReplicationControllerSpec, sink: &mut Sink) {
    let empty = BTreeMap::new();
    let labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.as_ref())
        .unwrap_or(&empty);
    let selector = spec
        .selector
        .as_ref()
        .filter(|s| !s.is_empty())
        .unwrap_or(labels);
    if selector.is_empty() {
        sink.report(&rules::SELECTOR_REQUIRED, "spec.selector", "Required value");
    } else if selector.iter().any(|(k, v)| labels.get(k) != Some(v)) {
        let shown = serde_json::to_string(labels).unwrap_or_default();
        sink.report(
            &rules::SELECTOR_MISMATCH,
            "spec.template.metadata.labels",
            invalid(shown, "`selector` does not match template `labels`"),
        );
    }
}

/// `ValidateNonnegativeField`.
fn non_negative(value: Option<i64>, path: &str, sink: &mut Sink) {
    if let Some(value) = value.filter(|v| *v < 0) {
        sink.report(
            &rules::NUMBER_RANGE,
            path,
            invalid(value, "must be greater than or equal to 0"),
        );
    }
}

/// A count or percentage, as `getIntOrPercentValue` reads it (`None`: not a valid percent).
fn int_or_percent(value: &IntOrString) -> Option<i64> {
    match value {
        IntOrString::Int(number) => Some(i64::from(*number)),
        IntOrString::String(text) => {
            let digits = text.strip_suffix('%')?;
            (!digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()))
                .then(|| digits.parse().ok())
                .flatten()
        }
    }
}

fn show(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(number) => number.to_string(),
        IntOrString::String(text) => quoted(text),
    }
}

/// `ValidatePositiveIntOrPercent` and, with `at_most_100`, `IsNotMoreThan100Percent`.
fn count_or_percent(
    value: &IntOrString,
    path: &str,
    at_most_100: bool,
    rule: &'static rules::Rule,
    sink: &mut Sink,
) {
    match (value, int_or_percent(value)) {
        (IntOrString::String(_), None) => sink.report(
            rule,
            path,
            invalid(show(value), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
        ),
        (IntOrString::Int(number), _) if *number < 0 => sink.report(
            rule,
            path,
            invalid(number, "must be greater than or equal to 0"),
        ),
        (IntOrString::String(_), Some(percent)) if at_most_100 && percent > 100 => sink.report(
            rule,
            path,
            invalid(show(value), "must not be greater than 100%"),
        ),
        _ => {}
    }
}

fn deployment(spec: &apps::DeploymentSpec, sink: &mut Sink) {
    non_negative(spec.replicas.map(i64::from), "spec.replicas", sink);
    min_ready_and_history(spec.min_ready_seconds, spec.revision_history_limit, sink);
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    if let Some(deadline) = spec.progress_deadline_seconds {
        non_negative(
            Some(i64::from(deadline)),
            "spec.progressDeadlineSeconds",
            sink,
        );
        if deadline <= min_ready {
            sink.report(
                &rules::UPDATE_STRATEGY,
                "spec.progressDeadlineSeconds",
                invalid(deadline, "must be greater than minReadySeconds"),
            );
        }
    }
    let Some(strategy) = &spec.strategy else {
        return;
    };
    // The API defaults an unset type to RollingUpdate.
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "Recreate" if strategy.rolling_update.is_some() => sink.report(
            &rules::UPDATE_STRATEGY,
            "spec.strategy.rollingUpdate",
            "Forbidden: may not be specified when strategy `type` is 'Recreate'",
        ),
        "Recreate" => {}
        "RollingUpdate" => {
            let update = strategy.rolling_update.as_ref();
            rolling_update(
                update.and_then(|u| u.max_unavailable.as_ref()),
                update.and_then(|u| u.max_surge.as_ref()),
                "spec.strategy.rollingUpdate",
                sink,
            );
        }
        other => sink.report(
            &rules::UPDATE_STRATEGY,
            "spec.strategy.type",
            unsupported(other, &["Recreate", "RollingUpdate"]),
        ),
    }
}

/// `ValidateRollingUpdateDeployment` (and the DaemonSet's): both default to 25% when unset
/// in a Deployment; a DaemonSet defaults maxUnavailable to 1 and maxSurge to 0.
fn rolling_update(
    max_unavailable: Option<&IntOrString>,
    max_surge: Option<&IntOrString>,
    path: &str,
    sink: &mut Sink,
) {
    let unavailable_path = key(path, "maxUnavailable");
    if let Some(value) = max_unavailable {
        count_or_percent(
            value,
            &unavailable_path,
            true,
            &rules::UPDATE_STRATEGY,
            sink,
        );
    }
    if let Some(value) = max_surge {
        count_or_percent(
            value,
            &key(path, "maxSurge"),
            false,
            &rules::UPDATE_STRATEGY,
            sink,
        );
    }
    let zero = |value: Option<&IntOrString>| value.and_then(int_or_percent) == Some(0);
    if zero(max_unavailable) && zero(max_surge) {
        let shown = max_unavailable.map(show).unwrap_or_default();
        sink.report(
            &rules::UPDATE_STRATEGY,
            &unavailable_path,
            invalid(shown, "may not be 0 when `maxSurge` is 0"),
        );
    }
}

/// `spec.minReadySeconds` and `spec.revisionHistoryLimit`, which a Deployment, a StatefulSet
/// and a DaemonSet check alike.
fn min_ready_and_history(
    min_ready_seconds: Option<i32>,
    revision_history_limit: Option<i32>,
    sink: &mut Sink,
) {
    non_negative(
        min_ready_seconds.map(i64::from),
        "spec.minReadySeconds",
        sink,
    );
    non_negative(
        revision_history_limit.map(i64::from),
        "spec.revisionHistoryLimit",
        sink,
    );
}

fn stateful_set(spec: &apps::StatefulSetSpec, sink: &mut Sink) {
    non_negative(spec.replicas.map(i64::from), "spec.replicas", sink);
    min_ready_and_history(spec.min_ready_seconds, spec.revision_history_limit, sink);
    enum_value(
        sink,
        "spec.podManagementPolicy",
        spec.pod_management_policy.as_deref(),
        &["OrderedReady", "Parallel"],
    );
    let Some(strategy) = &spec.update_strategy else {
        return;
    };
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "OnDelete" if strategy.rolling_update.is_some() => sink.report(
            &rules::UPDATE_STRATEGY,
            "spec.updateStrategy.rollingUpdate",
            invalid("{...}", "only allowed for updateStrategy 'RollingUpdate'"),
        ),
        "OnDelete" => {}
        "RollingUpdate" => {
            if let Some(update) = &strategy.rolling_update {
                let path = "spec.updateStrategy.rollingUpdate";
                non_negative(
                    update.partition.map(i64::from),
                    &key(path, "partition"),
                    sink,
                );
                if let Some(value) = &update.max_unavailable {
                    let at = key(path, "maxUnavailable");
                    count_or_percent(value, &at, true, &rules::UPDATE_STRATEGY, sink);
                    if int_or_percent(value) == Some(0) {
                        sink.report(
                            &rules::UPDATE_STRATEGY,
                            &at,
                            invalid(show(value), "must be greater than 0"),
                        );
                    }
                }
            }
        }
        other => sink.report(
            &rules::UPDATE_STRATEGY,
            "spec.updateStrategy.type",
            unsupported(other, &["OnDelete", "RollingUpdate"]),
        ),
    }
}

fn daemon_set(spec: &apps::DaemonSetSpec, sink: &mut Sink) {
    min_ready_and_history(spec.min_ready_seconds, spec.revision_history_limit, sink);
    let Some(strategy) = &spec.update_strategy else {
        return;
    };
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "OnDelete" => {}
        "RollingUpdate" => {
            let update = strategy.rolling_update.as_ref();
            let one = IntOrString::Int(1);
            let none = IntOrString::Int(0);
            rolling_update(
                Some(
                    update
                        .and_then(|u| u.max_unavailable.as_ref())
                        .unwrap_or(&one),
                ),
                Some(update.and_then(|u| u.max_surge.as_ref()).unwrap_or(&none)),
                "spec.updateStrategy.rollingUpdate",
                sink,
            );
        }
        other => sink.report(
            &rules::UPDATE_STRATEGY,
            "spec.updateStrategy.type",
            unsupported(other, &["OnDelete", "RollingUpdate"]),
        ),
    }
}

#[cfg(test)]
mod tests;
