//! The runtime suite: rendered containers run in a simulated pod ([`pod`]) with the programs
//! their images provide, and each pattern is judged by what it does.
//!
//! It needs root (mount and PID namespaces) and Debian's busybox, netcat-openbsd, git, haproxy
//! and util-linux; `.ci/run` installs them. Without them each test prints SKIPPED, and fails
//! under `CI=true`. fluent-bit (the log shipper) and Envoy (the proxy) have no Debian 12 package:
//! their configurations are checked by the generate and validate suites only.

/// The DNS server the pod's resolver asks.
mod dns;
/// The images' stand-ins.
mod image;
/// The simulated pod.
mod pod;

use std::fs;
use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::time::Duration;

use dns::Dns;
use pod::{Pod, Running, RUN_LIMIT};

use crate::support::render;

/// How soon a helper must stop after SIGTERM: well inside Kubernetes' 30-second grace period,
/// so a pod or a Job with helpers ends promptly.
const STOP_WITHIN: Duration = Duration::from_secs(2);

/// How long a test waits for something that happens at once when the helper works.
const SOON: Duration = Duration::from_secs(10);

/// The search path the kubelet gives a pod in namespace `default`.
const RESOLV_CONF: &str = "search default.svc.cluster.local svc.cluster.local cluster.local\n\
                           nameserver 127.0.0.10\noptions ndots:5\n";

/// Whether the suite can run here: root, and the programs the images stand for. Says so loudly
/// when not, and fails under `CI=true`.
fn ready(programs: &[&str]) -> bool {
    let mut missing = Vec::new();
    if !nix::unistd::Uid::effective().is_root() {
        missing.push("root (for mount and PID namespaces)".to_string());
    }
    let tools = ["busybox", "unshare", "nsenter", "setpriv", "chroot", "ip"];
    for program in tools.iter().chain(programs) {
        if image::debian_program(program).is_none() {
            missing.push(format!("`{program}`"));
        }
    }
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "SKIPPED runtime test: needs {} (`.ci/run` installs them)",
        missing.join(", ")
    );
    eprintln!("{message}");
    assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "{message}");
    false
}

/// The pod of `command_line` (a `podsmith new` command line), with the cluster's resolver
/// answering only the names the test gives it.
fn pod(command_line: &str) -> (Pod, Dns) {
    let generated = render(command_line).expect("the test's workload renders");
    let mut pod = Pod::new(&generated);
    pod.set_resolv_conf(RESOLV_CONF);
    let socket = pod.in_net(|| UdpSocket::bind((dns::ADDRESS, 53)).expect("binds port 53"));
    (pod, Dns::serve(socket))
}

/// Sends SIGTERM once the helper handles it (or after a while, if it never does) and asserts
/// that it stops within [`STOP_WITHIN`].
fn assert_stops_on_sigterm(running: &mut Running) {
    running.wait_until_handling_sigterm(SOON);
    running.terminate();
    assert!(
        running.wait(STOP_WITHIN).is_some(),
        "`{}` still runs {STOP_WITHIN:?} after SIGTERM; its output:\n{}",
        running.name,
        running.output()
    );
}

#[test]
fn wait_for_fails_after_its_timeout() {
    if !ready(&["nc"]) {
        return;
    }
    let (mut pod, dns) =
        pod("new web --image example.test/app:1 --wait-for postgres:5432 --wait-timeout 1");
    dns.set("postgres.default.svc.cluster.local", Ipv4Addr::LOCALHOST);
    let mut wait = pod.run("wait-for-postgres");
    assert!(
        !wait.succeeded(),
        "nothing listens, yet:\n{}",
        wait.output()
    );
    assert!(
        wait.output()
            .contains("postgres:5432 not reachable after 1s"),
        "{}",
        wait.output()
    );
    let asked = dns.queries();
    assert!(
        asked
            .iter()
            .any(|name| name == "postgres.default.svc.cluster.local"),
        "the pod's search path was not used: {asked:?}"
    );
}

#[test]
fn wait_for_succeeds_once_the_port_opens() {
    if !ready(&["nc"]) {
        return;
    }
    let (mut pod, dns) =
        pod("new web --image example.test/app:1 --wait-for postgres:5432 --wait-timeout 60");
    dns.set("postgres.default.svc.cluster.local", Ipv4Addr::LOCALHOST);
    let mut wait = pod.start("wait-for-postgres");
    assert!(
        wait.wait_for_stdout("waiting for postgres:5432", SOON),
        "{}",
        wait.output()
    );
    let _postgres = pod.in_net(|| TcpListener::bind("127.0.0.1:5432").expect("binds 5432"));
    assert!(
        wait.wait(RUN_LIMIT).is_some_and(|s| s.success()),
        "{}",
        wait.output()
    );
    assert!(
        wait.stdout().contains("postgres:5432 is up"),
        "{}",
        wait.output()
    );
}

