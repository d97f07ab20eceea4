//! The wizard driven through a pseudo-terminal, typing as a user would.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use rexpect::process::WaitStatus;

use crate::terminal::Terminal;

const BIN: &str = env!("CARGO_BIN_EXE_podsmith");

/// Starts podsmith on a terminal in `dir`, without colors.
fn spawn(dir: &Path, args: &[&str]) -> Terminal {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        // CI jobs set CI, under which podsmith never asks; these tests are about asking.
        .env_remove("CI");
    Terminal::spawn(command)
}

/// Waits for a question, then types an answer and Enter.
fn answer(p: &mut Terminal, question: &str, typed: &str) {
    p.exp_string(question).expect(question);
    p.send_line(typed).expect("typing");
}

/// Waits for a question, then presses keys (no Enter).
fn keys(p: &mut Terminal, question: &str, keys: &str) {
    p.exp_string(question).expect(question);
    p.send(keys).expect("typing");
}

/// Waits for the end and returns the rest of the output and the exit code; the terminal must be
/// back in line mode, as the shell needs it.
fn finish(p: &mut Terminal) -> (String, i32) {
    let rest = p.exp_eof().expect("podsmith ends");
    match p.wait() {
        WaitStatus::Exited(_, code) => {
            assert!(
                p.in_line_mode(),
                "the terminal is left in raw mode: {rest:?}"
            );
            (rest, code)
        }
        other => panic!("podsmith did not exit normally: {other:?}\n{rest}"),
    }
}

