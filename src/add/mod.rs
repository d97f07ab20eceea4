//! `podsmith add`: puts patterns into the workloads of manifests people already have (their
//! files, `helm template`, `kustomize build`, `kubectl get -o yaml`).
//!
//! The stream is cut into documents by text ([`stream`]); a document `add` does not change is
//! written back byte for byte. In a changed document the existing fields keep their values and
//! order and only what the patterns need is added ([`inject`]); the document itself is written
//! out again from its parsed form, so comments inside it (not those above it) are lost.

mod clean;
mod inject;
mod record;
mod splice;
mod stream;
mod target;
mod tree;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::cli::AddArgs;
use crate::error::{Error, Result, EXIT_OK};
use crate::kube_version::KubeVersion;
use crate::patterns::{declaration_of, declarations, Pattern};
use crate::render::Engine;
use crate::validate::{self, Severity};
use crate::yaml::{Node, Value};

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
    let mut totals = Totals::default();
    let mut texts = Vec::with_capacity(inputs.len());
    for (name, text) in inputs {
        texts.push(edit_stream(text, name, &request, engine, &mut totals)?);
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

/// What the run saw across all inputs.
#[derive(Default)]
struct Totals {
    seen: Vec<Workload>,
    selected: usize,
    warnings: Vec<String>,
    notes: Vec<String>,
}

/// What happens to one document.
enum Fate {
    Kept,
    Dropped,
    /// Changed into this tree, followed by new documents (ConfigMaps).
    Rewritten(Node, Vec<Node>),
}

/// What editing one workload did.
#[derive(Default)]
struct Outcome {
    changed: bool,
    /// ConfigMaps podsmith wrote before and that go now.
    dropped: Vec<(Option<String>, String)>,
    /// ConfigMaps to write after the workload.
    config_maps: Vec<Node>,
}

fn is_list(node: &Node) -> bool {
    tree::text(node, &["kind"]) == Some("List")
        && tree::at(node, &["items"]).is_some_and(|items| items.as_sequence().is_some())
}

/// The `(namespace, name)` of a ConfigMap.
fn config_map_id(node: &Node) -> Option<(Option<String>, String)> {
    if tree::text(node, &["kind"]) != Some("ConfigMap") {
        return None;
    }
    let name = tree::text(node, &["metadata", "name"])?.to_string();
    let namespace = tree::text(node, &["metadata", "namespace"]).map(str::to_string);
    Some((namespace, name))
}

/// `Kind/name` of a document, for notes.
fn object_name(node: &Node) -> String {
    format!(
        "{}/{}",
        tree::text(node, &["kind"]).unwrap_or("?"),
        tree::text(node, &["metadata", "name"]).unwrap_or("?")
    )
}

/// One document read from a chunk.
struct Parsed {
    root: Node,
    /// Whether a key is written twice in it (its text cannot be edited in place).
    duplicates: bool,
}

/// Edits one stream; returns its new text.
fn edit_stream(
    text: &str,
    file: &str,
    request: &Request,
    engine: &Engine,
    totals: &mut Totals,
) -> Result<String> {
    let chunks = stream::split(text);
    let mut documents: Vec<Option<Parsed>> = Vec::with_capacity(chunks.len());
    for chunk in &chunks {
        if !chunk.has_content() {
            documents.push(None);
            continue;
        }
        let document = crate::yaml::Document {
            text: &chunk.body,
            offset: 0,
            line: chunk.line,
        };
        let tree = crate::yaml::parse(&document).map_err(|error| {
            Error::Usage(format!(
                "{file}:{}: not a YAML document: {error}",
                error.span.line
            ))
        })?;
        documents.push(Some(Parsed {
            root: tree.root,
            duplicates: !tree.duplicates.is_empty(),
        }));
    }
    let mut config_maps: inject::ConfigMapNames = Vec::new();
    for read in documents.iter().flatten() {
        if is_list(&read.root) {
            let items = tree::items(&read.root, &["items"]);
            config_maps.extend(items.iter().filter_map(config_map_id));
        } else {
            config_maps.extend(config_map_id(&read.root));
        }
    }

    let mut fates = Vec::with_capacity(chunks.len());
    let mut dropped = Vec::new();
    for read in &documents {
        let Some(read) = read else {
            fates.push(Fate::Kept);
            continue;
        };
        let mut node = read.root.clone();
        let mut changed = request.clean && clean::clean(&mut node);
        let mut after = Vec::new();
        if is_list(&node) {
            let items = tree::get_mut(&mut node, "items")
                .and_then(tree::items_mut)
                .map(std::mem::take)
                .unwrap_or_default();
            let mut new_items = Vec::with_capacity(items.len());
            for mut item in items {
                let outcome = edit_object(&mut item, request, engine, &config_maps, totals)?;
                changed |= outcome.changed;
                dropped.extend(outcome.dropped);
                new_items.push(item);
                new_items.extend(outcome.config_maps);
            }
            tree::set(&mut node, "items", sequence_like(&read.root, new_items));
        } else {
            let outcome = edit_object(&mut node, request, engine, &config_maps, totals)?;
            changed |= outcome.changed;
            dropped.extend(outcome.dropped);
            after = outcome.config_maps;
        }
        fates.push(if changed {
            Fate::Rewritten(node, after)
        } else {
            Fate::Kept
        });
    }

    // The ConfigMaps podsmith wrote for patterns that changed or went are replaced or dropped.
    let ours = |node: &Node| {
        tree::text(node, &["metadata", "labels", crate::plan::MANAGED_BY_LABEL]) == Some("podsmith")
            && config_map_id(node).is_some_and(|id| dropped.contains(&id))
    };
    for (fate, read) in fates.iter_mut().zip(&documents) {
        let Some(read) = read else { continue };
        if ours(&read.root) {
            *fate = Fate::Dropped;
        } else if is_list(&read.root) {
            let mut current = match fate {
                Fate::Rewritten(current, _) => current.clone(),
                _ => read.root.clone(),
            };
            let Some(items) = tree::get_mut(&mut current, "items").and_then(tree::items_mut) else {
                continue;
            };
            let count = items.len();
            items.retain(|item| !ours(item));
            if items.len() != count {
                *fate = Fate::Rewritten(current, Vec::new());
            }
        }
    }

    let mut out = String::new();
    for ((chunk, fate), read) in chunks.iter().zip(fates).zip(&documents) {
        match (fate, read) {
            (Fate::Kept, _) | (_, None) => out.push_str(&chunk.raw()),
            (Fate::Dropped, _) => {}
            (Fate::Rewritten(node, after), Some(read)) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                if chunk.separator.is_empty() && !out.is_empty() {
                    out.push_str("---\n");
                } else {
                    out.push_str(&chunk.separator);
                }
                out.push_str(&write_document(chunk, read, &node, file, totals));
                for config_map in after {
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str("---\n");
                    out.push_str(&crate::yaml::to_text(&config_map));
                }
            }
        }
    }
    Ok(out)
}

