//! The kinds whose rules read a typed k8s-openapi object, parsed into it, and the pod templates
//! found inside them. CustomResourceDefinition is read typed too: its schema types (`JSON`,
//! `JSONSchemaPropsOrArray`...) take shapes the schema table cannot express. Every other
//! built-in kind is walked along the schema table instead (`table_schema`).
//!
//! Typed parsing fills missing required fields with defaults and ignores unknown fields, so the
//! parse also compares the typed object with what was written (see `compare`).

use k8s_openapi as k8s;
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as networking;
use k8s_openapi::api::rbac::v1 as rbac;
use k8s_openapi::api::{autoscaling::v2 as autoscaling, policy::v1 as policy};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::compare::Differences;
use crate::yaml::{self, Node, Outcome};

/// A typed object of a known kind.
pub(super) enum Object {
    /// v1 Pod.
    Pod(Box<core::Pod>),
    /// apps/v1 Deployment.
    Deployment(Box<apps::Deployment>),
    /// apps/v1 StatefulSet.
    StatefulSet(Box<apps::StatefulSet>),
    /// apps/v1 DaemonSet.
    DaemonSet(Box<apps::DaemonSet>),
    /// apps/v1 ReplicaSet.
    ReplicaSet(Box<apps::ReplicaSet>),
    /// batch/v1 Job.
    Job(Box<batch::Job>),
    /// batch/v1 CronJob.
    CronJob(Box<batch::CronJob>),
    /// v1 Service.
    Service(Box<core::Service>),
    /// v1 ConfigMap.
    ConfigMap(Box<core::ConfigMap>),
    /// v1 Secret.
    Secret(Box<core::Secret>),
    /// v1 ReplicationController.
    ReplicationController(Box<core::ReplicationController>),
    /// policy/v1 PodDisruptionBudget.
    PodDisruptionBudget(Box<policy::PodDisruptionBudget>),
    /// autoscaling/v2 HorizontalPodAutoscaler.
    HorizontalPodAutoscaler(Box<autoscaling::HorizontalPodAutoscaler>),
    /// networking.k8s.io/v1 Ingress.
    Ingress(Box<networking::Ingress>),
    /// networking.k8s.io/v1 IngressClass.
    IngressClass(Box<networking::IngressClass>),
    /// networking.k8s.io/v1 NetworkPolicy.
    NetworkPolicy(Box<networking::NetworkPolicy>),
    /// rbac.authorization.k8s.io/v1 Role or ClusterRole (whose aggregation rule is not checked).
    Role(Vec<rbac::PolicyRule>),
    /// rbac.authorization.k8s.io/v1 RoleBinding or ClusterRoleBinding.
    RoleBinding(Box<(rbac::RoleRef, Vec<rbac::Subject>)>),
    /// A kind checked against its schema and metadata rules only.
    Other,
}

/// A document parsed as its typed object.
pub(super) struct Parsed {
    /// The typed object.
    pub(crate) object: Object,
    /// Its metadata.
    pub(crate) metadata: ObjectMeta,
    /// The kind, as written.
    pub(crate) kind: &'static str,
    /// Where the typed object and the written text disagree (unknown and missing fields).
    pub(crate) differences: Differences,
}

/// A document read as its kind's typed object.
pub(super) struct Typed {
    /// The object; `None` when it could not be read at all.
    pub(crate) parsed: Option<Parsed>,
    /// Every value of the wrong type, with its path and place.
    pub(crate) errors: Vec<yaml::Issue>,
    /// YAML 1.1 readings that kubectl accepts but that probably mean something else.
    pub(crate) warnings: Vec<yaml::Issue>,
}

type ParseFn = fn(&Node, &str) -> (Option<(Object, ObjectMeta, Differences)>, Outcome<()>);

fn parse_as<T>(
    node: &Node,
    source: &str,
    wrap: fn(T) -> Object,
) -> (Option<(Object, ObjectMeta, Differences)>, Outcome<()>)
where
    T: DeserializeOwned + Serialize + k8s_openapi::Metadata<Ty = ObjectMeta>,
{
    let outcome = yaml::from_tree::<T>(node, source);
    let rest = Outcome {
        value: None,
        errors: outcome.errors,
        warnings: outcome.warnings,
    };
    let typed = outcome.value.map(|mut typed| {
        let differences = super::compare::differences(&typed, node);
        // The rules read metadata from `Parsed::metadata` only, so it moves there.
        let metadata = std::mem::take(typed.metadata_mut());
        (wrap(typed), metadata, differences)
    });
    (typed, rest)
}

