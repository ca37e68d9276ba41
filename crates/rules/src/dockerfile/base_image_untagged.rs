//! DKF009 `untagged-base-image`.

use super::pulled;
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a stage's base image (`FROM`) or an image copied from
    /// (`COPY --from=<image>`) has neither a tag nor a digest, so Docker
    /// pulls `latest`. Global `ARG` defaults are substituted
    /// (`ARG BASE=alpine`, `FROM ${BASE}`); references to earlier stages
    /// (in any case) and `scratch` are skipped, as is a reference whose
    /// variables have no known value. A registry port
    /// (`registry:5000/app`) is not a tag.
    ///
    /// ## Why it matters
    /// An untagged reference is an implicit `latest`: whatever was pushed
    /// last, different from build to build, possibly broken or compromised,
    /// and impossible to trace back.
    ///
    /// ## How to fix
    /// Name a version tag (`alpine:3.20`), and for reproducible builds a
    /// digest (`alpine:3.20@sha256:…`).
    ///
    /// ## Examples
    /// Fails: `FROM alpine`, `FROM registry:5000/team/app`.
    /// Passes: `FROM alpine:3.20`, `FROM alpine@sha256:…`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.2
    /// - hadolint DL3006, Trivy DS-0001, KICS "Image Version Not Explicit", Checkov CKV_DOCKER_7
    pub BaseImageUntagged {
        id: "DKF009",
        name: "untagged-base-image",
        severity: Medium,
        target: Dockerfile,
        summary: "A base image has no tag or digest",
    }
}

impl Check for BaseImageUntagged {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            for pulled in pulled(ctx, src).iter() {
                if !pulled.is_untagged() {
                    continue;
                }
                let message = pulled.message(
                    "` has no tag or digest, so `latest` is pulled.",
                    "`, which has no tag or digest, so `latest` is pulled.",
                );
                out.push(
                    subject(src),
                    Verdict::fail(message).at(location(src, pulled.span)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::test_support::*;

    fn lint(text: &str) -> Vec<crate::finding::Finding> {
        dockerfile(&BaseImageUntagged, text)
    }

    #[test]
    fn untagged_fails_at_the_image() {
        assert_eq!(positions(&lint("FROM alpine\n")), [(1, 6)]);
        assert_eq!(lint("FROM registry.example.com:5000/team/app\n").len(), 1);
        assert_eq!(lint("ARG BASE=alpine\nFROM ${BASE}\n").len(), 1);
        assert_eq!(lint("FROM a:1\nCOPY --from=busybox /bin/sh /sh\n").len(), 1);
    }

    #[test]
    fn tags_digests_stages_and_scratch_pass() {
        assert!(lint("FROM alpine:3.20\nFROM alpine@sha256:abcd\nFROM scratch\n").is_empty());
        assert!(
            lint("FROM a:1 AS Build\nFROM build\nCOPY --from=BUILD /a /a\nCOPY --from=0 /a /b\n")
                .is_empty()
        );
        assert!(lint("ARG BASE\nFROM ${BASE}\n").is_empty());
        assert!(lint("FROM alpine:latest\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "ARG BASE=debian\nFROM ${BASE} AS a\nFROM alpine\nCOPY --from=busybox /bin/sh /sh\n"
        )));
    }
}
