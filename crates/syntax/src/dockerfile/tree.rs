//! The syntax tree: a [`Dockerfile`] holds directives, comments, every
//! instruction in order, the build stages and the diagnostics.
//!
//! Every node carries a byte [`Span`] into the parsed text (turn it into
//! line:column with [`LineIndex`](crate::LineIndex)). Text is owned, so the
//! tree outlives the input. Words keep both what was written (`raw`) and
//! the literal reading with quotes removed (`value`); variables stay
//! unexpanded until a rule asks (see [`Dockerfile::expand_at`]).
//!
//! Words, tokens and flags hold [`SmolStr`]s, not `String`s: nearly all
//! are short enough to live inline (no allocation), and a `value` equal to
//! its `raw` shares the same text. Allocation was over a third of parse
//! time when every word owned two `String`s.

use serde::Serialize;

use super::args::{Args, CommandLine};
use super::flags::Flag;
use super::heredoc::Heredoc;
use super::stages::Stage;
use crate::{Diagnostic, SmolStr, Span};

/// `text` as a [`SmolStr`]. Short text (nearly every word) is copied
/// inline by `new_inline`, which the compiler inlines as a byte loop;
/// `SmolStr::new` is an out-of-line call whose variable-length `memcpy`
/// cost more than the copy itself in profiles.
#[inline]
pub(crate) fn smol(text: &str) -> SmolStr {
    if text.len() <= SmolStr::INLINE_CAP {
        SmolStr::new_inline(text)
    } else {
        SmolStr::new(text)
    }
}

/// A parsed Dockerfile. [`parse`](super::parse) always returns one;
/// problems are in `diagnostics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`), in order.
    pub directives: Vec<Directive>,
    /// The escape character in effect: `\` or `` ` ``.
    pub escape: char,
    /// Every instruction, in order.
    pub instructions: Vec<Instruction>,
    /// Every comment (directives excluded, comments inside continuations
    /// included, heredoc bodies never), in order.
    pub comments: Vec<Comment>,
    /// The build stages, one per FROM.
    pub stages: Vec<Stage>,
    /// What BuildKit would reject or warn about, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Dockerfile {
    /// The directive `name` (lowercase), if present.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The instructions of the kind given, with their indices.
    pub fn instructions_of(&self, kind: Kind) -> impl Iterator<Item = (usize, &Instruction)> {
        self.instructions
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.kind == kind)
    }

    /// The comments on the lines right above the instruction at `index`
    /// (a run of comment lines with nothing else in between), for
    /// suppressions like `# bulwark:ignore=ID reason`.
    pub fn comments_before(&self, text: &str, index: usize) -> &[Comment] {
        let Some(instruction) = self.instructions.get(index) else {
            return &[];
        };
        let end = self
            .comments
            .partition_point(|c| c.span.start < instruction.span.start);
        let mut start = end;
        let mut next = instruction.span.start;
        while start > 0 {
            let comment = &self.comments[start - 1];
            let between = text.get(comment.span.end..next).unwrap_or("x");
            // Only the line break (and indentation) may separate them.
            if between.chars().filter(|&c| c == '\n').count() != 1
                || !between.chars().all(char::is_whitespace)
            {
                break;
            }
            start -= 1;
            next = comment.span.start;
        }
        &self.comments[start..end]
    }
}

/// A parser directive: `# escape=\``.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// `syntax`, `escape` or `check`, lowercased.
    pub name: String,
    pub value: String,
    /// The whole line from `#`.
    pub span: Span,
    pub name_span: Span,
    pub value_span: Span,
}

/// A comment line: `# bulwark:ignore=D2 reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// From `#` to the last non-blank character.
    pub span: Span,
}

/// A piece of text taken as is: a keyword, `AS`, `NONE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    pub text: SmolStr,
    pub span: Span,
}

/// An argument word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// As written (continuation lines joined).
    pub raw: SmolStr,
    /// Read literally: quotes removed, escapes resolved, `$VAR` kept (for
    /// JSON strings, the decoded string).
    pub value: SmolStr,
    pub span: Span,
}

/// The instruction keywords, case-insensitive in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Not an instruction BuildKit knows (a diagnostic says so).
    Unknown,
}

impl Kind {
    /// Every known instruction.
    pub const ALL: [Kind; 18] = [
        Kind::Add,
        Kind::Arg,
        Kind::Cmd,
        Kind::Copy,
        Kind::Entrypoint,
        Kind::Env,
        Kind::Expose,
        Kind::From,
        Kind::Healthcheck,
        Kind::Label,
        Kind::Maintainer,
        Kind::Onbuild,
        Kind::Run,
        Kind::Shell,
        Kind::Stopsignal,
        Kind::User,
        Kind::Volume,
        Kind::Workdir,
    ];

