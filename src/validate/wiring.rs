//! Layer 3: pattern wiring. Checks that the containers of one pod work together the way their
//! pattern needs, which no schema checker or linter does: one network namespace (no two
//! containers on one port), volumes that hand data from one container to another, log sidecars
//! that read what the app writes, sidecars that let a Job finish, and wait-for init containers
//! that give up some day.
//!
//! What a container does is read from its command and arguments, so these rules look for
//! unambiguous signs only (`tail -F FILE`, `--listen-address=:9113`, `until nc -z ...`).
//!
//! A little over 400 lines: five short rules that share the reading of commands at the top
//! ([`Member`], `words`, `script`), which would otherwise be passed between modules.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Container;

use super::api::is_sidecar;
use super::locate::{index, key};
use super::object::{Parsed, PodOwner, PodScope};
use super::rules;
use super::Sink;
use crate::kube_version::KubeVersion;

/// Runs layer 3 on a parsed object.
pub(super) fn check(parsed: &Parsed, sink: &mut Sink) {
    let Some(pod) = parsed.pod() else {
        return;
    };
    port_conflicts(&pod, sink);
    init_volumes(&pod, sink);
    log_sidecars(&pod, sink);
    if pod.owner == PodOwner::Batch {
        job_sidecars(&pod, sink);
    }
    wait_for(&pod, sink);
}

/// A container of the pod with its path and role.
struct Member<'a> {
    container: &'a Container,
    path: String,
    /// A plain init container: runs to completion before the others start.
    init_only: bool,
}

fn members<'a>(pod: &PodScope<'a>) -> Vec<Member<'a>> {
    let init = pod
        .spec
        .init_containers
        .iter()
        .flatten()
        .enumerate()
        .map(|(at, c)| Member {
            container: c,
            path: index(&key(&pod.path, "initContainers"), at),
            init_only: !is_sidecar(c),
        });
    let regular = pod
        .spec
        .containers
        .iter()
        .enumerate()
        .map(|(at, c)| Member {
            container: c,
            path: index(&key(&pod.path, "containers"), at),
            init_only: false,
        });
    init.chain(regular).collect()
}

/// A word of a container's command or arguments: shell scripts split at white space and shell
/// punctuation. Borrowed, with its list and item, so the path is only written for a finding.
struct Word<'a> {
    text: &'a str,
    list: &'static str,
    at: usize,
}

impl Word<'_> {
    /// The path of the list item the word came from.
    fn path(&self, member: &Member) -> String {
        index(&key(&member.path, self.list), self.at)
    }
}

/// The words of a container's command and arguments, in order.
fn words<'a>(member: &Member<'a>) -> Vec<Word<'a>> {
    let mut out = Vec::new();
    for (list, items) in [
        ("command", &member.container.command),
        ("args", &member.container.args),
    ] {
        for (at, item) in items.iter().flatten().enumerate() {
            let split = item.split(|c: char| c.is_whitespace() || ";&|()'\"`".contains(c));
            out.extend(
                split
                    .filter(|text| !text.is_empty())
                    .map(|text| Word { text, list, at }),
            );
        }
    }
    out
}

/// Whether `text` holds `needle` (ASCII), in any case.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    position_ignore_case(text, needle).is_some()
}

/// Where `text` holds `needle` (ASCII), in any case.
fn position_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

fn script(container: &Container) -> String {
    let parts = container
        .command
        .iter()
        .flatten()
        .chain(container.args.iter().flatten());
    parts.cloned().collect::<Vec<_>>().join(" ")
}

/// The port of a listen address such as `:9113`, `0.0.0.0:8080` or `8080`.
fn address_port(text: &str) -> Option<i32> {
    let port = text.rsplit(':').next()?;
    port.parse::<i32>().ok().filter(|p| (1..=65535).contains(p))
}

