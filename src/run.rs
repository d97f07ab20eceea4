//! Dispatch: parse the command line, run the subcommand, print an error once, return the exit
//! code.

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::cli::{Cli, Command, TemplatesCommand};
use crate::cli::{NewArgs, RenderArgs};
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
        Command::Add(args) => crate::add::run(&args),
        Command::Validate(args) => crate::validate::command::run(&args),
        Command::Render(args) => render(&args),
        Command::Schema => schema(),
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

/// Prints `text` on stdout.
fn print(text: &str) -> Result<u8, Error> {
    crate::output::print_text(text)?;
    Ok(EXIT_OK)
}

/// `podsmith new`: flags → spec → validated manifests → stdout or files; or the wizard.
fn new(args: &NewArgs) -> Result<u8, Error> {
    if crate::wizard::wanted(
        args,
        crate::wizard::on_terminal(),
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
    )? {
        return crate::wizard::run(args);
    }
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
    if args.explain {
        // stderr, so stdout stays a clean YAML stream.
        eprint!("{}", crate::explain::timeline(&crate::plan::build(&spec)));
    }
    emit(&spec, &engine, args.out.as_deref(), args.force)
}

/// `podsmith render -f FILE`: spec file → validated manifests → stdout or files.
fn render(args: &RenderArgs) -> Result<u8, Error> {
    let spec = crate::spec::load(&args.file)?;
    emit(&spec, &Engine::builtin()?, args.out.as_deref(), args.force)
}

/// `podsmith schema`: the spec file's JSON Schema on stdout.
fn schema() -> Result<u8, Error> {
    let schema = schemars::schema_for!(crate::spec::Spec);
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|error| Error::Internal(format!("cannot print the schema: {error}")))?;
    crate::output::print_text(&format!("{text}\n"))?;
    Ok(EXIT_OK)
}

/// Renders a checked spec and prints the stream, or writes files into `out`.
fn emit(
    spec: &crate::spec::Spec,
    engine: &Engine,
    out: Option<&std::path::Path>,
    force: bool,
) -> Result<u8, Error> {
    let generated = crate::pipeline::generate(spec, engine)?;
    for warning in crate::batch::warnings(spec) {
        eprintln!("warning: {warning}");
    }
    for warning in &generated.warnings {
        eprintln!(
            "warning: {}: {}: {} [{}]",
            warning.object, warning.path, warning.message, warning.rule
        );
    }
    match out {
        Some(dir) => {
            for path in crate::output::write_files(&generated.rendered, dir, force)? {
                eprintln!("wrote {}", path.display());
            }
        }
        None => crate::output::print_stream(&generated.rendered)?,
    }
    Ok(EXIT_OK)
}
