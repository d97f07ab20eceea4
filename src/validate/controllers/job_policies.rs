//! A Job's failure and success handling as `validateJobSpec` checks it: per-index backoff and
//! success policies only in Indexed mode, the pod failure policy (`validatePodFailurePolicy`,
//! `validatePodFailurePolicyRule`, `...OnExitCodes`, `...OnPodConditions`) with pods that are
//! never restarted in place, and `validatePodReplacementPolicy`.

use std::collections::HashSet;

use k8s_openapi::api::batch::v1::{JobSpec, PodFailurePolicy, PodFailurePolicyRule};

use crate::names;
use crate::validate::api::{invalid, quoted, unsupported};
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::{schema, Sink};

const ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
/// `maxPodFailurePolicyRules`, `maxPodFailurePolicyOnExitCodesValues`.
const MAX_RULES: usize = 20;
const MAX_EXIT_CODES: usize = 255;

pub(super) fn check(spec: &JobSpec, path: &str, sink: &mut Sink) {
    let indexed = spec.completion_mode.as_deref() == Some("Indexed");
    if !indexed {
        let needs_indexed = [
            ("backoffLimitPerIndex", spec.backoff_limit_per_index),
            ("maxFailedIndexes", spec.max_failed_indexes),
        ];
        for (field, value) in needs_indexed {
            if let Some(value) = value {
                let message = invalid(value, "requires indexed completion mode");
                sink.report(&rules::JOB_SPEC, &key(path, field), message);
            }
        }
        if let Some(policy) = &spec.success_policy {
            let shown = serde_json::to_string(policy).unwrap_or_default();
            let message = invalid(shown, "requires indexed completion mode");
            sink.report(&rules::JOB_SPEC, &key(path, "successPolicy"), message);
        }
    }
    if let Some(policy) = &spec.pod_failure_policy {
        pod_failure_policy(spec, policy, &key(path, "podFailurePolicy"), sink);
        let restart = spec
            .template
            .spec
            .as_ref()
            .and_then(|s| s.restart_policy.as_deref());
        if restart == Some("OnFailure") {
            let at = key(&key(&key(path, "template"), "spec"), "restartPolicy");
            let message = "only \"Never\" is supported when podFailurePolicy is specified";
            sink.report(&rules::JOB_SPEC, &at, invalid(quoted("OnFailure"), message));
        }
    }
    if let Some(replacement) = spec.pod_replacement_policy.as_deref() {
        let allowed: &[&str] = if spec.pod_failure_policy.is_some() {
            &["Failed"]
        } else {
            &["Failed", "TerminatingOrFailed"]
        };
        if !allowed.contains(&replacement) {
            let message = unsupported(replacement, allowed);
            sink.report(
                &rules::JOB_SPEC,
                &key(path, "podReplacementPolicy"),
                message,
            );
        }
    }
}

fn pod_failure_policy(spec: &JobSpec, policy: &PodFailurePolicy, path: &str, sink: &mut Sink) {
    let rules_path = key(path, "rules");
    if policy.rules.len() > MAX_RULES {
        let message = format!(
            "Too many: {}: must have at most {MAX_RULES} items",
            policy.rules.len()
        );
        sink.report(&rules::JOB_SPEC, &rules_path, message);
    }
    let containers: HashSet<&str> = spec
        .template
        .spec
        .iter()
        .flat_map(|s| {
            schema::containers_of(s)
                .into_iter()
                .flat_map(|(_, c)| c.iter())
        })
        .map(|c| c.name.as_str())
        .collect();
    for (at, rule) in policy.rules.iter().enumerate() {
        self::rule(spec, rule, &index(&rules_path, at), &containers, sink);
    }
}

