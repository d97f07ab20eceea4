//! `podsmith add` on real inputs: `kubectl create` output, hand-written manifests and the
//! corpus. Each result must validate, a second run must change nothing, documents that were not
//! targeted must come out byte for byte, and `--remove` must give the workload back. Every
//! pattern into every kind of workload is [`every_pattern`]'s, what is kept of the user's text
//! and file [`kept_text`]'s, the pod's own settings [`pod_settings`]'.
//!
//! A little over 400 lines: the inputs and helpers the three share come first.

mod every_pattern;
mod kept_text;
mod pod_settings;

use clap::Parser;
use podsmith::cli::{AddArgs, Cli, Command};
use podsmith::error::Error;
use podsmith::validate::{self, Severity};
use serde_json::Value;

use crate::support::{engine, podsmith, settings};

/// A Service around the workload, with comments, to check that it passes through untouched.
const SERVICE: &str = "# Source: chart/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: front   # kept as written\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n";

/// Hand-written workloads for the kinds `kubectl create` cannot make.
const STATEFULSET: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  labels: {app: db}\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n        - name: postgres\n          image: postgres:16\n          ports:\n            - containerPort: 5432\n          volumeMounts:\n            - name: data\n              mountPath: /var/lib/postgresql/data\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec:\n        accessModes: [ReadWriteOnce]\n        resources: {requests: {storage: 1Gi}}\n";
const DAEMONSET: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: agent\n        image: ghcr.io/acme/agent:2.1\n        env:\n        - name: MODE\n          value: node\n";
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers:\n  - name: tool\n    image: ghcr.io/acme/tool:1.0\n    command: [./tool, serve]\n    ports:\n    - containerPort: 8080\n";

fn add_args(words: &[&str]) -> AddArgs {
    let cli = Cli::try_parse_from(["podsmith", "add"].iter().chain(words))
        .unwrap_or_else(|error| panic!("{words:?} parse: {error}"));
    let Command::Add(args) = cli.command else {
        panic!("an add command line");
    };
    *args
}

/// Runs `add` on one stream through the library; block-style input is always edited in
/// place, with no note about a document written anew.
fn add(text: &str, words: &[&str]) -> Result<String, Error> {
    add_parsed(text, &add_args(words))
}

/// Like [`add`], with the command line parsed already.
fn add_parsed(text: &str, args: &AddArgs) -> Result<String, Error> {
    let edited = edit(text, args)?;
    assert_eq!(edited.1, Vec::<String>::new(), "{args:?}");
    Ok(edited.0)
}

/// Runs `add` on one stream through the library; returns the text and the notes.
fn add_with_notes(text: &str, words: &[&str]) -> Result<(String, Vec<String>), Error> {
    edit(text, &add_args(words))
}

/// `add` with `args` on one stream through the library: the text and the notes.
fn edit(text: &str, args: &AddArgs) -> Result<(String, Vec<String>), Error> {
    let edited = podsmith::add::edit(&[("<test>".to_string(), text.to_string())], args, engine())?;
    Ok((
        edited.texts.into_iter().next().unwrap_or_default(),
        edited.notes,
    ))
}

/// The records of the workloads of `output`, parsed.
fn records(output: &str) -> Vec<Value> {
    objects(output)
        .iter()
        .filter_map(|o| o["metadata"]["annotations"][podsmith::add::ANNOTATION].as_str())
        .map(|record| podsmith::yaml::from_str::<Value>(record).expect("the record is YAML"))
        .collect()
}

/// The app command podsmith wrapped in `output`, as its record keeps it.
fn wrapped_command(output: &str) -> Vec<String> {
    records(output)
        .into_iter()
        .flat_map(|record| {
            let words = record["added"]["command"].as_array().cloned();
            words.unwrap_or_default()
        })
        .filter_map(|word| word.as_str().map(str::to_string))
        .collect()
}

/// Whether podsmith wrapped the app's command in `output`.
fn wraps_command(output: &str) -> bool {
    records(output)
        .iter()
        .any(|record| record["added"]["command"].is_array())
}

/// Fails unless every line of `input` is in `output`, in the same order: what the user
/// wrote (fields, values, comments, blank lines) is all still there.
fn assert_kept(input: &str, output: &str, at: &str) {
    let mut lines = output.lines();
    // An empty flow collection that receives items is rewritten, and so is the app's command
    // when podsmith wraps it (Job sidecars before 1.29; the record keeps the original).
    let wrapped = wrapped_command(output);
    let rewritten = |line: &str| {
        let line = line.trim();
        let word = line.strip_prefix("- ").map(|w| w.trim_matches(['"', '\'']));
        line.ends_with(": []")
            || line.ends_with(": {}")
            || (!wrapped.is_empty() && line.trim_start_matches("- ") == "command:")
            || word.is_some_and(|w| wrapped.iter().any(|c| c == w))
    };
    for line in input.lines().filter(|line| !rewritten(line)) {
        assert!(
            lines.any(|out| out == line),
            "{at}: the line {line:?} of the input is missing or moved in:\n{output}"
        );
    }
}

