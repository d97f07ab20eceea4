//! The rules a spec must meet before anything is rendered, checked once for every front end.
//!
//! Errors name the flag (for flags) or the spec field (for spec files and the wizard), the value
//! and the rule, as one line.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::names;
use crate::plan::Contributor;
use crate::spec::{App, EnvVar, Protocol, Spec, WorkloadKind};

/// Where a spec came from, which decides how a field is named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Name fields by their command-line flag (`--port`).
    Flags,
    /// Name fields by their path in the spec file (`app.ports[0].containerPort`).
    SpecFile,
}

impl Field {
    /// The name to show for a field known as `path` in the spec and `flag` on the command line.
    pub(crate) fn name(self, path: &str, flag: &str) -> String {
        match self {
            Field::Flags => flag.to_string(),
            Field::SpecFile => path.to_string(),
        }
    }
}

/// Checks every rule of `spec`; the first broken one is the error.
pub fn check(spec: &Spec, origin: Field) -> Result<()> {
    check_parts(spec, origin)?;
    if crate::plan::build(spec).has_service() {
        names::service_name(&spec.app.name).map_err(|rule| {
            Error::invalid(origin.name("app.name", "NAME"), &spec.app.name, rule)
        })?;
    }
    Ok(())
}

/// Checks every rule of `spec` but the one its name follows for the Service `new` renders:
/// `add` keeps the name of a workload that exists, and renders no Service.
pub(crate) fn check_parts(spec: &Spec, origin: Field) -> Result<()> {
    check_app(spec, origin)?;
    super::workload::check(spec, origin)?;
    crate::security::check(spec, origin)?;
    for (index, pattern) in spec.patterns.iter().enumerate() {
        pattern.check(spec, index, origin)?;
    }
    check_claims(spec, origin)
}

/// The app's own settings: names, image, replicas, ports, labels, env, resources, probes.
fn check_app(spec: &Spec, origin: Field) -> Result<()> {
    check_version(spec)?;
    let app = &spec.app;
    check_names(app, origin)?;
    check_replicas(app, origin)?;
    check_ports(app, origin)?;
    check_labels(app, origin)?;
    check_env(app, origin)?;
    check_env_from(app, origin)?;
    check_resources(&app.resources, origin)?;
    check_health_path(app, origin)
}

fn check_version(spec: &Spec) -> Result<()> {
    if spec.version != crate::spec::SPEC_VERSION {
        return Err(Error::invalid(
            "version",
            spec.version.to_string(),
            format!(
                "this podsmith reads spec version {}",
                crate::spec::SPEC_VERSION
            ),
        ));
    }
    Ok(())
}

/// The app's name, image and namespace.
fn check_names(app: &App, origin: Field) -> Result<()> {
    let field = |path: &str, flag: &str| origin.name(path, flag);
    names::dns_label(&app.name)
        .map_err(|rule| Error::invalid(field("app.name", "NAME"), &app.name, rule))?;
    names::image(&app.image)
        .map_err(|rule| Error::invalid(field("app.image", "--image"), &app.image, rule))?;
    if let Some(namespace) = &app.namespace {
        names::dns_label(namespace).map_err(|rule| {
            Error::invalid(field("app.namespace", "--namespace"), namespace, rule)
        })?;
    }
    Ok(())
}

/// Replicas fit the API's int32, and only kinds that scale have them.
fn check_replicas(app: &App, origin: Field) -> Result<()> {
    let Some(replicas) = app.replicas else {
        return Ok(());
    };
    let field = origin.name("app.replicas", "--replicas");
    if i32::try_from(replicas).is_err() {
        return Err(Error::invalid(
            field,
            replicas.to_string(),
            format!("must be from 0 to {}", i32::MAX),
        ));
    }
    if !app.kind.has_replicas() {
        return Err(Error::invalid(
            field,
            replicas.to_string(),
            match app.kind {
                WorkloadKind::DaemonSet => {
                    "a DaemonSet runs one pod per node and has no replicas".into()
                }
                kind => format!("a {} has no replicas", kind.api_kind()),
            },
        ));
    }
    Ok(())
}

fn check_ports(app: &App, origin: Field) -> Result<()> {
    for (index, port) in app.ports.iter().enumerate() {
        let name = origin.name(&format!("app.ports[{index}]"), "--port");
        names::port_number(port.container_port)
            .map_err(|rule| Error::invalid(&name, port.container_port.to_string(), rule))?;
        if let Some(port_name) = &port.name {
            names::first(names::port_name(port_name))
                .map_err(|rule| Error::invalid(&name, port_name, rule))?;
        }
    }
    Ok(())
}

