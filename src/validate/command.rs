//! `podsmith validate`: reads files, folders (recursively) or stdin, validates every document
//! on all cores, and prints the findings in the format asked for, file by file as they finish,
//! in input order.
//!
//! Memory does not grow with the input: files are checked in windows of [`WINDOW_FILES`] and
//! only their findings wait to be printed; a file longer than [`CHUNK_BYTES`] (and stdin) is
//! read a slice of whole documents at a time; the formats keep counters, not findings.
//!
//! A path that cannot be read or decoded is an `unreadable` finding of its own, and every other
//! file is still checked and printed.
//!
//! Exit codes: 0 when no finding is an error (warnings too, under `--strict`), 1 otherwise, 2 on
//! a usage error, an unreadable input, or paths that hold no manifest (unless `--allow-empty`).
//! A closed stdout (`| head`) ends the output quietly.

use std::collections::BTreeSet;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use rayon::prelude::*;

use super::formats::{self, Counts, Format};
use crate::cli::ValidateArgs;
use crate::error::{Error, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::kube_version::KubeVersion;
use crate::project::Project;
use crate::validate::{rules, validate_stream, Finding, Options, Report, Severity};

mod inputs;
mod listing;

use inputs::{read_failure, Input, Inputs, Slices};

/// How many files are checked together before their findings are printed.
const WINDOW_FILES: usize = 512;
/// Files longer than this are read and checked a slice of documents at a time.
/// Small enough that the findings a slice of small documents holds until it is printed stay a
/// few megabytes (a 4 MiB slice of short Deployments held about 100 MB of warnings), large
/// enough to give every core hundreds of documents.
const CHUNK_BYTES: u64 = 256 << 10;

/// Runs `podsmith validate` and returns its exit code.
pub(crate) fn run(args: &ValidateArgs) -> Result<u8, Error> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let project = Project::find(args.config.as_deref(), &cwd)?;
    let options = options(args, &project)?;
    let paths = paths(args)?;
    let mut run = Run {
        options,
        strict: args.strict || project.strict,
        quiet: args.quiet,
        counts: Counts::default(),
        unreadable: 0,
        format: formats::new(args.output, args.quiet).map_err(write_error)?,
        out: BufWriter::new(io::stdout().lock()),
    };
    match run.check(&paths) {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
        Err(error) => return Err(write_error(error)),
        Ok(()) => {}
    }
    eprintln!("{}", run.counts.summary());
    if run.counts.documents == 0 && run.unreadable == 0 && !args.allow_empty {
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::Usage(format!(
            "no manifest found in {} (files *.yaml, *.yml or *.json holding a document); \
             --allow-empty accepts that",
            paths.join(", ")
        )));
    }
    Ok(if run.unreadable > 0 {
        EXIT_USAGE
    } else if run.counts.errors > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}

fn write_error(error: io::Error) -> Error {
    Error::Write {
        path: PathBuf::from("-"),
        message: error.to_string(),
    }
}

/// The paths to read: the arguments, or stdin when there are none and it is not a terminal
/// (where podsmith would wait silently for text the user does not know to type).
fn paths(args: &ValidateArgs) -> Result<Vec<PathBuf>, Error> {
    let stdin_terminal = io::stdin().is_terminal();
    if args.paths.is_empty() {
        if stdin_terminal {
            return Err(Error::Usage(
                "no manifests to check: name files or folders (`podsmith validate deploy/`) \
                 or pipe them in (`kubectl get deploy -o yaml | podsmith validate`)"
                    .to_string(),
            ));
        }
        return Ok(vec![PathBuf::from("-")]);
    }
    if stdin_terminal && args.paths.iter().any(|path| path.as_os_str() == "-") {
        eprintln!("reading manifests from the terminal; end with Ctrl-D");
    }
    Ok(args.paths.clone())
}

fn options(args: &ValidateArgs, project: &Project) -> Result<Options, Error> {
    let kube_version = match (&args.kube_version, &project.kube_version) {
        (Some(text), _) => text
            .parse::<KubeVersion>()
            .map_err(|e| Error::invalid("--kube-version", text, e.to_string()))?,
        (None, Some(text)) => text
            .parse::<KubeVersion>()
            .map_err(|e| Error::invalid(project.field("kubeVersion"), text, e.to_string()))?,
        (None, None) => KubeVersion::default(),
    };
    let mut skip = BTreeSet::new();
    let given = project
        .skip
        .iter()
        .map(|id| (project.field("skip"), id))
        .chain(args.skip.iter().map(|id| ("--skip".to_string(), id)));
    for (field, id) in given {
        if rules::find(id).is_none() {
            return Err(Error::invalid(field, id, unknown_rule(id)));
        }
        skip.insert(id.clone());
    }
    Ok(Options {
        kube_version,
        skip,
        reject_unknown_kinds: args.reject_unknown_kinds,
    })
}

/// Why `id` is refused: no rule has it, and where to look.
pub(crate) fn unknown_rule(id: &str) -> String {
    let closest = rules::ALL
        .iter()
        .map(|r| (strsim::levenshtein(id, r.id), r.id))
        .min()
        .filter(|(distance, _)| *distance <= 3);
    match closest {
        Some((_, near)) => format!("no rule has this ID (did you mean `{near}`?)"),
        None => "no rule has this ID (`podsmith rules` lists them)".to_string(),
    }
}

