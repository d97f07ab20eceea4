//! Output flags as kubectl and helm spell them, files as a shell would write them, and a
//! complete command that behaves the same on a terminal, in a pipe and in CI.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use rexpect::process::WaitStatus;

use crate::terminal::Terminal;

const BIN: &str = env!("CARGO_BIN_EXE_podsmith");
const WEB: [&str; 6] = ["new", "web", "--image", "nginx:1.27", "--port", "8080"];

/// Runs podsmith in `dir` under a POSIX shell with `umask`, without a terminal.
fn with_umask(dir: &Path, umask: &str, args: &[&str]) -> Output {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("CI");
    command.output().expect("sh runs podsmith")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    with_umask(dir, "022", args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("file").permissions().mode() & 0o777
}

/// The kubectl that checks manifests offline, or `None` (which fails under CI).
fn kubectl() -> Option<&'static str> {
    let found = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        crate::support::skip("kubectl is not installed (.ci/run installs it)");
        return None;
    }
    Some("kubectl")
}

/// The objects kubectl reads from `input` without a cluster, as `kind/name` lines.
fn kubectl_reads(kubectl: &str, input: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new(kubectl)
        .args(["label", "--local", "-f", "-", "-o", "name", "checked=yes"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kubectl runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "kubectl: {}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_is_what_kubectl_reads_and_says_the_same_as_the_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = run(dir.path(), &WEB);
    let json = run(dir.path(), &[&WEB[..], &["-o", "json"]].concat());
    assert!(json.status.success(), "{}", stderr(&json));
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON value");
    assert_eq!(list["kind"], "List");
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["items"][0]["kind"], "Deployment");
    assert_eq!(list["items"][1]["kind"], "Service");
    assert_eq!(list["items"][1]["spec"]["ports"][0]["port"], 8080);
    // One object alone is printed as itself.
    let pod = run(
        dir.path(),
        &[
            "new",
            "solo",
            "--image",
            "nginx:1.27",
            "--kind",
            "pod",
            "-o",
            "json",
        ],
    );
    let pod: serde_json::Value = serde_json::from_slice(&pod.stdout).expect("one JSON object");
    assert_eq!(pod["kind"], "Pod");
    // podsmith's own validator agrees the JSON is the same workload.
    let mut validate = Command::new(BIN);
    let checked = validate
        .args(["validate", "-"])
        .stdin(
            std::fs::File::open({
                let path = dir.path().join("web.json");
                std::fs::write(&path, &json.stdout).unwrap();
                path
            })
            .unwrap(),
        )
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", stderr(&checked));
    if let Some(kubectl) = kubectl() {
        let expected = "deployment.apps/web\nservice/web\n";
        assert_eq!(kubectl_reads(kubectl, &yaml.stdout), expected);
        assert_eq!(kubectl_reads(kubectl, &json.stdout), expected);
    }
}

#[test]
fn an_unknown_format_is_one_line_listing_the_formats() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &[&WEB[..], &["-o", "deploy/"]].concat(),
            "error: invalid value `deploy/` for `--output`: must be one of yaml, json, kustomize (one file \
             per resource goes into a folder with `--output-dir deploy/`)",
        ),
        (
            &["validate", "-o", "xml", "x.yaml"],
            "error: invalid value `xml` for `--output`: must be one of text, json, sarif, junit, github",
        ),
        (
            &["render", "spec.yaml", "--output", "toml"],
            "error: invalid value `toml` for `--output`: must be one of yaml, json, kustomize (one file per \
             resource goes into a folder with `--output-dir toml`)",
        ),
    ];
    for (args, expected) in cases {
        let output = run(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&output), format!("{expected}\n"), "{args:?}");
        assert!(output.stdout.is_empty());
    }
    assert!(!dir.path().join("deploy").exists());
}

#[test]
fn output_dir_writes_one_file_per_resource_in_the_format_asked() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[&WEB[..], &["-o", "json", "--output-dir", "out"]].concat(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let deployment = std::fs::read(dir.path().join("out/deployment-web.json")).unwrap();
    let deployment: serde_json::Value = serde_json::from_slice(&deployment).unwrap();
    assert_eq!(deployment["kind"], "Deployment");
    assert!(dir.path().join("out/service-web.json").exists());
}

