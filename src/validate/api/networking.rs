//! networking.k8s.io/v1 rules of `pkg/apis/networking/validation/validation.go`: Ingress
//! (`ValidateIngressCreate`, `ValidateIngressSpec`, `validateIngressRules`,
//! `validateHTTPIngressPath`, `validateIngressBackend`, `validateIngressTLS`), IngressClass
//! (`validateIngressClassSpec`, `validateIngressClassParametersReference`) and NetworkPolicy
//! (`ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPort`, `ValidateNetworkPolicyPeer`,
//! `ValidateIPBlock`), read after the v1 defaults (a NetworkPolicy port's protocol is TCP, an
//! IngressClass's parameters scope is Cluster).

use std::net::IpAddr;

use k8s_openapi::api::networking::v1::{
    Ingress, IngressBackend, IngressClass, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::metadata::path_segment_name;
use super::{enum_value, invalid, selector, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

/// The annotation that named an Ingress's class before `ingressClassName`.
const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// An Ingress, with its metadata (which the parse moved out of it).
pub fn ingress(ingress: &Ingress, metadata: &ObjectMeta, sink: &mut Sink) {
    let rule = &rules::INGRESS;
    let Some(spec) = &ingress.spec else {
        sink.report(
            rule,
            "spec",
            "Invalid value: null: either `defaultBackend` or `rules` must be specified",
        );
        return;
    };
    let rules_list = spec.rules.as_deref().unwrap_or_default();
    if rules_list.is_empty() && spec.default_backend.is_none() {
        sink.report(
            rule,
            "spec",
            "Invalid value: null: either `defaultBackend` or `rules` must be specified",
        );
    }
    if let Some(backend) = &spec.default_backend {
        ingress_backend(backend, "spec.defaultBackend", sink);
    }
    for (at, ingress_rule) in rules_list.iter().enumerate() {
        let at = index("spec.rules", at);
        if let Some(host) = ingress_rule.host.as_deref().filter(|h| !h.is_empty()) {
            host_name(host, &key(&at, "host"), true, sink);
        }
        let Some(http) = &ingress_rule.http else {
            continue;
        };
        let paths = key(&key(&at, "http"), "paths");
        if http.paths.is_empty() {
            sink.report(rule, &paths, "Required value");
        }
        for (i, path) in http.paths.iter().enumerate() {
            let at = index(&paths, i);
            let written = path.path.as_deref().unwrap_or_default();
            match path.path_type.as_str() {
                "" => sink.report(
                    rule,
                    &key(&at, "pathType"),
                    "Required value: pathType must be specified",
                ),
                "Exact" | "Prefix" => http_path(written, &key(&at, "path"), sink),
                "ImplementationSpecific" if !written.is_empty() && !written.starts_with('/') => {
                    sink.report(
                        rule,
                        &key(&at, "path"),
                        invalid(shown(written), "must be an absolute path"),
                    );
                }
                "ImplementationSpecific" => {}
                _ => enum_value(
                    sink,
                    &key(&at, "pathType"),
                    Some(&path.path_type),
                    &["Exact", "ImplementationSpecific", "Prefix"],
                ),
            }
            ingress_backend(&path.backend, &key(&at, "backend"), sink);
        }
    }
    for (at, tls) in spec.tls.iter().flatten().enumerate() {
        let at = index("spec.tls", at);
        for (i, host) in tls.hosts.iter().flatten().enumerate() {
            host_name(host, &index(&key(&at, "hosts"), i), false, sink);
        }
        if let Some(secret) = tls.secret_name.as_deref().filter(|s| !s.is_empty()) {
            for message in names::dns1123_subdomain(secret) {
                sink.report(
                    rule,
                    &key(&at, "secretName"),
                    invalid(shown(secret), &message),
                );
            }
        }
    }
    if let Some(class) = &spec.ingress_class_name {
        for message in names::dns1123_subdomain(class) {
            sink.report(
                rule,
                "spec.ingressClassName",
                invalid(shown(class), &message),
            );
        }
        let annotations = metadata.annotations.as_ref();
        if let Some(annotation) = annotations.and_then(|a| a.get(CLASS_ANNOTATION)) {
            if annotation != class {
                sink.report(
                    rule,
                    &key("metadata.annotations", CLASS_ANNOTATION),
                    invalid(
                        shown(annotation),
                        "must match `ingressClassName` when both are specified",
                    ),
                );
            }
        }
    }
}

/// A rule's host or a TLS host: a DNS-1123 subdomain, or one with a leading `*.`; a rule's
/// host is not an IP address.
fn host_name(host: &str, path: &str, rule_host: bool, sink: &mut Sink) {
    if rule_host && host.parse::<IpAddr>().is_ok() {
        sink.report(
            &rules::INGRESS,
            path,
            invalid(shown(host), "must be a DNS name, not an IP address"),
        );
    }
    let messages = if host.contains('*') {
        wildcard_subdomain(host)
    } else {
        names::dns1123_subdomain(host)
    };
    for message in messages {
        sink.report(&rules::INGRESS, path, invalid(shown(host), &message));
    }
}

/// `IsWildcardDNS1123Subdomain`: `*.` and a DNS-1123 subdomain.
fn wildcard_subdomain(host: &str) -> Vec<String> {
    let valid = host.len() <= 253
        && host
            .strip_prefix("*.")
            .is_some_and(|rest| names::dns1123_subdomain(rest).is_empty());
    if valid {
        return Vec::new();
    }
    vec!["a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com')".to_string()]
}

/// The path of an `Exact` or `Prefix` rule: absolute, without `//`, `/./`, `/../` or an
/// encoded slash, not ending in `/..` or `/.`.
fn http_path(path: &str, at: &str, sink: &mut Sink) {
    let mut problems = Vec::new();
    if !path.starts_with('/') {
        problems.push("must be an absolute path".to_string());
    }
    for sequence in ["//", "/./", "/../", "%2f", "%2F"] {
        if path.contains(sequence) {
            problems.push(format!("must not contain '{sequence}'"));
        }
    }
    for suffix in ["/..", "/."] {
        if path.ends_with(suffix) {
            problems.push(format!("cannot end with '{suffix}'"));
        }
    }
    for problem in problems {
        sink.report(&rules::INGRESS, at, invalid(shown(path), &problem));
    }
}

/// A backend: a service (a name and one of a port name or number) or a resource, not both.
fn ingress_backend(backend: &IngressBackend, path: &str, sink: &mut Sink) {
    let rule = &rules::INGRESS;
    match (&backend.service, &backend.resource) {
        (Some(_), Some(_)) => sink.report(
            rule,
            path,
            "Invalid value: \"\": cannot set both resource and service backends",
        ),
        (None, None) => sink.report(
            rule,
            path,
            "Invalid value: \"\": resource or service backend is required",
        ),
        (None, Some(resource)) => {
            let at = key(path, "resource");
            if let Some(group) = &resource.api_group {
                for message in names::dns1123_subdomain(group) {
                    sink.report(rule, &key(&at, "apiGroup"), invalid(shown(group), &message));
                }
            }
            reference_name(&resource.kind, &key(&at, "kind"), sink);
            reference_name(&resource.name, &key(&at, "name"), sink);
        }
        (Some(service), None) => {
            let at = key(path, "service");
            if service.name.is_empty() {
                sink.report(rule, &key(&at, "name"), "Required value");
            }
            // The relaxed (DNS-1123 label) rule of RelaxedServiceNameValidation: the stricter
            // DNS-1035 rule of servers without the gate is not applied.
            for message in names::dns1123_label(&service.name) {
                let name = &service.name;
                sink.report(rule, &key(&at, "name"), invalid(shown(name), &message));
            }
            let port = service.port.as_ref();
            let name = port.and_then(|p| p.name.as_deref()).unwrap_or_default();
            let number = port.and_then(|p| p.number).unwrap_or_default();
            match (name.is_empty(), number == 0) {
                (false, false) => sink.report(
                    rule,
                    path,
                    "Invalid value: \"\": cannot set both port name & port number",
                ),
                (true, true) => sink.report(
                    rule,
                    path,
                    "Required value: port name or number is required",
                ),
                (false, true) => {
                    for message in names::port_name(name) {
                        let at = key(&key(&at, "port"), "name");
                        sink.report(rule, &at, invalid(shown(name), &message));
                    }
                }
                (true, false) => port_number(number, &key(&key(&at, "port"), "number"), rule, sink),
            }
        }
    }
}

/// A kind or name of a typed reference: required, a path segment name.
fn reference_name(name: &str, path: &str, sink: &mut Sink) {
    if name.is_empty() {
        sink.report(&rules::INGRESS, path, "Required value");
    }
    for message in path_segment_name(name) {
        sink.report(&rules::INGRESS, path, invalid(shown(name), &message));
    }
}

fn port_number(number: i32, path: &str, rule: &'static rules::Rule, sink: &mut Sink) {
    if !(1..=65535).contains(&number) {
        sink.report(
            rule,
            path,
            invalid(number, "must be between 1 and 65535, inclusive"),
        );
    }
}

pub fn ingress_class(class: &IngressClass, sink: &mut Sink) {
    let rule = &rules::INGRESS;
    let Some(spec) = &class.spec else {
        return;
    };
    if let Some(controller) = spec.controller.as_deref().filter(|c| !c.is_empty()) {
        if controller.len() > 250 {
            sink.report(
                rule,
                "spec.controller",
                "Too long: may not be more than 250 bytes",
            );
        }
        for message in domain_prefixed_path(controller) {
            sink.report(rule, "spec.controller", message);
        }
    }
    let Some(parameters) = &spec.parameters else {
        return;
    };
    let at = "spec.parameters";
    if let Some(group) = &parameters.api_group {
        for message in names::dns1123_subdomain(group) {
            sink.report(rule, &key(at, "apiGroup"), invalid(shown(group), &message));
        }
    }
    reference_name(&parameters.kind, &key(at, "kind"), sink);
    reference_name(&parameters.name, &key(at, "name"), sink);
    // v1 defaults a missing scope to Cluster.
    let scope = parameters.scope.as_deref().unwrap_or("Cluster");
    match (scope, &parameters.namespace) {
        ("Namespace", None) => sink.report(
            rule,
            &key(at, "namespace"),
            "Required value: `parameters.scope` is set to 'Namespace'",
        ),
        ("Namespace", Some(namespace)) => {
            for message in names::dns1123_label(namespace) {
                sink.report(
                    rule,
                    &key(at, "namespace"),
                    invalid(shown(namespace), &message),
                );
            }
        }
        ("Cluster", Some(_)) => sink.report(
            rule,
            &key(at, "namespace"),
            "Forbidden: `parameters.scope` is set to 'Cluster'",
        ),
        ("Cluster", None) => {}
        _ => enum_value(
            sink,
            &key(at, "scope"),
            Some(scope),
            &["Cluster", "Namespace"],
        ),
    }
}

/// `IsDomainPrefixedPath`: `domain/path`, the domain a DNS-1123 subdomain.
fn domain_prefixed_path(text: &str) -> Vec<String> {
    let Some((domain, path)) = text
        .split_once('/')
        .filter(|(d, p)| !d.is_empty() && !p.is_empty())
    else {
        return vec![invalid(
            shown(text),
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        )];
    };
    let mut messages: Vec<String> = names::dns1123_subdomain(domain)
        .iter()
        .map(|m| invalid(shown(domain), m))
        .collect();
    let path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c);
    if !path.chars().all(path_char) {
        messages.push(invalid(
            shown(path),
            "Invalid path: regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+'",
        ));
    }
    messages
}

pub fn network_policy(policy: &NetworkPolicy, sink: &mut Sink) {
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

/// A CIDR block: its network address and prefix length.
struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix) = text.split_once('/')?;
        let address: IpAddr = address.parse().ok()?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= bits && prefix.bytes().all(|b| b.is_ascii_digit()))?;
        Some(Cidr {
            network: mask(address, prefix),
            prefix,
        })
    }

    /// Whether `inner` lies inside this block and is smaller (Go's `Contains` on its network
    /// address, and a longer prefix).
    fn strictly_contains(&self, inner: &Cidr) -> bool {
        self.network.is_ipv4() == inner.network.is_ipv4()
            && mask(inner.network, self.prefix) == self.network
            && self.prefix < inner.prefix
    }
}

/// `address` with the bits past `prefix` cleared.
fn mask(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4) & u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(bits.into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(bits.into())
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
            invalid(
                shown(text),
                "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ),
        );
    }
    parsed
}

#[cfg(test)]
mod tests;
