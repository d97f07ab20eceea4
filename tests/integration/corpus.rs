//! The real-world check: `podsmith validate` and `kubernetes-validate --strict` on every
//! manifest of `../shared/corpus` (or `PODSMITH_CORPUS`), document by document.
//!
//! They must agree on every document kubernetes-validate has a schema for, except the lines of
//! `tests/corpus-disagreements.tsv`, each of which names the upstream rule (source file and
//! function) by which the API server rejects what the schema check passes. podsmith's pattern
//! wiring and best-practice findings are not API verdicts and are not compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use podsmith::validate::rules::{self, Layer};

use crate::support::{skip, VerdictCache};

/// Where the corpus is: `PODSMITH_CORPUS`, or `../shared/corpus` beside the repository.
fn corpus() -> PathBuf {
    std::env::var_os("PODSMITH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// The Python of the kubernetes-validate installation named by `KUBERNETES_VALIDATE`.
fn kubernetes_validate_python() -> Option<PathBuf> {
    let program = PathBuf::from(std::env::var_os("KUBERNETES_VALIDATE")?);
    let python = program.parent()?.join("python3");
    python.exists().then_some(python)
}

/// The manifests of the corpus, as podsmith finds them in a folder.
fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("corpus folder is readable")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            manifests(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["yaml", "yml", "json"].contains(&e))
        {
            out.push(path);
        }
    }
}

/// A document: the file relative to the corpus and `kind/name`, kind in lower case.
type Key = (String, String);

fn relative(root: &Path, file: &str) -> String {
    Path::new(file)
        .strip_prefix(root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| file.to_string())
}

fn object_key(object: &str) -> String {
    match object.split_once('/') {
        Some((kind, name)) => format!("{}/{name}", kind.to_lowercase()),
        None => object.to_string(),
    }
}

/// podsmith's API verdict: the schema and API-rule errors of each document.
fn podsmith_errors(root: &Path) -> BTreeMap<Key, BTreeSet<String>> {
    let output = Command::new(env!("CARGO_BIN_EXE_podsmith"))
        .args(["validate", "--output", "json"])
        .arg(root)
        .output()
        .expect("podsmith runs");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("podsmith prints JSON");
    let mut errors: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    for finding in report["findings"].as_array().expect("findings") {
        let rule = finding["rule"].as_str().unwrap_or_default();
        let layer = rules::find(rule).map(|r| r.layer);
        if finding["severity"] != "error" || !matches!(layer, Some(Layer::Schema | Layer::Api)) {
            continue;
        }
        let file = relative(root, finding["file"].as_str().unwrap_or_default());
        let object = object_key(finding["object"].as_str().unwrap_or("-"));
        errors
            .entry((file, object))
            .or_default()
            .insert(rule.to_string());
    }
    errors
}

/// kubernetes-validate's verdict on each document: `valid`, `invalid`, `skipped` (no schema),
/// or `unreadable` (for a whole file, under the object `-`), with its message. Files judged
/// before with the same text come from the cache; the script reads the rest.
fn kubernetes_validate_verdicts(
    python: &Path,
    root: &Path,
    files: &[PathBuf],
) -> BTreeMap<Key, (String, String)> {
    const VERSION: &str = "1.37.0";
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kv-verdicts.py");
    let script_text = std::fs::read(&script).expect("scripts/kv-verdicts.py");
    let cache = VerdictCache::new("kv-verdicts", python);
    let mut records: Vec<serde_json::Value> = Vec::new();
    let mut unjudged = Vec::new();
    for file in files {
        let text = std::fs::read(file).expect("a corpus file");
        let key = [script_text.as_slice(), VERSION.as_bytes(), text.as_slice()];
        match cache.get(&key) {
            Some(lines) => records.extend(lines.lines().map(|line| {
                let mut record: serde_json::Value = serde_json::from_str(line).expect("JSON");
                record["file"] = file.display().to_string().into();
                record
            })),
            None => unjudged.push((file, text)),
        }
    }
    if !unjudged.is_empty() {
        let output = Command::new(python)
            .arg(&script)
            .arg(VERSION)
            .args(unjudged.iter().map(|(file, _)| file))
            .output()
            .expect("scripts/kv-verdicts.py runs");
        assert!(
            output.status.success(),
            "scripts/kv-verdicts.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let mut lines_of: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let stdout = String::from_utf8_lossy(&output.stdout);
        for line in stdout.lines() {
            let record: serde_json::Value = serde_json::from_str(line).expect("one JSON a line");
            let file = record["file"].as_str().unwrap_or_default().to_string();
            lines_of.entry(file).or_default().push(line);
            records.push(record);
        }
        for (file, text) in &unjudged {
            let lines = lines_of.get(&file.display().to_string());
            let key = [script_text.as_slice(), VERSION.as_bytes(), text.as_slice()];
            cache.put(&key, &lines.map(|l| l.join("\n")).unwrap_or_default());
        }
    }
    let mut verdicts: BTreeMap<Key, (String, String)> = BTreeMap::new();
    for record in records {
        let file = relative(root, record["file"].as_str().unwrap_or_default());
        let object = record["object"].as_str().unwrap_or("-").to_string();
        let verdict = record["verdict"].as_str().unwrap_or_default().to_string();
        let message = record["message"].as_str().unwrap_or_default().to_string();
        let entry = verdicts
            .entry((file, object))
            .or_insert((verdict.clone(), message.clone()));
        // Two documents with one name: the key is invalid if either is.
        if verdict == "invalid" {
            *entry = (verdict, message);
        }
    }
    verdicts
}

/// Rules by which podsmith finds that a file cannot be read as the API server reads it.
const UNREADABLE_RULES: &[&str] = &["yaml-syntax", "duplicate-key"];

/// The checked-in disagreements: `file  kind/name  rule  citation` (rule `-` when
/// kubernetes-validate rejects what podsmith passes).
fn listed() -> BTreeMap<(String, String, String), String> {
    let text = include_str!("../corpus-disagreements.tsv");
    let mut lines = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            fields.len(),
            4,
            "corpus-disagreements.tsv: four fields: {line}"
        );
        let citation = fields[3];
        let cites = citation
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0].ends_with(".go") && w[1].chars().next().is_some_and(char::is_alphabetic));
        assert!(
            cites,
            "corpus-disagreements.tsv: the citation names no upstream `file.go Function`: {line}"
        );
        let key = (
            fields[0].to_string(),
            fields[1].to_string(),
            fields[2].to_string(),
        );
        assert!(
            lines.insert(key, citation.to_string()).is_none(),
            "corpus-disagreements.tsv lists a line twice: {line}"
        );
    }
    lines
}

