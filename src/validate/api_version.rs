//! Whether the target Kubernetes version serves a document's apiVersion for its kind: served,
//! deprecated, alpha (served only when a cluster enables it), removed (with the version that
//! removed it and the replacement), not yet added, or a custom resource.
//!
//! Kinds and versions from 1.27 on come from the generated tables ([`served`]); the removals
//! before 1.27 are the Kubernetes deprecated API migration guide's, in [`history`].

mod history;
mod stability;

use self::stability::{is_alpha, stability};
use super::rules;
use super::served;
use super::Sink;

/// What the schema layer does with a document after its apiVersion was judged.
pub(super) enum Gate {
    /// Check it: the table's type name of the kind.
    Check(&'static str),
    /// A custom resource: skip it.
    Custom,
    /// The target version does not serve it; the finding is reported.
    Rejected,
}

/// Judges the document's apiVersion for its kind at the target version, reporting removed,
/// not yet added, deprecated and alpha versions.
pub(super) fn check(api_version: &str, kind: &str, sink: &mut Sink) -> Gate {
    let minor = sink.version().minor();
    let unsupported = |detail: String| format!("Unsupported value: \"{api_version}\": {detail}");
    match verdict(api_version, kind, minor) {
        Verdict::Served {
            type_name,
            deprecated,
            alpha,
        } => {
            if let Some(message) = deprecated {
                sink.report(&rules::API_VERSION_DEPRECATED, "apiVersion", message);
            }
            if alpha {
                sink.report(
                    &rules::API_VERSION_ALPHA,
                    "apiVersion",
                    format!("{kind} {api_version} is an alpha API: a Kubernetes 1.{minor} server serves it only when enabled with --runtime-config"),
                );
            }
            Gate::Check(type_name)
        }
        Verdict::Removed {
            removed_in,
            replacement,
        } => {
            let instead = match replacement {
                Some(version) => format!("use {version}"),
                None => "it has no replacement".to_string(),
            };
            sink.report(
                &rules::API_VERSION_REMOVED,
                "apiVersion",
                unsupported(format!(
                    "Kubernetes 1.{removed_in} removed {kind} {api_version} (target: 1.{minor}); {instead}"
                )),
            );
            Gate::Rejected
        }
        Verdict::NotYet { since } => {
            sink.report(
                &rules::API_VERSION_REMOVED,
                "apiVersion",
                unsupported(format!(
                    "Kubernetes 1.{minor} does not serve {kind} {api_version} yet (added in 1.{since})"
                )),
            );
            Gate::Rejected
        }
        Verdict::NotServed => {
            let served: Vec<_> = served::versions_of(kind)
                .filter(|k| k.span.contains(minor))
                .map(|k| k.api_version)
                .collect();
            let hint = match served.as_slice() {
                [] => format!("no built-in API group has a kind {kind}"),
                versions => format!("{kind} is served as {}", versions.join(", ")),
            };
            sink.report(
                &rules::API_VERSION_REMOVED,
                "apiVersion",
                unsupported(format!(
                    "Kubernetes 1.{minor} does not serve {kind} {api_version}; {hint}"
                )),
            );
            Gate::Rejected
        }
        Verdict::Custom => Gate::Custom,
    }
}

/// What the target version makes of an (apiVersion, kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Served; `deprecated` explains why a newer apiVersion is preferred, `alpha` marks a
    /// version served only when the cluster enables it.
    Served {
        /// The table's type name of the kind.
        type_name: &'static str,
        /// Why the apiVersion is deprecated, if it is.
        deprecated: Option<String>,
        /// Whether the version is alpha.
        alpha: bool,
    },
    /// Served by older versions only.
    Removed {
        /// The minor version that stopped serving it.
        removed_in: u32,
        /// The apiVersion to use instead, if the kind lives on.
        replacement: Option<String>,
    },
    /// Served by newer versions only.
    NotYet {
        /// The first minor version that serves it.
        since: u32,
    },
    /// A built-in API group that has no such version or kind.
    NotServed,
    /// Not a built-in API group: a custom resource.
    Custom,
}

