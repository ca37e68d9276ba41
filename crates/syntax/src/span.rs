//! Byte spans, 1-based positions, and diagnostics.

use serde::Serialize;

/// A half-open byte range `[start, end)` into the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The text the span covers, or `""` when it does not fit `text` or
    /// does not fall on character boundaries.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column. Columns count Unicode code points (SARIF
/// `columnKind: unicodeCodePoints`), not bytes and not UTF-16 units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Where each line starts, to turn byte offsets into positions in
/// O(log lines).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`. A line ends at `\n`; a `\r` before it belongs to the
    /// line, so CRLF files count lines as LF files do.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // One pass, into room for lines of 16 bytes on average: source
        // files rarely have shorter ones, so the vector seldom grows, and
        // a counting pass first cost as much as the pass that records.
        let mut starts = Vec::with_capacity(bytes.len() / 16 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// Where each line starts: 0, then the offset after every `\n`.
    pub(crate) fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// The position of byte `offset` in `text` (the text that was indexed).
    /// An offset inside a character counts as that character; one past the
    /// end is the end.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let mut column = text.get(start..offset).map_or_else(
            || count_chars_lossy(text.as_bytes(), start, offset),
            |s| s.chars().count(),
        );
        // A byte-order mark is not a character anyone sees: the first
        // visible character of the file is column 1.
        if start == 0 && offset >= 3 && text.starts_with('\u{feff}') {
            column -= 1;
        }
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The start and end positions of `span`.
    pub fn range(&self, text: &str, span: Span) -> (Position, Position) {
        (
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }
}

/// Code points between two byte offsets that may not be char boundaries:
/// counts bytes that do not continue a UTF-8 sequence.
fn count_chars_lossy(bytes: &[u8], start: usize, end: usize) -> usize {
    bytes
        .get(start..end)
        .map_or(0, |b| b.iter().filter(|&&c| (c & 0xC0) != 0x80).count())
}

/// A problem in the input, at a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub span: Span,
    /// What is wrong, for a person: "unterminated heredoc `EOF`".
    pub message: String,
    /// What was expected there, when the parser knows: "an instruction".
    pub expected: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
            expected: None,
        }
    }

    /// Says what was expected.
    pub fn expected(mut self, what: impl Into<String>) -> Self {
        self.expected = Some(what.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_code_points() {
        let text = "FROM a\nRUN é x\r\nUSER 0";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 7), Position { line: 2, column: 1 });
        // "RUN é " is 7 bytes but 6 code points: x is column 7.
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x), Position { line: 2, column: 7 });
        let user = text.find("USER").unwrap();
        assert_eq!(idx.position(text, user), Position { line: 3, column: 1 });
        assert_eq!(idx.position(text, text.len() + 10).line, 3);
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let text = "\u{feff}FROM a\nUSER 0";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 3), Position { line: 1, column: 1 });
        assert_eq!(
            idx.position(text, text.find("a").unwrap()),
            Position { line: 1, column: 6 }
        );
        assert_eq!(
            idx.position(text, text.find("USER").unwrap()),
            Position { line: 2, column: 1 }
        );
    }

    #[test]
    fn span_text_never_panics() {
        let text = "é";
        assert_eq!(Span::new(0, 1).text(text), "");
        assert_eq!(Span::new(0, 2).text(text), "é");
        assert_eq!(Span::new(5, 9).text(text), "");
    }
}
