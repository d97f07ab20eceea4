//! The Service fields beyond its ports and selector, as `ValidateService` and
//! `ValidateServiceClusterIPsRelatedFields` check them on create: ExternalName, cluster IPs and
//! IP families, session affinity, external IPs, the fields only a LoadBalancer may set, and the
//! traffic policies.
//!
//! Read after the v1 defaults and the create strategy: `type` is ClusterIP and
//! `sessionAffinity` None when unset (which drops `sessionAffinityConfig`), `clusterIP` and
//! `clusterIPs` fill each other in, and an externally reachable Service's
//! `externalTrafficPolicy` is Cluster.

use std::collections::HashSet;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::{Service, ServiceSpec};

use super::ip::{Cidr, CIDR_RULE, IP_RULE};
use super::{enum_value, invalid, shown, unsupported};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

/// `MaxClientIPServiceAffinitySeconds`.
const MAX_AFFINITY_SECONDS: i32 = 86400;
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

pub(super) fn check(service: &Service, sink: &mut Sink) {
    let Some(spec) = &service.spec else {
        return;
    };
    let kind = spec.type_.as_deref().unwrap_or("ClusterIP");
    let cluster_ips = cluster_ips(spec);
    if kind == "ExternalName" {
        external_name(spec, &cluster_ips, sink);
    } else {
        if cluster_ips == ["None"] && (kind == "LoadBalancer" || kind == "NodePort") {
            let message = format!("may not be set to 'None' for {kind} services");
            sink.report(
                &rules::SERVICE_SPEC,
                "spec.clusterIPs[0]",
                invalid(shown("None"), &message),
            );
        }
        cluster_ip_families(spec, &cluster_ips, sink);
    }
    session_affinity(spec, sink);
    external_ips(spec, sink);
    if kind == "ClusterIP" {
        for (at, port) in spec.ports.iter().flatten().enumerate() {
            if port.node_port.is_some_and(|p| p != 0) {
                let path = key(&index("spec.ports", at), "nodePort");
                let message = "Forbidden: may not be used when `type` is 'ClusterIP'";
                sink.report(&rules::SERVICE_SPEC, &path, message);
            }
        }
    }
    for (at, port) in spec.ports.iter().flatten().enumerate() {
        if let Some(protocol) = &port.app_protocol {
            let path = key(&index("spec.ports", at), "appProtocol");
            for message in names::qualified_name(protocol) {
                sink.report(
                    &rules::SERVICE_SPEC,
                    &path,
                    invalid(shown(protocol), &message),
                );
            }
        }
    }
    load_balancer_only(service, spec, kind, sink);
    traffic_policies(spec, kind, sink);
}

/// `clusterIPs` as the create strategy leaves it: `clusterIP` when only that is set.
fn cluster_ips(spec: &ServiceSpec) -> Vec<&str> {
    match (spec.cluster_ips.as_deref(), spec.cluster_ip.as_deref()) {
        (Some(ips), _) if !ips.is_empty() => ips.iter().map(String::as_str).collect(),
        (_, Some(ip)) if !ip.is_empty() => vec![ip],
        _ => Vec::new(),
    }
}

fn external_name(spec: &ServiceSpec, cluster_ips: &[&str], sink: &mut Sink) {
    let forbidden = "Forbidden: may not be set for ExternalName services";
    if !cluster_ips.is_empty() {
        sink.report(&rules::SERVICE_SPEC, "spec.clusterIPs", forbidden);
    }
    if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
        sink.report(&rules::SERVICE_SPEC, "spec.ipFamilies", forbidden);
    }
    if spec.ip_family_policy.is_some() {
        sink.report(&rules::SERVICE_SPEC, "spec.ipFamilyPolicy", forbidden);
    }
    // A trailing dot marks the name as fully qualified.
    let name = spec.external_name.as_deref().unwrap_or_default();
    let cname = name.strip_suffix('.').unwrap_or(name);
    if cname.is_empty() {
        sink.report(&rules::SERVICE_SPEC, "spec.externalName", "Required value");
    }
    for message in names::dns1123_subdomain(cname)
        .into_iter()
        .filter(|_| !cname.is_empty())
    {
        sink.report(
            &rules::SERVICE_SPEC,
            "spec.externalName",
            invalid(shown(cname), &message),
        );
    }
}

