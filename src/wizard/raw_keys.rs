//! Holds the terminal in raw input mode while a question waits for keys.
//!
//! console switches raw mode on only for the one key it reads, and off again after it. Keys
//! that arrive while the wizard draws the line again (a paste, a held Backspace, several keys
//! in one packet over ssh) then meet the kernel's line editing: Backspace erases a byte of an
//! arrow key's escape sequence, and the rest is read as text that was never typed. Held for
//! the whole question, raw mode leaves every key as it was typed until the wizard reads it.

use std::sync::Mutex;

use rustix::termios::{tcgetattr, tcsetattr, OptionalActions, Termios};

/// The terminal's settings from before the question, while raw mode is held (a static, so that
/// the Ctrl-C handler can put them back before the process ends).
static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

/// Raw input mode on the terminal (stdin, where console reads keys) until dropped.
pub(crate) struct RawKeys;

impl RawKeys {
    /// Turns raw input on; a terminal that refuses leaves things as they were.
    pub(crate) fn hold() -> RawKeys {
        let stdin = std::io::stdin();
        if let Ok(saved) = tcgetattr(&stdin) {
            let mut raw = saved.clone();
            raw.make_raw();
            // Output is left alone: the lines written between keys still end with CR LF.
            raw.output_modes = saved.output_modes;
            if tcsetattr(&stdin, OptionalActions::Drain, &raw).is_ok() {
                *saved_settings() = Some(saved);
            }
        }
        RawKeys
    }
}

impl Drop for RawKeys {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts back the settings from before the question, if raw mode is held.
pub(crate) fn restore() {
    if let Some(saved) = saved_settings().take() {
        let _ = tcsetattr(std::io::stdin(), OptionalActions::Drain, &saved);
    }
}

fn saved_settings() -> std::sync::MutexGuard<'static, Option<Termios>> {
    // The settings stay usable whatever panicked while holding them.
    SAVED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
