//! `--format kustomize`: the workload as a Kustomize base and one Component per pattern, so a
//! team turns a pattern off by deleting one line of `kustomization.yaml`.
//!
//! The base is what `new` renders without patterns (the workload and its Service). Each
//! Component holds what its pattern adds to that base on its own: its objects (ConfigMaps) as
//! resources, its changes to the others as strategic-merge patches keyed by name (or mount
//! path, or port), which create a list that is not there yet and merge into one that is. So any
//! subset of the Components builds, whichever others are on; a pattern that needs another
//! (git-sync on git-clone's checkout) is diffed against that one and says so in a comment.
//!
//! Kustomize puts the list items a strategic-merge patch names first, in the patch's order, and
//! the items already there after them. So each patch names the items its pattern found (by key
//! only) before the ones it adds, and the Components are listed last-starting first: the one
//! applied last, the first pattern, puts its items right after the base's, ahead of those of the
//! patterns after it. Before writing, [`check`] builds every layout a team gets by deleting one
//! line the way Kustomize merges and compares it with what `new` renders for those patterns.

mod layout;
mod patch;
mod simulate;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::patterns::Pattern;
use crate::render::{Document, Engine};
use crate::spec::Spec;
use crate::yaml::{Entry, Node, Span, Style, Value};

use patch::{added_objects, patches, Patch};

/// The API version of a `kustomization.yaml`.
const KUSTOMIZATION_API: &str = "kustomize.config.k8s.io/v1beta1";
/// The API version of a Component's `kustomization.yaml`.
const COMPONENT_API: &str = "kustomize.config.k8s.io/v1alpha1";
/// The strategic-merge directive that deletes the object or list item it is in.
const PATCH_DIRECTIVE: &str = "$patch";

/// The files of the Kustomize layout for `spec` under `dir`: `(path, text)`, folders first
/// created by the caller.
pub(crate) fn files(spec: &Spec, engine: &Engine, dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let render = |patterns: &[Pattern]| {
        let mut partial = spec.clone();
        partial.patterns = patterns.to_vec();
        engine.render(&crate::plan::build(&partial))
    };
    let base = render(&[])?;
    let mut components: Vec<Component> = Vec::new();
    for (index, pattern) in spec.patterns.iter().enumerate() {
        let repeat = spec.patterns[..index]
            .iter()
            .filter(|p| p.id() == pattern.id())
            .count();
        let name = match repeat {
            0 => pattern.id().to_string(),
            n => format!("{}-{}", pattern.id(), n + 1),
        };
        // What the pattern needs, as the earlier patterns that provide it.
        let needs: Vec<usize> = (0..index)
            .filter(|&i| Some(spec.patterns[i].id()) == pattern.declaration().requires)
            .collect();
        let context: Vec<Pattern> = needs.iter().map(|&i| spec.patterns[i].clone()).collect();
        let before = render(&context)?;
        let mut alone = context;
        alone.push(pattern.clone());
        let after = render(&alone)?;
        let mut comments = vec![format!(
            "{}: {}",
            pattern.id(),
            pattern.declaration().purpose
        )];
        if !needs.is_empty() {
            let names: Vec<String> = needs
                .iter()
                .map(|&i| format!("components/{}", components[i].name))
                .collect();
            comments.push(format!(
                "Builds on what {} adds: turning that off needs this one off too.",
                names.join(" and ")
            ));
        }
        components.push(Component {
            name,
            comments,
            needs,
            resources: added_objects(&before, &after),
            patches: patches(&before, &after)?,
        });
    }
    simulate::check(spec, &base, &components, render)?;
    Ok(layout::layout(&base, &components, dir))
}

/// One pattern's Component.
struct Component {
    /// Its folder under `components/`.
    name: String,
    /// The comments of its `kustomization.yaml`.
    comments: Vec<String>,
    /// The Components (by index) it builds on.
    needs: Vec<usize>,
    /// The objects it adds.
    resources: Vec<Document>,
    /// Its patches of the objects it changes or deletes.
    patches: Vec<Patch>,
}

fn parse(document: &Document) -> Result<Node> {
    crate::yaml::parse_one(&document.text)
        .map(|tree| tree.root)
        .map_err(|error| Error::Internal(format!("rendered YAML: {error}")))
}

fn entry(key: &str, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span: Span::default(),
        key_style: Style::Built,
        value,
    }
}

fn string(text: &str) -> Node {
    Node::built(Value::String(text.to_string()))
}

fn mapping(entries: Vec<Entry>) -> Node {
    Node::built(Value::Mapping(entries))
}

/// The file a document goes to: as `--output-dir` names it.
fn file_name(document: &Document) -> String {
    crate::output::file_name(document, crate::cli::ManifestFormat::Yaml)
}
