//! log-sidecar: the app writes a log file on a shared emptyDir; a sidecar follows it by name
//! (surviving rotation) and streams it to its own stdout, where the cluster's log pipeline
//! picks it up.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::names;
use crate::patterns::declaration::{
    Answer, Choice, Declaration, Fallback, Lifecycle, Opt, Question, Takes,
};
use crate::patterns::flags::PatternFlags;
use crate::patterns::wait_for::helper_resources;
use crate::patterns::{At, Overrides, Pattern, PatternKind, BUSYBOX};
use crate::plan::{
    Common, ContainerContext, ContainerTemplate, DoneFile, Mount, PodParts, Security, Volume,
};
use crate::spec::Spec;

/// Pinned busybox, for `tail -F`.
pub(crate) const IMAGE: &str = BUSYBOX;
/// The log file when none is given.
pub(crate) const DEFAULT_PATH: &str = "/var/log/app/app.log";
/// The shared volume holding the logs.
pub(crate) const VOLUME: &str = "app-logs";
/// The most the log volume may hold: past it the kubelet evicts the pod rather than let logs
/// the app never rotates fill the node's disk.
pub(crate) const SIZE_LIMIT: &str = "1Gi";
/// The pod's `fsGroup` when none is given, so the sidecars can read what the app writes: the
/// kubelet gives the log emptyDir this group with the setgid bit, every file the app creates
/// there inherits it, and every container of the pod has it as a supplementary group. A file
/// the app writes 0640 is then readable by the sidecar's user.
pub(crate) const LOG_GROUP: u32 = crate::plan::HELPER_UID;

/// What the log-sidecar pattern declares.
pub(crate) const DECLARATION: Declaration = Declaration {
    id: "log-sidecar",
    aliases: &[],
    lifecycle: Lifecycle::Sidecar,
    purpose: "Sidecar that streams the app's log file to stdout for the cluster's log pipeline",
    details: "The app writes a file on a shared emptyDir; busybox `tail -n+1 -F` follows it \
by name (surviving rotation) and prints it, where `kubectl logs POD -c log-sidecar` and node \
log agents see it. It runs as UID 65532; the pod's fsGroup (65532 unless --fs-group is given) \
owns the log volume with the setgid bit, so every file the app writes there belongs to that \
group, which every container has: a file written 0640 is readable, one written 0600 is not. \
The volume holds at most 1Gi (sizeLimit); past that the kubelet evicts the pod.",
    avoid: "When the app can log to stdout itself: that needs no sidecar. To send logs to a \
backend, use log-shipper.",
    example: &["--log-sidecar", DEFAULT_PATH],
    options: &[Opt {
        flag: "log-sidecar",
        value_name: "FILE",
        takes: Takes::Optional,
        fallback: Fallback::Value(DEFAULT_PATH),
        help: "the log file the app writes",
        example: "/var/log/nginx/access.log",
    }],
    related: &[],
    unsuitable: &[],
    requires: None,
    wizard: &[Choice {
        label: "log-sidecar",
        description: "stream a log file the app writes into the pod's logs",
        questions: &[Question {
            flag: "log-sidecar",
            prompt: "Log file the app writes",
            answer: Answer::Optional { suggest: None },
        }],
    }],
    from_flags: Some(from_flags),
};

fn from_flags(flags: &PatternFlags) -> Result<Vec<Pattern>> {
    Ok(flags
        .one("log-sidecar")
        .map(|path| Pattern::LogSidecar(LogSidecar::new(path)))
        .into_iter()
        .collect())
}

/// Options of the log-sidecar pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LogSidecar {
    /// The log file the app writes; its folder is shared between the two containers.
    #[serde(default = "default_path")]
    pub(crate) path: String,
    /// Container name (default `log-sidecar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// Image with `tail` (default busybox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) image: Option<String>,
}

fn default_path() -> String {
    DEFAULT_PATH.into()
}

/// The folder of log file `path` (`/` for a file at the root, which the checks refuse): the
/// log patterns share a folder, not a file, since the app makes and rotates files in it.
pub(crate) fn folder_of(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((dir, _)) => dir,
    }
}

impl LogSidecar {
    /// Follows `path`.
    pub(crate) fn new(path: &str) -> LogSidecar {
        LogSidecar {
            path: path.into(),
            name: None,
            image: None,
        }
    }

    /// The folder shared between the app and the sidecar.
    pub(crate) fn dir(&self) -> &str {
        folder_of(&self.path)
    }
}

impl PatternKind for LogSidecar {
    fn declaration(&self) -> &'static Declaration {
        &DECLARATION
    }

    fn overrides(&self) -> Overrides<'_> {
        Overrides::of(&self.name, &self.image)
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        names::absolute_path(&self.path)
            .map_err(|rule| at.invalid("path", None, &self.path, rule))?;
        if self.path.ends_with('/') || self.dir() == "/" {
            return Err(at.invalid(
                "path",
                None,
                &self.path,
                "must be a file inside a folder, such as `/var/log/app/app.log`",
            ));
        }
        Ok(())
    }

    fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let context = ContainerContext::from(Context {
            common: Common::new(&name, image, &helper_resources(), &Security::helper()),
            done: DoneFile::default(),
            path: self.path.clone(),
            dir: self.dir().to_string(),
            volume: VOLUME,
        });
        parts.add_volume(Volume::bounded_empty_dir(VOLUME, SIZE_LIMIT));
        parts.app_mounts.push(Mount::writable(VOLUME, self.dir()));
        parts.add_sidecar(spec.app.kube_version, name, context);
    }
}

/// The values `patterns/log-sidecar.yaml.tera` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Context {
    /// Name, image, resources, security, restart policy.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// A Job's done file before native sidecars.
    #[serde(flatten)]
    pub(crate) done: DoneFile,
    /// The log file it follows.
    pub(crate) path: String,
    /// Its folder, the shared volume's mount path.
    pub(crate) dir: String,
    /// The shared volume.
    pub(crate) volume: &'static str,
}

impl ContainerTemplate for Context {
    const TEMPLATE: &'static str = "patterns/log-sidecar.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }

    fn done_file_mut(&mut self) -> Option<&mut DoneFile> {
        Some(&mut self.done)
    }
}
