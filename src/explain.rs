//! Explaining patterns to people: `podsmith patterns` (the catalog, one line each),
//! `podsmith explain PATTERN` (purpose, when not to use it, options, start and stop order) and
//! the timeline `podsmith new --explain` draws for the workload it renders.
//!
//! Everything here reads the patterns' declarations and a [`Plan`]; timelines are drawn from a real plan,
//! so they show what the manifests do. Plain text, never colored.

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::declaration::{Declaration, Lifecycle};
use crate::patterns::{declaration_of, declarations};
use crate::plan::{Plan, Role};
use crate::spec::{Spec, WorkloadKind};
use crate::wizard::quote;

/// Width of an init container's bar.
const INIT_WIDTH: usize = 6;
/// Width of the app's run.
const APP_WIDTH: usize = 24;
/// Columns between a native sidecar's start and the next container's.
const SIDECAR_STEP: usize = 2;
/// The app every example adds a pattern to.
const EXAMPLE_APP: [&str; 4] = ["web", "--image", "ghcr.io/acme/web:1.4.2", "--port"];
/// The app's port in the examples.
const EXAMPLE_PORT: &str = "8080";

/// `podsmith patterns`: every pattern with its lifecycle and one-line purpose.
pub(crate) fn pattern_list() -> String {
    let width = declarations().iter().map(|d| d.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for declaration in declarations() {
        out.push_str(&format!(
            "{:width$}  {:9}  {}\n",
            declaration.id,
            declaration.lifecycle.label(),
            declaration.purpose
        ));
    }
    out.push_str("\nMore on one: podsmith explain PATTERN\n");
    out
}

/// The example command line of a pattern, as a user would type it.
fn example_line(declaration: &Declaration) -> String {
    let words: Vec<String> = declaration.example.iter().map(|w| quote(w)).collect();
    if declaration.lifecycle == Lifecycle::Ephemeral {
        return words.join(" ");
    }
    let app: Vec<&str> = EXAMPLE_APP.into_iter().chain([EXAMPLE_PORT]).collect();
    format!("podsmith new {} {}", app.join(" "), words.join(" "))
}

/// `podsmith explain NAME`: what the pattern is for, when not to use it, its options, and its
/// start and stop order.
pub(crate) fn explain(name: &str) -> Result<String> {
    let entry = declaration_of(name).ok_or_else(|| unknown(name))?;
    let mut out = format!(
        "{} ({}): {}\n\n",
        entry.id,
        entry.lifecycle.label(),
        entry.purpose
    );
    out.push_str(&format!("Example\n  {}\n\n", example_line(entry)));
    section(&mut out, "What it does", entry.details);
    section(&mut out, "When not to use it", entry.avoid);
    out.push_str("Options\n");
    let mut lines: Vec<(String, String, String)> = entry
        .options
        .iter()
        .enumerate()
        .map(|(index, o)| (o.usage(), o.help.to_string(), o.default_text(index == 0)))
        .collect();
    lines.extend(entry.related.iter().map(|r| {
        (
            r.usage.to_string(),
            r.help.to_string(),
            r.default.to_string(),
        )
    }));
    let width = lines.iter().map(|l| l.0.len()).max().unwrap_or(0);
    for (usage, help, default) in lines {
        out.push_str(&format!("  {usage:width$}  {help} [{default}]\n"));
    }
    out.push('\n');
    if entry.lifecycle == Lifecycle::Ephemeral {
        out.push_str(
            "Start and stop order\n  Added to a pod that is already running; never restarted, \
             never removed until the pod is.\n",
        );
        return Ok(out);
    }
    let kinds: Vec<_> = entry.kinds().iter().map(|k| k.flag_name()).collect();
    out.push_str(&format!("Workload kinds\n  {}\n", kinds.join(", ")));
    for kind in WorkloadKind::ALL {
        if let Some(reason) = entry.unsuitable_for(kind) {
            out.push_str(&format!("  not {}: {reason}\n", kind.flag_name()));
        }
    }
    out.push_str("\nStart and stop order\n");
    let newest = example(entry, WorkloadKind::Deployment, KubeVersion::NEWEST)?;
    out.push_str(&indent(&timeline(&crate::plan::build(&newest))));
    if entry.lifecycle == Lifecycle::Sidecar {
        if let Some(old) = KubeVersion::NATIVE_SIDECARS.previous() {
            out.push('\n');
            out.push_str(&indent(&timeline(&crate::plan::build(&example(
                entry,
                WorkloadKind::Deployment,
                old,
            )?))));
        }
        if entry.unsuitable_for(WorkloadKind::Job).is_none() {
            out.push('\n');
            section(
                &mut out,
                "In a Job or CronJob",
                &format!(
                    "From Kubernetes {} a native sidecar is stopped once the app completes. \
                     Before, a regular sidecar would keep the Job from ever completing, so podsmith \
                     runs it under a loop that stops it when the app creates {} (an emptyDir \
                     shared by the app and the sidecars, also in ${}); the app must create that \
                     file when it finishes, or give its command after `--command --` and podsmith \
                     wraps it. podsmith warns when it renders this.",
                    KubeVersion::NATIVE_SIDECARS,
                    crate::batch::DONE_FILE,
                    crate::batch::DONE_ENV
                ),
            );
            if let Some(old) = KubeVersion::NATIVE_SIDECARS.previous() {
                let job = example(entry, WorkloadKind::Job, old)?;
                out.push_str(&indent(&timeline(&crate::plan::build(&job))));
            }
        }
    }
    Ok(out)
}

fn unknown(name: &str) -> Error {
    let ids: Vec<&str> = declarations().iter().map(|d| d.id).collect();
    let closest = declarations()
        .iter()
        .flat_map(|d| std::iter::once(d.id).chain(d.aliases.iter().copied()))
        .map(|known| (strsim::jaro_winkler(name, known), known))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = match closest {
        Some((_, known)) => format!("did you mean `{known}`? "),
        None => String::new(),
    };
    Error::invalid(
        "PATTERN",
        name,
        format!("{hint}patterns are {}", ids.join(", ")),
    )
}

/// The workload of the pattern's example command line on `kind` and `version`, checked by
/// the same path as `podsmith new` (a Job's example has no port).
fn example(entry: &Declaration, kind: WorkloadKind, version: KubeVersion) -> Result<Spec> {
    let mut words: Vec<String> = ["podsmith", "new"]
        .into_iter()
        .chain(EXAMPLE_APP)
        .map(String::from)
        .collect();
    if kind.runs_to_completion() {
        words.pop();
    } else {
        words.push(EXAMPLE_PORT.into());
    }
    words.extend(entry.example.iter().map(|w| w.to_string()));
    words.extend([
        "--kind".into(),
        kind.flag_name().into(),
        "--kube-version".into(),
        version.to_string(),
    ]);
    let cli = Cli::try_parse_from(&words).map_err(|error| Error::Internal(error.to_string()))?;
    let Command::New(args) = cli.command else {
        return Err(Error::Internal("an example is a `new` command".into()));
    };
    crate::spec::from_flags(&args)
}

fn section(out: &mut String, title: &str, text: &str) {
    out.push_str(title);
    out.push('\n');
    for line in wrap(text, 76) {
        out.push_str("  ");
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

/// One row of a timeline: a label, where the bar starts and ends, how it looks.
struct Row {
    label: String,
    start: usize,
    end: usize,
    init: bool,
    note: String,
}

/// The start and stop order of a plan's containers as a small text timeline: init containers
/// one after another, native sidecars from their start until after the app, the app and
/// regular containers together.
pub(crate) fn timeline(plan: &Plan) -> String {
    let (mut rows, natives, app_start) = init_rows(plan);
    let app_end = app_start + APP_WIDTH;
    rows.extend(app_rows(plan, app_start, app_end));
    // Native sidecars stop after the app, the last started first.
    for (rank, &row) in natives.iter().rev().enumerate() {
        rows[row].end = app_end + SIDECAR_STEP * (rank + 1);
        rows[row].note = if plan.kind.runs_to_completion() {
            "stopped once the app completes".into()
        } else {
            "stops after the app".into()
        };
    }
    draw(plan, &rows)
}

/// The init containers' rows in start order, the indexes of the native sidecars among them
/// (their end is known once the app's is), and the column where the app starts.
fn init_rows(plan: &Plan) -> (Vec<Row>, Vec<usize>, usize) {
    let mut rows = Vec::new();
    let mut column = 0;
    let mut natives = Vec::new();
    for container in &plan.init_containers {
        match container.role {
            Role::NativeSidecar => {
                natives.push(rows.len());
                rows.push(Row {
                    label: format!("{} (native sidecar)", container.name),
                    start: column,
                    end: 0,
                    init: false,
                    note: String::new(),
                });
                column += SIDECAR_STEP;
            }
            _ => {
                rows.push(Row {
                    label: format!("{} (init)", container.name),
                    start: column,
                    end: column + INIT_WIDTH,
                    init: true,
                    note: "done".into(),
                });
                column += INIT_WIDTH + 1;
            }
        }
    }
    (rows, natives, column)
}

/// The rows of the app and the regular containers, which start together.
fn app_rows(plan: &Plan, start: usize, end: usize) -> Vec<Row> {
    let completes = plan.kind.runs_to_completion();
    let done_file = plan
        .volumes
        .iter()
        .any(|v| v.name == crate::batch::DONE_VOLUME);
    let mut rows = Vec::new();
    for (index, container) in plan.containers.iter().enumerate() {
        let (role, note) = match (container.role, index) {
            (Role::Sidecar, _) if done_file => (
                "sidecar",
                format!("stops when the app creates {}", crate::batch::DONE_FILE),
            ),
            (Role::Sidecar, _) if completes => (
                "sidecar",
                "never stops by itself: the Job cannot complete".to_string(),
            ),
            (Role::Sidecar, _) => ("sidecar", "starts with the app, no order".into()),
            (_, 0) if completes => ("app", "runs to completion".into()),
            (_, 0) => ("app", String::new()),
            _ => ("app", "starts with the app, no order".into()),
        };
        rows.push(Row {
            label: format!("{} ({role})", container.name),
            start,
            end,
            init: false,
            note,
        });
    }
    rows
}

/// The timeline's text: a heading, one bar a row, and the time axis.
fn draw(plan: &Plan, rows: &[Row]) -> String {
    let version = plan.kube_version;
    let label_width = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let last = rows.iter().map(|r| r.end).max().unwrap_or(0);
    let sidecars = if version.native_sidecars_by_default() {
        "native sidecars"
    } else {
        "sidecars are regular containers"
    };
    let mut out = format!(
        "{}/{} on Kubernetes {version} ({sidecars})\n",
        plan.kind.api_kind(),
        plan.name
    );
    for row in rows {
        let mut bar = " ".repeat(row.start);
        if row.init {
            bar.push_str(&"■".repeat(row.end - row.start - 1));
            bar.push('▶');
        } else {
            bar.push('├');
            bar.push_str(&"─".repeat(row.end - row.start - 1));
            bar.push('┤');
        }
        let gap = if row.note.is_empty() { "" } else { " " };
        out.push_str(&format!(
            "{:label_width$}  {bar}{gap}{}\n",
            row.label, row.note
        ));
    }
    out.push_str(&format!(
        "{:label_width$}  time {}▶\n",
        "",
        "─".repeat(last.saturating_sub(4))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_explains_itself_by_id_and_alias() {
        for entry in declarations() {
            for name in std::iter::once(&entry.id).chain(entry.aliases) {
                let text = explain(name).unwrap();
                assert!(text.contains(entry.purpose), "{name}");
            }
        }
    }

    #[test]
    fn unknown_patterns_get_a_suggestion() {
        let error = explain("log-shiper").unwrap_err().to_string();
        assert!(error.contains("did you mean `log-shipper`"), "{error}");
    }

    #[test]
    fn native_sidecars_outlive_the_app() {
        let entry = declaration_of("log-sidecar").unwrap();
        let spec = example(entry, WorkloadKind::Deployment, KubeVersion::NEWEST).unwrap();
        let text = timeline(&crate::plan::build(&spec));
        assert!(text.contains("log-sidecar (native sidecar)"), "{text}");
        assert!(text.contains("stops after the app"), "{text}");
    }
}
