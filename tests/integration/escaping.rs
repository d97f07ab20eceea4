//! No input value can change the YAML's structure: hostile values pass through every free-text
//! flag and come back verbatim, and the documents keep exactly the keys of a benign render.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;

use crate::support::{render_words, yaml12, NEW_WEB};

/// Every key path of every document (sequence indexes included), as `a.b[0].c`.
fn key_paths(documents: &[Value]) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for (index, document) in documents.iter().enumerate() {
        walk(document, &format!("doc{index}"), &mut paths);
    }
    paths
}

fn walk(value: &Value, path: &str, paths: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = format!("{path}.{key}");
                paths.insert(child_path.clone());
                walk(child, &child_path, paths);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{path}[{index}]"), paths);
            }
        }
        _ => {}
    }
}

/// All string scalars of a stream.
fn strings(documents: &[Value]) -> Vec<String> {
    fn collect(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Object(map) => map.values().for_each(|v| collect(v, out)),
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    documents.iter().for_each(|d| collect(d, &mut out));
    out
}

/// Reads streams with PyYAML, a YAML 1.1 reader (`yes` is a boolean, `0755` octal, `1:30`
/// sexagesimal), as JSON documents. PyYAML comes with kubernetes-validate, whose virtual
/// environment `KUBERNETES_VALIDATE` points into. `None` (after saying SKIPPED) when it is absent;
/// under `CI=true` its absence fails the test.
fn yaml11(streams: &[String]) -> Option<Vec<Vec<Value>>> {
    let python = std::env::var_os("KUBERNETES_VALIDATE")
        .map(std::path::PathBuf::from)
        .and_then(|tool| tool.parent().map(|bin| bin.join("python3")))
        .filter(|python| python.exists());
    let Some(python) = python else {
        crate::support::skip(
            "the YAML 1.1 cross-check needs KUBERNETES_VALIDATE (PyYAML beside it, in its venv)",
        );
        return None;
    };
    let script = "import json, sys, yaml\n\
        streams = json.load(sys.stdin)\n\
        json.dump([list(yaml.safe_load_all(s)) for s in streams], sys.stdout, default=str)\n";
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    let input = serde_json::to_vec(streams).expect("streams are JSON");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &input).expect("write");
    let output = child.wait_with_output().expect("python finishes");
    assert!(output.status.success(), "PyYAML failed to read a stream");
    Some(serde_json::from_slice(&output.stdout).expect("PyYAML's JSON"))
}

/// The flags of a render, with `value` in every free-text position.
fn words(value: &str) -> Vec<String> {
    let flags = [
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
    ];
    NEW_WEB
        .iter()
        .chain(&flags)
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

/// Checks one reader's view of every stream: the benign keys, and the hostile value verbatim.
fn assert_verbatim(reader: &str, baseline: &[Value], streams: &[(&str, Vec<Value>)]) {
    let expected_paths = key_paths(baseline);
    for (hostile, documents) in streams {
        assert_eq!(
            key_paths(documents),
            expected_paths,
            "{reader}: structure changed for {hostile:?}"
        );
        let values = strings(documents);
        assert!(
            values.contains(&hostile.to_string()),
            "{reader}: {hostile:?} not held verbatim"
        );
        assert!(
            values.contains(&format!("run {hostile}")),
            "{reader}: {hostile:?} init command not verbatim"
        );
    }
}

#[test]
fn hostile_values_keep_the_structure_and_come_back_verbatim() {
    let baseline = render_words(&words("benign")).unwrap().rendered.stream();
    let rendered: Vec<(&str, String)> = HOSTILE
        .iter()
        .map(|hostile| {
            let stream = render_words(&words(hostile)).unwrap().rendered.stream();
            (*hostile, stream)
        })
        .collect();
    let read: Vec<(&str, Vec<Value>)> = rendered
        .iter()
        .map(|(hostile, stream)| (*hostile, yaml12(stream)))
        .collect();
    assert_verbatim("YAML 1.2", &yaml12(&baseline), &read);
    let mut streams: Vec<String> = rendered.iter().map(|(_, s)| s.clone()).collect();
    streams.push(baseline);
    if let Some(mut documents) = yaml11(&streams) {
        let baseline = documents.pop().expect("the baseline was read");
        let read: Vec<(&str, Vec<Value>)> = HOSTILE.iter().copied().zip(documents).collect();
        assert_verbatim("YAML 1.1", &baseline, &read);
    }
}

/// Scalars every reader could misread: YAML 1.1 booleans and nulls, numbers in every base and
/// form, sexagesimals and dates, indicators and flow characters, document markers, surrounding
/// spaces, line breaks and other Unicode breaks; and their neighbours the emitter writes plain,
/// as kubectl prints them: flags (`-c`, `--config-path`), paths (`.hidden`, `./migrate`), `?x`,
/// `:x`, `<none>`, `=x`, `a#b`, `a:b`.
const MISREADABLE: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "true",
    "False",
    "null",
    "~",
    "",
    "0755",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1:30",
    "-1:30.5",
    "190:20:30",
    "1.30",
    "1e3",
    ".5",
    "-.5",
    "._",
    ".inf",
    "-.inf",
    ".nan",
    "-1",
    "-0x1F",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "=",
    "<<",
    "-",
    "?",
    ":",
    "- x",
    "? x",
    ": x",
    "a: b",
    "a:",
    "a #b",
    "#c",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    "'q'",
    "\"q\"",
    "{a}",
    "[a]",
    "a,b",
    ",a",
    " lead",
    "trail ",
    "tab\t",
    "line\nnext",
    "...",
    "... x",
    "---",
    "---x",
    "--- x",
    "1.2.3.4",
    "nginx:1.27",
    "apps/v1",
    "\u{85}\u{2028}\u{feff}",
    "é漢",
    "-c",
    "-z",
    "--config-path",
    "-n+1",
    "-e",
    "-_",
    "?x",
    ":x",
    "::",
    "-:",
    "-#",
    ".hidden",
    "./migrate",
    "...x",
    "<none>",
    "<<x",
    "=x",
    "x=",
    "~x",
    "+x",
    "127.0.0.1",
    "a#b",
    "a:b",
];

