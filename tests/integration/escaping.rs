//! No input value can change the YAML's structure: hostile values pass through every free-text
//! flag and come back verbatim, and the documents keep exactly the keys of a benign render.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde::Deserialize;
use serde_yaml::Value;

use crate::support::render_words;

/// Every key path of every document (sequence indexes included), as `a.b[0].c`.
fn key_paths(stream: &str) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for (index, document) in serde_yaml::Deserializer::from_str(stream).enumerate() {
        let value = Value::deserialize(document).expect("rendered YAML parses");
        walk(&value, &format!("doc{index}"), &mut paths);
    }
    paths
}

fn walk(value: &Value, path: &str, paths: &mut BTreeSet<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = key.as_str().expect("every key is a string");
                let child_path = format!("{path}.{key}");
                paths.insert(child_path.clone());
                walk(child, &child_path, paths);
            }
        }
        Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{path}[{index}]"), paths);
            }
        }
        _ => {}
    }
}

/// All string scalars of a stream.
fn strings(stream: &str) -> Vec<String> {
    fn collect(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Mapping(map) => map.values().for_each(|v| collect(v, out)),
            Value::Sequence(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for document in serde_yaml::Deserializer::from_str(stream) {
        collect(&Value::deserialize(document).unwrap(), &mut out);
    }
    out
}

/// The flags of a render, with `value` in every free-text position.
fn words(value: &str) -> Vec<String> {
    [
        "new",
        "web",
        "--image",
        "ghcr.io/acme/web:1.4.2",
        "--port",
        "8080",
        "--kind",
        "pod",
        "-e",
        &format!("SECRET={value}"),
        "--init-command",
        &format!("run {value}"),
        "--log-sidecar",
        "/var/log/app/app.log",
        "--",
        value,
        value,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

const HOSTILE: &[&str] = &[
    "\"quoted\" and 'single'",
    "key: value",
    "multi\nline\n  indented: true",
    "{{ name }} {% if x %}",
    "# not a comment",
    "- not a list item",
    "&anchor *alias <<: *merge",
    "$(rm -rf /); `id` && echo pwned | tee /etc/x; ${HOME}",
    "yes",
    "0755",
    "~",
    "\t\r\u{7f}\u{85}\u{2028}\u{feff}",
    "--- \n...\n%YAML 1.1",
    "!!binary aGk=",
    "",
];

#[test]
fn hostile_values_keep_the_structure_and_come_back_verbatim() {
    let baseline = render_words(&words("benign")).unwrap().rendered.stream();
    let expected_paths = key_paths(&baseline);
    for hostile in HOSTILE {
        let stream = render_words(&words(hostile)).unwrap().rendered.stream();
        assert_eq!(
            key_paths(&stream),
            expected_paths,
            "structure changed for {hostile:?}"
        );
        let values = strings(&stream);
        assert!(
            values.contains(&hostile.to_string()),
            "{hostile:?} not held verbatim"
        );
        assert!(
            values.contains(&format!("run {hostile}")),
            "{hostile:?} init command not verbatim"
        );
    }
}

#[test]
fn hostile_image_and_paths_are_quoted_or_rejected() {
    // Values with a shape of their own are checked: a shell or YAML trick is rejected, never
    // rendered.
    for (flag, value) in [
        ("--image", "nginx:1.27\nkind: Secret"),
        ("--git-mount", "/srv/a\n- b"),
        ("--git-ref", "main; rm -rf /"),
        ("--wait-for", "$(reboot):5432"),
        ("--namespace", "shop\nx: y"),
        ("--health-path", "/ok\nhost: evil"),
    ] {
        let mut args: Vec<String> = ["new", "web", "--port", "8080"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if flag != "--image" {
            args.extend(["--image".into(), "nginx:1.27".into()]);
        }
        if flag == "--git-mount" || flag == "--git-ref" {
            args.extend([
                "--git-clone".into(),
                "https://github.com/acme/site.git".into(),
            ]);
        }
        args.extend([flag.to_string(), value.to_string()]);
        let error = render_words(&args)
            .err()
            .unwrap_or_else(|| panic!("{flag} {value:?} must be rejected"));
        assert_eq!(error.exit_code(), 2, "{flag}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_env_value_or_command_keeps_the_structure(value in "\\PC{0,40}|[\\x00-\\x7f]{0,40}") {
        let baseline = key_paths(&render_words(&words("benign")).unwrap().rendered.stream());
        let stream = render_words(&words(&value)).unwrap().rendered.stream();
        prop_assert_eq!(key_paths(&stream), baseline);
        prop_assert!(strings(&stream).contains(&value));
    }
}
