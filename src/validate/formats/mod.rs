//! The report formats of `podsmith validate`, written while files finish: each format gets the
//! findings of one file (or of a slice of a long stream) as soon as they are known, in input
//! order, and keeps only counters, so memory does not grow with the input.
//!
//! What a format cannot write before the end (JSON's `skipped` list, JUnit's totals) goes to an
//! anonymous temporary file, not to memory.

use std::io::{self, Write};

use serde::Serialize;

use super::{Finding, Report, Severity};
use crate::cli::ReportFormat;

mod github;
mod json;
mod junit;
mod sarif;
mod text;

/// What the summary counts, kept while findings stream out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub(super) struct Counts {
    /// Files read.
    pub(crate) files: usize,
    /// Documents read.
    pub(crate) documents: usize,
    /// Findings that are errors (warnings too, under `--strict`).
    pub(crate) errors: usize,
    /// Findings that are warnings.
    pub(crate) warnings: usize,
    /// Documents of unknown kinds, not checked.
    pub(crate) skipped: usize,
}

impl Counts {
    /// Adds one report's numbers.
    pub(super) fn add(&mut self, report: &Report) {
        self.documents += report.documents;
        self.errors += report.count(Severity::Error);
        self.warnings += report.count(Severity::Warning);
        self.skipped += report.skipped.len();
    }

    /// The one-line summary printed on stderr, in the style of kubeconform's.
    pub(super) fn summary(&self) -> String {
        format!(
            "Summary: {} in {} - errors: {}, warnings: {}, skipped: {}",
            plural(self.documents, "document"),
            plural(self.files, "file"),
            self.errors,
            self.warnings,
            self.skipped
        )
    }
}

fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// A report format, fed in input order.
pub(super) trait Format {
    /// Writes what comes before any finding.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Writes the findings and skipped documents of one file, or of the next slice of one
    /// long stream. `report.findings` holds only what is to be shown (no warnings under
    /// `--quiet`).
    fn part(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()>;

    /// Called once after the last part of `file`.
    fn file_done(&mut self, _out: &mut dyn Write, _file: &str) -> io::Result<()> {
        Ok(())
    }

    /// Writes what comes after the last file.
    fn end(&mut self, out: &mut dyn Write, counts: &Counts) -> io::Result<()>;
}

/// The format `--output` names. `quiet` leaves out the lines about skipped documents where
/// they are only informative.
pub(super) fn new(format: ReportFormat, quiet: bool) -> io::Result<Box<dyn Format>> {
    Ok(match format {
        ReportFormat::Text => Box::new(text::Text { quiet }),
        ReportFormat::Json => Box::new(json::Json::new()?),
        ReportFormat::Sarif => Box::new(sarif::Sarif::default()),
        ReportFormat::Junit => Box::new(junit::Junit::new()?),
        ReportFormat::Github => Box::new(github::Github { quiet }),
    })
}

/// `finding`'s message with the object and field it is about, for formats that have a single
/// text field.
fn described(finding: &Finding) -> String {
    match (finding.object.as_str(), finding.path.as_str()) {
        ("-", "-") => finding.message.clone(),
        (object, "-") => format!("{object}: {}", finding.message),
        ("-", path) => format!("{path}: {}", finding.message),
        (object, path) => format!("{object}: {path}: {}", finding.message),
    }
}

/// Copies an anonymous temporary file, written from its start, to `out`.
fn copy_back(spill: &mut std::fs::File, out: &mut dyn Write) -> io::Result<()> {
    use std::io::Seek;
    spill.flush()?;
    spill.rewind()?;
    io::copy(spill, out)?;
    Ok(())
}

#[cfg(test)]
mod tests;
