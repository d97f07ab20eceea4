//! The spec-file front end: reads `podsmith.yaml` into a checked [`Spec`], and writes one.
//!
//! Errors name the file and the line. An unknown key gets a "did you mean" from the names serde
//! expected there. Patterns are an internally tagged enum, which loses the parser's location, so
//! the line of a problem is found by walking the field's path through the text; the parser's
//! own line is the fallback.

use std::path::Path;

use crate::error::{Error, Result};
use crate::spec::{check, Field, Spec};
use crate::yaml;

/// The name the wizard gives the spec file it writes next to the manifests.
pub const SPEC_FILE_NAME: &str = "podsmith.yaml";

const HEADER: &str = "\
# podsmith spec file. Render the same manifests again with:
#   podsmith render -f podsmith.yaml
# Its format: `podsmith schema` prints the JSON Schema.
";

/// Reads and checks the spec file at `path` (`-` reads stdin).
pub fn load(path: &Path) -> Result<Spec> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|error| Error::Read {
        path: path.to_path_buf(),
        message: error.to_string(),
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses and checks spec-file text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Spec> {
    let spec: Spec = yaml::from_str(text).map_err(|error| parse_error(text, file, &error))?;
    check(&spec, Field::SpecFile).map_err(|error| locate_error(text, file, error))?;
    Ok(spec)
}

/// The spec file text for `spec`: a short header, then the spec as YAML.
pub fn to_text(spec: &Spec) -> Result<String> {
    let body = yaml::to_string(spec)
        .map_err(|error| Error::Internal(format!("cannot write the spec as YAML: {error}")))?;
    Ok(format!("{HEADER}{body}"))
}

/// Turns a parser error into one line naming the file, the line and, for an unknown key or
/// value, the closest expected one.
fn parse_error(text: &str, file: &str, error: &yaml::Error) -> Error {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(at) => &full[..at],
        None => full.as_str(),
    };
    let (path, detail) = split_path(message);
    let mut segments = path.map(parse_path).unwrap_or_default();
    let unknown = ["unknown field", "unknown variant"]
        .into_iter()
        .find_map(|what| Some((what, backticked(detail.strip_prefix(what)?)?)));
    let Some((what, word)) = unknown else {
        let line = locate(text, &segments).or_else(|| yaml::error_line(error));
        let message = match path {
            Some(path) => format!("{detail} in {path}"),
            None => detail.to_string(),
        };
        return spec_error(file, line, message);
    };
    // Inside a pattern the path stops at `patterns`: the key's line tells which one.
    let mut key_line = None;
    if what == "unknown field" && segments == [Segment::Key("patterns".into())] {
        key_line = key_after(text, &segments, word);
        if let Some(index) = key_line.and_then(|line| item_index(text, line)) {
            segments.push(Segment::Index(index));
        }
    }
    let place = match segments.is_empty() {
        true => String::new(),
        false => match pattern_type(text, &segments) {
            Some(kind) => format!(" in {} ({kind})", show_path(&segments)),
            None => format!(" in {}", show_path(&segments)),
        },
    };
    let expected: Vec<&str> = detail
        .split_once("expected")
        .map(|(_, names)| names.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let hint = match suggestion(word, &expected) {
        Some(best) => format!("; did you mean `{best}`?"),
        None if expected.is_empty() => String::new(),
        None => format!(
            "; expected one of {}",
            expected
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let line = if what == "unknown field" {
        let mut with_key = segments.clone();
        with_key.push(Segment::Key(word.to_string()));
        key_line.or_else(|| locate(text, &with_key))
    } else {
        locate_value(text, &segments, word)
    }
    .or_else(|| locate(text, &segments))
    .or_else(|| yaml::error_line(error));
    spec_error(file, line, format!("{what} `{word}`{place}{hint}"))
}

/// Adds the file and line to an error of the spec checks, which name fields by their path.
fn locate_error(text: &str, file: &str, error: Error) -> Error {
    let path = match &error {
        Error::InvalidValue { field, .. } => field.clone(),
        Error::Conflict { second, .. } => second.clone(),
        _ => return spec_error(file, None, error.to_string()),
    };
    let line = locate(text, &parse_path(&path));
    spec_error(file, line, error.to_string())
}

fn spec_error(file: &str, line: Option<usize>, message: String) -> Error {
    match line {
        Some(line) => Error::SpecFile {
            path: file.to_string(),
            line,
            message,
        },
        None => Error::Usage(format!("{file}: {message}")),
    }
}

/// Splits serde_yaml's `path: detail` message; the path is absent for top-level errors.
fn split_path(message: &str) -> (Option<&str>, &str) {
    match message.split_once(": ") {
        Some((path, detail)) if !path.is_empty() && !path.contains(' ') && !path.contains('`') => {
            (Some(path), detail)
        }
        _ => (None, message),
    }
}

/// The first backticked word of `text`.
fn backticked(text: &str) -> Option<&str> {
    text.split('`').nth(1)
}

/// The expected name closest to `word`, if one is close enough to be a likely typo.
fn suggestion<'a>(word: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|name| {
            let score = strsim::jaro_winkler(&word.to_lowercase(), &name.to_lowercase());
            (score, *name)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// The `type` of the pattern a path points into, e.g. `wait-for` for `patterns[0]`.
fn pattern_type(text: &str, segments: &[Segment]) -> Option<String> {
    let [Segment::Key(key), Segment::Index(index), ..] = segments else {
        return None;
    };
    if key != "patterns" {
        return None;
    }
    let value: yaml::Value = yaml::from_str(text).ok()?;
    Some(
        value
            .get("patterns")?
            .get(*index)?
            .get("type")?
            .as_str()?
            .to_string(),
    )
}

/// One step of a field path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Parses `patterns[0].host` into its steps.
fn parse_path(path: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            segments.push(Segment::Key(key.to_string()));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(index) = index.parse() {
                segments.push(Segment::Index(index));
            }
            rest = after.trim_start_matches('[');
        }
    }
    segments
}

/// Writes a path back as `patterns[0].host`.
fn show_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => out.push_str(&format!(".{key}")),
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// The first line after the node a path points at that holds `key`, at any depth.
fn key_after(text: &str, segments: &[Segment], key: &str) -> Option<usize> {
    let from = locate(text, segments)?;
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, line)| scan(line).is_some_and(|l| l.key == Some(key)))
        .map(|(i, _)| i + 1)
}

