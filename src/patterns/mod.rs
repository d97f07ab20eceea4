//! The pattern catalog: one module per pattern, each with its options (as they appear in the
//! spec file), defaults, checks, and the containers, volumes and ConfigMaps it adds to a pod.
//!
//! Adding a pattern means: a module here (its options, declaration, and a `Context` that
//! implements [`ContainerTemplate`]), one line in `register!`, a template under
//! `templates/patterns/`, and snapshots.

pub(crate) mod adapter;
pub(crate) mod ambassador;
pub(crate) mod app;
pub(crate) mod colocated;
pub(crate) mod config_reloader;
pub mod declaration;
pub(crate) mod flags;
pub(crate) mod git_clone;
pub(crate) mod git_sync;
pub(crate) mod init_command;
pub(crate) mod log_shipper;
pub(crate) mod log_sidecar;
pub(crate) mod permissions;
pub(crate) mod proxy;
pub(crate) mod wait_for;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::{AppContext, Common, ContainerTemplate, DoneFile, PodParts};
use crate::spec::{Field, Spec};
use declaration::{Declaration, Lifecycle};

/// Registers the patterns: the spec file's `Pattern` enum, its dispatch, the list of
/// declarations, in start order (the order `new` adds them and `podsmith patterns` lists them),
/// and [`ContainerContext`], the values of each container template: the app's, then each
/// module's `Context`, which implements [`ContainerTemplate`].
macro_rules! register {
    ($($(#[$attribute:meta])* $variant:ident($module:ident::$options:ident),)*) => {
        /// One pattern with its options. The spec file names it by `type`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(tag = "type", rename_all = "kebab-case")]
        pub(crate) enum Pattern {
            $($(#[$attribute])* $variant($module::$options),)*
        }

        impl Pattern {
            fn kind(&self) -> &dyn PatternKind {
                match self {
                    $(Pattern::$variant(p) => p,)*
                }
            }
        }

        /// Every pattern's declaration, in start order, then the debug container.
        pub fn declarations() -> &'static [&'static Declaration] {
            &[$(&$module::DECLARATION,)* &crate::debug::DECLARATION]
        }

        /// The values of one container's template; the variant names the template.
        #[derive(Debug, Clone, Serialize)]
        #[serde(untagged)]
        pub(crate) enum ContainerContext {
            /// `containers/app.yaml.tera`.
            App(AppContext),
            $(
                /// The pattern's own container.
                $variant($module::Context),
            )*
        }

        $(
            impl From<$module::Context> for ContainerContext {
                fn from(context: $module::Context) -> ContainerContext {
                    ContainerContext::$variant(context)
                }
            }
        )*

        impl ContainerContext {
            /// Template path under `templates/`.
            pub(crate) fn template(&self) -> &'static str {
                match self {
                    ContainerContext::App(_) => AppContext::TEMPLATE,
                    $(ContainerContext::$variant(_) => $module::Context::TEMPLATE,)*
                }
            }

            /// The values every container template reads.
            pub(crate) fn common_mut(&mut self) -> &mut Common {
                match self {
                    ContainerContext::App(context) => context.common_mut(),
                    $(ContainerContext::$variant(context) => context.common_mut(),)*
                }
            }

            /// Makes the container a native sidecar: a restartable init container, with what
            /// its pattern adds (see [`ContainerTemplate::make_native`]).
            pub(crate) fn make_native(&mut self) {
                self.common_mut().restart_policy = Some("Always");
                match self {
                    ContainerContext::App(context) => context.make_native(),
                    $(ContainerContext::$variant(context) => context.make_native(),)*
                }
            }

            /// The done file of a Job's sidecar, for the sidecars that suit Jobs.
            pub(crate) fn done_file_mut(&mut self) -> Option<&mut DoneFile> {
                match self {
                    ContainerContext::App(context) => context.done_file_mut(),
                    $(ContainerContext::$variant(context) => context.done_file_mut(),)*
                }
            }
        }
    };
}

register! {
    /// Root init container that chowns a shared volume for a non-root app.
    #[serde(alias = "volume-permissions")]
    Permissions(permissions::Permissions),
    /// Init container that waits until a TCP dependency accepts connections.
    WaitFor(wait_for::WaitFor),
    /// Local proxy to an outside service.
    Ambassador(ambassador::Ambassador),
    /// Init container that shallow-clones a git repository into a shared volume.
    GitClone(git_clone::GitClone),
    /// Init container that runs a one-shot command (migration, config generation).
    InitCommand(init_command::InitCommand),
    /// Sidecar that streams the app's log file.
    LogSidecar(log_sidecar::LogSidecar),
    /// Sidecar that ships the app's log files to a backend with fluent-bit.
    LogShipper(log_shipper::LogShipper),
    /// Sidecar that keeps the cloned repository fresh.
    GitSync(git_sync::GitSync),
    /// Sidecar that tells the app to reload when its ConfigMap changes.
    ConfigReloader(config_reloader::ConfigReloader),
    /// Service-mesh-style Envoy sidecar in front of the app.
    Proxy(proxy::Proxy),
    /// Exporter that serves the app's metrics in Prometheus format.
    Adapter(adapter::Adapter),
    /// Another app container in the same pod.
    Container(colocated::Colocated),
}

/// Pinned busybox: the shell tools of the small helpers (`nc`, `tail`, `chown`) and the debug
/// container.
pub(crate) const BUSYBOX: &str = "busybox:1.36.1";

/// The declaration of the pattern named `name` (its ID or an alias).
pub(crate) fn declaration_of(name: &str) -> Option<&'static Declaration> {
    declarations().iter().copied().find(|d| d.is_named(name))
}

/// What every pattern module provides.
pub(crate) trait PatternKind {
    /// What it declares about itself.
    fn declaration(&self) -> &'static Declaration;
    /// The container name and image the spec gives in place of the pattern's own, if any.
    fn overrides(&self) -> Overrides<'_>;
    /// The container's name when the spec gives none: most patterns name it by their ID.
    fn default_name(&self) -> String {
        self.declaration().id.to_string()
    }
    /// The container it adds.
    fn container_name(&self) -> String {
        self.overrides()
            .name
            .map_or_else(|| self.default_name(), String::from)
    }
    /// The flag that sets spec field `field` of this pattern, when it is not the flag that
    /// adds the pattern.
    fn flag_of(&self, _field: &str) -> Option<&'static str> {
        None
    }
    /// Ports it listens on in the pod's shared network namespace.
    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        Vec::new()
    }
    /// Checks its options; `at` names the pattern's fields in errors.
    fn check(&self, spec: &Spec, at: &At) -> Result<()>;
    /// Adds its containers, volumes and ConfigMaps to the pod.
    fn contribute(&self, spec: &Spec, parts: &mut PodParts);
}

