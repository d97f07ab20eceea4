//! Layer 4: best practice. Warnings with stable IDs that `--skip` turns off and `--strict` makes
//! fatal. They cover the checks that kube-linter, kube-score and Polaris have in common; the
//! catalog in `rules` names each one's equivalents.
//!
//! Probes are required only of app containers in `containers` that declare a port (as
//! kube-score does): init containers cannot have them, and a container without ports (a log
//! tailer, a git-sync loop) has nothing for a readiness probe to ask.
//!
//! A pod annotated `podsmith/security-profile: baseline` says its own containers are written
//! for the Pod Security Standards' baseline level on purpose (podsmith's default for images it
//! cannot see into): the restricted level's checks (non-root, read-only root filesystem, no
//! privilege escalation, capabilities dropped) are not reported for it; the rest are. The two
//! checks of settings that stop a container starting run whatever the level.

use k8s_openapi::api::core::v1::{Container, PodSpec, Volume};

use super::locate::{index, key};
use super::object::Parsed;
use super::rules;
use super::schema::containers_of;
use super::Sink;

/// Runs layer 4 on a parsed object.
pub(super) fn check(parsed: &Parsed, sink: &mut Sink) {
    let Some(pod) = parsed.pod() else {
        return;
    };
    let spec = pod.spec;
    for (name, set) in [
        ("hostNetwork", spec.host_network),
        ("hostPID", spec.host_pid),
        ("hostIPC", spec.host_ipc),
    ] {
        if set == Some(true) {
            sink.report(
                &rules::HOST_NAMESPACE,
                &key(&pod.path, name),
                format!("{name} is true: the pod shares the node's namespace; remove it unless the pod manages the node"),
            );
        }
    }
    super::images::check(&pod, sink);
    super::sysctls::check(spec, &pod.path, sink);
    let metadata = pod.metadata.unwrap_or(&parsed.metadata);
    let baseline = metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(crate::security::LEVEL_ANNOTATION))
        .is_some_and(|level| level == "baseline");
    let main = main_container(spec, metadata.annotations.as_ref());
    for (list, containers) in containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            let path = index(&key(&pod.path, list), at);
            let app = list == "containers";
            starts(container, spec, &path, app && main == Some(at), sink);
            if !baseline {
                restricted(container, spec, &path, app, sink);
            }
            self::container(container, &path, app, sink);
        }
    }
}

/// The index in `containers` of the pod's main container: the one kubectl picks by default
/// (`kubectl.kubernetes.io/default-container`), else the first.
fn main_container(
    spec: &PodSpec,
    annotations: Option<&std::collections::BTreeMap<String, String>>,
) -> Option<usize> {
    let named = annotations.and_then(|a| a.get("kubectl.kubernetes.io/default-container"));
    match named {
        Some(name) => spec.containers.iter().position(|c| &c.name == name),
        None => (!spec.containers.is_empty()).then_some(0),
    }
}

/// Settings the API server accepts but that can stop the container at start.
fn starts(container: &Container, pod: &PodSpec, path: &str, main: bool, sink: &mut Sink) {
    let name = &container.name;
    let context = container.security_context.as_ref();
    let pod_context = pod.security_context.as_ref();
    let non_root = context
        .and_then(|c| c.run_as_non_root)
        .or_else(|| pod_context.and_then(|c| c.run_as_non_root));
    let user = context
        .and_then(|c| c.run_as_user)
        .or_else(|| pod_context.and_then(|c| c.run_as_user));
    if non_root == Some(true) && user.is_none() {
        let at = if context.and_then(|c| c.run_as_non_root).is_some() {
            key(&key(path, "securityContext"), "runAsNonRoot")
        } else {
            key(path, "securityContext")
        };
        sink.report(
            &rules::NON_ROOT_WITHOUT_USER,
            &at,
            format!("container {name:?} sets runAsNonRoot: true without runAsUser: only the kubelet, at start, sees the image's user, and it refuses an image that runs as root or names its user (`USER nginx`); set runAsUser and runAsGroup to the image's numeric non-root UID and GID, or drop runAsNonRoot"),
        );
    }
    let read_only = context.and_then(|c| c.read_only_root_filesystem) == Some(true);
    if main && read_only && !writable_mount(container, pod.volumes.as_deref().unwrap_or_default()) {
        sink.report(
            &rules::READ_ONLY_ROOT_NO_WRITABLE,
            &key(&key(path, "securityContext"), "readOnlyRootFilesystem"),
            format!("container {name:?} has a read-only root filesystem and no writable volume: most programs need at least /tmp, and one that writes a pid file, cache or temp file stops at start; mount an emptyDir at /tmp and at each path it writes (podsmith new --writable PATH)"),
        );
    }
}

