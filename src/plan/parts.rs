//! What the patterns add to the pod while a plan is built: containers, volumes and their
//! mounts, ConfigMaps and Service ports. Each pattern appends to one [`PodParts`]; the plan
//! then places the parts around the app container.

use serde::Serialize;

use super::{
    ConfigEntry, ConfigMapPlan, ConfigTemplate, ContainerContext, ContainerPlan, Role, ServicePort,
};
use crate::kube_version::KubeVersion;

/// A pod volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Volume {
    /// Volume name.
    pub(crate) name: String,
    /// A ConfigMap to project, or `None` for an emptyDir.
    pub(crate) config_map: Option<String>,
    /// The most an emptyDir may hold (`sizeLimit`) before the kubelet evicts the pod.
    pub(crate) size_limit: Option<String>,
    /// A Secret to project read-only, or `None`.
    pub(crate) secret: Option<String>,
}

/// Where a container mounts a volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Mount {
    /// The volume.
    pub(crate) name: String,
    /// Mount path in the container.
    pub(crate) path: String,
    /// Read-only mount.
    pub(crate) read_only: bool,
    /// The folder of the volume mounted there instead of its root.
    pub(crate) sub_path: Option<String>,
}

impl Volume {
    /// An emptyDir with no size limit: for small files (a clone, a done file) that need none.
    pub(crate) fn empty_dir(name: impl Into<String>) -> Volume {
        Volume {
            name: name.into(),
            config_map: None,
            size_limit: None,
            secret: None,
        }
    }

    /// An emptyDir the kubelet evicts the pod for outgrowing, for what a program writes
    /// without bound (logs, read positions).
    pub(crate) fn bounded_empty_dir(name: impl Into<String>, size_limit: &str) -> Volume {
        Volume {
            size_limit: Some(size_limit.into()),
            ..Volume::empty_dir(name)
        }
    }

    /// The files of ConfigMap `config_map`.
    pub(crate) fn config_map(name: impl Into<String>, config_map: impl Into<String>) -> Volume {
        Volume {
            config_map: Some(config_map.into()),
            ..Volume::empty_dir(name)
        }
    }

    /// The files of Secret `secret`, read-only.
    pub(crate) fn secret(name: impl Into<String>, secret: impl Into<String>) -> Volume {
        Volume {
            secret: Some(secret.into()),
            ..Volume::empty_dir(name)
        }
    }
}

impl Mount {
    /// Volume `name` mounted whole at `path`, writable.
    pub(crate) fn writable(name: impl Into<String>, path: impl Into<String>) -> Mount {
        Mount {
            name: name.into(),
            path: path.into(),
            read_only: false,
            sub_path: None,
        }
    }

    /// Volume `name` mounted whole at `path`, read-only: for what the container only reads.
    pub(crate) fn read_only(name: impl Into<String>, path: impl Into<String>) -> Mount {
        Mount {
            read_only: true,
            ..Mount::writable(name, path)
        }
    }
}

/// What the patterns add to the pod while a plan is built.
#[derive(Debug, Default)]
pub(crate) struct PodParts {
    /// Regular init containers and native sidecars, in start order.
    pub(crate) init_containers: Vec<ContainerPlan>,
    /// Sidecars rendered as regular containers (before native sidecars exist).
    pub(crate) sidecars: Vec<ContainerPlan>,
    /// Co-located app containers.
    pub(crate) colocated: Vec<ContainerPlan>,
    /// Volumes.
    pub(crate) volumes: Vec<Volume>,
    /// Mounts the app container needs.
    pub(crate) app_mounts: Vec<Mount>,
    /// ConfigMaps.
    pub(crate) config_maps: Vec<ConfigMapPlan>,
    /// Ports to expose through the Service besides the app's.
    pub(crate) service_ports: Vec<ServicePort>,
    /// An app port the Service reaches through a proxy sidecar:
    /// `(app port, proxy port name, proxy port)`.
    pub(crate) proxied_port: Option<(u32, String, u32)>,
}

impl PodParts {
    /// Adds a helper that runs beside the app: a native sidecar where the version has them by
    /// default, a regular container before.
    pub(crate) fn add_sidecar(
        &mut self,
        version: KubeVersion,
        name: String,
        mut context: ContainerContext,
    ) {
        if version.native_sidecars_by_default() {
            context.make_native();
            self.init_containers.push(ContainerPlan {
                name,
                role: Role::NativeSidecar,
                context,
            });
        } else {
            self.sidecars.push(ContainerPlan {
                name,
                role: Role::Sidecar,
                context,
            });
        }
    }

    /// Adds an init container, run to completion before the next one starts.
    pub(crate) fn add_init(&mut self, name: String, context: ContainerContext) {
        self.init_containers.push(ContainerPlan {
            name,
            role: Role::Init,
            context,
        });
    }

    /// Mounts a volume in the app unless it is already mounted at that path.
    pub(crate) fn add_app_mount(&mut self, mount: Mount) {
        if !self
            .app_mounts
            .iter()
            .any(|m| m.name == mount.name && m.path == mount.path)
        {
            self.app_mounts.push(mount);
        }
    }

    /// Adds a config file rendered from `context` as key `key` of a new ConfigMap
    /// `config_map`, and the volume `volume` that projects it: the way a helper is configured
    /// without an image of its own.
    pub(crate) fn add_config_file(
        &mut self,
        volume: String,
        config_map: String,
        key: &str,
        values: impl ConfigTemplate,
    ) {
        self.add_volume(Volume::config_map(volume, config_map.clone()));
        self.config_maps.push(ConfigMapPlan {
            name: config_map,
            entries: vec![ConfigEntry::new(key, values)],
        });
    }

    /// Adds a volume unless one of that name is already there.
    pub(crate) fn add_volume(&mut self, volume: Volume) {
        if !self.volumes.iter().any(|v| v.name == volume.name) {
            self.volumes.push(volume);
        }
    }
}
