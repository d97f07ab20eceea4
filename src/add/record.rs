//! The record `add` keeps in a workload's annotation: the patterns it added with their
//! options and what they put into the pod, so a later run recognises, updates or removes them.
//!
//! The annotation is YAML a person reads in `kubectl get -o yaml`: one line per field, one
//! flow mapping per pattern, in start order. It reads back into the same record exactly.

use serde::{Deserialize, Serialize};

use crate::add::target::Workload;
use crate::add::tree;
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::yaml::{Node, Value};

/// The workload annotation that records the patterns podsmith added and what they put in.
pub const ANNOTATION: &str = "podsmith.dev/patterns";

/// What the annotation holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Record {
    /// The app container the patterns were wired to.
    pub(crate) container: String,
    /// The Kubernetes version they were rendered for.
    pub(crate) kube_version: KubeVersion,
    /// The patterns with their options, in start order.
    pub(crate) patterns: Vec<Pattern>,
    /// What they put into the pod, by name, so it can be taken out again exactly.
    pub(crate) added: Added,
}

/// The names of everything podsmith put into a pod.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Added {
    /// Init containers and native sidecars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) init_containers: Vec<String>,
    /// Regular containers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) containers: Vec<String>,
    /// Pod volumes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) volumes: Vec<String>,
    /// Mount paths in the app container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) mounts: Vec<String>,
    /// Environment variables of the app container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) env: Vec<String>,
    /// ConfigMaps, written as documents after the workload.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) config_maps: Vec<String>,
    /// Pod-level settings podsmith set, by path (`securityContext.fsGroup`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) pod: Vec<String>,
    /// The lists podsmith created (`volumes`, `app.env`...) and pod-level mappings
    /// (`pod.securityContext`), removed again once empty; one that was there before, even
    /// empty, stays.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) created: Vec<String>,
    /// The app's own command, when podsmith wrapped it (Job sidecars before 1.29).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) command: Option<Vec<String>>,
}

impl Record {
    /// Reads the record of `object`, if podsmith added patterns to it before.
    pub(crate) fn read(object: &Node, workload: &Workload) -> Result<Option<Record>> {
        let Some(text) = tree::text(object, &["metadata", "annotations", ANNOTATION]) else {
            return Ok(None);
        };
        crate::yaml::from_str(text).map(Some).map_err(|error| {
            Error::invalid(
                format!("{}: metadata.annotations.{ANNOTATION}", workload.object()),
                text,
                format!("not written by this podsmith ({error}); remove the annotation"),
            )
        })
    }

    /// The annotation's text: one line per field, each pattern a flow mapping on its own line.
    fn to_text(&self) -> Result<String> {
        let cannot = |error: String| Error::Internal(format!("cannot write the record: {error}"));
        let block = crate::yaml::to_string(self).map_err(cannot)?;
        let tree = crate::yaml::parse_one(&block)
            .map_err(|error| cannot(error.to_string()))?
            .root;
        let mut text = String::new();
        for field in tree.as_mapping().unwrap_or_default() {
            match &field.value.value {
                Value::Sequence(items) if !items.is_empty() => {
                    text.push_str(&format!("{}:\n", field.key));
                    for item in items {
                        text.push_str(&format!("- {}\n", flow(item)));
                    }
                }
                Value::Mapping(entries) if !entries.is_empty() => {
                    text.push_str(&format!("{}:\n", field.key));
                    for entry in entries {
                        text.push_str(&format!("  {}: {}\n", entry.key, flow(&entry.value)));
                    }
                }
                _ => text.push_str(&format!("{}: {}\n", field.key, flow(&field.value))),
            }
        }
        Ok(text)
    }

    /// Writes it into `object`'s annotations, or removes it when `record` is `None`.
    pub(crate) fn write(record: Option<&Record>, object: &mut Node) -> Result<()> {
        let Some(metadata) = tree::get_mut(object, "metadata").filter(|m| m.as_mapping().is_some())
        else {
            return Err(Error::Internal("a workload without metadata".into()));
        };
        match record {
            Some(record) => {
                let text = record.to_text()?;
                if tree::get_mut(metadata, "annotations").is_none_or(|a| a.as_mapping().is_none()) {
                    tree::set(metadata, "annotations", tree::mapping());
                }
                if let Some(annotations) = tree::get_mut(metadata, "annotations") {
                    tree::set(annotations, ANNOTATION, tree::string(&text));
                }
            }
            None => {
                if let Some(annotations) = tree::get_mut(metadata, "annotations") {
                    tree::remove(annotations, ANNOTATION);
                    if annotations.as_mapping().is_some_and(<[_]>::is_empty) {
                        tree::remove(metadata, "annotations");
                    }
                }
            }
        }
        Ok(())
    }
}

/// `node` on one line in YAML flow style: `{key: value, list: [a, b]}`.
fn flow(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_string(),
        Value::Bool(value) => value.to_string(),
        Value::Int(value) => value.to_string(),
        Value::Float(value) => value.to_string(),
        Value::String(text) => flow_scalar(text),
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|e| format!("{}: {}", flow_scalar(&e.key), flow(&e.value)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A string inside a flow collection: plain when that is safe there too (no `,`, brackets or
/// braces, which end a plain scalar in flow context, and no leading `?` or `:`, which start one
/// only in block context for go-yaml), else double-quoted.
fn flow_scalar(text: &str) -> String {
    let flow_safe = !text.contains([',', '[', ']', '{', '}']) && !text.starts_with(['?', ':']);
    match crate::yaml::is_plain_safe(text) && flow_safe {
        true => text.to_string(),
        false => crate::yaml::quote(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(patterns: &str) -> Record {
        Record {
            container: "web".into(),
            kube_version: "1.28".parse().unwrap(),
            patterns: crate::yaml::from_str(patterns).unwrap(),
            added: Added {
                init_containers: vec!["wait-for-db".into()],
                volumes: vec!["app-logs".into()],
                mounts: vec!["/var/log/app".into()],
                created: vec!["initContainers".into(), "app.volumeMounts".into()],
                command: Some(vec![
                    "sh".into(),
                    "-c".into(),
                    "a, b {c} [d]: \"e\" # f".into(),
                ]),
                ..Added::default()
            },
        }
    }

    #[test]
    fn the_record_reads_as_one_line_per_pattern_and_round_trips() {
        let record = record(
            "- {type: wait-for, host: db, port: 5432}\n\
             - {type: log-shipper, output: {backend: loki, url: 'http://loki:3100'}, path: '/var/log/app/*.log'}\n",
        );
        let text = record.to_text().unwrap();
        assert_eq!(
            text,
            "container: web\n\
             kubeVersion: \"1.28\"\n\
             patterns:\n\
             - {type: wait-for, host: db, port: 5432, timeoutSeconds: 300}\n\
             - {type: log-shipper, output: {backend: loki, url: http://loki:3100}, path: /var/log/app/*.log}\n\
             added:\n\
             \x20 initContainers: [wait-for-db]\n\
             \x20 volumes: [app-logs]\n\
             \x20 mounts: [/var/log/app]\n\
             \x20 created: [initContainers, app.volumeMounts]\n\
             \x20 command: [sh, -c, \"a, b {c} [d]: \\\"e\\\" # f\"]\n"
        );
        let read: Record = crate::yaml::from_str(&text).unwrap();
        assert_eq!(read, record);
    }

    #[test]
    fn a_record_written_as_json_still_reads() {
        let record = record("[{type: wait-for, host: db, port: 5432}]");
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(crate::yaml::from_str::<Record>(&json).unwrap(), record);
    }
}
