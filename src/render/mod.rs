//! The render stage: lays a [`Plan`] out as YAML documents through tera templates.
//!
//! The engine is built once per process from the templates embedded in the binary (or a user's
//! copy). Each container is rendered from its pattern's fragment, then the workload template
//! places the fragments; ConfigMaps and the Service follow the workload.

mod context;
mod embedded;
mod filters;
mod prebuilt;
mod strict;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{PoisonError, RwLock};

use serde::Serialize;
use tera::ast::Node;
use tera::{Context, Tera};

use context::{ConfigMapContext, ServiceContext, WorkloadContext};

use crate::error::{Error, Result};
use crate::plan::{ContainerPlan, Plan};
use crate::spec::WorkloadKind;

pub use embedded::files as template_files;

/// The template engine. Templates are loaded on first use, each once, with the partials they
/// include: a built-in one as the syntax tree `build.rs` made of it ([`prebuilt`]), a user's
/// copy parsed by tera.
pub struct Engine {
    /// Every template by name.
    sources: HashMap<String, Source>,
    /// The templates loaded so far.
    tera: RwLock<Tera>,
}

/// Where a template comes from.
enum Source {
    /// The built-in template, parsed at build time.
    Builtin,
    /// The text of a user's template.
    Custom(String),
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
    /// The engine over the templates built into podsmith. Each is loaded when a render first
    /// needs it.
    pub fn builtin() -> Engine {
        let sources = embedded::files()
            .into_iter()
            .map(|(name, _)| (name, Source::Builtin))
            .collect();
        Engine::new(sources)
    }

    /// The engine over a folder of templates laid out like the built-in ones; a template the
    /// folder lacks falls back to the built-in one. Every template is loaded at once, so a
    /// broken one is reported whether or not this render uses it, and each template of the
    /// folder must read the variables the built-in one reads: an unknown or a left-out
    /// variable is an error naming the template and the variable.
    pub(crate) fn from_dir(dir: &Path) -> Result<Engine> {
        if !dir.is_dir() {
            return Err(Error::invalid(
                "--templates",
                dir.display().to_string(),
                "must be a folder of templates, as `podsmith templates export DIR` writes",
            ));
        }
        let mut sources = HashMap::new();
        let mut overridden = Vec::new();
        for (name, _) in embedded::files() {
            let path = dir.join(&name);
            let source = match std::fs::read_to_string(&path) {
                Ok(custom) => {
                    overridden.push(name.clone());
                    Source::Custom(custom)
                }
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Source::Builtin,
                Err(error) => {
                    return Err(Error::Read {
                        path,
                        message: error.to_string(),
                    })
                }
            };
            sources.insert(name, source);
        }
        let custom = Engine::new(sources);
        custom.load_all()?;
        let builtin = Engine::builtin();
        builtin.load_all()?;
        strict::same_variables(
            &builtin.tera.read().unwrap_or_else(PoisonError::into_inner),
            &custom.tera.read().unwrap_or_else(PoisonError::into_inner),
            &overridden,
        )?;
        Ok(custom)
    }

    fn new(sources: HashMap<String, Source>) -> Engine {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        filters::register(&mut tera);
        Engine {
            sources,
            tera: RwLock::new(tera),
        }
    }

    /// Loads `name` alone into `tera`.
    fn load_one(&self, tera: &mut Tera, name: &str) -> Result<()> {
        let failed = |message: String| Error::Template {
            name: name.into(),
            message,
        };
        match self.sources.get(name) {
            None => Err(failed("no such template".into())),
            Some(Source::Builtin) => {
                let template = prebuilt::template(name)
                    .ok_or_else(|| failed("no prebuilt syntax tree".into()))?;
                // `templates` is the map `add_raw_template` fills; the tree is the one tera
                // parsed at build time, and built-in templates use no inheritance or macros,
                // so there is nothing else to set up.
                tera.templates.insert(name.to_string(), template);
                Ok(())
            }
            Some(Source::Custom(text)) => tera
                .add_raw_template(name, text)
                .map_err(|error| failed(describe(&error))),
        }
    }

