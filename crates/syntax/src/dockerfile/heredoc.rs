//! Heredocs (dockerfile 1.4+): finding `<<EOF` markers in an instruction
//! line, and finding each body's terminator in the lines after it.
//!
//! BuildKit splits the whole logical line into shell words (quotes and
//! escapes kept) and takes every word matching `^(\d*)<<(-?)([^<]*)$` as a
//! heredoc, so markers may appear anywhere (`RUN python3 <<EOF`,
//! `RUN cat <<EOF > f`) and several per line. Bodies follow the line in
//! marker order, each ending at a line equal to its delimiter (after
//! leading tabs are stripped, for `<<-`). Body text is verbatim: a `#` there
//! is not a comment.
//!
//! Terminators are found by a short scan, then through an index of line
//! contents once a search runs long: scanning alone would make a file full
//! of unterminated heredocs take quadratic time.

use std::collections::HashMap;

use serde::Serialize;

use super::expand::{unquote, unquote_keeping_quotes};
use super::shell::{self, Command};
use super::source::{Line, SourceMap, line_at};
use crate::Span;

/// A heredoc: the marker in the instruction line and the body after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter, quotes removed (`EOF` for `<<-"EOF"`).
    pub delimiter: String,
    /// The marker as written (`<<-"EOF"`).
    pub span: Span,
    /// A file descriptor written before `<<` (`3<<EOF`).
    pub fd: Option<u32>,
    /// `<<-`: leading tabs are stripped from body lines and terminator.
    pub strip_tabs: bool,
    /// The delimiter was quoted: the body is not expanded.
    pub quoted: bool,
    /// The body as BuildKit passes it on: lines with their line endings,
    /// leading tabs stripped for `<<-`. Empty when unterminated.
    pub body: String,
    /// The body lines in the file (empty, at the marker's end, when
    /// unterminated).
    pub body_span: Span,
    /// The terminator line; `None` when the heredoc is never closed.
    pub terminator_span: Option<Span>,
    /// The body as written, kept only when `body` differs (tabs stripped),
    /// so tokenizing maps offsets exactly.
    #[serde(skip)]
    pub(crate) raw_body: Option<String>,
}

impl Heredoc {
    /// Whether a terminator line closed the body.
    pub fn is_terminated(&self) -> bool {
        self.terminator_span.is_some()
    }

    /// The body read as a shell script, with spans in the file.
    pub fn commands(&self) -> Vec<Command> {
        // Tokenize the text as written: stripped tabs are blanks to a
        // shell anyway, and offsets stay exact.
        let map = SourceMap::contiguous(self.body_span.start);
        shell::tokenize(self.raw_body.as_deref().unwrap_or(&self.body), &map)
    }
}

/// A heredoc marker found in a logical line (offsets into that line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub start: usize,
    pub end: usize,
    pub delimiter: String,
    pub fd: Option<u32>,
    pub strip_tabs: bool,
    pub quoted: bool,
}

/// The heredoc markers of a logical line, in order.
pub(crate) fn markers(line: &str) -> Vec<Marker> {
    // Most lines have no `<<`; memchr finds the `<`s cheaper than a
    // substring search sets itself up.
    let bytes = line.as_bytes();
    if !memchr::memchr_iter(b'<', bytes).any(|i| bytes.get(i + 1) == Some(&b'<')) {
        return Vec::new();
    }
    raw_words(line)
        .into_iter()
        .filter_map(|(s, e)| marker(line.get(s..e)?, s, e))
        .collect()
}

/// Reads one shell word as a heredoc marker.
fn marker(word: &str, start: usize, end: usize) -> Option<Marker> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = word.get(digits..)?.strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let (delimiter, quoted) = delimiter(rest);
    if delimiter.is_empty() {
        return None;
    }
    let fd = (digits > 0)
        .then(|| word.get(..digits)?.parse().ok())
        .flatten();
    Some(Marker {
        start,
        end,
        delimiter,
        fd,
        strip_tabs,
        quoted,
    })
}

/// The delimiter after `<<` with quotes and escapes removed, and whether
/// it was quoted (removing quotes changed something beyond escapes). A
/// plain delimiter (`EOF`, nearly always) is itself, unquoted, without
/// running the lexer twice.
fn delimiter(rest: &str) -> (String, bool) {
    if !rest
        .bytes()
        .any(|b| matches!(b, b'\'' | b'"' | b'\\' | b'$'))
    {
        return (rest.to_owned(), false);
    }
    let delimiter = unquote(rest, '\\');
    let (with_quotes, _) = unquote_keeping_quotes(rest, '\\');
    let count = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let quoted = count(&with_quotes) != count(&delimiter);
    (delimiter, quoted)
}

/// Shell words of `line` with quotes and escapes kept, as BuildKit's lexer
/// splits them for heredoc detection. A lexing error (an unterminated
/// quote or `${`) yields no words at all, as in BuildKit.
fn raw_words(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let Some(c) = line.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push((s, i));
            }
            i += c.len_utf8();
            continue;
        }
        start.get_or_insert(i);
        i = match c {
            '\\' => next_char_end(line, i + 1),
            '\'' => match line.get(i + 1..).and_then(|r| r.find('\'')) {
                Some(j) => i + 1 + j + 1,
                None => return Vec::new(),
            },
            '"' => match double_quoted_end(line, i + 1) {
                Some(end) => end,
                None => return Vec::new(),
            },
            '$' if b.get(i + 1) == Some(&b'{') => match braced_end(line, i + 2) {
                Some(end) => end,
                None => return Vec::new(),
            },
            c => i + c.len_utf8(),
        };
    }
    if let Some(s) = start {
        words.push((s, b.len()));
    }
    words
}

