//! What a RUN executes: its shell scripts (line, exec form and heredoc
//! scripts), then the `sh -c "…"` scripts nested in them, with positions
//! in the file.

use super::program_start;
use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Command, Dockerfile, Instruction, Kind, Word};

/// One RUN instruction (or `ONBUILD RUN`) and the shell scripts it runs.
#[derive(Clone)]
pub(crate) struct Run<'a> {
    /// The index of the instruction in the file (the ONBUILD for a trigger).
    pub index: usize,
    /// The RUN itself (the trigger for ONBUILD).
    pub run: &'a Instruction,
    /// The scripts: first the commands the RUN's shell runs (line, exec
    /// form and heredoc scripts, see `Instruction::shell_commands`), then
    /// one per nested `sh -c "…"` script found in them (exec-form
    /// `["sh", "-c", "…"]` scripts with JSON escapes included, their
    /// positions then being the whole script string).
    pub scripts: Vec<Vec<Command>>,
    /// Where the program each command finally runs starts among its words
    /// (see [`program_words`]), for every command of every script in
    /// order; `None` for a lookup (`command -v`). Worked out once: every
    /// package rule asks.
    starts: Vec<Option<usize>>,
}

impl Run<'_> {
    /// Every command of every script.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.scripts.iter().flatten()
    }

    /// Every command of every script with the words of the program it
    /// finally runs (`apt-get install y` of `sudo env A=1 apt-get install
    /// y`; empty for `command -v x`).
    pub fn programs(&self) -> impl Iterator<Item = (&Command, &[Word])> {
        self.scripts
            .iter()
            .flatten()
            .zip(&self.starts)
            .map(|(command, start)| match start {
                Some(at) => (command, &command.words[*at..]),
                None => (command, &[][..]),
            })
    }

    /// Whether the RUN has `--mount=type=<kind>`.
    pub fn has_mount(&self, kind: &str) -> bool {
        self.run
            .flags_named("mount")
            .filter_map(|f| f.mount())
            .any(|m| m.kind == kind)
    }
}

/// Every RUN (and ONBUILD RUN) of the file with its scripts, in order.
pub(crate) fn read_runs(df: &Dockerfile) -> Vec<Run<'_>> {
    df.instructions
        .iter()
        .enumerate()
        .filter_map(|(index, instruction)| {
            let run = instruction.onbuild_trigger().unwrap_or(instruction);
            if run.kind != Kind::Run {
                return None;
            }
            let first = instruction.shell_commands();
            let mut starts: Vec<Option<usize>> = program_starts(&first).collect();
            let mut scripts = vec![first];
            // Nested `sh -c "…"`, breadth first, a few levels deep.
            let mut level = 0;
            let mut from = 0;
            // Where the starts of script `from` begin in `starts`.
            let mut from_start = 0;
            while level < 3 {
                let to = scripts.len();
                let mut found = Vec::new();
                let mut at = from_start;
                for command in scripts[from..to].iter().flatten() {
                    let start = starts.get(at).copied().flatten();
                    if let Some(nested) = start.and_then(|s| nested_script(&command.words[s..])) {
                        found.push(nested);
                    }
                    at += 1;
                }
                if found.is_empty() {
                    break;
                }
                from_start = at;
                for script in &found {
                    starts.extend(program_starts(script));
                }
                scripts.extend(found);
                from = to;
                level += 1;
            }
            Some(Run {
                index,
                run,
                scripts,
                starts,
            })
        })
        .collect()
}

/// Where the program of each command of `script` starts (see
/// [`program_start`]).
fn program_starts(script: &[Command]) -> impl Iterator<Item = Option<usize>> + '_ {
    script.iter().map(|c| program_start(&c.words))
}

/// The commands of `sh -c "script"`, given the words from the program a
/// command finally runs (after wrappers), when the script's text maps one
/// to one onto the file (a quoted or bare word on one line).
fn nested_script(words: &[Word]) -> Option<Vec<Command>> {
    let program = words.first()?;
    if !bulwark_syntax::dockerfile::is_shell(&program.value) {
        return None;
    }
    let args = &words[1..];
    // `-c` alone or at the end of a cluster (`-ec`, `-xc`).
    let c = args.iter().position(|w| {
        w.value.starts_with('-') && !w.value.starts_with("--") && w.value.ends_with('c')
    })?;
    let script = args.get(c + 1)?;
    let raw = script.raw.as_str();
    let inner = if raw.len() == script.value.len() + 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''))
    {
        Some(1)
    } else if raw == script.value {
        Some(0)
    } else {
        None
    };
    let mut commands = bulwark_syntax::dockerfile::commands(&script.value);
    match inner {
        Some(inner) if script.span.end - script.span.start == raw.len() => {
            let offset = script.span.start + inner;
            for c in &mut commands {
                shift_command(c, offset);
            }
        }
        // Escapes or continuation lines: offsets in the value do not map
        // onto the file, so everything points at the whole script word.
        _ => {
            for c in &mut commands {
                pin_command(c, script.span);
            }
        }
    }
    Some(commands)
}

fn pin_command(c: &mut Command, span: Span) {
    c.span = span;
    for w in c.words.iter_mut().chain(c.assignments.iter_mut()) {
        w.span = span;
    }
    for r in &mut c.redirects {
        r.span = span;
        if let Some(t) = &mut r.target {
            t.span = span;
        }
    }
}

fn shift(span: &mut Span, by: usize) {
    span.start += by;
    span.end += by;
}

fn shift_command(c: &mut Command, by: usize) {
    shift(&mut c.span, by);
    for w in c.words.iter_mut().chain(c.assignments.iter_mut()) {
        shift(&mut w.span, by);
    }
    for r in &mut c.redirects {
        shift(&mut r.span, by);
        if let Some(t) = &mut r.target {
            shift(&mut t.span, by);
        }
    }
}
