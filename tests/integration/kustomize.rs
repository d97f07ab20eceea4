//! `podsmith new --format kustomize`: `kubectl kustomize` builds from the base and the
//! Components exactly the objects `podsmith new` prints with the same flags, and a team that
//! deletes a Component's line still gets a valid workload.
//!
//! Each test builds all its cases at once ([`build`]): each case's workload has a name of its
//! own, so no two cases build an object with the same ID (kustomize would refuse the build).

/// Many cases in one build, compared one by one.
mod build;

use std::collections::BTreeMap;
use std::path::Path;

use podsmith::patterns::declarations;

use crate::support::podsmith;
use build::{build_and_compare, objects, Case};

/// `podsmith new --format kustomize` with `words` into `dir`; fails the test with podsmith's
/// error when it refuses them.
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

/// The `new` commands whose folders should build what `new` prints, by name: each
/// combination, and each pattern's example on a web workload.
fn commands() -> Vec<(String, Vec<String>)> {
    let mut commands: Vec<(String, Vec<String>)> = COMBINATIONS
        .iter()
        .map(|c| (c.name.to_string(), c.words(c.name, &[])))
        .collect();
    for declaration in declarations().iter().filter(|d| d.renders()) {
        // Not the ID alone: a pattern's container may have that name.
        let name = format!("{}-example", declaration.id);
        let line = format!("{name} --image ghcr.io/acme/web:1.4.2 --port 8080");
        let mut words = shell_words::split(&line).expect("well quoted");
        words.extend(declaration.example.iter().map(|w| w.to_string()));
        commands.push((name, words));
    }
    commands
}

/// Fails the test unless every object built for a command that sets `-n` is in that
/// namespace (a build of several folders must keep each one's); returns how many commands
/// set it.
fn assert_in_their_namespace(
    commands: &[(String, Vec<String>)],
    streams: &BTreeMap<String, String>,
) -> usize {
    let mut namespaced = 0;
    for (name, words) in commands {
        let Some(at) = words.iter().position(|w| w == "-n") else {
            continue;
        };
        for (object, value) in objects(&streams[name]) {
            assert_eq!(
                value["metadata"]["namespace"],
                words[at + 1],
                "{words:?}: {object}"
            );
        }
        namespaced += 1;
    }
    namespaced
}

#[test]
fn kustomize_builds_what_new_prints() {
    let commands = commands();
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
    assert_eq!(
        assert_in_their_namespace(&commands, &streams),
        1,
        "one command sets -n: db's"
    );
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
            "{}: {}{}",
            case.label,
            String::from_utf8_lossy(&output.stdout),
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
