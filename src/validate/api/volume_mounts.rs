//! A volume mount's options as `ValidateVolumeMounts` checks them beyond names and paths:
//! `validateMountPropagation` (a known mode; Bidirectional only in a privileged container),
//! `validateMountRecursiveReadOnly` (a known mode; Enabled and IfPossible only on a read-only
//! mount without propagation), and no `subPath` into an image volume.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::{Container, PodSpec, VolumeMount};

use super::{invalid, shown, unsupported};
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::{schema, Sink};

const PROPAGATION: &[&str] = &["Bidirectional", "HostToContainer", "None"];
const RECURSIVE_READ_ONLY: &[&str] = &["Disabled", "Enabled", "IfPossible"];

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let images: HashSet<&str> = spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| v.image.is_some())
        .map(|v| v.name.as_str())
        .collect();
    for (list, containers) in schema::containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            let c = index(&key(path, list), at);
            for (m, mount) in container.volume_mounts.iter().flatten().enumerate() {
                let at = index(&key(&c, "volumeMounts"), m);
                self::mount(mount, container, &images, &at, sink);
            }
        }
    }
}

fn mount(
    mount: &VolumeMount,
    container: &Container,
    images: &HashSet<&str>,
    path: &str,
    sink: &mut Sink,
) {
    let propagation = mount.mount_propagation.as_deref();
    let propagation_path = key(path, "mountPropagation");
    match propagation {
        Some(mode) if !PROPAGATION.contains(&mode) => {
            sink.report(
                &rules::VOLUME_MOUNT,
                &propagation_path,
                unsupported(mode, PROPAGATION),
            );
        }
        Some("Bidirectional") if !privileged(container) => sink.report(
            &rules::VOLUME_MOUNT,
            &propagation_path,
            "Forbidden: Bidirectional mount propagation is available only to privileged containers",
        ),
        _ => {}
    }
    let recursive_path = key(path, "recursiveReadOnly");
    match mount.recursive_read_only.as_deref() {
        None | Some("Disabled") => {}
        Some("Enabled" | "IfPossible") => {
            if mount.read_only != Some(true) {
                let message = "Forbidden: may only be specified when readOnly is true";
                sink.report(&rules::VOLUME_MOUNT, &recursive_path, message);
            }
            if propagation.is_some_and(|p| p != "None") {
                let message =
                    "Forbidden: may only be specified when mountPropagation is None or not specified";
                sink.report(&rules::VOLUME_MOUNT, &recursive_path, message);
            }
        }
        Some(other) => {
            let message = unsupported(other, RECURSIVE_READ_ONLY);
            sink.report(&rules::VOLUME_MOUNT, &recursive_path, message);
        }
    }
    if images.contains(mount.name.as_str()) {
        for (field, value) in [
            ("subPath", &mount.sub_path),
            ("subPathExpr", &mount.sub_path_expr),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                let message = invalid(shown(value), "not allowed in image volume sources");
                sink.report(&rules::VOLUME_MOUNT, &key(path, field), message);
            }
        }
    }
}

fn privileged(container: &Container) -> bool {
    container
        .security_context
        .as_ref()
        .and_then(|c| c.privileged)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn mounts(mounts: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    volumeMounts:\n{mounts}  volumes:\n  - name: data\n    emptyDir: {{}}\n  - name: tools\n    image:\n      reference: ghcr.io/acme/tools:1.0.0\n"
        );
        messages(&text, "volume-mount")
    }

    #[test]
    fn propagation_and_recursive_read_only() {
        let found = mounts("    - name: data\n      mountPath: /data\n      mountPropagation: Bidirectional\n      recursiveReadOnly: Enabled\n");
        assert_eq!(
            found,
            vec![
                ("spec.containers[0].volumeMounts[0].mountPropagation".to_string(), "Forbidden: Bidirectional mount propagation is available only to privileged containers".to_string()),
                ("spec.containers[0].volumeMounts[0].recursiveReadOnly".to_string(), "Forbidden: may only be specified when readOnly is true".to_string()),
                ("spec.containers[0].volumeMounts[0].recursiveReadOnly".to_string(), "Forbidden: may only be specified when mountPropagation is None or not specified".to_string()),
            ]
        );
    }

    #[test]
    fn no_sub_path_into_an_image_volume() {
        assert_eq!(
            mounts("    - name: tools\n      mountPath: /tools\n      subPath: bin\n"),
            vec![(
                "spec.containers[0].volumeMounts[0].subPath".to_string(),
                "Invalid value: \"bin\": not allowed in image volume sources".to_string()
            )]
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn volume_mount() {
        let text = include_str!("../../../tests/fixtures/invalid/volume-mount.yaml");
        assert_eq!(
            only(text, "volume-mount"),
            vec![(
                14,
                "spec.containers[0].volumeMounts[0].mountPropagation".to_string(),
                "Forbidden: Bidirectional mount propagation is available only to privileged containers"
                    .to_string()
            )]
        );
    }
}
