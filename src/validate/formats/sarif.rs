//! SARIF 2.1.0, the format GitHub code scanning and other viewers read: one run whose tool
//! lists the whole rule catalog, then one result a finding, written as they come.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{described, Counts, Format};
use crate::validate::rules::{self, Rule};
use crate::validate::{Finding, Report, Severity};

/// One SARIF log with one run.
#[derive(Default)]
pub(super) struct Sarif {
    results: usize,
}

impl Format for Sarif {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let driver = json!({
            "name": "podsmith",
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules::ALL.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>(),
        });
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \
             \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": "
        )?;
        serde_json::to_writer(&mut *out, &driver).map_err(io::Error::other)?;
        out.write_all(b"},\n      \"results\": [")
    }

    fn part(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        for finding in &report.findings {
            out.write_all(if self.results == 0 {
                b"\n        "
            } else {
                b",\n        "
            })?;
            serde_json::to_writer(&mut *out, &result(finding)).map_err(io::Error::other)?;
            self.results += 1;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        let close = if self.results == 0 { "]" } else { "\n      ]" };
        write!(out, "{close}\n    }}\n  ]\n}}\n")
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A rule of the catalog as a SARIF `reportingDescriptor`.
fn descriptor(rule: &Rule) -> Value {
    let help = match rule.equivalents {
        "" => rule.summary.to_string(),
        equivalents => format!("{} Elsewhere: {equivalents}.", rule.summary),
    };
    json!({
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": help},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": ["kubernetes", rule.layer.name()]},
    })
}

/// A finding as a SARIF `result`.
fn result(finding: &Finding) -> Value {
    let mut result = json!({
        "ruleId": finding.rule,
        "level": level(finding.severity),
        "message": {"text": described(finding)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&finding.file)},
                "region": {"startLine": finding.line.max(1)},
            },
        }],
    });
    if let Some(index) = rules::ALL.iter().position(|rule| rule.id == finding.rule) {
        result["ruleIndex"] = json!(index);
    }
    if finding.object != "-" {
        result["locations"][0]["logicalLocations"] =
            json!([{"fullyQualifiedName": finding.object, "kind": "resource"}]);
    }
    result
}

/// A file path as a URI reference: relative paths stay relative (GitHub resolves them against
/// the repository), absolute ones become `file://` URIs; anything a URI may not hold is
/// percent-encoded.
fn uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(char::from(byte))
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                encoded.push(char::from(byte))
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    let encoded = encoded.trim_start_matches("./").to_string();
    match path.starts_with('/') {
        true => format!("file://{encoded}"),
        false => encoded,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("deploy/web.yaml"), "deploy/web.yaml");
        assert_eq!(super::uri("./deploy/web.yaml"), "deploy/web.yaml");
        assert_eq!(super::uri("my dir/a#1.yaml"), "my%20dir/a%231.yaml");
        assert_eq!(super::uri("/abs/x.yaml"), "file:///abs/x.yaml");
        assert_eq!(super::uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(super::uri("c:x.yaml"), "c%3Ax.yaml");
    }
}
