//! Port names as service meshes read them (a name's prefix selects the protocol in Istio and
//! Linkerd), `appProtocol` where the name cannot say it, and one port number per protocol.

use serde_json::Value;

use crate::support::{podsmith, render};

/// A container port: name, number, protocol.
type ContainerPort = (String, u64, String);
/// A Service port: name, number, protocol, appProtocol (empty when unset).
type ServicePort = (String, u64, String, String);

/// The workload's app container ports and the Service's ports.
fn ports(command: &str) -> (Vec<ContainerPort>, Vec<ServicePort>) {
    let generated = render(command).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert!(
        generated.warnings.is_empty(),
        "{command}: {:?}",
        generated.warnings
    );
    let documents: Vec<Value> = crate::support::yaml12(&generated.rendered.stream());
    let container = &documents[0]["spec"]["template"]["spec"]["containers"][0];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let app = container["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                text(&p["name"]),
                p["containerPort"].as_u64().unwrap(),
                text(&p["protocol"]),
            )
        })
        .collect();
    let service = documents
        .iter()
        .find(|d| d["kind"] == "Service")
        .map(|s| {
            s["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        text(&p["name"]),
                        p["port"].as_u64().unwrap(),
                        text(&p["protocol"]),
                        text(&p["appProtocol"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (app, service)
}

fn owned(list: &[(&str, u64, &str)]) -> Vec<(String, u64, String)> {
    list.iter()
        .map(|(n, p, t)| (n.to_string(), *p, t.to_string()))
        .collect()
}

#[test]
fn a_database_port_is_never_named_http() {
    for (port, name) in [
        (5432, "tcp-postgresql"),
        (3306, "tcp-mysql"),
        (6379, "tcp-redis"),
        (27017, "tcp-mongodb"),
        (9000, "tcp-9000"),
    ] {
        let (app, service) = ports(&format!("new db --image ghcr.io/acme/db:1 --port {port}"));
        assert_eq!(app, owned(&[(name, port, "TCP")]));
        assert_eq!(
            service,
            [(name.to_string(), port, "TCP".to_string(), String::new())]
        );
    }
}

#[test]
fn http_ports_are_named_http_and_say_so_in_app_protocol() {
    let (app, service) =
        ports("new web --image ghcr.io/acme/web:1 --port 8080 --port 443 --port 80");
    assert_eq!(
        app,
        owned(&[
            ("http", 8080, "TCP"),
            ("https", 443, "TCP"),
            ("http-80", 80, "TCP")
        ])
    );
    let protocols: Vec<&str> = service.iter().map(|p| p.3.as_str()).collect();
    assert_eq!(protocols, ["http", "https", "http"]);
    // An HTTP health path says the probed port speaks HTTP, whatever its number.
    let (app, _) =
        ports("new api --image ghcr.io/acme/api:1 --port 3000 --port 9000 --health-path /healthz");
    assert_eq!(
        app,
        owned(&[("http", 3000, "TCP"), ("tcp-9000", 9000, "TCP")])
    );
}

#[test]
fn the_adapter_metrics_port_says_http_in_app_protocol() {
    let (_, service) =
        ports("new web --image nginxinc/nginx-unprivileged:1.27 --port 8080 --adapter nginx");
    assert!(service.contains(&(
        "metrics".to_string(),
        9113,
        "TCP".to_string(),
        "http".to_string()
    )));
}

#[test]
fn one_port_number_serves_tcp_and_udp() {
    let (app, service) =
        ports("new dns --image coredns/coredns:1.11.3 --port 53/udp --port 53/tcp --port 9153");
    assert_eq!(
        app,
        owned(&[
            ("udp-dns", 53, "UDP"),
            ("tcp-dns", 53, "TCP"),
            ("tcp-9153", 9153, "TCP")
        ])
    );
    assert_eq!(service.len(), 3);
    podsmith()
        .args([
            "new",
            "dns",
            "--image",
            "coredns/coredns:1.11.3",
            "--port",
            "53/udp",
            "--port",
            "53/UDP",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: port `53/UDP` is claimed twice: by the app and by the app again\n");
}

#[test]
fn the_validator_lets_two_containers_share_a_number_on_different_protocols() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dns\nspec:\n  containers:\n  - name: udp\n    image: a:1\n    ports:\n    - containerPort: 53\n      protocol: UDP\n  - name: tcp\n    image: b:1\n    ports:\n    - containerPort: 53\n      protocol: TCP\n";
    let output = podsmith()
        .args(["validate", "--output", "json", "-"])
        .write_stdin(manifest)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let conflicts: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "port-conflict")
        .collect();
    assert!(conflicts.is_empty(), "{conflicts:#?}");
    let same = manifest.replace("protocol: TCP", "protocol: UDP");
    let output = podsmith()
        .args(["validate", "--output", "json", "-"])
        .write_stdin(same)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "port-conflict"));
}
