//! git-clone: an init container that shallow-clones a repository into an emptyDir that the app
//! mounts read-only. It is idempotent: after a pod restart an existing checkout is kept.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Pattern, PatternKind};
use crate::plan::{container_context, ContainerPlan, Mount, PodParts, Role, Security, Volume};
use crate::spec::{Resources, Spec};

/// Pinned git image (Alpine with git and a POSIX shell).
pub const IMAGE: &str = "alpine/git:2.45.2";
/// The shared volume holding the checkout.
pub const VOLUME: &str = "git-repo";
/// Where the git helpers mount the checkout.
pub const HELPER_PATH: &str = "/repo";
/// Where the app sees the checkout when no path is given.
pub const DEFAULT_MOUNT_PATH: &str = "/srv/repo";

/// What the git-clone pattern declares.
pub const DECLARATION: Declaration = Declaration {
    id: "git-clone",
    aliases: &[],
    lifecycle: Lifecycle::Init,
    purpose: "Init container that shallow-clones a git repository into a shared volume",
    details: "Runs `git clone --depth 1 [--branch REF]` into an emptyDir the app mounts; \
keeps an existing checkout, so it is safe to run twice.",
    avoid: "For code that belongs in the image: build it in instead, so every pod runs the \
same files. Private repositories need credentials this pattern does not manage.",
    example: &["--git-clone", "https://github.com/acme/site.git"],
    options: &[
        Opt {
            flag: "git-clone",
            value_name: "URL",
            takes: Takes::One,
            fallback: Fallback::Required,
            help: "the repository (https, ssh or git URL)",
            example: "https://github.com/acme/site.git",
        },
        Opt {
            flag: "git-ref",
            value_name: "REF",
            takes: Takes::One,
            fallback: Fallback::Described("the remote's HEAD"),
            help: "branch or tag to clone",
            example: "v2.1.0",
        },
        Opt {
            flag: "git-mount",
            value_name: "PATH",
            takes: Takes::One,
            fallback: Fallback::Value(DEFAULT_MOUNT_PATH),
            help: "where the app sees the checkout",
            example: "/usr/share/nginx/html",
        },
    ],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "git-clone",
        description: "clone a git repository into the pod before the app starts",
        questions: &[
            Question {
                flag: "git-clone",
                prompt: "Git repository to clone (https URL)",
                answer: Answer::Required("give the repository URL"),
            },
            Question {
                flag: "git-ref",
                prompt: "Branch or tag (empty: the repository's default branch)",
                answer: Answer::Optional { suggest: None },
            },
            Question {
                flag: "git-mount",
                prompt: "Where the app sees the checkout",
                answer: Answer::Optional { suggest: None },
            },
        ],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> crate::error::Result<Vec<Pattern>> {
    let Some(repo) = flags.one("git-clone") else {
        return Ok(Vec::new());
    };
    let mut clone = GitClone::new(repo);
    clone.git_ref = flags.one("git-ref").map(String::from);
    if let Some(mount) = flags.one("git-mount") {
        clone.mount_path = mount.to_string();
    }
    Ok(vec![Pattern::GitClone(clone)])
}

/// Options of the git-clone pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GitClone {
    /// Repository URL: `https://`, `http://`, `ssh://`, `git://` or `user@host:path`.
    pub repo: String,
    /// Branch or tag to clone (default: the remote's HEAD).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// Where the app container sees the checkout.
    #[serde(default = "default_mount_path")]
    pub mount_path: String,
    /// Container name (default `git-clone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Image with `git` and `sh` (default alpine/git).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

fn default_mount_path() -> String {
    DEFAULT_MOUNT_PATH.into()
}

impl GitClone {
    /// Clones `repo` at the remote's HEAD into the default path.
    pub fn new(repo: &str) -> GitClone {
        GitClone {
            repo: repo.into(),
            git_ref: None,
            mount_path: DEFAULT_MOUNT_PATH.into(),
            name: None,
            image: None,
        }
    }
}

/// Requests and limits of a git helper: cloning needs more memory than a shell loop.
pub fn git_resources() -> Resources {
    Resources::new("50m", "64Mi", "500m", "256Mi")
}

/// Checks a repository URL: a known scheme or scp-like form, never something `git` would read
/// as an option.
pub fn check_repo(repo: &str) -> std::result::Result<(), String> {
    let schemes = ["https://", "http://", "ssh://", "git://", "file://"];
    let scp_like = repo.split_once(':').is_some_and(|(user_host, path)| {
        user_host.contains('@') && !user_host.contains('/') && !path.is_empty()
    });
    let bad_char = repo.chars().any(|c| c.is_whitespace() || c.is_control());
    if repo.starts_with('-')
        || bad_char
        || !(schemes.iter().any(|s| repo.starts_with(s)) || scp_like)
    {
        return Err(
            "must be a repository URL such as `https://github.com/acme/site.git` or \
                    `git@github.com:acme/site.git`"
                .into(),
        );
    }
    Ok(())
}

/// Checks a git ref: a branch or tag name git accepts, never an option.
pub fn check_ref(git_ref: &str) -> std::result::Result<(), String> {
    let valid = !git_ref.is_empty()
        && !git_ref.starts_with(['-', '/', '.'])
        && !git_ref.ends_with(['/', '.'])
        && !git_ref.contains("..")
        && !git_ref.contains("@{")
        && !git_ref.ends_with(".lock")
        && !git_ref
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c));
    if valid {
        Ok(())
    } else {
        Err("must be a branch or tag name such as `main` or `v1.2.0`".into())
    }
}

impl PatternKind for GitClone {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn name_override(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn image_override(&self) -> Option<&str> {
        self.image.as_deref()
    }

    fn container_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| "git-clone".into())
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        check_repo(&self.repo).map_err(|rule| at.invalid("repo", None, &self.repo, rule))?;
        if let Some(git_ref) = &self.git_ref {
            check_ref(git_ref)
                .map_err(|rule| at.invalid("ref", Some("--git-ref"), git_ref, rule))?;
        }
        names::absolute_path(&self.mount_path)
            .map_err(|rule| at.invalid("mountPath", Some("--git-mount"), &self.mount_path, rule))?;
        if self.mount_path == "/" {
            return Err(at.invalid(
                "mountPath",
                Some("--git-mount"),
                "/",
                "must not be the root folder",
            ));
        }
        Ok(())
    }

    fn contribute(&self, _spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let mut context = container_context(&name, image, &git_resources(), &Security::helper());
        context["repo"] = json!(self.repo);
        context["ref"] = json!(self.git_ref.clone().unwrap_or_default());
        context["path"] = json!(HELPER_PATH);
        context["volume"] = json!(VOLUME);
        parts.add_volume(Volume {
            name: VOLUME.into(),
            config_map: None,
            size_limit: None,
        });
        parts.app_mounts.push(Mount {
            name: VOLUME.into(),
            path: self.mount_path.clone(),
            read_only: true,
        });
        parts.init_containers.push(ContainerPlan {
            name,
            role: Role::Init,
            template: "patterns/git-clone.yaml.tera",
            context,
        });
    }
}
