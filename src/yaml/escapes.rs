//! Escapes in double-quoted scalars as kubectl reads them, which is not YAML 1.2.
//!
//! kubectl reads a YAML file with go-yaml v2 (`yaml_parser_scan_flow_scalar` in `scannerc.go`),
//! which takes `\'` as a single quote and refuses `\/`; saphyr-parser follows YAML 1.2, which
//! is the other way round. A file whose text starts with `{` is JSON to kubectl
//! (`GuessJSONStream` in apimachinery's `util/yaml`), read by `encoding/json`, whose escapes
//! are only `\" \\ \/ \b \f \n \r \t \uXXXX`.
//!
//! [`KubectlEscapes`] sits between the text and the parser and changes what the parser sees
//! after a `\`, never the number of characters, so every position stays right: an escape
//! kubectl refuses shows as one the parser refuses, and `\'` shows as `\0`, whose NUL
//! [`restore_quotes`] turns back into `'` in the scalar's value.

use std::borrow::Cow;

use saphyr_parser::input::SkipTabs;
use saphyr_parser::{Input, StrInput};

/// How the file is read: which escapes kubectl accepts in a double-quoted string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    /// go-yaml v2.
    Yaml,
    /// `encoding/json`.
    Json,
}

impl Reader {
    /// The reader kubectl picks for a document: JSON for a file whose text starts with `{`.
    pub(super) fn for_document(text: &str, offset: usize) -> Reader {
        if offset == 0 && text.trim_start().starts_with('{') {
            Reader::Json
        } else {
            Reader::Yaml
        }
    }

    /// What the parser is shown for the character after a `\` in a double-quoted scalar.
    fn shown(self, escaped: char) -> char {
        /// An escape the parser refuses, as kubectl refuses the real one.
        const REFUSED: char = 'q';
        match (self, escaped) {
            (Reader::Yaml, '\'') => '0',
            (Reader::Yaml, '/') => REFUSED,
            (Reader::Json, '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u') => escaped,
            // A line break after `\` is YAML's escaped line break: leave the parser its view.
            (Reader::Json, '\n' | '\r') => escaped,
            (Reader::Json, _) => REFUSED,
            (Reader::Yaml, _) => escaped,
        }
    }
}

/// The parser's input: the text, with the character after each `\` shown as kubectl's reader
/// takes it. The parser looks at that character only to read an escape sequence.
pub(super) struct KubectlEscapes<'a> {
    text: StrInput<'a>,
    reader: Reader,
}

impl<'a> KubectlEscapes<'a> {
    pub(super) fn new(text: &'a str, reader: Reader) -> KubectlEscapes<'a> {
        KubectlEscapes {
            text: StrInput::new(text),
            reader,
        }
    }
}

impl Input for KubectlEscapes<'_> {
    fn peek_nth(&self, n: usize) -> char {
        let c = self.text.peek_nth(n);
        if n == 1 && self.text.peek() == '\\' {
            self.reader.shown(c)
        } else {
            c
        }
    }

    fn nth_char_is(&self, n: usize, c: char) -> bool {
        self.peek_nth(n) == c
    }

    fn next_2_are(&self, c1: char, c2: char) -> bool {
        self.peek() == c1 && self.peek_nth(1) == c2
    }

    fn next_3_are(&self, c1: char, c2: char, c3: char) -> bool {
        self.next_2_are(c1, c2) && self.text.peek_nth(2) == c3
    }

