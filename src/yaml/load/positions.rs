//! Where the parser's events are in the file: its character positions as file byte offsets,
//! lines and columns; the text under a span and whether a collection opens in flow style; the
//! parser's own errors, placed.

use saphyr_parser::{Marker, ScanError};

use super::Error;
use crate::yaml::node::Span;
use crate::yaml::stream::Document;

/// Turns the parser's character positions into file byte offsets, lines and columns.
pub(super) struct Positions<'a> {
    document: &'a Document<'a>,
    /// Byte offset of every character, for text that is not ASCII.
    bytes: Option<Vec<usize>>,
}

impl<'a> Positions<'a> {
    pub(super) fn new(document: &'a Document<'a>) -> Positions<'a> {
        let bytes = (!document.text.is_ascii()).then(|| {
            let mut bytes: Vec<usize> = document.text.char_indices().map(|(at, _)| at).collect();
            bytes.push(document.text.len());
            bytes
        });
        Positions { document, bytes }
    }

    pub(super) fn span(&self, start: Marker, end: Marker) -> Span {
        let byte = |index: usize| match &self.bytes {
            Some(bytes) => bytes[index.min(bytes.len() - 1)],
            None => index.min(self.document.text.len()),
        };
        Span {
            start: self.document.offset + byte(start.index()),
            end: self.document.offset + byte(end.index()),
            line: self.document.line + start.line().max(1) - 1,
            column: start.col() + 1,
        }
    }

    /// The document's text within `span`.
    pub(super) fn source(&self, span: Span) -> &str {
        let offset = self.document.offset;
        &self.document.text[span.start - offset..span.end - offset]
    }

    /// Whether the collection starting at `span` opens in flow style, with `[` or `{`.
    pub(super) fn opens_flow(&self, span: Span) -> bool {
        let at = span.start - self.document.offset;
        matches!(self.document.text.as_bytes().get(at), Some(b'[' | b'{'))
    }

    pub(super) fn scan_error(&self, error: &ScanError) -> Error {
        let message = match error.info() {
            // The parser's own limit on flow nesting (`[[[...`).
            "recursion limit exceeded" => {
                "flow collections (`[` or `{`) nested deeper than 255 levels".to_string()
            }
            info => info.to_string(),
        };
        Error {
            message,
            span: self.span(*error.marker(), *error.marker()),
        }
    }
}
