//! Ingress (`ValidateIngressCreate`, `ValidateIngressSpec`, `validateIngressRules`,
//! `validateHTTPIngressPath`, `validateIngressBackend`, `validateIngressTLS`) and IngressClass
//! (`validateIngressClassSpec`, `validateIngressClassParametersReference`, read after the v1
//! default: the parameters' scope is Cluster).

use std::net::IpAddr;

use k8s_openapi::api::networking::v1::{
    Ingress, IngressBackend, IngressClass, IngressRule, IngressTLS,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::port_number;
use crate::names;
use crate::validate::api::metadata::path_segment_name;
use crate::validate::api::{enum_value, invalid, shown};
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

/// The annotation that named an Ingress's class before `ingressClassName`.
const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// An Ingress, with its metadata (which the parse moved out of it).
pub(crate) fn ingress(ingress: &Ingress, metadata: &ObjectMeta, sink: &mut Sink) {
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
    for (at, entry) in rules_list.iter().enumerate() {
        ingress_rule(entry, &index("spec.rules", at), sink);
    }
    for (at, tls) in spec.tls.iter().flatten().enumerate() {
        ingress_tls(tls, &index("spec.tls", at), sink);
    }
    if let Some(class) = &spec.ingress_class_name {
        class_name(class, metadata, sink);
    }
}

/// One rule: its host and its HTTP paths, each with a path type, a path and a backend.
fn ingress_rule(entry: &IngressRule, at: &str, sink: &mut Sink) {
    let rule = &rules::INGRESS;
    if let Some(host) = entry.host.as_deref().filter(|h| !h.is_empty()) {
        host_name(host, &key(at, "host"), true, sink);
    }
    let Some(http) = &entry.http else {
        return;
    };
    let paths = key(&key(at, "http"), "paths");
    if http.paths.is_empty() {
        sink.report(rule, &paths, "Required value");
    }
    for (i, path) in http.paths.iter().enumerate() {
        let at = &index(&paths, i);
        let written = path.path.as_deref().unwrap_or_default();
        match path.path_type.as_str() {
            "" => sink.report(
                rule,
                &key(at, "pathType"),
                "Required value: pathType must be specified",
            ),
            "Exact" | "Prefix" => http_path(written, &key(at, "path"), sink),
            "ImplementationSpecific" if !written.is_empty() && !written.starts_with('/') => {
                sink.report(
                    rule,
                    &key(at, "path"),
                    invalid(shown(written), "must be an absolute path"),
                );
            }
            "ImplementationSpecific" => {}
            _ => enum_value(
                sink,
                &key(at, "pathType"),
                Some(&path.path_type),
                &["Exact", "ImplementationSpecific", "Prefix"],
            ),
        }
        ingress_backend(&path.backend, &key(at, "backend"), sink);
    }
}

/// One TLS entry: its hosts and the name of its Secret.
fn ingress_tls(tls: &IngressTLS, at: &str, sink: &mut Sink) {
    let rule = &rules::INGRESS;
    for (i, host) in tls.hosts.iter().flatten().enumerate() {
        host_name(host, &index(&key(at, "hosts"), i), false, sink);
    }
    if let Some(secret) = tls.secret_name.as_deref().filter(|s| !s.is_empty()) {
        for message in names::dns1123_subdomain(secret) {
            sink.report(
                rule,
                &key(at, "secretName"),
                invalid(shown(secret), &message),
            );
        }
    }
}

/// `ingressClassName`: a DNS-1123 subdomain that agrees with the older class annotation.
fn class_name(class: &str, metadata: &ObjectMeta, sink: &mut Sink) {
    let rule = &rules::INGRESS;
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

/// An IngressClass: its controller and the reference to its parameters.
pub(crate) fn ingress_class(class: &IngressClass, sink: &mut Sink) {
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
