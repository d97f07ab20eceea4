//! The questions the wizard can ask, behind a small trait: [`Terminal`] asks them with
//! dialoguer on stderr; tests answer them from a script.
//!
//! Esc at any prompt goes back one question ([`Stop::Back`]); Ctrl-C stops the wizard
//! ([`Stop::Interrupted`]). Text questions are edited with [`Line`], since dialoguer's `Input`
//! cannot go back.

use console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, MultiSelect, Select};

use super::line::{Edit, Line};
use super::raw_keys::RawKeys;
use crate::error::{Error, Result};

/// Why a question has no answer.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Esc: the user wants the previous question again.
    Back,
    /// Ctrl-C: the user stops the wizard.
    Interrupted,
    /// The terminal failed.
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Stop {
        match error {
            Error::Interrupted => Stop::Interrupted,
            error => Stop::Failed(error),
        }
    }
}

/// An answer, or why there is none.
pub(crate) type Asked<T> = std::result::Result<T, Stop>;

/// Checks a typed answer; `Err` says why it is refused (the value and the rule it breaks), and
/// the question is asked again.
pub(crate) type Check<'a> = &'a dyn Fn(&str) -> std::result::Result<(), String>;

/// Asks the user questions.
pub(crate) trait Prompter {
    /// A line of text, trimmed. An empty answer takes `default` (or stays empty without one).
    /// Answers that `check` refuses are refused with its rule and asked again, the refused text
    /// kept for correction.
    fn text(&mut self, prompt: &str, default: Option<&str>, check: Check) -> Asked<String>;
    /// One of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Asked<usize>;
    /// Any number of `items`, `checked` ticked at first; returns the ticked indices in order.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Asked<Vec<usize>>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Asked<bool>;
    /// Shows text (a summary, an error) without asking anything.
    fn show(&mut self, text: &str) -> Result<()>;
}

/// The real terminal: dialoguer prompts on stderr, colored unless `NO_COLOR` is set or stderr
/// does not take colors.
pub(crate) struct Terminal {
    term: Term,
    theme: Box<dyn Theme>,
    fancy: bool,
}

impl Terminal {
    /// A prompter on stderr, styled as the terminal allows.
    pub(crate) fn new() -> Terminal {
        let fancy = console::colors_enabled_stderr() && std::env::var_os("NO_COLOR").is_none();
        let theme: Box<dyn Theme> = if fancy {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Terminal {
            term: Term::stderr(),
            theme,
            fancy,
        }
    }

    /// Whether colors and non-ASCII glyphs are on.
    pub(crate) fn fancy(&self) -> bool {
        self.fancy
    }

    /// Leaves the terminal as it was found: cursor visible. (Raw mode lasts for one question,
    /// [`RawKeys`], and is put back even when a read fails.)
    pub(crate) fn restore(&self) {
        let _ = self.term.show_cursor();
    }

    fn format(&self, write: impl FnOnce(&dyn Theme, &mut String) -> std::fmt::Result) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = write(self.theme.as_ref(), &mut out);
        out
    }

