//! `podsmith validate`: the fixture corpus through the real binary, exit codes, output formats,
//! an independent cross-check with `kubernetes-validate`, and property tests that the validator
//! never panics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;
use proptest::prelude::*;

use podsmith::kube_version::KubeVersion;
use podsmith::validate::{validate_stream, Options, Severity};

use crate::support::VerdictCache;

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

// ---------------------------------------------------------------------------------------------
// The independent check: kubernetes-validate in strict mode must agree on every schema question.

/// Rules that are schema questions, on which kubernetes-validate must agree with podsmith.
/// `duplicate-key` is not among them: PyYAML keeps the last value and reports nothing.
const SCHEMA_RULES: &[&str] = &[
    "yaml-syntax",
    "missing-kind",
    "unknown-field",
    "field-type",
    "required-field",
    "service-name-required",
];

/// The body of an insta snapshot: everything after the header, which runs from the first `---`
/// line to the second. `None` when the text is not a snapshot.
fn snapshot_body(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + 5..])
}

/// The Kubernetes version in a snapshot's file name (`1.28`, `1_28`, `v1.28`), if any.
fn version_in_name(name: &str) -> Option<KubeVersion> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|at| {
        let after_one = bytes.get(at..at + 2)?;
        let boundary = at == 0 || !bytes[at - 1].is_ascii_digit();
        if boundary && (after_one == b"1." || after_one == b"1_") {
            let minor = name.get(at + 2..at + 4)?.parse().ok()?;
            KubeVersion::new(minor)
        } else {
            None
        }
    })
}

fn kubernetes_validate() -> Option<PathBuf> {
    let from_env = std::env::var_os("KUBERNETES_VALIDATE").map(PathBuf::from);
    let local =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/kv-venv/bin/kubernetes-validate");
    from_env
        .filter(|p| p.exists())
        .or_else(|| local.exists().then_some(local))
}

/// One file for the cross-check: where it is, the version to check it for, whether podsmith
/// finds a schema problem, and whether to compare at all.
struct Case {
    file: PathBuf,
    text: String,
    version: KubeVersion,
    podsmith_invalid: bool,
}

fn case(file: PathBuf, text: &str, version: KubeVersion) -> Case {
    let options = Options {
        kube_version: version,
        ..Options::default()
    };
    let report = validate_stream(text, &file.display().to_string(), &options);
    Case {
        podsmith_invalid: report
            .findings
            .iter()
            .any(|f| SCHEMA_RULES.contains(&f.rule.as_str())),
        file,
        text: text.to_string(),
        version,
    }
}

#[test]
fn kubernetes_validate_agrees_on_schema_questions() {
    let Some(tool) = kubernetes_validate() else {
        crate::support::skip(
            "kubernetes-validate is not installed (set KUBERNETES_VALIDATE; .ci/run installs it)",
        );
        return;
    };
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut cases = Vec::new();
    for file in fixtures("valid").into_iter().chain(fixtures("invalid")) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).expect("fixture")).into_owned();
        // PyYAML keeps the last of two duplicate keys, and kubernetes-validate has no schema
        // for `kind: List` and no word on a file that is not text: none can be compared.
        let expect = header(&text, "expect").unwrap_or_default();
        let incomparable = expect.starts_with("duplicate-key") || expect.starts_with("unreadable");
        if incomparable || text.lines().any(|l| l == "kind: List") {
            continue;
        }
        let version = header(&text, "kube-version")
            .and_then(|v| v.parse().ok())
            .unwrap_or_default();
        cases.push(case(file, &text, version));
    }
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let mut snapshot_files = Vec::new();
    collect_snaps(&snapshots, &mut snapshot_files);
    for (at, file) in snapshot_files.into_iter().enumerate() {
        let text = std::fs::read_to_string(&file).expect("snapshot");
        let Some(body) =
            snapshot_body(&text).filter(|b| b.lines().any(|l| l.starts_with("apiVersion:")))
        else {
            continue;
        };
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let version = version_in_name(name).unwrap_or_default();
        let extracted = scratch.path().join(format!("snapshot-{at}.yaml"));
        std::fs::write(&extracted, body).expect("write");
        let mut checked = case(extracted, body, version);
        checked.file = scratch.path().join(format!("snapshot-{at}.yaml"));
        cases.push(checked);
    }
    let verdicts = kubernetes_validate_verdicts(&tool, &cases);
    let mut disagreements = Vec::new();
    for case in &cases {
        let name = case.file.display().to_string();
        let (kv_invalid, said) = verdicts.get(&name).cloned().unwrap_or_default();
        if kv_invalid != case.podsmith_invalid {
            disagreements.push(format!(
                "{name} (Kubernetes {}): podsmith says {}, kubernetes-validate says {}: {said}",
                case.version,
                if case.podsmith_invalid {
                    "invalid"
                } else {
                    "valid"
                },
                if kv_invalid { "invalid" } else { "valid" },
            ));
        }
    }
    assert!(cases.len() >= 50, "the cross-check found too few files");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// kubernetes-validate's verdict on each case by file name: whether it is invalid, and what it
