//! The guarantees every parsed tree makes, checked: every span lies in
//! the text on char boundaries; instructions are ordered and do not
//! overlap; each node (flags, words, heredocs, shell commands, ONBUILD
//! triggers) lies within its instruction; stages index real instructions.
//!
//! Property tests and the fuzz target run [`verify`] on every input; a rule
//! author may also call it in debug builds.

use super::args::{Args, CommandLine};
use super::shell::Command;
use super::tree::{Dockerfile, Instruction};
use crate::Span;

/// Checks the tree `parse(text)` returned; the error says which span is
/// wrong.
pub fn verify(text: &str, df: &Dockerfile) -> Result<(), String> {
    let ok = |s: Span, what: &str| -> Result<(), String> {
        if s.start > s.end
            || s.end > text.len()
            || !text.is_char_boundary(s.start)
            || !text.is_char_boundary(s.end)
        {
            return Err(format!("{what} span {s:?} is invalid"));
        }
        Ok(())
    };
    for d in &df.directives {
        ok(d.span, "directive")?;
        ok(d.name_span, "directive name")?;
        ok(d.value_span, "directive value")?;
    }
    for c in &df.comments {
        ok(c.span, "comment")?;
    }
    for d in &df.diagnostics {
        ok(d.span, "diagnostic")?;
    }
    let mut previous_end = 0;
    for (i, instruction) in df.instructions.iter().enumerate() {
        let outer = instruction.span;
        ok(outer, "instruction")?;
        if outer.start < previous_end {
            return Err(format!(
                "instruction {i} at {outer:?} overlaps the previous one"
            ));
        }
        previous_end = outer.end;
        let mut inner = Vec::new();
        spans_of(instruction, &mut inner);
        for (what, s) in inner {
            ok(s, what)?;
            if s.start < outer.start || s.end > outer.end {
                return Err(format!("{what} span {s:?} outside instruction {outer:?}"));
            }
        }
    }
    for stage in &df.stages {
        if stage.from >= df.instructions.len() || stage.end > df.instructions.len() {
            return Err(format!("stage {} out of range", stage.index));
        }
    }
    Ok(())
}

fn spans_of(instruction: &Instruction, out: &mut Vec<(&'static str, Span)>) {
    out.push(("instruction", instruction.span));
    out.push(("keyword", instruction.keyword.span));
    for f in &instruction.flags {
        out.push(("flag", f.span));
        out.push(("flag name", f.name_span));
        if let Some(v) = f.value_span {
            out.push(("flag value", v));
        }
    }
    for h in &instruction.heredocs {
        out.push(("heredoc", h.span));
        out.push(("heredoc body", h.body_span));
        if let Some(t) = h.terminator_span {
            out.push(("heredoc terminator", t));
        }
        for c in h.commands() {
            command_spans(&c, out);
        }
    }
    for s in &instruction.empty_continuation_lines {
        out.push(("empty continuation line", *s));
    }
    let mut words = Vec::new();
    match &instruction.args {
        Args::From(f) => {
            words.extend(f.image.iter().chain(&f.alias));
            if let Some(t) = &f.as_keyword {
                out.push(("AS", t.span));
            }
        }
        Args::Env(p) | Args::Label(p) | Args::Arg(p) => {
            for kv in p {
                out.push(("pair", kv.span));
                words.push(&kv.key);
                words.extend(&kv.value);
            }
        }
        Args::Copy(c) | Args::Add(c) => {
            words.extend(c.sources.iter().map(|s| &s.word));
            words.extend(&c.dest);
        }
        Args::Expose(ports) => words.extend(ports.iter().map(|p| &p.word)),
        Args::User(Some(u)) => {
            words.push(&u.user);
            words.extend(&u.group);
        }
        Args::Workdir(w) | Args::Maintainer(w) | Args::Stopsignal(w) | Args::Unknown(w) => {
            words.extend(w)
        }
        Args::Volume(v) => words.extend(&v.paths),
        Args::Healthcheck(h) => {
            if let Some(k) = &h.kind {
                out.push(("healthcheck type", k.span));
            }
        }
        Args::Onbuild(Some(inner)) => spans_of(inner, out),
        _ => {}
    }
    for w in words {
        out.push(("word", w.span));
    }
    if let Some(c) = instruction.command_line() {
        out.push(("command line", c.span()));
        if let CommandLine::Exec(e) = c {
            for w in &e.args {
                out.push(("exec arg", w.span));
            }
        }
    }
    for c in instruction.shell_commands() {
        command_spans(&c, out);
    }
}

fn command_spans(c: &Command, out: &mut Vec<(&'static str, Span)>) {
    out.push(("command", c.span));
    for w in c.words.iter().chain(&c.assignments) {
        out.push(("command word", w.span));
    }
    for r in &c.redirects {
        out.push(("redirect", r.span));
        if let Some(t) = &r.target {
            out.push(("redirect target", t.span));
        }
    }
}
