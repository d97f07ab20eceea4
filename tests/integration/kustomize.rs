//! `podsmith new --format kustomize`: `kubectl kustomize` builds from the base and the
//! Components exactly the objects `podsmith new` prints with the same flags, and a team that
//! deletes a Component's line still gets a valid workload.

use std::collections::BTreeMap;
use std::path::Path;

use podsmith::patterns::declarations;
use serde_json::Value;

use crate::support::podsmith;

/// `kubectl kustomize DIR`, or `None` (SKIPPED, failing under CI) when kubectl cannot run.
fn kubectl_kustomize(dir: &Path) -> Option<String> {
    match std::process::Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
    {
        Ok(output) if output.status.success() => {
            Some(String::from_utf8(output.stdout).expect("kubectl writes UTF-8"))
        }
        Ok(output) => panic!(
            "kubectl kustomize {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => {
            let message = format!(
                "SKIPPED kustomize build: kubectl did not run ({error}); `.ci/run` installs it"
            );
            eprintln!("{message}");
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "{message}");
            None
        }
    }
}

/// The objects of a stream by `Kind/name`, parsed.
fn objects(stream: &str) -> BTreeMap<String, Value> {
    podsmith::yaml::split_documents(stream)
        .iter()
        .map(|document| {
            let value: Value = podsmith::yaml::from_str(document.text).expect("YAML");
            let key = format!(
                "{}/{}",
                value["kind"].as_str().unwrap_or_default(),
                value["metadata"]["name"].as_str().unwrap_or_default()
            );
            (key, value)
        })
        .collect()
}

fn new_stream(words: &[String]) -> String {
    let output = podsmith()
        .arg("new")
        .args(words)
        .output()
        .expect("podsmith runs");
    assert!(
        output.status.success(),
        "{words:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn write_kustomize(words: &[String], dir: &Path) {
    // The output flags go before `--`, after which everything is the app's command.
    let split = words.iter().position(|w| w == "--").unwrap_or(words.len());
    let output = podsmith()
        .arg("new")
        .args(&words[..split])
        .args(["--format", "kustomize", "--output-dir"])
        .arg(dir)
        .args(&words[split..])
        .output()
        .expect("podsmith runs");
    assert!(
        output.status.success(),
        "{words:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Workloads with several patterns that touch each other: shared volumes, the Service, the
/// app's command, repeated patterns.
const COMBINATIONS: &[&str] = &[
    "web --image ghcr.io/acme/web:1.4.2 --port 8080 --wait-for postgres:5432 --wait-for redis:6379 --log-shipper loki=http://loki:3100 --adapter nginx",
    "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html --git-sync --proxy 15001",
    "report --image ghcr.io/acme/report:2.0 --kind job --kube-version 1.28 --log-sidecar /var/log/app/app.log --command -- ./report",
    "db --image postgres:16 --kind statefulset --port 5432 --storage 10Gi@/var/lib/postgresql/data --fs-group 999 --ambassador 6379=cache.example.com:6379 -n data",
];

fn check(words: &[String]) -> bool {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write_kustomize(words, dir.path());
    let Some(built) = kubectl_kustomize(dir.path()) else {
        return false;
    };
    assert_eq!(objects(&built), objects(&new_stream(words)), "{words:?}");
    true
}

#[test]
fn kustomize_builds_what_new_prints() {
    for line in COMBINATIONS {
        let words = shell_words::split(line).expect("well quoted");
        if !check(&words) {
            return;
        }
    }
    for declaration in declarations().iter().filter(|d| d.renders()) {
        let mut words: Vec<String> = ["web", "--image", "ghcr.io/acme/web:1.4.2", "--port", "8080"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        words.extend(declaration.example.iter().map(|w| w.to_string()));
        if !check(&words) {
            return;
        }
    }
}

#[test]
fn each_component_is_one_line_and_can_be_turned_off() {
    let words = shell_words::split(COMBINATIONS[0]).expect("well quoted");
    let dir = tempfile::tempdir().expect("a temporary folder");
    write_kustomize(&words, dir.path());
    let top = std::fs::read_to_string(dir.path().join("kustomization.yaml")).expect("written");
    let components: Vec<&str> = top.lines().filter(|l| l.contains("components/")).collect();
    assert_eq!(
        components,
        [
            "- components/wait-for",
            "- components/wait-for-2",
            "- components/log-shipper",
            "- components/adapter"
        ]
    );
    // Without the log shipper: no fluent-bit, no ConfigMap, and still a valid workload.
    let without = top.replace("- components/log-shipper\n", "");
    std::fs::write(dir.path().join("kustomization.yaml"), without).expect("writes");
    let Some(built) = kubectl_kustomize(dir.path()) else {
        return;
    };
    assert!(
        !built.contains("fluent-bit") && !built.contains("kind: ConfigMap"),
        "{built}"
    );
    assert!(
        built.contains("wait-for-redis") && built.contains("adapter"),
        "{built}"
    );
    podsmith()
        .args(["validate", "-"])
        .write_stdin(built)
        .assert()
        .success();
}

#[test]
fn kustomize_needs_a_folder() {
    podsmith()
        .args(["new", "web", "--image", "nginx:1.27", "--wait-for", "db:5432", "--format", "kustomize"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: invalid value `kustomize` for `--format`: writes a folder: add --output-dir DIR\n");
}
