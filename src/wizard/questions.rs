//! The wizard's questions about the app and where it goes, one function a [`Step`], in plain
//! words. Each answer is checked by the rules of the flag it stands for, and kept as that flag's
//! value.

use std::path::{Path, PathBuf};

use super::answers::{flag_text, list, list_text, optional_text, refusal, refused_by, required};
use super::patterns;
use super::prompter::{Asked, Prompter};
use super::steps::{kind_of, profile_of, Step};
use crate::cli::NewArgs;
use crate::kube_version::KubeVersion;
use crate::names;
use crate::security::Profile;
use crate::spec::WorkloadKind;

/// Asks `step` and keeps the answer in `a`. Pattern steps are asked by [`patterns`], except
/// the pattern list, whose ticks the caller keeps.
pub(super) fn ask(step: Step, a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    match step {
        Step::Name => ask_name(a, p),
        Step::Image => {
            a.image = Some(p.text(
                "Container image of the app, e.g. ghcr.io/acme/web:1.4.2",
                a.image.as_deref(),
                &|text| names::image(text).map_err(|rule| refusal(text, &rule)),
            )?);
            Ok(())
        }
        Step::Kind => ask_kind(a, p),
        Step::Replicas => {
            let default = a.replicas.clone().unwrap_or_else(|| "1".into());
            a.replicas = Some(flag_text(
                a,
                p,
                "Replicas (pods to run)",
                &default,
                "--replicas",
                |t, v| t.replicas = Some(v.into()),
            )?);
            Ok(())
        }
        Step::Schedule => {
            let default = a.schedule.clone().unwrap_or_else(|| "0 * * * *".into());
            a.schedule = Some(flag_text(
                a,
                p,
                "When it runs, as a cron schedule (minute hour day month weekday)",
                &default,
                "--schedule",
                |t, v| t.schedule = Some(v.into()),
            )?);
            Ok(())
        }
        Step::Storage => {
            let question = storage_question(a.image.as_deref().unwrap_or_default());
            a.storage = optional_text(a, p, &question, &a.storage, "--storage", |t, v| {
                t.storage = v
            })?;
            Ok(())
        }
        Step::Ports => ask_ports(a, p),
        Step::Namespace => {
            let question = "Namespace to put it in, or none for the one kubectl uses";
            a.namespace = optional_text(a, p, question, &a.namespace, "--namespace", |t, v| {
                t.namespace = v
            })?;
            Ok(())
        }
        Step::Env => ask_env(a, p, EnvList::Values),
        Step::EnvSecrets => ask_env(a, p, EnvList::Secrets),
        Step::EnvFrom => {
            let question = "ConfigMaps and Secrets whose every key becomes a variable, configmap:NAME or secret:NAME, comma-separated, or none";
            a.env_from = list_text(a, p, question, &a.env_from, "--env-from", |t, v| {
                t.env_from = v
            })?;
            Ok(())
        }
        Step::Requests => ask_resources(a, p, Bound::Requests),
        Step::Limits => ask_resources(a, p, Bound::Limits),
        Step::Security => ask_security(a, p),
        Step::RunAsUser => ask_user(a, p),
        Step::Writable => {
            let question =
                "Other folders the app writes to, comma-separated, or none (/tmp stays writable)";
            a.writable = list_text(a, p, question, &a.writable, "--writable", |t, v| {
                t.writable = v
            })?;
            Ok(())
        }
        Step::Pattern { choice, question } => patterns::ask_one(a, p, choice, question),
        Step::KubeVersion => ask_kube_version(a, p),
        Step::Folder => ask_folder(a, p),
        Step::Patterns => Ok(()),
    }
}

/// The storage question, naming the folder a size alone is mounted at: the image's data
/// folder, or `/data` with a reminder to give the folder the app writes.
fn storage_question(image: &str) -> String {
    match crate::known_images::data_dir(image) {
        Some(data) => format!(
            "Storage per pod, SIZE[@PATH] (e.g. 10Gi, mounted at {}, where {image} keeps its data), or none",
            data.path
        ),
        None => format!(
            "Storage per pod, SIZE@PATH with the folder your app writes (e.g. 10Gi@/var/lib/app; a size alone is mounted at {}), or none",
            crate::spec::values::DEFAULT_STORAGE_PATH
        ),
    }
}

