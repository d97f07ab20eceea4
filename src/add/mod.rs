//! `podsmith add`: puts patterns into the workloads of manifests people already have (their
//! files, `helm template`, `kustomize build`, `kubectl get -o yaml`).
//!
//! The stream is cut into documents by text ([`stream`]); a document `add` does not change is
//! written back byte for byte. In a changed document the existing fields keep their values and
//! order and only what the patterns need is added ([`inject`]); the document itself is written
//! out again from its parsed form, so comments inside it (not those above it) are lost.

mod app_spec;
mod clean;
mod conflicts;
mod inject;
mod pod_edit;
mod record;
mod splice;
mod stream;
mod stream_edit;
mod target;
mod tree;
mod workload_edit;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::cli::AddArgs;
use crate::error::{Error, Result, EXIT_OK};
use crate::kube_version::KubeVersion;
use crate::patterns::{declaration_of, declarations, Pattern};
use crate::render::Engine;

pub(crate) use record::Record;
pub use record::ANNOTATION;
use target::{Selection, Workload};

/// What the command line asks of every targeted workload.
struct Request {
    patterns: Vec<Pattern>,
    removals: Vec<&'static str>,
    selection: Selection,
    container: Option<String>,
    version: KubeVersion,
    clean: bool,
}

impl Request {
    fn from_args(args: &AddArgs) -> Result<Request> {
        let (container, flags) = app_container_flag(args)?;
        let patterns = flags.patterns()?;
        let mut removals = Vec::new();
        for name in &args.remove {
            let declaration = declaration_of(name)
                .filter(|d| d.renders())
                .ok_or_else(|| {
                    let ids: Vec<_> = declarations()
                        .iter()
                        .filter(|d| d.renders())
                        .map(|d| d.id)
                        .collect();
                    Error::invalid(
                        "--remove",
                        name,
                        format!("must be one of {}", ids.join(", ")),
                    )
                })?;
            removals.push(declaration.id);
        }
        if !patterns.is_empty() && !removals.is_empty() {
            return Err(Error::Usage(
                "give pattern flags or `--remove`, not both: add and remove in two runs".into(),
            ));
        }
        if patterns.is_empty() && removals.is_empty() && !args.clean {
            return Err(Error::Usage(
                "nothing to do: give pattern flags (e.g. --wait-for HOST:PORT), --remove PATTERN \
                 or --clean"
                    .into(),
            ));
        }
        let version = match &args.kube_version {
            Some(text) => text
                .parse()
                .map_err(|rule: crate::kube_version::KubeVersionError| {
                    Error::invalid("--kube-version", text, rule.to_string())
                })?,
            None => KubeVersion::default(),
        };
        Ok(Request {
            patterns,
            removals,
            selection: Selection::parse(&args.targets, &args.selectors)?,
            container,
            version,
            clean: args.clean,
        })
    }

    /// Whether the request changes patterns (not only `--clean`).
    fn edits_patterns(&self) -> bool {
        !self.patterns.is_empty() || !self.removals.is_empty()
    }

    /// The patterns `workload` should carry, given those podsmith added before: a pattern
    /// given again replaces the recorded one of its type; the others stay.
    fn desired(&self, recorded: &[Pattern], workload: &Workload) -> Result<Vec<Pattern>> {
        if !self.removals.is_empty() {
            for id in &self.removals {
                if !recorded.iter().any(|p| p.id() == *id) {
                    return Err(Error::invalid(
                        "--remove",
                        *id,
                        format!("podsmith added no {id} to {}", workload.object()),
                    ));
                }
            }
            return Ok(recorded
                .iter()
                .filter(|p| !self.removals.contains(&p.id()))
                .cloned()
                .collect());
        }
        let mut patterns: Vec<Pattern> = recorded
            .iter()
            .filter(|old| !self.patterns.iter().any(|new| new.id() == old.id()))
            .cloned()
            .chain(self.patterns.iter().cloned())
            .collect();
        let start_order = |p: &Pattern| {
            declarations()
                .iter()
                .position(|d| d.id == p.id())
                .unwrap_or(usize::MAX)
        };
        patterns.sort_by_key(start_order);
        Ok(patterns)
    }
}

/// The app container `--container NAME` (or `--app-container NAME`) names, and the pattern
/// flags without it: `--container NAME=IMAGE` is the co-located container pattern, as in
/// `new`, and a container name never holds `=`.
fn app_container_flag(
    args: &AddArgs,
) -> Result<(Option<String>, crate::patterns::flags::PatternFlags)> {
    let (named, colocated): (Vec<String>, Vec<String>) = args
        .patterns
        .all("container")
        .iter()
        .cloned()
        .partition(|value| !value.contains('='));
    let mut flags = args.patterns.clone();
    flags.set("container", colocated);
    let mut names = named.into_iter().chain(args.app_container.clone());
    let container = names.next();
    if let (Some(first), Some(second)) = (&container, names.find(|n| Some(n) != container.as_ref()))
    {
        return Err(Error::Usage(format!(
            "`--container {first}` and `--container {second}`: name one app container (run add \
             once per container)"
        )));
    }
    Ok((container, flags))
}

/// One input: a file, or stdin when `path` is `None`.
struct Input {
    name: String,
    path: Option<PathBuf>,
}

