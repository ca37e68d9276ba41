//! The shell tokenizer's lexer: turns script text into words, operators
//! and redirections, skipping blanks, line continuations, comments and
//! the bodies of here-documents.
//!
//! Words are the hot path (every word of every RUN), so a word is first
//! read *verbatim*: runs of ordinary bytes, `$(…)`, `${…}` and backquotes
//! all reach the value as written, so until a quote or a backslash turns
//! up the value is the raw text and nothing is copied. Only a word that
//! has one is rebuilt with its quotes removed (see [`Lexer::unquote_rest`]).

use smol_str::{SmolStr, SmolStrBuilder};

use super::Separator;
use super::nesting;

/// What the lexer hands its tokens to (the command builder), one call
/// per token: a trait rather than a returned token enum, so that the
/// builder's code is compiled into the lexer's loop and a word's value
/// is never moved through an intermediate value. Offsets are into the
/// text.
pub(super) trait Tokens {
    /// A word; `value` is its value with quotes removed, or `None` when
    /// it equals the raw text `start..end` (no quote or escape changed
    /// it).
    fn word(&mut self, start: usize, end: usize, value: Option<SmolStr>);
    /// A redirection operator, with the descriptor written before it.
    fn redirect(&mut self, start: usize, end: usize, op: &'static str, fd: Option<u32>);
    /// A separator.
    fn op(&mut self, separator: Separator);
}

/// The bytes that end a run of ordinary word bytes: blanks, operators,
/// quotes, escapes and expansions. A table, not `<[u8]>::contains`: this
/// is asked for every byte of every RUN.
const STOPS_WORD_RUN: [bool; 256] = crate::byte_set(b" \t\r\n;&|()<>\\'\"$`");

/// The bytes a token other than a plain word may start with: line
/// breaks, operators, redirections and digits (`2>`). A word starts with
/// any other byte (blanks and comments are skipped before this is
/// asked).
const STARTS_OTHER: [bool; 256] = crate::byte_set(b"\n;&|()<>0123456789");

/// Whether `c` ends a word (outside quotes and expansions).
fn ends_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

pub(super) struct Lexer<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// After `<<` or `<<-`: the next word is a delimiter (strip tabs?).
    want_delimiter: Option<bool>,
    /// Heredocs whose bodies start after the next line break.
    pending: Vec<(String, bool)>,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Lexer {
            text,
            b: text.as_bytes(),
            pos: 0,
            want_delimiter: None,
            pending: Vec::new(),
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// Reads every token and hands each to `out`, in order. One loop
    /// around the inlined [`Lexer::next_token`]: a call per token saved
    /// and restored as many registers as a short word costs to read.
    pub fn run(&mut self, out: &mut impl Tokens) {
        while self.next_token(out) {}
    }

    /// Reads the next token and hands it to `out`; `false` at the end of
    /// the text.
    #[inline(always)]
    fn next_token(&mut self, out: &mut impl Tokens) -> bool {
        let b = self.b;
        let mut pos = self.pos;
        let c = loop {
            // Runs of spaces (indentation kept from continuation lines)
            // in a tight loop before the full match.
            while b.get(pos) == Some(&b' ') {
                pos += 1;
            }
            let Some(&c) = b.get(pos) else {
                return false;
            };
            match c {
                b' ' | b'\t' | b'\r' => pos += 1,
                b'\\' if b.get(pos + 1) == Some(&b'\n') => pos += 2,
                b'#' => {
                    // A comment runs to the end of the line.
                    let rest = b.get(pos..).unwrap_or(&[]);
                    pos += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                }
                _ => break c,
            }
        };
        self.pos = pos;
        // Most tokens are words that start with an ordinary byte: one
        // table lookup sends them on before the operators are tried.
        if STARTS_OTHER[usize::from(c)] && self.operator(c, out) {
            return true;
        }
        self.word(out);
        true
    }

    /// Reads the operator or redirection starting with `c` at `self.pos`
    /// and hands it to `out`; `false` (nothing read) when a word starts
    /// there after all (`2x`).
    fn operator(&mut self, c: u8, out: &mut impl Tokens) -> bool {
        let b = self.b;
        let start = self.pos;
        let two = b.get(start..start + 2).unwrap_or(&[]);
        let (op, len) = match (c, two) {
            (b'\n', _) => {
                self.pos += 1;
                self.skip_heredoc_bodies();
                out.op(Separator::Newline);
                return true;
            }
            (_, b"&&") => (Separator::And, 2),
            (_, b"||") => (Separator::Or, 2),
            (_, b"|&") => (Separator::Pipe, 2),
            (_, b";;" | b";&") => (Separator::Semicolon, 2),
            (_, b"&>") => {
                self.redirect(start, None, out);
                return true;
            }
            (b'&', _) => (Separator::Background, 1),
            (b'|', _) => (Separator::Pipe, 1),
            (b';', _) => (Separator::Semicolon, 1),
            (b'(' | b')', _) => (Separator::Group, 1),
            (b'<' | b'>', _) => {
                self.redirect(start, None, out);
                return true;
            }
            (b'0'..=b'9', _) => {
                // `2>` and `10<&0`: digits glued to a redirection.
                let digits = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
                if !matches!(self.at(start + digits), Some(b'<' | b'>')) {
                    return false;
                }
                let fd = self
                    .text
                    .get(start..start + digits)
                    .and_then(|d| d.parse().ok());
                self.pos += digits;
                self.redirect(start, fd, out);
                return true;
            }
            _ => return false,
        };
        self.pos += len;
        out.op(op);
        true
    }

    fn redirect(&mut self, start: usize, fd: Option<u32>, out: &mut impl Tokens) {
        const OPS: [&str; 12] = [
            "&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", "<", ">",
        ];
        let rest = self.b.get(self.pos..).unwrap_or(&[]);
        let op = OPS
            .into_iter()
            .find(|op| rest.starts_with(op.as_bytes()))
            .unwrap_or(">");
        self.pos += op.len();
        match op {
            "<<" => self.want_delimiter = Some(false),
            "<<-" => self.want_delimiter = Some(true),
            _ => {}
        }
        out.redirect(start, self.pos, op, fd);
    }

    /// A word: verbatim while it can be, rebuilt from the first quote or
    /// backslash on.
    fn word(&mut self, out: &mut impl Tokens) {
        let start = self.pos;
        // The common word is one run of ordinary bytes ended by a blank,
        // an operator or the end: scanned here in one loop.
        let end = self.plain_run_end(start);
        self.pos = end;
        let value = match self.at(end) {
            Some(c) if !ends_word(c) => self.word_rest(start),
            _ => None,
        };
        if let Some(strip) = self.want_delimiter.take() {
            let delimiter = match &value {
                Some(v) => v.as_str(),
                None => self.slice(start, self.pos),
            };
            self.pending.push((delimiter.to_owned(), strip));
        }
        out.word(start, self.pos, value);
    }

    /// The rest of a word from `self.pos`, where something other than an
    /// ordinary byte stands: `$(…)`, `${…}` and backquotes are kept
    /// verbatim; a quote or backslash hands over to
    /// [`Lexer::unquote_rest`].
    fn word_rest(&mut self, start: usize) -> Option<SmolStr> {
        while let Some(c) = self.at(self.pos) {
            match c {
                c if ends_word(c) => break,
                b'\\' | b'\'' | b'"' => return self.unquote_rest(start),
                b'$' if matches!(self.at(self.pos + 1), Some(b'(' | b'{')) => {
                    self.pos = nesting::nested_end(self.text, self.pos);
                }
                b'`' => self.pos = nesting::backquote_end(self.text, self.pos),
                _ => self.pos = self.run_end(self.pos),
            }
        }
        None
    }

    /// The end of the run of ordinary bytes at `i` (possibly `i` itself).
    /// Every byte that stops the run is ASCII, so the run ends on a char
    /// boundary.
    fn plain_run_end(&self, mut i: usize) -> usize {
        while let Some(&c) = self.b.get(i) {
            if STOPS_WORD_RUN[usize::from(c)] {
                break;
            }
            i += 1;
        }
        i
    }

    /// The end of the run of ordinary bytes at `i`, which is not the end
    /// of the text: at least one byte, as a `$` that opens nothing is
    /// ordinary too (and ASCII, so the end is still a char boundary).
    fn run_end(&self, i: usize) -> usize {
        self.plain_run_end(i).max(i + 1)
    }

    /// Reads the rest of the word from a quote or backslash at `self.pos`
    /// (the text from `start` up to it is verbatim): quotes removed,
    /// escapes resolved. `None` if the value still equals the raw text.
    fn unquote_rest(&mut self, start: usize) -> Option<SmolStr> {
        let mut value = SmolStrBuilder::new();
        value.push_str(self.slice(start, self.pos));
        while let Some(c) = self.at(self.pos) {
            match c {
                c if ends_word(c) => break,
                b'\\' => match self.at(self.pos + 1) {
                    Some(b'\n') => self.pos += 2,
                    Some(_) => {
                        let end = self.char_end(self.pos + 1);
                        value.push_str(self.slice(self.pos + 1, end));
                        self.pos = end;
                    }
                    None => {
                        value.push('\\');
                        self.pos += 1;
                    }
                },
                b'\'' => {
                    let rest = self.b.get(self.pos + 1..).unwrap_or(&[]);
                    let len = memchr::memchr(b'\'', rest).unwrap_or(rest.len());
                    value.push_str(self.slice(self.pos + 1, self.pos + 1 + len));
                    self.pos = (self.pos + 1 + len + 1).min(self.b.len());
                }
                b'"' => self.double_quoted(&mut value),
                b'$' if matches!(self.at(self.pos + 1), Some(b'(' | b'{')) => {
                    let end = nesting::nested_end(self.text, self.pos);
                    self.copy_to(end, &mut value);
                }
                b'`' => {
                    let end = nesting::backquote_end(self.text, self.pos);
                    self.copy_to(end, &mut value);
                }
                _ => {
                    let end = self.run_end(self.pos);
                    self.copy_to(end, &mut value);
                }
            }
        }
        (value.as_str() != self.slice(start, self.pos)).then(|| value.finish())
    }

    /// Copies the text up to `end` into `value` as written, and moves on.
    #[inline]
    fn copy_to(&mut self, end: usize, value: &mut SmolStrBuilder) {
        value.push_str(self.slice(self.pos, end));
        self.pos = end;
    }

    fn double_quoted(&mut self, value: &mut SmolStrBuilder) {
        self.pos += 1;
        while let Some(c) = self.at(self.pos) {
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => match self.at(self.pos + 1) {
                    Some(b'\n') => self.pos += 2,
                    Some(n @ (b'$' | b'`' | b'"' | b'\\')) => {
                        value.push(char::from(n));
                        self.pos += 2;
                    }
                    _ => {
                        value.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' if matches!(self.at(self.pos + 1), Some(b'(' | b'{')) => {
                    let end = nesting::nested_end(self.text, self.pos);
                    self.copy_to(end, value);
                }
                b'`' => {
                    let end = nesting::backquote_end(self.text, self.pos);
                    self.copy_to(end, value);
                }
                _ => {
                    // Up to the next byte that means something here (all
                    // ASCII, so the slice ends on a char boundary).
                    let rest = self.b.get(self.pos..).unwrap_or(&[]);
                    let len = rest
                        .iter()
                        .position(|&c| matches!(c, b'"' | b'\\' | b'$' | b'`'))
                        .unwrap_or(rest.len())
                        .max(1);
                    let end = nesting::char_end_at_least(self.text, self.pos + len);
                    value.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
            }
        }
    }

    /// After a line break: skips the bodies of the heredocs opened on the
    /// line that just ended.
    fn skip_heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.pending) {
            loop {
                let rest = self.text.get(self.pos..).unwrap_or("");
                if rest.is_empty() {
                    return;
                }
                let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
                let line = rest.get(..len).unwrap_or("").trim_end_matches(['\n', '\r']);
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                self.pos += len;
                if line == delimiter {
                    break;
                }
            }
        }
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The end of the character starting at `i`.
    fn char_end(&self, i: usize) -> usize {
        self.text
            .get(i..)
            .and_then(|r| r.chars().next())
            .map_or(self.b.len(), |c| i + c.len_utf8())
    }
}