fn ask_name(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let name = p.text(
        "Name of the workload (lowercase letters, digits and `-`)",
        a.name.as_deref(),
        &|text| names::dns_label(text).map_err(|rule| refusal(text, &rule)),
    )?;
    // A folder named after the workload follows a new name.
    if a.out.is_some() && a.out.as_deref() == a.name.as_deref().map(Path::new) {
        a.out = Some(PathBuf::from(&name));
    }
    a.name = Some(name);
    Ok(())
}

fn ask_kind(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let items: Vec<String> = WorkloadKind::ALL
        .iter()
        .map(|kind| format!("{:<12} {}", kind.flag_name(), kind_description(*kind)))
        .collect();
    let current = kind_of(a);
    let default = WorkloadKind::ALL
        .iter()
        .position(|k| *k == current)
        .unwrap_or_default();
    let picked = p.select("Workload kind", &items, default)?;
    a.kind = WorkloadKind::ALL
        .get(picked)
        .map(|kind| kind.flag_name().to_string());
    if !kind_of(a).has_replicas() {
        a.replicas = None;
    }
    Ok(())
}

fn kind_description(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "replicated pods with rolling updates (most apps)",
        WorkloadKind::Pod => "a single bare pod (experiments, one-offs)",
        WorkloadKind::StatefulSet => "pods with stable names and their own storage (databases)",
        WorkloadKind::DaemonSet => "one pod on every node (agents)",
        WorkloadKind::Job => "pods that run once to completion (migrations, batch work)",
        WorkloadKind::CronJob => "a Job on a schedule (backups, reports)",
    }
}

fn ask_ports(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let default = match a.ports.is_empty() {
        false => a.ports.join(", "),
        true => "8080".into(),
    };
    let base = a.clone();
    let ports = p.text(
        "Ports the app listens on, [NAME=]PORT[/PROTOCOL], comma-separated, or none",
        Some(&default),
        &|text| refused_by(&base, &["--port"], |t| t.ports = list(text)),
    )?;
    a.ports = list(&ports);
    Ok(())
}

/// Which of the app's two lists of environment variables a question fills.
#[derive(Clone, Copy)]
enum EnvList {
    /// `--env NAME=VALUE`.
    Values,
    /// `--env-secret NAME=SECRET:KEY`.
    Secrets,
}

impl EnvList {
    fn of(self, a: &mut NewArgs) -> &mut Vec<String> {
        match self {
            EnvList::Values => &mut a.env,
            EnvList::Secrets => &mut a.env_secrets,
        }
    }

    fn flag(self) -> &'static str {
        match self {
            EnvList::Values => "--env",
            EnvList::Secrets => "--env-secret",
        }
    }

    fn question(self, image: &str, offered: bool) -> String {
        let what = match self {
            EnvList::Values => "Environment variable NAME=VALUE".to_string(),
            EnvList::Secrets => {
                let example = crate::image_env::required_env(image)
                    .map(|(var, key)| format!(", e.g. {var}=SECRET:{key}"))
                    .unwrap_or_default();
                format!("Environment variable from a key of a Secret (passwords, tokens), NAME=SECRET:KEY{example}")
            }
        };
        match offered {
            true => format!("{what} (Enter keeps it, - drops it)"),
            false => format!("{what}, or Enter when there are no more"),
        }
    }
}

/// Environment variables one at a time, since a value may hold any character: each earlier
/// one is offered again (Enter keeps it, `-` drops it), an empty line ends the list.
fn ask_env(a: &mut NewArgs, p: &mut dyn Prompter, list: EnvList) -> Asked<()> {
    let earlier = std::mem::take(list.of(a));
    let image = a.image.clone().unwrap_or_default();
    let mut env = Vec::new();
    let mut offered = earlier.iter();
    loop {
        let default = offered.next();
        let mut base = a.clone();
        *list.of(&mut base) = env.clone();
        let question = list.question(&image, default.is_some());
        let answer = p.text(&question, default.map(String::as_str), &|text| match text {
            "" | "-" => Ok(()),
            _ => refused_by(&base, &[list.flag()], |t| list.of(t).push(text.into())),
        });
        let answer = match answer {
            Ok(answer) => answer,
            Err(stop) => {
                *list.of(a) = earlier;
                return Err(stop);
            }
        };
        match answer.as_str() {
            "" if default.is_none() => break,
            "-" => {}
            _ => env.push(answer),
        }
    }
    *list.of(a) = env;
    Ok(())
}

