//! Physical lines, and logical lines mapped back to the source.
//!
//! BuildKit reads a Dockerfile line by line, then glues continuation lines
//! into one *logical* line: the escape character at the end of a line and
//! the comment lines in between disappear. Everything after that (keyword,
//! flags, words, JSON, heredoc markers) is found in the glued text, yet every
//! node must point at the original bytes. [`LogicalLine`] keeps the glued
//! text together with a [`SourceMap`] from its offsets to source offsets, so
//! any range of the glued text turns into a [`Span`] of the file.

use std::borrow::Cow;

use crate::Span;

/// One physical line: `start..end` is its content without the line ending
/// (a `\n` and any `\r` before it, as BuildKit's `trimNewline` drops them);
/// `next` is where the following line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// A cursor over the physical lines of a text. It can be moved back, which
/// is how an unterminated heredoc gives its lines back to the parser.
///
/// It walks the line starts of a [`LineIndex`](crate::LineIndex) built for
/// the same text
/// (`Source::parse` builds one anyway), so no line is searched twice.
#[derive(Debug, Clone)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// Where each line starts: 0, then after every `\n`.
    starts: Cow<'a, [usize]>,
    pos: usize,
    /// The line holding `pos`: `starts[line] <= pos`, and `pos` is before
    /// the next start.
    line: usize,
}

impl<'a> Lines<'a> {
    /// Lines of `text` from byte `start` (a line start or the end of a BOM).
    #[cfg(test)]
    pub fn new(text: &'a str, start: usize) -> Self {
        let index = crate::LineIndex::new(text);
        Lines::indexed(text, Cow::Owned(index.starts().to_vec()), start)
    }

    /// Lines of `text` from byte `start`, with `starts` from the
    /// [`LineIndex`](crate::LineIndex) of `text`.
    pub fn indexed(text: &'a str, starts: Cow<'a, [usize]>, start: usize) -> Self {
        let mut lines = Lines {
            text,
            starts,
            pos: 0,
            line: 0,
        };
        lines.set_pos(start);
        lines
    }

    /// Where the next line starts.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Moves the cursor to `pos`, which must be a line start returned by
    /// [`Lines::pos`] or a [`Line::start`] (or the end of a BOM).
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.text.len());
        self.line = self
            .starts
            .partition_point(|&s| s <= self.pos)
            .saturating_sub(1);
    }

    /// The next line, or `None` at the end of the text. A final line
    /// without a `\n` still counts; an empty remainder does not.
    pub fn next_line(&mut self) -> Option<Line> {
        let start = self.pos;
        if start >= self.text.len() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let next = self
            .starts
            .get(self.line + 1)
            .copied()
            .filter(|&n| n > start && n <= bytes.len())
            .unwrap_or(bytes.len());
        // Drop the `\n` (when the line has one) and any `\r` before it.
        let mut end = next;
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        while end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        self.pos = next;
        self.line += 1;
        Some(Line { start, end, next })
    }
}

/// The line starting at `start`, if any text is left there.
pub(crate) fn line_at(text: &str, start: usize) -> Option<Line> {
    let rest = text.as_bytes().get(start..).filter(|r| !r.is_empty())?;
    // memchr's SIMD search: lines are short, and the std `find` pays a
    // searcher's set-up on every call.
    let (mut len, next) = match memchr::memchr(b'\n', rest) {
        Some(i) => (i, start + i + 1),
        None => (rest.len(), text.len()),
    };
    // `\r` and `\n` are ASCII, so trimming them keeps char boundaries.
    while len > 0 && rest[len - 1] == b'\r' {
        len -= 1;
    }
    Some(Line {
        start,
        end: start + len,
        next,
    })
}

/// Maps offsets of a logical line to offsets of the source. Each piece says
/// "logical text from `logical` on was copied from source offset `source`";
/// a piece runs until the next one starts. The first piece (at logical 0)
/// is kept inline, so a one-line instruction allocates nothing here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Where logical offset 0 comes from.
    first: usize,
    /// The later pieces, `(logical, source)`, by logical offset.
    more: Vec<(usize, usize)>,
}