/// Whether the container mounts a volume it can write: not `readOnly`, and not a kind that is
/// always read-only (ConfigMap, Secret, downward API, projected).
fn writable_mount(container: &Container, volumes: &[Volume]) -> bool {
    container.volume_mounts.iter().flatten().any(|mount| {
        if mount.read_only == Some(true) {
            return false;
        }
        // A name that is no pod volume is a StatefulSet claim template: a writable disk.
        volumes
            .iter()
            .find(|v| v.name == mount.name)
            .is_none_or(|v| {
                v.config_map.is_none()
                    && v.secret.is_none()
                    && v.downward_api.is_none()
                    && v.projected.is_none()
            })
    })
}

/// The restricted level's checks, for pods not written for baseline on purpose.
fn restricted(container: &Container, pod: &PodSpec, path: &str, app: bool, sink: &mut Sink) {
    let name = &container.name;
    let context = container.security_context.as_ref();
    let pod_context = pod.security_context.as_ref();
    let context_path = key(path, "securityContext");
    let non_root = context
        .and_then(|c| c.run_as_non_root)
        .or_else(|| pod_context.and_then(|c| c.run_as_non_root));
    let user = context
        .and_then(|c| c.run_as_user)
        .or_else(|| pod_context.and_then(|c| c.run_as_user));
    if non_root != Some(true) && user.is_none_or(|u| u <= 0) && !ownership_setup(container, app) {
        sink.report(
            &rules::RUN_AS_NON_ROOT,
            &key(&context_path, "runAsNonRoot"),
            format!("container {name:?} may run as root: set securityContext.runAsNonRoot: true"),
        );
    }
    if context.and_then(|c| c.read_only_root_filesystem) != Some(true) {
        sink.report(
            &rules::READ_ONLY_ROOT_FS,
            &key(&context_path, "readOnlyRootFilesystem"),
            format!("container {name:?} can write its root filesystem: set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write"),
        );
    }
    // A privileged container always escalates, and the API server refuses
    // `allowPrivilegeEscalation: false` beside `privileged: true`: the `privileged` warning is
    // the one to act on.
    let privileged = context.and_then(|c| c.privileged) == Some(true);
    if !privileged && context.and_then(|c| c.allow_privilege_escalation) != Some(false) {
        sink.report(
            &rules::PRIVILEGE_ESCALATION,
            &key(&context_path, "allowPrivilegeEscalation"),
            format!("container {name:?} allows privilege escalation: set securityContext.allowPrivilegeEscalation: false"),
        );
    }
    let drops_all = context
        .and_then(|c| c.capabilities.as_ref())
        .and_then(|c| c.drop.as_ref())
        .is_some_and(|d| d.iter().any(|cap| cap.eq_ignore_ascii_case("ALL")));
    if !drops_all {
        sink.report(
            &rules::CAPABILITIES_NOT_DROPPED,
            &key(&context_path, "capabilities"),
            format!("container {name:?} keeps the default Linux capabilities: set securityContext.capabilities.drop: [\"ALL\"]"),
        );
    }
}