/// Every file under `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("folder entry").path())
                .map(|path| {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read(&path).expect("file"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn run_in(dir: &Path, args: &[String]) {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("podsmith runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn two_patterns_give_the_same_bytes_as_the_flags_and_the_spec_file() {
    let home = temp();
    let mut p = spawn(home.path(), &["new"]);
    answer(&mut p, "Name of the workload", "web");
    answer(
        &mut p,
        "Container image of the app",
        "ghcr.io/acme/web:1.4.2",
    );
    answer(&mut p, "Workload kind", ""); // deployment
    answer(&mut p, "Replicas", "2");
    answer(&mut p, "Ports the app listens on", "");
    default_settings(&mut p);
    answer(&mut p, "How locked down the app container runs", ""); // baseline
                                                                  // wait-for is second (after permissions), log-sidecar seventh.
    keys(&mut p, "Which patterns", "j jjjjj ");
    p.send_line("").expect("enter");
    answer(&mut p, "Dependencies to wait for", "postgres:5432");
    answer(&mut p, "Seconds to wait", "120");
    answer(&mut p, "Log file the app writes", "");
    answer(&mut p, "Kubernetes version", "");
    answer(&mut p, "Folder to write", "deploy");
    let summary = p.exp_string("Write these files").expect("summary");
    p.send_line("").expect("enter");
    let (rest, code) = finish(&mut p);
    assert_eq!(code, 0, "{summary}{rest}");

    for shown in [
        "1. wait-for-postgres",
        "2. log-sidecar",
        "native sidecar",
        "3. web",
        "app-logs (emptyDir)",
        "web: http 8080/TCP",
    ] {
        assert!(summary.contains(shown), "{shown:?} in {summary}");
    }
    assert!(
        !summary.contains("\u{1b}[1m") && !summary.contains("\u{1b}[3"),
        "NO_COLOR output has styles: {summary:?}"
    );

    let written = files(&home.path().join("deploy"));
    let names: Vec<&str> = written.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["deployment-web.yaml", "podsmith.yaml", "service-web.yaml"]
    );
    let mut manifests = written.clone();
    manifests.remove("podsmith.yaml");

    // The command line it printed writes the same manifests.
    let line = rest
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("podsmith new "))
        .unwrap_or_else(|| panic!("no command line in {rest}"));
    let words = shell_words::split(line).expect("a well-quoted command line");
    assert!(words.contains(&"--wait-timeout".to_string()), "{line}");
    let flags_home = temp();
    run_in(flags_home.path(), &words[1..]);
    assert_eq!(files(&flags_home.path().join("deploy")), manifests);

    // So does the spec file it saved.
    let spec_out = temp();
    let spec_file = home.path().join("deploy/podsmith.yaml");
    run_in(
        spec_out.path(),
        &[
            "render".into(),
            "-f".into(),
            spec_file.display().to_string(),
            "--output-dir".into(),
            "out".into(),
        ],
    );
    assert_eq!(files(&spec_out.path().join("out")), manifests);
}

/// Enter at the namespace, environment, Secret environment, requests and limits questions.
fn default_settings(p: &mut Terminal) {
    answer(p, "Namespace to put it in", "");
    answer(p, "Environment variable NAME=VALUE", "");
    answer(p, "Environment variable from a key of a Secret", "");
    answer(
        p,
        "ConfigMaps and Secrets whose every key becomes a variable",
        "",
    );
    answer(p, "CPU and memory the app is sure to get", "");
    answer(p, "CPU and memory the app may use at most", "");
}

/// `podsmith new` with everything but the name, the settings and patterns given as flags.
fn short_session(dir: &Path) -> Terminal {
    spawn(
        dir,
        &[
            "new",
            "--image",
            "nginx:1.27",
            "--kind",
            "pod",
            "--port",
            "8080",
            "--kube-version",
            "1.37",
            "--security",
            "baseline",
        ],
    )
}

#[test]
fn a_rejected_name_is_kept_for_correction_with_the_keys_a_shell_has() {
    let home = temp();
    let mut p = short_session(home.path());
    answer(&mut p, "Name of the workload", "Web_1");
    // (The prompt is drawn again at each key, so wait for the refusal itself.)
    p.exp_string("`Web_1`: a lowercase RFC 1123 label must consist of lower case")
        .expect("the rule is shown");
    p.exp_string("Name of the workload")
        .expect("the name is asked again");
    // The refused text is still there to correct: Home, Delete, `w` (`web_1`), End, two
    // Backspaces (`web`), three Lefts and `my-` (`my-web`), then Right (at the end already).
    p.send("\u{1b}[H\u{1b}[3~w\u{1b}[F\u{7f}\u{7f}")
        .expect("typing");
    p.send("\u{1b}[D\u{1b}[D\u{1b}[Dmy-\u{1b}[C")
        .expect("typing");
    p.send_line("").expect("enter");
    default_settings(&mut p);
    answer(&mut p, "Which patterns", "");
    answer(&mut p, "Folder to write", "");
    answer(&mut p, "Write these files", "");
    let (rest, code) = finish(&mut p);
    assert_eq!(code, 0, "{rest}");
    let spec = std::fs::read_to_string(home.path().join("my-web/podsmith.yaml")).expect("spec");
    assert!(spec.contains("name: my-web\n"), "{spec}");
    assert!(home.path().join("my-web/pod-my-web.yaml").is_file());
}

fn assert_cancelled(p: &mut Terminal, home: &Path) {
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(rest.contains("interrupted; nothing was written"), "{rest}");
    assert!(
        rest.contains("\u{1b}[?25h"),
        "cursor not shown again: {rest:?}"
    );
    let left: Vec<PathBuf> = std::fs::read_dir(home)
        .expect("home")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn esc_goes_back_and_quitting_by_choice_writes_nothing_with_exit_0() {
    let home = temp();
    let mut p = spawn(home.path(), &["new"]);
    answer(&mut p, "Name of the workload", "web");
    keys(&mut p, "Container image of the app", "\u{1b}");
    // Back at the name, which keeps the answer: Esc again offers to quit.
    keys(&mut p, "Name of the workload", "\u{1b}");
    answer(&mut p, "Quit without writing anything?", "y");
    let (rest, code) = finish(&mut p);
    assert_eq!(code, 0, "{rest}");
    assert!(rest.contains("Quit: nothing was written."), "{rest}");
    assert!(!rest.contains("error"), "{rest}");
    let left: Vec<PathBuf> = std::fs::read_dir(home.path())
        .expect("home")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn ctrl_c_at_the_summary_leaves_the_folder_empty() {
    let home = temp();
    let mut p = short_session(home.path());
    answer(&mut p, "Name of the workload", "web");
    default_settings(&mut p);
    answer(&mut p, "Which patterns", "");
    answer(&mut p, "Folder to write", "");
    p.exp_string("Write these files").expect("summary");
    p.send_control('c').expect("ctrl-c");
    assert_cancelled(&mut p, home.path());
}

#[test]
fn going_back_from_the_summary_changes_an_answer() {
    let home = temp();
    let mut p = short_session(home.path());
    answer(&mut p, "Name of the workload", "web");
    default_settings(&mut p);
    answer(&mut p, "Which patterns", "");
    answer(&mut p, "Folder to write", "first");
    keys(&mut p, "Write these files", "j"); // Change an answer
    p.send_line("").expect("enter");
    // Name, Image, Kind, Ports, Namespace, Environment, Environment from Secrets, Environment
    // from ConfigMaps and Secrets, Requests, Limits, Security, Patterns.
    keys(&mut p, "Which answer do you want to change", "jjjjjjjjjjj");
    p.send_line("").expect("enter");
    // Tick log-sidecar (seventh).
    keys(&mut p, "Which patterns", "jjjjjj ");
    p.send_line("").expect("enter");
    answer(
        &mut p,
        "Log file the app writes",
        "/var/log/nginx/access.log",
    );
    let summary = p.exp_string("Write these files").expect("summary again");
    assert!(summary.contains("log-sidecar"), "{summary}");
    p.send_line("").expect("enter");
    let (rest, code) = finish(&mut p);
    assert_eq!(code, 0, "{rest}");
    let spec = std::fs::read_to_string(home.path().join("first/podsmith.yaml")).expect("spec");
    assert!(spec.contains("type: log-sidecar"), "{spec}");
    assert!(spec.contains("path: /var/log/nginx/access.log"), "{spec}");
}

#[test]
fn existing_files_are_replaced_only_after_asking() {
    let home = temp();
    std::fs::create_dir(home.path().join("web")).expect("folder");
    std::fs::write(home.path().join("web/podsmith.yaml"), "keep me\n").expect("file");
    let mut p = short_session(home.path());
    answer(&mut p, "Name of the workload", "web");
    default_settings(&mut p);
    answer(&mut p, "Which patterns", "");
    answer(&mut p, "Folder to write", "");
    answer(&mut p, "Write these files", "");
    let question = p.exp_string("Replace?").expect("asks before replacing");
    assert!(question.contains("podsmith.yaml"), "{question}");
    p.send_control('c').expect("ctrl-c");
    let (rest, code) = finish(&mut p);
    assert_eq!(code, 130, "{rest}");
    assert_eq!(
        std::fs::read_to_string(home.path().join("web/podsmith.yaml")).expect("file"),
        "keep me\n"
    );
    assert!(!home.path().join("web/pod-web.yaml").exists());
}

#[test]
fn without_a_terminal_new_fails_at_once_with_the_scripted_form() {
    let home = temp();
    let output = Command::new(BIN)
        .arg("new")
        .current_dir(home.path())
        .env_remove("CI")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("podsmith runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "error: missing NAME and --image; no terminal to ask on: give the workload as flags: \
             podsmith new NAME --image IMAGE"
        ),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn without_a_terminal_a_plain_workload_renders_from_flags() {
    let output = Command::new(BIN)
        .args(["new", "web", "--image", "nginx:1.27"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("podsmith runs");
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("kind: Deployment"));
}
