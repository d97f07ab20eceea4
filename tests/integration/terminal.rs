//! A program on a pseudo-terminal, driven as a user would: wait for a text, type keys.
//!
//! rexpect starts the program on the terminal; the output is read here, by a thread that hands
//! each chunk over as soon as it arrives, so that waiting for a prompt takes as long as the
//! program takes to draw it (rexpect's own reader looks again only every 100 ms).

use std::fs::File;
use std::io::{Read, Write};
use std::process::Command;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use rexpect::process::{PtyProcess, WaitStatus};

/// How long a wait for output may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A running program on a terminal of its own, and what it printed that was not read yet.
pub struct Terminal {
    /// Dropped first: kills the program if it still runs.
    process: PtyProcess,
    input: File,
    output: Receiver<Vec<u8>>,
    /// Output not read yet, one `char` per byte as rexpect gives it.
    unread: String,
    ended: bool,
}

impl Terminal {
    /// Starts `command` with the terminal as its stdin, stdout and stderr (echo off).
    pub fn spawn(command: Command) -> Terminal {
        let mut process = PtyProcess::new(command).expect("the program starts on a pty");
        process.set_kill_timeout(Some(TIMEOUT.as_millis() as u64));
        let input = process.get_file_handle().expect("the terminal");
        let mut reader = input.try_clone().expect("the terminal");
        let (sender, output) = channel();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            // The terminal reads end (EIO) once the program and its children have closed it.
            while let Ok(read @ 1..) = reader.read(&mut chunk) {
                if sender.send(chunk[..read].to_vec()).is_err() {
                    break;
                }
            }
        });
        Terminal {
            process,
            input,
            output,
            unread: String::new(),
            ended: false,
        }
    }

    /// Waits for `text` and returns what was printed before it; both are then read.
    pub fn exp_string(&mut self, text: &str) -> Result<String, String> {
        let start = Instant::now();
        loop {
            if let Some(at) = self.unread.find(text) {
                let before = self.unread[..at].to_string();
                self.unread.drain(..at + text.len());
                return Ok(before);
            }
            if self.ended {
                return Err(format!(
                    "the program ended before {text:?}: {:?}",
                    self.unread
                ));
            }
            if !self.receive(start) {
                return Err(format!("no {text:?} within {TIMEOUT:?}: {:?}", self.unread));
            }
        }
    }

    /// Waits for the program to close the terminal and returns the rest of its output.
    pub fn exp_eof(&mut self) -> Result<String, String> {
        let start = Instant::now();
        while !self.ended {
            if !self.receive(start) {
                return Err(format!(
                    "still running after {TIMEOUT:?}: {:?}",
                    self.unread
                ));
            }
        }
        Ok(std::mem::take(&mut self.unread))
    }

    /// Moves the next chunk of output into `unread` (or notes the end); `false` once waiting
    /// since `start` has taken longer than the timeout.
    fn receive(&mut self, start: Instant) -> bool {
        let left = TIMEOUT.saturating_sub(start.elapsed());
        match self.output.recv_timeout(left) {
            Ok(chunk) => self.unread.extend(chunk.iter().map(|byte| *byte as char)),
            Err(RecvTimeoutError::Disconnected) => self.ended = true,
            Err(RecvTimeoutError::Timeout) => return false,
        }
        true
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &str) -> std::io::Result<()> {
        self.input.write_all(keys.as_bytes())?;
        self.input.flush()
    }

    /// Types `line` and Enter.
    pub fn send_line(&mut self, line: &str) -> std::io::Result<()> {
        self.send(&format!("{line}\n"))
    }

    /// Types Ctrl and `letter`.
    pub fn send_control(&mut self, letter: char) -> std::io::Result<()> {
        let code = letter.to_ascii_lowercase() as u8 - b'a' + 1;
        self.send(&char::from(code).to_string())
    }

    /// Whether the terminal is in line mode (canonical input, signal keys on), as a shell
    /// leaves it for the programs it starts.
    pub fn in_line_mode(&self) -> bool {
        use rustix::termios::{tcgetattr, LocalModes};
        let settings = tcgetattr(&self.input).expect("the terminal's settings");
        settings
            .local_modes
            .contains(LocalModes::ICANON | LocalModes::ISIG)
    }

    /// Waits for the program to end.
    pub fn wait(&self) -> WaitStatus {
        self.process.wait().expect("exit status")
    }
}
