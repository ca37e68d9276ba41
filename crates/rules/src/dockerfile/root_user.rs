//! DKF002 `root-user`.

use super::{concat, final_user, user_span, user_text};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::user::is_root_user;
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether the last `USER` in effect in the final stage names root,
    /// in any spelling: `root`, `0`, `0:0`, `root:root`, `0:1000`, and
    /// values that resolve to one through `ARG` or `ENV` (`USER ${UID}`
    /// with `ARG UID=0`). The USER may be in the final stage or in an
    /// earlier stage it is built on (`FROM base`). Only the final stage
    /// matters: a build stage may run as root, and an earlier `USER root`
    /// followed by `USER app` passes. A value whose variable has no known
    /// default is not judged.
    ///
    /// ## Why it matters
    /// A container whose process runs as UID 0 is root inside, with every
    /// file writable, and one kernel or runtime bug away from root on the
    /// host. `USER 0` is as much root as `USER root`; some linters check
    /// only the name.
    ///
    /// ## How to fix
    /// End the final stage with an unprivileged numeric user: `USER 10001`
    /// (or `USER 10001:10001`). Switch to root only for the steps that need
    /// it, and back afterwards.
    ///
    /// ## Examples
    /// Fails: `USER root`, `USER 0:0`, `ARG UID=0` then `USER ${UID}`.
    /// Passes: `USER root`, `RUN apt-get …`, `USER 10001`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.1
    /// - hadolint DL3002, Trivy DS-0002, KICS "Last User Is 'root'", Checkov CKV_DOCKER_8
    /// - <https://docs.docker.com/reference/dockerfile/#user>
    pub RootUser {
        id: "DKF002",
        name: "root-user",
        severity: High,
        target: Dockerfile,
        summary: "The final stage's last USER is root",
    }
}

impl Check for RootUser {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            let Some((user, value)) = final_user(ctx, src) else {
                continue;
            };
            if !is_root_user(&value) {
                continue;
            }
            let written = user_text(user);
            // A common finding (`USER root`): see `concat`.
            let message = if written == value {
                concat(&[
                    "The final stage runs as root: its last USER is `",
                    &written,
                    "`.",
                ])
            } else {
                concat(&[
                    "The final stage runs as root: its last USER `",
                    &written,
                    "` resolves to `",
                    &value,
                    "`.",
                ])
            };
            out.push(
                subject(src),
                Verdict::fail(message).at(location(src, user_span(user))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&RootUser, text)
    }

    #[test]
    fn every_spelling_of_root_fails_at_the_value() {
        for user in ["root", "0", "0:0", "root:root", "0:1000", "ROOT:x"] {
            let f = lint(&format!("FROM a:1\nUSER {user}\n"));
            if user == "ROOT:x" {
                // User names are case-sensitive: ROOT is not root.
                assert!(f.is_empty());
                continue;
            }
            assert_eq!(positions(&f), [(2, 6)], "{user}");
        }
    }

    #[test]
    fn variables_are_resolved() {
        assert_eq!(lint("FROM a:1\nARG UID=0\nUSER ${UID}\n").len(), 1);
        assert_eq!(lint("FROM a:1\nENV U=root\nUSER $U:$U\n").len(), 1);
        assert_eq!(lint("ARG UID=0\nFROM a:1\nARG UID\nUSER ${UID}\n").len(), 1);
        assert!(lint("FROM a:1\nARG UID=1000\nUSER ${UID}\n").is_empty());
        // No known value: not judged.
        assert!(lint("FROM a:1\nARG UID\nUSER ${UID}\n").is_empty());
    }

    #[test]
    fn a_colon_inside_a_default_is_not_the_group_separator() {
        assert_eq!(
            lint("FROM a:1\nARG UID=0\nUSER ${UID:-1000}:${GID:-0}\n").len(),
            1
        );
        assert!(lint("FROM a:1\nARG UID=7\nUSER ${UID:-0}:0\n").is_empty());
    }

    #[test]
    fn only_the_last_user_of_the_final_stage_counts() {
        assert!(lint("FROM a:1\nUSER root\nRUN x\nUSER app\n").is_empty());
        assert!(lint("FROM a:1 AS build\nUSER root\nFROM b:1\nUSER 1000\n").is_empty());
        assert_eq!(
            lint("FROM a:1 AS build\nUSER 1000\nFROM b:1\nUSER 0\n").len(),
            1
        );
        assert!(lint("FROM a:1\nUSER 1000:0\n").is_empty());
    }

    #[test]
    fn the_user_of_a_parent_stage_is_inherited() {
        let f = lint("FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n");
        assert_eq!(positions(&f), [(2, 6)]);
        assert!(lint("FROM a:1 AS base\nUSER root\nFROM base\nUSER app\n").is_empty());
    }

    #[test]
    fn strings_comments_and_onbuild_do_not_count() {
        assert!(lint("FROM a:1\n# USER root\nRUN echo 'USER root'\nUSER app\n").is_empty());
        assert!(lint("FROM a:1\nUSER app\nONBUILD USER root\n").is_empty());
    }

    #[test]
    fn a_suppression_with_a_reason_silences_it() {
        assert!(lint("FROM a:1\n# bulwark:ignore=DKF002 the entrypoint drops to uid 1000 with gosu\nUSER root\n").is_empty());
        assert!(lint("FROM a:1\n# bulwark:ignore=root-user init needs it\nUSER 0\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a:1 AS build\nUSER 0\nFROM b:1\nARG UID=0\nUSER ${UID}:${UID}\n"
        )));
    }
}
