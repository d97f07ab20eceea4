//! The annotation that turns rules off for one object, in the style of kube-linter's
//! `ignore-check.kube-linter.io/<check>` and Polaris's `polaris.fairwinds.com/<check>-exempt`:
//!
//! ```yaml
//! metadata:
//!   annotations:
//!     podsmith.dev/ignore: "probes-missing,image-unpinned"
//! ```
//!
//! It applies to everything podsmith reports about that object, its pod template included. An
//! ID no rule has is itself reported (`ignore-unknown-rule`), so a typo does not silently keep
//! the rule on.

use super::rules::{self, Rule};
use crate::yaml::Node;

/// The annotation's key.
pub(super) const ANNOTATION: &str = "podsmith.dev/ignore";

/// The path of the annotation within an object, for findings about it.
pub(super) const PATH: &str = "metadata.annotations[podsmith.dev/ignore]";

/// The rules an object's annotation turns off, and the IDs in it that name no rule.
pub(super) fn ignored(object: &Node) -> (Vec<&'static Rule>, Vec<String>) {
    let listed = object
        .get("metadata")
        .and_then(|metadata| metadata.get("annotations"))
        .and_then(|annotations| annotations.get(ANNOTATION))
        .and_then(Node::as_str)
        .unwrap_or_default();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for id in listed.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        match rules::find(id) {
            Some(rule) => known.push(rule),
            None => unknown.push(id.to_string()),
        }
    }
    (known, unknown)
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;
    use crate::validate::{validate_stream, Options};

    const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    podsmith.dev/ignore: \"image-unpinned, probes-missing,no-such-rule\"
spec:
  containers:
    - name: web
      image: nginx:latest
      ports:
        - containerPort: 80
";

    #[test]
    fn the_annotation_silences_its_rules_for_its_object_only() {
        let both = format!(
            "{POD}---\n{}",
            POD.replace(
                "    podsmith.dev/ignore: \"image-unpinned, probes-missing,no-such-rule\"\n",
                "    other: x\n"
            )
            .replace("name: web\n  annotations", "name: other\n  annotations")
        );
        let report = validate_stream(&both, "t.yaml", &Options::default());
        let rules_of = |object: &str| -> Vec<String> {
            report
                .findings
                .iter()
                .filter(|f| f.object == object)
                .map(|f| f.rule.clone())
                .collect()
        };
        let silenced = rules_of("Pod/web");
        assert!(
            !silenced.contains(&"image-unpinned".to_string()),
            "{silenced:?}"
        );
        assert!(
            !silenced.contains(&"probes-missing".to_string()),
            "{silenced:?}"
        );
        let other = rules_of("Pod/other");
        assert!(other.contains(&"image-unpinned".to_string()), "{other:?}");
        assert!(other.contains(&"probes-missing".to_string()), "{other:?}");
    }

    #[test]
    fn an_unknown_id_in_the_annotation_is_reported_at_its_line() {
        assert_eq!(
            only(POD, "ignore-unknown-rule"),
            [(
                6,
                super::PATH.to_string(),
                "`no-such-rule` is not a podsmith rule ID; `podsmith rules` lists them".to_string()
            )]
        );
    }
}