/// `ValidateServiceClusterIPsRelatedFields`.
fn cluster_ip_families(spec: &ServiceSpec, ips: &[&str], sink: &mut Sink) {
    let rule = &rules::SERVICE_SPEC;
    let shown_ips = || serde_json::to_string(ips).unwrap_or_default();
    let cluster_ip = spec.cluster_ip.as_deref().unwrap_or_default();
    if !cluster_ip.is_empty() && ips.first() != Some(&cluster_ip) {
        let message = invalid(shown_ips(), "first value must match `clusterIP`");
        sink.report(rule, "spec.clusterIPs", message);
    }
    let families = spec.ip_families.as_deref().unwrap_or_default();
    let mut seen = HashSet::new();
    for (at, family) in families.iter().enumerate() {
        let path = index("spec.ipFamilies", at);
        if family != "IPv4" && family != "IPv6" {
            sink.report(rule, &path, unsupported(family, &["IPv4", "IPv6"]));
        }
        if !seen.insert(family.as_str()) {
            sink.report(rule, &path, format!("Duplicate value: {}", shown(family)));
        }
    }
    let policies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    enum_value(
        sink,
        "spec.ipFamilyPolicy",
        spec.ip_family_policy.as_deref(),
        &policies,
    );
    let mut parsed = Vec::with_capacity(ips.len());
    for (at, ip) in ips.iter().enumerate() {
        if at == 0 && *ip == "None" {
            if ips.len() > 1 {
                let message = invalid(shown_ips(), "'None' must be the first and only value");
                sink.report(rule, "spec.clusterIPs", message);
            }
            continue;
        }
        match parse_ip(ip) {
            Some(address) => parsed.push(address),
            None => sink.report(
                rule,
                &index("spec.clusterIPs", at),
                invalid(shown(ip), IP_RULE),
            ),
        }
    }
    if ips.len() > 2 {
        sink.report(
            rule,
            "spec.clusterIPs",
            invalid(shown_ips(), "may only hold up to 2 values"),
        );
    }
    if parsed.len() != ips.len() {
        return;
    }
    if parsed.len() == 2 && parsed[0].is_ipv4() == parsed[1].is_ipv4() {
        let message = "may specify no more than one IP for each IP family";
        sink.report(rule, "spec.clusterIPs", invalid(shown_ips(), message));
    }
    for (at, (address, family)) in parsed.iter().zip(families).enumerate() {
        let expected = match family.as_str() {
            "IPv4" if address.is_ipv6() => "IPv4",
            "IPv6" if !address.is_ipv6() => "IPv6",
            _ => continue,
        };
        let message = format!("expected an {expected} value as indicated by `ipFamilies[{at}]`");
        let path = index("spec.clusterIPs", at);
        sink.report(rule, &path, invalid(shown(ips[at]), &message));
    }
}

/// `ParseIPSloppy`: an IPv4 octet may have leading zeros in these legacy fields.
fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Ok(address) = text.parse() {
        return Some(address);
    }
    let octets: Vec<u8> = text
        .split('.')
        .map(|part| {
            let digits =
                !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| part.parse::<u8>().ok()).flatten()
        })
        .collect::<Option<_>>()?;
    let octets: [u8; 4] = octets.try_into().ok()?;
    Some(IpAddr::from(octets))
}

fn session_affinity(spec: &ServiceSpec, sink: &mut Sink) {
    let affinity = spec.session_affinity.as_deref();
    enum_value(
        sink,
        "spec.sessionAffinity",
        affinity,
        &["ClientIP", "None"],
    );
    if affinity != Some("ClientIP") {
        return;
    }
    let timeout = spec
        .session_affinity_config
        .as_ref()
        .and_then(|c| c.client_ip.as_ref())
        .and_then(|c| c.timeout_seconds);
    if let Some(seconds) = timeout.filter(|s| *s <= 0 || *s > MAX_AFFINITY_SECONDS) {
        sink.report(
            &rules::SERVICE_SPEC,
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
            invalid(
                seconds,
                &format!("must be greater than 0 and less than {MAX_AFFINITY_SECONDS}"),
            ),
        );
    }
}

