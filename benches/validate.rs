//! In-process cost of `podsmith validate`: all four layers on one rendered Deployment, and on a
//! stream of every valid fixture repeated to 1,000 documents (checked on all cores, as a long
//! stream is). Beside the stream, on one core: the floor (saphyr-parser's events for the same
//! text, what any validator on this YAML crate pays), the same floor with yaml-rust2 and
//! libyaml-safer, podsmith's node trees, and all four layers.
#![allow(missing_docs)] // criterion's macros generate undocumented functions

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use podsmith::validate::{validate_stream, Options};

/// The valid fixtures' YAML documents, in file name order, each ending in a newline so that
/// they can be joined into a stream. Panics if saphyr-parser reads any of them with an error:
/// the floor would then measure an error path (and saphyr's event iterator does not end after
/// an error).
fn fixture_documents() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/fixtures/valid is readable")
        .map(|entry| entry.expect("a fixture entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).expect("a fixture is readable");
            text.split("\n---\n")
                .map(|document| format!("{}\n", document.trim_start_matches("---\n").trim_end()))
                .filter(|document| document.contains("kind:"))
                .collect::<Vec<_>>()
        })
        .inspect(|document| {
            let events = saphyr_parser::Parser::new_from_str(document);
            if let Some(Err(error)) = events.into_iter().find(Result::is_err) {
                panic!("a bench document does not parse: {error}\n{document}");
            }
        })
        .collect()
}

/// A parser's count of the events in a text.
type EventCount = fn(&str) -> usize;

/// The number of events saphyr-parser reads from `text`, up to the end or the first error.
fn saphyr_events(text: &str) -> usize {
    saphyr_parser::Parser::new_from_str(text)
        .take_while(Result::is_ok)
        .count()
}

/// The number of events yaml-rust2 reads from `text`, up to the end or the first error.
fn yaml_rust2_events(text: &str) -> usize {
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    let mut events = 0;
    while let Ok((event, _)) = parser.next_token() {
        events += 1;
        if event == yaml_rust2::Event::StreamEnd {
            break;
        }
    }
    events
}

/// The number of events libyaml-safer reads from `text`, up to the end or the first error.
fn libyaml_safer_events(text: &str) -> usize {
    let mut input = text.as_bytes();
    let mut parser = libyaml_safer::Parser::new();
    parser.set_input_string(&mut input);
    let mut events = 0;
    while let Ok(event) = parser.parse() {
        events += 1;
        if event.data == libyaml_safer::EventData::StreamEnd {
            break;
        }
    }
    events
}

fn rendered_deployment() -> String {
    let engine = podsmith::render::Engine::builtin();
    let spec: podsmith::spec::Spec = {
        use clap::Parser;
        let cli = podsmith::cli::Cli::parse_from([
            "podsmith",
            "new",
            "web",
            "--image",
            "nginx:1.27",
            "--wait-for",
            "db:5432",
        ]);
        let podsmith::cli::Command::New(args) = cli.command else {
            unreachable!("a new command")
        };
        podsmith::spec::from_flags(&args).expect("the bench spec is valid")
    };
    podsmith::pipeline::generate(&spec, &engine)
        .expect("renders")
        .rendered
        .stream()
}

fn benches(c: &mut Criterion) {
    let options = Options::default();
    let single = rendered_deployment();
    c.bench_function("validate_one_rendered_workload", |b| {
        b.iter(|| validate_stream(&single, "web.yaml", &options))
    });

    let documents = fixture_documents();
    let count = 1000;
    let stream: String = documents
        .iter()
        .cycle()
        .take(count)
        .map(|document| format!("---\n{document}"))
        .collect();
    let mut group = c.benchmark_group("validate_stream");
    group.throughput(Throughput::Elements(count as u64));
    group.sample_size(20);
    group.bench_function("fixtures_1000_documents", |b| {
        b.iter(|| validate_stream(&stream, "stream.yaml", &options))
    });
    group.finish();

    let mut group = c.benchmark_group("one_core_1000_documents");
    group.throughput(Throughput::Elements(count as u64));
    group.sample_size(20);
    let documents = podsmith::yaml::split_documents(&stream);
    // The floor, and the same with the other maintained event parsers, to know whether another
    // crate would lower it: yaml-rust2 (like saphyr, a successor of yaml-rust) and libyaml-safer
    // (libyaml in safe Rust).
    let floors: [(&str, EventCount); 3] = [
        ("floor_saphyr_events", saphyr_events),
        ("floor_yaml_rust2_events", yaml_rust2_events),
        ("floor_libyaml_safer_events", libyaml_safer_events),
    ];
    for (name, events) in floors {
        group.bench_function(name, |b| {
            b.iter(|| {
                documents
                    .iter()
                    .map(|document| events(document.text))
                    .sum::<usize>()
            })
        });
    }
    group.bench_function("node_trees", |b| {
        b.iter(|| {
            documents
                .iter()
                .filter(|document| podsmith::yaml::parse(document).is_ok())
                .count()
        })
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    group.bench_function("all_four_layers", |b| {
        b.iter(|| pool.install(|| validate_stream(&stream, "stream.yaml", &options)))
    });
    group.finish();
}

criterion_group!(validate, benches);
criterion_main!(validate);
