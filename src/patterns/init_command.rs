//! init-command: an init container that runs a one-shot shell command (schema migration,
//! config generation) before the app starts, with the app's image, env and shared volumes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::patterns::{At, PatternKind};
use crate::plan::{container_context, ContainerPlan, PodParts, Role, Security};
use crate::spec::Spec;

/// Options of the init-command pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitCommand {
    /// The command, run with `sh -c`; it must be safe to run twice.
    pub command: String,
    /// Container name (default `init`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Image to run it in (default: the app image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl InitCommand {
    /// Runs `command` in the app image.
    pub fn new(command: &str) -> InitCommand {
        InitCommand {
            command: command.into(),
            name: None,
            image: None,
        }
    }
}

impl PatternKind for InitCommand {
    fn id(&self) -> &'static str {
        "init-command"
    }

    fn flag(&self) -> &'static str {
        "--init-command"
    }

    fn container_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| "init".into())
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        if self.command.trim().is_empty() {
            return Err(at.invalid("command", None, &self.command, "must not be empty"));
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(&spec.app.image);
        let mut context = container_context(&name, image, &spec.app.resources, &Security::app());
        context["command"] = json!(self.command);
        context["env"] = json!(spec.app.env);
        // Shared volumes seen so far (a git checkout, say) are there for the command too.
        context["mounts"] = json!(parts.app_mounts);
        parts.init_containers.push(ContainerPlan {
            name,
            role: Role::Init,
            template: "patterns/init-command.yaml.tera",
            context,
        });
    }
}
