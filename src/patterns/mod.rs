//! The pattern catalog: one module per pattern, each with its options (as they appear in the
//! spec file), defaults, checks, and the containers, volumes and ConfigMaps it adds to a pod.
//!
//! Adding a pattern means: a module here, a variant of [`Pattern`], a template under
//! `templates/patterns/`, and snapshots.

pub mod adapter;
pub mod ambassador;
pub mod app;
pub mod catalog;
pub mod colocated;
pub mod config_reloader;
pub mod git_clone;
pub mod git_sync;
pub mod init_command;
pub mod log_shipper;
pub mod log_sidecar;
pub mod permissions;
pub mod proxy;
pub mod wait_for;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::PodParts;
use crate::spec::{Field, Spec};

/// One pattern with its options. The spec file names it by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Pattern {
    /// Init container that waits until a TCP dependency accepts connections.
    WaitFor(wait_for::WaitFor),
    /// Init container that shallow-clones a git repository into a shared volume.
    GitClone(git_clone::GitClone),
    /// Sidecar that keeps the cloned repository fresh.
    GitSync(git_sync::GitSync),
    /// Init container that runs a one-shot command (migration, config generation).
    InitCommand(init_command::InitCommand),
    /// Sidecar that streams the app's log file.
    LogSidecar(log_sidecar::LogSidecar),
    /// Local proxy to an outside service.
    Ambassador(ambassador::Ambassador),
    /// Exporter that serves the app's metrics in Prometheus format.
    Adapter(adapter::Adapter),
    /// Another app container in the same pod.
    Container(colocated::Colocated),
    /// Sidecar that ships the app's log files to a backend with fluent-bit.
    LogShipper(log_shipper::LogShipper),
    /// Service-mesh-style Envoy sidecar in front of the app.
    Proxy(proxy::Proxy),
    /// Sidecar that tells the app to reload when its ConfigMap changes.
    ConfigReloader(config_reloader::ConfigReloader),
    /// Root init container that chowns a shared volume for a non-root app.
    Permissions(permissions::Permissions),
}

/// What every pattern module provides.
pub trait PatternKind {
    /// The pattern's ID (`wait-for`), as in the spec file's `type`.
    fn id(&self) -> &'static str;
    /// The flag that adds it (`--wait-for`).
    fn flag(&self) -> &'static str;
    /// The container it adds.
    fn container_name(&self) -> String;
    /// Ports it listens on in the pod's shared network namespace.
    fn ports(&self, _spec: &Spec) -> Vec<u32> {
        Vec::new()
    }
    /// Checks its options; `at` names the pattern's fields in errors.
    fn check(&self, spec: &Spec, at: &At) -> Result<()>;
    /// Adds its containers, volumes and ConfigMaps to the pod.
    fn contribute(&self, spec: &Spec, parts: &mut PodParts);
}

/// Names a pattern's fields in errors: by flag, or by path in the spec file.
pub struct At {
    origin: Field,
    index: usize,
    flag: &'static str,
}

impl At {
    /// The error for `value` of `field` breaking `rule`.
    pub fn invalid(
        &self,
        field: &str,
        flag: Option<&str>,
        value: &str,
        rule: impl Into<String>,
    ) -> Error {
        let path = format!("patterns[{}].{field}", self.index);
        Error::invalid(
            self.origin.name(&path, flag.unwrap_or(self.flag)),
            value,
            rule,
        )
    }
}

impl Pattern {
    fn kind(&self) -> &dyn PatternKind {
        match self {
            Pattern::WaitFor(p) => p,
            Pattern::GitClone(p) => p,
            Pattern::GitSync(p) => p,
            Pattern::InitCommand(p) => p,
            Pattern::LogSidecar(p) => p,
            Pattern::Ambassador(p) => p,
            Pattern::Adapter(p) => p,
            Pattern::Container(p) => p,
            Pattern::LogShipper(p) => p,
            Pattern::Proxy(p) => p,
            Pattern::ConfigReloader(p) => p,
            Pattern::Permissions(p) => p,
        }
    }

    /// The pattern's ID, as in the spec file's `type`.
    pub fn id(&self) -> &'static str {
        self.kind().id()
    }

    /// Its one-line purpose, from the [`catalog`].
    pub fn purpose(&self) -> &'static str {
        catalog::purpose(self.id()).unwrap_or_default()
    }

    /// How its container lives, from the [`catalog`].
    pub fn lifecycle(&self) -> catalog::Lifecycle {
        catalog::entry(self.id()).map_or(catalog::Lifecycle::App, |e| e.lifecycle)
    }

    /// The flag that adds it.
    pub fn flag(&self) -> &'static str {
        self.kind().flag()
    }

    /// The container it adds.
    pub fn container_name(&self) -> String {
        self.kind().container_name()
    }

    /// Ports it claims in the pod's network namespace.
    pub fn ports(&self, spec: &Spec) -> Vec<u32> {
        self.kind().ports(spec)
    }

    /// Checks its options (pattern number `index` of the spec).
    pub fn check(&self, spec: &Spec, index: usize, origin: Field) -> Result<()> {
        let at = At {
            origin,
            index,
            flag: self.flag(),
        };
        if let Some(name) = self.name_override() {
            crate::names::dns_label(name).map_err(|rule| at.invalid("name", None, name, rule))?;
        }
        if let Some(image) = self.image_override() {
            crate::names::image(image).map_err(|rule| at.invalid("image", None, image, rule))?;
        }
        self.kind().check(spec, &at)
    }

    /// Adds its parts to the pod.
    pub fn contribute(&self, spec: &Spec, parts: &mut PodParts) {
        self.kind().contribute(spec, parts);
    }

    fn name_override(&self) -> Option<&str> {
        match self {
            Pattern::WaitFor(p) => p.name.as_deref(),
            Pattern::GitClone(p) => p.name.as_deref(),
            Pattern::GitSync(p) => p.name.as_deref(),
            Pattern::InitCommand(p) => p.name.as_deref(),
            Pattern::LogSidecar(p) => p.name.as_deref(),
            Pattern::Ambassador(p) => p.name.as_deref(),
            Pattern::Adapter(p) => p.name.as_deref(),
            Pattern::Container(p) => Some(&p.name),
            Pattern::LogShipper(p) => p.name.as_deref(),
            Pattern::Proxy(p) => p.name.as_deref(),
            Pattern::ConfigReloader(p) => p.name.as_deref(),
            Pattern::Permissions(p) => p.name.as_deref(),
        }
    }

    fn image_override(&self) -> Option<&str> {
        match self {
            Pattern::WaitFor(p) => p.image.as_deref(),
            Pattern::GitClone(p) => p.image.as_deref(),
            Pattern::GitSync(p) => p.image.as_deref(),
            Pattern::InitCommand(p) => p.image.as_deref(),
            Pattern::LogSidecar(p) => p.image.as_deref(),
            Pattern::Ambassador(p) => p.image.as_deref(),
            Pattern::Adapter(p) => p.image.as_deref(),
            Pattern::Container(p) => Some(&p.image),
            Pattern::LogShipper(p) => p.image.as_deref(),
            Pattern::Proxy(p) => p.image.as_deref(),
            Pattern::ConfigReloader(p) => p.image.as_deref(),
            Pattern::Permissions(p) => p.image.as_deref(),
        }
    }
}

/// The git-clone pattern of a spec, if any (git-sync pairs with it).
pub fn git_clone_of(spec: &Spec) -> Option<&git_clone::GitClone> {
    spec.patterns.iter().find_map(|p| match p {
        Pattern::GitClone(clone) => Some(clone),
        _ => None,
    })
}
