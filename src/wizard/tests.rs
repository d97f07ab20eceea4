//! The wizard's flow, answered from a script.
//!
//! Long because each test scripts a whole conversation, answer by answer, as a user gives it.

use std::path::Path;

use super::prompter::scripted::{Answer, Scripted};
use super::*;
use crate::patterns::flags::PatternFlags;
use Answer::{Back, Cancel, Confirm, Pick, Picks, Text};

fn engine() -> Engine {
    Engine::builtin()
}

/// Runs the wizard on a script; the session must end by writing.
fn run_script(given: &NewArgs, script: Vec<Answer>) -> (Result<Session>, Scripted) {
    let (outcome, prompter) = run_to_end(given, script);
    let session = outcome.map(|session| session.expect("the script writes"));
    (session, prompter)
}

/// Runs the wizard on a script, however it ends.
fn run_to_end(given: &NewArgs, script: Vec<Answer>) -> (Result<Option<Session>>, Scripted) {
    let mut prompter = Scripted::new(script);
    let outcome = ask(given, &mut prompter, &engine(), false);
    (outcome, prompter)
}

/// Enter at the namespace, environment, Secret environment, environment sources, requests and
/// limits questions.
const DEFAULT_SETTINGS: [Answer; 6] = [Text(""), Text(""), Text(""), Text(""), Text(""), Text("")];

/// A Pod `web` of nginx on port 8080 for 1.37, written to `out`: only the settings, security
/// and patterns are left to ask.
fn pod_given() -> NewArgs {
    NewArgs {
        name: Some("web".into()),
        image: Some("nginx:1.27".into()),
        kind: Some("pod".into()),
        ports: vec!["8080".into()],
        kube_version: Some("1.37".into()),
        out: Some("out".into()),
        ..NewArgs::default()
    }
}

/// The ids of the patterns a session renders, in order.
fn pattern_ids(session: &Session) -> Vec<&'static str> {
    session.spec.pattern_ids().collect()
}

/// `prefix`, then the answers after it.
fn then(prefix: &[Answer], rest: &[Answer]) -> Vec<Answer> {
    prefix.iter().chain(rest).cloned().collect()
}

/// Answers for a Deployment `web` with wait-for and log-sidecar, written to `out`.
fn two_patterns(out: &'static str) -> Vec<Answer> {
    vec![
        Text("web"),
        Text("nginx:1.27"),
        Pick("deployment"),
        Text("2"),
        Text(""),
        Text(""),
        Text(""),
        Text(""),
        Text(""),
        Text(""),
        Text(""),
        Pick("baseline"),
        Picks(&["wait-for", "log-sidecar"]),
        Text("postgres:5432"),
        Text(""),
        Text("/var/log/nginx/access.log"),
        Pick("1.30"),
        Text(out),
        Pick("Write them"),
    ]
}

#[test]
fn answers_make_the_spec_of_the_equivalent_flags() {
    let (session, prompter) = run_script(&NewArgs::default(), two_patterns("deploy"));
    let session = session.unwrap();
    assert!(prompter.done());
    let flags = NewArgs {
        name: Some("web".into()),
        image: Some("nginx:1.27".into()),
        kind: Some("deployment".into()),
        replicas: Some("2".into()),
        ports: vec!["8080".into()],
        patterns: PatternFlags::default()
            .with("wait-for", "postgres:5432")
            .with("log-sidecar", "/var/log/nginx/access.log"),
        kube_version: Some("1.30".into()),
        out: Some("deploy".into()),
        ..NewArgs::default()
    };
    assert_eq!(session.spec, spec::from_flags(&flags).unwrap());
    assert_eq!(
        command_line(&session.answers),
        "podsmith new web --image nginx:1.27 --kind deployment --replicas 2 --kube-version 1.30 \
         --port 8080 --wait-for postgres:5432 --log-sidecar=/var/log/nginx/access.log --output-dir deploy"
    );
    assert_eq!(session.dir, Path::new("deploy"));
    assert!(!session.force);
}

