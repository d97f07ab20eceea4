//! init-command: an init container that runs to completion before the app starts, with the
//! app's env and shared volumes: a one-shot shell command (schema migration, config generation)
//! in the app image or another, or simply another image's own entrypoint.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{Common, ContainerContext, ContainerTemplate, Mount, PodParts};
use crate::spec::{EnvVar, Spec};

/// What the init-command pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "init-command",
    aliases: &[],
    lifecycle: Lifecycle::Init,
    purpose: "Init container that runs a one-shot command (migration, config generation)",
    details: "Runs `sh -c COMMAND` with the app's image (or --init-image), env and shared \
volumes, after the dependencies are up and the checkout is made. `--init NAME=IMAGE` runs an \
image's own entrypoint instead.",
    avoid: "For work that must run once per release rather than once per pod (a schema \
migration in a Deployment with many replicas): a Job or a Helm hook runs it once.",
    example: &["--init-command", "./manage.py migrate --noinput"],
    options: &[
        Opt {
            flag: "init-command",
            value_name: "COMMAND",
            takes: Takes::One,
            fallback: Fallback::Required,
            help: "the shell command, run with the app's env; must be safe to run twice",
            example: "\"./manage.py migrate --noinput\"",
        },
        Opt {
            flag: "init-image",
            value_name: "IMAGE",
            takes: Takes::One,
            fallback: Fallback::Described("the app image"),
            help: "image to run it with",
            example: "flyway/flyway:10.17",
        },
        Opt {
            flag: "init",
            value_name: "NAME=IMAGE",
            takes: Takes::Repeated,
            fallback: Fallback::Required,
            help: "an init container that runs an image's own entrypoint to completion, \
after --init-command",
            example: "seed=ghcr.io/acme/seed-data:2.0",
        },
    ],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[
        Choice {
            label: "init-command",
            description: "run a one-off command first, such as a database migration",
            questions: &[
                Question {
                    flag: "init-command",
                    prompt: "Command to run first (a shell command line)",
                    answer: Answer::Required(
                        "give the command, e.g. ./manage.py migrate --noinput",
                    ),
                },
                Question {
                    flag: "init-image",
                    prompt: "Image to run it in",
                    answer: Answer::Optional {
                        suggest: Some(|answers| answers.image.clone()),
                    },
                },
            ],
        },
        Choice {
            label: "init",
            description: "run another image to completion first, such as a data seeder",
            questions: &[Question {
                flag: "init",
                prompt: "Images to run first, NAME=IMAGE, comma-separated, in order",
                answer: Answer::List(
                    "give at least one NAME=IMAGE, e.g. seed=ghcr.io/acme/seed:2.0",
                ),
            }],
        },
    ],
    from_flags: Some(from_flags),
};

/// `--init-command` (in `--init-image`), then one init container per `--init`.
fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let mut patterns = Vec::new();
    if let Some(command) = flags.one("init-command") {
        let mut init = InitCommand::new(command);
        init.image = flags.one("init-image").map(String::from);
        patterns.push(Pattern::InitCommand(init));
    }
    for text in flags.all("init") {
        let (name, image) = crate::spec::key_value(text, "--init", "NAME=IMAGE")?;
        patterns.push(Pattern::InitCommand(InitCommand::image(&name, &image)));
    }
    Ok(patterns)
}

/// Options of the init-command pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct InitCommand {
    /// The command, run with `sh -c`; it must be safe to run twice (default: the image's own
    /// entrypoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) command: Option<String>,
    /// Container name (default `init`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Image to run it in (default: the app image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

impl InitCommand {
    /// Runs `command` in the app image.
    pub(crate) fn new(command: &str) -> InitCommand {
        InitCommand {
            command: Some(command.into()),
            name: None,
            image: None,
        }
    }

    /// Runs `image`'s own entrypoint as init container `name`.
    pub(crate) fn image(name: &str, image: &str) -> InitCommand {
        InitCommand {
            command: None,
            name: Some(name.into()),
            image: Some(image.into()),
        }
    }
}

impl PatternKind for InitCommand {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn default_name(&self) -> String {
        "init".into()
    }

    fn flag_of(&self, field: &str) -> Option<&'static str> {
        match (&self.command, field) {
            (None, _) => Some("--init"),
            (Some(_), "image") => Some("--init-image"),
            _ => None,
        }
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
        // Shared volumes seen so far (a git checkout, say) are there for the command too.
        let mut mounts = parts.app_mounts.clone();
        mounts.extend(hardening.mounts);
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &spec.app.resources, &hardening.security),
            command: self.command.clone(),
            env: crate::image_env::app_env(spec),
            env_from: crate::plan::EnvSource::all(&spec.app.env_from),
            mounts,
        });
        for volume in hardening.volumes {
            parts.add_volume(volume);
        }
        parts.add_init(name, context);
    }
}

/// The values `patterns/init-command.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The shell command, `None` for the image's entrypoint.
    pub(crate) command: Option<String>,
    /// The app's environment.
    pub(crate) env: Vec<EnvVar>,
    /// The ConfigMaps and Secrets the app takes variables from.
    pub(crate) env_from: Vec<crate::plan::EnvSource>,
    /// The shared volumes, and the writable paths of a read-only root filesystem.
    pub(crate) mounts: Vec<Mount>,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/init-command.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
