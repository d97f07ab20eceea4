//! Jobs and CronJobs with sidecars on Kubernetes before 1.29, where sidecars are regular
//! containers: a Job completes only when every container has exited, and a sidecar never
//! exits by itself.
//!
//! The documented workaround, applied by the plan stage: the app and the sidecars share an
//! emptyDir at [`DONE_DIR`]; the app creates [`DONE_FILE`] when it finishes, and each sidecar
//! runs its command under a small shell loop that stops it once the file appears. From 1.29
//! sidecars are native (restartable init containers), stop after the app by themselves, and
//! none of this is rendered.

use crate::kube_version::KubeVersion;
use crate::plan::{AppContext, DoneFile, Mount, PodParts, Volume};
use crate::spec::{EnvVar, JobRestartPolicy, Spec};

/// The folder the app and the sidecars share.
pub(crate) const DONE_DIR: &str = "/var/run/podsmith";
/// The file the app creates when it has finished.
pub(crate) const DONE_FILE: &str = "/var/run/podsmith/done";
/// The shared volume.
pub(crate) const DONE_VOLUME: &str = "podsmith-done";
/// The app's environment variable naming the file.
pub(crate) const DONE_ENV: &str = "PODSMITH_DONE_FILE";

/// Whether `spec` needs the workaround: a Job or CronJob, sidecars, no native sidecars.
pub(crate) fn needs_done_file(spec: &Spec) -> bool {
    spec.app.kind.runs_to_completion()
        && !spec.app.kube_version.native_sidecars_by_default()
        && spec
            .patterns
            .iter()
            .any(|p| p.lifecycle() == crate::patterns::declaration::Lifecycle::Sidecar)
}

/// Adds the volume that holds the done file, and the app's mount of it.
pub(crate) fn add_done_volume(parts: &mut PodParts) {
    parts.add_volume(Volume::empty_dir(DONE_VOLUME));
    parts.add_app_mount(Mount::writable(DONE_VOLUME, DONE_DIR));
}

/// Wires the done file into the app and the sidecars, when `spec` needs it (its volume is
/// [`add_done_volume`]'s).
pub(crate) fn apply(spec: &Spec, parts: &mut PodParts, app: &mut AppContext) {
    if !needs_done_file(spec) {
        return;
    }
    for sidecar in &mut parts.sidecars {
        if let Some(done) = sidecar.context.done_file_mut() {
            *done = DoneFile {
                done_file: Some(DONE_FILE),
                done_dir: Some(DONE_DIR),
                done_volume: Some(DONE_VOLUME),
            };
        }
    }
    app.env.push(EnvVar::value(DONE_ENV, DONE_FILE));
    if !spec.app.command.is_empty() {
        // The app's own command is known: run it under a shell that creates the file when the
        // attempt ends the pod, keeping its exit code and passing SIGTERM on to it.
        let mut command = vec![
            "sh".to_string(),
            "-c".into(),
            DONE_WRAPPER.into(),
            "podsmith-done".into(),
            DONE_FILE.into(),
            spec.app.restart_policy.unwrap_or_default().as_str().into(),
        ];
        command.extend(spec.app.command.iter().cloned());
        app.command = command;
    }
}

/// The shell around a Job's command: `$1` the done file, `$2` the restart policy, then the
/// command. As PID 1 the shell would ignore SIGTERM, so it runs the command in the background
/// and passes the signal on. With `OnFailure` a failed attempt restarts in the same pod and the
/// sidecars must keep shipping its logs, so only success creates the file; with `Never` every
/// attempt ends its pod.
const DONE_WRAPPER: &str = r#"done_file="$1" policy="$2"; shift 2
"$@" &
child=$!
trap 'kill "$child" 2>/dev/null' TERM INT
wait "$child"
code=$?
while [ "$code" -gt 128 ] && kill -0 "$child" 2>/dev/null; do
  wait "$child"
  code=$?
done
if [ "$code" -eq 0 ] || [ "$policy" = Never ]; then
  touch "$done_file"
fi
exit "$code"
"#;

/// What the user must know about the rendered workload's lifecycle, one line each.
pub(crate) fn warnings(spec: &Spec) -> Vec<String> {
    if !needs_done_file(spec) {
        return Vec::new();
    }
    let kind = spec.app.kind.api_kind();
    let version = spec.app.kube_version;
    let mut lines = vec![format!(
        "Kubernetes {version} has no native sidecars: a {kind}'s sidecars are regular containers \
         and would keep it from completing; they stop when the app creates {DONE_FILE} \
         (a shared emptyDir; see `podsmith explain log-sidecar`)"
    )];
    if spec.app.command.is_empty() {
        let ends = match spec.app.restart_policy.unwrap_or_default() {
            // A failed attempt restarts in the same pod: the sidecars must stay for it.
            JobRestartPolicy::OnFailure => {
                "succeeds (not when it fails: with restartPolicy \
                                            OnFailure the next attempt runs in the same pod)"
            }
            JobRestartPolicy::Never => "finishes, whether it succeeds or fails",
        };
        lines.push(format!(
            "the app must create {DONE_FILE} (also in ${DONE_ENV}) when it {ends}, e.g. \
             `touch \"${DONE_ENV}\"`; or give its command after `--command --` and podsmith \
             wraps it; or target Kubernetes {} or newer",
            KubeVersion::NATIVE_SIDECARS
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::log_sidecar::LogSidecar;
    use crate::patterns::Pattern;
    use crate::plan::ContainerContext;
    use crate::spec::WorkloadKind;

    fn job(minor: u32) -> Spec {
        let mut spec = Spec::new("report", "busybox:1.36.1");
        spec.app.kind = WorkloadKind::Job;
        spec.app.kube_version = crate::kube_version::KubeVersion::new(minor).unwrap();
        spec.patterns = vec![Pattern::LogSidecar(LogSidecar::new("/var/log/app/app.log"))];
        spec
    }

    #[test]
    fn only_old_jobs_with_sidecars_need_the_done_file() {
        assert!(needs_done_file(&job(28)));
        assert!(!needs_done_file(&job(29)));
        let mut deployment = job(28);
        deployment.app.kind = WorkloadKind::Deployment;
        assert!(!needs_done_file(&deployment));
        assert_eq!(warnings(&job(28)).len(), 2);
        assert!(warnings(&job(30)).is_empty());
    }

    #[test]
    fn a_known_command_is_wrapped() {
        let mut spec = job(27);
        spec.app.command = vec!["./report".into()];
        let plan = crate::plan::build(&spec);
        let ContainerContext::App(app) = &plan.containers[0].context else {
            panic!("the app container comes first");
        };
        let command = &app.command;
        assert_eq!(command[0], "sh");
        assert_eq!(command[5], "OnFailure");
        assert_eq!(command[6], "./report");
        assert_eq!(warnings(&spec).len(), 1);
    }
}
