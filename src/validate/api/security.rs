//! Security settings beyond user and group IDs, as `validatePodSpecSecurityContext` and
//! `ValidateSecurityContext` check them: sysctl names (`validateSysctls`,
//! `ValidateHostSysctl`), seccomp and AppArmor profiles at pod and container level
//! (`validateSeccompProfileField`, `ValidateAppArmorProfileField`), and `shareProcessNamespace`
//! with `hostPID`, and the policy enums (`validateFSGroupChangePolicy`,
//! `validateSupplementalGroupsPolicy`, `ValidateProcMountType`).

use std::borrow::Cow;
use std::collections::HashSet;

use k8s_openapi::api::core::v1::{AppArmorProfile, PodSpec, SeccompProfile, Sysctl};

use super::{enum_value, invalid, shown, unsupported};
use crate::validate::locate::{index, key};
use crate::validate::pod_settings::local_descending_path;
use crate::validate::rules;
use crate::validate::{schema, Sink};

/// `SysctlMaxLength`.
const SYSCTL_MAX_LENGTH: usize = 253;
/// `SysctlContainSlashFmt`, as the server prints it.
const SYSCTL_PATTERN: &str =
    "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";
const PROFILE_TYPES: &[&str] = &["Localhost", "RuntimeDefault", "Unconfined"];

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    // Both live in the internal PodSecurityContext, which the server always has.
    if spec.share_process_namespace == Some(true) && spec.host_pid == Some(true) {
        sink.report(
            &rules::SECURITY_CONTEXT,
            &key(path, "shareProcessNamespace"),
            invalid(
                true,
                "ShareProcessNamespace and HostPID cannot both be enabled",
            ),
        );
    }
    if let Some(context) = &spec.security_context {
        let at = key(path, "securityContext");
        enum_value(
            sink,
            &key(&at, "fsGroupChangePolicy"),
            context.fs_group_change_policy.as_deref(),
            &["Always", "OnRootMismatch"],
        );
        enum_value(
            sink,
            &key(&at, "supplementalGroupsPolicy"),
            context.supplemental_groups_policy.as_deref(),
            &["Merge", "Strict"],
        );
        if let Some(sysctls) = context.sysctls.as_deref() {
            self::sysctls(sysctls, spec, &key(&at, "sysctls"), sink);
        }
        profiles(
            context.seccomp_profile.as_ref(),
            context.app_armor_profile.as_ref(),
            &at,
            sink,
        );
    }
    for (list, containers) in schema::containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            if let Some(context) = &container.security_context {
                let c = key(&index(&key(path, list), at), "securityContext");
                let proc_mount = context.proc_mount.as_deref();
                enum_value(
                    sink,
                    &key(&c, "procMount"),
                    proc_mount,
                    &["Default", "Unmasked"],
                );
                let seccomp = context.seccomp_profile.as_ref();
                profiles(seccomp, context.app_armor_profile.as_ref(), &c, sink);
            }
        }
    }
}

fn profiles(
    seccomp: Option<&SeccompProfile>,
    app_armor: Option<&AppArmorProfile>,
    path: &str,
    sink: &mut Sink,
) {
    if let Some(profile) = seccomp {
        seccomp_profile(profile, &key(path, "seccompProfile"), sink);
    }
    if let Some(profile) = app_armor {
        app_armor_profile(profile, &key(path, "appArmorProfile"), sink);
    }
}

/// `validateSysctls`: a well-formed name, once each; none of the network (or IPC) namespace
/// when the pod shares the node's (from 1.29).
fn sysctls(sysctls: &[Sysctl], spec: &PodSpec, path: &str, sink: &mut Sink) {
    let mut seen = HashSet::new();
    let host_checked = sink.version().host_namespace_sysctls_forbidden();
    for (at, sysctl) in sysctls.iter().enumerate() {
        let name = sysctl.name.as_str();
        let at = key(&index(path, at), "name");
        if name.is_empty() {
            sink.report(&rules::SECURITY_CONTEXT, &at, "Required value");
        } else if !is_sysctl_name(name) {
            let rule = format!(
                "must have at most {SYSCTL_MAX_LENGTH} characters and match regex {SYSCTL_PATTERN}"
            );
            sink.report(&rules::SECURITY_CONTEXT, &at, invalid(shown(name), &rule));
        } else if !seen.insert(name) {
            let message = format!("Duplicate value: {}", shown(name));
            sink.report(&rules::SECURITY_CONTEXT, &at, message);
        }
        let shares_host = spec.host_network == Some(true) || spec.host_ipc == Some(true);
        if !host_checked || !shares_host {
            continue;
        }
        let shared = match sysctl_namespace(name) {
            Some(Namespace::Net) if spec.host_network == Some(true) => "hostNetwork",
            Some(Namespace::Ipc) if spec.host_ipc == Some(true) => "hostIPC",
            _ => continue,
        };
        let rule = format!("may not be specified when '{shared}' is true");
        sink.report(&rules::SECURITY_CONTEXT, &at, invalid(shown(name), &rule));
    }
}

