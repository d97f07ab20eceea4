//! What a pattern declares about itself, once: its ID and aliases, how its container lives,
//! what it is for, its flags with their defaults and examples, the kinds it does not suit, and
//! the wizard's questions. The `new` flags, `podsmith patterns`, `podsmith explain`, the
//! wizard and the kind checks are all derived from these declarations; tests check the spec
//! file's schema, the README and `docs/spec-file.md` against them.

use crate::cli::NewArgs;
use crate::error::Result;
use crate::patterns::flags::PatternFlags;
use crate::patterns::Pattern;
use crate::spec::WorkloadKind;

/// How a pattern's container takes part in the pod's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Runs to completion before the app starts.
    Init,
    /// Runs beside the app for the pod's whole life (native sidecar from Kubernetes 1.29).
    Sidecar,
    /// Another app container: starts with the app, no order.
    App,
    /// Added to a running pod for debugging, never in a manifest.
    Ephemeral,
}

impl Lifecycle {
    /// A short word for listings.
    pub fn label(self) -> &'static str {
        match self {
            Lifecycle::Init => "init",
            Lifecycle::Sidecar => "sidecar",
            Lifecycle::App => "app",
            Lifecycle::Ephemeral => "ephemeral",
        }
    }
}

/// Everything podsmith says about one pattern.
#[derive(Debug)]
pub struct Declaration {
    /// The pattern's ID, as in the spec file's `type` and `podsmith explain ID`.
    pub id: &'static str,
    /// Other names accepted wherever a pattern is named (`volume-permissions`).
    pub aliases: &'static [&'static str],
    /// How its container lives.
    pub lifecycle: Lifecycle,
    /// One line: what it is for.
    pub(crate) purpose: &'static str,
    /// A few lines: what it does and how it is wired.
    pub(crate) details: &'static str,
    /// When not to use it.
    pub(crate) avoid: &'static str,
    /// The flags that add it in an example, word by word (for `debug`: its command line).
    pub example: &'static [&'static str],
    /// Its own flags: the first adds the pattern, the others tune it.
    pub options: &'static [Opt],
    /// Flags it does not own but that matter to it, for `podsmith explain`.
    pub(crate) related: &'static [Related],
    /// Kinds it does not suit, with the reason.
    pub(crate) unsuitable: &'static [(WorkloadKind, &'static str)],
    /// Another pattern it needs (git-sync needs git-clone's checkout).
    pub(crate) requires: Option<&'static str>,
    /// What the wizard offers for it: usually one choice, two when one pattern has two forms.
    pub(crate) wizard: &'static [Choice],
    /// Builds its patterns from the `new` flags; `None` for the debug container, which has
    /// its own subcommand.
    pub(crate) from_flags: Option<FromFlags>,
}

/// Reads a pattern's flags into its patterns.
pub(crate) type FromFlags = fn(&PatternFlags) -> Result<Vec<Pattern>>;

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takes {
    /// Exactly one value.
    One,
    /// One value per use; the flag may be given many times.
    Repeated,
    /// A value that may be left out: `--git-sync` means `--git-sync 60`.
    Optional,
}

/// What a flag means when it is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// It must be given for the pattern (the flag that adds it).
    Required,
    /// This literal value; also what a flag with an optional value means when given bare.
    Value(&'static str),
    /// Something computed, described in words (`the app image`).
    Described(&'static str),
}

/// One flag of a pattern.
#[derive(Debug)]
pub struct Opt {
    /// The long flag without dashes (`wait-timeout`).
    pub flag: &'static str,
    /// The value's shape (`HOST:PORT`).
    pub(crate) value_name: &'static str,
    /// How it takes its value.
    pub(crate) takes: Takes,
    /// Its default.
    pub fallback: Fallback,
    /// What it does, lowercase, no final period.
    pub(crate) help: &'static str,
    /// An example value.
    pub(crate) example: &'static str,
}

impl Opt {
    /// `--flag VALUE` as `podsmith explain` and the README show it.
    pub(crate) fn usage(&self) -> String {
        match self.takes {
            Takes::Optional => format!("--{} [{}]", self.flag, self.value_name),
            _ => format!("--{} {}", self.flag, self.value_name),
        }
    }

    /// The default in words, as `podsmith explain` shows it; `adds` for the flag that adds
    /// the pattern (the one that is required).
    pub(crate) fn default_text(&self, adds: bool) -> String {
        let text = match self.fallback {
            Fallback::Required if !adds => "",
            Fallback::Required => "required",
            Fallback::Value(value) | Fallback::Described(value) => value,
        };
        match (self.takes, text) {
            (Takes::Repeated, "") => "repeatable".into(),
            (Takes::Repeated, _) => format!("{text}, repeatable"),
            _ => text.to_string(),
        }
    }

    /// The literal default, if it has one.
    pub(crate) fn default_value(&self) -> Option<&'static str> {
        match self.fallback {
            Fallback::Value(value) => Some(value),
            _ => None,
        }
    }
}

