//! Validation: the checks every rendered manifest passes before it is written, and that
//! `podsmith validate` runs on any user manifest.
//!
//! Input is YAML text; output is a [`Report`] of [`Finding`]s, which are data, never errors.
//!
//! Each document goes through four layers, each in its own module:
//!
//! 1. [`schema`]: YAML syntax, duplicate keys, YAML 1.1 scalars, then the typed Kubernetes API
//!    object of the target version (unknown fields, wrong types, missing required fields).
//! 2. [`api`]: the API server's own rules (names, ports, volumes, restart policies, selectors...),
//!    on the typed object, after the API's defaulting.
//! 3. [`wiring`]: whether the containers of one pod are wired the way their pattern needs.
//! 4. [`practice`]: best-practice warnings.
//!
//! Kinds the validator does not know are listed in [`Report::skipped`], never reported as errors.
//! [`rules`] is the catalog of every rule ID.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::kube_version::KubeVersion;
use crate::yaml;

mod api;
mod api_version;
pub(crate) mod command;
mod compare;
mod controllers;
mod field_versions;
mod formats;
mod ignore;
mod images;
mod locate;
mod object;
mod pod_settings;
mod practice;
pub mod rules;
mod schema;
mod served;
mod sysctls;
mod table_schema;
mod wiring;

use rules::Rule;

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
    pub(crate) file: String,
    /// The 1-based line of the offending field in the file, or where its document starts.
    pub line: usize,
    /// The object, `Kind/name`.
    pub(crate) object: String,
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
    /// Report documents of kinds that are not built into Kubernetes as errors (`unknown-kind`)
    /// instead of only counting them as skipped.
    pub reject_unknown_kinds: bool,
}

/// A document of a kind the validator does not know (a custom resource, say), left unchecked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Skipped {
    /// The file.
    pub(crate) file: String,
    /// The line where the document starts.
    pub(crate) line: usize,
    /// The document's `apiVersion`.
    pub(crate) api_version: String,
    /// The object, `Kind/name`.
    pub(crate) object: String,
}

/// All findings of one validation run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Every finding, in document order.
    pub findings: Vec<Finding>,
    /// How many documents were read.
    pub(crate) documents: usize,
    /// The documents of unknown kinds, which were not checked.
    pub(crate) skipped: Vec<Skipped>,
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
///
/// Long streams are checked on all cores, one document per task; the report keeps document
/// order either way.
pub fn validate_stream(text: &str, file: &str, options: &Options) -> Report {
    /// Below this many documents, starting parallel tasks costs more than it saves.
    const PARALLEL_FROM: usize = 64;
    // kubectl drops a byte-order mark (a file's is already gone; stdin's first slice keeps it).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let documents = yaml::split_documents(text);
    let check = |document: &yaml::Document| validate_document(document, text, file, options);
    let results: Vec<(Vec<Finding>, Vec<Skipped>)> = if documents.len() >= PARALLEL_FROM {
        use rayon::prelude::*;
        documents.par_iter().map(check).collect()
    } else {
        documents.iter().map(check).collect()
    };
    let mut report = Report {
        documents: documents.len(),
        ..Report::default()
    };
    for (mut findings, mut skipped) in results {
        report.findings.append(&mut findings);
        report.skipped.append(&mut skipped);
    }
    report
}

/// Runs the four layers on one document (on each item of a `List`); `stream` is the text of
/// the whole file, which the document's spans point into.
fn validate_document(
    document: &yaml::Document,
    stream: &str,
    file: &str,
    options: &Options,
) -> (Vec<Finding>, Vec<Skipped>) {
    let tree = yaml::parse(document);
    let mut sink = Sink::new(file, document, stream, options);
    let mut skipped = Vec::new();
    match &tree {
        Err(error) => schema::syntax_error(error, document, &mut sink),
        Ok(tree) => {
            sink.root = Some(&tree.root);
            schema::duplicates(tree, &mut sink);
            match schema::list_items(&tree.root) {
                Some(items) => {
                    for (at, item) in items.iter().enumerate() {
                        sink.prefix = locate::index("items", at);
                        sink.object = "-".to_string();
                        skipped.extend(validate_object(item, &mut sink));
                    }
                }
                None => skipped.extend(validate_object(&tree.root, &mut sink)),
            }
        }
    }
    sink.findings.sort_by_key(|finding| finding.line);
    (sink.findings, skipped)
}

