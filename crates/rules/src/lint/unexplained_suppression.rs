//! LNT002 `unexplained-suppression`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject, suppressions};

declare_rule! {
    /// ## What it checks
    /// Every suppression comment, `# bulwark:ignore=ID reason` (or
    /// `ignore-file=`), in Dockerfiles and compose files: it must say why.
    /// A suppression without a reason still silences what it names, and is
    /// reported here at the comment.
    ///
    /// ## Why it matters
    /// A silenced finding is a decision someone took; without the reason,
    /// the next reviewer cannot tell an accepted risk from a way around the
    /// check, and the suppression outlives the reason it had.
    ///
    /// ## How to fix
    /// Add the reason after the ids:
    /// `# bulwark:ignore=DKF002 the init script drops to uid 1000`.
    ///
    /// ## Examples
    /// Fails: `# bulwark:ignore=DKF002`.
    /// Passes: `# bulwark:ignore=DKF002 gosu drops privileges in entrypoint.sh`.
    ///
    /// ## References
    /// - bulwark docs: docs/lint.md, "Suppressions"
    pub UnexplainedSuppression {
        id: "LNT002",
        name: "unexplained-suppression",
        severity: Medium,
        target: Lint,
        summary: "A suppression comment gives no reason",
    }
}

impl Check for UnexplainedSuppression {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for src in ctx.sources {
            for s in suppressions(src)
                .into_iter()
                .filter(|s| s.reason.is_empty())
            {
                out.push(
                    subject(src),
                    Verdict::fail(format!(
                        "The suppression of {} gives no reason.",
                        s.rules.join(", ")
                    ))
                    .at(location(src, s.span)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::testing::*;

    #[test]
    fn reasonless_suppressions_are_reported_where_they_are() {
        let df = Source::parse(
            "Dockerfile",
            SourceKind::Dockerfile,
            "FROM a\n# bulwark:ignore=DKF002\nUSER root\n# bulwark:ignore=DKF002 init drops privileges\nUSER root\n".into(),
        );
        let f = lint(&UnexplainedSuppression, vec![df]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.clone().unwrap().start_line, 2);
    }
}
