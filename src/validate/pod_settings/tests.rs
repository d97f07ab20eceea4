//! The pod-settings rules on small pods, each finding with the API server's message: security
//! contexts, host-network ports, DNS, volume sources, sub-paths and probe timings.

use crate::validate::test_support::only;

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{spec}")
}

const APP: &str = "  containers:\n  - name: app\n    image: nginx:1.27\n";

#[test]
fn privileged_without_escalation_is_rejected() {
    let text = pod(&format!("{APP}    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: false\n"));
    let found = only(&text, "security-context");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "spec.containers[0].securityContext");
    assert!(found[0]
        .2
        .ends_with("cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
    let sys_admin = pod(&format!("{APP}    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        add: [CAP_SYS_ADMIN]\n"));
    assert_eq!(only(&sys_admin, "security-context").len(), 1);
    let spelled = sys_admin.replace("CAP_SYS_ADMIN", "SYS_ADMIN");
    assert!(only(&spelled, "security-context").is_empty());
    let negative = pod(&format!("  securityContext:\n    runAsUser: -1\n{APP}"));
    assert_eq!(
        only(&negative, "security-context")[0].1,
        "spec.securityContext.runAsUser"
    );
}

#[test]
fn host_network_ports_match() {
    let text = pod(&format!("  hostNetwork: true\n{APP}    ports:\n    - containerPort: 8080\n      hostPort: 80\n    - containerPort: 9090\n"));
    let found = only(&text, "host-network-port");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "spec.containers[0].ports[0].hostPort");
    assert_eq!(
        found[0].2,
        "Invalid value: 80: must match `containerPort` when `hostNetwork` is true"
    );
}

#[test]
fn dns_none_needs_a_config() {
    let text = pod(&format!("  dnsPolicy: None\n{APP}"));
    assert_eq!(
        only(&text, "dns-config"),
        vec![(
            5,
            "spec.dnsConfig".to_string(),
            "Required value: must provide `dnsConfig` when `dnsPolicy` is None".to_string()
        )]
    );
    let empty = pod(&format!(
        "  dnsPolicy: None\n  dnsConfig:\n    searches: [a.example]\n{APP}"
    ));
    assert_eq!(
        only(&empty, "dns-config")[0].1,
        "spec.dnsConfig.nameservers"
    );
    let fine = pod(&format!(
        "  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.1.1.1]\n{APP}"
    ));
    assert!(only(&fine, "dns-config").is_empty());
    let many = pod(&format!(
        "  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 10.0.0.1, dns]\n{APP}"
    ));
    assert_eq!(only(&many, "dns-config").len(), 2);
}

#[test]
fn one_source_per_volume() {
    let text = pod(&format!("{APP}  volumes:\n  - name: data\n    emptyDir: {{}}\n    configMap:\n      name: cfg\n  - name: plain\n"));
    let found = only(&text, "volume-source");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].2,
        "Forbidden: may not specify more than 1 volume type"
    );
}

#[test]
fn sub_paths_are_relative_and_descending() {
    let text = pod(&format!("{APP}    volumeMounts:\n    - name: data\n      mountPath: /a\n      subPath: /etc\n    - name: data\n      mountPath: /b\n      subPath: x/../../y\n    - name: data\n      mountPath: /c\n      subPath: ok/..x\n  volumes:\n  - name: data\n    configMap:\n      name: cfg\n      items:\n      - key: k\n        path: ..data\n      - key: j\n        path: j\n        mode: 4096\n"));
    let found = only(&text, "sub-path");
    let paths: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "spec.containers[0].volumeMounts[0].subPath",
            "spec.containers[0].volumeMounts[1].subPath",
            "spec.volumes[0].configMap.items[0].path",
        ],
        "{found:?}"
    );
    let modes = only(&text, "number-range");
    assert_eq!(modes.len(), 1, "{modes:?}");
    assert_eq!(modes[0].1, "spec.volumes[0].configMap.items[1].mode");
}

#[test]
fn negative_probe_timings() {
    let text = pod(&format!(
        "{APP}    readinessProbe:\n      tcpSocket:\n        port: 80\n      periodSeconds: -5\n"
    ));
    let found = only(&text, "number-range");
    assert_eq!(
        found,
        vec![(
            12,
            "spec.containers[0].readinessProbe.periodSeconds".to_string(),
            "Invalid value: -5: must be greater than or equal to 0".to_string()
        )]
    );
}
