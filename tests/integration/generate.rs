//! Snapshots of the exact rendered text: every pattern alone and the combinations users reach
//! for, on Pod and Deployment, for Kubernetes 1.28 (sidecars as regular containers) and 1.37
//! (native sidecars). Each must also render with no validator warning.

use crate::support::{render, settings, yaml12};

/// `(snapshot name, flags)`; the kind and version are added per run.
const CASES: &[(&str, &str)] = &[
    ("plain", "web --image ghcr.io/acme/web:1.4.2 --port 8080"),
    ("wait-for", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --wait-for postgres:5432 --wait-for redis.cache.svc:6379 --wait-timeout 120"),
    ("git-clone", "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --git-clone https://github.com/acme/site.git --git-ref v2.1.0 --git-mount /usr/share/nginx/html"),
    ("init-command", "api --image ghcr.io/acme/api:3.2.0 --port 8000 -e DATABASE_URL=postgres://db:5432/app --init-command './manage.py migrate --noinput'"),
    ("log-sidecar", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --log-sidecar"),
    ("ambassador", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --ambassador 5432=db.prod.example.com:5432"),
    ("adapter", "web --image nginxinc/nginx-unprivileged:1.27 --port 8080 --adapter nginx"),
    ("container", "web --image ghcr.io/acme/web:1.4.2 --port 8080 --container worker=ghcr.io/acme/worker:1.4.2"),
    ("site-sync", "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html --git-sync 120"),
    ("restricted", "site --image nginxinc/nginx-unprivileged:1.27 --port 8080 --security restricted --git-clone https://github.com/acme/site.git --git-mount /usr/share/nginx/html --log-sidecar /var/log/nginx/access.log --writable /var/cache/site"),
    ("full", "shop --image ghcr.io/acme/shop:2.0.1 --port 8080 --health-path /healthz -l team=payments -n shop --wait-for postgres:5432 --init-command 'bin/migrate' --ambassador 6379=cache.example.com:6379 --log-sidecar /var/log/shop/shop.log --adapter statsd"),
];

#[test]
fn every_case_on_every_kind_and_version_matches_its_snapshot() {
    for (case, flags) in CASES {
        for kind in ["pod", "deployment"] {
            for version in ["1.28", "1.37"] {
                let command = format!("new {flags} --kind {kind} --kube-version {version}");
                let generated = render(&command).unwrap_or_else(|e| panic!("{command}: {e}"));
                assert!(
                    generated.warnings.is_empty(),
                    "{command}: {:?}",
                    generated.warnings
                );
                settings("generate").bind(|| {
                    insta::with_settings!({ description => command.clone() }, {
                        insta::assert_snapshot!(format!("{case}-{kind}-{version}"), generated.rendered.stream());
                    });
                });
            }
        }
    }
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
    let b = stream.find("\"wait-for-b-db\"").unwrap();
    let a = stream.find("\"wait-for-a-cache\"").unwrap();
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
