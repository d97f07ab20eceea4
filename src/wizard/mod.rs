//! The interactive front end of `podsmith new`: asks for the workload in the user's words,
//! shows what it will write, and writes the manifests plus the `podsmith.yaml` that reproduces
//! them.
//!
//! Answers are kept as raw flag values (a [`NewArgs`]) and turned into a `Spec` by
//! [`spec::from_flags`], so the wizard and the flags share every rule and the canonical pattern
//! order: same answers, same bytes. Each answer is checked as it is typed, by those same rules,
//! and asked again with the rule when it breaks one. Values given as flags are not asked again.
//! Nothing is written before the user confirms the summary; Ctrl-C, Esc or "quit" leave nothing
//! behind.

mod command_line;
mod prompter;
mod summary;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{ManifestFormat, NewArgs};
use crate::error::{Error, Result, EXIT_OK};
use crate::kube_version::KubeVersion;
use crate::names;
use crate::output;
use crate::patterns::declaration::{Answer, Choice, Declaration, Question};
use crate::patterns::declarations;
use crate::pipeline::{self, Generated};
use crate::render::Engine;
use crate::spec::{self, Spec, WorkloadKind, SPEC_FILE_NAME};

pub use command_line::{command_line, quote};
pub use prompter::{Check, Prompter, Terminal};

/// How `podsmith new` is used without a terminal.
const SCRIPTED_FORM: &str = "podsmith new NAME --image IMAGE [--port PORT] \
     [--wait-for HOST:PORT] [--log-sidecar] [--output-dir DIR] (see `podsmith new --help`)";

