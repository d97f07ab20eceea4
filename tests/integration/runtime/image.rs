//! The images the runtime suite runs, as Debian's packages stand in for them: which programs
//! are on `PATH`, the entrypoint and default command, the default user, working folder,
//! environment and stop signal, the folders the image's layers create, and the passwd file.
//!
//! A little over 400 lines, most of them the table of images, one constant each.
//!
//! Differences from the pinned images, which the suite's notes list: Debian's busybox is built
//! without netcat 1.10 compatibility (no `nc -z`), so `nc` is netcat-openbsd, whose `-z` and
//! `-w` mean the same; git is Debian's (2.39, the image has 2.45); haproxy is Debian's 2.6 (the
//! image has 3.0); there is no fluent-bit or Envoy package in Debian 12.
//!
//! The app images podsmith knows: `redis:7.4` runs Debian's redis-server 7.0 (the same
//! defaults without a configuration file: `dir` is the working folder, RDB save points set,
//! save on SIGTERM); `postgres:16` runs Debian's PostgreSQL 15 from `/usr/lib/postgresql/15/bin`
//! (same socket folder, `/var/run/postgresql`; the image's sample configuration listens on
//! every address, Debian's on localhost, which is all the pod's loopback needs). Their
//! entrypoints are stand-ins (`entrypoints/`) that take the official scripts' steps for the
//! cases the tests run, with `gosu` from Debian. Their other tools are busybox's applets, where
//! the images have Debian's coreutils. `nginx:1.27` and `nginxinc/nginx-unprivileged:1.27` run
//! Debian's nginx 1.22 with the images' own `nginx.conf` and `default.conf` (`files/`), which
//! name the official build's temp paths that Debian's build compiles in elsewhere; their
//! entrypoint (`entrypoints/nginx.sh`) takes the one step that acts on defaults. The image's
//! `VOLUME`s are not simulated: a runtime that makes them (containerd, CRI-O by default) gives
//! the program one more writable folder than the simulation does, so the simulation is the
//! stricter case.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use nix::sys::signal::Signal;

/// Where a container finds its image's programs; its `PATH`.
pub const PATH: &str = "/podsmith-image/bin";

/// What the simulation knows of an image.
pub struct Image {
    /// Programs beyond busybox's applets: a Debian program's name, or a path.
    pub programs: &'static [&'static str],
    /// The image's ENTRYPOINT.
    entrypoint: Entrypoint,
    /// The image's CMD.
    cmd: &'static [&'static str],
    /// The image's WORKDIR.
    pub workdir: &'static str,
    /// The image's ENV, which the manifest's `env` overrides.
    pub env: &'static [(&'static str, &'static str)],
    /// Folders the image's layers create, with their owner and mode.
    pub folders: &'static [Folder],
    /// Files the image's layers create.
    pub files: &'static [File],
    /// The image's STOPSIGNAL: what the kubelet sends to stop the container.
    pub stop_signal: Signal,
    /// The image's default UID.
    pub user: i64,
    /// The image's default GID.
    pub group: i64,
    /// Entries of the image's `/etc/passwd` beyond root.
    passwd: &'static str,
}

