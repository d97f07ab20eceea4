//! wait-for: an init container that blocks until `host:port` accepts TCP connections, and fails
//! after a deadline so a missing dependency shows as a restarting pod instead of a stuck one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{
    number_default, Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Overrides, Pattern, PatternKind, BUSYBOX};
use crate::plan::{Common, ContainerContext, ContainerTemplate, PodParts, Security};
use crate::spec::{Resources, Spec};

/// Pinned busybox: its `nc` supports `-z` and `-w`.
pub(crate) const IMAGE: &str = BUSYBOX;
number_default! {
    /// Seconds to wait when none is given.
    DEFAULT_TIMEOUT_SECONDS, DEFAULT_TIMEOUT = 300
}

/// What the wait-for pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "wait-for",
    aliases: &[],
    lifecycle: Lifecycle::Init,
    purpose: "Init container that blocks until a TCP dependency accepts connections",
    details: "Polls HOST:PORT with busybox `nc -z` every 2 seconds and exits non-zero after \
a deadline, so a missing dependency shows as a restarting pod, not one stuck forever. One init \
container per dependency, in the order given.",
    avoid: "When the app already retries its connections (most database drivers and HTTP \
clients do): an init container only delays the start. It checks that a port is open, not that \
the service behind it is ready.",
    example: &["--wait-for", "postgres:5432"],
    options: &[
        Opt {
            flag: "wait-for",
            value_name: "HOST:PORT",
            takes: Takes::Repeated,
            fallback: Fallback::Required,
            help: "the dependency to wait for",
            example: "postgres:5432",
        },
        Opt {
            flag: "wait-timeout",
            value_name: "SECONDS",
            takes: Takes::One,
            fallback: Fallback::Value(DEFAULT_TIMEOUT),
            help: "how long each waits before failing",
            example: "120",
        },
    ],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "wait-for",
        description: "wait until a database or API accepts connections before the app starts",
        questions: &[
            Question {
                flag: "wait-for",
                prompt: "Dependencies to wait for, HOST:PORT, comma-separated",
                answer: Answer::List("give at least one HOST:PORT, e.g. postgres:5432"),
            },
            Question {
                flag: "wait-timeout",
                prompt: "Seconds to wait for each before the pod fails",
                answer: Answer::Optional { suggest: None },
            },
        ],
    }],
    from_flags: Some(from_flags),
};

/// One init container per `--wait-for`, each with `--wait-timeout`; two on one host get the
/// port in their name.
fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let timeout =
        match flags.one("wait-timeout") {
            Some(text) => Some(text.trim_end_matches('s').parse::<u32>().map_err(|_| {
                Error::invalid("--wait-timeout", text, "must be a number of seconds")
            })?),
            None => None,
        };
    let mut waits: Vec<WaitFor> = Vec::new();
    for text in flags.all("wait-for") {
        let (host, port) = crate::spec::host_port(text, "--wait-for")?;
        let mut wait = WaitFor::new(&host, port);
        if let Some(seconds) = timeout {
            wait.timeout_seconds = seconds;
        }
        if waits
            .iter()
            .any(|w| w.derived_name() == wait.derived_name())
        {
            wait.name = Some(names::derived_label(&format!(
                "{}-{port}",
                wait.derived_name()
            )));
        }
        waits.push(wait);
    }
    Ok(waits.into_iter().map(Pattern::WaitFor).collect())
}

/// Options of the wait-for pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct WaitFor {
    /// The dependency's host: a DNS name or IP address.
    pub(crate) host: String,
    /// The dependency's TCP port.
    pub(crate) port: u32,
    /// Seconds to wait before failing (default 300).
    #[serde(default = "default_timeout")]
    pub(crate) timeout_seconds: u32,
    /// Container name (default `wait-for-<host>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Image with `sh` and `nc` (default busybox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

fn default_timeout() -> u32 {
    DEFAULT_TIMEOUT_SECONDS
}

impl WaitFor {
    /// Waits for `host:port` with the default timeout.
    pub(crate) fn new(host: &str, port: u32) -> WaitFor {
        WaitFor {
            host: host.into(),
            port,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            name: None,
            image: None,
        }
    }

    /// The name derived from the host: `wait-for-<first label>`.
    pub(crate) fn derived_name(&self) -> String {
        let first = if self.host.parse::<std::net::IpAddr>().is_ok() {
            self.host.as_str()
        } else {
            self.host.split('.').next().unwrap_or(&self.host)
        };
        names::derived_label(&format!("wait-for-{first}"))
    }
}

impl PatternKind for WaitFor {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn default_name(&self) -> String {
        self.derived_name()
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        names::host(&self.host).map_err(|rule| at.invalid("host", None, &self.host, rule))?;
        names::port_number(self.port)
            .map_err(|rule| at.invalid("port", None, &self.port.to_string(), rule))?;
        if !(1..=86_400).contains(&self.timeout_seconds) {
            return Err(at.invalid(
                "timeoutSeconds",
                Some("--wait-timeout"),
                &self.timeout_seconds.to_string(),
                "must be from 1 to 86400 seconds",
            ));
        }
        Ok(())
    }

    fn contribute(&self, _spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &helper_resources(), &Security::helper()),
            host: self.host.clone(),
            port: self.port.to_string(),
            timeout_seconds: self.timeout_seconds.to_string(),
        });
        parts.add_init(name, context);
    }
}

/// Requests and limits of a small shell helper.
pub(crate) fn helper_resources() -> Resources {
    Resources::new("10m", "16Mi", "100m", "64Mi")
}

/// The values `patterns/wait-for.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The host to reach.
    pub(crate) host: String,
    /// Its port, as the script's argument.
    pub(crate) port: String,
    /// How long to wait, in seconds, as the script's argument.
    pub(crate) timeout_seconds: String,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/wait-for.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
