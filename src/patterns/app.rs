//! The app container itself: image, command, ports, env, probes, and the shared volumes the
//! patterns mount into it.

use crate::plan::{AppContext, Common, ContainerPort, PodParts};
use crate::spec::{Port, Protocol, Spec};

/// Names of the app's ports, as service meshes read them (Istio and Linkerd select a port's
/// protocol by its name's prefix: `http`, `https`, `tcp`, `udp`...): the given name; else the
/// protocol of a well-known port number (`http` for 80 and 8080, `https` for 443,
/// `tcp-postgresql` for 5432, `udp-dns` for 53/UDP); `http` for the probed port when
/// `--health-path` says the app speaks HTTP; else `tcp-PORT` (`udp-`, `sctp-`), which a mesh
/// passes through as opaque bytes. A name taken by an earlier port gets `-PORT` added.
pub(crate) fn port_names(spec: &Spec) -> Vec<String> {
    let probed = spec
        .app
        .ports
        .iter()
        .position(|p| p.protocol == Protocol::Tcp)
        .filter(|_| spec.app.health_path.is_some());
    let mut names: Vec<String> = Vec::new();
    for (index, port) in spec.app.ports.iter().enumerate() {
        let name = match &port.name {
            Some(name) => name.clone(),
            None => {
                let base = well_known(port.container_port, port.protocol)
                    .map(String::from)
                    .or_else(|| (probed == Some(index)).then(|| "http".to_string()))
                    .unwrap_or_else(|| fallback_name(port));
                let given = |n: &String| spec.app.ports.iter().any(|p| p.name.as_ref() == Some(n));
                if names.contains(&base) || given(&base) {
                    format!("{base}-{}", port.container_port)
                } else {
                    base
                }
            }
        };
        names.push(name);
    }
    names
}

/// `tcp-5432`, `udp-514`: the protocol and the number, for a port podsmith cannot name.
fn fallback_name(port: &Port) -> String {
    format!(
        "{}-{}",
        port.protocol.as_str().to_ascii_lowercase(),
        port.container_port
    )
}

/// The mesh name of a port whose number is assigned to one protocol by IANA and used for it
/// in practice; only where that is certain.
fn well_known(number: u32, protocol: Protocol) -> Option<&'static str> {
    Some(match (number, protocol) {
        (80 | 8080, Protocol::Tcp) => "http",
        (443, Protocol::Tcp) => "https",
        (53, Protocol::Udp) => "udp-dns",
        (53, Protocol::Tcp) => "tcp-dns",
        (3306, Protocol::Tcp) => "tcp-mysql",
        (5432, Protocol::Tcp) => "tcp-postgresql",
        (5672, Protocol::Tcp) => "tcp-amqp",
        (6379, Protocol::Tcp) => "tcp-redis",
        (11211, Protocol::Tcp) => "tcp-memcache",
        (27017, Protocol::Tcp) => "tcp-mongodb",
        _ => return None,
    })
}

/// The Service port's `appProtocol` for a port name, where Kubernetes and the meshes agree on
/// it: `http` and `https` (IANA service names that Istio, Linkerd and cloud load balancers
/// read). Opaque TCP needs none.
pub(crate) fn app_protocol(name: &str) -> Option<&'static str> {
    let prefix = name.split('-').next().unwrap_or(name);
    match prefix {
        "http" => Some("http"),
        "https" => Some("https"),
        _ => None,
    }
}

/// The app container's values, mounting the volumes the patterns share with it and, on a
/// read-only root filesystem, the emptyDirs that keep its writable paths writable.
pub(crate) fn context(spec: &Spec, parts: &mut PodParts) -> AppContext {
    let app = &spec.app;
    let hardening = crate::security::harden(spec, &app.name, &app.image, &parts.app_mounts);
    // The app's own emptyDirs come first: they are there with or without the patterns.
    // (A pattern that shares one, as the init command does, keeps its own definition.)
    let mut volumes: Vec<_> = hardening
        .volumes
        .into_iter()
        .map(
            |own| match parts.volumes.iter().position(|v| v.name == own.name) {
                Some(shared) => parts.volumes.remove(shared),
                None => own,
            },
        )
        .collect();
    volumes.append(&mut parts.volumes);
    parts.volumes = volumes;
    let mut mounts = hardening.mounts;
    mounts.extend(parts.app_mounts.iter().cloned());
    let ports: Vec<ContainerPort> = port_names(spec)
        .into_iter()
        .zip(&app.ports)
        .map(|(name, port)| ContainerPort {
            name,
            number: port.container_port,
            protocol: port.protocol.as_str(),
        })
        .collect();
    let tcp_probe_port = app
        .ports
        .iter()
        .position(|p| p.protocol == crate::spec::Protocol::Tcp)
        .map(|index| ports[index].name.clone());
    AppContext {
        common: Common::new(&app.name, &app.image, &app.resources, &hardening.security),
        command: app.command.clone(),
        args: app.args.clone(),
        env: crate::image_env::app_env(spec),
        env_from: crate::plan::EnvSource::all(&app.env_from),
        mounts,
        // A Job's app runs to completion: readiness and liveness mean nothing there.
        probe_port: tcp_probe_port.filter(|_| !app.kind.runs_to_completion()),
        health_path: app.health_path.clone(),
        ports,
    }
}
