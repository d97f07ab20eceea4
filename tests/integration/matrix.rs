//! Every combination of patterns renders with zero validation errors and zero warnings on
//! default options: all combinations of the core patterns on Pod and Deployment, and every
//! pattern alone, every pair and all of them together on every workload kind; each on every
//! supported Kubernetes version.

use rayon::prelude::*;

use podsmith::kube_version::KubeVersion;

use crate::support::{new_args, render_args, NEW_WEB};

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

/// The rest of the catalog, with the patterns that suit Jobs marked.
const MORE_PATTERNS: &[(&[&str], bool)] = &[
    (&["--log-shipper", "loki=http://loki.logging:3100"], true),
    (&["--proxy"], false),
    (&["--config-reloader", "web-config"], false),
    (&["--fs-group", "2000"], true),
];

/// Every kind with the flags it needs, and whether it is a Job (fewer patterns suit it).
const ALL_KINDS: &[(&str, &[&str], bool)] = &[
    ("pod", &["--port", "8080"], false),
    ("deployment", &["--port", "8080"], false),
    (
        "statefulset",
        &["--port", "8080", "--storage", "1Gi"],
        false,
    ),
    ("daemonset", &["--port", "8080"], false),
    ("job", &[], true),
    ("cronjob", &["--schedule", "*/5 * * * *"], true),
];

/// Patterns that do not suit Jobs and CronJobs (podsmith refuses them there).
const NOT_FOR_JOBS: &[&str] = &["--git-sync", "--adapter", "--proxy", "--config-reloader"];

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

/// Renders every command line on every supported version in parallel and returns the number
/// of renders and the failures. clap parses each command line once; each version is the same
/// flags with `--kube-version` set, as the command line would give it.
fn failures(command_lines: &[Vec<String>]) -> (usize, Vec<String>) {
    let results: Vec<Option<String>> = command_lines
        .par_iter()
        .flat_map_iter(|words| {
            let args = new_args(words);
            KubeVersion::all().map(move |version| {
                let mut args = args.clone();
                args.kube_version = Some(version.to_string());
                let case = || format!("{} --kube-version {version}", words.join(" "));
                match render_args(&args) {
                    Ok(generated) if generated.warnings.is_empty() => None,
                    Ok(generated) => Some(format!("{}: warnings {:?}", case(), generated.warnings)),
                    Err(error) => Some(format!("{}: {error}", case())),
                }
            })
        })
        .collect();
    let count = results.len();
    (count, results.into_iter().flatten().collect())
}

/// Asserts that the whole matrix was walked (`expected` command lines, each on every version)
/// and that every case rendered clean.
fn assert_all_clean(command_lines: &[Vec<String>], expected: usize) {
    assert_eq!(command_lines.len(), expected, "command lines in the matrix");
    let (count, failures) = failures(command_lines);
    assert_eq!(
        count,
        expected * KubeVersion::all().count(),
        "the matrix is walked whole on every version"
    );
    assert!(
        failures.is_empty(),
        "{} failures, first: {}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn singles_pairs_and_all_patterns_render_clean_on_every_kind_and_version() {
    let mut groups: Vec<(Vec<&str>, bool)> = PATTERNS
        .iter()
        .map(|flags| {
            (
                flags.to_vec(),
                !flags.iter().any(|f| NOT_FOR_JOBS.contains(f)),
            )
        })
        .collect();
    groups.extend(
        MORE_PATTERNS
            .iter()
            .map(|(flags, jobs)| (flags.to_vec(), *jobs)),
    );
    // git-clone appears twice (with and without git-sync); pairs take one of them.
    let mut sets: Vec<Vec<usize>> = (0..groups.len()).map(|i| vec![i]).collect();
    for a in 0..groups.len() {
        for b in a + 1..groups.len() {
            if !(a == 1 && b == 2) {
                sets.push(vec![a, b]);
            }
        }
    }
    sets.push((0..groups.len()).filter(|i| *i != 2).collect());
    let mut cases = Vec::new();
    for (kind, kind_flags, is_job) in ALL_KINDS {
        for set in &sets {
            let chosen: Vec<_> = set.iter().filter(|i| !is_job || groups[**i].1).collect();
            if chosen.len() < set.len() && set.len() <= 2 {
                continue;
            }
            // A single or a pair of the core patterns on Pod or Deployment is a case of the
            // full matrix below (the same flags), checked there.
            if KINDS.contains(kind) && set.len() <= 2 && set.iter().all(|i| *i < PATTERNS.len()) {
                continue;
            }
            let mut words: Vec<String> = [
                "new",
                "web",
                "--image",
                "ghcr.io/acme/web:1.4.2",
                "--kind",
                kind,
            ]
            .iter()
            .chain(kind_flags.iter())
            .map(|s| s.to_string())
            .collect();
            for index in chosen {
                words.extend(groups[*index].0.iter().map(|s| s.to_string()));
            }
            cases.push(words);
        }
    }
    assert_all_clean(&cases, 368);
}

#[test]
fn every_combination_renders_clean_on_every_kind_and_version() {
    let mut cases = Vec::new();
    for flags in combinations() {
        for kind in KINDS {
            let mut words: Vec<String> = NEW_WEB
                .iter()
                .chain(&["--kind", kind])
                .map(|s| s.to_string())
                .collect();
            words.extend(flags.iter().map(|s| s.to_string()));
            cases.push(words);
        }
    }
    assert_all_clean(&cases, 768);
}
