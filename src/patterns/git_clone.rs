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
use crate::patterns::{At, Pattern, PatternKind};
use crate::plan::{
    Common, ConfigContext, ConfigEntry, ConfigMapPlan, ContainerContext, ContainerPlan, Mount,
    PodParts, Role, Security, Volume, HELPER_UID,
};
use crate::spec::{Resources, Spec};

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
pub struct GitClone {
    /// Repository URL: `https://`, `http://`, `ssh://`, `git://` or `user@host:path`.
    pub repo: String,
    /// Branch, tag or full commit SHA to check out (default: the remote's HEAD).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// Where the app container sees the checkout.
    #[serde(default = "default_mount_path")]
    pub mount_path: String,
    /// Secret with the credentials: `username` and `password` (a token) for HTTPS,
    /// `ssh-privatekey` and `known_hosts` for SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
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

/// Requests and limits of a git helper: cloning needs more memory than a shell loop.
pub(crate) fn git_resources() -> Resources {
    Resources::new("50m", "64Mi", "500m", "256Mi")
}

/// How a repository is reached, which decides what its credentials look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// `https://` or `http://`: a user name and a password or token.
    Http,
    /// `ssh://` or `user@host:path`: a private key and the host's known key.
    Ssh,
    /// `git://` or `file://`: no credentials.
    Anonymous,
}

impl Transport {
    /// The transport of a checked repository URL.
    pub(crate) fn of(repo: &str) -> Transport {
        if repo.starts_with("http://") || repo.starts_with("https://") {
            Transport::Http
        } else if repo.starts_with("ssh://") || !repo.contains("://") {
            Transport::Ssh
        } else {
            Transport::Anonymous
        }
    }
}

/// Wires a git helper to the checkout, to the helpers' own volume and to the credentials of
/// `clone`, adding the volumes (and, for SSH, the passwd entry ssh insists on) to the pod;
/// returns the values `_partials/git-env-mounts.yaml.tera` prints.
pub(crate) fn add_git_volumes(clone: &GitClone, app: &str, parts: &mut PodParts) -> GitEnv {
    let mut env = GitEnv {
        path: HELPER_PATH,
        volume: VOLUME,
        git_dir: GIT_DIR,
        git_volume: GIT_VOLUME,
        git_home: GIT_HOME,
        credentials: None,
        secret_volume: SECRET_VOLUME,
        secret_dir: SECRET_DIR,
        passwd_volume: PASSWD_VOLUME,
    };
    for name in [VOLUME, GIT_VOLUME] {
        parts.add_volume(Volume {
            name: name.into(),
            config_map: None,
            size_limit: None,
            secret: None,
        });
    }
    let Some(secret) = &clone.secret else {
        return env;
    };
    parts.add_volume(Volume {
        name: SECRET_VOLUME.into(),
        config_map: None,
        size_limit: None,
        secret: Some(secret.clone()),
    });
    match Transport::of(&clone.repo) {
        Transport::Http => env.credentials = Some(Credentials::Http),
        Transport::Ssh => {
            env.credentials = Some(Credentials::Ssh);
            let config_map = names::derived_label(&format!("{app}-git-passwd"));
            parts.add_volume(Volume {
                name: PASSWD_VOLUME.into(),
                config_map: Some(config_map.clone()),
                size_limit: None,
                secret: None,
            });
            if !parts.config_maps.iter().any(|c| c.name == config_map) {
                parts.config_maps.push(ConfigMapPlan {
                    name: config_map,
                    entries: vec![ConfigEntry {
                        key: "passwd".into(),
                        context: ConfigContext::GitPasswd(PasswdConfig {
                            uid: HELPER_UID,
                            home: GIT_HOME,
                        }),
                    }],
                });
            }
        }
        Transport::Anonymous => {}
    }
    env
}

