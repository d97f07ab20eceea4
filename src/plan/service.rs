//! The Service in front of the pods: its ports are the app's, routed through a proxy sidecar
//! when one fronts the app, and those the patterns expose.

use serde::Serialize;

use super::PodParts;
use crate::spec::{Spec, WorkloadKind};

/// A port of the Service in front of the pods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ServicePort {
    /// Port name (also the target port).
    pub(crate) name: String,
    /// Port number.
    pub(crate) port: u32,
    /// Protocol.
    pub(crate) protocol: &'static str,
    /// The container port name it forwards to.
    pub(crate) target: String,
    /// `appProtocol`, where it tells a mesh or load balancer what the name cannot.
    pub(crate) app_protocol: Option<&'static str>,
}

/// The Service's ports: the app's (through the proxy, when one fronts it) and the patterns'.
pub(super) fn service_ports(spec: &Spec, parts: &mut PodParts) -> Vec<ServicePort> {
    let mut service_ports: Vec<ServicePort> = crate::patterns::app::port_names(spec)
        .into_iter()
        .zip(&spec.app.ports)
        .map(|(name, port)| match &parts.proxied_port {
            // A headless Service does no port mapping: clients reach the proxy's own port.
            Some((number, proxy, proxy_port)) if *number == port.container_port => ServicePort {
                app_protocol: crate::patterns::app::app_protocol(&name),
                name,
                port: if spec.app.kind == WorkloadKind::StatefulSet {
                    *proxy_port
                } else {
                    port.container_port
                },
                protocol: port.protocol.as_str(),
                target: proxy.clone(),
            },
            _ => ServicePort {
                target: name.clone(),
                app_protocol: crate::patterns::app::app_protocol(&name),
                name,
                port: port.container_port,
                protocol: port.protocol.as_str(),
            },
        })
        .collect();
    service_ports.append(&mut parts.service_ports);
    service_ports
}
