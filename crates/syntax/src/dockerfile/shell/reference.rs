//! The tokenizer as it was before the verbatim fast path (`lexer.rs`) and
//! the exact-size command parts (`builder.rs`), kept as the reference the
//! new one must agree with: same commands, words, values, spans,
//! redirections and pipes for any text and source map.

use proptest::prelude::*;
use smol_str::SmolStrBuilder;

use super::nesting;
use super::{Command, Redirect, Separator};
use crate::dockerfile::source::SourceMap;
use crate::dockerfile::tree::{Word, smol};
use crate::{SmolStr, Span};

/// Words that open or close a compound command, skipped at a command's
/// start.
const RESERVED: [&str; 14] = [
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
    "esac",
];

/// The commands of `text`, spans mapped through `map`.
pub(super) fn tokenize(text: &str, map: &SourceMap) -> Vec<Command> {
    let mut lexer = Lexer {
        text,
        b: text.as_bytes(),
        pos: 0,
        want_delimiter: None,
        pending: Vec::new(),
    };
    let mut builder = Builder::new(text, map);
    while let Some(token) = lexer.next_token() {
        builder.push(token);
    }
    builder.finish(Separator::Start);
    builder.commands
}

#[derive(Debug)]
enum Token {
    Word {
        start: usize,
        end: usize,
        /// Quotes removed; built inline while short.
        value: SmolStrBuilder,
    },
    Op(Separator),
    Redirect {
        start: usize,
        end: usize,
        op: &'static str,
        fd: Option<u32>,
    },
}

/// The bytes that end a run of ordinary word bytes: blanks, operators,
/// quotes, escapes and expansions. A table, not `<[u8]>::contains`: this
/// is asked for every byte of every RUN.
const STOPS_WORD_RUN: [bool; 256] = crate::byte_set(b" \t\r\n;&|()<>\\'\"$`");

