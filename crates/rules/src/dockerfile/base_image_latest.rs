//! DKF008 `latest-base-image`.

use super::{Tag, pulled};
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a stage's base image (`FROM`) or an image copied from
    /// (`COPY --from=<image>`) is referenced by the `latest` tag without a
    /// digest. Global `ARG` defaults are substituted (`ARG TAG=latest`,
    /// `FROM node:${TAG}`); references to earlier stages and `scratch`
    /// are skipped, as is a reference whose variables have no known value.
    /// `image:latest@sha256:…` passes: the digest pins it. An image with no
    /// tag at all is DKF009's concern.
    ///
    /// ## Why it matters
    /// `latest` is whatever was pushed last: two builds of the same
    /// Dockerfile get different bases, a compromised or broken push is
    /// picked up silently, and nobody can tell which base an image was
    /// built from or whether it has the fixes it needs.
    ///
    /// ## How to fix
    /// Use a specific version tag (`node:20.11-bookworm-slim`), and for
    /// reproducible builds add the digest (`node:20.11@sha256:…`), updated
    /// by a tool such as Renovate or Dependabot.
    ///
    /// ## Examples
    /// Fails: `FROM ubuntu:latest`, `COPY --from=busybox:latest /bin/sh /sh`.
    /// Passes: `FROM ubuntu:24.04`, `FROM ubuntu:latest@sha256:…`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.2
    /// - hadolint DL3007, Trivy DS-0001, KICS "Image Version Using 'latest'", Checkov CKV_DOCKER_7
    pub BaseImageLatest {
        id: "DKF008",
        name: "latest-base-image",
        severity: Medium,
        target: Dockerfile,
        summary: "A base image uses the latest tag",
    }
}

impl Check for BaseImageLatest {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, _) in ctx.dockerfiles() {
            for pulled in pulled(ctx, src).iter() {
                if pulled.digest || pulled.tag != Tag::Latest {
                    continue;
                }
                let message = pulled.message(
                    "` uses the mutable `latest` tag.",
                    "`, the mutable `latest` tag.",
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
        dockerfile(&BaseImageLatest, text)
    }

    #[test]
    fn latest_fails_at_the_image() {
        assert_eq!(positions(&lint("FROM ubuntu:latest\n")), [(1, 6)]);
        assert_eq!(
            positions(&lint(
                "FROM --platform=linux/amd64 registry.example.com:5000/app:latest AS b\n"
            )),
            [(1, 29)]
        );
        assert_eq!(lint("ARG TAG=latest\nFROM node:${TAG}\n").len(), 1);
        assert_eq!(
            positions(&lint("FROM a:1\nCOPY --from=busybox:latest /bin/sh /sh\n")),
            [(2, 13)]
        );
    }

    #[test]
    fn tags_digests_stages_and_scratch_pass() {
        assert!(lint("FROM ubuntu:24.04\n").is_empty());
        assert!(lint("FROM ubuntu:latest@sha256:abcd\n").is_empty());
        assert!(lint("FROM scratch\n").is_empty());
        assert!(lint("FROM a:1 AS latest\nFROM latest\n").is_empty());
        assert!(lint("FROM a:1 AS build\nFROM b:2\nCOPY --from=build /x /x\n").is_empty());
        assert!(lint("FROM localhost:5000/app\n").is_empty());
        // No known value: not judged.
        assert!(lint("ARG TAG\nFROM node:${TAG}\n").is_empty());
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "ARG V=latest\nFROM alpine:latest AS a\nFROM debian:${V}\nCOPY --from=nginx:latest /etc/nginx /etc/nginx\n"
        )));
    }
}
