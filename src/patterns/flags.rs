//! The pattern flags of `podsmith new`, derived from the declarations: clap learns them from
//! [`PatternFlags`]'s `Args` implementation, and their raw values are kept by flag name until
//! each pattern's own `from_flags` reads them.

use std::collections::BTreeMap;

use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches};

use crate::error::{Error, Result};
use crate::patterns::declaration::{Declaration, Fallback, Opt, Takes};
use crate::patterns::{declarations, Pattern};

/// The raw values of the pattern flags, by flag name (without dashes), in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PatternFlags {
    values: BTreeMap<String, Vec<String>>,
}

impl PatternFlags {
    /// The value of a single-valued flag, if given.
    pub(crate) fn one(&self, flag: &str) -> Option<&str> {
        self.values
            .get(flag)
            .and_then(|values| values.last())
            .map(String::as_str)
    }

    /// Every value of a repeated flag.
    pub(crate) fn all(&self, flag: &str) -> &[String] {
        self.values.get(flag).map_or(&[], Vec::as_slice)
    }

    /// Whether `flag` was given.
    pub(crate) fn has(&self, flag: &str) -> bool {
        !self.all(flag).is_empty()
    }

    /// Sets a flag's values; no values unsets it.
    pub(crate) fn set(&mut self, flag: &str, values: Vec<String>) {
        if values.is_empty() {
            self.values.remove(flag);
        } else {
            self.values.insert(flag.to_string(), values);
        }
    }

    /// Sets or unsets a single-valued flag.
    pub(crate) fn set_one(&mut self, flag: &str, value: Option<String>) {
        self.set(flag, value.into_iter().collect());
    }

    /// These flags and one more value of `flag`.
    #[cfg(test)]
    pub(crate) fn with(mut self, flag: &str, value: &str) -> PatternFlags {
        self.values
            .entry(flag.to_string())
            .or_default()
            .push(value.to_string());
        self
    }

    /// The flags given, as words of a command line, in declaration order. A value that may be
    /// left out is joined with `=`, so it cannot be read as an argument.
    pub(crate) fn words(&self) -> Vec<String> {
        let mut words = Vec::new();
        for option in new_options() {
            for value in self.all(option.flag) {
                match option.takes {
                    Takes::Optional => words.push(format!("--{}={value}", option.flag)),
                    _ => words.extend([format!("--{}", option.flag), value.clone()]),
                }
            }
        }
        words
    }

    /// The patterns these flags describe, in start order.
    pub(crate) fn patterns(&self) -> Result<Vec<Pattern>> {
        let mut patterns = Vec::new();
        for declaration in declarations() {
            let Some(from_flags) = declaration.from_flags else {
                continue;
            };
            self.check_applies(declaration)?;
            patterns.extend(from_flags(self)?);
        }
        Ok(patterns)
    }

    /// A tuning flag needs the flag that adds its pattern, and a pattern needs the one it
    /// requires.
    fn check_applies(&self, declaration: &Declaration) -> Result<()> {
        let Some(adding) = declaration.adding_option() else {
            return Ok(());
        };
        // A later flag that is required adds a pattern of its own (`--init` beside
        // `--init-command`); the others tune the one the first flag adds.
        let mut tuning = declaration.options[1..]
            .iter()
            .filter(|o| o.fallback != Fallback::Required);
        if !self.has(adding.flag) {
            if let Some(given) = tuning.find(|o| self.has(o.flag)) {
                return Err(applies_to(given.flag, adding));
            }
            return Ok(());
        }
        if let Some(required) = declaration.requires.and_then(super::declaration_of) {
            if let Some(required_flag) = required.adding_option() {
                if !self.has(required_flag.flag) {
                    return Err(applies_to(adding.flag, required_flag));
                }
            }
        }
        Ok(())
    }
}

fn applies_to(flag: &str, adding: &Opt) -> Error {
    Error::Usage(format!(
        "`--{flag}` applies to `--{}`: add --{} {}",
        adding.flag, adding.flag, adding.value_name
    ))
}

/// Every flag of every `new` pattern, in declaration order.
pub(crate) fn new_options() -> impl Iterator<Item = &'static Opt> {
    declarations()
        .iter()
        .filter(|d| d.renders())
        .flat_map(|d| d.options.iter())
}

/// The clap help of a flag: what it does, an example, its default.
fn help(declaration: &Declaration, option: &Opt) -> String {
    let mut text = String::new();
    if declaration
        .adding_option()
        .is_some_and(|a| a.flag == option.flag)
    {
        text.push_str(declaration.purpose);
        text.push_str(": ");
        text.push_str(option.help);
    } else {
        let mut chars = option.help.chars();
        if let Some(first) = chars.next() {
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        }
    }
    text.push_str(&format!(", e.g. `--{} {}`", option.flag, option.example));
    if option.takes == Takes::Repeated {
        text.push_str(". Repeatable");
    }
    match option.fallback {
        Fallback::Required => text.push('.'),
        Fallback::Value(value) | Fallback::Described(value) => {
            text.push_str(&format!(" [default: {value}]"));
        }
    }
    text
}

fn arg(declaration: &Declaration, option: &'static Opt) -> Arg {
    let arg = Arg::new(option.flag)
        .long(option.flag)
        .value_name(option.value_name)
        .help(help(declaration, option))
        .help_heading("Patterns");
    match (option.takes, option.fallback) {
        (Takes::Repeated, _) => arg.action(ArgAction::Append),
        (Takes::Optional, Fallback::Value(value)) => arg
            .action(ArgAction::Set)
            .num_args(0..=1)
            .default_missing_value(value),
        _ => arg.action(ArgAction::Set),
    }
}

impl Args for PatternFlags {
    fn augment_args(mut command: clap::Command) -> clap::Command {
        for declaration in declarations().iter().filter(|d| d.renders()) {
            for option in declaration.options {
                command = command.arg(arg(declaration, option));
            }
        }
        command
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        PatternFlags::augment_args(command)
    }
}

impl FromArgMatches for PatternFlags {
    fn from_arg_matches(matches: &ArgMatches) -> std::result::Result<Self, clap::Error> {
        let mut flags = PatternFlags::default();
        flags.update_from_arg_matches(matches)?;
        Ok(flags)
    }

    fn update_from_arg_matches(
        &mut self,
        matches: &ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        for option in new_options() {
            if let Some(values) = matches.get_many::<String>(option.flag) {
                self.set(option.flag, values.cloned().collect());
            }
        }
        Ok(())
    }
}