/// Ports a container listens on according to its arguments: `--listen-address=:9113`,
/// `--port 8080`, socat's `TCP-LISTEN:5432,fork`.
fn listened_ports(member: &Member) -> Vec<(i32, &'static str, String)> {
    let words = words(member);
    let mut out = Vec::new();
    for (at, word) in words.iter().enumerate() {
        let text = word.text;
        if let Some(start) = position_ignore_case(text, "-listen:") {
            let rest = &text[start + "-listen:".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Some(port) = address_port(&digits) {
                let udp = contains_ignore_case(text, "udp");
                let protocol = if udp { "UDP" } else { "TCP" };
                out.push((port, protocol, word.path(member)));
            }
            continue;
        }
        let Some(flag) = text.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (flag, words.get(at + 1).map(|next| next.text)),
        };
        let name = name.to_ascii_lowercase();
        let listens = name.contains("listen")
            || ["port", "http-port", "metrics-port"].contains(&name.as_str());
        if let Some(port) = value.filter(|_| listens).and_then(address_port) {
            let protocol = if name.contains("udp") { "UDP" } else { "TCP" };
            out.push((port, protocol, word.path(member)));
        }
    }
    out
}

fn port_conflicts(pod: &PodScope, sink: &mut Sink) {
    let mut claimed: HashMap<(i32, String), String> = HashMap::new();
    for member in members(pod).iter().filter(|m| !m.init_only) {
        let name = member.container.name.as_str();
        let declared = member
            .container
            .ports
            .iter()
            .flatten()
            .enumerate()
            .map(|(at, port)| {
                let path = key(&index(&key(&member.path, "ports"), at), "containerPort");
                let protocol = port.protocol.clone().unwrap_or_else(|| "TCP".into());
                (port.container_port, protocol, path)
            });
        let listened = listened_ports(member)
            .into_iter()
            .map(|(port, protocol, path)| (port, protocol.to_string(), path));
        let mut own: Vec<(i32, String)> = Vec::new();
        for (port, protocol, path) in declared.chain(listened).collect::<Vec<_>>() {
            let claim = (port, protocol.clone());
            if own.contains(&claim) {
                continue;
            }
            own.push(claim.clone());
            match claimed.get(&claim) {
                Some(other) => sink.report(
                    &rules::PORT_CONFLICT,
                    &path,
                    format!(
                        "Invalid value: {port}: port {port}/{protocol} is also used by container {other:?}; the containers of a pod share one network namespace, so only one of them can listen on it"
                    ),
                ),
                None => {
                    claimed.insert(claim, name.to_string());
                }
            }
        }
    }
}

fn init_volumes(pod: &PodScope, sink: &mut Sink) {
    let members = members(pod);
    for volume in pod
        .spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| v.empty_dir.is_some())
    {
        let mounts: Vec<(&Member, usize, bool)> = members
            .iter()
            .flat_map(|m| {
                m.container
                    .volume_mounts
                    .iter()
                    .flatten()
                    .enumerate()
                    .filter_map(move |(at, mount)| {
                        (mount.name == volume.name).then_some((
                            m,
                            at,
                            mount.read_only == Some(true),
                        ))
                    })
            })
            .collect();
        if let [(member, at, read_only)] = mounts.as_slice() {
            if member.init_only && !read_only && !feeds_another_container(member, &members) {
                let path = key(&index(&key(&member.path, "volumeMounts"), *at), "name");
                sink.report(
                    &rules::INIT_VOLUME_UNUSED,
                    &path,
                    format!(
                        "emptyDir {:?} is filled by init container {:?}, but no app container mounts it, so what it writes is lost; mount it in the container that needs it",
                        volume.name, member.container.name
                    ),
                );
            }
        }
    }
}

/// Whether an init container shares another volume with a later container: its work reaches
/// the app there, and a volume only it mounts is its own state, kept for its next run (a clone's
/// repository beside the checkout it serves).
fn feeds_another_container(member: &Member, members: &[Member]) -> bool {
    let own: Vec<&str> = member
        .container
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| m.name.as_str())
        .collect();
    members
        .iter()
        .filter(|other| other.container.name != member.container.name)
        .flat_map(|other| other.container.volume_mounts.iter().flatten())
        .any(|mount| own.contains(&mount.name.as_str()))
}

