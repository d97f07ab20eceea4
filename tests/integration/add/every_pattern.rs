//! Every pattern into every kind of workload: `kubectl create` output, hand-written manifests
//! and the corpus's Deployments and StatefulSets. Each result must validate, a second run must
//! change nothing, and `--remove` must give the workload back.

use std::path::PathBuf;

use podsmith::cli::AddArgs;
use podsmith::error::Error;
use podsmith::patterns::declarations;
use serde_json::Value;

use super::{
    add, add_args, add_parsed, assert_kept, errors, kubectl_create, objects, wraps_command,
    DAEMONSET, POD, SERVICE, STATEFULSET,
};

/// Every rendering pattern's example flags.
fn pattern_examples() -> Vec<(&'static str, Vec<&'static str>)> {
    declarations()
        .iter()
        .filter(|d| d.renders())
        .map(|d| (d.id, d.example.to_vec()))
        .collect()
}

/// `--remove` for every pattern an example adds (git-sync's example adds git-clone too).
fn removal(example: &[&str]) -> Vec<&'static str> {
    let mut words = Vec::new();
    for declaration in declarations().iter().filter(|d| d.renders()) {
        let adds = declaration
            .adding_option()
            .is_some_and(|o| example.contains(&format!("--{}", o.flag).as_str()));
        if adds {
            words.extend(["--remove", declaration.id]);
        }
    }
    words
}

/// Adds every pattern to `workload` (inside a stream with a Service before it) and checks
/// the result as a user would. Returns how many patterns applied.
fn every_pattern(workload: &str, extra: &[&str], minor: u32) -> usize {
    let input = format!("{SERVICE}---\n{workload}");
    let version = minor.to_string();
    let version = format!("1.{version}");
    let mut applied = 0;
    for (id, example) in pattern_examples() {
        let mut words: Vec<&str> = example.clone();
        words.extend(extra);
        words.extend(["--kube-version", &version]);
        let output = match add(&input, &words) {
            Ok(output) => output,
            Err(error) => {
                // Only a pattern that does not suit the kind, or that needs what the workload
                // already uses, may refuse, in one line.
                let message = error.to_string();
                assert!(
                    ["not for a", "is claimed twice", "add --"]
                        .iter()
                        .any(|reason| message.contains(reason))
                        && !message.contains('\n'),
                    "{id}: {message}"
                );
                continue;
            }
        };
        applied += 1;
        assert!(
            output.starts_with(SERVICE),
            "{id}: the Service changed:\n{output}"
        );
        assert_kept(&input, &output, id);
        assert_eq!(
            errors(&output, minor),
            Vec::<String>::new(),
            "{id}:\n{output}"
        );
        let again = add(&output, &words).expect("a second run succeeds");
        assert_eq!(again, output, "{id}: a second run changed the output");
        let removed = add(&output, &removal(&example)).expect("--remove succeeds");
        if wraps_command(&output) {
            // The command podsmith wrapped comes back as the same words, written by podsmith.
            assert_eq!(
                objects(&removed),
                objects(&input),
                "{id}: --remove did not restore"
            );
        } else {
            assert_eq!(removed, input, "{id}: --remove did not restore the text");
        }
    }
    applied
}

#[test]
fn every_pattern_goes_into_kubectl_created_workloads() {
    let Some(deployment) =
        kubectl_create(&["deployment", "web", "--image=nginx:1.27", "--port=8080"])
    else {
        return;
    };
    let Some(job) = kubectl_create(&["job", "report", "--image=busybox:1.36.1", "--", "./report"])
    else {
        return;
    };
    let Some(cronjob) = kubectl_create(&[
        "cronjob",
        "nightly",
        "--image=busybox:1.36.1",
        "--schedule=0 3 * * *",
    ]) else {
        return;
    };
    for minor in [28, 29, 33] {
        assert_eq!(
            every_pattern(&deployment, &[], minor),
            pattern_examples().len()
        );
        assert!(every_pattern(&job, &[], minor) >= 6);
        assert!(every_pattern(&cronjob, &[], minor) >= 6);
    }
}