#[test]
fn files_get_the_umask_and_force_keeps_a_files_mode() {
    let dir = tempfile::tempdir().unwrap();
    let args = [&WEB[..], &["--output-dir", "out"]].concat();
    let output = with_umask(dir.path(), "027", &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let deployment = dir.path().join("out/deployment-web.yaml");
    assert_eq!(mode(&deployment), 0o640, "0666 less the umask 027");
    std::fs::set_permissions(&deployment, std::fs::Permissions::from_mode(0o604)).unwrap();
    let forced = [&args[..], &["--force"]].concat();
    let output = with_umask(dir.path(), "077", &forced);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(mode(&deployment), 0o604, "--force keeps the mode");
    assert_eq!(mode(&dir.path().join("out/service-web.yaml")), 0o640);
    let other = tempfile::tempdir().unwrap();
    let output = with_umask(other.path(), "002", &args);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(mode(&other.path().join("out/deployment-web.yaml")), 0o664);
}

#[test]
fn files_no_longer_rendered_are_reported_and_pruned_only_when_podsmiths() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = run(
        dir.path(),
        &[
            &WEB[..],
            &["--output-dir", "out", "--log-shipper", "stdout"],
        ]
        .concat(),
    );
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        out.join("configmap-web-log-shipper.yaml").exists(),
        "{}",
        stderr(&first)
    );
    // Files podsmith did not write for `web` are never touched.
    let theirs = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: theirs\n  labels:\n    \
                  app.kubernetes.io/managed-by: podsmith\n    app.kubernetes.io/name: other\n";
    std::fs::write(out.join("configmap-theirs.yaml"), theirs).unwrap();
    std::fs::write(out.join("notes.yaml"), "just: notes\n").unwrap();

    // Without a port and the shipper: the Service and the ConfigMap are left over.
    let no_port = [
        "new",
        "web",
        "--image",
        "nginx:1.27",
        "--output-dir",
        "out",
        "--force",
    ];
    let second = run(dir.path(), &no_port);
    assert!(second.status.success(), "{}", stderr(&second));
    let report = stderr(&second);
    for stale in ["service-web.yaml", "configmap-web-log-shipper.yaml"] {
        assert!(
            report.contains(&format!(
                "warning: out/{stale} was written by podsmith for `web` and is no longer \
                 rendered; --prune deletes it"
            )),
            "{report}"
        );
        assert!(out.join(stale).exists(), "reported, not deleted");
    }
    assert!(
        !report.contains("theirs") && !report.contains("notes"),
        "{report}"
    );

    let pruned = run(dir.path(), &[&no_port[..], &["--prune"]].concat());
    assert!(pruned.status.success(), "{}", stderr(&pruned));
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["configmap-theirs.yaml", "deployment-web.yaml", "notes.yaml"]
    );
    assert!(stderr(&pruned).contains("removed out/service-web.yaml"));
}

#[test]
fn render_takes_the_spec_file_as_an_argument_or_with_f() {
    let dir = tempfile::tempdir().unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs/web.yaml");
    let spec = spec.to_str().unwrap();
    let positional = run(dir.path(), &["render", spec]);
    let flag = run(dir.path(), &["render", "-f", spec]);
    assert!(positional.status.success(), "{}", stderr(&positional));
    assert_eq!(positional.stdout, flag.stdout);
    let none = run(dir.path(), &["render"]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(stderr(&none).lines().count(), 1, "{}", stderr(&none));
}

/// Runs podsmith on a pseudo-terminal and returns what it printed (newlines as in a pipe) and
/// its exit code.
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> (String, i32) {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("CI");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut session = Terminal::spawn(command);
    let printed = session.exp_eof().expect("podsmith ends without asking");
    let code = match session.wait() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("podsmith did not exit normally: {other:?}"),
    };
    (printed.replace("\r\n", "\n"), code)
}

#[test]
fn a_complete_command_renders_the_same_on_a_terminal_and_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let piped = run(dir.path(), &WEB);
    assert!(piped.status.success());
    let (printed, code) = on_terminal(&WEB, &[]);
    assert_eq!(code, 0, "{printed}");
    assert_eq!(printed, String::from_utf8(piped.stdout).unwrap());
}

#[test]
fn no_interactive_and_ci_never_ask() {
    let expected =
        "error: missing --image; --no-interactive never asks: give the workload as flags";
    let (printed, code) = on_terminal(&["new", "web", "--no-interactive"], &[]);
    assert_eq!(code, 2, "{printed}");
    assert!(printed.starts_with(expected), "{printed}");
    let (printed, code) = on_terminal(&["new", "web"], &[("CI", "true")]);
    assert_eq!(code, 2, "{printed}");
    assert!(
        printed.starts_with("error: missing --image; CI is set, so podsmith never asks"),
        "{printed}"
    );
}

#[test]
fn validate_without_input_on_a_terminal_says_so_at_once() {
    let (printed, code) = on_terminal(&["validate"], &[]);
    assert_eq!(code, 2, "{printed}");
    assert!(
        printed.starts_with("error: no manifests to check: name files or folders"),
        "{printed}"
    );
}
