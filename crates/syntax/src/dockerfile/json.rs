//! The JSON array of an exec form (`RUN ["a", "b"]`), with the position of
//! each string.
//!
//! BuildKit decides between exec and shell form by handing the arguments to
//! Go's `json.Unmarshal`: valid JSON that is an array of strings is exec
//! form; valid JSON with a non-string element is an error; anything else is
//! shell form. So this is a complete JSON validator (objects, numbers,
//! literals, nesting), not just a string-list reader. It is iterative with
//! Go's nesting limit (10,000), so deep input cannot exhaust the stack.

use smallvec::SmallVec;

use super::tree::smol;
use crate::SmolStr;

/// One string of the array: where its literal is (offsets into the parsed
/// text, quotes included) and its decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonString {
    pub start: usize,
    pub end: usize,
    pub value: SmolStr,
}

/// How BuildKit reads the arguments.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// Not JSON (or not an array): shell form.
    NotJson,
    /// Valid JSON, but an element at this offset is not a string: an error.
    NotStrings(usize, usize),
    /// Exec form.
    Strings(Vec<JsonString>),
}

/// How BuildKit reads the arguments, the strings having gone to the
/// caller as they were read (see [`parse_array_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonShape {
    /// Not JSON (or not an array): shell form.
    NotJson,
    /// Valid JSON, but an element at this offset is not a string: an error.
    NotStrings(usize, usize),
    /// Exec form: the strings given are its arguments.
    Strings,
}

/// Go's maximum nesting depth for `encoding/json`.
const MAX_DEPTH: usize = 10_000;

/// Reads `text` (the arguments, already trimmed) as BuildKit does.
#[cfg(test)]
pub(crate) fn parse_array(text: &str) -> JsonArray {
    let mut strings = Vec::new();
    match parse_array_with(text, |s| strings.push(s)) {
        JsonShape::NotJson => JsonArray::NotJson,
        JsonShape::NotStrings(s, e) => JsonArray::NotStrings(s, e),
        JsonShape::Strings => JsonArray::Strings(strings),
    }
}

/// `parse_array`, handing each top-level string to `found` as it is
/// read, so the caller builds its words without a vector in between. The
/// strings count only when the result is [`JsonShape::Strings`].
pub(crate) fn parse_array_with(text: &str, found: impl FnMut(JsonString)) -> JsonShape {
    if !text.starts_with('[') {
        return JsonShape::NotJson;
    }
    let mut p = Parser {
        b: text.as_bytes(),
        text,
        i: 0,
        stack: SmallVec::new(),
        found,
        non_string: None,
    };
    match p.document() {
        Some(()) => match p.non_string {
            Some((s, e)) => JsonShape::NotStrings(s, e),
            None => JsonShape::Strings,
        },
        None => JsonShape::NotJson,
    }
}

struct Parser<'a, F> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    /// Open containers: `[` or `{`. Inline while shallow: every exec
    /// form opens one, and a heap vector for it showed in profiles.
    stack: SmallVec<[u8; 16]>,
    found: F,
    non_string: Option<(usize, usize)>,
}

