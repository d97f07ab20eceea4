//! Layer 1: YAML and schema. Reports YAML syntax errors and duplicate keys, reads the typed API
//! object of the kind (every value of the wrong type, each at its own path and line, and the
//! YAML 1.1 readings that kubectl accepts but that probably mean something else), then compares
//! it with what was written (`compare`): a field the typed parse dropped is unknown, one it
//! added is a missing required field. Fields that differ between the newest and the target
//! version are settled by [`field_versions`], apiVersions the target does not serve by
//! [`api_version`].

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::api_version::{self, Gate};
use super::compare::Differences;
use super::field_versions;
use super::object::{self, Parsed};
use super::rules;
use super::served;
use super::table_schema;
use super::{Sink, Skipped};
use crate::kube_version::NEWEST_MINOR;
use crate::yaml::{self, Node};

/// What the schema layer made of a document.
pub(super) enum Outcome {
    /// A known kind, read; `complete` is false when values are missing or of the wrong type, so
    /// the later layers would only repeat the same problem.
    Parsed {
        /// The typed object.
        parsed: Box<Parsed>,
        /// Whether every required field was there, with a value of its type.
        complete: bool,
    },
    /// A kind the validator does not know.
    Skipped(Skipped),
    /// The document could not be read as an object.
    Stop,
}

/// Reports a document that is not well-formed YAML.
pub(super) fn syntax_error(error: &yaml::Error, document: &yaml::Document, sink: &mut Sink) {
    sink.object = object_from_text(document.text);
    sink.report_at_line(
        &rules::YAML_SYNTAX,
        "",
        error.span.line,
        format!("{} (column {})", error.message, error.span.column),
    );
}

/// Reports keys written twice in one mapping.
pub(super) fn duplicates(tree: &yaml::Tree, sink: &mut Sink) {
    for duplicate in &tree.duplicates {
        sink.report_at_line(
            &rules::DUPLICATE_KEY,
            &duplicate.path,
            duplicate.second.line,
            format!(
                "Duplicate value: key {:?} appears twice (first on line {}); kubectl apply -f keeps the last value, kubectl apply -k and YAML 1.2 readers reject the file",
                yaml::shorten(&duplicate.key),
                duplicate.first.line
            ),
        );
    }
}

/// The items of a `kind: List` document (what `kubectl get -o yaml` prints for several
/// objects), which are checked one by one.
pub(super) fn list_items(node: &Node) -> Option<&[Node]> {
    let field = |name: &str| node.get(name).and_then(Node::as_str);
    if field("apiVersion") != Some("v1") || field("kind") != Some("List") {
        return None;
    }
    node.get("items").and_then(Node::as_sequence)
}

/// Runs layer 1 on one object.
pub(super) fn check(node: &Node, sink: &mut Sink) -> Outcome {
    let field = |name: &str| node.get(name).and_then(Node::as_str);
    let (Some(api_version), Some(kind)) = (field("apiVersion"), field("kind")) else {
        let missing = if field("apiVersion").is_none() {
            "apiVersion"
        } else {
            "kind"
        };
        sink.report(
            &rules::MISSING_KIND,
            missing,
            format!("Required value: every Kubernetes object needs a string `{missing}`"),
        );
        return Outcome::Stop;
    };
    let name = node
        .get("metadata")
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Node::as_str)
        .unwrap_or("-");
    sink.object = format!("{kind}/{}", yaml::shorten(name));
    let skipped = |sink: &Sink| {
        Outcome::Skipped(Skipped {
            file: sink.file.to_string(),
            line: sink.line_of(""),
            api_version: yaml::shorten(api_version).into_owned(),
            object: sink.object.clone(),
        })
    };
    let type_name = match api_version::check(api_version, kind, sink) {
        Gate::Check(type_name) => type_name,
        Gate::Custom => return skipped(sink),
        Gate::Rejected => return Outcome::Stop,
    };
    let Some(typed) = object::parse(node, api_version, kind, sink.stream) else {
        return match served::kind(api_version, kind) {
            Some(served) if table_schema::has(type_name) => {
                let complete = table_schema::check(node, type_name, sink.version().minor(), sink);
                Outcome::Parsed {
                    parsed: Box::new(object::untyped(node, served.kind, sink.stream)),
                    complete,
                }
            }
            _ => skipped(sink),
        };
    };
    report_typed_issues(&typed, sink);
    let Some(parsed) = typed.parsed else {
        return Outcome::Stop;
    };
    report_differences(node, type_name, &parsed.differences, sink);
    let complete = parsed.differences.missing.is_empty() && typed.errors.is_empty();
    Outcome::Parsed {
        parsed: Box::new(parsed),
        complete,
    }
}

