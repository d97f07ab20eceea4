//! The one data model: a [`Spec`] says what to render, whichever front end produced it.
//!
//! Flags ([`from_flags`]), the spec file ([`load`]) and the wizard all build a `Spec`; [`check`] then
//! applies every rule once, so each front end reports the same problems the same way.

mod check;
mod env;
mod flags;
mod load;
pub(crate) mod values;
pub(crate) mod workload;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::security::AppSecurity;

pub use check::{check, Field};
pub(crate) use check::{check_env_vars, check_parts};
pub(crate) use env::{EnvFrom, EnvVar, SecretKeyRef};
pub use flags::from_flags;
pub(crate) use flags::{env_secret, host_port, key_value};
pub use load::parse;
pub(crate) use load::{load, to_text, SPEC_FILE_NAME};
pub(crate) use values::{
    JobRestartPolicy, Port, Protocol, Quantities, Resources, Storage, WorkloadKind,
};

/// The spec file format version this build reads and writes.
pub(crate) const SPEC_VERSION: u32 = 1;

/// Everything podsmith needs to render a workload: the app plus the patterns around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spec {
    /// Spec file format version; always 1.
    pub(crate) version: u32,
    /// The application at the heart of the pod.
    pub(crate) app: App,
    /// The patterns around the app, in start order where order matters (init containers and
    /// native sidecars start in this order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) patterns: Vec<Pattern>,
}

/// The application: its workload, image, ports and settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct App {
    /// Workload name, also the app container's and the Service's name: a DNS-1123 label
    /// (lowercase letters, digits and `-`, at most 63 characters), starting with a letter when
    /// a Service takes it.
    pub(crate) name: String,
    /// Container image of the app, e.g. `ghcr.io/acme/web:1.4.2`.
    pub(crate) image: String,
    /// Workload kind.
    #[serde(default)]
    pub(crate) kind: WorkloadKind,
    /// Number of pods, for kinds that have replicas (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) replicas: Option<u32>,
    /// Ports the app listens on; exposed through a Service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) ports: Vec<Port>,
    /// Namespace of every resource (default: the namespace of the kubectl context).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) namespace: Option<String>,
    /// Extra labels on every resource.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) labels: BTreeMap<String, String>,
    /// Environment variables of the app, shared with init commands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) env: Vec<EnvVar>,
    /// ConfigMaps and Secrets whose every key becomes a variable of the app (`envFrom`), e.g.
    /// `{secret: db-credentials}`; they must exist before the pod starts. `env` wins over them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) env_from: Vec<EnvFrom>,
    /// Replaces the image's entrypoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) command: Vec<String>,
    /// Arguments to the entrypoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) args: Vec<String>,
    /// CPU and memory requests and limits of the app container.
    #[serde(default, skip_serializing_if = "Resources::is_app_default")]
    pub(crate) resources: Resources,
    /// HTTP path for readiness and liveness probes (default: TCP checks on the first port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_path: Option<String>,
    /// Kubernetes version to render for (default: the newest supported).
    #[serde(default)]
    pub(crate) kube_version: KubeVersion,
    /// Per-pod persistent storage (StatefulSet only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) storage: Option<Storage>,
    /// When a CronJob runs: five cron fields such as `*/5 * * * *`, or a descriptor such as
    /// `@hourly` or `@every 1h30m` (CronJob only, required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) schedule: Option<String>,
    /// Retries before a Job is marked failed (Job and CronJob; default 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) backoff_limit: Option<u32>,
    /// Restart policy of a Job's pods (Job and CronJob; default `OnFailure`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) restart_policy: Option<JobRestartPolicy>,
    /// Group that owns the pod's volumes (`securityContext.fsGroup`): lets a non-root app
    /// write to its storage without a root init container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fs_group: Option<u32>,
    /// Security of the containers that run the user's images: the Pod Security Standards
    /// level, user, read-only root filesystem and writable paths.
    #[serde(default, skip_serializing_if = "AppSecurity::is_default")]
    pub(crate) security: AppSecurity,
}

/// The spec file's JSON Schema, for editors (`podsmith schema`).
pub fn schema_json() -> serde_json::Value {
    schemars::schema_for!(Spec).to_value()
}

impl Spec {
    /// The ids of its patterns, in start order.
    pub fn pattern_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.patterns.iter().map(Pattern::id)
    }

    /// A spec for `name` running `image` with defaults everywhere else and no patterns.
    pub(crate) fn new(name: impl Into<String>, image: impl Into<String>) -> Spec {
        Spec {
            version: SPEC_VERSION,
            app: App {
                name: name.into(),
                image: image.into(),
                kind: WorkloadKind::default(),
                replicas: None,
                ports: Vec::new(),
                namespace: None,
                labels: BTreeMap::new(),
                env: Vec::new(),
                env_from: Vec::new(),
                command: Vec::new(),
                args: Vec::new(),
                resources: Resources::app_default(),
                health_path: None,
                kube_version: KubeVersion::default(),
                storage: None,
                schedule: None,
                backoff_limit: None,
                restart_policy: None,
                fs_group: None,
                security: AppSecurity::default(),
            },
            patterns: Vec::new(),
        }
    }
}
