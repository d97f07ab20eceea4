//! Every combination of patterns, on every workload kind and every supported Kubernetes
//! version, renders with zero validation errors and zero warnings on default options.

use rayon::prelude::*;

use crate::support::render_words;

/// Each pattern's flags, with values that do not collide with the others.
const PATTERNS: &[&[&str]] = &[
    &["--wait-for", "postgres:5432"],
    &[
        "--git-clone",
        "https://github.com/acme/site.git",
        "--git-sync",
    ],
    &["--git-clone", "https://github.com/acme/site.git"],
    &["--init-command", "bin/migrate"],
    &["--init", "seed=ghcr.io/acme/seed:1.0.0"],
    &["--log-sidecar"],
    &["--ambassador", "6379=cache.example.com:6379"],
    &["--adapter", "nginx"],
    &["--container", "worker=ghcr.io/acme/worker:1.4.2"],
];

const KINDS: &[&str] = &["pod", "deployment"];

/// Pattern sets as bit masks; git-clone with and without git-sync are alternatives.
fn combinations() -> impl Iterator<Item = Vec<&'static str>> {
    (0u32..1 << PATTERNS.len())
        .filter(|mask| mask & 0b110 != 0b110)
        .map(|mask| {
            PATTERNS
                .iter()
                .enumerate()
                .filter(|(index, _)| mask & (1 << index) != 0)
                .flat_map(|(_, flags)| flags.iter().copied())
                .collect()
        })
}

#[test]
fn every_combination_renders_clean_on_every_kind_and_version() {
    let versions: Vec<String> = podsmith::kube_version::KubeVersion::all()
        .map(|v| v.to_string())
        .collect();
    let cases: Vec<(Vec<&str>, &str, &String)> = combinations()
        .flat_map(|flags| {
            let versions = &versions;
            KINDS.iter().flat_map(move |kind| {
                versions.iter().map({
                    let flags = flags.clone();
                    move |version| (flags.clone(), *kind, version)
                })
            })
        })
        .collect();
    assert!(cases.len() > 5000, "the matrix is walked whole");
    let failures: Vec<String> = cases
        .par_iter()
        .filter_map(|(flags, kind, version)| {
            let mut words: Vec<String> = [
                "new",
                "web",
                "--image",
                "ghcr.io/acme/web:1.4.2",
                "--port",
                "8080",
                "--kind",
                kind,
                "--kube-version",
                version,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            words.extend(flags.iter().map(|s| s.to_string()));
            match render_words(&words) {
                Ok(generated) if generated.warnings.is_empty() => None,
                Ok(generated) => Some(format!(
                    "{}: warnings {:?}",
                    words.join(" "),
                    generated.warnings
                )),
                Err(error) => Some(format!("{}: {error}", words.join(" "))),
            }
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures, first: {}",
        failures.len(),
        failures[0]
    );
}
