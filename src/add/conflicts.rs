//! What `add` refuses before it changes a workload: an addition that claims a container name,
//! a port, a volume name, a mount path, an environment variable or a ConfigMap name the pod
//! (or the stream) already uses. Each refusal is one line naming both claimants.

use crate::add::app_spec::port_number;
use crate::add::inject::Additions;
use crate::add::stream_edit::ConfigMapNames;
use crate::add::target::{self, Workload};
use crate::add::tree;
use crate::error::{Error, Result};
use crate::yaml::Node;

/// Fails with a one-line conflict when an addition claims a name, port or path the pod (or
/// the stream) already uses.
pub(super) fn check(
    object: &Node,
    workload: &Workload,
    app_index: usize,
    additions: &Additions,
    config_maps: &ConfigMapNames,
) -> Result<()> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| target::no_pod(workload))?;
    let app = tree::items(pod, &["containers"])
        .get(app_index)
        .ok_or_else(|| target::no_pod(workload))?;
    let claims = Claims {
        here: workload.object(),
        existing: ["initContainers", "containers", "ephemeralContainers"]
            .iter()
            .flat_map(|list| tree::items(pod, &[list]))
            .collect(),
        added: additions
            .init_containers
            .iter()
            .chain(&additions.containers)
            .collect(),
        additions,
    };
    claims.containers()?;
    claims.listening_ports()?;
    claims.volumes(pod, object)?;
    claims.app_mounts_and_env(app)?;
    claims.config_maps(config_maps, workload.namespace.as_ref())
}

/// The pod's containers and what the patterns add to it, with who adds what.
struct Claims<'a> {
    /// The workload, as messages name it.
    here: String,
    /// The containers the pod has.
    existing: Vec<&'a Node>,
    /// The containers the patterns add.
    added: Vec<&'a Node>,
    /// Everything the patterns add.
    additions: &'a Additions,
}

impl Claims<'_> {
    /// The flag of the pattern that adds `container`.
    fn owner_of_container(&self, container: &Node) -> String {
        let name = tree::name(container);
        self.additions
            .owners
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("podsmith's container `{name}`"))
    }

    /// A volume, mount or ConfigMap belongs to the first added container that mounts it.
    fn owner_of_volume(&self, volume: &str) -> String {
        self.added
            .iter()
            .find(|c| {
                tree::items(c, &["volumeMounts"])
                    .iter()
                    .any(|m| tree::name(m) == volume)
            })
            .map(|c| self.owner_of_container(c))
            .unwrap_or_else(|| format!("podsmith's volume `{volume}`"))
    }

    /// The pod's container that listens on `wanted` (number, protocol).
    fn listener(&self, wanted: (u32, &str)) -> Option<&Node> {
        self.existing.iter().copied().find(|c| {
            tree::items(c, &["ports"])
                .iter()
                .any(|p| listens(p) == Some(wanted))
        })
    }

    /// Added containers whose name or declared port the pod's containers already have.
    fn containers(&self) -> Result<()> {
        for added in &self.added {
            let name = tree::name(added);
            if self.existing.iter().any(|c| tree::name(c) == name) {
                return Err(conflict(
                    "container name",
                    name,
                    format!("{} (its container)", self.here),
                    self.owner_of_container(added),
                ));
            }
            for wanted in tree::items(added, &["ports"]).iter().filter_map(listens) {
                if let Some(holder) = self.listener(wanted) {
                    let port = match wanted.1 {
                        "TCP" => wanted.0.to_string(),
                        protocol => format!("{}/{protocol}", wanted.0),
                    };
                    return Err(conflict(
                        "port",
                        &port,
                        format!("{} container `{}`", self.here, tree::name(holder)),
                        self.owner_of_container(added),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Ports the patterns listen on without declaring them (an ambassador's local port).
    fn listening_ports(&self) -> Result<()> {
        for (port, flag) in &self.additions.listens {
            if let Some(holder) = self.listener((*port, "TCP")) {
                return Err(conflict(
                    "port",
                    &port.to_string(),
                    format!("{} container `{}`", self.here, tree::name(holder)),
                    flag.clone(),
                ));
            }
        }
        Ok(())
    }

    /// Added volumes named like a volume of the pod or a StatefulSet's claim template.
    fn volumes(&self, pod: &Node, object: &Node) -> Result<()> {
        let mut volumes: Vec<&str> = tree::items(pod, &["volumes"])
            .iter()
            .map(tree::name)
            .collect();
        volumes.extend(
            tree::items(object, &["spec", "volumeClaimTemplates"])
                .iter()
                .filter_map(|c| tree::text(c, &["metadata", "name"])),
        );
        for volume in &self.additions.volumes {
            let name = tree::name(volume);
            if volumes.contains(&name) {
                return Err(conflict(
                    "volume name",
                    name,
                    format!("{} (its volume)", self.here),
                    self.owner_of_volume(name),
                ));
            }
        }
        Ok(())
    }

    /// Mount paths and environment variables the app container already has.
    fn app_mounts_and_env(&self, app: &Node) -> Result<()> {
        let app_name = tree::name(app);
        for mount in &self.additions.mounts {
            let path = tree::text(mount, &["mountPath"]).unwrap_or_default();
            let taken = tree::items(app, &["volumeMounts"])
                .iter()
                .find(|m| tree::text(m, &["mountPath"]) == Some(path));
            if let Some(taken) = taken {
                return Err(conflict(
                    "mount path",
                    path,
                    format!(
                        "{} container `{app_name}` (volume `{}`)",
                        self.here,
                        tree::name(taken)
                    ),
                    self.owner_of_volume(tree::name(mount)),
                ));
            }
        }
        for var in &self.additions.env {
            let name = tree::name(var);
            if tree::items(app, &["env"])
                .iter()
                .any(|v| tree::name(v) == name)
            {
                return Err(conflict(
                    "environment variable",
                    name,
                    format!("{} container `{app_name}`", self.here),
                    "podsmith's Job sidecar wiring".into(),
                ));
            }
        }
        Ok(())
    }

    /// Added ConfigMaps named like one of the stream's in the workload's namespace.
    fn config_maps(&self, config_maps: &ConfigMapNames, namespace: Option<&String>) -> Result<()> {
        for config_map in &self.additions.config_maps {
            let name = tree::text(config_map, &["metadata", "name"]).unwrap_or_default();
            if config_maps.iter().any(|(other_namespace, other)| {
                other_namespace.as_ref() == namespace && other == name
            }) {
                let owner = self
                    .additions
                    .volumes
                    .iter()
                    .find(|v| tree::text(v, &["configMap", "name"]) == Some(name))
                    .map(tree::name)
                    .map_or_else(|| "podsmith".to_string(), |v| self.owner_of_volume(v));
                return Err(conflict(
                    "ConfigMap name",
                    name,
                    format!("ConfigMap/{name} of the input"),
                    owner,
                ));
            }
        }
        Ok(())
    }
}

fn conflict(what: &str, value: &str, first: String, second: String) -> Error {
    Error::Conflict {
        what: what.into(),
        value: value.into(),
        first,
        second,
    }
}

/// The port a container listens on in the pod's network namespace: number and protocol.
fn listens(port: &Node) -> Option<(u32, &str)> {
    Some((
        port_number(port)?,
        tree::text(port, &["protocol"]).unwrap_or("TCP"),
    ))
}
