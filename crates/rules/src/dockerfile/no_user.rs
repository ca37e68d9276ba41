//! DKF001 `no-user`.

use bulwark_syntax::dockerfile::Args;

use super::{LastUser, last_user};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether the final stage of a Dockerfile (the image `docker build`
    /// produces by default) sets a user: a `USER` instruction in that stage
    /// or in an earlier stage it is built on (`FROM build AS final`). The
    /// finding points at the final stage's base image. It is not reported
    /// when the final stage is built on a base tagged `nonroot` (the
    /// distroless convention for images that set a non-root user), nor when
    /// the stage holds an instruction the parser did not recognise (it may
    /// be a misspelt `USER`; LNT001 reports it). Which user is set is
    /// DKF002's and DKF003's concern.
    ///
    /// ## Why it matters
    /// Without `USER` the container runs as the base image's user, which is
    /// root for nearly every base image. A process running as root in a
    /// container is one kernel or runtime bug away from root on the host,
    /// and can write anywhere in the container's filesystem.
    ///
    /// ## How to fix
    /// Create an unprivileged user and switch to it at the end of the final
    /// stage, by numeric UID so the runtime can verify it is not root:
    /// `RUN useradd --uid 10001 app` then `USER 10001`.
    ///
    /// ## Examples
    /// Fails: `FROM debian:12` then `CMD ["app"]`.
    /// Passes: `FROM debian:12`, `RUN useradd -u 10001 app`, `USER 10001`;
    /// `FROM gcr.io/distroless/static:nonroot`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.1
    /// - Trivy DS-0002, KICS "Missing User Instruction", Checkov CKV_DOCKER_3
    /// - <https://docs.docker.com/reference/dockerfile/#user>
    pub NoUser {
        id: "DKF001",
        name: "no-user",
        severity: High,
        target: Dockerfile,
        summary: "The final stage sets no USER and runs as root",
    }
}

impl Check for NoUser {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, df) in ctx.dockerfiles() {
            let Some(stage) = df.stages.last() else {
                continue;
            };
            if !matches!(last_user(df, stage), LastUser::Unset) {
                continue;
            }
            // The root of the chain is an image; `:nonroot` images set
            // their own user.
            let root = super::stage_chain(df, stage)
                .last()
                .copied()
                .unwrap_or(stage);
            if root
                .base_image()
                .and_then(|i| i.tag)
                .is_some_and(|t| t.contains("nonroot"))
            {
                continue;
            }
            let Some(from) = df.instructions.get(stage.from) else {
                continue;
            };
            let span = match &from.args {
                Args::From(f) => f.image.as_ref().map_or(from.keyword.span, |w| w.span),
                _ => from.keyword.span,
            };
            let base = stage.base.as_ref().map_or("", |w| w.raw.as_str());
            out.push(
                subject(src),
                Verdict::fail(format!(
                    "The final stage (FROM {base}) sets no USER, so the container runs as the base image's user, normally root."
                ))
                .at(location(src, span)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&NoUser, text)
    }

    #[test]
    fn no_user_fails_at_the_final_from() {
        let f = lint("FROM golang:1.22 AS build\nUSER 1000\nFROM debian:12\nCMD [\"app\"]\n");
        assert_eq!(positions(&f), [(3, 6)]);
    }

    #[test]
    fn a_user_anywhere_in_the_final_stage_passes() {
        assert!(lint("FROM a:1\nUSER app\nRUN x\n").is_empty());
        // Root is DKF002's finding, not this one.
        assert!(lint("FROM a:1\nUSER 0\n").is_empty());
    }

    #[test]
    fn only_the_final_stage_counts() {
        assert_eq!(
            lint("FROM a:1 AS b\nFROM c:1\nUSER app\nFROM d:1\n").len(),
            1
        );
        assert!(lint("FROM a:1 AS b\nFROM c:1\nFROM d:1\nUSER app\n").is_empty());
    }

    #[test]
    fn a_user_inherited_from_a_parent_stage_passes() {
        assert!(lint("FROM a:1 AS base\nUSER app\nFROM base\nCMD x\n").is_empty());
        assert_eq!(lint("FROM a:1 AS base\nFROM base\nCMD x\n").len(), 1);
    }

    #[test]
    fn nonroot_bases_and_unparsed_instructions_are_not_judged() {
        assert!(lint("FROM gcr.io/distroless/static:nonroot\nCOPY a /a\n").is_empty());
        assert!(lint("FROM a:1\nUSRE app\n").is_empty());
    }

    #[test]
    fn user_in_onbuild_or_in_a_string_does_not_count() {
        assert_eq!(lint("FROM a:1\nONBUILD USER app\n").len(), 1);
        assert_eq!(lint("FROM a:1\nRUN echo USER app\n").len(), 1);
    }

    #[test]
    fn an_empty_file_gives_nothing() {
        assert!(lint("").is_empty());
        assert!(lint("# just a comment\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "FROM a:1 AS b\nUSER app\nFROM debian:12\n"
        )));
    }
}
