//! Layer 1 through the whole validator: YAML syntax errors and duplicate keys, unknown, mistyped
//! and missing fields, YAML 1.1 readings, JSON manifests, and fields newer than the target version.

use crate::kube_version::KubeVersion;
use crate::validate::{validate_stream, Finding, Options};

fn findings(text: &str, minor: u32) -> Vec<Finding> {
    let options = Options {
        kube_version: KubeVersion::new(minor).unwrap_or_default(),
        ..Options::default()
    };
    validate_stream(text, "t.yaml", &options).findings
}

fn only(text: &str, rule: &str) -> Vec<(usize, String, String)> {
    findings(text, 37)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| (f.line, f.path, f.message))
        .collect()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";

#[test]
fn yaml_syntax() {
    let found = only("apiVersion: v1\nkind: [Pod\n", "yaml-syntax");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, 3);
}

#[test]
fn duplicate_key() {
    let text = format!("{POD}    image: nginx:1.28\n");
    let found = only(&text, "duplicate-key");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, 9);
    assert_eq!(found[0].1, "spec.containers[0].image");
    assert!(
        found[0].2.starts_with("Duplicate value: key \"image\""),
        "{found:?}"
    );
}

#[test]
fn syntax_errors_name_file_lines() {
    let text = format!("{POD}---\napiVersion: v1\nkind: [Pod\n");
    let found = only(&text, "yaml-syntax");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 12);
}

#[test]
fn missing_kind() {
    let found = only("apiVersion: v1\nmetadata:\n  name: x\n", "missing-kind");
    assert_eq!(found[0].1, "kind");
}

#[test]
fn unknown_field_with_hint() {
    let text = format!("{POD}    imagePulPolicy: Always\n");
    assert_eq!(
        only(&text, "unknown-field"),
        vec![(
            9,
            "spec.containers[0].imagePulPolicy".to_string(),
            "unknown field \"imagePulPolicy\" (did you mean \"imagePullPolicy\"?)".to_string()
        )]
    );
}

#[test]
fn field_type() {
    let text = format!("{POD}    ports:\n    - containerPort: eighty\n");
    let found = only(&text, "field-type");
    assert_eq!(found[0].1, "spec.containers[0].ports[0].containerPort");
    assert_eq!(found[0].0, 10);
    assert!(
        found[0].2.contains("invalid type: string \"eighty\""),
        "{found:?}"
    );
}

#[test]
fn required_field() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - image: nginx:1.27\n";
    assert_eq!(
        only(text, "required-field"),
        vec![(
            7,
            "spec.containers[0].name".to_string(),
            "Required value".to_string()
        )]
    );
}

#[test]
fn yaml11_scalars_read_as_kubectl_reads_them() {
    // `yes` and `0755` in string fields reach the server as a boolean and a number, which it
    // rejects: errors whose fix is to quote them.
    let text = format!("{POD}    env:\n    - name: A\n      value: yes\n    - name: B\n      value: \"no\"\n    - name: C\n      value: 0755\n");
    let found = only(&text, "field-type");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1.as_str()),
        (11, "spec.containers[0].env[0].value")
    );
    assert!(
        found[0].2.ends_with(
            "unquoted `yes` is a boolean in YAML 1.1, which kubectl reads; quote it: \"yes\""
        ),
        "{found:?}"
    );
    assert_eq!(
        (found[1].0, found[1].1.as_str()),
        (15, "spec.containers[0].env[2].value")
    );
    // An octal file mode is what kubectl reads, and valid.
    let modes = format!("{POD}  volumes:\n  - name: v\n    configMap:\n      name: c\n      defaultMode: 0400\n      items:\n      - key: k\n        path: p\n        mode: 01777\n");
    let all = findings(&modes, 37);
    assert!(
        all.iter()
            .all(|f| f.rule != "field-type" && f.rule != "yaml11-scalar"),
        "{all:?}"
    );
    // A leading zero elsewhere is octal too, which is rarely meant.
    let port = format!("{POD}    ports:\n    - containerPort: 0100\n");
    assert_eq!(
        only(&port, "yaml11-scalar"),
        vec![(
            10,
            "spec.containers[0].ports[0].containerPort".to_string(),
            "`0100` is octal in YAML 1.1, which kubectl reads: it is 64; write 64, or quote it if a string is meant".to_string()
        )]
    );
}

