//! `podsmith validate`: the fixture corpus through the real binary, exit codes and output
//! formats. The independent cross-check with `kubernetes-validate` is [`cross_check`]'s, the
//! property tests that the validator never panics [`never_panics`]'.
//!
//! A little over 400 lines: the fixtures' helpers first, then the tests by exit code and output
//! format.

mod cross_check;
mod never_panics;

use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;

use podsmith::validate::Severity;

fn fixtures(folder: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(folder),
        &mut out,
    );
    out.sort();
    out
}

fn podsmith() -> assert_cmd::Command {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_podsmith"))
}

/// The `# name: value` header line of a fixture.
fn header<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix(&format!("# {name}: ")))
        .map(str::trim)
}

fn json_report(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn every_rule_has_an_invalid_fixture() {
    let names: Vec<String> = fixtures("invalid")
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .collect();
    for rule in podsmith::validate::rules::ALL {
        assert!(
            names
                .iter()
                .any(|n| n == rule.id || n.starts_with(&format!("{}--", rule.id))),
            "no fixture tests/fixtures/invalid/{}.yaml",
            rule.id
        );
    }
}

#[test]
fn invalid_fixtures_give_exactly_their_finding() {
    let files = fixtures("invalid");
    assert!(files.len() >= 40, "the invalid corpus is missing");
    for file in files {
        // The `unreadable` fixture is not UTF-8 after its header lines.
        let text = String::from_utf8_lossy(&std::fs::read(&file).expect("fixture is readable"))
            .into_owned();
        let expect = header(&text, "expect").expect("fixture has an `# expect:` line");
        let (rule, path) = expect.split_once(' ').expect("`# expect: RULE PATH`");
        let mut command = podsmith();
        command
            .arg("validate")
            .arg("--output")
            .arg("json")
            .arg(&file);
        if let Some(version) = header(&text, "kube-version") {
            command.arg("--kube-version").arg(version);
        }
        if let Some(args) = header(&text, "args") {
            command.args(args.split_whitespace());
        }
        let output = command.output().expect("podsmith runs");
        let report = json_report(&output);
        let findings = report["findings"].as_array().expect("findings array");
        let matching = findings
            .iter()
            .filter(|f| f["rule"] == rule && f["path"] == path)
            .count();
        assert_eq!(
            matching,
            1,
            "{}: expected one `{rule}` finding at `{path}`, got {findings:#?}",
            file.display()
        );
        let stray: Vec<_> = findings
            .iter()
            .filter(|f| f["severity"] == "error" && f["rule"] != rule)
            .collect();
        assert!(
            stray.is_empty(),
            "{}: unexpected errors {stray:#?}",
            file.display()
        );
        let is_error =
            podsmith::validate::rules::find(rule).map(|r| r.severity) == Some(Severity::Error);
        assert_eq!(
            output.status.code(),
            Some(match (rule, is_error) {
                // An input that cannot be read is exit code 2, as for any unreadable input.
                ("unreadable", _) => 2,
                (_, true) => 1,
                (_, false) => 0,
            }),
            "{}: exit code",
            file.display()
        );
    }
}

#[test]
fn valid_fixtures_and_seeds_have_no_errors() {
    let files = fixtures("valid");
    assert!(
        files
            .iter()
            .filter(|f| f.to_string_lossy().contains("seeds"))
            .count()
            == 5,
        "the five seed examples are in tests/fixtures/valid/seeds"
    );
    for file in files {
        let output = podsmith()
            .args(["validate", "--output", "json"])
            .arg(&file)
            .output()
            .expect("podsmith runs");
        let report = json_report(&output);
        assert_eq!(
            report["counts"]["errors"],
            0,
            "{}: {:#?}",
            file.display(),
            report["findings"]
        );
        assert_eq!(output.status.code(), Some(0), "{}", file.display());
    }
}

#[test]
fn clean_fixtures_have_no_warnings_either() {
    for name in [
        "pod-clean.yaml",
        "deployment-native-sidecar.yaml",
        "job-native-sidecar.yaml",
        "cronjob.yaml",
        "statefulset.yaml",
        "statefulset-claim-template.yaml",
        "job-sidecar-done-file.yaml",
        "pod-ownership-init.yaml",
    ] {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/valid")
            .join(name);
        for version in ["1.29", "1.33", "1.37"] {
            podsmith()
                .args(["validate", "--strict", "--kube-version", version])
                .arg(&file)
                .assert()
                .success()
                .stdout("");
        }
    }
}

#[test]
fn text_output_names_file_line_rule_object_and_path() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid/container-name-unique.yaml");
    podsmith()
        .args(["validate", "--quiet"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with(
            "container-name-unique.yaml:40: error[container-name-unique] Pod/web: spec.containers[1].name: Duplicate value: \"app\"\n",
        ))
        .stderr("Summary: 1 document in 1 file - errors: 1, warnings: 0, skipped: 0\n");
}

#[test]
fn quiet_hides_warnings_and_strict_makes_them_fatal() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/seeds/seed-002-1.yaml");
    podsmith()
        .args(["validate", "--quiet"])
        .arg(&seed)
        .assert()
        .success()
        .stdout("");
    podsmith()
        .args(["validate"])
        .arg(&seed)
        .assert()
        .success()
        .stdout(predicate::str::contains("warning[wait-for-timeout]"));
    podsmith()
        .args(["validate", "--strict"])
        .arg(&seed)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[image-unpinned]"));
}

