//! The images podsmith's helpers run, as Debian's packages stand in for them: which programs
//! are on `PATH`, the entrypoint, the default user and the passwd file.
//!
//! Differences from the pinned images, which the suite's notes list: Debian's busybox is built
//! without netcat 1.10 compatibility (no `nc -z`), so `nc` is netcat-openbsd, whose `-z` and
//! `-w` mean the same; git is Debian's (2.39, the image has 2.45); haproxy is Debian's 2.6 (the
//! image has 3.0); there is no fluent-bit or Envoy package in Debian 12.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a container finds its image's programs; its `PATH`.
pub const PATH: &str = "/podsmith-image/bin";

/// What the simulation knows of an image.
pub struct Image {
    /// Programs beyond busybox's applets, by Debian name.
    programs: &'static [&'static str],
    /// The image's ENTRYPOINT.
    entrypoint: Entrypoint,
    /// The image's default UID.
    pub user: i64,
    /// The image's default GID.
    pub group: i64,
    /// Entries of the image's `/etc/passwd` beyond root.
    passwd: &'static str,
}

enum Entrypoint {
    None,
    /// `alpine/git`: `git`.
    Git,
    /// The haproxy image's script: arguments starting with `haproxy` (or an option) run
    /// `haproxy -W -db` with the rest.
    Haproxy,
}

impl Image {
    /// The image named by `reference`; panics for one the simulation has no stand-in for.
    pub fn of(reference: &str) -> Image {
        let name = reference.split(':').next().unwrap_or_default();
        match name {
            "busybox" => Image {
                programs: &["nc"],
                entrypoint: Entrypoint::None,
                user: 0,
                group: 0,
                passwd: "nobody:x:65534:65534:nobody:/home:/bin/false\n",
            },
            "alpine/git" => Image {
                programs: &["nc", "git", "ssh"],
                entrypoint: Entrypoint::Git,
                user: 0,
                group: 0,
                passwd: "nobody:x:65534:65534:nobody:/:/sbin/nologin\n",
            },
            "haproxy" => Image {
                programs: &["nc", "haproxy"],
                entrypoint: Entrypoint::Haproxy,
                user: 99,
                group: 99,
                passwd: "haproxy:x:99:99:haproxy:/var/lib/haproxy:/sbin/nologin\n",
            },
            // The user's own image in these tests: a shell, and a non-root default user.
            "example.test/app" => Image {
                programs: &["nc"],
                entrypoint: Entrypoint::None,
                user: 1000,
                group: 1000,
                passwd: "app:x:1000:1000:app:/home/app:/bin/sh\n",
            },
            other => panic!("the runtime suite has no stand-in for image `{other}`"),
        }
    }

    /// The image's passwd file.
    pub fn passwd(&self) -> String {
        format!("root:x:0:0:root:/root:/bin/sh\n{}", self.passwd)
    }

    /// The argv the container runtime starts from the manifest's `command` and `args`.
    pub fn argv(&self, command: Vec<String>, args: Vec<String>) -> Vec<String> {
        if !command.is_empty() {
            return command.into_iter().chain(args).collect();
        }
        match self.entrypoint {
            Entrypoint::None => args,
            Entrypoint::Git => std::iter::once("git".to_string()).chain(args).collect(),
            Entrypoint::Haproxy => {
                let mut args = args;
                if args.first().is_some_and(|a| a.starts_with('-')) {
                    args.insert(0, "haproxy".into());
                }
                if args.first().is_some_and(|a| a == "haproxy") {
                    args.splice(1..1, ["-W".to_string(), "-db".to_string()]);
                }
                args
            }
        }
    }

    /// A folder of the image's programs: busybox's applets, then the image's own programs.
    pub fn bin_dir(&self, dir: &Path) -> PathBuf {
        fs::create_dir_all(dir).expect("image folder");
        let busybox = debian_program("busybox").expect("busybox is required");
        let list = Command::new(&busybox)
            .arg("--list")
            .output()
            .expect("busybox --list");
        for applet in String::from_utf8_lossy(&list.stdout).lines() {
            if !self.programs.contains(&applet) {
                symlink(&busybox, dir.join(applet)).expect("applet link");
            }
        }
        for program in self.programs {
            let path = debian_program(program)
                .unwrap_or_else(|| panic!("`{program}` is required but not installed"));
            symlink(path, dir.join(program)).expect("program link");
        }
        dir.to_path_buf()
    }
}

/// A program as a Debian package installs it, or `None`.
pub fn debian_program(name: &str) -> Option<PathBuf> {
    ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}
