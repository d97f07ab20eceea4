//! container: another app container in the same pod, started with the app with no order
//! between them, sharing its network namespace.

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
    Common, ContainerContext, ContainerPlan, ContainerPort, ContainerTemplate, Mount, PodParts,
    Role,
};
use crate::spec::{EnvFrom, EnvVar, Port, Resources, Spec};

/// What the container pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "container",
    aliases: &[],
    lifecycle: Lifecycle::App,
    purpose: "Another app container in the same pod, started with the app",
    details: "Co-located containers share the pod's network and volumes, start together \
with no order between them and are scaled together.",
    avoid: "When the two could be scaled, updated or placed apart: two workloads are \
simpler to run.",
    example: &[
        "--container",
        "worker=ghcr.io/acme/worker:1.4.2",
        "--container-env",
        "worker:QUEUE=jobs",
        "--container-env-secret",
        "worker:API_TOKEN=api:token",
    ],
    options: &[
        Opt {
            flag: "container",
            value_name: "NAME=IMAGE",
            takes: Takes::Repeated,
            fallback: Fallback::Required,
            help: "the container's name and image",
            example: "worker=ghcr.io/acme/worker:1.4.2",
        },
        Opt {
            flag: "container-env",
            value_name: "NAME:VAR=VALUE",
            takes: Takes::Repeated,
            fallback: Fallback::Described("none"),
            help: "an environment variable of the co-located container NAME, as --env gives the app one",
            example: "worker:QUEUE=jobs",
        },
        Opt {
            flag: "container-env-secret",
            value_name: "NAME:VAR=SECRET:KEY",
            takes: Takes::Repeated,
            fallback: Fallback::Described("none"),
            help: "an environment variable of the co-located container NAME from a key of a Secret (valueFrom.secretKeyRef), as --env-secret gives the app one",
            example: "worker:API_TOKEN=api:token",
        },
    ],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "container",
        description: "run another container beside the app in the same pod",
        questions: &[
            Question {
                flag: "container",
                prompt: "Other containers, NAME=IMAGE, comma-separated",
                answer: Answer::List(
                    "give at least one NAME=IMAGE, e.g. worker=ghcr.io/acme/worker:1.4.2",
                ),
            },
            Question {
                flag: "container-env",
                prompt: "Environment variable of one of them, NAME:VAR=VALUE (e.g. worker:QUEUE=jobs)",
                answer: Answer::Each,
            },
            Question {
                flag: "container-env-secret",
                prompt: "Environment variable of one of them from a key of a Secret, NAME:VAR=SECRET:KEY (e.g. worker:API_TOKEN=api:token)",
                answer: Answer::Each,
            },
        ],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let mut containers = flags
        .all("container")
        .iter()
        .map(|text| {
            let (name, image) = crate::spec::key_value(text, "--container", "NAME=IMAGE")?;
            Ok(Colocated::new(&name, &image))
        })
        .collect::<Result<Vec<_>>>()?;
    for (flag, from_secret) in [("container-env", false), ("container-env-secret", true)] {
        let dashed = format!("--{flag}");
        let shape = match from_secret {
            true => "must be NAME:VAR=SECRET:KEY, e.g. `worker:API_TOKEN=api:token`",
            false => "must be NAME:VAR=VALUE, e.g. `worker:QUEUE=jobs`",
        };
        for text in flags.all(flag) {
            let refused = || Error::invalid(&dashed, text, shape);
            let (name, var) = text.split_once(':').ok_or_else(refused)?;
            let names: Vec<String> = containers.iter().map(|c| c.name.clone()).collect();
            let container = containers
                .iter_mut()
                .find(|c| c.name == name)
                .ok_or_else(|| {
                    Error::invalid(
                        &dashed,
                        text,
                        format!(
                            "`{name}` is not a --container: give one of {}",
                            names.join(", ")
                        ),
                    )
                })?;
            let var = match from_secret {
                true => crate::spec::env_secret(var, &dashed).map_err(|_| refused())?,
                false => match var.split_once('=') {
                    Some((var, value)) if !var.is_empty() => EnvVar::value(var, value),
                    _ => return Err(refused()),
                },
            };
            container.env.push(var);
        }
    }
    Ok(containers.into_iter().map(Pattern::Container).collect())
}

