//! podsmith writes Kubernetes multi-container workloads that are valid by construction.
//!
//! The pipeline, one stage per module, no globals:
//!
//! ```text
//! flags (cli) ──► spec::from_flags ─┐
//!                                   ├─► Spec ─► plan ─► render ─► validate ─► output
//! spec file / wizard ───────────────┘
//! ```
//!
//! - [`spec`]: the one data model every front end builds, with its checks.
//! - [`patterns`]: one module per pattern: options, defaults, checks, containers it adds.
//! - [`security`]: the Pod Security Standards level of the containers that run the user's
//!   images, their user and writable paths.
//! - [`known_images`]: what podsmith knows of a few official images: user, writes, data.
//! - [`image_env`]: what known images need in their environment (a password, PGDATA).
//! - [`plan`]: turns a `Spec` into the pod's containers, volumes and extra resources.
//! - [`render`]: lays a plan out as YAML through the embedded tera templates.
//! - [`validate`]: checks any manifest stream; findings are data.
//! - [`wizard`]: the interactive front end: asks, summarizes, writes manifests and a spec file.
//! - [`add`]: puts patterns into existing manifests, keeping the rest as it is.
//! - [`kustomize`]: the workload as a Kustomize base and one Component per pattern.
//! - [`output`]: prints the stream or writes files atomically.
//! - [`run`]: dispatch, error printing and exit codes.

// What the binary, the integration tests and the benches use is `pub`; everything else is
// `pub(crate)` or private, and this lint keeps it so.
#![warn(unreachable_pub)]

pub mod add;
mod batch;
pub mod cli;
mod cron;
mod debug;
pub mod error;
mod explain;
mod image_env;
mod known_images;
pub mod kube_version;
mod kustomize;
mod names;
mod output;
pub mod patterns;
pub mod pipeline;
mod plan;
mod project;
mod quantity;
pub mod render;
mod rule_catalog;
pub mod run;
mod security;
mod shell;
pub mod spec;
mod templates;
pub mod validate;
mod wizard;
pub mod yaml;

pub use run::run;
