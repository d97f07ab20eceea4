//! The pod's `os` as `validateOS`, `validateLinux` and `validateWindows` check it: `linux`
//! or `windows`, and none of the other system's settings.

use k8s_openapi::api::core::v1::{PodSpec, SecurityContext};

use super::unsupported;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::{schema, Sink};

const FOR_WINDOWS: &str = "Forbidden: cannot be set for a windows pod";
const FOR_LINUX: &str = "Forbidden: windows options cannot be set for a linux pod";

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let Some(os) = &spec.os else {
        return;
    };
    match os.name.as_str() {
        "" => sink.report(
            &rules::POD_OS,
            &key(&key(path, "os"), "name"),
            "Required value: cannot be empty",
        ),
        "linux" => linux(spec, path, sink),
        "windows" => windows(spec, path, sink),
        other => sink.report(
            &rules::POD_OS,
            &key(path, "os"),
            unsupported(other, &["linux", "windows"]),
        ),
    }
}

fn linux(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let pod_options = spec
        .security_context
        .as_ref()
        .and_then(|c| c.windows_options.as_ref());
    if pod_options.is_some() {
        let at = key(&key(path, "securityContext"), "windowsOptions");
        sink.report(&rules::POD_OS, &at, FOR_LINUX);
    }
    for_each_context(spec, path, sink, |context, at, sink| {
        if context.windows_options.is_some() {
            sink.report(&rules::POD_OS, &key(at, "windowsOptions"), FOR_LINUX);
        }
    });
}

fn windows(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let pod_level = [
        ("hostPID", spec.host_pid == Some(true)),
        ("hostIPC", spec.host_ipc == Some(true)),
        ("hostUsers", spec.host_users.is_some()),
        (
            "shareProcessNamespace",
            spec.share_process_namespace.is_some(),
        ),
    ];
    for (field, set) in pod_level {
        if set {
            sink.report(&rules::POD_OS, &key(path, field), FOR_WINDOWS);
        }
    }
    if let Some(context) = &spec.security_context {
        let at = key(path, "securityContext");
        let set = [
            ("appArmorProfile", context.app_armor_profile.is_some()),
            ("seLinuxOptions", context.se_linux_options.is_some()),
            ("seccompProfile", context.seccomp_profile.is_some()),
            ("fsGroup", context.fs_group.is_some()),
            (
                "fsGroupChangePolicy",
                context.fs_group_change_policy.is_some(),
            ),
            (
                "sysctls",
                context.sysctls.as_ref().is_some_and(|s| !s.is_empty()),
            ),
            ("runAsUser", context.run_as_user.is_some()),
            ("runAsGroup", context.run_as_group.is_some()),
            ("supplementalGroups", context.supplemental_groups.is_some()),
            (
                "supplementalGroupsPolicy",
                context.supplemental_groups_policy.is_some(),
            ),
            (
                "seLinuxChangePolicy",
                context.se_linux_change_policy.is_some(),
            ),
        ];
        for (field, _) in set.iter().filter(|(_, set)| *set) {
            sink.report(&rules::POD_OS, &key(&at, field), FOR_WINDOWS);
        }
    }
    for_each_context(spec, path, sink, |context, at, sink| {
        let set = [
            ("appArmorProfile", context.app_armor_profile.is_some()),
            ("seLinuxOptions", context.se_linux_options.is_some()),
            ("seccompProfile", context.seccomp_profile.is_some()),
            ("capabilities", context.capabilities.is_some()),
            (
                "readOnlyRootFilesystem",
                context.read_only_root_filesystem.is_some(),
            ),
            ("privileged", context.privileged.is_some()),
            (
                "allowPrivilegeEscalation",
                context.allow_privilege_escalation.is_some(),
            ),
            ("procMount", context.proc_mount.is_some()),
            ("runAsUser", context.run_as_user.is_some()),
            ("runAsGroup", context.run_as_group.is_some()),
        ];
        for (field, _) in set.iter().filter(|(_, set)| *set) {
            sink.report(&rules::POD_OS, &key(at, field), FOR_WINDOWS);
        }
    });
}

/// Calls `visit` with each container's security context and its path.
fn for_each_context(
    spec: &PodSpec,
    path: &str,
    sink: &mut Sink,
    mut visit: impl FnMut(&SecurityContext, &str, &mut Sink),
) {
    for (list, containers) in schema::containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            if let Some(context) = &container.security_context {
                let c = key(&index(&key(path, list), at), "securityContext");
                visit(context, &c, sink);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn pod(spec: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{spec}  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      runAsUser: 1000\n"
        );
        messages(&text, "pod-os")
    }

    #[test]
    fn a_windows_pod_sets_no_linux_settings() {
        assert_eq!(
            pod("  os:\n    name: windows\n  hostPID: true\n  securityContext:\n    fsGroup: 2000\n"),
            vec![
                ("spec.hostPID".to_string(), "Forbidden: cannot be set for a windows pod".to_string()),
                ("spec.securityContext.fsGroup".to_string(), "Forbidden: cannot be set for a windows pod".to_string()),
                ("spec.containers[0].securityContext.runAsUser".to_string(), "Forbidden: cannot be set for a windows pod".to_string()),
            ]
        );
    }

    #[test]
    fn os_names_and_linux_pods() {
        assert!(pod("  os:\n    name: linux\n").is_empty());
        assert_eq!(
            pod("  os:\n    name: Linux\n"),
            vec![(
                "spec.os".to_string(),
                "Unsupported value: \"Linux\": supported values: \"linux\", \"windows\""
                    .to_string()
            )]
        );
        assert_eq!(
            pod("  os:\n    name: linux\n  securityContext:\n    windowsOptions:\n      runAsUserName: app\n"),
            vec![("spec.securityContext.windowsOptions".to_string(), "Forbidden: windows options cannot be set for a linux pod".to_string())]
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn pod_os() {
        let text = include_str!("../../../tests/fixtures/invalid/pod-os.yaml");
        assert_eq!(
            only(text, "pod-os"),
            vec![(
                11,
                "spec.securityContext.fsGroup".to_string(),
                "Forbidden: cannot be set for a windows pod".to_string()
            )]
        );
    }
}
