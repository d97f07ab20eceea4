//! The app container's security: on defaults every image tried renders a pod the kubelet
//! starts (no runAsNonRoot it cannot check, a writable root filesystem) within the Pod
//! Security Standards' baseline level; `--security restricted` renders pods within the
//! restricted level, with a numeric user and the writable paths each known image needs; what
//! podsmith cannot know is asked for in one line.
//!
//! The level checks are [`levels`]'.

mod levels;

use serde_json::Value;

use crate::support::{assert_refused, podsmith, podsmith_new_web, render};
use levels::{baseline_violations, restricted_violations};

/// The images the README says were tried, with the port each listens on.
const IMAGES: &[(&str, u16)] = &[
    ("nginx:1.27", 80),
    ("postgres:16", 5432),
    ("redis:7.4", 6379),
    ("busybox:1.28", 8080),
    ("nginxinc/nginx-unprivileged:1.27", 8080),
    ("my-webapp:latest", 8080),
];

/// The pod spec of the first document (the workload) of a rendered stream.
fn pod_spec(stream: &str) -> Value {
    let workload: Value = crate::support::yaml12(stream)
        .into_iter()
        .next()
        .expect("a workload document");
    match workload["kind"].as_str() {
        Some("Pod") => workload["spec"].clone(),
        _ => workload["spec"]["template"]["spec"].clone(),
    }
}

fn containers(pod: &Value) -> Vec<&Value> {
    ["initContainers", "containers"]
        .iter()
        .filter_map(|list| pod[*list].as_array())
        .flatten()
        .collect()
}

fn app<'a>(pod: &'a Value, name: &str) -> &'a Value {
    containers(pod)
        .into_iter()
        .find(|c| c["name"].as_str() == Some(name))
        .expect("the app container")
}

