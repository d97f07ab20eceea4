//! Command-line flags, declared with clap derive. Doc comments are the help text.
//!
//! These structs only mirror the flags: they do no I/O and hold raw strings, so each value is
//! checked once, by the same rules whichever front end supplied it (see `spec::from_flags`).
//!
//! Long on purpose: each flag's doc comment is its `--help` text, and keeping every subcommand's
//! arguments here lets a reader see the whole command line in the order `--help` shows it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Write validated Kubernetes multi-container workloads: init containers, sidecars,
/// ambassadors and adapters, wired correctly for the Kubernetes version you target.
#[derive(Debug, Parser)]
#[command(
    name = "podsmith",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The podsmith subcommands.
///
/// `defer`: each subcommand's arguments are built only when it runs (or for the help,
/// completion scripts and manual pages), not at every start: building every subcommand's flags
/// was most of what clap cost a `podsmith new`. The argument structs have no doc comment: clap
/// applies a struct's doc comment after the variant's when it builds a deferred subcommand, so
/// it would replace the description below.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Render a multi-container Pod or workload from flags, or ask for it step by step.
    #[command(after_help = NEW_EXAMPLES)]
    New(Box<NewArgs>),
    /// Add patterns to the workloads of existing manifests (`helm template`, `kubectl get`,
    /// your own files), keeping everything else as it is.
    #[command(after_help = ADD_EXAMPLES)]
    Add(Box<AddArgs>),
    /// Render the workload a spec file (`podsmith.yaml`) describes.
    #[command(after_help = RENDER_EXAMPLES)]
    Render(RenderArgs),
    /// Print the JSON Schema of the spec file, for editors to complete and check it.
    Schema,
    /// Check manifests against the Kubernetes API rules, pattern wiring and best practice.
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// List every pattern with its one-line purpose.
    Patterns,
    /// Explain a pattern: what it is for, when not to use it, its options, its start and stop
    /// order.
    #[command(
        after_help = "Examples:\n  podsmith explain log-shipper\n  podsmith explain wait-for"
    )]
    Explain(ExplainArgs),
    /// Print the command (or, with --patch, the API body) that adds an ephemeral debug
    /// container to a running pod.
    #[command(after_help = DEBUG_EXAMPLES)]
    Debug(DebugArgs),
    /// Work with the templates podsmith renders from.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// List the rules `podsmith validate` checks, or explain one.
    #[command(after_help = "Examples:\n  podsmith rules\n  podsmith rules probes-missing")]
    Rules(RulesArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion(CompletionArgs),
    /// Print the manual page (roff), or write one page per subcommand into a folder.
    #[command(
        after_help = "Examples:\n  podsmith man | man -l -\n  podsmith man --output-dir /usr/local/share/man/man1"
    )]
    Man(ManArgs),
}

const COMPLETION_EXAMPLES: &str = "\
Examples:
  # bash: this shell, then every new one
  source <(podsmith completion bash)
  podsmith completion bash > ~/.local/share/bash-completion/completions/podsmith

  # zsh: into a folder on $fpath
  podsmith completion zsh > \"${fpath[1]}/_podsmith\"

  # fish
  podsmith completion fish > ~/.config/fish/completions/podsmith.fish

  # PowerShell
  podsmith completion powershell | Out-String | Invoke-Expression";

// Flags of `podsmith rules` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule ID to explain, e.g. `probes-missing`; without it, every rule is listed.
    #[arg(value_name = "RULE")]
    pub(crate) rule: Option<String>,
}

// Flags of `podsmith completion` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub(crate) shell: CompletionShell,
}

/// The shells `podsmith completion` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CompletionShell {
    /// Bash 4.4 or newer (bash-completion).
    Bash,
    /// Zsh (a `_podsmith` function for $fpath).
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell 5.1 or newer.
    Powershell,
    /// Elvish.
    Elvish,
}

