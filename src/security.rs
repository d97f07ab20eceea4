//! The security of the containers that run the user's own images: the app, co-located
//! containers and an init command. Read by the plan stage; checked with the spec.
//!
//! podsmith cannot look inside an image, and two settings depend on what is inside:
//! `runAsNonRoot: true` makes the kubelet refuse, at start, an image whose user is root or a
//! name rather than a number, unless `runAsUser` gives the UID; and a read-only root
//! filesystem stops any program that writes where no volume is mounted. So the default is the
//! Pod Security Standards' `baseline` level, which starts any image that needs no privileges:
//! the image's own user, its own capabilities, a writable root filesystem. `restricted` is the
//! full hardening, complete when chosen: a numeric user (given, or known for a few official
//! images), no privilege escalation, every capability dropped, a read-only root filesystem with
//! an emptyDir at `/tmp`, at the paths the known images write to, and at each `--writable`
//! path. podsmith's own helpers always run restricted, whatever the app's level.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::known_images::{known, known_user};
use crate::names;
use crate::plan::{Mount, Security, Volume};
use crate::spec::{Field, Spec};

/// The pod annotation that records the Pod Security Standards level the user's containers are
/// written for; `podsmith validate` then holds them to that level's practice checks only.
pub(crate) const LEVEL_ANNOTATION: &str = "podsmith/security-profile";

/// A Pod Security Standards level for the containers that run the user's images.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Profile {
    /// Starts any image that needs no privileges: its own user and capabilities, a writable
    /// root filesystem (the default).
    #[default]
    Baseline,
    /// Fully hardened: a numeric non-root user, no privilege escalation, no capabilities, a
    /// read-only root filesystem with emptyDirs where the image writes.
    Restricted,
}

impl Profile {
    /// Every profile, in the order help texts list them.
    pub(crate) const ALL: [Profile; 2] = [Profile::Baseline, Profile::Restricted];

    /// The name on the command line and in the spec file.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Profile::Baseline => "baseline",
            Profile::Restricted => "restricted",
        }
    }

    fn is_baseline(&self) -> bool {
        *self == Profile::Baseline
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "baseline" => Ok(Profile::Baseline),
            "restricted" => Ok(Profile::Restricted),
            "privileged" => Err(
                "must be baseline or restricted: podsmith writes nothing that \
                 needs the privileged level; add such settings to the rendered manifest"
                    .into(),
            ),
            _ => Err("must be baseline or restricted (the Pod Security Standards levels)".into()),
        }
    }
}

/// Security of the containers that run the user's images (`app.security` in the spec file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AppSecurity {
    /// Pod Security Standards level: `baseline` (default) or `restricted`.
    #[serde(default, skip_serializing_if = "Profile::is_baseline")]
    pub(crate) profile: Profile,
    /// Numeric user the containers run as (default: the image's own user; required by
    /// `restricted` unless podsmith knows the image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) run_as_user: Option<u32>,
    /// Numeric primary group (default: the same number as the user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) run_as_group: Option<u32>,
    /// Mount the root filesystem read-only (default: yes for `restricted`, no for `baseline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) read_only_root_filesystem: Option<bool>,
    /// Paths that stay writable on a read-only root filesystem, each an emptyDir; `/tmp` and
    /// the paths of known images are added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) writable: Vec<String>,
}

impl AppSecurity {
    /// Whether nothing differs from the defaults (left out of spec files).
    pub(crate) fn is_default(&self) -> bool {
        *self == AppSecurity::default()
    }

    /// Whether the root filesystem is read-only.
    pub(crate) fn read_only_root(&self) -> bool {
        self.read_only_root_filesystem
            .unwrap_or(self.profile == Profile::Restricted)
    }
}

/// Parses `UID[:GID]`, e.g. `1000` or `1000:3000`.
pub(crate) fn parse_user(text: &str) -> std::result::Result<(u32, Option<u32>), String> {
    let number = |part: &str| {
        part.trim()
            .parse::<u32>()
            .map_err(|_| "must be a numeric UID[:GID], e.g. `1000` or `1000:3000`".to_string())
    };
    match text.split_once(':') {
        Some((user, group)) => Ok((number(user)?, Some(number(group)?))),
        None => Ok((number(text)?, None)),
    }
}

