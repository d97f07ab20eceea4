//! The pod settings patterns need (`fsGroup`, a supplementary group) are set as `podsmith new`
//! sets them, and those the pod already has are kept.

use serde_json::Value;

use super::{add, add_args, add_with_notes, errors, kubectl_create, objects};
use crate::support::{engine, podsmith};

/// The pod's `securityContext` as `podsmith new` writes it with `flags`.
fn new_pod_security(flags: &[&str]) -> Value {
    let output = podsmith()
        .args(["new", "web", "--image", "nginx:1.27"])
        .args(flags)
        .output()
        .expect("podsmith runs");
    assert!(output.status.success(), "{flags:?}");
    let stream = String::from_utf8(output.stdout).expect("UTF-8");
    let workload = objects(&stream).into_iter().next().expect("a workload");
    workload["spec"]["template"]["spec"]["securityContext"].clone()
}

#[test]
fn pod_settings_are_set_as_new_sets_them_and_the_pods_own_are_kept() {
    let Some(deployment) = kubectl_create(&["deployment", "web", "--image=nginx:1.27"]) else {
        return;
    };
    // The log volume's group: what `new` sets, and `--remove` takes it out again.
    for pattern in [
        ["--log-sidecar", "/var/log/app/app.log"],
        ["--log-shipper", "loki=http://loki:3100"],
    ] {
        let wanted = new_pod_security(&pattern);
        assert_eq!(wanted["fsGroup"], 65532, "{pattern:?}");
        let (output, notes) = add_with_notes(&deployment, &pattern).expect("adds");
        assert_eq!(notes, Vec::<String>::new());
        let pod = &objects(&output)[0]["spec"]["template"]["spec"];
        assert_eq!(pod["securityContext"]["fsGroup"], wanted["fsGroup"]);
        assert_eq!(
            pod["securityContext"]["fsGroupChangePolicy"],
            wanted["fsGroupChangePolicy"]
        );
        assert_eq!(add(&output, &pattern).expect("again"), output, "idempotent");
        let remove = ["--remove", pattern[0].trim_start_matches("--")];
        assert_eq!(add(&output, &remove).expect("removes"), deployment);
    }

    // A pod with a group of its own keeps it: the sidecars get it as a supplementary group.
    let own = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      securityContext:\n        fsGroup: 999   # the app's group\n      containers:\n      - name: web\n        image: nginx:1.27\n";
    let words = ["--log-sidecar", "/var/log/app/app.log"];
    let edited = podsmith::add::edit(
        &[("<test>".to_string(), own.to_string())],
        &add_args(&words),
        engine(),
    )
    .expect("adds");
    let output = &edited.texts[0];
    assert!(
        output.contains("        fsGroup: 999   # the app's group\n"),
        "{output}"
    );
    let pod = &objects(output)[0]["spec"]["template"]["spec"];
    assert_eq!(
        pod["securityContext"]["fsGroupChangePolicy"],
        "OnRootMismatch"
    );
    assert_eq!(
        edited.warnings,
        ["Deployment/web: keeps the pod's securityContext.fsGroup: 999 (the patterns set 65532): \
          every container gets it as a supplementary group, so the sidecars read the \
          group-readable files the app writes to the shared volumes"]
    );
    assert_eq!(errors(output, 33), Vec::<String>::new());
    assert_eq!(
        add(output, &["--remove", "log-sidecar"]).expect("removes"),
        own
    );
}
