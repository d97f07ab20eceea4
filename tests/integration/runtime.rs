//! The runtime suite: rendered containers run in a simulated pod ([`pod`]) with the programs
//! their images provide, and each pattern is judged by what it does.
//!
//! It needs root (mount and PID namespaces) and Debian's busybox, netcat-openbsd, git, haproxy,
//! util-linux, and for the app images redis-server, postgresql-15, nginx, bash and gosu; `.ci/run`
//! installs them. Without them each test prints SKIPPED, and fails under `CI=true`. fluent-bit (the
//! log shipper) and Envoy (the proxy) have no Debian 12 package: their configurations are checked
//! by the generate and validate suites only.
//!
//! Over 400 lines: one section per pattern (wait-for, log sidecar, Job, git, ambassador), its
//! helpers before its tests, after the pod set-up they all share.

/// The app container of the images podsmith knows.
mod apps;
/// A container of the pod while it runs.
mod container;
/// The DNS server the pod's resolver asks.
mod dns;
/// The images' stand-ins.
mod image;
/// The simulated pod.
mod pod;
/// A git repository served inside the pod's network.
mod remote;
/// A container's root filesystem.
mod root;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use container::Running;
use dns::Dns;
use pod::{Pod, RUN_LIMIT};
use remote::{served, Remote};

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
    crate::support::skip(&format!(
        "runtime test: needs {} (`.ci/run` installs them)",
        missing.join(", ")
    ));
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

/// A site cloned from [`remote::URL`] at `git_ref` (the remote's HEAD when empty), synced
/// every second.
fn site(git_ref: &str) -> String {
    let git_ref = if git_ref.is_empty() {
        String::new()
    } else {
        format!("--git-ref {git_ref}")
    };
    format!(
        "new site --image example.test/app:1 --git-clone {} {git_ref} --git-sync 1 \
         --git-mount /usr/share/nginx/html",
        remote::URL
    )
}

/// Runs git-clone and asserts that it succeeds, leaving no `.git` where the app serves files.
fn clone(pod: &mut Pod) -> Running {
    let mut clone = pod.run("git-clone");
    assert!(clone.succeeded(), "{}", clone.output());
    let entries: Vec<_> = fs::read_dir(pod.volume("git-repo"))
        .expect("the checkout")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert!(
        !entries.iter().any(|name| name == ".git"),
        "the app would serve the repository: {entries:?}"
    );
    clone
}

#[test]
fn git_clone_checks_out_a_branch_and_git_sync_follows_it() {
    if !ready(&["git"]) {
        return;
    }
    let (mut pod, dns) = pod(&site("main"));
    let remote = Remote::new();
    remote.commit("version 1");
    remote.serve(&mut pod, &dns);
    clone(&mut pod);
    let checkout = pod.volume("git-repo");
    assert_eq!(served(&checkout), "version 1");
    let mut sync = pod.start("git-sync");
    let second = remote.commit("version 2");
    assert!(
        sync.wait_for_stdout(&format!("at {second}"), SOON),
        "{}",
        sync.output()
    );
    assert_eq!(served(&checkout), "version 2");
    assert_stops_on_sigterm(&mut sync);
}

#[test]
fn git_clone_checks_out_a_tag() {
    if !ready(&["git"]) {
        return;
    }
    let (mut pod, dns) = pod(&site("v1"));
    let remote = Remote::new();
    remote.commit("version 1");
    remote.tag("v1");
    remote.commit("version 2");
    remote.serve(&mut pod, &dns);
    clone(&mut pod);
    assert_eq!(served(&pod.volume("git-repo")), "version 1");
}

#[test]
fn git_clone_checks_out_a_full_commit_sha() {
    if !ready(&["git"]) {
        return;
    }
    let remote = Remote::new();
    let first = remote.commit("version 1");
    remote.commit("version 2");
    let (mut pod, dns) = pod(&site(&first));
    remote.serve(&mut pod, &dns);
    let clone = clone(&mut pod);
    assert_eq!(served(&pod.volume("git-repo")), "version 1");
    assert!(clone.stdout().contains(&first), "{}", clone.output());
}

#[test]
fn an_interrupted_clone_is_not_taken_for_a_checkout() {
    if !ready(&["git"]) {
        return;
    }
    let (mut pod, dns) = pod(&site(""));
    let remote = Remote::new();
    remote.commit("version 1");
    // The server is not there yet: the clone stops half-way, after `git init`.
    let mut cut_off = pod.run("git-clone");
    assert!(!cut_off.succeeded(), "{}", cut_off.output());
    fs::write(pod.volume("git-repo").join("partial.html"), "half").expect("a leftover");
    remote.serve(&mut pod, &dns);
    let again = clone(&mut pod);
    assert!(
        !again.stdout().contains("already holds"),
        "{}",
        again.output()
    );
    assert_eq!(served(&pod.volume("git-repo")), "version 1");
    assert!(!pod.volume("git-repo").join("partial.html").exists());
    // A finished checkout is kept when the pod restarts.
    let kept = clone(&mut pod);
    assert!(
        kept.stdout().contains("already holds a checkout"),
        "{}",
        kept.output()
    );
}

#[test]
fn git_reads_an_https_token_from_the_secret() {
    if !ready(&["git"]) {
        return;
    }
    let (mut pod, _dns) = pod(
        "new site --image example.test/app:1 --git-clone https://git.example.test/site.git \
         --git-secret site-token",
    );
    let secret = pod.volume("git-secret");
    fs::write(secret.join("username"), "deploy\n").expect("writes the Secret");
    fs::write(secret.join("password"), "s3cret\n").expect("writes the Secret");
    let mut fill = pod.exec(
        "git-clone",
        &["git", "credential", "fill"],
        "protocol=https\nhost=git.example.test\n\n",
    );
    assert!(fill.succeeded(), "{}", fill.output());
    assert!(
        fill.stdout().contains("username=deploy\npassword=s3cret\n"),
        "{}",
        fill.output()
    );
}

