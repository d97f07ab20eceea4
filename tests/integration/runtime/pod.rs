//! A simulated pod: runs the containers of a rendered manifest with the real programs their images
//! provide, as Debian packages them.
//!
//! Each container runs in its own mount and PID namespaces, so its command is PID 1 and the kernel
//! ignores a signal it has no handler for, as in a real container. Its root is an overlay of the
//! host's (read-only when the manifest says so) holding the folders the image's layers create, in
//! which the image's programs are the only ones on `PATH`; emptyDir volumes are real folders (on a
//! tmpfs of the pod's own) at the rendered mount paths, shared by every container that mounts them;
//! ConfigMaps are files; a StatefulSet's claims are folders as a new disk's root looks; with a pod
//! `fsGroup`, claims and emptyDirs are handed to that group as the kubelet does, and the group is
//! among the processes' supplementary groups; Secrets are the ones the test creates; the pod's
//! network sysctls are set in its network namespace. The user, group, environment and working
//! directory are the manifest's, else the image's, and a UID the image's passwd lacks stays without
//! an entry. It is stopped with its image's stop signal. All containers share one network namespace
//! whose loopback stands for the pod's, and whose resolver (`/etc/resolv.conf`) the test chooses.
//!
//! Over 400 lines: the pod's spec, volumes and Secrets are read at every step of a container's
//! start, so those steps stay methods of one type; a container's root filesystem ([`super::root`])
//! and a running container ([`super::container`]) are modules of their own.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, PersistentVolumeClaimVolumeSource, PodSpec, Volume};
use nix::mount::{mount, umount2, MntFlags, MsFlags};
use podsmith::pipeline::Generated;

use super::container::Running;
use super::image::Image;
use super::root::root_script;

/// How long a run-to-completion container may take before the test gives up on it.
pub const RUN_LIMIT: Duration = Duration::from_secs(30);

/// A pod built from a rendered workload.
pub struct Pod {
    dir: tempfile::TempDir,
    spec: PodSpec,
    config_maps: BTreeMap<String, BTreeMap<String, String>>,
    /// The Secrets the test created, by name, for `env` `valueFrom.secretKeyRef`.
    secrets: BTreeMap<String, BTreeMap<String, String>>,
    net: Child,
    resolv_conf: String,
    servers: Vec<Child>,
    started: usize,
}

