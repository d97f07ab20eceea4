//! The schedule rules: what the server accepts and refuses in its own words, and the flag
//! check saying the same verdicts in one line that names the cron field and its rule.

use super::*;

#[test]
fn accepts_what_the_server_accepts() {
    for schedule in [
        "*/5 * * * *",
        "0 0 * * 0",
        "30 2 1-15/2 JAN-jun mon,FRI",
        "? * * * ?",
        "5 4 31 2 *",
        "@hourly",
        "@midnight",
        "@every 1h30m",
        "@every 90s",
        "@every 1.5h",
        "0 9 * * 1-5",
    ] {
        assert_eq!(
            schedule_errors(schedule, None),
            Vec::<String>::new(),
            "{schedule}"
        );
    }
}

#[test]
fn rejects_what_the_server_rejects() {
    let cases = [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        (
            "0 0 0 * * *",
            "expected exactly 5 fields, found 6: [0 0 0 * * *]",
        ),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        (
            "5-1 * * * *",
            "beginning of range (5) beyond end of range (1): 5-1",
        ),
        (
            "*/0 * * * *",
            "step of range should be a positive number: */0",
        ),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("@every", "unrecognized descriptor: @every"),
        (
            "@every 5x",
            "failed to parse duration @every 5x: time: invalid duration \"5x\"",
        ),
        ("@reboot", "unrecognized descriptor: @reboot"),
        ("@Hourly", "unrecognized descriptor: @Hourly"),
        (
            "a * * * *",
            "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax",
        ),
    ];
    for (schedule, message) in cases {
        assert_eq!(
            schedule_errors(schedule, None),
            vec![message.to_string()],
            "{schedule:?}"
        );
    }
}

#[test]
fn time_zones_belong_in_their_field() {
    assert_eq!(
        schedule_errors("CRON_TZ=UTC 0 * * * *", None),
        vec!["cannot use TZ or CRON_TZ in schedule, use timeZone field instead".to_string()]
    );
    assert_eq!(
        schedule_errors("TZ=UTC 0 * * * *", Some("UTC")),
        vec!["cannot use both timeZone field and TZ or CRON_TZ in schedule".to_string()]
    );
    assert!(time_zone_errors("Europe/Berlin").is_empty());
    assert!(time_zone_errors("America/Argentina/Buenos_Aires").is_empty());
    assert_eq!(time_zone_errors("local").len(), 1);
    assert_eq!(
        time_zone_errors("Europe/../x"),
        vec!["unknown time zone Europe/../x".to_string()]
    );
    assert_eq!(time_zone_errors("").len(), 1);
}

/// Schedules and whether the API server takes them: the flag check must give the same verdict
/// as the validator on each.
const VERDICTS: &[(&str, bool)] = &[
    ("*/5 * * * *", true),
    ("0 9 * * MON-FRI", true),
    ("30 2 1-15/2 JAN-jun mon,FRI", true),
    ("? ? * * ?", true),
    ("5 4 31 2 *", true),
    ("0 0 * * 0", true),
    ("  0\t*  * * *  ", true),
    ("@hourly", true),
    ("@annually", true),
    ("@every 1h30m", true),
    ("@every 90s", true),
    ("@every 1.5h", true),
    ("", false),
    ("   ", false),
    ("* * * *", false),
    ("0 0 0 * * *", false),
    ("60 * * * *", false),
    ("* * 0 * *", false),
    ("* * * * 7", false),
    ("5-1 * * * *", false),
    ("*/0 * * * *", false),
    ("1-2-3 * * * *", false),
    ("*/2/3 * * * *", false),
    ("a * * * *", false),
    ("-1 * * * *", false),
    ("0 0 * fri *", false),
    ("@reboot", false),
    ("@Hourly", false),
    ("@every", false),
    ("@every 5x", false),
    ("TZ=UTC 0 * * * *", false),
    ("CRON_TZ=Europe/Berlin @daily", false),
    ("0 * * * *\n0", false),
];

#[test]
fn the_flag_check_and_the_validator_agree() {
    for (schedule, valid) in VERDICTS {
        assert_eq!(
            check(schedule).is_ok(),
            *valid,
            "flag check of {schedule:?}"
        );
        assert_eq!(
            schedule_errors(schedule, None).is_empty(),
            *valid,
            "validator on {schedule:?}"
        );
    }
}

#[test]
fn the_flag_check_names_the_field_and_its_rule() {
    const FORMS: &str = "`*` or `?`, ranges `a-b`, steps `/n` and lists `a,b`";
    let cases = [
        (
            "61 * * * *",
            format!("the minute field `61` goes above 59: it takes numbers from 0 to 59, {FORMS}"),
        ),
        (
            "* * * * 7",
            format!(
                "the day-of-week field `7` goes above 6: it takes numbers from 0 (Sunday) to 6 \
                 or names `sun` to `sat`, {FORMS}"
            ),
        ),
        (
            "0 0 1-5,0 * *",
            format!(
                "the day-of-month field `1-5,0` goes below 1: it takes numbers from 1 to 31, \
                 {FORMS}"
            ),
        ),
        (
            "0 0 * * fri-mon",
            format!(
                "the day-of-week field `fri-mon` has a range from 5 down to 1: it takes numbers \
                 from 0 (Sunday) to 6 or names `sun` to `sat`, {FORMS}"
            ),
        ),
        (
            "0 0 * fri *",
            format!(
                "the month field `fri` has `fri`, which is neither a number nor a name: it takes \
                 numbers from 1 to 12 or names `jan` to `dec`, {FORMS}"
            ),
        ),
        (
            "*/0 * * * *",
            format!(
                "the minute field `*/0` has a step of 0: it takes numbers from 0 to 59, {FORMS}"
            ),
        ),
        (
            "* * * *",
            "must be five cron fields: minute hour day-of-month month day-of-week, e.g. \
             `*/5 * * * *`, or a descriptor such as `@hourly` or `@every 1h30m`"
                .to_string(),
        ),
        (
            "@often",
            "a descriptor must be one of `@yearly`, `@annually`, `@monthly`, `@weekly`, \
             `@daily`, `@midnight`, `@hourly` or `@every DURATION`, e.g. `@every 1h30m`"
                .to_string(),
        ),
        (
            "@every 5x",
            "`@every` takes a duration of numbers with units `h`, `m`, `s`, `ms`, `us` or `ns`, \
             e.g. `@every 90s` or `@every 1h30m`"
                .to_string(),
        ),
        (
            "TZ=UTC 0 * * * *",
            "must not name a time zone (`TZ=`, `CRON_TZ=`): Kubernetes takes the zone from the \
             CronJob's `spec.timeZone`, which podsmith leaves unset (the schedule then runs in \
             kube-controller-manager's time zone)"
                .to_string(),
        ),
    ];
    for (schedule, rule) in cases {
        assert_eq!(check(schedule), Err(rule), "{schedule:?}");
    }
}
