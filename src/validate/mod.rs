//! Validation: the checks every rendered manifest passes before it is written, and that
//! `podsmith validate` runs on any user manifest.
//!
//! Input is YAML text; output is a [`Report`] of [`Finding`]s, which are data, never errors.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::kube_version::KubeVersion;
use crate::yaml;

pub mod command;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The API server would reject the manifest, or the pattern cannot work.
    Error,
    /// Best practice; fatal only under `--strict`.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case rule ID, e.g. `container-name-unique`.
    pub rule: String,
    /// The file (or `<stdin>`, `<rendered>`).
    pub file: String,
    /// The 1-based line where the document starts in the file.
    pub line: usize,
    /// The object, `Kind/name`.
    pub object: String,
    /// The field path, e.g. `spec.template.spec.containers[0].ports[0].containerPort`.
    pub path: String,
    /// What is wrong, in the API server's words where it has them.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}] {}: {}: {}",
            self.file, self.line, self.severity, self.rule, self.object, self.path, self.message
        )
    }
}

/// What the checks take into account.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The Kubernetes version whose rules apply.
    pub kube_version: KubeVersion,
    /// Rule IDs turned off.
    pub skip: BTreeSet<String>,
}

/// All findings of one validation run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Every finding, in document order.
    pub findings: Vec<Finding>,
    /// How many documents were checked.
    pub documents: usize,
}

impl Report {
    /// The number of findings with `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Validates a multi-document YAML stream read from `file`.
pub fn validate_stream(text: &str, file: &str, _options: &Options) -> Report {
    let mut report = Report::default();
    for document in yaml::split_documents(text) {
        report.documents += 1;
        if let Err(error) = yaml::from_str::<yaml::Value>(&document.text) {
            report.findings.push(Finding {
                severity: Severity::Error,
                rule: "yaml-syntax".into(),
                file: file.into(),
                line: document.line + yaml::error_line(&error).unwrap_or(1) - 1,
                object: "-".into(),
                path: "-".into(),
                message: error.to_string(),
            });
        }
    }
    report
}
