//! What well-known images need to start, which the API server cannot know: the official
//! `postgres` image's entrypoint exits at once without a superuser password, and its `initdb`
//! refuses a volume's root as its data folder (the volume's `lost+found`, and a root-owned
//! folder it cannot `chmod`). Both were seen with the real programs in the runtime suite.

use k8s_openapi::api::core::v1::{Container, PodSpec};

use crate::image_env::default_pgdata;

use super::locate::{index, key};
use super::object::PodScope;
use super::rules;
use super::schema::containers_of;
use super::Sink;

/// Any of these in the environment sets up (or waives) the superuser password.
const POSTGRES_PASSWORD_ENV: [&str; 3] = [
    "POSTGRES_PASSWORD",
    "POSTGRES_PASSWORD_FILE",
    "POSTGRES_HOST_AUTH_METHOD",
];

/// Checks each container that runs a known image.
pub(super) fn check(pod: &PodScope, sink: &mut Sink) {
    for (list, containers) in containers_of(pod.spec) {
        for (at, container) in containers.iter().enumerate() {
            let path = index(&key(&pod.path, list), at);
            let image = container.image.as_deref().unwrap_or_default();
            let (repository, tag) = crate::known_images::repository_and_tag(image);
            if repository == "postgres" {
                postgres(container, pod, tag, &path, sink);
            }
        }
    }
}

fn postgres(container: &Container, pod: &PodScope, tag: &str, path: &str, sink: &mut Sink) {
    let name = &container.name;
    let env = container.env.as_deref().unwrap_or_default();
    let from_elsewhere = container.env_from.as_ref().is_some_and(|e| !e.is_empty());
    if !from_elsewhere
        && !env
            .iter()
            .any(|v| POSTGRES_PASSWORD_ENV.contains(&v.name.as_str()))
    {
        sink.report(
            &rules::IMAGE_NEEDS_ENV,
            path,
            format!("container {name:?} runs postgres, whose entrypoint exits at start without POSTGRES_PASSWORD (\"superuser password is not specified\"): set it from a Secret, with `--env-secret POSTGRES_PASSWORD=SECRET:password` on `podsmith new` or env valueFrom.secretKeyRef in the manifest"),
        );
    }
    let data = env
        .iter()
        .find(|v| v.name == "PGDATA")
        .and_then(|v| v.value.clone())
        .unwrap_or_else(|| default_pgdata(tag));
    let mounts = container.volume_mounts.as_deref().unwrap_or_default();
    for (at, mount) in mounts.iter().enumerate() {
        let on_data = mount.mount_path.trim_end_matches('/') == data.trim_end_matches('/');
        if on_data && mount.sub_path.is_none() && persistent(&mount.name, pod) {
            sink.report(
                &rules::DATA_ON_VOLUME_ROOT,
                &key(&index(&key(path, "volumeMounts"), at), "mountPath"),
                format!("container {name:?} mounts volume {:?} at PGDATA ({data}): initdb refuses a volume's root (it holds lost+found, and its owner is root); mount the volume at {parent}, or set PGDATA to a folder inside it, e.g. {data}/pgdata", mount.name, parent = parent(&data)),
            );
        }
    }
}

fn parent(path: &str) -> &str {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((parent, _)) => parent,
    }
}

/// Whether the volume is a disk of its own: a claim (template) or a node's folder, not an
/// emptyDir the kubelet makes for the pod.
fn persistent(volume: &str, pod: &PodScope) -> bool {
    if pod.claim_templates.contains(&volume) {
        return true;
    }
    let spec: &PodSpec = pod.spec;
    spec.volumes
        .iter()
        .flatten()
        .find(|v| v.name == volume)
        .is_some_and(|v| v.persistent_volume_claim.is_some() || v.ephemeral.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<String> {
        let options = crate::validate::Options::default();
        crate::validate::validate_stream(text, "<test>", &options)
            .findings
            .into_iter()
            .filter(|f| ["image-needs-env", "data-on-volume-root"].contains(&f.rule.as_str()))
            .map(|f| format!("{} {}", f.rule, f.path))
            .collect()
    }

    fn statefulset(env: &str, mount: &str) -> String {
        format!(
            "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: postgres
        image: postgres:16
{env}        volumeMounts:
        - name: data
          mountPath: {mount}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"
        )
    }

    const PASSWORD: &str = "        env:
        - name: POSTGRES_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
";

    #[test]
    fn postgres_without_a_password_is_reported() {
        assert_eq!(
            findings(&statefulset("", "/var/lib/postgresql")),
            ["image-needs-env spec.template.spec.containers[0]"]
        );
        assert!(findings(&statefulset(PASSWORD, "/var/lib/postgresql")).is_empty());
    }

    #[test]
    fn a_claim_mounted_at_pgdata_is_reported_and_its_parent_is_not() {
        assert_eq!(
            findings(&statefulset(PASSWORD, "/var/lib/postgresql/data")),
            ["data-on-volume-root spec.template.spec.containers[0].volumeMounts[0].mountPath"]
        );
        let subfolder = format!(
            "{PASSWORD}        - name: PGDATA\n          value: /var/lib/postgresql/data/pgdata\n"
        );
        assert!(findings(&statefulset(&subfolder, "/var/lib/postgresql/data")).is_empty());
    }

    #[test]
    fn the_parent_of_pgdata() {
        assert_eq!(parent("/var/lib/postgresql/data"), "/var/lib/postgresql");
    }
}
