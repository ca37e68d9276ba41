//! What the shell actually runs for a RUN: the shell-form text, and the
//! heredoc bodies that are shell scripts.
//!
//! BuildKit runs `RUN <<EOF` (the heredoc alone) by giving the body to the
//! shell as the script, unless the body starts with a `#!` line naming
//! something else (then the file is executed as is). In any other form
//! (`RUN bash <<EOF`, `RUN python3 <<EOF`, `RUN cat <<EOF > f`) the shell
//! receives the line and the heredocs as one script, so a body is shell
//! code only when it is the standard input of a shell (`sh`, `bash`, …)
//! that has no `-c`.

use super::args::{Args, CommandLine};
use super::heredoc::Heredoc;
use super::shell::{self, Command};
use super::tree::Instruction;

impl Instruction {
    /// The commands the shell runs for this RUN (or ONBUILD RUN): the
    /// shell-form text (or the exec-form command) followed by the commands
    /// of each heredoc body that is a shell script. Empty for other
    /// instructions.
    pub fn shell_commands(&self) -> Vec<Command> {
        let run = self.onbuild_trigger().unwrap_or(self);
        let Args::Run(command) = &run.args else {
            return Vec::new();
        };
        let line_commands = command.commands();
        // Asked once: for a heredoc line it reads the markers again.
        let sole = sole_heredoc(command);
        let scripts = shell_scripts(command, sole, &line_commands, &run.heredocs);
        // `RUN <<EOF`: the shell never sees the line, only the body.
        let mut commands = if sole { Vec::new() } else { line_commands };
        for (heredoc, is_script) in run.heredocs.iter().zip(scripts) {
            if is_script {
                append(&mut commands, heredoc.commands());
            }
        }
        commands
    }

    /// Whether heredoc `index` of this RUN is a shell script (see the
    /// module documentation); `false` for other instructions.
    pub fn heredoc_runs_in_shell(&self, index: usize) -> bool {
        let run = self.onbuild_trigger().unwrap_or(self);
        let Args::Run(command) = &run.args else {
            return false;
        };
        let commands = command.commands();
        let scripts = shell_scripts(command, sole_heredoc(command), &commands, &run.heredocs);
        scripts.get(index).copied().unwrap_or(false)
    }
}

/// For each heredoc, whether its body is a shell script; `sole` is
/// whether the line is one heredoc marker alone (see [`sole_heredoc`]).
/// One pass over the line's redirections: the n-th `<<` belongs to the
/// n-th heredoc.
fn shell_scripts(
    line: &CommandLine,
    sole: bool,
    commands: &[Command],
    heredocs: &[Heredoc],
) -> Vec<bool> {
    if heredocs.is_empty() {
        return Vec::new();
    }
    if !matches!(line, CommandLine::Shell(_)) {
        return vec![false; heredocs.len()];
    }
    // `RUN <<EOF`: the body is the script, shebang permitting.
    if sole {
        return heredocs
            .iter()
            .enumerate()
            .map(|(i, h)| {
                i == 0
                    && match shebang_program(&h.body) {
                        Some(program) => shell::is_shell(program),
                        None => true,
                    }
            })
            .collect();
    }
    // Otherwise: the stdin of a shell without `-c`.
    let mut scripts: Vec<bool> = commands
        .iter()
        .flat_map(|command| {
            let shell = command.program().is_some_and(shell::is_shell) && !command.has_arg("-c");
            command
                .redirects
                .iter()
                .filter(|r| r.op == "<<" || r.op == "<<-")
                .map(move |_| shell)
        })
        .take(heredocs.len())
        .collect();
    scripts.resize(heredocs.len(), false);
    scripts
}

/// Whether a shell-form line is one heredoc marker and nothing else.
fn sole_heredoc(line: &CommandLine) -> bool {
    let CommandLine::Shell(shell) = line else {
        return false;
    };
    let text = shell.text.as_str();
    // Cheap tests first: a sole marker is one word (nearly every script
    // has an ASCII blank within its first few bytes, found by a byte loop
    // where a `char` search decodes), and a marker has `<`.
    let ascii_blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    if text.as_bytes().iter().any(ascii_blank)
        || memchr::memchr(b'<', text.as_bytes()).is_none()
        || text.contains(char::is_whitespace)
    {
        return false;
    }
    matches!(
        super::heredoc::markers(text).as_slice(),
        [only] if only.start == 0 && only.end == text.len()
    )
}

/// The program of a `#!` line: `python3` for `#!/usr/bin/env python3`.
fn shebang_program(body: &str) -> Option<&str> {
    let line = body.lines().next()?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if first.rsplit('/').next() == Some("env") {
        // Skip `env` options such as `-S`.
        return words.find(|w| !w.starts_with('-'));
    }
    Some(first)
}

/// Appends `more`, shifting its `pipe_to` indices.
fn append(commands: &mut Vec<Command>, more: Vec<Command>) {
    let offset = commands.len();
    commands.extend(more.into_iter().map(|mut c| {
        c.pipe_to = c.pipe_to.map(|i| i + offset);
        c
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs() {
        assert_eq!(
            shebang_program("#!/usr/bin/env python3\nprint(1)"),
            Some("python3")
        );
        assert_eq!(shebang_program("#!/usr/bin/env -S bash -e\n"), Some("bash"));
        assert_eq!(shebang_program("#!/bin/sh\n"), Some("/bin/sh"));
        assert_eq!(shebang_program("echo\n"), None);
    }
}
