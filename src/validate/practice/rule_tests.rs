//! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.

use crate::validate::test_support::only;

#[test]
fn capabilities_not_dropped() {
    let text = include_str!("../../../tests/fixtures/invalid/capabilities-not-dropped.yaml");
    assert_eq!(
        only(text, "capabilities-not-dropped"),
        vec![
        (20, "spec.containers[0].securityContext.capabilities".to_string(), "container \"app\" keeps the default Linux capabilities: set securityContext.capabilities.drop: [\"ALL\"]".to_string())
        ]
    );
}

#[test]
fn host_namespace() {
    let text = include_str!("../../../tests/fixtures/invalid/host-namespace.yaml");
    assert_eq!(
        only(text, "host-namespace"),
        vec![
        (8, "spec.hostNetwork".to_string(), "hostNetwork is true: the pod shares the node's namespace; remove it unless the pod manages the node".to_string())
        ]
    );
}

#[test]
fn image_unpinned() {
    let text = include_str!("../../../tests/fixtures/invalid/image-unpinned.yaml");
    assert_eq!(
        only(text, "image-unpinned"),
        vec![
        (10, "spec.containers[0].image".to_string(), "image \"nginx:latest\" uses the :latest tag: pin a version tag or a digest so every node runs the same code".to_string())
        ]
    );
}

#[test]
fn non_root_without_user() {
    let text = include_str!("../../../tests/fixtures/invalid/non-root-without-user.yaml");
    assert_eq!(
        only(text, "non-root-without-user"),
        vec![(
            26,
            "spec.containers[0].securityContext.runAsNonRoot".to_string(),
            "container \"app\" sets runAsNonRoot: true without runAsUser: only the kubelet, at start, sees the image's user, and it refuses an image that runs as root or names its user (`USER nginx`); set runAsUser and runAsGroup to the image's numeric non-root UID and GID, or drop runAsNonRoot".to_string()
        )]
    );
}

#[test]
fn non_root_at_pod_level_is_satisfied_by_a_container_user() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: a:1\n    securityContext:\n      runAsUser: 1000\n  - name: other\n    image: b:1\n";
    assert_eq!(
        only(text, "non-root-without-user"),
        vec![(
            13,
            "spec.containers[1].securityContext".to_string(),
            "container \"other\" sets runAsNonRoot: true without runAsUser: only the kubelet, at start, sees the image's user, and it refuses an image that runs as root or names its user (`USER nginx`); set runAsUser and runAsGroup to the image's numeric non-root UID and GID, or drop runAsNonRoot".to_string()
        )]
    );
}

#[test]
fn read_only_root_no_writable() {
    let text = include_str!("../../../tests/fixtures/invalid/read-only-root-no-writable.yaml");
    assert_eq!(
        only(text, "read-only-root-no-writable"),
        vec![(
            25,
            "spec.containers[0].securityContext.readOnlyRootFilesystem".to_string(),
            "container \"app\" has a read-only root filesystem and no writable volume: most programs need at least /tmp, and one that writes a pid file, cache or temp file stops at start; mount an emptyDir at /tmp and at each path it writes (podsmith new --writable PATH)".to_string()
        )]
    );
    // An emptyDir mounted read-write is somewhere to write.
    let fixed = text.replace("configMap:\n      name: web-nginx", "emptyDir: {}");
    assert_eq!(only(&fixed, "read-only-root-no-writable"), vec![]);
}

#[test]
fn baseline_annotation_waives_the_restricted_checks_only() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    podsmith/security-profile: baseline\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n";
    for rule in [
        "run-as-non-root",
        "read-only-root-fs",
        "capabilities-not-dropped",
    ] {
        assert_eq!(only(text, rule), vec![], "{rule}");
        let plain = text.replace("podsmith/security-profile: baseline", "team: web");
        assert_eq!(only(&plain, rule).len(), 1, "{rule} without the annotation");
    }
    // A privileged container escalates anyway: only `privileged` is reported.
    let unprivileged = text.replace("privileged: true", "privileged: false");
    assert_eq!(only(&unprivileged, "privilege-escalation"), vec![]);
    let plain = unprivileged.replace("podsmith/security-profile: baseline", "team: web");
    assert_eq!(only(&plain, "privilege-escalation").len(), 1);
    assert_eq!(only(text, "privileged").len(), 1);
}

#[test]
fn privilege_escalation() {
    let text = include_str!("../../../tests/fixtures/invalid/privilege-escalation.yaml");
    assert_eq!(
        only(text, "privilege-escalation"),
        vec![
        (20, "spec.containers[0].securityContext.allowPrivilegeEscalation".to_string(), "container \"app\" allows privilege escalation: set securityContext.allowPrivilegeEscalation: false".to_string())
        ]
    );
}

#[test]
fn privileged_containers_are_not_told_to_stop_escalation() {
    let text = include_str!("../../../tests/fixtures/invalid/privileged.yaml");
    assert!(only(text, "privilege-escalation").is_empty());
    assert!(only(text, "security-context").is_empty());
}

#[test]
fn privileged() {
    let text = include_str!("../../../tests/fixtures/invalid/privileged.yaml");
    assert_eq!(
        only(text, "privileged"),
        vec![(
            24,
            "spec.containers[0].securityContext.privileged".to_string(),
            "container \"app\" is privileged: it has full access to the node".to_string()
        )]
    );
}

#[test]
fn probes_missing() {
    let text = include_str!("../../../tests/fixtures/invalid/probes-missing.yaml");
    assert_eq!(
        only(text, "probes-missing"),
        vec![
        (9, "spec.containers[0]".to_string(), "container \"app\" declares a port but has no readinessProbe or livenessProbe; without one, traffic reaches it before it is ready and a hung process is never restarted".to_string())
        ]
    );
}

#[test]
fn read_only_root_fs() {
    let text = include_str!("../../../tests/fixtures/invalid/read-only-root-fs.yaml");
    assert_eq!(
        only(text, "read-only-root-fs"),
        vec![
        (22, "spec.containers[0].securityContext.readOnlyRootFilesystem".to_string(), "container \"app\" can write its root filesystem: set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write".to_string())
        ]
    );
}

#[test]
fn resources_missing() {
    let text = include_str!("../../../tests/fixtures/invalid/resources-missing.yaml");
    assert_eq!(
        only(text, "resources-missing"),
        vec![
        (9, "spec.containers[0].resources".to_string(), "container \"app\" sets no requests.cpu, requests.memory, limits.cpu, limits.memory: the scheduler cannot place it well and it can starve its neighbours".to_string())
        ]
    );
}

#[test]
fn run_as_non_root() {
    let text = include_str!("../../../tests/fixtures/invalid/run-as-non-root.yaml");
    assert_eq!(
        only(text, "run-as-non-root"),
        vec![(
            20,
            "spec.containers[0].securityContext.runAsNonRoot".to_string(),
            "container \"app\" may run as root: set securityContext.runAsNonRoot: true".to_string()
        )]
    );
}
