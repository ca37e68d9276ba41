//! A fast loader for the YAML that compose files are written in.
//!
//! serde-saphyr reads a compose file at about 6 MB/s (event parsing,
//! buffering for merge keys, serde's visitor machinery); `bulwark lint`
//! wants more than 100 MB/s. This module reads the block-YAML subset real
//! compose files use, straight from the bytes into the same [`Tree`] that
//! serde-saphyr's nodes are flattened into, values, locations and entry
//! order included.
//!
//! It returns `None` ("give up") on anything outside that subset and on
//! anything that would be an error, and [`super::load`] then runs
//! serde-saphyr, which stays the authority for errors, diagnostics, salvage
//! and exotic YAML. So nothing here produces a message: the one rule is
//! never to build a tree different from serde-saphyr's. When in doubt,
//! give up.
//!
//! The subset: block mappings and sequences (compact `- key: v` mappings,
//! sequences at their key's indentation), plain and quoted scalars on one
//! line, flow collections on one line, comments, a leading `---`, anchors,
//! aliases and `<<` merge keys, literal and folded block scalars (`|`, `>`).
//! Not in it: tags, multi-line plain and quoted scalars, complex keys (`?`), anchors on keys, directives,
//! several documents, tabs and carriage returns, and scalar spellings whose
//! resolution is subtle (see [`scalar`]).
//!
//! How: recursive descent over lines. Each block collection reads its
//! entries line by line, looking at a line's indentation to know whether
//! it continues, ends or breaks the collection. Recursion is per nesting
//! level and bounded by the depth limit before each level.
//!
//! - [`block`]: block mappings, block sequences and what a value can be.
//! - [`block_scalar`]: `|` and `>` scalars.
//! - [`flow`]: `[...]` and `{...}` on one line.
//! - [`scalar`]: plain scalar resolution, quoted scalar decoding.
//! - [`anchors`]: anchors, aliases and merges.
//! - [`stops`]: where a plain scalar or indentation ends, a word at a
//!   time.
//! - [`budget`]: the limits, kept below serde-saphyr's.
//! - `differential` and `generate` (tests and fuzzing): the check that the
//!   trees agree, and random compose-like YAML to run it on.

mod anchors;
mod block;
mod block_scalar;
mod budget;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod differential;
mod flow;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod generate;
mod scalar;
mod stops;

#[cfg(test)]
mod tests;

use super::tree::{Children, Loc, Node, Tree, Value};
use anchors::Anchors;
use budget::Budget;

/// The tree of `text`, or `None` to leave it to serde-saphyr.
pub(crate) fn load(text: &str) -> Option<Tree<'_>> {
    if !plain_characters(text) {
        return None;
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        tree: Tree::for_text(text.len()),
        budget: Budget::default(),
        anchors: Anchors::default(),
        // Room for as many collections open at once as compose files
        // nest (growing a vector costs twice what sizing it does).
        spare_entries: Vec::with_capacity(8),
        spare_items: Vec::with_capacity(8),
        merges: Vec::new(),
        next: None,
    };
    let root = parser.document()?;
    let mut tree = parser.tree;
    tree.root = Some(root);
    Some(tree)
}

/// False when the text holds a character the loader leaves alone: control
/// characters (tabs and carriage returns among them: tabs are subtle in
/// indentation and separation, and `\r` is a line break to YAML), and the
/// Unicode characters YAML 1.1 tools treat as line breaks or byte-order
/// marks. One pass, vectorized for ASCII text.
fn plain_characters(text: &str) -> bool {
    // Branch-free over 64-byte chunks, so that it vectorizes.
    let bad = |b: u8| (b < 0x20 && b != b'\n') || b >= 0x7F;
    let ascii = text
        .as_bytes()
        .chunks(64)
        .all(|chunk| !chunk.iter().fold(false, |acc, &b| acc | bad(b)));
    ascii
        || text.chars().all(|c| {
            if c.is_ascii() {
                !bad(c as u8)
            } else {
                !matches!(
                    c,
                    '\u{80}'
                        ..='\u{9F}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{FEFF}'
                            | '\u{FFFE}'
                            | '\u{FFFF}'
                )
            }
        })
}

/// A line with content (blank lines and comment lines are skipped).
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Byte offset of the line's first byte.
    start: usize,
    /// Leading spaces.
    indent: usize,
}

impl Line {
    /// Byte offset of the first non-space byte.
    fn content(self) -> usize {
        self.start + self.indent
    }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The tree being built: each collection moves its children there
    /// when it ends.
    tree: Tree<'t>,
    budget: Budget,
    anchors: Anchors<'t>,
    /// Empty vectors, kept for their capacity: each collection being read
    /// takes one for its children and gives it back, empty, when it moves
    /// them into the tree (see [`Self::close_entries`]).
    spare_entries: Vec<Vec<(Node<'t>, Node<'t>)>>,
    spare_items: Vec<Vec<Node<'t>>>,
    /// The merge sources (`<<: *a`) of the mappings being read: the span
    /// of each alias and its anchor's index.
    merges: Vec<(Loc, usize)>,
    /// The first line after the block node just read (see [`block`]).
    next: Option<Line>,
}