#[test]
fn keys_kubectl_rewrites_are_warned_about() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  1: a\n  on: b\n";
    assert!(only(text, "field-type").is_empty());
    assert_eq!(
        only(text, "yaml11-scalar"),
        vec![(
            7,
            "data.true".to_string(),
            "the key `on` is `true` in YAML 1.1, which kubectl reads; quote it: \"on\"".to_string()
        )]
    );
}

#[test]
fn every_type_error_is_reported_at_its_line() {
    let text = format!("{POD}    ports:\n    - containerPort: eighty\n    - containerPort: [1]\n    stdin: maybe\n");
    let found = only(&text, "field-type");
    let places: Vec<_> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
    assert_eq!(
        places,
        [
            (10, "spec.containers[0].ports[0].containerPort"),
            (11, "spec.containers[0].ports[1].containerPort"),
            (12, "spec.containers[0].stdin"),
        ]
    );
}

#[test]
fn json_manifests_have_real_lines() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"web\"},\n  \"spec\": {\n    \"containers\": [\n      {\"name\": \"app\",\n       \"image\": \"nginx:1.27\",\n       \"imagePulPolicy\": \"Always\"}\n    ]\n  }\n}\n";
    let found = only(text, "unknown-field");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 9);
}

#[test]
fn nulls_and_kubectl_output_are_fine() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  creationTimestamp: null\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources: {}\nstatus: {}\n";
    assert!(only(text, "unknown-field").is_empty());
    assert!(only(text, "required-field").is_empty());
}

#[test]
fn fields_newer_than_the_target_are_unknown() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n  - name: proxy\n    image: envoy:1.31\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: nginx:1.27\n";
    let old: Vec<_> = findings(text, 27)
        .into_iter()
        .filter(|f| f.rule == "unknown-field")
        .collect();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].path, "spec.initContainers[0].restartPolicy");
    assert!(old[0].message.contains("added in 1.28"));
    assert!(findings(text, 29).iter().all(|f| f.rule != "unknown-field"));
}

#[test]
fn unknown_kinds_are_skipped() {
    let text =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  anything: 1\n";
    let report = validate_stream(text, "t.yaml", &Options::default());
    assert!(report.findings.is_empty());
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].object, "Widget/w");
}

/// The hint as the plain definition gives it: the closest known field at 1 or 2 edits, shorter
/// than half the field's length, every known field compared.
fn hint_by_definition(name: &str) -> Option<&'static str> {
    super::KNOWN_FIELDS
        .iter()
        .filter(|_| name.chars().count() <= 64)
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|(distance, known)| *distance > 0 && *distance <= 2 && *distance < known.len() / 2)
        .min()
        .map(|(_, known)| known)
}

proptest::proptest! {
    /// Skipping the known fields whose length or letters are too far off changes no hint:
    /// names drawn from known fields with up to two characters changed, added or dropped, and
    /// names of any letters (some not ASCII, whose bytes outnumber their characters).
    #[test]
    fn the_filters_change_no_hint(
        field in proptest::sample::select(super::KNOWN_FIELDS),
        edits in proptest::collection::vec((0usize..40, 0u8..3, "[a-zA-Zé]"), 0..3),
        free in "[a-zA-Zéü]{0,20}",
    ) {
        let mut typo: Vec<char> = field.chars().collect();
        for (at, kind, letter) in edits {
            let at = at % (typo.len() + 1);
            let letter = letter.chars().next().unwrap_or('x');
            match kind {
                0 => typo.insert(at, letter),
                1 if at < typo.len() => { typo.remove(at); }
                _ if at < typo.len() => typo[at] = letter,
                _ => typo.push(letter),
            }
        }
        for name in [typo.into_iter().collect::<String>(), free] {
            let expected = match hint_by_definition(&name) {
                Some(known) => format!("(did you mean \"{known}\"?)"),
                None => "\"".to_string(),
            };
            let message = super::unknown_field_message(&name);
            proptest::prop_assert!(message.ends_with(&expected), "{name:?}: {message}");
        }
    }
}
