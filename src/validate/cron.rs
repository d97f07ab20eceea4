//! CronJob schedules and time zones, checked the way the API server checks them
//! (`pkg/apis/batch/validation` `validateScheduleFormat` and `validateTimeZone`): the schedule
//! must parse with the standard parser of robfig/cron v3 (five fields, or a descriptor such as
//! `@hourly` or `@every 1h30m`), and may not name a time zone (`TZ=`, `CRON_TZ=`), which belongs
//! in `timeZone`. The messages are the parser's.

/// Why the server rejects `schedule`, if it does; `time_zone` is `spec.timeZone`.
pub(super) fn schedule_errors(schedule: &str, time_zone: Option<&str>) -> Vec<String> {
    let mut errors = Vec::new();
    if let Err(error) = parse_standard(schedule) {
        errors.push(error);
    }
    if schedule.contains("TZ") {
        errors.push(match time_zone {
            Some(_) => "cannot use both timeZone field and TZ or CRON_TZ in schedule".to_string(),
            None => "cannot use TZ or CRON_TZ in schedule, use timeZone field instead".to_string(),
        });
    }
    errors
}

/// Why the server rejects `timeZone`, if it does (the time zone database itself is not
/// consulted: a well-formed name that no zone has passes).
pub(super) fn time_zone_errors(zone: &str) -> Vec<String> {
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

/// One field of a schedule: its bounds and, for months and weekdays, its names.
struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Bounds; 5] = [
    Bounds {
        min: 0,
        max: 59,
        names: &[],
    },
    Bounds {
        min: 0,
        max: 23,
        names: &[],
    },
    Bounds {
        min: 1,
        max: 31,
        names: &[],
    },
    Bounds {
        min: 1,
        max: 12,
        names: MONTHS,
    },
    Bounds {
        min: 0,
        max: 6,
        names: WEEKDAYS,
    },
];

/// robfig/cron v3 `ParseStandard`.
fn parse_standard(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // The parser strips the zone; the caller reports it.
        spec = spec.split_once(' ').map_or("", |(_, rest)| rest).trim();
    }
    if spec.starts_with('@') {
        return descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != FIELDS.len() {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    for (field, bounds) in fields.iter().zip(FIELDS.iter()) {
        for expression in field.split(',') {
            range(expression, bounds)?;
        }
    }
    Ok(())
}

/// The named schedules robfig/cron accepts besides `@every DURATION`; podsmith's own flag
/// check accepts the same names.
pub(crate) const NAMED_SCHEDULES: [&str; 7] = [
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

fn descriptor(spec: &str) -> Result<(), String> {
    if NAMED_SCHEDULES.contains(&spec) {
        return Ok(());
    }
    if let Some(duration) = spec.strip_prefix("@every ") {
        return go_duration(duration).map_err(|()| {
            format!("failed to parse duration {spec}: time: invalid duration {duration:?}")
        });
    }
    Err(format!("unrecognized descriptor: {spec}"))
}

/// Go's `time.ParseDuration` grammar: `[-+]` then one or more `<number><unit>`, or `0`.
fn go_duration(text: &str) -> Result<(), ()> {
    const UNITS: &[&str] = &["ns", "us", "µs", "μs", "ms", "s", "m", "h"];
    let mut rest = text.strip_prefix(['-', '+']).unwrap_or(text);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(());
    }
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..number_end];
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        if digits == 0 || number.matches('.').count() > 1 {
            return Err(());
        }
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        if !UNITS.contains(&&rest[..unit_end]) {
            return Err(());
        }
        rest = &rest[unit_end..];
    }
    Ok(())
}

/// robfig/cron v3 `getRange`: `*`, `?`, `N`, `N-M`, each with an optional `/step`.
fn range(expression: &str, bounds: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expression.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (bounds.min, bounds.max)
    } else {
        let start = int_or_name(low_and_high[0], bounds.names)?;
        match low_and_high.len() {
            1 => (start, start),
            2 => (start, int_or_name(low_and_high[1], bounds.names)?),
            _ => return Err(format!("too many hyphens: {expression}")),
        }
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = int(range_and_step[1])?;
            if single {
                end = bounds.max;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expression}")),
    };
    if start < bounds.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expression}",
            bounds.min
        ));
    }
    if end > bounds.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expression}",
            bounds.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expression}"
        ));
    }
    if step == 0 {
        return Err(format!(
            "step of range should be a positive number: {expression}"
        ));
    }
    Ok(())
}

fn int_or_name(text: &str, names: &[&str]) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    match names.iter().position(|name| *name == lower) {
        // Months count from 1, weekdays from 0.
        Some(at) if names.len() == 12 => Ok(at as u32 + 1),
        Some(at) => Ok(at as u32),
        None => int(text),
    }
}

/// Go's `strconv.Atoi`, then the parser's refusal of negative numbers.
fn int(text: &str) -> Result<u32, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let parsed = (!digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten();
    match parsed {
        None => Err(format!(
            "failed to parse int from {text}: strconv.Atoi: parsing {text:?}: invalid syntax"
        )),
        Some(number) if text.starts_with('-') && number != 0 => {
            Err(format!("negative number (-{number}) not allowed: {text}"))
        }
        Some(number) => Ok(u32::try_from(number).unwrap_or(u32::MAX)),
    }
}

#[cfg(test)]
mod tests {
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
}
