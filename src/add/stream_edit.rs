//! Edits one stream of documents: each workload the request selects gets its patterns
//! ([`workload_edit`](super::workload_edit)), the ConfigMaps podsmith wrote for patterns that
//! changed or went are dropped, and every document `add` did not change is written back byte
//! for byte; a changed one keeps its own text with the changes spliced in where it can.

use crate::add::target::Workload;
use crate::add::{clean, splice, stream, tree, workload_edit, Request};
use crate::error::{Error, Result};
use crate::render::Engine;
use crate::yaml::{Node, Value};

/// What the run saw across all inputs.
#[derive(Default)]
pub(super) struct Totals {
    /// Every workload of the inputs.
    pub(crate) seen: Vec<Workload>,
    /// How many of them the request selects.
    pub(crate) selected: usize,
    /// Warnings, perhaps more than once.
    pub(crate) warnings: Vec<String>,
    /// Where a document's text could not be kept as written, and why.
    pub(crate) notes: Vec<String>,
}

/// What happens to one document.
enum Fate {
    Kept,
    Dropped,
    /// Changed into this tree, followed by new documents (ConfigMaps).
    Rewritten(Node, Vec<Node>),
}

/// The `(namespace, name)` of each ConfigMap in the stream.
pub(super) type ConfigMapNames = Vec<(Option<String>, String)>;

/// Whether a document is a `kind: List` of objects.
pub(super) fn is_list(node: &Node) -> bool {
    tree::text(node, &["kind"]) == Some("List")
        && tree::at(node, &["items"]).is_some_and(|items| items.as_sequence().is_some())
}

/// The `(namespace, name)` of a ConfigMap.
pub(super) fn config_map_id(node: &Node) -> Option<(Option<String>, String)> {
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
pub(super) fn edit(
    text: &str,
    file: &str,
    request: &Request,
    engine: &Engine,
    totals: &mut Totals,
) -> Result<String> {
    let chunks = stream::split(text);
    let documents = parse(&chunks, file)?;
    let config_maps = config_maps(&documents);
    let mut fates = Vec::with_capacity(chunks.len());
    let mut dropped = Vec::new();
    for read in &documents {
        let fate = match read {
            Some(read) => edit_document(read, request, engine, &config_maps, &mut dropped, totals)?,
            None => Fate::Kept,
        };
        fates.push(fate);
    }
    drop_replaced_config_maps(&mut fates, &documents, &dropped);
    Ok(write(&chunks, fates, &documents, file, totals))
}

/// Each chunk's document, or `None` for a chunk with no content.
fn parse(chunks: &[stream::Chunk], file: &str) -> Result<Vec<Option<Parsed>>> {
    let mut documents = Vec::with_capacity(chunks.len());
    for chunk in chunks {
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
    Ok(documents)
}

/// The ConfigMaps of the stream, in Lists too.
fn config_maps(documents: &[Option<Parsed>]) -> ConfigMapNames {
    let mut config_maps = ConfigMapNames::new();
    for read in documents.iter().flatten() {
        if is_list(&read.root) {
            let items = tree::items(&read.root, &["items"]);
            config_maps.extend(items.iter().filter_map(config_map_id));
        } else {
            config_maps.extend(config_map_id(&read.root));
        }
    }
    config_maps
}

/// Cleans a document when asked and edits the workloads in it (each item of a List), adding
/// to `dropped` the ConfigMaps podsmith wrote before that go now.
fn edit_document(
    read: &Parsed,
    request: &Request,
    engine: &Engine,
    config_maps: &ConfigMapNames,
    dropped: &mut ConfigMapNames,
    totals: &mut Totals,
) -> Result<Fate> {
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
            let outcome = workload_edit::edit(&mut item, request, engine, config_maps, totals)?;
            changed |= outcome.changed;
            dropped.extend(outcome.dropped);
            new_items.push(item);
            new_items.extend(outcome.config_maps);
        }
        tree::set(&mut node, "items", sequence_like(&read.root, new_items));
    } else {
        let outcome = workload_edit::edit(&mut node, request, engine, config_maps, totals)?;
        changed |= outcome.changed;
        dropped.extend(outcome.dropped);
        after = outcome.config_maps;
    }
    Ok(if changed {
        Fate::Rewritten(node, after)
    } else {
        Fate::Kept
    })
}

/// The ConfigMaps podsmith wrote for patterns that changed or went are replaced or dropped.
fn drop_replaced_config_maps(
    fates: &mut [Fate],
    documents: &[Option<Parsed>],
    dropped: &ConfigMapNames,
) {
    let ours = |node: &Node| {
        tree::text(node, &["metadata", "labels", crate::plan::MANAGED_BY_LABEL]) == Some("podsmith")
            && config_map_id(node).is_some_and(|id| dropped.contains(&id))
    };
    for (fate, read) in fates.iter_mut().zip(documents) {
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
}

/// The stream's new text: kept chunks as they were, rewritten documents each followed by
/// its new ConfigMaps.
fn write(
    chunks: &[stream::Chunk],
    fates: Vec<Fate>,
    documents: &[Option<Parsed>],
    file: &str,
    totals: &mut Totals,
) -> String {
    let mut out = String::new();
    for ((chunk, fate), read) in chunks.iter().zip(fates).zip(documents) {
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
    out
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
