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
