//! A workload's selector against its pod template's labels (`ValidateDeploymentSpec` and its
//! siblings): required, and matching the labels the template gives its pods.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::{invalid, quoted};
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

/// Reports a missing selector, and one that does not select the template's `labels`.
pub(super) fn check(
    selector: &LabelSelector,
    labels: Option<&BTreeMap<String, String>>,
    kind: &str,
    sink: &mut Sink,
) {
    let match_labels = selector.match_labels.as_ref().map_or(0, BTreeMap::len);
    let expressions = selector.match_expressions.as_deref().unwrap_or_default();
    if match_labels + expressions.len() == 0 {
        sink.report(
            &rules::SELECTOR_REQUIRED,
            "spec.selector",
            format!(
                "Invalid value: {{}}: empty selector is invalid for {}",
                kind.to_lowercase()
            ),
        );
        return;
    }
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    let mut matches = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    for (at, expression) in expressions.iter().enumerate() {
        let value = labels.get(&expression.key);
        let values = expression.values.as_deref().unwrap_or_default();
        let ok = match expression.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            other => {
                let path = key(&index("spec.selector.matchExpressions", at), "operator");
                sink.report(
                    &rules::ENUM_VALUE,
                    &path,
                    invalid(quoted(other), "not a valid selector operator"),
                );
                return;
            }
        };
        matches &= ok;
    }
    if !matches {
        let shown: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
        sink.report(
            &rules::SELECTOR_MISMATCH,
            "spec.template.metadata.labels",
            format!(
                "Invalid value: {{{}}}: `selector` does not match template `labels`",
                shown.join(",")
            ),
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn selector_mismatch() {
        let text = include_str!("../../../tests/fixtures/invalid/selector-mismatch.yaml");
        assert_eq!(
            only(text, "selector-mismatch"),
            vec![(
                14,
                "spec.template.metadata.labels".to_string(),
                "Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
                    .to_string()
            )]
        );
    }

    #[test]
    fn selector_required() {
        let text = include_str!("../../../tests/fixtures/invalid/selector-required.yaml");
        assert_eq!(
            only(text, "selector-required"),
            vec![(
                9,
                "spec.selector".to_string(),
                "Invalid value: {}: empty selector is invalid for deployment".to_string()
            )]
        );
    }
}
