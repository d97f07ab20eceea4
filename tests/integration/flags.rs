//! Every flag of `podsmith new` with invalid values: each is refused before anything is
//! rendered, with one line naming the flag, the value and the rule (exit code 2). No user input
//! may reach "the rendered manifests have N validation errors".

use clap::{CommandFactory, Parser};
use podsmith::cli::Cli;
use podsmith::error::{Error, EXIT_USAGE};

use crate::support::{podsmith, render_words};

/// The app every case starts from.
const APP: &[&str] = &["new", "web", "--image", "nginx:1.27", "--port", "8080"];

/// `(flag, invalid values, flags the case needs besides)`. The flag is the one the error must
/// name; `NAME` is the positional workload name.
const CASES: &[(&str, &[&str], &[&str])] = &[
    (
        "NAME",
        &[
            "Web",
            "web_1",
            "web-",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            // The Service takes the workload's name, and a Service name starts with a letter.
            "1web",
            "9",
            "we\nb",
        ],
        &[],
    ),
    ("--image", &["", "nginx 1.27", ":1.27"], &[]),
    ("--kind", &["deploymnt", "service"], &[]),
    ("--replicas", &["-1", "three", "2147483648"], &[]),
    (
        "--port",
        &[
            "0",
            "70000",
            "http=",
            "Http=80",
            "8080/ICMP",
            "averyveryverylongname=80",
        ],
        &[],
    ),
    (
        "--namespace",
        &["Shop", "shop.prod", "-shop", "sh\nop"],
        &[],
    ),
    (
        "--label",
        &[
            "team",
            "team=pay ments",
            "a/b/c=x",
            "-x=y",
            "Example.com/team=x",
            "team=pay\nments",
            "te\tam=x",
        ],
        &[],
    ),
    (
        "--env",
        &["=x", "1A=x", "A B=x", ".=x", "..=x", "..A=x", "A\nB=x"],
        &["--kube-version", "1.31"],
    ),
    (
        "--env",
        &["A\tB=x", "É=x", "=x", "A\nB=x", "A\u{1b}[31m=x"],
        &["--kube-version", "1.37"],
    ),
    (
        "--env-secret",
        &[
            "PW",
            "PW=db",
            "PW=db:",
            "PW=:password",
            "=db:password",
            "1PW=db:password",
            "PW=Db:password",
            "PW=db_1:password",
            "PW=db:pass/word",
            "PW=db:..",
            "PW=db:..data",
            "A=db:password",
        ],
        &["--kube-version", "1.31", "--env", "A=1"],
    ),
    (
        "--env-from",
        &[
            "db",
            "cm:db",
            "secret:",
            "secret:Db",
            "configmap:db_settings",
            "secret:db/x",
            "secret:db",
        ],
        &["--env-from", "secret:db"],
    ),
    (
        "--requests",
        &["cpu=-1", "cpu=lots", "disk=1Gi", "cpu", "memory=1e1000Gi"],
        &[],
    ),
    ("--limits", &["memory=-5Mi", "memory=1MB", "gpu=1"], &[]),
    ("--health-path", &["healthz", "/health z"], &[]),
    ("--kube-version", &["1.26", "2.0", "latest"], &[]),
    (
        "--storage",
        &["0Gi", "lots", "1Gi@data", "-1Gi", "1Gi@/", "1Gi@//"],
        &["--kind", "statefulset"],
    ),
    (
        "--storage-class",
        &["Fast_SSD"],
        &["--kind", "statefulset", "--storage", "1Gi"],
    ),
    (
        "--schedule",
        &["* * * *", "61 * * * *", "@often"],
        &["--kind", "cronjob"],
    ),
    (
        "--backoff-limit",
        &["-1", "101", "many"],
        &["--kind", "job"],
    ),
    ("--restart", &["Always", "sometimes"], &["--kind", "job"]),
    ("--fs-group", &["0", "-1", "staff"], &[]),
    ("--security", &["privileged", "high"], &[]),
    ("--run-as-user", &["root", "-1", "1000:x", "1000:"], &[]),
    (
        "--writable",
        &["tmp", "/var/../etc", "/"],
        &["--read-only-root"],
    ),
    (
        "--log-shipper-secret",
        &["Bad_Secret", "es-creds"],
        &["--log-shipper", "stdout"],
    ),
    (
        "--wait-for",
        &["db", "db:0", "db:port", "my_db:5432", ":5432"],
        &[],
    ),
    (
        "--wait-timeout",
        &["0", "forever", "86401"],
        &["--wait-for", "db:5432"],
    ),
    ("--git-clone", &["--upload-pack=evil", "not a url", ""], &[]),
    (
        "--git-ref",
        &["-b", "a..b", "ref with space"],
        &["--git-clone", "https://github.com/acme/site.git"],
    ),
    (
        "--git-secret",
        &["Bad_Secret", "-key"],
        &["--git-clone", "https://github.com/acme/site.git"],
    ),
    (
        "--git-secret",
        &["site-key"],
        &["--git-clone", "git://git.example.com/site.git"],
    ),
    (
        "--git-mount",
        &["srv", "/srv/../etc", "/", "//"],
        &["--git-clone", "https://github.com/acme/site.git"],
    ),
    (
        "--git-sync",
        &["0", "86401", "often"],
        &["--git-clone", "https://github.com/acme/site.git"],
    ),
    ("--init-command", &[""], &[]),
    (
        "--init-image",
        &["bad image"],
        &["--init-command", "./migrate"],
    ),
    (
        "--init",
        &["seed", "Seed=busybox:1.36", "seed=bad image"],
        &[],
    ),
    ("--log-sidecar", &["app.log", "/var/log/"], &[]),
    // Two patterns that mount different volumes at one folder of the app.
    (
        "--log-sidecar",
        &["/etc/config/app.log", "/etc/config/"],
        &[
            "--config-reloader",
            "app-config",
            "--config-mount",
            "/etc/config",
        ],
    ),
    (
        "--log-sidecar",
        &["/srv/repo/app.log"],
        &["--git-clone", "https://github.com/acme/site.git"],
    ),
    (
        "--ambassador",
        &["db", "0=db:5432", "db:70000", "x=db:5432"],
        &[],
    ),
    ("--adapter", &["prometheus", ""], &[]),
    (
        "--adapter-scrape-port",
        &["0", "http"],
        &["--adapter", "nginx"],
    ),
    (
        "--log-shipper",
        &["splunk=x", "loki=ftp://x", "elasticsearch=es", ""],
        &[],
    ),
    (
        "--log-shipper-path",
        &["app.log", "/var/log/*/app.log"],
        &["--log-shipper", "stdout"],
    ),
    ("--proxy", &["0", "8080", "15000"], &[]),
    ("--config-reloader", &["App_Config", ""], &[]),
    (
        "--config-mount",
        &["etc", "/etc/../x", "/"],
        &["--config-reloader", "app-config"],
    ),
    (
        "--reload-url",
        &["ftp://x/-/reload", "reload"],
        &["--config-reloader", "app-config"],
    ),
    (
        "--volume-permissions",
        &[
            "1000",
            "0:0@/data",
            "a:b@/data",
            "1000:1000@data",
            "1000:1000@/",
        ],
        &[],
    ),
    (
        "--volume-permissions",
        &["1000:1000@/var/log/app", "1000:1000@/var/log/app/"],
        &["--log-sidecar"],
    ),
    (
        "--container",
        &[
            "worker",
            "Worker=busybox:1.36",
            "worker=bad image",
            "web=busybox:1.36",
        ],
        &[],
    ),
    (
        "--container-env",
        &[
            "QUEUE=jobs",
            "worker:QUEUE",
            "worker:=jobs",
            "web:QUEUE=jobs",
            "worker:A B=x",
            "worker:A=again",
        ],
        &[
            "--container",
            "worker=busybox:1.36",
            "--container-env",
            "worker:A=1",
            "--kube-version",
            "1.31",
        ],
    ),
    (
        "--container-env-secret",
        &[
            "TOKEN=api:token",
            "worker:TOKEN",
            "worker:TOKEN=api",
            "worker:TOKEN=Api:token",
            "worker:TOKEN=api:to/ken",
            "web:TOKEN=api:token",
        ],
        &["--container", "worker=busybox:1.36"],
    ),
];

