//! git-sync: a sidecar that keeps the git-clone checkout fresh by fetching and resetting to the
//! cloned ref every few seconds. It pairs with git-clone, which makes the first checkout.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::patterns::git_clone::{add_git_volumes, git_resources, IMAGE};
use crate::patterns::{git_clone_of, At, PatternKind};
use crate::plan::{container_context, ContainerPlan, PodParts, Role, Security};
use crate::spec::Spec;

/// Seconds between fetches when none is given.
pub const DEFAULT_PERIOD_SECONDS: u32 = 60;

/// Options of the git-sync pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GitSync {
    /// Seconds between fetches (default 60).
    #[serde(default = "default_period")]
    pub period_seconds: u32,
    /// Container name (default `git-sync`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Image with `git` and `sh` (default alpine/git).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

fn default_period() -> u32 {
    DEFAULT_PERIOD_SECONDS
}

impl GitSync {
    /// Syncs every `period_seconds`.
    pub fn new(period_seconds: u32) -> GitSync {
        GitSync {
            period_seconds,
            name: None,
            image: None,
        }
    }
}

impl PatternKind for GitSync {
    fn id(&self) -> &'static str {
        "git-sync"
    }

    fn flag(&self) -> &'static str {
        "--git-sync"
    }

    fn container_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| "git-sync".into())
    }

    fn check(&self, spec: &Spec, at: &At) -> Result<()> {
        if !(1..=86_400).contains(&self.period_seconds) {
            return Err(at.invalid(
                "periodSeconds",
                None,
                &self.period_seconds.to_string(),
                "must be from 1 to 86400 seconds",
            ));
        }
        if git_clone_of(spec).is_none() {
            return Err(at.invalid(
                "type",
                None,
                "git-sync",
                "git-sync keeps a git-clone checkout fresh: add --git-clone URL",
            ));
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let Some(clone) = git_clone_of(spec) else {
            return;
        };
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let mut context = container_context(&name, image, &git_resources(), &Security::helper());
        context["ref"] = json!(clone.git_ref.clone().unwrap_or_default());
        add_git_volumes(&mut context, parts);
        context["period_seconds"] = json!(self.period_seconds.to_string());
        let container = ContainerPlan {
            name,
            role: Role::Sidecar,
            template: "patterns/git-sync.yaml.tera",
            context,
        };
        parts.add_sidecar(spec.app.kube_version, container);
    }
}
