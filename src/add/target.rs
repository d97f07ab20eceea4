//! Which objects of a stream are workloads, which of them `add` changes, and which container
//! of each is the app.

use crate::add::tree;
use crate::error::{Error, Result};
use crate::spec::WorkloadKind;
use crate::yaml::Node;

/// A workload's identity, as errors and `--target` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Workload {
    /// Its kind.
    pub(crate) kind: WorkloadKind,
    /// `metadata.name`.
    pub(crate) name: String,
    /// `metadata.namespace`, when set.
    pub(crate) namespace: Option<String>,
}

impl Workload {
    /// Reads the identity of `object` when it is a workload podsmith can add patterns to.
    pub(crate) fn of(object: &Node) -> Option<Workload> {
        let kind = WorkloadKind::ALL
            .into_iter()
            .find(|k| tree::text(object, &["kind"]) == Some(k.api_kind()))?;
        Some(Workload {
            kind,
            name: tree::text(object, &["metadata", "name"])?.to_string(),
            namespace: tree::text(object, &["metadata", "namespace"]).map(str::to_string),
        })
    }

    /// `Kind/name`, as the validator names objects.
    pub(crate) fn object(&self) -> String {
        format!("{}/{}", self.kind.api_kind(), self.name)
    }
}

/// The path from a workload to its PodSpec.
fn pod_spec_path(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Pod => &["spec"],
        WorkloadKind::CronJob => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => &["spec", "template", "spec"],
    }
}

/// The workload's PodSpec, if it has one.
pub(super) fn pod_spec(object: &Node, kind: WorkloadKind) -> Option<&Node> {
    tree::at(object, pod_spec_path(kind)).filter(|pod| pod.as_mapping().is_some())
}

/// The workload's PodSpec, to change.
pub(super) fn pod_spec_mut(object: &mut Node, kind: WorkloadKind) -> Option<&mut Node> {
    tree::at_mut(object, pod_spec_path(kind)).filter(|pod| pod.as_mapping().is_some())
}

/// The error for a workload whose pod template is missing.
pub(super) fn no_pod(workload: &Workload) -> Error {
    Error::Usage(format!("{} has no pod template", workload.object()))
}

/// The names of the containers in `list` (`containers`, `initContainers`) of a PodSpec.
pub(super) fn container_names(pod: &Node, list: &str) -> Vec<String> {
    tree::items(pod, &[list])
        .iter()
        .filter_map(|c| tree::text(c, &["name"]).map(str::to_string))
        .collect()
}

/// The workloads `add` changes: all of them, or those `--target` and `-l` choose.
#[derive(Debug, Default)]
pub(super) struct Selection {
    targets: Vec<(String, WorkloadKind, String)>,
    labels: Vec<(String, String)>,
}

impl Selection {
    /// Reads `--target KIND/NAME` and `-l KEY=VALUE` flags.
    pub(super) fn parse(targets: &[String], selectors: &[String]) -> Result<Selection> {
        let mut selection = Selection::default();
        for text in targets {
            let (kind, name) = text.split_once('/').ok_or_else(|| {
                Error::invalid("--target", text, "must be KIND/NAME, e.g. deployment/web")
            })?;
            let kind: WorkloadKind = kind
                .parse()
                .map_err(|rule| Error::invalid("--target", text, rule))?;
            if name.is_empty() {
                return Err(Error::invalid(
                    "--target",
                    text,
                    "must be KIND/NAME, e.g. deployment/web",
                ));
            }
            selection
                .targets
                .push((text.clone(), kind, name.to_string()));
        }
        for text in selectors {
            let (key, value) = crate::spec::key_value(text, "--selector", "KEY=VALUE")?;
            selection.labels.push((key, value));
        }
        Ok(selection)
    }

    /// Whether `add` changes this workload.
    pub(super) fn selects(&self, workload: &Workload, object: &Node) -> bool {
        let named = self.targets.is_empty()
            || self
                .targets
                .iter()
                .any(|(_, kind, name)| *kind == workload.kind && *name == workload.name);
        let labelled = self.labels.iter().all(|(key, value)| {
            tree::text(object, &["metadata", "labels", key]) == Some(value.as_str())
        });
        named && labelled
    }