/// The end of the character at `i` (or `i` at the end of the text).
fn next_char_end(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|r| r.chars().next())
        .map_or(text.len(), |c| i + c.len_utf8())
}

/// After an opening `"`: the offset after the closing one.
fn double_quoted_end(text: &str, mut i: usize) -> Option<usize> {
    let b = text.as_bytes();
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => return Some(i + 1),
            b'\\' => i = next_char_end(text, i + 1),
            b'$' if b.get(i + 1) == Some(&b'{') => i = braced_end(text, i + 2)?,
            _ => i += 1,
        }
    }
    None
}

/// After `${`: the offset after the matching `}`; `None` for `${}`, `${:`,
/// `${{` or no closing brace (BuildKit's "bad substitution").
fn braced_end(text: &str, mut i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if matches!(b.get(i), None | Some(b'{' | b'}' | b':')) {
        return None;
    }
    let mut depth = 1usize;
    while let Some(&c) = b.get(i) {
        match c {
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
                i += 1;
            }
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
            }
            b'\\' => i = next_char_end(text, i + 1),
            b'\'' => i += 1 + text.get(i + 1..)?.find('\'')? + 1,
            b'"' => {
                // Nested quotes inside `${…}`: skip to the closing quote.
                i += 1 + text.get(i + 1..)?.find('"')? + 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// Finds heredoc terminators: a short forward scan first (a body is
/// usually a few lines, and its lines are consumed anyway), then, once any
/// search runs long, an index of where each line content occurs. The index
/// keeps a file full of unterminated heredocs linear; the scan keeps
/// ordinary files from paying for hashing every line.
#[derive(Debug, Default)]
pub(crate) struct Terminators<'a> {
    exact: Option<HashMap<&'a str, Vec<usize>>>,
    tabs_stripped: Option<HashMap<&'a str, Vec<usize>>>,
}

/// Lines a search may scan before the index is built.
const SCAN_LIMIT: usize = 256;

impl<'a> Terminators<'a> {
    /// The first line at or after `from` whose content equals `delimiter`
    /// (after stripping leading tabs when `strip_tabs`).
    pub fn find(
        &mut self,
        text: &'a str,
        first_line: usize,
        from: usize,
        delimiter: &str,
        strip_tabs: bool,
    ) -> Option<Line> {
        let slot = if strip_tabs {
            &mut self.tabs_stripped
        } else {
            &mut self.exact
        };
        if slot.is_none() {
            let mut pos = from;
            for _ in 0..SCAN_LIMIT {
                let line = line_at(text, pos)?;
                let content = text.get(line.start..line.end).unwrap_or("");
                let content = if strip_tabs {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if content == delimiter {
                    return Some(line);
                }
                pos = line.next;
            }
        }
        let index = slot.get_or_insert_with(|| index_lines(text, first_line, strip_tabs));
        let starts = index.get(delimiter)?;
        let at = starts.partition_point(|&s| s < from);
        line_at(text, *starts.get(at)?)
    }
}

fn index_lines(text: &str, first_line: usize, strip_tabs: bool) -> HashMap<&str, Vec<usize>> {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut pos = first_line;
    while let Some(line) = line_at(text, pos) {
        let content = text.get(line.start..line.end).unwrap_or("");
        let key = if strip_tabs {
            content.trim_start_matches('\t')
        } else {
            content
        };
        index.entry(key).or_default().push(line.start);
        pos = line.next;
    }
    index
}

/// The body text BuildKit passes on: `<<-` strips leading tabs from every
/// line.
pub(crate) fn body_text(raw: &str, strip_tabs: bool) -> String {
    if !strip_tabs {
        return raw.to_owned();
    }
    raw.split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut for plain delimiters agrees with running the lexer.
        #[test]
        fn delimiters_read_as_the_lexer_reads_them(rest in "[A-Za-z0-9_. é{}'\"$\\\\-]{0,8}") {
            let unquoted = unquote(&rest, '\\');
            let (with_quotes, _) = unquote_keeping_quotes(&rest, '\\');
            let count = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
            let slow = (unquoted.clone(), count(&with_quotes) != count(&unquoted));
            proptest::prop_assert_eq!(delimiter(&rest), slow);
        }
    }

    fn names(line: &str) -> Vec<(String, bool, bool)> {
        markers(line)
            .into_iter()
            .map(|m| (m.delimiter, m.strip_tabs, m.quoted))
            .collect()
    }

    #[test]
    fn markers_anywhere_and_several() {
        assert_eq!(names("RUN <<EOF"), [("EOF".into(), false, false)]);
        assert_eq!(
            names("RUN python3 <<-'PY' && cat <<\"B\" > /f"),
            [("PY".into(), true, true), ("B".into(), false, true)]
        );
        assert_eq!(
            names("COPY <<a <<b /dest/"),
            [("a".into(), false, false), ("b".into(), false, false)]
        );
        let m = &markers("RUN 3<<X cat")[0];
        assert_eq!((m.fd, m.start, m.end), (Some(3), 4, 8));
    }

    #[test]
    fn not_markers() {
        assert!(names("RUN cat <<< word").is_empty());
        assert!(names("RUN echo '<<EOF'").is_empty());
        assert!(names("RUN echo a<<EOF").is_empty());
        assert!(names("RUN echo <<").is_empty());
        assert!(names("RUN echo <<''").is_empty());
        // An unterminated quote stops BuildKit's lexer: no heredocs.
        assert!(names("RUN it's <<EOF").is_empty());
    }

    #[test]
    fn tab_stripping() {
        assert_eq!(body_text("\tA\n\t\tB\r\n C\n", true), "A\nB\r\n C\n");
        assert_eq!(body_text("\tA\n", false), "\tA\n");
    }
}
