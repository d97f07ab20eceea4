//! From a file's bytes to its documents, the way kubectl gets there: a byte-order mark is
//! dropped (UTF-16 with a mark is decoded too), and the stream is cut at `---` lines before any
//! document is parsed, so a broken document does not hide the others.

/// One document of a stream: a slice of the stream's text that starts at a line start.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The document's text, its `---` line included.
    pub text: &'a str,
    /// Byte offset of `text` in the stream.
    pub(crate) offset: usize,
    /// The 1-based line of the stream on which `text` starts.
    pub(crate) line: usize,
}

/// Why a file's bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError {
    /// What is wrong, with the byte offset.
    pub(crate) message: String,
}

/// The text of a file: UTF-8 (a leading byte-order mark dropped), or UTF-16 with its mark.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    let utf16 = |big_endian: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|pair| match (pair, big_endian) {
                ([high, low], true) | ([low, high], false) => u16::from_le_bytes([*low, *high]),
                _ => 0xFFFF,
            })
            .collect();
        String::from_utf16(&units).map_err(|_| DecodeError {
            message: "the file starts with a UTF-16 byte-order mark but is not valid UTF-16"
                .to_string(),
        })
    };
    match bytes.as_slice() {
        [0xFE, 0xFF, ..] if bytes.len() % 2 == 0 => utf16(true),
        [0xFF, 0xFE, ..] if bytes.len() % 2 == 0 => utf16(false),
        _ => {
            let mut text = String::from_utf8(bytes).map_err(|error| DecodeError {
                message: format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    error.utf8_error().valid_up_to()
                ),
            })?;
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
    }
}

/// Splits a stream into documents at `---` lines (as kubectl does, a `---` followed by nothing
/// but a comment) and `...` lines. Documents holding only comments or white space are dropped.
pub fn split_documents(stream: &str) -> Vec<Document<'_>> {
    let bytes = stream.as_bytes();
    let mut documents = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let line_starts =
        std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|newline| newline + 1));
    for (number, offset) in line_starts.enumerate() {
        // Only a line starting with `-` or `.` can be a marker: the others cost one step here.
        if !matches!(bytes.get(offset), Some(b'-' | b'.')) {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |at| offset + at + 1);
        let content = stream[offset..end].trim_end_matches(['\n', '\r']);
        if is_separator(content) && content.starts_with("...") {
            // `...` ends the document it closes.
            push(&mut documents, stream, start, end, start_line);
            start = end;
            start_line = number + 2;
        } else if is_separator(content) && offset > start {
            // `---` starts the next one.
            push(&mut documents, stream, start, offset, start_line);
            start = offset;
            start_line = number + 1;
        }
    }
    push(&mut documents, stream, start, stream.len(), start_line);
    documents
}

/// A `---` or `...` line with nothing after it but a comment.
fn is_marker_line(line: &str) -> bool {
    is_separator(line) && !line.starts_with("--- ")
        || line.starts_with("--- ") && line[4..].trim_start().starts_with('#')
}

fn is_separator(line: &str) -> bool {
    let after = match line
        .strip_prefix("---")
        .or_else(|| line.strip_prefix("..."))
    {
        Some(after) => after.trim(),
        None => return false,
    };
    after.is_empty() || after.starts_with('#') || line.starts_with("--- ")
}

fn push<'a>(
    documents: &mut Vec<Document<'a>>,
    stream: &'a str,
    start: usize,
    end: usize,
    line: usize,
) {
    let text = &stream[start..end];
    let has_content = text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#') && !is_marker_line(l)
    });
    if has_content {
        documents.push(Document {
            text,
            offset: start,
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_start_lines() {
        let docs = split_documents("a: 1\n---\n# only a comment\n---\nb: 2\nc: 3\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].line, 4);
        assert_eq!(docs[1].text, "---\nb: 2\nc: 3\n");
        assert_eq!(docs[1].offset, 26);
    }

    #[test]
    fn a_separator_may_carry_the_first_line() {
        let docs = split_documents("a: 1\n--- b: 2\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].text, "--- b: 2\n");
    }

    /// The split as first written, looking at every line: the reference for the one that
    /// looks only at lines starting with `-` or `.`.
    fn split_at_every_line(stream: &str) -> Vec<(usize, usize, usize)> {
        let mut documents = Vec::new();
        let (mut start, mut start_line, mut offset) = (0, 1, 0);
        for (number, line) in stream.split_inclusive('\n').enumerate() {
            let content = line.trim_end_matches(['\n', '\r']);
            if is_separator(content) && content.starts_with("...") {
                push(
                    &mut documents,
                    stream,
                    start,
                    offset + line.len(),
                    start_line,
                );
                start = offset + line.len();
                start_line = number + 2;
            } else if is_separator(content) && offset > start {
                push(&mut documents, stream, start, offset, start_line);
                start = offset;
                start_line = number + 1;
            }
            offset += line.len();
        }
        push(&mut documents, stream, start, stream.len(), start_line);
        documents
            .iter()
            .map(|d| (d.offset, d.text.len(), d.line))
            .collect()
    }

    proptest::proptest! {
        /// Streams of markers, near-markers, content, comments and blank lines, with `\n` or
        /// `\r\n` breaks and with or without a last one, split the same both ways.
        #[test]
        fn looking_only_at_marker_lines_splits_the_same(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "---", "--- # next", "--- a: 1", "---x", "...", "... # end", "-- ", "- item",
                ".hidden: 1", "a: 1", "# comment", "", "  ", "\r",
            ]), 0..12),
            crlf in proptest::bool::ANY,
            last_break in proptest::bool::ANY,
        ) {
            let mut stream = lines.join(if crlf { "\r\n" } else { "\n" });
            if last_break {
                stream.push('\n');
            }
            let split: Vec<_> = split_documents(&stream)
                .iter()
                .map(|d| (d.offset, d.text.len(), d.line))
                .collect();
            proptest::prop_assert_eq!(split, split_at_every_line(&stream), "{:?}", stream);
        }
    }

    #[test]
    fn decodes_marks_and_refuses_other_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), "a: 1");
        assert_eq!(decode(b"\xFF\xFEa\0:\0 \x001\0".to_vec()).unwrap(), "a: 1");
        let error = decode(b"a: \xFF\n".to_vec()).unwrap_err();
        assert_eq!(error.message, "not UTF-8 text (invalid byte at offset 3)");
    }
}