    /// Loads every template now: the first broken one is the error.
    pub fn load_all(&self) -> Result<()> {
        let mut names: Vec<&String> = self.sources.keys().collect();
        names.sort();
        let mut tera = self.tera.write().unwrap_or_else(PoisonError::into_inner);
        for name in names {
            if tera.get_template(name).is_err() {
                self.load_one(&mut tera, name)?;
            }
        }
        Ok(())
    }

    /// Renders a plan.
    pub(crate) fn render(&self, plan: &Plan) -> Result<Rendered> {
        self.load(&templates_of(plan))?;
        let workload_context = WorkloadContext::new(
            plan,
            self.render_containers(&plan.init_containers)?,
            self.render_containers(&plan.containers)?,
        );
        let (kind, template) = workload_template(plan.kind);
        let mut documents = vec![Document {
            kind: kind.into(),
            name: plan.name.clone(),
            text: self.render_template(template, &workload_context)?,
        }];
        for config_map in &plan.config_maps {
            let mut data = BTreeMap::new();
            for entry in &config_map.entries {
                let values =
                    (entry.file.values()).map_err(|error| Error::Internal(error.to_string()))?;
                let text = self.render_template(entry.file.template(), &values)?;
                data.insert(entry.key.as_str(), text);
            }
            let context = ConfigMapContext::new(plan, &config_map.name, data);
            documents.push(Document {
                kind: "ConfigMap".into(),
                name: config_map.name.clone(),
                text: self.render_template("resources/configmap.yaml.tera", &context)?,
            });
        }
        if plan.has_service() {
            let context = ServiceContext::new(plan);
            documents.push(Document {
                kind: "Service".into(),
                name: plan.name.clone(),
                text: self.render_template("resources/service.yaml.tera", &context)?,
            });
        }
        Ok(Rendered { documents })
    }

    /// Loads `names` and the partials they include, those not loaded yet.
    fn load(&self, names: &[&str]) -> Result<()> {
        let mut tera = self.tera.write().unwrap_or_else(PoisonError::into_inner);
        let mut pending: Vec<String> = names.iter().map(|name| name.to_string()).collect();
        while let Some(name) = pending.pop() {
            if tera.get_template(&name).is_ok() {
                continue;
            }
            self.load_one(&mut tera, &name)?;
            if let Ok(template) = tera.get_template(&name) {
                includes(&template.ast, &mut pending);
            }
        }
        Ok(())
    }

    fn render_containers(&self, containers: &[ContainerPlan]) -> Result<Vec<String>> {
        containers
            .iter()
            .map(|c| self.render_template(c.template(), &c.context))
            .collect()
    }

    fn render_template(&self, name: &str, context: &impl Serialize) -> Result<String> {
        let context =
            Context::from_serialize(context).map_err(|error| Error::Internal(error.to_string()))?;
        let tera = self.tera.read().unwrap_or_else(PoisonError::into_inner);
        tera.render(name, &context)
            .map_err(|error| Error::Template {
                name: name.into(),
                message: describe(&error),
            })
    }
}

/// The names of the templates `nodes` include, at any depth.
fn includes(nodes: &[Node], found: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Include(_, names, _) => found.extend(names.iter().cloned()),
            Node::If(branches, _) => {
                for (_, _, body) in &branches.conditions {
                    includes(body, found);
                }
                if let Some((_, body)) = &branches.otherwise {
                    includes(body, found);
                }
            }
            Node::Forloop(_, forloop, _) => {
                includes(&forloop.body, found);
                if let Some(body) = &forloop.empty_body {
                    includes(body, found);
                }
            }
            Node::FilterSection(_, section, _) => includes(&section.body, found),
            Node::Block(_, block, _) => includes(&block.body, found),
            Node::MacroDefinition(_, definition, _) => includes(&definition.body, found),
            _ => {}
        }
    }
}

/// The templates `plan` renders, besides the partials they include.
fn templates_of(plan: &Plan) -> Vec<&'static str> {
    let mut names = vec![workload_template(plan.kind).1];
    names.extend(
        plan.init_containers
            .iter()
            .chain(&plan.containers)
            .map(ContainerPlan::template),
    );
    for config_map in &plan.config_maps {
        names.push("resources/configmap.yaml.tera");
        names.extend(config_map.entries.iter().map(|entry| entry.file.template()));
    }
    if plan.has_service() {
        names.push("resources/service.yaml.tera");
    }
    names
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
mod tests;
