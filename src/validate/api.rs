//! Layer 2: the API server's own validation rules that a schema cannot express, with the
//! messages of kubernetes `pkg/apis/core/validation`, `pkg/apis/apps/validation` and
//! `pkg/apis/batch/validation`, written `<Type>: <detail>` as the server writes them. One
//! module per part of the API; this one dispatches by kind and holds the message helpers.
//!
//! The typed object is read after the API's defaulting, as the server does: a field the API
//! defaults (protocol, imagePullPolicy, restartPolicy, terminationMessagePolicy, dnsPolicy) is
//! never reported missing, and a pod template without `restartPolicy` counts as `Always`.

mod autoscaling;
mod config;
mod container;
mod env_from;
mod handlers;
mod host_aliases;
mod ip;
mod match_label_keys;
mod metadata;
mod networking;
mod ownership;
mod pod;
mod pod_names;
mod pod_os;
mod probes;
mod rbac;
mod resource_names;
mod scheduling;
mod security;
mod selector;
mod service;
mod service_spec;
mod stateful_set;
mod template_selector;
mod volume_mounts;
mod volume_sources;

pub(crate) use pod::is_sidecar;

use super::object::{Object, Parsed, PodScope};
use super::rules;
use super::{controllers, Sink};

/// Runs layer 2 on a parsed object.
pub(crate) fn check(parsed: &Parsed, sink: &mut Sink) {
    metadata::object_metadata(parsed, sink);
    if let Some(pod) = parsed.pod() {
        pod::check(&pod, sink);
        template_deadline(parsed.kind, &pod, sink);
    }
    controllers::check(parsed, sink);
    if let Some(replicated) = parsed.replicated() {
        template_selector::check(replicated.selector, replicated.labels, parsed.kind, sink);
    }
    match &parsed.object {
        Object::StatefulSet(set) => stateful_set::check(&set.spec, sink),
        Object::CronJob(job) if job.spec.schedule.is_empty() => {
            sink.report(&rules::REQUIRED_FIELD, "spec.schedule", "Required value");
        }
        Object::Service(service) => {
            service::service_spec(service, sink);
            service_spec::check(service, sink);
        }
        Object::HorizontalPodAutoscaler(autoscaler) => autoscaling::check(autoscaler, sink),
        Object::Ingress(ingress) => networking::ingress(ingress, &parsed.metadata, sink),
        Object::IngressClass(class) => networking::ingress_class(class, sink),
        Object::NetworkPolicy(policy) => networking::network_policy(policy, sink),
        Object::PodDisruptionBudget(budget) => {
            // `ValidatePodDisruptionBudgetSpec`: the selector is a well-formed label selector.
            if let Some(pods) = budget.spec.as_ref().and_then(|s| s.selector.as_ref()) {
                let rule = &rules::DISRUPTION_BUDGET;
                selector::label_selector(pods, "spec.selector", rule, sink);
            }
        }
        Object::Role(policy_rules) => {
            rbac::policy_rules(policy_rules, parsed.kind == "Role", sink);
        }
        Object::RoleBinding(binding) => {
            let (role_ref, subjects) = binding.as_ref();
            rbac::binding(role_ref, subjects, parsed.kind == "RoleBinding", sink);
        }
        Object::ConfigMap(map) => config::config_map(map, sink),
        Object::Secret(secret) => config::secret(secret, sink),
        _ => {}
    }
}

/// `ValidatePodTemplateSpecForReplicaSet`, `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`,
/// `ValidatePodTemplateSpecForRC`: a long-running workload's pods have no deadline.
fn template_deadline(kind: &str, pod: &PodScope, sink: &mut Sink) {
    let owner = match kind {
        "Deployment" | "ReplicaSet" => "ReplicaSet",
        "StatefulSet" | "DaemonSet" | "ReplicationController" => kind,
        _ => return,
    };
    if pod.spec.active_deadline_seconds.is_some() {
        sink.report(
            &rules::TEMPLATE_DEADLINE,
            &format!("{}.activeDeadlineSeconds", pod.path),
            format!("Forbidden: activeDeadlineSeconds in {owner} is not Supported"),
        );
    }
}

pub(super) fn quoted(text: &str) -> String {
    format!("{text:?}")
}

/// A user's value quoted for a message, shortened when long.
fn shown(text: &str) -> String {
    quoted(&crate::yaml::shorten(text))
}

pub(super) fn invalid(value: impl std::fmt::Display, message: &str) -> String {
    format!("Invalid value: {value}: {message}")
}

pub(super) fn unsupported(value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| quoted(s)).collect();
    format!(
        "Unsupported value: {}: supported values: {}",
        quoted(value),
        list.join(", ")
    )
}

pub(super) fn enum_value(sink: &mut Sink, path: &str, value: Option<&str>, supported: &[&str]) {
    if let Some(value) = value.filter(|v| !supported.contains(v)) {
        sink.report(&rules::ENUM_VALUE, path, unsupported(value, supported));
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn enum_value() {
        let text = include_str!("../../tests/fixtures/invalid/enum-value.yaml");
        assert_eq!(
            only(text, "enum-value"),
            vec![
            (20, "spec.containers[0].imagePullPolicy".to_string(), "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"".to_string())
            ]
        );
    }

    #[test]
    fn template_deadline() {
        let text = include_str!("../../tests/fixtures/invalid/template-deadline.yaml");
        assert_eq!(
            only(text, "template-deadline"),
            vec![(
                16,
                "spec.template.spec.activeDeadlineSeconds".to_string(),
                "Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported".to_string()
            )]
        );
    }
}
