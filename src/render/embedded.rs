//! The templates under `templates/`, embedded in the binary.
//!
//! A name is the path relative to `templates/`. Names with a `_` segment are partials: included
//! by other templates, never rendered alone.

use include_dir::{include_dir, Dir};

/// Every template file, as shipped.
pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Every template as `(name, text)`, sorted by name.
pub fn files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    collect(&TEMPLATES, &mut files);
    files.sort();
    files
}

fn collect(dir: &Dir<'static>, files: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            files.push((
                file.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            ));
        }
    }
    for sub in dir.dirs() {
        collect(sub, files);
    }
}

/// The templates that render on their own (not partials).
pub fn entry_templates() -> Vec<String> {
    files()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !name.split('/').any(|segment| segment.starts_with('_')))
        .collect()
}