/// The numeric user and group a container running `image` is given: the user's choice, else
/// under `restricted` the image's known user; `None` leaves the image's own user.
pub(crate) fn run_as(spec: &Spec, image: &str) -> Option<(u32, u32)> {
    let settings = &spec.app.security;
    let chosen = settings
        .run_as_user
        .map(|uid| (uid, settings.run_as_group.unwrap_or(uid)));
    let restricted = settings.profile == Profile::Restricted;
    chosen.or_else(|| restricted.then(|| known_user(image)).flatten())
}

/// What the user must know when the app listens below 1024 as a user podsmith does not know:
/// only root binds such a port, unless the pod lowers `net.ipv4.ip_unprivileged_port_start`,
/// which podsmith does for a user it knows to be non-root.
pub(crate) fn low_port_warning(spec: &Spec) -> Option<String> {
    let app = &spec.app;
    let lowest = app.ports.iter().map(|p| p.container_port).min()?;
    let unknown = run_as(spec, &app.image).is_none() && known(&app.image).is_none();
    (unknown && lowest < 1024).then(|| {
        format!(
            "`{image}` listens on port {lowest}, which only root may bind: podsmith does not know \
             the image's user; if it is not root, give it with `--run-as-user UID[:GID]` \
             (app.security.runAsUser) and the pod lowers net.ipv4.ip_unprivileged_port_start to \
             {lowest}, or listen on a port from 1024",
            image = app.image
        )
    })
}

/// Where every read-only root filesystem gets an emptyDir: most programs need a temp folder.
const TMP: &str = "/tmp";

/// The security, extra mounts and volumes of one container that runs a user image.
pub(crate) struct Hardening {
    /// Its securityContext values.
    pub(crate) security: Security,
    /// emptyDir mounts that keep paths writable on a read-only root filesystem.
    pub(crate) mounts: Vec<Mount>,
    /// The emptyDir volumes those mounts use.
    pub(crate) volumes: Vec<Volume>,
}

/// The hardening of a container running `image` under the spec's app security. `mounts` are
/// the volumes the container already mounts: a path they cover needs no emptyDir. Its emptyDirs
/// are named after `owner`: the app's are shared with the init command, which runs before it
/// (so nothing an init container writes is an unused volume); a co-located container, which
/// runs beside the app, has its own.
pub(crate) fn harden(spec: &Spec, owner: &str, image: &str, mounts: &[Mount]) -> Hardening {
    let settings = &spec.app.security;
    let restricted = settings.profile == Profile::Restricted;
    let known = known(image);
    let user = run_as(spec, image);
    let read_only = settings.read_only_root();
    let mut writable_mounts = Vec::new();
    let mut volumes = Vec::new();
    if read_only {
        let known_writes = known.as_ref().map_or(&[][..], |k| k.writes);
        let mut paths: Vec<&str> = vec![TMP];
        paths.extend(known_writes);
        paths.extend(settings.writable.iter().map(String::as_str));
        for path in paths {
            let path = path.trim_end_matches('/');
            let covered = mounts
                .iter()
                .chain(&writable_mounts)
                .any(|m: &Mount| m.path.trim_end_matches('/') == path);
            if covered {
                continue;
            }
            let name = volume_name(spec, owner, path);
            writable_mounts.push(Mount::writable(name.clone(), path));
            volumes.push(Volume::empty_dir(name));
        }
    }
    Hardening {
        security: Security {
            hardened: restricted,
            run_as_user: user.map(|(uid, _)| uid),
            run_as_group: user.map(|(_, gid)| gid),
            run_as_non_root: user.map(|(uid, _)| uid != 0),
            read_only_root_filesystem: read_only,
            add_capabilities: Vec::new(),
        },
        mounts: writable_mounts,
        volumes,
    }
}

