//! In-process cost of `podsmith new`: planning, rendering and validating a workload with three
//! patterns, on a fresh engine (what one process does: the templates it uses are parsed on the
//! way) and on a warm one (rendering and validating alone); loading every built-in template from
//! its prebuilt syntax tree, and parsing the same text with tera.
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
    c.bench_function("load_all_prebuilt_templates", |b| {
        b.iter(|| Engine::builtin().load_all().expect("templates load"))
    });
    // What the same templates cost through tera's parser, as a user's copy is loaded.
    let texts = podsmith::render::template_files();
    c.bench_function("tera_parse_all_templates", |b| {
        b.iter(|| {
            let mut tera = tera::Tera::default();
            for (name, text) in &texts {
                tera.add_raw_template(name, text).expect("templates parse");
            }
        })
    });
    c.bench_function("flags_to_spec", |b| b.iter(bench_spec));
}

criterion_group!(generate, benches);
criterion_main!(generate);