/// Whether `podsmith new` should ask rather than render from its flags: with `--interactive`,
/// or when NAME or `--image` is missing and it may ask. A complete command line renders
/// without asking, so it gives the same bytes on a terminal and in a pipe. `terminal` says
/// whether stdin and stderr are one; `never_ask` is `--no-interactive` or a CI environment.
/// Fails at once when it would have to ask and cannot.
pub fn wanted(args: &NewArgs, terminal: bool, never_ask: bool) -> Result<bool> {
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
pub fn in_ci() -> bool {
    std::env::var_os("CI")
        .is_some_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// Whether stdin and stderr (where the prompts are drawn) are both a terminal.
pub fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Runs the wizard on the terminal, pre-filled with `given`, and writes what the user confirms.
pub fn run(given: &NewArgs) -> Result<u8> {
    let engine = Engine::builtin();
    let mut terminal = Terminal::new();
    // console turns Ctrl-C at a prompt into an error, which ends the session cleanly; the
    // signal it raises on the way, or one that arrives between prompts, ends the process here
    // if the session has not ended by itself shortly after.
    let _ = ctrlc::set_handler(|| {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let _ = console::Term::stderr().show_cursor();
        eprintln!("\nerror: {}", Error::Interrupted);
        std::process::exit(i32::from(crate::error::EXIT_INTERRUPTED));
    });
    let fancy = terminal.fancy();
    let result = ask(given, &mut terminal, &engine, fancy)
        .and_then(|session| write(&session, &mut terminal));
    terminal.restore();
    result
}

/// What the user confirmed: the answers, the checked spec, its validated manifests, and where
/// they go.
#[derive(Debug)]
pub struct Session {
    /// The answers as flag values (the folder in `out`).
    pub answers: NewArgs,
    /// The spec they make.
    pub spec: Spec,
    /// Its manifests, validated.
    pub generated: Generated,
    /// The folder to write into.
    pub dir: PathBuf,
    /// Whether the user agreed to replace files already there.
    pub force: bool,
}

/// Asks every question not answered by `given`, then loops on the summary until the user
/// confirms it (or quits: [`Error::Interrupted`]).
pub fn ask(
    given: &NewArgs,
    prompter: &mut dyn Prompter,
    engine: &Engine,
    fancy: bool,
) -> Result<Session> {
    let mut answers = NewArgs {
        interactive: false,
        ..given.clone()
    };
    ask_app(&mut answers, prompter, Some(given))?;
    if !spec::has_patterns(given) {
        ask_patterns(&mut answers, prompter)?;
    }
    ask_target(&mut answers, prompter, Some(given))?;
    loop {
        if let Some(session) = review(&answers, prompter, engine, fancy)? {
            return Ok(session);
        }
        let sections = [
            "The app: name, image, kind, replicas, ports, security".to_string(),
            "The patterns".to_string(),
            "The Kubernetes version and the folder".to_string(),
        ];
        match prompter.select("What do you want to change", &sections, 0)? {
            0 => ask_app(&mut answers, prompter, None)?,
            1 => ask_patterns(&mut answers, prompter)?,
            _ => ask_target(&mut answers, prompter, None)?,
        }
    }
}

/// Whether to ask a question: always when going back (`given` is `None`), and on the first
/// pass only when the command line did not answer it.
fn unanswered(given: Option<&NewArgs>, answered: impl Fn(&NewArgs) -> bool) -> bool {
    given.is_none_or(|given| !answered(given))
}

fn ask_app(a: &mut NewArgs, p: &mut dyn Prompter, given: Option<&NewArgs>) -> Result<()> {
    let valid_name = |g: &NewArgs| {
        g.name
            .as_deref()
            .is_some_and(|n| names::dns_label(n).is_ok())
    };
    if unanswered(given, valid_name) {
        let name = p.text(
            "Name of the workload (lowercase letters, digits and `-`)",
            a.name.as_deref(),
            &|text| names::dns_label(text).map_err(|rule| refusal(text, &rule)),
        )?;
        a.name = Some(name);
    }
    let valid_image = |g: &NewArgs| g.image.as_deref().is_some_and(|i| names::image(i).is_ok());
    if unanswered(given, valid_image) {
        let image = p.text(
            "Container image of the app, e.g. ghcr.io/acme/web:1.4.2",
            a.image.as_deref(),
            &|text| names::image(text).map_err(|rule| refusal(text, &rule)),
        )?;
        a.image = Some(image);
    }
    if unanswered(given, |g| g.kind.is_some()) {
        let current = a
            .kind
            .as_deref()
            .and_then(|k| k.parse::<WorkloadKind>().ok())
            .unwrap_or_default();
        let items: Vec<String> = WorkloadKind::ALL
            .iter()
            .map(|kind| format!("{:<12} {}", kind.flag_name(), kind_description(*kind)))
            .collect();
        let default = WorkloadKind::ALL
            .iter()
            .position(|k| *k == current)
            .unwrap_or_default();
        let picked = p.select("Workload kind", &items, default)?;
        a.kind = WorkloadKind::ALL
            .get(picked)
            .map(|kind| kind.flag_name().to_string());
    }
    let kind = a
        .kind
        .as_deref()
        .and_then(|k| k.parse::<WorkloadKind>().ok())
        .unwrap_or_default();
    if !kind.has_replicas() {
        a.replicas = None;
    } else if unanswered(given, |g| g.replicas.is_some()) {
        let default = a.replicas.clone().unwrap_or_else(|| "1".into());
        let base = a.clone();
        let replicas = p.text("Replicas (pods to run)", Some(&default), &|text| {
            refused_by(&base, &["--replicas"], |t| t.replicas = Some(text.into()))
        })?;
        a.replicas = Some(replicas);
    }
    if unanswered(given, |g| !g.ports.is_empty()) {
        let default = match (a.ports.is_empty(), given.is_some()) {
            (false, _) => a.ports.join(", "),
            (true, true) => "8080".into(),
            (true, false) => NONE.into(),
        };
        let base = a.clone();
        let ports = p.text(
            "Ports the app listens on, [NAME=]PORT[/PROTOCOL], comma-separated, or none",
            Some(&default),
            &|text| refused_by(&base, &["--port"], |t| t.ports = list(text)),
        )?;
        a.ports = list(&ports);
    }
    if unanswered(given, |g| g.security.is_some()) {
        ask_security(a, p)?;
    }
    Ok(())
}

/// The app container's Pod Security Standards level, in plain words, and what `restricted`
/// needs that podsmith cannot know.
fn ask_security(a: &mut NewArgs, p: &mut dyn Prompter) -> Result<()> {
    use crate::security::Profile;
    let items: Vec<String> = Profile::ALL
        .iter()
        .map(|profile| match profile {
            Profile::Baseline => "baseline     runs any image as it is: its own user, a writable filesystem",
            Profile::Restricted => "restricted   locked down: a fixed non-root user, a read-only filesystem, no privileges",
        })
        .map(String::from)
        .collect();
    let current = a
        .security
        .as_deref()
        .and_then(|s| s.parse::<Profile>().ok())
        .unwrap_or_default();
    let default = Profile::ALL
        .iter()
        .position(|p| *p == current)
        .unwrap_or_default();
    let picked = p.select("How locked down the app container runs", &items, default)?;
    let profile = Profile::ALL.get(picked).copied().unwrap_or_default();
    a.security = (profile != Profile::Baseline).then(|| profile.as_str().to_string());
    if profile == Profile::Baseline {
        a.run_as_user = None;
        a.writable.clear();
        return Ok(());
    }
    let image = a.image.clone().unwrap_or_default();
    if crate::security::known_user(&image).is_none() || a.run_as_user.is_some() {
        let user = p.text(
            "The numeric user the image runs as, UID[:GID] (its Dockerfile's USER as a number, not a name)",
            a.run_as_user.as_deref(),
            &|text| {
                required(text, "give a number such as 10001 or 10001:10001")?;
                match crate::security::parse_user(text) {
                    Err(rule) => Err(refusal(text, &rule)),
                    Ok((0, _)) => Err(refusal(text, "a locked-down app runs as a non-root user")),
                    Ok(_) => Ok(()),
                }
            },
        )?;
        a.run_as_user = Some(user);
    }
    let default = match a.writable.is_empty() {
        true => NONE.to_string(),
        false => a.writable.join(", "),
    };
    let base = a.clone();
    let writable = p.text(
        "Other folders the app writes to, comma-separated, or none (/tmp stays writable)",
        Some(&default),
        &|text| refused_by(&base, &["--writable"], |t| t.writable = list(text)),
    )?;
    a.writable = list(&writable);
    Ok(())
}

/// The word that answers a list question with an empty list.
const NONE: &str = "none";

/// Splits a comma-separated answer; `none` is the empty list.
fn list(text: &str) -> Vec<String> {
    if text.trim().eq_ignore_ascii_case(NONE) {
        return Vec::new();
    }
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(String::from)
        .collect()
}

fn kind_description(kind: WorkloadKind) -> &'static str {
    match kind.flag_name() {
        "deployment" => "replicated pods with rolling updates (most apps)",
        "pod" => "a single bare pod (experiments, one-offs)",
        _ => "",
    }
}

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

fn ask_patterns(a: &mut NewArgs, p: &mut dyn Prompter) -> Result<()> {
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

fn ask_target(a: &mut NewArgs, p: &mut dyn Prompter, given: Option<&NewArgs>) -> Result<()> {
    if unanswered(given, |g| g.kube_version.is_some()) {
        let mut versions: Vec<KubeVersion> = KubeVersion::all().collect();
        versions.reverse();
        let items: Vec<String> = versions
            .iter()
            .map(|v| match *v == KubeVersion::NEWEST {
                true => format!("{v} (newest)"),
                false => v.to_string(),
            })
            .collect();
        let current = a
            .kube_version
            .as_deref()
            .and_then(|v| v.parse::<KubeVersion>().ok())
            .unwrap_or_default();
        let default = versions
            .iter()
            .position(|v| *v == current)
            .unwrap_or_default();
        let picked = p.select("Kubernetes version of the cluster", &items, default)?;
        a.kube_version = versions.get(picked).map(ToString::to_string);
    }
    if unanswered(given, |g| g.out.is_some()) {
        let default = a
            .out
            .as_ref()
            .map(|dir| dir.display().to_string())
            .or_else(|| a.name.clone())
            .unwrap_or_else(|| ".".into());
        let dir = p.text(
            "Folder to write the manifests and podsmith.yaml into",
            Some(&default),
            &|text| {
                required(text, "give a folder")?;
                match Path::new(text).is_file() {
                    true => Err(format!("`{text}` is a file, not a folder")),
                    false => Ok(()),
                }
            },
        )?;
        a.out = Some(PathBuf::from(dir));
    }
    Ok(())
}

/// Checks the answers, shows the summary and asks what to do. `None` means "go back".
fn review(
    answers: &NewArgs,
    p: &mut dyn Prompter,
    engine: &Engine,
    fancy: bool,
) -> Result<Option<Session>> {
    let checked = spec::from_flags(answers)
        .and_then(|spec| pipeline::generate(&spec, engine).map(|generated| (spec, generated)));
    let (spec, generated) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            p.show(&format!("error: {error}"))?;
            let choices = [
                "Go back and change an answer".to_string(),
                "Quit without writing".to_string(),
            ];
            return match p.select("What now", &choices, 0)? {
                0 => Ok(None),
                _ => Err(Error::Interrupted),
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
        "Go back and change an answer".to_string(),
        "Quit without writing".to_string(),
    ];
    match p.select("Write these files", &choices, 0)? {
        0 => {}
        1 => return Ok(None),
        _ => return Err(Error::Interrupted),
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
        if !p.confirm(&question, false)? {
            return Ok(None);
        }
    }
    Ok(Some(Session {
        answers: answers.clone(),
        spec,
        generated,
        dir,
        force,
    }))
}

/// Writes the manifests and the spec file together (all or nothing), then shows how to get the
/// same files without the wizard.
pub fn write(session: &Session, p: &mut dyn Prompter) -> Result<u8> {
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

/// Refuses an answer that `from_flags` rejects for one of `flags`, once `set` is applied to
/// the answers so far. Problems that involve other answers are left to the summary.
fn refused_by(
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
fn refusal(value: &str, rule: &str) -> String {
    match value {
        "" => rule.to_string(),
        _ => format!("`{value}`: {rule}"),
    }
}

fn required(text: &str, rule: &str) -> std::result::Result<(), String> {
    match text.trim().is_empty() || text.trim().eq_ignore_ascii_case(NONE) {
        true => Err(rule.to_string()),
        false => Ok(()),
    }
}

fn non_empty(text: &str) -> Option<&str> {
    Some(text).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
