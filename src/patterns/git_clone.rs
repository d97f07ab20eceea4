//! git-clone: an init container that shallow-clones a repository into an emptyDir that the app
//! mounts read-only. It is idempotent: after a pod restart an existing checkout is kept.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::{At, Overrides, Pattern, PatternKind};
use crate::plan::{Common, ContainerContext, ContainerTemplate, Mount, PodParts, Security};
use crate::spec::Spec;

mod checkout;
mod repository;

pub(crate) use checkout::{add_git_volumes, git_resources, GitEnv};
use repository::{check_no_credentials, check_ref, check_repo, Transport};

/// Pinned git image (Alpine with git and a POSIX shell).
pub(crate) const IMAGE: &str = "alpine/git:2.45.2";
/// The shared volume holding the checkout.
pub(crate) const VOLUME: &str = "git-repo";
/// Where the git helpers mount the checkout.
pub(crate) const HELPER_PATH: &str = "/repo";
/// The helpers' own volume: the repository, outside the checkout the app serves, and HOME.
pub(crate) const GIT_VOLUME: &str = "git-dir";
/// Where the helpers mount [`GIT_VOLUME`]; their HOME.
pub(crate) const GIT_HOME: &str = "/git";
/// The repository (GIT_DIR) inside [`GIT_VOLUME`].
pub(crate) const GIT_DIR: &str = "/git/repository.git";
/// The volume projecting the `--git-secret` Secret.
pub(crate) const SECRET_VOLUME: &str = "git-secret";
/// Where the helpers read the Secret's files.
pub(crate) const SECRET_DIR: &str = "/etc/git-secret";
/// The volume holding the passwd file ssh needs to know the helpers' UID.
pub(crate) const PASSWD_VOLUME: &str = "git-passwd";
/// The passwd file's key in its ConfigMap.
pub(crate) const PASSWD_KEY: &str = "passwd";
/// Where ssh reads the passwd file: the image's own, which the mount replaces.
pub(crate) const PASSWD_PATH: &str = "/etc/passwd";
/// Where the app sees the checkout when no path is given.
pub(crate) const DEFAULT_MOUNT_PATH: &str = "/srv/repo";

/// What the git-clone pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "git-clone",
    aliases: &[],
    lifecycle: Lifecycle::Init,
    purpose: "Init container that shallow-clones a git repository into a shared volume",
    details: "Fetches REF (a branch, a tag or a full commit SHA) with `--depth 1` and checks it \
out into an emptyDir the app mounts read-only; the repository stays in a second volume the app \
never sees, so no `.git` is served. A complete checkout is kept when the pod restarts; one cut \
off half-way is started again. Credentials come from a Secret named by --git-secret.",
    avoid: "For code that belongs in the image: build it in instead, so every pod runs the \
same files.",
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
            help: "branch, tag or full commit SHA to check out",
            example: "v2.1.0",
        },
        Opt {
            flag: "git-secret",
            value_name: "SECRET",
            takes: Takes::One,
            fallback: Fallback::Described("none: a public repository"),
            help: "Secret with the credentials: keys `username` and `password` (a token) for \
an https URL, `ssh-privatekey` and `known_hosts` for SSH",
            example: "site-deploy-key",
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
                prompt: "Branch, tag or full commit SHA (empty: the repository's default branch)",
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
    clone.secret = flags.one("git-secret").map(String::from);
    if let Some(mount) = flags.one("git-mount") {
        clone.mount_path = mount.to_string();
    }
    Ok(vec![Pattern::GitClone(clone)])
}

/// Options of the git-clone pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GitClone {
    /// Repository URL: `https://`, `http://`, `ssh://`, `git://` or `user@host:path`.
    pub(crate) repo: String,
    /// Branch, tag or full commit SHA to check out (default: the remote's HEAD).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub(crate) git_ref: Option<String>,
    /// Where the app container sees the checkout.
    #[serde(default = "default_mount_path")]
    pub(crate) mount_path: String,
    /// Secret with the credentials: `username` and `password` (a token) for HTTPS,
    /// `ssh-privatekey` and `known_hosts` for SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) secret: Option<String>,
    /// Container name (default `git-clone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Image with `git` and `sh` (default alpine/git).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

fn default_mount_path() -> String {
    DEFAULT_MOUNT_PATH.into()
}

impl GitClone {
    /// Clones `repo` at the remote's HEAD into the default path.
    pub(crate) fn new(repo: &str) -> GitClone {
        GitClone {
            repo: repo.into(),
            git_ref: None,
            mount_path: DEFAULT_MOUNT_PATH.into(),
            secret: None,
            name: None,
            image: None,
        }
    }
}

impl PatternKind for GitClone {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        check_repo(&self.repo).map_err(|rule| at.invalid("repo", None, &self.repo, rule))?;
        check_no_credentials(&self.repo)
            .map_err(|(masked, rule)| at.invalid("repo", None, &masked, rule))?;
        if let Some(git_ref) = &self.git_ref {
            check_ref(git_ref)
                .map_err(|rule| at.invalid("ref", Some("--git-ref"), git_ref, rule))?;
        }
        match (&self.secret, Transport::of(&self.repo)) {
            (Some(secret), Transport::Anonymous) => {
                return Err(at.invalid(
                    "secret",
                    Some("--git-secret"),
                    secret,
                    "a git:// or file:// repository takes no credentials; use an https or ssh URL",
                ))
            }
            (Some(secret), _) => names::dns_subdomain(secret)
                .map_err(|rule| at.invalid("secret", Some("--git-secret"), secret, rule))?,
            (None, Transport::Ssh) => {
                return Err(at.invalid(
                    "repo",
                    None,
                    &self.repo,
                    "an SSH repository needs a key: give --git-secret NAME, a Secret with \
                     `ssh-privatekey` and `known_hosts` (`kubectl create secret generic NAME \
                     --from-file=ssh-privatekey=KEY --from-file=known_hosts=FILE`)",
                ))
            }
            (None, _) => {}
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

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &git_resources(), &Security::helper()),
            repo: self.repo.clone(),
            git_ref: self.git_ref.clone().unwrap_or_default(),
            git: add_git_volumes(self, &spec.app.name, parts),
        });
        parts
            .app_mounts
            .push(Mount::read_only(VOLUME, self.mount_path.clone()));
        parts.add_init(name, context);
    }
}

/// The values `patterns/git-clone.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The repository URL.
    pub(crate) repo: String,
    /// The branch, tag or commit; empty for the remote's HEAD.
    #[serde(rename = "ref")]
    pub(crate) git_ref: String,
    /// Environment and volumes.
    #[serde(flatten)]
    pub(crate) git: GitEnv,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/git-clone.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}
