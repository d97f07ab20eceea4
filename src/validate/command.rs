//! `podsmith validate`: reads files, folders (recursively) or stdin, validates every document
//! on all cores, and prints the findings as text or JSON.
//!
//! Exit codes: 0 when no finding is an error (warnings too, under `--strict`), 1 otherwise, 2 on
//! a usage error or unreadable input. A closed stdout (`| head`) ends the output quietly.

use std::collections::BTreeSet;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{ReportFormat, ValidateArgs};
use crate::error::{Error, EXIT_INVALID, EXIT_OK};
use crate::kube_version::KubeVersion;
use crate::validate::{rules, validate_stream, Finding, Options, Report, Severity, Skipped};

/// Runs `podsmith validate` and returns its exit code.
pub fn run(args: &ValidateArgs) -> Result<u8, Error> {
    let options = options(args)?;
    let inputs = inputs(&args.paths)?;
    let mut reports: Vec<Result<Report, Error>> = inputs
        .par_iter()
        .map(|input| {
            let text = input.read()?;
            Ok(validate_stream(&text, &input.name, &options))
        })
        .collect();
    let mut report = Report::default();
    for result in reports.drain(..) {
        let mut one = result?;
        report.documents += one.documents;
        report.findings.append(&mut one.findings);
        report.skipped.append(&mut one.skipped);
    }
    if args.strict {
        for finding in &mut report.findings {
            finding.severity = Severity::Error;
        }
    }
    let code = if report.count(Severity::Error) > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    };
    match print(&report, inputs.len(), args) {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(error) => Err(Error::Write {
            path: PathBuf::from("-"),
            message: error.to_string(),
        }),
        Ok(()) => Ok(code),
    }
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
pub(crate) struct Input {
    /// The file as messages name it (`<stdin>` for stdin).
    pub(crate) name: String,
    /// The file, `None` for stdin.
    pub(crate) path: Option<PathBuf>,
}

impl Input {
    /// Its text.
    pub(crate) fn read(&self) -> Result<String, Error> {
        let failed = |path: &Path, error: io::Error| Error::Read {
            path: path.to_path_buf(),
            message: error.to_string(),
        };
        match &self.path {
            Some(path) => std::fs::read_to_string(path).map_err(|e| failed(path, e)),
            None => {
                let mut text = String::new();
                io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| failed(Path::new("-"), e))?;
                Ok(text)
            }
        }
    }
}

/// The files named on the command line, folders expanded (recursively, sorted), in order.
pub(crate) fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input {
                name: "<stdin>".to_string(),
                path: None,
            });
            continue;
        }
        let metadata = std::fs::metadata(path).map_err(|e| Error::Read {
            path: path.clone(),
            message: e.to_string(),
        })?;
        if metadata.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(Input {
                name: path.display().to_string(),
                path: Some(path.clone()),
            });
        }
    }
    Ok(out)
}

fn walk(folder: &Path, out: &mut Vec<Input>) -> Result<(), Error> {
    let failed = |e: io::Error| Error::Read {
        path: folder.to_path_buf(),
        message: e.to_string(),
    };
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(folder)
        .map_err(failed)?
        .map(|entry| {
            let entry = entry?;
            // The entry's own type avoids a stat per file; a symlink is followed.
            let is_dir = match entry.file_type()? {
                kind if kind.is_symlink() => entry.path().is_dir(),
                kind => kind.is_dir(),
            };
            Ok((entry.path(), is_dir))
        })
        .collect::<Result<_, io::Error>>()
        .map_err(failed)?;
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            walk(&path, out)?;
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
    Ok(())
}

#[derive(Serialize)]
struct Counts {
    files: usize,
    documents: usize,
    errors: usize,
    warnings: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    findings: Vec<&'a Finding>,
    skipped: &'a [Skipped],
    counts: Counts,
}

fn print(report: &Report, files: usize, args: &ValidateArgs) -> io::Result<()> {
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !args.quiet || f.severity == Severity::Error)
        .collect();
    let counts = Counts {
        files,
        documents: report.documents,
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        skipped: report.skipped.len(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    match args.output {
        ReportFormat::Json => {
            let json = JsonReport {
                findings: shown,
                skipped: &report.skipped,
                counts,
            };
            serde_json::to_writer_pretty(&mut out, &json).map_err(io::Error::other)?;
            writeln!(out)?;
            out.flush()
        }
        ReportFormat::Text => {
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
                "{} error(s), {} warning(s) in {} document(s) of {} file(s){}",
                counts.errors,
                counts.warnings,
                counts.documents,
                counts.files,
                if counts.skipped > 0 {
                    format!("; {} skipped (unknown kind)", counts.skipped)
                } else {
                    String::new()
                }
            )
        }
    }
}