impl SourceMap {
    /// A map for text copied in one piece from source offset `source`.
    pub(crate) fn contiguous(source: usize) -> Self {
        SourceMap {
            first: source,
            more: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, logical: usize, source: usize) {
        match self.more.last_mut() {
            // A piece that starts where the previous one started replaces
            // it: the previous one was empty.
            Some(last) if last.0 == logical => *last = (logical, source),
            Some(_) => self.more.push((logical, source)),
            None if logical == 0 => self.first = source,
            None => self.more.push((logical, source)),
        }
    }

    /// The source offset of `at` within the piece found by `before` (the
    /// number of later pieces starting before it).
    fn map(&self, at: usize, before: usize) -> usize {
        match before.checked_sub(1).and_then(|i| self.more.get(i)) {
            Some(&(l, s)) => s + (at - l),
            None => self.first + at,
        }
    }

    /// The source offset of logical offset `at`, read as the start of a
    /// range (at a piece boundary, the later piece).
    pub(crate) fn start(&self, at: usize) -> usize {
        self.map(at, self.more.partition_point(|p| p.0 <= at))
    }

    /// The source offset of logical offset `at`, read as the end of a
    /// range (at a piece boundary, the earlier piece).
    pub(crate) fn end(&self, at: usize) -> usize {
        self.map(at, self.more.partition_point(|p| p.0 < at))
    }

    /// The source span of the logical range `start..end`. An empty range
    /// maps to an empty span.
    #[inline]
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        // A one-line instruction has one piece: offsets just shift (inline,
        // as the parser maps every node it builds).
        if self.more.is_empty() {
            return Span::new(self.first + start, self.first + end.max(start));
        }
        self.span_across_pieces(start, end)
    }

    /// [`SourceMap::span`] of a map with several pieces.
    #[inline(never)]
    fn span_across_pieces(&self, start: usize, end: usize) -> Span {
        let s = self.start(start);
        if end <= start {
            return Span::new(s, s);
        }
        Span::new(s, self.end(end).max(s))
    }

    /// The map of the logical range `start..end`, rebased so that `start`
    /// becomes offset 0.
    pub(crate) fn slice(&self, start: usize, end: usize) -> SourceMap {
        if self.more.is_empty() {
            return SourceMap::contiguous(self.first + start);
        }
        let mut out = SourceMap::contiguous(self.start(start));
        for &(l, s) in &self.more {
            if l > start && l < end {
                out.push(l - start, s);
            }
        }
        out
    }
}

/// A [`SourceMap`] read by one left-to-right pass, as the shell tokenizer
/// reads a script: each lookup starts from the piece the previous one
/// stopped at, so mapping every word of a continued RUN line costs a step
/// or two instead of two binary searches per word. Spans are those of
/// [`SourceMap::span`]; a lookup behind the last one searches again.
pub(crate) struct Cursor<'m> {
    map: &'m SourceMap,
    /// How many later pieces start at or before the last offset looked up.
    at_or_before: usize,
}

impl<'m> Cursor<'m> {
    pub fn new(map: &'m SourceMap) -> Self {
        Cursor {
            map,
            at_or_before: 0,
        }
    }

    /// How many later pieces start at or before `at`.
    fn count_at_or_before(&mut self, at: usize) -> usize {
        let more = &self.map.more;
        let behind = self
            .at_or_before
            .checked_sub(1)
            .and_then(|i| more.get(i))
            .is_some_and(|p| p.0 > at);
        if behind {
            self.at_or_before = more.partition_point(|p| p.0 <= at);
        }
        while more.get(self.at_or_before).is_some_and(|p| p.0 <= at) {
            self.at_or_before += 1;
        }
        self.at_or_before
    }

    /// [`SourceMap::span`] of the logical range `start..end`.
    #[inline]
    pub fn span(&mut self, start: usize, end: usize) -> Span {
        let map = self.map;
        if map.more.is_empty() {
            return Span::new(map.first + start, map.first + end.max(start));
        }
        let s = map.map(start, self.count_at_or_before(start));
        if end <= start {
            return Span::new(s, s);
        }
        // Ends read at a piece boundary belong to the earlier piece: leave
        // out a piece starting exactly at `end` (offsets are distinct).
        let mut before = self.count_at_or_before(end);
        if before > 0 && map.more.get(before - 1).is_some_and(|p| p.0 == end) {
            before -= 1;
        }
        Span::new(s, map.map(end, before).max(s))
    }
}