/// The inputs `--file` names: stdin, a file, or a folder's YAML files (recursively, sorted).
fn inputs(file: &Path) -> Result<Vec<Input>> {
    if file.as_os_str() == "-" {
        return Ok(vec![Input {
            name: "<stdin>".into(),
            path: None,
        }]);
    }
    let failed = |path: &Path, error: std::io::Error| Error::Read {
        path: path.to_path_buf(),
        message: error.to_string(),
    };
    if !std::fs::metadata(file)
        .map_err(|e| failed(file, e))?
        .is_dir()
    {
        return Ok(vec![Input {
            name: file.display().to_string(),
            path: Some(file.to_path_buf()),
        }]);
    }
    let mut found = Vec::new();
    let mut folders = vec![file.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| failed(&folder, e))? {
            let path = entry.map_err(|e| failed(&folder, e))?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found
        .into_iter()
        .map(|path| Input {
            name: path.display().to_string(),
            path: Some(path),
        })
        .collect())
}

fn read(input: &Input) -> Result<String> {
    let mut text = String::new();
    let result = match &input.path {
        Some(path) => std::fs::read_to_string(path).map(|read| text = read),
        None => std::io::stdin().read_to_string(&mut text).map(|_| ()),
    };
    result.map_err(|error| Error::Read {
        path: input.path.clone().unwrap_or_else(|| PathBuf::from("-")),
        message: error.to_string(),
    })?;
    Ok(text)
}

/// `podsmith add`.
pub(crate) fn run(args: &AddArgs) -> Result<u8> {
    let inputs = inputs(&args.file)?;
    let mut texts = Vec::new();
    for input in &inputs {
        if args.in_place {
            let Some(path) = &input.path else {
                return Err(Error::invalid(
                    "--in-place",
                    &input.name,
                    "rewrites files: give --file FILE or DIR, not stdin",
                ));
            };
            if path.extension().is_some_and(|e| e == "json") {
                return Err(Error::invalid(
                    "--in-place",
                    &input.name,
                    "rewrites YAML files only; convert the JSON file or print to stdout",
                ));
            }
        }
        texts.push((input.name.clone(), read(input)?));
    }
    let edited = edit(&texts, args, &Engine::builtin())?;
    for warning in &edited.warnings {
        eprintln!("warning: {warning}");
    }
    for note in &edited.notes {
        eprintln!("note: {note}");
    }
    let results = inputs.iter().zip(&texts).zip(&edited.texts);
    if args.diff {
        let mut text = String::new();
        for ((input, (_, before)), after) in results {
            let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str());
            let a = format!("a/{}", input.name);
            let b = format!("b/{}", input.name);
            text.push_str(&diff.unified_diff().header(&a, &b).to_string());
        }
        crate::output::print_text(&text)?;
    } else if args.in_place {
        for ((input, (_, before)), after) in results {
            if let Some(path) = input.path.as_deref().filter(|_| before != after) {
                replace_file(path, after)?;
                eprintln!("updated {}", path.display());
            }
        }
    } else {
        let mut text = String::new();
        for after in &edited.texts {
            if !text.is_empty() && !after.starts_with("---") {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str("---\n");
            }
            text.push_str(after);
        }
        crate::output::print_text(&text)?;
    }
    Ok(EXIT_OK)
}

/// The streams `add` wrote, one per input, and what the user must know about them.
#[derive(Debug)]
pub struct Edited {
    /// The new text of each input, in order.
    pub texts: Vec<String>,
    /// Warnings, each once.
    pub warnings: Vec<String>,
    /// Where a document's text could not be kept as written, and why.
    pub notes: Vec<String>,
}

/// Applies `args` to the streams `(name, text)`: the whole of `add` but reading and writing.
pub fn edit(inputs: &[(String, String)], args: &AddArgs, engine: &Engine) -> Result<Edited> {
    let request = Request::from_args(args)?;
    let mut totals = stream_edit::Totals::default();
    let mut texts = Vec::with_capacity(inputs.len());
    for (name, text) in inputs {
        texts.push(stream_edit::edit(
            text,
            name,
            &request,
            engine,
            &mut totals,
        )?);
    }
    if let Some(target) = request.selection.unmatched(&totals.seen) {
        return Err(Error::invalid(
            "--target",
            target,
            "names no workload of the input",
        ));
    }
    if request.edits_patterns() && totals.selected == 0 {
        return Err(Error::Usage(if totals.seen.is_empty() {
            "the input has no workload (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob)"
                .into()
        } else {
            "no workload of the input matches --target and --selector".into()
        }));
    }
    let warnings: BTreeSet<String> = totals.warnings.into_iter().collect();
    Ok(Edited {
        texts,
        warnings: warnings.into_iter().collect(),
        notes: totals.notes,
    })
}

/// Replaces `path` with `text` atomically, keeping its permissions.
fn replace_file(path: &Path, text: &str) -> Result<()> {
    let failed = |error: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        message: error.to_string(),
    };
    let permissions = std::fs::metadata(path).map_err(failed)?.permissions();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".podsmith-")
        .tempfile_in(dir)
        .map_err(failed)?;
    temp.write_all(text.as_bytes()).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    std::fs::set_permissions(temp.path(), permissions).map_err(failed)?;
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}
