//! The Service rules of [`super`], one behaviour per test.
use crate::validate::test_support::messages;

fn service(spec: &str) -> Vec<(String, String)> {
    let text = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n{spec}");
    messages(&text, "service-spec")
}

const PORTS: &str = "  ports:\n  - port: 80\n";

#[test]
fn external_name_needs_a_host_and_no_cluster_ip() {
    assert_eq!(
        service("  type: ExternalName\n  clusterIP: None\n"),
        vec![
            (
                "spec.clusterIPs".to_string(),
                "Forbidden: may not be set for ExternalName services".to_string()
            ),
            (
                "spec.externalName".to_string(),
                "Required value".to_string()
            ),
        ]
    );
    assert!(service("  type: ExternalName\n  externalName: db.example.com.\n").is_empty());
}

#[test]
fn cluster_ips_are_addresses_one_per_family() {
    let found = service(&format!(
        "  clusterIP: 10.0.0.10\n  clusterIPs: [10.0.0.10, 10.0.0.11]\n{PORTS}"
    ));
    assert_eq!(
        found,
        vec![("spec.clusterIPs".to_string(), "Invalid value: [\"10.0.0.10\",\"10.0.0.11\"]: may specify no more than one IP for each IP family".to_string())]
    );
    let found = service(&format!("  clusterIP: 10.0.0.300\n{PORTS}"));
    assert_eq!(
        found,
        vec![("spec.clusterIPs[0]".to_string(), "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".to_string())]
    );
    let found = service(&format!(
        "  clusterIP: fd00::10\n  ipFamilies: [IPv4]\n{PORTS}"
    ));
    assert_eq!(
        found,
        vec![(
            "spec.clusterIPs[0]".to_string(),
            "Invalid value: \"fd00::10\": expected an IPv4 value as indicated by `ipFamilies[0]`"
                .to_string()
        )]
    );
    assert!(service(&format!("  clusterIP: 010.000.000.010\n{PORTS}")).is_empty());
}

#[test]
fn node_ports_and_headless_by_type() {
    assert_eq!(
        service("  ports:\n  - port: 80\n    nodePort: 30080\n"),
        vec![(
            "spec.ports[0].nodePort".to_string(),
            "Forbidden: may not be used when `type` is 'ClusterIP'".to_string()
        )]
    );
    assert_eq!(
        service(&format!("  type: NodePort\n  clusterIP: None\n{PORTS}")),
        vec![(
            "spec.clusterIPs[0]".to_string(),
            "Invalid value: \"None\": may not be set to 'None' for NodePort services".to_string()
        )]
    );
}

#[test]
fn load_balancer_fields_and_traffic_policies() {
    let found = service(&format!("  loadBalancerSourceRanges: [10.0.0.0/33]\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n{PORTS}"));
    assert_eq!(
        found,
        vec![
            ("spec.loadBalancerSourceRanges".to_string(), "Forbidden: may only be used when `type` is 'LoadBalancer'".to_string()),
            ("spec.loadBalancerSourceRanges[0]".to_string(), "Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)".to_string()),
            ("spec.externalTrafficPolicy".to_string(), "Invalid value: \"Local\": may only be set for externally-accessible services".to_string()),
            ("spec.sessionAffinityConfig.clientIP.timeoutSeconds".to_string(), "Invalid value: 0: must be greater than 0 and less than 86400".to_string()),
        ]
    );
    let balancer = format!("  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 30100\n  loadBalancerSourceRanges: [\" 10.0.0.0/8\"]\n{PORTS}");
    assert!(service(&balancer).is_empty());
}

#[test]
fn external_ips_are_ordinary_addresses() {
    assert_eq!(
        service(&format!("  externalIPs: [127.0.0.1, 192.0.2.10]\n{PORTS}")),
        vec![(
            "spec.externalIPs[0]".to_string(),
            "Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"
                .to_string()
        )]
    );
}
