//! The JSON format: `{"findings": [...], "skipped": [...], "counts": {...}}`, findings written
//! as they come, skipped documents kept in a temporary file until the findings are done.

use std::io::{self, Write};

use super::{copy_back, Counts, Format};
use crate::validate::Report;

/// One JSON document for the whole run.
pub(super) struct Json {
    findings: usize,
    skipped: usize,
    spill: std::fs::File,
}

impl Json {
    /// A JSON report with its temporary file for the skipped documents.
    pub(super) fn new() -> io::Result<Json> {
        Ok(Json {
            findings: 0,
            skipped: 0,
            spill: tempfile::tempfile()?,
        })
    }
}

/// Writes `value` as one item of a JSON array, after a comma unless it is the first.
fn item(out: &mut dyn Write, index: usize, value: &impl serde::Serialize) -> io::Result<()> {
    out.write_all(if index == 0 { b"\n    " } else { b",\n    " })?;
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)
}

impl Format for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"{\n  \"findings\": [")
    }

    fn part(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        for finding in &report.findings {
            item(out, self.findings, finding)?;
            self.findings += 1;
        }
        for skipped in &report.skipped {
            item(&mut self.spill, self.skipped, skipped)?;
            self.skipped += 1;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, counts: &Counts) -> io::Result<()> {
        let close = |n: usize| if n == 0 { "]" } else { "\n  ]" };
        write!(out, "{},\n  \"skipped\": [", close(self.findings))?;
        copy_back(&mut self.spill, out)?;
        write!(out, "{},\n  \"counts\": ", close(self.skipped))?;
        serde_json::to_writer(&mut *out, counts).map_err(io::Error::other)?;
        out.write_all(b"\n}\n")
    }
}
