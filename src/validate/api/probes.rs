//! Probes and lifecycle hooks: the thresholds each kind of probe allows, and none on an init
//! container that is not a native sidecar. Their handlers are [`super::handlers`]'.

use k8s_openapi::api::core::v1::{Container, Probe};

use super::invalid;
use super::pod::is_sidecar;
use crate::validate::locate::key;
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn probes(container: &Container, path: &str, init: bool, sink: &mut Sink) {
    let probes = [
        ("livenessProbe", container.liveness_probe.as_ref()),
        ("readinessProbe", container.readiness_probe.as_ref()),
        ("startupProbe", container.startup_probe.as_ref()),
    ];
    if init && !is_sidecar(container) {
        let set = probes
            .iter()
            .filter(|(_, probe)| probe.is_some())
            .map(|(name, _)| *name)
            .chain(container.lifecycle.as_ref().map(|_| "lifecycle"));
        for name in set {
            sink.report(
                &rules::INIT_CONTAINER_PROBES,
                &key(path, name),
                "Forbidden: may not be set for init containers without restartPolicy=Always",
            );
        }
        return;
    }
    for (name, probe) in probes {
        if let Some(probe) = probe {
            self::probe(probe, name, &key(path, name), sink);
        }
    }
}

fn probe(probe: &Probe, kind: &str, path: &str, sink: &mut Sink) {
    if kind != "readinessProbe" {
        if let Some(threshold) = probe.success_threshold.filter(|t| *t != 1) {
            sink.report(
                &rules::PROBE_INVALID,
                &key(path, "successThreshold"),
                invalid(threshold, "must be 1"),
            );
        }
    } else if let Some(grace) = probe.termination_grace_period_seconds {
        sink.report(
            &rules::PROBE_INVALID,
            &key(path, "terminationGracePeriodSeconds"),
            invalid(grace, "must not be set for readinessProbes"),
        );
    }
}

#[cfg(test)]
mod rule_tests {
    //! One test per rule: the fixture of `tests/fixtures/invalid/` gives exactly this finding.
    use crate::validate::test_support::only;

    #[test]
    fn init_container_probes() {
        let text = include_str!("../../../tests/fixtures/invalid/init-container-probes.yaml");
        assert_eq!(
            only(text, "init-container-probes"),
            vec![(
                12,
                "spec.initContainers[0].readinessProbe".to_string(),
                "Forbidden: may not be set for init containers without restartPolicy=Always"
                    .to_string()
            )]
        );
    }

    #[test]
    fn probe_invalid() {
        let text = include_str!("../../../tests/fixtures/invalid/probe-invalid.yaml");
        assert_eq!(
            only(text, "probe-invalid"),
            vec![(
                18,
                "spec.containers[0].livenessProbe.successThreshold".to_string(),
                "Invalid value: 2: must be 1".to_string()
            )]
        );
    }
}
