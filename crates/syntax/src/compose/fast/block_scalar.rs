//! Block scalars: `|` (literal) and `>` (folded), with the chomping
//! indicators `-` (strip) and `+` (keep). Compose files use them for
//! commands, entrypoints and inline configs.
//!
//! The content is the lines indented at least as much as the first
//! non-blank one (its indentation `m`, which must exceed the entry's);
//! they are taken with `m` spaces removed. A literal scalar keeps its line
//! breaks; a folded one turns a single break between two lines into a
//! space and `k + 1` breaks into `k`. Chomping then keeps no final break
//! (strip), one (clip), or every trailing one (keep).
//!
//! serde-saphyr's span (found by experiment) starts at the first content
//! character and ends where the content of the line after the scalar
//! starts (trailing blank lines and that line's indentation included), or
//! at the end of the text.
//!
//! Given up on: an explicit indentation indicator (`|2`), an empty scalar,
//! blank lines with more spaces than `m` (their spaces are content), a
//! last line without a line break, and in folded scalars, leading blank
//! lines and more-indented lines (which are not folded).

use std::borrow::Cow;

use super::{Parser, is_eol};
use crate::compose::tree::{Loc, Node, Value};

#[derive(Clone, Copy, PartialEq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

impl<'t> Parser<'t> {
    /// The block scalar whose indicator (`|` or `>`) is at `at`, in an
    /// entry at `indent`. Leaves the line after it in `self.next`, which
    /// must not be indented past the entry.
    pub(super) fn block_scalar(&mut self, at: usize, indent: usize) -> Option<Node<'t>> {
        let folded = self.at(at) == b'>';
        let (chomp, header_end) = match self.at(at + 1) {
            b'-' => (Chomp::Strip, at + 2),
            b'+' => (Chomp::Keep, at + 2),
            _ => (Chomp::Clip, at + 1),
        };
        // Then spaces and a comment, or the end of the line.
        if !is_eol(self.at(header_end)) && self.at(header_end) != b' ' {
            return None;
        }
        self.rest_is_empty(header_end)?;

        // Leading blank lines, then the first content line, which sets the
        // indentation.
        let mut line = self.line_end(header_end) + 1;
        let mut leading_blank = 0;
        let mut leading_spaces = 0;
        let content_indent = loop {
            if line >= self.bytes.len() {
                return None;
            }
            let content = self.skip_spaces(line);
            if self.at(content) == 0 {
                // Only blank lines to the end: an empty scalar, which
                // serde-saphyr locates at its indicator.
                return None;
            }
            if self.at(content) == b'\n' {
                leading_blank += 1;
                leading_spaces = leading_spaces.max(content - line);
                line = content + 1;
                continue;
            }
            break content - line;
        };
        if content_indent <= indent
            || leading_spaces > content_indent
            || (folded && leading_blank > 0)
        {
            return None;
        }
        let start = line + content_indent;

        let mut out = String::new();
        for _ in 0..leading_blank {
            out.push('\n');
        }
        // Blank lines seen since the last content line.
        let mut blank = 0;
        let mut first = true;
        let end = loop {
            if line >= self.bytes.len() {
                break self.bytes.len();
            }
            let content = self.skip_spaces(line);
            let spaces = content - line;
            if self.at(content) == b'\n' || content >= self.bytes.len() {
                if spaces > content_indent {
                    return None;
                }
                if content >= self.bytes.len() {
                    break self.bytes.len();
                }
                blank += 1;
                line = content + 1;
                continue;
            }
            if spaces < content_indent {
                // The line after the scalar.
                break content;
            }
            if folded && spaces > content_indent {
                return None;
            }
            let eol = self.line_end(content);
            if eol >= self.bytes.len() {
                // A last line without a line break.
                return None;
            }
            if !first {
                if folded && blank == 0 {
                    out.push(' ');
                } else {
                    let breaks = if folded { blank } else { blank + 1 };
                    out.extend(std::iter::repeat_n('\n', breaks));
                }
            }
            out.push_str(self.text.get(line + content_indent..eol)?);
            first = false;
            blank = 0;
            line = eol + 1;
        };
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => out.push('\n'),
            Chomp::Keep => out.extend(std::iter::repeat_n('\n', blank + 1)),
        }

        let next = if end >= self.bytes.len() {
            None
        } else {
            self.next_line(self.line_start(end))?
        };
        if next.is_some_and(|l| l.indent > indent) {
            return None;
        }
        self.next = next;
        self.budget.node()?;
        Some(super::node(
            Value::Str(Cow::Owned(out)),
            Loc::new(start, end),
        ))
    }

    /// The start of the line holding `i`.
    fn line_start(&self, i: usize) -> usize {
        let before = self.bytes.get(..i).unwrap_or(self.bytes);
        memchr::memrchr(b'\n', before).map_or(0, |n| n + 1)
    }
}
