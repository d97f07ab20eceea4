//! What a plain scalar means.
//!
//! [`kubectl`] reads it the way kubectl does: sigs.k8s.io/yaml over go-yaml v2, whose YAML 1.1
//! rules make `yes`, `on` and `y` booleans, `0400` an octal number, `0x1F` hex and `1_000` a
//! thousand, and keep dates and `1:30` as strings. [`is_plain_string`] answers the emitter's
//! question: does every common reader (go-yaml v2, YAML 1.1 as PyYAML reads it, YAML 1.2 core)
//! read this text, written plain, as this very string?

use std::sync::LazyLock;

use regex::Regex;

/// A scalar as go-yaml v2 resolves it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Scalar {
    /// `~`, `null`, or nothing at all.
    Null,
    /// `true`, `yes`, `on`, `y` and their capitalised forms; `false`, `no`, `off`, `n`.
    Bool(bool),
    /// An integer in decimal, octal (`0755`, `0o755`), hex (`0x1F`) or binary (`0b101`).
    Int(i64),
    /// A float; also an integer too large for `i64`, as JSON carries it.
    Float(f64),
    /// Anything else.
    String,
}

/// How kubectl reads `text` written as a plain scalar.
pub(super) fn kubectl(text: &str) -> Scalar {
    match text.as_bytes().first() {
        None => Scalar::Null,
        Some(b'0'..=b'9' | b'+' | b'-') => number(text).unwrap_or(Scalar::String),
        Some(b'.') => match text {
            ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
            ".inf" | ".Inf" | ".INF" => Scalar::Float(f64::INFINITY),
            _ => go_float(text).map_or(Scalar::String, Scalar::Float),
        },
        Some(_) => word(text).unwrap_or(Scalar::String),
    }
}

/// The words go-yaml v2 looks up before anything else.
fn word(text: &str) -> Option<Scalar> {
    Some(match text {
        "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Scalar::Bool(false)
        }
        _ => return None,
    })
}

