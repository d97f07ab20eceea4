//! Snapshots of the exact rendered text: every pattern alone and the combinations users reach
//! for, on Pod and Deployment, for Kubernetes 1.28 (sidecars as regular containers) and 1.37
//! (native sidecars). Each must also render with no validator warning.

use crate::support::{assert_snapshot, render, yaml12};

/// Renders `flags` as `kind` for `version`, expects no validator warning and compares the
/// text with the snapshot `<case>-<kind>-<version>` (a case's `_` written `-`).
fn check(case: &str, flags: &str, kind: &str, version: &str) {
    let command = format!("new {flags} --kind {kind} --kube-version {version}");
    let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert!(
        generated.warnings.is_empty(),
        "{command}: {:?}",
        generated.warnings
    );
    let name = format!("{}-{kind}-{version}", case.replace('_', "-"));
    assert_snapshot("generate", &name, &command, &generated.rendered.stream());
}

/// One module a case (its flags; the kind and version are added per test), one test a kind
/// and version: Pod and Deployment, 1.28 (sidecars as regular containers) and 1.37 (native).
macro_rules! cases {
    ($($case:ident: $flags:literal,)*) => {$(
        mod $case {
            #[test]
            fn pod_1_28() {
                super::check(stringify!($case), $flags, "pod", "1.28");
            }
            #[test]
            fn pod_1_37() {
                super::check(stringify!($case), $flags, "pod", "1.37");
            }
            #[test]
            fn deployment_1_28() {
                super::check(stringify!($case), $flags, "deployment", "1.28");
            }
            #[test]
            fn deployment_1_37() {
                super::check(stringify!($case), $flags, "deployment", "1.37");
            }
        }
    )*};
}

cases! {
    plain: "web --image ghcr.io/acme/web:1.4.2 --port 8080",
    wait_for: "web --image ghcr.io/acme/web:1.4.2 --port 8080 --wait-for postgres:5432 --wait-for redis.cache.svc:6379 --wait-timeout 120",
    git_clone: "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --git-clone https://github.com/acme/site.git --git-ref v2.1.0 --git-mount /usr/share/nginx/html",
    init_command: "api --image ghcr.io/acme/api:3.2.0 --port 8000 -e DATABASE_URL=postgres://db:5432/app --init-command './manage.py migrate --noinput'",
    log_sidecar: "web --image ghcr.io/acme/web:1.4.2 --port 8080 --log-sidecar",
    ambassador: "web --image ghcr.io/acme/web:1.4.2 --port 8080 --ambassador 5432=db.prod.example.com:5432",
    adapter: "web --image nginxinc/nginx-unprivileged:1.27 --port 8080 --adapter nginx",
    container: "web --image ghcr.io/acme/web:1.4.2 --port 8080 --container worker=ghcr.io/acme/worker:1.4.2",
    site_sync: "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html --git-sync 120",
    restricted: "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --security restricted --git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html --log-sidecar /var/log/nginx/access.log --writable /var/cache/site",
    full: "shop --image ghcr.io/acme/shop:2.0.1 --port 8080 --health-path /healthz -l team=payments -n shop --wait-for postgres:5432 --init-command 'bin/migrate' --ambassador 6379=cache.example.com:6379 --log-sidecar /var/log/shop/shop.log --adapter statsd",
}

#[test]
fn sidecars_are_native_from_1_29_and_regular_before() {
    let command = |version: &str| {
        format!("new web --image ghcr.io/acme/web:1.4.2 --log-sidecar --kube-version {version}")
    };
    for minor in 27..=37 {
        let version = format!("1.{minor}");
        let stream = render(&command(&version)).unwrap().rendered.stream();
        let value = yaml12(&stream).remove(0);
        let pod = &value["spec"]["template"]["spec"];
        let init_names: Vec<_> = pod["initContainers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        let app_names: Vec<_> = pod["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        if minor >= 29 {
            assert_eq!(init_names, ["log-sidecar"], "{version}");
            assert_eq!(
                pod["initContainers"][0]["restartPolicy"].as_str(),
                Some("Always")
            );
            assert_eq!(app_names, ["web"], "{version}");
        } else {
            assert!(init_names.is_empty(), "{version}");
            assert_eq!(app_names, ["web", "log-sidecar"], "{version}");
            assert!(
                !stream.contains("restartPolicy"),
                "{version}: restartPolicy before 1.29"
            );
        }
    }
}

#[test]
fn wait_for_dependencies_start_in_the_given_order() {
    let stream = render("new web --image ghcr.io/acme/web:1.4.2 --wait-for b-db:5432 --wait-for a-cache:6379 --kind pod").unwrap().rendered.stream();
    let b = stream.find("name: wait-for-b-db").unwrap();
    let a = stream.find("name: wait-for-a-cache").unwrap();
    assert!(b < a, "init containers must keep the order of the flags");
}

#[test]
fn deployment_selector_matches_template_labels() {
    let stream = render("new web --image ghcr.io/acme/web:1.4.2 -l tier=frontend")
        .unwrap()
        .rendered
        .stream();
    let value = yaml12(&stream).remove(0);
    let selector = value["spec"]["selector"]["matchLabels"]
        .as_object()
        .unwrap();
    let labels = value["spec"]["template"]["metadata"]["labels"]
        .as_object()
        .unwrap();
    assert!(!selector.is_empty());
    for (key, val) in selector {
        assert_eq!(labels.get(key), Some(val));
    }
    assert_eq!(
        labels.get("tier").and_then(|v| v.as_str()),
        Some("frontend")
    );
}

#[test]
fn documents_come_workload_first_then_config_maps_then_service() {
    let generated = render(
        "new web --image ghcr.io/acme/web:1.4.2 --port 8080 --ambassador db.example.com:5432",
    )
    .unwrap();
    let kinds: Vec<_> = generated
        .rendered
        .documents
        .iter()
        .map(|d| d.kind.as_str())
        .collect();
    assert_eq!(kinds, ["Deployment", "ConfigMap", "Service"]);
}
