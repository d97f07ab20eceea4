//! The generator pipeline: `Spec` → plan → render → validate. Nothing reaches the user unless
//! the validator finds no error in it.

use crate::error::{Error, Result};
use crate::render::{Engine, Rendered};
use crate::spec::Spec;
use crate::validate::{self, Finding, Report, Severity};

/// A rendered workload that passed validation, with any warnings the validator raised.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The documents, workload first.
    pub rendered: Rendered,
    /// Warnings about the result (never errors).
    pub warnings: Vec<Finding>,
    /// What the user must do or know that the manifest cannot say: choices podsmith made for
    /// them and the app's part of a contract (a Job's done file, where storage goes).
    pub notes: Vec<String>,
}

/// Plans, renders and validates `spec` (which must have passed `spec::check`).
pub fn generate(spec: &Spec, engine: &Engine) -> Result<Generated> {
    let plan = crate::plan::build(spec);
    let rendered = engine.render(&plan)?;
    let options = validate::Options {
        kube_version: spec.app.kube_version,
        ..validate::Options::default()
    };
    let report = validate::validate_stream(&rendered.stream(), "<rendered>", &options);
    reject_errors(&report)?;
    let warnings = report
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    Ok(Generated {
        rendered,
        warnings,
        notes: notes(spec),
    })
}

/// The notes on a spec (see [`Generated::notes`]).
fn notes(spec: &Spec) -> Vec<String> {
    let mut notes = crate::batch::warnings(spec);
    notes.extend(crate::image_env::storage_warning(&spec.app));
    notes.extend(crate::security::low_port_warning(spec));
    notes
}

fn reject_errors(report: &Report) -> Result<()> {
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("  {f}"))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::RenderedInvalid {
            count: errors.len(),
            report: errors.join("\n"),
        })
    }
}
