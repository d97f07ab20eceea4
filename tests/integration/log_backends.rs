//! What the log sidecar, the log shipper and the adapter need and promise: the sidecar reads a
//! file the app writes 0640, log volumes are bounded, backend URLs mean what users mean,
//! credentials come from a Secret and never appear in the manifest, and an adapter says what
//! the app must serve and never guesses a port.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{assert_refused, podsmith, render};

/// The documents of a rendered command line.
fn documents(command: &str) -> Vec<Value> {
    let generated = render(command).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert!(
        generated.warnings.is_empty(),
        "{command}: {:?}",
        generated.warnings
    );
    crate::support::yaml12(&generated.rendered.stream())
}

fn pod(documents: &[Value]) -> &Value {
    &documents[0]["spec"]["template"]["spec"]
}

fn fluent_bit_conf(documents: &[Value]) -> String {
    documents
        .iter()
        .find(|d| d["kind"] == "ConfigMap")
        .and_then(|d| d["data"]["fluent-bit.conf"].as_str())
        .expect("the log shipper's ConfigMap")
        .to_string()
}

/// The value of `key` in the fluent-bit config's [OUTPUT] section.
fn output_setting(conf: &str, key: &str) -> Option<String> {
    conf.split("[OUTPUT]").nth(1)?.lines().find_map(|line| {
        let (name, value) = line.trim().split_once(char::is_whitespace)?;
        (name.eq_ignore_ascii_case(key)).then(|| value.trim().to_string())
    })
}

#[test]
fn a_loki_url_with_or_without_a_trailing_slash_posts_to_the_push_path() {
    for (url, host, port, uri, tls) in [
        (
            "http://loki:3100",
            "loki",
            "3100",
            "/loki/api/v1/push",
            None,
        ),
        (
            "http://loki:3100/",
            "loki",
            "3100",
            "/loki/api/v1/push",
            None,
        ),
        (
            "http://loki.logging:3100/loki/api/v1/push/",
            "loki.logging",
            "3100",
            "/loki/api/v1/push",
            None,
        ),
        (
            "https://logs.example.com/tenant-a/",
            "logs.example.com",
            "443",
            "/tenant-a/loki/api/v1/push",
            Some("on"),
        ),
    ] {
        let docs = documents(&format!(
            "new web --image ghcr.io/acme/web:1.4.2 --log-shipper loki={url}"
        ));
        let conf = fluent_bit_conf(&docs);
        assert_eq!(
            output_setting(&conf, "Host").as_deref(),
            Some(host),
            "{url}"
        );
        assert_eq!(
            output_setting(&conf, "Port").as_deref(),
            Some(port),
            "{url}"
        );
        assert_eq!(output_setting(&conf, "Uri").as_deref(), Some(uri), "{url}");
        assert_eq!(output_setting(&conf, "Tls").as_deref(), tls, "{url}");
    }
}

