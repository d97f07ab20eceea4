//! Fields that the target Kubernetes version does not have, though the newest one does (or the
//! reverse), found by walking the written object along the generated field table ([`served`]).
//!
//! The typed objects are those of the newest version: a field added later than the target
//! passes their parse, and one removed before the newest version fails it even where the
//! target still has it. This walk reports the first and tells the schema layer about the second.

use std::collections::HashMap;

use super::locate;
use super::rules;
use super::served;
use super::Sink;
use crate::yaml::{Node, Value};

/// What the schema layer should make of the unknown fields of the typed parse, by path: `None`
/// the target version has the field (not unknown), `Some(message)` a better message.
pub(super) type Corrections = HashMap<String, Option<String>>;

/// Reports the fields of `value` (an object of the table type `type_name`) that Kubernetes
/// `1.minor` does not have but the newest version does; returns the corrections for the
/// fields the newest version lacks.
pub(super) fn check(value: &Node, type_name: &str, minor: u32, sink: &mut Sink) -> Corrections {
    let mut walk = Walk {
        minor,
        sink,
        corrections: Corrections::new(),
    };
    walk.object(value, type_name, &mut String::new());
    walk.corrections
}

struct Walk<'s, 'a> {
    minor: u32,
    sink: &'s mut Sink<'a>,
    corrections: Corrections,
}

impl Walk<'_, '_> {
    fn object(&mut self, value: &Node, type_name: &str, path: &mut String) {
        let Value::Mapping(map) = &value.value else {
            return;
        };
        let depth = path.len();
        for entry in map {
            let (name, inner) = (entry.key.as_str(), &entry.value);
            let Some(field) = served::field(type_name, name) else {
                continue;
            };
            locate::push_key(path, name);
            let span = field.span;
            if span.contains(self.minor) {
                if !span.in_newest() {
                    self.corrections.insert(path.clone(), None);
                }
                self.value(inner, field.target, path);
            } else {
                let when = if self.minor < span.first {
                    format!("added in 1.{}", span.first)
                } else {
                    format!("removed in 1.{}", span.last + 1)
                };
                let message = format!(
                    "unknown field \"{name}\": Kubernetes 1.{} does not have it ({when})",
                    self.minor
                );
                if span.in_newest() {
                    self.sink.report(&rules::UNKNOWN_FIELD, path, message);
                } else {
                    self.corrections.insert(path.clone(), Some(message));
                }
            }
            path.truncate(depth);
        }
    }

    /// Walks a field's value of the table type `target` (`[]T`, `{}T` or `T`).
    fn value(&mut self, value: &Node, target: &str, path: &mut String) {
        let depth = path.len();
        if let Some(item) = target.strip_prefix("[]") {
            if let Value::Sequence(items) = &value.value {
                for (at, inner) in items.iter().enumerate() {
                    locate::push_index(path, at);
                    self.value(inner, item, path);
                    path.truncate(depth);
                }
            }
        } else if let Some(entry) = target.strip_prefix("{}") {
            if let Value::Mapping(map) = &value.value {
                for pair in map {
                    locate::push_key(path, &pair.key);
                    self.value(&pair.value, entry, path);
                    path.truncate(depth);
                }
            }
        } else if !target.is_empty() {
            self.object(value, target, path);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;

    #[test]
    fn app_armor_is_unknown_before_1_30() {
        let text = "# kube-version: 1.29\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: nginx:1.27\n";
        let found = only(text, "unknown-field");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 8);
        assert_eq!(found[0].1, "spec.securityContext.appArmorProfile");
        assert!(found[0].2.contains("added in 1.30"), "{found:?}");
        let newer = text.replace("1.29", "1.30");
        assert!(only(&newer, "unknown-field").is_empty());
    }

    #[test]
    fn image_volumes_are_unknown_at_1_27() {
        let text = "# kube-version: 1.27\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n      volumes:\n      - name: data\n        image:\n          reference: example.com/data:1\n";
        let found = only(text, "unknown-field");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "spec.template.spec.volumes[0].image");
        assert!(found[0].2.contains("added in 1.31"), "{found:?}");
    }

    #[test]
    fn a_field_removed_later_is_known_while_the_target_has_it() {
        let pod = |version: &str| {
            format!("# kube-version: {version}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  workloadRef:\n    name: w\n    podGroup: g\n  containers:\n  - name: app\n    image: nginx:1.27\n")
        };
        assert!(only(&pod("1.35"), "unknown-field").is_empty());
        let gone = only(&pod("1.37"), "unknown-field");
        assert_eq!(gone.len(), 1, "{gone:?}");
        let before = only(&pod("1.34"), "unknown-field");
        assert!(before[0].2.contains("added in 1.35"), "{before:?}");
    }
}
