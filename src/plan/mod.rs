//! The plan stage: turns a checked [`Spec`] into the pod's parts, in start order.
//!
//! A plan holds no YAML: it names, for each container, the template that lays it out and the
//! values that template prints. Everything computed (names, labels, volume wiring, where a
//! sidecar goes for the target version) is computed here, so templates only do layout.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kube_version::KubeVersion;
use crate::patterns::log_sidecar::LOG_GROUP;
use crate::spec::{Spec, WorkloadKind};

mod container;

pub(crate) use container::{
    AppContext, Common, ContainerContext, ContainerPlan, ContainerPort, DoneFile, Role, Security,
    HELPER_UID,
};

/// Label keys podsmith manages on every resource.
pub(crate) const NAME_LABEL: &str = "app.kubernetes.io/name";
/// Marks resources written by podsmith.
pub(crate) const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";

/// The pod and the resources around it, ready to render.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Plan {
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
    /// Per-pod storage claims (StatefulSet).
    pub volume_claims: Vec<VolumeClaim>,
    /// Kind-specific settings of the workload.
    pub workload: WorkloadSettings,
    /// Annotations of the pod (template).
    pub pod_annotations: BTreeMap<String, String>,
}

/// A StatefulSet's `volumeClaimTemplates` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct VolumeClaim {
    /// Claim (and volume) name.
    pub name: String,
    /// Requested size.
    pub size: String,
    /// StorageClass, when given.
    pub storage_class: Option<String>,
}

/// Settings that only some workload kinds have.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct WorkloadSettings {
    /// The pod's restartPolicy when not the default (`OnFailure` or `Never` for Jobs).
    pub restart_policy: Option<&'static str>,
    /// Job retries.
    pub backoff_limit: Option<u32>,
    /// CronJob schedule.
    pub schedule: Option<String>,
    /// StatefulSet `serviceName`: its headless Service.
    pub service_name: Option<String>,
    /// Pod `securityContext.fsGroup`.
    pub fs_group: Option<u32>,
    /// The pod's `net.ipv4.ip_unprivileged_port_start` sysctl: the app's lowest port, when
    /// it is below 1024 and the app runs as a non-root user, who could not bind it otherwise
    /// (an added NET_BIND_SERVICE capability does not reach a non-root process).
    pub unprivileged_port_start: Option<u32>,
    /// Whether a Service goes with the workload (not for Jobs).
    pub service: bool,
}

/// The volume (and claim) name of a StatefulSet's storage.
pub(crate) const STORAGE_VOLUME: &str = "data";

/// A pod volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Volume {
    /// Volume name.
    pub name: String,
    /// A ConfigMap to project, or `None` for an emptyDir.
    pub config_map: Option<String>,
    /// The most an emptyDir may hold (`sizeLimit`) before the kubelet evicts the pod.
    pub size_limit: Option<String>,
    /// A Secret to project read-only, or `None`.
    pub secret: Option<String>,
}

/// Where a container mounts a volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Mount {
    /// The volume.
    pub name: String,
    /// Mount path in the container.
    pub path: String,
    /// Read-only mount.
    pub read_only: bool,
    /// The folder of the volume mounted there instead of its root.
    pub sub_path: Option<String>,
}

/// A ConfigMap rendered from config templates.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConfigMapPlan {
    /// ConfigMap name.
    pub name: String,
    /// Data entries: key, template, template variables.
    pub entries: Vec<ConfigEntry>,
}

/// One ConfigMap data entry, rendered from a template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConfigEntry {
    /// The data key (a file name once mounted).
    pub key: String,
    /// Its template's values; the variant names the template.
    pub context: ConfigContext,
}

/// The values of one config file's template; the variant names the template.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum ConfigContext {
    /// `config/ambassador-haproxy.cfg.tera`.
    Haproxy(crate::patterns::ambassador::HaproxyConfig),
    /// `config/proxy-envoy.yaml.tera`.
    Envoy(crate::patterns::proxy::EnvoyConfig),
    /// `config/log-shipper-fluent-bit.conf.tera`.
    FluentBit(crate::patterns::log_shipper::FluentBitConfig),
    /// `config/git-passwd.tera`.
    GitPasswd(crate::patterns::git_clone::PasswdConfig),
}

impl ConfigContext {
    /// Template path under `templates/`.
    pub(crate) fn template(&self) -> &'static str {
        match self {
            ConfigContext::Haproxy(_) => "config/ambassador-haproxy.cfg.tera",
            ConfigContext::Envoy(_) => "config/proxy-envoy.yaml.tera",
            ConfigContext::FluentBit(_) => "config/log-shipper-fluent-bit.conf.tera",
            ConfigContext::GitPasswd(_) => "config/git-passwd.tera",
        }
    }
}

/// A port of the Service in front of the pods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ServicePort {
    /// Port name (also the target port).
    pub name: String,
    /// Port number.
    pub port: u32,
    /// Protocol.
    pub protocol: &'static str,
    /// The container port name it forwards to.
    pub target: String,
    /// `appProtocol`, where it tells a mesh or load balancer what the name cannot.
    pub app_protocol: Option<&'static str>,
}

