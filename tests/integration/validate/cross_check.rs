//! The independent check: kubernetes-validate in strict mode must agree with podsmith on every
//! schema question, over the fixtures and the snapshots.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use podsmith::kube_version::KubeVersion;
use podsmith::validate::{validate_stream, Options};

use super::{fixtures, header};
use crate::support::VerdictCache;

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