/// Where the two readers disagree, keyed by file, object and podsmith's rule (`-` for none),
/// with why: a verdict the other does not share, or a file one of them cannot read.
fn disagreements(
    podsmith: &BTreeMap<Key, BTreeSet<String>>,
    kv: &BTreeMap<Key, (String, String)>,
) -> BTreeMap<(String, String, String), String> {
    let unreadable: BTreeSet<&str> = kv
        .iter()
        .filter(|(_, (verdict, _))| verdict == "unreadable")
        .map(|((file, _), _)| file.as_str())
        .collect();

    let mut found: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for ((file, object), (verdict, message)) in kv {
        let errors = podsmith.get(&(file.clone(), object.clone()));
        match verdict.as_str() {
            "invalid" if errors.is_none() => {
                found.insert(
                    (file.clone(), object.clone(), "-".into()),
                    format!("kubernetes-validate rejects what podsmith passes: {message}"),
                );
            }
            "valid" => {
                for rule in errors.into_iter().flatten() {
                    found.insert(
                        (file.clone(), object.clone(), rule.clone()),
                        format!("podsmith rejects ({rule}) what kubernetes-validate passes"),
                    );
                }
            }
            "unreadable" => {
                let read_error = podsmith.iter().any(|((f, _), rules)| {
                    f == file && rules.iter().any(|r| UNREADABLE_RULES.contains(&r.as_str()))
                });
                if !read_error {
                    found.insert(
                        (file.clone(), "-".into(), "-".into()),
                        format!("kubernetes-validate cannot read what podsmith reads: {message}"),
                    );
                }
            }
            _ => {}
        }
    }
    // Documents podsmith cannot read in files kubernetes-validate reads.
    for ((file, object), errors) in podsmith {
        if unreadable.contains(file.as_str()) {
            continue;
        }
        for rule in errors
            .iter()
            .filter(|r| UNREADABLE_RULES.contains(&r.as_str()))
        {
            found
                .entry((file.clone(), object.clone(), rule.clone()))
                .or_insert_with(|| {
                    format!("podsmith cannot read ({rule}) what kubernetes-validate reads")
                });
        }
    }
    found
}

#[test]
fn podsmith_agrees_with_kubernetes_validate_on_the_corpus() {
    let root = corpus();
    if !root.is_dir() {
        skip(&format!(
            "the corpus check did not run: {} is absent (set PODSMITH_CORPUS)",
            root.display()
        ));
        return;
    }
    let Some(python) = kubernetes_validate_python() else {
        skip("the corpus check did not run: KUBERNETES_VALIDATE is not set (.ci/run installs kubernetes-validate)");
        return;
    };
    let root = root.canonicalize().expect("corpus path");
    let mut files = Vec::new();
    manifests(&root, &mut files);
    files.sort();
    assert!(
        files.len() >= 500,
        "the corpus has only {} manifests",
        files.len()
    );

    // The two readers run at once: podsmith's binary and kubernetes-validate's Python.
    let (podsmith, kv) = std::thread::scope(|scope| {
        let podsmith = scope.spawn(|| podsmith_errors(&root));
        let kv = kubernetes_validate_verdicts(&python, &root, &files);
        (podsmith.join().expect("podsmith's verdicts"), kv)
    });
    let found = disagreements(&podsmith, &kv);

    let listed = listed();
    let unlisted: Vec<String> = found
        .iter()
        .filter(|(key, _)| !listed.contains_key(*key))
        .map(|((file, object, rule), why)| format!("{file}\t{object}\t{rule}\t<cite>  # {why}"))
        .collect();
    let stale: Vec<String> = listed
        .keys()
        .filter(|key| !found.contains_key(*key))
        .map(|(file, object, rule)| format!("{file}\t{object}\t{rule}"))
        .collect();
    let compared = kv.values().filter(|(v, _)| v != "skipped").count();
    eprintln!(
        "corpus: {} files, {} documents compared, {} disagreements, all listed with their upstream rule",
        files.len(),
        compared,
        found.len()
    );
    assert!(
        unlisted.is_empty(),
        "{} disagreements with kubernetes-validate are not in tests/corpus-disagreements.tsv:\n{}",
        unlisted.len(),
        unlisted.join("\n")
    );
    assert!(
        stale.is_empty(),
        "tests/corpus-disagreements.tsv lists disagreements that no longer occur:\n{}",
        stale.join("\n")
    );
}