/// The objects of a stream, parsed.
fn objects(text: &str) -> Vec<Value> {
    podsmith::yaml::split_documents(text)
        .iter()
        .map(|d| podsmith::yaml::from_str(d.text).expect("the output parses"))
        .collect()
}

fn errors(text: &str, minor: u32) -> Vec<String> {
    let options = validate::Options {
        kube_version: podsmith::kube_version::KubeVersion::new(minor).expect("a supported version"),
        ..validate::Options::default()
    };
    validate::validate_stream(text, "<test>", &options)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}: {}", f.rule, f.path, f.message))
        .collect()
}

/// `kubectl create ... --dry-run=client -o yaml`, or `None` (SKIPPED, failing under CI) when
/// kubectl is missing.
fn kubectl_create(args: &[&str]) -> Option<String> {
    // The output flags go before `--`, after which everything is the container's command.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    match std::process::Command::new("kubectl")
        .arg("create")
        .args(&args[..split])
        .args(["--dry-run=client", "-o", "yaml"])
        .args(&args[split..])
        .output()
    {
        Ok(output) if output.status.success() => {
            Some(String::from_utf8(output.stdout).expect("kubectl writes UTF-8"))
        }
        result => {
            crate::support::skip(&format!(
                "kubectl inputs: `kubectl create` did not run ({result:?}); `.ci/run` installs kubectl"
            ));
            None
        }
    }
}

#[test]
fn conflicts_name_both_sides() {
    let with_sidecar = POD.replace(
        "    ports:\n    - containerPort: 8080\n",
        "    ports:\n    - containerPort: 8080\n  - name: wait-for-db\n    image: busybox:1.36.1\n    ports:\n    - containerPort: 9113\n",
    );
    let cases = [
        (&["--wait-for", "db:5432", "--container", "tool"][..], "container name `wait-for-db` is claimed twice: by Pod/tool (its container) and by --wait-for"),
        (&["--ambassador", "8080=db:5432"][..], "port `8080` is claimed twice: by Pod/tool container `tool` and by --ambassador"),
    ];
    for (words, expected) in cases {
        let input = if words.contains(&"--container") {
            &with_sidecar
        } else {
            POD
        };
        let error = add(input, words).expect_err("a conflict");
        assert_eq!(error.to_string(), expected);
    }
    let with_volume = format!("{POD}  volumes:\n  - name: git-repo\n    emptyDir: {{}}\n");
    let error = add(
        &with_volume,
        &["--git-clone", "https://github.com/acme/site.git"],
    )
    .expect_err("a conflict");
    assert_eq!(
        error.to_string(),
        "volume name `git-repo` is claimed twice: by Pod/tool (its volume) and by --git-clone"
    );
    let with_config_map = format!(
        "{POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tool-proxy\ndata: {{}}\n"
    );
    let error = add(&with_config_map, &["--proxy", "15001"]).expect_err("a conflict");
    assert_eq!(
        error.to_string(),
        "ConfigMap name `tool-proxy` is claimed twice: by ConfigMap/tool-proxy of the input and by --proxy"
    );
    // Init containers (native sidecars among them) share the pod's network namespace too.
    let with_init = POD.replace(
        "spec:\n  containers:",
        "spec:\n  initContainers:\n  - name: metrics\n    image: busybox:1.36.1\n    restartPolicy: Always\n    ports:\n    - containerPort: 5432\n  containers:",
    );
    let error = add(&with_init, &["--ambassador", "5432=db:5432"]).expect_err("a conflict");
    assert_eq!(
        error.to_string(),
        "port `5432` is claimed twice: by Pod/tool container `metrics` and by --ambassador"
    );
    let mounted = STATEFULSET.replace("/var/lib/postgresql/data", "/var/log/app");
    let error = add(&mounted, &["--log-sidecar", "/var/log/app/app.log"]).expect_err("a conflict");
    assert!(
        error.to_string().starts_with("mount path `/var/log/app` is claimed twice: by StatefulSet/db container `postgres` (volume `data`) and by --log-sidecar"),
        "{error}"
    );
}

#[test]
fn targets_choose_the_workloads_and_the_rest_passes_through() {
    let input = format!("{STATEFULSET}---\n{DAEMONSET}");
    let output = add(&input, &["--wait-for", "db:5432", "--target", "ds/agent"]).expect("adds");
    assert!(output.starts_with(STATEFULSET), "{output}");
    assert!(output.contains("wait-for-db"));
    let by_label = add(&input, &["--wait-for", "db:5432", "-l", "app=db"]).expect("adds");
    assert!(by_label.ends_with(DAEMONSET), "{by_label}");
    let error = add(
        &input,
        &["--wait-for", "db:5432", "--target", "deploy/agent"],
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid value `deploy/agent` for `--target`: names no workload of the input"
    );
    let error = add(SERVICE, &["--wait-for", "db:5432"]).unwrap_err();
    assert!(error.to_string().contains("has no workload"), "{error}");
}