// Flags of `podsmith man` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `podsmith.1` and one page per subcommand (`podsmith-new.1`, ...) into DIR instead
    /// of printing the main page.
    #[arg(long = "output-dir", value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
}

const DEBUG_EXAMPLES: &str = "\
Examples:
  # The kubectl command for a shell beside the `web` container
  podsmith debug web-7d4b9c-x2x5q --target web

  # The ephemeralcontainers body instead, to review or apply with kubectl patch
  podsmith debug web-7d4b9c-x2x5q --target web --profile restricted --patch > debug.json
  kubectl patch pod web-7d4b9c-x2x5q --subresource=ephemeralcontainers --type=strategic \\
      --patch-file=debug.json
  kubectl attach -it web-7d4b9c-x2x5q -c DEBUGGER_NAME";

// Flags of `podsmith explain` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The pattern, as `podsmith patterns` lists it, e.g. `log-shipper`.
    pub(crate) pattern: String,
}

// Flags of `podsmith debug` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct DebugArgs {
    /// The running pod to debug.
    pub(crate) pod: String,

    /// Container whose processes the debugger sees (shares its process namespace), e.g.
    /// `--target web`.
    #[arg(long, value_name = "CONTAINER")]
    pub(crate) target: Option<String>,

    /// Image of the debug container.
    #[arg(long, default_value = crate::patterns::BUSYBOX)]
    pub(crate) image: String,

    /// Namespace of the pod [default: the kubectl context's].
    #[arg(long, short = 'n')]
    pub(crate) namespace: Option<String>,

    /// Security profile, as `kubectl debug --profile`.
    #[arg(long, value_enum, default_value_t = DebugProfile::General)]
    pub(crate) profile: DebugProfile,

    /// Print the JSON body for the pod's `ephemeralcontainers` subresource instead of the
    /// `kubectl debug` command.
    #[arg(long)]
    pub(crate) patch: bool,
}

/// `kubectl debug` security profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DebugProfile {
    /// Adds SYS_PTRACE to inspect the target's processes.
    General,
    /// No extra privileges.
    Baseline,
    /// Non-root, no capabilities, RuntimeDefault seccomp: passes the restricted Pod Security
    /// Standard.
    Restricted,
    /// Adds NET_ADMIN and NET_RAW (tcpdump, iptables).
    Netadmin,
    /// Privileged.
    Sysadmin,
}

impl DebugProfile {
    /// The name `kubectl debug --profile` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            DebugProfile::General => "general",
            DebugProfile::Baseline => "baseline",
            DebugProfile::Restricted => "restricted",
            DebugProfile::Netadmin => "netadmin",
            DebugProfile::Sysadmin => "sysadmin",
        }
    }
}

/// `podsmith templates` subcommands.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in templates into DIR, to edit and render with `new --templates DIR`.
    Export(ExportArgs),
}

/// Flags of `podsmith templates export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The folder to write into (created if missing).
    pub(crate) dir: PathBuf,

    /// Replace templates that already exist in DIR.
    #[arg(long)]
    pub(crate) force: bool,
}

const NEW_EXAMPLES: &str = "\
Examples:
  # A Deployment that waits for its database and ships its logs
  podsmith new web --image ghcr.io/acme/web:1.4.2 --port 8080 \\
      --wait-for postgres:5432 --log-sidecar

  # Clone a site from git, serve it, keep it in sync
  podsmith new site --image nginxinc/nginx-unprivileged:1.27 --port 8080 \\
      --git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html --git-sync

  # Write one file per resource instead of printing a stream
  podsmith new web --image ghcr.io/acme/web:1.4.2 --output-dir deploy/

  # JSON, straight into kubectl
  podsmith new web --image ghcr.io/acme/web:1.4.2 -o json | kubectl apply -f -

  # A Kustomize base and one Component per pattern, built by `kubectl apply -k deploy/`
  podsmith new web --image ghcr.io/acme/web:1.4.2 --port 8080 --wait-for postgres:5432 \\
      --log-shipper loki=http://loki:3100 --format kustomize --output-dir deploy/

  # A StatefulSet with per-pod storage its non-root app can write to
  podsmith new db --image postgres:16 --kind statefulset --port 5432 \\
      --storage 10Gi@/var/lib/postgresql --fs-group 999

  # A CronJob shipping its logs to Loki; draw its start and stop order on stderr
  podsmith new report --image ghcr.io/acme/report:2.0 --kind cronjob \\
      --schedule \"0 3 * * *\" --log-shipper loki=http://loki:3100 --explain

  # Let podsmith ask, then write the manifests and a podsmith.yaml that reproduces them
  podsmith new --interactive";

