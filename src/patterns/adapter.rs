//! adapter: an exporter beside the app that reads the app's own status output over localhost
//! and serves it as Prometheus metrics on its own port (`/metrics`), exposed by the Service.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{
    Common, ContainerContext, ContainerPlan, ContainerTemplate, PodParts, Role, Security,
    ServicePort,
};
use crate::spec::{Resources, Spec};

/// The exporters podsmith knows, each a pinned image with its conventional port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Exporter {
    /// nginx `stub_status` → Prometheus (nginx-prometheus-exporter).
    Nginx,
    /// Apache `server-status` → Prometheus (apache_exporter).
    Apache,
    /// Redis `INFO` → Prometheus (redis_exporter).
    Redis,
    /// StatsD (the app sends to localhost:9125/udp) → Prometheus (statsd_exporter).
    Statsd,
}

impl Exporter {
    /// Every exporter, as help texts list them.
    pub(crate) const ALL: [Exporter; 4] = [
        Exporter::Nginx,
        Exporter::Apache,
        Exporter::Redis,
        Exporter::Statsd,
    ];

    /// The name used in flags and spec files.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Exporter::Nginx => "nginx",
            Exporter::Apache => "apache",
            Exporter::Redis => "redis",
            Exporter::Statsd => "statsd",
        }
    }

    /// The pinned image.
    pub(crate) fn image(self) -> &'static str {
        match self {
            Exporter::Nginx => "nginx/nginx-prometheus-exporter:1.3.0",
            Exporter::Apache => "quay.io/prometheuscommunity/apache-exporter:v1.0.9",
            Exporter::Redis => "oliver006/redis_exporter:v1.66.0",
            Exporter::Statsd => "prom/statsd-exporter:v0.27.2",
        }
    }

    /// The port it serves `/metrics` on.
    pub(crate) fn metrics_port(self) -> u32 {
        match self {
            Exporter::Nginx => 9113,
            Exporter::Apache => 9117,
            Exporter::Redis => 9121,
            Exporter::Statsd => 9102,
        }
    }

    /// The app port it scrapes when none is given and the app has no port.
    /// What the exporter reads from the app.
    fn status(self) -> &'static str {
        match self {
            Exporter::Nginx => "nginx's stub_status page (/stub_status)",
            Exporter::Apache => "Apache's mod_status page (/server-status?auto)",
            Exporter::Redis => "Redis",
            Exporter::Statsd => "statsd metrics",
        }
    }

    /// What the app must serve (or, for statsd, send) for the exporter to read it, at `port`.
    pub(crate) fn requirement(self, port: u32) -> String {
        match self {
            Exporter::Nginx => format!(
                "the app must serve nginx's stub_status at http://127.0.0.1:{port}/stub_status \
(location = /stub_status {{ stub_status; }})"
            ),
            Exporter::Apache => format!(
                "the app must serve Apache's mod_status at http://127.0.0.1:{port}/server-status?auto \
(<Location \"/server-status\"> SetHandler server-status </Location>)"
            ),
            Exporter::Redis => format!("the app must be Redis listening on 127.0.0.1:{port}"),
            Exporter::Statsd => format!(
                "the app must send its statsd metrics over UDP to 127.0.0.1:{port}"
            ),
        }
    }

    /// Its command-line arguments, scraping the app on `app_port`.
    fn args(self, app_port: u32) -> Vec<String> {
        match self {
            Exporter::Nginx => vec![format!(
                "--nginx.scrape-uri=http://127.0.0.1:{app_port}/stub_status"
            )],
            Exporter::Apache => vec![format!(
                "--scrape_uri=http://127.0.0.1:{app_port}/server-status?auto"
            )],
            Exporter::Redis => vec![format!("--redis.addr=redis://127.0.0.1:{app_port}")],
            Exporter::Statsd => vec![
                format!("--statsd.listen-udp=127.0.0.1:{app_port}"),
                "--statsd.listen-tcp=".into(),
            ],
        }
    }
}

/// Where the statsd exporter listens for the app's metrics when no port is given: statsd's own
/// default.
const STATSD_PORT: u32 = 9125;

impl fmt::Display for Exporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Exporter {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Exporter::ALL
            .into_iter()
            .find(|e| e.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Exporter::ALL.iter().map(|e| e.name()).collect();
                format!("must be one of {}", names.join(", "))
            })
    }
}

