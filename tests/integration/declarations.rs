//! The patterns' declarations against what is written about them elsewhere: the README's
//! pattern table, `docs/spec-file.md` and the spec file's schema.

use podsmith::patterns::declaration::Fallback;
use podsmith::patterns::declarations;

fn read(path: &str) -> String {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_readme_table_has_a_row_per_pattern_with_its_flags_and_defaults() {
    let readme = read("README.md");
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("| Pattern | Flag |"))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert_eq!(rows.len(), declarations().len(), "{rows:#?}");
    for declaration in declarations() {
        let head = format!("| {} ({}) |", declaration.id, declaration.lifecycle.label());
        let row = rows
            .iter()
            .find(|row| row.starts_with(&head))
            .unwrap_or_else(|| panic!("no README row starts with {head}"));
        for option in declaration.options {
            assert!(
                row.contains(&format!("--{}", option.flag)),
                "{row} lacks --{}",
                option.flag
            );
            if let (true, Fallback::Value(value)) = (declaration.renders(), option.fallback) {
                assert!(
                    row.contains(value),
                    "{row} lacks the default {value} of --{}",
                    option.flag
                );
            }
        }
    }
}

/// The spec-file example: the one YAML block of the format section.
fn spec_example() -> String {
    let doc = read("docs/spec-file.md");
    let start = doc.find("```yaml\nversion: 1").expect("the format example") + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    doc[start..end].to_string()
}

#[test]
fn the_spec_file_example_is_a_valid_spec_with_every_pattern() {
    let example = spec_example();
    let spec = podsmith::spec::parse(&example, "docs/spec-file.md").expect("the example parses");
    podsmith::spec::check(&spec, podsmith::spec::Field::SpecFile).expect("the example checks");
    podsmith::pipeline::generate(&spec, crate::support::engine()).expect("the example renders");
    for declaration in declarations().iter().filter(|d| d.renders()) {
        assert!(
            spec.pattern_ids().any(|id| id == declaration.id),
            "docs/spec-file.md has no `type: {}`",
            declaration.id
        );
    }
}

#[test]
fn the_spec_file_example_documents_every_field_of_every_pattern() {
    let example = spec_example();
    let schema = podsmith::spec::schema_json();
    let variants = schema["$defs"]["Pattern"]["oneOf"]
        .as_array()
        .expect("patterns are one of the variants");
    for variant in variants {
        let id = variant["properties"]["type"]["const"]
            .as_str()
            .expect("a type");
        let start = example
            .find(&format!("- type: {id} "))
            .unwrap_or_else(|| panic!("no `type: {id}` in the example"));
        let block = &example[start..];
        let block = &block[..block[2..]
            .find("\n- type:")
            .map_or(block.len(), |end| end + 2)];
        let fields = variant["properties"].as_object().expect("properties");
        for field in fields
            .keys()
            .filter(|f| !["type", "name", "image"].contains(&f.as_str()))
        {
            assert!(
                block.contains(&format!("  {field}:")),
                "`{id}` lacks `{field}`:\n{block}"
            );
        }
    }
}

#[test]
fn the_schema_knows_every_pattern_and_every_alias_is_accepted() {
    let schema = podsmith::spec::schema_json();
    let ids: Vec<&str> = schema["$defs"]["Pattern"]["oneOf"]
        .as_array()
        .expect("variants")
        .iter()
        .filter_map(|v| v["properties"]["type"]["const"].as_str())
        .collect();
    let declared: Vec<&str> = declarations()
        .iter()
        .filter(|d| d.renders())
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, declared);
    let example = spec_example();
    for declaration in declarations() {
        for alias in declaration.aliases {
            let text = example.replace(
                &format!("- type: {} ", declaration.id),
                &format!("- type: {alias} "),
            );
            assert_ne!(text, example, "the example has `type: {}`", declaration.id);
            let spec = podsmith::spec::parse(&text, "alias.yaml").expect("an alias parses");
            assert!(spec.pattern_ids().any(|id| id == declaration.id));
        }
    }
}

