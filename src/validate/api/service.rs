//! The Service spec as `ValidateService` checks it: type, selector labels, and its ports'
//! names, numbers, protocols and target ports, each (protocol, port) once.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::container::port_number;
use super::{enum_value, invalid, quoted};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn service_spec(service: &Service, sink: &mut Sink) {
    let Some(spec) = &service.spec else {
        return;
    };
    enum_value(
        sink,
        "spec.type",
        spec.type_.as_deref(),
        &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    );
    for (name, value) in spec.selector.iter().flatten() {
        let at = key("spec.selector", name);
        for message in names::qualified_name(name) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(name), &message));
        }
        for message in names::label_value(value) {
            sink.report(&rules::LABEL_INVALID, &at, invalid(quoted(value), &message));
        }
    }
    if spec.type_.as_deref() == Some("ExternalName") {
        return;
    }
    let ports = spec.ports.as_deref().unwrap_or_default();
    service_port_duplicates(ports, sink);
    if ports.is_empty() && spec.cluster_ip.as_deref() != Some("None") {
        sink.report(&rules::SERVICE_PORTS, "spec.ports", "Required value");
    }
    let mut seen = HashSet::new();
    for (at, port) in ports.iter().enumerate() {
        let p = index("spec.ports", at);
        let name = port.name.as_deref().unwrap_or_default();
        if name.is_empty() {
            if ports.len() > 1 {
                sink.report(&rules::SERVICE_PORTS, &key(&p, "name"), "Required value");
            }
        } else {
            for message in names::dns1123_label(name) {
                sink.report(
                    &rules::PORT_NAME,
                    &key(&p, "name"),
                    invalid(quoted(name), &message),
                );
            }
            if !seen.insert(name) {
                sink.report(
                    &rules::PORT_NAME_UNIQUE,
                    &key(&p, "name"),
                    format!("Duplicate value: {}", quoted(name)),
                );
            }
        }
        port_number(sink, &key(&p, "port"), port.port);
        if let Some(node_port) = port.node_port.filter(|n| *n != 0) {
            port_number(sink, &key(&p, "nodePort"), node_port);
        }
        enum_value(
            sink,
            &key(&p, "protocol"),
            port.protocol.as_deref(),
            &["SCTP", "TCP", "UDP"],
        );
        match &port.target_port {
            Some(IntOrString::Int(number)) if *number != 0 => {
                port_number(sink, &key(&p, "targetPort"), *number)
            }
            Some(IntOrString::String(text)) => {
                for message in names::port_name(text) {
                    sink.report(
                        &rules::PORT_NAME,
                        &key(&p, "targetPort"),
                        invalid(quoted(text), &message),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `ValidateService`: each (protocol, port) and each (protocol, nodePort) once.
fn service_port_duplicates(ports: &[ServicePort], sink: &mut Sink) {
    let mut seen_ports = HashSet::new();
    let mut seen_node_ports = HashSet::new();
    for (at, port) in ports.iter().enumerate() {
        let protocol = port.protocol.as_deref().unwrap_or("TCP");
        let claim = format!("{protocol}/{}", port.port);
        if !seen_ports.insert(claim.clone()) {
            sink.report(
                &rules::SERVICE_PORT_UNIQUE,
                &index("spec.ports", at),
                format!("Duplicate value: {}", quoted(&claim)),
            );
        }
        if let Some(node_port) = port.node_port.filter(|n| *n != 0) {
            if !seen_node_ports.insert(format!("{protocol}/{node_port}")) {
                sink.report(
                    &rules::SERVICE_PORT_UNIQUE,
                    &index("spec.ports", at),
                    format!("Duplicate value: {node_port}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn service_ports() {
        let text = include_str!("../../../tests/fixtures/invalid/service-ports.yaml");
        assert_eq!(
            only(text, "service-ports"),
            vec![(
                13,
                "spec.ports[1].name".to_string(),
                "Required value".to_string()
            )]
        );
    }
}
