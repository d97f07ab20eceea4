//! Where log-shipper sends the logs: the backend's forms (`loki=URL`,
//! `elasticsearch=HOST:PORT`, `stdout`) and the URL checks that keep every value on one line of
//! fluent-bit's config (config-reloader's webhook URL uses them too).

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::names;

/// Where the logs go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "backend", rename_all = "kebab-case")]
pub(crate) enum Output {
    /// Grafana Loki's push API.
    Loki {
        /// `http[s]://HOST[:PORT][/PATH]`, e.g. `http://loki.monitoring:3100`.
        url: String,
    },
    /// Elasticsearch (or OpenSearch), daily `<app>-YYYY.MM.DD` indices.
    Elasticsearch {
        /// Host name or IP.
        host: String,
        /// Port (usually 9200).
        port: u32,
        /// Connect over TLS, verifying the server's certificate (`https://` on the command line).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        tls: bool,
    },
    /// fluent-bit's own stdout, as JSON lines (for trying it out).
    Stdout,
}

impl FromStr for Output {
    type Err = String;

    /// Parses `loki=URL`, `elasticsearch=HOST:PORT` or `stdout`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shapes =
            "must be loki=http[s]://HOST[:PORT], elasticsearch=[http[s]://]HOST:PORT or stdout";
        match text.split_once('=') {
            None if text == "stdout" => Ok(Output::Stdout),
            Some(("loki", url)) => Ok(Output::Loki { url: url.into() }),
            Some(("elasticsearch" | "es", target)) if target.contains("://") => {
                let endpoint = parse_url(target, 9200)?;
                if !endpoint.path.trim_end_matches('/').is_empty() {
                    return Err("must be http[s]://HOST[:PORT] with no path".into());
                }
                Ok(Output::Elasticsearch {
                    host: endpoint.host,
                    port: endpoint.port,
                    tls: endpoint.tls,
                })
            }
            Some(("elasticsearch" | "es", target)) => {
                if let Some((scheme, rest)) = target.split_once("://") {
                    return Err(format!(
                        "elasticsearch takes HOST:PORT, without a scheme: drop `{scheme}://`, \
                         as in `elasticsearch={rest}`"
                    ));
                }
                let (host, port) = target.rsplit_once(':').ok_or(shapes)?;
                let port = crate::spec::values::parse_port(port)?;
                Ok(Output::Elasticsearch {
                    host: host.into(),
                    port,
                    tls: false,
                })
            }
            _ => Err(shapes.into()),
        }
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Loki { url } => write!(f, "loki={url}"),
            Output::Elasticsearch {
                host,
                port,
                tls: true,
            } => write!(f, "elasticsearch=https://{host}:{port}"),
            Output::Elasticsearch { host, port, .. } => write!(f, "elasticsearch={host}:{port}"),
            Output::Stdout => f.write_str("stdout"),
        }
    }
}

/// A URL split into what fluent-bit's outputs take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Endpoint {
    /// Use TLS.
    pub(crate) tls: bool,
    /// Host name or IP.
    pub(crate) host: String,
    /// Port.
    pub(crate) port: u32,
    /// Path, empty for the backend's default.
    pub(crate) path: String,
}

/// Parses `http[s]://HOST[:PORT][/PATH]`, refusing anything a config line could not hold.
pub(crate) fn parse_url(url: &str, default_port: u32) -> Result<Endpoint, String> {
    let shape = "must be http[s]://HOST[:PORT][/PATH], e.g. `http://loki:3100`";
    let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(shape.into());
    };
    let (authority, path) = match rest.find('/') {
        Some(index) => rest.split_at(index),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, crate::spec::values::parse_port(port)?),
        None => (authority, if tls { 443 } else { default_port }),
    };
    names::host(host)?;
    if !path.is_empty() {
        names::http_path(path)?;
        if path.contains(['?', '#']) {
            return Err("must not have a query or fragment".into());
        }
    }
    Ok(Endpoint {
        tls,
        host: host.into(),
        port,
        path: path.into(),
    })
}

/// fluent-bit's loki output posts to `host:port` + `uri`, and `uri` defaults to Loki's push
/// path. Users give Loki's base URL (as in Grafana) or its push URL (as in Promtail), often
/// with a trailing slash: both mean the push path, never `/`.
pub(crate) fn loki_push_path(path: &str) -> String {
    const PUSH: &str = "/loki/api/v1/push";
    let path = path.trim_end_matches('/');
    if path.ends_with(PUSH) {
        path.to_string()
    } else {
        format!("{path}{PUSH}")
    }
}

impl Output {
    /// Where fluent-bit sends the lines, as its config file says it; `credentials` when a user
    /// name and password go with each request.
    pub(crate) fn config(&self, credentials: bool) -> OutputConfig {
        match self {
            Output::Loki { url } => {
                let endpoint = parse_url(url, 3100).ok().map(|mut endpoint| {
                    endpoint.path = loki_push_path(&endpoint.path);
                    endpoint
                });
                OutputConfig::Loki {
                    endpoint,
                    credentials,
                }
            }
            Output::Elasticsearch { host, port, tls } => OutputConfig::Elasticsearch {
                endpoint: Endpoint {
                    tls: *tls,
                    host: host.clone(),
                    port: *port,
                    path: String::new(),
                },
                credentials,
            },
            Output::Stdout => OutputConfig::Stdout,
        }
    }
}

/// A fluent-bit output, by backend.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "backend", rename_all = "lowercase")]
pub(crate) enum OutputConfig {
    /// Loki's push API.
    Loki {
        /// Its URL, split.
        endpoint: Option<Endpoint>,
        /// Whether a user name and password go with each request.
        credentials: bool,
    },
    /// Elasticsearch.
    Elasticsearch {
        /// Its address.
        endpoint: Endpoint,
        /// Whether a user name and password go with each request.
        credentials: bool,
    },
    /// The shipper's own stdout.
    Stdout,
}