/// A node used where it is written.
fn node(value: Value<'_>, span: Loc) -> Node<'_> {
    Node {
        value,
        used: span,
        defined: span,
    }
}

fn is_eol(c: u8) -> bool {
    c == b'\n' || c == 0
}

fn is_blank_or_eol(c: u8) -> bool {
    c == b' ' || is_eol(c)
}

impl<'t> Parser<'t> {
    /// The byte at `i`, or 0 past the end: the text holds no NUL (see
    /// [`plain_characters`]), so 0 reads as "end of line" everywhere.
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    /// The first byte other than a space at or after `i` (or the end).
    fn skip_spaces(&self, i: usize) -> usize {
        // Most calls skip one space (after a `:` or a `-`) or none: a byte
        // at a time; more (indentation) a word at a time.
        if self.at(i) != b' ' {
            return i;
        }
        if self.at(i + 1) != b' ' {
            return i + 1;
        }
        stops::space_end(self.bytes, i + 2)
    }

    /// The offset of the `\n` ending the line holding `i`, or the end of
    /// the text.
    fn line_end(&self, i: usize) -> usize {
        // Most calls come right after a value, at the `\n` itself: no
        // search then (a search costs more than the short lines it spans).
        if self.at(i) == b'\n' {
            return i;
        }
        match self.bytes.get(i..) {
            Some(rest) => memchr::memchr(b'\n', rest).map_or(self.bytes.len(), |n| i + n),
            None => self.bytes.len(),
        }
    }

    /// True when a comment starts at `i`: a `#` after a space.
    fn is_comment(&self, i: usize) -> bool {
        self.at(i) == b'#' && i > 0 && self.at(i - 1) == b' '
    }

    /// `Some` when only spaces and a comment follow `i` on its line (after
    /// a value, nothing else may).
    fn rest_is_empty(&self, i: usize) -> Option<()> {
        let j = self.skip_spaces(i);
        (is_eol(self.at(j)) || self.is_comment(j)).then_some(())
    }

    /// The first line with content at or after the line starting at
    /// `start`; `Some(None)` at the end of the text. Gives up on document
    /// markers (`---`, `...`): a second document, or the end of this one.
    fn next_line(&self, start: usize) -> Option<Option<Line>> {
        let line = self.content_line(start);
        if let Some(line) = line
            && line.indent == 0
            && self.is_document_marker(line.start)
        {
            return None;
        }
        Some(line)
    }

    /// Like [`Self::next_line`], without the check for document markers.
    fn content_line(&self, mut start: usize) -> Option<Line> {
        loop {
            if start >= self.bytes.len() {
                return None;
            }
            let content = self.skip_spaces(start);
            match self.at(content) {
                0 => return None,
                b'\n' => start = content + 1,
                b'#' => start = self.line_end(content) + 1,
                _ => {
                    return Some(Line {
                        start,
                        indent: content - start,
                    });
                }
            }
        }
    }

    /// A vector for the entries of a mapping about to be read: a spare
    /// one, or a new one sized for most compose mappings.
    ///
    /// One vector per open collection, rather than one stack shared by
    /// all (each collection's children above those of the collections
    /// around it): moving a stack's top into the tree goes an entry at a
    /// time, while a vector of its own moves with one copy.
    fn take_entries(&mut self) -> Vec<(Node<'t>, Node<'t>)> {
        self.spare_entries
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(16))
    }

    /// [`Self::take_entries`] for the items of a sequence.
    fn take_items(&mut self) -> Vec<Node<'t>> {
        self.spare_items
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(16))
    }

    /// Moves `entries`, those of the mapping just read, into the tree, and
    /// keeps the emptied vector for the next mapping.
    fn close_entries(&mut self, mut entries: Vec<(Node<'t>, Node<'t>)>) -> Children {
        let children = self.tree.append_entries(&mut entries);
        self.spare_entries.push(entries);
        children
    }

    /// [`Self::close_entries`] for the items of a sequence.
    fn close_items(&mut self, mut items: Vec<Node<'t>>) -> Children {
        let children = self.tree.append_items(&mut items);
        self.spare_items.push(items);
        children
    }

    /// `---` or `...` at `i`, followed by a space or the end of the line.
    fn is_document_marker(&self, i: usize) -> bool {
        let three = self.bytes.get(i..i + 3);
        (three == Some(b"---") || three == Some(b"...")) && is_blank_or_eol(self.at(i + 3))
    }

    /// The whole document: an optional `---`, then one block collection
    /// starting at the left margin, then nothing but comments.
    fn document(&mut self) -> Option<Node<'t>> {
        let mut line = self.content_line(0)?;
        if line.indent == 0 && self.is_document_marker(line.start) {
            // `---` (possibly after comments), alone on its line; `...`
            // ends a document that has not started.
            if self.at(line.start) != b'-' {
                return None;
            }
            self.rest_is_empty(line.start + 3)?;
            line = self.next_line(self.line_end(line.start) + 1)??;
        }
        if line.indent != 0 {
            return None;
        }
        let root = self.block_collection(line, 1)?;
        match self.next {
            None => Some(root),
            Some(_) => None,
        }
    }
}