#[test]
fn every_pattern_goes_into_hand_written_workloads() {
    for workload in [STATEFULSET, DAEMONSET, POD] {
        for minor in [28, 33] {
            assert!(every_pattern(workload, &[], minor) >= 8, "{workload}");
        }
    }
}

/// The corpus beside the repository (`../shared/corpus`), or `None` with a loud SKIPPED.
fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let found = ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|relative| root.join(relative))
        .find(|path| path.is_dir());
    if found.is_none() {
        crate::support::skip("corpus inputs: ../shared/corpus is absent");
    }
    found
}

fn yaml_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The corpus's Deployments and StatefulSets that are well-formed on their own: one document,
/// one container.
fn corpus_workloads(dir: &std::path::Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    yaml_files(dir, &mut files);
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for document in podsmith::yaml::split_documents(&text) {
            let Ok(value) = podsmith::yaml::from_str::<Value>(document.text) else {
                continue;
            };
            let kind = value["kind"].as_str().unwrap_or_default();
            let containers = &value["spec"]["template"]["spec"]["containers"];
            if ["Deployment", "StatefulSet"].contains(&kind)
                && value["metadata"]["name"].is_string()
                && containers.as_array().is_some_and(|c| c.len() == 1)
                && errors(document.text, 33).is_empty()
            {
                found.push((path.clone(), document.text.to_string()));
            }
        }
    }
    found
}

#[test]
fn every_pattern_goes_into_the_corpus_workloads() {
    let Some(dir) = corpus() else {
        return;
    };
    let workloads = corpus_workloads(&dir);
    assert!(
        workloads.len() >= 20,
        "only {} corpus workloads",
        workloads.len()
    );
    // Each pattern's command lines, parsed once: adding it, and taking it out again.
    let commands: Vec<(&str, AddArgs, AddArgs)> = pattern_examples()
        .into_iter()
        .map(|(id, example)| (id, add_args(&example), add_args(&removal(&example))))
        .collect();
    use rayon::prelude::*;
    let counts: Vec<(usize, usize)> = workloads
        .par_iter()
        .map(|(path, workload)| {
            let (mut applied, mut refused) = (0, 0);
            // As in a file: the last line ends with a line break.
            let input = format!("{SERVICE}---\n{}\n", workload.trim_end_matches('\n'));
            let input_objects = objects(&input);
            for (id, adding, removing) in &commands {
                match add_parsed(&input, adding) {
                    Ok(output) => {
                        applied += 1;
                        let at = format!("{} + {id}", path.display());
                        assert!(output.starts_with(SERVICE), "{at}");
                        assert_kept(&input, &output, &at);
                        assert_eq!(errors(&output, 33), Vec::<String>::new(), "{at}:\n{output}");
                        assert_eq!(add_parsed(&output, adding).expect("again"), output, "{at}");
                        let removed = add_parsed(&output, removing).expect("--remove");
                        assert_eq!(objects(&removed), input_objects, "{at}");
                        assert_eq!(removed, input, "{at}: --remove did not restore the text");
                    }
                    Err(error) => {
                        // A workload may already use what the pattern needs: a one-line
                        // refusal that names both sides, never an invalid result.
                        refused += 1;
                        let message = error.to_string();
                        assert!(!message.contains('\n'), "{}: {message}", path.display());
                        assert!(
                            !matches!(error, Error::RenderedInvalid { .. } | Error::Internal(_)),
                            "{} + {id}: {message}",
                            path.display()
                        );
                    }
                }
            }
            (applied, refused)
        })
        .collect();
    let applied: usize = counts.iter().map(|c| c.0).sum();
    let refused: usize = counts.iter().map(|c| c.1).sum();
    eprintln!("corpus: {applied} additions, {refused} refused");
    assert!(applied > refused, "{applied} applied, {refused} refused");
}