/// The example's lines that set a value and say something about it in a comment:
/// `(line number, field, value, comment)`.
fn commented_values(example: &str) -> Vec<(usize, &str, &str, &str)> {
    let line = regex::Regex::new(r"^\s*(?:- )?(\w+): ([^#{\[\s][^#]*?)\s+#(.*)$").expect("regex");
    example
        .lines()
        .enumerate()
        .filter_map(|(n, text)| {
            let found = line.captures(text)?;
            let part = |i| found.get(i).map_or("", |m| m.as_str());
            Some((n, part(1), part(2), part(3)))
        })
        .collect()
}

/// The example with line `n` replaced by `field: value` (or removed, for `None`).
fn with_line(example: &str, n: usize, value: Option<(&str, &str)>) -> String {
    let mut lines: Vec<String> = example.lines().map(String::from).collect();
    match value {
        Some((field, value)) => {
            let indent = &lines[n][..lines[n].find(field).expect("the field")];
            lines[n] = format!("{indent}{field}: {value}");
        }
        None => {
            lines.remove(n);
        }
    }
    lines.join("\n") + "\n"
}

fn rendered(text: &str) -> Result<String, podsmith::error::Error> {
    let spec = podsmith::spec::parse(text, "docs/spec-file.md")?;
    podsmith::spec::check(&spec, podsmith::spec::Field::SpecFile)?;
    let generated = podsmith::pipeline::generate(&spec, crate::support::engine())?;
    Ok(generated.rendered.stream())
}

/// `(default X)` in a comment of the example: leaving the key out renders what `X` renders.
#[test]
fn the_spec_file_example_states_the_defaults_podsmith_applies() {
    let example = spec_example();
    let default = regex::Regex::new(r"\(default ([^):]+)\)").expect("regex");
    let mut checked = 0;
    for (n, field, value, comment) in commented_values(&example) {
        let Some(found) = default.captures(comment) else {
            continue;
        };
        let stated = match found[1].trim_matches('`') {
            "shown" => value,
            stated => stated,
        };
        let left_out = rendered(&with_line(&example, n, None)).expect("renders without the key");
        let given = rendered(&with_line(&example, n, Some((field, stated)))).expect("renders");
        assert_eq!(left_out, given, "`{field}`: the default is not `{stated}`");
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} defaults found in the example");
}

/// `A to B` in a comment of the example: both ends are accepted, the numbers just outside
/// refused.
#[test]
fn the_spec_file_example_states_the_ranges_podsmith_checks() {
    let example = spec_example();
    let range = regex::Regex::new(r"\b(\d+) to (\d+)\b").expect("regex");
    let mut checked = 0;
    for (n, field, value, comment) in commented_values(&example) {
        let (Some(found), Ok(_)) = (range.captures(comment), value.parse::<u64>()) else {
            continue;
        };
        let low: u64 = found[1].parse().expect("a number");
        let high: u64 = found[2].parse().expect("a number");
        for (number, accepted) in [(low, true), (high, true), (high + 1, false)]
            .into_iter()
            .chain(low.checked_sub(1).map(|below| (below, false)))
        {
            let text = with_line(&example, n, Some((field, &number.to_string())));
            let spec = podsmith::spec::parse(&text, "docs/spec-file.md")
                .and_then(|spec| podsmith::spec::check(&spec, podsmith::spec::Field::SpecFile));
            assert_eq!(
                spec.is_ok(),
                accepted,
                "`{field}: {number}` against the stated range {low} to {high}: {spec:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} ranges found in the example");
}

/// `(default X)` in a pattern option's doc comment (the schema's description) is the default
/// the spec file's schema gives, which is serde's.
#[test]
fn the_schema_descriptions_state_the_serde_defaults() {
    let schema = podsmith::spec::schema_json();
    let default = regex::Regex::new(r"\(default `?([^)`]+)`?\)").expect("regex");
    let variants = schema["$defs"]["Pattern"]["oneOf"]
        .as_array()
        .expect("patterns are one of the variants");
    let mut checked = 0;
    for variant in variants {
        let id = &variant["properties"]["type"]["const"];
        for (field, property) in variant["properties"].as_object().expect("properties") {
            let (Some(description), Some(value)) =
                (property["description"].as_str(), property.get("default"))
            else {
                continue;
            };
            let Some(stated) = default.captures(description) else {
                continue;
            };
            let value = value
                .as_str()
                .map_or_else(|| value.to_string(), String::from);
            assert_eq!(stated[1], value, "{id} `{field}`: {description}");
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} defaults found in the schema");
}
