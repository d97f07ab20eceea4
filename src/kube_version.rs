//! Target Kubernetes versions: parsing, the supported range, and the features that differ.
//!
//! Rendering and validation both ask this module what a version supports, so a version rule
//! is written down once.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The oldest Kubernetes minor version podsmith renders for.
pub(crate) const OLDEST_MINOR: u32 = 27;
/// The newest Kubernetes minor version podsmith renders for (the default target).
pub(crate) const NEWEST_MINOR: u32 = 37;

/// A Kubernetes `1.MINOR` release that podsmith supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    minor: u32,
}

impl KubeVersion {
    /// The newest supported version, used when none is given.
    pub const NEWEST: KubeVersion = KubeVersion {
        minor: NEWEST_MINOR,
    };

    /// The first version with native sidecars (restartable init containers) on by default
    /// (beta 1.29, GA 1.33).
    pub(crate) const NATIVE_SIDECARS: KubeVersion = KubeVersion { minor: 29 };

    /// The first version in which a StatefulSet may leave out `serviceName`.
    pub(crate) const OPTIONAL_SERVICE_NAME: KubeVersion = KubeVersion { minor: 33 };

    /// The version `1.minor`, if supported.
    pub fn new(minor: u32) -> Option<KubeVersion> {
        (OLDEST_MINOR..=NEWEST_MINOR)
            .contains(&minor)
            .then_some(KubeVersion { minor })
    }

    /// Every supported version, oldest first.
    pub fn all() -> impl Iterator<Item = KubeVersion> {
        (OLDEST_MINOR..=NEWEST_MINOR).map(|minor| KubeVersion { minor })
    }

    /// The minor version number.
    pub(crate) fn minor(self) -> u32 {
        self.minor
    }

    /// The version before this one, if supported.
    pub(crate) fn previous(self) -> Option<KubeVersion> {
        KubeVersion::new(self.minor - 1)
    }

    /// `initContainers[].restartPolicy` exists in the API (1.28+; before, it is an unknown field).
    pub(crate) fn has_container_restart_policy(self) -> bool {
        self.minor >= 28
    }

    /// Native sidecars (restartable init containers) are on by default.
    pub(crate) fn native_sidecars_by_default(self) -> bool {
        self >= KubeVersion::NATIVE_SIDECARS
    }

    /// Environment variable names may be any printable ASCII but `=`
    /// (RelaxedEnvironmentVariableValidation, on by default from 1.32).
    pub(crate) fn relaxed_env_var_names(self) -> bool {
        self.minor >= 32
    }

    /// A pod that shares the node's network or IPC namespace may not set sysctls of that
    /// namespace (refused on create from 1.29).
    pub(crate) fn host_namespace_sysctls_forbidden(self) -> bool {
        self.minor >= 29
    }

    /// The server merges a topology spread constraint's `matchLabelKeys` into its selector
    /// (MatchLabelKeysInPodTopologySpreadSelectorMerge, on by default from 1.34).
    pub(crate) fn spread_selector_merge(self) -> bool {
        self.minor >= 34
    }

    /// A StatefulSet may leave out `serviceName`.
    pub(crate) fn statefulset_service_name_optional(self) -> bool {
        self >= KubeVersion::OPTIONAL_SERVICE_NAME
    }

    /// A lifecycle hook may `sleep` (PodLifecycleSleepAction, on by default from 1.30; before,
    /// the server drops the field).
    pub(crate) fn lifecycle_sleep_action(self) -> bool {
        self.minor >= 30
    }

    /// A `sleep` hook may sleep 0 seconds (PodLifecycleSleepActionAllowZero, on by default
    /// from 1.33).
    pub(crate) fn lifecycle_sleep_zero(self) -> bool {
        self.minor >= 33
    }

    /// `restartPolicy` may be set on regular containers (ContainerRestartRules, on by default
    /// from 1.35).
    pub(crate) fn regular_container_restart_policy(self) -> bool {
        self.minor >= 35
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion::NEWEST
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

/// The safe sysctls of the Pod Security Standards, with the Kubernetes minor version that
/// admits each (`sysctlsAllowedV1Dot*` in the Pod Security admission; the kubelet's own safe
/// list is the same set).
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
];

/// The minor version from which the kubelet and the Pod Security Standards count `name` as a
/// safe sysctl (0: every supported version), if they do at all.
pub(crate) fn sysctl_safe_since(name: &str) -> Option<u32> {
    SAFE_SYSCTLS
        .iter()
        .find(|(safe, _)| *safe == name)
        .map(|(_, since)| *since)
}

/// Why a version string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersionError(String);

impl fmt::Display for KubeVersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for KubeVersion {
    type Err = KubeVersionError;

    /// Accepts `1.29`, `v1.29` and `1.29.4` (the patch level is ignored).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let range = format!("1.{OLDEST_MINOR} to 1.{NEWEST_MINOR}");
        let trimmed = text.trim().trim_start_matches('v');
        let mut parts = trimmed.split('.');
        let major = parts.next().and_then(|p| p.parse::<u32>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
        let patch_ok =
            parts.next().is_none_or(|p| p.parse::<u32>().is_ok()) && parts.next().is_none();
        match (major, minor) {
            (Some(1), Some(minor)) if patch_ok => KubeVersion::new(minor).ok_or_else(|| {
                KubeVersionError(format!("must be a supported Kubernetes version, {range}"))
            }),
            _ => Err(KubeVersionError(format!(
                "must be a Kubernetes version such as `1.{NEWEST_MINOR}` ({range})"
            ))),
        }
    }
}

impl Serialize for KubeVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KubeVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Accepts `1.30` written as a YAML number as well as a string.
        struct Version;

        impl serde::de::Visitor<'_> for Version {
            type Value = KubeVersion;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a version such as \"1.33\"")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<KubeVersion, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<KubeVersion, E> {
                let text = number.to_string();
                // A float such as 1.30 prints as "1.3": such a version is ambiguous, so insist on
                // a string.
                if text.ends_with(".3") {
                    return Err(E::custom(
                        "write the version as a quoted string (\"1.30\"): the number 1.30 reads as 1.3",
                    ));
                }
                self.visit_str(&text)
            }

            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<KubeVersion, E> {
                self.visit_str(&number.to_string())
            }

            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<KubeVersion, E> {
                self.visit_str(&number.to_string())
            }
        }

        deserializer.deserialize_any(Version)
    }
}

impl schemars::JsonSchema for KubeVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "KubeVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^v?1\.[0-9]+(\.[0-9]+)?$",
            "description": format!("Target Kubernetes version, 1.{OLDEST_MINOR} to 1.{NEWEST_MINOR}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        assert_eq!("1.29".parse::<KubeVersion>().unwrap().minor(), 29);
        assert_eq!("v1.30.2".parse::<KubeVersion>().unwrap().minor(), 30);
    }

    #[test]
    fn rejects_unsupported_and_malformed() {
        assert!("1.26".parse::<KubeVersion>().is_err());
        assert!("1.99".parse::<KubeVersion>().is_err());
        assert!("2.1".parse::<KubeVersion>().is_err());
        assert!("1.x".parse::<KubeVersion>().is_err());
        assert!("1.29.1.1".parse::<KubeVersion>().is_err());
    }

    #[test]
    fn native_sidecars_start_at_1_29() {
        assert!(!KubeVersion::new(28).unwrap().native_sidecars_by_default());
        assert!(KubeVersion::new(29).unwrap().native_sidecars_by_default());
    }
}
