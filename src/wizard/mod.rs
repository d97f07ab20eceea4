//! The interactive front end of `podsmith new`: asks for the workload in the user's words,
//! shows what it will write, and writes the manifests plus the `podsmith.yaml` that reproduces
//! them.
//!
//! Answers are kept as raw flag values (a [`NewArgs`]) and turned into a `Spec` by
//! [`spec::from_flags`], so the wizard and the flags share every rule and the canonical pattern
//! order: same answers, same bytes. Each answer is checked as it is typed, by those same rules,
//! and asked again with the rule when it breaks one. Values given as flags are not asked on the
//! first pass. Esc goes back one question; any answer can be changed from the summary. Nothing
//! is written before the user confirms the summary; quitting (exit 0) or Ctrl-C (exit 130)
//! leaves nothing behind.

mod answers;
mod command_line;
mod line;
mod patterns;
mod prompter;
mod questions;
mod raw_keys;
mod steps;
mod summary;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{ManifestFormat, NewArgs};
use crate::error::{Error, Result, EXIT_OK};
use crate::output;
use crate::pipeline::{self, Generated};
use crate::render::Engine;
use crate::spec::{self, Spec, SPEC_FILE_NAME};

pub(crate) use command_line::{command_line, quote};
pub(crate) use prompter::{Asked, Prompter, Stop, Terminal};
use steps::Step;

/// How `podsmith new` is used without a terminal.
const SCRIPTED_FORM: &str = "podsmith new NAME --image IMAGE [--port PORT] \
     [--wait-for HOST:PORT] [--log-sidecar] [--output-dir DIR] (see `podsmith new --help`)";

/// Whether `podsmith new` should ask rather than render from its flags: with `--interactive`,
/// or when NAME or `--image` is missing and it may ask. A complete command line renders
/// without asking, so it gives the same bytes on a terminal and in a pipe. `terminal` says
/// whether stdin and stderr are one; `never_ask` is `--no-interactive` or a CI environment.
/// Fails at once when it would have to ask and cannot.
pub(crate) fn wanted(args: &NewArgs, terminal: bool, never_ask: bool) -> Result<bool> {
    if args.interactive {
        return if terminal {
            Ok(true)
        } else {
            Err(Error::Usage(format!(
                "`--interactive` needs a terminal to ask on; give the workload as flags: \
                 {SCRIPTED_FORM}"
            )))
        };
    }
    let missing: Vec<&str> = [
        ("NAME", args.name.is_none()),
        ("--image", args.image.is_none()),
    ]
    .into_iter()
    .filter_map(|(what, missing)| missing.then_some(what))
    .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let why = match (never_ask, terminal) {
        (false, true) => return Ok(true),
        (true, _) if in_ci() && !args.no_interactive => "CI is set, so podsmith never asks",
        (true, _) => "--no-interactive never asks",
        (false, false) => "no terminal to ask on",
    };
    Err(Error::Usage(format!(
        "missing {}; {why}: give the workload as flags: {SCRIPTED_FORM}",
        missing.join(" and ")
    )))
}

