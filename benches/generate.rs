//! In-process cost of `podsmith new`: building the template engine (once per process) and
//! planning, rendering and validating a workload with three patterns.
#![allow(missing_docs)] // criterion's macros generate undocumented functions

use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion};
use podsmith::cli::{Cli, Command};
use podsmith::render::Engine;

/// The workload `bench/compare.sh` times as a whole process.
const ARGS: &[&str] = &[
    "podsmith",
    "new",
    "web",
    "--image",
    "ghcr.io/acme/web:1.4.2",
    "--port",
    "8080",
    "--wait-for",
    "postgres:5432",
    "--log-sidecar",
    "--ambassador",
    "6379=cache.example.com:6379",
];

fn bench_spec() -> podsmith::spec::Spec {
    let Command::New(args) = Cli::parse_from(ARGS).command else {
        unreachable!("ARGS is a new command")
    };
    podsmith::spec::from_flags(&args).expect("the bench spec is valid")
}

fn benches(c: &mut Criterion) {
    c.bench_function("engine_build", |b| {
        b.iter(|| Engine::builtin().expect("templates load"))
    });
    let engine = Engine::builtin().expect("templates load");
    let spec = bench_spec();
    c.bench_function("generate_three_patterns", |b| {
        b.iter(|| podsmith::pipeline::generate(&spec, &engine).expect("renders"))
    });
    c.bench_function("flags_to_spec", |b| b.iter(bench_spec));
}

criterion_group!(generate, benches);
criterion_main!(generate);