/// A folder of the image: its path, its owner's UID and GID, and its mode.
pub struct Folder(pub &'static str, pub u32, pub u32, pub u32);

/// A file of the image: its path, its owner's UID (group root) and what it is.
#[derive(Clone, Copy)]
pub struct File(pub &'static str, pub u32, pub FileContent);

/// What a file of the image holds.
#[derive(Clone, Copy)]
pub enum FileContent {
    /// Text, mode 0644.
    Text(&'static str),
    /// A symbolic link to this target.
    Link(&'static str),
}

/// The nginx images' files besides their `nginx.conf` and `default.conf`: the welcome page and
/// the logs, linked to the container's output.
const NGINX_FILES: [File; 3] = [
    File(
        "/usr/share/nginx/html/index.html",
        0,
        FileContent::Text("<!DOCTYPE html>\n<title>Welcome to nginx!</title>\n"),
    ),
    File(
        "/var/log/nginx/access.log",
        0,
        FileContent::Link("/dev/stdout"),
    ),
    File(
        "/var/log/nginx/error.log",
        0,
        FileContent::Link("/dev/stderr"),
    ),
];

const NGINX_PASSWD: &str = "nginx:x:101:101:nginx user:/nonexistent:/bin/false\n";

enum Entrypoint {
    None,
    /// `alpine/git`: `git`.
    Git,
    /// The haproxy image's script: arguments starting with `haproxy` (or an option) run
    /// `haproxy -W -db` with the rest.
    Haproxy,
    /// A script at `/usr/local/bin/docker-entrypoint.sh`.
    Script(&'static str),
}

/// What every image that is no app image has: no CMD, WORKDIR or ENV of note, no folders the
/// tests rely on, SIGTERM to stop.
const PLAIN: Image = Image {
    programs: &[],
    entrypoint: Entrypoint::None,
    cmd: &[],
    workdir: "/",
    env: &[],
    folders: &[],
    files: &[],
    stop_signal: Signal::SIGTERM,
    user: 0,
    group: 0,
    passwd: "",
};

/// `busybox`: the small helpers' shell tools.
const BUSYBOX: Image = Image {
    programs: &["nc"],
    entrypoint: Entrypoint::None,
    user: 0,
    group: 0,
    passwd: "nobody:x:65534:65534:nobody:/home:/bin/false\n",
    ..PLAIN
};

/// `alpine/git`: git-clone's and git-sync's image, `git` as its entrypoint.
const ALPINE_GIT: Image = Image {
    programs: &["nc", "git", "ssh"],
    entrypoint: Entrypoint::Git,
    user: 0,
    group: 0,
    passwd: "nobody:x:65534:65534:nobody:/:/sbin/nologin\n",
    ..PLAIN
};

/// `haproxy`: the ambassador's image, running as the haproxy user.
const HAPROXY: Image = Image {
    programs: &["nc", "haproxy"],
    entrypoint: Entrypoint::Haproxy,
    user: 99,
    group: 99,
    passwd: "haproxy:x:99:99:haproxy:/var/lib/haproxy:/sbin/nologin\n",
    ..PLAIN
};

/// `example.test/app`: the user's own image in these tests: a shell, and a non-root default
/// user.
const APP: Image = Image {
    programs: &["nc"],
    entrypoint: Entrypoint::None,
    user: 1000,
    group: 1000,
    passwd: "app:x:1000:1000:app:/home/app:/bin/sh\n",
    ..PLAIN
};

/// `redis`: Debian-based; the entrypoint runs redis-server as is unless started as root.
const REDIS: Image = Image {
    programs: &["redis-server", "gosu"],
    entrypoint: Entrypoint::Script(include_str!("entrypoints/redis.sh")),
    cmd: &["redis-server"],
    workdir: "/data",
    folders: &[Folder("/data", 999, 999, 0o755)],
    user: 0,
    group: 0,
    passwd: "redis:x:999:999::/home/redis:/usr/sbin/nologin\n",
    ..PLAIN
};

/// `postgres`: Debian-based; the entrypoint initialises an empty PGDATA, then runs postgres.
const POSTGRES: Image = Image {
    programs: &[
        "bash",
        "gosu",
        "/usr/lib/postgresql/15/bin/postgres",
        "/usr/lib/postgresql/15/bin/initdb",
        "/usr/lib/postgresql/15/bin/pg_ctl",
        "/usr/lib/postgresql/15/bin/psql",
        "/usr/lib/postgresql/15/bin/pg_isready",
    ],
    entrypoint: Entrypoint::Script(include_str!("entrypoints/postgres.sh")),
    cmd: &["postgres"],
    env: &[("PGDATA", "/var/lib/postgresql/data")],
    folders: &[
        Folder("/var/lib/postgresql", 999, 999, 0o1777),
        Folder("/var/lib/postgresql/data", 999, 999, 0o1777),
        Folder("/var/run/postgresql", 999, 999, 0o3777),
        Folder("/docker-entrypoint-initdb.d", 0, 0, 0o755),
    ],
    stop_signal: Signal::SIGINT,
    user: 0,
    group: 0,
    passwd: "postgres:x:999:999::/var/lib/postgresql:/bin/bash\n",
    ..PLAIN
};

/// `nginx`: Debian-based; starts as root, which binds port 80 and runs the workers as nginx.
const NGINX: Image = Image {
    programs: &["nginx"],
    entrypoint: Entrypoint::Script(include_str!("entrypoints/nginx.sh")),
    cmd: &["nginx", "-g", "daemon off;"],
    folders: &[
        Folder("/var/cache/nginx", 0, 0, 0o755),
        Folder("/var/log/nginx", 0, 0, 0o755),
        Folder("/etc/nginx/conf.d", 0, 0, 0o755),
    ],
    files: &[
        File(
            "/etc/nginx/nginx.conf",
            0,
            FileContent::Text(include_str!("files/nginx.conf")),
        ),
        File(
            "/etc/nginx/conf.d/default.conf",
            0,
            FileContent::Text(include_str!("files/nginx-default.conf")),
        ),
        NGINX_FILES[0],
        NGINX_FILES[1],
        NGINX_FILES[2],
    ],
    stop_signal: Signal::SIGQUIT,
    user: 0,
    group: 0,
    passwd: NGINX_PASSWD,
    ..PLAIN
};

/// `nginxinc/nginx-unprivileged`: the same, built to run as UID 101: port 8080, its pid file
/// and temp files in /tmp.
const NGINX_UNPRIVILEGED: Image = Image {
    programs: &["nginx"],
    entrypoint: Entrypoint::Script(include_str!("entrypoints/nginx.sh")),
    cmd: &["nginx", "-g", "daemon off;"],
    folders: &[
        Folder("/var/cache/nginx", 101, 0, 0o775),
        Folder("/var/log/nginx", 0, 0, 0o755),
        Folder("/etc/nginx/conf.d", 101, 0, 0o775),
    ],
    files: &[
        File(
            "/etc/nginx/nginx.conf",
            101,
            FileContent::Text(include_str!("files/nginx-unprivileged.conf")),
        ),
        File(
            "/etc/nginx/conf.d/default.conf",
            101,
            FileContent::Text(include_str!("files/nginx-unprivileged-default.conf")),
        ),
        NGINX_FILES[0],
        NGINX_FILES[1],
        NGINX_FILES[2],
    ],
    stop_signal: Signal::SIGQUIT,
    user: 101,
    group: 101,
    passwd: NGINX_PASSWD,
    ..PLAIN
};

impl Image {
    /// The image named by `reference`; panics for one the simulation has no stand-in for.
    pub fn of(reference: &str) -> Image {
        let name = reference.split(':').next().unwrap_or_default();
        match name {
            "busybox" => BUSYBOX,
            "alpine/git" => ALPINE_GIT,
            "haproxy" => HAPROXY,
            "example.test/app" => APP,
            "redis" => REDIS,
            "postgres" => POSTGRES,
            "nginx" => NGINX,
            "nginxinc/nginx-unprivileged" => NGINX_UNPRIVILEGED,
            other => panic!("the runtime suite has no stand-in for image `{other}`"),
        }
    }

    /// The image's passwd file.
    pub fn passwd(&self) -> String {
        format!("root:x:0:0:root:/root:/bin/sh\n{}", self.passwd)
    }

    /// The image's group file: a group of the same name for each passwd entry.
    pub fn group(&self) -> String {
        self.passwd()
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                Some(format!("{}:x:{}:\n", fields.first()?, fields.get(3)?))
            })
            .collect()
    }

    /// The argv the container runtime starts from the manifest's `command` and `args`: the
    /// command replaces ENTRYPOINT and CMD, arguments replace CMD only.
    pub fn argv(&self, command: Vec<String>, args: Vec<String>) -> Vec<String> {
        if !command.is_empty() {
            return command.into_iter().chain(args).collect();
        }
        let args = if args.is_empty() {
            self.cmd.iter().map(|word| word.to_string()).collect()
        } else {
            args
        };
        match self.entrypoint {
            Entrypoint::None => args,
            Entrypoint::Script(_) => std::iter::once(ENTRYPOINT.to_string())
                .chain(args)
                .collect(),
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
    ///
    /// Made once for each content in the tests' temporary folder and shared by every container
    /// of that image, read-only: a folder of ~400 links per container start made the file
    /// system's inode allocation most of the runtime suite's time.
    pub fn bin_dir(&self) -> PathBuf {
        let busybox = debian_program("busybox").expect("busybox is required");
        let mut links: Vec<(String, PathBuf)> = busybox_applets()
            .iter()
            .filter(|applet| !self.programs.contains(&applet.as_str()))
            .map(|applet| (applet.clone(), busybox.clone()))
            .collect();
        for program in self.programs {
            let path = debian_program(program)
                .unwrap_or_else(|| panic!("`{program}` is required but not installed"));
            let name = Path::new(program).file_name().expect("a program name");
            links.push((name.to_string_lossy().into_owned(), path));
        }
        let script = match self.entrypoint {
            Entrypoint::Script(text) => Some(text),
            _ => None,
        };
        let mut content = DefaultHasher::new();
        (&links, script).hash(&mut content);
        let images = Path::new(env!("CARGO_TARGET_TMPDIR")).join("runtime-images");
        let dir = images.join(format!("bin-{:016x}", content.finish()));
        if dir.is_dir() {
            return dir;
        }
        fs::create_dir_all(&images).expect("the images folder");
        let staged = tempfile::tempdir_in(&images).expect("a staging folder");
        for (name, target) in &links {
            symlink(target, staged.path().join(name)).expect("program link");
        }
        if let Some(text) = script {
            let script = staged.path().join(ENTRYPOINT);
            fs::write(&script, text).expect("writes the entrypoint");
            fs::set_permissions(&script, fs::Permissions::from_mode(0o755))
                .expect("entrypoint mode");
        }
        fs::set_permissions(staged.path(), fs::Permissions::from_mode(0o755))
            .expect("programs folder mode");
        // Another test may have made the same folder meanwhile; either copy will do.
        let staged = staged.keep();
        if fs::rename(&staged, &dir).is_err() {
            fs::remove_dir_all(&staged).expect("removes the staging folder");
            assert!(
                dir.is_dir(),
                "the programs folder {} is made",
                dir.display()
            );
        }
        dir
    }
}

/// busybox's applets, as `busybox --list` names them; asked once per test process.
fn busybox_applets() -> &'static [String] {
    static APPLETS: OnceLock<Vec<String>> = OnceLock::new();
    APPLETS.get_or_init(|| {
        let busybox = debian_program("busybox").expect("busybox is required");
        let list = Command::new(busybox)
            .arg("--list")
            .output()
            .expect("busybox --list");
        String::from_utf8_lossy(&list.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    })
}

/// The name of an image's entrypoint script, on its `PATH`.
const ENTRYPOINT: &str = "docker-entrypoint.sh";

/// A program as a Debian package installs it (by name, or at its path), or `None`.
pub fn debian_program(name: &str) -> Option<PathBuf> {
    if name.starts_with('/') {
        return Some(PathBuf::from(name)).filter(|path| path.is_file());
    }
    ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}
