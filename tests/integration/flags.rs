//! Every flag of `podsmith new` with invalid values: each is refused before anything is
//! rendered, with one line naming the flag, the value and the rule (exit code 2). No user input
//! may reach "the rendered manifests have N validation errors".

use clap::{CommandFactory, Parser};
use podsmith::cli::Cli;
use podsmith::error::{Error, EXIT_USAGE};

use crate::support::render_words;

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
    ("--namespace", &["Shop", "shop.prod", "-shop"], &[]),
    (
        "--label",
        &[
            "team",
            "team=pay ments",
            "a/b/c=x",
            "-x=y",
            "Example.com/team=x",
        ],
        &[],
    ),
    (
        "--env",
        &["=x", "1A=x", "A B=x", ".=x", "..=x", "..A=x"],
        &["--kube-version", "1.31"],
    ),
    (
        "--env",
        &["A\tB=x", "É=x", "=x"],
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
        &["0Gi", "lots", "1Gi@data", "-1Gi"],
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
    ("--writable", &["tmp", "/var/../etc"], &["--read-only-root"]),
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
        &["srv", "/srv/../etc"],
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
        &["etc", "/etc/../x"],
        &["--config-reloader", "app-config"],
    ),
    (
        "--reload-url",
        &["ftp://x/-/reload", "reload"],
        &["--config-reloader", "app-config"],
    ),
    (
        "--volume-permissions",
        &["1000", "0:0@/data", "a:b@/data", "1000:1000@data"],
        &[],
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