#[test]
fn ssh_runs_with_the_secret_as_a_uid_the_image_does_not_know() {
    if !ready(&["git", "ssh"]) {
        return;
    }
    // Without the passwd podsmith mounts, ssh refuses the helper's UID.
    let (mut plain, _dns) =
        pod("new site --image example.test/app:1 --git-clone git://gitserver/site");
    let mut refused = plain.exec("git-clone", &["ssh", "-G", "gitserver"], "");
    assert!(!refused.succeeded(), "{}", refused.output());
    assert!(
        refused.output().contains("No user exists for uid 65532"),
        "{}",
        refused.output()
    );

    let (mut pod, _dns) = pod(
        "new site --image example.test/app:1 --git-clone git@gitserver:acme/site.git \
         --git-secret site-key --git-sync",
    );
    let secret = pod.volume("git-secret");
    fs::write(secret.join("ssh-privatekey"), "a key\n").expect("writes the Secret");
    fs::write(secret.join("known_hosts"), "gitserver ssh-ed25519 AAAA\n").expect("writes");
    for helper in ["git-clone", "git-sync"] {
        let mut config = pod.exec(helper, &["sh", "-c", "$GIT_SSH_COMMAND -G gitserver"], "");
        assert!(config.succeeded(), "{helper}: {}", config.output());
        let out = config.stdout();
        for line in [
            "user git\n",
            "identityfile /etc/git-secret/ssh-privatekey\n",
            "userknownhostsfile /etc/git-secret/known_hosts\n",
            "stricthostkeychecking true\n",
        ] {
            assert!(
                out.contains(line),
                "{helper}: no `{}` in:\n{out}",
                line.trim()
            );
        }
    }
}

#[test]
fn git_sync_stops_on_sigterm() {
    if !ready(&["git"]) {
        return;
    }
    let (mut pod, _dns) = pod(&site("").replace("--git-sync 1", "--git-sync 3600"));
    let mut sync = pod.start("git-sync");
    assert_stops_on_sigterm(&mut sync);
}

/// A TCP server in the pod's network at `address`: answers each connection's first line with
/// `name: LINE`.
fn backend(pod: &Pod, address: &str, name: &'static str) {
    let listener = pod.in_net(|| TcpListener::bind(address).expect("binds the backend"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let mut reader = BufReader::new(&stream);
            if reader.read_line(&mut line).is_ok() {
                let _ = (&stream).write_all(format!("{name}: {line}").as_bytes());
            }
        }
    });
}

/// What the app gets back for `line` through `localhost:port`, or `None` when the connection
/// fails or closes with no answer.
fn through(pod: &Pod, port: u16, line: &str) -> Option<String> {
    pod.in_net(|| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream.write_all(format!("{line}\n").as_bytes()).ok()?;
        let mut answer = String::new();
        BufReader::new(stream).read_line(&mut answer).ok()?;
        Some(answer).filter(|a| !a.is_empty())
    })
}

/// Waits until the app gets `expected` back for `line` through `localhost:port`.
fn until_answered(pod: &Pod, port: u16, line: &str, expected: &str) -> Option<String> {
    let deadline = Instant::now() + SOON;
    let mut last = None;
    while Instant::now() < deadline {
        last = through(pod, port, line);
        if last.as_deref() == Some(expected) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    last
}

#[test]
fn ambassador_reaches_a_short_name_that_only_its_fqdn_resolves_and_follows_it() {
    if !ready(&["haproxy"]) {
        return;
    }
    let (mut pod, dns) = pod("new web --image example.test/app:1 --ambassador db:5432");
    dns.set("db.default.svc.cluster.local", Ipv4Addr::new(127, 0, 0, 2));
    backend(&pod, "127.0.0.2:5432", "first");
    backend(&pod, "127.0.0.3:5432", "second");
    let mut ambassador = pod.start("ambassador");
    assert_eq!(
        until_answered(&pod, 5432, "hello", "first: hello\n").as_deref(),
        Some("first: hello\n"),
        "{}",
        ambassador.output()
    );
    // HAProxy's own resolver asks for the FQDN, so the name keeps resolving past the first
    // answer, and a new address is followed.
    dns.set("db.default.svc.cluster.local", Ipv4Addr::new(127, 0, 0, 3));
    assert_eq!(
        until_answered(&pod, 5432, "again", "second: again\n").as_deref(),
        Some("second: again\n"),
        "{}",
        ambassador.output()
    );
    assert_stops_on_sigterm(&mut ambassador);
}

#[test]
fn ambassador_reaches_an_fqdn_and_an_ip_address() {
    if !ready(&["haproxy"]) {
        return;
    }
    let (mut pod, dns) = pod(
        "new web --image example.test/app:1 --ambassador 6000=db.other.svc.cluster.local:5432 \
         --ambassador 6001=127.0.0.4:5432",
    );
    dns.set("db.other.svc.cluster.local", Ipv4Addr::new(127, 0, 0, 2));
    backend(&pod, "127.0.0.2:5432", "by name");
    backend(&pod, "127.0.0.4:5432", "by address");
    let names: Vec<String> = pod.container_names();
    let _ambassadors: Vec<Running> = names
        .iter()
        .filter(|name| name.starts_with("ambassador"))
        .map(|name| pod.start(name))
        .collect();
    assert_eq!(
        until_answered(&pod, 6000, "hello", "by name: hello\n").as_deref(),
        Some("by name: hello\n")
    );
    assert_eq!(
        until_answered(&pod, 6001, "hello", "by address: hello\n").as_deref(),
        Some("by address: hello\n")
    );
}
