//! The render stage: lays a [`Plan`] out as YAML documents through tera templates.
//!
//! The engine is built once per process from the templates embedded in the binary (or a user's
//! copy). Each container is rendered from its pattern's fragment, then the workload template
//! places the fragments; ConfigMaps and the Service follow the workload.

mod embedded;
mod filters;
mod strict;

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
    /// Each template of the folder must read the variables the built-in one reads: an
    /// unknown or a left-out variable is an error naming the template and the variable.
    pub fn from_dir(dir: &Path) -> Result<Engine> {
        if !dir.is_dir() {
            return Err(Error::invalid(
                "--templates",
                dir.display().to_string(),
                "must be a folder of templates, as `podsmith templates export DIR` writes",
            ));
        }
        let mut templates = embedded::files();
        let mut overridden = Vec::new();
        for (name, text) in &mut templates {
            let path = dir.join(name.as_str());
            match std::fs::read_to_string(&path) {
                Ok(custom) => {
                    *text = custom;
                    overridden.push(name.clone());
                }
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    return Err(Error::Read {
                        path,
                        message: error.to_string(),
                    })
                }
            }
        }
        let custom = Engine::from_templates(templates)?;
        let builtin = Engine::builtin()?;
        strict::same_variables(&builtin.tera, &custom.tera, &overridden)?;
        Ok(custom)
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

    /// A copy of the templates with `wait-for.yaml.tera` changed by `edit`.
    fn edited_copy(edit: impl Fn(&str) -> String) -> Result<Engine> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let name = "patterns/wait-for.yaml.tera";
        let (_, text) = embedded::files()
            .into_iter()
            .find(|(n, _)| n == name)
            .expect("the built-in wait-for template");
        std::fs::create_dir_all(dir.path().join("patterns")).expect("a folder");
        std::fs::write(dir.path().join(name), edit(&text)).expect("a template");
        Engine::from_dir(dir.path())
    }

    #[test]
    fn an_unchanged_copy_loads() {
        edited_copy(str::to_string).expect("the copy loads");
    }

    #[test]
    fn a_misspelled_variable_is_one_line_naming_template_and_variable() {
        let error = edited_copy(|text| text.replacen("{{ image", "{{ imgae", 1))
            .err()
            .expect("an unknown variable is refused")
            .to_string();
        assert!(error.contains("patterns/wait-for.yaml.tera"), "{error}");
        assert!(error.contains("unknown variable `imgae`"), "{error}");
        assert_eq!(error.lines().count(), 1, "{error}");
    }

    #[test]
    fn a_left_out_variable_is_named() {
        let error = edited_copy(|text| {
            text.lines()
                .filter(|line| !line.contains("timeout"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .err()
        .expect("a left-out variable is refused")
        .to_string();
        assert!(
            error.contains("leaves out the variable `timeout"),
            "{error}"
        );
    }

    #[test]
    fn templates_must_be_a_folder() {
        let error = Engine::from_dir(Path::new("/nonexistent/podsmith-templates"))
            .err()
            .expect("a missing folder is refused")
            .to_string();
        assert!(error.contains("--templates"), "{error}");
    }
}
