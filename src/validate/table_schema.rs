//! Strict schema for the kinds that only older versions serve (flowcontrol `v1beta3`,
//! networking `v1beta1` IPAddress, resource.k8s.io `v1alpha3`...): the typed objects are those
//! of the newest version, which lacks them, so their documents are walked along the schema
//! table `scripts/api-tables.py` generates from each version's OpenAPI definitions
//! (`tables/schemas.tsv`). Reports what the typed parse reports for the other kinds: unknown
//! fields, values of the wrong type, missing required fields.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::locate;
use super::rules;
use super::schema::unknown_field_message;
use super::served::Span;
use super::Sink;
use crate::yaml::{Node, Value};

/// One stretch of versions of a field: its shape and whether it is required.
struct Field {
    /// A scalar (`string`, `integer`...), a table type, or either behind `[]` or `{}`.
    shape: &'static str,
    required: bool,
    span: Span,
}

/// Type → field → its stretches of versions.
type Table = HashMap<&'static str, Vec<(&'static str, Field)>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table::new();
        for line in include_str!("tables/schemas.tsv").lines() {
            let row: Vec<&str> = line.split('\t').collect();
            if line.starts_with('#') || row.len() != 6 {
                continue;
            }
            table.entry(row[0]).or_default().push((
                row[1],
                Field {
                    shape: row[2],
                    required: row[3] == "yes",
                    span: Span::parse(row[4], row[5]),
                },
            ));
        }
        table
    })
}

/// Whether the table has the schema of the type `type_name`.
pub(super) fn has(type_name: &str) -> bool {
    table().contains_key(type_name)
}

/// Checks `node`, an object of the table type `type_name`, at Kubernetes `1.minor`; returns
/// whether it was complete (no wrong type, no missing field).
pub(super) fn check(node: &Node, type_name: &str, minor: u32, sink: &mut Sink) -> bool {
    let mut walk = Walk {
        minor,
        sink,
        complete: true,
    };
    walk.object(node, type_name, &mut String::new());
    walk.complete
}

struct Walk<'s, 'a> {
    minor: u32,
    sink: &'s mut Sink<'a>,
    complete: bool,
}

impl Walk<'_, '_> {
    fn object(&mut self, node: &Node, type_name: &str, path: &mut String) {
        let Value::Mapping(map) = &node.value else {
            self.mismatch(node, "a map", path);
            return;
        };
        let fields = table().get(type_name).map_or(&[][..], Vec::as_slice);
        let depth = path.len();
        for entry in map {
            let name = entry.key.as_str();
            locate::push_key(path, name);
            let mut stretches = fields.iter().filter(|(field, _)| *field == name);
            match stretches.clone().find(|(_, f)| f.span.contains(self.minor)) {
                Some((_, field)) => self.value(&entry.value, field.shape, path),
                None => {
                    let message = match stretches.next() {
                        Some((_, field)) => format!(
                            "unknown field \"{name}\": Kubernetes 1.{} does not have it ({})",
                            self.minor,
                            if self.minor < field.span.first {
                                format!("added in 1.{}", field.span.first)
                            } else {
                                format!("removed in 1.{}", field.span.last + 1)
                            }
                        ),
                        None => unknown_field_message(name),
                    };
                    self.sink.report(&rules::UNKNOWN_FIELD, path, message);
                }
            }
            path.truncate(depth);
        }
        for (name, field) in fields {
            if field.required
                && field.span.contains(self.minor)
                && !map.iter().any(|entry| entry.key == *name)
            {
                locate::push_key(path, name);
                self.sink
                    .report(&rules::REQUIRED_FIELD, path, "Required value");
                self.complete = false;
                path.truncate(depth);
            }
        }
    }

    /// Checks a value of the shape `shape`; null stands for an absent field, as for kubectl.
    fn value(&mut self, node: &Node, shape: &str, path: &mut String) {
        let depth = path.len();
        let integral = |value: f64| value.fract() == 0.0;
        match (&node.value, shape) {
            (Value::Null, _) => {}
            (Value::Sequence(items), list) if list.starts_with("[]") => {
                for (at, item) in items.iter().enumerate() {
                    locate::push_index(path, at);
                    self.value(item, &list[2..], path);
                    path.truncate(depth);
                }
            }
            (Value::Mapping(entries), map) if map.starts_with("{}") => {
                for entry in entries {
                    locate::push_key(path, &entry.key);
                    self.value(&entry.value, &map[2..], path);
                    path.truncate(depth);
                }
            }
            (Value::String(_), "string" | "int-or-string" | "quantity")
            | (Value::Bool(_), "boolean")
            | (Value::Int(_), "integer" | "number" | "int-or-string" | "quantity")
            | (Value::Float(_), "number" | "quantity")
            | (Value::Mapping(_), "object") => {}
            (Value::Float(value), "integer" | "int-or-string") if integral(*value) => {}
            (_, list) if list.starts_with("[]") => self.mismatch(node, "a list", path),
            (_, map) if map.starts_with("{}") => self.mismatch(node, "a map", path),
            (_, "string") => self.mismatch(node, "a string", path),
            (_, "boolean") => self.mismatch(node, "a boolean", path),
            (_, "integer") => self.mismatch(node, "an integer", path),
            (_, "number") => self.mismatch(node, "a number", path),
            (_, "int-or-string") => self.mismatch(node, "an integer or a string", path),
            (_, "quantity") => self.mismatch(node, "a quantity (a string or a number)", path),
            (_, "object") => self.mismatch(node, "a map", path),
            (_, type_name) => self.object(node, type_name, path),
        }
    }