const RENDER_EXAMPLES: &str = "\
Examples:
  # Print the manifests the spec file describes
  podsmith render podsmith.yaml

  # Write them into a folder, replacing what is there and deleting what is no longer rendered
  podsmith render deploy/podsmith.yaml --output-dir deploy/ --force --prune";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  podsmith validate deploy/
  kubectl get deploy web -o yaml | podsmith validate -
  podsmith validate --kube-version 1.28 -o json manifests/*.yaml
  podsmith validate -o sarif deploy/ > podsmith.sarif";

// Flags of `podsmith new` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args, Default, Clone)]
pub struct NewArgs {
    /// Name of the workload: a DNS-1123 label such as `web` or `billing-api`; with a Service in
    /// front (ports, or a StatefulSet), which takes the name, it starts with a letter.
    pub(crate) name: Option<String>,

    /// Container image of the app, e.g. `ghcr.io/acme/web:1.4.2`.
    #[arg(long, help_heading = "Workload")]
    pub(crate) image: Option<String>,

    /// Workload kind to render [default: deployment]:
    ///   pod           one bare pod (experiments, one-offs)
    ///   deployment    replicated pods with rolling updates (most apps)
    ///   statefulset   pods with stable names and per-pod storage (--storage)
    ///   daemonset     one pod on every node (agents)
    ///   job           pods that run to completion once
    ///   cronjob       a Job on a schedule (--schedule)
    #[arg(
        long,
        value_name = "KIND",
        verbatim_doc_comment,
        help_heading = "Workload"
    )]
    pub(crate) kind: Option<String>,

    /// Number of pods (Deployment and StatefulSet), e.g. `--replicas 3`.
    #[arg(long, help_heading = "Workload")]
    pub(crate) replicas: Option<String>,

    /// Port the app listens on, `[NAME=]PORT[/PROTOCOL]`, e.g. `--port 8080`, `--port 53/udp`
    /// or `--port grpc=9090`. Repeatable, once per number and protocol. Exposed through a
    /// Service. Unnamed ports are named for their protocol as service meshes read it: `http`
    /// (80, 8080, or the probed port with --health-path), `https` (443), `tcp-postgresql`,
    /// `udp-dns`... for well-known ports, `tcp-PORT` otherwise.
    #[arg(
        long = "port",
        short = 'p',
        value_name = "PORT",
        help_heading = "Workload"
    )]
    pub(crate) ports: Vec<String>,

    /// Namespace of every resource, e.g. `-n shop`.
    #[arg(long, short = 'n', help_heading = "Workload")]
    pub(crate) namespace: Option<String>,

    /// Extra label `KEY=VALUE` on every resource, e.g. `-l team=payments`. Repeatable.
    #[arg(
        long = "label",
        short = 'l',
        value_name = "KEY=VALUE",
        help_heading = "Workload"
    )]
    pub(crate) labels: Vec<String>,

    /// Environment variable `NAME=VALUE` for the app (and init commands), e.g.
    /// `-e LOG_LEVEL=info`. Repeatable.
    #[arg(
        long = "env",
        short = 'e',
        value_name = "NAME=VALUE",
        help_heading = "Workload"
    )]
    pub(crate) env: Vec<String>,

    /// Environment variable of the app (and init commands) taken from a key of a Secret
    /// (`valueFrom.secretKeyRef`), so the value stays out of the manifest, e.g.
    /// `--env-secret POSTGRES_PASSWORD=db:password`. Repeatable.
    #[arg(
        long = "env-secret",
        value_name = "NAME=SECRET:KEY",
        help_heading = "Workload"
    )]
    pub(crate) env_secrets: Vec<String>,

    /// A ConfigMap or Secret whose every key becomes an environment variable of the app
    /// (`envFrom`), e.g. `--env-from secret:db-credentials` or `--env-from configmap:settings`;
    /// it must exist before the pod starts, and `--env` wins over it. Repeatable.
    #[arg(
        long = "env-from",
        value_name = "configmap:NAME|secret:NAME",
        help_heading = "Workload"
    )]
    pub(crate) env_from: Vec<String>,

    /// Resource requests of the app, e.g. `--requests cpu=250m,memory=256Mi`.
    #[arg(long, value_name = "cpu=Q,memory=Q", help_heading = "Workload")]
    pub(crate) requests: Option<String>,

    /// Resource limits of the app, e.g. `--limits cpu=1,memory=512Mi`.
    #[arg(long, value_name = "cpu=Q,memory=Q", help_heading = "Workload")]
    pub(crate) limits: Option<String>,

    /// HTTP path for the app's readiness and liveness probes, e.g. `--health-path /healthz`
    /// (default: a TCP check on the first port).
    #[arg(long, value_name = "PATH", help_heading = "Workload")]
    pub(crate) health_path: Option<String>,

    /// Treat the words after `--` as the app's command (entrypoint) rather than its arguments,
    /// as in `kubectl run`.
    #[arg(long, help_heading = "Workload")]
    pub command: bool,

    /// Arguments of the app (or its command with `--command`), after `--`.
    #[arg(last = true, value_name = "ARGS")]
    pub(crate) args: Vec<String>,

    /// Kubernetes version to render for, e.g. `--kube-version 1.28` (default: the newest
    /// supported). Decides whether sidecars are native.
    #[arg(long, value_name = "X.Y", help_heading = "Workload")]
    pub kube_version: Option<String>,

    /// Per-pod storage of a StatefulSet, `SIZE[@PATH]`: a volumeClaimTemplate mounted in the
    /// app, e.g. `--storage 10Gi@/var/lib/app` [default PATH: the image's data folder when
    /// podsmith knows it (postgres, redis, mysql, mariadb, mongo), else /data].
    #[arg(long, value_name = "SIZE[@PATH]", help_heading = "Workload")]
    pub(crate) storage: Option<String>,

    /// StorageClass of `--storage`, e.g. `--storage-class fast-ssd` [default: the cluster's].
    #[arg(long, value_name = "CLASS", help_heading = "Workload")]
    pub(crate) storage_class: Option<String>,

    /// When a CronJob runs: five cron fields or a descriptor, e.g. `--schedule "*/5 * * * *"`,
    /// `@hourly` or `@every 1h30m` (required for `--kind cronjob`).
    #[arg(long, value_name = "CRON", help_heading = "Workload")]
    pub(crate) schedule: Option<String>,

    /// Retries before a Job or CronJob run is marked failed, e.g. `--backoff-limit 3`
    /// [default: 6].
    #[arg(long, value_name = "N", help_heading = "Workload")]
    pub(crate) backoff_limit: Option<String>,

    /// Restart policy of a Job's or CronJob's pods, as in `kubectl run`: `OnFailure` or
    /// `Never` [default: OnFailure].
    #[arg(long, value_name = "POLICY", help_heading = "Workload")]
    pub(crate) restart: Option<String>,

    /// Group that owns the pod's volumes (securityContext.fsGroup), so a non-root app can write
    /// to them without a root init container, e.g. `--fs-group 1000`.
    #[arg(long, value_name = "GID", help_heading = "Workload")]
    pub(crate) fs_group: Option<String>,

    /// Pod Security Standards level of the app (and of co-located and init-command containers):
    /// `baseline` starts any image that needs no privileges, as its own user with a writable
    /// root filesystem; `restricted` hardens fully: a numeric non-root user, no privilege
    /// escalation, no capabilities, a read-only root filesystem with emptyDirs where the image
    /// writes [default: baseline].
    #[arg(long, value_name = "PROFILE", help_heading = "Security")]
    pub(crate) security: Option<String>,

    /// Numeric user (and group) the app runs as, e.g. `--run-as-user 1000:1000`; required by
    /// `--security restricted` unless podsmith knows the image's user.
    #[arg(long, value_name = "UID[:GID]", help_heading = "Security")]
    pub(crate) run_as_user: Option<String>,

    /// Mount the app's root filesystem read-only, with an emptyDir at /tmp and at the paths
    /// known images write to (on by default with `--security restricted`).
    #[arg(long, help_heading = "Security")]
    pub(crate) read_only_root: bool,

    /// A path the app writes to that stays writable on a read-only root filesystem (an
    /// emptyDir), e.g. `--writable /var/cache/app`. Repeatable.
    #[arg(long, value_name = "PATH", help_heading = "Security")]
    pub(crate) writable: Vec<String>,

    /// The pattern flags, derived from the patterns' declarations.
    #[command(flatten)]
    pub(crate) patterns: crate::patterns::flags::PatternFlags,

    /// Format of the manifests printed on stdout or written with `--output-dir`.
    #[arg(
        long,
        short = 'o',
        visible_alias = "format",
        value_enum,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub(crate) output: Option<ManifestFormat>,

    /// Write one file per resource into DIR instead of printing a stream (as `helm template
    /// --output-dir`).
    #[arg(long = "output-dir", value_name = "DIR", help_heading = "Output")]
    pub(crate) out: Option<PathBuf>,

    /// Replace files that already exist in the `--output-dir` folder (each keeps its mode).
    #[arg(long, help_heading = "Output")]
    pub(crate) force: bool,

    /// Delete files in the `--output-dir` folder that podsmith wrote for this workload earlier
    /// and that this render no longer produces (without it they are only listed).
    #[arg(long, requires = "out", help_heading = "Output")]
    pub(crate) prune: bool,

    /// Also draw the containers' start and stop order on stderr (stdout stays YAML).
    #[arg(long, help_heading = "Output")]
    pub(crate) explain: bool,

    /// Render with your copy of the templates (from `podsmith templates export DIR`); a
    /// template missing from DIR falls back to the built-in one.
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    pub(crate) templates: Option<PathBuf>,

    /// Ask for the workload step by step, even when NAME and `--image` are given (the flags
    /// fill in the answers). Without it, `new` asks only when NAME or `--image` is missing and
    /// stdin is a terminal.
    #[arg(long, short = 'i', help_heading = "Output")]
    pub(crate) interactive: bool,

    /// Never ask: fail when NAME or `--image` is missing, as when `CI=true` is set.
    #[arg(long, conflicts_with = "interactive", help_heading = "Output")]
    pub(crate) no_interactive: bool,
}