#[test]
fn wait_for_stops_on_sigterm() {
    if !ready(&["nc"]) {
        return;
    }
    let (mut pod, _dns) =
        pod("new web --image example.test/app:1 --wait-for postgres:5432 --wait-timeout 600");
    let mut wait = pod.start("wait-for-postgres");
    assert_stops_on_sigterm(&mut wait);
}

#[test]
fn log_sidecar_follows_the_file_across_a_rotation() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod("new web --image example.test/app:1 --log-sidecar");
    let logs = pod.volume("app-logs");
    fs::write(logs.join("app.log"), "before the rotation\n").expect("writes the log");
    let mut sidecar = pod.start("log-sidecar");
    assert!(
        sidecar.wait_for_stdout("before the rotation", SOON),
        "{}",
        sidecar.output()
    );
    fs::rename(logs.join("app.log"), logs.join("app.log.1")).expect("rotates the log");
    fs::write(logs.join("app.log"), "after the rotation\n").expect("writes the new log");
    assert!(
        sidecar.wait_for_stdout("after the rotation", SOON),
        "{}",
        sidecar.output()
    );
}

#[test]
fn log_sidecar_stops_on_sigterm() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod("new web --image example.test/app:1 --log-sidecar");
    let mut sidecar = pod.start("log-sidecar");
    assert_stops_on_sigterm(&mut sidecar);
}

/// A 1.28 Job whose app fails its first attempt and succeeds its second, logging each.
fn flaky_job(restart: &str) -> String {
    format!(
        "new report --image example.test/app:1 --kind job --kube-version 1.28 --restart {restart} \
         --log-sidecar --command -- sh -c 'n=$(cat /var/log/app/attempts 2>/dev/null || echo 0); \
         n=$((n + 1)); echo $n > /var/log/app/attempts; echo \"attempt $n\" >> /var/log/app/app.log; \
         [ $n -ge 2 ]'"
    )
}

#[test]
fn job_logs_of_every_attempt_are_shipped_with_restart_on_failure() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod(&flaky_job("OnFailure"));
    let mut sidecar = pod.start("log-sidecar");
    let mut first = pod.run("report");
    assert!(!first.succeeded(), "{}", first.output());
    assert!(
        sidecar.wait_for_stdout("attempt 1", SOON),
        "{}",
        sidecar.output()
    );
    // The kubelet restarts the app in this pod: the sidecar must stay for the next attempt.
    assert!(
        !pod.volume("podsmith-done").join("done").exists(),
        "a failed attempt created the done file"
    );
    let mut second = pod.run("report");
    assert!(second.succeeded(), "{}", second.output());
    assert!(
        sidecar.wait(SOON).is_some_and(|s| s.success()),
        "the sidecar did not stop after the app succeeded:\n{}",
        sidecar.output()
    );
    assert!(
        sidecar.stdout().contains("attempt 2"),
        "{}",
        sidecar.output()
    );
}

#[test]
fn job_logs_of_a_failed_attempt_are_shipped_with_restart_never() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod(&flaky_job("Never"));
    let mut sidecar = pod.start("log-sidecar");
    let mut first = pod.run("report");
    assert!(!first.succeeded(), "{}", first.output());
    // The attempt ends the pod; the Job starts the next one in a new pod.
    assert!(
        sidecar.wait(SOON).is_some_and(|s| s.success()),
        "the sidecar did not stop after the attempt:\n{}",
        sidecar.output()
    );
    assert!(
        sidecar.stdout().contains("attempt 1"),
        "{}",
        sidecar.output()
    );
}

#[test]
fn job_sidecar_before_native_sidecars_stops_on_sigterm() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod(&flaky_job("OnFailure"));
    let mut sidecar = pod.start("log-sidecar");
    assert_stops_on_sigterm(&mut sidecar);
}

#[test]
fn job_sidecar_as_native_sidecar_stops_on_sigterm() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod(&flaky_job("OnFailure").replace("1.28", "1.29"));
    let mut sidecar = pod.start("log-sidecar");
    assert_stops_on_sigterm(&mut sidecar);
}

#[test]
fn a_wrapped_job_command_receives_sigterm() {
    if !ready(&[]) {
        return;
    }
    let (mut pod, _dns) = pod(
        "new report --image example.test/app:1 --kind job --kube-version 1.28 --log-sidecar \
         --command -- sh -c 'trap \"echo report got SIGTERM; exit 0\" TERM; echo ready; \
         while true; do sleep 1 & wait $!; done'",
    );
    let mut app = pod.start("report");
    assert!(app.wait_for_stdout("ready", SOON), "{}", app.output());
    assert_stops_on_sigterm(&mut app);
    assert!(
        app.stdout().contains("report got SIGTERM"),
        "{}",
        app.output()
    );
}

#[test]
fn git_sync_stops_on_sigterm() {
    if !ready(&["git"]) {
        return;
    }
    let (mut pod, _dns) = pod(
        "new site --image example.test/app:1 --git-clone https://git.example.test/site.git \
         --git-sync 3600",
    );
    fs::create_dir_all(pod.volume("git-repo")).expect("the checkout folder");
    let mut sync = pod.start("git-sync");
    assert_stops_on_sigterm(&mut sync);
}
