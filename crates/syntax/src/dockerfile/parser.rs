//! The driver: reads the file line by line as BuildKit does and hands each
//! instruction's logical line to the [`Builder`].
//!
//! Per line: skip a BOM on the first; read directives while the leading
//! comment block lasts; keep comments; skip blank lines; otherwise start an
//! instruction and join its continuation lines (comment lines inside are
//! dropped from the text but kept as comments, blank ones are recorded).
//! Then, for RUN, COPY and ADD (also under ONBUILD) in shell form, read the
//! heredoc bodies that follow.
//!
//! Recovery is per instruction: a bad instruction gets diagnostics and the
//! next line starts afresh; an unterminated heredoc gives its lines back,
//! so everything after it is still parsed.

use std::borrow::Cow;
use std::collections::HashMap;

use smallvec::SmallVec;

use super::args::Args;
use super::directives;
use super::heredoc::{self, Heredoc, Marker, Terminators};
use super::instruction::Builder;
use super::source::{Line, Lines, LogicalLine};
use super::stages;
use super::tree::{Comment, Directive, Dockerfile, Instruction};
use super::words::leading_whitespace;
use crate::{Diagnostic, LineIndex, Span};

/// Parses a Dockerfile. Never fails: problems are diagnostics.
pub fn parse(text: &str) -> Dockerfile {
    parse_indexed(text, &LineIndex::new(text))
}

/// [`parse`] with the [`LineIndex`] of `text` already built (as
/// `Source::parse` needs it anyway): the parser walks its line starts
/// instead of searching for every line end again.
pub(crate) fn parse_indexed(text: &str, index: &LineIndex) -> Dockerfile {
    let first_line = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let starts = index.starts();
    let mut parser = Parser {
        text,
        lines: Lines::indexed(text, Cow::Borrowed(starts), first_line),
        first_line,
        escape: '\\',
        directives: Vec::new(),
        comments: Vec::new(),
        // At most one instruction per line. Growing a vector of large
        // nodes costs more than this bound; a file of mostly heredoc lines
        // gives back the excess in `finish`.
        instructions: Vec::with_capacity(starts.len().min(1 << 16)),
        diagnostics: Vec::new(),
        terminators: Terminators::default(),
        scratch: String::new(),
    };
    parser.run();
    parser.finish()
}

struct Parser<'a> {
    text: &'a str,
    lines: Lines<'a>,
    first_line: usize,
    escape: char,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    diagnostics: Vec<Diagnostic>,
    terminators: Terminators<'a>,
    /// Reused by every instruction for unquoted word values.
    scratch: String,
}

impl<'a> Parser<'a> {
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    fn run(&mut self) {
        let mut in_directives = true;
        while let Some(line) = self.lines.next_line() {
            let content = self.slice(line.start, line.end);
            let blanks = leading_whitespace(content);
            let start = line.start + blanks;
            // Sliced from the line itself: one char boundary to check.
            let trimmed = content.get(blanks..).unwrap_or("");
            if in_directives {
                if let Some(directive) = directives::parse_line(trimmed, start) {
                    self.directive(directive);
                    continue;
                }
                in_directives = false;
            }
            if trimmed.starts_with('#') {
                self.comment(start, line.end);
            } else if !trimmed.is_empty() {
                self.instruction(line, start, trimmed);
            }
        }
    }

