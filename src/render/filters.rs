//! The filters templates use to print values safely.
//!
//! - `scalar`: any value as a YAML string (numbers too), plain where every YAML reader reads that
//!   very string and double-quoted otherwise, via [`crate::yaml::scalar`]: podsmith's one quoting
//!   policy, the same as the spec file's.
//! - `block(width=N)`: multi-line text as a literal block scalar indented N spaces.
//! - `nest(width=N)`: indents every non-empty line of already-rendered YAML by N spaces.

use std::collections::HashMap;

use tera::{Result, Tera, Value};

/// Registers podsmith's filters on an engine (before templates are added).
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter("scalar", scalar);
    tera.register_filter("block", block);
    tera.register_filter("nest", nest);
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn width(args: &HashMap<String, Value>) -> Result<usize> {
    args.get("width")
        .and_then(Value::as_u64)
        .map(|w| w as usize)
        .ok_or_else(|| tera::Error::msg("this filter needs `width=N`"))
}

fn scalar(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(crate::yaml::scalar(&as_text(value))))
}

fn block(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(crate::yaml::block(
        &as_text(value),
        width(args)?,
    )))
}

fn nest(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let pad = " ".repeat(width(args)?);
    let text = as_text(value);
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        if !line.trim().is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    Ok(Value::String(out))
}
