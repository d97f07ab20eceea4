//! What each supported Kubernetes version serves, read from the tables that
//! `scripts/api-tables.py` generates from the upstream OpenAPI definitions of every version:
//! the kinds of each apiVersion, and the fields whose presence differs between versions.

use crate::kube_version::{NEWEST_MINOR, OLDEST_MINOR};

/// The supported minor versions in which a kind or field exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    /// The first minor version that has it.
    pub(crate) first: u32,
    /// The last minor version that has it.
    pub(crate) last: u32,
}

impl Span {
    /// Whether Kubernetes `1.minor` has it.
    pub(super) fn contains(self, minor: u32) -> bool {
        (self.first..=self.last).contains(&minor)
    }

    /// Whether the newest supported version has it (and so the typed objects do).
    pub(super) fn in_newest(self) -> bool {
        self.last == NEWEST_MINOR
    }
}

/// A kind served under one apiVersion.
#[derive(Debug, Clone, Copy)]
pub(super) struct Kind {
    /// The apiVersion, `group/version` or `v1`.
    pub(crate) api_version: &'static str,
    /// The kind.
    pub(crate) kind: &'static str,
    /// The name of its type in the field table, e.g. `apps.v1.Deployment`.
    pub(crate) type_name: &'static str,
    /// The versions that serve it.
    pub(crate) span: Span,
}

/// A field of a type whose presence differs between versions, or that leads to such a type.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field {
    /// The type of its value (`[]T` a list of T, `{}T` a map of T), empty for a scalar.
    pub(crate) target: &'static str,
    /// The versions that have it.
    pub(crate) span: Span,
}

// `KINDS` and `FIELDS`, written by build.rs from `tables/kinds.tsv` and `tables/fields.tsv`:
// static arrays, so nothing is built at start-up.
include!(concat!(env!("OUT_DIR"), "/served_tables.rs"));

/// The kind `kind` of `api_version`, in any supported version.
pub(super) fn kind(api_version: &str, kind: &str) -> Option<&'static Kind> {
    KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
}

/// Every kind of every apiVersion of the supported versions.
#[cfg(test)]
pub(super) fn kinds() -> &'static [Kind] {
    KINDS
}

/// Every apiVersion that serves `kind` in some supported version.
pub(super) fn versions_of(kind: &str) -> impl Iterator<Item = &'static Kind> + '_ {
    KINDS.iter().filter(move |k| k.kind == kind)
}

/// Whether `group` is an API group of Kubernetes itself (empty for the core group).
pub(super) fn is_builtin_group(group: &str) -> bool {
    KINDS.iter().any(|k| group_of(k.api_version) == group)
}

/// The group of an apiVersion: `apps` for `apps/v1`, empty for `v1`.
pub(super) fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// The field `name` of the type `type_name`, when it is in the table.
pub(super) fn field(type_name: &str, name: &str) -> Option<&'static Field> {
    let at = FIELDS
        .binary_search_by(|(ty, field, _)| (*ty, *field).cmp(&(type_name, name)))
        .ok()?;
    Some(&FIELDS[at].2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_their_spans() {
        let deployment = kind("apps/v1", "Deployment").expect("apps/v1 Deployment");
        assert_eq!(deployment.type_name, "apps.v1.Deployment");
        assert_eq!(
            deployment.span,
            Span {
                first: 27,
                last: 37
            }
        );
        let flow = kind("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema").expect("v1beta3");
        assert_eq!(flow.span.last, 31);
        assert!(kind("extensions/v1beta1", "Deployment").is_none());
    }

    #[test]
    fn fields_have_their_spans() {
        let app_armor = field("core.v1.PodSecurityContext", "appArmorProfile").expect("field");
        assert_eq!(app_armor.span.first, 30);
        assert!(!app_armor.span.contains(29));
        let image = field("core.v1.Volume", "image").expect("image volumes");
        assert_eq!(image.span.first, 31);
        assert_eq!(
            field("core.v1.PodSpec", "containers").map(|f| f.target),
            Some("[]core.v1.Container")
        );
    }

    #[test]
    fn builtin_groups() {
        assert!(is_builtin_group(""));
        assert!(is_builtin_group("apps"));
        assert!(is_builtin_group("networking.k8s.io"));
        assert!(!is_builtin_group("gateway.networking.k8s.io"));
    }

    /// Regenerates the tables from the definitions bundled with kubernetes-validate, when it
    /// is installed, and compares them with the checked-in ones.
    #[test]
    fn tables_match_the_definitions() {
        let Some(python) = kubernetes_validate_python() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "KUBERNETES_VALIDATE is not set: the version tables cannot be checked"
            );
            eprintln!(
                "SKIPPED: KUBERNETES_VALIDATE is not set; the version tables were not regenerated"
            );
            return;
        };
        let out = tempfile::tempdir().expect("temporary folder");
        let status = std::process::Command::new(python)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scripts/api-tables.py"
            ))
            .arg("")
            .arg(out.path())
            .status()
            .expect("run scripts/api-tables.py");
        assert!(status.success(), "scripts/api-tables.py failed");
        for name in ["kinds.tsv", "fields.tsv", "schemas.tsv"] {
            let fresh = std::fs::read_to_string(out.path().join(name)).expect("generated table");
            let kept = std::fs::read_to_string(format!(
                "{}/src/validate/tables/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("checked-in table");
            assert!(
                fresh == kept,
                "src/validate/tables/{name} is stale: run scripts/api-tables.py"
            );
        }
    }

    /// The Python of the kubernetes-validate installation named by `KUBERNETES_VALIDATE`.
    fn kubernetes_validate_python() -> Option<std::path::PathBuf> {
        let program = std::path::PathBuf::from(std::env::var_os("KUBERNETES_VALIDATE")?);
        let python = program.parent()?.join("python3");
        python.exists().then_some(python)
    }
}