const ADD_EXAMPLES: &str = "\
Examples:
  # Wait for the database before the chart's app starts
  helm template shop ./chart | podsmith add --wait-for postgres:5432 | kubectl apply -f -

  # Ship the logs of a running Deployment, reviewing the change first
  kubectl get deploy web -o yaml | podsmith add --clean --log-sidecar /var/log/app/app.log --diff

  # Change a file in place, only its `web` Deployment, for a 1.28 cluster
  podsmith add -f deploy.yaml --in-place --target deployment/web --kube-version 1.28 \\
      --wait-for redis:6379

  # Take a pattern out again
  podsmith add -f deploy.yaml --in-place --remove wait-for";

const ADD_CONTAINER_HELP: &str = "The app container the patterns are wired to, when the pod has \
several, e.g. `--container web`; with `NAME=IMAGE`, another app container added beside it, as in \
`new` (`--container worker=ghcr.io/acme/worker:1.4.2`). Repeatable";

// Flags of `podsmith add` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args, Default, Clone)]
#[command(mut_arg("container", |arg| arg.value_name("NAME|NAME=IMAGE").help(ADD_CONTAINER_HELP).help_heading("Targets")))]
pub struct AddArgs {
    /// The manifests: a file, a folder (its *.yaml and *.yml files) or `-` for stdin.
    #[arg(
        long = "file",
        short = 'f',
        value_name = "FILE|DIR|-",
        default_value = "-"
    )]
    pub(crate) file: PathBuf,

    /// Only this workload, `KIND/NAME` as kubectl names it, e.g. `--target deployment/web`
    /// or `--target sts/db`. Repeatable [default: every workload].
    #[arg(long = "target", value_name = "KIND/NAME", help_heading = "Targets")]
    pub(crate) targets: Vec<String>,

    /// Only workloads with this label, `KEY=VALUE`, e.g. `-l app=web`. Repeatable (all must
    /// match).
    #[arg(
        long = "selector",
        short = 'l',
        value_name = "KEY=VALUE",
        help_heading = "Targets"
    )]
    pub(crate) selectors: Vec<String>,

    /// The app container, as `--container NAME` names it (an older spelling, kept working).
    #[arg(long = "app-container", value_name = "NAME", hide = true)]
    pub(crate) app_container: Option<String>,

    /// Kubernetes version of the cluster, e.g. `--kube-version 1.28` (default: the newest
    /// supported). Decides whether sidecars are native.
    #[arg(long, value_name = "X.Y", help_heading = "Targets")]
    pub(crate) kube_version: Option<String>,

    /// The pattern flags, the same as `podsmith new` takes.
    #[command(flatten)]
    pub(crate) patterns: crate::patterns::flags::PatternFlags,

    /// Take out a pattern podsmith added before, e.g. `--remove wait-for`. Repeatable.
    #[arg(long, value_name = "PATTERN", help_heading = "Output")]
    pub(crate) remove: Vec<String>,

    /// Drop what the API server filled in (`status`, `managedFields`, `resourceVersion`,
    /// `uid`, `creationTimestamp`, `generation`), so `kubectl get` output can be applied again.
    #[arg(long, help_heading = "Output")]
    pub(crate) clean: bool,

    /// Print the change as a unified diff instead of the manifests.
    #[arg(long, help_heading = "Output")]
    pub(crate) diff: bool,

    /// Rewrite the `--file` (or each file of the folder) in place, atomically, keeping its
    /// permissions.
    #[arg(long, help_heading = "Output", conflicts_with = "diff")]
    pub(crate) in_place: bool,
}

