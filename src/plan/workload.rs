//! The settings that depend on the workload kind: a Job's restart policy and retries, a
//! CronJob's schedule, a StatefulSet's headless Service and per-pod storage, and the pod's
//! group and unprivileged ports, which follow from who the app runs as.

use serde::Serialize;

use crate::patterns::log_sidecar::LOG_GROUP;
use crate::spec::{Spec, WorkloadKind};

/// A StatefulSet's `volumeClaimTemplates` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct VolumeClaim {
    /// Claim (and volume) name.
    pub(crate) name: String,
    /// Requested size.
    pub(crate) size: String,
    /// StorageClass, when given.
    pub(crate) storage_class: Option<String>,
}

/// Settings that only some workload kinds have.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct WorkloadSettings {
    /// The pod's restartPolicy when not the default (`OnFailure` or `Never` for Jobs).
    pub(crate) restart_policy: Option<&'static str>,
    /// Job retries.
    pub(crate) backoff_limit: Option<u32>,
    /// CronJob schedule.
    pub(crate) schedule: Option<String>,
    /// StatefulSet `serviceName`: its headless Service.
    pub(crate) service_name: Option<String>,
    /// Pod `securityContext.fsGroup`.
    pub(crate) fs_group: Option<u32>,
    /// The pod's `net.ipv4.ip_unprivileged_port_start` sysctl: the app's lowest port, when
    /// it is below 1024 and the app runs as a non-root user, who could not bind it otherwise
    /// (an added NET_BIND_SERVICE capability does not reach a non-root process).
    pub(crate) unprivileged_port_start: Option<u32>,
    /// Whether a Service goes with the workload (not for Jobs).
    pub(crate) service: bool,
}

/// The volume (and claim) name of a StatefulSet's storage.
pub(crate) const STORAGE_VOLUME: &str = "data";

/// A StatefulSet's per-pod storage, as a volume claim template.
pub(super) fn volume_claims(spec: &Spec) -> Vec<VolumeClaim> {
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

/// Whether a sidecar reads the files the app writes (log-sidecar, log-shipper).
fn reads_app_logs(spec: &Spec) -> bool {
    use crate::patterns::Pattern;
    spec.patterns
        .iter()
        .any(|p| matches!(p, Pattern::LogSidecar(_) | Pattern::LogShipper(_)))
}

/// The workload's kind-specific settings, from the spec and the patterns it runs.
pub(super) fn settings(spec: &Spec) -> WorkloadSettings {
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
const DEFAULT_BACKOFF_LIMIT: u32 = 6;
