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
    assert_succeeded(&output, words);
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Fails the test with podsmith's error when the command `words` did not succeed.
fn assert_succeeded(output: &std::process::Output, words: &[String]) {
    assert!(
        output.status.success(),
        "{words:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
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
    assert_succeeded(&output, words);
}

/// A workload with several patterns that touch each other (shared volumes, the Service, the
/// app's command, repeated patterns): its own flags, each pattern's Component with the flags
/// that add it, and the app's command.
struct Combination {
    workload: &'static str,
    patterns: &'static [(&'static str, &'static str)],
    command: &'static str,
}

const COMBINATIONS: &[Combination] = &[
    Combination {
        workload: "web --image ghcr.io/acme/web:1.4.2 --port 8080",
        patterns: &[
            ("wait-for", "--wait-for postgres:5432"),
            ("wait-for-2", "--wait-for redis:6379"),
            ("log-shipper", "--log-shipper loki=http://loki:3100"),
            ("adapter", "--adapter nginx"),
        ],
        command: "",
    },
    Combination {
        workload: "site --image nginxinc/nginx-unprivileged:1.27 --port 8080",
        patterns: &[
            (
                "git-clone",
                "--git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html",
            ),
            ("git-sync", "--git-sync"),
            ("proxy", "--proxy 15001"),
        ],
        command: "",
    },
    Combination {
        workload: "report --image ghcr.io/acme/report:2.0 --kind job --kube-version 1.28",
        patterns: &[
            ("wait-for", "--wait-for postgres:5432"),
            ("log-sidecar", "--log-sidecar /var/log/app/app.log"),
            ("log-shipper", "--log-shipper loki=http://loki:3100"),
        ],
        command: "--command -- ./report",
    },
    Combination {
        workload: "db --image postgres:16 --kind statefulset --port 5432 \\
                   --storage 10Gi@/var/lib/postgresql --fs-group 999 -n data",
        patterns: &[
            (
                "permissions",
                "--volume-permissions 999:999@/var/lib/postgresql",
            ),
            ("ambassador", "--ambassador 6379=cache.example.com:6379"),
            (
                "log-sidecar",
                "--log-sidecar /var/log/postgresql/postgresql.log",
            ),
        ],
        command: "",
    },
];

impl Combination {
    /// The command line of `new`, without the patterns of the Components in `off`.
    fn words(&self, off: &[&str]) -> Vec<String> {
        let mut line = self.workload.to_string();
        for (component, flags) in self.patterns {
            if !off.contains(component) {
                line.push(' ');
                line.push_str(flags);
            }
        }
        line.push(' ');
        line.push_str(self.command);
        shell_words::split(&line).expect("well quoted")
    }
}

/// `podsmith new` with `words`, or its error when it refuses them.
fn try_new(words: &[String]) -> Result<String, String> {
    let output = podsmith()
        .arg("new")
        .args(words)
        .output()
        .expect("podsmith runs");
    match output.status.success() {
        true => Ok(String::from_utf8(output.stdout).expect("UTF-8")),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

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
    for combination in COMBINATIONS {
        if !check(&combination.words(&[])) {
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

/// Deleting any one Component's line from `kustomization.yaml` builds exactly what `new`
/// prints without that pattern's flags. The one exception is a Component another builds on
/// (git-clone under git-sync): `new` refuses the other's flags alone, which the test checks,
/// and that Component's comment says to turn both off.
#[test]
fn each_component_can_be_turned_off_alone() {
    for combination in COMBINATIONS {
        let all = combination.words(&[]);
        let dir = tempfile::tempdir().expect("a temporary folder");
        write_kustomize(&all, dir.path());
        let top = std::fs::read_to_string(dir.path().join("kustomization.yaml")).expect("written");
        let listed: Vec<&str> = top
            .lines()
            .filter(|l| l.starts_with("- components/"))
            .collect();
        let expected: Vec<String> = combination
            .patterns
            .iter()
            .rev()
            .map(|(component, _)| format!("- components/{component}"))
            .collect();
        assert_eq!(
            listed, expected,
            "{all:?}: one line per pattern, last-starting first"
        );
        for (component, _) in combination.patterns {
            let line = format!("- components/{component}\n");
            let words = combination.words(&[component]);
            let expected_stream = match try_new(&words) {
                Ok(stream) => stream,
                Err(refusal) => {
                    // Only a pattern another needs may not go alone; its dependant says so.
                    assert!(
                        refusal.contains(&format!("add --{component}")),
                        "{words:?}: {refusal}"
                    );
                    let dependants = std::fs::read_dir(dir.path().join("components"))
                        .expect("components")
                        .map(|e| e.expect("entry").path().join("kustomization.yaml"))
                        .filter(|p| {
                            std::fs::read_to_string(p)
                                .expect("readable")
                                .contains(&format!("Builds on what components/{component} adds"))
                        })
                        .count();
                    assert_eq!(dependants, 1, "{component}: its dependant says so");
                    continue;
                }
            };
            std::fs::write(
                dir.path().join("kustomization.yaml"),
                top.replace(&line, ""),
            )
            .expect("writes");
            let Some(built) = kubectl_kustomize(dir.path()) else {
                return;
            };
            assert_eq!(
                objects(&built),
                objects(&expected_stream),
                "{all:?} without components/{component}"
            );
            podsmith()
                .args(["validate", "-"])
                .write_stdin(built)
                .assert()
                .success();
        }
    }
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
