//! The plan stage: turns a checked [`Spec`] into the pod's parts, in start order.
//!
//! A plan holds no YAML: it names, for each container, the template that lays it out and the
//! values that template prints. Everything computed (names, labels, volume wiring, where a
//! sidecar goes for the target version) is computed here, so templates only do layout.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::kube_version::KubeVersion;
use crate::spec::{Resources, Spec, WorkloadKind};

/// Label keys podsmith manages on every resource.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// Marks resources written by podsmith.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";

/// The pod and the resources around it, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Workload name.
    pub name: String,
    /// Workload kind.
    pub kind: WorkloadKind,
    /// Namespace, when given.
    pub namespace: Option<String>,
    /// Replicas, for kinds that have them.
    pub replicas: Option<u32>,
    /// Labels on every resource and pod.
    pub labels: BTreeMap<String, String>,
    /// The subset of labels that selects the pods.
    pub selector: BTreeMap<String, String>,
    /// Init containers and native sidecars, in start order.
    pub init_containers: Vec<ContainerPlan>,
    /// The app container first, then regular sidecars and co-located containers.
    pub containers: Vec<ContainerPlan>,
    /// Pod volumes.
    pub volumes: Vec<Volume>,
    /// ConfigMaps the containers mount.
    pub config_maps: Vec<ConfigMapPlan>,
    /// Ports the Service exposes.
    pub service_ports: Vec<ServicePort>,
    /// The Kubernetes version rendered for.
    pub kube_version: KubeVersion,
}

/// How a container takes part in the pod's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs to completion before the app starts.
    Init,
    /// A restartable init container: starts before the app, runs beside it, stops after it.
    NativeSidecar,
    /// A helper in `containers`, started with the app (no start order).
    Sidecar,
    /// The app or a co-located container.
    App,
}

/// One container: which template lays it out and the values it prints.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerPlan {
    /// Container name.
    pub name: String,
    /// Its role in the pod.
    pub role: Role,
    /// Template path under `templates/`.
    pub template: &'static str,
    /// The template's variables.
    pub context: Value,
}

/// A pod volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volume {
    /// Volume name.
    pub name: String,
    /// A ConfigMap to project, or `None` for an emptyDir.
    pub config_map: Option<String>,
}

/// Where a container mounts a volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mount {
    /// The volume.
    pub name: String,
    /// Mount path in the container.
    pub path: String,
    /// Read-only mount.
    pub read_only: bool,
}

/// A ConfigMap rendered from config templates.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigMapPlan {
    /// ConfigMap name.
    pub name: String,
    /// Data entries: key, template, template variables.
    pub entries: Vec<ConfigEntry>,
}

/// One ConfigMap data entry, rendered from a template.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigEntry {
    /// The data key (a file name once mounted).
    pub key: String,
    /// Template path under `templates/`.
    pub template: &'static str,
    /// The template's variables.
    pub context: Value,
}

/// A port of the Service in front of the pods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServicePort {
    /// Port name (also the target port).
    pub name: String,
    /// Port number.
    pub port: u32,
    /// Protocol.
    pub protocol: &'static str,
}

/// What the patterns add to the pod while a plan is built.
#[derive(Debug, Default)]
pub struct PodParts {
    /// Regular init containers and native sidecars, in start order.
    pub init_containers: Vec<ContainerPlan>,
    /// Sidecars rendered as regular containers (before native sidecars exist).
    pub sidecars: Vec<ContainerPlan>,
    /// Co-located app containers.
    pub colocated: Vec<ContainerPlan>,
    /// Volumes.
    pub volumes: Vec<Volume>,
    /// Mounts the app container needs.
    pub app_mounts: Vec<Mount>,
    /// ConfigMaps.
    pub config_maps: Vec<ConfigMapPlan>,
    /// Ports to expose through the Service besides the app's.
    pub service_ports: Vec<ServicePort>,
}

impl PodParts {
    /// Adds a helper that runs beside the app: a native sidecar where the version has them by
    /// default, a regular container before.
    pub fn add_sidecar(&mut self, version: KubeVersion, mut container: ContainerPlan) {
        if version.native_sidecars_by_default() {
            container.role = Role::NativeSidecar;
            container.context["restart_policy"] = json!("Always");
            self.init_containers.push(container);
        } else {
            container.role = Role::Sidecar;
            self.sidecars.push(container);
        }
    }

    /// Adds a volume unless one of that name is already there.
    pub fn add_volume(&mut self, volume: Volume) {
        if !self.volumes.iter().any(|v| v.name == volume.name) {
            self.volumes.push(volume);
        }
    }
}

/// Security settings every container podsmith adds runs with.
#[derive(Debug, Clone, Serialize)]
pub struct Security {
    /// A fixed non-root user for helper images, `None` for the app's own image.
    pub run_as_user: Option<u32>,
    /// Mount the root filesystem read-only.
    pub read_only_root_filesystem: bool,
}

/// The user helper containers run as: non-root, and the conventional "nonroot" UID.
pub const HELPER_UID: u32 = 65532;

impl Security {
    /// A helper image: fixed non-root user, read-only root filesystem.
    pub fn helper() -> Security {
        Security {
            run_as_user: Some(HELPER_UID),
            read_only_root_filesystem: true,
        }
    }

    /// The user's own image: its own (non-root) user, read-only root filesystem.
    pub fn app() -> Security {
        Security {
            run_as_user: None,
            read_only_root_filesystem: true,
        }
    }
}

/// The values every container template reads: name, image, resources, security.
pub fn container_context(
    name: &str,
    image: &str,
    resources: &Resources,
    security: &Security,
) -> Value {
    json!({
        "name": name,
        "image": image,
        "resources": resources,
        "security": security,
        "restart_policy": null,
    })
}

/// The labels of every resource, and the subset that selects the pods.
fn labels(spec: &Spec) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut labels = spec.app.labels.clone();
    labels.insert(NAME_LABEL.into(), spec.app.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), "podsmith".into());
    let selector = BTreeMap::from([(NAME_LABEL.to_string(), spec.app.name.clone())]);
    (labels, selector)
}

/// Builds the plan of a checked spec.
pub fn build(spec: &Spec) -> Plan {
    let version = spec.app.kube_version;
    let mut parts = PodParts::default();
    for pattern in &spec.patterns {
        pattern.contribute(spec, &mut parts);
    }
    let app = crate::patterns::app::container(spec, &parts.app_mounts);
    let mut containers = vec![app];
    containers.append(&mut parts.sidecars);
    containers.append(&mut parts.colocated);

    let mut service_ports: Vec<ServicePort> = crate::patterns::app::port_names(spec)
        .into_iter()
        .zip(&spec.app.ports)
        .map(|(name, port)| ServicePort {
            name,
            port: port.container_port,
            protocol: port.protocol.as_str(),
        })
        .collect();
    service_ports.append(&mut parts.service_ports);

    let (labels, selector) = labels(spec);
    Plan {
        name: spec.app.name.clone(),
        kind: spec.app.kind,
        namespace: spec.app.namespace.clone(),
        replicas: spec
            .app
            .kind
            .has_replicas()
            .then_some(spec.app.replicas.unwrap_or(1)),
        labels,
        selector,
        init_containers: parts.init_containers,
        containers,
        volumes: parts.volumes,
        config_maps: parts.config_maps,
        service_ports,
        kube_version: version,
    }
}
