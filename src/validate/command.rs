//! `podsmith validate`: reads files, folders (recursively) or stdin, validates every document
//! on all cores, and prints the findings as text or JSON.
//!
//! Exit codes: 0 when no finding is an error (warnings too, under `--strict`), 1 otherwise, 2 on
//! a usage error, when a path cannot be read or decoded (every other file is still validated and
//! printed), or when the paths hold no manifest (unless `--allow-empty`). A closed stdout
//! (`| head`) ends the output quietly.

use std::collections::BTreeSet;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{ReportFormat, ValidateArgs};
use crate::error::{Error, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::kube_version::KubeVersion;
use crate::validate::{rules, validate_stream, Finding, Options, Report, Severity, Skipped};
use crate::yaml;

/// Runs `podsmith validate` and returns its exit code.
pub fn run(args: &ValidateArgs) -> Result<u8, Error> {
    let options = options(args)?;
    let (inputs, mut unreadable) = inputs(&args.paths);
    let results: Vec<Result<Report, Unreadable>> = inputs
        .par_iter()
        .map(|input| {
            let text = input.read()?;
            Ok(validate_stream(&text, &input.name, &options))
        })
        .collect();
    let mut report = Report::default();
    for result in results {
        match result {
            Ok(mut one) => {
                report.documents += one.documents;
                report.findings.append(&mut one.findings);
                report.skipped.append(&mut one.skipped);
            }
            Err(failed) => unreadable.push(failed),
        }
    }
    if report.documents == 0 && unreadable.is_empty() && !args.allow_empty {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::Usage(format!(
            "no manifest found in {} (files *.yaml, *.yml or *.json holding a document); --allow-empty accepts that",
            paths.join(", ")
        )));
    }
    if args.strict {
        for finding in &mut report.findings {
            finding.severity = Severity::Error;
        }
    }
    let code = if !unreadable.is_empty() {
        EXIT_USAGE
    } else if report.count(Severity::Error) > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    };
    let files = inputs.len() + unreadable.len() - unreadable.iter().filter(|u| u.listed).count();
    match print(&report, &unreadable, files, args) {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(error) => Err(Error::Write {
            path: PathBuf::from("-"),
            message: error.to_string(),
        }),
        Ok(()) => Ok(code),
    }
}

/// A path that could not be read or decoded; the other files are validated all the same.
#[derive(Debug, Clone, Serialize)]
struct Unreadable {
    /// The path, as given or found in a folder.
    file: String,
    /// Why it cannot be read.
    message: String,
    /// Whether it is also among the inputs counted as files.
    #[serde(skip)]
    listed: bool,
}

fn options(args: &ValidateArgs) -> Result<Options, Error> {
    let kube_version = match &args.kube_version {
        Some(text) => text
            .parse::<KubeVersion>()
            .map_err(|e| Error::invalid("--kube-version", text, e.to_string()))?,
        None => KubeVersion::default(),
    };
    let mut skip = BTreeSet::new();
    for id in &args.skip {
        if rules::find(id).is_none() {
            let closest = rules::ALL
                .iter()
                .map(|r| (strsim::levenshtein(id, r.id), r.id))
                .min()
                .filter(|(distance, _)| *distance <= 3);
            let hint = match closest {
                Some((_, near)) => format!("no rule has this ID (did you mean `{near}`?)"),
                None => "no rule has this ID; the rules are listed in docs/rules.md".to_string(),
            };
            return Err(Error::invalid("--skip", id, hint));
        }
        skip.insert(id.clone());
    }
    Ok(Options { kube_version, skip })
}

/// One input: a file or stdin.
struct Input {
    name: String,
    path: Option<PathBuf>,
}

impl Input {
    /// The input's text, decoded as kubectl decodes it (a byte-order mark dropped).
    fn read(&self) -> Result<String, Unreadable> {
        let failed = |message: String| Unreadable {
            file: self.name.clone(),
            message,
            listed: true,
        };
        let bytes = match &self.path {
            Some(path) => std::fs::read(path),
            None => {
                let mut bytes = Vec::new();
                io::stdin().read_to_end(&mut bytes).map(|_| bytes)
            }
        }
        .map_err(|error| failed(format!("cannot read: {error}")))?;
        yaml::decode(bytes).map_err(|error| failed(format!("cannot decode: {}", error.message)))
    }
}

