//! The existing app container read back as the [`Spec`] `podsmith new` would need to render it
//! with the patterns: its image, ports, env and command, and the pod settings the patterns
//! depend on. Values `new` would refuse (a port name, an env name) are left out rather than
//! refused, since they are the input's own and stay as they are.

use crate::add::target::{self, Workload};
use crate::add::tree;
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::spec::{EnvVar, Field, JobRestartPolicy, Port, SecretKeyRef, Spec, WorkloadKind};
use crate::yaml::Node;

/// The spec `new` would need to render this workload's app with `patterns`.
pub(super) fn spec_of(
    object: &Node,
    workload: &Workload,
    app: &Node,
    patterns: &[Pattern],
    version: KubeVersion,
) -> Result<Spec> {
    let name = match crate::names::dns_label(&workload.name) {
        Ok(()) => workload.name.clone(),
        Err(_) => crate::names::derived_label(&workload.name),
    };
    let container = tree::text(app, &["name"]).unwrap_or_default();
    let image = tree::text(app, &["image"]).ok_or_else(|| {
        Error::Usage(format!(
            "{}: container `{container}` has no image",
            workload.object()
        ))
    })?;
    let mut spec = Spec::new(name, image);
    spec.app.kind = workload.kind;
    spec.app.namespace.clone_from(&workload.namespace);
    spec.app.kube_version = version;
    spec.app.ports = ports(app);
    spec.app.env = env(app, version);
    spec.app.command = tree::strings(app.get("command"));
    pod_settings(object, workload.kind, &mut spec);
    spec.patterns = patterns.to_vec();
    crate::spec::check_parts(&spec, Field::Flags).map_err(|error| match error {
        // `new`'s checks call the app "the app"; here it is a container of the input.
        Error::Conflict {
            what,
            value,
            first,
            second,
        } if first.starts_with("the app") => Error::Conflict {
            what,
            value,
            first: format!("{} container `{container}`", workload.object()),
            second,
        },
        error => error,
    })?;
    Ok(spec)
}

/// The app's ports with a number; a name `new` would refuse is left out.
fn ports(app: &Node) -> Vec<Port> {
    tree::items(app, &["ports"])
        .iter()
        .filter_map(|port| {
            Some(Port {
                name: tree::text(port, &["name"])
                    .filter(|n| crate::names::port_name(n).is_empty())
                    .map(str::to_string),
                container_port: port_number(port)?,
                protocol: tree::text(port, &["protocol"])
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// The app's variables with a value or a Secret key, each name once and only names `new`
/// accepts at `version`.
fn env(app: &Node, version: KubeVersion) -> Vec<EnvVar> {
    let mut env: Vec<EnvVar> = Vec::new();
    for var in tree::items(app, &["env"]) {
        let Some(name) = tree::text(var, &["name"]) else {
            continue;
        };
        let secret = |field: &str| tree::text(var, &["valueFrom", "secretKeyRef", field]);
        let read = match (tree::text(var, &["value"]), secret("name"), secret("key")) {
            (Some(value), _, _) => EnvVar::value(name, value),
            (None, Some(secret), Some(key)) => EnvVar {
                name: name.into(),
                value: None,
                secret_key_ref: Some(SecretKeyRef {
                    name: secret.into(),
                    key: key.into(),
                }),
            },
            _ => continue,
        };
        if crate::names::env_name(name, version).is_ok() && !env.iter().any(|e| e.name == name) {
            env.push(read);
        }
    }
    env
}

/// The pod's settings that change what the patterns render: a Job's restart policy, a
/// CronJob's schedule and the pod's fsGroup.
fn pod_settings(object: &Node, kind: WorkloadKind, spec: &mut Spec) {
    let pod = target::pod_spec(object, kind);
    let pod_field = |path: &[&str]| pod.and_then(|p| tree::at(p, path));
    if kind.runs_to_completion() {
        spec.app.restart_policy = pod_field(&["restartPolicy"])
            .and_then(Node::as_str)
            .and_then(|p| p.parse::<JobRestartPolicy>().ok());
    }
    if kind == WorkloadKind::CronJob {
        // Checked by `new`; the workload keeps its own, whatever the render says.
        spec.app.schedule = Some("0 0 * * *".into());
    }
    spec.app.fs_group = pod_field(&["securityContext", "fsGroup"])
        .and_then(tree::int)
        .and_then(|g| u32::try_from(g).ok());
}

/// The `containerPort` of a port entry.
pub(super) fn port_number(port: &Node) -> Option<u32> {
    port.get("containerPort")
        .and_then(tree::int)
        .and_then(|n| u32::try_from(n).ok())
}
