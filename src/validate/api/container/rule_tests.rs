//! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.

use crate::validate::test_support::only;

#[test]
fn container_name() {
    let text = include_str!("../../../../tests/fixtures/invalid/container-name.yaml");
    assert_eq!(
        only(text, "container-name"),
        vec![
        (9, "spec.containers[0].name".to_string(), "Invalid value: \"App\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string())
        ]
    );
}

#[test]
fn container_restart_policy_native_sidecar_1_28() {
    let text = include_str!(
        "../../../../tests/fixtures/invalid/container-restart-policy--native-sidecar-1-28.yaml"
    );
    assert_eq!(
        only(text, "container-restart-policy"),
        vec![
        (12, "spec.initContainers[0].restartPolicy".to_string(), "Forbidden: native sidecars need the SidecarContainers feature gate, which is alpha and off by default in Kubernetes 1.28; target 1.29 or later, or run the sidecar in `containers`".to_string())
        ]
    );
}

#[test]
fn container_restart_policy_regular_container_1_34() {
    let text = include_str!(
        "../../../../tests/fixtures/invalid/container-restart-policy--regular-container-1-34.yaml"
    );
    assert_eq!(
        only(text, "container-restart-policy"),
        vec![(
            21,
            "spec.containers[0].restartPolicy".to_string(),
            "Forbidden: may not be set for non-init containers".to_string()
        )]
    );
}

#[test]
fn container_restart_policy() {
    let text = include_str!("../../../../tests/fixtures/invalid/container-restart-policy.yaml");
    assert_eq!(
        only(text, "container-restart-policy"),
        vec![(
            11,
            "spec.initContainers[0].restartPolicy".to_string(),
            "Unsupported value: \"OnFailure\": supported values: \"Always\"".to_string()
        )]
    );
}

#[test]
fn env_name() {
    let text = include_str!("../../../../tests/fixtures/invalid/env-name.yaml");
    assert_eq!(
        only(text, "env-name"),
        vec![
        (21, "spec.containers[0].env[0].name".to_string(), "Invalid value: \"LOG=LEVEL\": a valid environment variable name must consist only of printable ASCII characters other than '='".to_string())
        ]
    );
}

#[test]
fn image_required() {
    let text = include_str!("../../../../tests/fixtures/invalid/image-required.yaml");
    assert_eq!(
        only(text, "image-required"),
        vec![(
            10,
            "spec.containers[0].image".to_string(),
            "Required value".to_string()
        )]
    );
}

#[test]
fn mount_path_unique() {
    let text = include_str!("../../../../tests/fixtures/invalid/mount-path-unique.yaml");
    assert_eq!(
        only(text, "mount-path-unique"),
        vec![(
            29,
            "spec.containers[0].volumeMounts[1].mountPath".to_string(),
            "Invalid value: \"/data\": must be unique".to_string()
        )]
    );
}

#[test]
fn port_name_unique() {
    let text = include_str!("../../../../tests/fixtures/invalid/port-name-unique.yaml");
    assert_eq!(
        only(text, "port-name-unique"),
        vec![(
            14,
            "spec.containers[0].ports[1].name".to_string(),
            "Duplicate value: \"http\"".to_string()
        )]
    );
}

#[test]
fn port_name() {
    let text = include_str!("../../../../tests/fixtures/invalid/port-name.yaml");
    assert_eq!(
        only(text, "port-name"),
        vec![(
            12,
            "spec.containers[0].ports[0].name".to_string(),
            "Invalid value: \"http--api\": must not contain consecutive hyphens".to_string()
        )]
    );
}

#[test]
fn port_range() {
    let text = include_str!("../../../../tests/fixtures/invalid/port-range.yaml");
    assert_eq!(
        only(text, "port-range"),
        vec![(
            13,
            "spec.containers[0].ports[0].containerPort".to_string(),
            "Invalid value: 70000: must be between 1 and 65535, inclusive".to_string()
        )]
    );
}

#[test]
fn resource_quantity() {
    let text = include_str!("../../../../tests/fixtures/invalid/resource-quantity.yaml");
    assert_eq!(
        only(text, "resource-quantity"),
        vec![
        (34, "spec.containers[0].resources.limits.memory".to_string(), "Invalid value: \"256MB\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".to_string())
        ]
    );
}

#[test]
fn resource_request_above_limit() {
    let text = include_str!("../../../../tests/fixtures/invalid/resource-request-above-limit.yaml");
    assert_eq!(
        only(text, "resource-request-above-limit"),
        vec![(
            30,
            "spec.containers[0].resources.requests.cpu".to_string(),
            "Invalid value: \"2\": must be less than or equal to cpu limit of 500m".to_string()
        )]
    );
}

#[test]
fn volume_mount_missing() {
    let text = include_str!("../../../../tests/fixtures/invalid/volume-mount-missing.yaml");
    assert_eq!(
        only(text, "volume-mount-missing"),
        vec![(
            21,
            "spec.containers[0].volumeMounts[0].name".to_string(),
            "Not found: \"cache\"".to_string()
        )]
    );
}
