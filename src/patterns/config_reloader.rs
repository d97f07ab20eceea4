//! config-reloader: mounts the user's ConfigMap where the app reads it, and runs
//! configmap-reload beside the app, which calls the app's reload endpoint whenever the kubelet
//! updates the mounted files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::log_shipper::parse_url;
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{Common, ContainerContext, ContainerTemplate, Mount, PodParts, Security, Volume};
use crate::spec::{Resources, Spec};

/// Pinned configmap-reload.
pub(crate) const IMAGE: &str = "ghcr.io/jimmidyson/configmap-reload:v0.14.0";
/// Where the ConfigMap is mounted when no path is given.
pub(crate) const DEFAULT_MOUNT_PATH: &str = "/etc/config";
/// configmap-reload's own metrics port (bound to localhost).
pub(crate) const METRICS_PORT: u32 = 9533;
/// The pod volume of the watched ConfigMap.
pub(crate) const VOLUME: &str = "reloaded-config";

/// What the config-reloader pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "config-reloader",
    aliases: &[],
    lifecycle: Lifecycle::Sidecar,
    purpose: "Sidecar that tells the app to reload when its mounted ConfigMap changes",
    details: "Mounts your ConfigMap where the app reads it and runs configmap-reload, which \
watches the files and calls the app's reload endpoint (an HTTP POST) after the kubelet updates \
them (within about a minute).",
    avoid: "When the app cannot reload its config in place (a rolling restart on change is \
then the answer: a checksum annotation or `kubectl rollout restart`), or when it watches its \
files itself. ConfigMaps mounted with subPath never update.",
    example: &[
        "--config-reloader",
        "app-config",
        "--config-mount",
        "/etc/app",
    ],
    options: &[
        Opt {
            flag: "config-reloader",
            value_name: "CONFIGMAP",
            takes: Takes::One,
            fallback: Fallback::Required,
            help: "the ConfigMap to mount and watch (yours, not rendered)",
            example: "app-config",
        },
        Opt {
            flag: "config-mount",
            value_name: "PATH",
            takes: Takes::One,
            fallback: Fallback::Value(DEFAULT_MOUNT_PATH),
            help: "where the app and the reloader mount it",
            example: "/etc/app",
        },
        Opt {
            flag: "reload-url",
            value_name: "URL",
            takes: Takes::One,
            fallback: Fallback::Described("http://127.0.0.1:APP_PORT/-/reload"),
            help: "what the reloader POSTs to after a change",
            example: "http://127.0.0.1:9090/-/reload",
        },
    ],
    related: &[],
    unsuitable: &crate::patterns::declaration::batch(
        "its app runs once: what it reads at start is what it uses",
    ),
    requires: None,
    wizard: &[Choice {
        label: "config-reloader",
        description: "tell the app to reload when its ConfigMap changes",
        questions: &[
            Question {
                flag: "config-reloader",
                prompt: "Your ConfigMap to mount and watch",
                answer: Answer::Required("give the ConfigMap's name, e.g. app-config"),
            },
            Question {
                flag: "config-mount",
                prompt: "Where the app reads it",
                answer: Answer::Optional { suggest: None },
            },
            Question {
                flag: "reload-url",
                prompt: "URL to POST to after a change (empty: /-/reload on the app's first port)",
                answer: Answer::Optional { suggest: None },
            },
        ],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let Some(config_map) = flags.one("config-reloader") else {
        return Ok(Vec::new());
    };
    let mount = flags.one("config-mount").unwrap_or(DEFAULT_MOUNT_PATH);
    let mut reloader = ConfigReloader::new(config_map, mount);
    reloader.reload_url = flags.one("reload-url").map(String::from);
    Ok(vec![Pattern::ConfigReloader(reloader)])
}

/// Options of the config-reloader pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigReloader {
    /// The ConfigMap to mount and watch (created by you, not rendered by podsmith).
    pub(crate) config_map: String,
    /// Where the app and the reloader mount it (default `/etc/config`).
    #[serde(default = "default_mount_path")]
    pub(crate) mount_path: String,
    /// The URL the reloader POSTs to after a change (default
    /// `http://127.0.0.1:<app's first port>/-/reload`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reload_url: Option<String>,
    /// Container name (default `config-reloader`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// configmap-reload image (default: the pinned release).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

fn default_mount_path() -> String {
    DEFAULT_MOUNT_PATH.into()
}

impl ConfigReloader {
    /// Watches `config_map` mounted at `mount_path`.
    pub(crate) fn new(config_map: &str, mount_path: &str) -> ConfigReloader {
        ConfigReloader {
            config_map: config_map.into(),
            mount_path: mount_path.into(),
            reload_url: None,
            name: None,
            image: None,
        }
    }

    /// The URL it calls.
    pub(crate) fn reload_url(&self, spec: &Spec) -> Option<String> {
        self.reload_url.clone().or_else(|| {
            spec.app
                .ports
                .first()
                .map(|p| format!("http://127.0.0.1:{}/-/reload", p.container_port))
        })
    }
}

impl PatternKind for ConfigReloader {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        vec![METRICS_PORT]
    }

    fn check(&self, spec: &Spec, at: &At) -> Result<()> {
        names::dns_subdomain(&self.config_map)
            .map_err(|rule| at.invalid("configMap", None, &self.config_map, rule))?;
        names::absolute_path(&self.mount_path).map_err(|rule| {
            at.invalid("mountPath", Some("--config-mount"), &self.mount_path, rule)
        })?;
        match self.reload_url(spec) {
            Some(url) => {
                parse_url(&url, 80)
                    .map_err(|rule| at.invalid("reloadUrl", Some("--reload-url"), &url, rule))?;
            }
            None => {
                return Err(at.invalid(
                    "reloadUrl",
                    None,
                    &self.config_map,
                    "the reloader calls the app: add --reload-url URL or --port",
                ))
            }
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let resources = Resources::new("10m", "16Mi", "100m", "64Mi");
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &resources, &Security::helper()),
            args: vec![
                format!("--volume-dir={}", self.mount_path),
                format!(
                    "--webhook-url={}",
                    self.reload_url(spec).unwrap_or_default()
                ),
                "--webhook-method=POST".to_string(),
                format!("--web.listen-address=127.0.0.1:{METRICS_PORT}"),
            ],
            volume: VOLUME,
            mount_path: self.mount_path.clone(),
        });
        parts.add_volume(Volume::config_map(VOLUME, self.config_map.clone()));
        parts.add_app_mount(Mount::read_only(VOLUME, self.mount_path.clone()));
        parts.add_sidecar(spec.app.kube_version, name, context);
    }
}

/// The values `patterns/config-reloader.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security, restart policy.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// configmap-reload's arguments.
    pub(crate) args: Vec<String>,
    /// The ConfigMap's volume.
    pub(crate) volume: &'static str,
    /// Where the app (and the reloader) mount it.
    pub(crate) mount_path: String,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/config-reloader.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
