//! The pattern catalog: the exact text of the newer workload kinds and patterns per version
//! (snapshots in `snapshots/render/<kind>-<pattern>-<version>.snap`), the kind rules, and the
//! `patterns`, `explain`, `debug` and `templates` subcommands.
//!
//! A little over 400 lines because of [`NONSENSICAL`], the table of flag combinations and
//! the error each gives.

use crate::support::{assert_snapshot, podsmith, podsmith_new_web, render, settings};

/// Renders `flags` as `kind` for `version` and compares the text with the snapshot
/// `<kind>-<pattern>-<version>`. Flags after `--` belong to the app: the kind and version go
/// before them.
fn check(kind: &str, pattern: &str, flags: &str, version: &str) {
    let (own, app) = match flags.split_once(" -- ") {
        Some((own, app)) => (own, format!(" -- {app}")),
        None => (flags, String::new()),
    };
    let command = format!("new {own} --kind {kind} --kube-version {version}{app}");
    let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
    let text = generated.rendered.stream();
    assert!(!text.contains("ephemeralContainers"), "{command}");
    assert_snapshot(
        "render",
        &format!("{kind}-{pattern}-{version}"),
        &command,
        &text,
    );
}

/// One module a kind and pattern, one test a version (`v1_28: "1.28"`).
macro_rules! cases {
    ($($module:ident($kind:literal, $pattern:literal, $flags:literal) { $($test:ident: $version:literal),+ })*) => {$(
        mod $module {
            $(
                #[test]
                fn $test() {
                    super::check($kind, $pattern, $flags, $version);
                }
            )+
        }
    )*};
}

