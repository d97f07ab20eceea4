//! Each volume source's own fields, as `validateVolumeSource` hands them on:
//! `validatePersistentClaimVolumeSource`, `validateHostPathVolumeSource`,
//! `validateSecretVolumeSource`, `validateConfigMapVolumeSource`, `validateNFSVolumeSource`,
//! `validateProjectionSources`, `validateDownwardAPIVolumeFile`, `validateCSIVolumeSource` and
//! `validateEphemeralVolumeSource`, with the server's paths (a downward API file's errors are
//! reported at its volume, as the server reports them). The one-source rule, configMap and
//! secret items and file modes are [`crate::validate::pod_settings`]'.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::{DownwardAPIVolumeFile, PodSpec, Volume, VolumeProjection};

use super::{invalid, shown, unsupported};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

const HOST_PATH_TYPES: &[&str] = &[
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
];
const DOWNWARD_FIELDS: &[&str] = &[
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];

pub(super) fn check(spec: &PodSpec, path: &str, sink: &mut Sink) {
    for (at, volume) in spec.volumes.iter().flatten().enumerate() {
        self::volume(volume, &index(&key(path, "volumes"), at), sink);
    }
}

fn required(sink: &mut Sink, path: &str) {
    sink.report(&rules::VOLUME_SOURCE, path, "Required value");
}

fn volume(volume: &Volume, path: &str, sink: &mut Sink) {
    if let Some(claim) = &volume.persistent_volume_claim {
        if claim.claim_name.is_empty() {
            required(sink, &key(&key(path, "persistentVolumeClaim"), "claimName"));
        }
    }
    if let Some(host) = &volume.host_path {
        let at = key(path, "hostPath");
        if host.path.is_empty() {
            required(sink, &key(&at, "path"));
        } else {
            no_backsteps(&host.path, &key(&at, "path"), sink);
            let kind = host.type_.as_deref().unwrap_or_default();
            if !HOST_PATH_TYPES.contains(&kind) {
                let message = unsupported(kind, HOST_PATH_TYPES);
                sink.report(&rules::VOLUME_SOURCE, &key(&at, "type"), message);
            }
        }
    }
    if let Some(secret) = &volume.secret {
        if secret.secret_name.as_deref().is_none_or(str::is_empty) {
            required(sink, &key(&key(path, "secret"), "secretName"));
        }
    }
    if let Some(map) = &volume.config_map {
        if map.name.is_empty() {
            required(sink, &key(&key(path, "configMap"), "name"));
        }
    }
    if let Some(nfs) = &volume.nfs {
        let at = key(path, "nfs");
        if nfs.server.is_empty() {
            required(sink, &key(&at, "server"));
        }
        if nfs.path.is_empty() {
            required(sink, &key(&at, "path"));
        }
        if !nfs.path.starts_with('/') {
            let message = invalid(shown(&nfs.path), "must be an absolute path");
            sink.report(&rules::VOLUME_SOURCE, &key(&at, "path"), message);
        }
    }
    if let Some(csi) = &volume.csi {
        csi_driver(&csi.driver, &key(&key(path, "csi"), "driver"), sink);
    }
    if let Some(ephemeral) = &volume.ephemeral {
        if ephemeral.volume_claim_template.is_none() {
            required(sink, &key(&key(path, "ephemeral"), "volumeClaimTemplate"));
        }
    }
    if let Some(downward) = &volume.downward_api {
        let at = key(path, "downwardAPI");
        for file in downward.items.iter().flatten() {
            downward_file(file, &at, sink);
        }
    }
    if let Some(projected) = &volume.projected {
        let at = key(path, "projected");
        projections(projected.sources.as_deref().unwrap_or_default(), &at, sink);
    }
}

/// `validatePathNoBacksteps`.
fn no_backsteps(target: &str, path: &str, sink: &mut Sink) {
    if target.split(['/', '\\']).any(|part| part == "..") {
        let message = invalid(shown(target), "must not contain '..'");
        sink.report(&rules::VOLUME_SOURCE, path, message);
    }
}

/// `ValidateLocalNonReservedPath`: relative, no `..` element, not starting with `..`.
fn local_non_reserved(target: &str, path: &str, sink: &mut Sink) {
    if target.starts_with('/') {
        let message = invalid(shown(target), "must be a relative path");
        sink.report(&rules::VOLUME_SOURCE, path, message);
    }
    no_backsteps(target, path, sink);
    if target.starts_with("..") && !target.starts_with("../") {
        let message = invalid(shown(target), "must not start with '..'");
        sink.report(&rules::VOLUME_SOURCE, path, message);
    }
}

/// `ValidateCSIDriverName`.
fn csi_driver(driver: &str, path: &str, sink: &mut Sink) {
    if driver.is_empty() {
        required(sink, path);
    }
    if driver.len() > 63 {
        let message = "Too long: may not be more than 63 bytes";
        sink.report(&rules::VOLUME_SOURCE, path, message);
    }
    for message in names::dns1123_subdomain(&driver.to_lowercase()) {
        sink.report(
            &rules::VOLUME_SOURCE,
            path,
            invalid(shown(driver), &message),
        );
    }
}

