//! Flow collections written on one line: `[ALL]`, `{}`, `["CMD", "curl"]`,
//! `{a: 1, b: [x]}`.
//!
//! A flow collection spans the byte of its opening bracket. Entries are
//! plain or quoted scalars, aliases, or flow collections; a mapping entry
//! is `key: value` (with the space). Given up on: collections continued on
//! the next line, comments inside, anchors, tags, keys without a value
//! (`{a}`), empty values, single-pair mappings in sequences (`[a: 1]`),
//! merge keys, and `:` where it would end a plain scalar in a sequence.

use super::block::is_flow_indicator;
use super::budget::DEPTH;
use super::scalar::resolve_plain;
use super::{Parser, node};
use crate::compose::tree::{Loc, Node, Value};

impl<'t> Parser<'t> {
    /// The flow collection opening at `open` (`[` or `{`), at nesting level
    /// `depth`, and the offset after its closing bracket.
    pub(super) fn flow(&mut self, open: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        if depth > DEPTH {
            return None;
        }
        self.budget.node()?;
        let span = Loc::new(open, open + 1);
        let mut i = self.skip_spaces(open + 1);
        if self.at(open) == b'[' {
            let mut items = self.take_items();
            loop {
                if self.at(i) == b']' {
                    let items = self.close_items(items);
                    return Some((node(Value::Seq(items), span), i + 1));
                }
                let (item, end) = self.flow_item(i, depth + 1)?;
                items.push(item);
                i = self.after_flow_entry(end, b']')?;
            }
        } else {
            let mut entries = self.take_entries();
            loop {
                if self.at(i) == b'}' {
                    let entries = self.close_entries(entries);
                    return Some((node(Value::Map(entries), span), i + 1));
                }
                let (key, colon) = self.flow_key(i)?;
                let (value, end) = self.flow_item(self.skip_spaces(colon + 1), depth + 1)?;
                entries.push((key, value));
                i = self.after_flow_entry(end, b'}')?;
            }
        }
    }

    /// After an entry ending at `end`: a `,` (then the next entry or the
    /// closing bracket, where a trailing comma is allowed) or the closing
    /// bracket. The offset of what comes next.
    fn after_flow_entry(&self, end: usize, close: u8) -> Option<usize> {
        let j = self.skip_spaces(end);
        match self.at(j) {
            b',' => Some(self.skip_spaces(j + 1)),
            c if c == close => Some(j),
            _ => None,
        }
    }

    /// An entry (or a mapping value) at `i` and where it ends.
    fn flow_item(&mut self, i: usize, depth: usize) -> Option<(Node<'t>, usize)> {
        match self.at(i) {
            b'[' | b'{' => self.flow(i, depth),
            b'*' => self.alias(i, depth),
            b'"' | b'\'' => {
                let (s, end) = self.quoted(i)?;
                self.budget.node()?;
                Some((node(Value::Str(s), Loc::new(i, end)), end))
            }
            _ => {
                let end = self.plain_flow(i)?;
                let value = resolve_plain(self.text.get(i..end)?)?;
                self.budget.node()?;
                Some((node(value, Loc::new(i, end)), end))
            }
        }
    }

    /// A flow mapping key at `i` and the offset of its `:`, which a space
    /// follows.
    fn flow_key(&mut self, i: usize) -> Option<(Node<'t>, usize)> {
        let (value, end) = match self.at(i) {
            b'"' | b'\'' => {
                let (s, end) = self.quoted(i)?;
                (Value::Str(s), end)
            }
            _ => {
                let end = self.plain_flow(i)?;
                let text = self.text.get(i..end)?;
                if text == "<<" {
                    return None;
                }
                (resolve_plain(text)?, end)
            }
        };
        let colon = self.skip_spaces(end);
        if self.at(colon) != b':' || self.at(colon + 1) != b' ' || colon - i > 1000 {
            return None;
        }
        self.budget.node()?;
        Some((node(value, Loc::new(i, end)), colon))
    }

    /// A plain scalar in flow context at `i`: the end of its text (trailing
    /// spaces excluded). It ends before a flow indicator or a `:` that a
    /// space, line end or flow indicator follows; a comment or a line end
    /// inside the collection is given up on.
    fn plain_flow(&self, start: usize) -> Option<usize> {
        if !self.plain_start(start, true) {
            return None;
        }
        let mut i = start;
        loop {
            match self.at(i) {
                b',' | b']' | b'}' => return Some(self.trim_end(start, i)),
                b'[' | b'{' | b'\n' | 0 => return None,
                b':' => {
                    let next = self.at(i + 1);
                    if next == b' ' || next == b'\n' || next == 0 || is_flow_indicator(next) {
                        return Some(self.trim_end(start, i));
                    }
                }
                b'#' if self.is_comment(i) => return None,
                _ => {}
            }
            i += 1;
        }
    }
}
