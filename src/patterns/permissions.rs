//! permissions: an init container that gives a shared volume to the app's user with
//! `chown -R UID:GID`, before anything else starts. It is the one podsmith container that runs
//! as root, with every capability dropped but CHOWN (change the owner of files it does not own)
//! and DAC_OVERRIDE (walk directories a previous owner left unreadable to others). Where the
//! volume supports it, the pod's `fsGroup` (`--fs-group`) does the same without root.

use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Related, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::wait_for::helper_resources;
use crate::patterns::{At, Overrides, Pattern, PatternKind, BUSYBOX};
use crate::plan::{Common, ContainerContext, ContainerTemplate, Mount, PodParts, Security, Volume};
use crate::spec::{Spec, WorkloadKind};

/// Pinned busybox: `chown -R` and `stat -c`.
pub(crate) const IMAGE: &str = BUSYBOX;
/// The emptyDir it prepares when the path is not the StatefulSet's storage.
pub(crate) const VOLUME: &str = "shared-data";
/// The capabilities it keeps: see the module documentation.
pub(crate) const CAPABILITIES: [&str; 2] = ["CHOWN", "DAC_OVERRIDE"];

/// What the permissions pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "permissions",
    aliases: &["volume-permissions"],
    lifecycle: Lifecycle::Init,
    purpose: "Init container that chowns a shared volume so a non-root app can write to it",
    details: "Runs busybox `chown -R UID:GID PATH` before anything else, as root with every \
capability dropped but CHOWN (change the owner of files it does not own) and DAC_OVERRIDE (walk \
directories a previous owner left unreadable). It does nothing when PATH is already owned by \
UID:GID, so a restarted pod starts at once. PATH is the StatefulSet's --storage volume, or a new \
emptyDir shared with the app.",
    avoid: "When the volume supports ownership management (emptyDir, most PersistentVolumes): \
use `--fs-group GID` instead, which sets the pod's securityContext.fsGroup and needs no root \
container at all. Keep this for volumes fsGroup does not reach (some NFS and hostPath volumes) or \
when files need a specific UID.",
    example: &["--volume-permissions", "1000:1000@/data"],
    options: &[Opt {
        flag: "volume-permissions",
        value_name: "UID:GID[@PATH]",
        takes: Takes::One,
        fallback: Fallback::Described("PATH: the --storage path"),
        help: "owner and group to give PATH and everything under it",
        example: "1000:1000@/data",
    }],
    related: &[Related {
        usage: "--fs-group GID",
        default: "unset",
        help: "the root-free alternative: pod securityContext.fsGroup",
    }],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "permissions",
        description: "give a shared volume to the app's non-root user (chown as root)",
        questions: &[Question {
            flag: "volume-permissions",
            prompt: "Owner and folder, UID:GID@PATH (PATH may be left out for --storage)",
            answer: Answer::Required("give the owner, e.g. 1000:1000@/data"),
        }],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    let Some(text) = flags.one("volume-permissions") else {
        return Ok(Vec::new());
    };
    let permissions = text
        .parse()
        .map_err(|rule: String| Error::invalid("--volume-permissions", text, rule))?;
    Ok(vec![Pattern::Permissions(permissions)])
}

/// Options of the permissions pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Permissions {
    /// The user ID to own the files.
    pub(crate) user: u32,
    /// The group ID to own the files.
    pub(crate) group: u32,
    /// The folder to give away (default: the StatefulSet's storage path). Any other path gets
    /// an emptyDir shared with the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) path: Option<String>,
    /// Container name (default `permissions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Image with `chown` and `stat` (default busybox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

impl FromStr for Permissions {
    type Err = String;

    /// Parses `UID:GID[@PATH]`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (owner, path) = match text.split_once('@') {
            Some((owner, path)) => (owner, Some(path.to_string())),
            None => (text, None),
        };
        let shape = "must be UID:GID[@PATH], e.g. `1000:1000@/data`";
        let (user, group) = owner.split_once(':').ok_or(shape)?;
        Ok(Permissions {
            user: user.parse().map_err(|_| shape)?,
            group: group.parse().map_err(|_| shape)?,
            path,
            name: None,
            image: None,
        })
    }
}

impl Permissions {
    /// The folder it prepares.
    pub(crate) fn path(&self, spec: &Spec) -> Option<String> {
        self.path.clone().or_else(|| {
            crate::image_env::storage_path(&spec.app)
                .filter(|_| spec.app.kind == WorkloadKind::StatefulSet)
        })
    }

    /// The volume at that folder: the storage claim, or the shared emptyDir.
    fn volume(&self, spec: &Spec, path: &str) -> &'static str {
        let on_storage = spec.app.kind == WorkloadKind::StatefulSet
            && crate::image_env::storage_path(&spec.app).as_deref() == Some(path);
        if on_storage {
            crate::plan::STORAGE_VOLUME
        } else {
            VOLUME
        }
    }
}

impl PatternKind for Permissions {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn check(&self, spec: &Spec, at: &At) -> Result<()> {
        let owner = format!("{}:{}", self.user, self.group);
        if self.user == 0 {
            return Err(at.invalid(
                "user",
                None,
                &owner,
                "giving files to root needs no init container",
            ));
        }
        match self.path(spec) {
            Some(path) => {
                names::absolute_path(&path).map_err(|rule| at.invalid("path", None, &path, rule))
            }
            None => Err(at.invalid(
                "path",
                None,
                &owner,
                "name the folder, e.g. `1000:1000@/data`, or add --storage to a StatefulSet",
            )),
        }
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let Some(path) = self.path(spec) else {
            return;
        };
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let volume = self.volume(spec, &path);
        let security = Security::root_with(&CAPABILITIES);
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &helper_resources(), &security),
            owner: format!("{}:{}", self.user, self.group),
            path: path.clone(),
            volume: volume.to_string(),
        });
        if volume == VOLUME {
            parts.add_volume(Volume::empty_dir(VOLUME));
        }
        parts.add_app_mount(Mount::writable(volume, path.clone()));
        parts.add_init(name, context);
    }
}

/// The values `patterns/permissions.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// `UID:GID`, the new owner.
    pub(crate) owner: String,
    /// The folder it gives them.
    pub(crate) path: String,
    /// The volume mounted there.
    pub(crate) volume: String,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/permissions.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_owner_and_path() {
        let p: Permissions = "1000:2000@/data".parse().unwrap();
        assert_eq!(
            (p.user, p.group, p.path.as_deref()),
            (1000, 2000, Some("/data"))
        );
        assert!("1000".parse::<Permissions>().is_err());
        assert!("a:b".parse::<Permissions>().is_err());
    }

    #[test]
    fn defaults_to_the_storage_path() {
        let mut spec = Spec::new("db", "postgres:16");
        spec.app.kind = WorkloadKind::StatefulSet;
        spec.app.storage = Some("1Gi@/var/lib/postgresql/data".parse().unwrap());
        let p: Permissions = "999:999".parse().unwrap();
        let path = p.path(&spec).unwrap();
        assert_eq!(p.volume(&spec, &path), crate::plan::STORAGE_VOLUME);
    }
}