#[test]
fn the_summary_lists_containers_in_start_order_and_shared_volumes() {
    let (session, prompter) = run_script(&NewArgs::default(), two_patterns("deploy"));
    session.unwrap();
    let summary = prompter
        .shown
        .iter()
        .find(|s| s.contains("Summary of web"))
        .unwrap();
    let order: Vec<usize> = [
        "1. wait-for-postgres",
        "2. log-sidecar        native sidecar",
        "3. web",
    ]
    .iter()
    .map(|line| {
        summary
            .find(line)
            .unwrap_or_else(|| panic!("{line} in {summary}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{summary}");
    assert!(
        summary.contains(
            "app-logs (emptyDir): log-sidecar -> /var/log/nginx (read-only), web -> /var/log/nginx"
        ) || summary
            .contains("app-logs (emptyDir): log-sidecar -> /var/log/nginx, web -> /var/log/nginx"),
        "{summary}"
    );
    assert!(summary.contains("web: http 8080/TCP"), "{summary}");
    assert!(summary.contains("podsmith.yaml"), "{summary}");
}

#[test]
fn an_invalid_name_is_refused_with_the_rule_and_asked_again() {
    let mut script = two_patterns("deploy");
    script.insert(0, Text("Web_1"));
    let (session, prompter) = run_script(&NewArgs::default(), script);
    assert_eq!(session.unwrap().spec.app.name, "web");
    assert_eq!(prompter.refused.len(), 1);
    assert!(
        prompter.refused[0].starts_with("`Web_1`: a lowercase RFC 1123 label"),
        "{:?}",
        prompter.refused
    );
}

#[test]
fn a_bad_port_in_a_list_names_the_port() {
    let mut script = two_patterns("deploy");
    script.insert(4, Text("8080, 70000"));
    let (session, prompter) = run_script(&NewArgs::default(), script);
    session.unwrap();
    assert_eq!(
        prompter.refused,
        ["`70000`: port must be a number from 1 to 65535"]
    );
}

#[test]
fn ctrl_c_stops_the_session() {
    let (outcome, _) = run_to_end(&NewArgs::default(), vec![Text("web"), Cancel]);
    assert!(matches!(outcome, Err(Error::Interrupted)));
}

#[test]
fn quit_from_the_summary_is_a_choice_not_an_error() {
    let mut script = two_patterns("deploy");
    script.pop();
    script.push(Pick("Quit"));
    let (outcome, _) = run_to_end(&NewArgs::default(), script);
    assert!(matches!(outcome, Ok(None)));
}

#[test]
fn esc_goes_back_one_question_keeping_the_answer_as_default() {
    let script = [Text("web"), Back, Text("shop"), Text("nginx:1.27")];
    let mut script = then(&script, &two_patterns("deploy")[2..]);
    // Esc at the schedule-free kind question goes back to the image.
    script.insert(4, Back);
    script.insert(5, Text(""));
    let (session, prompter) = run_script(&NewArgs::default(), script);
    let session = session.unwrap();
    assert!(prompter.done());
    assert_eq!(session.spec.app.name, "shop");
    assert_eq!(session.spec.app.image, "nginx:1.27");
    let asked: Vec<&str> = prompter.asked.iter().take(6).map(|q| &q[..9]).collect();
    assert_eq!(
        asked,
        [
            "Name of t",
            "Container",
            "Name of t",
            "Container",
            "Workload ",
            "Container"
        ]
    );
}

#[test]
fn esc_at_the_first_question_offers_to_quit() {
    let (outcome, prompter) = run_to_end(&NewArgs::default(), vec![Back, Confirm(true)]);
    assert!(matches!(outcome, Ok(None)));
    assert!(
        prompter.asked[1].contains("Quit without writing"),
        "{:?}",
        prompter.asked
    );
    // Saying no asks the first question again.
    let mut script = vec![Back, Confirm(false)];
    script.extend(two_patterns("deploy"));
    let (session, prompter) = run_script(&NewArgs::default(), script);
    assert_eq!(session.unwrap().spec.app.name, "web");
    assert!(prompter.done());
}

#[test]
fn environment_variables_are_asked_one_at_a_time_so_values_may_hold_commas() {
    let script = then(
        &[
            Text(""),
            Text("MODE=a,b"),
            Text("=x"),
            Text("LEVEL=info"),
            Text(""),
        ],
        &[
            Text("TOKEN=Api:token"),
            Text("LEVEL=api:token"),
            Text("TOKEN=api:token"),
            Text(""),
            Text("cm:settings"),
            Text("secret:db-credentials, configmap:settings"),
            Text(""),
            Text(""),
            Pick("baseline"),
            Picks(&[]),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&pod_given(), script);
    let session = session.unwrap();
    assert_eq!(session.answers.env, ["MODE=a,b", "LEVEL=info"]);
    assert_eq!(session.answers.env_secrets, ["TOKEN=api:token"]);
    assert_eq!(
        session.answers.env_from,
        ["secret:db-credentials", "configmap:settings"]
    );
    let line = command_line(&session.answers);
    assert!(
        line.contains("--env-from secret:db-credentials --env-from configmap:settings"),
        "{line}"
    );
    assert_eq!(
        session.spec,
        spec::from_flags(&NewArgs {
            env: vec!["MODE=a,b".into(), "LEVEL=info".into()],
            env_secrets: vec!["TOKEN=api:token".into()],
            env_from: vec!["secret:db-credentials".into(), "configmap:settings".into()],
            ..pod_given()
        })
        .unwrap()
    );
    let secret = session.spec.app.env[2].secret_key_ref.as_ref().unwrap();
    assert_eq!((&*secret.name, &*secret.key), ("api", "token"));
    assert_eq!(prompter.refused.len(), 4, "{:?}", prompter.refused);
    assert_eq!(
        prompter.refused[3],
        "`cm:settings`: must be configmap:NAME or secret:NAME, e.g. `secret:db-credentials`"
    );
    assert_eq!(prompter.refused[0], "`=x`: must be NAME=VALUE");
    assert!(
        prompter.refused[1].starts_with("`Api`: a Secret name: a lowercase RFC 1123 subdomain"),
        "{:?}",
        prompter.refused
    );
    assert_eq!(
        prompter.refused[2],
        "`LEVEL`: is set twice: the later one would hide the earlier"
    );
    assert!(
        command_line(&session.answers).contains("--env LEVEL=info --env-secret TOKEN=api:token"),
        "{}",
        command_line(&session.answers)
    );
}

/// Going back offers each variable again: Enter keeps one, `-` drops one.
#[test]
fn going_back_over_environment_variables_keeps_or_drops_each() {
    let script = then(
        &[
            Text(""),
            Text("MODE=a,b"),
            Text("LEVEL=info"),
            Text(""),
            Back,
        ],
        &[
            Text("-"),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Pick("baseline"),
            Picks(&[]),
        ],
    );
    let (session, _) = run_script(&pod_given(), then(&script, &[Pick("Write them")]));
    assert_eq!(session.unwrap().answers.env, ["LEVEL=info"]);
}

#[test]
fn an_image_that_needs_a_password_is_shown_the_variable_to_set_from_a_secret() {
    let given = NewArgs {
        image: Some("postgres:16".into()),
        ports: vec!["5432".into()],
        ..pod_given()
    };
    let script = then(
        &[
            Text(""),
            Text(""),
            Text("POSTGRES_PASSWORD=db:password"),
            Text(""),
        ],
        &[
            Text(""),
            Text(""),
            Text(""),
            Pick("baseline"),
            Picks(&[]),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&given, script);
    let session = session.unwrap();
    let question = prompter
        .asked
        .iter()
        .find(|q| q.contains("key of a Secret"))
        .unwrap();
    assert!(
        question.contains("e.g. POSTGRES_PASSWORD=SECRET:password"),
        "{question}"
    );
    let rendered = session.generated.rendered.stream();
    let env = rendered.split("env:").nth(1).unwrap_or_default();
    let words: Vec<&str> = env.split_whitespace().take(9).collect();
    assert_eq!(
        words,
        [
            "-",
            "name:",
            "POSTGRES_PASSWORD",
            "valueFrom:",
            "secretKeyRef:",
            "name:",
            "db",
            "key:",
            "password"
        ],
        "{rendered}"
    );
}

#[test]
fn namespace_and_resources_become_flags_only_when_they_differ_from_the_defaults() {
    let script = then(
        &[
            Text("shop"),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text("cpu=1,memory=1Gi"),
        ],
        &[Pick("baseline"), Picks(&[]), Pick("Write them")],
    );
    let (session, _) = run_script(&pod_given(), script);
    let session = session.unwrap();
    assert_eq!(session.spec.app.namespace.as_deref(), Some("shop"));
    let line = command_line(&session.answers);
    assert!(line.contains("--namespace shop"), "{line}");
    assert!(line.contains("--limits cpu=1,memory=1Gi"), "{line}");
    assert!(!line.contains("--requests"), "{line}");
}

#[test]
fn a_cronjob_asks_for_its_schedule() {
    let given = NewArgs {
        kind: Some("cronjob".into()),
        ..pod_given()
    };
    let script = then(
        &[Text("every hour"), Text("30 2 * * *")],
        &then(
            &DEFAULT_SETTINGS,
            &[Pick("baseline"), Picks(&[]), Pick("Write them")],
        ),
    );
    let (session, prompter) = run_script(&given, script);
    assert_eq!(
        session.unwrap().spec.app.schedule.as_deref(),
        Some("30 2 * * *")
    );
    assert_eq!(prompter.refused.len(), 1, "{:?}", prompter.refused);
}

#[test]
fn renaming_from_the_summary_moves_a_folder_named_after_the_workload() {
    let given = NewArgs {
        out: None,
        ..pod_given()
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("baseline"),
            Picks(&[]),
            Text(""),
            Pick("Change an answer"),
            Pick("Name"),
            Text("shop"),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&given, script);
    assert!(prompter.done());
    assert_eq!(session.unwrap().dir, Path::new("shop"));
}

#[test]
fn interactive_with_a_pattern_flag_still_asks_for_the_patterns() {
    let given = NewArgs {
        interactive: true,
        patterns: PatternFlags::default().with("wait-for", "db:5432"),
        ..pod_given()
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("baseline"),
            Picks(&["wait-for", "log-sidecar"]),
            Text(""),
            Text("/var/log/app/app.log"),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&given, script);
    assert!(prompter.done());
    let ids = pattern_ids(&session.unwrap());
    assert_eq!(ids, ["wait-for", "log-sidecar"]);
    assert!(
        !prompter
            .asked
            .iter()
            .any(|q| q.starts_with("Dependencies to wait for")),
        "{:?}",
        prompter.asked
    );
}

#[test]
fn changing_one_answer_from_the_summary_keeps_the_others() {
    let mut script = two_patterns("deploy");
    script.pop();
    script.extend([
        Pick("Change an answer"),
        Pick("Patterns"),
        Picks(&["log-sidecar", "adapter"]),
        Pick("nginx"),
        Text(""),
        Pick("Write them"),
    ]);
    let (session, prompter) = run_script(&NewArgs::default(), script);
    let session = session.unwrap();
    assert!(prompter.done());
    let ids: Vec<&str> = session.spec.pattern_ids().collect();
    assert_eq!(ids, ["log-sidecar", "adapter"]);
    assert_eq!(session.spec.app.replicas, Some(2));
    assert!(!session.answers.patterns.has("wait-for"));
}

#[test]
fn flags_given_are_not_asked_again() {
    let given = NewArgs {
        security: Some("baseline".into()),
        ..pod_given()
    };
    let script = then(&DEFAULT_SETTINGS, &[Picks(&[]), Pick("Write them")]);
    let (session, prompter) = run_script(&given, script);
    let spec = session.unwrap().spec;
    assert_eq!(spec.app.replicas, None);
    assert_eq!(
        spec.app.security.profile,
        crate::security::Profile::Baseline
    );
    let asked: Vec<&str> = prompter.asked.iter().map(|q| &q[..9]).collect();
    assert_eq!(
        asked,
        [
            "Namespace",
            "Environme",
            "Environme",
            "ConfigMap",
            "CPU and m",
            "CPU and m",
            "Which pat",
            "Write the"
        ]
    );
}

#[test]
fn existing_files_are_replaced_only_when_the_user_agrees() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(SPEC_FILE_NAME), "old").unwrap();
    let given = NewArgs {
        name: Some("web".into()),
        image: Some("nginx:1.27".into()),
        kind: Some("pod".into()),
        ports: vec!["8080".into()],
        kube_version: Some("1.37".into()),
        out: Some(dir.path().to_path_buf()),
        ..NewArgs::default()
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("baseline"),
            Picks(&[]),
            Pick("Write them"),
            Confirm(false),
            Pick("Change an answer"),
            Pick("Kubernetes version"),
            Pick("1.37"),
            Pick("Write them"),
            Confirm(true),
        ],
    );
    let (session, prompter) = run_script(&given, script);
    assert!(session.unwrap().force);
    assert!(prompter.done());
}

#[test]
fn git_sync_alone_asks_for_the_repository() {
    let given = NewArgs {
        name: Some("site".into()),
        ..pod_given()
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("baseline"),
            Picks(&["git-sync"]),
            Text("https://github.com/acme/site.git"),
            Text(""),
            Text(""),
            Text("30"),
            Pick("Write them"),
        ],
    );
    let (session, _) = run_script(&given, script);
    let ids = pattern_ids(&session.unwrap());
    assert_eq!(ids, ["git-clone", "git-sync"]);
}

#[test]
fn asks_only_when_name_or_image_is_missing_or_with_interactive() {
    let complete = NewArgs {
        name: Some("web".into()),
        image: Some("nginx:1.27".into()),
        ..NewArgs::default()
    };
    // (terminal, never_ask): a complete command line never asks.
    for (terminal, never_ask) in [(true, false), (false, false), (true, true), (false, true)] {
        assert!(!wanted(&complete, terminal, never_ask).unwrap());
    }
    let no_image = NewArgs {
        image: None,
        ..complete.clone()
    };
    assert!(wanted(&no_image, true, false).unwrap());
    let error = wanted(&no_image, false, false).unwrap_err().to_string();
    assert!(
        error.starts_with("missing --image; no terminal to ask on"),
        "{error}"
    );
    assert!(error.contains("podsmith new NAME --image IMAGE"), "{error}");
    let refused = NewArgs {
        no_interactive: true,
        ..NewArgs::default()
    };
    let error = wanted(&refused, true, true).unwrap_err().to_string();
    assert!(
        error.starts_with("missing NAME and --image; --no-interactive never asks"),
        "{error}"
    );
    let interactive = NewArgs {
        interactive: true,
        patterns: PatternFlags::default().with("wait-for", "db:5432"),
        ..complete
    };
    assert!(wanted(&interactive, true, false).unwrap());
    assert!(wanted(&interactive, false, false).is_err());
}

#[test]
fn before_native_sidecars_the_summary_shows_a_regular_sidecar() {
    let given = NewArgs {
        kube_version: Some("1.28".into()),
        patterns: PatternFlags::default().with("log-sidecar", "/var/log/app/app.log"),
        ..pod_given()
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("baseline"),
            Picks(&["log-sidecar"]),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&given, script);
    session.unwrap();
    let summary = &prompter.shown[0];
    let app = summary.find("1. web          app").expect(summary);
    let sidecar = summary.find("2. log-sidecar  sidecar").expect(summary);
    assert!(app < sidecar, "{summary}");
    assert!(summary.contains("Kubernetes 1.28"), "{summary}");
}

#[test]
fn restricted_asks_for_the_user_an_image_does_not_tell_and_the_folders_it_writes() {
    let given = NewArgs {
        image: Some("ghcr.io/acme/web:1.4.2".into()),
        ..pod_given()
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("restricted"),
            Text("nobody"),
            Text("0"),
            Text("10001:10001"),
            Text("/var/cache/web, cache"),
            Text("/var/cache/web"),
            Picks(&[]),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&given, script);
    let session = session.unwrap();
    assert!(prompter.done());
    assert_eq!(
        prompter.refused,
        [
            "`nobody`: must be a numeric UID[:GID], e.g. `1000` or `1000:3000`",
            "`0`: a locked-down app runs as a non-root user",
            "`cache`: must be an absolute path",
        ]
    );
    let security = &session.spec.app.security;
    assert_eq!(security.profile, crate::security::Profile::Restricted);
    assert_eq!(
        (security.run_as_user, security.run_as_group),
        (Some(10001), Some(10001))
    );
    assert_eq!(security.writable, ["/var/cache/web"]);
    let line = command_line(&session.answers);
    for flags in [
        "--security restricted --run-as-user 10001:10001 ",
        " --writable /var/cache/web ",
    ] {
        assert!(line.contains(flags), "{flags} in {line}");
    }
    // An image whose user podsmith knows is not asked about.
    let known = NewArgs {
        image: Some("postgres:16".into()),
        ..given
    };
    let script = then(
        &DEFAULT_SETTINGS,
        &[Pick("restricted"), Text(""), Picks(&[]), Pick("Write them")],
    );
    let (session, prompter) = run_script(&known, script);
    assert_eq!(session.unwrap().spec.app.security.run_as_user, None);
    assert!(prompter.done(), "{:?}", prompter.asked);
}

#[test]
fn storage_of_a_size_alone_goes_where_the_flags_put_it_and_says_where() {
    for (image, folder, warned) in [
        ("postgres:16", "/var/lib/postgresql/data", false),
        ("ghcr.io/acme/ledger:2", "/data", true),
    ] {
        let given = NewArgs {
            image: Some(image.into()),
            kind: Some("statefulset".into()),
            replicas: Some("1".into()),
            ..pod_given()
        };
        let script = then(
            &[Text("1Gi")],
            &then(
                &DEFAULT_SETTINGS,
                &[Pick("baseline"), Picks(&[]), Pick("Write them")],
            ),
        );
        let (session, prompter) = run_script(&given, script);
        let session = session.unwrap();
        let question = &prompter.asked[0];
        assert!(
            question.starts_with("Storage per pod") && question.contains(folder),
            "{question}"
        );
        let flags = NewArgs {
            storage: Some("1Gi".into()),
            ..given
        };
        assert_eq!(session.spec, spec::from_flags(&flags).unwrap(), "{image}");
        let stream = session.generated.rendered.stream();
        assert!(
            stream.contains(&format!("mountPath: {folder}\n")),
            "{image}: {stream}"
        );
        let summary = prompter
            .shown
            .iter()
            .find(|s| s.contains("Summary of web"))
            .unwrap();
        assert_eq!(
            summary.contains("podsmith does not know where"),
            warned,
            "{summary}"
        );
    }
}

#[test]
fn a_co_located_container_takes_variables_one_at_a_time_as_the_app_does() {
    let script = then(
        &DEFAULT_SETTINGS,
        &[
            Pick("baseline"),
            Picks(&["container"]),
            Text("worker=ghcr.io/acme/worker:1.4.2"),
            Text("web:QUEUE=jobs"),
            Text("worker:QUEUE=a,b"),
            Text(""),
            Text("worker:API_TOKEN=api:token"),
            Text(""),
            Pick("Write them"),
        ],
    );
    let (session, prompter) = run_script(&pod_given(), script);
    let session = session.unwrap();
    assert_eq!(
        prompter.refused,
        ["`web:QUEUE=jobs`: `web` is not a --container: give one of worker"]
    );
    let flags = NewArgs {
        patterns: PatternFlags::default()
            .with("container", "worker=ghcr.io/acme/worker:1.4.2")
            .with("container-env", "worker:QUEUE=a,b")
            .with("container-env-secret", "worker:API_TOKEN=api:token"),
        ..pod_given()
    };
    assert_eq!(session.spec, spec::from_flags(&flags).unwrap());
    let line = command_line(&session.answers);
    assert!(
        line.contains(
            "--container-env worker:QUEUE=a,b --container-env-secret worker:API_TOKEN=api:token"
        ),
        "{line}"
    );
}
