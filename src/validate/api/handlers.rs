//! Probe and lifecycle-hook handlers as `validateHandler` checks them: exactly one handler
//! type, and that handler's own fields (`validateExecAction`, `validateHTTPGetAction`,
//! `validateTCPSocketAction`, `validateGRPCAction`, `validateSleepAction`).
//!
//! Read after the API's defaults: an `httpGet` without `path` or `scheme` gets `/` and `HTTP`,
//! and a pod without `terminationGracePeriodSeconds` gets 30, which bounds a `sleep` hook.

use k8s_openapi::api::core::v1::{
    Container, ExecAction, GRPCAction, HTTPGetAction, LifecycleHandler, PodSpec, Probe,
    SleepAction, TCPSocketAction,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::pod::is_sidecar;
use super::{invalid, shown, unsupported};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::{schema, Sink};

/// The pod's grace period when it sets none (`DefaultTerminationGracePeriodSeconds`).
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// One handler of a probe or hook, whichever kind it is.
#[derive(Default)]
struct Handler<'a> {
    exec: Option<&'a ExecAction>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_socket: Option<&'a TCPSocketAction>,
    grpc: Option<&'a GRPCAction>,
    sleep: Option<&'a SleepAction>,
}

impl<'a> Handler<'a> {
    fn of_probe(probe: &'a Probe) -> Self {
        Handler {
            exec: probe.exec.as_ref(),
            http_get: probe.http_get.as_ref(),
            tcp_socket: probe.tcp_socket.as_ref(),
            grpc: probe.grpc.as_ref(),
            sleep: None,
        }
    }

    /// A hook's handler; before 1.30 (PodLifecycleSleepAction off) the server drops `sleep`.
    fn of_hook(hook: &'a LifecycleHandler, sleep_served: bool) -> Self {
        Handler {
            exec: hook.exec.as_ref(),
            http_get: hook.http_get.as_ref(),
            tcp_socket: hook.tcp_socket.as_ref(),
            grpc: None,
            sleep: hook.sleep.as_ref().filter(|_| sleep_served),
        }
    }
}

/// Checks the handlers of every container that may have probes and hooks (an init container
/// only when it is a native sidecar; others are `init-container-probes`' concern).
pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    let grace = spec
        .termination_grace_period_seconds
        .unwrap_or(DEFAULT_GRACE_SECONDS);
    for (list, containers) in schema::containers_of(spec) {
        for (at, container) in containers.iter().enumerate() {
            if list == "initContainers" && !is_sidecar(container) {
                continue;
            }
            if has_handlers(container) {
                self::container(container, &index(&key(path, list), at), grace, sink);
            }
        }
    }
}

fn has_handlers(container: &Container) -> bool {
    container.liveness_probe.is_some()
        || container.readiness_probe.is_some()
        || container.startup_probe.is_some()
        || container.lifecycle.is_some()
}

fn container(container: &Container, path: &str, grace: i64, sink: &mut Sink) {
    for (name, probe) in [
        ("livenessProbe", &container.liveness_probe),
        ("readinessProbe", &container.readiness_probe),
        ("startupProbe", &container.startup_probe),
    ] {
        if let Some(probe) = probe {
            handler(&Handler::of_probe(probe), &key(path, name), grace, sink);
        }
    }
    let Some(lifecycle) = &container.lifecycle else {
        return;
    };
    let sleep_served = sink.version().lifecycle_sleep_action();
    for (name, hook) in [
        ("postStart", &lifecycle.post_start),
        ("preStop", &lifecycle.pre_stop),
    ] {
        if let Some(hook) = hook {
            let at = key(&key(path, "lifecycle"), name);
            handler(&Handler::of_hook(hook, sleep_served), &at, grace, sink);
        }
    }
}

/// `validateHandler`: the first handler set is checked, each further one is forbidden.
fn handler(handler: &Handler, path: &str, grace: i64, sink: &mut Sink) {
    let mut found = false;
    let mut next = |name: &str, set: bool, sink: &mut Sink| -> bool {
        if !set {
            return false;
        }
        if found {
            sink.report(
                &rules::PROBE_INVALID,
                &key(path, name),
                "Forbidden: may not specify more than 1 handler type",
            );
            return false;
        }
        found = true;
        true
    };
    if next("exec", handler.exec.is_some(), sink) {
        exec(handler.exec, &key(path, "exec"), sink);
    }
    if next("httpGet", handler.http_get.is_some(), sink) {
        http_get(handler.http_get, &key(path, "httpGet"), sink);
    }
    if next("tcpSocket", handler.tcp_socket.is_some(), sink) {
        let port = handler.tcp_socket.map(|t| &t.port);
        port_number_or_name(port, &key(&key(path, "tcpSocket"), "port"), sink);
    }
    if next("grpc", handler.grpc.is_some(), sink) {
        let port = handler.grpc.map(|g| IntOrString::Int(g.port));
        port_number_or_name(port.as_ref(), &key(&key(path, "grpc"), "port"), sink);
    }
    if next("sleep", handler.sleep.is_some(), sink) {
        sleep(handler.sleep, &key(path, "sleep"), grace, sink);
    }
    if !found {
        sink.report(
            &rules::PROBE_INVALID,
            path,
            "Required value: must specify a handler type",
        );
    }
}

