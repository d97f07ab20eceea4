//! The text format: one line a finding, `file:line: severity[rule] object: path: message`.

use std::io::{self, Write};

use super::{Counts, Format};
use crate::validate::Report;

/// One line a finding; the summary goes to stderr, so stdout holds findings only.
pub(super) struct Text {
    /// Leave out the lines about skipped documents.
    pub(crate) quiet: bool,
}

impl Format for Text {
    fn part(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        for finding in &report.findings {
            writeln!(out, "{finding}")?;
        }
        if !self.quiet {
            for skipped in &report.skipped {
                writeln!(
                    out,
                    "{}:{}: skipped {}: apiVersion {} is not a kind podsmith knows; not validated",
                    skipped.file, skipped.line, skipped.object, skipped.api_version
                )?;
            }
        }
        Ok(())
    }

    fn end(&mut self, _out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        Ok(())
    }
}