    /// Edits one line, starting from `initial`, until Enter (the text), Esc or Ctrl-C. The
    /// whole line is drawn again after each key, the cursor put back where it is in the text.
    fn edit_line(&self, question: &str, initial: &str) -> Asked<String> {
        let mut line = Line::new(initial);
        loop {
            self.term.clear_line().map_err(terminal_error)?;
            self.term
                .write_str(&format!("{question}{}", line.text()))
                .map_err(terminal_error)?;
            let back = console::measure_text_width(&line.after_cursor());
            self.term.move_cursor_left(back).map_err(terminal_error)?;
            let key = self.term.read_key_raw().map_err(terminal_error)?;
            match line.apply(&key) {
                Edit::Editing => {}
                Edit::Submit => return Ok(line.text()),
                Edit::Back | Edit::Interrupt => {
                    self.term.write_line("").map_err(terminal_error)?;
                    return Err(match key {
                        Key::Escape => Stop::Back,
                        _ => Stop::Interrupted,
                    });
                }
            }
        }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

impl Prompter for Terminal {
    fn text(&mut self, prompt: &str, default: Option<&str>, check: Check) -> Asked<String> {
        let question = self.format(|t, f| t.format_input_prompt(f, prompt, default));
        let _raw = RawKeys::hold();
        let mut typed = String::new();
        loop {
            typed = self.edit_line(&question, &typed)?;
            let answer = answer_or_default(&typed, default);
            self.term.clear_line().map_err(terminal_error)?;
            match check(&answer) {
                Ok(()) => {
                    let done =
                        self.format(|t, f| t.format_input_prompt_selection(f, prompt, &answer));
                    self.term.write_line(&done).map_err(terminal_error)?;
                    return Ok(answer);
                }
                Err(rule) => {
                    let refusal = self.format(|t, f| t.format_error(f, &rule));
                    self.term.write_line(&refusal).map_err(terminal_error)?;
                }
            }
        }
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Asked<usize> {
        let _raw = RawKeys::hold();
        let picked = Select::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term);
        cancelled_on_none(picked)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Asked<Vec<usize>> {
        let _raw = RawKeys::hold();
        let picked = MultiSelect::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .defaults(checked)
            .interact_on_opt(&self.term);
        cancelled_on_none(picked)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Asked<bool> {
        let _raw = RawKeys::hold();
        let answer = Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term);
        cancelled_on_none(answer)
    }

    fn show(&mut self, text: &str) -> Result<()> {
        self.term.write_line(text).map_err(terminal_error)
    }
}

/// The trimmed answer, or the default when nothing was typed.
pub(super) fn answer_or_default(typed: &str, default: Option<&str>) -> String {
    match typed.trim() {
        "" => default.unwrap_or_default().to_string(),
        answer => answer.to_string(),
    }
}

/// dialoguer's answer: `None` is Esc (or `q`), which goes back.
fn cancelled_on_none<T>(answer: dialoguer::Result<Option<T>>) -> Asked<T> {
    match answer {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(Stop::Back),
        Err(dialoguer::Error::IO(error)) => Err(terminal_error(error).into()),
    }
}

fn terminal_error(error: std::io::Error) -> Error {
    if error.kind() == std::io::ErrorKind::Interrupted {
        Error::Interrupted
    } else {
        Error::Write {
            path: "<terminal>".into(),
            message: error.to_string(),
        }
    }
}

/// A prompter that answers from a script, for tests of the wizard's flow.
#[cfg(test)]
pub(super) mod scripted {
    use std::collections::VecDeque;

    use super::{answer_or_default, Asked, Check, Prompter, Stop};
    use crate::error::Result;

    /// One scripted answer.
    #[derive(Debug, Clone)]
    pub(crate) enum Answer {
        /// Typed text (empty takes the default).
        Text(&'static str),
        /// The item whose label starts with this text.
        Pick(&'static str),
        /// The items whose labels start with these texts, and only those.
        Picks(&'static [&'static str]),
        /// Yes or no.
        Confirm(bool),
        /// Esc: back one question.
        Back,
        /// Ctrl-C.
        Cancel,
    }

    /// Answers questions from a list, recording what was shown and refused.
    #[derive(Debug, Default)]
    pub(crate) struct Scripted {
        answers: VecDeque<Answer>,
        /// Every question asked, in order.
        pub(crate) asked: Vec<String>,
        /// Every refusal, as shown to the user.
        pub(crate) refused: Vec<String>,
        /// Everything shown.
        pub(crate) shown: Vec<String>,
    }

    impl Scripted {
        /// A prompter that gives these answers in order.
        pub(crate) fn new(answers: impl IntoIterator<Item = Answer>) -> Scripted {
            Scripted {
                answers: answers.into_iter().collect(),
                ..Scripted::default()
            }
        }

        /// Whether every answer was used.
        pub(crate) fn done(&self) -> bool {
            self.answers.is_empty()
        }

        fn next(&mut self, prompt: &str) -> Answer {
            self.asked.push(prompt.to_string());
            match self.answers.pop_front() {
                Some(answer) => answer,
                None => panic!("the script has no answer left for {prompt:?}"),
            }
        }
    }

    fn index_of(items: &[String], label: &str, prompt: &str) -> usize {
        match items.iter().position(|item| item.starts_with(label)) {
            Some(index) => index,
            None => panic!("{prompt:?} has no item {label:?} in {items:?}"),
        }
    }

    impl Prompter for Scripted {
        fn text(&mut self, prompt: &str, default: Option<&str>, check: Check) -> Asked<String> {
            loop {
                match self.next(prompt) {
                    Answer::Text(typed) => {
                        let answer = answer_or_default(typed, default);
                        match check(&answer) {
                            Ok(()) => return Ok(answer),
                            Err(rule) => self.refused.push(rule),
                        }
                    }
                    Answer::Back => return Err(Stop::Back),
                    Answer::Cancel => return Err(Stop::Interrupted),
                    other => panic!("{prompt:?} wants text, the script has {other:?}"),
                }
            }
        }

        fn select(&mut self, prompt: &str, items: &[String], _default: usize) -> Asked<usize> {
            match self.next(prompt) {
                Answer::Pick(label) => Ok(index_of(items, label, prompt)),
                Answer::Back => Err(Stop::Back),
                Answer::Cancel => Err(Stop::Interrupted),
                other => panic!("{prompt:?} wants a pick, the script has {other:?}"),
            }
        }

        fn multi_select(
            &mut self,
            prompt: &str,
            items: &[String],
            _checked: &[bool],
        ) -> Asked<Vec<usize>> {
            match self.next(prompt) {
                Answer::Picks(labels) => {
                    let mut picked: Vec<usize> = labels
                        .iter()
                        .map(|label| index_of(items, label, prompt))
                        .collect();
                    picked.sort_unstable();
                    Ok(picked)
                }
                Answer::Back => Err(Stop::Back),
                Answer::Cancel => Err(Stop::Interrupted),
                other => panic!("{prompt:?} wants picks, the script has {other:?}"),
            }
        }

        fn confirm(&mut self, prompt: &str, _default: bool) -> Asked<bool> {
            match self.next(prompt) {
                Answer::Confirm(yes) => Ok(yes),
                Answer::Back => Err(Stop::Back),
                Answer::Cancel => Err(Stop::Interrupted),
                other => panic!("{prompt:?} wants yes or no, the script has {other:?}"),
            }
        }

        fn show(&mut self, text: &str) -> Result<()> {
            self.shown.push(text.to_string());
            Ok(())
        }
    }
}
