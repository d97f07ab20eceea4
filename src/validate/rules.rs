//! The rule catalog: every rule ID the validator can report, with its layer, severity, summary
//! and the equivalent checks of other tools. `docs/rules.md` is the same table for people, and a
//! test keeps the two in step.

use super::Severity;

/// Which part of the validator a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// YAML syntax and the schema of the Kubernetes API types.
    Schema,
    /// The API server's own validation rules.
    Api,
    /// How the containers of one pod are wired together.
    Wiring,
    /// Best practice (warnings; `--skip` or `--strict` them).
    Practice,
}

impl Layer {
    /// The layer's name as printed in the catalog.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Schema => "schema",
            Layer::Api => "api",
            Layer::Wiring => "wiring",
            Layer::Practice => "practice",
        }
    }
}

/// One rule of the catalog.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable kebab-case ID, used by `--skip` and in every finding.
    pub id: &'static str,
    /// The validator layer.
    pub layer: Layer,
    /// How serious a finding of this rule is.
    pub severity: Severity,
    /// What the rule checks, in one line.
    pub(crate) summary: &'static str,
    /// The same check in kube-linter, kube-score or Polaris, when they have one.
    pub(crate) equivalents: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $layer:ident, $severity:ident, $summary:literal, $eq:literal;)*) => {
        $(
            #[doc = $summary]
            pub(crate) const $name: Rule = Rule {
                id: $id,
                layer: Layer::$layer,
                severity: Severity::$severity,
                summary: $summary,
                equivalents: $eq,
            };
        )*
        /// Every rule, in catalog order.
        pub const ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    UNREADABLE = "unreadable", Schema, Error,
        "The file cannot be read, or is not UTF-8 (or UTF-16 with a byte-order mark) text; the other files are checked all the same, and the exit code is 2.", "";
    YAML_SYNTAX = "yaml-syntax", Schema, Error,
        "The document is not well-formed YAML.", "";
    DUPLICATE_KEY = "duplicate-key", Schema, Error,
        "A mapping repeats a key: `kubectl apply -f` silently keeps the last value, `kubectl apply -k` and YAML 1.2 readers reject the file.", "";
    YAML11_SCALAR = "yaml11-scalar", Schema, Warning,
        "kubectl reads YAML 1.1, and here it reads something else than the text suggests: a number with a leading zero outside a file mode (`030` is 24), or a key it rewrites (`on:` is `true`). (An unquoted `yes` or `0755` in a string field is a `field-type` error.)", "";
    MISSING_KIND = "missing-kind", Schema, Error,
        "The document has no `apiVersion` or `kind`, or one that is not a string.", "";
    API_VERSION_REMOVED = "api-version-removed", Schema, Error,
        "The target version does not serve the kind under this `apiVersion`: removed (the message names the version that removed it and the replacement), not yet added, or never a built-in version.", "kubent, pluto (deprecated and removed APIs)";
    API_VERSION_DEPRECATED = "api-version-deprecated", Schema, Warning,
        "The `apiVersion` is deprecated at the target version: a stable version of the kind is served; the message names the version that removes it.", "pluto `deprecated`";
    API_VERSION_ALPHA = "api-version-alpha", Schema, Warning,
        "An alpha `apiVersion`, which a cluster serves only when enabled with `--runtime-config`.", "";
    UNKNOWN_KIND = "unknown-kind", Schema, Error,
        "A kind that is not built into Kubernetes (a custom resource) was not checked; reported only with `--reject-unknown-kinds`.", "kubeconform `-ignore-missing-schemas` off";
    UNKNOWN_FIELD = "unknown-field", Schema, Error,
        "A field the API type of the target version does not have (a typo such as `imagePulPolicy`).", "";
    FIELD_TYPE = "field-type", Schema, Error,
        "A field holds a value of the wrong type (`containerPort: eighty`).", "";
    REQUIRED_FIELD = "required-field", Schema, Error,
        "A field the API type requires is missing (a container without `name`).", "";
    OBJECT_NAME = "object-name", Api, Error,
        "`metadata.name` is missing or not a valid DNS-1123 name for its kind.", "";
    LABEL_INVALID = "label-invalid", Api, Error,
        "A label or annotation key, or a label value, breaks the API's syntax rules, or the annotations together exceed 256 KiB.", "";
    OWNERSHIP = "ownership", Api, Error,
        "`metadata.ownerReferences` name their owner's apiVersion, kind, name and uid, at most one of them as controller; finalizers are qualified names, not both `orphan` and `foregroundDeletion`.", "";
    CONTAINERS_REQUIRED = "containers-required", Api, Error,
        "A pod needs at least one container in `containers`.", "";
    CONTAINER_NAME = "container-name", Api, Error,
        "A container name is missing or not a DNS-1123 label.", "";
    CONTAINER_NAME_UNIQUE = "container-name-unique", Api, Error,
        "Container names are unique across `initContainers` and `containers`.", "";
    IMAGE_REQUIRED = "image-required", Api, Error,
        "Every container names an image (a Pod's image has no surrounding white space).", "";
    PORT_RANGE = "port-range", Api, Error,
        "`containerPort`, `hostPort` and Service ports are between 1 and 65535.", "";
    PORT_NAME = "port-name", Api, Error,
        "Port names are IANA service names: at most 15 characters, `[a-z0-9-]`, a letter, no `--`.", "";
    PORT_NAME_UNIQUE = "port-name-unique", Api, Error,
        "Port names are unique within a container (and within a Service).", "";
    HOST_PORT_UNIQUE = "host-port-unique", Api, Error,
        "Two containers of a pod claim the same hostPort, protocol and hostIP.", "";
    ENUM_VALUE = "enum-value", Api, Error,
        "A field that takes one of a fixed set of values (protocol, imagePullPolicy, restartPolicy...) has another.", "";
    VOLUME_NAME = "volume-name", Api, Error,
        "Volume names are DNS-1123 labels, unique within the pod.", "";
    VOLUME_MOUNT_MISSING = "volume-mount-missing", Api, Error,
        "Every `volumeMounts[].name` names a volume declared in `spec.volumes`.", "";
    VOLUME_MOUNT = "volume-mount", Api, Error,
        "A volume mount's `mountPropagation` is None, HostToContainer or Bidirectional (only in a privileged container); `recursiveReadOnly` Disabled, or Enabled or IfPossible on a read-only mount without propagation; no `subPath` into an image volume.", "";
    MOUNT_PATH_UNIQUE = "mount-path-unique", Api, Error,
        "A container mounts at most one volume at each `mountPath`.", "";
    CONTAINER_RESTART_POLICY = "container-restart-policy", Api, Error,
        "Container `restartPolicy` is only `Always` on init containers, from the version that has it.", "";
    INIT_CONTAINER_PROBES = "init-container-probes", Api, Error,
        "Probes and lifecycle hooks on an init container need `restartPolicy: Always` (a native sidecar).", "";
    EPHEMERAL_CONTAINERS = "ephemeral-containers", Api, Error,
        "`ephemeralContainers` cannot be set when a pod is created, nor in a pod template.", "";
    PROBE_INVALID = "probe-invalid", Api, Error,
        "A probe or hook has exactly one handler, and that handler is well-formed: an `exec` command, an `httpGet`/`tcpSocket`/`grpc` port number (1 to 65535) or IANA name, an `HTTP` or `HTTPS` scheme, header names of letters, digits and `-`, a `sleep` within the grace period (0 from 1.33); liveness/startup `successThreshold` is 1.", "";
    ENV_NAME = "env-name", Api, Error,
        "Environment variable names are valid and `valueFrom` has exactly one source, without `value`; each `envFrom` names one ConfigMap or Secret and a valid prefix.", "kube-linter `duplicate-env-var` covers duplicates, which the API accepts";
    RESOURCE_QUANTITY = "resource-quantity", Api, Error,
        "Resource quantities are well-formed and not negative.", "";
    RESOURCE_REQUEST_ABOVE_LIMIT = "resource-request-above-limit", Api, Error,
        "A container's request is not above its limit for the same resource.", "";
    RESOURCE_NAME = "resource-name", Api, Error,
        "Resource names are standard (`cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>`) or a domain-qualified extended resource; an extended resource or hugepages request has a limit and equals it; hugepages come in whole pages and with cpu or memory.", "";
    SELECTOR_REQUIRED = "selector-required", Api, Error,
        "A Deployment, ReplicaSet, StatefulSet or DaemonSet has a non-empty `spec.selector`.", "";
    SELECTOR_MISMATCH = "selector-mismatch", Api, Error,
        "The workload's selector matches its pod template's labels.", "kube-linter `mismatching-selector`; kube-score `deployment-pod-selector-labels-match-template-metadata-labels`";
    TEMPLATE_RESTART_POLICY = "template-restart-policy", Api, Error,
        "Pod templates use `restartPolicy: Always` in long-running workloads, `OnFailure` or `Never` in Jobs.", "";
    TEMPLATE_DEADLINE = "template-deadline", Api, Error,
        "The pod template of a Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController sets no `activeDeadlineSeconds`: its pods run until replaced.", "";
    SERVICE_NAME_REQUIRED = "service-name-required", Api, Error,
        "A StatefulSet names its governing Service in `spec.serviceName`.", "";
    SERVICE_PORTS = "service-ports", Api, Error,
        "A Service (other than ExternalName) has ports; with several, each is named.", "";
    CONFIG_KEY = "config-key", Api, Error,
        "ConfigMap and Secret data keys consist of alphanumerics, `-`, `_` and `.`.", "";
    SECURITY_CONTEXT = "security-context", Api, Error,
        "`allowPrivilegeEscalation: false` with `privileged: true` or the `CAP_SYS_ADMIN` capability; user and group IDs within 0 to 2147483647; sysctl names well-formed and unique, none of the node's network or IPC namespace when the pod shares it (from 1.29); seccomp and AppArmor profiles of a known type, with `localhostProfile` (a relative path for seccomp) exactly when the type is Localhost; not both `shareProcessNamespace` and `hostPID`.", "";
    HOST_NETWORK_PORT = "host-network-port", Api, Error,
        "With `hostNetwork: true`, a container port's `hostPort` (when set) equals its `containerPort`.", "";
    DNS_CONFIG = "dns-config", Api, Error,
        "`dnsPolicy: None` comes with a `dnsConfig` that has nameservers; at most 3 nameservers (IP addresses) and 32 search domains.", "";
    VOLUME_SOURCE = "volume-source", Api, Error,
        "A volume has one source (emptyDir, configMap, secret, persistentVolumeClaim...), not two, and that source is complete: a claim name, a secret or ConfigMap name, a hostPath without `..` and of a known type, an NFS server and absolute path, a CSI driver name, an ephemeral volume's claim template; projected sources each of one kind, their paths unique, tokens living 10 minutes to 2^32 s; downward API files with one well-formed reference.", "";
    SUB_PATH = "sub-path", Api, Error,
        "`subPath`, `subPathExpr` and the `items[].path` of configMap and secret volumes are relative paths without `..`; `subPath` and `subPathExpr` not both.", "";
    NUMBER_RANGE = "number-range", Api, Error,
        "Counts, durations and modes are in range: replicas, parallelism, completions, backoffLimit, history limits, probe timings not negative; activeDeadlineSeconds and probe grace periods above 0; file modes up to 0777; HPA replicas at least 1 and max not below min.", "";
    UPDATE_STRATEGY = "update-strategy", Api, Error,
        "Deployment, StatefulSet and DaemonSet update strategies: a known type, `rollingUpdate` not with `Recreate` (or a StatefulSet's `OnDelete`), maxUnavailable/maxSurge a count or a percentage up to 100%, not both 0; progressDeadlineSeconds above minReadySeconds.", "";
    CRON_SCHEDULE = "cron-schedule", Api, Error,
        "A CronJob `schedule` parses as the server parses it (five fields or a descriptor such as `@hourly` or `@every 1h`), without `TZ=`/`CRON_TZ=`; `timeZone` is a well-formed zone name.", "";
    JOB_SPEC = "job-spec", Api, Error,
        "Job and CronJob settings: `completionMode` and `concurrencyPolicy` values, Indexed Jobs set `completions`; per-index backoff and success policies only in Indexed mode; a pod failure policy's rules are well-formed (action, exit codes ordered and unique, known containers, condition patterns) with `restartPolicy: Never`; `podReplacementPolicy` values.", "";
    SERVICE_PORT_UNIQUE = "service-port-unique", Api, Error,
        "A Service declares each port and protocol once, and each nodePort once.", "";
    SERVICE_SPEC = "service-spec", Api, Error,
        "A Service's other fields: an ExternalName Service names a DNS host and sets no cluster IPs or families; cluster IPs are IP addresses (or a lone `None`, not for NodePort or LoadBalancer), at most one per family and matching `ipFamilies`; a ClusterIP Service sets no nodePort; the session affinity timeout is 1 to 86400 s; external IPs are ordinary addresses; source ranges, node port allocation and the class only on a LoadBalancer; `externalTrafficPolicy` only on an externally reachable Service.", "";
    CONFIG_SIZE = "config-size", Api, Error,
        "A ConfigMap or Secret holds at most 1 MiB (1,048,576 bytes) of data.", "";
    SECRET_TYPE = "secret-type", Api, Error,
        "A Secret of a built-in type has the keys that type needs (`tls.crt` and `tls.key`, `.dockerconfigjson`, `ssh-privatekey`, ...); a docker config is a JSON object.", "";
    DISRUPTION_BUDGET = "disruption-budget", Api, Error,
        "A PodDisruptionBudget sets at most one of `minAvailable` and `maxUnavailable`, each a count or a percentage up to 100%.", "";
    SCALE_TARGET = "scale-target", Api, Error,
        "A HorizontalPodAutoscaler names the `kind` and `name` of its `scaleTargetRef`.", "";
    AUTOSCALER = "autoscaler", Api, Error,
        "A HorizontalPodAutoscaler's metrics each have a known type and exactly that source, complete (metric or resource name, container, described object) with a target of a known type and positive values; behavior policies are Pods or Percent with a positive value and a period up to 1800 s, stabilization windows 0 to 3600 s, selectPolicy Max, Min or Disabled.", "";
    INGRESS = "ingress", Api, Error,
        "An Ingress has rules or a default backend; each path has a `pathType` and, for Exact and Prefix, an absolute path; each backend is one service (with one of a port name or number) or one resource; hosts are DNS names, a leading `*.` allowed; an IngressClass's controller and parameters are well-formed.", "";
    NETWORK_POLICY = "network-policy", Api, Error,
        "A NetworkPolicy's ports are in range (`endPort` only with a numeric `port`, not below it), each peer sets a selector or an `ipBlock` (not both), `ipBlock` CIDRs parse and each `except` lies strictly inside `cidr`, selectors are well-formed.", "";
    RBAC_RULE = "rbac-rule", Api, Error,
        "A Role or ClusterRole rule lists verbs and either apiGroups and resources or (ClusterRole only) nonResourceURLs, not both; resourceNames with one resource only.", "";
    ROLE_BINDING = "role-binding", Api, Error,
        "A RoleBinding or ClusterRoleBinding refers to a Role or ClusterRole of rbac.authorization.k8s.io by name; subjects are a ServiceAccount (with a namespace in a ClusterRoleBinding), User or Group with a name.", "";
    TOLERATION = "toleration", Api, Error,
        "A toleration's operator is Equal or Exists (Exists without a value; an empty key only with Exists), its effect a taint effect, and `tolerationSeconds` only with NoExecute.", "";
    AFFINITY = "affinity", Api, Error,
        "Node and pod affinity terms are well-formed: required node affinity has at least one term, In/NotIn take values and Exists/DoesNotExist none, weights are 1 to 100, pod affinity terms name a topologyKey.", "";
    POD_NAMES = "pod-names", Api, Error,
        "Names a pod spec sets are well-formed: serviceAccountName, nodeName and priorityClassName DNS subdomains, hostname and subdomain DNS labels, readiness and scheduling gates qualified names, scheduling gates unique.", "";
    TOPOLOGY_SPREAD = "topology-spread", Api, Error,
        "A topology spread constraint has `maxSkew` above 0, a `topologyKey`, `whenUnsatisfiable` DoNotSchedule or ScheduleAnyway, no repeated (topologyKey, whenUnsatisfiable) pair, and `minDomains` only with DoNotSchedule.", "";
    POD_OS = "pod-os", Api, Error,
        "A pod's `os.name` is `linux` or `windows`; a Windows pod sets none of the Linux-only settings (host PID/IPC, SELinux, seccomp, AppArmor, user and group IDs, fsGroup, sysctls, capabilities, privileged...), a Linux pod no `windowsOptions`.", "";
    PORT_CONFLICT = "port-conflict", Wiring, Error,
        "Two containers of one pod declare or listen on the same port; they share one network namespace.", "";
    JOB_REGULAR_SIDECAR = "job-regular-sidecar", Wiring, Error,
        "A never-ending helper in a Job's `containers` keeps the Job from completing; make it a native sidecar.", "";
    INIT_VOLUME_UNUSED = "init-volume-unused", Wiring, Warning,
        "An init container fills an emptyDir that no other container mounts.", "";
    LOG_PATH_UNSHARED = "log-path-unshared", Wiring, Warning,
        "A log sidecar tails a file on no volume that another container mounts, so nothing writes it.", "";
    WAIT_FOR_TIMEOUT = "wait-for-timeout", Wiring, Warning,
        "A wait-for init container loops with no deadline, so a missing dependency hangs the pod forever.", "";
    RESOURCES_MISSING = "resources-missing", Practice, Warning,
        "Every container sets cpu and memory requests and limits.", "kube-linter `unset-cpu-requirements`, `unset-memory-requirements`; kube-score `container-resources`; Polaris `cpuRequestsMissing`, `cpuLimitsMissing`, `memoryRequestsMissing`, `memoryLimitsMissing`";
    PROBES_MISSING = "probes-missing", Practice, Warning,
        "An app container in `containers` that declares a port has readiness and liveness probes.", "kube-linter `no-readiness-probe`, `no-liveness-probe`; kube-score `pod-probes`; Polaris `readinessProbeMissing`, `livenessProbeMissing`";
    RUN_AS_NON_ROOT = "run-as-non-root", Practice, Warning,
        "Containers run with `runAsNonRoot: true` (container or pod securityContext).", "kube-linter `run-as-non-root`; kube-score `container-security-context-user-group-id`; Polaris `runAsRootAllowed`";
    READ_ONLY_ROOT_FS = "read-only-root-fs", Practice, Warning,
        "Containers set `readOnlyRootFilesystem: true`.", "kube-linter `no-read-only-root-fs`; kube-score `container-security-context-readonlyrootfilesystem`; Polaris `notReadOnlyRootFilesystem`";
    PRIVILEGE_ESCALATION = "privilege-escalation", Practice, Warning,
        "Containers set `allowPrivilegeEscalation: false`.", "kube-linter `privilege-escalation-container`; Polaris `privilegeEscalationAllowed`";
    CAPABILITIES_NOT_DROPPED = "capabilities-not-dropped", Practice, Warning,
        "Containers drop all capabilities (`capabilities.drop: [\"ALL\"]`).", "kube-linter `drop-net-raw-capability`; Polaris `insecureCapabilities`";
    NON_ROOT_WITHOUT_USER = "non-root-without-user", Practice, Warning,
        "`runAsNonRoot: true` comes with a numeric `runAsUser`: without one only the kubelet, at start, checks the image's user, and it refuses root and named users.", "";
    READ_ONLY_ROOT_NO_WRITABLE = "read-only-root-no-writable", Practice, Warning,
        "The pod's main container, on a read-only root filesystem, mounts a writable volume (at least /tmp).", "";
    IMAGE_NEEDS_ENV = "image-needs-env", Practice, Warning,
        "A container of a well-known image sets the environment its entrypoint needs to start (`postgres`: `POSTGRES_PASSWORD`, `POSTGRES_PASSWORD_FILE` or `POSTGRES_HOST_AUTH_METHOD`).", "";
    DATA_ON_VOLUME_ROOT = "data-on-volume-root", Practice, Warning,
        "`postgres` keeps its data folder (PGDATA) inside a persistent volume, not at the volume's root, which initdb refuses.", "";
    SYSCTL_REFUSED = "sysctl-refused", Practice, Warning,
        "The pod's sysctls are safe ones for the target version, in namespaces it does not share with the node: the kubelet refuses others (SysctlForbidden), and so do the Pod Security Standards.", "kube-linter `unsafe-sysctls`";
    IMAGE_UNPINNED = "image-unpinned", Practice, Warning,
        "Images name a tag other than `latest`, or a digest.", "kube-linter `latest-tag`; kube-score `container-image-tag`; Polaris `tagNotSpecified`";
    PRIVILEGED = "privileged", Practice, Warning,
        "Containers are not `privileged`.", "kube-linter `privileged-container`; kube-score `container-security-context-privileged`; Polaris `runAsPrivileged`";
    HOST_NAMESPACE = "host-namespace", Practice, Warning,
        "The pod does not share the node's network, PID or IPC namespace.", "kube-linter `host-network`, `host-pid`, `host-ipc`; Polaris `hostNetworkSet`, `hostPIDSet`, `hostIPCSet`";
    IGNORE_UNKNOWN_RULE = "ignore-unknown-rule", Practice, Warning,
        "Every ID in a `podsmith.dev/ignore` annotation names a rule, so a typo does not leave the rule on.", "";
}

/// The rule with this ID, if there is one.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                rule.id
            );
        }
    }

    #[test]
    fn practice_rules_are_warnings() {
        for rule in ALL.iter().filter(|r| r.layer == Layer::Practice) {
            assert_eq!(rule.severity, Severity::Warning, "{}", rule.id);
        }
    }

    #[test]
    fn docs_table_lists_every_rule() {
        let docs = include_str!("../../docs/rules.md");
        for rule in ALL {
            let row = format!(
                "| `{}` | {} | {} |",
                rule.id,
                rule.layer.name(),
                rule.severity
            );
            assert!(
                docs.contains(&row),
                "docs/rules.md lacks the row for {}",
                rule.id
            );
        }
    }

    #[test]
    fn find_knows_every_id() {
        assert_eq!(find("port-conflict"), Some(&PORT_CONFLICT));
        assert_eq!(find("no-such-rule"), None);
    }
}
