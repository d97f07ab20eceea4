//! `podsmith debug`: an ephemeral debug container for a running pod. Prints the `kubectl debug`
//! command, or with `--patch` the body for the pod's `ephemeralcontainers` subresource.
//!
//! Ephemeral containers exist only on running pods: they cannot be in a create manifest, have
//! no ports, probes or resources, are never restarted and cannot be removed. Nothing here
//! touches a cluster; the output is for the user to run.

use serde_json::{json, Value};

use crate::cli::{DebugArgs, DebugProfile};
use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{Declaration, Fallback, Lifecycle, Opt, Takes};
use crate::patterns::BUSYBOX;
use crate::wizard::quote;

/// The image when none is given: pinned busybox (a shell, `ps`, `nc`, `wget`, `top`).
pub(crate) const IMAGE: &str = BUSYBOX;

/// What the ephemeral debug container declares; its flags are `podsmith debug`'s.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "debug",
    aliases: &[],
    lifecycle: Lifecycle::Ephemeral,
    purpose: "Ephemeral debug container added to a running pod (`podsmith debug`)",
    details: "Prints the `kubectl debug` command, or with --patch the body for the pod's \
ephemeralcontainers subresource. Ephemeral containers have no ports, probes or resources, are \
never restarted, and cannot be removed; they are never part of a manifest podsmith writes.",
    avoid: "On a pod you can recreate with a debug image instead (`kubectl debug --copy-to`), \
or where a shell in the app image is enough.",
    example: &["podsmith", "debug", "web-7d4b9", "--target", "web"],
    options: &[
        Opt {
            flag: "target",
            value_name: "CONTAINER",
            takes: Takes::One,
            fallback: Fallback::Described("none"),
            help: "share this container's process namespace",
            example: "web",
        },
        Opt {
            flag: "image",
            value_name: "IMAGE",
            takes: Takes::One,
            fallback: Fallback::Value(IMAGE),
            help: "the debugging tools",
            example: "nicolaka/netshoot:v0.13",
        },
        Opt {
            flag: "profile",
            value_name: "PROFILE",
            takes: Takes::One,
            fallback: Fallback::Value("general"),
            help: "general, baseline, restricted, netadmin or sysadmin",
            example: "restricted",
        },
    ],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[],
    from_flags: None,
};
/// The user the `restricted` profile runs as, since busybox's image user is root.
pub(crate) const RESTRICTED_UID: u32 = 65532;

/// What `podsmith debug` prints.
pub(crate) fn render(args: &DebugArgs) -> Result<String> {
    names::dns_subdomain(&args.pod).map_err(|rule| Error::invalid("POD", &args.pod, rule))?;
    if let Some(target) = &args.target {
        names::dns_label(target).map_err(|rule| Error::invalid("--target", target, rule))?;
    }
    if let Some(namespace) = &args.namespace {
        names::dns_label(namespace)
            .map_err(|rule| Error::invalid("--namespace", namespace, rule))?;
    }
    let image = args.image.as_str();
    names::image(image).map_err(|rule| Error::invalid("--image", image, rule))?;
    let name = container_name(args, image);
    if args.patch {
        let body = patch(args, image, &name);
        let text = serde_json::to_string_pretty(&body)
            .map_err(|error| Error::Internal(error.to_string()))?;
        Ok(format!("{text}\n"))
    } else {
        Ok(format!("{}\n", command(args, image, &name)))
    }
}

