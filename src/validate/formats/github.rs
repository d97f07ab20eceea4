//! GitHub Actions workflow commands: `::error file=F,line=L,title=T::message`, which the
//! runner turns into annotations on the pull request's files.

use std::io::{self, Write};

use super::{described, Counts, Format};
use crate::validate::{Report, Severity};

/// One workflow command a finding.
pub(super) struct Github {
    /// Leave out the notices about skipped documents.
    pub(crate) quiet: bool,
}

impl Format for Github {
    fn part(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        for finding in &report.findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            writeln!(
                out,
                "::{command} file={},line={},title={}::{}",
                property(&finding.file),
                finding.line,
                property(&format!("podsmith {}", finding.rule)),
                data(&described(finding))
            )?;
        }
        if !self.quiet {
            for skipped in &report.skipped {
                writeln!(
                    out,
                    "::notice file={},line={},title=podsmith skipped::{}",
                    property(&skipped.file),
                    skipped.line,
                    data(&format!(
                        "{}: apiVersion {} is not a kind podsmith knows; not validated",
                        skipped.object, skipped.api_version
                    ))
                )?;
            }
        }
        Ok(())
    }

    fn end(&mut self, _out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        Ok(())
    }
}

/// A command's message, escaped as the runner unescapes it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_ends_a_command_or_a_property() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
