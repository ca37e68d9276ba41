//! Tests of the whole parser: one file per concern.
//!
//! - `features`: every feature and edge case, one small test each;
//! - `recovery`: errors, diagnostics and resuming;
//! - `helpers`: substitution scopes, shell commands, COPY --from;
//! - `snapshots`: insta snapshots of realistic Dockerfiles (an outline with
//!   line:column positions, and one full JSON tree);
//! - `properties`: proptest (never panics, span invariants);
//! - `large`: a 10 MB single line, and hostile repetitions;
//! - `throughput`: a thousand generated Dockerfiles, and a timing run.

mod features;
mod helpers;
mod large;
mod properties;
mod recovery;
mod snapshots;
mod throughput;

use std::fmt::Write as _;

use super::{Args, CommandLine, Dockerfile, Instruction, parse, verify};
use crate::{LineIndex, Span};

/// Parses `text` and checks the span invariants (see [`check_spans`]).
pub(super) fn parsed(text: &str) -> Dockerfile {
    let df = parse(text);
    if let Err(e) = verify(text, &df) {
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