/// said. Verdicts given before on the same text and version come from the cache; the rest are
/// asked in one run per version, all runs at once. A file that is not YAML stops
/// kubernetes-validate, so it runs alone.
fn kubernetes_validate_verdicts(tool: &Path, cases: &[Case]) -> HashMap<String, (bool, String)> {
    let cache = VerdictCache::new("kubernetes-validate", tool);
    let key = |case: &Case| {
        [
            case.version.to_string().into_bytes(),
            case.text.clone().into_bytes(),
        ]
    };
    let mut verdicts = HashMap::new();
    let mut unjudged = Vec::new();
    for case in cases {
        let [version, text] = key(case);
        match cache.get(&[&version, &text]) {
            Some(stored) => {
                let (verdict, said) = stored.split_once('\n').unwrap_or((&stored, ""));
                let name = case.file.display().to_string();
                verdicts.insert(name, (verdict == "invalid", said.to_string()));
            }
            None => unjudged.push(case),
        }
    }
    let mut versions: Vec<KubeVersion> = unjudged.iter().map(|c| c.version).collect();
    versions.sort();
    versions.dedup();
    let alone = |c: &&&Case| c.file.to_string_lossy().contains("yaml-syntax");
    let mut batches: Vec<(KubeVersion, Vec<&Case>)> = Vec::new();
    for version in versions {
        let (single, many): (Vec<&Case>, Vec<&Case>) = unjudged
            .iter()
            .filter(|c| c.version == version)
            .partition(alone);
        batches.push((version, many));
        batches.extend(single.into_iter().map(|c| (version, vec![c])));
    }
    let runs: Vec<_> = batches
        .into_iter()
        .map(|(version, batch)| {
            let child = Command::new(tool)
                .args(["-k", &format!("{version}.0"), "--strict", "--quiet"])
                .args(batch.iter().map(|c| &c.file))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("kubernetes-validate runs");
            (child, batch)
        })
        .collect();
    for (child, batch) in runs {
        let output = child.wait_with_output().expect("kubernetes-validate ends");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // A run cut short (a signal, a Python error) says nothing worth keeping.
        let completed = output.status.code().is_some() && !said.contains("Traceback");
        for case in batch {
            let name = case.file.display().to_string();
            let lines: Vec<&str> = said.lines().filter(|l| l.contains(&name)).collect();
            let invalid = lines.iter().any(|l| {
                l.starts_with("ERROR")
                    || l.contains("could not be validated")
                    || l.contains("Couldn't parse")
            });
            let said = lines.join("\n");
            if completed {
                let [version, text] = key(case);
                let verdict = if invalid { "invalid" } else { "valid" };
                cache.put(&[&version, &text], &format!("{verdict}\n{said}"));
            }
            verdicts.insert(name, (invalid, said));
        }
    }
    verdicts
}

fn collect_snaps(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_snaps(&path, out);
        } else if path.extension().is_some_and(|e| e == "snap") {
            out.push(path);
        }
    }
    out.sort();
}

#[test]
fn snapshot_helpers() {
    let snap =
        "---\nsource: tests/integration/new.rs\nexpression: out\n---\napiVersion: v1\nkind: Pod\n";
    assert_eq!(snapshot_body(snap), Some("apiVersion: v1\nkind: Pod\n"));
    assert_eq!(snapshot_body("apiVersion: v1\n"), None);
    assert_eq!(version_in_name("new__web_1.28.snap"), KubeVersion::new(28));
    assert_eq!(
        version_in_name("new__web__k1_33.snap"),
        KubeVersion::new(33)
    );
    assert_eq!(version_in_name("new__web.snap"), None);
}

// ---------------------------------------------------------------------------------------------
// Property tests: no input makes the validator panic.

fn valid_texts() -> Vec<String> {
    fixtures("valid")
        .iter()
        .chain(fixtures("invalid").iter())
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// A small edit of a manifest: delete, duplicate, indent or outdent a line, or put a YAML token
/// somewhere.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Indent(usize, usize),
    Outdent(usize),
    Insert(usize, usize, String),
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return String::new();
    }
    let n = lines.len();
    match edit {
        Edit::Delete(at) => {
            lines.remove(at % n);
        }
        Edit::Duplicate(at) => {
            let line = lines[at % n].clone();
            lines.insert(at % n, line);
        }
        Edit::Indent(at, by) => lines[at % n].insert_str(0, &" ".repeat(by % 5)),
        Edit::Outdent(at) => {
            let line = &mut lines[at % n];
            let trimmed = line.trim_start().to_string();
            *line = trimmed;
        }
        Edit::Insert(at, column, token) => {
            let line = &mut lines[at % n];
            let mut cut = column % (line.len() + 1);
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.insert_str(cut, token);
        }
    }
    lines.join("\n")
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop::sample::select(vec![
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        "'",
        "\"",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "|",
        ">",
        "~",
        "yes",
        "0755",
        "-1",
        "99999999999999999999",
        "1e400",
        "\t",
        "é",
        "---",
        "\u{0}",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Indent(a, b)),
        any::<usize>().prop_map(Edit::Outdent),
        (any::<usize>(), any::<usize>(), token).prop_map(|(a, b, t)| Edit::Insert(a, b, t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
        let report = validate_stream(&text, "fuzz.yaml", &Options::default());
        prop_assert!(report.findings.iter().all(|f| f.line >= 1));
    }

    #[test]
    fn yaml_like_text_never_panics(text in "([a-zA-Z]{1,8}: ?|- |  |[{}\\[\\],:]|\"|'|\n|[0-9]{1,3}|#|---\n){0,60}") {
        let report = validate_stream(&text, "fuzz.yaml", &Options::default());
        prop_assert!(report.findings.iter().all(|f| f.line >= 1));
    }

    #[test]
    fn mutated_manifests_never_panic(
        pick in any::<usize>(),
        edits in prop::collection::vec(edit(), 1..4),
        minor in 27u32..=37,
    ) {
        let texts = valid_texts();
        let mut text = texts[pick % texts.len()].clone();
        for e in &edits {
            text = apply(&text, e);
        }
        let options = Options {
            kube_version: KubeVersion::new(minor).unwrap_or_default(),
            ..Options::default()
        };
        let report = validate_stream(&text, "mutated.yaml", &options);
        let lines = text.lines().count().max(1);
        prop_assert!(report.findings.iter().all(|f| f.line >= 1 && f.line <= lines + 1), "{:?}", report.findings);
    }
}
