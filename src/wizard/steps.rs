//! The wizard's questions in the order it asks them, worked out afresh from the answers so far:
//! a CronJob adds its schedule, `restricted` adds the user, each ticked pattern its questions.

use crate::cli::NewArgs;
use crate::security::Profile;
use crate::spec::WorkloadKind;

use super::patterns;

/// One question of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Name,
    Image,
    Kind,
    Replicas,
    Schedule,
    Storage,
    Ports,
    Namespace,
    Env,
    EnvSecrets,
    EnvFrom,
    Requests,
    Limits,
    Security,
    RunAsUser,
    Writable,
    Patterns,
    /// The `question`th question of the `choice`th pattern choice.
    Pattern {
        choice: usize,
        question: usize,
    },
    KubeVersion,
    Folder,
}

/// The questions that apply to these answers, in order; `ticked` says which pattern choices
/// are ticked.
pub(super) fn sequence(answers: &NewArgs, ticked: &[bool]) -> Vec<Step> {
    let kind = kind_of(answers);
    let mut steps = vec![Step::Name, Step::Image, Step::Kind];
    if kind.has_replicas() {
        steps.push(Step::Replicas);
    }
    match kind {
        WorkloadKind::CronJob => steps.push(Step::Schedule),
        WorkloadKind::StatefulSet => steps.push(Step::Storage),
        _ => {}
    }
    steps.extend([
        Step::Ports,
        Step::Namespace,
        Step::Env,
        Step::EnvSecrets,
        Step::EnvFrom,
        Step::Requests,
        Step::Limits,
        Step::Security,
    ]);
    if profile_of(answers) == Profile::Restricted {
        if asks_user(answers) {
            steps.push(Step::RunAsUser);
        }
        steps.push(Step::Writable);
    }
    steps.push(Step::Patterns);
    for (choice, questions) in patterns::question_counts().enumerate() {
        if ticked.get(choice).copied().unwrap_or(false) {
            steps.extend((0..questions).map(|question| Step::Pattern { choice, question }));
        }
    }
    steps.extend([Step::KubeVersion, Step::Folder]);
    steps
}

/// Whether the command line answered `step`, so the first pass does not ask it. The pattern
/// list is always asked: one pattern flag does not say there are no others.
pub(super) fn given(step: Step, given: &NewArgs) -> bool {
    match step {
        Step::Name => given
            .name
            .as_deref()
            .is_some_and(|n| crate::names::dns_label(n).is_ok()),
        Step::Image => given
            .image
            .as_deref()
            .is_some_and(|i| crate::names::image(i).is_ok()),
        Step::Kind => given.kind.is_some(),
        Step::Replicas => given.replicas.is_some(),
        Step::Schedule => given.schedule.is_some(),
        Step::Storage => given.storage.is_some(),
        Step::Ports => !given.ports.is_empty(),
        Step::Namespace => given.namespace.is_some(),
        Step::Env => !given.env.is_empty(),
        Step::EnvSecrets => !given.env_secrets.is_empty(),
        Step::EnvFrom => !given.env_from.is_empty(),
        Step::Requests => given.requests.is_some(),
        Step::Limits => given.limits.is_some(),
        Step::Security => given.security.is_some(),
        Step::RunAsUser => given.run_as_user.is_some(),
        Step::Writable => !given.writable.is_empty(),
        Step::Patterns => false,
        Step::Pattern { choice, question } => {
            patterns::flag_of(choice, question).is_some_and(|flag| given.patterns.has(flag))
        }
        Step::KubeVersion => given.kube_version.is_some(),
        Step::Folder => given.out.is_some(),
    }
}

/// The step's name and current answer, for the list of answers to change.
pub(super) fn describe(step: Step, answers: &NewArgs) -> String {
    let one = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".into());
    let many = |values: &[String]| match values.is_empty() {
        true => "none".to_string(),
        false => values.join(", "),
    };
    let (label, value) = match step {
        Step::Name => ("Name".to_string(), one(&answers.name)),
        Step::Image => ("Image".into(), one(&answers.image)),
        Step::Kind => ("Kind".into(), kind_of(answers).to_string()),
        Step::Replicas => ("Replicas".into(), one(&answers.replicas)),
        Step::Schedule => ("Schedule".into(), one(&answers.schedule)),
        Step::Storage => ("Storage".into(), one(&answers.storage)),
        Step::Ports => ("Ports".into(), many(&answers.ports)),
        Step::Namespace => ("Namespace".into(), one(&answers.namespace)),
        Step::Env => ("Environment".into(), many(&answers.env)),
        Step::EnvSecrets => (
            "Environment from Secrets".into(),
            many(&answers.env_secrets),
        ),
        Step::EnvFrom => (
            "Environment from ConfigMaps and Secrets".into(),
            many(&answers.env_from),
        ),
        Step::Requests => ("Requests".into(), one(&answers.requests)),
        Step::Limits => ("Limits".into(), one(&answers.limits)),
        Step::Security => ("Security".into(), profile_of(answers).as_str().to_string()),
        Step::RunAsUser => ("User".into(), one(&answers.run_as_user)),
        Step::Writable => ("Writable folders".into(), many(&answers.writable)),
        Step::Patterns => (
            "Patterns".into(),
            many(&patterns::labels(&patterns::ticked_in(answers))),
        ),
        Step::Pattern { choice, question } => {
            let flag = patterns::flag_of(choice, question).unwrap_or_default();
            (format!("--{flag}"), many(answers.patterns.all(flag)))
        }
        Step::KubeVersion => ("Kubernetes version".into(), one(&answers.kube_version)),
        Step::Folder => (
            "Folder".into(),
            one(&answers.out.as_ref().map(|d| d.display().to_string())),
        ),
    };
    format!("{label:<20} {value}")
}

/// The workload kind answered so far (Deployment until one is).
pub(super) fn kind_of(answers: &NewArgs) -> WorkloadKind {
    answers
        .kind
        .as_deref()
        .and_then(|k| k.parse().ok())
        .unwrap_or_default()
}

/// The app's security level answered so far.
pub(super) fn profile_of(answers: &NewArgs) -> Profile {
    answers
        .security
        .as_deref()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default()
}

/// Whether `restricted` needs the user asked: podsmith does not know the image's, or one was
/// given and may be changed.
fn asks_user(answers: &NewArgs) -> bool {
    let image = answers.image.as_deref().unwrap_or_default();
    crate::known_images::known_user(image).is_none() || answers.run_as_user.is_some()
}
