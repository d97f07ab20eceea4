//! git-sync: a sidecar that keeps the git-clone checkout fresh by fetching and resetting to the
//! cloned ref every few seconds. It pairs with git-clone, which makes the first checkout.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::patterns::declaration::{
    number_default, Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::git_clone::{add_git_volumes, git_resources, GitEnv, IMAGE};
use crate::patterns::{git_clone_of, At, Overrides, Pattern, PatternKind};
use crate::plan::{Common, ContainerContext, ContainerTemplate, PodParts, Security};
use crate::spec::Spec;

number_default! {
    /// Seconds between fetches when none is given.
    DEFAULT_PERIOD_SECONDS, DEFAULT_PERIOD = 60
}

/// What the git-sync pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "git-sync",
    aliases: &[],
    lifecycle: Lifecycle::Sidecar,
    purpose: "Sidecar that keeps the git-clone checkout fresh",
    details: "Every N seconds fetches the cloned ref and resets the checkout to it; the \
git-clone init container makes the first checkout, so the app starts with files.",
    avoid: "When a change must reach every pod at once or be reviewed before it is served: \
roll out a new image or a new ref instead.",
    example: &[
        "--git-clone",
        "https://github.com/acme/site.git",
        "--git-sync",
        DEFAULT_PERIOD,
    ],
    options: &[Opt {
        flag: "git-sync",
        value_name: "SECONDS",
        takes: Takes::Optional,
        fallback: Fallback::Value(DEFAULT_PERIOD),
        help: "seconds between fetches (needs --git-clone)",
        example: "300",
    }],
    related: &[],
    unsuitable: &crate::patterns::declaration::batch(
        "its app runs once: what it reads at start is what it uses",
    ),
    requires: Some("git-clone"),
    wizard: &[Choice {
        label: "git-sync",
        description: "keep the cloned repository up to date (uses git-clone)",
        questions: &[Question {
            flag: "git-sync",
            prompt: "Seconds between pulls",
            answer: Answer::Optional { suggest: None },
        }],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let Some(period) = flags.one("git-sync") else {
        return Ok(Vec::new());
    };
    let seconds = period
        .trim_end_matches('s')
        .parse::<u32>()
        .map_err(|_| Error::invalid("--git-sync", period, "must be a number of seconds"))?;
    Ok(vec![Pattern::GitSync(GitSync::new(seconds))])
}

/// Options of the git-sync pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GitSync {
    /// Seconds between fetches (default 60).
    #[serde(default = "default_period")]
    pub(crate) period_seconds: u32,
    /// Container name (default `git-sync`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Image with `git` and `sh` (default alpine/git).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

fn default_period() -> u32 {
    DEFAULT_PERIOD_SECONDS
}

impl GitSync {
    /// Syncs every `period_seconds`.
    pub(crate) fn new(period_seconds: u32) -> GitSync {
        GitSync {
            period_seconds,
            name: None,
            image: None,
        }
    }
}

impl PatternKind for GitSync {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
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
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &git_resources(), &Security::helper()),
            git_ref: clone.git_ref.clone().unwrap_or_default(),
            period_seconds: self.period_seconds.to_string(),
            git: add_git_volumes(clone, &spec.app.name, parts),
        });
        parts.add_sidecar(spec.app.kube_version, name, context);
    }
}

/// The values `patterns/git-sync.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security, restart policy.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The branch, tag or commit it follows; empty for the remote's HEAD.
    #[serde(rename = "ref")]
    pub(crate) git_ref: String,
    /// Seconds between fetches, as the script's argument.
    pub(crate) period_seconds: String,
    /// Environment and volumes.
    #[serde(flatten)]
    pub(crate) git: GitEnv,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/git-sync.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