/// A flag a pattern does not own but that matters to it (`--fs-group` beside
/// `--volume-permissions`).
#[derive(Debug)]
pub(crate) struct Related {
    /// The flag with its value, e.g. `--fs-group GID`.
    pub(crate) usage: &'static str,
    /// Its default in words.
    pub(crate) default: &'static str,
    /// What it does.
    pub(crate) help: &'static str,
}

/// One line of the wizard's pattern list and the questions asked when it is ticked.
#[derive(Debug)]
pub(crate) struct Choice {
    /// The name in the list.
    pub(crate) label: &'static str,
    /// What it does, in the user's words.
    pub(crate) description: &'static str,
    /// The questions, in order.
    pub(crate) questions: &'static [Question],
}

/// One wizard question: it answers one flag.
#[derive(Debug)]
pub(crate) struct Question {
    /// The flag it answers (without dashes).
    pub(crate) flag: &'static str,
    /// The prompt.
    pub(crate) prompt: &'static str,
    /// What an answer looks like.
    pub(crate) answer: Answer,
}

/// The shape of an answer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Answer {
    /// A comma-separated list for a repeated flag; at least one item, else this rule.
    List(&'static str),
    /// One value that must be given, else this rule.
    Required(&'static str),
    /// One value, suggested from the flag's default (or `suggest`); an empty answer, or one
    /// equal to the suggestion, leaves a tuning flag unset.
    Optional {
        /// A default computed from the other answers (the app image, the app's first port).
        suggest: Option<fn(&NewArgs) -> Option<String>>,
    },
    /// One of these values, each with a description.
    Select(fn() -> Vec<(&'static str, &'static str)>),
    /// Values of a repeated flag one at a time, since one may hold any character (a comma):
    /// each earlier one offered again, an empty answer ending the list, which may be empty.
    Each,
}

impl Declaration {
    /// Whether `name` is this pattern's ID or one of its aliases.
    pub(crate) fn is_named(&self, name: &str) -> bool {
        self.id == name || self.aliases.contains(&name)
    }

    /// The flag that adds it.
    pub fn adding_option(&self) -> Option<&'static Opt> {
        self.options.first()
    }

    /// Why it does not suit `kind`, if it does not.
    pub(crate) fn unsuitable_for(&self, kind: WorkloadKind) -> Option<&'static str> {
        self.unsuitable
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, reason)| *reason)
    }

    /// The workload kinds it suits.
    pub(crate) fn kinds(&self) -> Vec<WorkloadKind> {
        WorkloadKind::ALL
            .into_iter()
            .filter(|k| self.unsuitable_for(*k).is_none())
            .collect()
    }

    /// Whether it is a `new` pattern (not the ephemeral debug container).
    pub fn renders(&self) -> bool {
        self.lifecycle != Lifecycle::Ephemeral
    }
}

/// The reason shared by patterns that serve traffic.
pub(crate) const RUNS_ONCE: &str = "its pods run to completion and take no traffic";

/// The same reason for a Job and a CronJob.
pub(crate) const fn batch(reason: &'static str) -> [(WorkloadKind, &'static str); 2] {
    [(WorkloadKind::Job, reason), (WorkloadKind::CronJob, reason)]
}

/// Declares a numeric default once: as a number for the code, and as the text that flags and
/// help show.
macro_rules! number_default {
    ($(#[$doc:meta])* $number:ident, $text:ident = $value:literal) => {
        $(#[$doc])*
        pub(crate) const $number: u32 = $value;
        /// The same default, as flags and help texts show it.
        pub(crate) const $text: &str = stringify!($value);
    };
}
pub(crate) use number_default;
