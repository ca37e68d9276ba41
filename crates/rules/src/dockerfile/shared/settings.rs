//! The variables a Dockerfile sets: ENV and ARG pairs (expanded as the
//! build would) and assignments in RUN scripts.

use super::{Run, basename, is_assignment, program_positions};
use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Dockerfile, Word};

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
    pub name: String,
    /// Expanded when it could be (ENV, ARG); as written in a RUN. `None`
    /// for `ARG NAME` without a default.
    pub value: Option<String>,
    /// The name (ENV, ARG) or the whole assignment word (RUN).
    pub span: Span,
    pub kind: SettingKind,
}

/// Every variable the Dockerfile sets, in order: ENV and ARG pairs (values
/// expanded as the build would) and assignments in the `runs` scripts.
pub(crate) fn read_settings(df: &Dockerfile, runs: &[Run<'_>]) -> Vec<Setting> {
    let mut out = Vec::new();
    for (index, instruction) in df.instructions.iter().enumerate() {
        let (pairs, kind) = match &instruction.args {
            Args::Env(p) => (p, SettingKind::Env),
            Args::Arg(p) => (p, SettingKind::Arg),
            _ => continue,
        };
        for pair in pairs {
            let value = pair.value.as_ref().map(|v| {
                let e = df.expand_at(&v.raw, index);
                if e.error.is_none() {
                    e.value
                } else {
                    v.value.to_string()
                }
            });
            out.push(Setting {
                name: pair.key.value.to_string(),
                value,
                span: pair.key.span,
                kind,
            });
        }
    }
    for run in runs {
        for command in run.commands() {
            let mut words: Vec<&Word> = command.assignments.iter().collect();
            let positions = program_positions(&command.words);
            for (n, &p) in positions.iter().enumerate() {
                let name = basename(&command.words[p].value);
                let end = positions.get(n + 1).copied().unwrap_or(command.words.len());
                if matches!(
                    name,
                    "env" | "export" | "declare" | "typeset" | "readonly" | "sudo"
                ) {
                    words.extend(
                        command.words[p + 1..end]
                            .iter()
                            .filter(|w| is_assignment(&w.value)),
                    );
                }
            }
            for w in words {
                if let Some((name, value)) = w.value.split_once('=') {
                    out.push(Setting {
                        name: name.to_string(),
                        value: Some(value.to_string()),
                        span: w.span,
                        kind: SettingKind::Shell,
                    });
                }
            }
        }
    }
    out
}
