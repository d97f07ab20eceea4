//! The summary the wizard shows before writing: the containers in start order, the shared
//! volumes and who mounts them, the ports, the validator's warnings and the files to write.
//!
//! It is read from the rendered workload itself, so it shows exactly what will be written.

use std::fmt::Write as _;
use std::path::Path;

use console::style;

use crate::patterns::Pattern;
use crate::pipeline::Generated;
use crate::spec::Spec;
use crate::yaml::{self, Node, Value};

/// One container of the pod, as rendered.
struct Container {
    name: String,
    image: String,
    role: &'static str,
    mounts: Vec<(String, String, bool)>,
    ports: Vec<String>,
}

/// The summary text; `fancy` allows bold headings and arrows.
pub(super) fn summary(
    spec: &Spec,
    generated: &Generated,
    dir: &Path,
    files: &[String],
    fancy: bool,
) -> String {
    let pod = generated
        .rendered
        .documents
        .first()
        .and_then(|d| yaml::parse_one(&d.text).ok())
        .and_then(|workload| pod_spec(&workload.root).cloned())
        .unwrap_or_else(|| Node::built(Value::Null));
    let containers = containers(spec, &pod);
    let mut out = Summary {
        text: String::new(),
        fancy,
    };
    out.title(spec);
    out.containers(&containers);
    out.volumes(&pod, &containers);
    out.ports(&containers);
    out.warnings(generated);
    out.files(dir, files);
    out.text
}

/// The summary being written, section by section.
struct Summary {
    text: String,
    fancy: bool,
}

impl Summary {
    /// `text` in bold when `fancy`.
    fn bold(&self, text: &str) -> String {
        match self.fancy {
            true => style(text).bold().for_stderr().to_string(),
            false => text.to_string(),
        }
    }

    /// A section's heading, after a blank line.
    fn heading(&mut self, text: &str) {
        let heading = self.bold(text);
        let _ = writeln!(self.text, "\n{heading}");
    }

    /// The workload's name, kind, replicas and target version.
    fn title(&mut self, spec: &Spec) {
        let app = &spec.app;
        let replicas = match app.kind.has_replicas() {
            true => match app.replicas.unwrap_or(1) {
                1 => ", 1 replica".to_string(),
                n => format!(", {n} replicas"),
            },
            false => String::new(),
        };
        let title = self.bold(&format!("Summary of {}", app.name));
        let _ = writeln!(
            self.text,
            "\n{title} ({}{replicas}, Kubernetes {})",
            app.kind, app.kube_version
        );
    }

    fn containers(&mut self, containers: &[Container]) {
        self.heading("Containers, in start order:");
        let width = containers.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for (index, container) in containers.iter().enumerate() {
            let _ = writeln!(
                self.text,
                "  {}. {:<width$}  {:<15} {}",
                index + 1,
                container.name,
                container.role,
                container.image
            );
        }
    }

    /// Each volume, its source, and who mounts it where.
    fn volumes(&mut self, pod: &Node, containers: &[Container]) {
        let arrow = if self.fancy { "→" } else { "->" };
        self.heading("Shared volumes:");
        let volumes = sequence(pod, "volumes");
        if volumes.is_empty() {
            let _ = writeln!(self.text, "  none");
        }
        for volume in volumes {
            let name = text(volume, "name");
            let source = match volume.get("configMap") {
                Some(config_map) => format!("ConfigMap {}", text(config_map, "name")),
                None => "emptyDir".to_string(),
            };
            let mounts: Vec<String> = containers
                .iter()
                .flat_map(|c| {
                    c.mounts
                        .iter()
                        .filter(|(volume, _, _)| *volume == name)
                        .map(move |(_, path, read_only)| {
                            let access = if *read_only { " (read-only)" } else { "" };
                            format!("{} {arrow} {path}{access}", c.name)
                        })
                })
                .collect();
            let _ = writeln!(self.text, "  {name} ({source}): {}", mounts.join(", "));
        }
    }

    fn ports(&mut self, containers: &[Container]) {
        self.heading("Ports:");
        let ports: Vec<String> = containers
            .iter()
            .filter(|c| !c.ports.is_empty())
            .map(|c| format!("  {}: {}", c.name, c.ports.join(", ")))
            .collect();
        match ports.is_empty() {
            true => self.text.push_str("  none\n"),
            false => self.text.push_str(&(ports.join("\n") + "\n")),
        }
    }

    /// What the user must know: the notes on the spec, then the validator's warnings.
    fn warnings(&mut self, generated: &Generated) {
        self.heading("Warnings:");
        if generated.warnings.is_empty() && generated.notes.is_empty() {
            let _ = writeln!(self.text, "  none");
        }
        for note in &generated.notes {
            let _ = writeln!(self.text, "  {note}");
        }
        for warning in &generated.warnings {
            let _ = writeln!(
                self.text,
                "  {}: {}: {} [{}]",
                warning.object, warning.path, warning.message, warning.rule
            );
        }
    }

    fn files(&mut self, dir: &Path, files: &[String]) {
        self.heading(&format!("Files to write in {}:", dir.display()));
        for file in files {
            let _ = writeln!(self.text, "  {file}");
        }
    }
}

/// The pod spec inside any workload: the first mapping that holds `containers`.
fn pod_spec(node: &Node) -> Option<&Node> {
    let entries = node.as_mapping()?;
    if node.get("containers").and_then(Node::as_sequence).is_some() {
        return Some(node);
    }
    entries.iter().find_map(|entry| pod_spec(&entry.value))
}

fn sequence<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key).and_then(Node::as_sequence).unwrap_or(&[])
}

fn text(node: &Node, key: &str) -> String {
    match node.get(key).map(|n| &n.value) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Int(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The pod's containers in start order, each with its role.
fn containers(spec: &Spec, pod: &Node) -> Vec<Container> {
    let colocated: Vec<String> = spec
        .patterns
        .iter()
        .filter(|p| matches!(p, Pattern::Container(_)))
        .map(Pattern::container_name)
        .collect();
    let init = sequence(pod, "initContainers").iter().map(|c| {
        let native = text(c, "restartPolicy") == "Always";
        (
            c,
            if native {
                "native sidecar"
            } else {
                "init container"
            },
        )
    });
    let main = sequence(pod, "containers").iter().map(|c| {
        let name = text(c, "name");
        let role = if name == spec.app.name {
            "app"
        } else if colocated.contains(&name) {
            "app container"
        } else {
            "sidecar"
        };
        (c, role)
    });
    init.chain(main)
        .map(|(c, role)| Container {
            name: text(c, "name"),
            image: text(c, "image"),
            role,
            mounts: sequence(c, "volumeMounts")
                .iter()
                .map(|m| {
                    let read_only = m.get("readOnly").and_then(Node::as_bool) == Some(true);
                    (text(m, "name"), text(m, "mountPath"), read_only)
                })
                .collect(),
            ports: sequence(c, "ports")
                .iter()
                .map(|p| {
                    let protocol = match text(p, "protocol") {
                        p if p.is_empty() => "TCP".to_string(),
                        p => p,
                    };
                    let name = text(p, "name");
                    let number = text(p, "containerPort");
                    match name.is_empty() {
                        true => format!("{number}/{protocol}"),
                        false => format!("{name} {number}/{protocol}"),
                    }
                })
                .collect(),
        })
        .collect()
}
