//! ambassador: a local proxy the app reaches on `localhost:LOCAL_PORT`, forwarding to an outside
//! `host:port`. Its configuration (HAProxy, TCP mode, re-resolving DNS) lives in a ConfigMap.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{
    Common, ConfigTemplate, ContainerContext, ContainerTemplate, DoneFile, PodParts, Security,
};
use crate::spec::{Resources, Spec};

/// Pinned HAProxy (runs unprivileged, logs to stdout).
pub(crate) const IMAGE: &str = "haproxy:3.0.5-alpine";
/// Where HAProxy reads its configuration.
pub(crate) const CONFIG_DIR: &str = "/usr/local/etc/haproxy";
/// Its configuration's key in the ConfigMap, and so its file name in [`CONFIG_DIR`].
pub(crate) const CONFIG_FILE: &str = "haproxy.cfg";

/// What the ambassador pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "ambassador",
    aliases: &[],
    lifecycle: Lifecycle::Sidecar,
    purpose: "Local proxy the app reaches on localhost, forwarding to an outside service",
    details: "HAProxy in TCP mode listens on 127.0.0.1:LOCAL_PORT and forwards to HOST:PORT, \
re-resolving its DNS name; its config lives in a ConfigMap. As a native sidecar it starts before \
the later init containers and the app, and a startup probe (`nc -z` inside the container, since \
the kubelet cannot reach 127.0.0.1) holds them back until it listens.",
    avoid: "When the app can reach the service directly and needs no discovery, TLS or \
protocol help: a proxy adds a hop and a container to run.",
    example: &["--ambassador", "5432=db.example.com:5432"],
    options: &[Opt {
        flag: "ambassador",
        value_name: "[LOCAL_PORT=]HOST:PORT",
        takes: Takes::Repeated,
        fallback: Fallback::Described("LOCAL_PORT: PORT"),
        help: "what the app reaches on localhost, and where it goes",
        example: "5432=db.example.com:5432",
    }],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "ambassador",
        description: "reach an outside service through a local proxy on localhost",
        questions: &[Question {
            flag: "ambassador",
            prompt: "Outside services to proxy, [LOCAL_PORT=]HOST:PORT, comma-separated",
            answer: Answer::List("give at least one HOST:PORT, e.g. db.example.com:5432"),
        }],
    }],
    from_flags: Some(from_flags),
};

/// One ambassador per `--ambassador`; the second and later are named after their host.
fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let mut ambassadors: Vec<Ambassador> = Vec::new();
    for text in flags.all("ambassador") {
        let (local, target) = match text.split_once('=') {
            Some((local, target)) => (
                Some(
                    crate::spec::values::parse_port(local)
                        .map_err(|rule| Error::invalid("--ambassador", text, rule))?,
                ),
                target,
            ),
            None => (None, text.as_str()),
        };
        let (host, port) = crate::spec::host_port(target, "--ambassador")?;
        let mut ambassador = Ambassador::new(&host, port, local);
        if !ambassadors.is_empty() {
            ambassador.name = Some(names::derived_label(&format!(
                "ambassador-{}",
                host.split('.').next().unwrap_or(&host)
            )));
            if ambassadors.iter().any(|a| a.name == ambassador.name) {
                ambassador.name = Some(names::derived_label(&format!(
                    "ambassador-{}",
                    ambassadors.len() + 1
                )));
            }
        }
        ambassadors.push(ambassador);
    }
    Ok(ambassadors.into_iter().map(Pattern::Ambassador).collect())
}

/// Options of the ambassador pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Ambassador {
    /// The outside service's host.
    pub(crate) host: String,
    /// The outside service's port.
    pub(crate) port: u32,
    /// The port the app connects to on localhost (default: the same as `port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) local_port: Option<u32>,
    /// Container name (default `ambassador`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// HAProxy image (default haproxy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

impl Ambassador {
    /// Forwards `localhost:local_port` to `host:port`.
    pub(crate) fn new(host: &str, port: u32, local_port: Option<u32>) -> Ambassador {
        Ambassador {
            host: host.into(),
            port,
            local_port,
            name: None,
            image: None,
        }
    }

    /// Whether the host is a DNS name, which HAProxy re-resolves while the pod runs.
    pub(crate) fn resolves(&self) -> bool {
        self.host.parse::<std::net::IpAddr>().is_err()
    }

    /// The port the app connects to.
    pub(crate) fn local_port(&self) -> u32 {
        self.local_port.unwrap_or(self.port)
    }
}

impl PatternKind for Ambassador {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        vec![self.local_port()]
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        names::host(&self.host).map_err(|rule| at.invalid("host", None, &self.host, rule))?;
        names::port_number(self.port)
            .map_err(|rule| at.invalid("port", None, &self.port.to_string(), rule))?;
        names::port_number(self.local_port())
            .map_err(|rule| at.invalid("localPort", None, &self.local_port().to_string(), rule))?;
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let config_map = names::derived_label(&format!("{}-{name}", spec.app.name));
        let volume = names::derived_label(&format!("{name}-config"));
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let resources = Resources::new("50m", "32Mi", "500m", "128Mi");
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &resources, &Security::helper()),
            done: DoneFile::default(),
            volume: volume.clone(),
            config_dir: CONFIG_DIR,
            config_file: format!("{CONFIG_DIR}/{CONFIG_FILE}"),
            local_port: self.local_port().to_string(),
            host: self.host.clone(),
            resolve: self.resolves(),
            startup_probe: false,
        });
        let config = HaproxyConfig {
            host: self.host.clone(),
            port: self.port,
            local_port: self.local_port(),
            resolve: self.resolves(),
        };
        parts.add_config_file(volume, config_map, CONFIG_FILE, config);
        parts.add_sidecar(spec.app.kube_version, name, context);
    }
}

/// The values `patterns/ambassador.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security, restart policy.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// A Job's done file before native sidecars.
    #[serde(flatten)]
    pub(crate) done: DoneFile,
    /// The volume of its ConfigMap.
    pub(crate) volume: String,
    /// Where the ConfigMap is mounted.
    pub(crate) config_dir: &'static str,
    /// The configuration file HAProxy reads, in `config_dir`.
    pub(crate) config_file: String,
    /// The port HAProxy listens on, on localhost.
    pub(crate) local_port: String,
    /// The outside host.
    pub(crate) host: String,
    /// Whether `host` is a DNS name that a start script resolves through the search path.
    pub(crate) resolve: bool,
    /// A startup probe holds the containers after it until HAProxy listens (native sidecars).
    pub(crate) startup_probe: bool,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/ambassador.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }

    fn make_native(&mut self) {
        self.startup_probe = true;
    }

    fn done_file_mut(&mut self) -> Option<&mut DoneFile> {
        Some(&mut self.done)
    }
}

/// The values `config/ambassador-haproxy.cfg.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HaproxyConfig {
    /// The outside host.
    pub(crate) host: String,
    /// Its port.
    pub(crate) port: u32,
    /// The port HAProxy listens on, on localhost.
    pub(crate) local_port: u32,
    /// Whether `host` is a DNS name resolved through the pod's search path.
    pub(crate) resolve: bool,
}

impl ConfigTemplate for HaproxyConfig {
    const TEMPLATE: &'static str = "config/ambassador-haproxy.cfg.tera";
}
