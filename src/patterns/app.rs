//! The app container itself: image, command, ports, env, probes, and the shared volumes the
//! patterns mount into it.

use serde_json::json;

use crate::plan::{container_context, ContainerPlan, PodParts, Role};
use crate::spec::Spec;

/// Names of the app's ports: the given name, else `http` for the first and `port-N` after.
pub fn port_names(spec: &Spec) -> Vec<String> {
    spec.app
        .ports
        .iter()
        .enumerate()
        .map(|(index, port)| match (&port.name, index) {
            (Some(name), _) => name.clone(),
            (None, 0) => "http".into(),
            (None, n) => format!("port-{}", n + 1),
        })
        .collect()
}

/// The app container, mounting the volumes the patterns share with it and, on a read-only
/// root filesystem, the emptyDirs that keep its writable paths writable.
pub fn container(spec: &Spec, parts: &mut PodParts) -> ContainerPlan {
    let app = &spec.app;
    let hardening = crate::security::harden(spec, &app.name, &app.image, &parts.app_mounts);
    for volume in hardening.volumes {
        parts.add_volume(volume);
    }
    let mut mounts = parts.app_mounts.clone();
    mounts.extend(hardening.mounts);
    let mut context = container_context(&app.name, &app.image, &app.resources, &hardening.security);
    let ports: Vec<_> = port_names(spec)
        .into_iter()
        .zip(&app.ports)
        .map(|(name, port)| json!({"name": name, "number": port.container_port, "protocol": port.protocol.as_str()}))
        .collect();
    let tcp_probe_port = app
        .ports
        .iter()
        .position(|p| p.protocol == crate::spec::Protocol::Tcp)
        .map(|index| ports[index]["name"].clone());
    context["command"] = json!(app.command);
    context["args"] = json!(app.args);
    context["env"] = json!(app.env);
    context["mounts"] = json!(mounts);
    // A Job's app runs to completion: readiness and liveness mean nothing there.
    context["probe_port"] = tcp_probe_port
        .filter(|_| !app.kind.runs_to_completion())
        .unwrap_or(json!(null));
    context["health_path"] = json!(app.health_path);
    context["ports"] = json!(ports);
    ContainerPlan {
        name: app.name.clone(),
        role: Role::App,
        template: "containers/app.yaml.tera",
        context,
    }
}