macro_rules! kinds {
    ($($api:literal, $kind:literal => $ty:ty, $wrap:expr;)*) => {
        /// Every known (apiVersion, kind) and its parser.
        const KINDS: &[(&str, &str, ParseFn)] = &[
            $(($api, $kind, |node, source| parse_as::<$ty>(node, source, $wrap)),)*
        ];
    };
}

kinds! {
    "apps/v1", "DaemonSet" => apps::DaemonSet, |o| Object::DaemonSet(Box::new(o));
    "apps/v1", "Deployment" => apps::Deployment, |o| Object::Deployment(Box::new(o));
    "apps/v1", "ReplicaSet" => apps::ReplicaSet, |o| Object::ReplicaSet(Box::new(o));
    "apps/v1", "StatefulSet" => apps::StatefulSet, |o| Object::StatefulSet(Box::new(o));
    "autoscaling/v2", "HorizontalPodAutoscaler" => autoscaling::HorizontalPodAutoscaler, |o| Object::HorizontalPodAutoscaler(Box::new(o));
    "batch/v1", "CronJob" => batch::CronJob, |o| Object::CronJob(Box::new(o));
    "batch/v1", "Job" => batch::Job, |o| Object::Job(Box::new(o));
    "v1", "ConfigMap" => core::ConfigMap, |o| Object::ConfigMap(Box::new(o));
    "v1", "Pod" => core::Pod, |o| Object::Pod(Box::new(o));
    "v1", "ReplicationController" => core::ReplicationController, |o| Object::ReplicationController(Box::new(o));
    "v1", "Secret" => core::Secret, |o| Object::Secret(Box::new(o));
    "v1", "Service" => core::Service, |o| Object::Service(Box::new(o));
    "networking.k8s.io/v1", "Ingress" => networking::Ingress, |o| Object::Ingress(Box::new(o));
    "networking.k8s.io/v1", "IngressClass" => networking::IngressClass, |o| Object::IngressClass(Box::new(o));
    "networking.k8s.io/v1", "NetworkPolicy" => networking::NetworkPolicy, |o| Object::NetworkPolicy(Box::new(o));
    "policy/v1", "PodDisruptionBudget" => policy::PodDisruptionBudget, |o| Object::PodDisruptionBudget(Box::new(o));
    "rbac.authorization.k8s.io/v1", "ClusterRole" => rbac::ClusterRole, |o| Object::Role(o.rules.unwrap_or_default());
    "rbac.authorization.k8s.io/v1", "ClusterRoleBinding" => rbac::ClusterRoleBinding, |o| Object::RoleBinding(Box::new((o.role_ref, o.subjects.unwrap_or_default())));
    "rbac.authorization.k8s.io/v1", "Role" => rbac::Role, |o| Object::Role(o.rules.unwrap_or_default());
    "rbac.authorization.k8s.io/v1", "RoleBinding" => rbac::RoleBinding, |o| Object::RoleBinding(Box::new((o.role_ref, o.subjects.unwrap_or_default())));
    "apiextensions.k8s.io/v1", "CustomResourceDefinition" => k8s::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition, |_| Object::Other;
}

/// Every (apiVersion, kind) read as a typed object.
#[cfg(test)]
pub(super) fn typed_kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    KINDS
        .iter()
        .map(|(api_version, kind, _)| (*api_version, *kind))
}

/// Reads `node` as the typed object of (`api_version`, `kind`); `None` for an unknown kind.
/// `source` is the file text the node's spans point into.
pub(super) fn parse(node: &Node, api_version: &str, kind: &str, source: &str) -> Option<Typed> {
    let (_, kind, parse) = KINDS
        .iter()
        .find(|(a, k, _)| *a == api_version && *k == kind)?;
    let (typed, outcome) = parse(node, source);
    Some(Typed {
        parsed: typed.map(|(object, metadata, differences)| Parsed {
            object,
            metadata,
            kind,
            differences,
        }),
        errors: outcome.errors,
        warnings: outcome.warnings,
    })
}

/// A document of a kind without a typed object, as [`Object::Other`] with its metadata (what
/// of it has the right types; the schema layer reports the rest).
pub(super) fn untyped(node: &Node, kind: &'static str, source: &str) -> Parsed {
    let metadata = node
        .get("metadata")
        .and_then(|metadata| yaml::from_tree::<ObjectMeta>(metadata, source).value)
        .unwrap_or_default();
    Parsed {
        object: Object::Other,
        metadata,
        kind,
        differences: Differences::default(),
    }
}

/// How a workload runs its pods, which decides the template's allowed restart policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PodOwner {
    /// A bare Pod.
    Pod,
    /// Deployment, StatefulSet, DaemonSet, ReplicaSet: pods run until replaced.
    LongRunning,
    /// Job or CronJob: pods run to completion.
    Batch,
}