/// A new sequence holding `items` that keeps the place of the sequence under `items` in
/// `list`, so the text of the list's other items is kept.
fn sequence_like(list: &Node, items: Vec<Node>) -> Node {
    match tree::at(list, &["items"]) {
        Some(old) => Node {
            value: Value::Sequence(items),
            ..old.clone()
        },
        None => tree::sequence(items),
    }
}

/// The text of an edited document: its own text with the changes spliced in, or, where that
/// cannot be done, the document written anew (its leading comments kept) and a note saying so.
fn write_document(
    chunk: &stream::Chunk,
    read: &Parsed,
    node: &Node,
    file: &str,
    totals: &mut Totals,
) -> String {
    let object = object_name(&read.root);
    if !read.duplicates {
        if let Some(spliced) = splice::splice(&chunk.body, &read.root, node) {
            for path in spliced.rewritten {
                totals.notes.push(format!(
                    "{file}: {object}: `{path}` was written in flow style ([...] or {{...}}); \
                     podsmith wrote it anew in block style"
                ));
            }
            return spliced.text;
        }
    }
    let why = match read.duplicates {
        true => "a key is written twice in it",
        false => "its layout (an alias, a merge key or a key beside a `-`) cannot take the change in place",
    };
    totals.notes.push(format!(
        "{file}: {object}: {why}, so podsmith wrote the document anew; comments inside it are \
         not kept"
    ));
    format!("{}{}", chunk.leading_comments(), crate::yaml::to_text(node))
}

