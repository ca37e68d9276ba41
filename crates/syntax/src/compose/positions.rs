//! Byte offset → line:column, in bounded time and memory per lookup.
//!
//! [`crate::LineIndex::position`] counts the characters from the start of the
//! line on every call, which is linear in the line's length. A compose file
//! written as one long flow line (`{services: {a: {...}, b: ...}}`, easy to
//! generate, or to craft against a CI linter) with hundreds of thousands of
//! nodes would make the positions of all nodes quadratic. `LineIndex` also
//! keeps one offset per line: 8 bytes for every `\n` of the input.
//!
//! Here a checkpoint every [`BLOCK`] bytes records the line and the column
//! counts at that point, so a lookup is counting at most `BLOCK` bytes, and
//! the table is a fixed fraction of the text whatever its lines.
//!
//! Lookups come mostly in text order (the compose model is read top to
//! bottom), so the table is built as they go: the furthest lookup so far
//! (the frontier) moves forward, recording the checkpoints it passes, and a
//! lookup behind it resumes from the previous lookup or a checkpoint. Read
//! in order, the text is counted once.
//!
//! The results are exactly those of `LineIndex` (lines end at `\n`, columns
//! count code points, 1-based), which the tests check.

use std::cell::{Cell, RefCell};

use crate::{Position, Span};

/// Bytes between checkpoints: the table costs 24 bytes per 128 bytes of
/// text (on 64-bit), and a lookup counts at most 128 bytes.
const BLOCK: usize = 128;

/// The counts at the start of a block.
#[derive(Clone, Copy, Default)]
struct Checkpoint {
    /// Code points before this point.
    chars: usize,
    /// 0-based line this point is on.
    line: usize,
    /// Code points before the start of that line.
    line_start_chars: usize,
}

impl Checkpoint {
    /// The counts after `bytes`, which follow this point.
    fn advance(mut self, bytes: &[u8]) -> Checkpoint {
        for &b in bytes {
            // Bytes that do not continue a UTF-8 sequence start a code
            // point; a slice cut inside a character counts that character,
            // as `LineIndex` does.
            if (b & 0xC0) != 0x80 {
                self.chars += 1;
            }
            if b == b'\n' {
                self.line += 1;
                self.line_start_chars = self.chars;
            }
        }
        self
    }
}

pub(crate) struct Positions<'t> {
    text: &'t str,
    /// `checkpoints[i]`: the counts at byte `i * BLOCK`, for the blocks up
    /// to the frontier's.
    checkpoints: RefCell<Vec<Checkpoint>>,
    /// The furthest offset looked up so far, and the counts there.
    frontier: Cell<(usize, Checkpoint)>,
    /// The offset of the last lookup and the counts there.
    cursor: Cell<(usize, Checkpoint)>,
}

impl<'t> Positions<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Positions {
            text,
            checkpoints: RefCell::new(vec![Checkpoint::default()]),
            frontier: Cell::new((0, Checkpoint::default())),
            cursor: Cell::new((0, Checkpoint::default())),
        }
    }

    /// The 1-based position of byte `offset` (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let at = self.counts(offset);
        self.cursor.set((offset, at));
        Position {
            line: u32::try_from(at.line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(at.chars - at.line_start_chars + 1).unwrap_or(u32::MAX),
        }
    }

    /// The counts at `offset` (within the text).
    fn counts(&self, offset: usize) -> Checkpoint {
        let bytes = self.text.as_bytes();
        let (far, mut counts) = self.frontier.get();
        if offset >= far {
            // Move the frontier, recording the checkpoints it passes.
            let mut checkpoints = self.checkpoints.borrow_mut();
            let mut from = far;
            loop {
                let boundary = (from / BLOCK + 1) * BLOCK;
                if offset < boundary {
                    counts = counts.advance(bytes.get(from..offset).unwrap_or(&[]));
                    break;
                }
                counts = counts.advance(bytes.get(from..boundary).unwrap_or(&[]));
                checkpoints.push(counts);
                from = boundary;
            }
            self.frontier.set((offset, counts));
            return counts;
        }
        let block = offset / BLOCK;
        let (last, at_last) = self.cursor.get();
        // From the last lookup when it is before `offset` in the same block
        // (closer than the checkpoint), else from the checkpoint.
        let (from, start) = if last <= offset && last >= block * BLOCK {
            (last, at_last)
        } else {
            let checkpoint = self.checkpoints.borrow().get(block).copied();
            (block * BLOCK, checkpoint.unwrap_or_default())
        };
        start.advance(bytes.get(from..offset).unwrap_or(&[]))
    }

    /// A span clamped to the text, so that every span handed out is valid.
    pub(crate) fn clamp(&self, start: usize, len: usize) -> Span {
        let start = start.min(self.text.len());
        Span::new(start, start.saturating_add(len).min(self.text.len()))
    }

    pub(crate) fn text(&self) -> &'t str {
        self.text
    }
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
    fn matches_line_index_on_ascii_text() {
        let text = format!("a: b\n\n{}\nc:\n  - d\n", "x".repeat(300));
        let positions = Positions::new(&text);
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() {
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
        /// In any order: the cursor must not change any result.
        #[test]
        fn agrees_with_line_index_in_any_order(
            text in "([ -~]|é|\n|\r){0,400}",
            offsets in proptest::collection::vec(0usize..420, 0..60),
        ) {
            let positions = Positions::new(&text);
            let index = LineIndex::new(&text);
            for offset in offsets {
                let offset = offset.min(text.len());
                prop_assert_eq!(positions.position(offset), index.position(&text, offset));
            }
        }

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
