//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use clap::Parser;
use podsmith::cli::{Cli, Command, NewArgs};
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
    render_args(&new_args(words))
}

/// The flags of a `podsmith new ...` command line (without `podsmith`), as clap parses them.
pub fn new_args(words: &[String]) -> NewArgs {
    let cli =
        Cli::try_parse_from(std::iter::once("podsmith".to_string()).chain(words.iter().cloned()))
            .expect("test command lines parse");
    let Command::New(args) = cli.command else {
        panic!("test command lines are `new` commands");
    };
    *args
}

/// What `podsmith new` makes of `args`, through the library.
pub fn render_args(args: &NewArgs) -> Result<Generated, Error> {
    let spec = podsmith::spec::from_flags(args)?;
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

/// Compares `text` with its snapshot `snapshots/<suite>/<name>.snap`, described by
/// `description` (the command that made it, or nothing). One call a test, so that every
/// mismatch is shown.
pub fn assert_snapshot(suite: &str, name: &str, description: &str, text: &str) {
    let mut settings = settings(suite);
    if !description.is_empty() {
        settings.set_description(description);
    }
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// Says that a cross-check could not run and why: `SKIPPED: {why}` on stderr. Under `CI=true`,
/// where `.ci/run` installs every tool, a check that cannot run fails instead.
pub fn skip(why: &str) {
    eprintln!("SKIPPED: {why}");
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "under CI every cross-check runs, but: {why}"
    );
}

/// The podsmith binary, for tests of the whole process.
pub fn podsmith() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_podsmith"));
    command.env("NO_COLOR", "1");
    command
}

/// The command line most tests start from (without `podsmith`): a web app with an image and
/// a port, as in the README's first example; a test adds the flags it is about.
pub const NEW_WEB: [&str; 6] = [
    "new",
    "web",
    "--image",
    "ghcr.io/acme/web:1.4.2",
    "--port",
    "8080",
];

/// The podsmith binary running [`NEW_WEB`], for a test to add its flags to.
pub fn podsmith_new_web() -> assert_cmd::Command {
    let mut command = podsmith();
    command.args(NEW_WEB);
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

/// Verdicts of a slow outside checker (kubernetes-validate), kept in `target/tmp/` so that a run
/// asks the checker only about what it has not judged yet. An entry holds everything that
/// decides the verdict (the checker's path and modification time, its arguments, the checked
/// text) and is used only when all of it is byte for byte the same: no hash collision can
/// reuse a verdict for other input.
pub struct VerdictCache {
    dir: PathBuf,
    checker: String,
}

impl VerdictCache {
    /// The cache `name` for the checker at `program`.
    pub fn new(name: &str, program: &Path) -> VerdictCache {
        let modified = std::fs::metadata(program)
            .and_then(|m| m.modified())
            .map(|time| format!("{time:?}"))
            .unwrap_or_default();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        std::fs::create_dir_all(&dir).expect("the cache folder");
        VerdictCache {
            dir,
            checker: format!("{}\n{modified}", program.display()),
        }
    }

    /// What decides a verdict, and the file that would hold it.
    fn entry(&self, parts: &[&[u8]]) -> (Vec<u8>, PathBuf) {
        use std::hash::{Hash, Hasher};
        let mut key = self.checker.as_bytes().to_vec();
        for part in parts {
            key.extend_from_slice(format!("\n{}\n", part.len()).as_bytes());
            key.extend_from_slice(part);
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        let file = self.dir.join(format!("{:016x}", hasher.finish()));
        (key, file)
    }

    /// The verdict on `parts` (arguments and checked text), if the checker gave one before.
    pub fn get(&self, parts: &[&[u8]]) -> Option<String> {
        let (key, file) = self.entry(parts);
        let stored = std::fs::read(file).ok()?;
        let verdict = stored.strip_prefix(key.as_slice())?.strip_prefix(b"\0")?;
        String::from_utf8(verdict.to_vec()).ok()
    }

    /// Keeps the checker's `verdict` on `parts`, written whole or not at all.
    pub fn put(&self, parts: &[&[u8]], verdict: &str) {
        let (mut stored, file) = self.entry(parts);
        stored.push(0);
        stored.extend_from_slice(verdict.as_bytes());
        let mut temporary = tempfile::NamedTempFile::new_in(&self.dir).expect("a cache file");
        std::io::Write::write_all(&mut temporary, &stored).expect("writes the cache file");
        temporary.persist(file).expect("keeps the cache file");
    }
}

/// Runs `podsmith new web --image ghcr.io/acme/web:1.4.2` with each case's flags and expects
/// what a user should see for bad input: exit 2, nothing on stdout, and exactly that one line.
pub fn assert_refused(cases: &[(&[&str], &str)]) {
    for (flags, message) in cases {
        podsmith()
            .args(["new", "web", "--image", "ghcr.io/acme/web:1.4.2"])
            .args(*flags)
            .assert()
            .code(2)
            .stdout("")
            .stderr(message.to_string());
    }
}