fn container(container: &Container, path: &str, app: bool, sink: &mut Sink) {
    let name = &container.name;
    resources(container, path, sink);
    if app && container.ports.as_ref().is_some_and(|p| !p.is_empty()) {
        let missing: Vec<&str> = [
            ("readinessProbe", container.readiness_probe.is_some()),
            ("livenessProbe", container.liveness_probe.is_some()),
        ]
        .iter()
        .filter(|(_, set)| !set)
        .map(|(probe, _)| *probe)
        .collect();
        if !missing.is_empty() {
            sink.report(
                &rules::PROBES_MISSING,
                path,
                format!(
                    "container {name:?} declares a port but has no {}; without one, traffic reaches it before it is ready and a hung process is never restarted",
                    missing.join(" or ")
                ),
            );
        }
    }
    let context = container.security_context.as_ref();
    let context_path = key(path, "securityContext");
    if context.and_then(|c| c.privileged) == Some(true) {
        sink.report(
            &rules::PRIVILEGED,
            &key(&context_path, "privileged"),
            format!("container {name:?} is privileged: it has full access to the node"),
        );
    }
    if let Some(image) = container.image.as_deref().filter(|i| !i.is_empty()) {
        if let Some(problem) = unpinned(image) {
            sink.report(
                &rules::IMAGE_UNPINNED,
                &key(path, "image"),
                format!("image {image:?} {problem}: pin a version tag or a digest so every node runs the same code"),
            );
        }
    }
}

fn resources(container: &Container, path: &str, sink: &mut Sink) {
    let resources = container.resources.as_ref();
    let has = |list: Option<&std::collections::BTreeMap<String, _>>, name: &str| {
        list.is_some_and(|l| l.contains_key(name))
    };
    let requests = resources.and_then(|r| r.requests.as_ref());
    let limits = resources.and_then(|r| r.limits.as_ref());
    let missing: Vec<&str> = [
        ("requests.cpu", has(requests, "cpu")),
        ("requests.memory", has(requests, "memory")),
        ("limits.cpu", has(limits, "cpu")),
        ("limits.memory", has(limits, "memory")),
    ]
    .iter()
    .filter(|(_, set)| !set)
    .map(|(field, _)| *field)
    .collect();
    if !missing.is_empty() {
        sink.report(
            &rules::RESOURCES_MISSING,
            &key(path, "resources"),
            format!(
                "container {:?} sets no {}: the scheduler cannot place it well and it can starve its neighbours",
                container.name,
                missing.join(", ")
            ),
        );
    }
}

/// Why an image reference is not pinned, if it is not.
fn unpinned(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => Some("has no tag, so it means :latest"),
        Some((_, "latest")) => Some("uses the :latest tag"),
        Some(_) => None,
    }
}

/// A run-once init container that needs root only to change file ownership (a volume
/// permissions step): it drops every capability and adds back no more than CHOWN, FOWNER and
/// DAC_OVERRIDE. Such a container is the documented exception to `run-as-non-root`.
fn ownership_setup(container: &Container, app: bool) -> bool {
    const OWNERSHIP: [&str; 3] = ["CHOWN", "FOWNER", "DAC_OVERRIDE"];
    if app || container.restart_policy.is_some() {
        return false;
    }
    let Some(capabilities) = container
        .security_context
        .as_ref()
        .and_then(|c| c.capabilities.as_ref())
    else {
        return false;
    };
    let drops_all = capabilities.drop.iter().flatten().any(|c| c == "ALL");
    let adds = capabilities.add.iter().flatten().collect::<Vec<_>>();
    drops_all && !adds.is_empty() && adds.iter().all(|c| OWNERSHIP.contains(&c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn image_pinning() {
        assert!(unpinned("busybox").is_some());
        assert!(unpinned("busybox:latest").is_some());
        assert!(unpinned("localhost:5000/app").is_some());
        assert!(unpinned("localhost:5000/app:1.2").is_none());
        assert!(unpinned("busybox:1.36").is_none());
        assert!(unpinned("busybox@sha256:abc").is_none());
    }
}

#[cfg(test)]
mod rule_tests;
