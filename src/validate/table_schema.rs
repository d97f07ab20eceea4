//! Strict schema for every built-in kind without a typed object (see `object`): the document is
//! walked along the schema table `scripts/api-tables.py` generates from each version's OpenAPI
//! definitions (`tables/schemas.tsv`), which also knows the kinds that only older versions serve
//! (flowcontrol `v1beta3`, resource.k8s.io `v1alpha3`...). Reports what the typed parse reports
//! for the typed kinds: unknown fields, values of the wrong type, missing required fields, and
//! the YAML 1.1 readings that probably mean something else. A typed object for each of these
//! kinds made up a sixth of the binary.

use super::locate;
use super::rules;
use super::schema::unknown_field_message;
use super::served::Span;
use super::Sink;
use crate::kube_version::{NEWEST_MINOR, OLDEST_MINOR};
use crate::yaml::{hazards, Entry, Node, Value};

/// One stretch of versions of a field: its shape and whether it is required.
struct Field {
    /// A scalar (`string`, `integer`...), a table type, or either behind `[]` or `{}`.
    shape: &'static str,
    required: bool,
    span: Span,
}

// The table, written by `build.rs` from `tables/schemas.tsv`.
include!(concat!(env!("OUT_DIR"), "/schema_table.rs"));

/// The fields of the table type `type_name`, in table order: a field with several stretches of
/// versions appears once for each. Empty when the table does not have the type.
fn fields_of(type_name: &str) -> &'static [(&'static str, &'static str, Field)] {
    let start = SCHEMA.partition_point(|(name, _, _)| *name < type_name);
    let count = SCHEMA[start..].partition_point(|(name, _, _)| *name == type_name);
    &SCHEMA[start..start + count]
}

