//! The scripted front end: turns raw `podsmith new` flags into a [`Spec`].
//!
//! Flags are parsed here, not by clap, so every message names the flag, the value and the rule
//! in podsmith's words. Each pattern reads its own flags (see `patterns::flags`), in start
//! order: dependencies are waited for first, then the ambassador starts (init commands may need
//! it), then the checkout is made, then the init command runs; sidecars and adapters follow.

use std::collections::BTreeMap;

use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::spec::{
    check, EnvFrom, EnvVar, Field, JobRestartPolicy, Port, Quantities, SecretKeyRef, Spec, Storage,
};

/// Builds and checks the spec that `podsmith new` flags describe.
pub fn from_flags(args: &NewArgs) -> Result<Spec> {
    let spec = build(args)?;
    check(&spec, Field::Flags)?;
    Ok(spec)
}

fn build(args: &NewArgs) -> Result<Spec> {
    let name = args.name.clone().ok_or_else(|| {
        Error::Usage("missing the workload name: podsmith new NAME --image IMAGE".into())
    })?;
    let image = args.image.clone().ok_or_else(|| {
        Error::Usage(format!(
            "missing `--image` for `{name}`: podsmith new {name} --image IMAGE"
        ))
    })?;
    let mut spec = Spec::new(name, image);
    let app = &mut spec.app;
    if let Some(kind) = &args.kind {
        app.kind = kind
            .parse()
            .map_err(|rule| Error::invalid("--kind", kind, rule))?;
    }
    if let Some(replicas) = &args.replicas {
        app.replicas = Some(replicas.parse().map_err(|_| {
            Error::invalid("--replicas", replicas, "must be a whole number from 0")
        })?);
    }
    app.ports = args
        .ports
        .iter()
        .map(|text| {
            text.parse::<Port>()
                .map_err(|rule| Error::invalid("--port", text, rule))
        })
        .collect::<Result<_>>()?;
    app.namespace.clone_from(&args.namespace);
    app.labels = parse_labels(&args.labels)?;
    app.env = args
        .env
        .iter()
        .map(|text| {
            let (name, value) = key_value(text, "--env", "NAME=VALUE")?;
            Ok(EnvVar::value(name, value))
        })
        .collect::<Result<_>>()?;
    for text in &args.env_secrets {
        app.env.push(env_secret(text, "--env-secret")?);
    }
    app.env_from = args
        .env_from
        .iter()
        .map(|text| {
            text.parse::<EnvFrom>()
                .map_err(|rule| Error::invalid("--env-from", text, rule))
        })
        .collect::<Result<_>>()?;
    if let Some(text) = &args.requests {
        app.resources.requests = parse_quantities(text, "--requests", &app.resources.requests)?;
    }
    if let Some(text) = &args.limits {
        app.resources.limits = parse_quantities(text, "--limits", &app.resources.limits)?;
    }
    app.health_path.clone_from(&args.health_path);
    if args.command {
        if args.args.is_empty() {
            return Err(Error::Usage(
                "`--command` needs the command after `--`".into(),
            ));
        }
        app.command.clone_from(&args.args);
    } else {
        app.args.clone_from(&args.args);
    }
    if let Some(version) = &args.kube_version {
        app.kube_version =
            version
                .parse()
                .map_err(|rule: crate::kube_version::KubeVersionError| {
                    Error::invalid("--kube-version", version, rule.to_string())
                })?;
    }
    workload(args, &mut spec.app)?;
    security(args, &mut spec.app.security)?;
    spec.patterns = args.patterns.patterns()?;
    Ok(spec)
}

/// The app security flags.
fn security(args: &NewArgs, security: &mut crate::security::AppSecurity) -> Result<()> {
    if let Some(text) = &args.security {
        security.profile = text
            .parse()
            .map_err(|rule: String| Error::invalid("--security", text, rule))?;
    }
    if let Some(text) = &args.run_as_user {
        let (user, group) = crate::security::parse_user(text)
            .map_err(|rule| Error::invalid("--run-as-user", text, rule))?;
        security.run_as_user = Some(user);
        security.run_as_group = group;
    }
    if args.read_only_root {
        security.read_only_root_filesystem = Some(true);
    }
    security.writable.clone_from(&args.writable);
    Ok(())
}

/// The kind-specific workload flags.
fn workload(args: &NewArgs, app: &mut crate::spec::App) -> Result<()> {
    if let Some(text) = &args.storage {
        let mut storage: Storage = text
            .parse()
            .map_err(|rule: String| Error::invalid("--storage", text, rule))?;
        storage.storage_class.clone_from(&args.storage_class);
        app.storage = Some(storage);
    } else if args.storage_class.is_some() {
        return Err(Error::Usage(
            "`--storage-class` applies to `--storage`: add --storage SIZE[@PATH]".into(),
        ));
    }
    app.schedule.clone_from(&args.schedule);
    if let Some(text) = &args.backoff_limit {
        app.backoff_limit = Some(text.parse().map_err(|_| {
            Error::invalid("--backoff-limit", text, "must be a whole number from 0")
        })?);
    }
    if let Some(text) = &args.restart {
        app.restart_policy = Some(
            text.parse::<JobRestartPolicy>()
                .map_err(|rule| Error::invalid("--restart", text, rule))?,
        );
    }
    if let Some(text) = &args.fs_group {
        app.fs_group = Some(
            text.parse()
                .map_err(|_| Error::invalid("--fs-group", text, "must be a group ID number"))?,
        );
    }
    Ok(())
}