    fn lookahead(&mut self, count: usize) {
        self.text.lookahead(count)
    }
    fn buflen(&self) -> usize {
        self.text.buflen()
    }
    fn bufmaxlen(&self) -> usize {
        self.text.bufmaxlen()
    }
    fn buf_is_empty(&self) -> bool {
        self.text.buf_is_empty()
    }
    fn raw_read_ch(&mut self) -> char {
        self.text.raw_read_ch()
    }
    fn raw_read_non_breakz_ch(&mut self) -> Option<char> {
        self.text.raw_read_non_breakz_ch()
    }
    fn skip(&mut self) {
        self.text.skip()
    }
    fn skip_n(&mut self, count: usize) {
        self.text.skip_n(count)
    }
    fn peek(&self) -> char {
        self.text.peek()
    }
    fn peek_opt(&self) -> Option<char> {
        self.text.peek_opt()
    }
    fn look_ch(&mut self) -> char {
        self.text.look_ch()
    }
    fn next_char_is(&self, c: char) -> bool {
        self.text.next_char_is(c)
    }
    fn next_is_document_indicator(&self) -> bool {
        self.text.next_is_document_indicator()
    }
    fn next_is_document_start(&self) -> bool {
        self.text.next_is_document_start()
    }
    fn next_is_document_end(&self) -> bool {
        self.text.next_is_document_end()
    }
    fn skip_ws_to_eol(&mut self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>) {
        self.text.skip_ws_to_eol(skip_tabs)
    }
    fn next_can_be_plain_scalar(&self, in_flow: bool) -> bool {
        self.text.next_can_be_plain_scalar(in_flow)
    }
    fn next_is_blank_or_break(&self) -> bool {
        self.text.next_is_blank_or_break()
    }
    fn next_is_blank_or_breakz(&self) -> bool {
        self.text.next_is_blank_or_breakz()
    }
    fn next_is_blank(&self) -> bool {
        self.text.next_is_blank()
    }
    fn next_is_break(&self) -> bool {
        self.text.next_is_break()
    }
    fn next_is_breakz(&self) -> bool {
        self.text.next_is_breakz()
    }
    fn next_is_z(&self) -> bool {
        self.text.next_is_z()
    }
    fn next_is_flow(&self) -> bool {
        self.text.next_is_flow()
    }
    fn next_is_digit(&self) -> bool {
        self.text.next_is_digit()
    }
    fn next_is_alpha(&self) -> bool {
        self.text.next_is_alpha()
    }
    fn skip_while_non_breakz(&mut self) -> usize {
        self.text.skip_while_non_breakz()
    }
    fn skip_while_blank(&mut self) -> usize {
        self.text.skip_while_blank()
    }
    fn fetch_while_is_alpha(&mut self, out: &mut String) -> usize {
        self.text.fetch_while_is_alpha(out)
    }
    fn fetch_while_is_yaml_non_space(&mut self, out: &mut String) -> usize {
        self.text.fetch_while_is_yaml_non_space(out)
    }
}

/// The value of a double-quoted scalar with each `\'` of its `source` (the quoted text as
/// written, quotes included) as `'`: the parser was shown `\0` there, so the value holds a NUL
/// for each, in order among the NULs of real `\0`, `\x00`, `\u0000` and `\U00000000` escapes.
pub(super) fn restore_quotes<'v>(source: &str, value: &'v str) -> Cow<'v, str> {
    if !value.contains('\0') || !source.contains("\\'") {
        return Cow::Borrowed(value);
    }
    let mut quotes = Vec::new();
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            continue;
        }
        let digits = match chars.next() {
            Some('\'') => {
                quotes.push(true);
                continue;
            }
            Some('0') => {
                quotes.push(false);
                continue;
            }
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            _ => continue,
        };
        let code: String = chars.by_ref().take(digits).collect();
        if u32::from_str_radix(&code, 16) == Ok(0) {
            quotes.push(false);
        }
    }
    let mut nuls = quotes.into_iter();
    Cow::Owned(
        value
            .chars()
            .map(|c| match c {
                '\0' if nuls.next() == Some(true) => '\'',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_a_file_that_starts_with_a_brace() {
        assert_eq!(Reader::for_document("  \n{\"a\": 1}", 0), Reader::Json);
        assert_eq!(Reader::for_document("{a: 1}", 10), Reader::Yaml);
        assert_eq!(Reader::for_document("a: {}", 0), Reader::Yaml);
    }

    #[test]
    fn quotes_come_back_among_real_nuls() {
        assert_eq!(restore_quotes(r#""a\'b""#, "a\0b"), "a'b");
        assert_eq!(
            restore_quotes(r#""\0\'\x00\'\u0000""#, "\0\0\0\0\0"),
            "\0'\0'\0"
        );
        assert_eq!(restore_quotes(r#""\\'""#, "\\'"), "\\'");
        assert!(matches!(
            restore_quotes(r#""plain""#, "plain"),
            Cow::Borrowed(_)
        ));
    }
}
