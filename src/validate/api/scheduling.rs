//! Where a pod may run, as `pkg/apis/core/validation/validation.go` checks it on create:
//! `ValidateTolerations`, `validateAffinity` (`validateNodeAffinity`, `ValidateNodeSelector`,
//! `ValidatePreferredSchedulingTerms`, `validatePodAffinityTerm`,
//! `validateWeightedPodAffinityTerms`), `validateTopologySpreadConstraints` and the
//! `nodeSelector` labels of `ValidatePodSpec`.

use k8s_openapi::api::core::v1::{
    Affinity, PodAffinityTerm, PodSpec, Toleration, TopologySpreadConstraint,
    WeightedPodAffinityTerm,
};

use super::{enum_value, invalid, selector, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules::{self, Rule};
use crate::validate::Sink;

const EFFECTS: &[&str] = &["NoExecute", "NoSchedule", "PreferNoSchedule"];

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    selector::labels(
        spec.node_selector.as_ref(),
        &key(path, "nodeSelector"),
        sink,
    );
    for (at, toleration) in spec.tolerations.iter().flatten().enumerate() {
        self::toleration(toleration, &index(&key(path, "tolerations"), at), sink);
    }
    if let Some(affinity) = &spec.affinity {
        self::affinity(affinity, &key(path, "affinity"), sink);
    }
    let constraints = spec
        .topology_spread_constraints
        .as_deref()
        .unwrap_or_default();
    topology_spread(constraints, &key(path, "topologySpreadConstraints"), sink);
}

