//! The values each template prints, taken from the [`Plan`]: the workload's, a ConfigMap's and
//! the Service's. Templates read these and nothing else, so a user's copy of the templates
//! (checked by [`super::strict`]) can rely on exactly these names.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::plan::{Plan, ServicePort, Volume, VolumeClaim};

/// The values the workload templates (`workloads/*.yaml.tera`) print; each kind's template
/// reads those its kind has.
#[derive(Serialize)]
pub(super) struct WorkloadContext<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
    labels: &'a BTreeMap<String, String>,
    pod_annotations: &'a BTreeMap<String, String>,
    selector: &'a BTreeMap<String, String>,
    replicas: Option<u32>,
    /// Rendered init containers and native sidecars, in start order.
    init_containers: Vec<String>,
    /// Rendered containers, the app first.
    containers: Vec<String>,
    volumes: &'a [Volume],
    restart_policy: Option<&'static str>,
    backoff_limit: Option<u32>,
    schedule: Option<&'a str>,
    service_name: Option<&'a str>,
    fs_group: Option<u32>,
    unprivileged_port_start: Option<u32>,
    volume_claims: &'a [VolumeClaim],
}

/// The values `resources/configmap.yaml.tera` prints.
#[derive(Serialize)]
pub(super) struct ConfigMapContext<'a> {
    name: &'a str,
    namespace: Option<&'a str>,
    labels: &'a BTreeMap<String, String>,
    /// Each key's rendered config file.
    data: BTreeMap<&'a str, String>,
}

/// The values `resources/service.yaml.tera` prints.
#[derive(Serialize)]
pub(super) struct ServiceContext<'a> {
    /// A StatefulSet's headless Service.
    headless: bool,
    name: &'a str,
    namespace: Option<&'a str>,
    labels: &'a BTreeMap<String, String>,
    selector: &'a BTreeMap<String, String>,
    ports: &'a [ServicePort],
}

impl<'a> WorkloadContext<'a> {
    /// The workload's values; its containers are already rendered, in order.
    pub(super) fn new(
        plan: &'a Plan,
        init_containers: Vec<String>,
        containers: Vec<String>,
    ) -> WorkloadContext<'a> {
        WorkloadContext {
            name: &plan.name,
            namespace: plan.namespace.as_deref(),
            labels: &plan.labels,
            pod_annotations: &plan.pod_annotations,
            selector: &plan.selector,
            replicas: plan.replicas,
            init_containers,
            containers,
            volumes: &plan.volumes,
            restart_policy: plan.workload.restart_policy,
            backoff_limit: plan.workload.backoff_limit,
            schedule: plan.workload.schedule.as_deref(),
            service_name: plan.workload.service_name.as_deref(),
            fs_group: plan.workload.fs_group,
            unprivileged_port_start: plan.workload.unprivileged_port_start,
            volume_claims: &plan.volume_claims,
        }
    }
}

impl<'a> ConfigMapContext<'a> {
    /// The ConfigMap `name` of `plan`, holding `data`, each key's rendered file.
    pub(super) fn new(
        plan: &'a Plan,
        name: &'a str,
        data: BTreeMap<&'a str, String>,
    ) -> ConfigMapContext<'a> {
        ConfigMapContext {
            name,
            namespace: plan.namespace.as_deref(),
            labels: &plan.labels,
            data,
        }
    }
}

impl<'a> ServiceContext<'a> {
    /// The Service of `plan`: headless when the workload names it (a StatefulSet's).
    pub(super) fn new(plan: &'a Plan) -> ServiceContext<'a> {
        ServiceContext {
            headless: plan.workload.service_name.is_some(),
            name: &plan.name,
            namespace: plan.namespace.as_deref(),
            labels: &plan.labels,
            selector: &plan.selector,
            ports: &plan.service_ports,
        }
    }
}
