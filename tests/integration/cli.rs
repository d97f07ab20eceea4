//! The command line as a user meets it: exit codes, one-line errors, files written or refused.

use crate::support::{podsmith, podsmith_new_web};

/// Runs `podsmith new` with `args` in `dir` and returns (exit code, stdout, stderr).
fn new_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = podsmith()
        .current_dir(dir)
        .arg("new")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn bad_input_is_one_line_naming_flag_value_and_rule_with_exit_2_and_nothing_written() {
    let cases: &[(&[&str], &str)] = &[
        (&["My_App", "--image", "nginx:1.27"], "invalid value `My_App` for `NAME`: a lowercase RFC 1123 label"),
        (&["web", "--image", "nginx:1.27", "--port", "0"], "invalid value `0` for `--port`: port must be a number from 1 to 65535"),
        (&["web", "--image", "nginx:1.27", "--port", "70000"], "invalid value `70000` for `--port`: port must be a number from 1 to 65535"),
        (&["web", "--image", "nginx:1.27", "--wait-for", "db:port"], "invalid value `db:port` for `--wait-for`: port must be a number from 1 to 65535"),
        (&["web", "--image", "nginx:1.27", "--wait-for", "db"], "invalid value `db` for `--wait-for`: must be HOST:PORT"),
        (&["web", "--image", ""], "invalid value `` for `--image`: an image is required"),
        (&["web", "--image", "nginx:1.27", "--container", "web=busybox:1.36"], "container name `web` is claimed twice: by the app (its container) and by --container"),
        (&["web", "--image", "nginx:1.27", "--port", "9113", "--adapter", "nginx"], "port `9113` is claimed twice: by the app and by --adapter"),
        (&["web", "--image", "nginx:1.27", "--port", "8080", "--port", "metrics=9090", "--adapter", "nginx"], "port name `metrics` is claimed twice: by the app and by --adapter"),
        (&["web", "--image", "nginx:1.27", "--kube-version", "1.20"], "invalid value `1.20` for `--kube-version`: must be a supported Kubernetes version, 1.27 to 1.37"),
        (&["web", "--image", "nginx:1.27", "--git-clone=--upload-pack=evil"], "invalid value `--upload-pack=evil` for `--git-clone`: must be a repository URL"),
        (&["web", "--image", "nginx:1.27", "--requests", "cpu=2", "--limits", "cpu=1"], "invalid value `2` for `--requests`: must be less than or equal to cpu limit of 1"),
        (&["web", "--image", "nginx:1.27", "--git-sync"], "`--git-sync` applies to `--git-clone`"),
        (&["web", "--image", "nginx:1.27", "--limits", "cpu=0,memory=1Gi"], "invalid value `0` for `--limits`: must be at least the cpu request, 100m by default (lower it with --requests)"),
        (&["web", "--image", "nginx:1.27", "--init", "a=busybox:1.36", "--init", "a=busybox:1.37"], "container name `a` is claimed twice: by --init and by another --init"),
        (&["web", "--image", "nginx:1.27", "--kind", "deploymnt"], "invalid value `deploymnt` for `--kind`: must be one of pod, deployment, statefulset, daemonset, job, cronjob"),
        (&["web", "--image", "nginx:1.27", "--output", "xml"], "invalid value `xml` for `--output`: must be one of yaml, json, kustomize (one file per resource goes into a folder with `--output-dir xml`)"),
        (&["web", "--image", "nginx:1.27", "--no-such-flag"], "unexpected argument `--no-such-flag` found"),
    ];
    for (args, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--output-dir", out.to_str().unwrap()]);
        let (code, stdout, stderr) = new_in(dir.path(), &all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
        assert_eq!(
            stderr.lines().count(),
            1,
            "{args:?}: one line, got {stderr}"
        );
        assert!(
            stderr.starts_with(&format!("error: {expected}")),
            "{args:?}: {stderr}"
        );
        assert!(!out.exists(), "{args:?}: nothing may be written");
    }
}

#[test]
fn out_dir_gets_one_file_per_resource() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = new_in(
        dir.path(),
        &[
            "web",
            "--image",
            "ghcr.io/acme/web:1.4.2",
            "--port",
            "8080",
            "--ambassador",
            "db.example.com:5432",
            "--output-dir",
            "deploy",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let mut names: Vec<_> = std::fs::read_dir(dir.path().join("deploy"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "configmap-web-ambassador.yaml",
            "deployment-web.yaml",
            "service-web.yaml"
        ]
    );
    let deployment =
        std::fs::read_to_string(dir.path().join("deploy/deployment-web.yaml")).unwrap();
    assert!(deployment.starts_with("apiVersion: apps/v1\nkind: Deployment\n"));
}

#[test]
fn existing_files_are_kept_unless_force() {
    let dir = tempfile::tempdir().unwrap();
    let deploy = dir.path().join("deploy");
    std::fs::create_dir(&deploy).unwrap();
    std::fs::write(deploy.join("deployment-web.yaml"), "mine\n").unwrap();
    let args = [
        "web",
        "--image",
        "ghcr.io/acme/web:1.4.2",
        "--port",
        "8080",
        "--output-dir",
        "deploy",
    ];

    let (code, _, stderr) = new_in(dir.path(), &args);
    assert_eq!(code, 2);
    assert!(stderr.contains("refusing to overwrite"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(deploy.join("deployment-web.yaml")).unwrap(),
        "mine\n"
    );
    assert!(
        !deploy.join("service-web.yaml").exists(),
        "nothing is written when one file is refused"
    );

    let mut forced = args.to_vec();
    forced.push("--force");
    let (code, _, stderr) = new_in(dir.path(), &forced);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(deploy.join("deployment-web.yaml"))
        .unwrap()
        .contains("kind: Deployment"));
    let leftovers: Vec<_> = std::fs::read_dir(&deploy)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".podsmith-")
        })
        .collect();
    assert!(leftovers.is_empty(), "no temporary files are left behind");
}

#[test]
fn stdout_is_the_stream_kubectl_applies() {
    let output = podsmith_new_web().args(["--log-sidecar"]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("---\napiVersion: apps/v1\nkind: Deployment\n"));
    assert_eq!(
        stdout.matches("\n---\n").count(),
        1,
        "a Deployment and a Service"
    );
    assert!(output.stderr.is_empty(), "no warnings for defaults");
}

#[test]
fn every_subcommand_documents_itself_with_examples() {
    let output = podsmith().args(["new", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--wait-for",
        "--git-clone",
        "--init-command",
        "--log-sidecar",
        "--ambassador",
        "--adapter",
        "--container",
        "--kube-version",
        "--output",
        "--output-dir",
        "--no-interactive",
        "--prune",
        "--force",
    ] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
    assert!(help.contains("Examples:"));
}

#[test]
fn usage_errors_from_the_parser_exit_2() {
    let output = podsmith()
        .args(["new", "web", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