    fn directive(&mut self, directive: Directive) {
        if self.directives.iter().any(|d| d.name == directive.name) {
            self.diagnostics.push(Diagnostic::new(
                directive.span,
                format!("only one {} parser directive can be used", directive.name),
            ));
            self.comment(directive.span.start, directive.span.end);
            return;
        }
        if directive.name == "escape" {
            match directive.value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => self.diagnostics.push(
                    Diagnostic::new(
                        directive.value_span,
                        format!("invalid escape token '{other}' does not match ` or \\"),
                    )
                    .expected("` or \\"),
                ),
            }
        }
        self.directives.push(directive);
    }

    /// A comment line from `#` at `start` to the line end `end`.
    fn comment(&mut self, start: usize, end: usize) {
        let line = self.slice(start, end).trim_end();
        self.comments.push(Comment {
            text: line.strip_prefix('#').unwrap_or(line).trim().to_owned(),
            span: Span::new(start, start + line.len()),
        });
    }

    /// An instruction whose first line is `first`, from `start` on (the
    /// text `from_start`).
    fn instruction(&mut self, first: Line, start: usize, from_start: &'a str) {
        // The pieces of the logical line, joined once all are read.
        let mut parts: SmallVec<[(&str, usize); 8]> = SmallVec::new();
        let mut empty_lines = Vec::new();
        let (kept, mut continued) = continuation(from_start, self.escape);
        parts.push((kept, start));
        let mut last_end = first.end;
        while continued {
            let Some(line) = self.lines.next_line() else {
                break;
            };
            let content = self.slice(line.start, line.end);
            let trimmed = content.get(leading_whitespace(content)..).unwrap_or("");
            // The instruction spans every line it consumes.
            last_end = line.end;
            if trimmed.starts_with('#') {
                self.comment(line.end - trimmed.len(), line.end);
                continue;
            }
            if trimmed.is_empty() {
                empty_lines.push(Span::new(line.start, line.end));
                continue;
            }
            let (kept, more) = continuation(content, self.escape);
            parts.push((kept, line.start));
            continued = more;
        }
        let logical = LogicalLine::from_parts(&parts);

        // A lone escape character continued into nothing (or only blanks).
        let keyword_start = leading_whitespace(&logical.text);
        if keyword_start == logical.text.len() {
            self.diagnostics.push(Diagnostic::new(
                Span::new(start, last_end),
                "empty instruction: a line continuation with nothing after it",
            ));
            return;
        }

        let mut builder = Builder {
            line: &logical,
            escape: self.escape,
            diagnostics: &mut self.diagnostics,
            scratch: &mut self.scratch,
        };
        // Built straight into the list: an instruction is a few hundred
        // bytes, and moving it through locals cost two copies each.
        self.instructions.push(builder.build(keyword_start, false));
        let Some(instruction) = self.instructions.last_mut() else {
            return;
        };
        if !empty_lines.is_empty() {
            instruction.empty_continuation_lines = empty_lines;
        }
        // From the first line (which may be a lone escape character before
        // the keyword) to the last.
        instruction.span = Span::new(
            start.min(instruction.span.start),
            last_end.max(instruction.span.end),
        );
        if heredoc_host(instruction).is_none() {
            return;
        }
        let markers = heredoc::markers(&logical.text);
        if markers.is_empty() {
            return;
        }
        let (heredocs, end) = self.read_bodies(markers, &logical);
        if let Some(instruction) = self.instructions.last_mut() {
            instruction.span.end = instruction.span.end.max(end);
            if let Some(host) = heredoc_host(instruction) {
                host.span.end = host.span.end.max(end);
                attach(host, heredocs);
            }
        }
    }

    /// Reads the body of each marker in order; returns the heredocs and
    /// where the last terminator ends.
    fn read_bodies(
        &mut self,
        markers: Vec<Marker>,
        logical: &LogicalLine,
    ) -> (Vec<Heredoc>, usize) {
        let mut heredocs = Vec::with_capacity(markers.len());
        let mut end = 0;
        let mut failed = false;
        for marker in markers {
            let span = logical.span(marker.start, marker.end);
            let body_start = self.lines.pos();
            let terminator = if failed {
                None
            } else {
                self.terminators.find(
                    self.text,
                    self.first_line,
                    body_start,
                    &marker.delimiter,
                    marker.strip_tabs,
                )
            };
            let mut heredoc = Heredoc {
                delimiter: marker.delimiter,
                span,
                fd: marker.fd,
                strip_tabs: marker.strip_tabs,
                quoted: marker.quoted,
                body: String::new(),
                // Until a terminator is found: empty, at the marker's end.
                body_span: Span::new(span.end, span.end),
                terminator_span: None,
                raw_body: None,
            };
            match terminator {
                Some(line) => {
                    let raw = self.slice(body_start, line.start);
                    heredoc.body = heredoc::body_text(raw, marker.strip_tabs);
                    if heredoc.body != raw {
                        heredoc.raw_body = Some(raw.to_owned());
                    }
                    heredoc.body_span = Span::new(body_start, line.start);
                    heredoc.terminator_span = Some(Span::new(line.start, line.end));
                    self.lines.set_pos(line.next);
                    end = line.end;
                }
                None => {
                    // The lines after the instruction stay for the parser.
                    failed = true;
                    self.diagnostics.push(
                        Diagnostic::new(
                            span,
                            format!("unterminated heredoc `{}`", heredoc.delimiter),
                        )
                        .expected(format!("a line `{}` ending the heredoc", heredoc.delimiter)),
                    );
                }
            }
            heredocs.push(heredoc);
        }
        (heredocs, end)
    }

    fn finish(self) -> Dockerfile {
        let mut diagnostics = self.diagnostics;
        let stages = stages::stages(&self.instructions, self.escape, &mut diagnostics);
        let end = Span::new(self.text.len(), self.text.len());
        if self.instructions.is_empty() {
            diagnostics.push(Diagnostic::new(end, "file with no instructions").expected("FROM"));
        } else if stages.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    end,
                    "the Dockerfile has no FROM instruction (no build stage)",
                )
                .expected("FROM"),
            );
        }
        diagnostics.sort_by_key(|d| d.span.start);
        let mut instructions = self.instructions;
        if instructions.capacity() > 2 * instructions.len() + 16 {
            instructions.shrink_to_fit();
        }
        Dockerfile {
            directives: self.directives,
            escape: self.escape,
            instructions,
            comments: self.comments,
            stages,
            diagnostics,
        }
    }
}

