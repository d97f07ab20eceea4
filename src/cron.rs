//! CronJob schedules and time zones, one set of rules for the flag and spec checks and the
//! validator, written the way the API server checks them (`pkg/apis/batch/validation`
//! `validateScheduleFormat` and `validateTimeZone`): the schedule must parse with the standard
//! parser of robfig/cron v3 (five fields, or a descriptor such as `@hourly` or `@every 1h30m`),
//! and may not name a time zone (`TZ=`, `CRON_TZ=`), which belongs in `timeZone`.
//!
//! The validator reports the parser's own messages ([`schedule_errors`]); the flag and spec
//! checks ([`check`]) report the same refusal as one line naming the cron field and its rule.

mod parse;
#[cfg(test)]
mod tests;

use parse::{parse_standard, Reason, Refusal, DESCRIPTORS, FIELDS};

/// The flag and spec check of a schedule: the first rule it breaks, in one line. podsmith sets
/// no `timeZone`, so a schedule that names a zone is refused with where the zone goes.
pub(crate) fn check(schedule: &str) -> Result<(), String> {
    if names_a_zone(schedule) {
        return Err(
            "must not name a time zone (`TZ=`, `CRON_TZ=`): Kubernetes takes the zone from the \
             CronJob's `spec.timeZone`, which podsmith leaves unset (the schedule then runs in \
             kube-controller-manager's time zone)"
                .to_string(),
        );
    }
    parse_standard(schedule).map_err(|refusal| refusal.rule())
}

/// Why the server rejects `schedule`, in its words, if it does; `time_zone` is `spec.timeZone`.
pub(crate) fn schedule_errors(schedule: &str, time_zone: Option<&str>) -> Vec<String> {
    let mut errors = Vec::new();
    if let Err(refusal) = parse_standard(schedule) {
        errors.push(refusal.message());
    }
    if names_a_zone(schedule) {
        errors.push(match time_zone {
            Some(_) => "cannot use both timeZone field and TZ or CRON_TZ in schedule".to_string(),
            None => "cannot use TZ or CRON_TZ in schedule, use timeZone field instead".to_string(),
        });
    }
    errors
}

/// The server's test for a time zone in the schedule: any `TZ` at all.
fn names_a_zone(schedule: &str) -> bool {
    schedule.contains("TZ")
}

/// Why the server rejects `timeZone`, if it does (the time zone database itself is not
/// consulted: a well-formed name that no zone has passes).
pub(crate) fn time_zone_errors(zone: &str) -> Vec<String> {
    if zone.is_empty() {
        return vec!["timeZone must be nil or non-empty string".to_string()];
    }
    let valid_part = |part: &str| {
        part != "."
            && part != ".."
            && !part.starts_with('-')
            && (1..=14).contains(&part.len())
            && part
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b".-_+".contains(&c))
    };
    if !zone.split('/').all(valid_part) {
        return vec![format!("unknown time zone {zone}")];
    }
    if zone.eq_ignore_ascii_case("Local") {
        return vec![
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .to_string(),
        ];
    }
    Vec::new()
}

impl Refusal {
    /// The parser's message, as the API server prints it.
    fn message(&self) -> String {
        match self {
            Refusal::Empty => "empty spec string".to_string(),
            Refusal::FieldCount(fields) => format!(
                "expected exactly 5 fields, found {}: [{}]",
                fields.len(),
                fields.join(" ")
            ),
            Refusal::Descriptor(spec) => format!("unrecognized descriptor: {spec}"),
            Refusal::Duration(duration) => format!(
                "failed to parse duration @every {duration}: time: invalid duration {duration:?}"
            ),
            Refusal::Range {
                field,
                expression,
                reason,
                ..
            } => {
                let field = &FIELDS[*field];
                match reason {
                    Reason::BelowMinimum(start) => format!(
                        "beginning of range ({start}) below minimum ({}): {expression}",
                        field.min
                    ),
                    Reason::AboveMaximum(end) => format!(
                        "end of range ({end}) above maximum ({}): {expression}",
                        field.max
                    ),
                    Reason::Backwards(start, end) => format!(
                        "beginning of range ({start}) beyond end of range ({end}): {expression}"
                    ),
                    Reason::ZeroStep => {
                        format!("step of range should be a positive number: {expression}")
                    }
                    Reason::TooManyHyphens => format!("too many hyphens: {expression}"),
                    Reason::TooManySlashes => format!("too many slashes: {expression}"),
                    Reason::NotANumber(text) => format!(
                        "failed to parse int from {text}: strconv.Atoi: parsing {text:?}: \
                         invalid syntax"
                    ),
                    Reason::Negative(number, text) => {
                        format!("negative number (-{number}) not allowed: {text}")
                    }
                }
            }
        }
    }

    /// The rule the schedule breaks, naming the cron field, for a one-line flag error.
    fn rule(&self) -> String {
        match self {
            Refusal::Empty | Refusal::FieldCount(_) => "must be five cron fields: minute hour \
                 day-of-month month day-of-week, e.g. `*/5 * * * *`, or a descriptor such as \
                 `@hourly` or `@every 1h30m`"
                .to_string(),
            Refusal::Descriptor(_) => format!(
                "a descriptor must be one of `{}` or `@every DURATION`, e.g. `@every 1h30m`",
                DESCRIPTORS.join("`, `")
            ),
            Refusal::Duration(_) => "`@every` takes a duration of numbers with units `h`, `m`, \
                 `s`, `ms`, `us` or `ns`, e.g. `@every 90s` or `@every 1h30m`"
                .to_string(),
            Refusal::Range {
                field,
                text,
                reason,
                ..
            } => {
                let field = &FIELDS[*field];
                let problem = match reason {
                    Reason::BelowMinimum(_) => format!("goes below {}", field.min),
                    Reason::AboveMaximum(_) => format!("goes above {}", field.max),
                    Reason::Backwards(start, end) => {
                        format!("has a range from {start} down to {end}")
                    }
                    Reason::ZeroStep => "has a step of 0".to_string(),
                    Reason::TooManyHyphens => "has a range with more than one `-`".to_string(),
                    Reason::TooManySlashes => "has more than one `/`".to_string(),
                    Reason::NotANumber(word) if field.names.is_empty() => {
                        format!("has `{word}`, which is not a number")
                    }
                    Reason::NotANumber(word) => {
                        format!("has `{word}`, which is neither a number nor a name")
                    }
                    Reason::Negative(..) => "has a negative number".to_string(),
                };
                format!(
                    "the {} field `{text}` {problem}: it takes {}, `*` or `?`, ranges `a-b`, \
                     steps `/n` and lists `a,b`",
                    field.name, field.values
                )
            }
        }
    }
}