/// `externalIPs`: IP addresses, none unspecified, loopback or link-local (`ValidateNonSpecialIP`).
fn external_ips(spec: &ServiceSpec, sink: &mut Sink) {
    for (at, text) in spec.external_ips.iter().flatten().enumerate() {
        let path = index("spec.externalIPs", at);
        let Some(address) = parse_ip(text) else {
            sink.report(&rules::SERVICE_SPEC, &path, invalid(shown(text), IP_RULE));
            continue;
        };
        let problem = if address.is_unspecified() {
            Some("may not be unspecified (0.0.0.0)")
        } else if address.is_loopback() {
            Some("may not be in the loopback range (127.0.0.0/8, ::1/128)")
        } else if is_link_local(address) {
            Some("may not be in the link-local range (169.254.0.0/16, fe80::/10)")
        } else if is_link_local_multicast(address) {
            Some("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
        } else {
            None
        };
        if let Some(problem) = problem {
            sink.report(&rules::SERVICE_SPEC, &path, invalid(shown(text), problem));
        }
    }
}

fn is_link_local(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

fn is_link_local_multicast(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

/// `loadBalancerSourceRanges` (or its annotation), `allocateLoadBalancerNodePorts` and
/// `loadBalancerClass` belong to a LoadBalancer.
fn load_balancer_only(service: &Service, spec: &ServiceSpec, kind: &str, sink: &mut Sink) {
    let balancer = kind == "LoadBalancer";
    let only = "Forbidden: may only be used when `type` is 'LoadBalancer'";
    let ranges = spec
        .load_balancer_source_ranges
        .as_deref()
        .unwrap_or_default();
    let annotation = service
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(SOURCE_RANGES_ANNOTATION));
    if !ranges.is_empty() {
        if !balancer {
            sink.report(&rules::SERVICE_SPEC, "spec.loadBalancerSourceRanges", only);
        }
        for (at, range) in ranges.iter().enumerate() {
            let path = index("spec.loadBalancerSourceRanges", at);
            source_range(range.trim(), &path, sink);
        }
    } else if let Some(value) = annotation {
        let path = key("metadata.annotations", SOURCE_RANGES_ANNOTATION);
        if !balancer {
            sink.report(&rules::SERVICE_SPEC, &path, only);
        }
        for range in value
            .split(',')
            .map(str::trim)
            .filter(|_| !value.trim().is_empty())
        {
            source_range(range, &path, sink);
        }
    }
    if spec.allocate_load_balancer_node_ports.is_some() && !balancer {
        sink.report(
            &rules::SERVICE_SPEC,
            "spec.allocateLoadBalancerNodePorts",
            only,
        );
    }
    match spec.load_balancer_class.as_deref() {
        Some(_) if !balancer => sink.report(&rules::SERVICE_SPEC, "spec.loadBalancerClass", only),
        Some(class) => {
            for message in names::qualified_name(class) {
                let message = invalid(shown(class), &message);
                sink.report(&rules::SERVICE_SPEC, "spec.loadBalancerClass", message);
            }
        }
        None => {}
    }
}

fn source_range(range: &str, path: &str, sink: &mut Sink) {
    if Cidr::parse(range).is_none() {
        sink.report(&rules::SERVICE_SPEC, path, invalid(shown(range), CIDR_RULE));
    }
}

/// `validateServiceExternalTrafficPolicy`, `validateServiceInternalTrafficFieldsValue`.
fn traffic_policies(spec: &ServiceSpec, kind: &str, sink: &mut Sink) {
    let has_external_ips = spec
        .external_ips
        .as_ref()
        .is_some_and(|ips| !ips.is_empty());
    let reachable =
        kind == "LoadBalancer" || kind == "NodePort" || (kind == "ClusterIP" && has_external_ips);
    let external = spec
        .external_traffic_policy
        .as_deref()
        .filter(|p| !p.is_empty());
    match external {
        Some(policy) if !reachable => sink.report(
            &rules::SERVICE_SPEC,
            "spec.externalTrafficPolicy",
            invalid(
                shown(policy),
                "may only be set for externally-accessible services",
            ),
        ),
        _ => enum_value(
            sink,
            "spec.externalTrafficPolicy",
            external,
            &["Cluster", "Local"],
        ),
    }
    let needs_health_check = kind == "LoadBalancer" && external == Some("Local");
    if let Some(port) = spec.health_check_node_port.filter(|p| *p != 0) {
        if !needs_health_check {
            let message = "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
            sink.report(
                &rules::SERVICE_SPEC,
                "spec.healthCheckNodePort",
                invalid(port, message),
            );
        } else if !(1..=65535).contains(&port) {
            let message = invalid(port, "must be between 1 and 65535, inclusive");
            sink.report(&rules::SERVICE_SPEC, "spec.healthCheckNodePort", message);
        }
    }
    let internal = spec.internal_traffic_policy.as_deref();
    enum_value(
        sink,
        "spec.internalTrafficPolicy",
        internal,
        &["Cluster", "Local"],
    );
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn service_spec() {
        let text = include_str!("../../../tests/fixtures/invalid/service-spec.yaml");
        assert_eq!(
            only(text, "service-spec"),
            vec![(
                14,
                "spec.ports[0].nodePort".to_string(),
                "Forbidden: may not be used when `type` is 'ClusterIP'".to_string()
            )]
        );
    }
}