#[test]
fn elasticsearch_takes_tls_and_credentials_from_a_secret() {
    let docs = documents(
        "new web --image ghcr.io/acme/web:1.4.2 --log-shipper elasticsearch=https://es.logging:9200 --log-shipper-secret es-credentials",
    );
    let conf = fluent_bit_conf(&docs);
    assert_eq!(output_setting(&conf, "Tls").as_deref(), Some("on"));
    assert_eq!(output_setting(&conf, "Tls.verify").as_deref(), Some("on"));
    assert_eq!(
        output_setting(&conf, "HTTP_User").as_deref(),
        Some("${LOG_SHIPPER_USERNAME}")
    );
    assert_eq!(
        output_setting(&conf, "HTTP_Passwd").as_deref(),
        Some("${LOG_SHIPPER_PASSWORD}")
    );
    let shipper = pod(&docs)["initContainers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "log-shipper")
        .expect("the log shipper");
    let env: Vec<(String, String, String)> = shipper["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let from = &e["valueFrom"]["secretKeyRef"];
            assert!(e["value"].is_null(), "a literal value: {e:?}");
            (
                e["name"].as_str().unwrap().to_string(),
                from["name"].as_str().unwrap().to_string(),
                from["key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        env,
        [
            (
                "LOG_SHIPPER_USERNAME".to_string(),
                "es-credentials".to_string(),
                "username".to_string()
            ),
            (
                "LOG_SHIPPER_PASSWORD".to_string(),
                "es-credentials".to_string(),
                "password".to_string()
            ),
        ]
    );
    // Plain HTTP stays plain, without credentials lines.
    let conf = fluent_bit_conf(&documents(
        "new web --image ghcr.io/acme/web:1.4.2 --log-shipper elasticsearch=es.logging:9200",
    ));
    assert_eq!(output_setting(&conf, "Tls"), None);
    assert_eq!(output_setting(&conf, "HTTP_User"), None);
}

#[test]
fn log_shipper_settings_are_refused_in_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--log-shipper", "stdout", "--log-shipper-secret", "creds"],
            "error: invalid value `creds` for `--log-shipper-secret`: stdout takes no credentials: ship to loki= or elasticsearch=\n",
        ),
        (
            &["--log-shipper", "elasticsearch=https://es:9200/logs"],
            "error: invalid value `elasticsearch=https://es:9200/logs` for `--log-shipper`: must be http[s]://HOST[:PORT] with no path\n",
        ),
    ];
    assert_refused(cases);
}