/// The container name and image a spec gives a pattern in place of its own. Every pattern's
/// are checked alike (in [`Pattern::check`]), so a module only says where they are.
pub(crate) struct Overrides<'a> {
    /// The container's name.
    pub(crate) name: Option<&'a str>,
    /// The container's image.
    pub(crate) image: Option<&'a str>,
}

impl<'a> Overrides<'a> {
    /// The optional `name` and `image` fields most patterns' options have.
    pub(crate) fn of(name: &'a Option<String>, image: &'a Option<String>) -> Overrides<'a> {
        Overrides {
            name: name.as_deref(),
            image: image.as_deref(),
        }
    }
}

/// Names a pattern's fields in errors: by flag, or by path in the spec file.
pub(crate) struct At {
    origin: Field,
    index: usize,
    flag: String,
}

impl At {
    /// How `field` (or `flag` on the command line) is named for the user.
    pub(crate) fn name(&self, field: &str, flag: Option<&str>) -> String {
        let path = format!("patterns[{}].{field}", self.index);
        self.origin.name(&path, flag.unwrap_or(&self.flag))
    }

    /// The error for `value` of `field` breaking `rule`.
    pub(crate) fn invalid(
        &self,
        field: &str,
        flag: Option<&str>,
        value: &str,
        rule: impl Into<String>,
    ) -> Error {
        let path = format!("patterns[{}].{field}", self.index);
        Error::invalid(
            self.origin.name(&path, flag.unwrap_or(&self.flag)),
            value,
            rule,
        )
    }
}

impl Pattern {
    /// What it declares about itself.
    pub(crate) fn declaration(&self) -> &'static Declaration {
        self.kind().declaration()
    }

    /// The pattern's ID, as in the spec file's `type`.
    pub(crate) fn id(&self) -> &'static str {
        self.declaration().id
    }

    /// How its container lives.
    pub(crate) fn lifecycle(&self) -> Lifecycle {
        self.declaration().lifecycle
    }

    /// The flag that adds it, with its dashes.
    pub(crate) fn flag(&self) -> String {
        if let Pattern::InitCommand(init) = self {
            if init.command.is_none() {
                // The image-only form comes from `--init NAME=IMAGE`.
                return "--init".to_string();
            }
        }
        let flag = self.declaration().adding_option().map(|o| o.flag);
        format!("--{}", flag.unwrap_or_default())
    }

    /// The container it adds.
    pub(crate) fn container_name(&self) -> String {
        self.kind().container_name()
    }

    /// Ports it claims in the pod's network namespace.
    pub(crate) fn ports(&self, spec: &Spec) -> Vec<u32> {
        self.kind().ports(spec)
    }

    /// Checks its options (pattern number `index` of the spec).
    pub(crate) fn check(&self, spec: &Spec, index: usize, origin: Field) -> Result<()> {
        let at = At {
            origin,
            index,
            flag: self.flag(),
        };
        let kind = self.kind();
        let overrides = kind.overrides();
        if let Some(name) = overrides.name {
            crate::names::dns_label(name)
                .map_err(|rule| at.invalid("name", kind.flag_of("name"), name, rule))?;
        }
        if let Some(image) = overrides.image {
            crate::names::image(image)
                .map_err(|rule| at.invalid("image", kind.flag_of("image"), image, rule))?;
        }
        self.kind().check(spec, &at)
    }

    /// Adds its parts to the pod.
    pub(crate) fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        self.kind().contribute(spec, parts);
    }
}

/// The git-clone pattern of a spec, if any (git-sync pairs with it).
pub(crate) fn git_clone_of(spec: &Spec) -> Option<&git_clone::GitClone> {
    spec.patterns.iter().find_map(|p| match p {
        Pattern::GitClone(clone) => Some(clone),
        _ => None,
    })
}