/// Checks a repository URL: a known scheme or scp-like form, never something `git` would read
/// as an option.
pub(crate) fn check_repo(repo: &str) -> std::result::Result<(), String> {
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

/// Checks a git ref: a branch or tag name git accepts, or a full commit SHA, never an option.
/// An abbreviated SHA cannot be fetched from a remote, so it is refused.
pub(crate) fn check_ref(git_ref: &str) -> std::result::Result<(), String> {
    let valid = !git_ref.is_empty()
        && !git_ref.starts_with(['-', '/', '.'])
        && !git_ref.ends_with(['/', '.'])
        && !git_ref.contains("..")
        && !git_ref.contains("@{")
        && !git_ref.ends_with(".lock")
        && !git_ref
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c));
    if !valid {
        return Err(
            "must be a branch, a tag or a full commit SHA, such as `main`, `v1.2.0` or \
                    `4b825dc642cb6eb9a060e54bf8d69288fbee4904`"
                .into(),
        );
    }
    let hex = git_ref.chars().all(|c| c.is_ascii_hexdigit());
    if hex && (7..40).contains(&git_ref.len()) {
        return Err(
            "looks like an abbreviated commit, which a remote cannot serve: give the \
                    full 40-character SHA"
                .into(),
        );
    }
    Ok(())
}

/// Checks that a repository URL holds no password or token: it would be written into the
/// manifest for anyone who can read it. On refusal, returns the URL with the credentials
/// masked (for the message) and the rule.
pub(crate) fn check_no_credentials(repo: &str) -> std::result::Result<(), (String, String)> {
    let Some((scheme, rest)) = repo.split_once("://") else {
        return Ok(());
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return Ok(());
    };
    // A user name alone is fine for SSH (`ssh://git@host/...`); over HTTP a user name alone
    // is how tokens are often passed.
    if user_info.contains(':') || scheme.starts_with("http") {
        let path = &rest[authority.len()..];
        return Err((
            format!("{scheme}://***@{host}{path}"),
            "must not hold credentials: they would be written into the manifest; put them in \
             a Secret (keys `username` and `password`, a token as the password) and give its \
             name with --git-secret"
                .into(),
        ));
    }
    Ok(())
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
        let context = ContainerContext::GitClone(Context {
            common: Common::new(&name, image, &git_resources(), &Security::helper()),
            repo: self.repo.clone(),
            git_ref: self.git_ref.clone().unwrap_or_default(),
            git: add_git_volumes(self, &spec.app.name, parts),
        });
        parts.app_mounts.push(Mount {
            name: VOLUME.into(),
            path: self.mount_path.clone(),
            read_only: true,
        });
        parts.init_containers.push(ContainerPlan {
            name,
            role: Role::Init,
            context,
        });
    }
}

/// How git authenticates with the credentials Secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Credentials {
    /// An https user name and token through a credential helper.
    Http,
    /// An ssh key and known_hosts, with a passwd entry for the helpers' UID.
    Ssh,
}

/// The values `_partials/git-env-mounts.yaml.tera` prints: the git helpers' environment and
/// volumes.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GitEnv {
    /// The checkout (GIT_WORK_TREE).
    pub path: &'static str,
    /// The checkout's volume.
    pub volume: &'static str,
    /// The repository (GIT_DIR), beside the checkout.
    pub git_dir: &'static str,
    /// The volume of the repository and HOME.
    pub git_volume: &'static str,
    /// HOME.
    pub git_home: &'static str,
    /// How git authenticates, `None` without a Secret.
    pub credentials: Option<Credentials>,
    /// The Secret's volume (with credentials).
    pub secret_volume: &'static str,
    /// Where the Secret is mounted (with credentials).
    pub secret_dir: &'static str,
    /// The passwd ConfigMap's volume (ssh).
    pub passwd_volume: &'static str,
}

/// The values `patterns/git-clone.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub common: Common,
    /// The repository URL.
    pub repo: String,
    /// The branch, tag or commit; empty for the remote's HEAD.
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// Environment and volumes.
    #[serde(flatten)]
    pub git: GitEnv,
}

/// The values `config/git-passwd.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PasswdConfig {
    /// The helpers' UID.
    pub uid: u32,
    /// Their HOME.
    pub home: &'static str,
}
