//! The pattern catalog as data: for each pattern its one-line purpose, what it is for, when
//! not to use it, its options and defaults, its lifecycle and the workload kinds it does not
//! suit. `podsmith patterns`, `podsmith explain`, the kind checks and the wizard all read this
//! one table, so a description is written once.

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

/// One option of a pattern, as a flag.
#[derive(Debug, Clone, Copy)]
pub struct PatternOption {
    /// The flag with its value, e.g. `--wait-timeout SECONDS`.
    pub flag: &'static str,
    /// Its default, or `required`.
    pub default: &'static str,
    /// What it does.
    pub help: &'static str,
}

/// One catalog entry.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The pattern's ID, as in the spec file's `type`.
    pub id: &'static str,
    /// The flag that adds it, with an example value.
    pub example: &'static str,
    /// How its container lives.
    pub lifecycle: Lifecycle,
    /// One line: what it is for.
    pub purpose: &'static str,
    /// A few lines: what it does and how it is wired.
    pub details: &'static str,
    /// When not to use it.
    pub avoid: &'static str,
    /// Its options.
    pub options: &'static [PatternOption],
    /// Kinds it does not suit, with the reason.
    unsuitable: &'static [(WorkloadKind, &'static str)],
}

impl Entry {
    /// Why this pattern does not suit `kind`, if it does not.
    pub fn unsuitable_for(&self, kind: WorkloadKind) -> Option<&'static str> {
        self.unsuitable
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, reason)| *reason)
    }

    /// The workload kinds it suits.
    pub fn kinds(&self) -> Vec<WorkloadKind> {
        WorkloadKind::ALL
            .into_iter()
            .filter(|k| self.unsuitable_for(*k).is_none())
            .collect()
    }
}

const RUNS_ONCE: &str = "its pods run to completion and take no traffic";

const fn batch(reason: &'static str) -> [(WorkloadKind, &'static str); 2] {
    [(WorkloadKind::Job, reason), (WorkloadKind::CronJob, reason)]
}

const NO_INBOUND: [(WorkloadKind, &str); 2] = batch(RUNS_ONCE);
const NOTHING_TO_KEEP_FRESH: [(WorkloadKind, &str); 2] =
    batch("its app runs once: what it reads at start is what it uses");
const NOT_SCRAPED: [(WorkloadKind, &str); 2] = batch(
    "its pods are too short-lived to scrape: push metrics to a Pushgateway from the app instead",
);

