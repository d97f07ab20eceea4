//! `podsmith rules`: the validator's rule catalog, printed from the binary (an installed
//! podsmith has no docs folder to point to).

use crate::error::{Error, Result};
use crate::validate::rules::{self, Layer, Rule};

/// Every rule, one line each under its layer: ID, severity, what it checks.
pub(crate) fn list() -> String {
    let width = rules::ALL.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for layer in [Layer::Schema, Layer::Api, Layer::Wiring, Layer::Practice] {
        out.push_str(&format!("{}:\n", heading(layer)));
        for rule in rules::ALL.iter().filter(|r| r.layer == layer) {
            out.push_str(&format!(
                "  {:<width$}  {:<7}  {}\n",
                rule.id, rule.severity, rule.summary
            ));
        }
        out.push('\n');
    }
    out.push_str(
        "`podsmith rules ID` explains one rule. Turn rules off with --skip ID, with `skip:` in \
         .podsmith.yaml, or for one object with the annotation podsmith.dev/ignore: \"ID,ID\".\n",
    );
    out
}

fn heading(layer: Layer) -> &'static str {
    match layer {
        Layer::Schema => "Layer 1, YAML and schema",
        Layer::Api => "Layer 2, API server rules",
        Layer::Wiring => "Layer 3, pattern wiring",
        Layer::Practice => "Layer 4, best practice (warnings)",
    }
}

/// One rule in full, or a refusal naming the ID with the closest one.
pub(crate) fn describe(id: &str) -> Result<String> {
    let rule = rules::find(id)
        .ok_or_else(|| Error::invalid("RULE", id, crate::validate::command::unknown_rule(id)))?;
    Ok(details(rule))
}

fn details(rule: &Rule) -> String {
    let mut out = format!(
        "{} ({} layer, {})\n\n  {}\n",
        rule.id,
        rule.layer.name(),
        rule.severity,
        rule.summary
    );
    if !rule.equivalents.is_empty() {
        out.push_str(&format!("\n  Same check elsewhere: {}\n", rule.equivalents));
    }
    out.push_str(&format!(
        "\n  Turn it off: --skip {id}; `skip: [{id}]` in .podsmith.yaml; or on one object the \
         annotation podsmith.dev/ignore: \"{id}\".\n",
        id = rule.id
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_rule_once() {
        let list = list();
        for rule in rules::ALL {
            let line = format!("  {:<1}", rule.id);
            assert_eq!(
                list.lines()
                    .filter(|l| l.starts_with(&line) && l[line.len()..].starts_with(' '))
                    .count(),
                1,
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn one_rule_is_explained_and_a_typo_gets_the_closest() {
        let text = describe("probes-missing").unwrap();
        assert!(
            text.starts_with("probes-missing (practice layer, warning)"),
            "{text}"
        );
        assert!(text.contains("--skip probes-missing"), "{text}");
        let error = describe("probe-missing").unwrap_err().to_string();
        assert_eq!(
            error,
            "invalid value `probe-missing` for `RULE`: no rule has this ID (did you mean \
             `probes-missing`?)"
        );
    }
}
