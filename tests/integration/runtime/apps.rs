//! The app container of the images podsmith knows, run with their programs at each security
//! level: the server answers, as the user the manifest gives, its data lands where the
//! manifest keeps it, and it stops cleanly when the kubelet stops it.
//!
//! Over 400 lines: one section per image (redis, postgres, nginx), each with the start-up and probe
//! helpers its tests share, after the stop check all three use.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::container::Running;
use super::image::Image;
use super::pod::{Pod, RUN_LIMIT};
use super::{pod, ready, SOON, STOP_WITHIN};

/// The first `lines` lines of redis' reply to the inline command `command` on the pod's
/// `localhost:6379`, or `None` when nothing answers.
fn redis(pod: &Pod, command: &str, lines: usize) -> Option<String> {
    pod.in_net(|| {
        let mut stream = TcpStream::connect(("127.0.0.1", 6379)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream.write_all(format!("{command}\r\n").as_bytes()).ok()?;
        let mut reader = BufReader::new(stream);
        let mut reply = String::new();
        for _ in 0..lines {
            reader.read_line(&mut reply).ok()?;
        }
        Some(reply).filter(|r| !r.is_empty())
    })
}

/// Starts the redis app container and waits until it answers PING.
fn start_redis(pod: &mut Pod) -> Running {
    let mut server = pod.start("cache");
    let deadline = Instant::now() + SOON;
    while redis(pod, "PING", 1).as_deref() != Some("+PONG\r\n") {
        assert!(
            Instant::now() < deadline && server.try_status().is_none(),
            "redis does not answer PING:\n{}",
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        redis(pod, "SET greeting hello", 1).as_deref(),
        Some("+OK\r\n")
    );
    assert_eq!(
        redis(pod, "GET greeting", 2).as_deref(),
        Some("$5\r\nhello\r\n")
    );
    server
}

/// Stops a container as the kubelet does and asserts that it ends on its own, successfully,
/// within [`STOP_WITHIN`].
fn assert_stops_cleanly(server: &mut Running) {
    server.terminate();
    let status = server.wait(STOP_WITHIN);
    assert!(
        status.is_some_and(|s| s.success()),
        "`{}` did not stop cleanly within {STOP_WITHIN:?} ({status:?}):\n{}",
        server.name,
        server.output()
    );
}

const REDIS_RESTRICTED: &str = "new cache --image redis:7.4 --port 6379 --security restricted";

#[test]
fn redis_at_restricted_answers_and_saves_into_its_volume_on_sigterm() {
    if !ready(Image::of("redis:7.4").programs) {
        return;
    }
    let (mut pod, _dns) = pod(REDIS_RESTRICTED);
    let mut server = start_redis(&mut pod);
    assert_stops_cleanly(&mut server);
    let dump = fs::read(pod.volume("writable-data").join("dump.rdb")).unwrap_or_else(|e| {
        panic!(
            "no dump.rdb in the /data volume ({e}):\n{}",
            server.output()
        )
    });
    let dump = String::from_utf8_lossy(&dump);
    assert!(
        dump.starts_with("REDIS") && dump.contains("greeting") && dump.contains("hello"),
        "{dump:?}"
    );
}

#[test]
fn redis_at_restricted_without_the_data_volume_cannot_save() {
    if !ready(Image::of("redis:7.4").programs) {
        return;
    }
    let (mut pod, _dns) = pod(REDIS_RESTRICTED);
    pod.edit(|spec| {
        spec.volumes
            .get_or_insert_with(Vec::new)
            .retain(|v| v.name != "writable-data");
        for container in &mut spec.containers {
            container
                .volume_mounts
                .get_or_insert_with(Vec::new)
                .retain(|m| m.name != "writable-data");
        }
    });
    let mut server = start_redis(&mut pod);
    server.terminate();
    assert!(
        server.wait_for_stdout("Read-only file system", SOON),
        "{}",
        server.output()
    );
    assert!(
        server.wait_for_stdout("can't exit", SOON),
        "{}",
        server.output()
    );
    // It runs on until the kubelet kills it at the end of the grace period, unsaved.
    assert!(
        server.wait(STOP_WITHIN).is_none(),
        "redis stopped without saving:\n{}",
        server.output()
    );
}

#[test]
fn redis_at_baseline_answers_and_saves_on_sigterm() {
    if !ready(Image::of("redis:7.4").programs) {
        return;
    }
    let (mut pod, _dns) = pod("new cache --image redis:7.4 --port 6379");
    let mut server = start_redis(&mut pod);
    assert_stops_cleanly(&mut server);
    assert!(
        server.stdout().contains("DB saved on disk"),
        "{}",
        server.output()
    );
}

/// Starts the postgres app container and waits until it accepts connections on its port.
fn start_postgres(pod: &mut Pod) -> Running {
    let mut server = pod.start("db");
    let deadline = Instant::now() + RUN_LIMIT;
    // The port first, as a tcpSocket probe would: each pg_isready is a container start, and
    // the entrypoint's own server during initialisation listens on its socket only.
    while !pod.in_net(|| TcpStream::connect(("127.0.0.1", 5432)).is_ok()) {
        assert!(
            Instant::now() < deadline && server.try_status().is_none(),
            "postgres does not listen on port 5432:\n{}",
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    loop {
        let mut probe = pod.exec("db", &["pg_isready", "-h", "127.0.0.1", "-p", "5432"], "");
        if probe.succeeded() {
            return server;
        }
        assert!(
            Instant::now() < deadline && server.try_status().is_none(),
            "postgres does not accept connections ({}):\n{}",
            probe.output(),
            server.output()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Writes a row and reads it back through `psql` in the container, over TCP when `host` is
/// given, else over the socket in /var/run/postgresql.
fn assert_psql_round_trip(pod: &mut Pod, host: &[&str]) {
    let mut argv = vec!["psql", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-tA"];
    argv.extend(host);
    argv.extend(["-c", "CREATE TABLE IF NOT EXISTS notes (body text)"]);
    argv.extend(["-c", "INSERT INTO notes VALUES ('kept')"]);
    argv.extend(["-c", "SELECT count(*) || ' ' || min(body) FROM notes"]);
    let mut psql = pod.exec("db", &argv, "");
    assert!(psql.succeeded(), "{}", psql.output());
    assert!(psql.stdout().contains(" kept\n"), "{}", psql.output());
}

const POSTGRES: &str =
    "new db --image postgres:16 --port 5432 --env-secret POSTGRES_PASSWORD=db:password";

/// The postgres pod of `command_line`, with the Secret its password comes from.
fn postgres_pod(command_line: &str) -> (Pod, super::dns::Dns) {
    let (mut pod, dns) = pod(command_line);
    pod.create_secret("db", "password", "s3cret");
    (pod, dns)
}

#[test]
fn postgres_at_restricted_initialises_its_volume_accepts_connections_and_stops() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = postgres_pod(&format!("{POSTGRES} --security restricted"));
    let mut server = start_postgres(&mut pod);
    assert_psql_round_trip(&mut pod, &["-h", "127.0.0.1"]);
    assert_psql_round_trip(&mut pod, &[]);
    assert!(
        pod.volume("writable-var-lib-postgresql")
            .join("data/PG_VERSION")
            .is_file(),
        "PGDATA is not in the volume:\n{}",
        server.output()
    );
    assert_stops_cleanly(&mut server);
    assert!(
        server.output().contains("database system is shut down"),
        "{}",
        server.output()
    );
}

#[test]
fn postgres_at_baseline_initialises_accepts_connections_and_stops() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = postgres_pod(POSTGRES);
    let mut server = start_postgres(&mut pod);
    // Over TCP only: each exec runs on a root of its own, and without a volume the server's
    // socket folder is in the server's root.
    assert_psql_round_trip(&mut pod, &["-h", "127.0.0.1"]);
    assert_stops_cleanly(&mut server);
    assert!(
        server.output().contains("database system is shut down"),
        "{}",
        server.output()
    );
}

#[test]
fn postgres_takes_its_password_from_every_key_of_a_secret() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = pod("new db --image postgres:16 --port 5432 --env-from secret:db-env");
    pod.create_secret("db-env", "POSTGRES_PASSWORD", "s3cret");
    pod.create_secret("db-env", "POSTGRES_DB", "shop");
    let mut server = start_postgres(&mut pod);
    let mut psql = pod.exec(
        "db",
        &[
            "psql",
            "-U",
            "postgres",
            "-h",
            "127.0.0.1",
            "-d",
            "shop",
            "-tAc",
            "SELECT current_database()",
        ],
        "",
    );
    assert!(
        psql.succeeded() && psql.stdout() == "shop\n",
        "the Secret's POSTGRES_DB did not reach the entrypoint: {}",
        psql.output()
    );
    assert_stops_cleanly(&mut server);
}

#[test]
fn postgres_without_a_password_stops_at_start() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = pod("new db --image postgres:16 --port 5432");
    let mut server = pod.start("db");
    let status = server.wait(RUN_LIMIT);
    assert!(
        status.is_some_and(|s| !s.success())
            && server
                .output()
                .contains("superuser password is not specified"),
        "{status:?}:\n{}",
        server.output()
    );
}

const POSTGRES_ON_A_CLAIM: &str = "new db --image postgres:16 --port 5432 \
    --env-secret POSTGRES_PASSWORD=db:password --kind statefulset \
    --storage 1Gi@/var/lib/postgresql/data";

#[test]
fn postgres_with_its_claim_at_pgdata_initialises_a_folder_inside_it() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = postgres_pod(POSTGRES_ON_A_CLAIM);
    let mut server = start_postgres(&mut pod);
    assert_psql_round_trip(&mut pod, &["-h", "127.0.0.1"]);
    assert_stops_cleanly(&mut server);
    let claim = pod.volume("data");
    assert!(
        claim.join("pgdata/PG_VERSION").is_file() && claim.join("lost+found").is_dir(),
        "PGDATA is not a folder of the claim:\n{}",
        server.output()
    );
}

#[test]
fn postgres_with_pgdata_at_the_claims_root_cannot_initialise() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = postgres_pod(POSTGRES_ON_A_CLAIM);
    pod.edit(|spec| {
        for container in &mut spec.containers {
            container
                .env
                .get_or_insert_with(Vec::new)
                .retain(|var| var.name != "PGDATA");
        }
    });
    let mut server = pod.start("db");
    let status = server.wait(RUN_LIMIT);
    assert!(
        status.is_some_and(|s| !s.success()) && server.output().contains("lost+found"),
        "{status:?}:\n{}",
        server.output()
    );
}

/// postgres as its own user (999, `restricted`) with `--storage` and no path: the claim goes to
/// its data folder, and the pod's fsGroup is what lets the user write to the claim's root.
const POSTGRES_AS_ITS_USER_ON_A_CLAIM: &str = "new db --image postgres:16 --port 5432 \
    --env-secret POSTGRES_PASSWORD=db:password --kind statefulset --storage 1Gi \
    --security restricted";

/// The group and mode of a folder of the host.
fn group_and_mode(path: &std::path::Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let metadata = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (metadata.gid(), metadata.mode() & 0o7777)
}

#[test]
fn postgres_as_its_user_initialises_a_new_claim_through_podsmiths_fs_group() {
    // podsmith's own fsGroup: the user's group, 999.
    assert_initialises_a_new_claim_through_fs_group("", 999);
}

#[test]
fn postgres_as_its_user_initialises_a_new_claim_through_a_chosen_fs_group() {
    // One the user chose, which the process holds only as a supplementary group.
    assert_initialises_a_new_claim_through_fs_group(" --fs-group 2000", 2000);
}

/// postgres, as its user on a new claim with `flags` added, initialises PGDATA inside it,
/// answers and stops, and the claim was handed to `group` as the kubelet does.
fn assert_initialises_a_new_claim_through_fs_group(flags: &str, group: u32) {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = postgres_pod(&format!("{POSTGRES_AS_ITS_USER_ON_A_CLAIM}{flags}"));
    let mut server = start_postgres(&mut pod);
    assert_runs_as(&server, 999);
    assert_psql_round_trip(&mut pod, &["-h", "127.0.0.1"]);
    assert_stops_cleanly(&mut server);
    let claim = pod.volume("data");
    assert_eq!(
        group_and_mode(&claim),
        (group, 0o2775),
        "the claim's root belongs to the fsGroup, group-writable, setgid"
    );
    assert_eq!(
        group_and_mode(&claim.join("lost+found")),
        (group, 0o2770),
        "the kubelet hands everything in the volume to the group"
    );
    assert!(
        claim.join("pgdata/PG_VERSION").is_file(),
        "{flags}: PGDATA is not a folder of the claim:\n{}",
        server.output()
    );
}

#[test]
fn postgres_as_its_user_cannot_write_to_a_new_claim_without_fs_group() {
    if !ready(Image::of("postgres:16").programs) {
        return;
    }
    let (mut pod, _dns) = postgres_pod(POSTGRES_AS_ITS_USER_ON_A_CLAIM);
    pod.edit(|spec| {
        let context = spec
            .security_context
            .as_mut()
            .expect("a pod securityContext");
        assert_eq!(context.fs_group, Some(999), "podsmith sets the fsGroup");
        context.fs_group = None;
    });
    let mut server = pod.start("db");
    let status = server.wait(RUN_LIMIT);
    assert!(
        status.is_some_and(|s| !s.success()) && server.output().contains("Permission denied"),
        "{status:?}:\n{}",
        server.output()
    );
    assert!(!pod.volume("data").join("pgdata").exists());
}

/// The reply to `GET /` on the pod's `127.0.0.1:port`, or `None` when nothing answers.
fn http_get(pod: &Pod, port: u16) -> Option<String> {
    pod.in_net(|| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        let request = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
        stream.write_all(request.as_bytes()).ok()?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).ok()?;
        Some(reply).filter(|r| !r.is_empty())
    })
}