/// The user's labels: valid, and none of the ones podsmith sets.
fn check_labels(app: &App, origin: Field) -> Result<()> {
    for (key, value) in &app.labels {
        let name = origin.name(&format!("app.labels.{key}"), "--label");
        names::label_key(key).map_err(|rule| Error::invalid(&name, key, rule))?;
        names::first(names::label_value(value))
            .map_err(|rule| Error::invalid(&name, value, rule))?;
        if key.starts_with("app.kubernetes.io/name")
            || key.starts_with("app.kubernetes.io/managed-by")
        {
            return Err(Error::invalid(
                &name,
                key,
                "podsmith sets this label itself",
            ));
        }
    }
    Ok(())
}

/// Checks the app's environment: valid names, each set once, each from a value or a Secret key.
fn check_env(app: &App, origin: Field) -> Result<()> {
    check_env_vars(&app.env, app.kube_version, &|index, part, from_secret| {
        let flag = if from_secret { "--env-secret" } else { "--env" };
        origin.name(&format!("app.env[{index}]{part}"), flag)
    })
}

/// Checks one container's environment variables: valid names, each set once, each from a
/// value or a Secret key. `field(index, part, from_secret)` names a variable's field (`.name`,
/// `.secretKeyRef.key`, or `""` for the variable) as the user gave it: in the spec file, or as
/// the flag that gives a variable from a value or (`from_secret`) from a Secret key.
pub(crate) fn check_env_vars(
    env: &[EnvVar],
    version: KubeVersion,
    field: &dyn Fn(usize, &str, bool) -> String,
) -> Result<()> {
    for (index, var) in env.iter().enumerate() {
        let at = |part: &str| field(index, part, var.secret_key_ref.is_some());
        names::env_name(&var.name, version)
            .map_err(|rule| Error::invalid(at(".name"), &var.name, rule))?;
        if env[..index].iter().any(|earlier| earlier.name == var.name) {
            return Err(Error::invalid(
                at(".name"),
                &var.name,
                "is set twice: the later one would hide the earlier",
            ));
        }
        match (&var.value, &var.secret_key_ref) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(Error::invalid(
                    at(""),
                    &var.name,
                    "give either `value` or `secretKeyRef`",
                ))
            }
            (Some(_), None) => {}
            (None, Some(secret)) => {
                names::dns_subdomain(&secret.name).map_err(|rule| {
                    Error::invalid(
                        at(".secretKeyRef.name"),
                        &secret.name,
                        format!("a Secret name: {rule}"),
                    )
                })?;
                names::data_key(&secret.key).map_err(|rule| {
                    Error::invalid(
                        at(".secretKeyRef.key"),
                        &secret.key,
                        format!("a Secret key: {rule}"),
                    )
                })?;
            }
        }
    }
    Ok(())
}

/// Checks the ConfigMaps and Secrets the app takes variables from: valid names, each once.
fn check_env_from(app: &App, origin: Field) -> Result<()> {
    for (index, source) in app.env_from.iter().enumerate() {
        let field = || origin.name(&format!("app.envFrom[{index}]"), "--env-from");
        names::dns_subdomain(source.name()).map_err(|rule| {
            Error::invalid(
                field(),
                source.to_string(),
                format!("{} name: {rule}", source.kind()),
            )
        })?;
        if app.env_from[..index].contains(source) {
            return Err(Error::invalid(
                field(),
                source.to_string(),
                "is given twice",
            ));
        }
    }
    Ok(())
}

/// The probes' path: an HTTP path, and a port to probe.
fn check_health_path(app: &App, origin: Field) -> Result<()> {
    let Some(path) = &app.health_path else {
        return Ok(());
    };
    let field = || origin.name("app.healthPath", "--health-path");
    names::http_path(path).map_err(|rule| Error::invalid(field(), path, rule))?;
    if app.ports.is_empty() {
        return Err(Error::invalid(
            field(),
            path,
            "probes need a port: add --port",
        ));
    }
    Ok(())
}

fn check_resources(resources: &crate::spec::Resources, origin: Field) -> Result<()> {
    let pairs = [
        ("requests", "--requests", &resources.requests),
        ("limits", "--limits", &resources.limits),
    ];
    for (key, flag, quantities) in pairs {
        for (resource, value) in [("cpu", &quantities.cpu), ("memory", &quantities.memory)] {
            let name = origin.name(&format!("app.resources.{key}.{resource}"), flag);
            crate::quantity::non_negative(value)
                .map_err(|rule| Error::invalid(&name, value, rule))?;
        }
    }
    for resource in ["cpu", "memory"] {
        let (request, limit) = match resource {
            "cpu" => (&resources.requests.cpu, &resources.limits.cpu),
            _ => (&resources.requests.memory, &resources.limits.memory),
        };
        if crate::quantity::parse(request) > crate::quantity::parse(limit) {
            let default = crate::spec::Resources::app_default();
            let default_request = match resource {
                "cpu" => default.requests.cpu,
                _ => default.requests.memory,
            };
            // A request left at its default was not typed: the limit is what breaks the rule.
            if *request == default_request {
                return Err(Error::invalid(
                    origin.name(&format!("app.resources.limits.{resource}"), "--limits"),
                    limit,
                    format!(
                        "must be at least the {resource} request, {request} by default \
                         (lower it with {})",
                        origin.name(&format!("app.resources.requests.{resource}"), "--requests")
                    ),
                ));
            }
            return Err(Error::invalid(
                origin.name(&format!("app.resources.requests.{resource}"), "--requests"),
                request,
                format!("must be less than or equal to {resource} limit of {limit}"),
            ));
        }
    }
    Ok(())
}