fn exec(exec: Option<&ExecAction>, path: &str, sink: &mut Sink) {
    if exec.is_some_and(|e| e.command.as_ref().is_none_or(Vec::is_empty)) {
        sink.report(
            &rules::PROBE_INVALID,
            &key(path, "command"),
            "Required value",
        );
    }
}

fn http_get(http: Option<&HTTPGetAction>, path: &str, sink: &mut Sink) {
    let Some(http) = http else {
        return;
    };
    port_number_or_name(Some(&http.port), &key(path, "port"), sink);
    let scheme = http.scheme.as_deref().unwrap_or("HTTP");
    if scheme != "HTTP" && scheme != "HTTPS" {
        sink.report(
            &rules::PROBE_INVALID,
            &key(path, "scheme"),
            unsupported(scheme, &["HTTP", "HTTPS"]),
        );
    }
    for header in http.http_headers.iter().flatten() {
        if !is_http_header_name(&header.name) {
            sink.report(
                &rules::PROBE_INVALID,
                &key(path, "httpHeaders"),
                invalid(
                    shown(&header.name),
                    "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                ),
            );
        }
    }
}

/// `IsHTTPHeaderName`: `[-A-Za-z0-9]+`.
fn is_http_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `ValidatePortNumOrName`: a number from 1 to 65535 or an IANA service name.
fn port_number_or_name(port: Option<&IntOrString>, path: &str, sink: &mut Sink) {
    match port {
        Some(IntOrString::Int(number)) if !(1..=65535).contains(number) => sink.report(
            &rules::PROBE_INVALID,
            path,
            invalid(number, "must be between 1 and 65535, inclusive"),
        ),
        Some(IntOrString::String(name)) => {
            for message in names::port_name(name) {
                sink.report(&rules::PROBE_INVALID, path, invalid(shown(name), &message));
            }
        }
        _ => {}
    }
}

/// `validateSleepAction`: up to the pod's grace period; zero only from 1.33
/// (PodLifecycleSleepActionAllowZero on by default).
fn sleep(sleep: Option<&SleepAction>, path: &str, grace: i64, sink: &mut Sink) {
    let Some(seconds) = sleep.map(|s| s.seconds) else {
        return;
    };
    let message = if sink.version().lifecycle_sleep_zero() {
        (seconds < 0 || seconds > grace).then(|| {
            format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})")
        })
    } else {
        (seconds <= 0 || seconds > grace).then(|| {
            format!("must be greater than 0 and less than terminationGracePeriodSeconds ({grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")
        })
    };
    if let Some(message) = message {
        sink.report(&rules::PROBE_INVALID, path, invalid(seconds, &message));
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn pod(container_tail: &str, minor: u32) -> String {
        format!(
            "# kube-version: 1.{minor}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n{container_tail}"
        )
    }

    fn found(text: &str) -> Vec<(String, String)> {
        messages(text, "probe-invalid")
    }

    #[test]
    fn http_get_port_scheme_and_headers() {
        let text = pod("    livenessProbe:\n      httpGet:\n        port: 0\n        scheme: http\n        httpHeaders:\n        - name: X Bad\n          value: x\n", 37);
        let c = "spec.containers[0].livenessProbe.httpGet";
        assert_eq!(
            found(&text),
            vec![
                (format!("{c}.port"), "Invalid value: 0: must be between 1 and 65535, inclusive".to_string()),
                (format!("{c}.scheme"), "Unsupported value: \"http\": supported values: \"HTTP\", \"HTTPS\"".to_string()),
                (format!("{c}.httpHeaders"), "Invalid value: \"X Bad\": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')".to_string()),
            ]
        );
    }

    #[test]
    fn named_ports_are_iana_service_names() {
        let text = pod(
            "    readinessProbe:\n      tcpSocket:\n        port: \"8080\"\n",
            37,
        );
        let found = found(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "spec.containers[0].readinessProbe.tcpSocket.port"
        );
        assert!(
            found[0]
                .1
                .starts_with("Invalid value: \"8080\": must contain at least one letter"),
            "{found:?}"
        );
    }

    #[test]
    fn exec_needs_a_command_and_a_second_handler_is_forbidden() {
        let text = pod(
            "    startupProbe:\n      exec: {}\n      grpc:\n        port: 9090\n",
            37,
        );
        assert_eq!(
            found(&text),
            vec![
                (
                    "spec.containers[0].startupProbe.exec.command".to_string(),
                    "Required value".to_string()
                ),
                (
                    "spec.containers[0].startupProbe.grpc".to_string(),
                    "Forbidden: may not specify more than 1 handler type".to_string()
                ),
            ]
        );
    }

    #[test]
    fn sleep_is_bounded_by_the_grace_period_and_zero_by_version() {
        let hook = "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 0\n";
        assert!(found(&pod(hook, 33)).is_empty());
        let at_32 = found(&pod(hook, 32));
        assert_eq!(at_32.len(), 1, "{at_32:?}");
        assert!(at_32[0].1.starts_with("Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)"));
        let long = "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 31\n";
        assert_eq!(
            found(&pod(long, 37)),
            vec![("spec.containers[0].lifecycle.preStop.sleep".to_string(), "Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)".to_string())]
        );
    }

    #[test]
    fn sleep_before_1_30_is_dropped_leaving_no_handler() {
        let hook = "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 5\n";
        assert_eq!(
            found(&pod(hook, 29)),
            vec![(
                "spec.containers[0].lifecycle.preStop".to_string(),
                "Required value: must specify a handler type".to_string()
            )]
        );
    }
}