/// The `kubectl patch` command that applies the `--patch` body saved as `FILE`.
pub(crate) fn apply_hint(args: &DebugArgs) -> String {
    let mut words = vec![
        "kubectl".to_string(),
        "patch".into(),
        "pod".into(),
        args.pod.clone(),
    ];
    if let Some(namespace) = &args.namespace {
        words.push(format!("--namespace={namespace}"));
    }
    words.extend(
        [
            "--subresource=ephemeralcontainers",
            "--type=strategic",
            "--patch-file=FILE",
        ]
        .map(String::from),
    );
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// `debugger-` and five characters derived from the inputs, so the same request gets the same
/// name (and a second, different one does not collide with it).
fn container_name(args: &DebugArgs, image: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let profile = args.profile.name();
    let parts = [
        args.pod.as_str(),
        args.target.as_deref().unwrap_or(""),
        image,
        profile,
    ];
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let suffix: String = (0..5)
        .map(|i| {
            let index = (hash >> (i * 8)) % ALPHABET.len() as u64;
            char::from(ALPHABET[index as usize])
        })
        .collect();
    format!("debugger-{suffix}")
}

fn command(args: &DebugArgs, image: &str, name: &str) -> String {
    let mut words = vec![
        "kubectl".to_string(),
        "debug".into(),
        "-it".into(),
        args.pod.clone(),
    ];
    if let Some(namespace) = &args.namespace {
        words.push(format!("--namespace={namespace}"));
    }
    words.push(format!("--image={image}"));
    words.push(format!("--container={name}"));
    if let Some(target) = &args.target {
        words.push(format!("--target={target}"));
    }
    words.push(format!("--profile={}", args.profile.name()));
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

fn patch(args: &DebugArgs, image: &str, name: &str) -> Value {
    let mut container = json!({
        "name": name,
        "image": image,
        "stdin": true,
        "tty": true,
        "terminationMessagePolicy": "File",
    });
    if let Some(target) = &args.target {
        container["targetContainerName"] = json!(target);
    }
    if let Some(context) = security_context(args.profile) {
        container["securityContext"] = context;
    }
    json!({"spec": {"ephemeralContainers": [container]}})
}

/// The security context of each profile, as `kubectl debug` sets it on an ephemeral container.
fn security_context(profile: DebugProfile) -> Option<Value> {
    match profile {
        DebugProfile::General => Some(json!({"capabilities": {"add": ["SYS_PTRACE"]}})),
        DebugProfile::Baseline => None,
        DebugProfile::Restricted => Some(json!({
            "allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"]},
            "runAsNonRoot": true,
            "runAsUser": RESTRICTED_UID,
            "seccompProfile": {"type": "RuntimeDefault"},
        })),
        DebugProfile::Netadmin => Some(json!({"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}})),
        DebugProfile::Sysadmin => Some(json!({"privileged": true})),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_options_are_the_debug_flags() {
        use clap::CommandFactory;
        let mut cli = crate::cli::Cli::command();
        // Subcommands' flags are built on demand (`defer`).
        cli.build();
        let debug = cli.find_subcommand("debug").expect("a debug subcommand");
        for option in DECLARATION.options {
            let arg = debug
                .get_arguments()
                .find(|a| a.get_long() == Some(option.flag))
                .unwrap_or_else(|| panic!("podsmith debug has no --{}", option.flag));
            if let Some(value) = option.default_value() {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                let default = arg
                    .get_default_values()
                    .first()
                    .map(|v| v.to_string_lossy());
                assert!(
                    help.contains(value) || default.as_deref() == Some(value),
                    "--{} does not say its default {value}",
                    option.flag
                );
            }
        }
    }

    fn args(pod: &str) -> DebugArgs {
        DebugArgs {
            pod: pod.into(),
            target: Some("web".into()),
            image: IMAGE.into(),
            namespace: Some("shop".into()),
            profile: DebugProfile::General,
            patch: false,
        }
    }

    #[test]
    fn prints_a_deterministic_command() {
        let first = render(&args("web-7d4b9")).unwrap();
        assert_eq!(first, render(&args("web-7d4b9")).unwrap());
        assert!(first.starts_with(
            "kubectl debug -it web-7d4b9 --namespace=shop --image=busybox:1.36.1 --container=debugger-"
        ));
        assert!(
            first.ends_with("--target=web --profile=general\n"),
            "{first}"
        );
        assert_ne!(first, render(&args("web-7d4b8")).unwrap());
    }

    #[test]
    fn patch_has_no_forbidden_fields() {
        let mut a = args("web-7d4b9");
        a.patch = true;
        a.profile = DebugProfile::Restricted;
        let body: Value = serde_json::from_str(&render(&a).unwrap()).unwrap();
        let container = &body["spec"]["ephemeralContainers"][0];
        assert_eq!(container["targetContainerName"], "web");
        for forbidden in [
            "ports",
            "resources",
            "readinessProbe",
            "livenessProbe",
            "lifecycle",
        ] {
            assert!(container.get(forbidden).is_none(), "{forbidden}");
        }
        assert_eq!(container["securityContext"]["runAsNonRoot"], true);
    }

    #[test]
    fn refuses_bad_names() {
        assert!(render(&args("Web_1")).is_err());
        let mut a = args("web");
        a.target = Some("a.b".into());
        assert!(render(&a).is_err());
    }

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(quote("--image=busybox:1.36.1"), "--image=busybox:1.36.1");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
