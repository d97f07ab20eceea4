//! The rules of each workload kind: which settings and patterns it accepts, its storage and
//! its schedule. Called by [`super::check`], so every front end reports the same problems.

use crate::error::{Error, Result};
use crate::spec::{App, Field, Spec, WorkloadKind};
use crate::{cron, names};

/// Checks the kind-specific settings of `spec` and that each pattern makes sense for its kind.
pub(crate) fn check(spec: &Spec, origin: Field) -> Result<()> {
    let rules = KindRules {
        origin,
        kind: spec.app.kind,
    };
    rules.storage(&spec.app)?;
    rules.name(&spec.app)?;
    rules.schedule(&spec.app)?;
    rules.completion(&spec.app)?;
    rules.limits(&spec.app)?;
    rules.patterns(spec)
}

/// The kind whose rules apply, and how to name a field in a message (flag or spec path).
struct KindRules {
    origin: Field,
    kind: WorkloadKind,
}

impl KindRules {
    fn field(&self, path: &str, flag: &str) -> String {
        self.origin.name(path, flag)
    }

    /// The error for a setting that another kind has but this one does not.
    fn only(&self, path: &str, flag: &str, value: String, rule: &str) -> Result<()> {
        Err(Error::invalid(
            self.field(path, flag),
            value,
            format!("{rule} (this is a {})", self.kind.api_kind()),
        ))
    }

    /// Per-pod storage: a StatefulSet's only, a size above zero, an absolute path.
    fn storage(&self, app: &App) -> Result<()> {
        let Some(storage) = &app.storage else {
            return Ok(());
        };
        if self.kind != WorkloadKind::StatefulSet {
            return self.only(
                "app.storage",
                "--storage",
                storage.size.clone(),
                "only a StatefulSet has per-pod storage: add --kind statefulset",
            );
        }
        let size_field = || self.field("app.storage.size", "--storage");
        let size = crate::quantity::non_negative(&storage.size)
            .map_err(|rule| Error::invalid(size_field(), &storage.size, rule))?;
        if size == crate::quantity::Quantity::ZERO {
            return Err(Error::invalid(
                size_field(),
                &storage.size,
                "must be a size greater than zero, such as `10Gi`",
            ));
        }
        if let Some(path) = &storage.path {
            names::mount_path(path).map_err(|rule| {
                Error::invalid(self.field("app.storage.path", "--storage"), path, rule)
            })?;
        }
        if let Some(class) = &storage.storage_class {
            names::dns_subdomain(class).map_err(|rule| {
                Error::invalid(
                    self.field("app.storage.storageClass", "--storage-class"),
                    class,
                    rule,
                )
            })?;
        }
        Ok(())
    }

    /// A CronJob's name leaves room for the suffix its Jobs add.
    fn name(&self, app: &App) -> Result<()> {
        if self.kind == WorkloadKind::CronJob && app.name.len() > 52 {
            return Err(Error::invalid(
                self.field("app.name", "NAME"),
                &app.name,
                "a CronJob's name must be no more than 52 characters: its Jobs add 11",
            ));
        }
        Ok(())
    }

    /// A CronJob needs a valid schedule; no other kind has one.
    fn schedule(&self, app: &App) -> Result<()> {
        match (&app.schedule, self.kind) {
            (Some(schedule), WorkloadKind::CronJob) => cron::check(schedule).map_err(|rule| {
                Error::invalid(self.field("app.schedule", "--schedule"), schedule, rule)
            }),
            (None, WorkloadKind::CronJob) => Err(Error::Usage(format!(
                "a CronJob needs `{}`, e.g. --schedule \"*/5 * * * *\"",
                self.field("app.schedule", "--schedule")
            ))),
            (Some(schedule), _) => self.only(
                "app.schedule",
                "--schedule",
                schedule.clone(),
                "only a CronJob has a schedule: add --kind cronjob",
            ),
            (None, _) => Ok(()),
        }
    }

    /// Retries and restart policies belong to kinds that run to completion; probes to the
    /// others.
    fn completion(&self, app: &App) -> Result<()> {
        if !self.kind.runs_to_completion() {
            if let Some(limit) = app.backoff_limit {
                return self.only(
                    "app.backoffLimit",
                    "--backoff-limit",
                    limit.to_string(),
                    "only a Job or CronJob retries its pods",
                );
            }
            if let Some(policy) = app.restart_policy {
                return self.only(
                    "app.restartPolicy",
                    "--restart",
                    policy.as_str().into(),
                    "only a Job's or CronJob's pods can stop restarting",
                );
            }
        } else if let Some(path) = &app.health_path {
            return Err(Error::invalid(
                self.field("app.healthPath", "--health-path"),
                path,
                format!(
                    "a {}'s app runs to completion: it gets no readiness or liveness probes",
                    self.kind.api_kind()
                ),
            ));
        }
        Ok(())
    }

    /// The ranges of the backoff limit and the pod's group.
    fn limits(&self, app: &App) -> Result<()> {
        if let Some(limit) = app.backoff_limit.filter(|limit| *limit > 100) {
            return Err(Error::invalid(
                self.field("app.backoffLimit", "--backoff-limit"),
                limit.to_string(),
                "must be from 0 to 100",
            ));
        }
        if app.fs_group == Some(0) {
            return Err(Error::invalid(
                self.field("app.fsGroup", "--fs-group"),
                "0",
                "must be a non-root group ID such as 1000",
            ));
        }
        Ok(())
    }

    /// Each pattern suits the kind, as its declaration says.
    fn patterns(&self, spec: &Spec) -> Result<()> {
        for (index, pattern) in spec.patterns.iter().enumerate() {
            if let Some(reason) = pattern.declaration().unsuitable_for(self.kind) {
                return Err(Error::invalid(
                    self.field(&format!("patterns[{index}].type"), &pattern.flag()),
                    pattern.id(),
                    format!("not for a {}: {reason}", self.kind.api_kind()),
                ));
            }
        }
        Ok(())
    }
}
