//! The variables a Dockerfile sets: ENV and ARG pairs (expanded as the
//! build would) and assignments in RUN scripts.

use std::sync::OnceLock;

use super::{Run, basename, is_assignment, program_positions};
use bulwark_syntax::dockerfile::{Args, Command, Dockerfile, Instruction, KeyValue, Word};
use bulwark_syntax::{SmolStr, Span};

/// Where a variable is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettingKind {
    /// `ENV NAME=value`: in the image and every later RUN.
    Env,
    /// `ARG NAME[=default]`: in every later RUN of the stage.
    Arg,
    /// `NAME=value cmd`, `export NAME=value`, `env NAME=value cmd` in a RUN.
    Shell,
}

/// A variable set by the Dockerfile.
#[derive(Clone)]
pub(crate) struct Setting {
    pub name: SmolStr,
    /// Where the ENV or ARG value word is: the instruction's index and the
    /// pair's among its pairs, to expand on demand (the rules want the
    /// values of a few names only, and expanding a value that reads a
    /// variable walks the stage). An index, not a copy of the word:
    /// every file sets a few variables, and most are never asked for.
    word: Option<(usize, usize)>,
    /// The value, once worked out (at once for a RUN assignment).
    value: OnceLock<Option<String>>,
    /// The name (ENV, ARG) or the whole assignment word (RUN).
    pub span: Span,
    pub kind: SettingKind,
}

impl Setting {
    /// The value: expanded when it could be (ENV, ARG); as written in a
    /// RUN. `None` for `ARG NAME` without a default. `df` is the file
    /// the setting was read from.
    pub fn value(&self, df: &Dockerfile) -> Option<&str> {
        self.value
            .get_or_init(|| {
                let (index, n) = self.word?;
                let (Args::Env(pairs) | Args::Arg(pairs)) = &df.instructions.get(index)?.args
                else {
                    return None;
                };
                let v = pairs.get(n)?.value.as_ref()?;
                let e = df.expand_at(&v.raw, index);
                Some(if e.error.is_none() {
                    e.value
                } else {
                    v.value.to_string()
                })
            })
            .as_deref()
    }
}

/// The programs whose assignment operands set a variable
/// (`export A=1`, `env A=1 cmd`, `sudo A=1 cmd`).
fn sets_variables(name: &str) -> bool {
    matches!(
        name,
        "env" | "export" | "declare" | "typeset" | "readonly" | "sudo"
    )
}

/// [`sets_variables`] of the basename of `program`, asked of every
/// command: only the last nine bytes are read (a `/` and the longest
/// name, `readonly`), not the whole word as `basename` reads it.
fn may_set_variables(program: &str) -> bool {
    let bytes = program.as_bytes();
    let tail = bytes.len().saturating_sub(9);
    match bytes[tail..].iter().rposition(|&b| b == b'/') {
        // `/` is ASCII: the name after it starts at a char boundary.
        Some(slash) => sets_variables(&program[tail + slash + 1..]),
        // No `/` in the tail: the basename is the whole word when it is
        // that short, else longer than any name.
        None => tail == 0 && sets_variables(program),
    }
}

/// The pairs of an ENV or ARG, and which it is.
fn pairs(instruction: &Instruction) -> Option<(&[KeyValue], SettingKind)> {
    match &instruction.args {
        Args::Env(p) => Some((p, SettingKind::Env)),
        Args::Arg(p) => Some((p, SettingKind::Arg)),
        _ => None,
    }
}