impl Pod {
    /// The pod of the first workload in `generated`, with its ConfigMaps and a fresh network
    /// namespace. Panics (the test fails) on a manifest the simulation cannot run.
    pub fn new(generated: &Generated) -> Pod {
        let mut spec = None;
        let mut claims = Vec::new();
        let mut config_maps = BTreeMap::new();
        for document in &generated.rendered.documents {
            let value = crate::support::yaml12(&document.text).remove(0);
            match document.kind.as_str() {
                "ConfigMap" => {
                    let data: BTreeMap<String, String> =
                        serde_json::from_value(value["data"].clone()).unwrap_or_default();
                    config_maps.insert(document.name.clone(), data);
                }
                "Pod" => spec = spec.or(Some(value["spec"].clone())),
                "CronJob" => {
                    spec = spec.or(Some(
                        value["spec"]["jobTemplate"]["spec"]["template"]["spec"].clone(),
                    ))
                }
                "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "ReplicaSet" => {
                    spec = spec.or(Some(value["spec"]["template"]["spec"].clone()));
                    let templates = value["spec"]["volumeClaimTemplates"].as_array().cloned();
                    claims.extend(templates.into_iter().flatten().map(|claim| {
                        claim["metadata"]["name"]
                            .as_str()
                            .expect("a claim template has a name")
                            .to_string()
                    }));
                }
                _ => {}
            }
        }
        let mut spec: PodSpec = serde_json::from_value(spec.expect("the manifest has a workload"))
            .expect("the pod spec parses");
        // A StatefulSet's claims, bound to the pod under the template's name.
        spec.volumes
            .get_or_insert_with(Vec::new)
            .extend(claims.into_iter().map(|name| Volume {
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: name.clone(),
                    read_only: None,
                }),
                name,
                ..Volume::default()
            }));
        let dir = tempfile::Builder::new()
            .prefix("podsmith-pod-")
            .tempdir()
            .expect("a temporary folder");
        // Its own tmpfs, as the kubelet's emptyDirs can be: the pod's folders are made and
        // removed by the thousand (initdb's files), which a disk's inode allocation makes slow.
        mount(
            Some("tmpfs"),
            dir.path(),
            Some("tmpfs"),
            MsFlags::empty(),
            Some("mode=0700"),
        )
        .expect("a tmpfs for the pod's folders");
        let net = network_namespace();
        let pod = Pod {
            dir,
            spec,
            config_maps,
            secrets: BTreeMap::new(),
            net,
            resolv_conf: "nameserver 127.0.0.1\noptions ndots:5\n".into(),
            servers: Vec::new(),
            started: 0,
        };
        pod.make_volumes();
        pod
    }

    /// The pod's namespaced `net.*` sysctls, set in its network namespace as the kubelet sets
    /// them in the pod's sandbox.
    fn set_sysctls(&self) {
        let sysctls = self
            .spec
            .security_context
            .as_ref()
            .and_then(|s| s.sysctls.as_ref());
        for sysctl in sysctls.into_iter().flatten() {
            assert!(
                sysctl.name.starts_with("net."),
                "the simulation sets only the network namespace's sysctls, not {}",
                sysctl.name
            );
            let path = format!("/proc/sys/{}", sysctl.name.replace('.', "/"));
            self.in_net(|| fs::write(&path, &sysctl.value))
                .unwrap_or_else(|e| panic!("sets {} to {}: {e}", sysctl.name, sysctl.value));
        }
    }

    /// Changes the pod before its containers start, as a user editing the manifest would.
    pub fn edit(&mut self, change: impl FnOnce(&mut PodSpec)) {
        change(&mut self.spec);
    }

    /// Creates a Secret with one key before the containers start, as `kubectl create secret
    /// generic NAME --from-literal=KEY=VALUE` would.
    pub fn create_secret(&mut self, name: &str, key: &str, value: &str) {
        self.secrets
            .entry(name.into())
            .or_default()
            .insert(key.into(), value.into());
    }

    /// Replaces the containers' `/etc/resolv.conf`.
    pub fn set_resolv_conf(&mut self, text: &str) {
        self.resolv_conf = text.into();
    }

    /// The host folder behind a volume (an emptyDir, or a ConfigMap's or Secret's files).
    pub fn volume(&self, name: &str) -> PathBuf {
        self.dir.path().join("volumes").join(name)
    }

    /// A container of the manifest, init or regular.
    pub fn container(&self, name: &str) -> &Container {
        self.spec
            .init_containers
            .iter()
            .flatten()
            .chain(&self.spec.containers)
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("the manifest has no container `{name}`"))
    }

    /// The names of all containers, init containers first.
    pub fn container_names(&self) -> Vec<String> {
        self.spec
            .init_containers
            .iter()
            .flatten()
            .chain(&self.spec.containers)
            .map(|c| c.name.clone())
            .collect()
    }

    /// Runs `f` on a thread inside the pod's network namespace: sockets it opens are the pod's
    /// (they stay there when handed back).
    pub fn in_net<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        let path = format!("/proc/{}/ns/net", self.net.id());
        thread::scope(|scope| {
            scope
                .spawn(|| {
                    let namespace = fs::File::open(&path).expect("the pod's network namespace");
                    nix::sched::setns(namespace, nix::sched::CloneFlags::CLONE_NEWNET)
                        .expect("joins the pod's network namespace");
                    f()
                })
                .join()
                .expect("the network thread finishes")
        })
    }

    /// Starts a host program (a test server) inside the pod's network namespace; it is killed
    /// with the pod.
    pub fn serve(&mut self, program: &str, args: &[&str]) {
        let child = Command::new("nsenter")
            .arg(format!("--net=/proc/{}/ns/net", self.net.id()))
            .arg("--")
            .arg(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nsenter starts");
        self.servers.push(child);
    }

    /// Runs a container to completion and returns it, stopped.
    pub fn run(&mut self, name: &str) -> Running {
        let mut running = self.start(name);
        if running.wait(RUN_LIMIT).is_none() {
            panic!(
                "`{name}` still runs after {RUN_LIMIT:?}; its output:\n{}",
                running.output()
            );
        }
        running
    }

    /// Starts a container as the kubelet would.
    pub fn start(&mut self, name: &str) -> Running {
        self.launch(name, None, None)
    }

    /// Runs `argv` in a container's environment, as `kubectl exec -i` would, with `stdin` as
    /// its input, to completion.
    pub fn exec(&mut self, name: &str, argv: &[&str], stdin: &str) -> Running {
        let argv = argv.iter().map(|word| word.to_string()).collect();
        let mut running = self.launch(name, Some(argv), Some(stdin));
        if running.wait(RUN_LIMIT).is_none() {
            panic!("a command in `{name}` still runs after {RUN_LIMIT:?}");
        }
        running
    }

    fn launch(&mut self, name: &str, exec: Option<Vec<String>>, stdin: Option<&str>) -> Running {
        let container = self.container(name).clone();
        let image = Image::of(container.image.as_deref().unwrap_or_default());
        if self.started == 0 {
            // The sandbox is made when the first container starts, after any edit.
            self.set_sysctls();
            self.apply_fs_group();
        }
        self.started += 1;
        let base = self
            .dir
            .path()
            .join(format!("containers/{}-{name}", self.started));
        let (root, scratch, etc) = (base.join("root"), base.join("scratch"), base.join("etc"));
        for dir in [&root, &scratch, &etc] {
            fs::create_dir_all(dir).expect("container folders");
        }
        fs::write(etc.join("passwd"), image.passwd()).expect("passwd");
        fs::write(etc.join("group"), image.group()).expect("group");
        fs::write(etc.join("resolv.conf"), &self.resolv_conf).expect("resolv.conf");
        let (uid, gid) = self.user(&container, &image);
        let argv = exec.unwrap_or_else(|| {
            image.argv(
                container.command.clone().unwrap_or_default(),
                container.args.clone().unwrap_or_default(),
            )
        });
        let env = self.environment(name, &container, &image);
        let mut script = root_script(&container, &image, &base, |name| self.volume(name));
        // Like runc, hand the container's output pipes to its user, so a program that reopens
        // /dev/stdout or /dev/stderr (nginx' logs) can.
        script += &format!(
            "for fd in 0 1 2; do if [ -p /proc/self/fd/$fd ]; then chown {uid}:{gid} /proc/self/fd/$fd; fi; done\n"
        );
        let workdir = container
            .working_dir
            .clone()
            .unwrap_or_else(|| image.workdir.into());
        let mut exec = vec![
            "exec".to_string(),
            "chroot".into(),
            root.to_string_lossy().into_owned(),
            "setpriv".into(),
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            self.supplementary_groups(),
            "--".into(),
            "env".into(),
            "-i".into(),
            "-C".into(),
            workdir,
            "--".into(),
        ];
        exec.extend(env);
        exec.extend(argv);
        script += &shell_words::join(exec);
        script.push('\n');

        self.spawn(name, &script, stdin, &image)
    }

    /// The container's environment as the kubelet gives it: `PATH` and `HOSTNAME`, the
    /// image's ENV, every key of each `envFrom` source, then `env`, which wins.
    fn environment(&self, name: &str, container: &Container, image: &Image) -> Vec<String> {
        let mut env = vec![format!("PATH={}", super::image::PATH)];
        env.push(format!("HOSTNAME={}", container.name));
        env.extend(
            image
                .env
                .iter()
                .map(|(name, value)| format!("{name}={value}")),
        );
        // Every key of each ConfigMap or Secret first, as the kubelet does; `env` wins.
        for source in container.env_from.iter().flatten() {
            let (kind, name, data) = match (&source.config_map_ref, &source.secret_ref) {
                (Some(map), _) => ("ConfigMap", &map.name, self.config_maps.get(&map.name)),
                (_, Some(secret)) => ("Secret", &secret.name, self.secrets.get(&secret.name)),
                _ => panic!("`{name}`: an envFrom entry names neither a ConfigMap nor a Secret"),
            };
            // The kubelet does not start the container (CreateContainerConfigError).
            let data = data.unwrap_or_else(|| {
                panic!("`{name}`: envFrom reads {kind} {name:?}, which the test did not create")
            });
            let prefix = source.prefix.as_deref().unwrap_or_default();
            env.extend(
                data.iter()
                    .map(|(key, value)| format!("{prefix}{key}={value}")),
            );
        }
        for var in container.env.iter().flatten() {
            let from_secret = var.value_from.as_ref().and_then(|from| {
                let reference = from.secret_key_ref.as_ref()?;
                // The kubelet does not start the container (CreateContainerConfigError).
                let value = self
                    .secrets
                    .get(&reference.name)
                    .and_then(|data| data.get(&reference.key))
                    .unwrap_or_else(|| {
                        panic!(
                            "`{name}`: env {} reads key {:?} of Secret {:?}, which the test did not create",
                            var.name, reference.key, reference.name
                        )
                    });
                Some(value.clone())
            });
            let value =
                var.value.clone().or(from_secret).unwrap_or_else(|| {
                    panic!("`{name}`: env {} has no value to simulate", var.name)
                });
            env.push(format!("{}={value}", var.name));
        }
        env
    }

    /// Runs `script` in new mount and PID namespaces inside the pod's network namespace, with
    /// `stdin` as its input, collecting its output.
    fn spawn(&self, name: &str, script: &str, stdin: Option<&str>, image: &Image) -> Running {
        let child = Command::new("nsenter")
            .arg(format!("--net=/proc/{}/ns/net", self.net.id()))
            .args([
                "--",
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--propagation",
                "private",
            ])
            .args(["--", "/bin/sh", "-c", script])
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nsenter starts");
        Running::new(name, child, stdin, image.stop_signal)
    }

    /// The UID and GID the kubelet runs `container` as, refusing as it does a root image
    /// under `runAsNonRoot`.
    fn user(&self, container: &Container, image: &Image) -> (i64, i64) {
        let pod = self.spec.security_context.as_ref();
        let own = container.security_context.as_ref();
        let uid = own
            .and_then(|s| s.run_as_user)
            .or_else(|| pod.and_then(|s| s.run_as_user))
            .unwrap_or(image.user);
        let gid = own
            .and_then(|s| s.run_as_group)
            .or_else(|| pod.and_then(|s| s.run_as_group))
            .unwrap_or(image.group);
        let non_root = own
            .and_then(|s| s.run_as_non_root)
            .or_else(|| pod.and_then(|s| s.run_as_non_root))
            .unwrap_or(false);
        assert!(
            !(non_root && uid == 0),
            "`{}`: container has runAsNonRoot and image will run as root",
            container.name
        );
        (uid, gid)
    }

    /// The `setpriv` option that gives the containers' processes the pod's `fsGroup` and
    /// `supplementalGroups` as supplementary groups, as the container runtime does; none
    /// without them.
    fn supplementary_groups(&self) -> String {
        let pod = self.spec.security_context.as_ref();
        let groups: Vec<String> = pod
            .and_then(|s| s.fs_group)
            .into_iter()
            .chain(
                pod.and_then(|s| s.supplemental_groups.clone())
                    .into_iter()
                    .flatten(),
            )
            .map(|group| group.to_string())
            .collect();
        match groups.is_empty() {
            true => "--clear-groups".into(),
            false => format!("--groups={}", groups.join(",")),
        }
    }

    /// Hands the claims and emptyDirs to the pod's `fsGroup`, if it has one, as the kubelet
    /// does when it sets the volumes up, before any container starts (and after any edit).
    fn apply_fs_group(&self) {
        let Some(group) = self.spec.security_context.as_ref().and_then(|s| s.fs_group) else {
            return;
        };
        let group = u32::try_from(group).expect("fsGroup is a group ID");
        for volume in self.spec.volumes.iter().flatten() {
            if volume.persistent_volume_claim.is_some() || volume.empty_dir.is_some() {
                hand_to_group(&self.volume(&volume.name), group);
            }
        }
    }

    /// emptyDirs as world-writable folders (as the kubelet makes them), ConfigMaps as files,
    /// claims as a freshly formatted ext4 disk: owned by root, mode 0755, holding `lost+found`.
    fn make_volumes(&self) {
        for volume in self.spec.volumes.iter().flatten() {
            let dir = self.volume(&volume.name);
            fs::create_dir_all(&dir).expect("volume folder");
            if let Some(config_map) = &volume.config_map {
                let data = self
                    .config_maps
                    .get(&config_map.name)
                    .unwrap_or_else(|| panic!("ConfigMap {} is not rendered", config_map.name));
                for (key, text) in data {
                    fs::write(dir.join(key), text).expect("ConfigMap file");
                }
            } else if volume.secret.is_some() {
                // The test writes the Secret's files into the folder.
            } else if volume.persistent_volume_claim.is_some() {
                fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("disk mode");
                let lost_found = dir.join("lost+found");
                fs::create_dir(&lost_found).expect("lost+found");
                fs::set_permissions(&lost_found, fs::Permissions::from_mode(0o700))
                    .expect("lost+found mode");
            } else {
                assert!(
                    volume.empty_dir.is_some(),
                    "volume {} is not an emptyDir, a ConfigMap, a Secret or a claim",
                    volume.name
                );
                fs::set_permissions(&dir, fs::Permissions::from_mode(0o777))
                    .expect("emptyDir mode");
            }
        }
    }
}