// Flags of `podsmith render` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The spec file to render, e.g. `podsmith.yaml`; `-` reads stdin.
    #[arg(value_name = "FILE", required_unless_present = "file")]
    pub(crate) spec: Option<PathBuf>,

    /// The spec file, as `kubectl apply -f` spells it.
    #[arg(
        long = "file",
        short = 'f',
        value_name = "FILE",
        conflicts_with = "spec"
    )]
    pub(crate) file: Option<PathBuf>,

    /// Format of the manifests printed on stdout or written with `--output-dir`.
    #[arg(
        long,
        short = 'o',
        visible_alias = "format",
        value_enum,
        value_name = "FORMAT"
    )]
    pub(crate) output: Option<ManifestFormat>,

    /// Write one file per resource into DIR instead of printing a stream (as `helm template
    /// --output-dir`).
    #[arg(long = "output-dir", value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,

    /// Replace files that already exist in the `--output-dir` folder (each keeps its mode).
    #[arg(long)]
    pub(crate) force: bool,

    /// Delete files in the `--output-dir` folder that podsmith wrote for this workload earlier
    /// and that this render no longer produces (without it they are only listed).
    #[arg(long, requires = "out")]
    pub(crate) prune: bool,
}

impl RenderArgs {
    /// The spec file, given as the argument or with `-f`.
    pub(crate) fn spec_file(&self) -> &std::path::Path {
        self.spec
            .as_deref()
            .or(self.file.as_deref())
            .unwrap_or(std::path::Path::new("-"))
    }
}

