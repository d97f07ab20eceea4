//! The templates under `templates/`, embedded in the binary.
//!
//! A name is the path relative to `templates/`. Names with a `_` segment are partials: included
//! by other templates, never rendered alone.

use include_dir::{include_dir, Dir};

/// Every template file, as shipped.
static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Every template as `(name, text)`, sorted by name.
pub fn files() -> Vec<(String, &'static str)> {
    let mut files = Vec::new();
    collect(&TEMPLATES, &mut files);
    files.sort();
    files
}

fn collect(dir: &'static Dir<'static>, files: &mut Vec<(String, &'static str)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            files.push((file.path().to_string_lossy().replace('\\', "/"), text));
        }
    }
    for sub in dir.dirs() {
        collect(sub, files);
    }
}