/// Every variable the Dockerfile sets, in order: ENV and ARG pairs (values
/// expanded as the build would) and assignments in the `runs` scripts.
pub(crate) fn read_settings(df: &Dockerfile, runs: &[Run<'_>]) -> Vec<Setting> {
    // Room for the few variables most files set at once: a setting is
    // large, and growing the list from nothing copies it twice.
    let mut out = Vec::with_capacity(8);
    for (index, instruction) in df.instructions.iter().enumerate() {
        let Some((pairs, kind)) = pairs(instruction) else {
            continue;
        };
        for (n, pair) in pairs.iter().enumerate() {
            out.push(Setting {
                name: pair.key.value.clone(),
                word: pair.value.as_ref().map(|_| (index, n)),
                value: OnceLock::new(),
                span: pair.key.span,
                kind,
            });
        }
    }
    for run in runs {
        for (command, program) in run.programs() {
            // A command without assignments before it, without a wrapper
            // and whose program sets nothing (most of them) sets nothing:
            // its only program is its first word.
            let wrapped = !program.is_empty() && program.len() < command.words.len();
            if command.assignments.is_empty()
                && !wrapped
                && !program.first().is_some_and(|w| may_set_variables(&w.value))
            {
                continue;
            }
            for w in assignment_words(command) {
                if let Some((name, value)) = w.value.split_once('=') {
                    out.push(Setting {
                        name: SmolStr::new(name),
                        word: None,
                        value: OnceLock::from(Some(value.to_string())),
                        span: w.span,
                        kind: SettingKind::Shell,
                    });
                }
            }
        }
    }
    out
}

/// The `NAME=value` words of a command: its leading assignments, and the
/// operands of each program in it that sets variables (`export`, `env`,
/// `declare`, …).
fn assignment_words(command: &Command) -> Vec<&Word> {
    let mut words: Vec<&Word> = command.assignments.iter().collect();
    let positions = program_positions(&command.words);
    for (n, &p) in positions.iter().enumerate() {
        let name = basename(&command.words[p].value);
        let end = positions.get(n + 1).copied().unwrap_or(command.words.len());
        if sets_variables(name) {
            words.extend(
                command.words[p + 1..end]
                    .iter()
                    .filter(|w| is_assignment(&w.value)),
            );
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::parse;
    use proptest::prelude::*;

    use super::*;
    use crate::dockerfile::read_runs;

    /// The settings of RUN scripts read from every command, as
    /// `(name, value, span)`.
    fn shell_settings_of_every_command(runs: &[Run<'_>]) -> Vec<(String, String, Span)> {
        let mut out = Vec::new();
        for run in runs {
            for command in run.commands() {
                for w in assignment_words(command) {
                    if let Some((name, value)) = w.value.split_once('=') {
                        out.push((name.to_string(), value.to_string(), w.span));
                    }
                }
            }
        }
        out
    }

    const PIECES: &[&str] = &[
        "sudo",
        "sudo -u root",
        "doas",
        "env",
        "env -u X",
        "export",
        "declare -x",
        "readonly",
        "typeset",
        "nice -n 5",
        "command",
        "command -v",
        "time",
        "xargs",
        "A=1",
        "B=$X",
        "PATH=/x:$PATH",
        "apt-get install",
        "x",
        "&&",
        "|",
        ";",
        "-y",
        "C=",
        "/usr/bin/env",
    ];

    proptest! {
        #[test]
        fn programs_setting_variables_are_found_from_the_tail(
            dirs in "(/?[a-z]{0,6}/){0,3}",
            name in "(env|export|declare|typeset|readonly|sudo|senv|xreadonly|[a-z/]{0,9})",
        ) {
            let program = format!("{dirs}{name}");
            prop_assert_eq!(may_set_variables(&program), sets_variables(basename(&program)));
        }
    }

    proptest! {
        #[test]
        fn skipping_commands_that_set_nothing_reads_the_same_settings(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 1..10),
        ) {
            let text = format!("FROM a\nENV E=1 F=$E\nARG G\nRUN {}\n", pieces.join(" "));
            let df = parse(&text);
            let runs = read_runs(&df);
            let read: Vec<(String, String, Span)> = read_settings(&df, &runs)
                .iter()
                .filter(|s| s.kind == SettingKind::Shell)
                .map(|s| (s.name.to_string(), s.value(&df).unwrap_or_default().to_string(), s.span))
                .collect();
            prop_assert_eq!(read, shell_settings_of_every_command(&runs), "{}", text);
        }
    }

    #[test]
    fn env_and_arg_values_are_expanded_on_demand() {
        let df = parse("ARG V=1\nFROM a\nARG V\nENV A=$V B=\"x y\" C=${NOPE}\nARG D\n");
        let settings = read_settings(&df, &[]);
        let values: Vec<(&str, Option<&str>)> = settings
            .iter()
            .map(|s| (s.name.as_str(), s.value(&df)))
            .collect();
        assert_eq!(
            values,
            [
                ("V", Some("1")),
                ("V", None),
                ("A", Some("1")),
                ("B", Some("x y")),
                ("C", Some("")),
                ("D", None)
            ]
        );
    }
}