fn mount_paths(container: &Value) -> Vec<&str> {
    container["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["mountPath"].as_str())
        .collect()
}

#[test]
fn every_image_tried_starts_on_defaults_within_baseline() {
    for (image, port) in IMAGES {
        let command = format!("new app --image {image} --port {port}");
        let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
        let pod = pod_spec(&generated.rendered.stream());
        let app = app(&pod, "app");
        // The kubelet refuses runAsNonRoot with an image that runs as root or names its user;
        // a read-only root filesystem stops an image that writes where nothing is mounted.
        assert!(
            app["securityContext"]["runAsNonRoot"].is_null()
                && pod["securityContext"]["runAsNonRoot"].is_null(),
            "{command}: runAsNonRoot the kubelet cannot check"
        );
        assert!(
            app["securityContext"]["readOnlyRootFilesystem"].is_null(),
            "{command}: read-only root filesystem on defaults"
        );
        assert_eq!(baseline_violations(&pod), Vec::<String>::new(), "{command}");
        let rule_ids: Vec<&str> = generated.warnings.iter().map(|f| f.rule.as_str()).collect();
        // postgres also needs its password, which only the user can give.
        let expected: &[&str] = if image.ends_with(":latest") {
            &["image-unpinned"]
        } else if image.starts_with("postgres:") {
            &["image-needs-env"]
        } else {
            &[]
        };
        assert_eq!(rule_ids, expected, "{command}");
    }
}

#[test]
fn restricted_pods_meet_the_restricted_level_with_every_pattern() {
    let patterns = [
        "",
        "--wait-for postgres:5432 --log-sidecar /var/log/app/app.log",
        "--git-clone https://github.com/acme/site.git --git-mount /srv/site --git-sync",
        "--ambassador 5432=db.example.com:5432 --adapter statsd",
        "--log-shipper loki=http://loki:3100 --config-reloader web-config --reload-url http://localhost:8080/-/reload",
        "--proxy 8443 --container worker=ghcr.io/acme/worker:1.0 --init-command 'bin/migrate'",
    ];
    for kind in ["pod", "deployment", "job"] {
        for version in ["1.28", "1.37"] {
            for extra in patterns {
                let ports = if kind == "job" { "" } else { "--port 8080" };
                let command = format!(
                    "new app --image ghcr.io/acme/web:1.4.2 {ports} --kind {kind} --kube-version {version} --security restricted --run-as-user 1000:1000 {extra}"
                );
                let generated = match render(&command) {
                    Ok(generated) => generated,
                    // Some patterns are refused for a Job; that is their own test's business.
                    Err(error) if kind == "job" => {
                        assert!(
                            error.to_string().contains("not for a Job"),
                            "{command}: {error}"
                        );
                        continue;
                    }
                    Err(error) => panic!("{command}: {error}"),
                };
                let pod = pod_spec(&generated.rendered.stream());
                assert_eq!(
                    restricted_violations(&pod),
                    Vec::<String>::new(),
                    "{command}"
                );
                assert!(
                    generated.warnings.is_empty(),
                    "{command}: {:?}",
                    generated.warnings
                );
                let app = app(&pod, "app");
                assert_eq!(app["securityContext"]["runAsUser"].as_u64(), Some(1000));
                assert_eq!(
                    app["securityContext"]["readOnlyRootFilesystem"].as_bool(),
                    Some(true)
                );
                assert!(mount_paths(app).contains(&"/tmp"), "{command}: no /tmp");
            }
        }
    }
}

#[test]
fn restricted_knows_the_users_and_writable_paths_of_official_images() {
    let cases: &[(&str, u64, &[&str])] = &[
        ("nginxinc/nginx-unprivileged:1.27", 101, &["/tmp"]),
        (
            "postgres:16",
            999,
            &["/tmp", "/var/lib/postgresql", "/var/run/postgresql"],
        ),
        (
            "postgres:16-alpine",
            70,
            &["/tmp", "/var/lib/postgresql", "/var/run/postgresql"],
        ),
        ("redis:7.4", 999, &["/tmp", "/data"]),
    ];
    for (image, user, paths) in cases {
        let command = format!("new app --image {image} --port 8080 --security restricted");
        let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
        let pod = pod_spec(&generated.rendered.stream());
        assert_eq!(
            restricted_violations(&pod),
            Vec::<String>::new(),
            "{command}"
        );
        let app = app(&pod, "app");
        assert_eq!(
            app["securityContext"]["runAsUser"].as_u64(),
            Some(*user),
            "{command}"
        );
        assert_eq!(
            app["securityContext"]["runAsGroup"].as_u64(),
            Some(*user),
            "{command}"
        );
        assert_eq!(mount_paths(app), *paths, "{command}");
    }
}

/// A non-root user cannot bind a port below 1024 (a NET_BIND_SERVICE capability does not reach
/// it): the pod lowers `net.ipv4.ip_unprivileged_port_start` to the app's lowest port, a safe
/// sysctl the kubelet sets on every supported version and both levels admit, so neither `new`
/// nor `validate` has anything to say about it.
#[test]
fn a_non_root_app_on_a_low_port_gets_a_sysctl_both_levels_and_the_kubelet_allow() {
    for version in ["1.27", "1.30", "1.37"] {
        for level in ["baseline", "restricted"] {
            let command = format!(
                "new web --image my-webapp:latest --port 80 --port 8443 --run-as-user 10001 \
                 --security {level} --kube-version {version}"
            );
            let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
            let pod = pod_spec(&generated.rendered.stream());
            assert_eq!(
                pod["securityContext"]["sysctls"],
                serde_json::json!([{"name": "net.ipv4.ip_unprivileged_port_start", "value": "80"}]),
                "{command}"
            );
            let violations = match level {
                "baseline" => baseline_violations(&pod),
                _ => restricted_violations(&pod),
            };
            assert_eq!(violations, Vec::<String>::new(), "{command}");
            let rules: Vec<&str> = generated.warnings.iter().map(|w| w.rule.as_str()).collect();
            assert!(!rules.contains(&"sysctl-refused"), "{command}: {rules:?}");
        }
    }
    // Root binds any port: no sysctl.
    let generated = render("new web --image my-webapp:latest --port 80 --run-as-user 0").unwrap();
    let pod = pod_spec(&generated.rendered.stream());
    assert!(pod["securityContext"]["sysctls"].is_null(), "{pod}");
    assert_eq!(generated.notes, Vec::<String>::new());
    // The image's own user, unknown to podsmith: the user is told what to give.
    let generated = render("new web --image my-webapp:latest --port 80").unwrap();
    assert_eq!(
        generated.notes,
        [
            "`my-webapp:latest` listens on port 80, which only root may bind: podsmith does not \
          know the image's user; if it is not root, give it with `--run-as-user UID[:GID]` \
          (app.security.runAsUser) and the pod lowers net.ipv4.ip_unprivileged_port_start to 80, \
          or listen on a port from 1024"
        ]
    );
    // nginx runs as root at baseline: nothing to say.
    assert_eq!(
        render("new web --image nginx:1.27 --port 80")
            .unwrap()
            .notes,
        Vec::<String>::new()
    );
}

/// A new claim's root folder belongs to root: an app that runs as another user gets its group
/// as the pod's fsGroup so it can write there, unless the flags chose one; an app that runs as
/// root needs none.
#[test]
fn a_non_root_app_with_storage_owns_its_volume_through_fs_group() {
    let base = "new db --image postgres:16 --kind statefulset --port 5432 --storage 10Gi@/var/lib/postgresql --env-secret POSTGRES_PASSWORD=db:password";
    let fs_group = |flags: &str| {
        let command = format!("{base} {flags}");
        let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
        pod_spec(&generated.rendered.stream())["securityContext"]["fsGroup"].as_u64()
    };
    assert_eq!(fs_group("--security restricted"), Some(999));
    assert_eq!(fs_group("--run-as-user 1000:3000"), Some(3000));
    assert_eq!(
        fs_group("--security restricted --fs-group 2000"),
        Some(2000)
    );
    assert_eq!(fs_group(""), None);
}

#[test]
fn restricted_asks_for_the_user_of_an_image_it_does_not_know() {
    for image in ["busybox:1.28", "my-webapp:latest"] {
        podsmith()
            .args(["new", "app", "--image", image, "--security", "restricted"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "error: `--security restricted` needs `--run-as-user UID[:GID]`: podsmith does not know which user `{image}` (container `app`) runs as, and runAsNonRoot without a numeric user is refused at start when the image's user is root or a name\n"
            ));
    }
}

#[test]
fn a_read_only_root_keeps_tmp_known_paths_and_the_given_ones_writable() {
    let command = "new web --image nginx:1.27 --port 80 --read-only-root --writable /var/lib/nginx/ --log-sidecar /var/log/nginx/access.log";
    let generated = render(command).unwrap();
    let pod = pod_spec(&generated.rendered.stream());
    let app = app(&pod, "web");
    assert_eq!(
        mount_paths(app),
        // The app's own writable paths first, then what the patterns share with it.
        [
            "/tmp",
            "/var/cache/nginx",
            "/var/run",
            "/var/lib/nginx",
            "/var/log/nginx"
        ]
    );
    // Baseline still: the image's own user, which may be root.
    assert!(app["securityContext"]["runAsNonRoot"].is_null());
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
}

#[test]
fn a_given_user_always_comes_with_run_as_non_root_and_root_never_does() {
    let generated = render("new web --image busybox:1.28 --run-as-user 1000").unwrap();
    let pod = pod_spec(&generated.rendered.stream());
    let context = &app(&pod, "web")["securityContext"];
    assert_eq!(context["runAsNonRoot"].as_bool(), Some(true));
    assert_eq!(context["runAsUser"].as_u64(), Some(1000));
    assert_eq!(context["runAsGroup"].as_u64(), Some(1000));
    let generated = render("new web --image busybox:1.28 --run-as-user 0:0").unwrap();
    let pod = pod_spec(&generated.rendered.stream());
    let context = &app(&pod, "web")["securityContext"];
    assert_eq!(context["runAsNonRoot"].as_bool(), Some(false));
    assert_eq!(context["runAsUser"].as_u64(), Some(0));
}

#[test]
fn security_flags_refuse_bad_values_in_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--security", "privileged"],
            "error: invalid value `privileged` for `--security`: must be baseline or restricted: podsmith writes nothing that needs the privileged level; add such settings to the rendered manifest\n",
        ),
        (
            &["--run-as-user", "nginx"],
            "error: invalid value `nginx` for `--run-as-user`: must be a numeric UID[:GID], e.g. `1000` or `1000:3000`\n",
        ),
        (
            &["--writable", "/tmp/cache"],
            "error: `--writable` keeps paths writable on a read-only root filesystem: add --read-only-root or --security restricted\n",
        ),
        (
            &["--read-only-root", "--writable", "cache"],
            "error: invalid value `cache` for `--writable`: must be an absolute path\n",
        ),
        (
            &["--security", "restricted", "--run-as-user", "0"],
            "error: invalid value `0` for `--run-as-user`: the restricted level runs as a non-root user: give the image's non-root UID\n",
        ),
    ];
    assert_refused(cases);
}

#[test]
fn the_spec_file_takes_the_same_settings() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("podsmith.yaml");
    std::fs::write(
        &spec,
        "version: 1\napp:\n  name: web\n  image: ghcr.io/acme/web:1.4.2\n  ports:\n    - containerPort: 8080\n  security:\n    profile: restricted\n    runAsUser: 1000\n    runAsGroup: 3000\n    writable:\n      - /var/cache/web\n",
    )
    .unwrap();
    let from_file = podsmith()
        .args(["render", "-f"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(from_file.status.success(), "{from_file:?}");
    let from_flags = podsmith_new_web()
        .args([
            "--security",
            "restricted",
            "--run-as-user",
            "1000:3000",
            "--writable",
            "/var/cache/web",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&from_file.stdout),
        String::from_utf8_lossy(&from_flags.stdout)
    );
    let pod = pod_spec(&String::from_utf8_lossy(&from_file.stdout));
    assert_eq!(restricted_violations(&pod), Vec::<String>::new());
    assert_eq!(
        app(&pod, "web")["securityContext"]["runAsGroup"].as_u64(),
        Some(3000)
    );
}
