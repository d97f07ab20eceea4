//! Dispatch: parse the command line, run the subcommand, print an error once, return the exit
//! code.

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::cli::NewArgs;
use crate::cli::{Cli, Command, TemplatesCommand};
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
        Command::Patterns => print(&crate::explain::pattern_list()),
        Command::Explain(args) => print(&crate::explain::explain(&args.pattern)?),
        Command::Debug(args) => {
            let text = crate::debug::render(&args)?;
            if args.patch {
                eprintln!("apply with: {}", crate::debug::apply_hint(&args));
            }
            print(&text)
        }
        Command::Templates(TemplatesCommand::Export(args)) => {
            let written = crate::templates::export(&args.dir, args.force)?;
            eprintln!(
                "wrote {} templates into {}",
                written.len(),
                args.dir.display()
            );
            Ok(EXIT_OK)
        }
    }
}

/// Prints `text` on stdout; a closed pipe is not an error.
fn print(text: &str) -> Result<u8, Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "<stdout>".into(),
            message: error.to_string(),
        }),
        _ => Ok(EXIT_OK),
    }
}

/// `podsmith new`: flags → spec → validated manifests → stdout or files.
fn new(args: &NewArgs) -> Result<u8, Error> {
    let spec = crate::spec::from_flags(args)?;
    let engine = match &args.templates {
        Some(dir) => {
            for name in crate::templates::unknown_files(dir) {
                eprintln!(
                    "warning: `{}` is not a podsmith template and is ignored",
                    dir.join(name).display()
                );
            }
            crate::templates::engine_from(dir)?
        }
        None => Engine::builtin()?,
    };
    let generated = crate::pipeline::generate(&spec, &engine)?;
    for warning in crate::batch::warnings(&spec) {
        eprintln!("warning: {warning}");
    }
    if args.explain {
        eprint!("{}", crate::explain::timeline(&crate::plan::build(&spec)));
    }
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
