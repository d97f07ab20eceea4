//! The one error type of podsmith and its exit codes.
//!
//! Messages are one line, lowercase, name the flag or field, the value (in backticks) and the
//! rule. Validation findings are not errors: they are data (see `validate`).

use std::path::PathBuf;

/// Exit code for success (warnings allowed).
pub const EXIT_OK: u8 = 0;
/// Exit code when a manifest has a validation error.
pub const EXIT_INVALID: u8 = 1;
/// Exit code for usage, input and I/O errors.
pub const EXIT_USAGE: u8 = 2;
/// Exit code when the user interrupts (Ctrl-C, Esc).
pub(crate) const EXIT_INTERRUPTED: u8 = 130;

/// Everything that can stop a podsmith command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A flag or spec field holds a value that breaks a rule.
    #[error(
        "invalid value `{}` for `{}`: {}",
        one_line(value),
        one_line(field),
        one_line(rule)
    )]
    InvalidValue {
        /// The flag (`--port`) or spec field (`app.ports[0].containerPort`).
        field: String,
        /// The offending value, as given.
        value: String,
        /// The rule it breaks.
        rule: String,
    },
    /// Two parts of the spec claim the same container name, port or volume.
    #[error(
        "{what} `{}` is claimed twice: by {} and by {}",
        one_line(value),
        one_line(first),
        one_line(second)
    )]
    Conflict {
        /// What is claimed (`container name`, `port`).
        what: String,
        /// The contested value.
        value: String,
        /// The first claimant.
        first: String,
        /// The second claimant.
        second: String,
    },
    /// A required input is missing.
    #[error("{}", one_line(.0))]
    Usage(String),
    /// A spec file could not be understood.
    #[error("{}:{line}: {}", one_line(path), one_line(message))]
    SpecFile {
        /// The spec file.
        path: String,
        /// The 1-based line of the problem (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file or folder could not be read.
    #[error("failed to read `{}`: {message}", path.display())]
    Read {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        message: String,
    },
    /// A file could not be written.
    #[error("failed to write `{}`: {message}", path.display())]
    Write {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        message: String,
    },
    /// An output file exists and `--force` was not given.
    #[error("refusing to overwrite `{}`: it already exists (pass --force to replace it)", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// A template failed to load or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name under `templates/`.
        name: String,
        /// The engine's explanation.
        message: String,
    },
    /// What podsmith rendered did not pass validation; nothing was written.
    #[error(
        "the rendered manifests have {count} validation error(s); nothing was written:\n{report}"
    )]
    RenderedInvalid {
        /// How many errors were found.
        count: usize,
        /// The findings, formatted for a terminal.
        report: String,
    },
    /// The user interrupted an interactive session.
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// A broken invariant inside podsmith.
    #[error("internal error: {0} (this is a bug in podsmith)")]
    Internal(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::RenderedInvalid { .. } => EXIT_INVALID,
            Error::Interrupted => EXIT_INTERRUPTED,
            _ => EXIT_USAGE,
        }
    }

    /// A value that breaks a rule.
    pub(crate) fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        rule: impl Into<String>,
    ) -> Error {
        Error::InvalidValue {
            field: field.into(),
            value: value.into(),
            rule: rule.into(),
        }
    }
}

/// `text` with its control characters escaped as Rust writes them (`\n`, `\t`, `\u{1b}`), so
/// that a value quoted in an error keeps the error on one line and shows what was typed.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line
}

/// The result type of podsmith's fallible functions.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
