//! Jobs and CronJobs: `validateJobSpec` and `validateCronJobSpec` (counts, completion mode,
//! the schedule, the time zone, and the Job template inside a CronJob).

use k8s_openapi::api::batch::v1::{CronJob, JobSpec};

use super::non_negative;
use crate::cron;
use crate::validate::api::{invalid, quoted, unsupported};
use crate::validate::locate::key;
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn job(spec: &JobSpec, path: &str, sink: &mut Sink) {
    for (name, value) in [
        ("parallelism", spec.parallelism),
        ("completions", spec.completions),
        ("backoffLimit", spec.backoff_limit),
        ("ttlSecondsAfterFinished", spec.ttl_seconds_after_finished),
        ("backoffLimitPerIndex", spec.backoff_limit_per_index),
        ("maxFailedIndexes", spec.max_failed_indexes),
    ] {
        non_negative(value.map(i64::from), &key(path, name), sink);
    }
    non_negative(
        spec.active_deadline_seconds,
        &key(path, "activeDeadlineSeconds"),
        sink,
    );
    let mode = spec.completion_mode.as_deref();
    if let Some(mode) = mode.filter(|m| !["NonIndexed", "Indexed"].contains(m)) {
        sink.report(
            &rules::JOB_SPEC,
            &key(path, "completionMode"),
            unsupported(mode, &["NonIndexed", "Indexed"]),
        );
    }
    if mode == Some("Indexed") && spec.completions.is_none() {
        sink.report(
            &rules::JOB_SPEC,
            &key(path, "completions"),
            "Required value: when completion mode is Indexed",
        );
    }
    super::job_policies::check(spec, path, sink);
}

pub(super) fn cron_job(cron_job: &CronJob, sink: &mut Sink) {
    let spec = &cron_job.spec;
    let zone = spec.time_zone.as_deref();
    if !spec.schedule.is_empty() {
        for message in cron::schedule_errors(&spec.schedule, zone) {
            sink.report(
                &rules::CRON_SCHEDULE,
                "spec.schedule",
                invalid(quoted(&spec.schedule), &message),
            );
        }
    }
    if let Some(zone) = zone {
        for message in cron::time_zone_errors(zone) {
            sink.report(
                &rules::CRON_SCHEDULE,
                "spec.timeZone",
                invalid(quoted(zone), &message),
            );
        }
    }
    for (name, value) in [
        ("startingDeadlineSeconds", spec.starting_deadline_seconds),
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit.map(i64::from),
        ),
        (
            "failedJobsHistoryLimit",
            spec.failed_jobs_history_limit.map(i64::from),
        ),
    ] {
        non_negative(value, &key("spec", name), sink);
    }
    if let Some(policy) = spec
        .concurrency_policy
        .as_deref()
        .filter(|p| !["Allow", "Forbid", "Replace"].contains(p))
    {
        sink.report(
            &rules::JOB_SPEC,
            "spec.concurrencyPolicy",
            unsupported(policy, &["Allow", "Forbid", "Replace"]),
        );
    }
    if let Some(job_spec) = &spec.job_template.spec {
        job(job_spec, "spec.jobTemplate.spec", sink);
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;

    #[test]
    fn job_numbers_and_modes() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  parallelism: -2\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: app\n        image: busybox:1.36\n";
        assert_eq!(only(text, "number-range")[0].1, "spec.parallelism");
        assert_eq!(
            only(text, "job-spec")[0].2,
            "Required value: when completion mode is Indexed"
        );
    }

    #[test]
    fn cron_schedules() {
        let text = |schedule: &str| {
            format!("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"{schedule}\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: busybox:1.36\n")
        };
        assert!(only(&text("@every 5m"), "cron-schedule").is_empty());
        assert_eq!(
            only(&text("61 * * * *"), "cron-schedule"),
            vec![(
                6,
                "spec.schedule".to_string(),
                "Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"
                    .to_string()
            )]
        );
        assert_eq!(only(&text("TZ=UTC 0 * * * *"), "cron-schedule").len(), 1);
    }
}