/// `writable-tmp` for the app, `worker-tmp` for a co-located `worker`: the path as a DNS label
/// after the owner, so two containers that run side by side never share a temp folder.
fn volume_name(spec: &Spec, owner: &str, path: &str) -> String {
    let slug = crate::names::derived_label(path);
    let name = if owner == spec.app.name {
        format!("writable-{slug}")
    } else {
        format!("{owner}-{slug}")
    };
    let mut name: String = name.chars().take(63).collect();
    while name.ends_with('-') {
        name.pop();
    }
    name
}

/// Checks the app security settings: valid paths, a user `restricted` can run as.
pub(crate) fn check(spec: &Spec, origin: Field) -> Result<()> {
    let settings = &spec.app.security;
    let field = |path: &str, flag: &str| origin.name(&format!("app.security.{path}"), flag);
    if settings.run_as_group.is_some() && settings.run_as_user.is_none() {
        return Err(Error::invalid(
            field("runAsGroup", "--run-as-user"),
            settings.run_as_group.unwrap_or_default().to_string(),
            "a group needs a user: give runAsUser too",
        ));
    }
    for path in &settings.writable {
        names::mount_path(path)
            .map_err(|rule| Error::invalid(field("writable", "--writable"), path, rule))?;
    }
    if !settings.writable.is_empty() && !settings.read_only_root() {
        return Err(Error::Usage(format!(
            "`{}` keeps paths writable on a read-only root filesystem: add {}",
            field("writable", "--writable"),
            match origin {
                Field::Flags => "--read-only-root or --security restricted",
                Field::SpecFile =>
                    "app.security.readOnlyRootFilesystem: true or profile: restricted",
            }
        )));
    }
    if settings.profile == Profile::Restricted {
        if settings.run_as_user == Some(0) {
            return Err(Error::invalid(
                field("runAsUser", "--run-as-user"),
                "0",
                "the restricted level runs as a non-root user: give the image's non-root UID",
            ));
        }
        if let Some(index) = spec
            .patterns
            .iter()
            .position(|p| matches!(p, crate::patterns::Pattern::Permissions(_)))
        {
            return Err(Error::Usage(format!(
                "`{}` runs a root init container, which the restricted level forbids: give `{}` instead, or keep the baseline level",
                origin.name(&format!("patterns[{index}]"), "--volume-permissions"),
                origin.name("app.fsGroup", "--fs-group"),
            )));
        }
        for (container, image) in user_images(spec) {
            if settings.run_as_user.is_none() && known(image).and_then(|k| k.user).is_none() {
                return Err(Error::Usage(format!(
                    "`{}` needs `{}`: podsmith does not know which user `{image}` (container `{container}`) runs as, and runAsNonRoot without a numeric user is refused at start when the image's user is root or a name",
                    field("profile", "--security restricted"),
                    field("runAsUser", "--run-as-user UID[:GID]"),
                )));
            }
        }
    }
    Ok(())
}

/// The containers that run the user's images, with their images.
fn user_images(spec: &Spec) -> Vec<(String, &str)> {
    use crate::patterns::Pattern;
    let mut out = vec![(spec.app.name.clone(), spec.app.image.as_str())];
    for pattern in &spec.patterns {
        match pattern {
            Pattern::Container(c) => out.push((c.name.clone(), &c.image)),
            Pattern::InitCommand(init) => out.push((
                pattern.container_name(),
                init.image.as_deref().unwrap_or(&spec.app.image),
            )),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users() {
        assert_eq!(parse_user("1000"), Ok((1000, None)));
        assert_eq!(parse_user("1000:3000"), Ok((1000, Some(3000))));
        assert!(parse_user("nginx").is_err());
        assert!(parse_user("1000:").is_err());
        assert!(parse_user("-1").is_err());
    }

    #[test]
    fn profiles() {
        assert_eq!("Restricted".parse(), Ok(Profile::Restricted));
        assert!("privileged"
            .parse::<Profile>()
            .unwrap_err()
            .contains("baseline or restricted"));
    }
}
