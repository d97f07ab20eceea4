//! rbac.authorization.k8s.io/v1 rules of `pkg/apis/rbac/validation/validation.go`
//! (`validatePolicyRule`, `ValidateRoleBinding`, `ValidateClusterRoleBinding`,
//! `validateRoleBindingSubject`), read after the v1 defaults of `pkg/apis/rbac/v1/defaults.go`
//! (an empty `roleRef.apiGroup` is rbac.authorization.k8s.io, and so is a User's or Group's).

use k8s_openapi::api::rbac::v1::{PolicyRule, RoleRef, Subject};

use super::metadata::path_segment_name;
use super::{invalid, shown, unsupported};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

const GROUP: &str = "rbac.authorization.k8s.io";

/// The rules of a Role (`namespaced`) or a ClusterRole.
pub(super) fn policy_rules(rules_list: &[PolicyRule], namespaced: bool, sink: &mut Sink) {
    let rule = &rules::RBAC_RULE;
    for (at, policy) in rules_list.iter().enumerate() {
        let at = index("rules", at);
        let count = |list: &Option<Vec<String>>| list.as_ref().map_or(0, Vec::len);
        if policy.verbs.is_empty() {
            sink.report(
                rule,
                &key(&at, "verbs"),
                "Required value: verbs must contain at least one value",
            );
        }
        if let Some(listed) = policy.non_resource_urls.as_ref().filter(|u| !u.is_empty()) {
            let urls = key(&at, "nonResourceURLs");
            let shown: Vec<String> = listed.iter().map(|url| shown(url)).collect();
            let value = format!("[{}]", shown.join(","));
            if namespaced {
                let message = invalid(&value, "namespaced rules cannot apply to non-resource URLs");
                sink.report(rule, &urls, message);
            }
            let resource_fields = count(&policy.api_groups)
                + count(&policy.resources)
                + count(&policy.resource_names);
            if resource_fields > 0 {
                let message = invalid(
                    &value,
                    "rules cannot apply to both regular resources and non-resource URLs",
                );
                sink.report(rule, &urls, message);
            }
            continue;
        }
        if count(&policy.api_groups) == 0 {
            sink.report(
                rule,
                &key(&at, "apiGroups"),
                "Required value: resource rules must supply at least one api group",
            );
        }
        if count(&policy.resources) == 0 {
            sink.report(
                rule,
                &key(&at, "resources"),
                "Required value: resource rules must supply at least one resource",
            );
        }
        if count(&policy.resource_names) > 0 && count(&policy.resources) > 1 {
            sink.report(
                rule,
                &key(&at, "resourceNames"),
                "Required value: resource names cannot apply to multiple resources",
            );
        }
    }
}

/// The roleRef and subjects of a RoleBinding (`namespaced`) or a ClusterRoleBinding.
pub(super) fn binding(role_ref: &RoleRef, subjects: &[Subject], namespaced: bool, sink: &mut Sink) {
    let rule = &rules::ROLE_BINDING;
    let group = role_ref.api_group.as_deref().unwrap_or_default();
    if !group.is_empty() && group != GROUP {
        let message = unsupported(group, &[GROUP]);
        sink.report(rule, "roleRef.apiGroup", message);
    }
    let kinds: &[&str] = if namespaced {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    if !kinds.contains(&role_ref.kind.as_str()) {
        sink.report(rule, "roleRef.kind", unsupported(&role_ref.kind, kinds));
    }
    if role_ref.name.is_empty() {
        sink.report(rule, "roleRef.name", "Required value");
    }
    for message in path_segment_name(&role_ref.name) {
        sink.report(
            rule,
            "roleRef.name",
            invalid(shown(&role_ref.name), &message),
        );
    }
    for (at, subject) in subjects.iter().enumerate() {
        self::subject(subject, &index("subjects", at), namespaced, sink);
    }
}

fn subject(subject: &Subject, path: &str, namespaced: bool, sink: &mut Sink) {
    let rule = &rules::ROLE_BINDING;
    let name = key(path, "name");
    if subject.name.is_empty() {
        sink.report(rule, &name, "Required value");
    }
    let group = subject.api_group.as_deref().unwrap_or_default();
    match subject.kind.as_str() {
        "ServiceAccount" => {
            if !subject.name.is_empty() {
                for message in names::dns1123_subdomain(&subject.name) {
                    sink.report(rule, &name, invalid(shown(&subject.name), &message));
                }
            }
            if !group.is_empty() {
                sink.report(rule, &key(path, "apiGroup"), unsupported(group, &[""]));
            }
            if !namespaced && subject.namespace.as_deref().unwrap_or_default().is_empty() {
                sink.report(rule, &key(path, "namespace"), "Required value");
            }
        }
        "User" | "Group" => {
            if !group.is_empty() && group != GROUP {
                sink.report(rule, &key(path, "apiGroup"), unsupported(group, &[GROUP]));
            }
        }
        other => sink.report(
            rule,
            &key(path, "kind"),
            unsupported(other, &["ServiceAccount", "User", "Group"]),
        ),
    }
}

#[cfg(test)]
mod tests;