/// The text of one instruction with its continuations joined, and where
/// each part came from. A one-line instruction borrows its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LogicalLine<'a> {
    pub text: Cow<'a, str>,
    pub map: SourceMap,
    anchored: bool,
}

impl<'a> LogicalLine<'a> {
    /// The logical line of `parts`, each a piece of text and the source
    /// offset it was read at: the same as pushing them in order, with the
    /// text and map allocated once at their final size.
    #[inline]
    pub fn from_parts(parts: &[(&'a str, usize)]) -> Self {
        match parts {
            // One line (nearly every instruction): borrowed, as the first
            // push would leave it. Inline, so that it is built in place.
            &[(first, source)] => LogicalLine {
                text: Cow::Borrowed(first),
                map: SourceMap::contiguous(source),
                anchored: true,
            },
            _ => LogicalLine::joined(parts),
        }
    }

    /// [`LogicalLine::from_parts`] of no part or several.
    #[inline(never)]
    fn joined(parts: &[(&'a str, usize)]) -> Self {
        let Some((&(first, source), rest)) = parts.split_first() else {
            return LogicalLine::default();
        };
        let mut line = LogicalLine::default();
        line.push(first, source);
        let more: usize = rest.iter().map(|(part, _)| part.len()).sum();
        if more > 0 {
            let mut text = String::with_capacity(first.len() + more);
            text.push_str(first);
            line.text = Cow::Owned(text);
            line.map.more.reserve(rest.len());
        }
        for &(part, source) in rest {
            line.push(part, source);
        }
        line
    }

    /// Appends `part`, which was read at source offset `source`.
    pub fn push(&mut self, part: &'a str, source: usize) {
        if !self.anchored {
            // The first part anchors the map, even when empty.
            self.anchored = true;
            self.map = SourceMap::contiguous(source);
            self.text = Cow::Borrowed(part);
            return;
        }
        if part.is_empty() {
            return;
        }
        self.map.push(self.text.len(), source);
        self.text.to_mut().push_str(part);
    }

    /// The source span of the logical range `start..end`.
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.map.span(start, end)
    }

    /// The text of the logical range `start..end` (empty if out of range).
    pub fn get(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_line_endings_and_keep_a_last_line_without_newline() {
        let text = "a\r\nbc\n\nd";
        let mut lines = Lines::new(text, 0);
        let got: Vec<&str> = std::iter::from_fn(|| lines.next_line())
            .map(|l| &text[l.start..l.end])
            .collect();
        assert_eq!(got, ["a", "bc", "", "d"]);
        assert!(line_at("x\n", 2).is_none());
    }

    #[test]
    fn logical_offsets_map_back_across_pieces() {
        // "RUN a \\\n  b" glued into "RUN a   b".
        let mut line = LogicalLine::default();
        line.push("RUN a ", 0);
        line.push("  b", 8);
        assert_eq!(line.text, "RUN a   b");
        assert_eq!(line.span(4, 5), Span::new(4, 5));
        assert_eq!(line.span(8, 9), Span::new(10, 11));
        // A range across the join covers the escape and newline between.
        assert_eq!(line.span(4, 9), Span::new(4, 11));
        // Ends at a boundary stay in the earlier piece.
        assert_eq!(line.span(0, 6), Span::new(0, 6));
        let sliced = line.map.slice(4, 9);
        assert_eq!(sliced.span(0, 5), Span::new(4, 11));
    }

    proptest::proptest! {
        /// The cursor maps every range as the map does, whatever order
        /// the ranges come in.
        #[test]
        fn a_cursor_maps_as_the_map_does(
            pieces in proptest::collection::vec((0usize..6, 0usize..4), 0..6),
            ranges in proptest::collection::vec((0usize..40, 0usize..40), 0..24),
        ) {
            let mut map = SourceMap::contiguous(3);
            let (mut logical, mut source) = (0, 3);
            for (len, gap) in pieces {
                logical += len;
                source += len + gap;
                map.push(logical, source);
            }
            let mut cursor = Cursor::new(&map);
            for (start, end) in ranges {
                proptest::prop_assert_eq!(cursor.span(start, end), map.span(start, end));
            }
        }
    }
}
