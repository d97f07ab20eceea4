//! The workload controllers' rules on small manifests: update strategies, a ReplicationController's
//! selector, replica counts. Jobs' and CronJobs' tests are in `batch`, budgets' and autoscalers' in
//! `scaling`.

use crate::validate::test_support::only;

fn deployment(strategy: &str) -> String {
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n{strategy}  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n")
}

#[test]
fn recreate_with_rolling_update() {
    let text =
        deployment("  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n");
    assert_eq!(
        only(&text, "update-strategy"),
        vec![(
            12,
            "spec.strategy.rollingUpdate".to_string(),
            "Forbidden: may not be specified when strategy `type` is 'Recreate'".to_string()
        )]
    );
    let zero = deployment(
        "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0%\n",
    );
    assert_eq!(
        only(&zero, "update-strategy")[0].2,
        "Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"
    );
    let over = deployment(
        "  strategy:\n    rollingUpdate:\n      maxUnavailable: 120%\n      maxSurge: ten\n",
    );
    assert_eq!(only(&over, "update-strategy").len(), 2);
    assert!(only(&deployment(""), "update-strategy").is_empty());
}

#[test]
fn replication_controller_selector() {
    let text = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  selector:\n    app: other\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n";
    assert_eq!(
        only(text, "selector-mismatch")[0].1,
        "spec.template.metadata.labels"
    );
    let defaulted = text.replace("  selector:\n    app: other\n", "");
    assert!(only(&defaulted, "selector-mismatch").is_empty());
    assert!(only(&defaulted, "selector-required").is_empty());
}

#[test]
fn negative_replicas() {
    let text = deployment("").replace("replicas: 2", "replicas: -1");
    assert_eq!(
        only(&text, "number-range"),
        vec![(
            6,
            "spec.replicas".to_string(),
            "Invalid value: -1: must be greater than or equal to 0".to_string()
        )]
    );
}
