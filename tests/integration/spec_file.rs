//! `podsmith render -f` and `podsmith schema`: the spec file front end.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::support::NEW_WEB;

const BIN: &str = env!("CARGO_BIN_EXE_podsmith");

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/specs")
        .join(name)
}

fn podsmith(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("podsmith runs")
}

fn stdout_of(args: &[&str]) -> String {
    let output = podsmith(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn render_prints_what_the_equivalent_flags_print() {
    let spec = fixture("web.yaml");
    let from_spec = stdout_of(&["render", "-f", spec.to_str().unwrap()]);
    let from_flags = stdout_of(&[
        "new",
        "web",
        "--image",
        "ghcr.io/acme/web:1.4.2",
        "--replicas",
        "3",
        "--port",
        "8080",
        "-e",
        "LOG_LEVEL=info",
        "--env-secret",
        "DATABASE_PASSWORD=web-db:password",
        "--kube-version",
        "1.30",
        "--wait-for",
        "postgres:5432",
        "--wait-timeout",
        "120",
        "--init-command",
        "./manage.py migrate --noinput",
        "--log-sidecar",
        "/var/log/web/access.log",
    ]);
    assert_eq!(from_spec, from_flags);
    assert!(from_spec.contains("kind: Deployment"));
    // The password reaches the app and the init command from the Secret, never as a value.
    let from_secret = "- name: DATABASE_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: web-db\n      key: password\n";
    let unindented: String = from_spec
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    let reads = from_spec.matches("name: DATABASE_PASSWORD").count();
    assert_eq!(reads, 2, "{from_spec}");
    assert!(
        unindented.contains(
            &from_secret
                .lines()
                .map(|l| format!("{}\n", l.trim_start()))
                .collect::<String>()
        ),
        "{from_spec}"
    );
}

/// `podsmith render -f -` with `spec` on its standard input.
fn render_stdin(spec: impl Into<Vec<u8>>) -> Output {
    crate::support::podsmith()
        .args(["render", "-f", "-"])
        .write_stdin(spec)
        .output()
        .expect("podsmith runs")
}

/// `podsmith render -f -` of `text`: its exit code and stderr.
fn render_text(text: &str) -> (Option<i32>, String) {
    let output = render_stdin(text);
    assert!(output.stdout.is_empty());
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_env_var_takes_a_value_or_a_secret_key_each_checked() {
    let spec = |var: &str| {
        format!("version: 1\napp:\n  name: web\n  image: nginx:1.27\n  env:\n  - name: PW\n{var}")
    };
    let cases = [
        ("    value: x\n    secretKeyRef: {name: db, key: pw}\n", "invalid value `PW` for `app.env[0]`: give either `value` or `secretKeyRef`\n"),
        ("", "invalid value `PW` for `app.env[0]`: give either `value` or `secretKeyRef`\n"),
        ("    secretKeyRef: {name: DB, key: pw}\n", "invalid value `DB` for `app.env[0].secretKeyRef.name`: a Secret name: a lowercase RFC 1123 subdomain"),
        ("    secretKeyRef: {name: db, key: a/b}\n", "invalid value `a/b` for `app.env[0].secretKeyRef.key`: a Secret key: a valid config key"),
    ];
    for (var, expected) in cases {
        let (code, stderr) = render_text(&spec(var));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.starts_with("error: -:")
                && stderr.contains(expected)
                && stderr.lines().count() == 1,
            "{var}: {stderr}"
        );
    }
}

#[test]
fn an_unknown_key_names_the_line_and_the_likely_key() {
    let output = podsmith(&["render", "-f", fixture("typo.yaml").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.ends_with(
            "typo.yaml:7: unknown field `hots` in patterns[0] (wait-for); did you mean `host`?\n"
        ),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn render_into_a_folder_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = fixture("web.yaml");
    let out = dir.path().to_str().unwrap();
    let args = ["render", "-f", spec.to_str().unwrap(), "--output-dir", out];
    assert!(podsmith(&args).status.success());
    let before = std::fs::read(dir.path().join("deployment-web.yaml")).expect("written");

    let again = podsmith(&args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("refusing to overwrite"));

    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    assert!(podsmith(&forced).status.success());
    assert_eq!(
        std::fs::read(dir.path().join("deployment-web.yaml")).expect("written"),
        before
    );
}

#[test]
fn render_reads_stdin() {
    let spec = std::fs::read(fixture("web.yaml")).expect("fixture");
    let output = render_stdin(spec);
    assert!(output.status.success());
    let path = fixture("web.yaml");
    assert_eq!(
        String::from_utf8(output.stdout).expect("utf-8"),
        stdout_of(&["render", "-f", path.to_str().unwrap()])
    );
}

#[test]
fn schema_describes_the_spec_file() {
    let schema: serde_json::Value =
        serde_json::from_str(&stdout_of(&["schema"])).expect("the schema is JSON");
    assert_eq!(schema["title"], "Spec");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(required, ["version", "app"]);
    assert_eq!(schema["additionalProperties"], false);
    let text = schema.to_string();
    for pattern in [
        "wait-for",
        "git-clone",
        "log-sidecar",
        "ambassador",
        "adapter",
    ] {
        assert!(text.contains(&format!("\"{pattern}\"")), "{pattern}");
    }
}

#[test]
fn the_documented_example_renders() {
    let docs = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/spec-file.md"),
    )
    .expect("docs/spec-file.md");
    let example = docs
        .split("## Format (version 1)")
        .nth(1)
        .and_then(|format| format.split("```yaml\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("the format section has a yaml example");
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("podsmith.yaml");
    std::fs::write(&spec, example).expect("write");
    let stream = stdout_of(&["render", "-f", spec.to_str().unwrap()]);
    for container in [
        "wait-for-postgres",
        "ambassador",
        "git-clone",
        "init",
        "seed",
        "log-sidecar",
        "git-sync",
        "nginx-exporter",
        "worker",
    ] {
        assert!(
            stream.contains(&format!("name: {container}\n")),
            "{container}"
        );
    }
}

#[test]
fn env_sources_and_a_co_located_containers_env_render_as_their_flags_do() {
    let spec = "version: 1
app:
  name: web
  image: ghcr.io/acme/web:1.4.2
  ports:
  - containerPort: 8080
  envFrom:
  - secret: web-credentials
  - configMap: web-settings
patterns:
- type: container
  name: worker
  image: ghcr.io/acme/worker:1.4.2
  env:
  - name: QUEUE
    value: jobs
  - name: API_TOKEN
    secretKeyRef: {name: api, key: token}
";
    let output = render_stdin(spec);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_spec = String::from_utf8(output.stdout).expect("utf-8");
    let flags = [
        "--env-from",
        "secret:web-credentials",
        "--env-from",
        "configmap:web-settings",
        "--container",
        "worker=ghcr.io/acme/worker:1.4.2",
        "--container-env",
        "worker:QUEUE=jobs",
        "--container-env-secret",
        "worker:API_TOKEN=api:token",
    ];
    let from_flags = stdout_of(&[&NEW_WEB[..], &flags].concat());
    assert_eq!(from_spec, from_flags);
    let workload = crate::support::yaml12(&from_spec).remove(0);
    let containers = &workload["spec"]["template"]["spec"]["containers"];
    assert_eq!(
        containers[0]["envFrom"],
        serde_json::json!([
            {"secretRef": {"name": "web-credentials"}},
            {"configMapRef": {"name": "web-settings"}},
        ])
    );
    assert_eq!(
        containers[1]["env"],
        serde_json::json!([
            {"name": "QUEUE", "value": "jobs"},
            {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}},
        ])
    );
}

#[test]
fn env_sources_and_co_located_variables_are_checked_by_the_flags_rules() {
    let app = "version: 1\napp:\n  name: web\n  image: nginx:1.27\n";
    let worker = "patterns:\n- type: container\n  name: worker\n  image: busybox:1.36\n";
    let cases = [
        (format!("{app}  envFrom:\n  - secret: Web\n"), "invalid value `secret:Web` for `app.envFrom[0]`: a Secret name: a lowercase RFC 1123 subdomain"),
        (format!("{app}  envFrom:\n  - configMap: a\n  - configMap: a\n"), "invalid value `configmap:a` for `app.envFrom[1]`: is given twice"),
        (format!("{app}  envFrom:\n  - volume: a\n"), "app.envFrom"),
        (format!("{app}{worker}  env:\n  - name: A\n    value: x\n  - name: A\n    value: z\n"), "invalid value `A` for `patterns[0].env[1].name`: is set twice"),
        (format!("{app}{worker}  env:\n  - name: T\n    secretKeyRef: {{name: api, key: a/b}}\n"), "invalid value `a/b` for `patterns[0].env[0].secretKeyRef.key`: a Secret key"),
        (format!("{app}{worker}  envFrom:\n  - secret: A_B\n"), "invalid value `secret:A_B` for `patterns[0].envFrom[0]`: a Secret name"),
    ];
    for (text, expected) in cases {
        let (code, stderr) = render_text(&text);
        assert_eq!(code, Some(2), "{text}: {stderr}");
        assert!(
            stderr.contains(expected) && stderr.lines().count() == 1,
            "{text}: {stderr}"
        );
    }
}