/// Every pattern, in the order `podsmith patterns` lists them (start order).
pub const ENTRIES: &[Entry] = &[
    Entry {
        id: "permissions",
        example: "--volume-permissions 1000:1000@/data",
        lifecycle: Lifecycle::Init,
        purpose: "Init container that chowns a shared volume so a non-root app can write to it",
        details: "Runs busybox `chown -R UID:GID PATH` before anything else, as root with every \
capability dropped but CHOWN (change the owner of files it does not own) and DAC_OVERRIDE (walk \
directories a previous owner left unreadable). It does nothing when PATH is already owned by \
UID:GID, so a restarted pod starts at once. PATH is the StatefulSet's --storage volume, or a new \
emptyDir shared with the app.",
        avoid: "When the volume supports ownership management (emptyDir, most PersistentVolumes): \
use `--fs-group GID` instead, which sets the pod's securityContext.fsGroup and needs no root \
container at all. Keep this for volumes fsGroup does not reach (some NFS and hostPath volumes) or \
when files need a specific UID.",
        options: &[
            PatternOption {
                flag: "--volume-permissions UID:GID[@PATH]",
                default: "PATH: the --storage path",
                help: "owner and group to give PATH and everything under it",
            },
            PatternOption {
                flag: "--fs-group GID",
                default: "unset",
                help: "the root-free alternative: pod securityContext.fsGroup",
            },
        ],
        unsuitable: &[],
    },
    Entry {
        id: "wait-for",
        example: "--wait-for postgres:5432",
        lifecycle: Lifecycle::Init,
        purpose: "Init container that blocks until a TCP dependency accepts connections",
        details: "Polls HOST:PORT with busybox `nc -z` every 2 seconds and exits non-zero after \
a deadline, so a missing dependency shows as a restarting pod, not one stuck forever. One init \
container per dependency, in the order given.",
        avoid: "When the app already retries its connections (most database drivers and HTTP \
clients do): an init container only delays the start. It checks that a port is open, not that \
the service behind it is ready.",
        options: &[
            PatternOption {
                flag: "--wait-for HOST:PORT",
                default: "required, repeatable",
                help: "the dependency to wait for",
            },
            PatternOption {
                flag: "--wait-timeout SECONDS",
                default: "300",
                help: "how long each waits before failing",
            },
        ],
        unsuitable: &[],
    },
    Entry {
        id: "ambassador",
        example: "--ambassador 5432=db.example.com:5432",
        lifecycle: Lifecycle::Sidecar,
        purpose: "Local proxy the app reaches on localhost, forwarding to an outside service",
        details: "HAProxy in TCP mode listens on 127.0.0.1:LOCAL_PORT and forwards to HOST:PORT, \
re-resolving its DNS name; its config lives in a ConfigMap. As a native sidecar it starts before \
the later init containers and the app, and a startup probe (`nc -z` inside the container, since \
the kubelet cannot reach 127.0.0.1) holds them back until it listens.",
        avoid: "When the app can reach the service directly and needs no discovery, TLS or \
protocol help: a proxy adds a hop and a container to run.",
        options: &[PatternOption {
            flag: "--ambassador [LOCAL_PORT=]HOST:PORT",
            default: "LOCAL_PORT: PORT; repeatable",
            help: "what the app reaches on localhost, and where it goes",
        }],
        unsuitable: &[],
    },
    Entry {
        id: "git-clone",
        example: "--git-clone https://github.com/acme/site.git",
        lifecycle: Lifecycle::Init,
        purpose: "Init container that shallow-clones a git repository into a shared volume",
        details: "Runs `git clone --depth 1 [--branch REF]` into an emptyDir the app mounts; \
keeps an existing checkout, so it is safe to run twice.",
        avoid: "For code that belongs in the image: build it in instead, so every pod runs the \
same files. Private repositories need credentials this pattern does not manage.",
        options: &[
            PatternOption {
                flag: "--git-clone URL",
                default: "required",
                help: "the repository (https, ssh or git URL)",
            },
            PatternOption {
                flag: "--git-ref REF",
                default: "the remote's HEAD",
                help: "branch or tag to clone",
            },
            PatternOption {
                flag: "--git-mount PATH",
                default: "/srv/repo",
                help: "where the app sees the checkout",
            },
        ],
        unsuitable: &[],
    },
    Entry {
        id: "init-command",
        example: "--init-command \"./manage.py migrate --noinput\"",
        lifecycle: Lifecycle::Init,
        purpose: "Init container that runs a one-shot command (migration, config generation)",
        details: "Runs `sh -c COMMAND` with the app's image (or --init-image), env and shared \
volumes, after the dependencies are up and the checkout is made. `--init NAME=IMAGE` runs an \
image's own entrypoint instead.",
        avoid: "For work that must run once per release rather than once per pod (a schema \
migration in a Deployment with many replicas): a Job or a Helm hook runs it once.",
        options: &[
            PatternOption {
                flag: "--init-command COMMAND",
                default: "required",
                help: "the shell command; must be safe to run twice",
            },
            PatternOption {
                flag: "--init-image IMAGE",
                default: "the app image",
                help: "image to run it with",
            },
            PatternOption {
                flag: "--init NAME=IMAGE",
                default: "repeatable",
                help: "an init container that runs an image's own entrypoint",
            },
        ],
        unsuitable: &[],
    },
    Entry {
        id: "log-sidecar",
        example: "--log-sidecar /var/log/app/app.log",
        lifecycle: Lifecycle::Sidecar,
        purpose: "Sidecar that streams the app's log file to stdout for the cluster's log pipeline",
        details: "The app writes a file on a shared emptyDir; busybox `tail -n+1 -F` follows it \
by name (surviving rotation) and prints it, where `kubectl logs POD -c log-sidecar` and node \
log agents see it.",
        avoid: "When the app can log to stdout itself: that needs no sidecar. To send logs to a \
backend, use log-shipper.",
        options: &[PatternOption {
            flag: "--log-sidecar [FILE]",
            default: "/var/log/app/app.log",
            help: "the log file the app writes",
        }],
        unsuitable: &[],
    },
    Entry {
        id: "log-shipper",
        example: "--log-shipper loki=http://loki:3100",
        lifecycle: Lifecycle::Sidecar,
        purpose: "Sidecar that ships the app's log files to a backend with fluent-bit",
        details: "fluent-bit tails the files the app writes on a shared emptyDir (remembering \
its position in a second emptyDir) and forwards them to Loki, Elasticsearch or stdout; its \
config lives in a ConfigMap. Every value that reaches the config file is checked, so no value \
can add a line to it.",
        avoid: "When a node-level agent (a fluent-bit or Vector DaemonSet) already collects \
container stdout: log to stdout instead, one agent per node costs less than one per pod.",
        options: &[
            PatternOption {
                flag: "--log-shipper BACKEND",
                default: "required",
                help: "loki=http[s]://HOST[:PORT][/PATH], elasticsearch=HOST:PORT or stdout",
            },
            PatternOption {
                flag: "--log-shipper-path GLOB",
                default: "/var/log/app/*.log",
                help: "the files the app writes (a glob in the file name only)",
            },
        ],
        unsuitable: &[],
    },
    Entry {
        id: "git-sync",
        example: "--git-sync 60",
        lifecycle: Lifecycle::Sidecar,
        purpose: "Sidecar that keeps the git-clone checkout fresh",
        details: "Every N seconds fetches the cloned ref and resets the checkout to it; the \
git-clone init container makes the first checkout, so the app starts with files.",
        avoid: "When a change must reach every pod at once or be reviewed before it is served: \
roll out a new image or a new ref instead.",
        options: &[PatternOption {
            flag: "--git-sync [SECONDS]",
            default: "60",
            help: "seconds between fetches (needs --git-clone)",
        }],
        unsuitable: &NOTHING_TO_KEEP_FRESH,
    },
    Entry {
        id: "config-reloader",
        example: "--config-reloader app-config --config-mount /etc/app",
        lifecycle: Lifecycle::Sidecar,
        purpose: "Sidecar that tells the app to reload when its mounted ConfigMap changes",
        details: "Mounts your ConfigMap where the app reads it and runs configmap-reload, which \
watches the files and calls the app's reload endpoint (an HTTP POST) after the kubelet updates \
them (within about a minute).",
        avoid: "When the app cannot reload its config in place (a rolling restart on change is \
then the answer: a checksum annotation or `kubectl rollout restart`), or when it watches its \
files itself. ConfigMaps mounted with subPath never update.",
        options: &[
            PatternOption {
                flag: "--config-reloader CONFIGMAP",
                default: "required",
                help: "the ConfigMap to mount and watch (yours, not rendered)",
            },
            PatternOption {
                flag: "--config-mount PATH",
                default: "/etc/config",
                help: "where the app and the reloader mount it",
            },
            PatternOption {
                flag: "--reload-url URL",
                default: "http://127.0.0.1:APP_PORT/-/reload",
                help: "what the reloader calls",
            },
        ],
        unsuitable: &NOTHING_TO_KEEP_FRESH,
    },
    Entry {
        id: "proxy",
        example: "--proxy 15006",
        lifecycle: Lifecycle::Sidecar,
        purpose: "Service-mesh-style Envoy sidecar that receives the app's traffic",
        details: "Envoy listens on the proxy port on every interface and forwards HTTP \
(HTTP/1.1 and h2c) to the app on 127.0.0.1, logging each request; its config lives in a \
ConfigMap and its admin port stays on localhost. The Service targets the proxy port, so the \
app's port is reached only through the proxy. As a native sidecar it starts before the app and \
a startup probe on its port holds the app back until it listens.",
        avoid: "When a mesh (Istio, Linkerd) already injects a proxy, or the app speaks a \
non-HTTP protocol: use an ambassador or a TCP proxy instead.",
        options: &[
            PatternOption {
                flag: "--proxy [PORT]",
                default: "15006",
                help: "the port the proxy listens on and the Service targets",
            },
            PatternOption {
                flag: "--port PORT",
                default: "required",
                help: "the app port it forwards to (the first TCP one)",
            },
        ],
        unsuitable: &NO_INBOUND,
    },
    Entry {
        id: "adapter",
        example: "--adapter nginx",
        lifecycle: Lifecycle::App,
        purpose: "Exporter that serves the app's metrics in Prometheus format on its own port",
        details: "A Prometheus exporter (nginx, apache, redis, statsd) reads the app's status \
over localhost and serves /metrics on its own port, exposed by the Service as `metrics`.",
        avoid: "When the app already serves Prometheus metrics: scrape it directly.",
        options: &[
            PatternOption {
                flag: "--adapter EXPORTER",
                default: "required",
                help: "nginx, apache, redis or statsd",
            },
            PatternOption {
                flag: "--adapter-scrape-port PORT",
                default: "the app's first port",
                help: "the app port it reads",
            },
        ],
        unsuitable: &NOT_SCRAPED,
    },
    Entry {
        id: "container",
        example: "--container worker=ghcr.io/acme/worker:1.4.2",
        lifecycle: Lifecycle::App,
        purpose: "Another app container in the same pod, started with the app",
        details: "Co-located containers share the pod's network and volumes, start together \
with no order between them and are scaled together.",
        avoid: "When the two could be scaled, updated or placed apart: two workloads are \
simpler to run.",
        options: &[PatternOption {
            flag: "--container NAME=IMAGE",
            default: "repeatable",
            help: "the container's name and image",
        }],
        unsuitable: &[],
    },
    Entry {
        id: "debug",
        example: "podsmith debug web-7d4b9 --target web",
        lifecycle: Lifecycle::Ephemeral,
        purpose: "Ephemeral debug container added to a running pod (`podsmith debug`)",
        details: "Prints the `kubectl debug` command, or with --patch the body for the pod's \
ephemeralcontainers subresource. Ephemeral containers have no ports, probes or resources, are \
never restarted, and cannot be removed; they are never part of a manifest podsmith writes.",
        avoid: "On a pod you can recreate with a debug image instead (`kubectl debug --copy-to`), \
or where a shell in the app image is enough.",
        options: &[
            PatternOption {
                flag: "--target CONTAINER",
                default: "none",
                help: "share this container's process namespace",
            },
            PatternOption {
                flag: "--image IMAGE",
                default: "busybox:1.36.1",
                help: "the debugging tools",
            },
            PatternOption {
                flag: "--profile PROFILE",
                default: "general",
                help: "general, baseline, restricted, netadmin or sysadmin",
            },
        ],
        unsuitable: &[],
    },
];

/// The entry of pattern `id`.
pub fn entry(id: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.id == id)
}

/// The one-line purpose of pattern `id`.
pub fn purpose(id: &str) -> Option<&'static str> {
    entry(id).map(|e| e.purpose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_purposes_are_one_line() {
        for (index, entry) in ENTRIES.iter().enumerate() {
            assert!(
                ENTRIES[..index].iter().all(|e| e.id != entry.id),
                "{}",
                entry.id
            );
            assert!(!entry.purpose.contains('\n') && entry.purpose.len() <= 100);
        }
    }

    #[test]
    fn batch_kinds_refuse_inbound_patterns() {
        let proxy = entry("proxy").unwrap();
        assert!(proxy.unsuitable_for(WorkloadKind::Job).is_some());
        assert!(proxy.unsuitable_for(WorkloadKind::StatefulSet).is_none());
        assert!(!proxy.kinds().contains(&WorkloadKind::CronJob));
    }
}
