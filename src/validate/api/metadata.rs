//! Object metadata as `ValidateObjectMeta` checks it: the name by the rule of its kind, the
//! namespace, label and annotation keys and values and the annotations' total size (also
//! those of pod templates); owners and finalizers are [`super::ownership`]'s.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{invalid, ownership, quoted};
use crate::names;
use crate::validate::locate::key;
use crate::validate::object::Parsed;
use crate::validate::rules;
use crate::validate::Sink;

/// `TotalAnnotationSizeLimitB`: 256 KiB.
const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

pub(super) fn object_metadata(parsed: &Parsed, sink: &mut Sink) {
    let metadata = &parsed.metadata;
    match metadata.name.as_deref() {
        None | Some("") => {
            if metadata
                .generate_name
                .as_deref()
                .unwrap_or_default()
                .is_empty()
            {
                sink.report(
                    &rules::OBJECT_NAME,
                    "metadata.name",
                    "Required value: name or generateName is required",
                );
            }
        }
        Some(name) => {
            let mut messages = match parsed.kind {
                "Service" => names::dns1035_label(name),
                "Namespace" => names::dns1123_label(name),
                "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => {
                    path_segment_name(name)
                }
                _ => names::dns1123_subdomain(name),
            };
            if parsed.kind == "CronJob" && name.len() > 52 {
                messages.push("must be no more than 52 characters".to_string());
            }
            for message in messages {
                sink.report(
                    &rules::OBJECT_NAME,
                    "metadata.name",
                    invalid(quoted(name), &message),
                );
            }
        }
    }
    if let Some(namespace) = metadata.namespace.as_deref().filter(|n| !n.is_empty()) {
        for message in names::dns1123_label(namespace) {
            sink.report(
                &rules::OBJECT_NAME,
                "metadata.namespace",
                invalid(quoted(namespace), &message),
            );
        }
    }
    labels(metadata, "metadata", sink);
    ownership::check(metadata, sink);
}

/// `IsValidPathSegmentName`: the names of RBAC objects and of typed references.
pub(super) fn path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(**bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

pub(super) fn labels(metadata: &ObjectMeta, path: &str, sink: &mut Sink) {
    let labels_path = key(path, "labels");
    for (name, value) in metadata.labels.iter().flatten() {
        let at = key(&labels_path, name);
        for message in names::qualified_name(name) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(name), &message));
        }
        for message in names::label_value(value) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(value), &message));
        }
    }
    let annotations_path = key(path, "annotations");
    let mut total_size = 0;
    for (name, value) in metadata.annotations.iter().flatten() {
        total_size += name.len() + value.len();
        for message in names::qualified_name(&name.to_lowercase()) {
            let at = key(&annotations_path, name);
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(name), &message));
        }
    }
    // `ValidateAnnotations`: `TotalAnnotationSizeLimitB`, keys and values together.
    if total_size > ANNOTATIONS_MAX_BYTES {
        let message = format!("Too long: may not be more than {ANNOTATIONS_MAX_BYTES} bytes");
        sink.report(&rules::LABEL_INVALID, &annotations_path, message);
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn label_invalid() {
        let text = include_str!("../../../tests/fixtures/invalid/label-invalid.yaml");
        assert_eq!(
            only(text, "label-invalid"),
            vec![
            (8, "metadata.labels.app".to_string(), "Invalid value: \"web app\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string())
            ]
        );
    }

    #[test]
    fn object_name() {
        let text = include_str!("../../../tests/fixtures/invalid/object-name.yaml");
        assert_eq!(
            only(text, "object-name"),
            vec![
            (6, "metadata.name".to_string(), "Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string())
            ]
        );
    }
}
