//! One `kubectl kustomize` build of many cases, each a folder of its own under one top-level
//! `kustomization.yaml`, and each case's objects told apart by its workload's name and compared
//! with what `new` printed for it. One build instead of one per case, because most of a build's
//! time is kustomize setting itself up.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

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
pub(super) fn objects(stream: &str) -> BTreeMap<String, Value> {
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

/// One case of a build: the folder (and workload) name that sets it apart, what `new` prints
/// for it, and the words a failure names.
pub(super) struct Case {
    pub(super) name: String,
    pub(super) expected: String,
    pub(super) label: String,
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
/// name or starts it followed by `-` (`web-without-wait-for-2-x` is the case
/// `web-without-wait-for-2`'s, not `web-without-wait-for`'s).
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
        let case = owner(name, names).unwrap_or_else(|| {
            let kind = value["kind"].as_str().unwrap_or_default();
            panic!("kustomize built {kind}/{name}, which belongs to no case")
        });
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
pub(super) fn build_and_compare(root: &Path, cases: &[Case]) -> Option<BTreeMap<String, String>> {
    let names: Vec<&str> = cases.iter().map(|case| case.name.as_str()).collect();
    let built = build_all(root, &names)?;
    let streams = split_by_case(&built, &names);
    for case in cases {
        let expected = objects(&case.expected);
        for (object, value) in &expected {
            let name = value["metadata"]["name"].as_str().unwrap_or_default();
            // Otherwise this case's objects could be compared as another's.
            assert_eq!(
                owner(name, &names),
                Some(case.name.as_str()),
                "{object}: its name puts it in another case"
            );
        }
        let built = streams.get(&case.name).map_or("", String::as_str);
        assert_eq!(objects(built), expected, "{}", case.label);
    }
    Some(streams)
}
