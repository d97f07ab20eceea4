//! init-command: an init container that runs to completion before the app starts, with the
//! app's env and shared volumes: a one-shot shell command (schema migration, config generation)
//! in the app image or another, or simply another image's own entrypoint.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::patterns::{At, PatternKind};
use crate::plan::{container_context, ContainerPlan, PodParts, Role};
use crate::spec::Spec;

/// Options of the init-command pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitCommand {
    /// The command, run with `sh -c`; it must be safe to run twice (default: the image's own
    /// entrypoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
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
            command: Some(command.into()),
            name: None,
            image: None,
        }
    }

    /// Runs `image`'s own entrypoint as init container `name`.
    pub fn image(name: &str, image: &str) -> InitCommand {
        InitCommand {
            command: None,
            name: Some(name.into()),
            image: Some(image.into()),
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
        match &self.command {
            Some(command) if command.trim().is_empty() => {
                Err(at.invalid("command", None, command, "must not be empty"))
            }
            None if self.image.is_none() => Err(at.invalid(
                "command",
                None,
                "",
                "an init container needs a command, an image, or both",
            )),
            _ => Ok(()),
        }
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(&spec.app.image);
        let hardening = crate::security::harden(spec, &spec.app.name, image, &parts.app_mounts);
        let mut context = container_context(&name, image, &spec.app.resources, &hardening.security);
        context["command"] = json!(self.command);
        context["env"] = json!(spec.app.env);
        // Shared volumes seen so far (a git checkout, say) are there for the command too.
        let mut mounts = parts.app_mounts.clone();
        mounts.extend(hardening.mounts);
        context["mounts"] = json!(mounts);
        for volume in hardening.volumes {
            parts.add_volume(volume);
        }
        parts.init_containers.push(ContainerPlan {
            name,
            role: Role::Init,
            template: "patterns/init-command.yaml.tera",
            context,
        });
    }
}