/// Options of a co-located container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Colocated {
    /// Container name: a DNS-1123 label.
    pub(crate) name: String,
    /// Its image.
    pub(crate) image: String,
    /// Ports it listens on (they share the pod's network namespace with the app's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) ports: Vec<Port>,
    /// Its environment variables, each with a `value` or a `secretKeyRef`, as the app's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) env: Vec<EnvVar>,
    /// ConfigMaps and Secrets whose every key becomes one of its variables, as the app's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) env_from: Vec<EnvFrom>,
}

impl Colocated {
    /// A container `name` running `image`.
    pub(crate) fn new(name: &str, image: &str) -> Colocated {
        Colocated {
            name: name.into(),
            image: image.into(),
            ports: Vec::new(),
            env: Vec::new(),
            env_from: Vec::new(),
        }
    }
}

impl PatternKind for Colocated {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides {
            name: Some(&self.name),
            image: Some(&self.image),
        }
    }

    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        self.ports.iter().map(|p| p.container_port).collect()
    }

    fn check(&self, spec: &Spec, at: &At) -> Result<()> {
        crate::spec::check_env_vars(&self.env, spec.app.kube_version, &|index, part, secret| {
            let flag = if secret {
                "--container-env-secret"
            } else {
                "--container-env"
            };
            at.name(&format!("env[{index}]{part}"), Some(flag))
        })?;
        for (index, source) in self.env_from.iter().enumerate() {
            names::dns_subdomain(source.name()).map_err(|rule| {
                at.invalid(
                    &format!("envFrom[{index}]"),
                    None,
                    &source.to_string(),
                    format!("{} name: {rule}", source.kind()),
                )
            })?;
        }
        for (index, port) in self.ports.iter().enumerate() {
            let field = format!("ports[{index}]");
            names::port_number(port.container_port)
                .map_err(|rule| at.invalid(&field, None, &port.container_port.to_string(), rule))?;
            if let Some(name) = &port.name {
                names::first(names::port_name(name))
                    .map_err(|rule| at.invalid(&field, None, name, rule))?;
            }
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let hardening = crate::security::harden(spec, &self.name, &self.image, &[]);
        for volume in hardening.volumes {
            parts.add_volume(volume);
        }
        let ports: Vec<ContainerPort> = self
            .ports
            .iter()
            .enumerate()
            .map(|(index, port)| ContainerPort {
                name: port
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{}-{}", short(&self.name), index + 1)),
                number: port.container_port,
                protocol: port.protocol.as_str(),
            })
            .collect();
        let context = ContainerContext::from(Context {
            common: Common::new(
                &self.name,
                &self.image,
                &Resources::app_default(),
                &hardening.security,
            ),
            // A Job's containers run to completion: readiness and liveness mean nothing there.
            probe_port: ports
                .first()
                .filter(|_| !spec.app.kind.runs_to_completion())
                .map(|port| port.name.clone()),
            health_path: None,
            ports,
            env: self.env.clone(),
            env_from: crate::plan::EnvSource::all(&self.env_from),
            mounts: hardening.mounts,
        });
        parts.colocated.push(ContainerPlan {
            name: self.name.clone(),
            role: Role::App,
            context,
        });
    }
}

/// A port-name prefix from a container name: IANA names hold at most 15 characters.
fn short(name: &str) -> String {
    let cut: String = name.chars().filter(|c| *c != '-').take(12).collect();
    if cut.chars().any(|c| c.is_ascii_lowercase()) {
        cut
    } else {
        format!("p{}", &cut[..cut.len().min(11)])
    }
}

/// The values `patterns/container.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// Its ports.
    pub(crate) ports: Vec<ContainerPort>,
    /// Environment variables.
    pub(crate) env: Vec<EnvVar>,
    /// ConfigMaps and Secrets whose keys become variables.
    pub(crate) env_from: Vec<crate::plan::EnvSource>,
    /// The writable paths of a read-only root filesystem.
    pub(crate) mounts: Vec<Mount>,
    /// The port name its probes check, `None` for no probes.
    pub(crate) probe_port: Option<String>,
    /// An HTTP path for the probes (none: a TCP check).
    pub(crate) health_path: Option<String>,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/container.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