cases! {
    statefulset_storage("statefulset", "storage", "db --image postgres:16.4 --port 5432 --replicas 3 --storage 10Gi@/var/lib/postgresql/data --storage-class fast-ssd --fs-group 999 --env-secret POSTGRES_PASSWORD=db:password") { v1_37: "1.37" }
    statefulset_permissions("statefulset", "permissions", "db --image postgres:16.4 --port 5432 --storage 10Gi@/var/lib/postgresql/data --volume-permissions 999:999 --env-secret POSTGRES_PASSWORD=db:password") { v1_28: "1.28", v1_37: "1.37" }
    statefulset_log_shipper("statefulset", "log-shipper", "db --image postgres:16.4 --port 5432 --log-shipper loki=http://loki.monitoring:3100") { v1_28: "1.28", v1_37: "1.37" }
    daemonset_log_shipper("daemonset", "log-shipper", "node-agent --image ghcr.io/acme/agent:1.0.3 --log-shipper elasticsearch=es.logging.svc:9200 --log-shipper-path /var/log/agent/*.log") { v1_28: "1.28", v1_37: "1.37" }
    daemonset_wait_for("daemonset", "wait-for", "node-agent --image ghcr.io/acme/agent:1.0.3 --wait-for collector.monitoring:4317") { v1_37: "1.37" }
    deployment_log_shipper("deployment", "log-shipper", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --log-shipper loki=https://logs.example.com/loki/api/v1/push") { v1_28: "1.28", v1_37: "1.37" }
    pod_log_shipper("pod", "log-shipper", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --log-shipper stdout") { v1_37: "1.37" }
    deployment_proxy("deployment", "proxy", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --port metrics=9090 --proxy") { v1_28: "1.28", v1_37: "1.37" }
    statefulset_proxy("statefulset", "proxy", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --proxy 8443") { v1_37: "1.37" }
    deployment_config_reloader("deployment", "config-reloader", "prometheus --image prom/prometheus:v2.54.1 --port 9090 --config-reloader prometheus-config --config-mount /etc/prometheus") { v1_28: "1.28", v1_37: "1.37" }
    pod_permissions("pod", "permissions", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --volume-permissions 1000:1000@/srv/data") { v1_37: "1.37" }
    job_plain("job", "plain", "report --image ghcr.io/acme/report:2.0.0 --restart Never --backoff-limit 2") { v1_37: "1.37" }
    job_log_sidecar("job", "log-sidecar", "report --image ghcr.io/acme/report:2.0.0 --log-sidecar") { v1_27: "1.27", v1_28: "1.28", v1_29: "1.29", v1_37: "1.37" }
    job_ambassador("job", "ambassador", "report --image ghcr.io/acme/report:2.0.0 --ambassador 5432=db.example.com:5432 --command -- ./report --all") { v1_28: "1.28", v1_37: "1.37" }
    job_log_shipper("job", "log-shipper", "report --image ghcr.io/acme/report:2.0.0 --log-shipper stdout --command -- ./report") { v1_28: "1.28" }
    cronjob_log_shipper("cronjob", "log-shipper", "report --image ghcr.io/acme/report:2.0.0 --schedule '0 3 * * *' --log-shipper loki=http://loki:3100") { v1_28: "1.28", v1_37: "1.37" }
    cronjob_wait_for("cronjob", "wait-for", "report --image ghcr.io/acme/report:2.0.0 --schedule '*/15 * * * *' --wait-for postgres:5432 --init-command './migrate'") { v1_27: "1.27", v1_37: "1.37" }
}

#[test]
fn old_jobs_with_sidecars_warn_and_new_ones_do_not() {
    let run = |version: &str| {
        podsmith()
            .args([
                "new",
                "report",
                "--image",
                "ghcr.io/acme/report:2.0.0",
                "--kind",
                "job",
            ])
            .args(["--log-sidecar", "--kube-version", version])
            .output()
            .unwrap()
    };
    let old = run("1.28");
    assert!(old.status.success());
    let stderr = String::from_utf8(old.stderr).unwrap();
    assert!(
        stderr.contains("warning: Kubernetes 1.28 has no native sidecars"),
        "{stderr}"
    );
    assert!(stderr.contains("/var/run/podsmith/done"), "{stderr}");
    let new = run("1.29");
    assert!(new.status.success());
    assert!(!String::from_utf8(new.stderr)
        .unwrap()
        .contains("native sidecars"));
}

/// Flag combinations that make no sense, each with the start of its one-line error.
const NONSENSICAL: &[(&[&str], &str)] = &[
    (
        &["--kind", "daemonset", "--replicas", "3"],
        "invalid value `3` for `--replicas`: a DaemonSet runs one pod per node",
    ),
    (&["--kind", "cronjob"], "a CronJob needs `--schedule`"),
    (
        &["--kind", "cronjob", "--schedule", "61 * * * *"],
        "invalid value `61 * * * *` for `--schedule`: the minute field",
    ),
    (
        &["--kind", "cronjob", "--schedule", "* * * *"],
        "invalid value `* * * *` for `--schedule`: must be five cron fields",
    ),
    (
        &["--schedule", "@hourly"],
        "invalid value `@hourly` for `--schedule`: only a CronJob has a schedule",
    ),
    (
        &["--storage", "1Gi"],
        "invalid value `1Gi` for `--storage`: only a StatefulSet has per-pod storage",
    ),
    (
        &["--kind", "job", "--port", "8080", "--proxy"],
        "invalid value `proxy` for `--proxy`: not for a Job",
    ),
    (
        &[
            "--kind",
            "cronjob",
            "--schedule",
            "@daily",
            "--adapter",
            "nginx",
        ],
        "invalid value `adapter` for `--adapter`: not for a CronJob",
    ),
    (
        &[
            "--kind",
            "job",
            "--port",
            "8080",
            "--health-path",
            "/healthz",
        ],
        "invalid value `/healthz` for `--health-path`: a Job's app runs to completion",
    ),
    (
        &["--kind", "job", "--restart", "Always"],
        "invalid value `Always` for `--restart`",
    ),
    (
        &["--backoff-limit", "3"],
        "invalid value `3` for `--backoff-limit`: only a Job or CronJob",
    ),
    (
        &["--log-shipper", "loki=http://loki:3100\n[OUTPUT]"],
        "invalid value `http://loki:3100\\n[OUTPUT]` for `--log-shipper`",
    ),
    (
        &["--log-shipper", "kafka=broker:9092"],
        "invalid value `kafka=broker:9092` for `--log-shipper`: must be loki=",
    ),
    (
        &["--volume-permissions", "1000:1000"],
        "invalid value `1000:1000` for `--volume-permissions`: name the folder",
    ),
    (
        &["--port", "8080", "--proxy", "8080"],
        "port `8080` is claimed twice",
    ),
    (
        &["--config-reloader", "app-config"],
        "invalid value `app-config` for `--config-reloader`: the reloader calls the app",
    ),
];

#[test]
fn nonsensical_combinations_are_one_line_errors() {
    let image = ["--image", "nginxinc/nginx-unprivileged:1.27"];
    for (args, expected) in NONSENSICAL {
        let output = podsmith()
            .args(["new", "web"])
            .args(image)
            .args(*args)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.starts_with(&format!("error: {expected}")),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            expected.lines().count(),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn patterns_lists_every_pattern_once() {
    let output = podsmith().arg("patterns").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for id in [
        "permissions",
        "wait-for",
        "ambassador",
        "git-clone",
        "init-command",
        "log-sidecar",
        "log-shipper",
        "git-sync",
        "config-reloader",
        "proxy",
        "adapter",
        "container",
        "debug",
    ] {
        let lines = stdout
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(id))
            .count();
        assert_eq!(lines, 1, "{id}: {stdout}");
    }
}

/// `podsmith explain ID` succeeds and prints its snapshot `explain-ID`.
fn check_explain(id: &str) {
    let output = podsmith().args(["explain", id]).output().unwrap();
    assert!(output.status.success(), "{id}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_snapshot("render", &format!("explain-{id}"), "", &stdout);
}

/// One test a pattern's explanation.
mod explain {
    #[test]
    fn wait_for() {
        super::check_explain("wait-for");
    }
    #[test]
    fn log_sidecar() {
        super::check_explain("log-sidecar");
    }
    #[test]
    fn proxy() {
        super::check_explain("proxy");
    }
    #[test]
    fn permissions() {
        super::check_explain("permissions");
    }
    #[test]
    fn debug() {
        super::check_explain("debug");
    }
}

#[test]
fn explain_refuses_an_unknown_pattern() {
    let unknown = podsmith().args(["explain", "sidecar"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn new_explain_draws_the_timeline_on_stderr_only() {
    let output = podsmith_new_web()
        .args([
            "--wait-for",
            "postgres:5432",
            "--log-sidecar",
            "--proxy",
            "--explain",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.starts_with("---\napiVersion:"));
    assert!(!stdout.contains("time ─"));
    settings("render").bind(|| {
        insta::assert_snapshot!("new-explain-deployment-1.37", stderr);
    });
}

#[test]
fn debug_prints_the_command_and_the_patch() {
    let command = podsmith()
        .args(["debug", "web-7d4b9c-x2x5q", "--target", "web", "-n", "shop"])
        .output()
        .unwrap();
    assert!(command.status.success());
    let stdout = String::from_utf8(command.stdout).unwrap();
    assert!(stdout.starts_with(
        "kubectl debug -it web-7d4b9c-x2x5q --namespace=shop --image=busybox:1.36.1 --container=debugger-"
    ));
    assert!(
        stdout.ends_with(" --target=web --profile=general\n"),
        "{stdout}"
    );

    let patch = podsmith()
        .args([
            "debug",
            "web-7d4b9c-x2x5q",
            "--target",
            "web",
            "--profile",
            "restricted",
        ])
        .arg("--patch")
        .output()
        .unwrap();
    assert!(patch.status.success());
    let body: serde_json::Value = serde_json::from_slice(&patch.stdout).unwrap();
    let container = &body["spec"]["ephemeralContainers"][0];
    assert!(container["name"].as_str().unwrap().starts_with("debugger-"));
    assert_eq!(container["targetContainerName"], "web");
    for forbidden in [
        "ports",
        "resources",
        "readinessProbe",
        "livenessProbe",
        "startupProbe",
    ] {
        assert!(container.get(forbidden).is_none(), "{forbidden}");
    }
    assert!(String::from_utf8(patch.stderr)
        .unwrap()
        .contains("--subresource=ephemeralcontainers"));

    for bad in [["debug", "Web_Pod"], ["debug", "web --target=x"]] {
        let output = podsmith().args(bad).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn exported_templates_render_and_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("tpl");
    let export = podsmith()
        .args(["templates", "export"])
        .arg(&templates)
        .output()
        .unwrap();
    assert!(export.status.success());
    assert!(templates.join("workloads/statefulset.yaml.tera").is_file());
    let again = podsmith()
        .args(["templates", "export"])
        .arg(&templates)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "refuses to overwrite");

    let new = |extra: &[&str]| {
        podsmith_new_web()
            .arg("--templates")
            .arg(&templates)
            .args(extra)
            .output()
            .unwrap()
    };
    let builtin = podsmith_new_web().output().unwrap();
    assert_eq!(
        new(&[]).stdout,
        builtin.stdout,
        "an unchanged copy renders the same"
    );

    // A team's change shows up in the output.
    let metadata = templates.join("_partials/metadata.yaml.tera");
    let text = std::fs::read_to_string(&metadata).unwrap();
    std::fs::write(
        &metadata,
        text.replace(
            "labels:\n",
            "annotations:\n  \"team\": \"payments\"\nlabels:\n",
        ),
    )
    .unwrap();
    let changed = new(&[]);
    assert!(changed.status.success());
    assert!(String::from_utf8(changed.stdout)
        .unwrap()
        .contains("\"team\": \"payments\""));

    // A template that renders something invalid is caught by the validator.
    let service = templates.join("resources/service.yaml.tera");
    let text = std::fs::read_to_string(&service).unwrap();
    std::fs::write(
        &service,
        text.replace("port: {{ port.port }}", "port: [{{ port.port }}"),
    )
    .unwrap();
    let invalid = new(&[]);
    assert_eq!(invalid.status.code(), Some(1));
    assert!(invalid.stdout.is_empty());

    // A template that does not parse: one line naming it, exit 2.
    std::fs::write(&service, "kind: {{ oops\n").unwrap();
    let broken = new(&[]);
    assert_eq!(broken.status.code(), Some(2));
    let stderr = String::from_utf8(broken.stderr).unwrap();
    assert!(
        stderr.starts_with("error: template `resources/service.yaml.tera`"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
