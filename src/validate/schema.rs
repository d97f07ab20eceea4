//! Layer 1: YAML and schema. Parses one document, reports YAML syntax errors, duplicate keys
//! and YAML 1.1 scalars, then parses the typed API object of the kind and compares it with what
//! was written (`compare`): a field the typed parse dropped is unknown, one it added is a missing
//! required field. Fields that differ between the newest and the target version are settled by
//! [`field_versions`], apiVersions the target does not serve by [`api_version`].

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::api_version::{self, Gate};
use super::field_versions;
use super::locate;
use super::object::{self, Parsed};
use super::rules;
use super::{Sink, Skipped};
use crate::yaml::{self, Value};

/// What the schema layer made of a document.
pub enum Outcome {
    /// A known kind, parsed; `complete` is false when required fields are missing, so the later
    /// layers would only repeat the same problem.
    Parsed {
        /// The typed object.
        parsed: Box<Parsed>,
        /// Whether every required field was there.
        complete: bool,
    },
    /// A kind the validator does not know.
    Skipped(Skipped),
    /// The document could not be read as an object.
    Stop,
}

/// Parses a document's text, reporting YAML errors and duplicate keys.
pub fn parse(text: &str, sink: &mut Sink) -> Option<Value> {
    match yaml::from_str(text) {
        Ok(value) => Some(value),
        Err(error) => {
            sink.object = object_from_text(text);
            let line = yaml::error_line(&error).unwrap_or(1);
            let message = file_lines(&without_location(&error.to_string()), sink.start);
            // serde_yaml writes `<path>: duplicate entry with key "<key>"`.
            let duplicate = message
                .split_once("duplicate entry with key ")
                .map(|(path, key)| (path.trim_end_matches(": ").to_string(), key.to_string()));
            match duplicate {
                Some((parent, name)) => {
                    let field = locate::key(&parent, name.trim_matches('"'));
                    let line = sink.index().repeat(&field).unwrap_or(line);
                    sink.report_at_line(
                        &rules::DUPLICATE_KEY,
                        &field,
                        line,
                        format!("Duplicate value: key {name} appears twice; readers disagree on which value wins"),
                    );
                }
                None => sink.report_at_line(&rules::YAML_SYNTAX, "", line, message),
            }
            None
        }
    }
}

/// The items of a `kind: List` document (what `kubectl get -o yaml` prints for several
/// objects), which are checked one by one.
pub fn list_items(value: &Value) -> Option<&[Value]> {
    let field = |name: &str| value.get(name).and_then(Value::as_str);
    if field("apiVersion") != Some("v1") || field("kind") != Some("List") {
        return None;
    }
    match value.get("items") {
        Some(Value::Sequence(items)) => Some(items),
        _ => None,
    }
}

/// Runs layer 1 on one object.
pub fn check(value: &Value, sink: &mut Sink) -> Outcome {
    let field = |name: &str| value.get(name).and_then(Value::as_str);
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
    let metadata = value.get("metadata");
    let name = metadata
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Value::as_str)
        .unwrap_or("-");
    sink.object = format!("{kind}/{name}");
    let skipped = |sink: &Sink| {
        Outcome::Skipped(Skipped {
            file: sink.file.to_string(),
            line: sink.line_of(""),
            api_version: api_version.to_string(),
            object: sink.object.clone(),
        })
    };
    let type_name = match api_version::check(api_version, kind, sink) {
        Gate::Check(type_name) => type_name,
        Gate::Custom => return skipped(sink),
        Gate::Rejected => return Outcome::Stop,
    };
    let Some(result) = object::parse(value, api_version, kind) else {
        return skipped(sink);
    };
    if has_yaml11_scalar(value) {
        yaml11_scalars(value, &mut String::new(), sink);
    }
    match result {
        Err(error) => {
            sink.report(
                &rules::FIELD_TYPE,
                &error.path,
                format!("Invalid value: {}", without_location(&error.message)),
            );
            Outcome::Stop
        }
        Ok(parsed) => {
            let differences = &parsed.differences;
            let minor = sink.version().minor();
            let corrections = field_versions::check(value, type_name, minor, sink);
            for (path, name) in &differences.unknown {
                match corrections.get(path) {
                    Some(None) => {}
                    Some(Some(message)) => {
                        sink.report(&rules::UNKNOWN_FIELD, path, message.clone())
                    }
                    None => sink.report(&rules::UNKNOWN_FIELD, path, unknown_field_message(name)),
                }
            }
            for (path, key) in &differences.odd_keys {
                sink.report(
                    &rules::UNKNOWN_FIELD,
                    path,
                    format!("unknown field {key}: field names are strings"),
                );
            }
            for path in &differences.missing {
                sink.report(&rules::REQUIRED_FIELD, path, "Required value");
            }
            let complete = differences.missing.is_empty();
            Outcome::Parsed {
                parsed: Box::new(parsed),
                complete,
            }
        }
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
        Some(kind) => format!("{kind}/{}", name.unwrap_or_else(|| "-".to_string())),
        None => "-".to_string(),
    }
}

