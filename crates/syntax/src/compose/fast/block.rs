//! Block mappings, block sequences, and the values their entries hold.
//!
//! Each collection reads its entries line by line and leaves in
//! `Parser::next` the first line it does not own (or `None` at the end of
//! the text), so its parent can tell from that line's indentation whether
//! it continues (same indentation), ends (less) or is broken (more: a
//! continuation line or an error, given up on). The line is left there
//! rather than returned: the node is large, and a smaller return value is
//! measurably faster.
//!
//! Locations follow serde-saphyr's (granit-parser's tokens), found by
//! experiment and held by the differential tests:
//! - a block mapping is an empty span at its first key;
//! - a block sequence is an empty span at its first `-`, except a sequence
//!   at its key's indentation ("indentless"), which sits where its first
//!   entry's content starts (after the `-` and spaces, or at the end of the
//!   line if there is only a comment);
//! - an empty value is an empty span at the `:` of its key, after its
//!   anchor if it has one, or at the end of its `-` line in a sequence;
//! - a scalar covers its text (quotes included, anchor excluded).

use super::budget::DEPTH;
use super::scalar::{double_quoted, resolve_plain, single_quoted};
use super::stops::plain_stop;
use super::{Line, Parser, anchors, is_blank_or_eol, is_eol, node};
use std::borrow::Cow;

use crate::compose::tree::{Loc, Node, Value};

/// serde-saphyr refuses a key longer than 1024 characters (its
/// `simple_key_max_lookahead`); bytes are at least characters.
const MAX_KEY: usize = 1000;

/// A key of a block mapping.
enum Key<'t> {
    /// A key and the offset of its `:`.
    Node(Node<'t>, usize),
    /// `<<`, and the offset of its `:`.
    Merge(usize),
}

