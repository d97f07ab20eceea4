//! What the patterns add to an existing workload, computed by the same plan and templates as
//! `podsmith new`.
//!
//! The workload is rendered as `new` would render it from the app container's image, ports,
//! env and command ([`app_spec`](super::app_spec)); everything in that render except the app
//! container itself is what the patterns need. [`conflicts`](super::conflicts) checks it
//! against what the pod already has, [`pod_edit`](super::pod_edit) adds it after what is
//! there, and the workload's [`ANNOTATION`](crate::add::record::ANNOTATION) records it, so a
//! later run recognises, updates or removes it.

use std::collections::BTreeMap;

use crate::add::target::{self, Workload};
use crate::add::tree;
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::render::Engine;
use crate::spec::Spec;
use crate::yaml::Node;

/// What the patterns put into one pod, rendered and ready to insert.
#[derive(Debug, Default)]
pub(super) struct Additions {
    /// Init containers and native sidecars, in start order.
    pub(crate) init_containers: Vec<Node>,
    /// Regular sidecars and co-located containers.
    pub(crate) containers: Vec<Node>,
    /// Pod volumes.
    pub(crate) volumes: Vec<Node>,
    /// Mounts for the app container.
    pub(crate) mounts: Vec<Node>,
    /// Environment variables for the app container.
    pub(crate) env: Vec<Node>,
    /// A new command for the app container.
    pub(crate) command: Option<Node>,
    /// ConfigMaps to write after the workload.
    pub(crate) config_maps: Vec<Node>,
    /// Pod-level settings the patterns need, by path in the pod spec (the log volume's
    /// `securityContext.fsGroup`), as `new` sets them.
    pub(crate) pod_settings: Vec<(Vec<String>, Node)>,
    /// The flag of the pattern that adds each container, for conflict messages.
    pub(crate) owners: BTreeMap<String, String>,
    /// The ports the patterns listen on in the pod's network namespace, declared or not (an
    /// ambassador's local port), with the flag that adds each.
    pub(crate) listens: Vec<(u32, String)>,
    /// What the user must know about the result.
    pub(crate) warnings: Vec<String>,
}

/// Renders `patterns` for the workload as `new` would, and keeps what they add to the pod.
pub(super) fn compute(
    object: &Node,
    workload: &Workload,
    app_index: usize,
    patterns: &[Pattern],
    version: KubeVersion,
    engine: &Engine,
) -> Result<Additions> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| target::no_pod(workload))?;
    let app = tree::items(pod, &["containers"])
        .get(app_index)
        .ok_or_else(|| target::no_pod(workload))?;
    let spec = crate::add::app_spec::spec_of(object, workload, app, patterns, version)?;
    let rendered = engine.render(&crate::plan::build(&spec))?;
    // What the patterns set at pod level, found without the pod's own fsGroup so that one
    // differing from theirs is seen (and kept, with a note).
    let mut settled = spec.clone();
    settled.app.fs_group = None;
    let with_patterns = engine.render(&crate::plan::build(&settled))?;
    settled.patterns.clear();
    let bare = engine.render(&crate::plan::build(&settled))?;
    let mut additions = Additions {
        warnings: crate::batch::warnings(&spec),
        ..Additions::default()
    };
    for pattern in patterns {
        additions
            .owners
            .insert(pattern.container_name(), pattern.flag());
        for port in pattern.ports(&spec) {
            additions.listens.push((port, pattern.flag()));
        }
        if matches!(pattern, Pattern::Proxy(_)) {
            additions.warnings.push(format!(
                "{}: add leaves Services as they are: point the Service's targetPort at the \
                 proxy's port `{}` so traffic goes through it",
                workload.object(),
                crate::patterns::proxy::PORT_NAME
            ));
        }
    }
    for document in &rendered.documents {
        let value = tree::parse(&document.text)
            .map(tree::detach)
            .map_err(|error| Error::Internal(format!("rendered YAML: {error}")))?;
        match document.kind.as_str() {
            "ConfigMap" => additions.config_maps.push(value),
            kind if kind == workload.kind.api_kind() => {
                let rendered_pod = target::pod_spec(&value, workload.kind)
                    .ok_or_else(|| Error::Internal("rendered workload without a pod".into()))?;
                take_pod_parts(rendered_pod, &spec, &mut additions);
                let workload_of = |rendered: &crate::render::Rendered| {
                    rendered
                        .documents
                        .iter()
                        .find(|d| d.kind == document.kind)
                        .and_then(|d| tree::parse(&d.text).ok())
                        .map(tree::detach)
                        .ok_or_else(|| Error::Internal("no render of the workload".into()))
                };
                let (with_patterns, bare) = (workload_of(&with_patterns)?, workload_of(&bare)?);
                let pods = (
                    target::pod_spec(&with_patterns, workload.kind),
                    target::pod_spec(&bare, workload.kind),
                );
                let (Some(with_patterns), Some(bare)) = pods else {
                    return Err(Error::Internal("rendered workload without a pod".into()));
                };
                settings(
                    with_patterns,
                    bare,
                    &mut Vec::new(),
                    &mut additions.pod_settings,
                );
            }
            _ => {}
        }
    }
    Ok(additions)
}

/// The pod-level values `pod` (rendered with the patterns) has and `bare` (without them) has
/// not, by path: what the patterns set besides their containers and volumes.
fn settings(pod: &Node, bare: &Node, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Node)>) {
    for entry in pod.as_mapping().unwrap_or_default() {
        if path.is_empty()
            && ["containers", "initContainers", "volumes"].contains(&entry.key.as_str())
        {
            continue;
        }
        let before = bare.get(&entry.key);
        path.push(entry.key.clone());
        match before {
            Some(before) if before.same_values(&entry.value) => {}
            Some(before) if before.as_mapping().is_some() && entry.value.as_mapping().is_some() => {
                settings(&entry.value, before, path, out);
            }
            _ => out.push((path.clone(), entry.value.clone())),
        }
        path.pop();
    }
}

fn take_pod_parts(pod: &Node, spec: &Spec, additions: &mut Additions) {
    let list = |key: &str| tree::items(pod, &[key]).to_vec();
    additions.init_containers = list("initContainers");
    additions.volumes = list("volumes");
    for container in list("containers") {
        if tree::text(&container, &["name"]) != Some(spec.app.name.as_str()) {
            additions.containers.push(container);
            continue;
        }
        additions.mounts = tree::items(&container, &["volumeMounts"]).to_vec();
        additions.env = tree::items(&container, &["env"])
            .iter()
            .filter(|var| {
                !spec
                    .app
                    .env
                    .iter()
                    .any(|own| tree::text(var, &["name"]) == Some(own.name.as_str()))
            })
            .cloned()
            .collect();
        if tree::strings(container.get("command")) != spec.app.command {
            additions.command = container.get("command").cloned();
        }
    }
}
