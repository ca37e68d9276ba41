//! Tests of the whole parser: one file per concern.
//!
//! - `features`: every feature and edge case, one small test each;
//! - `recovery`: errors, diagnostics and resuming;
//! - `helpers`: substitution scopes, shell commands, COPY --from;
//! - `snapshots`: insta snapshots of realistic Dockerfiles (an outline with
//!   line:column positions, and one full JSON tree);
//! - `properties`: proptest (never panics, span invariants);
//! - `large`: a 10 MB single line, and hostile repetitions.

mod features;
mod helpers;
mod large;
mod properties;
mod recovery;
mod snapshots;

use std::fmt::Write as _;

use super::{Args, CommandLine, Dockerfile, Instruction, parse};
use crate::{LineIndex, Span};

/// Parses `text` and checks the span invariants (see [`check_spans`]).
pub(super) fn parsed(text: &str) -> Dockerfile {
    let df = parse(text);
    if let Err(e) = check_spans(text, &df) {
        panic!("span invariant broken: {e}\ninput: {text:?}");
    }
    df
}

/// The instruction at `i`.
pub(super) fn ins(df: &Dockerfile, i: usize) -> &Instruction {
    &df.instructions[i]
}

/// Diagnostic messages.
pub(super) fn messages(df: &Dockerfile) -> Vec<&str> {
    df.diagnostics.iter().map(|d| d.message.as_str()).collect()
}

/// The shell text of a shell-form command line.
pub(super) fn shell_text(c: &CommandLine) -> &str {
    match c {
        CommandLine::Shell(s) => &s.text,
        CommandLine::Exec(_) => panic!("exec form"),
    }
}

