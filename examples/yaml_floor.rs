//! The floor under `podsmith validate`: reads every `.yaml`, `.yml` and `.json` file under the
//! paths given, on all cores, and runs saphyr-parser's event parser over each, with nothing
//! else: no tree, no checks, no report. `benches/compare.sh` times it beside `podsmith validate`
//! on the same files, so the README can say how close podsmith is to what reading and parsing
//! the bytes costs with the YAML crate in use.
//!
//!     cargo build --release --example yaml_floor
//!     target/release/examples/yaml_floor FILE_OR_FOLDER...

use std::path::{Path, PathBuf};

use rayon::prelude::*;

// The same allocator as podsmith, so the difference is podsmith's own work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args_os().skip(1) {
        collect(Path::new(&arg), &mut files);
    }
    let events: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            // saphyr's event iterator repeats an error; a document with one ends there.
            saphyr_parser::Parser::new_from_str(&text)
                .take_while(Result::is_ok)
                .count()
        })
        .sum();
    println!("{} files, {events} events", files.len());
}

/// The manifest files at `path`: itself, or those in the folders under it.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let entries =
            std::fs::read_dir(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        for entry in entries {
            let entry = entry.unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            collect(&entry.path(), files);
        }
    } else if path
        .extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
    {
        files.push(path.to_path_buf());
    }
}
