//! DKF003 `non-numeric-user`.

use super::{concat, final_user};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::user::is_root_user;
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether the last `USER` in effect in the final stage names the user
    /// by name (`USER app`) rather than by numeric UID (`USER 10001`),
    /// variables resolved. The group part is not judged. `root` is left to
    /// DKF002, and a value whose variable has no known default is not
    /// judged.
    ///
    /// ## Why it matters
    /// A name is resolved through the image's `/etc/passwd` when the
    /// container starts: the runtime cannot tell beforehand whether it is
    /// root, so Kubernetes' `runAsNonRoot` rejects the pod, and an image
    /// whose passwd maps the name to UID 0 runs as root unnoticed. A
    /// numeric UID means the same thing everywhere.
    ///
    /// ## How to fix
    /// Create the user with a fixed UID and use the number:
    /// `RUN useradd --uid 10001 app` then `USER 10001` (or `10001:10001`).
    ///
    /// ## Examples
    /// Fails: `USER app`, `USER nobody:nogroup`.
    /// Passes: `USER 10001`, `USER 65534:65534`.
    ///
    /// ## References
    /// - hadolint DL3066
    /// - <https://kubernetes.io/docs/concepts/security/pod-security-standards/>
    pub NonNumericUser {
        id: "DKF003",
        name: "non-numeric-user",
        severity: Low,
        target: Dockerfile,
        summary: "The final USER is a name, not a numeric UID",
    }
}

impl Check for NonNumericUser {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            let Some((user, value)) = final_user(ctx, src) else {
                continue;
            };
            let name = value.split(':').next().unwrap_or("");
            if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) || is_root_user(&value) {
                continue;
            }
            out.push(
                subject(src),
                Verdict::fail(concat(&[
                    "The final USER `",
                    name,
                    "` is a name, not a numeric UID: the runtime cannot verify it is not root before the container starts.",
                ]))
                .at(location(src, user.user.span)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&NonNumericUser, text)
    }

    #[test]
    fn names_fail_numbers_pass() {
        assert_eq!(positions(&lint("FROM a:1\nUSER app\n")), [(2, 6)]);
        assert_eq!(lint("FROM a:1\nUSER nobody:nogroup\n").len(), 1);
        assert!(lint("FROM a:1\nUSER 10001\n").is_empty());
        assert!(lint("FROM a:1\nUSER 10001:app\n").is_empty());
    }

    #[test]
    fn root_is_left_to_dkf002() {
        assert!(lint("FROM a:1\nUSER root\n").is_empty());
        assert!(lint("FROM a:1\nUSER 0\n").is_empty());
    }

    #[test]
    fn variables_are_resolved_and_unknowns_skipped() {
        assert!(lint("FROM a:1\nARG UID=1000\nUSER ${UID}\n").is_empty());
        assert_eq!(lint("FROM a:1\nARG U=app\nUSER ${U}\n").len(), 1);
        assert!(lint("FROM a:1\nARG U\nUSER ${U}\n").is_empty());
    }

    #[test]
    fn only_the_final_stage_counts() {
        assert!(lint("FROM a:1 AS b\nUSER app\nFROM c:1\nUSER 1000\n").is_empty());
        assert!(lint("FROM a:1\nUSER app\nUSER 1000\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint("FROM a:1\nUSER app:app\n")));
    }
}
