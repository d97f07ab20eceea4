//! Writes an edited document by splicing its own text: the parts `add` put in are inserted at
//! the right place and indentation, the parts it took out are cut, and every other byte
//! (comments, quoting, blank lines, key order) stays as the user wrote it.
//!
//! The edited tree is compared with the tree read from the text: nodes that keep their source
//! span are what was there, [`Style::Built`] nodes are new. A flow collection that changes
//! (`containers: [...]` gaining an item) is written anew in block style, and [`Spliced`] names
//! it so the user hears about it. A change the text cannot take at all (an edit through an
//! alias or merge key, a key sharing its line with a `-`) makes [`splice`] return `None`, and
//! the caller writes the document anew. The result is read back and must hold exactly the
//! edited tree, or `None` too.

mod positions;

use std::ops::Range;

use self::positions::{
    above_comments, dash_of, entry_end, inside, inside_text, line_end, line_start, node_end,
};
use crate::add::tree;
use crate::yaml::{self, Entry, Node, Style, Value};

/// A document's text with `add`'s changes spliced in.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Spliced {
    /// The new text.
    pub(crate) text: String,
    /// The paths of flow collections written anew in block style.
    pub(crate) rewritten: Vec<String>,
}

/// The text of `document` (read into `old`) changed to hold `new`, or `None` when that needs
/// rewriting the document.
pub(super) fn splice(document: &str, old: &Node, new: &Node) -> Option<Spliced> {
    // A last line without a line break gets one while splicing, and loses it again after.
    let open_end = !document.is_empty() && !document.ends_with('\n');
    let closed = format!("{document}\n");
    let mut splicer = Splicer {
        text: if open_end { &closed } else { document },
        edits: Vec::new(),
        sequence_indent: sequence_indent(document, old).unwrap_or(0),
        rewritten: Vec::new(),
    };
    match (&old.value, &new.value) {
        (Value::Mapping(_), Value::Mapping(_)) if old.style == Style::Block => {
            splicer.mapping(old, new, "")?;
        }
        _ => return None,
    }
    let rewritten = std::mem::take(&mut splicer.rewritten);
    let mut text = splicer.apply();
    if open_end && text.ends_with('\n') {
        text.pop();
    }
    let reread = yaml::parse_one(&text).ok()?;
    (reread.duplicates.is_empty() && reread.root.same_values(new))
        .then_some(Spliced { text, rewritten })
}

