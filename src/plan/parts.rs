//! What the patterns add to the pod while a plan is built: containers, volumes and their
//! mounts, ConfigMaps and Service ports. Each pattern appends to one [`PodParts`]; the plan
//! then places the parts around the app container.

use serde::Serialize;

use super::{ConfigMapPlan, ContainerContext, ContainerPlan, Role, ServicePort};
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

    /// Adds a volume unless one of that name is already there.
    pub(crate) fn add_volume(&mut self, volume: Volume) {
        if !self.volumes.iter().any(|v| v.name == volume.name) {
            self.volumes.push(volume);
        }
    }
}
