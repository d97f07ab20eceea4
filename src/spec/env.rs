//! The environment of a spec's containers: variables with their value or a Secret key, and
//! the ConfigMaps and Secrets whose every key becomes a variable.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An environment variable: a value written in the manifest, or the key of a Secret that holds
/// it (passwords and tokens, which must not appear in a manifest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct EnvVar {
    /// Variable name: letters, digits, `_`, `-`, `.`; not starting with a digit.
    pub(crate) name: String,
    /// Its value (give this or `secretKeyRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) value: Option<String>,
    /// The Secret key that holds the value (`valueFrom.secretKeyRef`); the Secret must exist
    /// in the workload's namespace before the pod starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) secret_key_ref: Option<SecretKeyRef>,
}

impl EnvVar {
    /// A variable with its value written in the manifest.
    pub(crate) fn value(name: impl Into<String>, value: impl Into<String>) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: Some(value.into()),
            secret_key_ref: None,
        }
    }
}

/// A ConfigMap or Secret whose every key becomes an environment variable (`envFrom`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) enum EnvFrom {
    /// A ConfigMap's name (`configMapRef`), a DNS-1123 subdomain.
    ConfigMap(String),
    /// A Secret's name (`secretRef`), a DNS-1123 subdomain.
    Secret(String),
}

impl EnvFrom {
    /// The ConfigMap's or Secret's name.
    pub(crate) fn name(&self) -> &str {
        match self {
            EnvFrom::ConfigMap(name) | EnvFrom::Secret(name) => name,
        }
    }

    /// What it names, in words.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            EnvFrom::ConfigMap(_) => "a ConfigMap",
            EnvFrom::Secret(_) => "a Secret",
        }
    }
}

impl FromStr for EnvFrom {
    type Err = String;

    /// Parses `configmap:NAME` or `secret:NAME`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const SHAPE: &str = "must be configmap:NAME or secret:NAME, e.g. `secret:db-credentials`";
        let (kind, name) = text.split_once(':').ok_or(SHAPE)?;
        let name = name.trim().to_string();
        match kind.trim().to_ascii_lowercase().as_str() {
            "configmap" => Ok(EnvFrom::ConfigMap(name)),
            "secret" => Ok(EnvFrom::Secret(name)),
            _ => Err(SHAPE.into()),
        }
    }
}

impl fmt::Display for EnvFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvFrom::ConfigMap(name) => write!(f, "configmap:{name}"),
            EnvFrom::Secret(name) => write!(f, "secret:{name}"),
        }
    }
}

/// One key of a Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecretKeyRef {
    /// The Secret's name, a DNS-1123 subdomain.
    pub(crate) name: String,
    /// The key in its data: letters, digits, `-`, `_`, `.`.
    pub(crate) key: String,
}
