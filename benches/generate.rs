//! In-process cost of `podsmith new`: planning, rendering and validating a workload with three
//! patterns, on a fresh engine (what one process does: the templates it uses are parsed on the
//! way) and on a warm one (rendering and validating alone); parsing every built-in template.
#![allow(missing_docs)] // criterion's macros generate undocumented functions

use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion};
use podsmith::cli::{Cli, Command};
use podsmith::render::Engine;

/// The workload `benches/compare.sh` times as a whole process.
const ARGS: &[&str] = &[
    "podsmith",
    "new",
    "web",
    "--image",
    "nginx:1.27",
    "--wait-for",
    "db:5432",
    "--log-sidecar",
    "--ambassador",
    "6379=redis.example.com:6379",
];

fn bench_spec() -> podsmith::spec::Spec {
    let Command::New(args) = Cli::parse_from(ARGS).command else {
        unreachable!("ARGS is a new command")
    };
    podsmith::spec::from_flags(&args).expect("the bench spec is valid")
}

fn benches(c: &mut Criterion) {
    let spec = bench_spec();
    c.bench_function("generate_three_patterns_cold", |b| {
        b.iter(|| podsmith::pipeline::generate(&spec, &Engine::builtin()).expect("renders"))
    });
    let engine = Engine::builtin();
    c.bench_function("generate_three_patterns_warm", |b| {
        b.iter(|| podsmith::pipeline::generate(&spec, &engine).expect("renders"))
    });
    c.bench_function("parse_all_templates", |b| {
        b.iter(|| Engine::builtin().parse_all().expect("templates parse"))
    });
    c.bench_function("flags_to_spec", |b| b.iter(bench_spec));
}

criterion_group!(generate, benches);
criterion_main!(generate);
