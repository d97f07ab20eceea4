//! The render stage: lays a [`Plan`] out as YAML documents through tera templates.
//!
//! The engine is built once per process from the templates embedded in the binary (or a user's
//! copy). Each container is rendered from its pattern's fragment, then the workload template
//! places the fragments; ConfigMaps and the Service follow the workload.

mod embedded;
mod filters;

use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::plan::{ContainerPlan, Plan};
use crate::spec::WorkloadKind;

pub use embedded::{entry_templates, files as template_files, TEMPLATES};

/// The template engine with every podsmith template loaded and checked.
pub struct Engine {
    tera: Tera,
}

/// One rendered resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Its kind, e.g. `Deployment`.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its YAML text, ending with a newline.
    pub text: String,
}

/// Everything one spec renders to, workload first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// The documents, in output order.
    pub documents: Vec<Document>,
}

impl Rendered {
    /// The documents as one multi-document stream, ready for `kubectl apply -f -`.
    pub fn stream(&self) -> String {
        let mut out = String::new();
        for document in &self.documents {
            out.push_str("---\n");
            out.push_str(&document.text);
        }
        out
    }
}

impl Engine {
    /// The engine over the templates built into podsmith.
    pub fn builtin() -> Result<Engine> {
        Engine::from_templates(embedded::files())
    }

    /// The engine over a folder of templates laid out like the built-in ones; a template the
    /// folder lacks falls back to the built-in one.
    pub fn from_dir(dir: &Path) -> Result<Engine> {
        let mut templates = embedded::files();
        for (name, text) in &mut templates {
            let path = dir.join(name.as_str());
            match std::fs::read_to_string(&path) {
                Ok(custom) => *text = custom,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    return Err(Error::Read {
                        path,
                        message: error.to_string(),
                    })
                }
            }
        }
        Engine::from_templates(templates)
    }

    fn from_templates(templates: Vec<(String, String)>) -> Result<Engine> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        filters::register(&mut tera);
        // One at a time, so a template that does not parse is named in the error.
        for (name, text) in &templates {
            tera.add_raw_template(name, text)
                .map_err(|error| Error::Template {
                    name: name.clone(),
                    message: describe(&error),
                })?;
        }
        Ok(Engine { tera })
    }

    /// Renders a plan.
    pub fn render(&self, plan: &Plan) -> Result<Rendered> {
        let init_containers = self.render_containers(&plan.init_containers)?;
        let containers = self.render_containers(&plan.containers)?;
        let workload_context = json!({
            "name": plan.name,
            "namespace": plan.namespace,
            "labels": plan.labels,
            "pod_annotations": plan.pod_annotations,
            "selector": plan.selector,
            "replicas": plan.replicas,
            "init_containers": init_containers,
            "containers": containers,
            "volumes": plan.volumes,
            "restart_policy": plan.workload.restart_policy,
            "backoff_limit": plan.workload.backoff_limit,
            "schedule": plan.workload.schedule,
            "service_name": plan.workload.service_name,
            "fs_group": plan.workload.fs_group,
            "volume_claims": plan.volume_claims,
        });
        let (kind, template) = workload_template(plan.kind);
        let mut documents = vec![Document {
            kind: kind.into(),
            name: plan.name.clone(),
            text: self.render_template(template, &workload_context)?,
        }];
        for config_map in &plan.config_maps {
            let mut data = serde_json::Map::new();
            for entry in &config_map.entries {
                data.insert(
                    entry.key.clone(),
                    json!(self.render_template(entry.template, &entry.context)?),
                );
            }
            let context = json!({
                "name": config_map.name,
                "namespace": plan.namespace,
                "labels": plan.labels,
                "data": data,
            });
            documents.push(Document {
                kind: "ConfigMap".into(),
                name: config_map.name.clone(),
                text: self.render_template("resources/configmap.yaml.tera", &context)?,
            });
        }
        let headless = plan.workload.service_name.is_some();
        if plan.workload.service && (headless || !plan.service_ports.is_empty()) {
            let context = json!({
                "headless": headless,
                "name": plan.name,
                "namespace": plan.namespace,
                "labels": plan.labels,
                "selector": plan.selector,
                "ports": plan.service_ports,
            });
            documents.push(Document {
                kind: "Service".into(),
                name: plan.name.clone(),
                text: self.render_template("resources/service.yaml.tera", &context)?,
            });
        }
        Ok(Rendered { documents })
    }

    fn render_containers(&self, containers: &[ContainerPlan]) -> Result<Vec<String>> {
        containers
            .iter()
            .map(|c| self.render_template(c.template, &c.context))
            .collect()
    }

    fn render_template(&self, name: &str, context: &Value) -> Result<String> {
        let context = Context::from_value(context.clone())
            .map_err(|error| Error::Internal(error.to_string()))?;
        self.tera
            .render(name, &context)
            .map_err(|error| Error::Template {
                name: name.into(),
                message: describe(&error),
            })
    }
}

fn workload_template(kind: WorkloadKind) -> (&'static str, &'static str) {
    let template = match kind {
        WorkloadKind::Pod => "workloads/pod.yaml.tera",
        WorkloadKind::Deployment => "workloads/deployment.yaml.tera",
        WorkloadKind::StatefulSet => "workloads/statefulset.yaml.tera",
        WorkloadKind::DaemonSet => "workloads/daemonset.yaml.tera",
        WorkloadKind::Job => "workloads/job.yaml.tera",
        WorkloadKind::CronJob => "workloads/cronjob.yaml.tera",
    };
    (kind.api_kind(), template)
}

/// A tera error with its causes, on one line.
fn describe(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_load() {
        Engine::builtin().expect("the built-in templates parse");
    }
}