/// Whether the table has the schema of the type `type_name`.
pub(super) fn has(type_name: &str) -> bool {
    !fields_of(type_name).is_empty()
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
        let fields = fields_of(type_name);
        let depth = path.len();
        for entry in map {
            let name = entry.key.as_str();
            locate::push_key(path, name);
            self.key(entry, path);
            let mut stretches = fields.iter().filter(|(_, field, _)| *field == name);
            match stretches
                .clone()
                .find(|(_, _, f)| f.span.contains(self.minor))
            {
                Some((_, _, field)) => self.value(&entry.value, field.shape, path, Some(name)),
                None => {
                    let message = match stretches.next() {
                        Some((_, _, field)) => format!(
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
        for (_, name, field) in fields {
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
    /// `field` is the key the value belongs to, if any.
    fn value(&mut self, node: &Node, shape: &str, path: &mut String, field: Option<&str>) {
        let depth = path.len();
        let integral = |value: f64| value.fract() == 0.0;
        if let Some(text) = self.sink.stream.get(node.span.start..node.span.end) {
            if let Some(message) = hazards::octal_integer(node, text, field) {
                self.warn(node, path, message);
            }
        }
        match (&node.value, shape) {
            (Value::Null, _) => {}
            (Value::Sequence(items), list) if list.starts_with("[]") => {
                for (at, item) in items.iter().enumerate() {
                    locate::push_index(path, at);
                    self.value(item, &list[2..], path, None);
                    path.truncate(depth);
                }
            }
            (Value::Mapping(entries), map) if map.starts_with("{}") => {
                for entry in entries {
                    locate::push_key(path, &entry.key);
                    self.key(entry, path);
                    self.value(&entry.value, &map[2..], path, Some(&entry.key));
                    path.truncate(depth);
                }
            }
            (Value::String(text), "date-time") if !is_timestamp(text) => self.mismatch(
                node,
                "a timestamp (RFC 3339, as `2006-01-02T15:04:05Z`)",
                path,
            ),
            (Value::String(text), "bytes") if !is_base64(text) => {
                self.mismatch(node, "base64-encoded bytes", path)
            }
            (Value::String(_), "string" | "int-or-string" | "quantity" | "date-time" | "bytes")
            | (Value::Bool(_), "boolean")
            | (Value::Int(_), "integer" | "number" | "int-or-string" | "quantity")
            | (Value::Float(_), "number" | "quantity")
            | (Value::Mapping(_), "object") => {}
            (Value::Float(value), "integer" | "int-or-string") if integral(*value) => {}
            (_, list) if list.starts_with("[]") => self.mismatch(node, "a list", path),
            (_, map) if map.starts_with("{}") => self.mismatch(node, "a map", path),
            (_, "string" | "date-time" | "bytes") => self.mismatch(node, "a string", path),
            (_, "boolean") => self.mismatch(node, "a boolean", path),
            (_, "integer") => self.mismatch(node, "an integer", path),
            (_, "number") => self.mismatch(node, "a number", path),
            (_, "int-or-string") => self.mismatch(node, "an integer or a string", path),
            (_, "quantity") => self.mismatch(node, "a quantity (a string or a number)", path),
            (_, "object") => self.mismatch(node, "a map", path),
            (_, type_name) => self.object(node, type_name, path),
        }
    }

    /// Warns when kubectl reads the entry's plain key as another string than the one written.
    fn key(&mut self, entry: &Entry, path: &str) {
        if let Some(message) = hazards::rewritten_key(entry, self.sink.stream) {
            self.sink
                .report_at_line(&rules::YAML11_SCALAR, path, entry.key_span.line, message);
        }
    }

    fn warn(&mut self, node: &Node, path: &str, message: String) {
        self.sink
            .report_at_line(&rules::YAML11_SCALAR, path, node.span.line, message);
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

/// Whether `text` is a timestamp the API server reads (RFC 3339, as the typed objects read it).
fn is_timestamp(text: &str) -> bool {
    text.parse::<k8s_openapi::jiff::Timestamp>().is_ok()
}

/// Whether `text` is standard base64, as the API server decodes `[]byte` fields.
fn is_base64(text: &str) -> bool {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok()
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

    /// The kinds read as typed objects are exactly those the table leaves out (the script's
    /// TYPED_KINDS): a kind in both would have table rows that are never read, and one in
    /// neither would be skipped (see the test above).
    #[test]
    fn typed_kinds_have_no_table_schema() {
        for (api_version, kind) in crate::validate::object::typed_kinds() {
            let served = served::kind(api_version, kind).expect("a served kind");
            assert!(
                !super::has(served.type_name),
                "{api_version} {kind} is typed and in schemas.tsv"
            );
        }
        assert!(super::has("core.v1.Namespace"));
    }

    #[test]
    fn a_current_kind_without_a_typed_object_is_checked_by_the_table() {
        let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    yes: x\n  creationTimestamp: 2024-01-02T03:04:05Z\nspec:\n  finalizers: [kubernetes]\n";
        assert!(only(namespace, "unknown-field").is_empty());
        assert!(only(namespace, "field-type").is_empty());
        let found = only(namespace, "yaml11-scalar");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].0, found[0].1.as_str()),
            (6, "metadata.labels.true")
        );

        let late = namespace.replace("2024-01-02T03:04:05Z", "yesterday");
        let found = only(&late, "field-type");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "metadata.creationTimestamp");
        assert!(found[0].2.contains("RFC 3339"), "{found:?}");

        let class = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 0100\n";
        let found = only(class, "yaml11-scalar");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].2.contains("it is 64"), "{found:?}");
    }

    #[test]
    fn bytes_fields_must_be_base64() {
        let request = |bytes: &str| {
            format!("apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: me\nspec:\n  request: {bytes}\n  signerName: kubernetes.io/kube-apiserver-client\n")
        };
        assert!(only(&request("aGVsbG8="), "field-type").is_empty());
        let found = only(&request("not*base64"), "field-type");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "spec.request");
        assert!(found[0].2.contains("base64"), "{found:?}");
    }
}