/// `IsValidSysctlName`: dot- or slash-separated segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?`.
fn is_sysctl_name(name: &str) -> bool {
    name.len() <= SYSCTL_MAX_LENGTH
        && name.split(['.', '/']).all(|segment| {
            let bytes = segment.as_bytes();
            let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
            bytes.first().is_some_and(edge)
                && bytes.last().is_some_and(edge)
                && bytes.iter().all(|b| edge(b) || *b == b'-' || *b == b'_')
        })
}

/// The kernel namespaces a sysctl may belong to (`k8s.io/component-helpers/node/util/sysctl`).
enum Namespace {
    Net,
    Ipc,
}

fn sysctl_namespace(name: &str) -> Option<Namespace> {
    // `NormalizeName`: a name whose first separator is `/` has `.` and `/` swapped.
    let normalized: Cow<str> = match name.find(['.', '/']) {
        Some(at) if name.as_bytes()[at] == b'/' => name
            .chars()
            .map(|c| match c {
                '.' => '/',
                '/' => '.',
                other => other,
            })
            .collect::<String>()
            .into(),
        _ => name.into(),
    };
    let name = normalized.split('*').next().unwrap_or_default();
    const IPC_NAMES: &[&str] = &[
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
        "kernel.shm",
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.msg",
    ];
    if IPC_NAMES.contains(&name) || name.starts_with("fs.mqueue.") {
        Some(Namespace::Ipc)
    } else if name.starts_with("net.") {
        Some(Namespace::Net)
    } else {
        None
    }
}

/// `validateSeccompProfileField`: a known type; `localhostProfile` a relative path with
/// `Localhost` and only then.
fn seccomp_profile(profile: &SeccompProfile, path: &str, sink: &mut Sink) {
    let kind = profile.type_.as_str();
    let type_path = key(path, "type");
    if kind.is_empty() {
        let message = "Required value: type is required when seccompProfile is set";
        sink.report(&rules::SECURITY_CONTEXT, &type_path, message);
    } else if !PROFILE_TYPES.contains(&kind) {
        sink.report(
            &rules::SECURITY_CONTEXT,
            &type_path,
            unsupported(kind, PROFILE_TYPES),
        );
    }
    let at = key(path, "localhostProfile");
    match (kind, profile.localhost_profile.as_deref()) {
        ("Localhost", None) => sink.report(
            &rules::SECURITY_CONTEXT,
            &at,
            "Required value: must be set when seccomp type is Localhost",
        ),
        ("Localhost", Some(file)) => {
            local_descending_path(file, &at, &rules::SECURITY_CONTEXT, sink);
        }
        (_, Some(file)) => sink.report(
            &rules::SECURITY_CONTEXT,
            &at,
            invalid(
                shown(file),
                "can only be set when seccomp type is Localhost",
            ),
        ),
        (_, None) => {}
    }
}

