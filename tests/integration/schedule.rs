//! `--schedule` and the validator's `cron-schedule` rule are one rule set: the flag takes
//! exactly the schedules the API server takes, and refuses the others in one line naming the
//! flag (exit 2). The validator judges a CronJob written by hand, so that a schedule the flag
//! refuses is judged too.

use podsmith::error::{Error, EXIT_USAGE};
use podsmith::validate::{self, Options};

use crate::support::render_words;

/// Schedules and whether the API server takes them.
const SCHEDULES: &[(&str, bool)] = &[
    ("*/5 * * * *", true),
    ("0 9 * * MON-FRI", true),
    ("15,45 */2 1 jan-mar MON", true),
    ("? ? * * ?", true),
    ("0 0 * * 0", true),
    ("@hourly", true),
    ("@midnight", true),
    ("@every 1h30m", true),
    ("* * * *", false),
    ("0 0 0 * * *", false),
    ("61 * * * *", false),
    ("* * * * 7", false),
    ("5-1 * * * *", false),
    ("*/0 * * * *", false),
    ("0 0 * fri *", false),
    ("@often", false),
    ("@every 5x", false),
    ("TZ=UTC 0 * * * *", false),
    ("CRON_TZ=Europe/Berlin @daily", false),
];

/// A CronJob with `schedule`, written out as a user would.
fn cron_job(schedule: &str) -> String {
    let schedule = serde_json::to_string(schedule).expect("a string serializes");
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: \
         {schedule}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          \
         restartPolicy: OnFailure\n          containers:\n          - name: app\n            \
         image: busybox:1.36\n"
    )
}

/// Whether the validator finds nothing wrong with the schedule.
fn validator_takes(schedule: &str) -> bool {
    validate::validate_stream(&cron_job(schedule), "<test>", &Options::default())
        .findings
        .iter()
        .all(|finding| finding.rule != "cron-schedule")
}

#[test]
fn the_schedule_flag_takes_what_the_validator_takes() {
    let mut disagreements = Vec::new();
    for &(schedule, server_takes) in SCHEDULES {
        let validator = validator_takes(schedule);
        if validator != server_takes {
            disagreements.push(format!("{schedule:?}: the validator says {validator}"));
        }
        let words: Vec<String> = [
            "new",
            "report",
            "--image",
            "busybox:1.36",
            "--kind",
            "cronjob",
            "--schedule",
            schedule,
        ]
        .iter()
        .map(|word| word.to_string())
        .collect();
        // A schedule taken renders, and the rendered CronJob validates clean (`generate`
        // validates what it renders); one refused is one line naming the flag, exit 2.
        match render_words(&words) {
            Ok(_) if server_takes => {}
            Err(error @ Error::InvalidValue { .. })
                if !server_takes
                    && error.exit_code() == EXIT_USAGE
                    && error.to_string().lines().count() == 1
                    && error
                        .to_string()
                        .starts_with(&format!("invalid value `{schedule}` for `--schedule`: ")) => {
            }
            Ok(_) => disagreements.push(format!("{schedule:?}: the flag takes it")),
            Err(error) => disagreements.push(format!("{schedule:?}: {error}")),
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
