//! The inputs of `podsmith validate`: files, folders walked recursively, and stdin, each read
//! as slices of whole documents (at most about [`CHUNK_BYTES`] at a time) so memory does not
//! grow with the input; a path that cannot be read is a failure of its own.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use super::listing::Listing;
use super::CHUNK_BYTES;
use crate::yaml;

/// One input: a file or stdin.
pub(super) struct Input {
    pub(super) name: String,
    /// `None` for stdin.
    path: Option<PathBuf>,
    /// The file's length, when known.
    pub(super) len: Option<u64>,
}

impl Input {
    /// Whether to read it a slice at a time: stdin, or a file longer than [`CHUNK_BYTES`].
    pub(super) fn is_long(&self) -> bool {
        self.len.is_none_or(|len| len > CHUNK_BYTES)
    }

    /// The input's text, decoded as kubectl decodes it (a byte-order mark dropped, UTF-16 with
    /// a mark), or why it cannot be had.
    pub(super) fn read(&self) -> Result<String, String> {
        let mut bytes = Vec::new();
        self.open()?
            .read_to_end(&mut bytes)
            .map_err(|error| read_failure(&error))?;
        yaml::decode(bytes).map_err(|error| format!("cannot decode: {}", error.message))
    }

    pub(super) fn open(&self) -> Result<Box<dyn BufRead>, String> {
        match &self.path {
            Some(path) => std::fs::File::open(path)
                .map(|file| Box::new(BufReader::new(file)) as Box<dyn BufRead>)
                .map_err(|error| read_failure(&error)),
            None => Ok(Box::new(BufReader::new(io::stdin()))),
        }
    }
}

/// Why an input cannot be read, in one line.
pub(super) fn read_failure(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::InvalidData => "cannot decode: not UTF-8 text".to_string(),
        _ => format!("cannot read: {error}"),
    }
}

/// The files named on the command line, folders expanded recursively in sorted order, found
/// one at a time (only the folders being walked are held, not the list of every file).
pub(super) struct Inputs {
    /// The command-line paths not reached yet.
    given: VecDeque<PathBuf>,
    /// The folders being walked, innermost last.
    folders: Vec<Listing>,
}

impl Inputs {
    pub(super) fn new(paths: &[PathBuf]) -> Inputs {
        Inputs {
            given: paths.iter().cloned().collect(),
            folders: Vec::new(),
        }
    }

    /// The next path to look at: (path, known to be a folder, named on the command line).
    fn next_path(&mut self) -> Option<(PathBuf, bool, bool)> {
        while let Some(folder) = self.folders.last_mut() {
            match folder.next() {
                Some((path, is_dir)) => return Some((path, is_dir, false)),
                None => {
                    self.folders.pop();
                }
            }
        }
        self.given.pop_front().map(|path| (path, false, true))
    }
}

impl Iterator for Inputs {
    /// An input, or the name of a path that cannot be read and why.
    type Item = Result<Input, (String, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (path, known_dir, given) = self.next_path()?;
            if given && path.as_os_str() == "-" {
                return Some(Ok(Input {
                    name: "<stdin>".to_string(),
                    path: None,
                    len: None,
                }));
            }
            let failed = |error: io::Error| (path.display().to_string(), read_failure(&error));
            let metadata = match known_dir {
                true => None,
                false => match std::fs::metadata(&path) {
                    Ok(metadata) => Some(metadata),
                    Err(error) => return Some(Err(failed(error))),
                },
            };
            let is_dir = metadata.as_ref().map_or(known_dir, |m| m.is_dir());
            if is_dir {
                match Listing::read(&path) {
                    Ok(listing) => self.folders.push(listing),
                    Err(error) => return Some(Err(failed(error))),
                }
                continue;
            }
            let wanted = given
                || path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| ["yaml", "yml", "json"].contains(&e));
            if wanted {
                return Some(Ok(Input {
                    name: path.display().to_string(),
                    len: metadata.map(|m| m.len()),
                    path: Some(path),
                }));
            }
        }
    }
}

/// Whole documents of a long stream, a slice of about [`CHUNK_BYTES`] at a time, cut only at
/// a document separator (`---` or `...` at the start of a line), so each slice is a stream of
/// its own.
pub(super) struct Slices<R> {
    reader: R,
    /// The separator line read ahead, which starts the next slice.
    pending: Option<String>,
    /// The line of the stream the next slice starts on.
    next_line: usize,
    done: bool,
}

/// A part of a stream and the line of the stream it starts on.
pub(super) struct Slice {
    pub(super) text: String,
    pub(super) first_line: usize,
}

impl<R: BufRead> Slices<R> {
    pub(super) fn new(reader: R) -> Slices<R> {
        Slices {
            reader,
            pending: None,
            next_line: 1,
            done: false,
        }
    }

    pub(super) fn next_slice(&mut self) -> io::Result<Option<Slice>> {
        if self.done {
            return Ok(None);
        }
        let first_line = self.next_line;
        let mut text = self.pending.take().unwrap_or_default();
        let mut lines = usize::from(!text.is_empty());
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
                self.done = true;
                break;
            }
            let starts_document = line.starts_with("---") || line.starts_with("...");
            if starts_document && is_separator(&line) && text.len() as u64 >= CHUNK_BYTES {
                self.pending = Some(line);
                break;
            }
            text.push_str(&line);
            lines += 1;
        }
        self.next_line = first_line + lines;
        Ok(Some(Slice { text, first_line }))
    }
}

/// Whether `line` is a document marker: `---` or `...` alone, or `---` before content.
fn is_separator(line: &str) -> bool {
    let line = line.trim_end_matches(['\n', '\r']);
    line == "---" || line == "..." || line.starts_with("--- ") || line.starts_with("---\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_stream_is_cut_only_at_separators_keeping_line_numbers() {
        let document = format!("kind: ConfigMap\ndata:\n  x: \"{}\"\n", "y".repeat(3 << 20));
        let stream = format!("---\n{document}---\n{document}...\n---\n{document}{document}");
        let mut slices = Slices::new(stream.as_bytes());
        let mut seen = String::new();
        let mut starts = Vec::new();
        while let Some(slice) = slices.next_slice().unwrap() {
            starts.push(slice.first_line);
            let before = seen.lines().count();
            assert_eq!(slice.first_line, before + 1);
            if slice.first_line > 1 {
                assert!(is_separator(slice.text.lines().next().unwrap()));
            }
            seen.push_str(&slice.text);
        }
        assert_eq!(seen, stream, "the slices put together are the stream");
        assert!(starts.len() >= 2, "{starts:?}");
    }
}
