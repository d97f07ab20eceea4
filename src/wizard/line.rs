//! The line editor behind the wizard's text questions: the keys a shell user expects (arrows,
//! Home/End, Delete, Ctrl-A/E/U/K), kept apart from the terminal so it can be tested.
//!
//! dialoguer's own `Input` cannot go back a question on Esc, so the wizard reads keys itself.

use console::Key;

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edit {
    /// The line changed or the cursor moved (or nothing happened): keep reading.
    Editing,
    /// Enter: the line is the answer.
    Submit,
    /// Esc: go back to the previous question.
    Back,
    /// Ctrl-C: stop the wizard.
    Interrupt,
}

/// A line of text and a cursor in it (an index in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Line {
    chars: Vec<char>,
    cursor: usize,
}

impl Line {
    /// A line holding `text`, the cursor at its end.
    pub(super) fn new(text: &str) -> Line {
        let chars: Vec<char> = text.chars().collect();
        Line {
            cursor: chars.len(),
            chars,
        }
    }

    /// The text typed so far.
    pub(super) fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// The text right of the cursor, which a redraw steps back over.
    pub(super) fn after_cursor(&self) -> String {
        self.chars[self.cursor..].iter().collect()
    }

    /// Applies one key.
    pub(super) fn apply(&mut self, key: &Key) -> Edit {
        match key {
            Key::Enter => return Edit::Submit,
            Key::Escape => return Edit::Back,
            Key::CtrlC | Key::Char('\u{3}') => return Edit::Interrupt,
            Key::ArrowLeft | Key::Char('\u{2}') => self.cursor = self.cursor.saturating_sub(1),
            Key::ArrowRight | Key::Char('\u{6}') => {
                self.cursor = (self.cursor + 1).min(self.chars.len())
            }
            Key::Home | Key::Char('\u{1}') => self.cursor = 0,
            Key::End | Key::Char('\u{5}') => self.cursor = self.chars.len(),
            Key::Backspace | Key::Char('\u{8}') if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            Key::Del | Key::Char('\u{4}') if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            Key::Char('\u{15}') => {
                self.chars.drain(..self.cursor);
                self.cursor = 0;
            }
            Key::Char('\u{b}') => self.chars.truncate(self.cursor),
            Key::Char(c) if !c.is_control() => {
                self.chars.insert(self.cursor, *c);
                self.cursor += 1;
            }
            _ => {}
        }
        Edit::Editing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(start: &str, keys: &[Key]) -> (String, String) {
        let mut line = Line::new(start);
        for key in keys {
            assert_eq!(line.apply(key), Edit::Editing, "{key:?}");
        }
        (line.text(), line.after_cursor())
    }

    fn chars(text: &str) -> Vec<Key> {
        text.chars().map(Key::Char).collect()
    }

    #[test]
    fn arrows_move_the_cursor_and_typing_inserts_there() {
        let mut keys = chars("wb");
        keys.push(Key::ArrowLeft);
        keys.extend(chars("e"));
        assert_eq!(typed("", &keys), ("web".into(), "b".into()));
        let keys = [Key::Home, Key::Char('x'), Key::End, Key::Char('y')];
        assert_eq!(typed("web", &keys), ("xweby".into(), "".into()));
    }

    #[test]
    fn backspace_and_delete_remove_either_side_of_the_cursor() {
        let keys = [Key::ArrowLeft, Key::ArrowLeft, Key::Backspace, Key::Del];
        assert_eq!(typed("Web_1", &keys), ("We1".into(), "1".into()));
        // At the edges they do nothing.
        assert_eq!(typed("ab", &[Key::Del]), ("ab".into(), "".into()));
        assert_eq!(
            typed("ab", &[Key::Home, Key::Backspace]),
            ("ab".into(), "ab".into())
        );
    }

    #[test]
    fn control_keys_work_as_in_a_shell() {
        let keys = [Key::ArrowLeft, Key::Char('\u{15}')];
        assert_eq!(typed("nginx:1.27", &keys), ("7".into(), "7".into()));
        let keys = [Key::Char('\u{1}'), Key::ArrowRight, Key::Char('\u{b}')];
        assert_eq!(typed("nginx", &keys), ("n".into(), "".into()));
    }

    #[test]
    fn cursor_movement_is_by_character_not_byte() {
        let keys = [Key::ArrowLeft, Key::Backspace];
        assert_eq!(typed("café", &keys), ("caé".into(), "é".into()));
    }

    #[test]
    fn enter_esc_and_ctrl_c_end_the_line() {
        let mut line = Line::new("web");
        assert_eq!(line.apply(&Key::Enter), Edit::Submit);
        assert_eq!(line.apply(&Key::Escape), Edit::Back);
        assert_eq!(line.apply(&Key::CtrlC), Edit::Interrupt);
        assert_eq!(line.text(), "web");
    }
}