impl<'t> Parser<'t> {
    /// The block collection whose first line is `line`: a sequence if it
    /// starts with `- `, else a mapping. `depth` is its nesting level.
    pub(super) fn block_collection(&mut self, line: Line, depth: usize) -> Option<Node<'t>> {
        let at = line.content();
        if self.is_dash(at) {
            self.block_seq(line.indent, at, at, depth)
        } else {
            self.block_map(line.indent, at, depth)
        }
    }

    /// A `-` starting a sequence entry (followed by a space or a line end).
    fn is_dash(&self, i: usize) -> bool {
        self.at(i) == b'-' && is_blank_or_eol(self.at(i + 1))
    }

    /// Where granit-parser puts the entry whose `-` is at `dash`: after the
    /// spaces that follow it, or at the end of the line past a comment.
    fn entry_mark(&self, dash: usize) -> usize {
        let i = self.skip_spaces(dash + 1);
        if self.is_comment(i) {
            self.line_end(i)
        } else {
            i
        }
    }

    /// True when nothing but a comment follows `i` on its line.
    fn nothing_inline(&self, i: usize) -> bool {
        is_eol(self.at(i)) || self.is_comment(i)
    }

    /// A node read from the text (as opposed to copied by an alias).
    fn leaf(&mut self, value: Value<'t>, span: Loc) -> Option<Node<'t>> {
        self.budget.node()?;
        Some(node(value, span))
    }

    fn block_map(&mut self, indent: usize, first_key: usize, depth: usize) -> Option<Node<'t>> {
        if depth > DEPTH {
            return None;
        }
        self.budget.node()?;
        let mut entries = self.take_entries();
        let merges = self.merges.len();
        let mut at = first_key;
        loop {
            match self.key(at)? {
                Key::Merge(colon) => self.merge_value(indent, colon, depth)?,
                Key::Node(key, colon) => {
                    let value = self.map_value(indent, colon, depth + 1)?;
                    entries.push((key, value));
                }
            }
            match self.next {
                Some(line) if line.indent == indent && !self.is_dash(line.content()) => {
                    at = line.content();
                }
                // More indented: a continuation line or an error. A `-` at
                // the key's indentation after a value: an error.
                Some(line) if line.indent >= indent => return None,
                _ => break,
            }
        }
        if self.merges.len() > merges {
            anchors::merge(
                &mut entries,
                &self.anchors,
                &self.merges[merges..],
                &mut self.tree,
            )?;
            self.merges.truncate(merges);
        }
        let entries = self.close_entries(entries);
        let span = Loc::new(first_key, first_key);
        Some(node(Value::Map(entries), span))
    }

    /// The key at `at`, up to its `:` (which a space or a line end follows).
    fn key(&mut self, at: usize) -> Option<Key<'t>> {
        let (value, end, colon) = match self.at(at) {
            b'"' | b'\'' => {
                let (s, end) = self.quoted(at)?;
                let colon = self.skip_spaces(end);
                if self.at(colon) != b':' || !is_blank_or_eol(self.at(colon + 1)) {
                    return None;
                }
                (Value::Str(s), end, colon)
            }
            _ => {
                if !self.plain_start(at, false) {
                    return None;
                }
                let (end, colon) = self.plain_block(at);
                let colon = colon?;
                let text = self.text.get(at..end)?;
                if text == "<<" {
                    // Counted as serde-saphyr counts it: a scalar node.
                    self.budget.node()?;
                    self.budget.merge_key()?;
                    return Some(Key::Merge(colon));
                }
                (resolve_plain(text)?, end, colon)
            }
        };
        if colon - at > MAX_KEY {
            return None;
        }
        Some(Key::Node(self.leaf(value, Loc::new(at, end))?, colon))
    }

    /// The value of a mapping entry at `indent` whose `:` is at `colon`.
    /// `depth` is the level of a collection value.
    fn map_value(&mut self, indent: usize, colon: usize, depth: usize) -> Option<Node<'t>> {
        let mut i = self.skip_spaces(colon + 1);
        let anchor = self.anchor(&mut i)?;
        let value = if self.nothing_inline(i) {
            let next = self.next_line(self.line_end(i) + 1)?;
            match next {
                Some(line) if line.indent > indent => self.block_collection(line, depth)?,
                Some(line) if line.indent == indent && self.is_dash(line.content()) => {
                    let dash = line.content();
                    self.block_seq(indent, dash, self.entry_mark(dash), depth)?
                }
                _ => {
                    self.next = next;
                    let at = anchor.map_or(colon, |(_, end)| end);
                    self.leaf(Value::Null, Loc::new(at, at))?
                }
            }
        } else {
            self.inline_then_line(i, indent, depth, anchor.is_some())?
        };
        if let Some((name, _)) = anchor {
            self.anchors
                .define(name, &value, &self.tree, &mut self.budget)?;
        }
        Some(value)
    }

    /// The entry of a block sequence at `indent` whose `-` is at `dash`.
    /// `depth` is the level of a collection entry.
    fn seq_item(&mut self, indent: usize, dash: usize, depth: usize) -> Option<Node<'t>> {
        let mut i = self.skip_spaces(dash + 1);
        let anchor = self.anchor(&mut i)?;
        // Compact collections start on the `-` line, indented at their
        // first character; an anchor there would belong to a key.
        let column = indent + (i - dash);
        let value = if self.nothing_inline(i) {
            let next = self.next_line(self.line_end(i) + 1)?;
            match next {
                Some(line) if line.indent > indent => self.block_collection(line, depth)?,
                _ => {
                    self.next = next;
                    let at = anchor.map_or(self.line_end(i), |(_, end)| end);
                    self.leaf(Value::Null, Loc::new(at, at))?
                }
            }
        } else if self.is_dash(i) && anchor.is_none() {
            self.block_seq(column, i, i, depth)?
        } else if self.plain_start(i, false) {
            // A plain scalar, or the first key of a compact mapping: one
            // scan tells (most entries are scalars: volumes, ports).
            let (end, colon) = self.plain_block(i);
            if colon.is_some() {
                if anchor.is_some() {
                    return None;
                }
                self.block_map(column, i, depth)?
            } else {
                let value = resolve_plain(self.text.get(i..end)?)?;
                let value = self.leaf(value, Loc::new(i, end))?;
                self.then_line(value, end, indent)?
            }
        } else if self.is_key(i)? {
            if anchor.is_some() {
                return None;
            }
            self.block_map(column, i, depth)?
        } else {
            self.inline_then_line(i, indent, depth, anchor.is_some())?
        };
        if let Some((name, _)) = anchor {
            self.anchors
                .define(name, &value, &self.tree, &mut self.budget)?;
        }
        Some(value)
    }

    fn block_seq(
        &mut self,
        indent: usize,
        first: usize,
        mark: usize,
        depth: usize,
    ) -> Option<Node<'t>> {
        if depth > DEPTH {
            return None;
        }
        self.budget.node()?;
        let mut items = self.take_items();
        let mut dash = first;
        loop {
            let item = self.seq_item(indent, dash, depth + 1)?;
            items.push(item);
            match self.next {
                Some(line) if line.indent == indent && self.is_dash(line.content()) => {
                    dash = line.content();
                }
                Some(line) if line.indent > indent => return None,
                _ => break,
            }
        }
        let items = self.close_items(items);
        let span = Loc::new(mark, mark);
        Some(node(Value::Seq(items), span))
    }

    /// A value written on its entry's line at `i` (a scalar, a flow
    /// collection or an alias), then the next line, which must not be
    /// indented past the entry (`indent`): that would continue a multi-line
    /// scalar, or be an error.
    fn inline_then_line(
        &mut self,
        i: usize,
        indent: usize,
        depth: usize,
        anchored: bool,
    ) -> Option<Node<'t>> {
        if matches!(self.at(i), b'|' | b'>') {
            return self.block_scalar(i, indent);
        }
        let (value, end) = self.inline(i, depth, anchored)?;
        self.then_line(value, end, indent)
    }

    /// `value`, which ends at `end` on its entry's line, once the rest of
    /// the line is checked empty and the next line is not indented past
    /// the entry (`indent`).
    ///
    /// Inlined, forced, like [`Self::plain_block`]: it ends every value
    /// written on its entry's line, and passing the node through a call
    /// cost about 0.4 M instructions per 1,000 compose files.
    #[inline(always)]
    fn then_line(&mut self, value: Node<'t>, end: usize, indent: usize) -> Option<Node<'t>> {
        self.rest_is_empty(end)?;
        let next = self.next_line(self.line_end(end) + 1)?;
        if next.is_some_and(|line| line.indent > indent) {
            return None;
        }
        self.next = next;
        Some(value)
    }

    /// A scalar, flow collection or alias starting at `i`, and where it
    /// ends.
    fn inline(&mut self, i: usize, depth: usize, anchored: bool) -> Option<(Node<'t>, usize)> {
        match self.at(i) {
            // `&a *b`: an anchor on an alias is an error.
            b'*' if !anchored => self.alias(i, depth),
            b'[' | b'{' => self.flow(i, depth),
            b'"' | b'\'' => {
                let (s, end) = self.quoted(i)?;
                Some((self.leaf(Value::Str(s), Loc::new(i, end))?, end))
            }
            _ => {
                if !self.plain_start(i, false) {
                    return None;
                }
                let (end, colon) = self.plain_block(i);
                if colon.is_some() {
                    // `key: a: b`: a mapping value where none is allowed.
                    return None;
                }
                let value = resolve_plain(self.text.get(i..end)?)?;
                Some((self.leaf(value, Loc::new(i, end))?, end))
            }
        }
    }

    /// True when a key (a scalar then `: `) starts at `i`.
    fn is_key(&self, i: usize) -> Option<bool> {
        match self.at(i) {
            b'"' | b'\'' => {
                let (_, end) = self.quoted(i)?;
                let colon = self.skip_spaces(end);
                Some(self.at(colon) == b':' && is_blank_or_eol(self.at(colon + 1)))
            }
            _ => Some(self.plain_start(i, false) && self.plain_block(i).1.is_some()),
        }
    }

    /// A quoted scalar at `i` on one line: its text and where it ends.
    pub(super) fn quoted(&self, i: usize) -> Option<(Cow<'t, str>, usize)> {
        if self.at(i) == b'"' {
            double_quoted(self.bytes, self.text, i)
        } else {
            single_quoted(self.bytes, self.text, i)
        }
    }

    /// True when a plain scalar can start at `i`: not an indicator, except
    /// `-`, `?` and `:` followed by a character that continues it (in flow
    /// context, not a flow indicator either).
    pub(super) fn plain_start(&self, i: usize, flow: bool) -> bool {
        match self.at(i) {
            b'-' | b'?' | b':' => {
                let next = self.at(i + 1);
                !(is_blank_or_eol(next) || flow && is_flow_indicator(next))
            }
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' | 0 => false,
            _ => true,
        }
    }

    /// A plain scalar in block context from `start` to the end of its line,
    /// a comment, or a `:` followed by a space or line end: the end of its
    /// text (trailing spaces excluded) and the offset of that `:`.
    ///
    /// Inlined, forced (the compiler keeps it out of line otherwise): it
    /// runs for every key and plain value, the call's register saves and
    /// its pair returned through memory were a third of its cost, and each
    /// caller folds in its use of the result (about 1.3 M fewer
    /// instructions per 1,000 compose files).
    #[inline(always)]
    fn plain_block(&self, start: usize) -> (usize, Option<usize>) {
        let mut j = start;
        loop {
            j = plain_stop(self.bytes, j);
            match self.at(j) {
                b':' if is_blank_or_eol(self.at(j + 1)) => {
                    return (self.trim_end(start, j), Some(j));
                }
                b'#' if self.is_comment(j) => return (self.trim_end(start, j), None),
                b'\n' => return (self.trim_end(start, j), None),
                0 => return (self.trim_end(start, self.bytes.len()), None),
                _ => j += 1,
            }
        }
    }

    /// `end` moved back over the spaces before it, not past `start`.
    pub(super) fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.at(end - 1) == b' ' {
            end -= 1;
        }
        end
    }

    /// An anchor (`&name` then a space or line end) at `*i`: its name and
    /// end, with `*i` moved past it and the spaces after it.
    ///
    /// Inlined, forced (a plain `#[inline]` left it out of line, its
    /// call costing more than the check): it runs for every value, and
    /// nearly always finds no `&`. The rest is [`Self::anchor_name`].
    #[inline(always)]
    fn anchor(&self, i: &mut usize) -> Option<Option<(&'t str, usize)>> {
        if self.at(*i) != b'&' {
            return Some(None);
        }
        self.anchor_name(i).map(Some)
    }

    /// [`Self::anchor`] once a `&` is at `*i`.
    fn anchor_name(&self, i: &mut usize) -> Option<(&'t str, usize)> {
        let end = self.name_end(*i + 1);
        let name = self.text.get(*i + 1..end)?;
        if name.is_empty() || !is_blank_or_eol(self.at(end)) {
            return None;
        }
        *i = self.skip_spaces(end);
        Some((name, end))
    }

    /// The end of an anchor or alias name starting at `i`. Names are
    /// restricted to the characters compose files use; anything else
    /// after a name makes the caller give up.
    pub(super) fn name_end(&self, mut i: usize) -> usize {
        while matches!(self.at(i), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.') {
            i += 1;
        }
        i
    }

    /// The alias at `star` and where it ends: a copy of its anchor's node,
    /// used at the alias. `depth` is the level it would have as a
    /// collection.
    pub(super) fn alias(&mut self, star: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        let end = self.name_end(star + 1);
        let anchor = self.anchors.get(self.text.get(star + 1..end)?)?;
        if depth + anchor.height > DEPTH + 1 {
            return None;
        }
        self.budget.alias(anchor.nodes)?;
        let copy = self.tree.copy_used(&anchor.node, Loc::new(star, end));
        Some((copy, end))
    }

    /// The value of a `<<` key of a mapping at `indent` and `depth`: an
    /// alias or a flow sequence of aliases, each naming a mapping. Each
    /// source is pushed on `self.merges`, with the span of its alias.
    fn merge_value(&mut self, indent: usize, colon: usize, depth: usize) -> Option<()> {
        let i = self.skip_spaces(colon + 1);
        let end = match self.at(i) {
            b'*' => self.merge_source(i, depth)?,
            b'[' => {
                self.budget.node()?;
                let mut j = self.skip_spaces(i + 1);
                loop {
                    let end = self.merge_source(j, depth)?;
                    let k = self.skip_spaces(end);
                    match self.at(k) {
                        b',' => j = self.skip_spaces(k + 1),
                        b']' => break k + 1,
                        _ => return None,
                    }
                }
            }
            // An inline mapping, an empty value, a block sequence of
            // aliases: valid, rare, left to serde-saphyr.
            _ => return None,
        };
        self.rest_is_empty(end)?;
        let next = self.next_line(self.line_end(end) + 1)?;
        if next.is_some_and(|line| line.indent > indent) {
            return None;
        }
        self.next = next;
        Some(())
    }

    /// One merge source, the alias at `star`: recorded, and its end.
    fn merge_source(&mut self, star: usize, depth: usize) -> Option<usize> {
        if self.at(star) != b'*' {
            return None;
        }
        let end = self.name_end(star + 1);
        let index = self.anchors.find(self.text.get(star + 1..end)?)?;
        let anchor = self.anchors.at(index);
        // Its entries land in this mapping, at `depth`.
        if depth + anchor.height > DEPTH + 1 {
            return None;
        }
        self.budget.alias(anchor.nodes)?;
        self.merges.push((Loc::new(star, end), index));
        Some(end)
    }
}

pub(super) fn is_flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}