/// Splits `HOST:PORT` (IPv6 as `[::1]:PORT`).
pub(crate) fn host_port(text: &str, flag: &str) -> Result<(String, u32)> {
    let (host, port) = text
        .rsplit_once(':')
        .ok_or_else(|| Error::invalid(flag, text, "must be HOST:PORT, e.g. `postgres:5432`"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(Error::invalid(
            flag,
            text,
            "must be HOST:PORT, e.g. `postgres:5432`",
        ));
    }
    let port =
        crate::spec::values::parse_port(port).map_err(|rule| Error::invalid(flag, text, rule))?;
    crate::names::host(host).map_err(|rule| Error::invalid(flag, text, rule))?;
    Ok((host.to_string(), port))
}

pub(crate) fn key_value(text: &str, flag: &str, shape: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(Error::invalid(flag, text, format!("must be {shape}"))),
    }
}

/// Parses a variable from a Secret key, `NAME=SECRET:KEY` (`--env-secret`), refusing it as
/// `flag`'s value.
pub(crate) fn env_secret(text: &str, flag: &str) -> Result<EnvVar> {
    const SHAPE: &str = "NAME=SECRET:KEY, e.g. `POSTGRES_PASSWORD=db:password`";
    let (name, reference) = key_value(text, flag, SHAPE)?;
    match reference.split_once(':') {
        Some((secret, key)) if !secret.is_empty() && !key.is_empty() => Ok(EnvVar {
            name,
            value: None,
            secret_key_ref: Some(SecretKeyRef {
                name: secret.into(),
                key: key.into(),
            }),
        }),
        _ => Err(Error::invalid(flag, text, format!("must be {SHAPE}"))),
    }
}

fn parse_labels(texts: &[String]) -> Result<BTreeMap<String, String>> {
    let mut labels = BTreeMap::new();
    for text in texts {
        for item in text.split(',') {
            let (key, value) = key_value(item, "--label", "KEY=VALUE")?;
            if labels.insert(key.clone(), value).is_some() {
                return Err(Error::invalid("--label", key, "is given twice"));
            }
        }
    }
    Ok(labels)
}

/// Parses `cpu=Q,memory=Q`; a resource not named keeps its default.
fn parse_quantities(text: &str, flag: &str, defaults: &Quantities) -> Result<Quantities> {
    let mut quantities = defaults.clone();
    for item in text.split(',') {
        let (key, value) = key_value(item, flag, "cpu=QUANTITY,memory=QUANTITY")?;
        match key.as_str() {
            "cpu" => quantities.cpu = value,
            "memory" => quantities.memory = value,
            _ => {
                return Err(Error::invalid(
                    flag,
                    key,
                    "resources are `cpu` and `memory`",
                ))
            }
        }
    }
    Ok(quantities)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Pattern;

    fn args(name: &str, image: &str) -> NewArgs {
        NewArgs {
            name: Some(name.into()),
            image: Some(image.into()),
            ..NewArgs::default()
        }
    }

    #[test]
    fn bad_port_names_the_flag() {
        let mut a = args("web", "nginx:1.27");
        a.ports = vec!["70000".into()];
        let error = from_flags(&a).unwrap_err().to_string();
        assert_eq!(
            error,
            "invalid value `70000` for `--port`: port must be a number from 1 to 65535"
        );
    }

    #[test]
    fn wait_for_needs_a_numeric_port() {
        let mut a = args("web", "nginx:1.27");
        a.patterns.set("wait-for", vec!["db:port".into()]);
        let error = from_flags(&a).unwrap_err().to_string();
        assert!(
            error.starts_with("invalid value `db:port` for `--wait-for`"),
            "{error}"
        );
    }

    #[test]
    fn two_waits_on_one_host_get_distinct_names() {
        let mut a = args("web", "nginx:1.27");
        a.patterns
            .set("wait-for", vec!["db:5432".into(), "db:6432".into()]);
        let spec = from_flags(&a).unwrap();
        let names: Vec<_> = spec.patterns.iter().map(Pattern::container_name).collect();
        assert_eq!(names, ["wait-for-db", "wait-for-db-6432"]);
    }

    #[test]
    fn requests_keep_unnamed_defaults() {
        let mut a = args("web", "nginx:1.27");
        a.requests = Some("cpu=200m".into());
        let spec = from_flags(&a).unwrap();
        assert_eq!(spec.app.resources.requests.cpu, "200m");
        assert_eq!(
            spec.app.resources.requests.memory,
            crate::spec::Resources::app_default().requests.memory
        );
    }
}
