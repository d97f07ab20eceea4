//! A container of the simulated pod while it runs: its output as it comes, its stop by its
//! image's signal as the kubelet sends it, and its end.

use std::fs;
use std::io::{Read, Write};
use std::process::{Child, ExitStatus};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// A container started in the pod; killed when dropped.
pub struct Running {
    /// Container name.
    pub name: String,
    child: Child,
    /// The host PID of the container's PID 1; `None` if it ended before it was seen.
    pid1: Option<Pid>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    /// The threads collecting the output; joined once it stops, so nothing it wrote is missed.
    readers: Vec<JoinHandle<()>>,
    status: Option<ExitStatus>,
    /// What stops it: its image's STOPSIGNAL.
    stop_signal: Signal,
}

impl Running {
    /// The container `name` that `child` (`unshare --fork`) runs, given `stdin` and its
    /// output collected as it comes; stopped with `stop_signal`.
    pub fn new(name: &str, mut child: Child, stdin: Option<&str>, stop_signal: Signal) -> Running {
        if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
            input.write_all(text.as_bytes()).expect("writes the input");
        }
        let (stdout, out_reader) = collect(child.stdout.take().expect("piped"));
        let (stderr, err_reader) = collect(child.stderr.take().expect("piped"));
        let pid1 = first_child_of(&mut child);
        Running {
            name: name.into(),
            child,
            pid1,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
            status: None,
            stop_signal,
        }
    }

    /// Everything the container wrote so far, stdout then stderr.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout(), self.stderr.lock().expect("stderr"))
    }

    /// What the container wrote to stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().expect("stdout").clone()
    }

    /// Waits until stdout holds `text`; false if the container stops or `limit` passes first.
    pub fn wait_for_stdout(&mut self, text: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.stdout().contains(text) {
                return true;
            }
            if self.try_status().is_some() {
                return self.stdout().contains(text);
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The real and effective UIDs of the container's PID 1 now, from `/proc`; `None` once
    /// it has ended.
    pub fn uids(&self) -> Option<(u32, u32)> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.pid1?)).ok()?;
        let line = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
        let mut ids = line.split_whitespace().map(|id| id.parse().ok());
        Some((ids.next()??, ids.next()??))
    }

    /// Sends the image's stop signal (SIGTERM unless its STOPSIGNAL says otherwise) to the
    /// container's PID 1, as the kubelet does to stop it.
    pub fn terminate(&self) {
        if let Some(pid) = self.pid1 {
            let _ = kill(pid, self.stop_signal);
        }
    }

    /// Waits until the container's PID 1 has a SIGTERM handler, or `limit` passes: a shell
    /// sets its trap a moment after it starts.
    pub fn wait_until_handling_sigterm(&mut self, limit: Duration) {
        let Some(pid) = self.pid1 else {
            return;
        };
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline && self.try_status().is_none() {
            let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let caught = status
                .lines()
                .find_map(|line| line.strip_prefix("SigCgt:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
                .unwrap_or(0);
            if caught & (1 << (Signal::SIGTERM as i32 - 1)) != 0 {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits up to `limit` for the container to stop; its exit status, or `None` if it runs on.
    pub fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.try_status() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// The exit status, once stopped.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("waits for the container");
            if self.status.is_some() {
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
            }
        }
        self.status
    }

    /// Whether it stopped with exit code 0.
    pub fn succeeded(&mut self) -> bool {
        self.try_status().is_some_and(|s| s.success())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.try_status().is_none() {
            if let Some(pid) = self.pid1 {
                let _ = kill(pid, Signal::SIGKILL);
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Collects a stream on a thread, which ends at the stream's end.
fn collect(mut stream: impl Read + Send + 'static) -> (Arc<Mutex<String>>, JoinHandle<()>) {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    let reader = thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock()
                .expect("output buffer")
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    (text, reader)
}

/// The host PID of the process `unshare --fork` (`parent`) started: the container's PID 1.
fn first_child_of(parent: &mut Child) -> Option<Pid> {
    let id = parent.id();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if parent.try_wait().ok().flatten().is_some() {
            return None;
        }
        for entry in fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(id) {
                let pid = entry.file_name().to_string_lossy().parse().expect("a PID");
                return Some(Pid::from_raw(pid));
            }
        }
        thread::sleep(Duration::from_millis(5));
    }
    panic!("the container's first process did not start");
}