/// serde's message without its ` at line L column C` tail (the finding carries the line).
/// Rewrites the document-relative ` at line N` inside a parser message to the file's line, so
/// it agrees with the finding's own line when the document does not start the file.
fn file_lines(message: &str, start: usize) -> String {
    const MARK: &str = " at line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..at + MARK.len()]);
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&(line + start - 1).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn without_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
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

fn unknown_field_message(name: &str) -> String {
    let best = KNOWN_FIELDS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|(distance, known)| *distance > 0 && *distance <= 2 && *distance < known.len() / 2)
        .min();
    match best {
        Some((_, known)) => format!("unknown field \"{name}\" (did you mean \"{known}\"?)"),
        None => format!("unknown field \"{name}\""),
    }
}

/// Whether kubectl (YAML 1.1) reads this plain scalar as something other than a string.
fn yaml11_meaning(text: &str) -> Option<&'static str> {
    const BOOLEANS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF",
    ];
    if BOOLEANS.contains(&text) {
        return Some("a boolean");
    }
    let octal =
        text.len() > 1 && text.starts_with('0') && text.bytes().all(|c| (b'0'..=b'7').contains(&c));
    octal.then_some("an octal number")
}

/// Whether any string of the tree could be a YAML 1.1 hazard; a cheap walk that spares the
/// path-building one for the (usual) documents that have none.
fn has_yaml11_scalar(value: &Value) -> bool {
    match value {
        Value::String(text) => yaml11_meaning(text).is_some(),
        Value::Mapping(map) => map.values().any(has_yaml11_scalar),
        Value::Sequence(items) => items.iter().any(has_yaml11_scalar),
        Value::Tagged(tagged) => has_yaml11_scalar(&tagged.value),
        _ => false,
    }
}

/// Reports plain (unquoted) scalars that YAML 1.2 readers take as strings but kubectl does not.
fn yaml11_scalars(value: &Value, path: &mut String, sink: &mut Sink) {
    match value {
        Value::String(text) => {
            let Some(meaning) = yaml11_meaning(text) else {
                return;
            };
            let plain = sink.raw(path).as_deref() == Some(text.as_str());
            if plain {
                sink.report(
                    &rules::YAML11_SCALAR,
                    path,
                    format!(
                        "Invalid value: unquoted `{text}` is {meaning} in YAML 1.1, which kubectl reads; quote it: \"{text}\""
                    ),
                );
            }
        }
        Value::Mapping(map) => {
            let depth = path.len();
            for (key, inner) in map {
                if let Some(name) = key.as_str() {
                    locate::push_key(path, name);
                    yaml11_scalars(inner, path, sink);
                    path.truncate(depth);
                }
            }
        }
        Value::Sequence(items) => {
            let depth = path.len();
            for (at, item) in items.iter().enumerate() {
                locate::push_index(path, at);
                yaml11_scalars(item, path, sink);
                path.truncate(depth);
            }
        }
        Value::Tagged(tagged) => yaml11_scalars(&tagged.value, path, sink),
        _ => {}
    }
}

/// The init and regular containers of a pod, with their list names.
pub fn containers_of(spec: &PodSpec) -> [(&'static str, &[Container]); 2] {
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
        assert!(!found[0].2.contains("at line 3"), "{found:?}");
        assert_eq!(
            super::file_lines("a at line 3 column 1, b at line 1 column 2", 10),
            "a at line 12 column 1, b at line 10 column 2"
        );
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
    fn yaml11_scalar() {
        let text = format!("{POD}    env:\n    - name: A\n      value: yes\n    - name: B\n      value: \"no\"\n    - name: C\n      value: 0755\n");
        let found = only(&text, "yaml11-scalar");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].1, "spec.containers[0].env[0].value");
        assert_eq!(found[1].1, "spec.containers[0].env[2].value");
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
