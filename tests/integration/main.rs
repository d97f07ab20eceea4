//! The integration suite: one test binary, one module per feature.

/// Shared helpers: running the generator, snapshot settings, the binary.
mod support;

/// Every workload kind and the newer patterns; patterns, explain, debug, templates.
mod catalog;
/// The command line: exit codes, one-line errors, files written or refused.
mod cli;
/// No input value can change the structure of the YAML.
mod escaping;
/// Exact rendered text of every pattern and common combinations, per kind and version.
mod generate;
/// The seed documents' examples, reproduced by the commands the README lists.
mod seeds;
