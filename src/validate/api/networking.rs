//! networking.k8s.io/v1 rules of `pkg/apis/networking/validation/validation.go`: Ingress and
//! IngressClass ([`ingress`]) and NetworkPolicy ([`network_policy`]).

mod ingress;
mod network_policy;

pub(super) use ingress::{ingress, ingress_class};
pub(super) use network_policy::network_policy;

use super::invalid;
use crate::validate::rules;
use crate::validate::Sink;

/// A port number of a backend or of a policy port, reported as `rule` when out of range.
fn port_number(number: i32, path: &str, rule: &'static rules::Rule, sink: &mut Sink) {
    if !(1..=65535).contains(&number) {
        sink.report(
            rule,
            path,
            invalid(number, "must be between 1 and 65535, inclusive"),
        );
    }
}

#[cfg(test)]
mod tests;
