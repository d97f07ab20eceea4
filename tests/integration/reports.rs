//! `podsmith validate` in CI: SARIF checked against the SARIF 2.1.0 schema and GitHub's ingestion
//! rules by independent tools, JUnit and GitHub annotations read back, the project file, long
//! streams read a slice at a time with the right line numbers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::VerdictCache;

const BIN: &str = env!("CARGO_BIN_EXE_podsmith");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn validate_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("validate")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("podsmith runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A cross-check tool, or `None` after saying SKIPPED (a failure under CI, where .ci/run
/// installs it).
fn tool(variable: &str, what: &str) -> Option<PathBuf> {
    let found = std::env::var_os(variable)
        .map(PathBuf::from)
        .filter(|path| path.exists());
    if found.is_none() {
        crate::support::skip(&format!(
            "{what} is not installed (set {variable}; .ci/run installs it)"
        ));
    }
    found
}

/// The SARIF log of every fixture, valid and invalid, written to `dir/podsmith.sarif`.
fn sarif_of_fixtures(dir: &Path) -> PathBuf {
    let fixtures = fixtures();
    let output = validate_in(&fixtures, &["-o", "sarif", "invalid", "valid"]);
    // Errors, and an unreadable fixture among the invalid ones: exit code 2.
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let path = dir.join("podsmith.sarif");
    std::fs::write(&path, &output.stdout).unwrap();
    path
}

#[test]
fn sarif_passes_the_sarif_schema() {
    let Some(multitool) = tool("SARIF_MULTITOOL", "the SARIF multitool package") else {
        return;
    };
    let Some(kubernetes_validate) = tool("KUBERNETES_VALIDATE", "kubernetes-validate's venv")
    else {
        return;
    };
    // The schema ships with the multitool package; jsonschema comes with kubernetes-validate.
    let schema = multitool.parent().unwrap().join("sarif-2.1.0.json");
    let python = kubernetes_validate.parent().unwrap().join("python");
    let dir = tempfile::tempdir().unwrap();
    let sarif = sarif_of_fixtures(dir.path());
    // Verdicts are kept (see `VerdictCache`): Python's start and the schema's load take
    // seconds, and a verdict stands as long as the script, the schema, the log and the
    // installation of kubernetes-validate (with its jsonschema) are the same.
    let cache = VerdictCache::new("sarif-schema", &kubernetes_validate);
    let schema_text = std::fs::read(&schema).expect("the SARIF schema");
    let check = |file: &Path| -> String {
        let script = "import json, sys, jsonschema\n\
                      schema = json.load(open(sys.argv[1]))\n\
                      validator = jsonschema.Draft202012Validator(schema)\n\
                      for error in validator.iter_errors(json.load(open(sys.argv[2]))):\n\
                      \x20   print(error.json_path, error.message)\n";
        let log = std::fs::read(file).expect("the SARIF log");
        let parts: [&[u8]; 3] = [script.as_bytes(), &schema_text, &log];
        if let Some(verdict) = cache.get(&parts) {
            return verdict;
        }
        let output = Command::new(&python)
            .args(["-c", script])
            .arg(&schema)
            .arg(file)
            .output()
            .expect("python runs");
        assert!(output.status.success(), "{}", stderr(&output));
        let verdict = String::from_utf8(output.stdout).unwrap();
        cache.put(&parts, &verdict);
        verdict
    };
    assert_eq!(check(&sarif), "", "schema errors");
    // The same check finds a broken log, so the empty answer above means something.
    let broken = dir.path().join("broken.sarif");
    let text = std::fs::read_to_string(&sarif).unwrap();
    std::fs::write(
        &broken,
        text.replace("\"level\":\"error\"", "\"level\":\"fatal\""),
    )
    .unwrap();
    assert!(check(&broken).contains("'fatal' is not one of"));
}

#[test]
fn sarif_meets_githubs_ingestion_rules() {
    let Some(multitool) = tool("SARIF_MULTITOOL", "the SARIF multitool package") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sarif = sarif_of_fixtures(dir.path());
    // The multitool's verdict is kept (see `VerdictCache`): .NET's start takes seconds, and the
    // verdict stands as long as the log, the rules asked for and the multitool are the same.
    let rule_kinds = "Gh;Ghas;Sarif";
    let log = std::fs::read(&sarif).unwrap();
    let cache = VerdictCache::new("sarif-multitool", &multitool);
    let parts: [&[u8]; 2] = [rule_kinds.as_bytes(), &log];
    let errors = match cache.get(&parts) {
        Some(errors) => errors,
        None => {
            let errors = multitool_errors(&multitool, &sarif, rule_kinds, dir.path());
            cache.put(&parts, &errors);
            errors
        }
    };
    assert!(errors.is_empty(), "{errors}");
}

/// The errors the SARIF multitool finds in the log at `sarif` with the rules of `rule_kinds`,
/// one a line.
fn multitool_errors(multitool: &Path, sarif: &Path, rule_kinds: &str, dir: &Path) -> String {
    let checked = dir.join("checked.sarif");
    let output = Command::new(multitool)
        .arg("validate")
        .arg(sarif)
        .arg("-o")
        .arg(&checked)
        .args(["--log", "ForceOverwrite", "--rule-kind", rule_kinds])
        .output()
        .expect("the multitool runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&checked).unwrap()).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| format!("{}: {}\n", r["ruleId"], r["message"]))
        .collect()
}

#[test]
fn junit_and_github_annotations_carry_every_finding() {
    let fixtures = fixtures();
    let json = validate_in(&fixtures, &["-o", "json", "invalid"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert!(errors > 10);

    let junit = validate_in(&fixtures, &["-o", "junit", "invalid"]);
    // The invalid fixtures include an unreadable file: exit code 2.
    assert_eq!(junit.status.code(), Some(2));
    let xml = String::from_utf8(junit.stdout).unwrap();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let failures = document
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, errors);
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(
        suite.attribute("failures"),
        Some(errors.to_string().as_str())
    );

    let github = validate_in(&fixtures, &["-o", "github", "invalid"]);
    let lines = String::from_utf8(github.stdout.clone()).unwrap();
    let annotations: Vec<&str> = lines
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
        .collect();
    assert_eq!(annotations.len(), findings.len());
    let first = &findings[0];
    assert!(
        annotations[0].starts_with(&format!(
            "::{} file={},line={},title=podsmith {}::",
            first["severity"].as_str().unwrap(),
            first["file"].as_str().unwrap(),
            first["line"],
            first["rule"].as_str().unwrap()
        )),
        "{}",
        annotations[0]
    );
    assert!(
        stderr(&github).starts_with("Summary: "),
        "{}",
        stderr(&github)
    );
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
";

#[test]
fn the_project_file_sets_version_skipped_rules_and_strictness() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("deploy")).unwrap();
    std::fs::write(dir.path().join("deploy/pod.yaml"), POD).unwrap();
    let plain = validate_in(dir.path(), &["deploy"]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert!(String::from_utf8_lossy(&plain.stdout).contains("[image-unpinned]"));

    std::fs::write(dir.path().join(".podsmith.yaml"), "strict: true\n").unwrap();
    let strict = validate_in(&dir.path().join("deploy"), &["."]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "found in the parent folder, strict"
    );

    std::fs::write(
        dir.path().join(".podsmith.yaml"),
        "kubeVersion: \"1.28\"\nskip: [image-unpinned]\nstrict: true\n",
    )
    .unwrap();
    let skipped = validate_in(dir.path(), &["-o", "json", "deploy"]);
    let report: serde_json::Value = serde_json::from_slice(&skipped.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"image-unpinned"), "{rules:?}");

    std::fs::write(dir.path().join(".podsmith.yaml"), "skip: [no-such-rule]\n").unwrap();
    let bad = validate_in(dir.path(), &["deploy"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        stderr(&bad),
        format!(
            "error: invalid value `no-such-rule` for `{}: skip`: no rule has this ID \
             (`podsmith rules` lists them)\n",
            dir.path().join(".podsmith.yaml").display()
        )
    );
    let flag = validate_in(
        dir.path(),
        &["--config", "/dev/null", "--skip", "zzz", "deploy"],
    );
    assert_eq!(
        stderr(&flag),
        "error: invalid value `zzz` for `--skip`: no rule has this ID (`podsmith rules` lists them)\n"
    );
}

#[test]
fn a_long_stream_keeps_its_line_numbers_across_slices() {
    // About 6 MiB: read in more than one slice.
    let filler = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler\ndata:\n  x: \"{}\"\n",
        "y".repeat(64 << 10)
    );
    let mut stream = String::new();
    for _ in 0..100 {
        stream.push_str("---\n");
        stream.push_str(&filler);
    }
    stream.push_str("---\n");
    let bad_line = stream.lines().count() + 4;
    stream.push_str(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: []\n",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("stream.yaml"), &stream).unwrap();
    let output = validate_in(dir.path(), &["-o", "json", "stream.yaml"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let name = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "object-name")
        .expect("the bad name is found");
    assert_eq!(name["line"], bad_line);
    assert_eq!(report["counts"]["documents"], 101);
    // The same through stdin, which is always read a slice at a time.
    let piped = Command::new(BIN)
        .args(["validate", "-o", "json"])
        .stdin(std::fs::File::open(dir.path().join("stream.yaml")).unwrap())
        .output()
        .unwrap();
    let piped: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(
        piped["findings"],
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f["file"] = "<stdin>".into();
                f
            })
            .collect::<serde_json::Value>()
    );
}

#[test]
fn the_rule_catalog_and_completions_come_from_the_binary() {
    let rules = Command::new(BIN).arg("rules").output().unwrap();
    assert!(rules.status.success());
    let text = String::from_utf8(rules.stdout).unwrap();
    for id in [
        "yaml-syntax",
        "port-conflict",
        "probes-missing",
        "ignore-unknown-rule",
    ] {
        assert!(text.lines().any(|l| l.trim_start().starts_with(id)), "{id}");
    }
    let script = Command::new(BIN)
        .args(["completion", "bash"])
        .output()
        .unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("podsmith.bash"), &script.stdout).unwrap();
    let loaded = Command::new("bash")
        .arg("-c")
        .arg("source ./podsmith.bash && complete -p podsmith")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("podsmith"));
}
