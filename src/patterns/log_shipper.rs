//! log-shipper: fluent-bit beside the app tails the log files the app writes on a shared
//! emptyDir and forwards them to a backend (Loki, Elasticsearch, or stdout). Its config lives
//! in a ConfigMap; every value that reaches the config file is checked here, so no value can
//! end a line and add a directive.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::log_sidecar::{
    folder_of, SIZE_LIMIT as LOGS_SIZE_LIMIT, VOLUME as LOGS_VOLUME,
};
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{
    Common, ConfigTemplate, ContainerContext, ContainerTemplate, DoneFile, Mount, PodParts,
    Security, Volume,
};
use crate::spec::{Resources, Spec};

mod backend;

pub(crate) use backend::Output;
pub(crate) use backend::{parse_url, OutputConfig};

/// Pinned fluent-bit (distroless).
pub(crate) const IMAGE: &str = "cr.fluentbit.io/fluent/fluent-bit:3.1.9";
/// The same release with a shell, for the Job workaround before native sidecars.
pub(crate) const IMAGE_WITH_SHELL: &str = "cr.fluentbit.io/fluent/fluent-bit:3.1.9-debug";
/// The files shipped when none are given.
pub(crate) const DEFAULT_PATH: &str = "/var/log/app/*.log";
/// Where the ConfigMap is mounted.
pub(crate) const CONFIG_DIR: &str = "/fluent-bit/etc/podsmith";
/// fluent-bit's configuration's key in the ConfigMap, and so its file name in [`CONFIG_DIR`].
pub(crate) const CONFIG_FILE: &str = "fluent-bit.conf";
/// Where fluent-bit keeps its read positions.
pub(crate) const STATE_DIR: &str = "/var/lib/fluent-bit";
/// The emptyDir holding the read positions.
pub(crate) const STATE_VOLUME: &str = "log-shipper-state";

/// What the log-shipper pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "log-shipper",
    aliases: &[],
    lifecycle: Lifecycle::Sidecar,
    purpose: "Sidecar that ships the app's log files to a backend with fluent-bit",
    details: "fluent-bit tails the files the app writes on a shared emptyDir (remembering \
its position in a second emptyDir) and forwards them to Loki, Elasticsearch or stdout; its \
config lives in a ConfigMap. Every value that reaches the config file is checked, so no value \
can add a line to it. A Loki URL may be the base or the push URL, with or without a trailing \
slash: fluent-bit posts to /loki/api/v1/push below it. `https://` turns TLS on with the \
certificate verified; --log-shipper-secret names a basic-auth Secret whose `username` and \
`password` reach fluent-bit as env vars, never in the manifest. Reading the app's files works \
as for log-sidecar (a shared fsGroup, files written 0640 or wider); the log volume holds at \
most 1Gi.",
    avoid: "When a node-level agent (a fluent-bit or Vector DaemonSet) already collects \
container stdout: log to stdout instead, one agent per node costs less than one per pod.",
    example: &["--log-shipper", "loki=http://loki:3100"],
    options: &[
        Opt {
            flag: "log-shipper",
            value_name: "BACKEND",
            takes: Takes::One,
            fallback: Fallback::Required,
            help: "loki=http[s]://HOST[:PORT][/PATH] (Loki's base or push URL), \
elasticsearch=[http[s]://]HOST:PORT or stdout",
            example: "loki=http://loki:3100",
        },
        Opt {
            flag: "log-shipper-secret",
            value_name: "SECRET",
            takes: Takes::One,
            fallback: Fallback::Described("no credentials"),
            help: "a Secret with `username` and `password` keys (type kubernetes.io/basic-auth) \
for the backend's basic authentication; read from the environment, never written in the \
manifest",
            example: "es-credentials",
        },
        Opt {
            flag: "log-shipper-path",
            value_name: "GLOB",
            takes: Takes::One,
            fallback: Fallback::Value(DEFAULT_PATH),
            help: "the files the app writes (a glob in the file name only)",
            example: "/var/log/nginx/*.log",
        },
    ],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "log-shipper",
        description: "ship the app's log files to Loki or Elasticsearch with fluent-bit",
        questions: &[
            Question {
                flag: "log-shipper",
                prompt: "Where the logs go: loki=URL, elasticsearch=HOST:PORT or stdout",
                answer: Answer::Required("give the backend, e.g. loki=http://loki:3100"),
            },
            Question {
                flag: "log-shipper-path",
                prompt: "Log files the app writes (a glob in the file name)",
                answer: Answer::Optional { suggest: None },
            },
        ],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let Some(text) = flags.one("log-shipper") else {
        return Ok(Vec::new());
    };
    let output: Output = text
        .parse()
        .map_err(|rule: String| Error::invalid("--log-shipper", text, rule))?;
    let path = flags.one("log-shipper-path").unwrap_or(DEFAULT_PATH);
    let mut shipper = LogShipper::new(output, path);
    shipper.credentials_secret = flags.one("log-shipper-secret").map(String::from);
    Ok(vec![Pattern::LogShipper(shipper)])
}