/// Which item of the top-level `patterns` sequence holds the 1-based `line`.
fn item_index(text: &str, line: usize) -> Option<usize> {
    let lines: Vec<Option<Line>> = text.lines().map(scan).collect();
    let start = locate(text, &[Segment::Key("patterns".into())])?;
    let indent = lines[start..line].iter().flatten().find(|l| l.item)?.indent;
    let items = lines[start..line]
        .iter()
        .flatten()
        .filter(|l| l.item && l.indent == indent)
        .count();
    items.checked_sub(1)
}

/// A line of block-style YAML: its indentation, the column its content starts at once `- `
/// item markers are skipped, whether it starts a sequence item, its key and its value.
struct Line<'a> {
    indent: usize,
    column: usize,
    item: bool,
    key: Option<&'a str>,
    value: &'a str,
}

fn scan(line: &str) -> Option<Line<'_>> {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let indent = line.len() - trimmed.len();
    let item = trimmed == "-" || trimmed.starts_with("- ");
    let mut content = trimmed;
    while let Some(rest) = content.strip_prefix("- ") {
        content = rest.trim_start_matches(' ');
    }
    let column = line.len() - content.len();
    let (key, value) = match content.split_once(':') {
        Some((key, value)) if value.is_empty() || value.starts_with(' ') => (
            Some(key.trim().trim_matches(|c| c == '"' || c == '\'')),
            value.trim(),
        ),
        _ => (None, content),
    };
    Some(Line {
        indent,
        column,
        item,
        key,
        value,
    })
}

/// The 1-based line a field path points at in block-style YAML, if it can be found.
fn locate(text: &str, segments: &[Segment]) -> Option<usize> {
    let lines: Vec<Option<Line>> = text.lines().map(scan).collect();
    let at = |i: usize| lines[i].as_ref();
    // The node being searched spans lines `start..end`.
    let (mut start, mut end) = (0, lines.len());
    let mut found = None;
    for segment in segments {
        let hit = match segment {
            Segment::Key(key) => {
                let column = (start..end)
                    .find_map(|i| at(i).filter(|l| l.key.is_some()))?
                    .column;
                let hit = (start..end).find(|&i| {
                    at(i).is_some_and(|l| l.column == column && l.key == Some(key.as_str()))
                })?;
                // A key's value: deeper lines, or items at the key's own column.
                start = hit + 1;
                end = (start..end)
                    .find(|&i| {
                        at(i).is_some_and(|l| l.indent < column || (l.indent == column && !l.item))
                    })
                    .unwrap_or(end);
                hit
            }
            Segment::Index(index) => {
                let indent = (start..end).find_map(|i| at(i).filter(|l| l.item))?.indent;
                let hit = (start..end)
                    .filter(|&i| at(i).is_some_and(|l| l.item && l.indent == indent))
                    .nth(*index)?;
                // An item: its own line (it may hold the first key) and deeper lines.
                start = hit;
                end = (hit + 1..end)
                    .find(|&i| at(i).is_some_and(|l| l.indent <= indent))
                    .unwrap_or(end);
                hit
            }
        };
        found = Some(hit);
    }
    found.map(|i| i + 1)
}

