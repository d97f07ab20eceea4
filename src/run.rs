//! Dispatch: parse the command line, run the subcommand, print an error once, return the exit
//! code.

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::cli::NewArgs;
use crate::cli::{Cli, Command};
use crate::error::{Error, EXIT_OK, EXIT_USAGE};
use crate::render::Engine;

/// Runs podsmith with the given command line (program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = error.print();
            return code;
        }
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            error.exit_code()
        }
    }
}

fn dispatch(command: Command) -> Result<u8, Error> {
    match command {
        Command::New(args) => new(&args),
        Command::Validate(args) => crate::validate::command::run(&args),
    }
}

/// `podsmith new`: flags → spec → validated manifests → stdout or files.
fn new(args: &NewArgs) -> Result<u8, Error> {
    let spec = crate::spec::from_flags(args)?;
    let engine = Engine::builtin()?;
    let generated = crate::pipeline::generate(&spec, &engine)?;
    for warning in &generated.warnings {
        eprintln!(
            "warning: {}: {}: {} [{}]",
            warning.object, warning.path, warning.message, warning.rule
        );
    }
    match &args.out {
        Some(dir) => {
            for path in crate::output::write_files(&generated.rendered, dir, args.force)? {
                eprintln!("wrote {}", path.display());
            }
        }
        None => crate::output::print_stream(&generated.rendered)?,
    }
    Ok(EXIT_OK)
}
