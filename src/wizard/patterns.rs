//! The wizard's pattern questions, derived from the patterns' declarations: a list of every
//! pattern's choices, then each ticked choice's questions, each answer checked by the flag rules
//! and kept as that flag's value.

use super::answers::{list, non_empty, refused_by, required};
use crate::cli::NewArgs;
use crate::patterns::declaration::{Answer, Choice, Declaration, Question};
use crate::patterns::declarations;
use crate::wizard::prompter::{Asked, Prompter};

/// Every choice the wizard offers, in start order, with the pattern that declares it.
fn choices() -> Vec<(&'static Declaration, &'static Choice)> {
    declarations()
        .iter()
        .flat_map(|d| d.wizard.iter().map(move |choice| (*d, choice)))
        .collect()
}

/// The flags a choice answers.
fn flags_of(choice: &Choice) -> impl Iterator<Item = &'static str> + '_ {
    choice.questions.iter().map(|q| q.flag)
}

/// How many questions each choice asks, in the order of the pattern list.
pub(super) fn question_counts() -> impl Iterator<Item = usize> {
    choices().into_iter().map(|(_, c)| c.questions.len())
}

/// The flag a choice's question answers.
pub(super) fn flag_of(choice: usize, question: usize) -> Option<&'static str> {
    let (_, choice) = *choices().get(choice)?;
    choice.questions.get(question).map(|q| q.flag)
}

/// Which choices the answers already hold (from flags, or answered before).
pub(super) fn ticked_in(a: &NewArgs) -> Vec<bool> {
    choices()
        .iter()
        .map(|(_, c)| flags_of(c).any(|flag| a.patterns.has(flag)))
        .collect()
}

/// The labels of the ticked choices.
pub(super) fn labels(ticked: &[bool]) -> Vec<String> {
    choices()
        .iter()
        .zip(ticked)
        .filter(|(_, ticked)| **ticked)
        .map(|((_, c), _)| c.label.to_string())
        .collect()
}

/// Asks which patterns the app needs, `ticked` ticked at first, and returns the new ticks. A
/// pattern that needs another gets it, with a word to say why; an unticked one loses its
/// answers.
pub(super) fn ask_list(a: &mut NewArgs, p: &mut dyn Prompter, ticked: &[bool]) -> Asked<Vec<bool>> {
    let choices = choices();
    let width = choices
        .iter()
        .map(|(_, c)| c.label.len())
        .max()
        .unwrap_or(0);
    let items: Vec<String> = choices
        .iter()
        .map(|(_, c)| format!("{:<width$} {}", c.label, c.description))
        .collect();
    let mut picked = p.multi_select(
        "Which patterns does the app need (space ticks, enter goes on, Esc goes back)",
        &items,
        ticked,
    )?;
    for (declaration, _) in picked.clone().iter().filter_map(|i| choices.get(*i)) {
        let Some(required) = declaration.requires else {
            continue;
        };
        let needed = choices.iter().position(|(d, _)| d.id == required);
        if let Some(index) = needed.filter(|index| !picked.contains(index)) {
            p.show(&format!(
                "{} needs {required}: asking for it too.",
                declaration.id
            ))?;
            picked.push(index);
        }
    }
    for (index, (_, choice)) in choices.iter().enumerate() {
        if !picked.contains(&index) {
            for flag in flags_of(choice) {
                a.patterns.set(flag, Vec::new());
            }
        }
    }
    Ok((0..choices.len()).map(|i| picked.contains(&i)).collect())
}

/// Asks the `question`th question of the `choice`th choice.
pub(super) fn ask_one(
    a: &mut NewArgs,
    p: &mut dyn Prompter,
    choice: usize,
    question: usize,
) -> Asked<()> {
    let choices = choices();
    let Some((declaration, choice)) = choices.get(choice) else {
        return Ok(());
    };
    match choice.questions.get(question) {
        Some(question) => ask_question(a, p, declaration, question),
        None => Ok(()),
    }
}

/// Asks one pattern question and keeps the answer as the flag's value.
fn ask_question(
    a: &mut NewArgs,
    p: &mut dyn Prompter,
    declaration: &Declaration,
    question: &Question,
) -> Asked<()> {
    let flag = question.flag;
    let base = a.clone();
    match question.answer {
        Answer::List(rule) => {
            let default = a.patterns.all(flag).join(", ");
            let answer = p.text(question.prompt, non_empty(&default), &|text| {
                required(text, rule)?;
                refuse(&base, flag, list(text))
            })?;
            a.patterns.set(flag, list(&answer));
        }
        Answer::Required(rule) => {
            let answer = p.text(question.prompt, a.patterns.one(flag), &|text| {
                required(text, rule)?;
                refuse(&base, flag, vec![text.into()])
            })?;
            a.patterns.set_one(flag, Some(answer));
        }
        Answer::Optional { suggest } => ask_optional(a, p, declaration, question, suggest)?,
        Answer::Each => ask_each(a, p, question)?,
        Answer::Select(values) => {
            let values = values();
            let items: Vec<String> = values
                .iter()
                .map(|(value, about)| format!("{value:<8} {about}"))
                .collect();
            let default = values
                .iter()
                .position(|(value, _)| Some(*value) == a.patterns.one(flag))
                .unwrap_or_default();
            let picked = p.select(question.prompt, &items, default)?;
            a.patterns
                .set_one(flag, values.get(picked).map(|(value, _)| value.to_string()));
        }
    }
    Ok(())
}

