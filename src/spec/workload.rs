//! The rules of each workload kind: which settings and patterns it accepts, its storage and
//! its schedule. Called by [`super::check`], so every front end reports the same problems.

use crate::error::{Error, Result};
use crate::names;
use crate::spec::{Field, Spec, WorkloadKind};

/// Checks the kind-specific settings of `spec` and that each pattern makes sense for its kind.
pub fn check(spec: &Spec, origin: Field) -> Result<()> {
    let app = &spec.app;
    let kind = app.kind;
    let field = |path: &str, flag: &str| origin.name(path, flag);
    let only = |path: &str, flag: &str, value: String, rule: &str| -> Result<()> {
        Err(Error::invalid(
            field(path, flag),
            value,
            format!("{rule} (this is a {})", kind.api_kind()),
        ))
    };
    match &app.storage {
        Some(storage) if kind != WorkloadKind::StatefulSet => {
            return only(
                "app.storage",
                "--storage",
                storage.size.clone(),
                "only a StatefulSet has per-pod storage: add --kind statefulset",
            );
        }
        Some(storage) => {
            let size = crate::quantity::non_negative(&storage.size).map_err(|rule| {
                Error::invalid(field("app.storage.size", "--storage"), &storage.size, rule)
            })?;
            if size == crate::quantity::Quantity::ZERO {
                return Err(Error::invalid(
                    field("app.storage.size", "--storage"),
                    &storage.size,
                    "must be a size greater than zero, such as `10Gi`",
                ));
            }
            names::absolute_path(&storage.path).map_err(|rule| {
                Error::invalid(field("app.storage.path", "--storage"), &storage.path, rule)
            })?;
            if let Some(class) = &storage.storage_class {
                names::dns_subdomain(class).map_err(|rule| {
                    Error::invalid(
                        field("app.storage.storageClass", "--storage-class"),
                        class,
                        rule,
                    )
                })?;
            }
        }
        None => {}
    }
    if kind == WorkloadKind::CronJob && app.name.len() > 52 {
        return Err(Error::invalid(
            field("app.name", "NAME"),
            &app.name,
            "a CronJob's name must be no more than 52 characters: its Jobs add 11",
        ));
    }
    match (&app.schedule, kind) {
        (Some(schedule), WorkloadKind::CronJob) => check_schedule(schedule)
            .map_err(|rule| Error::invalid(field("app.schedule", "--schedule"), schedule, rule))?,
        (None, WorkloadKind::CronJob) => {
            return Err(Error::Usage(format!(
                "a CronJob needs `{}`, e.g. --schedule \"*/5 * * * *\"",
                field("app.schedule", "--schedule")
            )))
        }
        (Some(schedule), _) => {
            return only(
                "app.schedule",
                "--schedule",
                schedule.clone(),
                "only a CronJob has a schedule: add --kind cronjob",
            )
        }
        (None, _) => {}
    }
    if !kind.runs_to_completion() {
        if let Some(limit) = app.backoff_limit {
            return only(
                "app.backoffLimit",
                "--backoff-limit",
                limit.to_string(),
                "only a Job or CronJob retries its pods",
            );
        }
        if let Some(policy) = app.restart_policy {
            return only(
                "app.restartPolicy",
                "--restart",
                policy.as_str().into(),
                "only a Job's or CronJob's pods can stop restarting",
            );
        }
    } else if let Some(path) = &app.health_path {
        return Err(Error::invalid(
            field("app.healthPath", "--health-path"),
            path,
            format!(
                "a {}'s app runs to completion: it gets no readiness or liveness probes",
                kind.api_kind()
            ),
        ));
    }
    if let Some(limit) = app.backoff_limit {
        if limit > 100 {
            return Err(Error::invalid(
                field("app.backoffLimit", "--backoff-limit"),
                limit.to_string(),
                "must be from 0 to 100",
            ));
        }
    }
    if let Some(group) = app.fs_group {
        if group == 0 {
            return Err(Error::invalid(
                field("app.fsGroup", "--fs-group"),
                "0",
                "must be a non-root group ID such as 1000",
            ));
        }
    }
    for (index, pattern) in spec.patterns.iter().enumerate() {
        if let Some(reason) = pattern.declaration().unsuitable_for(kind) {
            return Err(Error::invalid(
                field(&format!("patterns[{index}].type"), &pattern.flag()),
                pattern.id(),
                format!("not for a {}: {reason}", kind.api_kind()),
            ));
        }
    }
    Ok(())
}

/// Checks a cron schedule: five fields (minute hour day-of-month month day-of-week) or a
/// macro such as `@hourly`. Time zones go in `timeZone`, not in the schedule.
pub fn check_schedule(schedule: &str) -> std::result::Result<(), String> {
    const MACROS: [&str; 7] = [
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
    ];
    if schedule.starts_with('@') {
        return if MACROS.contains(&schedule) {
            Ok(())
        } else {
            Err(format!("a macro must be one of {}", MACROS.join(", ")))
        };
    }
    let fields: Vec<&str> = schedule.split(' ').filter(|f| !f.is_empty()).collect();
    if fields.len() != 5 || schedule.chars().any(|c| c.is_control()) {
        return Err(
            "must be five cron fields: minute hour day-of-month month day-of-week, \
             e.g. `*/5 * * * *`"
                .into(),
        );
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let limits: [(&str, u32, u32, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day-of-month", 1, 31, &[]),
        ("month", 1, 12, &MONTHS),
        ("day-of-week", 0, 7, &DAYS),
    ];
    for (text, (what, low, high, names)) in fields.iter().zip(limits) {
        let bad = || {
            format!("the {what} field `{text}` must hold values from {low} to {high}, `*`, ranges `a-b`, lists `a,b` or steps `*/n`")
        };
        for item in text.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((range, step)) => (range, Some(step)),
                None => (item, None),
            };
            if let Some(step) = step {
                if !step.parse::<u32>().is_ok_and(|s| s > 0) {
                    return Err(bad());
                }
            }
            if range == "*" || (range == "?" && matches!(what, "day-of-month" | "day-of-week")) {
                continue;
            }
            let value = |v: &str| -> Option<u32> {
                v.parse::<u32>()
                    .ok()
                    .or_else(|| {
                        names
                            .iter()
                            .position(|n| n.eq_ignore_ascii_case(v))
                            .map(|i| i as u32 + low)
                    })
                    .filter(|n| (low..=high).contains(n))
            };
            let ok = match range.split_once('-') {
                Some((from, to)) => {
                    matches!((value(from), value(to)), (Some(a), Some(b)) if a <= b)
                }
                None => value(range).is_some(),
            };
            if !ok {
                return Err(bad());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        for good in [
            "*/5 * * * *",
            "0 3 * * 1-5",
            "15,45 */2 1 jan-mar MON",
            "@hourly",
        ] {
            assert_eq!(check_schedule(good), Ok(()), "{good}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "*/0 * * * *",
            "* * * * * *",
            "CRON_TZ=UTC 0 * * * *",
            "0 * * * *\n0",
            "@often",
            "5-1 * * * *",
        ] {
            assert!(check_schedule(bad).is_err(), "{bad}");
        }
    }
}
