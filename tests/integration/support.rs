//! Helpers shared by the integration tests.

use clap::Parser;
use podsmith::cli::{Cli, Command};
use podsmith::error::Error;
use podsmith::pipeline::{generate, Generated};
use podsmith::render::Engine;

/// Runs `podsmith new ...` (given as a shell-like command line, without `podsmith`) through
/// the library and returns the validated result.
pub fn render(command_line: &str) -> Result<Generated, Error> {
    let words = shell_words::split(command_line).expect("test command lines are well quoted");
    render_words(&words)
}

/// Like [`render`], with the words already split.
pub fn render_words(words: &[String]) -> Result<Generated, Error> {
    let cli =
        Cli::try_parse_from(std::iter::once("podsmith".to_string()).chain(words.iter().cloned()))
            .expect("test command lines parse");
    let Command::New(args) = cli.command else {
        panic!("test command lines are `new` commands");
    };
    let spec = podsmith::spec::from_flags(&args)?;
    generate(&spec, engine())
}

/// The built-in engine, built once for the whole test process.
pub fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(Engine::builtin)
}

/// Snapshot settings for a suite: files in the top-level `snapshots/<suite>/` folder.
pub fn settings(suite: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("{}/snapshots/{suite}", env!("CARGO_MANIFEST_DIR")));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The podsmith binary, for tests of the whole process.
pub fn podsmith() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_podsmith"));
    command.env("NO_COLOR", "1");
    command
}

/// Every document of a YAML stream as JSON, read by an independent YAML 1.2 reader (the saphyr
/// crate's loader, not podsmith's tree), so tests check podsmith's output against something
/// podsmith did not write.
pub fn yaml12(stream: &str) -> Vec<serde_json::Value> {
    use saphyr::{LoadableYamlNode, ScalarOwned, YamlOwned};
    fn json(node: &YamlOwned) -> serde_json::Value {
        match node {
            YamlOwned::Value(ScalarOwned::Null) => serde_json::Value::Null,
            YamlOwned::Value(ScalarOwned::Boolean(value)) => (*value).into(),
            YamlOwned::Value(ScalarOwned::Integer(value)) => (*value).into(),
            YamlOwned::Value(ScalarOwned::FloatingPoint(value)) => value.into_inner().into(),
            YamlOwned::Value(ScalarOwned::String(text)) => text.clone().into(),
            YamlOwned::Sequence(items) => items.iter().map(json).collect(),
            YamlOwned::Mapping(entries) => entries
                .iter()
                .map(|(key, value)| {
                    let key = match json(key) {
                        serde_json::Value::String(text) => text,
                        other => panic!("a key that is not a string: {other}"),
                    };
                    (key, json(value))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
            YamlOwned::Tagged(_, inner) => json(inner),
            other => panic!("unexpected YAML node {other:?}"),
        }
    }
    YamlOwned::load_from_str(stream)
        .expect("the stream is YAML")
        .iter()
        .map(json)
        .collect()
}