/// Whether podsmith runs in a CI job (`CI` set to anything but `false` or `0`, as GitHub
/// Actions, GitLab and most CI services do), where it never asks.
pub(crate) fn in_ci() -> bool {
    std::env::var_os("CI")
        .is_some_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// Whether stdin and stderr (where the prompts are drawn) are both a terminal.
pub(crate) fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Runs the wizard on the terminal, pre-filled with `given`, and writes what the user confirms.
pub(crate) fn run(given: &NewArgs) -> Result<u8> {
    let engine = Engine::builtin();
    let mut terminal = Terminal::new();
    // console turns Ctrl-C at a prompt into an error, which ends the session cleanly; the
    // signal it raises on the way, or one that arrives between prompts, ends the process here
    // if the session has not ended by itself shortly after.
    let _ = ctrlc::set_handler(|| {
        std::thread::sleep(std::time::Duration::from_millis(500));
        raw_keys::restore();
        let _ = console::Term::stderr().show_cursor();
        eprintln!("\nerror: {}", Error::Interrupted);
        std::process::exit(i32::from(crate::error::EXIT_INTERRUPTED));
    });
    let fancy = terminal.fancy();
    let result = match ask(given, &mut terminal, &engine, fancy) {
        Ok(Some(session)) => write(&session, &mut terminal),
        Ok(None) => terminal
            .show("Quit: nothing was written.")
            .map(|()| EXIT_OK),
        Err(error) => Err(error),
    };
    terminal.restore();
    result
}

/// What the user confirmed: the answers, the checked spec, its validated manifests, and where
/// they go.
#[derive(Debug)]
pub(crate) struct Session {
    /// The answers as flag values (the folder in `out`).
    pub(crate) answers: NewArgs,
    /// The spec they make.
    pub(crate) spec: Spec,
    /// Its manifests, validated.
    pub(crate) generated: Generated,
    /// The folder to write into.
    pub(crate) dir: PathBuf,
    /// Whether the user agreed to replace files already there.
    pub(crate) force: bool,
}

/// Asks every question the command line did not answer, then loops on the summary until the
/// user writes (`Some`) or quits (`None`). Ctrl-C is [`Error::Interrupted`].
pub(crate) fn ask(
    given: &NewArgs,
    prompter: &mut dyn Prompter,
    engine: &Engine,
    fancy: bool,
) -> Result<Option<Session>> {
    let mut flow = Flow::new(given);
    loop {
        let outcome = match flow.next_step() {
            Some(step) => flow.ask(step, prompter),
            None => match review(&flow.answers, prompter, engine, fancy) {
                Ok(Review::Write(session)) => return Ok(Some(*session)),
                Ok(Review::Quit) => return Ok(None),
                Ok(Review::Change) => flow.change(prompter),
                Ok(Review::Stay) => Ok(()),
                Err(stop) => Err(stop),
            },
        };
        match outcome {
            Ok(()) => {}
            Err(Stop::Back) => {
                if !flow.back() && quit_asked(prompter)? {
                    return Ok(None);
                }
            }
            Err(Stop::Interrupted) => return Err(Error::Interrupted),
            Err(Stop::Failed(error)) => return Err(error),
        }
    }
}

/// Where the wizard is: the answers, which questions it has been through (asked, or answered
/// by a flag) and the ones it asked, newest last, for Esc to step back through.
struct Flow<'a> {
    given: &'a NewArgs,
    answers: NewArgs,
    ticked: Vec<bool>,
    visited: Vec<Step>,
    asked: Vec<Step>,
    /// A question picked from the summary, asked even though a flag answered it.
    forced: Option<Step>,
}