fn rule(
    spec: &JobSpec,
    rule: &PodFailurePolicyRule,
    path: &str,
    containers: &HashSet<&str>,
    sink: &mut Sink,
) {
    let action = rule.action.as_str();
    let action_path = key(path, "action");
    if action == "FailIndex" && spec.backoff_limit_per_index.is_none() {
        let message = invalid(
            quoted(action),
            "requires the backoffLimitPerIndex to be set",
        );
        sink.report(&rules::JOB_SPEC, &action_path, message);
    } else if !ACTIONS.contains(&action) {
        sink.report(&rules::JOB_SPEC, &action_path, unsupported(action, ACTIONS));
    }
    let conditions = rule.on_pod_conditions.as_deref().unwrap_or_default();
    if let Some(codes) = &rule.on_exit_codes {
        let at = key(path, "onExitCodes");
        let operator = codes.operator.as_str();
        if operator != "In" && operator != "NotIn" {
            let message = unsupported(operator, &["In", "NotIn"]);
            sink.report(&rules::JOB_SPEC, &key(&at, "operator"), message);
        }
        if let Some(name) = codes.container_name.as_deref() {
            if !containers.contains(name) {
                let message =
                    "must be one of the container or initContainer names in the pod template";
                let message = invalid(quoted(name), message);
                sink.report(&rules::JOB_SPEC, &key(&at, "containerName"), message);
            }
        }
        exit_codes(&codes.values, operator, &key(&at, "values"), sink);
    }
    for (at, pattern) in conditions.iter().enumerate() {
        let p = index(&key(path, "onPodConditions"), at);
        for message in names::qualified_name(&pattern.type_) {
            let message = invalid(quoted(&pattern.type_), &message);
            sink.report(&rules::JOB_SPEC, &key(&p, "type"), message);
        }
        let status = pattern.status.as_deref().unwrap_or("True");
        if !["False", "True", "Unknown"].contains(&status) {
            let message = unsupported(status, &["False", "True", "Unknown"]);
            sink.report(&rules::JOB_SPEC, &key(&p, "status"), message);
        }
    }
    let message = match (rule.on_exit_codes.is_some(), !conditions.is_empty()) {
        (true, true) => "specifying both OnExitCodes and OnPodConditions is not supported",
        (false, false) => "specifying one of OnExitCodes and OnPodConditions is required",
        _ => return,
    };
    sink.report(&rules::JOB_SPEC, path, format!("Invalid value: {message}"));
}

/// `validatePodFailurePolicyRuleOnExitCodes`: 1 to 255 ordered, unique values, no 0 with In.
fn exit_codes(values: &[i32], operator: &str, path: &str, sink: &mut Sink) {
    if values.is_empty() {
        let message = invalid("[]", "at least one value is required");
        sink.report(&rules::JOB_SPEC, path, message);
    } else if values.len() > MAX_EXIT_CODES {
        let message = format!(
            "Too many: {}: must have at most {MAX_EXIT_CODES} items",
            values.len()
        );
        sink.report(&rules::JOB_SPEC, path, message);
    }
    let mut seen = HashSet::new();
    for (at, value) in values.iter().enumerate() {
        let value_path = index(path, at);
        if operator == "In" && *value == 0 {
            let message = invalid(0, "must not be 0 for the In operator");
            sink.report(&rules::JOB_SPEC, &value_path, message);
        }
        if !seen.insert(value) {
            sink.report(
                &rules::JOB_SPEC,
                &value_path,
                format!("Duplicate value: {value}"),
            );
        }
    }
    if values.windows(2).any(|pair| pair[0] > pair[1]) {
        let shown = serde_json::to_string(values).unwrap_or_default();
        sink.report(&rules::JOB_SPEC, path, invalid(shown, "must be ordered"));
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn job(spec: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: work\nspec:\n{spec}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: busybox:1.37\n"
        );
        messages(&text, "job-spec")
    }

    #[test]
    fn per_index_settings_need_indexed_mode() {
        assert_eq!(
            job("  backoffLimitPerIndex: 1\n"),
            vec![(
                "spec.backoffLimitPerIndex".to_string(),
                "Invalid value: 1: requires indexed completion mode".to_string()
            )]
        );
    }

    #[test]
    fn pod_failure_policy_rules() {
        let spec = "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: app\n        operator: In\n        values: [3, 0, 3]\n    - action: Restart\n      onPodConditions:\n      - type: DisruptionTarget\n";
        assert_eq!(
            job(spec),
            vec![
                ("spec.podFailurePolicy.rules[0].onExitCodes.containerName".to_string(), "Invalid value: \"app\": must be one of the container or initContainer names in the pod template".to_string()),
                ("spec.podFailurePolicy.rules[0].onExitCodes.values[1]".to_string(), "Invalid value: 0: must not be 0 for the In operator".to_string()),
                ("spec.podFailurePolicy.rules[0].onExitCodes.values[2]".to_string(), "Duplicate value: 3".to_string()),
                ("spec.podFailurePolicy.rules[0].onExitCodes.values".to_string(), "Invalid value: [3,0,3]: must be ordered".to_string()),
                ("spec.podFailurePolicy.rules[1].action".to_string(), "Unsupported value: \"Restart\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"".to_string()),
            ]
        );
    }
}
