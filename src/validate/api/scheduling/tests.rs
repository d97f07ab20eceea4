//! Each scheduling rule with a pod the API server accepts and one it refuses.

use crate::validate::test_support::{messages, only};

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n{spec}  containers:\n  - name: app\n    image: nginx:1.27\n")
}

#[test]
fn tolerations() {
    let toleration = |fields: &str| pod(&format!("  tolerations:\n  - {fields}\n"));
    for ok in [
        "operator: Exists",
        "key: a\n    value: b\n    effect: NoSchedule",
        "key: a\n    operator: Exists\n    effect: NoExecute\n    tolerationSeconds: 60",
    ] {
        assert!(messages(&toleration(ok), "toleration").is_empty(), "{ok}");
    }
    assert_eq!(
        messages(
            &toleration("key: a\n    operator: Exists\n    value: b"),
            "toleration"
        ),
        vec![(
            "spec.tolerations[0].operator".to_string(),
            "Invalid value: \"b\": value must be empty when `operator` is 'Exists'".to_string()
        )]
    );
    assert_eq!(
        messages(&toleration("key: a\n    effect: NoSchedule\n    tolerationSeconds: 60"), "toleration"),
        vec![(
            "spec.tolerations[0].effect".to_string(),
            "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set".to_string()
        )]
    );
    let keyless = messages(&toleration("value: b"), "toleration");
    assert!(
        keyless[0]
            .1
            .contains("operator must be Exists when `key` is empty"),
        "{keyless:?}"
    );
    let effect = only(&toleration("key: a\n    effect: NoEvict"), "enum-value");
    assert_eq!(effect[0].1, "spec.tolerations[0].effect");
    let operator = only(&toleration("key: a\n    operator: In"), "enum-value");
    assert_eq!(operator[0].1, "spec.tolerations[0].operator");
}

#[test]
fn node_affinity() {
    let required = |expressions: &str| {
        pod(&format!("  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n{expressions}"))
    };
    let ok = "        - matchExpressions:\n          - key: zone\n            operator: NotIn\n            values: [a]\n          matchFields:\n          - key: metadata.name\n            operator: In\n            values: [node-1]\n";
    assert!(messages(&required(ok), "affinity").is_empty());
    assert_eq!(
        messages(&required("          []\n"), "affinity"),
        vec![(
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms".to_string(),
            "Required value: must have at least one node selector term".to_string()
        )]
    );
    let exists = "        - matchExpressions:\n          - key: zone\n            operator: Exists\n            values: [a]\n";
    assert_eq!(
        messages(&required(exists), "affinity")[0].1,
        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
    );
    let greater = "        - matchExpressions:\n          - key: cores\n            operator: Gt\n            values: [\"1\", \"2\"]\n";
    assert_eq!(messages(&required(greater), "affinity").len(), 1);
    let field = "        - matchFields:\n          - key: metadata.labels\n            operator: In\n            values: [a]\n";
    assert!(messages(&required(field), "affinity")[0]
        .1
        .ends_with("not a valid field selector key"));
    let weight = pod("  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 0\n        preference: {}\n");
    assert_eq!(
        messages(&weight, "affinity")[0].1,
        "Invalid value: 0: must be in the range 1-100"
    );
}

#[test]
fn pod_affinity_terms() {
    let term = |fields: &str| {
        pod(&format!("  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n          matchLabels:\n            app: db\n{fields}"))
    };
    assert!(messages(
        &term("        topologyKey: kubernetes.io/hostname\n"),
        "affinity"
    )
    .is_empty());
    assert_eq!(
        messages(&term("        topologyKey: \"\"\n"), "affinity"),
        vec![(
            "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey".to_string(),
            "Required value: can not be empty".to_string()
        )]
    );
}

#[test]
fn topology_spread() {
    let spread = |constraints: &str| pod(&format!("  topologySpreadConstraints:\n{constraints}"));
    let zone = "  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n";
    assert!(messages(&spread(zone), "topology-spread").is_empty());
    assert_eq!(
        messages(
            &spread(&zone.replace("maxSkew: 1", "maxSkew: 0")),
            "topology-spread"
        ),
        vec![(
            "spec.topologySpreadConstraints[0].maxSkew".to_string(),
            "Invalid value: 0: must be greater than zero".to_string()
        )]
    );
    assert_eq!(
        messages(&spread(&format!("{zone}{zone}")), "topology-spread"),
        vec![(
            "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}".to_string(),
            "Duplicate value: \"{zone, DoNotSchedule}\"".to_string()
        )]
    );
    let anyway = format!(
        "{}    minDomains: 2\n",
        zone.replace("DoNotSchedule", "ScheduleAnyway")
    );
    assert_eq!(
        messages(&spread(&anyway), "topology-spread")[0].1,
        "Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway"
    );
    let action = only(
        &spread(&zone.replace("DoNotSchedule", "Never")),
        "enum-value",
    );
    assert_eq!(
        action[0].1,
        "spec.topologySpreadConstraints[0].whenUnsatisfiable"
    );
    let keyless = zone.replace("topologyKey: zone", "topologyKey: \"\"");
    assert_eq!(
        messages(&spread(&keyless), "topology-spread")[0].1,
        "Required value: can not be empty"
    );
}

#[test]
fn node_selector_labels() {
    assert!(only(
        &pod("  nodeSelector:\n    disktype: ssd\n"),
        "label-invalid"
    )
    .is_empty());
    let bad = only(
        &pod("  nodeSelector:\n    disk type: ssd\n"),
        "label-invalid",
    );
    assert_eq!(bad.len(), 1, "{bad:?}");
}