/// A document that writes each of `texts` with the emitter as the value of a key, an item of a
/// sequence, a key (at column 0, nested, and in a sequence item), with the fields kubectl needs
/// to read an object.
fn scalars_document(texts: &[String]) -> String {
    let scalar = |text: &String| podsmith::yaml::scalar(text);
    let mut document =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scalars\n");
    document.push_str("values:\n");
    for (at, text) in texts.iter().enumerate() {
        document.push_str(&format!("  k{at}: {}\n", scalar(text)));
    }
    document.push_str("sequence:\n");
    for text in texts {
        document.push_str(&format!("- {}\n", scalar(text)));
    }
    document.push_str("keys:\n");
    for (at, text) in texts.iter().enumerate() {
        document.push_str(&format!("  {}: k{at}\n", scalar(text)));
    }
    document.push_str("entries:\n");
    for (at, text) in texts.iter().enumerate() {
        document.push_str(&format!("- {}: k{at}\n", scalar(text)));
    }
    for (at, text) in texts.iter().enumerate() {
        document.push_str(&format!("{}: k{at}\n", scalar(text)));
    }
    document
}

/// How kubectl itself (go-yaml, YAML 1.1) reads the object `document`, as JSON, or `None`
/// (SKIPPED, failing under CI) when kubectl is missing.
fn kubectl_reads(document: &str) -> Option<Value> {
    use std::io::Write as _;
    let child = std::process::Command::new("kubectl")
        .args(["label", "--local", "-f", "-", "-o", "json", "checked=yes"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        crate::support::skip("kubectl is not installed (.ci/run installs it)");
        return None;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(document.as_bytes())
        .expect("kubectl reads its input");
    let output = child.wait_with_output().expect("kubectl finishes");
    assert!(
        output.status.success(),
        "kubectl cannot read the document: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("kubectl's JSON"))
}

/// Each of [`MISREADABLE`], written by the emitter in every place of a block mapping or
/// sequence, must come back as that very string for every reader: YAML 1.2 (saphyr), YAML 1.1
/// (PyYAML), kubectl's reading as podsmith emulates it, and kubectl itself.
#[test]
fn every_reader_reads_emitted_scalars_as_written() {
    let texts: Vec<String> = MISREADABLE.iter().map(|s| s.to_string()).collect();
    let document = scalars_document(&texts);
    let check = |reader: &str, read: &Value| {
        for (at, text) in texts.iter().enumerate() {
            let written = podsmith::yaml::scalar(text);
            let expected = Some(text.as_str());
            let key = format!("k{at}");
            let key_of = |entries: &Value| {
                entries.as_object().and_then(|map| {
                    map.iter()
                        .find(|(_, value)| value.as_str() == Some(&key))
                        .map(|(found, _)| found.clone())
                })
            };
            assert_eq!(
                read["values"][&key].as_str(),
                expected,
                "{reader}: value {written}"
            );
            assert_eq!(
                read["sequence"][at].as_str(),
                expected,
                "{reader}: item {written}"
            );
            assert_eq!(
                key_of(&read["keys"]).as_deref(),
                expected,
                "{reader}: key {written}"
            );
            assert_eq!(
                key_of(&read["entries"][at]).as_deref(),
                expected,
                "{reader}: key in an item {written}"
            );
            assert_eq!(
                key_of(read).as_deref(),
                expected,
                "{reader}: top-level key {written}"
            );
        }
    };
    let documents = yaml12(&document);
    assert_eq!(documents.len(), 1, "YAML 1.2: one document");
    check("YAML 1.2", &documents[0]);
    let emulated: Value = podsmith::yaml::from_str(&document).expect("podsmith reads it");
    check("podsmith's kubectl reading", &emulated);
    if let Some(documents) = yaml11(std::slice::from_ref(&document)) {
        assert_eq!(documents[0].len(), 1, "YAML 1.1: one document");
        check("YAML 1.1", &documents[0][0]);
    }
    if let Some(read) = kubectl_reads(&document) {
        check("kubectl", &read);
    }
}

/// The emitter writes plain what kubectl prints plain: flags, dotted paths, `<none>`.
#[test]
fn plain_where_kubectl_prints_plain() {
    for text in [
        "-c",
        "--config-path",
        ".hidden",
        "./migrate",
        "<none>",
        "?x",
        ":x",
        "127.0.0.1",
    ] {
        assert_eq!(podsmith::yaml::scalar(text), text);
    }
    for text in ["-", "- x", "---x", "...", "<<", "=", "-1", ".5"] {
        assert!(podsmith::yaml::scalar(text).starts_with('"'), "{text:?}");
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
        let baseline = key_paths(&yaml12(&render_words(&words("benign")).unwrap().rendered.stream()));
        let documents = yaml12(&render_words(&words(&value)).unwrap().rendered.stream());
        prop_assert_eq!(key_paths(&documents), baseline);
        prop_assert!(strings(&documents).contains(&value));
    }
}