struct Lexer<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// After `<<` or `<<-`: the next word is a delimiter (strip tabs?).
    want_delimiter: Option<bool>,
    /// Heredocs whose bodies start after the next line break.
    pending: Vec<(String, bool)>,
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn next_token(&mut self) -> Option<Token> {
        loop {
            match self.at(self.pos)? {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.at(self.pos + 1) == Some(b'\n') => self.pos += 2,
                b'#' => {
                    // A comment runs to the end of the line.
                    let rest = self.text.get(self.pos..).unwrap_or("");
                    self.pos += rest.find('\n').unwrap_or(rest.len());
                }
                _ => break,
            }
        }
        let start = self.pos;
        let c = self.at(start)?;
        let two = self.b.get(start..start + 2).unwrap_or(&[]);
        let (op, len) = match (c, two) {
            (b'\n', _) => {
                self.pos += 1;
                self.skip_heredoc_bodies();
                return Some(Token::Op(Separator::Newline));
            }
            (_, b"&&") => (Separator::And, 2),
            (_, b"||") => (Separator::Or, 2),
            (_, b"|&") => (Separator::Pipe, 2),
            (_, b";;" | b";&") => (Separator::Semicolon, 2),
            (_, b"&>") => return Some(self.redirect(start, None)),
            (b'&', _) => (Separator::Background, 1),
            (b'|', _) => (Separator::Pipe, 1),
            (b';', _) => (Separator::Semicolon, 1),
            (b'(' | b')', _) => (Separator::Group, 1),
            (b'<' | b'>', _) => return Some(self.redirect(start, None)),
            _ => {
                // `2>` and `10<&0`: digits glued to a redirection.
                let digits = self.b[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits > 0 && matches!(self.at(start + digits), Some(b'<' | b'>')) {
                    let fd = self
                        .text
                        .get(start..start + digits)
                        .and_then(|d| d.parse().ok());
                    self.pos += digits;
                    return Some(self.redirect(start, fd));
                }
                return Some(self.word());
            }
        };
        self.pos += len;
        Some(Token::Op(op))
    }

    fn redirect(&mut self, start: usize, fd: Option<u32>) -> Token {
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
        Token::Redirect {
            start,
            end: self.pos,
            op,
            fd,
        }
    }

    fn word(&mut self) -> Token {
        let start = self.pos;
        let mut value = SmolStrBuilder::new();
        while let Some(c) = self.at(self.pos) {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => {
                    break;
                }
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
                    let rest = self.slice(self.pos + 1, self.b.len());
                    let len = rest.find('\'').unwrap_or(rest.len());
                    value.push_str(rest.get(..len).unwrap_or(""));
                    self.pos = (self.pos + 1 + len + 1).min(self.b.len());
                }
                b'"' => self.double_quoted(&mut value),
                b'$' if matches!(self.at(self.pos + 1), Some(b'(' | b'{')) => {
                    let end = nesting::nested_end(self.text, self.pos);
                    value.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
                b'`' => {
                    let end = nesting::backquote_end(self.text, self.pos);
                    value.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
                _ => {
                    // Copy a run of ordinary bytes (whole UTF-8 characters:
                    // every byte that stops the run is ASCII).
                    let run = self.b[self.pos..]
                        .iter()
                        .take_while(|&&c| !STOPS_WORD_RUN[usize::from(c)])
                        .count()
                        .max(1);
                    let end = nesting::char_end_at_least(self.text, self.pos + run);
                    value.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
            }
        }
        if let Some(strip) = self.want_delimiter.take() {
            self.pending.push((value.as_str().to_owned(), strip));
        }
        Token::Word {
            start,
            end: self.pos,
            value,
        }
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
                    value.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
                b'`' => {
                    let end = nesting::backquote_end(self.text, self.pos);
                    value.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
                _ => {
                    let end = self.char_end(self.pos);
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
                let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
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

    fn slice(&self, start: usize, end: usize) -> &str {
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

/// Groups tokens into commands.
struct Builder<'m> {
    text: &'m str,
    map: &'m SourceMap,
    commands: Vec<Command>,
    words: Vec<Word>,
    assignments: Vec<Word>,
    redirects: Vec<Redirect>,
    /// Logical range of the current command.
    range: Option<(usize, usize)>,
    /// The redirect waiting for its target word.
    want_target: bool,
    follows: Separator,
    pipe_from: Option<usize>,
}

impl<'m> Builder<'m> {
    fn new(text: &'m str, map: &'m SourceMap) -> Self {
        Builder {
            text,
            map,
            commands: Vec::new(),
            words: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
            range: None,
            want_target: false,
            follows: Separator::Start,
            pipe_from: None,
        }
    }

    fn extend(&mut self, start: usize, end: usize) {
        let (s, _) = self.range.unwrap_or((start, end));
        self.range = Some((s, end));
    }

    fn push(&mut self, token: Token) {
        match token {
            Token::Word { start, end, value } => {
                let raw = self.map_text(start, end);
                // A word without quotes or escapes shares its raw text.
                let value = if value.as_str() == raw.0.as_str() {
                    raw.0.clone()
                } else {
                    value.finish()
                };
                let word = Word {
                    raw: raw.0,
                    value,
                    span: raw.1,
                };
                if self.want_target {
                    self.want_target = false;
                    if let Some(r) = self.redirects.last_mut() {
                        r.span = r.span.to(word.span);
                        r.target = Some(word);
                    }
                    self.extend(start, end);
                    return;
                }
                let at_start = self.words.is_empty() && self.assignments.is_empty();
                if at_start
                    && self.redirects.is_empty()
                    && word.raw == word.value
                    && RESERVED.contains(&word.value.as_str())
                {
                    return;
                }
                self.extend(start, end);
                if self.words.is_empty() && is_assignment(&word.raw) {
                    self.assignments.push(word);
                } else {
                    self.words.push(word);
                }
            }
            Token::Redirect { start, end, op, fd } => {
                self.extend(start, end);
                self.redirects.push(Redirect {
                    op: op.into(),
                    fd,
                    target: None,
                    span: self.map.span(start, end),
                });
                self.want_target = true;
            }
            Token::Op(separator) => {
                self.want_target = false;
                self.finish(separator);
            }
        }
    }

    /// The text of a logical range and its span in the file.
    fn map_text(&self, start: usize, end: usize) -> (SmolStr, Span) {
        let raw = smol(self.text.get(start..end).unwrap_or(""));
        (raw, self.map.span(start, end))
    }

    /// Ends the current command; `next` is the operator that follows it.
    fn finish(&mut self, next: Separator) {
        if let Some((start, end)) = self.range.take() {
            let index = self.commands.len();
            if let Some(from) = self.pipe_from.take()
                && let Some(c) = self.commands.get_mut(from)
            {
                c.pipe_to = Some(index);
            }
            self.commands.push(Command {
                words: std::mem::take(&mut self.words),
                assignments: std::mem::take(&mut self.assignments),
                redirects: std::mem::take(&mut self.redirects),
                span: self.map.span(start, end),
                follows: self.follows,
                pipe_to: None,
            });
            if next == Separator::Pipe {
                self.pipe_from = Some(index);
            }
        }
        self.follows = next;
    }
}

/// `NAME=…` with a valid shell name.
pub(super) fn is_assignment(raw: &str) -> bool {
    let Some((name, _)) = raw.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Pieces of shell scripts, chosen to meet each other in odd ways.
const FRAGMENTS: &[&str] = &[
    "a",
    "b=c",
    "X_1=",
    "=x",
    "sudo",
    "apt-get",
    "-y",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\\\n",
    "\\",
    "\\\\",
    "'",
    "'a b'",
    "\"",
    "\"a $b\"",
    "\"\\\"\"",
    "\"\\x\"",
    "$",
    "$A",
    "${A:-b c}",
    "$(",
    "$(a \"b\" 'c')",
    ")",
    "(",
    "`",
    "`x \\` y`",
    "{",
    "}",
    "!",
    "if",
    "then",
    "fi",
    "do",
    "done",
    "time",
    "esac",
    "&&",
    "||",
    "|",
    "|&",
    ";",
    ";;",
    ";&",
    "&",
    "&>",
    "&>>",
    ">",
    ">>",
    ">|",
    "<",
    "<>",
    "<&",
    ">&",
    "2>&1",
    "10<&0",
    "3",
    "<<",
    "<<-",
    "<<<",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "EOF",
    "\tEOF",
    "#",
    "# c",
    "a#b",
    "é",
    "日本",
    "\u{a0}",
    "\u{2028}",
    "9999999999999999999999>",
];

fn script() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..48).prop_map(|v| v.concat())
}

/// A source map with pieces at the given logical offsets (clamped to the
/// text and kept on char boundaries), as a continued RUN line has.
fn map_for(text: &str, cuts: &[(usize, usize)]) -> SourceMap {
    let mut map = SourceMap::contiguous(7);
    let mut cuts: Vec<(usize, usize)> = cuts
        .iter()
        .map(|&(at, gap)| (at % (text.len() + 1), gap))
        .filter(|&(at, _)| text.is_char_boundary(at))
        .collect();
    cuts.sort_unstable();
    let mut source = 7;
    let mut last = 0;
    for (at, gap) in cuts {
        source += at - last + gap;
        map.push(at, source);
        last = at;
    }
    map
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, ..ProptestConfig::default() })]

    #[test]
    fn tokenize_agrees_with_the_reference(
        text in script(),
        cuts in prop::collection::vec((0usize..200, 0usize..4), 0..4),
    ) {
        let map = map_for(&text, &cuts);
        prop_assert_eq!(super::tokenize(&text, &map), tokenize(&text, &map));
    }

    #[test]
    fn basename_agrees_with_a_byte_scan(path in "[a/é\u{2f2f}\u{af}-]{0,20}") {
        let expected = match path.bytes().rposition(|b| b == b'/') {
            Some(slash) => &path[slash + 1..],
            None => path.as_str(),
        };
        prop_assert_eq!(super::basename(&path), expected);
    }

    #[test]
    fn tokenize_agrees_with_the_reference_on_any_text(text in any::<String>()) {
        let map = SourceMap::contiguous(0);
        prop_assert_eq!(super::tokenize(&text, &map), tokenize(&text, &map));
    }
}