/// One validation run: what it checks by, what it has counted, where it prints.
struct Run<'a> {
    options: Options,
    strict: bool,
    quiet: bool,
    counts: Counts,
    /// How many inputs could not be read or decoded.
    unreadable: usize,
    format: Box<dyn Format>,
    out: BufWriter<io::StdoutLock<'a>>,
}

/// Inputs as they are checked: up to [`WINDOW_FILES`] short files together, then the input
/// that ended the batch early, if any: a long file (or stdin), or a path that cannot be read
/// (its name and why).
struct Batch {
    files: Vec<Input>,
    then: Option<Result<Input, (String, String)>>,
}

impl Batch {
    /// The next batch of `inputs`, or `None` when none is left.
    fn next(inputs: &mut Inputs) -> Option<Batch> {
        let mut files = Vec::new();
        let mut then = None;
        for input in inputs.by_ref() {
            match input {
                Ok(input) if !input.is_long() => files.push(input),
                other => {
                    then = Some(other);
                    break;
                }
            }
            if files.len() == WINDOW_FILES {
                break;
            }
        }
        (!files.is_empty() || then.is_some()).then_some(Batch { files, then })
    }
}

/// Checks short files on all cores; their reports in the files' order.
fn check_files(files: &[Input], options: &Options) -> Vec<Result<Report, String>> {
    files
        .par_iter()
        .map(|input| Ok(validate_stream(&input.read()?, &input.name, options)))
        .collect()
}

impl Run<'_> {
    /// Checks every input in order; the error is the output's (a closed pipe ends the run
    /// quietly). While the files of one batch are checked, the walk finds the next batch: its
    /// listings and the length of each file are system calls that would otherwise leave the
    /// other cores waiting.
    fn check(&mut self, paths: &[PathBuf]) -> io::Result<()> {
        self.format.begin(&mut self.out)?;
        let mut inputs = Inputs::new(paths);
        let mut batch = Batch::next(&mut inputs);
        while let Some(current) = batch {
            let options = &self.options;
            let (reports, next) = rayon::join(
                || check_files(&current.files, options),
                || Batch::next(&mut inputs),
            );
            self.print_files(&current.files, reports)?;
            match current.then {
                Some(Err((name, message))) => self.unreadable(&name, message)?,
                Some(Ok(long)) => self.check_long(&long)?,
                None => {}
            }
            batch = next;
        }
        self.format.end(&mut self.out, &self.counts)?;
        self.out.flush()
    }

    /// Reports an input that cannot be read or decoded, as a finding of its own.
    fn unreadable(&mut self, name: &str, message: String) -> io::Result<()> {
        self.unreadable += 1;
        self.counts.files += 1;
        let finding = Finding {
            severity: rules::UNREADABLE.severity,
            rule: rules::UNREADABLE.id.to_string(),
            file: name.to_string(),
            line: 1,
            object: "-".to_string(),
            path: "-".to_string(),
            message,
        };
        self.emit(Report {
            findings: vec![finding],
            ..Report::default()
        })?;
        self.format.file_done(&mut self.out, name)
    }

    /// Prints the findings of short files, in order.
    fn print_files(
        &mut self,
        files: &[Input],
        reports: Vec<Result<Report, String>>,
    ) -> io::Result<()> {
        for (input, report) in files.iter().zip(reports) {
            match report {
                Ok(report) => {
                    self.counts.files += 1;
                    self.emit(report)?;
                    self.format.file_done(&mut self.out, &input.name)?;
                }
                Err(message) => self.unreadable(&input.name, message)?,
            }
        }
        Ok(())
    }

    /// Checks a long file or stdin a slice of whole documents at a time, printing each slice's
    /// findings before reading on.
    fn check_long(&mut self, input: &Input) -> io::Result<()> {
        let reader = match input.open() {
            Ok(reader) => reader,
            Err(message) => return self.unreadable(&input.name, message),
        };
        let mut slices = Slices::new(reader);
        loop {
            match slices.next_slice() {
                Ok(Some(slice)) => {
                    let mut report = validate_stream(&slice.text, &input.name, &self.options);
                    for finding in &mut report.findings {
                        finding.line += slice.first_line - 1;
                    }
                    for skipped in &mut report.skipped {
                        skipped.line += slice.first_line - 1;
                    }
                    self.emit(report)?;
                }
                Ok(None) => break,
                Err(error) => return self.unreadable(&input.name, read_failure(&error)),
            }
        }
        self.counts.files += 1;
        self.format.file_done(&mut self.out, &input.name)
    }

    /// Counts one report and hands what is to be shown to the format.
    fn emit(&mut self, mut report: Report) -> io::Result<()> {
        if self.strict {
            for finding in &mut report.findings {
                finding.severity = Severity::Error;
            }
        }
        self.counts.add(&report);
        if self.quiet {
            report.findings.retain(|f| f.severity == Severity::Error);
        }
        self.format.part(&mut self.out, &report)
    }
}