    /// The kind a keyword names, in any case.
    pub fn from_keyword(keyword: &str) -> Kind {
        // Keywords are nearly always written in upper case: try the bytes
        // as they are first (a length switch and one compare), and only
        // upper-case them into a buffer when that fails. Only ASCII
        // letters change case, as with `eq_ignore_ascii_case`.
        let bytes = keyword.as_bytes();
        if let Some(kind) = Kind::from_upper(bytes) {
            return kind;
        }
        let mut upper = [0u8; 11];
        let Some(buf) = upper.get_mut(..bytes.len()) else {
            return Kind::Unknown;
        };
        for (u, b) in buf.iter_mut().zip(bytes) {
            *u = b.to_ascii_uppercase();
        }
        Kind::from_upper(buf).unwrap_or(Kind::Unknown)
    }

    /// The kind an upper-case keyword names. Inline: the parser asks once
    /// per instruction, and the call cost a third of the answer.
    #[inline]
    pub(crate) fn from_upper(keyword: &[u8]) -> Option<Kind> {
        Some(match keyword {
            b"ADD" => Kind::Add,
            b"ARG" => Kind::Arg,
            b"CMD" => Kind::Cmd,
            b"COPY" => Kind::Copy,
            b"ENTRYPOINT" => Kind::Entrypoint,
            b"ENV" => Kind::Env,
            b"EXPOSE" => Kind::Expose,
            b"FROM" => Kind::From,
            b"HEALTHCHECK" => Kind::Healthcheck,
            b"LABEL" => Kind::Label,
            b"MAINTAINER" => Kind::Maintainer,
            b"ONBUILD" => Kind::Onbuild,
            b"RUN" => Kind::Run,
            b"SHELL" => Kind::Shell,
            b"STOPSIGNAL" => Kind::Stopsignal,
            b"USER" => Kind::User,
            b"VOLUME" => Kind::Volume,
            b"WORKDIR" => Kind::Workdir,
            _ => return None,
        })
    }

    /// The keyword in upper case (`"UNKNOWN"` for [`Kind::Unknown`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Add => "ADD",
            Kind::Arg => "ARG",
            Kind::Cmd => "CMD",
            Kind::Copy => "COPY",
            Kind::Entrypoint => "ENTRYPOINT",
            Kind::Env => "ENV",
            Kind::Expose => "EXPOSE",
            Kind::From => "FROM",
            Kind::Healthcheck => "HEALTHCHECK",
            Kind::Label => "LABEL",
            Kind::Maintainer => "MAINTAINER",
            Kind::Onbuild => "ONBUILD",
            Kind::Run => "RUN",
            Kind::Shell => "SHELL",
            Kind::Stopsignal => "STOPSIGNAL",
            Kind::User => "USER",
            Kind::Volume => "VOLUME",
            Kind::Workdir => "WORKDIR",
            Kind::Unknown => "UNKNOWN",
        }
    }

    /// Whether the instruction may carry heredocs (RUN, COPY, ADD).
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Kind::Run | Kind::Copy | Kind::Add)
    }
}

/// One instruction, continuation lines and heredoc bodies included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    pub kind: Kind,
    /// The keyword as written (`run`, `Run`, `RUN`).
    pub keyword: Token,
    /// From the keyword to the end of its last line or heredoc terminator.
    pub span: Span,
    /// Flags in order, as written.
    pub flags: Vec<Flag>,
    /// The arguments, read as this instruction reads them.
    pub args: Args,
    /// Heredocs in the order of their bodies (RUN, COPY and ADD; for
    /// `ONBUILD RUN <<EOF` they belong to the inner instruction).
    pub heredocs: Vec<Heredoc>,
    /// Blank lines inside the continuation (deprecated by BuildKit: the
    /// NoEmptyContinuation check).
    pub empty_continuation_lines: Vec<Span>,
}

impl Instruction {
    /// The first flag named `name` (without `--`).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Every flag named `name`, in order (`--mount` may repeat).
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The command of RUN, CMD, ENTRYPOINT, SHELL or HEALTHCHECK CMD.
    pub fn command_line(&self) -> Option<&CommandLine> {
        match &self.args {
            Args::Run(c) | Args::Cmd(c) | Args::Entrypoint(c) | Args::Shell(c) => Some(c),
            Args::Healthcheck(h) => h.command.as_ref(),
            _ => None,
        }
    }

    /// The instruction ONBUILD wraps.
    pub fn onbuild_trigger(&self) -> Option<&Instruction> {
        match &self.args {
            Args::Onbuild(inner) => inner.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_as_a_case_insensitive_scan_would() {
        let scan = |keyword: &str| {
            Kind::ALL
                .into_iter()
                .find(|k| k.as_str().eq_ignore_ascii_case(keyword))
                .unwrap_or(Kind::Unknown)
        };
        let mut words: Vec<String> = Vec::new();
        for k in Kind::ALL {
            let s = k.as_str();
            words.push(s.to_owned());
            words.push(s.to_ascii_lowercase());
            words.push(format!("{}{}", &s[..1], s[1..].to_ascii_lowercase()));
            words.push(format!("{s}X"));
            words.push(s[1..].to_owned());
        }
        words.extend(
            [
                "",
                "R",
                "RUNN",
                "HEALTHCHECKS",
                "ſHELL",
                "ＲＵＮ",
                "RUN\u{0}",
                "UNKNOWN",
            ]
            .map(str::to_owned),
        );
        for w in &words {
            assert_eq!(Kind::from_keyword(w), scan(w), "{w:?}");
        }
    }
}
