//! container: another app container in the same pod, started with the app with no order
//! between them, sharing its network namespace.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::names;
use crate::patterns::{At, PatternKind};
use crate::plan::{container_context, ContainerPlan, PodParts, Role};
use crate::spec::{Port, Resources, Spec};

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
    pub fn new(name: &str, image: &str) -> Colocated {
        Colocated {
            name: name.into(),
            image: image.into(),
            ports: Vec::new(),
        }
    }
}

impl PatternKind for Colocated {
    fn id(&self) -> &'static str {
        "container"
    }

    fn flag(&self) -> &'static str {
        "--container"
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
                names::port_name(name).map_err(|rule| at.invalid(&field, None, name, rule))?;
            }
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let hardening = crate::security::harden(spec, &self.name, &self.image, &[]);
        let mut context = container_context(
            &self.name,
            &self.image,
            &Resources::app_default(),
            &hardening.security,
        );
        context["env"] = json!([]);
        context["mounts"] = json!(hardening.mounts);
        for volume in hardening.volumes {
            parts.add_volume(volume);
        }
        let ports: Vec<_> = self
            .ports
            .iter()
            .enumerate()
            .map(|(index, port)| {
                json!({
                    "name": port.name.clone().unwrap_or_else(|| format!("{}-{}", short(&self.name), index + 1)),
                    "number": port.container_port,
                    "protocol": port.protocol.as_str(),
                })
            })
            .collect();
        context["probe_port"] = ports
            .first()
            .filter(|_| !spec.app.kind.runs_to_completion())
            .map_or(json!(null), |p| p["name"].clone());
        context["ports"] = json!(ports);
        parts.colocated.push(ContainerPlan {
            name: self.name.clone(),
            role: Role::App,
            template: "patterns/container.yaml.tera",
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