/// The typed parse's YAML 1.1 warnings and type errors, at their lines.
fn report_typed_issues(typed: &object::Typed, sink: &mut Sink) {
    for warning in &typed.warnings {
        sink.report_at_line(
            &rules::YAML11_SCALAR,
            &warning.path,
            warning.span.line,
            warning.message.clone(),
        );
    }
    for error in &typed.errors {
        sink.report_at_line(
            &rules::FIELD_TYPE,
            &error.path,
            error.span.line,
            format!("Invalid value: {}", error.message),
        );
    }
}

/// The fields the typed object dropped (unknown, or known only to other versions) and the
/// required ones it lacks.
fn report_differences(node: &Node, type_name: &str, differences: &Differences, sink: &mut Sink) {
    let minor = sink.version().minor();
    // At the newest version every field the typed object knows is served, so the walk could
    // only correct the messages of unknown fields: without any, it has nothing to say.
    let corrections = if minor == NEWEST_MINOR && differences.unknown.is_empty() {
        field_versions::Corrections::new()
    } else {
        field_versions::check(node, type_name, minor, sink)
    };
    for (path, name) in &differences.unknown {
        match corrections.get(path) {
            Some(None) => {}
            Some(Some(message)) => sink.report(&rules::UNKNOWN_FIELD, path, message.clone()),
            None => sink.report(&rules::UNKNOWN_FIELD, path, unknown_field_message(name)),
        }
    }
    for path in &differences.missing {
        sink.report(&rules::REQUIRED_FIELD, path, "Required value");
    }
}

/// `Kind/name` read from the text of a document that does not parse, or `-`.
fn object_from_text(text: &str) -> String {
    let plain = |value: &str| value.trim().trim_matches(['"', '\'']).to_string();
    let kind = text
        .lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .map(plain);
    let mut in_metadata = false;
    let mut name = None;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_metadata = line.starts_with("metadata:");
        } else if in_metadata && name.is_none() {
            name = line.trim_start().strip_prefix("name:").map(plain);
        }
    }
    match kind.filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric())) {
        Some(kind) => format!(
            "{kind}/{}",
            yaml::shorten(&name.unwrap_or_else(|| "-".to_string()))
        ),
        None => "-".to_string(),
    }
}

/// Field names a typo is most likely to aim at, for the "did you mean" hint.
const KNOWN_FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "status",
    "name",
    "namespace",
    "labels",
    "annotations",
    "generateName",
    "containers",
    "initContainers",
    "ephemeralContainers",
    "image",
    "imagePullPolicy",
    "command",
    "args",
    "workingDir",
    "ports",
    "containerPort",
    "hostPort",
    "hostIP",
    "protocol",
    "env",
    "envFrom",
    "value",
    "valueFrom",
    "resources",
    "requests",
    "limits",
    "volumeMounts",
    "mountPath",
    "subPath",
    "readOnly",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "postStart",
    "preStop",
    "securityContext",
    "restartPolicy",
    "volumes",
    "emptyDir",
    "configMap",
    "secret",
    "persistentVolumeClaim",
    "serviceAccountName",
    "nodeSelector",
    "tolerations",
    "affinity",
    "replicas",
    "selector",
    "matchLabels",
    "matchExpressions",
    "template",
    "strategy",
    "serviceName",
    "jobTemplate",
    "schedule",
    "backoffLimit",
    "activeDeadlineSeconds",
    "ttlSecondsAfterFinished",
    "runAsNonRoot",
    "runAsUser",
    "runAsGroup",
    "fsGroup",
    "readOnlyRootFilesystem",
    "allowPrivilegeEscalation",
    "capabilities",
    "drop",
    "add",
    "privileged",
    "seccompProfile",
    "httpGet",
    "tcpSocket",
    "exec",
    "grpc",
    "path",
    "port",
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "failureThreshold",
    "successThreshold",
    "targetPort",
    "type",
    "data",
    "stringData",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "dnsPolicy",
    "terminationGracePeriodSeconds",
    "imagePullSecrets",
    "configMapKeyRef",
    "secretKeyRef",
    "fieldRef",
    "fieldPath",
    "key",
    "items",
    "defaultMode",
    "sizeLimit",
    "medium",
];

