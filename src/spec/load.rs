//! The spec-file front end: reads `podsmith.yaml` into a checked [`Spec`], and writes one.
//!
//! Errors name the file and the line, found from the field path in the document's tree. An
//! unknown key gets a "did you mean" from the names the type expects there.

use std::path::Path;

use crate::error::{Error, Result};
use crate::spec::{check, Field, Spec};
use crate::yaml::{self, Issue, Kind, Node};

/// The name the wizard gives the spec file it writes next to the manifests.
pub(crate) const SPEC_FILE_NAME: &str = "podsmith.yaml";

const HEADER: &str = "\
# podsmith spec file. Render the same manifests again with:
#   podsmith render -f podsmith.yaml
# Its format: `podsmith schema` prints the JSON Schema.
";

/// Reads and checks the spec file at `path` (`-` reads stdin).
pub(crate) fn load(path: &Path) -> Result<Spec> {
    let failed = |message: String| Error::Read {
        path: path.to_path_buf(),
        message,
    };
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    }
    .map_err(|error| failed(error.to_string()))?;
    let text = yaml::decode(bytes).map_err(|error| failed(error.message))?;
    parse(&text, &path.display().to_string())
}

/// Parses and checks spec-file text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Spec> {
    let tree = yaml::parse_one(text)
        .map_err(|error| spec_error(file, Some(error.span.line), error.message))?;
    if let Some(duplicate) = tree.duplicates.first() {
        let message = format!(
            "key `{}` appears twice in one mapping (first on line {})",
            yaml::shorten(&duplicate.key),
            duplicate.first.line
        );
        return Err(spec_error(file, Some(duplicate.second.line), message));
    }
    let outcome = yaml::from_tree::<Spec>(&tree.root, text);
    if let Some(issue) = outcome.errors.first() {
        return Err(issue_error(&tree.root, file, issue));
    }
    let spec = outcome
        .value
        .ok_or_else(|| spec_error(file, None, "the file does not hold a spec".to_string()))?;
    check(&spec, Field::SpecFile).map_err(|error| locate_error(&tree.root, file, error))?;
    Ok(spec)
}

/// The spec file text for `spec`: a short header, then the spec as YAML.
pub(crate) fn to_text(spec: &Spec) -> Result<String> {
    let body = yaml::to_string(spec)
        .map_err(|error| Error::Internal(format!("cannot write the spec as YAML: {error}")))?;
    Ok(format!("{HEADER}{body}"))
}

/// One line naming the file, the line and, for an unknown key or value, the closest expected one.
fn issue_error(root: &Node, file: &str, issue: &Issue) -> Error {
    match &issue.kind {
        Kind::UnknownField { field, expected } => {
            // Inside a pattern the path stops at the pattern: the key is found below it.
            let (place, line) = match issue.path.strip_suffix(field.as_str()) {
                Some(parent) => (parent.trim_end_matches(['.', '[']), issue.span.line),
                None => {
                    let (span, _) = yaml::path::locate(root, &issue.path);
                    let node = node_at(root, &issue.path);
                    let line = node.and_then(|n| key_line(n, field)).unwrap_or(span.line);
                    (issue.path.as_str(), line)
                }
            };
            let message = format!(
                "unknown field `{}`{}{}",
                yaml::shorten(field),
                place_of(root, place),
                hint(field, expected)
            );
            spec_error(file, Some(line), message)
        }
        Kind::UnknownVariant { variant, expected } => {
            let place = issue.path.strip_suffix(".type").unwrap_or(&issue.path);
            let message = format!(
                "unknown variant `{}`{}{}",
                yaml::shorten(variant),
                place_of(root, place),
                hint(variant, expected)
            );
            spec_error(file, Some(issue.span.line), message)
        }
        Kind::MissingField(field) => {
            let (span, _) = yaml::path::locate(root, &issue.path);
            let message = format!("missing field `{field}`{}", place_of(root, &issue.path));
            spec_error(file, Some(span.line), message)
        }
        Kind::Other => {
            let message = format!("{}{}", issue.message, place_of(root, &issue.path));
            spec_error(file, Some(issue.span.line), message)
        }
    }
}

/// ` in patterns[1] (wait-for)`, ` in app`, or nothing at the top.
fn place_of(root: &Node, path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    match pattern_type(root, path) {
        Some(kind) => format!(" in {path} ({kind})"),
        None => format!(" in {path}"),
    }
}

/// The node a path points at, if the text has it.
fn node_at<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = root;
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            node = node.item(inner[..close].parse().ok()?)?;
            rest = &inner[close + 1..];
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            node = node.get(&rest[..end])?;
            rest = &rest[end..];
        }
    }
    Some(node)
}

/// The line of the first key named `key` under `node`, at any depth, in document order.
fn key_line(node: &Node, key: &str) -> Option<usize> {
    if let Some(entries) = node.as_mapping() {
        for entry in entries {
            if entry.key == key {
                return Some(entry.key_span.line);
            }
            if let Some(line) = key_line(&entry.value, key) {
                return Some(line);
            }
        }
    }
    node.as_sequence()?
        .iter()
        .find_map(|item| key_line(item, key))
}

/// `; did you mean `x`?` or the list of expected names.
fn hint(word: &str, expected: &[&str]) -> String {
    match suggestion(word, expected) {
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
    }
}

/// Adds the file and line to an error of the spec checks, which name fields by their path.
fn locate_error(root: &Node, file: &str, error: Error) -> Error {
    let path = match &error {
        Error::InvalidValue { field, .. } => field.clone(),
        Error::Conflict { second, .. } => second.clone(),
        _ => return spec_error(file, None, error.to_string()),
    };
    let (span, found) = yaml::path::locate(root, &path);
    let line = (found || span.line > 0).then_some(span.line);
    spec_error(file, line, error.to_string())
}

fn spec_error(file: &str, line: Option<usize>, message: String) -> Error {
    match line {
        Some(line) if line > 0 => Error::SpecFile {
            path: file.to_string(),
            line,
            message,
        },
        _ => Error::Usage(format!("{file}: {message}")),
    }
}

/// The expected name closest to `word`, if one is close enough to be a likely typo.
fn suggestion<'a>(word: &str, expected: &[&'a str]) -> Option<&'a str> {
    if word.len() > 64 {
        return None;
    }
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
fn pattern_type(root: &Node, path: &str) -> Option<String> {
    let index: usize = path
        .strip_prefix("patterns[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    let kind = root.get("patterns")?.item(index)?.get("type")?.as_str()?;
    Some(yaml::shorten(kind).into_owned())
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
    fn written_text_quotes_what_readers_would_misread() {
        let text = GOOD.replace(
            "  name: web\n",
            "  name: web\n  labels:\n    canary: \"yes\"\n    tier: web\n",
        );
        let spec = parse(&text, "podsmith.yaml").unwrap();
        let written = to_text(&spec).unwrap();
        assert!(written.contains("\n    canary: \"yes\"\n"), "{written}");
        assert!(written.contains("\n    tier: web\n"), "{written}");
        assert!(written.contains("\n  image: nginx:1.27\n"), "{written}");
        assert_eq!(parse(&written, "podsmith.yaml").unwrap(), spec);
    }

    #[test]
    fn written_text_reads_back_the_same() {
        let spec = parse(GOOD, "podsmith.yaml").unwrap();
        let text = to_text(&spec).unwrap();
        assert!(text.starts_with("# podsmith spec file."));
        assert_eq!(parse(&text, "podsmith.yaml").unwrap(), spec);
    }
}
