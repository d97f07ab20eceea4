//! The output stage: a multi-document stream on stdout, or one file per resource in a folder,
//! written atomically and never over an existing file without `--force`.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::{Document, Rendered};

/// Prints the stream on stdout. A closed pipe (`| head`) is not an error.
pub fn print_stream(rendered: &Rendered) -> Result<()> {
    print_text(&rendered.stream())
}

/// Prints text on stdout. A closed pipe (`| head`) is not an error.
pub fn print_text(text: &str) -> Result<()> {
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

/// The file a document is written to: `<kind>-<name>.yaml`, lowercase.
pub fn file_name(document: &Document) -> String {
    format!(
        "{}-{}.yaml",
        document.kind.to_ascii_lowercase(),
        document.name
    )
}

/// Writes each document to its own file in `dir` (created if missing) and returns the paths.
/// Either every file is written or none: existing files are refused before anything is
/// written (unless `force`), and each file is replaced atomically.
pub fn write_files(rendered: &Rendered, dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let files: Vec<(PathBuf, &str)> = rendered
        .documents
        .iter()
        .map(|d| (dir.join(file_name(d)), d.text.as_str()))
        .collect();
    if !force {
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            return Err(Error::Exists { path: path.clone() });
        }
    }
    write_all_atomically(&files, dir, force)
}

/// Writes `(path, text)` pairs into `dir`: all to temporary files first, then each renamed into
/// place, so a failure leaves no half-written file behind.
pub fn write_all_atomically(
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
        let mut temp = tempfile::Builder::new()
            .prefix(".podsmith-")
            .tempfile_in(dir)
            .map_err(|e| write_error(path, e))?;
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