/// Options of the log-shipper pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LogShipper {
    /// Where the logs go.
    pub(crate) output: Output,
    /// The files the app writes: an absolute path, a glob allowed in the file name only
    /// (default `/var/log/app/*.log`). Their folder is shared with the app.
    #[serde(default = "default_path")]
    pub(crate) path: String,
    /// Container name (default `log-shipper`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// fluent-bit image (default: the pinned release).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
    /// A Secret with `username` and `password` keys (type `kubernetes.io/basic-auth`) for the
    /// backend's basic authentication, passed to fluent-bit as environment variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) credentials_secret: Option<String>,
}

/// The most the read-position database may grow to: a few kilobytes per file in practice.
pub(crate) const STATE_SIZE_LIMIT: &str = "16Mi";

/// The environment variables fluent-bit reads the credentials from (`${NAME}` in its config).
pub(crate) const USERNAME_ENV: &str = "LOG_SHIPPER_USERNAME";
/// See [`USERNAME_ENV`].
pub(crate) const PASSWORD_ENV: &str = "LOG_SHIPPER_PASSWORD";

fn default_path() -> String {
    DEFAULT_PATH.into()
}

impl LogShipper {
    /// Ships `path` to `output`.
    pub(crate) fn new(output: Output, path: &str) -> LogShipper {
        LogShipper {
            output,
            path: path.into(),
            name: None,
            image: None,
            credentials_secret: None,
        }
    }

    /// The folder shared between the app and the shipper.
    pub(crate) fn dir(&self) -> &str {
        folder_of(&self.path)
    }
}

