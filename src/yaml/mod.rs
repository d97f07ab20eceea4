//! YAML for podsmith, reading and writing. This is the only module that names the YAML parser
//! crate (saphyr-parser, a YAML 1.2 event parser with source positions).
//!
//! Reading follows kubectl, so a manifest means here what it means to the cluster:
//!
//! 1. [`decode`]: a file's bytes to text (UTF-8, a byte-order mark dropped; UTF-16 with a mark);
//!    anything else is an error for that file.
//! 2. [`split_documents`]: the stream cut at `---` lines, as kubectl cuts it before parsing, so a
//!    broken document does not hide the others.
//! 3. [`parse`]: one document to a [`Node`] tree, scalars resolved as kubectl resolves them
//!    (go-yaml v2, YAML 1.1: `0400` is 256, `yes` is true), merge keys and aliases expanded,
//!    keys turned into strings as kubectl turns them, duplicate keys recorded, escapes in
//!    double quotes as go-yaml v2 (or, for a JSON file, Go's JSON reader) takes them.
//! 4. [`from_tree`]: typed values (the `Spec`, k8s-openapi objects) from the tree, with every
//!    type error of the document, each with its field path and [`Span`].
//!
//! Every node carries a [`Span`]: the byte offsets of its start and end in the file's text (after
//! decoding), and its line and column. A tool that edits a manifest in place splices the file's
//! text at those offsets (replacing `text[span.start..span.end]` of a value, or inserting after
//! the end of a mapping's last entry), so the rest of the file, comments included, is kept
//! byte for byte. Three cases to know: a block scalar's span starts at its first content line,
//! not at `|`; an alias node has the span of the `*alias`, while its children keep the spans of
//! the anchored text; and entries brought in by a merge key keep the spans of the mapping they
//! came from.
//!
//! Writing follows one policy ([`scalar`]): plain where YAML 1.1 and YAML 1.2 readers all read
//! the same string, double-quoted otherwise, so podsmith's output reads like
//! `kubectl get -o yaml` and no value can change the structure. [`to_string`] writes any
//! `Serialize` value with that policy.

mod de;
mod emit;
mod escapes;
mod load;
mod node;
pub(crate) mod path;
mod resolve;
mod ser;
mod stream;

pub(crate) use de::{from_tree, Issue, Kind, Outcome};
pub use emit::scalar;
pub(crate) use emit::{block, is_plain_safe, quote, to_text, to_text_indented};
pub use load::Error;
pub use load::{parse, Tree};
pub(crate) use node::{Entry, Node, Span, Style, Value};
pub(crate) use stream::decode;
pub use stream::{split_documents, Document};

/// The longest part of a user's value that a message quotes.
const QUOTED_LENGTH: usize = 80;

/// `text` cut to a length a message can quote: a 10 MB value gives a short message.
pub(crate) fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTED_LENGTH) {
        None => text.into(),
        Some((cut, _)) => format!("{}... ({} bytes)", &text[..cut], text.len()).into(),
    }
}

/// Reads the first document of `text` (a spec file, a test's manifest).
pub(crate) fn parse_one(text: &str) -> Result<Tree, Error> {
    match split_documents(text).first() {
        Some(document) => parse(document),
        None => Ok(Tree {
            root: Node::built(Value::Null),
            duplicates: Vec::new(),
        }),
    }
}

/// Reads the first document of `text` as `T` (a project file, a rendered manifest read back),
/// or the first problem, with its place: a syntax error, a duplicate key, a wrong type.
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    let tree = parse_one(text)?;
    if let Some(duplicate) = tree.duplicates.first() {
        return Err(Error {
            message: format!(
                "{}: the key appears twice (first on line {})",
                duplicate.path, duplicate.first.line
            ),
            span: duplicate.second,
        });
    }
    let outcome = from_tree::<T>(&tree.root, text);
    if let Some(issue) = outcome.errors.into_iter().next() {
        let message = match issue.path.is_empty() {
            true => issue.message,
            false => format!("{}: {}", issue.path, issue.message),
        };
        return Err(Error {
            message,
            span: issue.span,
        });
    }
    outcome.value.ok_or_else(|| Error {
        message: "the document cannot be read".to_string(),
        span: tree.root.span,
    })
}

/// `value` as a YAML document, written with the one scalar policy.
pub(crate) fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let tree = ser::to_tree(value).map_err(|error| error.to_string())?;
    Ok(emit::to_text(&tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "x".repeat(10_000_000);
        let short = shorten(&long);
        assert!(short.len() < 120, "{}", short.len());
        assert!(short.ends_with("... (10000000 bytes)"));
        assert_eq!(shorten("web"), "web");
    }
}