/// Splits a line into the part kept in the logical line and whether it
/// continues: the escape character as the last non-blank character,
/// unless it is itself escaped (BuildKit's
/// `([^\\])\\[ \t]*$|^\\[ \t]*$`).
fn continuation(line: &str, escape: char) -> (&str, bool) {
    // Byte compares for an ASCII escape character (always, from the
    // directive): a `char` pattern is encoded and compared with `memcmp`
    // on every line.
    if let Ok(e) = u8::try_from(escape)
        && e.is_ascii()
    {
        let bytes = line.as_bytes();
        let mut end = bytes.len();
        while end > 0 && matches!(bytes.get(end - 1), Some(b' ' | b'\t')) {
            end -= 1;
        }
        if end == 0 || bytes.get(end - 1) != Some(&e) {
            return (line, false);
        }
        let before = end - 1;
        if before > 0 && bytes.get(before - 1) == Some(&e) {
            return (line, false);
        }
        // `before` is at an ASCII byte, so on a char boundary.
        return (line.get(..before).unwrap_or(""), true);
    }
    let trimmed = line.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(escape) else {
        return (line, false);
    };
    if !before.is_empty() && before.ends_with(escape) {
        return (line, false);
    }
    (before, true)
}

/// The instruction that owns heredocs: RUN, COPY or ADD in shell form,
/// itself or under ONBUILD.
fn heredoc_host(instruction: &mut Instruction) -> Option<&mut Instruction> {
    let host = if matches!(instruction.args, Args::Onbuild(_)) {
        match &mut instruction.args {
            Args::Onbuild(Some(inner)) => inner.as_mut(),
            _ => return None,
        }
    } else {
        instruction
    };
    let json = match &host.args {
        Args::Run(command) => command.is_exec(),
        Args::Copy(copy) | Args::Add(copy) => copy.json,
        _ => return None,
    };
    (!json).then_some(host)
}

/// Gives the host its heredocs and links COPY/ADD sources to them (by
/// delimiter; the last heredoc of a name wins, as in BuildKit).
fn attach(host: &mut Instruction, heredocs: Vec<Heredoc>) {
    if let Args::Copy(copy) | Args::Add(copy) = &mut host.args {
        let by_delimiter: HashMap<&str, usize> = heredocs
            .iter()
            .enumerate()
            .map(|(i, h)| (h.delimiter.as_str(), i))
            .collect();
        for source in &mut copy.sources {
            let Some(marker) = heredoc::markers(&source.word.raw).into_iter().next() else {
                continue;
            };
            source.heredoc = by_delimiter.get(marker.delimiter.as_str()).copied();
        }
    }
    host.heredocs = heredocs;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rules() {
        assert_eq!(continuation("RUN a \\", '\\'), ("RUN a ", true));
        assert_eq!(continuation("RUN a \\  \t", '\\'), ("RUN a ", true));
        assert_eq!(continuation("\\", '\\'), ("", true));
        assert_eq!(continuation("RUN a \\\\", '\\'), ("RUN a \\\\", false));
        assert_eq!(continuation("C:\\dir\\", '`'), ("C:\\dir\\", false));
        assert_eq!(continuation("RUN a `", '`'), ("RUN a ", true));
        assert_eq!(continuation("RUN a", '\\'), ("RUN a", false));
    }
}
