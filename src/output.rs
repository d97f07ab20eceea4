//! The output stage: a YAML or JSON stream on stdout, or one file per resource in a folder,
//! written atomically, with the user's umask, and never over an existing file without
//! `--force`. Files podsmith wrote earlier for the same workload that a new render no longer
//! produces are found here too, so `kubectl apply -f DIR` does not keep applying them.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::cli::ManifestFormat;
use crate::error::{Error, Result};
use crate::plan::{MANAGED_BY_LABEL, NAME_LABEL};
use crate::render::{Document, Rendered};

/// Prints the stream on stdout in `format`. A closed pipe (`| head`) is not an error.
pub(crate) fn print_stream(rendered: &Rendered, format: ManifestFormat) -> Result<()> {
    match format {
        ManifestFormat::Yaml => print_text(&rendered.stream()),
        ManifestFormat::Json => print_text(&json_stream(rendered)?),
        ManifestFormat::Kustomize => Err(Error::invalid(
            "--format",
            "kustomize",
            "writes a folder: add --output-dir DIR",
        )),
    }
}

/// Prints text on stdout. A closed pipe (`| head`) is not an error.
pub(crate) fn print_text(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != ErrorKind::BrokenPipe => Err(Error::Write {
            path: "<stdout>".into(),
            message: error.to_string(),
        }),
        _ => Ok(()),
    }
}

/// The documents as JSON that `kubectl apply -f -` accepts: the object itself when there is one,
/// a `v1` `List` of them (what `kubectl get -o json` prints) when there are several.
pub(crate) fn json_stream(rendered: &Rendered) -> Result<String> {
    let mut objects = rendered
        .documents
        .iter()
        .map(json_value)
        .collect::<Result<Vec<_>>>()?;
    let value = match objects.len() {
        1 => objects.remove(0),
        _ => serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects}),
    };
    pretty_json(&value)
}

/// One rendered document as a JSON value.
fn json_value(document: &Document) -> Result<serde_json::Value> {
    crate::yaml::from_str(&document.text).map_err(|error| {
        Error::Internal(format!(
            "cannot read the rendered {} `{}` back: {error}",
            document.kind, document.name
        ))
    })
}

fn pretty_json(value: &serde_json::Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|error| Error::Internal(format!("cannot print JSON: {error}")))?;
    text.push('\n');
    Ok(text)
}

/// The file a document is written to: `<kind>-<name>.yaml` (or `.json`), lowercase.
pub(crate) fn file_name(document: &Document, format: ManifestFormat) -> String {
    let extension = match format {
        ManifestFormat::Yaml | ManifestFormat::Kustomize => "yaml",
        ManifestFormat::Json => "json",
    };
    format!(
        "{}-{}.{extension}",
        document.kind.to_ascii_lowercase(),
        document.name
    )
}

/// The files of one render in a folder: each document's path and text.
pub(crate) fn files(
    rendered: &Rendered,
    dir: &Path,
    format: ManifestFormat,
) -> Result<Vec<(PathBuf, String)>> {
    rendered
        .documents
        .iter()
        .map(|document| {
            let text = match format {
                ManifestFormat::Yaml | ManifestFormat::Kustomize => document.text.clone(),
                ManifestFormat::Json => pretty_json(&json_value(document)?)?,
            };
            Ok((dir.join(file_name(document, format)), text))
        })
        .collect()
}

/// Writes each `(path, text)` into `dir` (created if missing) and returns the paths. Either
/// every file is written or none: existing files are refused before anything is written
/// (unless `force`), and each file is replaced atomically.
pub(crate) fn write_files(
    files: &[(PathBuf, String)],
    dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>> {
    if !force {
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            return Err(Error::Exists { path: path.clone() });
        }
    }
    let borrowed: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|(path, text)| (path.clone(), text.as_str()))
        .collect();
    write_all_atomically(&borrowed, dir, force)
}

/// Writes `(path, text)` pairs into `dir`: all to temporary files first, then each renamed into
/// place, so a failure leaves no half-written file behind. A new file gets the mode the user's
/// umask gives (as `>` in a shell would); a replaced one keeps its mode.
pub(crate) fn write_all_atomically(
    files: &[(PathBuf, &str)],
    dir: &Path,
    force: bool,
) -> Result<Vec<PathBuf>> {
    let write_error = |path: &Path, error: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        message: error.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut staged = Vec::with_capacity(files.len());
    for (path, text) in files {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".podsmith-");
        // Read and write for everyone, less what the umask takes away (the system applies it
        // when the file is created), as `>` in a shell would.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut temp = builder.tempfile_in(dir).map_err(|e| write_error(path, e))?;
        if let Ok(existing) = std::fs::metadata(path) {
            temp.as_file()
                .set_permissions(existing.permissions())
                .map_err(|e| write_error(path, e))?;
        }
        temp.write_all(text.as_bytes())
            .map_err(|e| write_error(path, e))?;
        temp.as_file()
            .sync_all()
            .map_err(|e| write_error(path, e))?;
        staged.push((temp, path.clone()));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (temp, path) in staged {
        let persisted = if force {
            temp.persist(&path).map(|_| ())
        } else {
            temp.persist_noclobber(&path).map(|_| ())
        };
        persisted.map_err(|e| {
            if e.error.kind() == ErrorKind::AlreadyExists {
                Error::Exists { path: path.clone() }
            } else {
                write_error(&path, e.error)
            }
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Files in `dir` that podsmith wrote for the workload `name` (its managed-by and name labels)
/// and that are not among `keep`: what a render that no longer produces them leaves behind.
/// Only the folder itself is looked at, not its subfolders; files that are not one Kubernetes
/// object are never podsmith's.
pub(crate) fn stale_files(dir: &Path, name: &str, keep: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["yaml", "yml", "json"].contains(&e))
        })
        .filter(|path| !keep.contains(path))
        .filter(|path| written_for(path, name))
        .collect();
    stale.sort();
    stale
}

/// Whether the file at `path` is one object carrying podsmith's labels for workload `name`.
fn written_for(path: &Path, name: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(object) = crate::yaml::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let labels = &object["metadata"]["labels"];
    labels[MANAGED_BY_LABEL] == "podsmith" && labels[NAME_LABEL] == name
}

/// Deletes `paths`.
pub(crate) fn remove_files(paths: &[PathBuf]) -> Result<()> {
    for path in paths {
        std::fs::remove_file(path).map_err(|error| Error::Write {
            path: path.clone(),
            message: error.to_string(),
        })?;
    }
    Ok(())
}