/// A pod spec inside an object, with the path of the spec and its template's labels.
pub(super) struct PodScope<'a> {
    /// The pod spec.
    pub(crate) spec: &'a core::PodSpec,
    /// The path of the spec, e.g. `spec.template.spec`.
    pub(crate) path: String,
    /// Who runs the pod.
    pub(crate) owner: PodOwner,
    /// The workload's own `spec.activeDeadlineSeconds` (Jobs), which bounds init containers.
    pub(crate) deadline: bool,
    /// The pod template's metadata (`None` for a bare Pod, whose metadata is the object's).
    pub(crate) metadata: Option<&'a ObjectMeta>,
    /// Names of a StatefulSet's volumeClaimTemplates, which its containers mount like volumes.
    pub(crate) claim_templates: Vec<&'a str>,
}

impl Parsed {
    /// The pod spec of the object, if it has one.
    pub(super) fn pod(&self) -> Option<PodScope<'_>> {
        fn scope<'a>(
            template: &'a core::PodTemplateSpec,
            path: &str,
            owner: PodOwner,
            deadline: bool,
        ) -> Option<PodScope<'a>> {
            template.spec.as_ref().map(|spec| PodScope {
                spec,
                path: path.to_string(),
                owner,
                deadline,
                metadata: template.metadata.as_ref(),
                claim_templates: Vec::new(),
            })
        }
        let template = "spec.template.spec";
        match &self.object {
            Object::Pod(pod) => pod.spec.as_ref().map(|spec| PodScope {
                spec,
                path: "spec".to_string(),
                owner: PodOwner::Pod,
                deadline: false,
                metadata: None,
                claim_templates: Vec::new(),
            }),
            Object::Deployment(o) => {
                scope(&o.spec.template, template, PodOwner::LongRunning, false)
            }
            Object::StatefulSet(o) => {
                let mut pod = scope(&o.spec.template, template, PodOwner::LongRunning, false)?;
                pod.claim_templates = o
                    .spec
                    .volume_claim_templates
                    .iter()
                    .flatten()
                    .filter_map(|claim| claim.metadata.name.as_deref())
                    .collect();
                Some(pod)
            }
            Object::DaemonSet(o) => scope(&o.spec.template, template, PodOwner::LongRunning, false),
            Object::ReplicaSet(o) => scope(
                o.spec.template.as_ref()?,
                template,
                PodOwner::LongRunning,
                false,
            ),
            Object::ReplicationController(o) => scope(
                o.spec.as_ref()?.template.as_ref()?,
                template,
                PodOwner::LongRunning,
                false,
            ),
            Object::Job(o) => {
                let spec = o.spec.as_ref()?;
                let deadline = spec.active_deadline_seconds.is_some();
                scope(&spec.template, template, PodOwner::Batch, deadline)
            }
            Object::CronJob(o) => {
                let spec = o.spec.job_template.spec.as_ref()?;
                let deadline = spec.active_deadline_seconds.is_some();
                scope(
                    &spec.template,
                    "spec.jobTemplate.spec.template.spec",
                    PodOwner::Batch,
                    deadline,
                )
            }
            _ => None,
        }
    }

    /// The selector and template labels of a Deployment, StatefulSet, DaemonSet or ReplicaSet.
    pub(super) fn replicated(&self) -> Option<Replicated<'_>> {
        fn labels(
            t: &core::PodTemplateSpec,
        ) -> Option<&std::collections::BTreeMap<String, String>> {
            t.metadata.as_ref().and_then(|m| m.labels.as_ref())
        }
        match &self.object {
            Object::Deployment(o) => {
                let spec = &o.spec;
                Some(Replicated {
                    selector: &spec.selector,
                    labels: labels(&spec.template),
                })
            }
            Object::StatefulSet(o) => {
                let spec = &o.spec;
                Some(Replicated {
                    selector: &spec.selector,
                    labels: labels(&spec.template),
                })
            }
            Object::DaemonSet(o) => {
                let spec = &o.spec;
                Some(Replicated {
                    selector: &spec.selector,
                    labels: labels(&spec.template),
                })
            }
            Object::ReplicaSet(o) => {
                let spec = &o.spec;
                Some(Replicated {
                    selector: &spec.selector,
                    labels: spec.template.as_ref().and_then(labels),
                })
            }
            _ => None,
        }
    }
}

/// The selector and pod template labels of a replicated workload.
pub(super) struct Replicated<'a> {
    /// `spec.selector`.
    pub(crate) selector: &'a LabelSelector,
    /// `spec.template.metadata.labels`, if any.
    pub(crate) labels: Option<&'a std::collections::BTreeMap<String, String>>,
}
