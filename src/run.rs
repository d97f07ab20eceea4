//! Dispatch: parse the command line, run the subcommand, print an error once, return the exit
//! code.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::cli::{Cli, Command, TemplatesCommand};
use crate::cli::{ManifestFormat, NewArgs, RenderArgs};
use crate::error::{Error, EXIT_OK, EXIT_USAGE};
use crate::render::Engine;

/// Runs podsmith with the given command line (program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version.
            let _ = error.print();
            return EXIT_OK;
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {}", usage_line(&error));
            return EXIT_USAGE;
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

/// A command-line parsing error as one line, in podsmith's words for a bad value: the flag,
/// the value and the rule.
fn usage_line(error: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let strings = |kind| match error.get(kind) {
        Some(ContextValue::String(one)) => vec![one.clone()],
        Some(ContextValue::Strings(many)) => many.clone(),
        _ => Vec::new(),
    };
    if error.kind() == ErrorKind::InvalidValue {
        let (flags, values) = (
            strings(ContextKind::InvalidArg),
            strings(ContextKind::InvalidValue),
        );
        if let (Some(flag), Some(value)) = (flags.first(), values.first()) {
            // `--output <FORMAT>` names the flag as `--output`.
            let flag = flag.split_whitespace().next().unwrap_or(flag);
            let valid = strings(ContextKind::ValidValue);
            let mut line = format!(
                "invalid value `{value}` for `{flag}`: must be one of {}",
                valid.join(", ")
            );
            if flag == "--output" && valid.iter().any(|v| v == "yaml") {
                line.push_str(&format!(
                    " (one file per resource goes into a folder with `--output-dir {value}`)"
                ));
            }
            return line;
        }
    }
    // clap's own wording: its first paragraph and its tips, on one line.
    let rendered = error.render().to_string();
    let mut words: Vec<&str> = Vec::new();
    let mut lines = rendered.lines();
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        words.push(line.trim().trim_start_matches("error: "));
    }
    let mut line = words.join(" ");
    for tip in lines.filter_map(|l| l.trim().strip_prefix("tip: ")) {
        line.push_str("; ");
        line.push_str(tip);
    }
    line.replace('\'', "`")
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
        Command::Rules(args) => match &args.rule {
            Some(id) => print(&crate::rule_catalog::describe(id)?),
            None => print(&crate::rule_catalog::list()),
        },
        Command::Completion(args) => {
            let mut script = Vec::new();
            crate::shell::completion(args.shell, &mut script);
            print(&String::from_utf8_lossy(&script))
        }
        Command::Man(args) => match &args.out {
            Some(dir) => {
                for path in crate::shell::man_pages(dir)? {
                    eprintln!("wrote {}", path.display());
                }
                Ok(EXIT_OK)
            }
            None => {
                let mut page = Vec::new();
                crate::shell::man_page(&mut page)?;
                print(&String::from_utf8_lossy(&page))
            }
        },
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
    let never_ask = args.no_interactive || crate::wizard::in_ci();
    if crate::wizard::wanted(args, crate::wizard::on_terminal(), never_ask)? {
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
        None => Engine::builtin(),
    };
    if args.explain {
        // stderr, so stdout stays a clean YAML stream.
        eprint!("{}", crate::explain::timeline(&crate::plan::build(&spec)));
    }
    emit(
        &spec,
        &engine,
        &Destination {
            format: args.output.unwrap_or_default(),
            dir: args.out.as_deref(),
            force: args.force,
            prune: args.prune,
        },
    )
}

/// `podsmith render FILE`: spec file → validated manifests → stdout or files.
fn render(args: &RenderArgs) -> Result<u8, Error> {
    let spec = crate::spec::load(args.spec_file())?;
    emit(
        &spec,
        &Engine::builtin(),
        &Destination {
            format: args.output.unwrap_or_default(),
            dir: args.out.as_deref(),
            force: args.force,
            prune: args.prune,
        },
    )
}

/// `podsmith schema`: the spec file's JSON Schema on stdout.
fn schema() -> Result<u8, Error> {
    let text = serde_json::to_string_pretty(&crate::spec::schema_json())
        .map_err(|error| Error::Internal(format!("cannot print the schema: {error}")))?;
    crate::output::print_text(&format!("{text}\n"))?;
    Ok(EXIT_OK)
}

/// Where and how rendered manifests go.
struct Destination<'a> {
    format: ManifestFormat,
    /// The `--output-dir` folder; stdout when absent.
    dir: Option<&'a Path>,
    force: bool,
    prune: bool,
}

/// Writes the Kustomize layout of a spec whose full render passed validation.
fn write_kustomize(
    spec: &crate::spec::Spec,
    engine: &Engine,
    dir: &Path,
    force: bool,
) -> Result<u8, Error> {
    let files = crate::kustomize::files(spec, engine, dir)?;
    if !force {
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            return Err(Error::Exists { path: path.clone() });
        }
    }
    for folder in files.iter().filter_map(|(path, _)| path.parent()) {
        std::fs::create_dir_all(folder).map_err(|error| Error::Write {
            path: folder.to_path_buf(),
            message: error.to_string(),
        })?;
    }
    for path in crate::output::write_files(&files, dir, force)? {
        eprintln!("wrote {}", path.display());
    }
    Ok(EXIT_OK)
}

/// Renders a checked spec and prints the stream, or writes files into the folder.
fn emit(spec: &crate::spec::Spec, engine: &Engine, to: &Destination) -> Result<u8, Error> {
    let generated = crate::pipeline::generate(spec, engine)?;
    for note in &generated.notes {
        eprintln!("warning: {note}");
    }
    for warning in &generated.warnings {
        eprintln!(
            "warning: {}: {}: {} [{}]",
            warning.object, warning.path, warning.message, warning.rule
        );
    }
    let Some(dir) = to.dir else {
        crate::output::print_stream(&generated.rendered, to.format)?;
        return Ok(EXIT_OK);
    };
    if to.format == ManifestFormat::Kustomize {
        return write_kustomize(spec, engine, dir, to.force);
    }
    let files = crate::output::files(&generated.rendered, dir, to.format)?;
    let paths: Vec<PathBuf> = files.iter().map(|(path, _)| path.clone()).collect();
    let stale = crate::output::stale_files(dir, &spec.app.name, &paths);
    for path in crate::output::write_files(&files, dir, to.force)? {
        eprintln!("wrote {}", path.display());
    }
    if to.prune {
        crate::output::remove_files(&stale)?;
        for path in &stale {
            eprintln!("removed {}", path.display());
        }
    } else {
        for path in &stale {
            eprintln!(
                "warning: {} was written by podsmith for `{}` and is no longer rendered; \
                 --prune deletes it",
                path.display(),
                spec.app.name
            );
        }
    }
    Ok(EXIT_OK)
}
