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
    // Names whose lengths or letters differ by more than 2 are more than 2 edits apart: skipping
    // them spares the distance (which allocates a table each time) for most known fields.
    let length = name.chars().count();
    let best = KNOWN_FIELDS
        .iter()
        .filter(|known| length <= 64 && known.len().abs_diff(length) <= 2)
        .filter(|known| letters_apart(name, known) <= 2)
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|(distance, known)| *distance > 0 && *distance <= 2 && *distance < known.len() / 2)
        .min();
    let name = yaml::shorten(name);
    match best {
        Some((_, known)) => format!("unknown field \"{name}\" (did you mean \"{known}\"?)"),
        None => format!("unknown field \"{name}\""),
    }
}

/// How many letters one name has that the other lacks, counted with repeats, from the side with
/// more: a lower bound of their edit distance, since an edit adds or removes at most one letter
/// on each side and a transposition none. `known` is ASCII, as every known field is.
fn letters_apart(name: &str, known: &str) -> usize {
    let mut counts = [0i32; 128];
    let mut other = 0;
    for c in name.chars() {
        match counts.get_mut(c as usize) {
            Some(count) => *count += 1,
            None => other += 1,
        }
    }
    for byte in known.bytes() {
        counts[usize::from(byte & 0x7f)] -= 1;
    }
    let surplus = |sign: i32| {
        counts
            .iter()
            .map(|count| (count * sign).max(0))
            .sum::<i32>()
    };
    usize::try_from((surplus(1) + other).max(surplus(-1))).unwrap_or(usize::MAX)
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
mod tests;
