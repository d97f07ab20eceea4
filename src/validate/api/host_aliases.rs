//! `ValidateHostAliases`: each entry the pod writes into its `/etc/hosts` is an IP address
//! with DNS-1123 subdomain host names.

use k8s_openapi::api::core::v1::PodSpec;

use super::ip::IP_RULE;
use super::{invalid, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    for (at, alias) in spec.host_aliases.iter().flatten().enumerate() {
        let a = index(&key(path, "hostAliases"), at);
        let ip = alias.ip.as_str();
        if ip.parse::<std::net::IpAddr>().is_err() {
            sink.report(
                &rules::DNS_CONFIG,
                &key(&a, "ip"),
                invalid(shown(ip), IP_RULE),
            );
        }
        for (h, host) in alias.hostnames.iter().flatten().enumerate() {
            let at = index(&key(&a, "hostnames"), h);
            for message in names::dns1123_subdomain(host) {
                sink.report(&rules::DNS_CONFIG, &at, invalid(shown(host), &message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;

    #[test]
    fn aliases_are_addresses_and_host_names() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostAliases:\n  - ip: 10.0.0.300\n    hostnames: [db.internal, Bad_Host]\n  containers:\n  - name: app\n    image: nginx:1.27\n";
        let found: Vec<String> = only(text, "dns-config").into_iter().map(|f| f.1).collect();
        assert_eq!(
            found,
            vec!["spec.hostAliases[0].ip", "spec.hostAliases[0].hostnames[1]"]
        );
    }
}