#[test]
fn other_options_update_what_was_added() {
    let once = add(
        DAEMONSET,
        &[
            "--wait-for",
            "db:5432",
            "--log-sidecar",
            "/var/log/app/app.log",
        ],
    )
    .expect("adds");
    let updated = add(&once, &["--wait-for", "cache:6379"]).expect("updates");
    assert!(updated.contains("wait-for-cache") && !updated.contains("wait-for-db"));
    assert!(
        updated.contains("log-sidecar"),
        "other patterns stay:\n{updated}"
    );
    let older = add(
        &updated,
        &["--wait-for", "cache:6379", "--kube-version", "1.28"],
    )
    .expect("re-renders");
    let objects = objects(&older);
    let pod = &objects[0]["spec"]["template"]["spec"];
    let names: Vec<_> = pod["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["agent", "log-sidecar"],
        "before 1.29 the sidecar is a regular container"
    );
    let error = add(&once, &["--remove", "proxy"]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid value `proxy` for `--remove`: podsmith added no proxy to DaemonSet/agent"
    );
}

#[test]
fn kubectl_get_output_is_cleaned_and_list_items_are_edited() {
    let list = "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n    uid: 0d9e\n    resourceVersion: \"4711\"\n    generation: 3\n    creationTimestamp: \"2024-01-01T00:00:00Z\"\n    managedFields: [{manager: kubectl}]\n  spec:\n    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n      spec:\n        containers:\n        - name: web\n          image: nginx:1.27\n  status: {replicas: 1}\n";
    let output = add(list, &["--clean", "--log-shipper", "loki=http://loki:3100"]).expect("adds");
    for server_field in [
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "managedFields",
        "status",
    ] {
        assert!(
            !output.contains(server_field),
            "{server_field} stayed:\n{output}"
        );
    }
    let list = &objects(&output)[0];
    let kinds: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Deployment", "ConfigMap"]);
    assert_eq!(errors(&output, 33), Vec::<String>::new());
}

/// A Deployment as Helm writes it: a source comment above it, a Service before it.
fn helm_deployment() -> String {
    format!(
        "{SERVICE}---\n# Source: chart/templates/deployment.yaml\n{}",
        DAEMONSET
            .replace("DaemonSet", "Deployment")
            .replace("agent", "web")
    )
}

/// One test a representative result, so that every mismatch is shown.
mod representative {
    use super::{add, helm_deployment, settings, POD, STATEFULSET};

    #[test]
    fn deployment_wait_for_log_shipper() {
        let output = add(
            &helm_deployment(),
            &[
                "--wait-for",
                "db:5432",
                "--log-shipper",
                "loki=http://loki:3100",
            ],
        )
        .unwrap();
        settings("add").bind(|| insta::assert_snapshot!("deployment-wait-for-log-shipper", output));
    }

    #[test]
    fn statefulset_git_sync_1_28() {
        let output = add(
            STATEFULSET,
            &[
                "--git-clone",
                "https://github.com/acme/site.git",
                "--git-sync",
                "--kube-version",
                "1.28",
            ],
        )
        .unwrap();
        settings("add").bind(|| insta::assert_snapshot!("statefulset-git-sync-1.28", output));
    }

    #[test]
    fn pod_proxy_1_28() {
        let output = add(POD, &["--proxy", "15001", "--kube-version", "1.28"]).unwrap();
        settings("add").bind(|| insta::assert_snapshot!("pod-proxy-1.28", output));
    }
}

#[test]
fn container_names_the_app_among_several() {
    let two = POD.replace(
        "    ports:\n    - containerPort: 8080\n",
        "    ports:\n    - containerPort: 8080\n  - name: metrics\n    image: ghcr.io/acme/metrics:1.0\n",
    );
    let error = add(&two, &["--wait-for", "db:5432"]).expect_err("several containers");
    assert_eq!(
        error.to_string(),
        "Pod/tool has several containers (`tool`, `metrics`): name the app with --container NAME"
    );
    for flag in ["--container", "--app-container"] {
        let output = add(
            &two,
            &[
                "--wait-for",
                "db:5432",
                "--log-sidecar",
                "/var/log/app/app.log",
                flag,
                "tool",
            ],
        )
        .expect("adds");
        let record = &objects(&output)[0]["metadata"]["annotations"][podsmith::add::ANNOTATION];
        assert!(
            record.as_str().unwrap().starts_with("container: tool\n"),
            "{record}"
        );
    }
    // With an image, --container is the co-located container pattern, as in `new`.
    let output = add(
        &two,
        &[
            "--container",
            "tool",
            "--container",
            "worker=ghcr.io/acme/worker:1.0",
        ],
    )
    .expect("adds");
    assert!(
        output.contains("- name: worker\n    image: ghcr.io/acme/worker:1.0\n"),
        "{output}"
    );
    let error = add(
        &two,
        &[
            "--container",
            "tool",
            "--container",
            "metrics",
            "--wait-for",
            "db:5432",
        ],
    )
    .expect_err("two apps");
    assert!(
        error.to_string().contains("name one app container"),
        "{error}"
    );
}

#[test]
fn an_error_prints_and_writes_nothing() {
    podsmith()
        .args(["add", "--ambassador", "8080=db:5432"])
        .write_stdin(format!("{SERVICE}---\n{POD}"))
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: port `8080` is claimed twice: by Pod/tool container `tool` and by --ambassador\n");
}
