//! A git repository on the host, served by `git daemon` inside the pod's network as
//! `git://gitserver/site` (the cluster's resolver knows `gitserver` in namespace `default`).

use std::fs;
use std::net::{Ipv4Addr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use super::dns::Dns;
use super::image::debian_program;
use super::pod::Pod;

/// The URL the pod clones.
pub const URL: &str = "git://gitserver/site";

/// The repository; the test commits to it.
pub struct Remote {
    dir: tempfile::TempDir,
}

impl Remote {
    /// An empty repository on branch `main`.
    pub fn new() -> Remote {
        let dir = tempfile::Builder::new()
            .prefix("podsmith-remote-")
            .tempdir()
            .expect("a temporary folder");
        let remote = Remote { dir };
        fs::create_dir(remote.worktree()).expect("the repository folder");
        remote.git(&["init", "--quiet", "--initial-branch=main"]);
        remote
    }

    /// Commits `index.html` with `content`; returns the commit's SHA.
    pub fn commit(&self, content: &str) -> String {
        fs::write(self.worktree().join("index.html"), content).expect("writes index.html");
        self.git(&["add", "index.html"]);
        self.git(&["commit", "--quiet", "--message", content]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Tags HEAD with an annotated tag.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", "--annotate", "--message", name, name]);
    }

    /// Serves the repository inside `pod`'s network and names it in `dns`; returns once the
    /// daemon accepts connections.
    pub fn serve(&self, pod: &mut Pod, dns: &Dns) {
        // git-daemon itself, not `git daemon`, which would leave it behind when killed.
        let exec_path = Command::new(debian_program("git").expect("git is required"))
            .arg("--exec-path")
            .output()
            .expect("git --exec-path");
        let daemon =
            Path::new(String::from_utf8_lossy(&exec_path.stdout).trim()).join("git-daemon");
        let base = format!("--base-path={}", self.dir.path().display());
        let root = self.dir.path().to_string_lossy().into_owned();
        pod.serve(
            &daemon.to_string_lossy(),
            &[
                "--reuseaddr",
                "--listen=127.0.0.1",
                "--export-all",
                &base,
                &root,
            ],
        );
        dns.set("gitserver.default.svc.cluster.local", Ipv4Addr::LOCALHOST);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !pod.in_net(|| TcpStream::connect("127.0.0.1:9418").is_ok()) {
            assert!(Instant::now() < deadline, "git daemon did not start");
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn worktree(&self) -> std::path::PathBuf {
        self.dir.path().join("site")
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new(debian_program("git").expect("git is required"))
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.test"])
            .arg("-C")
            .arg(self.worktree())
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

/// The checkout's `index.html`, as the app would serve it.
pub fn served(checkout: &Path) -> String {
    fs::read_to_string(checkout.join("index.html")).unwrap_or_default()
}
