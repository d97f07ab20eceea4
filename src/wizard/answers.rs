//! How the wizard reads an answer: as the value of the flag it stands for, refused by that
//! flag's own rules (through `spec::from_flags`), with `none` for nothing and commas between
//! the items of a list. Shared by the app's questions and the patterns'.

use super::prompter::{Asked, Prompter};
use crate::cli::NewArgs;
use crate::error::Error;
use crate::spec;

/// Asks for one flag's value, refusing what that flag's rules refuse.
pub(super) fn flag_text(
    a: &NewArgs,
    p: &mut dyn Prompter,
    question: &str,
    default: &str,
    flag: &str,
    set: impl Fn(&mut NewArgs, &str),
) -> Asked<String> {
    p.text(question, Some(default), &|text| {
        refused_by(a, &[flag], |t| set(t, text))
    })
}

/// Asks for an optional flag's value, `none` (the default when there is none) for nothing.
pub(super) fn optional_text(
    a: &NewArgs,
    p: &mut dyn Prompter,
    question: &str,
    current: &Option<String>,
    flag: &str,
    set: impl Fn(&mut NewArgs, Option<String>),
) -> Asked<Option<String>> {
    let default = current.clone().unwrap_or_else(|| NONE.into());
    let answer = flag_text(a, p, question, &default, flag, |t, v| {
        set(t, optional(v.into()))
    })?;
    Ok(optional(answer))
}

/// The word that answers a question with nothing.
const NONE: &str = "none";

/// `None` for the answer `none`.
fn optional(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case(NONE))
}

/// Asks for a comma-separated list (`none` for no items) that the repeated `flag` holds,
/// checked by that flag's rules.
pub(super) fn list_text(
    a: &NewArgs,
    p: &mut dyn Prompter,
    question: &str,
    current: &[String],
    flag: &str,
    set: impl Fn(&mut NewArgs, Vec<String>),
) -> Asked<Vec<String>> {
    let answer = flag_text(a, p, question, &list_default(current), flag, |t, v| {
        set(t, list(v))
    })?;
    Ok(list(&answer))
}
/// A list's answer as the question offers it: its items, or `none`.
pub(super) fn list_default(values: &[String]) -> String {
    match values.is_empty() {
        true => NONE.to_string(),
        false => values.join(", "),
    }
}

/// Splits a comma-separated answer; `none` is the empty list.
pub(super) fn list(text: &str) -> Vec<String> {
    if text.trim().eq_ignore_ascii_case(NONE) {
        return Vec::new();
    }
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(String::from)
        .collect()
}

/// Refuses an answer that `from_flags` rejects for one of `flags`, once `set` is applied to
/// the answers so far. Problems that involve other answers are left to the summary.
pub(super) fn refused_by(
    answers: &NewArgs,
    flags: &[&str],
    set: impl FnOnce(&mut NewArgs),
) -> std::result::Result<(), String> {
    let mut trial = answers.clone();
    set(&mut trial);
    match spec::from_flags(&trial) {
        Err(Error::InvalidValue { field, value, rule }) if flags.contains(&field.as_str()) => {
            Err(refusal(&value, &rule))
        }
        Err(error @ Error::Conflict { .. }) => match &error {
            Error::Conflict { second, .. } if flags.contains(&second.as_str()) => {
                Err(error.to_string())
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A refusal naming the value and the rule it breaks.
pub(super) fn refusal(value: &str, rule: &str) -> String {
    match value {
        "" => rule.to_string(),
        _ => format!("`{value}`: {rule}"),
    }
}

/// Refuses an empty answer, or `none`, with `rule`.
pub(super) fn required(text: &str, rule: &str) -> std::result::Result<(), String> {
    match text.trim().is_empty() || text.trim().eq_ignore_ascii_case(NONE) {
        true => Err(rule.to_string()),
        false => Ok(()),
    }
}

/// `None` for an empty answer.
pub(super) fn non_empty(text: &str) -> Option<&str> {
    Some(text).filter(|t| !t.is_empty())
}