/// Starts the nginx app container `web`, waits until it serves its welcome page on `port`,
/// and asserts that it logged the request to the container's output.
fn start_nginx(pod: &mut Pod, port: u16) -> Running {
    let mut server = pod.start("web");
    let deadline = Instant::now() + SOON;
    let reply = loop {
        if let Some(reply) = http_get(pod, port) {
            break reply;
        }
        assert!(
            Instant::now() < deadline && server.try_status().is_none(),
            "nginx does not answer on port {port}:\n{}",
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        reply.starts_with("HTTP/1.1 200 OK") && reply.contains("<title>Welcome to nginx!</title>"),
        "{reply}\n{}",
        server.output()
    );
    assert!(
        server.wait_for_stdout("\"GET / HTTP/1.0\" 200", SOON),
        "no access log line:\n{}",
        server.output()
    );
    server
}

/// Asserts that the container's PID 1 runs as `uid`.
fn assert_runs_as(server: &Running, uid: u32) {
    assert_eq!(server.uids(), Some((uid, uid)), "{}", server.output());
}

/// What the images' entrypoint says when it cannot add the IPv6 listener: the root
/// filesystem is read-only.
const READ_ONLY_CONF: &str = "can not modify /etc/nginx/conf.d/default.conf";

#[test]
fn nginx_at_baseline_serves_on_port_80_as_root_and_stops() {
    if !ready(Image::of("nginx:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod("new web --image nginx:1.27 --port 80");
    let mut server = start_nginx(&mut pod, 80);
    assert_runs_as(&server, 0);
    assert!(
        !server.output().contains(READ_ONLY_CONF),
        "{}",
        server.output()
    );
    assert_stops_cleanly(&mut server);
}

#[test]
fn nginx_with_a_read_only_root_serves_on_port_80() {
    if !ready(Image::of("nginx:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod("new web --image nginx:1.27 --port 80 --read-only-root");
    let mut server = start_nginx(&mut pod, 80);
    assert!(
        server.output().contains(READ_ONLY_CONF),
        "{}",
        server.output()
    );
    assert!(
        pod.volume("writable-var-cache-nginx")
            .join("client_temp")
            .is_dir(),
        "{}",
        server.output()
    );
    assert_stops_cleanly(&mut server);
}

const NGINX_RESTRICTED: &str = "new web --image nginx:1.27 --port 80 --security restricted";

#[test]
fn nginx_at_restricted_serves_on_port_80_as_its_user_with_a_read_only_root() {
    if !ready(Image::of("nginx:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod(NGINX_RESTRICTED);
    let mut server = start_nginx(&mut pod, 80);
    assert_runs_as(&server, 101);
    assert!(
        server.output().contains(READ_ONLY_CONF),
        "{}",
        server.output()
    );
    assert_stops_cleanly(&mut server);
}

#[test]
fn nginx_at_restricted_without_the_port_sysctl_cannot_bind_port_80() {
    if !ready(Image::of("nginx:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod(NGINX_RESTRICTED);
    pod.edit(|spec| {
        let sysctls = spec.security_context.as_mut().map(|s| s.sysctls.take());
        assert!(sysctls.flatten().is_some_and(|s| !s.is_empty()));
    });
    let mut server = pod.start("web");
    let status = server.wait(SOON);
    assert!(
        status.is_some_and(|s| !s.success())
            && server
                .output()
                .contains(":80 failed (13: Permission denied)"),
        "{status:?}:\n{}",
        server.output()
    );
}

const UNPRIVILEGED: &str = "new web --image nginxinc/nginx-unprivileged:1.27 --port 8080";

#[test]
fn nginx_unprivileged_at_baseline_serves_on_port_8080_and_stops() {
    if !ready(Image::of("nginxinc/nginx-unprivileged:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod(UNPRIVILEGED);
    let mut server = start_nginx(&mut pod, 8080);
    assert_runs_as(&server, 101);
    assert_stops_cleanly(&mut server);
}

#[test]
fn nginx_unprivileged_at_restricted_serves_with_a_read_only_root() {
    if !ready(Image::of("nginxinc/nginx-unprivileged:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod(&format!("{UNPRIVILEGED} --security restricted"));
    let mut server = start_nginx(&mut pod, 8080);
    assert_runs_as(&server, 101);
    assert!(
        server.output().contains(READ_ONLY_CONF),
        "{}",
        server.output()
    );
    assert!(pod.volume("writable-tmp").join("nginx.pid").is_file());
    assert_stops_cleanly(&mut server);
}

#[test]
fn nginx_unprivileged_at_restricted_without_tmp_cannot_start() {
    if !ready(Image::of("nginxinc/nginx-unprivileged:1.27").programs) {
        return;
    }
    let (mut pod, _dns) = pod(&format!("{UNPRIVILEGED} --security restricted"));
    pod.edit(|spec| {
        spec.volumes
            .get_or_insert_with(Vec::new)
            .retain(|v| v.name != "writable-tmp");
        for container in &mut spec.containers {
            container
                .volume_mounts
                .get_or_insert_with(Vec::new)
                .retain(|m| m.name != "writable-tmp");
        }
    });
    let mut server = pod.start("web");
    let status = server.wait(SOON);
    assert!(
        status.is_some_and(|s| !s.success())
            && server.output().contains("(30: Read-only file system)"),
        "{status:?}:\n{}",
        server.output()
    );
}