/// The most stable apiVersion that serves `kind` at `minor`, preferring `group`.
fn replacement(kind: &str, group: &str, minor: u32) -> Option<String> {
    let served: Vec<_> = served::versions_of(kind)
        .filter(|k| k.span.contains(minor) && !is_alpha(k.api_version))
        .collect();
    let best = |candidates: Vec<&served::Kind>| {
        candidates
            .into_iter()
            .max_by_key(|k| stability(k.api_version))
            .map(|k| k.api_version.to_string())
    };
    let same_group: Vec<_> = served
        .iter()
        .copied()
        .filter(|k| served::group_of(k.api_version) == group)
        .collect();
    best(same_group).or_else(|| best(served))
}

/// What Kubernetes `1.minor` makes of `kind` under `api_version`.
pub(super) fn verdict(api_version: &str, kind: &str, minor: u32) -> Verdict {
    let group = served::group_of(api_version);
    if let Some(known) = served::kind(api_version, kind) {
        if minor < known.span.first {
            return Verdict::NotYet {
                since: known.span.first,
            };
        }
        if minor > known.span.last {
            return Verdict::Removed {
                removed_in: known.span.last + 1,
                replacement: replacement(kind, group, minor),
            };
        }
        return Verdict::Served {
            type_name: known.type_name,
            deprecated: deprecation(api_version, kind, group, minor, known.span),
            alpha: is_alpha(api_version),
        };
    }
    if let Some(removal) = history::removed_before(api_version, kind) {
        return Verdict::Removed {
            removed_in: removal.removed_in,
            replacement: removal.replacement.map(str::to_string),
        };
    }
    if served::is_builtin_group(group) || history::is_removed_group(group) {
        Verdict::NotServed
    } else {
        Verdict::Custom
    }
}

/// Why a served apiVersion is deprecated at `minor`: a more stable version of the kind in the
/// same group is served (the deprecation policy's rule), or the kind itself is deprecated.
fn deprecation(
    api_version: &str,
    kind: &str,
    group: &str,
    minor: u32,
    span: served::Span,
) -> Option<String> {
    if let Some((since, instead)) = history::deprecated_ga(api_version, kind, minor) {
        return Some(format!(
            "{kind} {api_version} is deprecated since Kubernetes 1.{since} and no removal version is set; use {instead}"
        ));
    }
    let newer = served::versions_of(kind)
        .filter(|k| served::group_of(k.api_version) == group && k.span.contains(minor))
        .filter(|k| stability(k.api_version).0 > stability(api_version).0)
        .max_by_key(|k| stability(k.api_version))?;
    let removal = if span.in_newest() {
        "no removal version is set yet".to_string()
    } else {
        format!("Kubernetes 1.{} removes it", span.last + 1)
    };
    Some(format!(
        "{kind} {api_version} is deprecated: {} serves it; {removal}",
        newer.api_version
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_versions_name_the_removal_and_replacement() {
        assert_eq!(
            verdict("extensions/v1beta1", "Deployment", 37),
            Verdict::Removed {
                removed_in: 16,
                replacement: Some("apps/v1".into())
            }
        );
        assert_eq!(
            verdict("batch/v1beta1", "CronJob", 27),
            Verdict::Removed {
                removed_in: 25,
                replacement: Some("batch/v1".into())
            }
        );
        assert_eq!(
            verdict("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 32),
            Verdict::Removed {
                removed_in: 32,
                replacement: Some("flowcontrol.apiserver.k8s.io/v1".into())
            }
        );
    }

    #[test]
    fn deprecated_while_a_stable_version_is_served() {
        let Verdict::Served { deprecated, .. } =
            verdict("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 30)
        else {
            panic!("v1beta3 is served at 1.30");
        };
        let message = deprecated.expect("deprecated");
        assert!(message.contains("1.32 removes it"), "{message}");
        assert!(matches!(
            verdict("autoscaling/v1", "HorizontalPodAutoscaler", 37),
            Verdict::Served {
                deprecated: None,
                ..
            }
        ));
    }

    #[test]
    fn newer_kinds_and_custom_resources() {
        assert_eq!(
            verdict("resource.k8s.io/v1", "ResourceClaim", 27),
            Verdict::NotYet { since: 34 }
        );
        assert_eq!(verdict("example.com/v1", "Widget", 37), Verdict::Custom);
        assert_eq!(
            verdict("gateway.networking.k8s.io/v1", "Gateway", 37),
            Verdict::Custom
        );
        assert_eq!(verdict("apps/v1", "Widget", 37), Verdict::NotServed);
        assert_eq!(
            verdict("extensions/v1beta1", "Widget", 37),
            Verdict::NotServed
        );
    }
}