/// Every span lies within the text on char boundaries; instructions are
/// ordered and do not overlap; a node's spans lie within its instruction.
pub(crate) fn check_spans(text: &str, df: &Dockerfile) -> Result<(), String> {
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

fn command_spans(c: &super::Command, out: &mut Vec<(&'static str, Span)>) {
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

/// A readable outline of the tree with line:column positions, for
/// snapshots: one line per instruction, then its details indented.
pub(super) fn outline(text: &str) -> String {
    let df = parsed(text);
    let index = LineIndex::new(text);
    let pos = |s: Span| {
        let (a, b) = index.range(text, s);
        format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    };
    let mut out = String::new();
    for d in &df.directives {
        let _ = writeln!(out, "directive {} = {:?} @{}", d.name, d.value, pos(d.span));
    }
    for (i, instruction) in df.instructions.iter().enumerate() {
        outline_instruction(&mut out, instruction, &pos, i.to_string(), "");
    }
    for c in &df.comments {
        let _ = writeln!(out, "comment {:?} @{}", c.text, pos(c.span));
    }
    for s in &df.stages {
        let _ = writeln!(
            out,
            "stage {} {:?} instructions {:?} base {:?} parent {:?}",
            s.index,
            s.name,
            s.instructions(),
            s.base_resolved.as_ref().map(|e| &e.value),
            s.parent
        );
    }
    for d in &df.diagnostics {
        let _ = writeln!(out, "diagnostic {:?} @{}", d.message, pos(d.span));
    }
    out
}

fn outline_instruction(
    out: &mut String,
    instruction: &Instruction,
    pos: &dyn Fn(Span) -> String,
    label: String,
    indent: &str,
) {
    let _ = writeln!(
        out,
        "{indent}[{label}] {} ({}) @{}",
        instruction.keyword.text,
        instruction.kind.as_str(),
        pos(instruction.span)
    );
    let indent2 = format!("{indent}    ");
    for f in &instruction.flags {
        let _ = writeln!(
            out,
            "{indent2}flag {} = {:?} @{}",
            f.name,
            f.value,
            pos(f.span)
        );
    }
    let word = |w: &super::Word| format!("{:?} @{}", w.value, pos(w.span));
    match &instruction.args {
        Args::From(f) => {
            let _ = writeln!(
                out,
                "{indent2}image {} alias {}",
                f.image.as_ref().map_or("-".into(), word),
                f.alias.as_ref().map_or("-".into(), word)
            );
        }
        Args::Run(c) | Args::Cmd(c) | Args::Entrypoint(c) | Args::Shell(c) => {
            outline_command(out, c, pos, &indent2);
        }
        Args::Env(p) | Args::Label(p) | Args::Arg(p) => {
            for kv in p {
                let _ = writeln!(
                    out,
                    "{indent2}{} = {}{}",
                    word(&kv.key),
                    kv.value.as_ref().map_or("-".into(), word),
                    if kv.legacy { " (legacy)" } else { "" }
                );
            }
        }
        Args::Copy(c) | Args::Add(c) => {
            for s in &c.sources {
                let _ = writeln!(
                    out,
                    "{indent2}source {} heredoc {:?}",
                    word(&s.word),
                    s.heredoc
                );
            }
            let _ = writeln!(
                out,
                "{indent2}dest {}{}",
                c.dest.as_ref().map_or("-".into(), word),
                if c.json { " (json)" } else { "" }
            );
        }
        Args::Expose(ports) => {
            for p in ports {
                let _ = writeln!(
                    out,
                    "{indent2}port {} = {:?}-{:?} {:?}",
                    word(&p.word),
                    p.start,
                    p.end,
                    p.protocol
                );
            }
        }
        Args::User(u) => {
            if let Some(u) = u {
                let _ = writeln!(
                    out,
                    "{indent2}user {} group {}",
                    word(&u.user),
                    u.group.as_ref().map_or("-".into(), word)
                );
            }
        }
        Args::Workdir(w) | Args::Maintainer(w) | Args::Stopsignal(w) | Args::Unknown(w) => {
            if let Some(w) = w {
                let _ = writeln!(out, "{indent2}value {}", word(w));
            }
        }
        Args::Volume(v) => {
            for p in &v.paths {
                let _ = writeln!(out, "{indent2}path {}", word(p));
            }
        }
        Args::Healthcheck(h) => {
            let _ = writeln!(
                out,
                "{indent2}type {:?}",
                h.kind.as_ref().map(|k| k.text.as_str())
            );
            if let Some(c) = &h.command {
                outline_command(out, c, pos, &indent2);
            }
        }
        Args::Onbuild(inner) => {
            if let Some(inner) = inner {
                outline_instruction(out, inner, pos, "trigger".into(), &indent2);
            }
        }
    }
    for h in &instruction.heredocs {
        let _ = writeln!(
            out,
            "{indent2}heredoc {:?} strip_tabs={} quoted={} @{} body {:?} @{} end {:?}",
            h.delimiter,
            h.strip_tabs,
            h.quoted,
            pos(h.span),
            h.body,
            pos(h.body_span),
            h.terminator_span.map(pos)
        );
    }
    let commands = instruction.shell_commands();
    if !commands.is_empty() {
        for c in commands {
            let words: Vec<&str> = c.words.iter().map(|w| w.value.as_str()).collect();
            let _ = writeln!(
                out,
                "{indent2}$ {}{} @{}",
                words.join(" "),
                c.pipe_to.map_or(String::new(), |p| format!(" | -> {p}")),
                pos(c.span)
            );
        }
    }
}

fn outline_command(out: &mut String, c: &CommandLine, pos: &dyn Fn(Span) -> String, indent: &str) {
    match c {
        CommandLine::Exec(e) => {
            let args: Vec<&str> = e.args.iter().map(|w| w.value.as_str()).collect();
            let _ = writeln!(out, "{indent}exec {args:?} @{}", pos(e.span));
        }
        CommandLine::Shell(s) => {
            let _ = writeln!(out, "{indent}shell {:?} @{}", s.text, pos(s.span));
        }
    }
}
