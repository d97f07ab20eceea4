//! The seed documents' example manifests, each reproduced by one command that the README lists
//! under "Reproducing the seed examples". The test reads the commands from the README, so the
//! README cannot drift from what works.

use crate::support::{assert_snapshot, render};

/// `(pod name, strings the seed manifest carries that podsmith's version must carry too)`.
const SEEDS: &[(&str, &[&str])] = &[
    (
        "myapp-pod",
        &[
            "busybox:1.28",
            "echo The app is running! && sleep 3600",
            "git-clone",
        ],
    ),
    (
        "webapp-with-init",
        &[
            "my-webapp:latest",
            "my-database",
            "5432",
            "wait-for-my-database",
        ],
    ),
    (
        "webapp-with-logging",
        &["my-webapp:latest", "/var/log/app/app.log", "/var/log/app"],
    ),
    (
        "multi-container-pod",
        &[
            "main-container-image:latest",
            "sidecar-container",
            "sidecar-container-image:latest",
        ],
    ),
    (
        "init-container-pod",
        &[
            "init-container-1",
            "init-container-1-image:latest",
            "init-container-2",
            "init-container-2-image:latest",
        ],
    ),
    (
        "site",
        &[
            "https://github.com/acme/site.git",
            "git-clone",
            "git-sync",
            "/usr/share/nginx/html",
        ],
    ),
];

/// The `podsmith new` lines of the README's seed section, without the program name.
fn readme_commands() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Reproducing the seed examples")
        .nth(1)
        .expect("README has a seed section");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("podsmith "))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_seed_example_is_one_readme_command() {
    let commands = readme_commands();
    assert_eq!(
        commands.len(),
        SEEDS.len(),
        "one README command per seed example"
    );
    for ((name, _), command) in SEEDS.iter().zip(&commands) {
        assert!(command.starts_with(&format!("new {name} ")), "{command}");
    }
}

/// The README's command for seed `name` renders a stream that carries what the seed manifest
/// carries, and matches its snapshot.
fn check(name: &str) {
    let (_, required) = SEEDS
        .iter()
        .find(|(seed, _)| *seed == name)
        .expect("a seed example");
    let command = readme_commands()
        .into_iter()
        .find(|command| command.starts_with(&format!("new {name} ")))
        .unwrap_or_else(|| panic!("the README has no command for {name}"));
    let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
    let stream = generated.rendered.stream();
    for needle in *required {
        assert!(
            stream.contains(&format!("\"{needle}\"")) || stream.contains(needle),
            "{name}: `{needle}` missing"
        );
    }
    assert_snapshot("seeds", name, &format!("podsmith {command}"), &stream);
}

/// One test a seed example.
mod seed {
    #[test]
    fn myapp_pod() {
        super::check("myapp-pod");
    }
    #[test]
    fn webapp_with_init() {
        super::check("webapp-with-init");
    }
    #[test]
    fn webapp_with_logging() {
        super::check("webapp-with-logging");
    }
    #[test]
    fn multi_container_pod() {
        super::check("multi-container-pod");
    }
    #[test]
    fn init_container_pod() {
        super::check("init-container-pod");
    }
    #[test]
    fn site() {
        super::check("site");
    }
}