/// Container names, ports, port names and the app's mount paths must not be claimed twice in
/// one pod. A port is claimed once per protocol: DNS serves 53 on UDP and on TCP.
fn check_claims(spec: &Spec, origin: Field) -> Result<()> {
    let app_claimant = origin.name("app", "the app").to_string();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut ports: BTreeMap<String, String> = BTreeMap::new();
    let port_key = |number: u32, protocol: Protocol| match protocol {
        Protocol::Tcp => number.to_string(),
        other => format!("{number}/{}", other.as_str()),
    };
    names.insert(
        spec.app.name.clone(),
        format!("{app_claimant} (its container)"),
    );
    for port in &spec.app.ports {
        let key = port_key(port.container_port, port.protocol);
        claim(&mut ports, key, &app_claimant, "port")?;
    }
    for (index, pattern) in spec.patterns.iter().enumerate() {
        let claimant = origin.name(&format!("patterns[{index}]"), &pattern.flag());
        claim(
            &mut names,
            pattern.container_name(),
            &claimant,
            "container name",
        )?;
        for port in pattern.ports(spec) {
            claim(&mut ports, port_key(port, Protocol::Tcp), &claimant, "port")?;
        }
    }
    check_part_claims(spec, origin, &app_claimant)
}

/// The port names and the app's mount paths the patterns (and the storage, and a Job's done
/// file) add to the pod, claimed from what each really adds, so that a new pattern is covered.
/// Port names share one namespace in the pod: the Service targets them by name. A container
/// mounts one volume at a path (`mount-path-unique`); a path with a trailing `/` is the same
/// folder.
fn check_part_claims(spec: &Spec, origin: Field, app_claimant: &str) -> Result<()> {
    let mut port_names: BTreeMap<String, String> = BTreeMap::new();
    for name in crate::patterns::app::port_names(spec) {
        claim(&mut port_names, name, app_claimant, "port name")?;
    }
    let mut added = Added {
        port_names,
        ..Added::default()
    };
    let mut outcome = Ok(());
    crate::plan::pod_parts(spec, &mut |by, parts| {
        if outcome.is_err() {
            return;
        }
        let claimant = match by {
            Contributor::Storage => origin.name("app.storage.path", "--storage"),
            Contributor::Pattern(index) => {
                origin.name(&format!("patterns[{index}]"), &spec.patterns[index].flag())
            }
            Contributor::DoneFile => "the folder of a Job's done file".to_string(),
        };
        outcome = added.claim(parts, &claimant);
    });
    outcome
}

/// The port names and app mount paths claimed so far, and how much of the pod's parts the
/// claims have seen.
#[derive(Default)]
struct Added {
    port_names: BTreeMap<String, String>,
    mount_paths: BTreeMap<String, String>,
    mounts_seen: usize,
    service_ports_seen: usize,
    proxy_seen: bool,
}

impl Added {
    /// Claims, for `claimant`, what it added to `parts` since the last call.
    fn claim(&mut self, parts: &crate::plan::PodParts, claimant: &str) -> Result<()> {
        for mount in &parts.app_mounts[self.mounts_seen..] {
            let path = mount.path.trim_end_matches('/').to_string();
            claim(&mut self.mount_paths, path, claimant, "mount path")?;
        }
        for port in &parts.service_ports[self.service_ports_seen..] {
            claim(
                &mut self.port_names,
                port.name.clone(),
                claimant,
                "port name",
            )?;
        }
        if let (Some((_, name, _)), false) = (&parts.proxied_port, self.proxy_seen) {
            claim(&mut self.port_names, name.clone(), claimant, "port name")?;
        }
        self.mounts_seen = parts.app_mounts.len();
        self.service_ports_seen = parts.service_ports.len();
        self.proxy_seen = parts.proxied_port.is_some();
        Ok(())
    }
}

fn claim<K: Ord + ToString>(
    claims: &mut BTreeMap<K, String>,
    key: K,
    claimant: &str,
    what: &str,
) -> Result<()> {
    if let Some(first) = claims.get(&key) {
        // The same claimant twice: "by --init and by another --init", "by the app and by
        // the app again".
        let second = match (first == claimant, claimant.starts_with("--")) {
            (false, _) => claimant.to_string(),
            (true, true) => format!("another {claimant}"),
            (true, false) => format!("{claimant} again"),
        };
        return Err(Error::Conflict {
            what: what.into(),
            value: key.to_string(),
            first: first.clone(),
            second,
        });
    }
    claims.insert(key, claimant.to_string());
    Ok(())
}