    /// The first `--target` that names none of `seen`: a typo the user must hear about.
    pub(super) fn unmatched(&self, seen: &[Workload]) -> Option<&str> {
        self.targets
            .iter()
            .find(|(_, kind, name)| !seen.iter().any(|w| w.kind == *kind && w.name == *name))
            .map(|(text, _, _)| text.as_str())
    }
}

/// The index of the app container in `pod.containers`: the only container besides the ones
/// podsmith added, or the one `--container` names. Never a guess among several.
pub(super) fn app_container(
    pod: &Node,
    requested: Option<&str>,
    added: &[String],
    workload: &Workload,
) -> Result<usize> {
    let names = container_names(pod, "containers");
    if let Some(wanted) = requested {
        return names.iter().position(|n| n == wanted).ok_or_else(|| {
            Error::invalid(
                "--container",
                wanted,
                format!(
                    "{} has no such container (it has {})",
                    workload.object(),
                    listing(&names)
                ),
            )
        });
    }
    let own: Vec<usize> = (0..names.len())
        .filter(|&i| !added.contains(&names[i]))
        .collect();
    match own.as_slice() {
        [index] => Ok(*index),
        [] => Err(Error::Usage(format!(
            "{} has no containers to add patterns to",
            workload.object()
        ))),
        _ => Err(Error::Usage(format!(
            "{} has several containers ({}): name the app with --container NAME",
            workload.object(),
            listing(&names)
        ))),
    }
}

fn listing(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(containers: &str) -> Node {
        tree::parse(&format!(
            "kind: Deployment\nmetadata:\n  name: web\n  labels:\n    tier: front\n\
             spec:\n  template:\n    spec:\n      containers: {containers}\n"
        ))
        .unwrap()
    }

    #[test]
    fn the_pod_spec_is_found_for_every_kind() {
        let cron = tree::parse(
            "kind: CronJob\nmetadata: {name: r}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {containers: []}\n",
        )
        .unwrap();
        let workload = Workload::of(&cron).unwrap();
        assert_eq!(workload.kind, WorkloadKind::CronJob);
        assert!(pod_spec(&cron, workload.kind).is_some());
        let service = tree::parse("kind: Service\nmetadata: {name: s}\n").unwrap();
        assert!(Workload::of(&service).is_none());
    }

    #[test]
    fn targets_and_labels_choose_workloads() {
        let object = deployment("[{name: web}]");
        let workload = Workload::of(&object).unwrap();
        let by_name = Selection::parse(&["deploy/web".into()], &[]).unwrap();
        assert!(by_name.selects(&workload, &object));
        let other = Selection::parse(&["sts/web".into()], &[]).unwrap();
        assert!(!other.selects(&workload, &object));
        assert_eq!(
            other.unmatched(std::slice::from_ref(&workload)),
            Some("sts/web")
        );
        let labelled = Selection::parse(&[], &["tier=front".into()]).unwrap();
        assert!(labelled.selects(&workload, &object));
        let unlabelled = Selection::parse(&[], &["tier=back".into()]).unwrap();
        assert!(!unlabelled.selects(&workload, &object));
        let error = Selection::parse(&["web".into()], &[]).unwrap_err();
        assert!(error.to_string().contains("--target"), "{error}");
    }

    #[test]
    fn the_app_is_never_guessed_among_several() {
        let object = deployment("[{name: web}, {name: istio-proxy}]");
        let workload = Workload::of(&object).unwrap();
        let pod = pod_spec(&object, workload.kind).unwrap();
        let error = app_container(pod, None, &[], &workload).unwrap_err();
        assert!(error.to_string().contains("--container NAME"), "{error}");
        assert_eq!(
            app_container(pod, Some("istio-proxy"), &[], &workload).unwrap(),
            1
        );
        assert_eq!(
            app_container(pod, None, &["istio-proxy".into()], &workload).unwrap(),
            0
        );
        assert!(app_container(pod, Some("db"), &[], &workload).is_err());
    }
}
