//! Teams' own templates: `podsmith templates export DIR` writes the built-in templates for
//! editing, and `podsmith new --templates DIR` renders with that copy (a template missing from
//! DIR falls back to the built-in one). What a custom template renders is validated like
//! everything else.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::Engine;

/// Writes every built-in template under `dir`, keeping the folder layout. Refuses to replace
/// an existing file unless `force`; all files are written or none.
pub(crate) fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let templates = crate::render::template_files();
    let files: Vec<(PathBuf, &str)> = templates
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    if !force {
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            return Err(Error::Exists { path: path.clone() });
        }
    }
    for (path, _) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| Error::Write {
                path: parent.to_path_buf(),
                message: error.to_string(),
            })?;
        }
    }
    crate::output::write_all_atomically(&files, dir, force)
}

/// The engine over the templates in `dir`, which must be a folder.
pub(crate) fn engine_from(dir: &Path) -> Result<Engine> {
    if !dir.is_dir() {
        return Err(Error::Read {
            path: dir.to_path_buf(),
            message: "not a folder of templates (write one with `podsmith templates export DIR`)"
                .into(),
        });
    }
    Engine::from_dir(dir)
}

/// Template files in `dir` that podsmith does not know, relative to `dir`: misspelled names
/// that would silently be ignored.
pub(crate) fn unknown_files(dir: &Path) -> Vec<String> {
    let known: Vec<String> = crate::render::template_files()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut found = Vec::new();
    collect(dir, dir, &mut found);
    found.retain(|name| name.ends_with(".tera") && !known.contains(name));
    found.sort();
    found
}

fn collect(root: &Path, dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, found);
        } else if let Ok(relative) = path.strip_prefix(root) {
            found.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_then_render_with_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let written = export(dir.path(), false).unwrap();
        assert!(written.len() > 10);
        assert!(dir.path().join("workloads/job.yaml.tera").is_file());
        assert!(matches!(
            export(dir.path(), false),
            Err(Error::Exists { .. })
        ));
        export(dir.path(), true).unwrap();
        std::fs::write(dir.path().join("patterns/wait-for.yaml.tera.bak"), "x").unwrap();
        std::fs::write(dir.path().join("patterns/wiat-for.yaml.tera"), "x").unwrap();
        assert_eq!(unknown_files(dir.path()), ["patterns/wiat-for.yaml.tera"]);
        engine_from(dir.path()).unwrap();
    }

    #[test]
    fn a_broken_template_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("patterns")).unwrap();
        std::fs::write(
            dir.path().join("patterns/wait-for.yaml.tera"),
            "- name: {{ name | scalar }\n",
        )
        .unwrap();
        let error = engine_from(dir.path()).err().unwrap().to_string();
        assert!(
            error.starts_with("template `patterns/wait-for.yaml.tera`"),
            "{error}"
        );
        assert!(!error.contains('\n'), "{error}");
    }
}
