//! The ConfigMaps a plan mounts: each data entry is a config file rendered from its own
//! template, whose typed values the entry carries, so the template only lays them out.

use serde::Serialize;

/// A ConfigMap rendered from config templates.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConfigMapPlan {
    /// ConfigMap name.
    pub(crate) name: String,
    /// Data entries: key, template, template variables.
    pub(crate) entries: Vec<ConfigEntry>,
}

/// One ConfigMap data entry, rendered from a template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConfigEntry {
    /// The data key (a file name once mounted).
    pub(crate) key: String,
    /// Its template's values; the variant names the template.
    pub(crate) context: ConfigContext,
}

/// The values of one config file's template; the variant names the template.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum ConfigContext {
    /// `config/ambassador-haproxy.cfg.tera`.
    Haproxy(crate::patterns::ambassador::HaproxyConfig),
    /// `config/proxy-envoy.yaml.tera`.
    Envoy(crate::patterns::proxy::EnvoyConfig),
    /// `config/log-shipper-fluent-bit.conf.tera`.
    FluentBit(crate::patterns::log_shipper::FluentBitConfig),
    /// `config/git-passwd.tera`.
    GitPasswd(crate::patterns::git_clone::PasswdConfig),
}

impl ConfigContext {
    /// Template path under `templates/`.
    pub(crate) fn template(&self) -> &'static str {
        match self {
            ConfigContext::Haproxy(_) => "config/ambassador-haproxy.cfg.tera",
            ConfigContext::Envoy(_) => "config/proxy-envoy.yaml.tera",
            ConfigContext::FluentBit(_) => "config/log-shipper-fluent-bit.conf.tera",
            ConfigContext::GitPasswd(_) => "config/git-passwd.tera",
        }
    }
}