/// What the adapter pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "adapter",
    aliases: &[],
    lifecycle: Lifecycle::App,
    purpose: "Exporter that serves the app's metrics in Prometheus format on its own port",
    details: "A Prometheus exporter (nginx, apache, redis, statsd) reads the app's status \
over localhost and serves /metrics on its own port, exposed by the Service as `metrics`. The \
app must serve what the exporter reads, on --adapter-scrape-port (default: the app's first \
port; podsmith never guesses one): nginx its stub_status page at /stub_status \
(`location = /stub_status { stub_status; }`), Apache its mod_status page at \
/server-status?auto, Redis itself; with statsd the app sends its metrics over UDP to \
127.0.0.1:9125 (or the port given). The pod's `podsmith/adapter-needs` annotation says which.",
    avoid: "When the app already serves Prometheus metrics: scrape it directly.",
    example: &["--adapter", "nginx"],
    options: &[
        Opt {
            flag: "adapter",
            value_name: "EXPORTER",
            takes: Takes::One,
            fallback: Fallback::Required,
            help: "nginx (reads /stub_status), apache (reads /server-status?auto), redis or \
statsd (receives UDP)",
            example: "nginx",
        },
        Opt {
            flag: "adapter-scrape-port",
            value_name: "PORT",
            takes: Takes::One,
            fallback: Fallback::Described("the app's first port; 9125 for statsd"),
            help: "the app port it reads (statsd: the UDP port it listens on for the app)",
            example: "8080",
        },
    ],
    related: &[],
    unsuitable: &crate::patterns::declaration::batch(
        "its pods are too short-lived to scrape: push metrics to a Pushgateway from the app \
instead",
    ),
    requires: None,
    wizard: &[Choice {
        label: "adapter",
        description: "serve the app's metrics to Prometheus (nginx, apache, redis, statsd)",
        questions: &[
            Question {
                flag: "adapter",
                prompt: "Which exporter reads the app's metrics",
                answer: Answer::Select(|| Exporter::ALL.map(|e| (e.name(), e.image())).to_vec()),
            },
            Question {
                flag: "adapter-scrape-port",
                prompt: "Port of the app the exporter scrapes",
                answer: Answer::Optional {
                    suggest: Some(first_app_port),
                },
            },
        ],
    }],
    from_flags: Some(from_flags),
};

/// The app's first port number, as the wizard's answers give it.
fn first_app_port(answers: &NewArgs) -> Option<String> {
    answers
        .ports
        .first()
        .and_then(|port| port.parse::<crate::spec::Port>().ok())
        .map(|port| port.container_port.to_string())
}

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let Some(exporter) = flags.one("adapter") else {
        return Ok(Vec::new());
    };
    let exporter: Exporter = exporter
        .parse()
        .map_err(|rule| Error::invalid("--adapter", exporter, rule))?;
    let scrape_port = match flags.one("adapter-scrape-port") {
        Some(text) => Some(
            crate::spec::values::parse_port(text)
                .map_err(|rule| Error::invalid("--adapter-scrape-port", text, rule))?,
        ),
        None => None,
    };
    Ok(vec![Pattern::Adapter(Adapter::new(exporter, scrape_port))])
}

/// Options of the adapter pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Adapter {
    /// Which exporter.
    pub(crate) exporter: Exporter,
    /// The app port it reads from (default: the app's first port, or the exporter's usual one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scrape_port: Option<u32>,
    /// Container name (default `<exporter>-exporter`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Exporter image (default: the pinned one for the exporter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

impl Adapter {
    /// An adapter of `exporter` with its defaults.
    pub(crate) fn new(exporter: Exporter, scrape_port: Option<u32>) -> Adapter {
        Adapter {
            exporter,
            scrape_port,
            name: None,
            image: None,
        }
    }

    /// The app port it reads: the given one, else the app's first port. statsd listens on its
    /// own port instead, 9125 unless given. `None` when nothing says which port the app
    /// serves its status on: podsmith does not guess it.
    pub(crate) fn scrape_port(&self, spec: &Spec) -> Option<u32> {
        self.scrape_port.or_else(|| match self.exporter {
            Exporter::Statsd => Some(STATSD_PORT),
            _ => spec.app.ports.first().map(|p| p.container_port),
        })
    }
}

impl PatternKind for Adapter {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn default_name(&self) -> String {
        format!("{}-exporter", self.exporter)
    }

    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        let mut ports = vec![self.exporter.metrics_port()];
        if self.exporter == Exporter::Statsd {
            ports.extend(self.scrape_port(_spec));
        }
        ports
    }

    fn check(&self, spec: &Spec, at: &At) -> Result<()> {
        if self.scrape_port(spec).is_none() {
            return Err(Error::Usage(format!(
                "the {} adapter needs the port the app serves {} on: podsmith does not guess it; add {}",
                self.exporter,
                self.exporter.status(),
                at.name("scrapePort", Some("--adapter-scrape-port")),
            )));
        }
        if let Some(port) = self.scrape_port {
            names::port_number(port).map_err(|rule| {
                at.invalid(
                    "scrapePort",
                    Some("--adapter-scrape-port"),
                    &port.to_string(),
                    rule,
                )
            })?;
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(self.exporter.image());
        let resources = Resources::new("10m", "32Mi", "200m", "64Mi");
        let port = self.scrape_port(spec).unwrap_or(STATSD_PORT);
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &resources, &Security::helper()),
            args: self.exporter.args(port),
            metrics_port: self.exporter.metrics_port(),
        });
        parts.service_ports.push(ServicePort {
            target: "metrics".into(),
            name: "metrics".into(),
            port: self.exporter.metrics_port(),
            protocol: "TCP",
            // The name `metrics` says nothing of the protocol; Prometheus scrapes over HTTP.
            app_protocol: Some("http"),
        });
        parts.colocated.push(ContainerPlan {
            name,
            role: Role::App,
            context,
        });
    }
}

/// The values `patterns/adapter.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The exporter's arguments: where it reads the app.
    pub(crate) args: Vec<String>,
    /// The port it serves `/metrics` on.
    pub(crate) metrics_port: u32,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/adapter.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
