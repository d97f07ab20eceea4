//! Each networking rule with a document the API server accepts and one it refuses.

use crate::validate::test_support::{messages, only};

fn ingress(spec: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n{spec}"
    )
}

const BACKEND: &str = "        backend:\n          service:\n            name: web\n            port:\n              number: 80\n";

fn one_path(path: &str, path_type: &str) -> String {
    ingress(&format!(
        "  rules:\n  - http:\n      paths:\n      - path: {path}\n        pathType: {path_type}\n{BACKEND}"
    ))
}

/// The messages of the `ingress` findings.
fn ingress_messages(text: &str) -> Vec<(String, String)> {
    messages(text, "ingress")
}

#[test]
fn rules_or_a_default_backend() {
    assert_eq!(
        ingress_messages(&ingress("  ingressClassName: nginx\n")),
        vec![(
            "spec".to_string(),
            "Invalid value: null: either `defaultBackend` or `rules` must be specified".to_string()
        )]
    );
    let backend = ingress(
        "  defaultBackend:\n    service:\n      name: web\n      port:\n        name: http\n",
    );
    assert!(ingress_messages(&backend).is_empty());
}

#[test]
fn exact_and_prefix_paths_are_absolute_and_clean() {
    assert!(ingress_messages(&one_path("/api", "Prefix")).is_empty());
    assert!(ingress_messages(&one_path("api", "ImplementationSpecific")).len() == 1);
    let found = ingress_messages(&one_path("/a//b/..", "Exact"));
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Invalid value: \"/a//b/..\": must not contain '//'",
            "Invalid value: \"/a//b/..\": cannot end with '/..'"
        ]
    );
    assert_eq!(found[0].0, "spec.rules[0].http.paths[0].path");
    let unknown = only(&one_path("/", "Regex"), "enum-value");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].1, "spec.rules[0].http.paths[0].pathType");
}

#[test]
fn a_backend_is_one_service_port_or_one_resource() {
    let both = ingress("  defaultBackend:\n    service:\n      name: web\n      port:\n        name: http\n        number: 80\n");
    assert_eq!(
        ingress_messages(&both),
        vec![(
            "spec.defaultBackend".to_string(),
            "Invalid value: \"\": cannot set both port name & port number".to_string()
        )]
    );
    let neither = ingress("  defaultBackend:\n    service:\n      name: web\n");
    assert_eq!(
        ingress_messages(&neither)[0].1,
        "Required value: port name or number is required"
    );
    let two = ingress("  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n    resource:\n      kind: Bucket\n      name: assets\n");
    assert_eq!(
        ingress_messages(&two)[0].1,
        "Invalid value: \"\": cannot set both resource and service backends"
    );
    let out_of_range = ingress(
        "  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 70000\n",
    );
    assert_eq!(
        ingress_messages(&out_of_range)[0].0,
        "spec.defaultBackend.service.port.number"
    );
}

#[test]
fn hosts_are_dns_names_with_an_optional_leading_wildcard() {
    let host = |host: &str| {
        ingress(&format!(
            "  rules:\n  - host: \"{host}\"\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n{BACKEND}"
        ))
    };
    assert!(ingress_messages(&host("*.example.com")).is_empty());
    assert!(ingress_messages(&host("shop.example.com")).is_empty());
    let ip = ingress_messages(&host("10.0.0.1"));
    assert_eq!(ip.len(), 1, "{ip:?}");
    assert!(ip[0].1.ends_with("must be a DNS name, not an IP address"));
    let wildcard = ingress_messages(&host("shop.*.com"));
    assert!(
        wildcard[0].1.contains("wildcard DNS-1123 subdomain"),
        "{wildcard:?}"
    );
    let tls = ingress("  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n  tls:\n  - hosts: [Example.com]\n    secretName: web-tls\n");
    assert_eq!(ingress_messages(&tls)[0].0, "spec.tls[0].hosts[0]");
}

#[test]
fn the_class_annotation_matches_the_class_name() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/ingress.class: traefik\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n";
    let found = ingress_messages(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]
        .1
        .ends_with("must match `ingressClassName` when both are specified"));
    assert!(ingress_messages(&text.replace("traefik", "nginx")).is_empty());
}