#[test]
fn log_volumes_are_bounded_and_shared_through_a_group() {
    for pattern in ["--log-sidecar", "--log-shipper stdout"] {
        let docs = documents(&format!("new web --image ghcr.io/acme/web:1.4.2 {pattern}"));
        let pod = pod(&docs);
        let logs = pod["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == "app-logs")
            .expect("the log volume");
        assert_eq!(
            logs["emptyDir"]["sizeLimit"].as_str(),
            Some("1Gi"),
            "{pattern}"
        );
        assert_eq!(
            pod["securityContext"]["fsGroup"].as_u64(),
            Some(65532),
            "{pattern}"
        );
    }
    let docs = documents("new web --image ghcr.io/acme/web:1.4.2 --log-sidecar --fs-group 2000");
    assert_eq!(
        pod(&docs)["securityContext"]["fsGroup"].as_u64(),
        Some(2000)
    );
    let docs = documents("new web --image ghcr.io/acme/web:1.4.2");
    assert!(pod(&docs)["securityContext"]["fsGroup"].is_null());
}

/// Runs `script` with busybox `sh` as `uid`:`gid` with supplementary `groups`, as the container
/// runtime starts a container's process.
fn run_as(uid: u64, gid: u64, groups: &[u64], script: &str) -> std::process::Output {
    let mut command = Command::new("setpriv");
    command
        .arg(format!("--reuid={uid}"))
        .arg(format!("--regid={gid}"));
    if groups.is_empty() {
        command.arg("--clear-groups");
    } else {
        let list: Vec<String> = groups.iter().map(u64::to_string).collect();
        command.arg(format!("--groups={}", list.join(",")));
    }
    command
        .args(["--", "busybox", "sh", "-c", script])
        .output()
        .expect("setpriv runs")
}

/// What the kubelet does to an emptyDir of a pod with an fsGroup: the folder is created 0777,
/// then given the group with the setgid bit (pkg/volume SetVolumeOwnership).
fn empty_dir(path: &Path, fs_group: Option<u64>) {
    std::fs::create_dir(path).expect("creates the volume");
    let mut mode = 0o777;
    if let Some(group) = fs_group {
        std::os::unix::fs::chown(path, None, Some(group as u32)).expect("chgrp");
        mode |= 0o2000;
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn the_sidecar_reads_a_file_the_app_writes_0640() {
    let root = nix::unistd::Uid::effective().is_root();
    let tools = ["setpriv", "busybox"].iter().all(|t| {
        Command::new("sh")
            .args(["-c", &format!("command -v {t}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !root || !tools {
        crate::support::skip("log file permissions test: needs root, setpriv and busybox");
        return;
    }
    for fs_group in ["", "--fs-group 2000"] {
        let docs = documents(&format!(
            "new web --image ghcr.io/acme/web:1.4.2 --run-as-user 1000:1000 --log-sidecar {fs_group}"
        ));
        let pod = pod(&docs);
        let group = pod["securityContext"]["fsGroup"]
            .as_u64()
            .expect("an fsGroup");
        let sidecar = &pod["initContainers"][0]["securityContext"];
        let (sidecar_uid, sidecar_gid) = (
            sidecar["runAsUser"].as_u64().unwrap(),
            sidecar["runAsGroup"].as_u64().unwrap(),
        );
        let app = &pod["containers"][0]["securityContext"];
        let (app_uid, app_gid) = (
            app["runAsUser"].as_u64().unwrap(),
            app["runAsGroup"].as_u64().unwrap(),
        );

        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let logs = dir.path().join("app-logs");
        empty_dir(&logs, Some(group));
        let file = logs.join("app.log");
        let write = run_as(
            app_uid,
            app_gid,
            &[group],
            &format!("umask 027; echo 'a private line' > {}", file.display()),
        );
        assert!(write.status.success(), "{write:?}");
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let read = run_as(
            sidecar_uid,
            sidecar_gid,
            &[group],
            &format!("cat {}", file.display()),
        );
        assert_eq!(
            String::from_utf8_lossy(&read.stdout),
            "a private line\n",
            "fsGroup {group}: {read:?}"
        );

        // Without the fsGroup the same file is out of the sidecar's reach: the setting matters.
        let bare = dir.path().join("bare");
        empty_dir(&bare, None);
        let file = bare.join("app.log");
        let write = run_as(
            app_uid,
            app_gid,
            &[],
            &format!("umask 027; echo 'a private line' > {}", file.display()),
        );
        assert!(write.status.success(), "{write:?}");
        let read = run_as(
            sidecar_uid,
            sidecar_gid,
            &[],
            &format!("cat {}", file.display()),
        );
        assert!(!read.status.success(), "read without the group: {read:?}");
    }
}

#[test]
fn an_adapter_says_what_the_app_must_serve_and_never_guesses_its_port() {
    for (exporter, message) in [
        ("nginx", "error: the nginx adapter needs the port the app serves nginx's stub_status page (/stub_status) on: podsmith does not guess it; add --adapter-scrape-port\n"),
        ("apache", "error: the apache adapter needs the port the app serves Apache's mod_status page (/server-status?auto) on: podsmith does not guess it; add --adapter-scrape-port\n"),
        ("redis", "error: the redis adapter needs the port the app serves Redis on: podsmith does not guess it; add --adapter-scrape-port\n"),
    ] {
        podsmith()
            .args(["new", "web", "--image", "ghcr.io/acme/web:1.4.2", "--adapter", exporter])
            .assert()
            .code(2)
            .stdout("")
            .stderr(message);
    }
    for (flags, needs) in [
        (
            "--port 8080 --adapter nginx",
            "the app must serve nginx's stub_status at http://127.0.0.1:8080/stub_status (location = /stub_status { stub_status; })",
        ),
        (
            "--adapter nginx --adapter-scrape-port 8081",
            "the app must serve nginx's stub_status at http://127.0.0.1:8081/stub_status (location = /stub_status { stub_status; })",
        ),
        (
            "--adapter statsd",
            "the app must send its statsd metrics over UDP to 127.0.0.1:9125",
        ),
    ] {
        let docs = documents(&format!("new web --image ghcr.io/acme/web:1.4.2 {flags}"));
        assert_eq!(
            docs[0]["spec"]["template"]["metadata"]["annotations"]["podsmith/adapter-needs"]
                .as_str(),
            Some(needs),
            "{flags}"
        );
    }
    podsmith()
        .args(["explain", "adapter"])
        .assert()
        .success()
        .stdout(predicates::str::contains("/stub_status"));
}