/// The files a container follows with `tail -f`/`-F`, with the path of the item naming them.
fn tailed_files(member: &Member) -> Vec<(String, String)> {
    let words = words(member);
    let mut out = Vec::new();
    let mut at = 0;
    while at < words.len() {
        if words[at].text != "tail" {
            at += 1;
            continue;
        }
        let mut follow = false;
        let mut files = Vec::new();
        at += 1;
        while let Some(word) = words.get(at) {
            let text = word.text;
            if text.starts_with("--follow")
                || (text.starts_with('-') && !text.starts_with("--") && text.contains(['f', 'F']))
            {
                follow = true;
            } else if text.starts_with('/') {
                files.push(word);
            } else if !text.starts_with('-')
                && !text.starts_with('+')
                && !text.chars().all(|c| c.is_ascii_digit())
            {
                break;
            }
            at += 1;
        }
        if follow {
            out.extend(
                files
                    .into_iter()
                    .filter(|f| !f.text.starts_with("/dev/") && !f.text.starts_with("/proc/"))
                    .map(|f| (f.text.to_string(), f.path(member))),
            );
        }
    }
    out
}

fn within(file: &str, directory: &str) -> bool {
    let directory = directory.trim_end_matches('/');
    file.strip_prefix(directory)
        .is_some_and(|rest| rest.starts_with('/'))
}

fn log_sidecars(pod: &PodScope, sink: &mut Sink) {
    let members = members(pod);
    for member in members.iter().filter(|m| !m.init_only) {
        for (file, path) in tailed_files(member) {
            let mount = member
                .container
                .volume_mounts
                .iter()
                .flatten()
                .filter(|m| within(&file, &m.mount_path))
                .max_by_key(|m| m.mount_path.len());
            let name = &member.container.name;
            let message = match mount {
                None => format!(
                    "container {name:?} tails {file}, which is on no volume it shares with another container, so nothing else can write it; mount the app's log volume (an emptyDir) at the file's folder in both containers"
                ),
                Some(mount) => {
                    let shared = members.iter().any(|other| {
                        !std::ptr::eq(other.container, member.container)
                            && other.container.volume_mounts.iter().flatten().any(|m| m.name == mount.name)
                    });
                    if shared {
                        continue;
                    }
                    format!(
                        "container {name:?} tails {file} on volume {:?}, which no other container mounts, so nothing writes it; mount the volume where the app writes its log",
                        mount.name
                    )
                }
            };
            sink.report(&rules::LOG_PATH_UNSHARED, &path, message);
        }
    }
}

/// Whether a script stops once a file appears: the documented way to let a Job complete with a
/// regular-container sidecar (the app creates the file when it is done).
fn exits_when_file_appears(script: &str) -> bool {
    [
        "until [ -e ",
        "until [ -f ",
        "while [ ! -e ",
        "while [ ! -f ",
    ]
    .iter()
    .any(|loop_start| script.contains(loop_start))
        && (script.contains("exit") || script.contains("kill"))
}

/// Why a container never exits on its own, if it clearly does not.
fn runs_forever(member: &Member) -> Option<&'static str> {
    let script = script(member.container);
    if exits_when_file_appears(&script) {
        return None;
    }
    if !tailed_files(member).is_empty() || script.contains("tail -f /dev/null") {
        return Some("it follows a file with `tail -f`");
    }
    if script.contains("sleep infinity") {
        return Some("it runs `sleep infinity`");
    }
    let endless = ["while true", "while :", "while [ 1 ]"]
        .iter()
        .any(|l| script.contains(l));
    if endless && !script.contains("break") && !script.contains("exit") {
        return Some("it loops `while true` with no way out");
    }
    None
}

fn job_sidecars(pod: &PodScope, sink: &mut Sink) {
    if pod.spec.containers.len() < 2 {
        return;
    }
    let version = sink.version();
    for member in members(pod)
        .iter()
        .filter(|m| !m.init_only && m.path.contains(".containers["))
    {
        let Some(why) = runs_forever(member) else {
            continue;
        };
        let advice = if version.native_sidecars_by_default() {
            "make it a native sidecar: move it to initContainers with restartPolicy: Always"
                .to_string()
        } else {
            format!(
                "native sidecars need Kubernetes {} or later (target: {version}), so have the main container tell it to exit when done",
                KubeVersion::NATIVE_SIDECARS
            )
        };
        sink.report(
            &rules::JOB_REGULAR_SIDECAR,
            &member.path,
            format!(
                "container {:?} never exits ({why}), so the Job never completes; {advice}",
                member.container.name
            ),
        );
    }
}