#[test]
fn ingress_class_parameters_follow_their_scope() {
    let class = |parameters: &str| {
        format!("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n    kind: Params\n    name: p\n{parameters}")
    };
    assert!(ingress_messages(&class("")).is_empty());
    assert!(ingress_messages(&class("    scope: Namespace\n    namespace: infra\n")).is_empty());
    assert_eq!(
        ingress_messages(&class("    scope: Namespace\n")),
        vec![(
            "spec.parameters.namespace".to_string(),
            "Required value: `parameters.scope` is set to 'Namespace'".to_string()
        )]
    );
    assert_eq!(
        ingress_messages(&class("    namespace: infra\n"))[0].1,
        "Forbidden: `parameters.scope` is set to 'Cluster'"
    );
    let controller = class("").replace("k8s.io/ingress-nginx", "ingress-nginx");
    assert!(ingress_messages(&controller)[0]
        .1
        .contains("domain-prefixed path"));
}

fn policy(spec: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector: {{}}\n{spec}")
}

fn policy_messages(text: &str) -> Vec<(String, String)> {
    messages(text, "network-policy")
}

#[test]
fn ports_and_end_ports() {
    let ports = |ports: &str| policy(&format!("  ingress:\n  - ports:\n{ports}"));
    assert!(policy_messages(&ports("    - port: 8000\n      endPort: 9000\n")).is_empty());
    assert_eq!(
        policy_messages(&ports("    - port: 9000\n      endPort: 8000\n")),
        vec![(
            "spec.ingress[0].ports[0].endPort".to_string(),
            "Invalid value: 8000: must be greater than or equal to `port`".to_string()
        )]
    );
    assert_eq!(
        policy_messages(&ports("    - port: http\n      endPort: 8000\n"))[0].1,
        "Invalid value: 8000: may not be specified when `port` is non-numeric"
    );
    assert_eq!(
        policy_messages(&ports("    - endPort: 8000\n"))[0].1,
        "Invalid value: 8000: may not be specified when `port` is not specified"
    );
    assert_eq!(policy_messages(&ports("    - port: 0\n")).len(), 1);
}

#[test]
fn peers_and_ip_blocks() {
    let from = |peer: &str| policy(&format!("  ingress:\n  - from:\n{peer}"));
    assert!(policy_messages(&from(
        "    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.1.0.0/16]\n"
    ))
    .is_empty());
    assert_eq!(
        policy_messages(&from("    - {}\n")),
        vec![(
            "spec.ingress[0].from[0]".to_string(),
            "Required value: must specify a peer".to_string()
        )]
    );
    assert_eq!(
        policy_messages(&from(
            "    - ipBlock:\n        cidr: 10.0.0.0/8\n      podSelector: {}\n"
        ))[0]
            .1,
        "Forbidden: may not specify both ipBlock and another peer"
    );
    assert_eq!(
        policy_messages(&from("    - ipBlock:\n        cidr: 10.0.0.0/33\n"))[0].0,
        "spec.ingress[0].from[0].ipBlock.cidr"
    );
    let outside = from("    - ipBlock:\n        cidr: 10.0.0.0/16\n        except: [10.0.0.0/16, 192.168.0.0/24, fd00::/64]\n");
    assert_eq!(
        policy_messages(&outside).len(),
        3,
        "{:?}",
        policy_messages(&outside)
    );
    let both = from("    - podSelector: {}\n      namespaceSelector:\n        matchExpressions:\n        - key: team\n          operator: Exists\n          values: [a]\n");
    assert_eq!(
        policy_messages(&both)[0].1,
        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
    );
}

#[test]
fn policy_types() {
    assert!(policy_messages(&policy("  policyTypes: [Ingress, Egress]\n")).is_empty());
    let unknown = only(&policy("  policyTypes: [Ingres]\n"), "enum-value");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].1, "spec.policyTypes[0]");
    assert_eq!(
        policy_messages(&policy("  policyTypes: [Ingress, Egress, Ingress]\n"))[0].1,
        "Invalid value: may not specify more than two policyTypes"
    );
}
