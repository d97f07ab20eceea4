//! JUnit XML, which CI services show as test reports: one test case a finding (an error is a
//! failure, a warning passes with its text in `system-out`), one a skipped document, and one
//! passing case for each file without errors. The totals go on the `testsuite` element at the
//! top, so the test cases wait in a temporary file until the end.

use std::io::{self, Write};

use super::{copy_back, described, Counts, Format};
use crate::validate::{Report, Severity};

/// One test suite for the run.
pub(super) struct Junit {
    spill: std::fs::File,
    tests: usize,
    failures: usize,
    skipped: usize,
    /// Whether the file being reported has had an error.
    file_failed: bool,
}

impl Junit {
    /// A JUnit report with its temporary file for the test cases.
    pub(super) fn new() -> io::Result<Junit> {
        Ok(Junit {
            spill: tempfile::tempfile()?,
            tests: 0,
            failures: 0,
            skipped: 0,
            file_failed: false,
        })
    }
}

impl Format for Junit {
    fn part(&mut self, _out: &mut dyn Write, report: &Report) -> io::Result<()> {
        let out = &mut self.spill;
        for finding in &report.findings {
            let name = format!("{} {} [{}]", finding.object, finding.path, finding.rule);
            let text = format!("{}:{}: {}", finding.file, finding.line, described(finding));
            write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\">",
                escape(&finding.file),
                escape(&name)
            )?;
            match finding.severity {
                Severity::Error => {
                    self.failures += 1;
                    self.file_failed = true;
                    write!(
                        out,
                        "<failure type=\"{}\" message=\"{}\">{}</failure>",
                        escape(&finding.rule),
                        escape(&finding.message),
                        escape(&text)
                    )?;
                }
                Severity::Warning => {
                    write!(out, "<system-out>warning: {}</system-out>", escape(&text))?;
                }
            }
            writeln!(out, "</testcase>")?;
            self.tests += 1;
        }
        for skipped in &report.skipped {
            writeln!(
                out,
                "    <testcase classname=\"{}\" name=\"{} [skipped]\"><skipped message=\"{}\"/></testcase>",
                escape(&skipped.file),
                escape(&skipped.object),
                escape(&format!(
                    "apiVersion {} is not a kind podsmith knows; not validated",
                    skipped.api_version
                ))
            )?;
            self.tests += 1;
            self.skipped += 1;
        }
        Ok(())
    }

    fn file_done(&mut self, _out: &mut dyn Write, file: &str) -> io::Result<()> {
        if !std::mem::take(&mut self.file_failed) {
            writeln!(
                self.spill,
                "    <testcase classname=\"{}\" name=\"valid\"/>",
                escape(file)
            )?;
            self.tests += 1;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<testsuites name=\"podsmith validate\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">", self.tests, self.failures, self.skipped)?;
        writeln!(
            out,
            "  <testsuite name=\"podsmith validate\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            self.tests, self.failures, self.skipped
        )?;
        copy_back(&mut self.spill, out)?;
        writeln!(out, "  </testsuite>\n</testsuites>")
    }
}

/// Text for an XML attribute or element; characters XML 1.0 cannot hold become U+FFFD.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\t' | '\r' => escaped.push_str(&format!("&#{};", u32::from(c))),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                escaped.push('\u{FFFD}')
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(super::escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(super::escape("x\u{1}y\nz"), "x\u{FFFD}y&#10;z");
    }
}
