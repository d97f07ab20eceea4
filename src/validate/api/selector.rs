//! Label selectors and node selector terms, as apimachinery's `ValidateLabelSelector`
//! (`pkg/apis/meta/v1/validation/validation.go`) and core's `ValidateNodeSelectorTerm` check
//! them. Shared by NetworkPolicy peers, pod (anti-)affinity terms and topology spread
//! constraints.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{NodeSelectorRequirement, NodeSelectorTerm};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::{invalid, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules::{self, Rule};
use crate::validate::Sink;

/// Reports the problems of a label selector at `path`, as `rule` (label syntax as
/// `label-invalid`).
pub(super) fn label_selector(
    selector: &LabelSelector,
    path: &str,
    rule: &'static Rule,
    sink: &mut Sink,
) {
    labels(
        selector.match_labels.as_ref(),
        &key(path, "matchLabels"),
        sink,
    );
    let expressions = key(path, "matchExpressions");
    for (at, expression) in selector.match_expressions.iter().flatten().enumerate() {
        let at = index(&expressions, at);
        let values = expression.values.as_deref().unwrap_or_default();
        operator_values(&expression.operator, values.len(), false, &at, rule, sink);
        label_name(&expression.key, &key(&at, "key"), sink);
        label_values(values, &key(&at, "values"), sink);
    }
}

/// `matchLabels` (or a `nodeSelector`): label keys and values.
pub(super) fn labels(labels: Option<&BTreeMap<String, String>>, path: &str, sink: &mut Sink) {
    for (name, value) in labels.into_iter().flatten() {
        let at = key(path, name);
        label_name(name, &at, sink);
        for message in names::label_value(value) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(shown(value), &message));
        }
    }
}

/// A node selector term: `matchExpressions` on node labels, `matchFields` on `metadata.name`.
/// Label values are checked only in required terms, as the server does.
pub(super) fn node_selector_term(
    term: &NodeSelectorTerm,
    path: &str,
    required: bool,
    rule: &'static Rule,
    sink: &mut Sink,
) {
    let expressions = key(path, "matchExpressions");
    for (at, requirement) in term.match_expressions.iter().flatten().enumerate() {
        let at = index(&expressions, at);
        let values = requirement.values.as_deref().unwrap_or_default();
        operator_values(&requirement.operator, values.len(), true, &at, rule, sink);
        label_name(&requirement.key, &key(&at, "key"), sink);
        if required {
            label_values(values, &key(&at, "values"), sink);
        }
    }
    let fields = key(path, "matchFields");
    for (at, requirement) in term.match_fields.iter().flatten().enumerate() {
        node_field(requirement, &index(&fields, at), rule, sink);
    }
}

/// `ValidateNodeFieldSelectorRequirement`: only `metadata.name`, with one value.
fn node_field(
    requirement: &NodeSelectorRequirement,
    path: &str,
    rule: &'static Rule,
    sink: &mut Sink,
) {
    let values = requirement.values.as_deref().unwrap_or_default();
    match requirement.operator.as_str() {
        "In" | "NotIn" if values.len() != 1 => sink.report(
            rule,
            &key(path, "values"),
            "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
        "In" | "NotIn" => {}
        other => sink.report(
            rule,
            &key(path, "operator"),
            invalid(shown(other), "not a valid selector operator"),
        ),
    }
    if requirement.key != "metadata.name" {
        sink.report(
            rule,
            &key(path, "key"),
            invalid(shown(&requirement.key), "not a valid field selector key"),
        );
        return;
    }
    for (at, value) in values.iter().enumerate() {
        for message in names::dns1123_subdomain(value) {
            sink.report(
                rule,
                &index(&key(path, "values"), at),
                invalid(shown(value), &message),
            );
        }
    }
}

/// The operator and the number of values it takes; `numeric` allows node selectors' `Gt`
/// and `Lt`, which take one.
fn operator_values(
    operator: &str,
    values: usize,
    numeric: bool,
    path: &str,
    rule: &'static Rule,
    sink: &mut Sink,
) {
    let message = match operator {
        "In" | "NotIn" if values == 0 => {
            "Required value: must be specified when `operator` is 'In' or 'NotIn'"
        }
        "Exists" | "DoesNotExist" if values > 0 => {
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        }
        "Gt" | "Lt" if numeric && values != 1 => {
            "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"
        }
        "In" | "NotIn" | "Exists" | "DoesNotExist" => return,
        "Gt" | "Lt" if numeric => return,
        other => {
            let message = invalid(shown(other), "not a valid selector operator");
            sink.report(rule, &key(path, "operator"), message);
            return;
        }
    };
    sink.report(rule, &key(path, "values"), message);
}

/// A label key (`ValidateLabelName`: a qualified name).
pub(super) fn label_name(name: &str, path: &str, sink: &mut Sink) {
    for message in names::qualified_name(name) {
        sink.report(&rules::LABEL_INVALID, path, invalid(shown(name), &message));
    }
}

fn label_values(values: &[String], path: &str, sink: &mut Sink) {
    for (at, value) in values.iter().enumerate() {
        for message in names::label_value(value) {
            let at = index(path, at);
            sink.report(&rules::LABEL_INVALID, &at, invalid(shown(value), &message));
        }
    }
}
