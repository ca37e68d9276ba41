//! Byte offset → line:column, in bounded time per lookup.
//!
//! [`crate::LineIndex::position`] counts the characters from the start of the
//! line on every call, which is linear in the line's length. A compose file
//! written as one long flow line (`{services: {a: {...}, b: ...}}`, easy to
//! generate, or to craft against a CI linter) with hundreds of thousands of
//! nodes would make the positions of all nodes quadratic. Here the number of
//! characters before every [`BLOCK`]-byte boundary is precomputed, so a
//! lookup is a binary search plus counting at most `BLOCK` bytes.
//!
//! The results are exactly those of `LineIndex` (lines end at `\n`, columns
//! count code points, 1-based), which the tests check.

use crate::{Position, Span};

/// Bytes between checkpoints: 128 keeps the table at 1/16 of the text (on
/// 64-bit) and the counting per lookup tiny.
const BLOCK: usize = 128;

pub(crate) struct Positions<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// `chars_at_block[i]`: code points in `text[..i * BLOCK]`.
    chars_at_block: Vec<usize>,
}

impl<'t> Positions<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_at_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut chars = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            chars_at_block.push(chars);
            chars += count_chars(block);
        }
        chars_at_block.push(chars);
        Positions {
            text,
            line_starts,
            chars_at_block,
        }
    }

    /// The 1-based position of byte `offset` (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.chars_before(offset) - self.chars_before(start);
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// A span clamped to the text, so that every span handed out is valid.
    pub(crate) fn clamp(&self, start: usize, len: usize) -> Span {
        let start = start.min(self.text.len());
        Span::new(start, start.saturating_add(len).min(self.text.len()))
    }

    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// Code points in `text[..offset]`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let base = self.chars_at_block.get(block).copied().unwrap_or(0);
        let bytes = self.text.as_bytes();
        base + bytes.get(block * BLOCK..offset).map_or(0, count_chars)
    }
}

/// Code points in a byte slice of UTF-8 text: the bytes that do not continue
/// a sequence. A slice cut inside a character counts that character, as
/// `LineIndex` does.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineIndex;
    use proptest::prelude::*;

    #[test]
    fn matches_line_index_on_a_mixed_text() {
        let text = format!("a: é\r\nb: {}\n\nc: \u{1F511}x", "ü".repeat(300));
        let positions = Positions::new(&text);
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                positions.position(offset),
                index.position(&text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn clamps_offsets_and_spans() {
        let positions = Positions::new("ab\nc");
        assert_eq!(positions.position(99), Position { line: 2, column: 2 });
        assert_eq!(positions.clamp(3, 10), Span::new(3, 4));
        assert_eq!(positions.clamp(10, 1), Span::new(4, 4));
        let empty = Positions::new("");
        assert_eq!(empty.position(0), Position { line: 1, column: 1 });
    }

    proptest! {
        #[test]
        fn agrees_with_line_index(text in "(\\PC|\n|\r){0,400}") {
            let positions = Positions::new(&text);
            let index = LineIndex::new(&text);
            for (offset, _) in text.char_indices() {
                prop_assert_eq!(positions.position(offset), index.position(&text, offset));
            }
        }
    }
}
