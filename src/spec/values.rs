//! The value types of a spec: workload kinds, storage, ports, resources. Environment
//! variables are [`super::env`]'s.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kind of workload that runs the pod.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub(crate) enum WorkloadKind {
    /// A bare Pod.
    Pod,
    /// A Deployment (the default): replicated, rolling updates.
    #[default]
    Deployment,
    /// A StatefulSet: stable pod names, a headless Service, optional per-pod storage.
    StatefulSet,
    /// A DaemonSet: one pod per node.
    DaemonSet,
    /// A Job: pods that run to completion.
    Job,
    /// A CronJob: a Job on a schedule.
    CronJob,
}

impl WorkloadKind {
    /// Every kind, in the order help texts list them.
    pub(crate) const ALL: [WorkloadKind; 6] = [
        WorkloadKind::Pod,
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
    ];

    /// The lowercase name used on the command line (`pod`, `deployment`).
    pub(crate) fn flag_name(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "pod",
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::StatefulSet => "statefulset",
            WorkloadKind::DaemonSet => "daemonset",
            WorkloadKind::Job => "job",
            WorkloadKind::CronJob => "cronjob",
        }
    }

    /// kubectl's short name (`deploy`, `sts`), also accepted by `--kind`.
    pub(crate) fn short_name(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "po",
            WorkloadKind::Deployment => "deploy",
            WorkloadKind::StatefulSet => "sts",
            WorkloadKind::DaemonSet => "ds",
            WorkloadKind::Job => "job",
            WorkloadKind::CronJob => "cj",
        }
    }

    /// The API kind (`StatefulSet`).
    pub(crate) fn api_kind(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "Pod",
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }

    /// Whether the kind has a `replicas` field.
    pub(crate) fn has_replicas(self) -> bool {
        matches!(self, WorkloadKind::Deployment | WorkloadKind::StatefulSet)
    }

    /// Whether its pods run to completion (Job, CronJob) rather than until replaced.
    pub(crate) fn runs_to_completion(self) -> bool {
        matches!(self, WorkloadKind::Job | WorkloadKind::CronJob)
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.flag_name())
    }
}

impl FromStr for WorkloadKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.to_ascii_lowercase();
        WorkloadKind::ALL
            .into_iter()
            .find(|k| k.flag_name() == wanted || k.short_name() == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = WorkloadKind::ALL.iter().map(|k| k.flag_name()).collect();
                format!("must be one of {}", names.join(", "))
            })
    }
}

/// How a Job's pod reacts to a failed container (`spec.template.spec.restartPolicy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub(crate) enum JobRestartPolicy {
    /// Restart the failed container in the same pod (the default).
    #[default]
    OnFailure,
    /// Never restart: a failure fails the pod and the Job starts a new one.
    Never,
}

impl JobRestartPolicy {
    /// The API spelling.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JobRestartPolicy::OnFailure => "OnFailure",
            JobRestartPolicy::Never => "Never",
        }
    }
}

impl FromStr for JobRestartPolicy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "onfailure" => Ok(JobRestartPolicy::OnFailure),
            "never" => Ok(JobRestartPolicy::Never),
            _ => Err("a Job's pods restart `OnFailure` or `Never`".into()),
        }
    }
}

/// Per-pod persistent storage of a StatefulSet: one PersistentVolumeClaim per pod, from
/// `volumeClaimTemplates`, mounted in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Storage {
    /// Size of each pod's volume, e.g. `10Gi`.
    pub(crate) size: String,
    /// Where the app mounts it (default: the image's data folder when podsmith knows it, such
    /// as `/var/lib/postgresql/data` for `postgres`, else `/data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) path: Option<String>,
    /// StorageClass of the claims (default: the cluster's default class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) storage_class: Option<String>,
}

/// Where the app mounts its storage when no path is given and podsmith does not know the image.
pub(crate) const DEFAULT_STORAGE_PATH: &str = "/data";

impl FromStr for Storage {
    type Err = String;

    /// Parses `SIZE[@PATH]`, e.g. `10Gi@/var/lib/postgresql`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (size, path) = match text.split_once('@') {
            Some((size, path)) => (size, Some(path.trim().to_string())),
            None => (text, None),
        };
        Ok(Storage {
            size: size.trim().to_string(),
            path,
            storage_class: None,
        })
    }
}

/// A port the app (or a co-located container) listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Port {
    /// Port name, an IANA service name (at most 15 characters) that service meshes read as the
    /// protocol: default `http` for 80 and 8080 (or the probed port with `healthPath`), `https`
    /// for 443, `tcp-postgresql`, `tcp-redis`, `udp-dns`... for well-known ports, `tcp-PORT`
    /// (`udp-PORT`) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Port number, 1 to 65535.
    pub(crate) container_port: u32,
    /// Protocol.
    #[serde(default, skip_serializing_if = "Protocol::is_tcp")]
    pub(crate) protocol: Protocol,
}

impl FromStr for Port {
    type Err = String;

    /// Parses `[NAME=]PORT[/PROTOCOL]`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, rest) = match text.split_once('=') {
            Some((name, rest)) => (Some(name.to_string()), rest),
            None => (None, text),
        };
        let (number, protocol) = match rest.split_once('/') {
            Some((number, protocol)) => (number, protocol.parse()?),
            None => (rest, Protocol::Tcp),
        };
        let container_port = parse_port(number)?;
        Ok(Port {
            name,
            container_port,
            protocol,
        })
    }
}

/// Parses a port number, 1 to 65535.
pub(crate) fn parse_port(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(port) if (1..=65535).contains(&port) => Ok(port),
        _ => Err("port must be a number from 1 to 65535".into()),
    }
}

/// A port's protocol.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum Protocol {
    /// TCP (the default).
    #[default]
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    fn is_tcp(&self) -> bool {
        *self == Protocol::Tcp
    }

    /// The API spelling (`TCP`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

impl FromStr for Protocol {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_uppercase().as_str() {
            "TCP" => Ok(Protocol::Tcp),
            "UDP" => Ok(Protocol::Udp),
            "SCTP" => Ok(Protocol::Sctp),
            _ => Err("protocol must be one of TCP, UDP, SCTP".into()),
        }
    }
}

/// CPU and memory quantities, e.g. `cpu: 250m`, `memory: 256Mi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Quantities {
    /// CPU, in cores (`1`, `0.5`) or millicores (`250m`).
    pub(crate) cpu: String,
    /// Memory, in bytes with a suffix (`256Mi`, `1Gi`).
    pub(crate) memory: String,
}

/// Requests and limits of one container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Resources {
    /// What the scheduler reserves.
    pub(crate) requests: Quantities,
    /// The most the container may use.
    pub(crate) limits: Quantities,
}

impl Resources {
    /// Requests and limits from four quantities.
    pub(crate) fn new(
        cpu_request: &str,
        memory_request: &str,
        cpu_limit: &str,
        memory_limit: &str,
    ) -> Resources {
        Resources {
            requests: Quantities {
                cpu: cpu_request.into(),
                memory: memory_request.into(),
            },
            limits: Quantities {
                cpu: cpu_limit.into(),
                memory: memory_limit.into(),
            },
        }
    }

    /// The app container's default: 100m/128Mi requested, 500m/256Mi at most.
    pub(crate) fn app_default() -> Resources {
        Resources::new("100m", "128Mi", "500m", "256Mi")
    }

    /// Whether these are the app defaults (left out of spec files).
    pub(crate) fn is_app_default(&self) -> bool {
        *self == Resources::app_default()
    }
}

impl Default for Resources {
    fn default() -> Self {
        Resources::app_default()
    }
}