pub(super) fn unknown_field_message(name: &str) -> String {
    // A typo is about as long as the field it aims at; longer names are not worth comparing.
    let best = KNOWN_FIELDS
        .iter()
        .filter(|_| name.len() <= 64)
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|(distance, known)| *distance > 0 && *distance <= 2 && *distance < known.len() / 2)
        .min();
    let name = yaml::shorten(name);
    match best {
        Some((_, known)) => format!("unknown field \"{name}\" (did you mean \"{known}\"?)"),
        None => format!("unknown field \"{name}\""),
    }
}

/// The init and regular containers of a pod, with their list names.
pub(super) fn containers_of(spec: &PodSpec) -> [(&'static str, &[Container]); 2] {
    [
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or_default(),
        ),
        ("containers", spec.containers.as_slice()),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kube_version::KubeVersion;
    use crate::validate::{validate_stream, Finding, Options};

    fn findings(text: &str, minor: u32) -> Vec<Finding> {
        let options = Options {
            kube_version: KubeVersion::new(minor).unwrap_or_default(),
            ..Options::default()
        };
        validate_stream(text, "t.yaml", &options).findings
    }

    fn only(text: &str, rule: &str) -> Vec<(usize, String, String)> {
        findings(text, 37)
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.line, f.path, f.message))
            .collect()
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";

    #[test]
    fn yaml_syntax() {
        let found = only("apiVersion: v1\nkind: [Pod\n", "yaml-syntax");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 3);
    }

    #[test]
    fn duplicate_key() {
        let text = format!("{POD}    image: nginx:1.28\n");
        let found = only(&text, "duplicate-key");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 9);
        assert_eq!(found[0].1, "spec.containers[0].image");
        assert!(
            found[0].2.starts_with("Duplicate value: key \"image\""),
            "{found:?}"
        );
    }

    #[test]
    fn syntax_errors_name_file_lines() {
        let text = format!("{POD}---\napiVersion: v1\nkind: [Pod\n");
        let found = only(&text, "yaml-syntax");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 12);
    }

    #[test]
    fn missing_kind() {
        let found = only("apiVersion: v1\nmetadata:\n  name: x\n", "missing-kind");
        assert_eq!(found[0].1, "kind");
    }

    #[test]
    fn unknown_field_with_hint() {
        let text = format!("{POD}    imagePulPolicy: Always\n");
        assert_eq!(
            only(&text, "unknown-field"),
            vec![(
                9,
                "spec.containers[0].imagePulPolicy".to_string(),
                "unknown field \"imagePulPolicy\" (did you mean \"imagePullPolicy\"?)".to_string()
            )]
        );
    }

    #[test]
    fn field_type() {
        let text = format!("{POD}    ports:\n    - containerPort: eighty\n");
        let found = only(&text, "field-type");
        assert_eq!(found[0].1, "spec.containers[0].ports[0].containerPort");
        assert_eq!(found[0].0, 10);
        assert!(
            found[0].2.contains("invalid type: string \"eighty\""),
            "{found:?}"
        );
    }

    #[test]
    fn required_field() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - image: nginx:1.27\n";
        assert_eq!(
            only(text, "required-field"),
            vec![(
                7,
                "spec.containers[0].name".to_string(),
                "Required value".to_string()
            )]
        );
    }

    #[test]
    fn yaml11_scalars_read_as_kubectl_reads_them() {
        // `yes` and `0755` in string fields reach the server as a boolean and a number, which it
        // rejects: errors whose fix is to quote them.
        let text = format!("{POD}    env:\n    - name: A\n      value: yes\n    - name: B\n      value: \"no\"\n    - name: C\n      value: 0755\n");
        let found = only(&text, "field-type");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            (found[0].0, found[0].1.as_str()),
            (11, "spec.containers[0].env[0].value")
        );
        assert!(
            found[0].2.ends_with(
                "unquoted `yes` is a boolean in YAML 1.1, which kubectl reads; quote it: \"yes\""
            ),
            "{found:?}"
        );
        assert_eq!(
            (found[1].0, found[1].1.as_str()),
            (15, "spec.containers[0].env[2].value")
        );
        // An octal file mode is what kubectl reads, and valid.
        let modes = format!("{POD}  volumes:\n  - name: v\n    configMap:\n      name: c\n      defaultMode: 0400\n      items:\n      - key: k\n        path: p\n        mode: 01777\n");
        let all = findings(&modes, 37);
        assert!(
            all.iter()
                .all(|f| f.rule != "field-type" && f.rule != "yaml11-scalar"),
            "{all:?}"
        );
        // A leading zero elsewhere is octal too, which is rarely meant.
        let port = format!("{POD}    ports:\n    - containerPort: 0100\n");
        assert_eq!(
            only(&port, "yaml11-scalar"),
            vec![(
                10,
                "spec.containers[0].ports[0].containerPort".to_string(),
                "`0100` is octal in YAML 1.1, which kubectl reads: it is 64; write 64, or quote it if a string is meant".to_string()
            )]
        );
    }

    #[test]
    fn keys_kubectl_rewrites_are_warned_about() {
        let text =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  1: a\n  on: b\n";
        assert!(only(text, "field-type").is_empty());
        assert_eq!(
            only(text, "yaml11-scalar"),
            vec![(
                7,
                "data.true".to_string(),
                "the key `on` is `true` in YAML 1.1, which kubectl reads; quote it: \"on\""
                    .to_string()
            )]
        );
    }

    #[test]
    fn every_type_error_is_reported_at_its_line() {
        let text = format!("{POD}    ports:\n    - containerPort: eighty\n    - containerPort: [1]\n    stdin: maybe\n");
        let found = only(&text, "field-type");
        let places: Vec<_> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
        assert_eq!(
            places,
            [
                (10, "spec.containers[0].ports[0].containerPort"),
                (11, "spec.containers[0].ports[1].containerPort"),
                (12, "spec.containers[0].stdin"),
            ]
        );
    }

    #[test]
    fn json_manifests_have_real_lines() {
        let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"web\"},\n  \"spec\": {\n    \"containers\": [\n      {\"name\": \"app\",\n       \"image\": \"nginx:1.27\",\n       \"imagePulPolicy\": \"Always\"}\n    ]\n  }\n}\n";
        let found = only(text, "unknown-field");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 9);
    }

    #[test]
    fn nulls_and_kubectl_output_are_fine() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  creationTimestamp: null\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources: {}\nstatus: {}\n";
        assert!(only(text, "unknown-field").is_empty());
        assert!(only(text, "required-field").is_empty());
    }

    #[test]
    fn fields_newer_than_the_target_are_unknown() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n  - name: proxy\n    image: envoy:1.31\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: nginx:1.27\n";
        let old: Vec<_> = findings(text, 27)
            .into_iter()
            .filter(|f| f.rule == "unknown-field")
            .collect();
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].path, "spec.initContainers[0].restartPolicy");
        assert!(old[0].message.contains("added in 1.28"));
        assert!(findings(text, 29).iter().all(|f| f.rule != "unknown-field"));
    }

    #[test]
    fn unknown_kinds_are_skipped() {
        let text = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  anything: 1\n";
        let report = validate_stream(text, "t.yaml", &Options::default());
        assert!(report.findings.is_empty());
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.skipped[0].object, "Widget/w");
    }
}