/// Which of the app's resource settings a question is about.
#[derive(Clone, Copy)]
enum Bound {
    Requests,
    Limits,
}

/// CPU and memory, offered as podsmith's defaults; an answer equal to them adds no flag.
fn ask_resources(a: &mut NewArgs, p: &mut dyn Prompter, bound: Bound) -> Asked<()> {
    let defaults = crate::spec::Resources::app_default();
    let (question, flag, given, quantities) = match bound {
        Bound::Requests => (
            "CPU and memory the app is sure to get, cpu=Q,memory=Q",
            "--requests",
            &a.requests,
            defaults.requests,
        ),
        Bound::Limits => (
            "CPU and memory the app may use at most, cpu=Q,memory=Q",
            "--limits",
            &a.limits,
            defaults.limits,
        ),
    };
    let podsmiths = format!("cpu={},memory={}", quantities.cpu, quantities.memory);
    let default = given.clone().unwrap_or_else(|| podsmiths.clone());
    let answer = flag_text(a, p, question, &default, flag, |t, v| match bound {
        Bound::Requests => t.requests = Some(v.into()),
        Bound::Limits => t.limits = Some(v.into()),
    })?;
    let answer = Some(answer).filter(|answer| *answer != podsmiths);
    match bound {
        Bound::Requests => a.requests = answer,
        Bound::Limits => a.limits = answer,
    }
    Ok(())
}

/// The app container's Pod Security Standards level, in plain words.
fn ask_security(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let items: Vec<String> = Profile::ALL
        .iter()
        .map(|profile| match profile {
            Profile::Baseline => "baseline     runs any image as it is: its own user, a writable filesystem",
            Profile::Restricted => "restricted   locked down: a fixed non-root user, a read-only filesystem, no privileges",
        })
        .map(String::from)
        .collect();
    let current = profile_of(a);
    let default = Profile::ALL
        .iter()
        .position(|p| *p == current)
        .unwrap_or_default();
    let picked = p.select("How locked down the app container runs", &items, default)?;
    let profile = Profile::ALL.get(picked).copied().unwrap_or_default();
    a.security = (profile != Profile::Baseline).then(|| profile.as_str().to_string());
    if profile == Profile::Baseline {
        a.run_as_user = None;
        a.writable.clear();
    }
    Ok(())
}

/// What `restricted` needs that podsmith cannot know about an image: the user it runs as.
fn ask_user(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let user = p.text(
        "The numeric user the image runs as, UID[:GID] (its Dockerfile's USER as a number, not a name)",
        a.run_as_user.as_deref(),
        &|text| {
            required(text, "give a number such as 10001 or 10001:10001")?;
            match crate::security::parse_user(text) {
                Err(rule) => Err(refusal(text, &rule)),
                Ok((0, _)) => Err(refusal(text, "a locked-down app runs as a non-root user")),
                Ok(_) => Ok(()),
            }
        },
    )?;
    a.run_as_user = Some(user);
    Ok(())
}

fn ask_kube_version(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let mut versions: Vec<KubeVersion> = KubeVersion::all().collect();
    versions.reverse();
    let items: Vec<String> = versions
        .iter()
        .map(|v| match *v == KubeVersion::NEWEST {
            true => format!("{v} (newest)"),
            false => v.to_string(),
        })
        .collect();
    let current = a
        .kube_version
        .as_deref()
        .and_then(|v| v.parse::<KubeVersion>().ok())
        .unwrap_or_default();
    let default = versions
        .iter()
        .position(|v| *v == current)
        .unwrap_or_default();
    let picked = p.select("Kubernetes version of the cluster", &items, default)?;
    a.kube_version = versions.get(picked).map(ToString::to_string);
    Ok(())
}

fn ask_folder(a: &mut NewArgs, p: &mut dyn Prompter) -> Asked<()> {
    let default = a
        .out
        .as_ref()
        .map(|dir| dir.display().to_string())
        .or_else(|| a.name.clone())
        .unwrap_or_else(|| ".".into());
    let dir = p.text(
        "Folder to write the manifests and podsmith.yaml into",
        Some(&default),
        &|text| {
            required(text, "give a folder")?;
            match Path::new(text).is_file() {
                true => Err(format!("`{text}` is a file, not a folder")),
                false => Ok(()),
            }
        },
    )?;
    a.out = Some(PathBuf::from(dir));
    Ok(())
}