/// The format of rendered manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ManifestFormat {
    /// A YAML stream, one document per resource.
    #[default]
    Yaml,
    /// JSON for `kubectl apply -f -`: the object, or a `v1` List of several.
    Json,
    /// With `--output-dir`: a Kustomize base (the workload and its Service) and one Component
    /// per pattern, listed in `kustomization.yaml`, so deleting a line turns a pattern off.
    Kustomize,
}

// Flags of `podsmith validate` (no doc comment: see `Command`).
#[allow(missing_docs)]
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or folders to check (folders recursively: *.yaml, *.yml, *.json); `-` reads stdin,
    /// as does no PATH when stdin is a pipe.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Kubernetes version whose rules apply, e.g. `--kube-version 1.28` (default: the newest
    /// supported).
    #[arg(long, value_name = "X.Y")]
    pub(crate) kube_version: Option<String>,

    /// Report format.
    #[arg(long, short = 'o', value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text)]
    pub(crate) output: ReportFormat,

    /// Print errors only.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,

    /// Turn off a rule by its ID, e.g. `--skip probes-missing` (`podsmith rules` lists them).
    /// Repeatable. One object turns rules off with the annotation
    /// `podsmith.dev/ignore: "rule-id,rule-id"`.
    #[arg(long, value_name = "RULE")]
    pub(crate) skip: Vec<String>,

    /// Treat warnings as errors (exit code 1).
    #[arg(long)]
    pub(crate) strict: bool,

    /// Report documents of kinds not built into Kubernetes (custom resources), which are not
    /// checked, as errors (`unknown-kind`) instead of only counting them as skipped.
    #[arg(long)]
    pub(crate) reject_unknown_kinds: bool,

    /// Succeed when the paths hold no manifest at all (an empty folder, an empty file); by
    /// default that is an error (exit code 2).
    #[arg(long)]
    pub(crate) allow_empty: bool,

    /// The project file to read instead of the nearest `.podsmith.yaml` (which sets
    /// `kubeVersion`, `skip` and `strict` for every run).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// How `podsmith validate` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// One line a finding and a summary on stderr, for people.
    Text,
    /// One JSON document: findings, skipped documents and counts.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for CI test reports (GitLab, Jenkins, Azure).
    Junit,
    /// GitHub Actions workflow commands: `::error file=,line=::` annotations.
    Github,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    /// The listing of `podsmith --help` shows a subcommand's description before its flags are
    /// built; `podsmith SUBCOMMAND --help`, the completions and the manual pages after. Both
    /// must be the variant's doc comment (an argument struct's doc comment would replace it).
    #[test]
    fn deferred_subcommands_keep_their_description() {
        let descriptions = |command: &clap::Command| -> Vec<(String, String, String)> {
            command
                .get_subcommands()
                .map(|sub| {
                    let text = |about: Option<&clap::builder::StyledStr>| {
                        about.map(ToString::to_string).unwrap_or_default()
                    };
                    (
                        sub.get_name().to_string(),
                        text(sub.get_about()),
                        text(sub.get_long_about()),
                    )
                })
                .collect()
        };
        let mut command = super::Cli::command();
        let listed = descriptions(&command);
        command.build();
        let mut built = descriptions(&command);
        // clap adds its own `help` subcommand when it builds the command.
        built.retain(|(name, _, _)| name != "help");
        assert_eq!(listed, built);
        let new = listed.iter().find(|(name, _, _)| name == "new").unwrap();
        assert_eq!(
            new.1,
            "Render a multi-container Pod or workload from flags, or ask for it step by step"
        );
    }
}
