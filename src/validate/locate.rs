//! Field paths and where they sit in the source text.
//!
//! Paths are written the way the API server writes them:
//! `spec.template.spec.containers[0].ports[1].containerPort`; a map key that is not a plain word
//! (a label such as `app.kubernetes.io/name`) is written `metadata.labels[app.kubernetes.io/name]`.
//!
//! [`LineIndex`] reads a document's block-style YAML text line by line and records the line of
//! every key and sequence item under the same path spelling, so a finding can point at the line
//! of the offending field. It is a light scanner, not a parser: for flow style (`{a: 1}`) and other
//! rare layouts it knows only the enclosing key, and [`LineIndex::line`] falls back to the
//! nearest ancestor it knows.

use std::collections::HashMap;

/// The path of `key` inside `parent`.
pub fn key(parent: &str, key: &str) -> String {
    let mut path = String::with_capacity(parent.len() + key.len() + 2);
    path.push_str(parent);
    push_key(&mut path, key);
    path
}

/// The path of item `index` of the sequence at `parent`.
pub fn index(parent: &str, index: usize) -> String {
    let mut path = String::with_capacity(parent.len() + 4);
    path.push_str(parent);
    push_index(&mut path, index);
    path
}

/// Extends `path` by `key` in place (see [`key`]).
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(key);
        path.push(']');
    }
}

/// Extends `path` by `[index]` in place (see [`index`]).
pub fn push_index(path: &mut String, index: usize) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(path, "[{index}]");
}

/// Where a path was found: its line (1-based, within the document) and, for a scalar written
/// on that line, the raw text of the value (quotes included, comment removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The 1-based line within the document.
    pub line: usize,
    /// The value as written after `key:` or `- `, when it is on the same line.
    pub raw: Option<String>,
}

/// The line of every key and sequence item of one document.
#[derive(Debug, Default)]
pub struct LineIndex {
    paths: HashMap<String, Location>,
    /// The line of a path's second occurrence (a duplicate key).
    repeats: HashMap<String, usize>,
}

struct Frame {
    column: usize,
    path: String,
    sequence: bool,
    next: usize,
}

impl LineIndex {
    /// Scans a document's text.
    pub fn new(text: &str) -> LineIndex {
        let mut index = LineIndex::default();
        let mut frames: Vec<Frame> = Vec::new();
        // A key whose value starts on a later line: (its column, its path).
        let mut pending: Option<(usize, String)> = None;
        // Inside a block scalar: lines indented deeper than this column belong to it.
        let mut block_scalar: Option<usize> = None;
        for (number, line) in text.lines().enumerate() {
            let content = line.trim_start_matches(' ');
            let column = line.len() - content.len();
            let trimmed = content.trim_end();
            if let Some(block) = block_scalar {
                if trimmed.is_empty() || column > block {
                    continue;
                }
                block_scalar = None;
            }
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%') {
                continue;
            }
            if let Some((key_column, path)) = pending.take() {
                let is_item = trimmed.starts_with("- ") || trimmed == "-";
                if column > key_column || (column == key_column && is_item) {
                    // Keep the map that holds the key, even when its compact sequence starts
                    // at the key's own column.
                    frames.retain(|f| f.column < column || (f.column == column && !f.sequence));
                    frames.push(Frame {
                        column,
                        path,
                        sequence: is_item,
                        next: 0,
                    });
                }
            }
            frames.retain(|f| f.column <= column);
            index.scan_line(
                &mut frames,
                &mut pending,
                &mut block_scalar,
                column,
                trimmed,
                number + 1,
            );
        }
        index
    }

    fn scan_line(
        &mut self,
        frames: &mut Vec<Frame>,
        pending: &mut Option<(usize, String)>,
        block_scalar: &mut Option<usize>,
        mut column: usize,
        mut rest: &str,
        line: usize,
    ) {
        loop {
            if rest.starts_with("- ") || rest == "-" {
                let Some(frame) = frames
                    .last_mut()
                    .filter(|f| f.sequence && f.column == column)
                else {
                    return;
                };
                let path = index(&frame.path, frame.next);
                frame.next += 1;
                let after = rest[1..].trim_start_matches(' ');
                let item_column = column + (rest.len() - after.len());
                if after.is_empty() || after.starts_with('#') {
                    self.record(&path, line, None);
                    *pending = Some((column, path));
                    return;
                }
                if after.starts_with("- ") || after == "-" {
                    self.record(&path, line, None);
                    frames.push(Frame {
                        column: item_column,
                        path,
                        sequence: true,
                        next: 0,
                    });
                    column = item_column;
                    rest = after;
                    continue;
                }
                match split_key(after) {
                    Some(_) => {
                        self.record(&path, line, None);
                        frames.push(Frame {
                            column: item_column,
                            path,
                            sequence: false,
                            next: 0,
                        });
                        column = item_column;
                        rest = after;
                        continue;
                    }
                    None => {
                        if after.starts_with('|') || after.starts_with('>') {
                            self.record(&path, line, None);
                            *block_scalar = Some(column);
                        } else {
                            self.record(&path, line, Some(strip_comment(after)));
                        }
                        return;
                    }
                }
            }
            let Some((name, value)) = split_key(rest) else {
                return;
            };
            // A key at the column of a compact sequence (`key:` then `- item` at the same
            // column) ends that sequence.
            while frames
                .last()
                .is_some_and(|f| f.sequence && f.column == column)
            {
                frames.pop();
            }
            let Some(frame) = frames.last().filter(|f| !f.sequence && f.column == column) else {
                if frames.is_empty() && column == 0 {
                    frames.push(Frame {
                        column: 0,
                        path: String::new(),
                        sequence: false,
                        next: 0,
                    });
                    continue;
                }
                return;
            };
            let path = key(&frame.path, &name);
            let value = strip_comment(value);
            if value.is_empty() || is_node_property(&value) {
                self.record(&path, line, None);
                *pending = Some((column, path));
            } else if value.starts_with('|') || value.starts_with('>') {
                self.record(&path, line, None);
                *block_scalar = Some(column);
            } else {
                self.record(&path, line, Some(value));
            }
            return;
        }
    }

    fn record(&mut self, path: &str, line: usize, raw: Option<String>) {
        if self.paths.contains_key(path) {
            self.repeats.entry(path.to_string()).or_insert(line);
        } else {
            self.paths.insert(path.to_string(), Location { line, raw });
        }
    }

    /// The line where `path` occurs a second time, if it does (a duplicate key).
    pub fn repeat(&self, path: &str) -> Option<usize> {
        self.repeats.get(path).copied()
    }

    /// Where `path` is, if the scanner saw it.
    pub fn get(&self, path: &str) -> Option<&Location> {
        self.paths.get(path)
    }

    /// The line of `path`, or of its nearest ancestor the scanner saw, or 1.
    pub fn line(&self, path: &str) -> usize {
        let mut current = path;
        loop {
            if let Some(location) = self.paths.get(current) {
                return location.line;
            }
            match parent(current) {
                Some(up) => current = up,
                None => return 1,
            }
        }
    }
}

