//! What `add` keeps of the user's work: a file edited in place keeps its mode, a targeted
//! document keeps its comments, quoting and indentation, and a flow-style list it must change is
//! written anew with a note saying so.

use super::{add, add_with_notes, assert_kept, errors, POD};
use crate::support::{podsmith, settings};

#[test]
fn in_place_keeps_the_mode_and_diff_shows_the_change() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("app.yaml");
    std::fs::write(&path, POD).expect("writes");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let file = path.to_str().expect("a UTF-8 path");
    podsmith()
        .args(["add", "-f", file, "--wait-for", "db:5432", "--diff"])
        .assert()
        .success()
        .stdout(predicates::str::contains("+  - name: wait-for-db"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        POD,
        "--diff writes nothing"
    );
    podsmith()
        .args(["add", "-f", file, "--wait-for", "db:5432", "--in-place"])
        .assert()
        .success()
        .stdout("");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("wait-for-db"));
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    podsmith()
        .args(["add", "--wait-for", "db:5432", "--in-place"])
        .write_stdin(POD)
        .assert()
        .code(2)
        .stderr("error: invalid value `<stdin>` for `--in-place`: rewrites files: give --file FILE or DIR, not stdin\n");
    // A rejected edit writes nothing.
    podsmith()
        .args([
            "add",
            "-f",
            file,
            "--ambassador",
            "8080=db:5432",
            "--in-place",
        ])
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}

/// A Helm-style Deployment with comments, quoting and indented lists inside it.
const COMMENTED: &str = "# Source: chart/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web  # the chart's fullname\n  labels:\n    app.kubernetes.io/name: \"web\"\nspec:\n  replicas: 2 # scaled by HPA\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: \"web\"\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: \"web\"\n    spec:\n      # the app itself\n      containers:\n        - name: web\n          image: 'ghcr.io/acme/web:1.4.2'\n          ports:\n            - name: http\n              containerPort: 8080  # behind the Service\n          env:\n            - name: LOG_LEVEL\n              value: info\n\n      terminationGracePeriodSeconds: 45\n";

#[test]
fn a_targeted_document_keeps_its_own_text() {
    let words = [
        "--wait-for",
        "db:5432",
        "--log-sidecar",
        "/var/log/app/app.log",
    ];
    let output = add(COMMENTED, &words).expect("adds");
    assert_kept(COMMENTED, &output, "commented");
    settings("add").bind(|| insta::assert_snapshot!("helm-deployment-comments-kept", output));
    assert_eq!(add(&output, &words).expect("again"), output);
    let removed = add(
        &output,
        &["--remove", "wait-for", "--remove", "log-sidecar"],
    );
    assert_eq!(removed.expect("removes"), COMMENTED);
}

#[test]
fn a_flow_style_list_is_written_anew_and_the_user_is_told() {
    let flow = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool # ours\nspec:\n  containers: [{name: tool, image: \"ghcr.io/acme/tool:1.0\"}]\n  restartPolicy: Always\n";
    let (output, notes) =
        add_with_notes(flow, &["--log-sidecar", "/var/log/app/app.log"]).expect("adds");
    assert!(output.contains("  name: tool # ours\n"), "{output}");
    assert!(output.contains("  restartPolicy: Always\n"), "{output}");
    assert_eq!(
        notes,
        ["<test>: Pod/tool: `spec.containers` was written in flow style ([...] or {...}); podsmith wrote it anew in block style"]
    );
    assert_eq!(errors(&output, 33), Vec::<String>::new());
    podsmith()
        .args(["add", "--log-sidecar", "/var/log/app/app.log"])
        .write_stdin(flow)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "note: <stdin>: Pod/tool: `spec.containers` was written in flow style",
        ));
}