fn toleration(toleration: &Toleration, path: &str, sink: &mut Sink) {
    let rule = &rules::TOLERATION;
    let key_name = toleration.key.as_deref().unwrap_or_default();
    let operator = toleration.operator.as_deref().unwrap_or_default();
    let effect = toleration.effect.as_deref().unwrap_or_default();
    let value = toleration.value.as_deref().unwrap_or_default();
    let operator_path = key(path, "operator");
    if !key_name.is_empty() {
        selector::label_name(key_name, &key(path, "key"), sink);
    } else if operator != "Exists" {
        sink.report(
            rule,
            &operator_path,
            invalid(
                shown(operator),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ),
        );
    }
    if toleration.toleration_seconds.is_some() && effect != "NoExecute" {
        sink.report(
            rule,
            &key(path, "effect"),
            invalid(
                shown(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ),
        );
    }
    match operator {
        "" | "Equal" => {
            let messages = names::label_value(value);
            if !messages.is_empty() {
                sink.report(
                    rule,
                    &operator_path,
                    invalid(shown(value), &messages.join(";")),
                );
            }
        }
        "Exists" if !value.is_empty() => sink.report(
            rule,
            &operator_path,
            invalid(
                shown(value),
                "value must be empty when `operator` is 'Exists'",
            ),
        ),
        "Exists" => {}
        _ => enum_value(sink, &operator_path, Some(operator), &["Equal", "Exists"]),
    }
    if !effect.is_empty() {
        enum_value(sink, &key(path, "effect"), Some(effect), EFFECTS);
    }
}

fn affinity(affinity: &Affinity, path: &str, sink: &mut Sink) {
    let rule = &rules::AFFINITY;
    if let Some(node) = &affinity.node_affinity {
        let node_path = key(path, "nodeAffinity");
        if let Some(required) = &node.required_during_scheduling_ignored_during_execution {
            let terms = key(
                &key(&node_path, "requiredDuringSchedulingIgnoredDuringExecution"),
                "nodeSelectorTerms",
            );
            if required.node_selector_terms.is_empty() {
                sink.report(
                    rule,
                    &terms,
                    "Required value: must have at least one node selector term",
                );
            }
            for (at, term) in required.node_selector_terms.iter().enumerate() {
                selector::node_selector_term(term, &index(&terms, at), true, rule, sink);
            }
        }
        let preferred = key(
            &node_path,
            "preferredDuringSchedulingIgnoredDuringExecution",
        );
        let terms = node
            .preferred_during_scheduling_ignored_during_execution
            .iter();
        for (at, term) in terms.flatten().enumerate() {
            let at = index(&preferred, at);
            weight(term.weight, &at, sink);
            let preference = key(&at, "preference");
            selector::node_selector_term(&term.preference, &preference, false, rule, sink);
        }
    }
    let pod = affinity.pod_affinity.as_ref().map(|a| {
        (
            &a.required_during_scheduling_ignored_during_execution,
            &a.preferred_during_scheduling_ignored_during_execution,
            "podAffinity",
        )
    });
    let anti = affinity.pod_anti_affinity.as_ref().map(|a| {
        (
            &a.required_during_scheduling_ignored_during_execution,
            &a.preferred_during_scheduling_ignored_during_execution,
            "podAntiAffinity",
        )
    });
    for (required, preferred, name) in pod.into_iter().chain(anti) {
        let at = key(path, name);
        let required_path = key(&at, "requiredDuringSchedulingIgnoredDuringExecution");
        for (i, term) in required.iter().flatten().enumerate() {
            pod_affinity_term(term, &index(&required_path, i), sink);
        }
        let preferred_path = key(&at, "preferredDuringSchedulingIgnoredDuringExecution");
        for (i, weighted) in preferred.iter().flatten().enumerate() {
            weighted_term(weighted, &index(&preferred_path, i), sink);
        }
    }
}

fn weighted_term(weighted: &WeightedPodAffinityTerm, path: &str, sink: &mut Sink) {
    weight(weighted.weight, path, sink);
    pod_affinity_term(
        &weighted.pod_affinity_term,
        &key(path, "podAffinityTerm"),
        sink,
    );
}

fn weight(weight: i32, path: &str, sink: &mut Sink) {
    if !(1..=100).contains(&weight) {
        let message = invalid(weight, "must be in the range 1-100");
        sink.report(&rules::AFFINITY, &key(path, "weight"), message);
    }
}

fn pod_affinity_term(term: &PodAffinityTerm, path: &str, sink: &mut Sink) {
    let rule = &rules::AFFINITY;
    if let Some(labels) = &term.label_selector {
        selector::label_selector(labels, &key(path, "labelSelector"), rule, sink);
    }
    if let Some(namespaces) = &term.namespace_selector {
        selector::label_selector(namespaces, &key(path, "namespaceSelector"), rule, sink);
    }
    for name in term.namespaces.iter().flatten() {
        for message in names::dns1123_label(name) {
            sink.report(
                rule,
                &key(path, "namespace"),
                invalid(shown(name), &message),
            );
        }
    }
    let topology = key(path, "topologyKey");
    if term.topology_key.is_empty() {
        sink.report(rule, &topology, "Required value: can not be empty");
    }
    selector::label_name(&term.topology_key, &topology, sink);
}

fn topology_spread(constraints: &[TopologySpreadConstraint], path: &str, sink: &mut Sink) {
    let rule: &'static Rule = &rules::TOPOLOGY_SPREAD;
    for (i, constraint) in constraints.iter().enumerate() {
        let at = index(path, i);
        if constraint.max_skew <= 0 {
            let message = invalid(constraint.max_skew, "must be greater than zero");
            sink.report(rule, &key(&at, "maxSkew"), message);
        }
        if constraint.topology_key.is_empty() {
            sink.report(
                rule,
                &key(&at, "topologyKey"),
                "Required value: can not be empty",
            );
        }
        let action = constraint.when_unsatisfiable.as_str();
        let actions = &["DoNotSchedule", "ScheduleAnyway"];
        enum_value(sink, &key(&at, "whenUnsatisfiable"), Some(action), actions);
        let repeated = constraints[i + 1..].iter().any(|other| {
            other.topology_key == constraint.topology_key
                && other.when_unsatisfiable == constraint.when_unsatisfiable
        });
        if repeated {
            sink.report(
                rule,
                &format!("{at}.{{topologyKey, whenUnsatisfiable}}"),
                format!(
                    "Duplicate value: \"{{{}, {action}}}\"",
                    shown(&constraint.topology_key).trim_matches('"')
                ),
            );
        }
        if let Some(domains) = constraint.min_domains {
            let at = key(&at, "minDomains");
            if domains <= 0 {
                sink.report(rule, &at, invalid(domains, "must be greater than zero"));
            }
            if action != "DoNotSchedule" {
                let message = format!(
                    "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"
                );
                sink.report(rule, &at, invalid(domains, &message));
            }
        }
        let policies = [
            ("nodeAffinityPolicy", &constraint.node_affinity_policy),
            ("nodeTaintsPolicy", &constraint.node_taints_policy),
        ];
        for (name, policy) in policies {
            enum_value(
                sink,
                &key(&at, name),
                policy.as_deref(),
                &["Honor", "Ignore"],
            );
        }
        if let Some(labels) = &constraint.label_selector {
            selector::label_selector(labels, &key(&at, "labelSelector"), rule, sink);
        }
    }
}

#[cfg(test)]
mod tests;
