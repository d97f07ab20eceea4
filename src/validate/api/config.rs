//! ConfigMaps and Secrets as `ValidateConfigMap` and `ValidateSecret` check them: keys, the
//! 1 MiB size limit, and the keys each built-in Secret type needs.

use std::collections::{BTreeMap, HashSet};

use k8s_openapi::api::core::v1::{ConfigMap, Secret};

use super::{invalid, quoted};
use crate::validate::locate::key;
use crate::validate::rules;
use crate::validate::Sink;

/// Runs the ConfigMap rules.
pub(super) fn config_map(map: &ConfigMap, sink: &mut Sink) {
    config_map_size(map, sink);
    let data = map.data.iter().flat_map(|d| d.keys());
    let binary = map.binary_data.iter().flat_map(|d| d.keys());
    config_keys(
        data.map(|k| ("data", k))
            .chain(binary.map(|k| ("binaryData", k))),
        sink,
    );
}

/// Runs the Secret rules.
pub(super) fn secret(secret: &Secret, sink: &mut Sink) {
    secret_data(secret, sink);
    let data = secret.data.iter().flat_map(|d| d.keys());
    let string = secret.string_data.iter().flat_map(|d| d.keys());
    config_keys(
        data.map(|k| ("data", k))
            .chain(string.map(|k| ("stringData", k))),
        sink,
    );
}

/// `core.MaxSecretSize`: the data of a ConfigMap or Secret, 1 MiB at most.
const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// `ValidateConfigMap`: the values of `data` and `binaryData` together.
fn config_map_size(map: &ConfigMap, sink: &mut Sink) {
    let text: usize = map.data.iter().flatten().map(|(_, v)| v.len()).sum();
    let binary: usize = map
        .binary_data
        .iter()
        .flatten()
        .map(|(_, v)| v.0.len())
        .sum();
    if text + binary > MAX_CONFIG_BYTES {
        sink.report(
            &rules::CONFIG_SIZE,
            "",
            format!(
                "Too long: must have at most {MAX_CONFIG_BYTES} bytes (the data has {})",
                text + binary
            ),
        );
    }
}

/// `ValidateSecret`: the size of `data` once `stringData` is merged into it (a key of both
/// takes the `stringData` value), and the keys each built-in type needs.
fn secret_data(secret: &Secret, sink: &mut Sink) {
    let mut merged: BTreeMap<&str, usize> = secret
        .data
        .iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v.0.len()))
        .collect();
    for (k, v) in secret.string_data.iter().flatten() {
        merged.insert(k, v.len());
    }
    let total: usize = merged.values().sum();
    if total > MAX_CONFIG_BYTES {
        sink.report(
            &rules::CONFIG_SIZE,
            "data",
            format!("Too long: must have at most {MAX_CONFIG_BYTES} bytes (the data has {total})"),
        );
    }
    let has = |name: &str| merged.contains_key(name);
    let required: &[&str] = match secret.type_.as_deref().unwrap_or("Opaque") {
        "kubernetes.io/tls" => &["tls.crt", "tls.key"],
        "kubernetes.io/dockerconfigjson" => &[".dockerconfigjson"],
        "kubernetes.io/dockercfg" => &[".dockercfg"],
        "kubernetes.io/ssh-auth" => &["ssh-privatekey"],
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            sink.report(
                &rules::SECRET_TYPE,
                "data[username]",
                "Required value: either username or password is required",
            );
            &[]
        }
        _ => &[],
    };
    for name in required.iter().filter(|name| !has(name)) {
        sink.report(&rules::SECRET_TYPE, &key("data", name), "Required value");
    }
    if let [name] = required {
        if name.starts_with(".docker") {
            docker_config(secret, name, sink);
        }
    }
    if secret.type_.as_deref() == Some("kubernetes.io/service-account-token") {
        let named = secret.metadata.annotations.as_ref().is_some_and(|a| {
            a.get("kubernetes.io/service-account.name")
                .is_some_and(|n| !n.is_empty())
        });
        if !named {
            sink.report(
                &rules::SECRET_TYPE,
                "metadata.annotations[kubernetes.io/service-account.name]",
                "Required value",
            );
        }
    }
}

/// `ValidateSecret`: a docker config Secret's content is a JSON object (its value is never
/// shown).
fn docker_config(secret: &Secret, name: &str, sink: &mut Sink) {
    let text = secret.string_data.as_ref().and_then(|d| d.get(name));
    let bytes = match text {
        Some(text) => text.as_bytes(),
        None => match secret.data.as_ref().and_then(|d| d.get(name)) {
            Some(data) => data.0.as_slice(),
            None => return,
        },
    };
    let problem = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(_)) => return,
        Ok(_) => "json: cannot unmarshal into a JSON object".to_string(),
        Err(error) => error.to_string(),
    };
    sink.report(
        &rules::SECRET_TYPE,
        &key("data", name),
        invalid(quoted("<secret contents redacted>"), &problem),
    );
}

fn config_keys<'a>(keys: impl Iterator<Item = (&'static str, &'a String)>, sink: &mut Sink) {
    const MESSAGE: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    let mut seen = HashSet::new();
    for (list, name) in keys {
        let at = key(list, name);
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-._".contains(&c));
        if !valid {
            sink.report(&rules::CONFIG_KEY, &at, invalid(quoted(name), MESSAGE));
        } else if name == "." || name == ".." || name.starts_with("..") {
            sink.report(
                &rules::CONFIG_KEY,
                &at,
                invalid(quoted(name), "must not be '.' or '..' or start with '..'"),
            );
        } else if name.len() > 253 {
            sink.report(
                &rules::CONFIG_KEY,
                &at,
                invalid(quoted(name), "must be no more than 253 characters"),
            );
        }
        if list != "stringData" && !seen.insert(name.as_str()) {
            sink.report(
                &rules::CONFIG_KEY,
                &at,
                invalid(quoted(name), "duplicate of key present in data"),
            );
        }
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn config_key() {
        let text = include_str!("../../../tests/fixtures/invalid/config-key.yaml");
        assert_eq!(
            only(text, "config-key"),
            vec![
            (8, "data[bad key]".to_string(), "Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".to_string())
            ]
        );
    }
}
