//! Groups the lexer's tokens (handed over through [`Tokens`]) into simple
//! commands: words, leading assignments, redirections with their targets,
//! the separator before each command and the pipes between them. Spans go through the
//! [`SourceMap`] of the text (read with a [`Cursor`], as tokens come in
//! order), so they point into the file.
//!
//! A command's words go into a vector with room for [`WORDS`] from the
//! start (one allocation for nearly every command, where growing 4, 8, 16
//! took three); its assignments and redirections, rare, are collected in
//! vectors reused for the whole script and moved out at their exact size.

use super::lexer::Tokens;
use super::{Command, Redirect, Separator, is_assignment};
use crate::dockerfile::source::{Cursor, SourceMap};
use crate::dockerfile::tree::{Word, smol};
use crate::{SmolStr, Span};

/// Whether `word` opens or closes a compound command (`if`, `then`, `do`,
/// `{`, `fi`, `done`, …): skipped at a command's start.
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "if" | "then"
            | "else"
            | "elif"
            | "fi"
            | "do"
            | "done"
            | "while"
            | "until"
            | "!"
            | "{"
            | "}"
            | "time"
            | "esac"
    )
}

/// The words a command is given room for when it starts.
const WORDS: usize = 8;

/// The commands a script is given room for when its first one ends.
const COMMANDS: usize = 4;

pub(super) struct Builder<'m> {
    text: &'m str,
    spans: Cursor<'m>,
    pub commands: Vec<Command>,
    /// The parts of the current command.
    words: Vec<Word>,
    assignments: Vec<Word>,
    redirects: Vec<Redirect>,
    /// The span of the current command so far: from the start of its
    /// first token's span to the end of its last one's. The same as
    /// mapping its logical range (offsets only grow through a map, so the
    /// first token's start and the last one's end are the range's), with
    /// no lookup of its own: the command's first offset is behind the
    /// cursor when it ends, and looking it up again searched the map.
    span: Option<Span>,
    /// The redirect waiting for its target word.
    want_target: bool,
    follows: Separator,
    pipe_from: Option<usize>,
}

impl<'m> Builder<'m> {
    pub fn new(text: &'m str, map: &'m SourceMap) -> Self {
        Builder {
            text,
            spans: Cursor::new(map),
            commands: Vec::new(),
            words: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
            span: None,
            want_target: false,
            follows: Separator::Start,
            pipe_from: None,
        }
    }

    fn extend(&mut self, token: Span) {
        match &mut self.span {
            Some(span) => span.end = token.end,
            None => self.span = Some(token),
        }
    }

    /// Ends the current command; `next` is the operator that follows it.
    pub fn finish(&mut self, next: Separator) {
        if let Some(span) = self.span.take() {
            let index = self.commands.len();
            if let Some(from) = self.pipe_from.take()
                && let Some(c) = self.commands.get_mut(from)
            {
                c.pipe_to = Some(index);
            }
            if self.commands.capacity() == 0 {
                // What the first push would grow to, made directly.
                self.commands = Vec::with_capacity(COMMANDS);
            }
            self.commands.push(Command {
                words: std::mem::take(&mut self.words),
                assignments: take_exact(&mut self.assignments),
                redirects: take_exact(&mut self.redirects),
                span,
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

impl Tokens for Builder<'_> {
    // Inlined into the lexer's one call: a call per word cost more than
    // the word's own work in saving and restoring registers.
    #[inline(always)]
    fn word(&mut self, start: usize, end: usize, value: Option<SmolStr>) {
        let raw = self.text.get(start..end).unwrap_or("");
        if !self.want_target
            && self.words.is_empty()
            && self.assignments.is_empty()
            && self.redirects.is_empty()
            && value.is_none()
            && is_reserved(raw)
        {
            return;
        }
        let raw = smol(raw);
        let word = Word {
            // A word without quotes or escapes shares its raw text.
            value: value.unwrap_or_else(|| raw.clone()),
            raw,
            span: self.spans.span(start, end),
        };
        self.extend(word.span);
        if self.want_target {
            self.want_target = false;
            if let Some(r) = self.redirects.last_mut() {
                r.span = r.span.to(word.span);
                r.target = Some(word);
            }
        } else if self.words.is_empty() && is_assignment(&word.raw) {
            self.assignments.push(word);
        } else {
            if self.words.capacity() == 0 {
                // Room for most commands at once: growing 4, 8, 16 cost
                // more than the unused tail (and a fresh vector is
                // cheaper to make than an empty one is to grow).
                self.words = Vec::with_capacity(WORDS);
            }
            self.words.push(word);
        }
    }

    fn redirect(&mut self, start: usize, end: usize, op: &'static str, fd: Option<u32>) {
        let span = self.spans.span(start, end);
        self.extend(span);
        self.redirects.push(Redirect {
            op: SmolStr::new_static(op),
            fd,
            target: None,
            span,
        });
        self.want_target = true;
    }

    fn op(&mut self, separator: Separator) {
        self.want_target = false;
        self.finish(separator);
    }
}

/// The items of `scratch` in a vector of their exact size, leaving
/// `scratch` empty with its capacity for the next command.
fn take_exact<T>(scratch: &mut Vec<T>) -> Vec<T> {
    if scratch.is_empty() {
        return Vec::new();
    }
    // `append` moves the items with one copy; collecting a `Drain` went
    // item by item.
    let mut exact = Vec::with_capacity(scratch.len());
    exact.append(scratch);
    exact
}