    fn mismatch(&mut self, node: &Node, expected: &str, path: &str) {
        self.complete = false;
        self.sink.report_at_line(
            &rules::FIELD_TYPE,
            path,
            node.span.line,
            format!(
                "Invalid value: invalid type: {}, expected {expected}",
                node.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::kube_version::KubeVersion;
    use crate::validate::test_support::only;
    use crate::validate::{served, validate_stream, Options};

    /// Every kind that a supported version serves is checked at that version, by its typed
    /// object or by the schema table: none is skipped as if it were a custom resource.
    #[test]
    fn every_builtin_kind_of_every_version_is_checked() {
        for kind in served::kinds() {
            // Status is what the API server answers, never an object that is sent to it.
            if kind.kind == "Status" {
                continue;
            }
            for minor in [kind.span.first, kind.span.last] {
                let text = format!(
                    "apiVersion: {}\nkind: {}\nmetadata:\n  name: x\nunknownField: 1\n",
                    kind.api_version, kind.kind
                );
                let options = Options {
                    kube_version: KubeVersion::new(minor).expect("supported version"),
                    ..Options::default()
                };
                let report = validate_stream(&text, "t.yaml", &options);
                let what = format!("{} {} at 1.{minor}", kind.api_version, kind.kind);
                assert!(report.skipped.is_empty(), "{what} is skipped");
                assert!(
                    report.findings.iter().any(|f| f.rule == "unknown-field"),
                    "{what}: no schema check: {:?}",
                    report.findings
                );
            }
        }
    }

    const FLOW_SCHEMA: &str = "# kube-version: 1.28\napiVersion: flowcontrol.apiserver.k8s.io/v1beta2\nkind: FlowSchema\nmetadata:\n  name: health\nspec:\n  priorityLevelConfiguration:\n    name: exempt\n  matchingPrecedence: 10\n  rules:\n  - subjects:\n    - kind: Group\n      group:\n        name: system:unauthenticated\n    nonResourceRules:\n    - verbs: [\"get\"]\n      nonResourceURLs: [\"/healthz\"]\n";

    #[test]
    fn an_older_kind_is_checked_by_its_own_schema() {
        assert!(only(FLOW_SCHEMA, "unknown-field").is_empty());
        assert!(only(FLOW_SCHEMA, "field-type").is_empty());
        assert!(only(FLOW_SCHEMA, "required-field").is_empty());

        let typo = FLOW_SCHEMA.replace("matchingPrecedence", "matchingPrecedense");
        let found = only(&typo, "unknown-field");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].0, found[0].1.as_str()),
            (9, "spec.matchingPrecedense")
        );

        let wrong = FLOW_SCHEMA.replace("matchingPrecedence: 10", "matchingPrecedence: ten");
        let found = only(&wrong, "field-type");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "spec.matchingPrecedence");
        assert!(found[0].2.contains("expected an integer"), "{found:?}");

        let missing = FLOW_SCHEMA.replace("    name: exempt", "    title: exempt");
        let found = only(&missing, "required-field");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "spec.priorityLevelConfiguration.name");
    }

    #[test]
    fn fields_follow_the_target_version() {
        // networking.k8s.io/v1beta1 IPAddress: spec is required from 1.36 only.
        let address = |version: &str, spec: &str| {
            format!("# kube-version: {version}\napiVersion: networking.k8s.io/v1beta1\nkind: IPAddress\nmetadata:\n  name: 10.0.0.1\n{spec}")
        };
        assert!(only(&address("1.35", ""), "required-field").is_empty());
        assert_eq!(only(&address("1.36", ""), "required-field").len(), 1);
        let parent =
            "spec:\n  parentRef:\n    resource: services\n    name: web\n    namespace: default\n";
        assert!(only(&address("1.33", parent), "unknown-field").is_empty());
        let extra = format!("{parent}    uid: abc\n");
        let found = only(&address("1.33", &extra), "unknown-field");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "spec.parentRef.uid");
    }
}
