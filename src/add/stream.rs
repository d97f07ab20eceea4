//! A YAML stream cut into documents by text, so that every document `add` does not change is
//! written back byte for byte, comments and spacing included.

/// One document of a stream, as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chunk {
    /// The `---` line that opens it (with its line end), or empty for a first document
    /// without one.
    pub(crate) separator: String,
    /// The document's text up to the next separator.
    pub(crate) body: String,
    /// The 1-based line of the stream where `body` starts.
    pub(crate) line: usize,
}

impl Chunk {
    /// The chunk exactly as it was read.
    pub(super) fn raw(&self) -> String {
        format!("{}{}", self.separator, self.body)
    }

    /// Whether it holds anything besides comments and blank lines.
    pub(super) fn has_content(&self) -> bool {
        self.body.lines().any(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#') && line != "..."
        })
    }

    /// The comment and blank lines at the top of the document, kept when it is rewritten.
    pub(super) fn leading_comments(&self) -> String {
        self.body
            .split_inclusive('\n')
            .take_while(|line| {
                let line = line.trim();
                line.is_empty() || line.starts_with('#')
            })
            .collect()
    }
}

/// Whether `line` (without its line end) is a document separator: `---` alone or followed by
/// white space and a comment.
fn is_separator(line: &str) -> bool {
    match line.strip_prefix("---") {
        Some(rest) => {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#')
        }
        None => false,
    }
}

/// Cuts `stream` into chunks; joining their [`Chunk::raw`] texts gives `stream` back.
pub(super) fn split(stream: &str) -> Vec<Chunk> {
    let mut chunks = vec![Chunk {
        separator: String::new(),
        body: String::new(),
        line: 1,
    }];
    for (index, line) in stream.split_inclusive('\n').enumerate() {
        let text = line.trim_end_matches(['\n', '\r']);
        if is_separator(text) {
            chunks.push(Chunk {
                separator: line.to_string(),
                body: String::new(),
                line: index + 2,
            });
        } else if let Some(last) = chunks.last_mut() {
            last.body.push_str(line);
        }
    }
    if chunks.len() > 1 && chunks[0].body.is_empty() {
        chunks.remove(0);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_the_chunks_gives_the_stream_back() {
        let stream = "# head\n---\na: 1 # one\n--- # two\nb: 2\n\n---\n---\nc: 3";
        let chunks = split(stream);
        let joined: String = chunks.iter().map(Chunk::raw).collect();
        assert_eq!(joined, stream);
        let bodies: Vec<_> = chunks.iter().filter(|c| c.has_content()).collect();
        assert_eq!(bodies.len(), 3);
        assert_eq!(bodies[0].body, "a: 1 # one\n");
        assert_eq!(bodies[0].line, 3);
        assert_eq!(bodies[2].body, "c: 3");
    }

    #[test]
    fn a_stream_without_separators_is_one_chunk() {
        let chunks = split("# web\nkind: Pod\n");
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].leading_comments(), "# web\n");
    }

    #[test]
    fn a_block_scalar_holding_dashes_is_not_cut() {
        // Only a `---` at column 0 separates documents; indented text belongs to its scalar.
        let chunks = split("data:\n  a: |\n    ---\n    x\n");
        assert_eq!(chunks.len(), 1);
    }
}
