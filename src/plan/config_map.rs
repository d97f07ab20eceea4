//! The ConfigMaps a plan mounts: each data entry is a config file rendered from its own
//! template, whose typed values the entry carries, so the template only lays them out.

use std::fmt::Debug;
use std::sync::Arc;

use serde::Serialize;

/// A ConfigMap rendered from config templates.
#[derive(Debug, Clone)]
pub(crate) struct ConfigMapPlan {
    /// ConfigMap name.
    pub(crate) name: String,
    /// Data entries: key, template, template variables.
    pub(crate) entries: Vec<ConfigEntry>,
}

/// One ConfigMap data entry, rendered from a template.
#[derive(Debug, Clone)]
pub(crate) struct ConfigEntry {
    /// The data key (a file name once mounted).
    pub(crate) key: String,
    /// Its template's values, which name the template.
    pub(crate) file: Arc<dyn ConfigFile>,
}

impl ConfigEntry {
    /// The entry `key` rendered from `values`' template.
    pub(crate) fn new(key: &str, values: impl ConfigTemplate) -> ConfigEntry {
        ConfigEntry {
            key: key.to_string(),
            file: Arc::new(values),
        }
    }
}

/// The values of one config file's template: implemented by each pattern's config struct in
/// its own module, so no list of config files is kept apart from the patterns.
pub(crate) trait ConfigTemplate: Serialize + Debug + Send + Sync + 'static {
    /// Template path under `templates/`.
    const TEMPLATE: &'static str;
}

/// A [`ConfigTemplate`] behind a pointer: its template and its values as the template reads
/// them (`Serialize` itself cannot be called through a pointer).
pub(crate) trait ConfigFile: Debug + Send + Sync {
    /// Template path under `templates/`.
    fn template(&self) -> &'static str;
    /// The values the template prints.
    fn values(&self) -> serde_json::Result<serde_json::Value>;
}

impl<T: ConfigTemplate> ConfigFile for T {
    fn template(&self) -> &'static str {
        T::TEMPLATE
    }

    fn values(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::to_value(self)
    }
}