impl PatternKind for LogShipper {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        if let Some(secret) = &self.credentials_secret {
            let flag = Some("--log-shipper-secret");
            names::dns_subdomain(secret)
                .map_err(|rule| at.invalid("credentialsSecret", flag, secret, rule))?;
            if self.output == Output::Stdout {
                return Err(at.invalid(
                    "credentialsSecret",
                    flag,
                    secret,
                    "stdout takes no credentials: ship to loki= or elasticsearch=",
                ));
            }
        }
        let path_flag = Some("--log-shipper-path");
        names::absolute_path(&self.path)
            .map_err(|rule| at.invalid("path", path_flag, &self.path, rule))?;
        let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/*".contains(c);
        if !self.path.chars().all(allowed) {
            return Err(at.invalid(
                "path",
                path_flag,
                &self.path,
                "may hold only letters, digits, `.`, `_`, `-`, `/` and `*`",
            ));
        }
        if self.dir() == "/" || self.dir().contains('*') || self.path.ends_with('/') {
            return Err(at.invalid(
                "path",
                path_flag,
                &self.path,
                "must be files inside a folder, a glob in the file name only, such as \
                 `/var/log/app/*.log`",
            ));
        }
        match &self.output {
            Output::Loki { url } => {
                parse_url(url, 3100).map_err(|rule| at.invalid("output.url", None, url, rule))?;
            }
            Output::Elasticsearch { host, port, .. } => {
                names::host(host).map_err(|rule| at.invalid("output.host", None, host, rule))?;
                names::port_number(*port)
                    .map_err(|rule| at.invalid("output.port", None, &port.to_string(), rule))?;
            }
            Output::Stdout => {}
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let needs_shell = crate::batch::needs_done_file(spec);
        let default_image = if needs_shell { IMAGE_WITH_SHELL } else { IMAGE };
        let image = self.image.as_deref().unwrap_or(default_image);
        let config_map = names::derived_label(&format!("{}-{name}", spec.app.name));
        let config_volume = names::derived_label(&format!("{name}-config"));
        let resources = Resources::new("20m", "32Mi", "200m", "128Mi");
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &resources, &Security::helper()),
            done: DoneFile::default(),
            argv: vec![
                "/fluent-bit/bin/fluent-bit".to_string(),
                "--config".to_string(),
                format!("{CONFIG_DIR}/{CONFIG_FILE}"),
            ],
            logs_volume: LOGS_VOLUME,
            logs_dir: self.dir().to_string(),
            config_volume: config_volume.clone(),
            config_dir: CONFIG_DIR,
            state_volume: STATE_VOLUME,
            state_dir: STATE_DIR,
            credentials_secret: self.credentials_secret.clone(),
            username_env: USERNAME_ENV,
            password_env: PASSWORD_ENV,
        });
        parts.add_volume(Volume::bounded_empty_dir(LOGS_VOLUME, LOGS_SIZE_LIMIT));
        parts.add_volume(Volume::bounded_empty_dir(STATE_VOLUME, STATE_SIZE_LIMIT));
        parts.add_app_mount(Mount::writable(LOGS_VOLUME, self.dir()));
        let config = FluentBitConfig {
            app: spec.app.name.clone(),
            path: self.path.clone(),
            state_dir: STATE_DIR,
            output: self.output.config(self.credentials_secret.is_some()),
        };
        parts.add_config_file(config_volume, config_map, CONFIG_FILE, config);
        parts.add_sidecar(spec.app.kube_version, name, context);
    }
}

/// The values `patterns/log-shipper.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security, restart policy.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// A Job's done file before native sidecars.
    #[serde(flatten)]
    pub(crate) done: DoneFile,
    /// fluent-bit's command.
    pub(crate) argv: Vec<String>,
    /// The volume of the app's logs.
    pub(crate) logs_volume: &'static str,
    /// Their folder.
    pub(crate) logs_dir: String,
    /// The volume of its ConfigMap.
    pub(crate) config_volume: String,
    /// Where the ConfigMap is mounted.
    pub(crate) config_dir: &'static str,
    /// The volume of its read positions.
    pub(crate) state_volume: &'static str,
    /// Where they are kept.
    pub(crate) state_dir: &'static str,
    /// The Secret of the backend's user name and password, if any.
    pub(crate) credentials_secret: Option<String>,
    /// The environment variable of the user name.
    pub(crate) username_env: &'static str,
    /// The environment variable of the password.
    pub(crate) password_env: &'static str,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/log-shipper.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }

    fn done_file_mut(&mut self) -> Option<&mut DoneFile> {
        Some(&mut self.done)
    }
}

/// The values `config/log-shipper-fluent-bit.conf.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FluentBitConfig {
    /// The app's name, a label of every line.
    pub(crate) app: String,
    /// The log files it tails.
    pub(crate) path: String,
    /// Where read positions are kept.
    pub(crate) state_dir: &'static str,
    /// Where the lines go.
    pub(crate) output: OutputConfig,
}

impl ConfigTemplate for FluentBitConfig {
    const TEMPLATE: &'static str = "config/log-shipper-fluent-bit.conf.tera";
}

#[cfg(test)]
mod tests {
    use super::backend::loki_push_path;
    use super::*;

    #[test]
    fn parses_backends() {
        assert_eq!("stdout".parse(), Ok(Output::Stdout));
        assert_eq!(
            "elasticsearch=es.logging:9200".parse(),
            Ok(Output::Elasticsearch {
                host: "es.logging".into(),
                port: 9200,
                tls: false,
            })
        );
        assert_eq!(
            "elasticsearch=https://es.logging".parse(),
            Ok(Output::Elasticsearch {
                host: "es.logging".into(),
                port: 443,
                tls: true,
            })
        );
        assert_eq!(
            "es=https://es.logging:9200/"
                .parse::<Output>()
                .map(|o| o.to_string()),
            Ok("elasticsearch=https://es.logging:9200".to_string())
        );
        assert!("kafka=broker:9092".parse::<Output>().is_err());
        assert!("elasticsearch=es".parse::<Output>().is_err());
        assert!("elasticsearch=https://es:9200/logs"
            .parse::<Output>()
            .is_err());
    }

    #[test]
    fn loki_urls_mean_the_push_path() {
        for (path, uri) in [
            ("", "/loki/api/v1/push"),
            ("/", "/loki/api/v1/push"),
            ("/loki/api/v1/push", "/loki/api/v1/push"),
            ("/loki/api/v1/push/", "/loki/api/v1/push"),
            ("/tenant-a", "/tenant-a/loki/api/v1/push"),
            ("/tenant-a/", "/tenant-a/loki/api/v1/push"),
        ] {
            assert_eq!(loki_push_path(path), uri, "{path:?}");
        }
    }

    #[test]
    fn urls_cannot_inject_config() {
        let endpoint = parse_url("https://logs.example.com/loki/api/v1/push", 3100).unwrap();
        assert_eq!((endpoint.tls, endpoint.port), (true, 443));
        assert_eq!(parse_url("http://loki", 3100).unwrap().port, 3100);
        for bad in [
            "http://loki:3100\n[OUTPUT]",
            "http://lo ki:3100",
            "ftp://loki",
            "http://loki:3100/a b",
            "http://loki:99999",
            "http://loki/x?y=1",
        ] {
            assert!(parse_url(bad, 3100).is_err(), "{bad:?}");
        }
    }
}