#[test]
fn skip_turns_a_rule_off_and_refuses_unknown_ids() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/port-conflict.yaml");
    podsmith()
        .args(["validate", "--skip", "port-conflict"])
        .arg(&file)
        .assert()
        .success();
    podsmith()
        .args(["validate", "--skip", "port-conflicts"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `port-conflict`?"));
}

#[test]
fn reads_stdin_and_folders_recursively() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("mkdir");
    let bad = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/port-range.yaml"),
    )
    .expect("fixture");
    std::fs::write(nested.join("bad.yml"), &bad).expect("write");
    std::fs::write(nested.join("notes.txt"), "not: [yaml").expect("write");
    let output = podsmith()
        .args(["validate", "--output", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let report = json_report(&output);
    assert_eq!(
        report["counts"]["files"], 1,
        "only *.yaml, *.yml, *.json are read"
    );
    assert_eq!(output.status.code(), Some(1));
    podsmith()
        .args(["validate", "-"])
        .write_stdin(bad)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:13: error[port-range]"));
}

#[test]
fn unreadable_input_and_bad_flags_exit_2() {
    podsmith()
        .args(["validate", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::starts_with(
            "no/such/file.yaml:1: error[unreadable] -: -: cannot read: ",
        ));
    podsmith()
        .args(["validate", "--kube-version", "1.20", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--kube-version"));
}

/// One file that cannot be read or decoded spoils only itself: every other file is validated
/// and printed, in text and JSON, and the exit code says input was unreadable.
#[test]
fn an_unreadable_file_spoils_only_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a-bad.yaml"), b"kind: \xff\n").unwrap();
    std::fs::write(
        dir.path().join("b-good.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    imagePulPolicy: Always\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.yaml");
    let text = podsmith()
        .arg("validate")
        .arg(dir.path())
        .arg(&missing)
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("a-bad.yaml:1: error[unreadable] -: -: cannot decode: not UTF-8 text"),
        "{text}"
    );
    assert!(
        text.contains("missing.yaml:1: error[unreadable] -: -: cannot read: "),
        "{text}"
    );
    assert!(
        text.contains("b-good.yaml:9: error[unknown-field]"),
        "{text}"
    );
    let output = podsmith()
        .arg("validate")
        .args(["--output", "json"])
        .arg(dir.path())
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report = json_report(&output);
    let unreadable = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unreadable")
        .count();
    assert_eq!(unreadable, 2);
    let unknown = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "unknown-field")
        .expect("the good file's finding");
    assert_eq!(unknown["line"], 9);
    assert_eq!(report["counts"]["files"], 3);
}

#[test]
fn no_manifest_is_an_error_unless_allowed() {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in [dir.path(), Path::new("/dev/null")] {
        podsmith()
            .arg("validate")
            .arg(path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no manifest found in"));
        podsmith()
            .args(["validate", "--allow-empty"])
            .arg(path)
            .assert()
            .code(0);
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/seeds");
    let mut child = Command::new(env!("CARGO_BIN_EXE_podsmith"))
        .args(["validate"])
        .arg(&seeds)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("podsmith starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("podsmith ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn unknown_kinds_are_skipped_not_errors() {
    let output = podsmith()
        .args(["validate", "--output", "json", "-"])
        .write_stdin(
            "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n",
        )
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let report = json_report(&output);
    assert_eq!(report["counts"]["skipped"], 1);
    assert_eq!(report["skipped"][0]["object"], "Widget/w");
}
