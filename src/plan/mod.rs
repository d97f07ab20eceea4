//! The plan stage: turns a checked [`Spec`] into the pod's parts, in start order.
//!
//! A plan holds no YAML: it names, for each container, the template that lays it out and the
//! values that template prints. Everything computed (names, labels, volume wiring, where a
//! sidecar goes for the target version) is computed here, so templates only do layout.

use std::collections::BTreeMap;

use crate::kube_version::KubeVersion;
use crate::spec::{Spec, WorkloadKind};

mod config_map;
mod container;
mod parts;
mod service;
mod workload;

pub(crate) use config_map::{ConfigEntry, ConfigMapPlan, ConfigTemplate};
pub(crate) use container::{
    AppContext, Common, ContainerContext, ContainerPlan, ContainerPort, ContainerTemplate,
    DoneFile, EnvSource, Role, Security, HELPER_UID,
};
pub(crate) use parts::{Mount, PodParts, Volume};
pub(crate) use service::ServicePort;
pub(crate) use workload::{VolumeClaim, WorkloadSettings, STORAGE_VOLUME};

/// Label keys podsmith manages on every resource.
pub(crate) const NAME_LABEL: &str = "app.kubernetes.io/name";
/// Marks resources written by podsmith.
pub(crate) const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";

/// The pod and the resources around it, ready to render.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Workload name.
    pub(crate) name: String,
    /// Workload kind.
    pub(crate) kind: WorkloadKind,
    /// Namespace, when given.
    pub(crate) namespace: Option<String>,
    /// Replicas, for kinds that have them.
    pub(crate) replicas: Option<u32>,
    /// Labels on every resource and pod.
    pub(crate) labels: BTreeMap<String, String>,
    /// The subset of labels that selects the pods.
    pub(crate) selector: BTreeMap<String, String>,
    /// Init containers and native sidecars, in start order.
    pub(crate) init_containers: Vec<ContainerPlan>,
    /// The app container first, then regular sidecars and co-located containers.
    pub(crate) containers: Vec<ContainerPlan>,
    /// Pod volumes.
    pub(crate) volumes: Vec<Volume>,
    /// ConfigMaps the containers mount.
    pub(crate) config_maps: Vec<ConfigMapPlan>,
    /// Ports the Service exposes.
    pub(crate) service_ports: Vec<ServicePort>,
    /// The Kubernetes version rendered for.
    pub(crate) kube_version: KubeVersion,
    /// Per-pod storage claims (StatefulSet).
    pub(crate) volume_claims: Vec<VolumeClaim>,
    /// Kind-specific settings of the workload.
    pub(crate) workload: WorkloadSettings,
    /// Annotations of the pod (template).
    pub(crate) pod_annotations: BTreeMap<String, String>,
}

impl Plan {
    /// Whether a Service goes in front of the pods: a StatefulSet's headless one, or one for
    /// the named ports.
    pub(crate) fn has_service(&self) -> bool {
        self.workload.service
            && (self.workload.service_name.is_some() || !self.service_ports.is_empty())
    }
}

/// The labels of every resource, and the subset that selects the pods.
fn labels(spec: &Spec) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut labels = spec.app.labels.clone();
    labels.insert(NAME_LABEL.into(), spec.app.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), "podsmith".into());
    let selector = BTreeMap::from([(NAME_LABEL.to_string(), spec.app.name.clone())]);
    (labels, selector)
}

/// Who adds parts to the pod, in the order [`pod_parts`] calls them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contributor {
    /// The StatefulSet's per-pod storage, mounted in the app.
    Storage,
    /// Pattern number `n` of the spec.
    Pattern(usize),
    /// The done file a Job's sidecars stop on before native sidecars.
    DoneFile,
}

/// What the workload's storage, the patterns and a Job's done file add to the pod, before the
/// app container is planned. `added` sees the parts after each contributor, so that the checks
/// can tell who added a mount or a port from what it really adds, not from a list of their own.
pub(crate) fn pod_parts(spec: &Spec, added: &mut dyn FnMut(Contributor, &PodParts)) -> PodParts {
    let mut parts = PodParts::default();
    // The workload's own mounts come before the patterns' and each pattern's parts after those
    // of the patterns before it, so a pattern adds the same items wherever it is combined (what
    // lets a Kustomize Component be turned off alone).
    if let Some(path) = crate::image_env::storage_path(&spec.app)
        .filter(|_| spec.app.kind == WorkloadKind::StatefulSet)
    {
        parts.add_app_mount(Mount {
            name: STORAGE_VOLUME.into(),
            path,
            read_only: false,
            sub_path: crate::image_env::storage_subfolder(&spec.app).map(String::from),
        });
        added(Contributor::Storage, &parts);
    }
    let mut done_file = crate::batch::needs_done_file(spec);
    for (index, pattern) in spec.patterns.iter().enumerate() {
        pattern.contribute(spec, &mut parts);
        added(Contributor::Pattern(index), &parts);
        if done_file && pattern.lifecycle() == crate::patterns::declaration::Lifecycle::Sidecar {
            // The first sidecar brings the done file, as it would alone.
            crate::batch::add_done_volume(&mut parts);
            added(Contributor::DoneFile, &parts);
            done_file = false;
        }
    }
    parts
}

/// Builds the plan of a checked spec.
pub(crate) fn build(spec: &Spec) -> Plan {
    let version = spec.app.kube_version;
    let mut parts = pod_parts(spec, &mut |_, _| {});
    let mut app = crate::patterns::app::context(spec, &mut parts);
    crate::batch::apply(spec, &mut parts, &mut app);
    let app = ContainerPlan {
        name: spec.app.name.clone(),
        role: Role::App,
        context: ContainerContext::App(app),
    };
    let mut containers = vec![app];
    containers.append(&mut parts.sidecars);
    containers.append(&mut parts.colocated);

    let service_ports = service::service_ports(spec, &mut parts);

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
        volume_claims: workload::volume_claims(spec),
        workload: workload::settings(spec),
        pod_annotations: pod_annotations(spec),
    }
}

/// The pod annotation that says what the app must serve for the adapter to read it.
pub(crate) const ADAPTER_ANNOTATION: &str = "podsmith/adapter-needs";

/// The pod's annotations: the Pod Security Standards level of the user's containers, when it
/// is `baseline`, so that `podsmith validate` holds them to that level; and what an adapter
/// needs the app to serve, where a reader of the manifest (or `kubectl describe`) sees it.
fn pod_annotations(spec: &Spec) -> BTreeMap<String, String> {
    let profile = spec.app.security.profile;
    let mut annotations = BTreeMap::new();
    if profile == crate::security::Profile::Baseline {
        annotations.insert(
            crate::security::LEVEL_ANNOTATION.to_string(),
            profile.as_str().to_string(),
        );
    }
    for pattern in &spec.patterns {
        if let crate::patterns::Pattern::Adapter(adapter) = pattern {
            if let Some(port) = adapter.scrape_port(spec) {
                annotations.insert(
                    ADAPTER_ANNOTATION.to_string(),
                    adapter.exporter.requirement(port),
                );
            }
        }
    }
    annotations
}
