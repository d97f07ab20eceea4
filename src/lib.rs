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
//! - [`plan`]: turns a `Spec` into the pod's containers, volumes and extra resources.
//! - [`render`]: lays a plan out as YAML through the embedded tera templates.
//! - [`validate`]: checks any manifest stream; findings are data.
//! - [`wizard`]: the interactive front end: asks, summarizes, writes manifests and a spec file.
//! - [`add`]: puts patterns into existing manifests, keeping the rest as it is.
//! - [`kustomize`]: the workload as a Kustomize base and one Component per pattern.
//! - [`output`]: prints the stream or writes files atomically.
//! - [`run`]: dispatch, error printing and exit codes.

pub mod add;
pub mod batch;
pub mod cli;
pub mod debug;
pub mod error;
pub mod explain;
pub mod image_env;
pub mod kube_version;
pub mod kustomize;
pub mod names;
pub mod output;
pub mod patterns;
pub mod pipeline;
pub mod plan;
pub mod project;
pub mod quantity;
pub mod render;
pub mod rule_catalog;
pub mod run;
pub mod security;
pub mod shell;
pub mod spec;
pub mod templates;
pub mod validate;
pub mod wizard;
pub mod yaml;

pub use run::run;
