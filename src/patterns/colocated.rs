//! container: another app container in the same pod, started with the app with no order
//! between them, sharing its network namespace.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Pattern, PatternKind};
use crate::plan::{Common, ContainerContext, ContainerPlan, ContainerPort, Mount, PodParts, Role};
use crate::spec::{EnvVar, Port, Resources, Spec};

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
    example: &["--container", "worker=ghcr.io/acme/worker:1.4.2"],
    options: &[Opt {
        flag: "container",
        value_name: "NAME=IMAGE",
        takes: Takes::Repeated,
        fallback: Fallback::Required,
        help: "the container's name and image",
        example: "worker=ghcr.io/acme/worker:1.4.2",
    }],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "container",
        description: "run another container beside the app in the same pod",
        questions: &[Question {
            flag: "container",
            prompt: "Other containers, NAME=IMAGE, comma-separated",
            answer: Answer::List(
                "give at least one NAME=IMAGE, e.g. worker=ghcr.io/acme/worker:1.4.2",
            ),
        }],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    flags
        .all("container")
        .iter()
        .map(|text| {
            let (name, image) = crate::spec::key_value(text, "--container", "NAME=IMAGE")?;
            Ok(Pattern::Container(Colocated::new(&name, &image)))
        })
        .collect()
}

/// Options of a co-located container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Colocated {
    /// Container name: a DNS-1123 label.
    pub name: String,
    /// Its image.
    pub image: String,
    /// Ports it listens on (they share the pod's network namespace with the app's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Port>,
}

impl Colocated {
    /// A container `name` running `image`.
    pub(crate) fn new(name: &str, image: &str) -> Colocated {
        Colocated {
            name: name.into(),
            image: image.into(),
            ports: Vec::new(),
        }
    }
}

impl PatternKind for Colocated {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn name_override(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn image_override(&self) -> Option<&str> {
        Some(&self.image)
    }

    fn container_name(&self) -> String {
        self.name.clone()
    }

    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        self.ports.iter().map(|p| p.container_port).collect()
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
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
        let context = ContainerContext::Colocated(Context {
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
            env: Vec::new(),
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
    pub common: Common,
    /// Its ports.
    pub ports: Vec<ContainerPort>,
    /// Environment variables (none: the user's image configures itself).
    pub env: Vec<EnvVar>,
    /// The writable paths of a read-only root filesystem.
    pub mounts: Vec<Mount>,
    /// The port name its probes check, `None` for no probes.
    pub probe_port: Option<String>,
    /// An HTTP path for the probes (none: a TCP check).
    pub health_path: Option<String>,
}
