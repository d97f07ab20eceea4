//! The checkout git-clone writes and git-sync keeps fresh: the helpers' volumes, environment
//! and resources, and the credentials Secret wired by transport (with the passwd entry ssh
//! needs).

use serde::Serialize;

use super::repository::Transport;
use super::{
    GitClone, GIT_DIR, GIT_HOME, GIT_VOLUME, HELPER_PATH, PASSWD_KEY, PASSWD_PATH, PASSWD_VOLUME,
    SECRET_DIR, SECRET_VOLUME, VOLUME,
};
use crate::names;
use crate::plan::{ConfigEntry, ConfigMapPlan, ConfigTemplate, PodParts, Volume, HELPER_UID};
use crate::spec::Resources;

/// Requests and limits of a git helper: cloning needs more memory than a shell loop.
pub(crate) fn git_resources() -> Resources {
    Resources::new("50m", "64Mi", "500m", "256Mi")
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
        passwd_key: PASSWD_KEY,
        passwd_path: PASSWD_PATH,
    };
    parts.add_volume(Volume::empty_dir(VOLUME));
    parts.add_volume(Volume::empty_dir(GIT_VOLUME));
    let Some(secret) = &clone.secret else {
        return env;
    };
    parts.add_volume(Volume::secret(SECRET_VOLUME, secret));
    match Transport::of(&clone.repo) {
        Transport::Http => env.credentials = Some(Credentials::Http),
        Transport::Ssh => {
            env.credentials = Some(Credentials::Ssh);
            let config_map = names::derived_label(&format!("{app}-git-passwd"));
            parts.add_volume(Volume::config_map(PASSWD_VOLUME, config_map.clone()));
            if !parts.config_maps.iter().any(|c| c.name == config_map) {
                parts.config_maps.push(ConfigMapPlan {
                    name: config_map,
                    entries: vec![ConfigEntry::new(
                        PASSWD_KEY,
                        PasswdConfig {
                            uid: HELPER_UID,
                            home: GIT_HOME,
                        },
                    )],
                });
            }
        }
        Transport::Anonymous => {}
    }
    env
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
    pub(crate) path: &'static str,
    /// The checkout's volume.
    pub(crate) volume: &'static str,
    /// The repository (GIT_DIR), beside the checkout.
    pub(crate) git_dir: &'static str,
    /// The volume of the repository and HOME.
    pub(crate) git_volume: &'static str,
    /// HOME.
    pub(crate) git_home: &'static str,
    /// How git authenticates, `None` without a Secret.
    pub(crate) credentials: Option<Credentials>,
    /// The Secret's volume (with credentials).
    pub(crate) secret_volume: &'static str,
    /// Where the Secret is mounted (with credentials).
    pub(crate) secret_dir: &'static str,
    /// The passwd ConfigMap's volume (ssh).
    pub(crate) passwd_volume: &'static str,
    /// The passwd file's key in that ConfigMap (ssh).
    pub(crate) passwd_key: &'static str,
    /// Where the passwd file is mounted (ssh).
    pub(crate) passwd_path: &'static str,
}

/// The values `config/git-passwd.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PasswdConfig {
    /// The helpers' UID.
    pub(crate) uid: u32,
    /// Their HOME.
    pub(crate) home: &'static str,
}

impl ConfigTemplate for PasswdConfig {
    const TEMPLATE: &'static str = "config/git-passwd.tera";
}