/// `ValidateAppArmorProfileField`: a known type; `localhostProfile` with `Localhost` (not
/// blank, not padded, at most 4095 bytes) and only then.
fn app_armor_profile(profile: &AppArmorProfile, path: &str, sink: &mut Sink) {
    let at = key(path, "localhostProfile");
    let local = profile.localhost_profile.as_deref();
    let report = |sink: &mut Sink, path: &str, message: String| {
        sink.report(&rules::SECURITY_CONTEXT, path, message);
    };
    match profile.type_.as_str() {
        "Localhost" => match local {
            Some(file) if file.trim() != file => report(
                sink,
                &at,
                invalid(shown(file), "must not be padded with whitespace"),
            ),
            Some(file) if file.len() > 4095 => report(
                sink,
                &at,
                "Too long: may not be more than 4095 bytes".to_string(),
            ),
            Some(file) if !file.is_empty() => {}
            _ => report(
                sink,
                &at,
                "Required value: must be set when AppArmor type is Localhost".to_string(),
            ),
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(file) = local {
                let message = "can only be set when AppArmor type is Localhost";
                report(sink, &at, invalid(shown(file), message));
            }
        }
        "" => report(
            sink,
            &key(path, "type"),
            "Required value: type is required when appArmorProfile is set".to_string(),
        ),
        other => report(sink, &key(path, "type"), unsupported(other, PROFILE_TYPES)),
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn pod(spec: &str, minor: u32) -> Vec<(String, String)> {
        let text = format!(
            "# kube-version: 1.{minor}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{spec}  containers:\n  - name: app\n    image: nginx:1.27\n"
        );
        messages(&text, "security-context")
    }

    #[test]
    fn sysctl_names_are_well_formed_and_unique() {
        let spec = "  securityContext:\n    sysctls:\n    - name: net.ipv4.ip_unprivileged_port_start\n      value: \"0\"\n    - name: Net.Bad\n      value: \"1\"\n    - name: net.ipv4.ip_unprivileged_port_start\n      value: \"0\"\n    - name: kernel/shm_rmid_forced\n      value: \"1\"\n";
        let found = pod(spec, 37);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "spec.securityContext.sysctls[1].name");
        assert!(found[0].1.starts_with("Invalid value: \"Net.Bad\": must have at most 253 characters and match regex ^([a-z0-9]"));
        assert_eq!(
            found[1],
            (
                "spec.securityContext.sysctls[2].name".to_string(),
                "Duplicate value: \"net.ipv4.ip_unprivileged_port_start\"".to_string()
            )
        );
    }

    #[test]
    fn namespaced_sysctls_need_the_pods_own_namespace_from_1_29() {
        let spec = "  hostNetwork: true\n  hostIPC: true\n  securityContext:\n    sysctls:\n    - name: net.ipv4.ip_unprivileged_port_start\n      value: \"0\"\n    - name: kernel/msgmax\n      value: \"1\"\n    - name: kernel.domainname\n      value: x\n";
        assert!(pod(spec, 28).is_empty());
        assert_eq!(
            pod(spec, 29),
            vec![
                ("spec.securityContext.sysctls[0].name".to_string(), "Invalid value: \"net.ipv4.ip_unprivileged_port_start\": may not be specified when 'hostNetwork' is true".to_string()),
                ("spec.securityContext.sysctls[1].name".to_string(), "Invalid value: \"kernel/msgmax\": may not be specified when 'hostIPC' is true".to_string()),
            ]
        );
    }

    #[test]
    fn share_process_namespace_excludes_host_pid() {
        let spec = "  hostPID: true\n  shareProcessNamespace: true\n";
        assert_eq!(
            pod(spec, 37),
            vec![(
                "spec.shareProcessNamespace".to_string(),
                "Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled"
                    .to_string()
            )]
        );
    }

    #[test]
    fn profiles_take_a_local_file_with_localhost_only() {
        let spec = "  securityContext:\n    seccompProfile:\n      type: Localhost\n    appArmorProfile:\n      type: RuntimeDefault\n      localhostProfile: k8s-nginx\n";
        assert_eq!(
            pod(spec, 37),
            vec![
                (
                    "spec.securityContext.seccompProfile.localhostProfile".to_string(),
                    "Required value: must be set when seccomp type is Localhost".to_string()
                ),
                (
                    "spec.securityContext.appArmorProfile.localhostProfile".to_string(),
                    "Invalid value: \"k8s-nginx\": can only be set when AppArmor type is Localhost"
                        .to_string()
                ),
            ]
        );
        let spec = "  securityContext:\n    seccompProfile:\n      type: Localhost\n      localhostProfile: /etc/profiles/audit.json\n    appArmorProfile:\n      type: localhost\n";
        assert_eq!(
            pod(spec, 37),
            vec![
                ("spec.securityContext.seccompProfile.localhostProfile".to_string(), "Invalid value: \"/etc/profiles/audit.json\": must be a relative path".to_string()),
                ("spec.securityContext.appArmorProfile.type".to_string(), "Unsupported value: \"localhost\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"".to_string()),
            ]
        );
    }
}
