//! proxy: a service-mesh-style Envoy sidecar in front of the app. Envoy listens on the proxy
//! port on every interface and forwards HTTP to the app on 127.0.0.1; the Service targets the
//! proxy port, so the app's port is reached only through the proxy. Config in a ConfigMap.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{
    number_default, Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Related, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{
    Common, ConfigTemplate, ContainerContext, ContainerTemplate, PodParts, Security,
};
use crate::spec::{Protocol, Resources, Spec};

/// Pinned Envoy.
pub(crate) const IMAGE: &str = "envoyproxy/envoy:v1.31.2";
number_default! {
    /// The port the proxy listens on when none is given (a mesh's usual inbound port).
    DEFAULT_PORT, DEFAULT_PORT_TEXT = 15006
}
/// Envoy's admin interface, on localhost only.
pub(crate) const ADMIN_PORT: u32 = 15000;
/// Where the ConfigMap is mounted.
pub(crate) const CONFIG_DIR: &str = "/etc/envoy/podsmith";
/// Envoy's configuration's key in the ConfigMap, and so its file name in [`CONFIG_DIR`].
pub(crate) const CONFIG_FILE: &str = "envoy.yaml";
/// The proxy's container port name, which the Service targets.
pub(crate) const PORT_NAME: &str = "proxy";

/// What the proxy pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "proxy",
    aliases: &[],
    lifecycle: Lifecycle::Sidecar,
    purpose: "Service-mesh-style Envoy sidecar that receives the app's traffic",
    details: "Envoy listens on the proxy port on every interface and forwards HTTP \
(HTTP/1.1 and h2c) to the app on 127.0.0.1, logging each request; its config lives in a \
ConfigMap and its admin port stays on localhost. The Service targets the proxy port, so the \
app's port is reached only through the proxy. As a native sidecar it starts before the app and \
a startup probe on its port holds the app back until it listens.",
    avoid: "When a mesh (Istio, Linkerd) already injects a proxy, or the app speaks a \
non-HTTP protocol: use an ambassador or a TCP proxy instead.",
    example: &["--proxy", DEFAULT_PORT_TEXT],
    options: &[Opt {
        flag: "proxy",
        value_name: "PORT",
        takes: Takes::Optional,
        fallback: Fallback::Value(DEFAULT_PORT_TEXT),
        help: "the port the proxy listens on and the Service targets",
        example: "8443",
    }],
    related: &[Related {
        usage: "--port PORT",
        default: "required",
        help: "the app port it forwards to (the first TCP one)",
    }],
    unsuitable: &crate::patterns::declaration::batch(crate::patterns::declaration::RUNS_ONCE),
    requires: None,
    wizard: &[Choice {
        label: "proxy",
        description: "put an Envoy proxy in front of the app that logs every request",
        questions: &[Question {
            flag: "proxy",
            prompt: "Port the proxy listens on (the Service targets it)",
            answer: Answer::Optional { suggest: None },
        }],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let Some(text) = flags.one("proxy") else {
        return Ok(Vec::new());
    };
    let port = crate::spec::values::parse_port(text)
        .map_err(|rule| Error::invalid("--proxy", text, rule))?;
    Ok(vec![Pattern::Proxy(Proxy::new(port))])
}

/// Options of the proxy pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Proxy {
    /// The port the proxy listens on and the Service targets (default 15006).
    #[serde(default = "default_port")]
    pub(crate) port: u32,
    /// Container name (default `proxy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Envoy image (default: the pinned release).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

fn default_port() -> u32 {
    DEFAULT_PORT
}

impl Proxy {
    /// A proxy listening on `port`.
    pub(crate) fn new(port: u32) -> Proxy {
        Proxy {
            port,
            name: None,
            image: None,
        }
    }

    /// The app port it forwards to: the app's first TCP port.
    pub(crate) fn app_port(spec: &Spec) -> Option<u32> {
        spec.app
            .ports
            .iter()
            .find(|p| p.protocol == Protocol::Tcp)
            .map(|p| p.container_port)
    }
}

impl PatternKind for Proxy {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        vec![self.port, ADMIN_PORT]
    }

    fn check(&self, spec: &Spec, at: &At) -> Result<()> {
        names::port_number(self.port)
            .map_err(|rule| at.invalid("port", None, &self.port.to_string(), rule))?;
        if Proxy::app_port(spec).is_none() {
            return Err(at.invalid(
                "port",
                None,
                &self.port.to_string(),
                "the proxy forwards to the app's TCP port: add --port",
            ));
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let Some(app_port) = Proxy::app_port(spec) else {
            return;
        };
        let name = self.container_name();
        let config_map = names::derived_label(&format!("{}-{name}", spec.app.name));
        let volume = names::derived_label(&format!("{name}-config"));
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let resources = Resources::new("50m", "64Mi", "500m", "256Mi");
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &resources, &Security::helper()),
            volume: volume.clone(),
            config_dir: CONFIG_DIR,
            config_file: format!("{CONFIG_DIR}/{CONFIG_FILE}"),
            port: self.port,
            port_name: PORT_NAME,
            startup_probe: false,
        });
        let config = EnvoyConfig {
            port: self.port,
            admin_port: ADMIN_PORT,
            app_port,
        };
        parts.add_config_file(volume, config_map, CONFIG_FILE, config);
        parts.proxied_port = Some((app_port, PORT_NAME.into(), self.port));
        parts.add_sidecar(spec.app.kube_version, name, context);
    }
}

/// The values `patterns/proxy.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security, restart policy.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The volume of its ConfigMap.
    pub(crate) volume: String,
    /// Where the ConfigMap is mounted.
    pub(crate) config_dir: &'static str,
    /// The configuration file Envoy reads, in `config_dir`.
    pub(crate) config_file: String,
    /// The port Envoy receives the pod's traffic on.
    pub(crate) port: u32,
    /// Its name.
    pub(crate) port_name: &'static str,
    /// A startup probe holds the app back until Envoy listens (native sidecars).
    pub(crate) startup_probe: bool,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/proxy.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }

    fn make_native(&mut self) {
        self.startup_probe = true;
    }
}

/// The values `config/proxy-envoy.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EnvoyConfig {
    /// The port Envoy receives the pod's traffic on.
    pub(crate) port: u32,
    /// Envoy's admin port, on localhost.
    pub(crate) admin_port: u32,
    /// The app's port it forwards to, on localhost.
    pub(crate) app_port: u32,
}

impl ConfigTemplate for EnvoyConfig {
    const TEMPLATE: &'static str = "config/proxy-envoy.yaml.tera";
}