impl<'a> Flow<'a> {
    fn new(given: &'a NewArgs) -> Flow<'a> {
        Flow {
            given,
            answers: NewArgs {
                interactive: false,
                ..given.clone()
            },
            ticked: patterns::ticked_in(given),
            visited: Vec::new(),
            asked: Vec::new(),
            forced: None,
        }
    }

    fn sequence(&self) -> Vec<Step> {
        steps::sequence(&self.answers, &self.ticked)
    }

    /// The first question of the sequence not yet gone through; `None` means the summary.
    fn next_step(&self) -> Option<Step> {
        self.sequence()
            .into_iter()
            .find(|step| !self.visited.contains(step))
    }

    /// Asks `step` unless a flag answered it. Questions an answer brings in (a CronJob's
    /// schedule, a ticked pattern's questions) are asked next, even if seen before.
    fn ask(&mut self, step: Step, p: &mut dyn Prompter) -> Asked<()> {
        self.visited.push(step);
        let forced = self.forced.take() == Some(step);
        if !forced && steps::given(step, self.given) {
            return Ok(());
        }
        let before = self.sequence();
        let answered = match step {
            Step::Patterns => patterns::ask_list(&mut self.answers, p, &self.ticked)
                .map(|ticked| self.ticked = ticked),
            _ => questions::ask(step, &mut self.answers, p),
        };
        match answered {
            Ok(()) => {
                self.asked.push(step);
                let brought_in: Vec<Step> = self
                    .sequence()
                    .into_iter()
                    .filter(|s| !before.contains(s))
                    .collect();
                self.visited.retain(|s| !brought_in.contains(s));
                Ok(())
            }
            // Back from a question picked on the summary returns to the summary.
            Err(Stop::Back) if forced => Ok(()),
            Err(stop) => {
                self.visited.retain(|s| *s != step);
                Err(stop)
            }
        }
    }

    /// Steps back to the last question asked; `false` when there is none.
    fn back(&mut self) -> bool {
        match self.asked.pop() {
            Some(step) => {
                self.visited.retain(|s| *s != step);
                true
            }
            None => false,
        }
    }

    /// Lets the user pick any answer to change from the summary.
    fn change(&mut self, p: &mut dyn Prompter) -> Asked<()> {
        let sequence = self.sequence();
        let items: Vec<String> = sequence
            .iter()
            .map(|step| match step {
                Step::Patterns => format!(
                    "{:<20} {}",
                    "Patterns",
                    patterns::labels(&self.ticked).join(", ")
                ),
                _ => steps::describe(*step, &self.answers),
            })
            .collect();
        match p.select("Which answer do you want to change", &items, 0) {
            Ok(index) => {
                if let Some(step) = sequence.get(index) {
                    self.visited.retain(|s| s != step);
                    self.forced = Some(*step);
                }
                Ok(())
            }
            Err(Stop::Back) => Ok(()),
            Err(stop) => Err(stop),
        }
    }
}

/// Esc at the first question: quit, after asking.
fn quit_asked(p: &mut dyn Prompter) -> Result<bool> {
    match p.confirm(
        "This is the first question. Quit without writing anything?",
        false,
    ) {
        Ok(quit) => Ok(quit),
        Err(Stop::Back) => Ok(false),
        Err(Stop::Interrupted) => Err(Error::Interrupted),
        Err(Stop::Failed(error)) => Err(error),
    }
}

/// What the user chose on the summary.
enum Review {
    /// Write the files (boxed: a session holds the rendered manifests).
    Write(Box<Session>),
    /// Pick an answer to change.
    Change,
    /// Show the summary again.
    Stay,
    Quit,
}

/// Checks the answers, shows the summary and asks what to do. Esc goes back to the last
/// question asked.
fn review(answers: &NewArgs, p: &mut dyn Prompter, engine: &Engine, fancy: bool) -> Asked<Review> {
    let checked = spec::from_flags(answers)
        .and_then(|spec| pipeline::generate(&spec, engine).map(|generated| (spec, generated)));
    let (spec, generated) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            p.show(&format!("error: {error}"))?;
            let choices = [
                "Change an answer".to_string(),
                "Quit without writing".to_string(),
            ];
            return match p.select("What now", &choices, 0)? {
                0 => Ok(Review::Change),
                _ => Ok(Review::Quit),
            };
        }
    };
    let dir = answers.out.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut files: Vec<String> = generated
        .rendered
        .documents
        .iter()
        .map(|d| output::file_name(d, ManifestFormat::Yaml))
        .collect();
    files.push(SPEC_FILE_NAME.to_string());
    p.show(&summary::summary(&spec, &generated, &dir, &files, fancy))?;
    let choices = [
        "Write them".to_string(),
        "Change an answer".to_string(),
        "Quit without writing".to_string(),
    ];
    match p.select("Write these files", &choices, 0)? {
        0 => {}
        1 => return Ok(Review::Change),
        _ => return Ok(Review::Quit),
    }
    let existing: Vec<&str> = files
        .iter()
        .filter(|file| dir.join(file).exists())
        .map(String::as_str)
        .collect();
    let force = !existing.is_empty();
    if force && !answers.force {
        let question = format!(
            "{} already has {}. Replace?",
            dir.display(),
            existing.join(", ")
        );
        match p.confirm(&question, false) {
            Ok(true) => {}
            Ok(false) | Err(Stop::Back) => return Ok(Review::Stay),
            Err(stop) => return Err(stop),
        }
    }
    Ok(Review::Write(Box::new(Session {
        answers: answers.clone(),
        spec,
        generated,
        dir,
        force,
    })))
}

/// Writes the manifests and the spec file together (all or nothing), then shows how to get the
/// same files without the wizard.
pub(crate) fn write(session: &Session, p: &mut dyn Prompter) -> Result<u8> {
    let spec_text = spec::to_text(&session.spec)?;
    let mut files: Vec<(PathBuf, &str)> = session
        .generated
        .rendered
        .documents
        .iter()
        .map(|d| {
            let name = output::file_name(d, ManifestFormat::Yaml);
            (session.dir.join(name), d.text.as_str())
        })
        .collect();
    let spec_path = session.dir.join(SPEC_FILE_NAME);
    files.push((spec_path.clone(), &spec_text));
    let written = output::write_all_atomically(&files, &session.dir, session.force)?;
    let mut report = String::new();
    for path in written {
        report.push_str(&format!("wrote {}\n", path.display()));
    }
    report.push_str(&format!(
        "\nThe same files from a script or CI:\n  {}\nor from the spec file:\n  {}",
        command_line(&session.answers),
        command_line::render_line(&spec_path, &session.dir),
    ));
    p.show(&report)?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests;