impl Drop for Pod {
    fn drop(&mut self) {
        for child in self
            .servers
            .iter_mut()
            .chain(std::iter::once(&mut self.net))
        {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Detached, so a process still holding a file cannot keep the memory.
        let _ = umount2(self.dir.path(), MntFlags::MNT_DETACH);
    }
}

/// A volume's folder handed to `group` as the kubelet's `SetVolumeOwnership` does: everything
/// in it, recursively, keeps its owner and gets the group; files gain group read and write
/// (`0660`), folders also group search and the setgid bit (`02770`), so what is created inside
/// later belongs to the group too. Symbolic links are left alone.
fn hand_to_group(path: &Path, group: u32) {
    let metadata = fs::symlink_metadata(path).expect("stat");
    if metadata.file_type().is_symlink() {
        return;
    }
    std::os::unix::fs::lchown(path, None, Some(group)).expect("chgrp");
    let added = if metadata.is_dir() { 0o2770 } else { 0o660 };
    let mode = metadata.permissions().mode() & 0o7777;
    fs::set_permissions(path, fs::Permissions::from_mode(mode | added)).expect("chmod");
    if metadata.is_dir() {
        for entry in fs::read_dir(path).expect("lists the volume") {
            hand_to_group(&entry.expect("a volume entry").path(), group);
        }
    }
}

/// A network namespace with loopback up, held open by a sleeping process.
fn network_namespace() -> Child {
    let mut child = Command::new("unshare")
        .args(["--net", "--", "/bin/sh", "-c"])
        .arg("ip link set lo up && echo up && exec sleep 3600")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("unshare starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("reads the namespace's readiness");
    assert_eq!(line, "up\n", "the pod's loopback comes up");
    child
}