/// Flags whose value is not the user's workload: output and interaction.
const NOT_WORKLOAD: &[&str] = &["--output", "--output-dir", "--templates"];

#[test]
fn every_value_flag_of_new_has_invalid_cases() {
    let mut cli = Cli::command();
    cli.build();
    let new = cli.find_subcommand("new").expect("a new subcommand");
    let mut checked = 0;
    for arg in new.get_arguments() {
        let takes_value = arg.get_action().takes_values();
        let Some(long) = arg.get_long().filter(|_| takes_value) else {
            continue;
        };
        let flag = format!("--{long}");
        checked += 1;
        assert!(
            NOT_WORKLOAD.contains(&flag.as_str()) || CASES.iter().any(|(f, _, _)| *f == flag),
            "no invalid values for {flag}: add a case"
        );
    }
    assert!(checked > 40, "only {checked} value flags found");
}

#[test]
fn every_invalid_value_is_one_line_naming_the_flag_and_value_with_exit_2() {
    let mut failures = Vec::new();
    for (flag, values, context) in CASES {
        for value in *values {
            let mut words: Vec<String> = APP.iter().map(|w| w.to_string()).collect();
            match *flag {
                "NAME" => words[1] = value.to_string(),
                "--image" => words[3] = value.to_string(),
                _ => words.push(format!("{flag}={value}")),
            }
            words.extend(context.iter().map(|w| w.to_string()));
            let command = words.join(" ");
            let parsed =
                Cli::try_parse_from(std::iter::once("podsmith".to_string()).chain(words.clone()));
            if let Err(error) = parsed {
                failures.push(format!("{command}: clap refused it: {error}"));
                continue;
            }
            let error = match render_words(&words) {
                Ok(_) => {
                    failures.push(format!("{command}: accepted"));
                    continue;
                }
                Err(error) => error,
            };
            let text = error.to_string();
            // The error names the flag and the part of the value that breaks the rule.
            let names_both = match &error {
                Error::InvalidValue {
                    field, value: part, ..
                } => field == flag && value.contains(part.as_str()),
                Error::Conflict { value: part, .. } => {
                    text.contains(flag) && value.contains(part.as_str())
                }
                Error::Usage(_) => text.contains(flag),
                _ => false,
            };
            if error.exit_code() != EXIT_USAGE || text.lines().count() != 1 || !names_both {
                failures.push(format!("{command}: {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn env_names_follow_the_target_version() {
    let words = |version: &str| -> Vec<String> {
        [APP, &["--env", "MY VAR=1", "--kube-version", version]]
            .concat()
            .iter()
            .map(|w| w.to_string())
            .collect()
    };
    assert!(render_words(&words("1.31")).is_err(), "strict before 1.32");
    render_words(&words("1.32")).expect("any printable ASCII but `=` from 1.32");
}

/// A name that starts with a digit is a workload name Kubernetes takes (`2024-backfill`); only
/// a workload with a Service in front, which takes the name, needs a letter first.
#[test]
fn a_digit_first_name_is_refused_only_where_a_service_takes_it() {
    let cases: &[(&[&str], bool)] = &[
        (&["--kind", "job"], false),
        (&["--kind", "cronjob", "--schedule", "0 3 * * *"], false),
        (&["--kind", "deployment"], false),
        (&["--kind", "deployment", "--port", "8080"], true),
        (&["--kind", "pod", "--port", "8080"], true),
    ];
    for (args, has_service) in cases {
        let output = podsmith()
            .args([
                "new",
                "2024-backfill",
                "--image",
                "ghcr.io/acme/report:1.0.0",
            ])
            .args(*args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        if *has_service {
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
            assert_eq!(
                stderr,
                "error: invalid value `2024-backfill` for `NAME`: must start with a letter: the \
                 workload's Service takes its name, and a Service name is a DNS-1035 label (e.g. \
                 `web`, `api-2`)\n",
                "{args:?}"
            );
        } else {
            assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
            assert!(
                stdout.contains("  name: 2024-backfill\n"),
                "{args:?}: {stdout}"
            );
            assert!(!stdout.contains("kind: Service\n"), "{args:?}: {stdout}");
        }
    }
}

/// The Kubernetes versions the binary is run at: the oldest supported, one before native
/// sidecars and env names relaxed (1.31), and the newest.
const VERSIONS: &[&str] = &["1.27", "1.31", "1.37"];

/// Input that used to pass every check and fail only after rendering (or render a Service
/// that targets the wrong container), and values with control characters: through the real
/// binary, at every version, each is one line on stderr naming the flag or claimants and the
/// value, exit code 2, and nothing written.
#[test]
fn clashes_and_control_characters_are_one_line_with_exit_2_at_every_version() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["1web", "--image", "nginx:1.27", "--port", "8080"],
            "invalid value `1web` for `NAME`: must start with a letter: the workload's Service takes its name",
        ),
        (
            &["web", "--image", "nginx:1.27", "--port", "8080", "--config-reloader", "cm", "--config-mount", "/var/log/app", "--log-sidecar"],
            "mount path `/var/log/app` is claimed twice: by --log-sidecar and by --config-reloader",
        ),
        (
            &["web", "--image", "nginx:1.27", "--port", "8080", "--git-clone", "https://github.com/a/b.git", "--git-mount", "/etc/config", "--config-reloader", "cm"],
            "mount path `/etc/config` is claimed twice: by --git-clone and by --config-reloader",
        ),
        (
            &["web", "--image", "nginx:1.27", "--volume-permissions", "1000:1000@/var/log/app", "--log-sidecar"],
            "mount path `/var/log/app` is claimed twice: by --volume-permissions and by --log-sidecar",
        ),
        (
            &["web", "--image", "nginx:1.27", "--port", "proxy=9090", "--proxy"],
            "port name `proxy` is claimed twice: by the app and by --proxy",
        ),
        (
            &["web", "--image", "nginx:1.27", "--port", "8080", "--port", "metrics=9090", "--adapter", "nginx"],
            "port name `metrics` is claimed twice: by the app and by --adapter",
        ),
        (
            &["web", "--image", "nginx:1.27", "--port", "8080", "--config-reloader", "cm", "--config-mount", "/"],
            "invalid value `/` for `--config-mount`: must not be the root folder",
        ),
        (
            &["web", "--image", "nginx:1.27", "--kind", "statefulset", "--storage", "1Gi@/"],
            "invalid value `/` for `--storage`: must not be the root folder",
        ),
        (
            &["web", "--image", "nginx:1.27", "--git-clone", "https://github.com/a/b.git", "--git-mount", "/"],
            "invalid value `/` for `--git-mount`: must not be the root folder",
        ),
        (
            &["web", "--image", "nginx:1.27", "-e", "A\nB=x"],
            "invalid value `A\\nB` for `--env`: ",
        ),
        (
            &["web", "--image", "nginx:1.27", "-n", "sh\nop"],
            "invalid value `sh\\nop` for `--namespace`: ",
        ),
        (
            &["web", "--image", "nginx:1.27", "-l", "team=pay\nments"],
            "invalid value `pay\\nments` for `--label`: ",
        ),
        (
            &["we\nb", "--image", "nginx:1.27"],
            "invalid value `we\\nb` for `NAME`: ",
        ),
    ];
    for version in VERSIONS {
        for (args, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let output = podsmith()
                .current_dir(dir.path())
                .arg("new")
                .args(*args)
                .args(["--kube-version", version, "--output-dir"])
                .arg(&out)
                .output()
                .unwrap();
            let stderr = String::from_utf8(output.stderr).unwrap();
            let at = format!("{args:?} at {version}");
            assert_eq!(output.status.code(), Some(2), "{at}: {stderr}");
            assert!(output.stdout.is_empty(), "{at}");
            assert_eq!(stderr.lines().count(), 1, "{at}: one line, got {stderr}");
            assert!(
                stderr.starts_with(&format!("error: {expected}")),
                "{at}: {stderr}"
            );
            assert!(!out.exists(), "{at}: nothing may be written");
        }
    }
}

/// Every pair of patterns that mount a folder in the app, both at the same folder, and every
/// app port name and number beside every pattern that listens or names a port, for each kind
/// of pod they make at each version: refused with one line and exit 2, or rendered clean;
/// never "the rendered manifests have N validation errors".
#[test]
fn overlapping_pattern_options_never_reach_the_validator() {
    let mounts: &[fn(&str) -> Vec<String>] = &[
        |p| vec!["--log-sidecar".into(), format!("{p}/app.log")],
        |p| {
            vec![
                "--config-reloader".into(),
                "cm".into(),
                "--config-mount".into(),
                p.into(),
            ]
        },
        |p| {
            vec![
                "--git-clone".into(),
                "https://github.com/a/b.git".into(),
                "--git-mount".into(),
                p.into(),
            ]
        },
        |p| vec!["--volume-permissions".into(), format!("1000:1000@{p}")],
        |p| {
            vec![
                "--log-shipper".into(),
                "stdout".into(),
                "--log-shipper-path".into(),
                format!("{p}/*.log"),
            ]
        },
        |p| vec!["--read-only-root".into(), "--writable".into(), p.into()],
    ];
    let folders = [
        "/var/log/app",
        "/etc/config",
        "/data",
        "/var/run/podsmith",
        "/tmp",
        "/srv/repo",
    ];
    let pods: &[&[&str]] = &[
        &["--kube-version", "1.37"],
        &["--kube-version", "1.27", "--kind", "job"],
        &[
            "--kube-version",
            "1.31",
            "--kind",
            "statefulset",
            "--storage",
            "1Gi@/data",
        ],
    ];
    let mut commands: Vec<Vec<String>> = Vec::new();
    for pod in pods {
        for (i, first) in mounts.iter().enumerate() {
            for second in &mounts[i + 1..] {
                for folder in folders {
                    let mut words: Vec<String> = APP.iter().map(|w| w.to_string()).collect();
                    words.extend(pod.iter().map(|w| w.to_string()));
                    words.extend(first(folder));
                    words.extend(second(folder));
                    commands.push(words);
                }
            }
        }
    }
    let listeners: &[&[&str]] = &[
        &["--proxy"],
        &["--proxy", "9090"],
        &["--adapter", "nginx"],
        &["--ambassador", "db:5432"],
        &["--git-clone", "https://github.com/a/b.git", "--git-sync"],
    ];
    for listener in listeners {
        for name in ["proxy", "metrics", "http", "admin", "envoy-admin"] {
            for number in ["80", "5432", "9090", "9113", "15000", "15001"] {
                for pod in ["1.27", "1.37"] {
                    let mut words: Vec<String> = ["new", "web", "--image", "nginx:1.27"]
                        .iter()
                        .map(|w| w.to_string())
                        .collect();
                    words.extend(["--kube-version".into(), pod.into()]);
                    words.extend(["--port".into(), format!("{name}={number}")]);
                    words.extend(listener.iter().map(|w| w.to_string()));
                    commands.push(words);
                }
            }
        }
    }
    let mut failures = Vec::new();
    for words in &commands {
        if let Err(error) = render_words(words) {
            let text = error.to_string();
            if error.exit_code() != EXIT_USAGE || text.lines().count() != 1 {
                failures.push(format!("{}: {text}", words.join(" ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
