//! `matchLabelKeys` and `mismatchLabelKeys`, which copy the pod's own label values into a
//! selector: `validateMatchLabelKeysInTopologySpread` and
//! `validateMatchLabelKeysAndMismatchLabelKeys` (pod affinity terms). Each key is a label
//! name, only with a `labelSelector`; a spread constraint's key is not in its selector (before
//! 1.34), and no key of an affinity term is both matched and mismatched.

use k8s_openapi::api::core::v1::{PodAffinityTerm, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::{invalid, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

const WITHOUT_SELECTOR: &str = "Forbidden: must not be specified when labelSelector is not set";

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let constraints = spec.topology_spread_constraints.iter().flatten();
    for (at, constraint) in constraints.enumerate() {
        let keys = constraint.match_label_keys.as_deref().unwrap_or_default();
        if keys.is_empty() {
            continue;
        }
        let at = key(
            &index(&key(path, "topologySpreadConstraints"), at),
            "matchLabelKeys",
        );
        let Some(selector) = &constraint.label_selector else {
            sink.report(&rules::TOPOLOGY_SPREAD, &at, WITHOUT_SELECTOR);
            continue;
        };
        // From 1.34 the server merges the keys into the selector itself
        // (MatchLabelKeysInPodTopologySpreadSelectorMerge), so both may name a label.
        let merged = sink.version().spread_selector_merge();
        for (i, name) in keys.iter().enumerate() {
            label_name(name, &index(&at, i), &rules::TOPOLOGY_SPREAD, sink);
            if !merged && selects(selector, name) {
                let message = invalid(
                    shown(name),
                    "exists in both matchLabelKeys and labelSelector",
                );
                sink.report(&rules::TOPOLOGY_SPREAD, &index(&at, i), message);
            }
        }
    }
    let Some(affinity) = &spec.affinity else {
        return;
    };
    let kinds = [
        (
            "podAffinity",
            affinity.pod_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
        (
            "podAntiAffinity",
            affinity.pod_anti_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
    ];
    for (kind, terms) in kinds {
        let Some((required, preferred)) = terms else {
            continue;
        };
        let base = key(&key(path, "affinity"), kind);
        let required_path = key(&base, "requiredDuringSchedulingIgnoredDuringExecution");
        for (at, term) in required.iter().flatten().enumerate() {
            self::term(term, &index(&required_path, at), sink);
        }
        let preferred_path = key(&base, "preferredDuringSchedulingIgnoredDuringExecution");
        for (at, weighted) in preferred.iter().flatten().enumerate() {
            let at = key(&index(&preferred_path, at), "podAffinityTerm");
            self::term(&weighted.pod_affinity_term, &at, sink);
        }
    }
}

fn term(term: &PodAffinityTerm, path: &str, sink: &mut Sink) {
    let matched = term.match_label_keys.as_deref().unwrap_or_default();
    let mismatched = term.mismatch_label_keys.as_deref().unwrap_or_default();
    for (field, keys) in [
        ("matchLabelKeys", matched),
        ("mismatchLabelKeys", mismatched),
    ] {
        if keys.is_empty() {
            continue;
        }
        let at = key(path, field);
        if term.label_selector.is_none() {
            sink.report(&rules::AFFINITY, &at, WITHOUT_SELECTOR);
            continue;
        }
        for (i, name) in keys.iter().enumerate() {
            label_name(name, &index(&at, i), &rules::AFFINITY, sink);
        }
    }
    for (i, name) in matched.iter().enumerate() {
        if mismatched.contains(name) {
            let at = index(&key(path, "matchLabelKeys"), i);
            let message = invalid(
                shown(name),
                "exists in both matchLabelKeys and mismatchLabelKeys",
            );
            sink.report(&rules::AFFINITY, &at, message);
        }
    }
}

/// `ValidateLabelName`.
fn label_name(name: &str, path: &str, rule: &'static rules::Rule, sink: &mut Sink) {
    for message in names::qualified_name(name) {
        sink.report(rule, path, invalid(shown(name), &message));
    }
}

/// Whether a selector already constrains the label `name`.
fn selects(selector: &LabelSelector, name: &str) -> bool {
    selector
        .match_labels
        .as_ref()
        .is_some_and(|l| l.contains_key(name))
        || selector
            .match_expressions
            .iter()
            .flatten()
            .any(|e| e.key == name)
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{messages, only};

    fn pod(spec: &str, rule: &str) -> Vec<(String, String)> {
        let text = format!(
            "# kube-version: 1.33\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n{spec}  containers:\n  - name: app\n    image: nginx:1.27\n"
        );
        messages(&text, rule)
    }

    #[test]
    fn spread_keys_need_a_selector_without_them() {
        let spec = "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n    matchLabelKeys: [app]\n    labelSelector:\n      matchLabels:\n        app: web\n  - maxSkew: 1\n    topologyKey: host\n    whenUnsatisfiable: DoNotSchedule\n    matchLabelKeys: [pod-template-hash]\n";
        assert_eq!(
            pod(spec, "topology-spread"),
            vec![
                (
                    "spec.topologySpreadConstraints[0].matchLabelKeys[0]".to_string(),
                    "Invalid value: \"app\": exists in both matchLabelKeys and labelSelector"
                        .to_string()
                ),
                (
                    "spec.topologySpreadConstraints[1].matchLabelKeys".to_string(),
                    "Forbidden: must not be specified when labelSelector is not set".to_string()
                ),
            ]
        );
    }

    #[test]
    fn from_1_34_the_server_merges_spread_keys_into_the_selector() {
        let spec = "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n    matchLabelKeys: [app]\n    labelSelector:\n      matchLabels:\n        app: web\n";
        let text = format!(
            "# kube-version: 1.34\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{spec}  containers:\n  - name: app\n    image: nginx:1.27\n"
        );
        assert!(only(&text, "topology-spread").is_empty());
    }

    #[test]
    fn affinity_keys_are_matched_or_mismatched() {
        let spec = "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - topologyKey: kubernetes.io/hostname\n        labelSelector:\n          matchLabels:\n            app: web\n        matchLabelKeys: [tenant]\n        mismatchLabelKeys: [tenant]\n";
        assert_eq!(
            pod(spec, "affinity"),
            vec![("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys[0]".to_string(), "Invalid value: \"tenant\": exists in both matchLabelKeys and mismatchLabelKeys".to_string())]
        );
    }
}
