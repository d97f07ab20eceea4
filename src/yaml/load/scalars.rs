//! Scalars as kubectl resolves them: YAML 1.1 plain scalars, and the core tags (`!!str`,
//! `!!int`, `!!binary`...) that fix a scalar's kind.

use saphyr_parser::{ScalarStyle, Tag};

use super::Error;
use crate::yaml::node::{Node, Span, Style, Value};
use crate::yaml::resolve::{self, Scalar};

/// A scalar node: its text resolved as kubectl resolves it, given its style and tag.
pub(super) fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: Span,
) -> Result<Node, Error> {
    let style = match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    };
    let core = tag.and_then(core_tag);
    let value = match (core, style) {
        (Some("str"), _) => Value::String(text.to_string()),
        (Some("binary"), _) => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|_| Error {
                    message: format!(
                        "`{}` is not base64 (tagged !!binary)",
                        crate::yaml::shorten(text)
                    ),
                    span,
                })?;
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
        }
        (Some(kind), _) => tagged(text, kind).ok_or_else(|| Error {
            message: format!("`{}` is not a !!{kind}", crate::yaml::shorten(text)),
            span,
        })?,
        // Another tag (`!foo`) leaves the text a string, as go-yaml v2 does.
        (None, Style::Plain) if tag.is_none() => match resolve::kubectl(text) {
            Scalar::Null => Value::Null,
            Scalar::Bool(value) => Value::Bool(value),
            Scalar::Int(value) => Value::Int(value),
            Scalar::Float(value) => Value::Float(value),
            Scalar::String => Value::String(text.to_string()),
        },
        (None, _) => Value::String(text.to_string()),
    };
    Ok(Node { value, span, style })
}

/// The name of a YAML core tag (`!!int`, `!<tag:yaml.org,2002:int>`), if it is one.
fn core_tag(tag: &Tag) -> Option<&str> {
    const PREFIX: &str = "tag:yaml.org,2002:";
    let name = match (tag.handle.as_str(), tag.suffix.strip_prefix(PREFIX)) {
        ("!!" | PREFIX, _) => tag.suffix.as_str(),
        (_, Some(name)) => name,
        _ => return None,
    };
    matches!(
        name,
        "str" | "int" | "float" | "bool" | "null" | "binary" | "timestamp"
    )
    .then_some(name)
}

/// A scalar under an explicit core tag: resolved as if plain, and of the tag's kind.
fn tagged(text: &str, kind: &str) -> Option<Value> {
    match (kind, resolve::kubectl(text)) {
        ("int", Scalar::Int(value)) => Some(Value::Int(value)),
        ("float", Scalar::Int(value)) => Some(Value::Float(value as f64)),
        ("float", Scalar::Float(value)) => Some(Value::Float(value)),
        ("bool", Scalar::Bool(value)) => Some(Value::Bool(value)),
        ("null", Scalar::Null) => Some(Value::Null),
        ("timestamp", Scalar::String) => Some(Value::String(text.to_string())),
        _ => None,
    }
}