/// `validateDownwardAPIVolumeFile`, its errors at `path` (the volume's `downwardAPI`).
fn downward_file(file: &DownwardAPIVolumeFile, path: &str, sink: &mut Sink) {
    if file.path.is_empty() {
        required(sink, &key(path, "path"));
    }
    local_non_reserved(&file.path, &key(path, "path"), sink);
    match (&file.field_ref, &file.resource_field_ref) {
        (Some(field), resource) => {
            let at = key(&key(path, "fieldRef"), "fieldPath");
            let field_path = field.field_path.as_str();
            let subscripted = ["metadata.labels[", "metadata.annotations["]
                .iter()
                .any(|p| field_path.starts_with(p) && field_path.ends_with(']'));
            if field_path.is_empty() {
                required(sink, &at);
            } else if !subscripted && !DOWNWARD_FIELDS.contains(&field_path) {
                let message = unsupported(field_path, DOWNWARD_FIELDS);
                sink.report(&rules::VOLUME_SOURCE, &at, message);
            }
            if resource.is_some() {
                let message = invalid(
                    shown("resource"),
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                );
                sink.report(&rules::VOLUME_SOURCE, path, message);
            }
        }
        (None, Some(resource)) => {
            let at = key(path, "resourceFieldRef");
            if resource.container_name.as_deref().is_none_or(str::is_empty) {
                required(sink, &key(&at, "containerName"));
            }
        }
        (None, None) => sink.report(
            &rules::VOLUME_SOURCE,
            path,
            "Required value: one of fieldRef and resourceFieldRef is required",
        ),
    }
}

/// `validateProjectionSources`: one source per entry, names set, paths unique across the
/// volume, a token's lifetime from 10 minutes to 2^32 seconds.
fn projections(sources: &[VolumeProjection], path: &str, sink: &mut Sink) {
    let mut paths = HashSet::new();
    let mut claim = |sink: &mut Sink, file: &str, shown_as: &str| {
        if !file.is_empty() && !paths.insert(file.to_string()) {
            let message = invalid(shown(shown_as), "conflicting duplicate paths");
            sink.report(&rules::VOLUME_SOURCE, path, message);
        }
    };
    for (at, source) in sources.iter().enumerate() {
        let s = index(&key(path, "sources"), at);
        let named = [
            (
                "secret",
                source.secret.as_ref().map(|p| (&p.name, &p.items)),
            ),
            (
                "configMap",
                source.config_map.as_ref().map(|p| (&p.name, &p.items)),
            ),
        ];
        for (kind, found) in named {
            let Some((name, items)) = found else {
                continue;
            };
            if name.is_empty() {
                required(sink, &key(&key(&s, kind), "name"));
            }
            for item in items.iter().flatten() {
                claim(sink, &item.path, name);
            }
        }
        if let Some(downward) = &source.downward_api {
            let at = key(&s, "downwardAPI");
            for file in downward.items.iter().flatten() {
                downward_file(file, &at, sink);
                claim(sink, &file.path, &file.path);
            }
        }
        if let Some(token) = &source.service_account_token {
            let seconds = token.expiration_seconds.unwrap_or(3600);
            let at = key(&key(&s, "serviceAccountToken"), "expirationSeconds");
            let message = if seconds < 600 {
                Some("may not specify a duration less than 10 minutes")
            } else if seconds > 1 << 32 {
                Some("may not specify a duration larger than 2^32 seconds")
            } else {
                None
            };
            if let Some(message) = message {
                sink.report(&rules::VOLUME_SOURCE, &at, invalid(seconds, message));
            }
            if token.path.is_empty() {
                required(sink, &key(path, "path"));
            } else {
                local_non_reserved(&token.path, &key(path, "path"), sink);
            }
        }
        let count = [
            source.secret.is_some(),
            source.config_map.is_some(),
            source.downward_api.is_some(),
            source.service_account_token.is_some(),
            source.cluster_trust_bundle.is_some(),
        ];
        if count.iter().filter(|set| **set).count() > 1 {
            let message = "Forbidden: may not specify more than 1 volume type per source";
            sink.report(&rules::VOLUME_SOURCE, &s, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::messages;

    fn volumes(volumes: &str) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n  volumes:\n{volumes}"
        );
        messages(&text, "volume-source")
    }

    #[test]
    fn names_and_paths_each_source_needs() {
        let found = volumes("  - name: a\n    persistentVolumeClaim:\n      claimName: \"\"\n  - name: b\n    secret: {}\n  - name: c\n    hostPath:\n      path: /var/log/../run\n      type: Dir\n  - name: d\n    nfs:\n      server: nfs.local\n      path: exports\n");
        assert_eq!(
            found,
            vec![
                ("spec.volumes[0].persistentVolumeClaim.claimName".to_string(), "Required value".to_string()),
                ("spec.volumes[1].secret.secretName".to_string(), "Required value".to_string()),
                ("spec.volumes[2].hostPath.path".to_string(), "Invalid value: \"/var/log/../run\": must not contain '..'".to_string()),
                ("spec.volumes[2].hostPath.type".to_string(), "Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"".to_string()),
                ("spec.volumes[3].nfs.path".to_string(), "Invalid value: \"exports\": must be an absolute path".to_string()),
            ]
        );
    }

    #[test]
    fn projected_and_downward_api_files() {
        let found = volumes("  - name: info\n    projected:\n      sources:\n      - serviceAccountToken:\n          path: token\n          expirationSeconds: 60\n      - downwardAPI:\n          items:\n          - path: token\n            fieldRef:\n              fieldPath: spec.nodeName\n");
        assert_eq!(
            found,
            vec![
                ("spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds".to_string(), "Invalid value: 60: may not specify a duration less than 10 minutes".to_string()),
                ("spec.volumes[0].projected.sources[1].downwardAPI.fieldRef.fieldPath".to_string(), "Unsupported value: \"spec.nodeName\": supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"".to_string()),
            ]
        );
        let labels = volumes("  - name: info\n    downwardAPI:\n      items:\n      - path: labels\n        fieldRef:\n          fieldPath: metadata.labels\n      - path: tier\n        fieldRef:\n          fieldPath: metadata.labels['tier']\n");
        assert!(labels.is_empty(), "{labels:?}");
    }
}
