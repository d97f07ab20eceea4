//! robfig/cron v3's standard parser (`ParseStandard`), as the API server runs it on a CronJob's
//! schedule: five fields (minute hour day-of-month month day-of-week) or a descriptor. A refusal
//! is data, [`Refusal`], so the server's message and the flag check's line come from one parse.

/// One field of a schedule: its name, its bounds and, for months and weekdays, its names.
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) min: u32,
    pub(super) max: u32,
    pub(super) names: &'static [&'static str],
    /// What the field takes besides `*`, `?`, ranges, steps and lists, as the flag check says.
    pub(super) values: &'static str,
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

pub(super) const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
        values: "numbers from 0 to 59",
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
        values: "numbers from 0 to 23",
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        values: "numbers from 1 to 31",
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        values: "numbers from 1 to 12 or names `jan` to `dec`",
    },
    Field {
        name: "day-of-week",
        min: 0,
        max: 6,
        names: WEEKDAYS,
        values: "numbers from 0 (Sunday) to 6 or names `sun` to `sat`",
    },
];

/// The descriptors robfig/cron accepts besides `@every DURATION`.
pub(super) const DESCRIPTORS: [&str; 7] = [
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Why the parser refuses a schedule: what both the server's message and the flag check's line
/// are made from.
#[derive(Debug)]
pub(super) enum Refusal {
    /// An empty schedule.
    Empty,
    /// Not five fields; the fields found.
    FieldCount(Vec<String>),
    /// A descriptor that is not one.
    Descriptor(String),
    /// `@every` with what is not a Go duration.
    Duration(String),
    /// One expression of a field (`field` indexes [`FIELDS`]).
    Range {
        field: usize,
        /// The whole field, e.g. `1-5,61`.
        text: String,
        /// The comma-separated part of it that is wrong, e.g. `61`.
        expression: String,
        reason: Reason,
    },
}

/// What is wrong with one expression of a field (robfig/cron v3 `getRange`).
#[derive(Debug)]
pub(super) enum Reason {
    BelowMinimum(u32),
    AboveMaximum(u32),
    Backwards(u32, u32),
    ZeroStep,
    TooManyHyphens,
    TooManySlashes,
    NotANumber(String),
    Negative(i64, String),
}

/// robfig/cron v3 `ParseStandard`.
pub(super) fn parse_standard(spec: &str) -> Result<(), Refusal> {
    if spec.is_empty() {
        return Err(Refusal::Empty);
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // The parser strips the zone; the callers report it.
        spec = spec.split_once(' ').map_or("", |(_, rest)| rest).trim();
    }
    if spec.starts_with('@') {
        return descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != FIELDS.len() {
        return Err(Refusal::FieldCount(
            fields.iter().map(|field| field.to_string()).collect(),
        ));
    }
    for (index, text) in fields.iter().enumerate() {
        for expression in text.split(',') {
            range(expression, &FIELDS[index]).map_err(|reason| Refusal::Range {
                field: index,
                text: text.to_string(),
                expression: expression.to_string(),
                reason,
            })?;
        }
    }
    Ok(())
}

fn descriptor(spec: &str) -> Result<(), Refusal> {
    if DESCRIPTORS.contains(&spec) {
        return Ok(());
    }
    if let Some(duration) = spec.strip_prefix("@every ") {
        return go_duration(duration).map_err(|()| Refusal::Duration(duration.to_string()));
    }
    Err(Refusal::Descriptor(spec.to_string()))
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
fn range(expression: &str, field: &Field) -> Result<(), Reason> {
    let range_and_step: Vec<&str> = expression.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (field.min, field.max)
    } else {
        let start = int_or_name(low_and_high[0], field.names)?;
        match low_and_high.len() {
            1 => (start, start),
            2 => (start, int_or_name(low_and_high[1], field.names)?),
            _ => return Err(Reason::TooManyHyphens),
        }
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = int(range_and_step[1])?;
            if single {
                end = field.max;
            }
            step
        }
        _ => return Err(Reason::TooManySlashes),
    };
    if start < field.min {
        return Err(Reason::BelowMinimum(start));
    }
    if end > field.max {
        return Err(Reason::AboveMaximum(end));
    }
    if start > end {
        return Err(Reason::Backwards(start, end));
    }
    if step == 0 {
        return Err(Reason::ZeroStep);
    }
    Ok(())
}

fn int_or_name(text: &str, names: &[&str]) -> Result<u32, Reason> {
    let lower = text.to_ascii_lowercase();
    match names.iter().position(|name| *name == lower) {
        // Months count from 1, weekdays from 0.
        Some(at) if names.len() == 12 => Ok(at as u32 + 1),
        Some(at) => Ok(at as u32),
        None => int(text),
    }
}

/// Go's `strconv.Atoi`, then the parser's refusal of negative numbers.
fn int(text: &str) -> Result<u32, Reason> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let parsed = (!digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten();
    match parsed {
        None => Err(Reason::NotANumber(text.to_string())),
        Some(number) if text.starts_with('-') && number != 0 => {
            Err(Reason::Negative(number, text.to_string()))
        }
        Some(number) => Ok(u32::try_from(number).unwrap_or(u32::MAX)),
    }
}
