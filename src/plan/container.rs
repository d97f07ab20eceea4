//! One container of the plan: its role in the pod and the typed values its template prints.
//!
//! Each container template has one `Serialize` struct implementing [`ContainerTemplate`] (the
//! patterns' own live in their modules), and [`ContainerContext`], generated from the pattern
//! registration, names the template of each: a template is never picked by a string the
//! compiler cannot check. Decisions (a startup probe for a native sidecar, the
//! done file of a Job's sidecar) are taken here and in the patterns, never in a template.

use serde::Serialize;

pub(crate) use crate::patterns::ContainerContext;
use crate::spec::{EnvVar, Resources};

use super::Mount;

/// How a container takes part in the pod's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Role {
    /// Runs to completion before the app starts.
    Init,
    /// A restartable init container: starts before the app, runs beside it, stops after it.
    NativeSidecar,
    /// A helper in `containers`, started with the app (no start order).
    Sidecar,
    /// The app or a co-located container.
    App,
}

/// One container: its role and the values its template prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContainerPlan {
    /// Container name.
    pub(crate) name: String,
    /// Its role in the pod.
    pub(crate) role: Role,
    /// Its template's values; the variant names the template.
    pub(crate) context: ContainerContext,
}

impl ContainerPlan {
    /// Template path under `templates/`.
    pub(crate) fn template(&self) -> &'static str {
        self.context.template()
    }
}

/// What every container template reads: the name and image lines and
/// `_partials/container-common.yaml.tera`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Common {
    /// Container name.
    pub(crate) name: String,
    /// Image reference.
    pub(crate) image: String,
    /// Requests and limits.
    pub(crate) resources: Resources,
    /// The securityContext, `None` when it would hold nothing.
    pub(crate) security: Option<Security>,
    /// `Always` for a native sidecar.
    pub(crate) restart_policy: Option<&'static str>,
}

impl Common {
    /// The common values of a container that is not (yet) a native sidecar.
    pub(crate) fn new(
        name: &str,
        image: &str,
        resources: &Resources,
        security: &Security,
    ) -> Common {
        Common {
            name: name.to_string(),
            image: image.to_string(),
            resources: resources.clone(),
            security: (!security.is_empty()).then(|| security.clone()),
            restart_policy: None,
        }
    }
}

/// The done file of a Job's sidecar before native sidecars (see [`crate::batch`]): with it
/// set, the sidecar runs its command under a loop that stops it once the app creates the file.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct DoneFile {
    /// The file the app creates when it has finished.
    pub(crate) done_file: Option<&'static str>,
    /// Its folder, where the sidecar mounts the shared volume.
    pub(crate) done_dir: Option<&'static str>,
    /// The shared volume.
    pub(crate) done_volume: Option<&'static str>,
}

/// The app container (`containers/app.yaml.tera`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AppContext {
    /// Name, image, resources, security.
    #[serde(flatten)]
    pub(crate) common: Common,
    /// The command (entrypoint), empty for the image's own.
    pub(crate) command: Vec<String>,
    /// The arguments, empty for the image's own.
    pub(crate) args: Vec<String>,
    /// Named ports.
    pub(crate) ports: Vec<ContainerPort>,
    /// Environment variables.
    pub(crate) env: Vec<EnvVar>,
    /// ConfigMaps and Secrets whose keys become variables.
    pub(crate) env_from: Vec<EnvSource>,
    /// Volume mounts.
    pub(crate) mounts: Vec<Mount>,
    /// The port name the readiness and liveness probes check, `None` for no probes.
    pub(crate) probe_port: Option<String>,
    /// An HTTP path for the probes instead of a TCP check.
    pub(crate) health_path: Option<String>,
}

/// A ConfigMap or Secret whose keys become variables (`envFrom`), as the template prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct EnvSource {
    /// `configMapRef` or `secretRef`.
    pub(crate) reference: &'static str,
    /// The ConfigMap's or Secret's name.
    pub(crate) name: String,
}

impl EnvSource {
    /// The `envFrom` entries of these sources.
    pub(crate) fn all(sources: &[crate::spec::EnvFrom]) -> Vec<EnvSource> {
        sources
            .iter()
            .map(|source| EnvSource {
                reference: match source {
                    crate::spec::EnvFrom::ConfigMap(_) => "configMapRef",
                    crate::spec::EnvFrom::Secret(_) => "secretRef",
                },
                name: source.name().to_string(),
            })
            .collect()
    }
}

/// A container port.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ContainerPort {
    /// Port name.
    pub(crate) name: String,
    /// Port number.
    pub(crate) number: u32,
    /// `TCP`, `UDP` or `SCTP`.
    pub(crate) protocol: &'static str,
}

/// The values of one container's template: implemented by the app's context and by each
/// pattern's `Context` in its own module, so the registration line of a pattern (in
/// [`crate::patterns`]) is all [`ContainerContext`] needs to name its template.
pub(crate) trait ContainerTemplate: Serialize {
    /// Template path under `templates/`.
    const TEMPLATE: &'static str;

    /// The values every container template reads.
    fn common_mut(&mut self) -> &mut Common;

    /// What the container needs as a native sidecar besides its restart policy: a startup
    /// probe where the containers after it must wait until it listens.
    fn make_native(&mut self) {}

    /// The done file of a Job's sidecar, for the sidecars that suit Jobs; the others are
    /// refused on Jobs before a plan is built.
    fn done_file_mut(&mut self) -> Option<&mut DoneFile> {
        None
    }
}

impl ContainerTemplate for AppContext {
    const TEMPLATE: &'static str = "containers/app.yaml.tera";

    fn common_mut(&mut self) -> &mut Common {
        &mut self.common
    }
}

/// The securityContext of one container.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Security {
    /// The restricted level's hardening: no privilege escalation, every capability dropped.
    pub(crate) hardened: bool,
    /// A fixed numeric user, or `None` for the image's own.
    pub(crate) run_as_user: Option<u32>,
    /// A fixed numeric primary group, or `None` for the image's own.
    pub(crate) run_as_group: Option<u32>,
    /// `runAsNonRoot`, written only with a user that satisfies it (or for a root step).
    pub(crate) run_as_non_root: Option<bool>,
    /// Mount the root filesystem read-only.
    pub(crate) read_only_root_filesystem: bool,
    /// Capabilities added back after dropping all.
    pub(crate) add_capabilities: Vec<&'static str>,
}

/// The user helper containers run as: non-root, and the conventional "nonroot" UID.
pub(crate) const HELPER_UID: u32 = 65532;

impl Security {
    /// A helper image: the restricted level, a fixed non-root user, read-only root filesystem.
    pub(crate) fn helper() -> Security {
        Security {
            hardened: true,
            run_as_user: Some(HELPER_UID),
            run_as_group: Some(HELPER_UID),
            run_as_non_root: Some(true),
            read_only_root_filesystem: true,
            add_capabilities: Vec::new(),
        }
    }

    /// Root with only `capabilities` added back: for a setup step that must change file
    /// ownership, and nothing else.
    pub(crate) fn root_with(capabilities: &[&'static str]) -> Security {
        Security {
            hardened: true,
            run_as_user: Some(0),
            run_as_group: Some(0),
            run_as_non_root: Some(false),
            read_only_root_filesystem: true,
            add_capabilities: capabilities.to_vec(),
        }
    }

    /// Whether the securityContext would hold nothing: the image's user, no hardening. A key
    /// is left out rather than written with a value that could stop the image starting.
    fn is_empty(&self) -> bool {
        !self.hardened && !self.read_only_root_filesystem && self.run_as_user.is_none()
    }
}