/// What the patterns add to the pod while a plan is built.
#[derive(Debug, Default)]
pub(crate) struct PodParts {
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
    /// An app port the Service reaches through a proxy sidecar:
    /// `(app port, proxy port name, proxy port)`.
    pub proxied_port: Option<(u32, String, u32)>,
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

/// The labels of every resource, and the subset that selects the pods.
fn labels(spec: &Spec) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut labels = spec.app.labels.clone();
    labels.insert(NAME_LABEL.into(), spec.app.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), "podsmith".into());
    let selector = BTreeMap::from([(NAME_LABEL.to_string(), spec.app.name.clone())]);
    (labels, selector)
}

/// Builds the plan of a checked spec.
pub(crate) fn build(spec: &Spec) -> Plan {
    let version = spec.app.kube_version;
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
    }
    let mut done_file = crate::batch::needs_done_file(spec);
    for pattern in &spec.patterns {
        pattern.contribute(spec, &mut parts);
        if done_file && pattern.lifecycle() == crate::patterns::declaration::Lifecycle::Sidecar {
            // The first sidecar brings the done file, as it would alone.
            crate::batch::add_done_volume(&mut parts);
            done_file = false;
        }
    }
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

    let service_ports = service_ports(spec, &mut parts);

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
        volume_claims: volume_claims(spec),
        workload: workload_settings(spec),
        pod_annotations: pod_annotations(spec),
    }
}

/// The Service's ports: the app's (through the proxy, when one fronts it) and the patterns'.
fn service_ports(spec: &Spec, parts: &mut PodParts) -> Vec<ServicePort> {
    let mut service_ports: Vec<ServicePort> = crate::patterns::app::port_names(spec)
        .into_iter()
        .zip(&spec.app.ports)
        .map(|(name, port)| match &parts.proxied_port {
            // A headless Service does no port mapping: clients reach the proxy's own port.
            Some((number, proxy, proxy_port)) if *number == port.container_port => ServicePort {
                app_protocol: crate::patterns::app::app_protocol(&name),
                name,
                port: if spec.app.kind == WorkloadKind::StatefulSet {
                    *proxy_port
                } else {
                    port.container_port
                },
                protocol: port.protocol.as_str(),
                target: proxy.clone(),
            },
            _ => ServicePort {
                target: name.clone(),
                app_protocol: crate::patterns::app::app_protocol(&name),
                name,
                port: port.container_port,
                protocol: port.protocol.as_str(),
            },
        })
        .collect();
    service_ports.append(&mut parts.service_ports);
    service_ports
}

/// A StatefulSet's per-pod storage, as a volume claim template.
fn volume_claims(spec: &Spec) -> Vec<VolumeClaim> {
    spec.app
        .storage
        .iter()
        .filter(|_| spec.app.kind == WorkloadKind::StatefulSet)
        .map(|storage| VolumeClaim {
            name: STORAGE_VOLUME.into(),
            size: storage.size.clone(),
            storage_class: storage.storage_class.clone(),
        })
        .collect()
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

/// Whether a sidecar reads the files the app writes (log-sidecar, log-shipper).
fn reads_app_logs(spec: &Spec) -> bool {
    use crate::patterns::Pattern;
    spec.patterns
        .iter()
        .any(|p| matches!(p, Pattern::LogSidecar(_) | Pattern::LogShipper(_)))
}

fn workload_settings(spec: &Spec) -> WorkloadSettings {
    let app = &spec.app;
    let batch = app.kind.runs_to_completion();
    WorkloadSettings {
        restart_policy: batch.then(|| app.restart_policy.unwrap_or_default().as_str()),
        backoff_limit: batch.then(|| app.backoff_limit.unwrap_or(DEFAULT_BACKOFF_LIMIT)),
        schedule: app
            .schedule
            .clone()
            .filter(|_| app.kind == WorkloadKind::CronJob),
        service_name: (app.kind == WorkloadKind::StatefulSet).then(|| app.name.clone()),
        fs_group: app
            .fs_group
            .or_else(|| reads_app_logs(spec).then_some(LOG_GROUP))
            .or_else(|| storage_group(spec)),
        unprivileged_port_start: unprivileged_port_start(spec),
        service: !batch,
    }
}

/// The group of a non-root app with per-pod storage: a new claim's root folder belongs to root,
/// so without fsGroup the app could not write to its own volume.
fn storage_group(spec: &Spec) -> Option<u32> {
    spec.app.storage.as_ref()?;
    crate::security::run_as(spec, &spec.app.image)
        .filter(|(uid, _)| *uid != 0)
        .map(|(_, gid)| gid)
}

/// The lowest port a non-root app listens on, when below 1024 (see
/// [`WorkloadSettings::unprivileged_port_start`]).
fn unprivileged_port_start(spec: &Spec) -> Option<u32> {
    let non_root = crate::security::run_as(spec, &spec.app.image).is_some_and(|(uid, _)| uid != 0);
    let lowest = spec.app.ports.iter().map(|p| p.container_port).min()?;
    (non_root && lowest < 1024).then_some(lowest)
}

/// A Job's retries when none is given (Kubernetes' own default).
pub(crate) const DEFAULT_BACKOFF_LIMIT: u32 = 6;