/// The line holding `value` inside the node a path points at (for an unknown variant).
fn locate_value(text: &str, segments: &[Segment], value: &str) -> Option<usize> {
    let from = locate(text, segments).unwrap_or(1);
    text.lines()
        .enumerate()
        .skip(from - 1)
        .find(|(_, line)| {
            scan(line).is_some_and(|l| l.value.trim_matches(|c| c == '"' || c == '\'') == value)
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
version: 1
app:
  name: web
  image: nginx:1.27
  ports:
  - containerPort: 8080
patterns:
- type: log-sidecar
- type: wait-for
  host: db
  port: 5432
";

    fn error_of(text: &str) -> String {
        parse(text, "podsmith.yaml").unwrap_err().to_string()
    }

    #[test]
    fn a_good_spec_parses() {
        let spec = parse(GOOD, "podsmith.yaml").unwrap();
        assert_eq!(spec.app.name, "web");
        assert_eq!(spec.patterns.len(), 2);
    }

    #[test]
    fn unknown_pattern_key_names_line_and_suggests() {
        let text = GOOD.replace("  host: db", "  hots: db");
        assert_eq!(
            error_of(&text),
            "podsmith.yaml:10: unknown field `hots` in patterns[1] (wait-for); did you mean `host`?"
        );
    }

    #[test]
    fn unknown_app_key_names_line_and_suggests() {
        let text = GOOD.replace("  image: nginx", "  imgae: nginx");
        assert_eq!(
            error_of(&text),
            "podsmith.yaml:4: unknown field `imgae` in app; did you mean `image`?"
        );
    }

    #[test]
    fn unknown_top_level_key_suggests() {
        let text = GOOD.replace("patterns:", "pattern:");
        assert_eq!(
            error_of(&text),
            "podsmith.yaml:7: unknown field `pattern`; did you mean `patterns`?"
        );
    }

    #[test]
    fn unknown_pattern_type_suggests() {
        let text = GOOD.replace("type: wait-for", "type: wait-fro");
        let error = error_of(&text);
        assert!(
            error.starts_with("podsmith.yaml:9: unknown variant `wait-fro` in patterns[1]"),
            "{error}"
        );
        assert!(error.ends_with("did you mean `wait-for`?"), "{error}");
    }

    #[test]
    fn unknown_key_deep_in_a_pattern_names_the_pattern() {
        let text = GOOD.replace(
            "- type: log-sidecar\n",
            "- type: container\n  name: worker\n  image: busybox:1.36\n  ports:\n  - containerPort: 80\n    protocl: TCP\n",
        );
        assert_eq!(
            error_of(&text),
            "podsmith.yaml:13: unknown field `protocl` in patterns[0] (container); \
             did you mean `protocol`?"
        );
    }

    #[test]
    fn missing_fields_name_the_place() {
        let text = GOOD.replace("  image: nginx:1.27\n", "");
        assert_eq!(
            error_of(&text),
            "podsmith.yaml:2: missing field `image` in app"
        );
    }

    #[test]
    fn far_off_key_lists_the_expected_ones() {
        let text = GOOD.replace("  host: db", "  zzz: db");
        let error = error_of(&text);
        assert!(error.contains("expected one of `host`, `port`"), "{error}");
    }

    #[test]
    fn rule_errors_name_the_path_and_line() {
        let text = GOOD.replace("port: 5432", "port: 70000");
        assert_eq!(
            error_of(&text),
            "podsmith.yaml:11: invalid value `70000` for `patterns[1].port`: \
             must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn other_versions_are_refused() {
        let error = error_of(&GOOD.replace("version: 1", "version: 2"));
        assert!(
            error.contains("this podsmith reads spec version 1"),
            "{error}"
        );
    }

    #[test]
    fn written_text_reads_back_the_same() {
        let spec = parse(GOOD, "podsmith.yaml").unwrap();
        let text = to_text(&spec).unwrap();
        assert!(text.starts_with("# podsmith spec file."));
        assert_eq!(parse(&text, "podsmith.yaml").unwrap(), spec);
    }
}
