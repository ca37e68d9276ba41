//! LNT001 `parse-error`.

use bulwark_syntax::Tree;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether each Dockerfile and compose file parses: an unknown
    /// instruction, a heredoc never closed, `FROM` with the wrong number of
    /// arguments, invalid YAML, a value of the wrong type
    /// (`privileged: "maybe"`), a file too large or nested too deep. Each
    /// problem is reported at its line and column, with what was expected
    /// there; the parser resumes after it, so the rest of the file is
    /// still checked. Status `error`: the file could not be checked whole.
    ///
    /// ## Why it matters
    /// A file bulwark cannot read is a file whose problems it cannot see;
    /// a Dockerfile BuildKit rejects does not build, and a compose value of
    /// the wrong type may be ignored or misread by the tool that deploys
    /// it.
    ///
    /// ## How to fix
    /// Correct the file at the position given. `docker build --check` and
    /// `docker compose config` report the same problems.
    ///
    /// ## Examples
    /// Fails: `RUNN apt-get update` (unknown instruction), `RUN <<EOF`
    /// without a closing `EOF`, `privileged: [true]`.
    /// Passes: a file BuildKit and compose accept.
    ///
    /// ## References
    /// - <https://docs.docker.com/reference/dockerfile/>
    /// - <https://docs.docker.com/reference/compose-file/>
    pub ParseError {
        id: "LNT001",
        name: "parse-error",
        severity: Medium,
        target: Lint,
        summary: "A Dockerfile or compose file does not parse",
    }
}

impl Check for ParseError {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for src in ctx.sources {
            let diagnostics = match &src.tree {
                Tree::Dockerfile(d) => &d.diagnostics,
                Tree::Compose(c) => &c.diagnostics,
            };
            for d in diagnostics {
                let message = match &d.expected {
                    Some(expected) => format!("{}; expected {expected}.", d.message),
                    None => format!("{}.", d.message),
                };
                out.push(
                    subject(src),
                    Verdict::error("parse-error", message).at(location(src, d.span)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn parse_problems_are_errors_at_their_position() {
        let df = Source::parse(
            "Dockerfile",
            SourceKind::Dockerfile,
            "FROM a\nRUNN x\nUSER app\n".into(),
        );
        let f = lint(&ParseError, vec![df]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Error);
        let loc = f[0].location.clone().unwrap();
        assert_eq!((loc.start_line, loc.start_column), (2, 1));
        assert!(
            f[0].message.contains("expected an instruction"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_clean_file_gives_nothing() {
        let df = Source::parse(
            "Dockerfile",
            SourceKind::Dockerfile,
            "FROM a\nUSER app\n".into(),
        );
        let c = Source::parse(
            "compose.yml",
            SourceKind::Compose,
            "services:\n  web:\n    image: a\n".into(),
        );
        assert!(lint(&ParseError, vec![df, c]).is_empty());
    }

    #[test]
    fn compose_type_errors_are_reported() {
        let c = Source::parse(
            "compose.yml",
            SourceKind::Compose,
            "services:\n  web:\n    privileged: [true]\n".into(),
        );
        let f = lint(&ParseError, vec![c]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.clone().unwrap().start_line, 3);
    }
}
