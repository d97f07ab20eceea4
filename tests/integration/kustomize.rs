//! `podsmith new --format kustomize`: `kubectl kustomize` builds from the base and the
//! Components exactly the objects `podsmith new` prints with the same flags, and a team that
//! deletes a Component's line still gets a valid workload.
//!
//! Each test builds all its cases at once: every case is a folder of its own under one
//! top-level `kustomization.yaml` that lists them all, since most of a build's time is
//! kustomize setting itself up. Each case's workload has a name of its own, so no two cases
//! build an object with the same ID (kustomize would refuse the build) and every object built
//! is told apart by its name; the cases are then compared one by one.

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

/// The objects of a stream by `Kind/namespace/name`, parsed.
fn objects(stream: &str) -> BTreeMap<String, Value> {
    podsmith::yaml::split_documents(stream)
        .iter()
        .map(|document| {
            let value: Value = podsmith::yaml::from_str(document.text).expect("YAML");
            let key = format!(
                "{}/{}/{}",
                value["kind"].as_str().unwrap_or_default(),
                value["metadata"]["namespace"].as_str().unwrap_or_default(),
                value["metadata"]["name"].as_str().unwrap_or_default()
            );
            (key, value)
        })
        .collect()
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

/// A workload with several patterns that touch each other (shared volumes, the Service, the
/// app's command, repeated patterns): its name, its own flags, each pattern's Component with
/// the flags that add it, and the app's command.
struct Combination {
    name: &'static str,
    workload: &'static str,
    patterns: &'static [(&'static str, &'static str)],
    command: &'static str,
}

const COMBINATIONS: &[Combination] = &[
    Combination {
        name: "web",
        workload: "--image ghcr.io/acme/web:1.4.2 --port 8080",
        patterns: &[
            ("wait-for", "--wait-for postgres:5432"),
            ("wait-for-2", "--wait-for redis:6379"),
            ("log-shipper", "--log-shipper loki=http://loki:3100"),
            ("adapter", "--adapter nginx"),
        ],
        command: "",
    },
    Combination {
        name: "site",
        workload: "--image nginxinc/nginx-unprivileged:1.27 --port 8080",
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
        name: "report",
        workload: "--image ghcr.io/acme/report:2.0 --kind job --kube-version 1.28",
        patterns: &[
            ("wait-for", "--wait-for postgres:5432"),
            ("log-sidecar", "--log-sidecar /var/log/app/app.log"),
            ("log-shipper", "--log-shipper loki=http://loki:3100"),
        ],
        command: "--command -- ./report",
    },
    Combination {
        name: "db",
        workload: "--image postgres:16 --kind statefulset --port 5432 \\
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
    /// The command line of `new` for a workload called `name`, without the patterns of the
    /// Components in `off`.
    fn words(&self, name: &str, off: &[&str]) -> Vec<String> {
        let mut line = format!("{name} {}", self.workload);
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

/// One case of a build: the folder (and workload) name that sets it apart, what `new` prints
/// for it, and the words a failure names.
struct Case {
    name: String,
    expected: String,
    label: String,
}

/// Builds the folders `names` under `root` at once, with a top-level `kustomization.yaml`
/// that lists them; `None` when kubectl cannot run.
fn build_all(root: &Path, names: &[&str]) -> Option<String> {
    let mut top = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
        .to_string();
    for name in names {
        top.push_str(&format!("- {name}\n"));
    }
    std::fs::write(root.join("kustomization.yaml"), top).expect("writes");
    kubectl_kustomize(root)
}

/// The case an object named `object` belongs to: the longest case name that is the object's
/// name or starts it followed by `-` (`web-adapter` under `web`, not `we`).
fn owner<'a>(object: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .filter(|name| object == **name || object.starts_with(&format!("{name}-")))
        .max_by_key(|name| name.len())
        .copied()
}

/// The documents of `built` per case name, each case's as a stream of its own. An object
/// that no case's name starts fails the test.
fn split_by_case(built: &str, names: &[&str]) -> BTreeMap<String, String> {
    let mut streams = BTreeMap::<String, String>::new();
    for document in podsmith::yaml::split_documents(built) {
        let value: Value = podsmith::yaml::from_str(document.text).expect("YAML");
        let name = value["metadata"]["name"].as_str().unwrap_or_default();
        let case = owner(name, names)
            .unwrap_or_else(|| panic!("kustomize built {name}, which belongs to no case"));
        let text = document.text.strip_prefix("---\n").unwrap_or(document.text);
        streams
            .entry(case.to_string())
            .or_default()
            .push_str(&format!("---\n{text}"));
    }
    streams
}

/// Builds every case at once and checks that each built exactly what `new` printed for it;
/// returns each case's built stream, or `None` when kubectl cannot run.
fn build_and_compare(root: &Path, cases: &[Case]) -> Option<BTreeMap<String, String>> {
    let names: Vec<&str> = cases.iter().map(|case| case.name.as_str()).collect();
    let built = build_all(root, &names)?;
    let streams = split_by_case(&built, &names);
    for case in cases {
        let expected = objects(&case.expected);
        for object in expected.keys() {
            let name = object.rsplit('/').next().unwrap_or_default();
            // Otherwise this case's objects could be compared as another's.
            assert_eq!(owner(name, &names), Some(case.name.as_str()), "{object}");
        }
        let built = streams.get(&case.name).map_or("", String::as_str);
        assert_eq!(objects(built), expected, "{}", case.label);
    }
    Some(streams)
}

/// The namespace `-n`/`--namespace` sets among `words`.
fn namespace(words: &[String]) -> Option<&str> {
    let at = words.iter().position(|w| w == "-n" || w == "--namespace")?;
    words.get(at + 1).map(String::as_str)
}

#[test]
fn kustomize_builds_what_new_prints() {
    let mut commands: Vec<(String, Vec<String>)> = COMBINATIONS
        .iter()
        .map(|c| (c.name.to_string(), c.words(c.name, &[])))
        .collect();
    for declaration in declarations().iter().filter(|d| d.renders()) {
        // Not the ID alone: a pattern's container may have that name.
        let name = format!("{}-example", declaration.id);
        let mut words = shell_words::split(&format!(
            "{name} --image ghcr.io/acme/web:1.4.2 --port 8080"
        ))
        .expect("well quoted");
        words.extend(declaration.example.iter().map(|w| w.to_string()));
        commands.push((name, words));
    }
    let root = tempfile::tempdir().expect("a temporary folder");
    let mut cases = Vec::new();
    for (name, words) in &commands {
        write_kustomize(words, &root.path().join(name));
        let expected = try_new(words).unwrap_or_else(|error| panic!("{words:?}: {error}"));
        let label = format!("{words:?}");
        cases.push(Case {
            name: name.clone(),
            expected,
            label,
        });
    }
    let Some(streams) = build_and_compare(root.path(), &cases) else {
        return;
    };
    for (name, words) in &commands {
        if let Some(namespace) = namespace(words) {
            for (object, value) in objects(&streams[name]) {
                assert_eq!(
                    value["metadata"]["namespace"], namespace,
                    "{words:?}: {object}"
                );
            }
        }
    }
    let renders = declarations().iter().filter(|d| d.renders()).count();
    assert_eq!(cases.len(), COMBINATIONS.len() + renders);
}

/// Fails the test unless `top` (a combination's `kustomization.yaml`, written from `words`)
/// lists one Component per pattern, last-starting first.
fn assert_lists_components(top: &str, combination: &Combination, words: &[String]) {
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
        "{words:?}: one line per pattern, last-starting first"
    );
}

/// Fails the test unless `new`'s `refusal` of `words` asks for `component` back and exactly
/// one other Component in `dir` says it builds on it: only a pattern another needs may not go
/// alone.
fn assert_dependant_says_so(dir: &Path, component: &str, words: &[String], refusal: &str) {
    assert!(
        refusal.contains(&format!("add --{component}")),
        "{words:?}: {refusal}"
    );
    let dependants = std::fs::read_dir(dir.join("components"))
        .expect("components")
        .map(|e| e.expect("entry").path().join("kustomization.yaml"))
        .filter(|p| {
            std::fs::read_to_string(p)
                .expect("readable")
                .contains(&format!("Builds on what components/{component} adds"))
        })
        .count();
    assert_eq!(dependants, 1, "{component}: its dependant says so");
}

/// Writes `combination` under `root` in a folder of its own with `component`'s line deleted,
/// and returns it as a case to build; `None` when `new` refuses the combination without that
/// pattern, which only a pattern another builds on may cause.
fn turn_off(combination: &Combination, component: &str, root: &Path) -> Option<Case> {
    let name = format!("{}-without-{component}", combination.name);
    let dir = root.join(&name);
    let all = combination.words(&name, &[]);
    write_kustomize(&all, &dir);
    let top = std::fs::read_to_string(dir.join("kustomization.yaml")).expect("written");
    assert_lists_components(&top, combination, &all);
    let words = combination.words(&name, &[component]);
    match try_new(&words) {
        Ok(expected) => {
            let line = format!("- components/{component}\n");
            std::fs::write(dir.join("kustomization.yaml"), top.replace(&line, "")).expect("writes");
            let label = format!("{all:?} without components/{component}");
            Some(Case {
                name,
                expected,
                label,
            })
        }
        Err(refusal) => {
            assert_dependant_says_so(&dir, component, &words, &refusal);
            None
        }
    }
}

/// Deleting any one Component's line from `kustomization.yaml` builds exactly what `new`
/// prints without that pattern's flags, and `validate` accepts it. The one exception is a
/// Component another builds on (git-clone under git-sync): `new` refuses the other's flags
/// alone, which the test checks, and that Component's comment says to turn both off.
#[test]
fn each_component_can_be_turned_off_alone() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let mut cases = Vec::new();
    let mut refused = 0;
    for combination in COMBINATIONS {
        for (component, _) in combination.patterns {
            match turn_off(combination, component, root.path()) {
                Some(case) => cases.push(case),
                None => refused += 1,
            }
        }
    }
    let components: usize = COMBINATIONS.iter().map(|c| c.patterns.len()).sum();
    assert_eq!(cases.len() + refused, components);
    let Some(streams) = build_and_compare(root.path(), &cases) else {
        return;
    };
    // One case at a time, so that checks across documents see one workload's objects.
    for case in &cases {
        let output = podsmith()
            .args(["validate", "-"])
            .write_stdin(streams[&case.name].clone())
            .output()
            .expect("podsmith runs");
        assert!(
            output.status.success(),
            "{}: {}",
            case.label,
            String::from_utf8_lossy(&output.stderr)
        );
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