/// A scalar starting with a digit or a sign: an integer, a float, or (through [`word`]-like
/// spellings) infinity.
fn number(text: &str) -> Option<Scalar> {
    match text {
        "+.inf" | "+.Inf" | "+.INF" => return Some(Scalar::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Some(Scalar::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    // go-yaml v2 drops every underscore, then tries Go's base-prefix integer syntax.
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let (negative, digits) = match plain.as_bytes().first() {
        Some(b'-') => (true, &plain[1..]),
        Some(b'+') => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    if let Some(magnitude) = go_uint(digits) {
        let value = match negative {
            true if magnitude <= i64::MAX as u64 + 1 => Some((magnitude as i64).wrapping_neg()),
            false if magnitude <= i64::MAX as u64 => Some(magnitude as i64),
            _ => None,
        };
        return Some(match value {
            Some(int) => Scalar::Int(int),
            // Past i64, go-yaml gives a uint64 (positive only), which JSON carries as a number.
            None if !negative => Scalar::Float(magnitude as f64),
            None => return None,
        });
    }
    if yaml_style_float(&plain) {
        return go_float(&plain).map(Scalar::Float);
    }
    None
}

/// Go's `strconv.ParseUint(s, 0, 64)` on a string without sign or underscores: `0x`, `0o` and
/// `0b` prefixes, a leading `0` for octal, else decimal.
fn go_uint(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let (radix, digits) = match bytes {
        [] => return None,
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'x') => (16, &text[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'o') => (8, &text[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'b') => (2, &text[2..]),
        [b'0', ..] => (8, &text[1..]),
        _ => (10, text),
    };
    if digits.is_empty() {
        // A lone `0` (its digits after the octal `0` are none).
        return (radix == 8 && text == "0").then_some(0);
    }
    if !digits.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        if digits(&mut at) == 0 {
            return false;
        }
    } else {
        if digits(&mut at) == 0 {
            return false;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            digits(&mut at);
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

/// Go's `strconv.ParseFloat` for the decimal forms go-yaml passes it; out of range is an error
/// there, so the text stays a string.
fn go_float(text: &str) -> Option<f64> {
    let decimal = text
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    let value: f64 = text.parse().ok().filter(|_| decimal)?;
    value.is_finite().then_some(value)
}

/// Whether `text`, written as a plain scalar, is that same string for go-yaml v2 (kubectl),
/// YAML 1.1 readers (PyYAML: also sexagesimal numbers, dates, `=` and `<<`) and YAML 1.2 core
/// readers, and needs no escaping. The caller still checks the characters that would change the
/// YAML structure ([`super::emit`]).
pub(super) fn is_plain_string(text: &str) -> bool {
    kubectl(text) == Scalar::String
        && !(may_be_special(text) && (yaml11_special(text) || yaml12_special(text)))
}

/// A cheap test that every text [`YAML11`] or [`YAML12`] matches passes: one of their words,
/// or a text that starts as their numbers, dates and symbols start and holds only characters
/// they use. Most keys and values fail it, so a render of common manifests never compiles the
/// two regular expressions (a quarter of `podsmith new`'s instructions).
fn may_be_special(text: &str) -> bool {
    let starts_as_number_or_symbol = text.bytes().next().is_some_and(|first| {
        matches!(first, b'0'..=b'9' | b'+' | b'-' | b'.' | b'<' | b'~' | b'=')
    });
    let pattern_characters = text
        .bytes()
        .all(|c| c.is_ascii_hexdigit() || b"+-._:<~= \txoTtZiInN".contains(&c));
    matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "null"
            | "Null"
            | "NULL"
    ) || (starts_as_number_or_symbol && pattern_characters)
}

/// PyYAML's YAML 1.1 implicit types (its resolver's patterns): what a YAML 1.1 reader other
/// than go-yaml takes for a boolean, number, date, null, merge key or `=`.
const YAML11: &str = concat!(
    r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
    r"|[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?",
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
    r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+",
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
    r"|<<|~|null|Null|NULL|=",
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?",
);

/// The YAML 1.2 core schema's null, boolean, integer and float forms.
const YAML12: &str = concat!(
    r"null|Null|NULL|~|true|True|TRUE|false|False|FALSE",
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+",
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?",
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
);

/// Whether the whole of `text` matches [`YAML11`].
fn yaml11_special(text: &str) -> bool {
    static PATTERN: LazyLock<Regex> = LazyLock::new(|| whole_text(YAML11));
    PATTERN.is_match(text)
}

/// Whether the whole of `text` matches [`YAML12`].
fn yaml12_special(text: &str) -> bool {
    static PATTERN: LazyLock<Regex> = LazyLock::new(|| whole_text(YAML12));
    PATTERN.is_match(text)
}

/// `alternatives` anchored at both ends.
fn whole_text(alternatives: &str) -> Regex {
    Regex::new(&format!("^(?:{alternatives})$")).expect("the resolver patterns are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What kubectl sent for each plain scalar, checked against kubectl v1.32 (the JSON body it
    /// posts for a ConfigMap whose `data` holds these values).
    #[test]
    fn reads_scalars_like_kubectl() {
        let cases: &[(&str, Scalar)] = &[
            ("yes", Scalar::Bool(true)),
            ("on", Scalar::Bool(true)),
            ("y", Scalar::Bool(true)),
            ("No", Scalar::Bool(false)),
            ("0400", Scalar::Int(256)),
            ("01777", Scalar::Int(1023)),
            ("08", Scalar::Float(8.0)),
            ("0999", Scalar::Float(999.0)),
            ("1_000", Scalar::Int(1000)),
            ("0b101", Scalar::Int(5)),
            ("0o17", Scalar::Int(15)),
            ("0x_1F", Scalar::Int(31)),
            ("-0x1F", Scalar::Int(-31)),
            ("+12", Scalar::Int(12)),
            ("-0", Scalar::Int(0)),
            ("0", Scalar::Int(0)),
            ("12e+2", Scalar::Float(1200.0)),
            ("0.", Scalar::Float(0.0)),
            (".5", Scalar::Float(0.5)),
            ("1.10", Scalar::Float(1.1)),
            ("1e500", Scalar::String),
            ("2024-01-01", Scalar::String),
            ("1:30", Scalar::String),
            ("=", Scalar::String),
            ("~", Scalar::Null),
            ("", Scalar::Null),
            ("nginx", Scalar::String),
            ("0x", Scalar::String),
            ("1.2.3", Scalar::String),
            ("-", Scalar::String),
            (
                "9223372036854775808",
                Scalar::Float(9_223_372_036_854_775_808.0),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&kubectl(text), expected, "{text:?}");
        }
    }

    proptest::proptest! {
        /// The prefilter lets through every text either pattern matches: texts drawn from the
        /// patterns themselves.
        #[test]
        fn every_special_text_passes_the_prefilter(
            yaml11 in proptest::string::string_regex(YAML11).unwrap(),
            yaml12 in proptest::string::string_regex(YAML12).unwrap(),
        ) {
            proptest::prop_assert!(may_be_special(&yaml11), "{yaml11:?}");
            proptest::prop_assert!(may_be_special(&yaml12), "{yaml12:?}");
        }

        /// With the prefilter or without, the same answer, on texts of the characters scalars
        /// are made of.
        #[test]
        fn the_prefilter_changes_no_answer(text in r"[-+0-9._:a-zA-Z<~=/ \t]{0,14}") {
            let unfiltered = kubectl(&text) == Scalar::String
                && !yaml11_special(&text)
                && !yaml12_special(&text);
            proptest::prop_assert_eq!(is_plain_string(&text), unfiltered, "{:?}", text);
        }
    }

    #[test]
    fn plain_strings_are_strings_for_every_reader() {
        for text in [
            "nginx",
            "apps/v1",
            "web-1",
            "app.kubernetes.io/name",
            "a b",
            "10.0.0.1",
            "1.2.3",
        ] {
            assert!(is_plain_string(text), "{text:?}");
        }
        for text in [
            "yes",
            "0755",
            "~",
            "1.30",
            "1:30",
            "2024-01-01",
            "=",
            "<<",
            ".inf",
            "",
            "null",
            "12",
        ] {
            assert!(!is_plain_string(text), "{text:?}");
        }
    }
}