impl<F: FnMut(JsonString)> Parser<'_, F> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.skip_ws();
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    /// The whole text: one value, then only whitespace.
    fn document(&mut self) -> Option<()> {
        'value: loop {
            self.skip_ws();
            let top_level_element = self.stack.len() == 1 && self.stack.first() == Some(&b'[');
            let start = self.i;
            match self.peek()? {
                open @ (b'[' | b'{') => {
                    self.i += 1;
                    self.skip_ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.i += 1;
                    } else {
                        self.stack.push(open);
                        if self.stack.len() > MAX_DEPTH {
                            return None;
                        }
                        if open == b'{' {
                            self.key()?;
                        }
                        if top_level_element {
                            self.non_string.get_or_insert((start, start + 1));
                        }
                        continue 'value;
                    }
                }
                b'"' => {
                    let value = self.string()?;
                    if top_level_element {
                        (self.found)(JsonString {
                            start,
                            end: self.i,
                            value,
                        });
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            if top_level_element && self.b.get(start) != Some(&b'"') {
                self.non_string.get_or_insert((start, self.i));
            }
            // After a value: close containers or move to the next element.
            loop {
                self.skip_ws();
                let Some(&open) = self.stack.last() else {
                    return (self.i == self.b.len()).then_some(());
                };
                let close = if open == b'[' { b']' } else { b'}' };
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        if open == b'{' {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    c if c == close => {
                        self.i += 1;
                        self.stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.eat(b':')
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end) == Some(word)).then(|| self.i = end)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// A string literal starting at `"`, decoded. Without escapes (the
    /// usual case) the value is the literal's inside, taken directly.
    fn string(&mut self) -> Option<SmolStr> {
        self.i += 1;
        let mut decoded: Option<String> = None;
        loop {
            // The run up to the next quote, backslash or control char.
            let run_start = self.i;
            while self
                .peek()
                .is_some_and(|c| c != b'"' && c != b'\\' && c >= 0x20)
            {
                self.i += 1;
            }
            // The run ends at an ASCII byte, so it is on a char boundary.
            let run = self.text.get(run_start..self.i)?;
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(match decoded {
                        None => smol(run),
                        Some(mut out) => {
                            out.push_str(run);
                            SmolStr::from(out)
                        }
                    });
                }
                b'\\' => {
                    let out = decoded.get_or_insert_with(String::new);
                    out.push_str(run);
                    self.i += 1;
                    let c = self.peek()?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                // A raw control character is invalid JSON.
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let s = self.text.get(self.i..self.i + 4)?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        u32::from_str_radix(s, 16).ok()
    }

    /// After `\u`: one code point; a surrogate pair is combined, a lone
    /// surrogate becomes U+FFFD (as Go does).
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.b.get(self.i..self.i + 2) == Some(b"\\u") {
            let save = self.i;
            self.i += 2;
            if let Some(second) = self.hex4()
                && (0xDC00..0xE000).contains(&second)
            {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Some(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.i = save;
        }
        Some(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Option<Vec<String>> {
        match parse_array(text) {
            JsonArray::Strings(v) => Some(v.into_iter().map(|s| s.value.to_string()).collect()),
            _ => None,
        }
    }

    #[test]
    fn string_arrays_are_exec_form() {
        assert_eq!(values(r#"["a", "b c"]"#).unwrap(), ["a", "b c"]);
        assert_eq!(values("[]").unwrap(), Vec::<String>::new());
        assert_eq!(values("[ \"x\" ]\n ").unwrap(), ["x"]);
        assert_eq!(
            values(r#"["\"q\"", "\\", "\u00e9", "\ud83d\ude00", "\ud800"]"#).unwrap(),
            ["\"q\"", "\\", "é", "😀", "\u{FFFD}"]
        );
    }

    #[test]
    fn offsets_cover_the_literals() {
        let JsonArray::Strings(v) = parse_array(r#"["ab", "c"]"#) else {
            panic!("not strings")
        };
        assert_eq!((v[0].start, v[0].end), (1, 5));
        assert_eq!((v[1].start, v[1].end), (7, 10));
    }

    #[test]
    fn invalid_json_is_shell_form() {
        for text in [
            "[",
            "[\"a\"",
            "[\"a\",]",
            "['a']",
            "[\"a\"] && b",
            "[\"a\tb\"]",
            "[01]",
            "[1.]",
            "[\"\\x\"]",
            "[{\"a\" 1}]",
            "echo",
        ] {
            assert_eq!(parse_array(text), JsonArray::NotJson, "{text}");
        }
    }

    #[test]
    fn valid_json_with_other_values_is_an_error() {
        assert!(matches!(
            parse_array(r#"["a", 1]"#),
            JsonArray::NotStrings(6, 7)
        ));
        assert!(matches!(
            parse_array(r#"[{"k": [true, null, -1.5e3]}]"#),
            JsonArray::NotStrings(1, 2)
        ));
    }

    #[test]
    fn nesting_is_bounded_without_recursion() {
        let deep = "[".repeat(200_000) + &"]".repeat(200_000);
        assert_eq!(parse_array(&deep), JsonArray::NotJson);
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(matches!(parse_array(&ok), JsonArray::NotStrings(..)));
    }
}
