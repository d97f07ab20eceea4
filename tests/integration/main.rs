//! The integration suite: one test binary, one module per feature.

/// The binary's allocator (see `src/main.rs`), so that the library runs here as it does there:
/// the matrix and corpus tests spend a sixth of their time allocating with the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Shared helpers: running the generator, snapshot settings, the binary.
mod support;

/// `podsmith add` on kubectl, hand-written and corpus inputs.
mod add;
/// Every workload kind and the newer patterns; patterns, explain, debug, templates.
mod catalog;
/// The command line: exit codes, one-line errors, files written or refused.
mod cli;
/// `podsmith validate` against kubernetes-validate on the real-world corpus.
mod corpus;
/// The patterns' declarations against the README, the spec-file docs and the schema.
mod declarations;
/// No input value can change the structure of the YAML.
mod escaping;
/// Every flag of `new` with invalid values: one line, exit 2, before rendering.
mod flags;
/// Exact rendered text of every pattern and common combinations, per kind and version.
mod generate;
/// `new --format kustomize`: a base and one Component per pattern, built by kubectl.
mod kustomize;
/// Log sidecar and shipper permissions, volumes, backends and credentials; adapter needs.
mod log_backends;
/// Every pattern combination × kind × version renders with no finding.
mod matrix;
/// Output formats and folders, file modes, pruning, asking only when something is missing.
mod output;
/// Port names by protocol, appProtocol, one port number per protocol.
mod ports;
/// `podsmith validate` formats for CI, the project file, long streams, the rule catalog.
mod reports;
/// Rendered containers run in a simulated pod with their images' real programs.
mod runtime;
/// `--schedule` takes the schedules the validator takes, and refuses the others in one line.
mod schedule;
/// The app container's security: baseline on defaults, the restricted level when asked.
mod security;
/// The seed documents' examples, reproduced by the commands the README lists.
mod seeds;
/// `podsmith render -f` and `podsmith schema`.
mod spec_file;
/// Where `--storage` goes without a path, from every front end.
mod storage;
/// A program on a pseudo-terminal, driven as a user would.
mod terminal;
/// `podsmith validate`: fixtures, exit codes, the kubernetes-validate cross-check, no panics.
mod validate;
/// The wizard, driven through a pseudo-terminal.
mod wizard;
