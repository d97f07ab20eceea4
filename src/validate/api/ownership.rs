//! Who owns an object and what holds its deletion, as apimachinery's `ValidateOwnerReferences`
//! and `ValidateFinalizers` check them: each owner named by apiVersion, kind, name and uid, at
//! most one of them the controller; finalizers qualified names, not both `orphan` and
//! `foregroundDeletion`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{invalid, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn check(metadata: &ObjectMeta, sink: &mut Sink) {
    let mut controller: Option<&str> = None;
    for (at, owner) in metadata.owner_references.iter().flatten().enumerate() {
        let path = index("metadata.ownerReferences", at);
        // `schema.FromAPIVersionAndKind`: the version is what follows the last `/`.
        let version = owner.api_version.rsplit('/').next().unwrap_or_default();
        let fields = [
            (
                "apiVersion",
                version,
                owner.api_version.as_str(),
                "version must not be empty",
            ),
            (
                "kind",
                owner.kind.as_str(),
                owner.kind.as_str(),
                "kind must not be empty",
            ),
            (
                "name",
                owner.name.as_str(),
                owner.name.as_str(),
                "name must not be empty",
            ),
            (
                "uid",
                owner.uid.as_str(),
                owner.uid.as_str(),
                "uid must not be empty",
            ),
        ];
        for (field, part, written, message) in fields {
            if part.is_empty() {
                let message = invalid(shown(written), message);
                sink.report(&rules::OWNERSHIP, &key(&path, field), message);
            }
        }
        if owner.controller == Some(true) {
            if let Some(first) = controller {
                let message = format!("Invalid value: Only one reference can have Controller set to true. Found \"true\" in references for {first} and {}", owner.name);
                sink.report(&rules::OWNERSHIP, "metadata.ownerReferences", message);
            } else {
                controller = Some(owner.name.as_str());
            }
        }
    }
    let finalizers = metadata.finalizers.as_deref().unwrap_or_default();
    for (at, finalizer) in finalizers.iter().enumerate() {
        let path = index("metadata.finalizers", at);
        for message in names::qualified_name(finalizer) {
            sink.report(
                &rules::OWNERSHIP,
                &path,
                invalid(shown(finalizer), &message),
            );
        }
    }
    let has = |name: &str| finalizers.iter().any(|f| f == name);
    if has("orphan") && has("foregroundDeletion") {
        let shown = serde_json::to_string(finalizers).unwrap_or_default();
        let message = invalid(
            shown,
            "finalizer orphan and foregroundDeletion cannot be both set",
        );
        sink.report(&rules::OWNERSHIP, "metadata.finalizers", message);
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    #[test]
    fn owners_are_named_and_one_controls() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  ownerReferences:\n  - apiVersion: apps/v1\n    kind: Deployment\n    name: web\n    uid: \"\"\n    controller: true\n  - apiVersion: apps/v1\n    kind: ReplicaSet\n    name: web-1\n    uid: 7f0c2e3a\n    controller: true\n  finalizers: [orphan, foregroundDeletion, \"bad name!\"]\n";
        let found: Vec<(String, String)> = messages(text, "ownership");
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].1, "Invalid value: Only one reference can have Controller set to true. Found \"true\" in references for web and web-1");
        assert_eq!(
            found[1],
            (
                "metadata.ownerReferences[0].uid".to_string(),
                "Invalid value: \"\": uid must not be empty".to_string()
            )
        );
        assert_eq!(found[2].0, "metadata.finalizers[2]");
        assert_eq!(found[3], ("metadata.finalizers".to_string(), "Invalid value: [\"orphan\",\"foregroundDeletion\",\"bad name!\"]: finalizer orphan and foregroundDeletion cannot be both set".to_string()));
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn ownership() {
        let text = include_str!("../../../tests/fixtures/invalid/ownership.yaml");
        assert_eq!(
            only(text, "ownership"),
            vec![(7, "metadata.finalizers".to_string(), "Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set".to_string())]
        );
    }
}