/// How far the document indents sequence items from their key: the first block sequence
/// under a key decides.
fn sequence_indent(text: &str, node: &Node) -> Option<usize> {
    for entry in node.as_mapping().unwrap_or(&[]) {
        let value = &entry.value;
        if value.style == Style::Block {
            if let Some(first) = value.as_sequence().and_then(|items| items.first()) {
                let dash = dash_of(text, first)?;
                let key_column = entry.key_span.column.checked_sub(1)?;
                return (dash - line_start(text, dash)).checked_sub(key_column);
            }
        }
        let found = match &value.value {
            Value::Mapping(_) => sequence_indent(text, value),
            Value::Sequence(items) => items.iter().find_map(|item| sequence_indent(text, item)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// One change to the text: `text[start..end]` becomes `with`.
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

struct Splicer<'a> {
    text: &'a str,
    edits: Vec<Edit>,
    sequence_indent: usize,
    rewritten: Vec<String>,
}

impl Splicer<'_> {
    fn apply(mut self) -> String {
        // Insertions before the cut that starts where they go.
        self.edits
            .sort_by_key(|edit| (edit.start, edit.end > edit.start));
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for edit in &self.edits {
            out.push_str(&self.text[at..edit.start]);
            out.push_str(&edit.with);
            at = edit.end;
        }
        out.push_str(&self.text[at..]);
        out
    }

    fn edit(&mut self, start: usize, end: usize, with: String) -> Option<()> {
        let overlaps = self.edits.iter().any(|e| {
            start < e.end && e.start < end || (start == end && e.start < start && start < e.end)
        });
        (!overlaps && start <= end && end <= self.text.len()).then(|| {
            self.edits.push(Edit { start, end, with });
        })
    }

    /// `old`, a block mapping of the text, changed into `new`.
    fn mapping(&mut self, old: &Node, new: &Node, path: &str) -> Option<()> {
        let old_entries = old.as_mapping()?;
        let new_entries = new.as_mapping()?;
        if old_entries.is_empty() || !old_entries.iter().all(|e| inside(old, e.key_span.start)) {
            return None;
        }
        let indent = old_entries[0].key_span.column.checked_sub(1)?;
        // Where each kept entry came from.
        let mut kept: Vec<Option<usize>> = Vec::with_capacity(new_entries.len());
        for entry in new_entries {
            kept.push(match entry.key_style {
                Style::Built => None,
                _ => Some(
                    old_entries
                        .iter()
                        .position(|o| o.key_span == entry.key_span)?,
                ),
            });
        }
        if !kept.iter().flatten().is_sorted() {
            return None;
        }
        for (at, entry) in old_entries.iter().enumerate() {
            if !kept.contains(&Some(at)) {
                let start = self.own_line(entry.key_span.start)?;
                let end = line_end(self.text, entry_end(self.text, entry));
                self.edit(start, end, String::new())?;
            }
        }
        let mut at = 0;
        while at < new_entries.len() {
            if let Some(from) = kept[at] {
                let child = yaml::path::key(path, &new_entries[at].key);
                self.entry(&old_entries[from], &new_entries[at], &child)?;
                at += 1;
                continue;
            }
            let (run, anchor) = added_run(&kept, at);
            let place = match anchor {
                Anchor::After(previous) => {
                    line_end(self.text, entry_end(self.text, &old_entries[previous]))
                }
                Anchor::Before(next) => {
                    above_comments(self.text, self.own_line(old_entries[next].key_span.start)?)
                }
            };
            let inserted = Node::built(Value::Mapping(new_entries[run.clone()].to_vec()));
            let text = indented(
                &yaml::to_text_indented(&inserted, self.sequence_indent),
                indent,
            );
            self.edit(place, place, text)?;
            at = run.end;
        }
        Some(())
    }

    /// A kept entry whose value may have changed.
    fn entry(&mut self, old: &Entry, new: &Entry, path: &str) -> Option<()> {
        if old.value.same_values(&new.value) {
            return Some(());
        }
        let recursible = new.value.style != Style::Built && old.value.style == Style::Block;
        match (&old.value.value, &new.value.value) {
            (Value::Mapping(_), Value::Mapping(entries)) if recursible && !entries.is_empty() => {
                self.mapping(&old.value, &new.value, path)
            }
            (Value::Sequence(_), Value::Sequence(items)) if recursible && !items.is_empty() => {
                self.sequence(&old.value, &new.value, path)
            }
            (Value::Mapping(_) | Value::Sequence(_), _) if old.value.style == Style::Flow => {
                let empty = old.value.as_mapping().is_some_and(<[_]>::is_empty)
                    || old.value.as_sequence().is_some_and(<[_]>::is_empty);
                if !empty {
                    self.rewritten.push(path.to_string());
                }
                self.replace_value(old, &new.value)
            }
            _ => self.replace_value(old, &new.value),
        }
    }

    /// Writes `value` in place of the value of `old`, after its key as written.
    fn replace_value(&mut self, old: &Entry, value: &Node) -> Option<()> {
        if !inside_text(self.text, old.key_span.end) || old.value.style == Style::Alias {
            return None;
        }
        let indent = old.key_span.column.checked_sub(1)?;
        let single = Node::built(Value::Mapping(vec![tree::entry(&old.key, value.clone())]));
        let written = indented(
            &yaml::to_text_indented(&single, self.sequence_indent),
            indent,
        );
        let key = format!("{}{}", " ".repeat(indent), yaml::scalar(&old.key));
        let after_key = written.strip_prefix(&key)?;
        let end = line_end(self.text, entry_end(self.text, old));
        self.edit(old.key_span.end, end, after_key.to_string())
    }

    /// `old`, a block sequence of the text, changed into `new`.
    fn sequence(&mut self, old: &Node, new: &Node, path: &str) -> Option<()> {
        let old_items = old.as_sequence()?;
        let new_items = new.as_sequence()?;
        if old_items.is_empty() || !old_items.iter().all(|i| inside(old, i.span.start)) {
            return None;
        }
        let first_dash = dash_of(self.text, &old_items[0])?;
        let dash_column = first_dash - line_start(self.text, first_dash);
        let content_column = old_items[0].span.column.checked_sub(1)?;
        let mut kept: Vec<Option<usize>> = Vec::with_capacity(new_items.len());
        for item in new_items {
            kept.push(match item.style {
                Style::Built => None,
                _ => Some(old_items.iter().position(|o| o.span == item.span)?),
            });
        }
        if !kept.iter().flatten().is_sorted() {
            return None;
        }
        for (at, item) in old_items.iter().enumerate() {
            if !kept.contains(&Some(at)) {
                let start = self.own_line(dash_of(self.text, item)?)?;
                let end = line_end(self.text, node_end(self.text, item));
                self.edit(start, end, String::new())?;
            }
        }
        let mut at = 0;
        while at < new_items.len() {
            if let Some(from) = kept[at] {
                let (old_item, new_item) = (&old_items[from], &new_items[at]);
                if !old_item.same_values(new_item) {
                    match (&old_item.value, &new_item.value) {
                        (Value::Mapping(_), Value::Mapping(_))
                            if old_item.style == Style::Block =>
                        {
                            self.mapping(old_item, new_item, &yaml::path::index(path, at))?
                        }
                        _ => return None,
                    }
                }
                at += 1;
                continue;
            }
            let (run, anchor) = added_run(&kept, at);
            let place = match anchor {
                Anchor::After(previous) => {
                    line_end(self.text, node_end(self.text, &old_items[previous]))
                }
                Anchor::Before(next) => self.own_line(dash_of(self.text, &old_items[next])?)?,
            };
            let mut text = String::new();
            for item in &new_items[run.clone()] {
                text.push_str(&item_text(
                    item,
                    dash_column,
                    content_column,
                    self.sequence_indent,
                ));
            }
            self.edit(place, place, text)?;
            at = run.end;
        }
        Some(())
    }

    /// The start of the line `at` is on, when only indentation precedes `at` there.
    fn own_line(&self, at: usize) -> Option<usize> {
        let start = line_start(self.text, at);
        self.text[start..at]
            .chars()
            .all(|c| c == ' ')
            .then_some(start)
    }
}

/// Where a run of added entries or items goes among the kept old ones.
enum Anchor {
    /// After old entry or item number `n`, the last kept one before the run.
    After(usize),
    /// Before old entry or item number `n`, when none is kept before the run.
    Before(usize),
}

/// The run of added entries or items that starts at `at`, and where it goes. `kept` holds, for
/// each new entry or item, the number of the old one it keeps (`None` for an added one); a
/// mapping and a sequence place their runs alike, so both ask here.
fn added_run(kept: &[Option<usize>], at: usize) -> (Range<usize>, Anchor) {
    let run = at..kept[at..]
        .iter()
        .position(Option::is_some)
        .map_or(kept.len(), |n| at + n);
    let anchor = match kept[..at].iter().rev().flatten().next() {
        Some(&previous) => Anchor::After(previous),
        None => Anchor::Before(
            kept[run.end..]
                .iter()
                .flatten()
                .next()
                .copied()
                .unwrap_or(0),
        ),
    };
    (run, anchor)
}

/// A sequence item written with its `-` at `dash_column` and its content at `content_column`.
fn item_text(item: &Node, dash_column: usize, content_column: usize, sequence: usize) -> String {
    let body = match &item.value {
        Value::Mapping(entries) if !entries.is_empty() => yaml::to_text_indented(item, sequence),
        Value::Sequence(items) if !items.is_empty() => yaml::to_text_indented(item, sequence),
        _ => yaml::to_text(item),
    };
    let mut out = String::new();
    for (at, line) in body.split_inclusive('\n').enumerate() {
        if at == 0 {
            out.push_str(&" ".repeat(dash_column));
            out.push('-');
            out.push_str(&" ".repeat(content_column.saturating_sub(dash_column + 1).max(1)));
        } else if line != "\n" {
            out.push_str(&" ".repeat(content_column));
        }
        out.push_str(line);
    }
    out
}

/// `text` with `indent` spaces before every line that is not empty.
fn indented(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.split_inclusive('\n')
        .map(|line| match line {
            "\n" => line.to_string(),
            _ => format!("{pad}{line}"),
        })
        .collect()
}

#[cfg(test)]
mod tests;
