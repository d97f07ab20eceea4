//! NetworkPolicy (`ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPort`,
//! `ValidateNetworkPolicyPeer`, `ValidateIPBlock`), read after the v1 default: a port's
//! protocol is TCP.

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::port_number;
use crate::names;
use crate::validate::api::ip::{Cidr, CIDR_RULE};
use crate::validate::api::{enum_value, invalid, selector, shown};
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

/// A NetworkPolicy: its pod selector, each rule's ports and peers, and its policy types.
pub(crate) fn network_policy(policy: &NetworkPolicy, sink: &mut Sink) {
    let rule = &rules::NETWORK_POLICY;
    let Some(spec) = &policy.spec else {
        return;
    };
    if let Some(pods) = &spec.pod_selector {
        selector::label_selector(pods, "spec.podSelector", rule, sink);
    }
    for (at, ingress) in spec.ingress.iter().flatten().enumerate() {
        let at = index("spec.ingress", at);
        ports(ingress.ports.as_deref(), &key(&at, "ports"), sink);
        peers(ingress.from.as_deref(), &key(&at, "from"), sink);
    }
    for (at, egress) in spec.egress.iter().flatten().enumerate() {
        let at = index("spec.egress", at);
        ports(egress.ports.as_deref(), &key(&at, "ports"), sink);
        peers(egress.to.as_deref(), &key(&at, "to"), sink);
    }
    let types = spec.policy_types.as_deref().unwrap_or_default();
    if types.len() > 2 {
        sink.report(
            rule,
            "spec.policyTypes",
            "Invalid value: may not specify more than two policyTypes",
        );
        return;
    }
    for (at, kind) in types.iter().enumerate() {
        let at = index("spec.policyTypes", at);
        enum_value(sink, &at, Some(kind), &["Ingress", "Egress"]);
    }
}

fn ports(ports: Option<&[NetworkPolicyPort]>, path: &str, sink: &mut Sink) {
    let rule = &rules::NETWORK_POLICY;
    for (at, port) in ports.into_iter().flatten().enumerate() {
        let at = index(path, at);
        enum_value(
            sink,
            &key(&at, "protocol"),
            port.protocol.as_deref(),
            &["TCP", "UDP", "SCTP"],
        );
        let end = key(&at, "endPort");
        match (&port.port, port.end_port) {
            (Some(IntOrString::Int(number)), end_port) => {
                port_number(*number, &key(&at, "port"), rule, sink);
                if let Some(end_port) = end_port {
                    if end_port < *number {
                        let message = invalid(end_port, "must be greater than or equal to `port`");
                        sink.report(rule, &end, message);
                    }
                    port_number(end_port, &end, rule, sink);
                }
            }
            (Some(IntOrString::String(name)), end_port) => {
                if let Some(end_port) = end_port {
                    let message =
                        invalid(end_port, "may not be specified when `port` is non-numeric");
                    sink.report(rule, &end, message);
                }
                for message in names::port_name(name) {
                    sink.report(rule, &key(&at, "port"), invalid(shown(name), &message));
                }
            }
            (None, Some(end_port)) => {
                let message = invalid(
                    end_port,
                    "may not be specified when `port` is not specified",
                );
                sink.report(rule, &end, message);
            }
            (None, None) => {}
        }
    }
}

fn peers(peers: Option<&[NetworkPolicyPeer]>, path: &str, sink: &mut Sink) {
    let rule = &rules::NETWORK_POLICY;
    for (at, peer) in peers.into_iter().flatten().enumerate() {
        let at = index(path, at);
        if let Some(pods) = &peer.pod_selector {
            selector::label_selector(pods, &key(&at, "podSelector"), rule, sink);
        }
        if let Some(namespaces) = &peer.namespace_selector {
            selector::label_selector(namespaces, &key(&at, "namespaceSelector"), rule, sink);
        }
        let count = [
            peer.pod_selector.is_some(),
            peer.namespace_selector.is_some(),
            peer.ip_block.is_some(),
        ]
        .iter()
        .filter(|set| **set)
        .count();
        if count == 0 {
            sink.report(rule, &at, "Required value: must specify a peer");
        }
        let Some(block) = &peer.ip_block else {
            continue;
        };
        if count > 1 {
            sink.report(
                rule,
                &at,
                "Forbidden: may not specify both ipBlock and another peer",
            );
        }
        let at = key(&at, "ipBlock");
        let Some(cidr) = cidr(&block.cidr, &key(&at, "cidr"), sink) else {
            continue;
        };
        for (i, except) in block.except.iter().flatten().enumerate() {
            let path = index(&key(&at, "except"), i);
            if let Some(inner) = self::cidr(except, &path, sink) {
                if !cidr.strictly_contains(&inner) {
                    sink.report(
                        rule,
                        &path,
                        invalid(shown(except), "must be a strict subset of `cidr`"),
                    );
                }
            }
        }
    }
}

/// Reads a CIDR of an ipBlock, reporting it when it is not one.
fn cidr(text: &str, path: &str, sink: &mut Sink) -> Option<Cidr> {
    if text.is_empty() {
        sink.report(&rules::NETWORK_POLICY, path, "Required value");
        return None;
    }
    let parsed = Cidr::parse(text);
    if parsed.is_none() {
        sink.report(
            &rules::NETWORK_POLICY,
            path,
            invalid(shown(text), CIDR_RULE),
        );
    }
    parsed
}