fn wait_for(pod: &PodScope, sink: &mut Sink) {
    if pod.deadline || pod.spec.active_deadline_seconds.is_some() {
        return;
    }
    for member in members(pod).iter().filter(|m| m.init_only) {
        let script = script(member.container);
        let loops = script.contains("until ") || script.contains("while ");
        let probes = [
            "nc ",
            "pg_isready",
            "nslookup",
            "curl ",
            "wget ",
            "redis-cli",
            "mysqladmin",
        ]
        .iter()
        .any(|tool| script.contains(tool));
        if !loops || !probes {
            continue;
        }
        let bounded = [
            "timeout", "deadline", "date +%s", "SECONDS", "$((", "seq ", "-ge ", "-gt ", "-lt ",
            "-le ", "attempt", "retries", "tries",
        ]
        .iter()
        .any(|sign| script.contains(sign));
        if !bounded {
            let list = if member
                .container
                .args
                .iter()
                .flatten()
                .any(|a| a.contains("until ") || a.contains("while "))
            {
                "args"
            } else {
                "command"
            };
            sink.report(
                &rules::WAIT_FOR_TIMEOUT,
                &key(&member.path, list),
                format!(
                    "init container {:?} waits in a loop with no deadline, so if the dependency never answers the pod hangs in Init forever; bound the wait (for example `timeout 300 sh -c '...'`) or set activeDeadlineSeconds",
                    member.container.name
                ),
            );
        }
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn init_volume_unused() {
        let text = include_str!("../../tests/fixtures/invalid/init-volume-unused.yaml");
        assert_eq!(
            only(text, "init-volume-unused"),
            vec![
            (16, "spec.initContainers[0].volumeMounts[0].name".to_string(), "emptyDir \"site\" is filled by init container \"git-clone\", but no app container mounts it, so what it writes is lost; mount it in the container that needs it".to_string())
            ]
        );
    }

    #[test]
    fn init_volume_unused_spares_the_state_of_an_init_container_that_feeds_the_app() {
        let text = "apiVersion: v1
kind: Pod
metadata:
  name: site
spec:
  initContainers:
    - name: git-clone
      image: alpine/git:2.45.2
      volumeMounts:
        - name: checkout
          mountPath: /repo
        - name: repository
          mountPath: /git
  containers:
    - name: web
      image: nginx:1.27
      volumeMounts:
        - name: checkout
          mountPath: /usr/share/nginx/html
          readOnly: true
  volumes:
    - name: checkout
      emptyDir: {}
    - name: repository
      emptyDir: {}
";
        assert_eq!(only(text, "init-volume-unused"), vec![]);
    }

    #[test]
    fn job_regular_sidecar_before_native_sidecars() {
        let text = include_str!(
            "../../tests/fixtures/invalid/job-regular-sidecar--before-native-sidecars.yaml"
        );
        assert_eq!(
            only(text, "job-regular-sidecar"),
            vec![
            (33, "spec.template.spec.containers[1]".to_string(), "container \"log-tailer\" never exits (it follows a file with `tail -f`), so the Job never completes; native sidecars need Kubernetes 1.29 or later (target: 1.28), so have the main container tell it to exit when done".to_string())
            ]
        );
    }

    #[test]
    fn job_regular_sidecar() {
        let text = include_str!("../../tests/fixtures/invalid/job-regular-sidecar.yaml");
        assert_eq!(
            only(text, "job-regular-sidecar"),
            vec![
            (32, "spec.template.spec.containers[1]".to_string(), "container \"log-tailer\" never exits (it follows a file with `tail -f`), so the Job never completes; make it a native sidecar: move it to initContainers with restartPolicy: Always".to_string())
            ]
        );
    }

    #[test]
    fn log_path_unshared() {
        let text = include_str!("../../tests/fixtures/invalid/log-path-unshared.yaml");
        assert_eq!(
            only(text, "log-path-unshared"),
            vec![
            (37, "spec.containers[1].command[3]".to_string(), "container \"log-tailer\" tails /var/log/app/app.log, which is on no volume it shares with another container, so nothing else can write it; mount the app's log volume (an emptyDir) at the file's folder in both containers".to_string())
            ]
        );
    }

    #[test]
    fn port_conflict() {
        let text = include_str!("../../tests/fixtures/invalid/port-conflict.yaml");
        assert_eq!(
            only(text, "port-conflict"),
            vec![
            (39, "spec.containers[1].ports[0].containerPort".to_string(), "Invalid value: 8080: port 8080/TCP is also used by container \"app\"; the containers of a pod share one network namespace, so only one of them can listen on it".to_string())
            ]
        );
    }

    #[test]
    fn wait_for_timeout() {
        let text = include_str!("../../tests/fixtures/invalid/wait-for-timeout.yaml");
        assert_eq!(
            only(text, "wait-for-timeout"),
            vec![
            (11, "spec.initContainers[0].command".to_string(), "init container \"wait-for-db\" waits in a loop with no deadline, so if the dependency never answers the pod hangs in Init forever; bound the wait (for example `timeout 300 sh -c '...'`) or set activeDeadlineSeconds".to_string())
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Container;

    use super::{listened_ports, runs_forever, tailed_files, Member};

    fn member(command: &[&str], args: &[&str]) -> Container {
        Container {
            name: "c".into(),
            command: Some(command.iter().map(|s| s.to_string()).collect()),
            args: Some(args.iter().map(|s| s.to_string()).collect()),
            ..Container::default()
        }
    }

    fn with<T>(container: &Container, f: impl Fn(&Member) -> T) -> T {
        f(&Member {
            container,
            path: "spec.containers[0]".into(),
            init_only: false,
        })
    }

    #[test]
    fn reads_listen_flags() {
        let c = member(
            &[],
            &[
                "--web.listen-address=:9113",
                "--port",
                "8080",
                "--statsd.listen-udp=127.0.0.1:9125",
            ],
        );
        let ports: Vec<(i32, &str)> = with(&c, |m| {
            listened_ports(m)
                .into_iter()
                .map(|(p, proto, _)| (p, proto))
                .collect()
        });
        assert_eq!(ports, vec![(9113, "TCP"), (8080, "TCP"), (9125, "UDP")]);
        let socat = member(
            &["socat"],
            &["TCP-LISTEN:5432,fork,reuseaddr", "TCP:db.example.com:5432"],
        );
        assert_eq!(with(&socat, |m| listened_ports(m).len()), 1);
        // socat reads address types in any case; the finding points at the item.
        let lower = member(&["socat"], &["-d", "udp4-listen:53,fork", "tcp:dns:53"]);
        assert_eq!(
            with(&lower, listened_ports),
            vec![(53, "UDP", "spec.containers[0].args[1]".to_string())]
        );
        let scrape = member(
            &[],
            &["--nginx.scrape-uri=http://localhost:8080/stub_status"],
        );
        assert!(with(&scrape, |m| listened_ports(m).is_empty()));
    }

    #[test]
    fn reads_followed_files() {
        let tail = member(&["sh", "-c", "tail -n 100 -F /var/log/app/app.log"], &[]);
        let files: Vec<String> = with(&tail, |m| {
            tailed_files(m).into_iter().map(|(f, _)| f).collect()
        });
        assert_eq!(files, vec!["/var/log/app/app.log"]);
        let once = member(&["tail", "-n", "5", "/var/log/app/app.log"], &[]);
        assert!(with(&once, |m| tailed_files(m).is_empty()));
        let idle = member(&["tail", "-f", "/dev/null"], &[]);
        assert!(with(&idle, |m| tailed_files(m).is_empty()));
        assert!(with(&idle, runs_forever).is_some());
    }

    #[test]
    fn knows_loops_that_end() {
        let endless = member(
            &["sh", "-c", "while true; do git pull; sleep 60; done"],
            &[],
        );
        assert!(with(&endless, runs_forever).is_some());
        let bounded = member(
            &[
                "sh",
                "-c",
                "while true; do [ -e /done ] && exit 0; sleep 1; done",
            ],
            &[],
        );
        assert!(with(&bounded, runs_forever).is_none());
        let app = member(&["bin/migrate"], &[]);
        assert!(with(&app, runs_forever).is_none());
    }
}
