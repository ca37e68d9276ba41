//! A hand-written Dockerfile parser with BuildKit semantics.
//!
//! [`parse`] turns any text into a [`Dockerfile`]: directives, comments,
//! every instruction with its flags and typed arguments, heredocs, build
//! stages, and diagnostics for what BuildKit would reject. It never fails
//! and never panics; after an error it resumes at the next instruction.
//! Every node has a byte [`Span`](crate::Span); turn spans into line:column
//! with [`LineIndex`](crate::LineIndex).
//!
//! On top of the tree, rules get:
//! - [`substitute`] and [`Dockerfile::expand_at`] to resolve `${VAR}` the
//!   way BuildKit would (global ARGs in FROM, per-stage ARG and ENV);
//! - [`commands`], [`ShellForm::commands`] and
//!   [`Instruction::shell_commands`] to see the commands a RUN runs,
//!   heredoc scripts included;
//! - [`ImageRef`] for base images and [`Mount`] for `RUN --mount`.
//!
//! ```
//! use bulwark_syntax::LineIndex;
//! use bulwark_syntax::dockerfile::{Args, parse};
//!
//! let text = "ARG BASE=alpine:3.19\nFROM ${BASE} AS app\nUSER root\nRUN curl -fsSL https://x | sh\n";
//! let df = parse(text);
//! assert!(df.diagnostics.is_empty());
//!
//! // FROM resolved with the global ARG, as BuildKit would.
//! let base = df.stages[0].base_image().unwrap();
//! assert_eq!(base.tag.as_deref(), Some("3.19"));
//!
//! // USER root, at line 3, column 6.
//! let user = &df.instructions[2];
//! let Args::User(Some(u)) = &user.args else { unreachable!() };
//! let at = LineIndex::new(text).position(text, u.user.span.start);
//! assert_eq!((u.user.value.as_str(), at.line, at.column), ("root", 3, 6));
//!
//! // curl piped into sh.
//! let cmds = df.instructions[3].shell_commands();
//! assert!(cmds.iter().any(|c| c.name() == Some("curl")
//!     && c.pipe_to.and_then(|i| cmds[i].program()) == Some("sh")));
//! ```
//!
//! How the work is split:
//! - `parser`: line by line, directives, comments, continuations, heredoc
//!   bodies;
//! - `source`: logical lines mapped back to file offsets;
//! - `instruction`: keyword, flags and arguments of one instruction;
//! - `flags`, `json`, `words`, `heredoc`, `directives`: the pieces BuildKit
//!   parses separately;
//! - `stages`: stages, scopes and `COPY --from`;
//! - `expand`, `shell`, `scripts`, `image`: helpers for rules.

mod args;
mod directives;
mod expand;
mod flags;
mod heredoc;
mod image;
mod instruction;
mod invariants;
mod json;
mod parser;
mod scripts;
mod shell;
mod source;
mod stages;
mod tree;
mod words;

#[cfg(test)]
mod tests;

pub use args::{
    Args, CommandLine, CopyArgs, CopySource, ExecForm, FromArgs, HealthcheckArgs, KeyValue,
    PathList, Port, ShellForm, UserArgs, parse_duration,
};
pub use directives::CheckDirective;
pub use expand::{Expansion, Lookup, Vars, lone_variable, substitute, substitute_with_escape};
pub use flags::{Flag, Mount};
pub use heredoc::Heredoc;
pub use image::ImageRef;
pub use invariants::verify;
pub use parser::parse;
pub(crate) use parser::parse_indexed;
pub use shell::{Command, Redirect, Separator, basename, commands, is_assignment, is_shell};
pub use stages::{CopyFrom, Stage};
pub use tree::{Comment, Directive, Dockerfile, Instruction, Kind, Token, Word};

impl Dockerfile {
    /// The frontend image the `# syntax=` directive selects: its value up
    /// to the first space, as BuildKit reads it (the rest are frontend
    /// arguments; the whole value is in [`Dockerfile::directive`]).
    pub fn syntax(&self) -> Option<&str> {
        let value = self.directive("syntax")?.value.as_str();
        value.split(' ').next().filter(|image| !image.is_empty())
    }

    /// The `# check=` directive, read.
    pub fn check(&self) -> Option<CheckDirective> {
        self.directive("check")
            .map(|d| CheckDirective::parse(&d.value))
    }
}