/// Runs the four layers on one object; returns it when its kind is unknown.
fn validate_object(node: &yaml::Node, sink: &mut Sink) -> Option<Skipped> {
    let (ignored, unknown) = ignore::ignored(node);
    sink.ignored = ignored;
    for id in unknown {
        sink.report(
            &rules::IGNORE_UNKNOWN_RULE,
            ignore::PATH,
            format!("`{id}` is not a podsmith rule ID; `podsmith rules` lists them"),
        );
    }
    match schema::check(node, sink) {
        schema::Outcome::Skipped(skipped) => {
            if sink.options.reject_unknown_kinds {
                let message = format!(
                    "Unsupported value: \"{}\": not a kind built into Kubernetes, so it was not checked (--reject-unknown-kinds)",
                    skipped.api_version
                );
                sink.report(&rules::UNKNOWN_KIND, "kind", message);
            }
            return Some(skipped);
        }
        schema::Outcome::Stop => {}
        schema::Outcome::Parsed { parsed, complete } => {
            if complete {
                api::check(&parsed, sink);
                wiring::check(&parsed, sink);
                practice::check(&parsed, sink);
            }
        }
    }
    None
}

/// Collects the findings of one document: knows the file, where the document starts, the
/// object's name and the rules turned off, and finds the line of each field path in the tree.
pub(crate) struct Sink<'a> {
    file: &'a str,
    start: usize,
    /// The text of the whole file, which spans point into.
    stream: &'a str,
    options: &'a Options,
    /// The document's tree, once it is read.
    root: Option<&'a yaml::Node>,
    object: String,
    /// The path of the object inside the document: empty, or `items[N]` inside a `List`.
    prefix: String,
    findings: Vec<Finding>,
    /// The rules the object's `podsmith.dev/ignore` annotation turns off.
    ignored: Vec<&'static Rule>,
}

impl<'a> Sink<'a> {
    fn new(
        file: &'a str,
        document: &yaml::Document,
        stream: &'a str,
        options: &'a Options,
    ) -> Sink<'a> {
        Sink {
            file,
            start: document.line,
            stream,
            options,
            root: None,
            object: "-".to_string(),
            prefix: String::new(),
            findings: Vec::new(),
            ignored: Vec::new(),
        }
    }

    /// The Kubernetes version whose rules apply.
    pub(crate) fn version(&self) -> crate::kube_version::KubeVersion {
        self.options.kube_version
    }

    /// The path of `path` (relative to the object) within the document.
    fn full_path(&self, path: &str) -> String {
        match (self.prefix.is_empty(), path.is_empty()) {
            (true, _) => path.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) if path.starts_with('[') => format!("{}{path}", self.prefix),
            (false, false) => format!("{}.{path}", self.prefix),
        }
    }

    /// The line (1-based, in the file) of the field `path` of the object, or of the nearest
    /// part of it that the text has.
    fn line_of(&self, path: &str) -> usize {
        match self.root {
            Some(root) => {
                let (span, _) = yaml::path::locate(root, &self.full_path(path));
                span.line.max(self.start)
            }
            None => self.start,
        }
    }

    /// Records a finding of `rule` at the field `path` (empty for the whole object).
    pub(crate) fn report(&mut self, rule: &'static Rule, path: &str, message: impl Into<String>) {
        let line = self.line_of(path);
        self.report_at_line(rule, path, line, message);
    }

    /// Records a finding at a known line of the file.
    fn report_at_line(
        &mut self,
        rule: &'static Rule,
        path: &str,
        line: usize,
        message: impl Into<String>,
    ) {
        if self.options.skip.contains(rule.id) || self.ignored.iter().any(|r| r.id == rule.id) {
            return;
        }
        self.findings.push(Finding {
            severity: rule.severity,
            rule: rule.id.to_string(),
            file: self.file.to_string(),
            line,
            object: self.object.clone(),
            path: match self.full_path(path) {
                full if full.is_empty() => "-".into(),
                full => full,
            },
            message: message.into(),
        });
    }
}

/// Helpers for the rule tests beside each layer.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{validate_stream, Options};
    use crate::kube_version::KubeVersion;

    /// The findings of `rule` in `text` as (line, path, message), for the version named by a
    /// `# kube-version: X.Y` header line (default: the newest).
    pub(crate) fn only(text: &str, rule: &str) -> Vec<(usize, String, String)> {
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("# kube-version: "))
            .and_then(|v| v.trim().parse::<KubeVersion>().ok())
            .unwrap_or_default();
        let options = Options {
            kube_version: version,
            ..Options::default()
        };
        validate_stream(text, "t.yaml", &options)
            .findings
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.line, f.path, f.message))
            .collect()
    }

    /// The findings of `rule` in `text` as (path, message), for the many tests that name no
    /// line.
    pub(crate) fn messages(text: &str, rule: &str) -> Vec<(String, String)> {
        only(text, rule)
            .into_iter()
            .map(|(_, path, message)| (path, message))
            .collect()
    }
}