/// The files named on the command line, folders expanded (recursively, sorted), in order; and
/// the paths that cannot be read.
fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Unreadable>) {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input {
                name: "<stdin>".to_string(),
                path: None,
            });
            continue;
        }
        let failed = |error: io::Error| Unreadable {
            file: path.display().to_string(),
            message: format!("cannot read: {error}"),
            listed: false,
        };
        match std::fs::metadata(path) {
            Err(error) => unreadable.push(failed(error)),
            Ok(metadata) if metadata.is_dir() => walk(path, &mut out, &mut unreadable),
            Ok(_) => out.push(Input {
                name: path.display().to_string(),
                path: Some(path.clone()),
            }),
        }
    }
    (out, unreadable)
}

fn walk(folder: &Path, out: &mut Vec<Input>, unreadable: &mut Vec<Unreadable>) {
    let listing = std::fs::read_dir(folder).and_then(|entries| {
        entries
            .map(|entry| {
                let entry = entry?;
                // The entry's own type avoids a stat per file; a symlink is followed.
                let is_dir = match entry.file_type()? {
                    kind if kind.is_symlink() => entry.path().is_dir(),
                    kind => kind.is_dir(),
                };
                Ok((entry.path(), is_dir))
            })
            .collect::<Result<Vec<_>, io::Error>>()
    });
    let mut entries = match listing {
        Ok(entries) => entries,
        Err(error) => {
            unreadable.push(Unreadable {
                file: folder.display().to_string(),
                message: format!("cannot read the folder: {error}"),
                listed: false,
            });
            return;
        }
    };
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            walk(&path, out, unreadable);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["yaml", "yml", "json"].contains(&e))
        {
            out.push(Input {
                name: path.display().to_string(),
                path: Some(path),
            });
        }
    }
}

#[derive(Serialize)]
struct Counts {
    files: usize,
    unreadable: usize,
    documents: usize,
    errors: usize,
    warnings: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    unreadable: &'a [Unreadable],
    findings: Vec<&'a Finding>,
    skipped: &'a [Skipped],
    counts: Counts,
}

fn print(
    report: &Report,
    unreadable: &[Unreadable],
    files: usize,
    args: &ValidateArgs,
) -> io::Result<()> {
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !args.quiet || f.severity == Severity::Error)
        .collect();
    let counts = Counts {
        files,
        unreadable: unreadable.len(),
        documents: report.documents,
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        skipped: report.skipped.len(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match args.output {
        ReportFormat::Json => {
            let json = JsonReport {
                unreadable,
                findings: shown,
                skipped: &report.skipped,
                counts,
            };
            serde_json::to_writer_pretty(&mut out, &json).map_err(io::Error::other)?;
            writeln!(out)?;
            out.flush()
        }
        ReportFormat::Text => {
            for failed in unreadable {
                writeln!(out, "{}: error: {}", failed.file, failed.message)?;
            }
            for finding in shown {
                writeln!(out, "{finding}")?;
            }
            if !args.quiet {
                for skipped in &report.skipped {
                    writeln!(
                        out,
                        "{}:{}: skipped {}: apiVersion {} is not a kind podsmith knows; not validated",
                        skipped.file, skipped.line, skipped.object, skipped.api_version
                    )?;
                }
            }
            out.flush()?;
            writeln!(
                io::stderr(),
                "{} error(s), {} warning(s) in {} document(s) of {} file(s){}{}",
                counts.errors,
                counts.warnings,
                counts.documents,
                counts.files,
                match counts.unreadable {
                    0 => String::new(),
                    n => format!("; {n} unreadable"),
                },
                if counts.skipped > 0 {
                    format!("; {} skipped (unknown kind)", counts.skipped)
                } else {
                    String::new()
                }
            )
        }
    }
}