/// The path one level up: `a.b[0]` → `a.b` → `a`.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        if let Some(open) = path.rfind('[') {
            return Some(&path[..open]);
        }
    }
    Some(path.rfind('.').map_or("", |dot| &path[..dot]))
}

/// `&anchor` or `!tag` alone as a value: the real value follows on later lines.
fn is_node_property(value: &str) -> bool {
    (value.starts_with('&') || value.starts_with('!')) && !value.contains(' ')
}

/// Splits `key: value` (or `key:` at the end of the line) into the unquoted key and the value
/// text. Returns `None` when the line holds no key.
fn split_key(text: &str) -> Option<(String, &str)> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = text[1..].find(quote)? + 1;
        let after = text[end + 1..].trim_start_matches(' ');
        let value = after.strip_prefix(':')?;
        if !value.is_empty() && !value.starts_with(' ') {
            return None;
        }
        return Some((text[1..end].to_string(), value.trim_start()));
    }
    if text.starts_with(['{', '[', '#', '&', '*', '!', '|', '>']) {
        return None;
    }
    let mut search = 0;
    while let Some(found) = text[search..].find(':') {
        let colon = search + found;
        let after = &text[colon + 1..];
        if after.is_empty() || after.starts_with(' ') || after.starts_with('\t') {
            let name = text[..colon].trim_end();
            if name.contains(" #") {
                return None;
            }
            return Some((name.to_string(), after.trim_start()));
        }
        search = colon + 1;
    }
    None
}

/// The value text without a trailing ` # comment` (outside quotes).
fn strip_comment(value: &str) -> String {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && at == 0 => quote = Some(c),
            None if c == '#' && (previous == ' ' || previous == '\t') => {
                return value[..at].trim_end().to_string();
            }
            None => {}
        }
        previous = c;
    }
    value.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  initContainers:
  - name: init # first
    image: busybox:1.36
    command:
    - sh
    - -c
    - |
      echo one
      echo two
  containers:
    - name: app
      image: \"nginx:1.27\"
      env:
        - name: FLAG
          value: yes
      ports:
        - containerPort: 80
";

    #[test]
    fn finds_keys_and_items() {
        let index = LineIndex::new(POD);
        assert_eq!(index.line("kind"), 2);
        assert_eq!(index.line("metadata.labels[app.kubernetes.io/name]"), 6);
        assert_eq!(index.line("spec.initContainers[0]"), 9);
        assert_eq!(index.line("spec.initContainers[0].name"), 9);
        assert_eq!(index.line("spec.initContainers[0].command[2]"), 14);
        assert_eq!(index.line("spec.containers[0].image"), 19);
        assert_eq!(index.line("spec.containers[0].env[0].value"), 22);
        assert_eq!(index.line("spec.containers[0].ports[0].containerPort"), 24);
    }

    #[test]
    fn keeps_raw_scalars_without_comments() {
        let index = LineIndex::new(POD);
        let raw = |p: &str| index.get(p).and_then(|l| l.raw.clone());
        assert_eq!(raw("spec.initContainers[0].name").as_deref(), Some("init"));
        assert_eq!(
            raw("spec.containers[0].image").as_deref(),
            Some("\"nginx:1.27\"")
        );
        assert_eq!(
            raw("spec.containers[0].env[0].value").as_deref(),
            Some("yes")
        );
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let index = LineIndex::new(POD);
        assert_eq!(index.line("spec.containers[0].ports[0].hostPort"), 24);
        assert_eq!(index.line("status.phase"), 1);
    }

    #[test]
    fn builds_api_server_paths() {
        assert_eq!(key("", "spec"), "spec");
        assert_eq!(key("spec", "containers"), "spec.containers");
        assert_eq!(index("spec.containers", 2), "spec.containers[2]");
        assert_eq!(key("metadata.labels", "app/x"), "metadata.labels[app/x]");
    }
}
