//! The wizard's pattern questions, derived from the patterns' declarations: a list of every
//! pattern's choices, then each ticked choice's questions, each answer checked by the flag rules
//! and kept as that flag's value.

use super::{list, non_empty, refused_by, required};
use crate::cli::NewArgs;
use crate::error::Result;
use crate::patterns::declaration::{Answer, Choice, Declaration, Question};
use crate::patterns::declarations;
use crate::wizard::Prompter;

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

pub(super) fn ask_patterns(a: &mut NewArgs, p: &mut dyn Prompter) -> Result<()> {
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
    let checked: Vec<bool> = choices
        .iter()
        .map(|(_, c)| flags_of(c).any(|flag| a.patterns.has(flag)))
        .collect();
    let mut picked = p.multi_select(
        "Which patterns does the app need (space ticks, enter goes on)",
        &items,
        &checked,
    )?;
    // A pattern that needs another one gets it, with a word to say why.
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
    for (index, (declaration, choice)) in choices.iter().enumerate() {
        if picked.contains(&index) {
            for question in choice.questions {
                ask_question(a, p, declaration, question)?;
            }
        } else {
            for flag in flags_of(choice) {
                a.patterns.set(flag, Vec::new());
            }
        }
    }
    Ok(())
}

/// Asks one pattern question and keeps the answer as the flag's value.
fn ask_question(
    a: &mut NewArgs,
    p: &mut dyn Prompter,
    declaration: &Declaration,
    question: &Question,
) -> Result<()> {
    let flag = question.flag;
    let adds = declaration.adding_option().is_some_and(|o| o.flag == flag);
    let option = declaration.options.iter().find(|o| o.flag == flag);
    let base = a.clone();
    let refuse = |values: Vec<String>| {
        refused_by(&base, &[&format!("--{flag}")], |t| {
            t.patterns.set(flag, values)
        })
    };
    match question.answer {
        Answer::List(rule) => {
            let default = a.patterns.all(flag).join(", ");
            let answer = p.text(question.prompt, non_empty(&default), &|text| {
                required(text, rule)?;
                refuse(list(text))
            })?;
            a.patterns.set(flag, list(&answer));
        }
        Answer::Required(rule) => {
            let answer = p.text(question.prompt, a.patterns.one(flag), &|text| {
                required(text, rule)?;
                refuse(vec![text.into()])
            })?;
            a.patterns.set_one(flag, Some(answer));
        }
        Answer::Optional { suggest } => {
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
                _ => refuse(vec![text.into()]),
            })?;
            // The flag that adds the pattern is always given; a tuning flag only when it
            // differs from what it would be anyway, so the command line stays short.
            let keep = match adds {
                true => non_empty(&answer),
                false => non_empty(&answer).filter(|answer| Some(*answer) != suggestion.as_deref()),
            };
            a.patterns.set_one(flag, keep.map(String::from));
        }
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