/// Adds, updates or removes the patterns of one object, if it is a targeted workload.
fn edit_object(
    object: &mut Node,
    request: &Request,
    engine: &Engine,
    config_maps: &inject::ConfigMapNames,
    totals: &mut Totals,
) -> Result<Outcome> {
    let Some(workload) = Workload::of(object) else {
        return Ok(Outcome::default());
    };
    totals.seen.push(workload.clone());
    if !request.selection.selects(&workload, object) || !request.edits_patterns() {
        return Ok(Outcome::default());
    }
    totals.selected += 1;
    let record = Record::read(object, &workload)?;
    let recorded = record.as_ref().map_or(&[][..], |r| r.patterns.as_slice());
    let patterns = request.desired(recorded, &workload)?;
    if let Some(record) = &record {
        let same_container = request
            .container
            .as_ref()
            .is_none_or(|c| *c == record.container);
        if record.patterns == patterns && record.kube_version == request.version && same_container {
            return Ok(Outcome::default());
        }
    }
    let before = object.clone();
    let mut outcome = Outcome {
        changed: true,
        ..Outcome::default()
    };
    if let Some(record) = &record {
        inject::undo(object, &workload, record)?;
        outcome.dropped = record
            .added
            .config_maps
            .iter()
            .map(|name| (workload.namespace.clone(), name.clone()))
            .collect();
    }
    if patterns.is_empty() {
        Record::write(None, object)?;
        return Ok(outcome);
    }
    let pod = target::pod_spec(object, workload.kind)
        .ok_or_else(|| Error::Usage(format!("{} has no pod template", workload.object())))?;
    let requested = request
        .container
        .as_deref()
        .or(record.as_ref().map(|r| r.container.as_str()));
    let app_index = target::app_container(pod, requested, &[], &workload)?;
    let app_name = target::container_names(pod, "containers")
        .get(app_index)
        .cloned()
        .unwrap_or_default();
    let additions = inject::compute(
        object,
        &workload,
        app_index,
        &patterns,
        request.version,
        engine,
    )?;
    let others: inject::ConfigMapNames = config_maps
        .iter()
        .filter(|id| !outcome.dropped.contains(id))
        .cloned()
        .collect();
    inject::check_conflicts(object, &workload, app_index, &additions, &others)?;
    let (added, notes) = inject::apply(object, &workload, app_index, &additions)?;
    totals.warnings.extend(notes);
    let record = Record {
        container: app_name,
        kube_version: request.version,
        patterns,
        added,
    };
    Record::write(Some(&record), object)?;
    check_valid(&before, object, &additions.config_maps, request.version)?;
    totals.warnings.extend(additions.warnings);
    outcome.config_maps = additions.config_maps;
    Ok(outcome)
}

/// Fails when the edited workload (with its new ConfigMaps) has a validation error the
/// workload did not have before.
fn check_valid(
    before: &Node,
    after: &Node,
    config_maps: &[Node],
    version: KubeVersion,
) -> Result<()> {
    let options = validate::Options {
        kube_version: version,
        ..validate::Options::default()
    };
    let errors = |objects: &[&Node]| -> Vec<validate::Finding> {
        let mut text = String::new();
        for object in objects {
            text.push_str("---\n");
            text.push_str(&crate::yaml::to_text(object));
        }
        validate::validate_stream(&text, "<added>", &options)
            .findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect()
    };
    let old = errors(&[before]);
    let mut objects = vec![after];
    objects.extend(config_maps);
    let new: Vec<String> = errors(&objects)
        .into_iter()
        .filter(|f| {
            !old.iter()
                .any(|o| o.rule == f.rule && o.path == f.path && o.message == f.message)
        })
        .map(|f| format!("  {f}"))
        .collect();
    if new.is_empty() {
        Ok(())
    } else {
        Err(Error::RenderedInvalid {
            count: new.len(),
            report: new.join("\n"),
        })
    }
}