/// Why the flag rules refuse `values` for `flag` given the other answers in `base`, if they do.
fn refuse(base: &NewArgs, flag: &str, values: Vec<String>) -> std::result::Result<(), String> {
    refused_by(base, &[&format!("--{flag}")], |t| {
        t.patterns.set(flag, values)
    })
}

/// Asks for one value that may be left out, suggesting the flag's default (or what `suggest`
/// computes from the other answers).
fn ask_optional(
    a: &mut NewArgs,
    p: &mut dyn Prompter,
    declaration: &Declaration,
    question: &Question,
    suggest: Option<fn(&NewArgs) -> Option<String>>,
) -> Asked<()> {
    let flag = question.flag;
    let base = a.clone();
    let option = declaration.options.iter().find(|o| o.flag == flag);
    let suggestion = suggest
        .and_then(|suggest| suggest(a))
        .or_else(|| option.and_then(|o| o.default_value()).map(String::from));
    let default = a
        .patterns
        .one(flag)
        .map(String::from)
        .or(suggestion.clone());
    let answer = p.text(question.prompt, default.as_deref(), &|text| match text {
        "" => Ok(()),
        _ => refuse(&base, flag, vec![text.into()]),
    })?;
    // The flag that adds the pattern is always given; a tuning flag only when it differs from
    // what it would be anyway, so the command line stays short.
    let adds = declaration.adding_option().is_some_and(|o| o.flag == flag);
    let keep = match adds {
        true => non_empty(&answer),
        false => non_empty(&answer).filter(|answer| Some(*answer) != suggestion.as_deref()),
    };
    a.patterns.set_one(flag, keep.map(String::from));
    Ok(())
}

/// Asks for the values of a repeated flag one at a time, offering each earlier one again; going
/// back keeps the earlier values.
fn ask_each(a: &mut NewArgs, p: &mut dyn Prompter, question: &Question) -> Asked<()> {
    let flag = question.flag;
    let base = a.clone();
    let earlier = a.patterns.all(flag).to_vec();
    let mut offered = earlier.iter();
    let mut values: Vec<String> = Vec::new();
    loop {
        let default = offered.next();
        let prompt = match default {
            Some(_) => format!("{} (Enter keeps it, - drops it)", question.prompt),
            None => format!("{}, or Enter when there are no more", question.prompt),
        };
        let so_far = values.clone();
        let answer = p.text(&prompt, default.map(String::as_str), &|text| match text {
            "" | "-" => Ok(()),
            _ => refuse(
                &base,
                flag,
                so_far.iter().cloned().chain([text.to_string()]).collect(),
            ),
        });
        match answer {
            Err(stop) => {
                a.patterns.set(flag, earlier);
                return Err(stop);
            }
            Ok(answer) => match answer.as_str() {
                "" if default.is_none() => break,
                "-" => {}
                _ => values.push(answer),
            },
        }
    }
    a.patterns.set(flag, values);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::declaration::Fallback;

    /// A pattern registered without a wizard choice would be missing from the wizard with no
    /// error anywhere else.
    #[test]
    fn every_pattern_that_renders_is_offered_and_nothing_else() {
        for declaration in declarations() {
            assert_eq!(
                !declaration.wizard.is_empty(),
                declaration.renders(),
                "`{}`: a pattern that renders has a wizard choice, the debug container none",
                declaration.id
            );
        }
        let mut offered: Vec<&str> = choices().iter().map(|(d, _)| d.id).collect();
        offered.dedup();
        let patterns: Vec<&str> = declarations()
            .iter()
            .filter(|d| d.renders())
            .map(|d| d.id)
            .collect();
        assert_eq!(offered, patterns, "the wizard's list, in start order");
    }

    /// A choice adds its own pattern: it asks the flag that adds it, and only its flags.
    #[test]
    fn every_choice_answers_its_own_patterns_flags() {
        for (declaration, choice) in choices() {
            let owned: Vec<&str> = declaration.options.iter().map(|o| o.flag).collect();
            for flag in flags_of(choice) {
                assert!(
                    owned.contains(&flag),
                    "choice `{}` asks `--{flag}`, not a flag of `{}`",
                    choice.label,
                    declaration.id
                );
            }
            // The flag that adds it, or one that must be given for a form of it (`--init`).
            let adds = |flag: &str| {
                declaration.adding_option().is_some_and(|o| o.flag == flag)
                    || declaration
                        .options
                        .iter()
                        .any(|o| o.flag == flag && o.fallback == Fallback::Required)
            };
            assert!(
                flags_of(choice).any(adds),
                "choice `{}` asks no flag that adds `{}`",
                choice.label,
                declaration.id
            );
        }
    }
}
