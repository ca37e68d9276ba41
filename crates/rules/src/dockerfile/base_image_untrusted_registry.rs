//! DKF010 `untrusted-registry-base-image`.

use bulwark_syntax::dockerfile::{Dockerfile, Kind, Mount};
use bulwark_syntax::{Source, Span};

use super::pulled;
use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::image_ref::{ImageName, is_trusted, trusted_registries};
use crate::rule::Check;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether an image the build pulls comes from a registry outside the
    /// policy's `trusted_registries` (see docs/configuration.md): each
    /// stage's base (`FROM`), each `COPY --from=<image>` and each
    /// `RUN --mount=from=<image>`. **Opt-in**: with no `trusted_registries`
    /// configured the rule reports nothing, as hadolint's DL3026 does
    /// without `trustedRegistries`.
    ///
    /// References are normalised as Docker normalises them: `nginx`,
    /// `library/nginx`, `docker.io/library/nginx` and
    /// `index.docker.io/library/nginx` all come from `docker.io`; the first
    /// path component is a registry only when it has a `.` or a `:`, is
    /// `localhost` or has an uppercase letter (`myorg/app` is Docker
    /// Hub's). Tags and digests do not
    /// matter. An entry is a host, with its port when the registry has one
    /// (`localhost:5000`; `registry.example.com` does not match
    /// `registry.example.com:5000`), `*.example.com` for any subdomain, or a
    /// host with a path prefix (`ghcr.io/myorg`, whole components;
    /// `docker.io/library` for Docker Hub's official images).
    ///
    /// Global `ARG` defaults are substituted in `FROM` (`ARG REG=ghcr.io`,
    /// `FROM ${REG}/app:1`) and the stage's variables in `COPY --from` and
    /// `--mount` values; a reference whose variables have no known value is
    /// not judged. `scratch` and references to earlier stages (by name, in
    /// any case, or by index) are skipped: a stage named like an image
    /// (`FROM a:1 AS nginx`, then `FROM nginx`) is the stage. A build
    /// argument given on the command line (`--build-arg`) or a named build
    /// context (`--build-context`) can still replace an image: the rule
    /// judges what the file says. The finding points at the image reference.
    ///
    /// Two more images a build runs are judged the same way:
    /// - the build frontend a `# syntax=` directive names
    ///   (`# syntax=docker/dockerfile:1` is `docker.io/docker/dockerfile`):
    ///   BuildKit pulls it and runs it to read the Dockerfile;
    /// - the image of an `ONBUILD COPY --from=<image>` or
    ///   `ONBUILD RUN --mount=from=<image>` trigger, pulled by every build
    ///   that uses this image as its base. A trigger runs in that other
    ///   build, among its stages and variables, so only a value that cannot
    ///   be a stage name there (one with `/`, `:` or `@`) and has no
    ///   variables is judged.
    ///
    /// ## Why it matters
    /// A base image is code that runs as the image's foundation, with all
    /// its files, users and defaults. Pulling it from an arbitrary registry
    /// (a personal Docker Hub namespace, a typo-squatted name, a registry
    /// nobody vets) lets whoever controls that registry decide what the
    /// build ships. Restricting pulls to registries the organisation
    /// controls or has reviewed (a mirror, a curated namespace) keeps the
    /// supply chain to known sources.
    ///
    /// ## How to fix
    /// Pull the image through a trusted registry (mirror it into the
    /// organisation's registry), or, if the registry is acceptable, add it
    /// to `trusted_registries` under `[policy]`.
    ///
    /// ## Examples
    /// With `trusted_registries = ["registry.example.com", "docker.io/library"]`:
    /// fails: `FROM quay.io/org/app:1`, `FROM bitnami/redis:7`,
    /// `COPY --from=ghcr.io/o/tool:1 /tool /tool`.
    /// Passes: `FROM registry.example.com/team/app:1`, `FROM alpine:3.20`,
    /// `FROM scratch`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.2
    /// - hadolint DL3026
    /// - <https://docs.docker.com/reference/dockerfile/#from>
    pub BaseImageUntrustedRegistry {
        id: "DKF010",
        name: "untrusted-registry-base-image",
        severity: High,
        target: Dockerfile,
        summary: "An image the build pulls is not from a trusted registry",
    }
}

impl Check for BaseImageUntrustedRegistry {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        if ctx.policy.trusted_registries.is_empty() {
            return;
        }
        let trusted = trusted_registries(&ctx.policy.trusted_registries);
        for (src, df) in ctx.dockerfiles() {
            let mut found: Vec<(Span, String)> = Vec::new();
            for pulled in pulled(ctx, src).iter() {
                let name = ImageName::from_ref(&pulled.image());
                if is_trusted(&trusted, &name) {
                    continue;
                }
                found.push((
                    pulled.span,
                    message(pulled.what(), &pulled.written, &pulled.resolved, &name),
                ));
            }
            if let Some((span, value)) = frontend(df) {
                let name = ImageName::parse(value);
                if !is_trusted(&trusted, &name) {
                    found.push((span, message("The build frontend", value, value, &name)));
                }
            }
            for (span, value) in trigger_images(src, df) {
                let name = ImageName::parse(value);
                if !is_trusted(&trusted, &name) {
                    let what = "The image an ONBUILD trigger pulls into every child build,";
                    found.push((span, message(what, value, value, &name)));
                }
            }
            for (span, written, resolved) in mounted_images(src, df) {
                let name = ImageName::parse(&resolved);
                if !is_trusted(&trusted, &name) {
                    found.push((
                        span,
                        message("The image mounted from", &written, &resolved, &name),
                    ));
                }
            }
            found.sort_by_key(|(span, _)| span.start);
            for (span, message) in found {
                out.push(subject(src), Verdict::fail(message).at(location(src, span)));
            }
        }
    }
}

fn message(what: &str, written: &str, resolved: &str, name: &ImageName) -> String {
    let image = if written == resolved {
        format!("`{written}`")
    } else {
        format!("`{written}` (resolved to `{resolved}`)")
    };
    format!(
        "{what} {image} is `{}/{}`, from registry `{}`, which the policy's trusted_registries do not allow.",
        name.registry, name.path, name.registry
    )
}

/// The frontend image `# syntax=` names, with where its value is written.
fn frontend(df: &Dockerfile) -> Option<(Span, &str)> {
    let directive = df.directive("syntax")?;
    let value = directive.value.trim();
    (!value.is_empty()).then_some((directive.value_span, value))
}

/// The images ONBUILD triggers pull: `ONBUILD COPY --from=<image>` and
/// `ONBUILD RUN --mount=from=<image>`, where the value can only be an
/// image (see the rule's docs), with where it is written.
fn trigger_images<'d>(src: &Source, df: &'d Dockerfile) -> Vec<(Span, &'d str)> {
    let image_only = |v: &str| !v.contains('$') && v.contains(['/', ':', '@']);
    let mut out = Vec::new();
    for trigger in df.instructions.iter().filter_map(|i| i.onbuild_trigger()) {
        match trigger.kind {
            Kind::Copy => {
                let Some(flag) = trigger.flag("from") else {
                    continue;
                };
                let value = flag.value.as_deref().unwrap_or("");
                if image_only(value) {
                    out.push((flag.value_span.unwrap_or(flag.span), value));
                }
            }
            Kind::Run => {
                for flag in trigger.flags_named("mount") {
                    let Some(value) = flag.value.as_deref() else {
                        continue;
                    };
                    let Some(from) = mount_from(value) else {
                        continue;
                    };
                    if image_only(from) {
                        let whole = flag.value_span.unwrap_or(flag.span);
                        out.push((from_span(src, whole, value).unwrap_or(whole), from));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The `from=` field of a `--mount` value, borrowed from it.
fn mount_from(value: &str) -> Option<&str> {
    value.split(',').find_map(|field| {
        let (key, v) = field.trim_start().split_once('=')?;
        key.trim().eq_ignore_ascii_case("from").then_some(v)
    })
}

/// The images `RUN --mount=…,from=<image>` mounts, with where the value
/// is written, as written and with the stage's variables expanded.
/// Stages (by name or index) and values with unknown variables are left
/// out.
fn mounted_images(src: &Source, df: &Dockerfile) -> Vec<(Span, String, String)> {
    let mut out = Vec::new();
    for (index, instruction) in df.instructions.iter().enumerate() {
        if instruction.kind != Kind::Run {
            continue;
        }
        for flag in instruction.flags_named("mount") {
            let Some(value) = flag.value.as_deref() else {
                continue;
            };
            let Some(from) = Mount::parse(value).get("from").map(str::to_owned) else {
                continue;
            };
            let e = df.expand_at(&from, index);
            if !e.is_complete() || e.value.is_empty() {
                continue;
            }
            let is_stage = e.value.parse::<usize>().is_ok_and(|n| n < df.stages.len())
                || df.stage_named(&e.value).is_some();
            if is_stage || bulwark_syntax::dockerfile::ImageRef::parse(&e.value).is_scratch() {
                continue;
            }
            let whole = flag.value_span.unwrap_or(flag.span);
            out.push((from_span(src, whole, value).unwrap_or(whole), from, e.value));
        }
    }
    out
}

/// The span of the `from=` field's value inside a `--mount` value written
/// at `whole`, when the text there is the value as read (no quotes or
/// escapes to account for).
fn from_span(src: &Source, whole: Span, value: &str) -> Option<Span> {
    if src.text.get(whole.start..whole.end)? != value {
        return None;
    }
    let mut offset = 0;
    for field in value.split(',') {
        let trimmed = field.trim_start();
        let lead = field.len() - trimmed.len();
        if let Some((key, v)) = trimmed.split_once('=')
            && key.trim().eq_ignore_ascii_case("from")
        {
            let start = whole.start + offset + lead + key.len() + 1;
            return Some(Span::new(start, start + v.len()));
        }
        offset += field.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::SourceKind;

    use super::*;
    use crate::dockerfile::test_support::*;
    use crate::finding::Finding;
    use crate::policy::Policy;

    fn lint_with(trusted: &[&str], text: &str) -> Vec<Finding> {
        let policy = Policy {
            trusted_registries: trusted.iter().map(|s| s.to_string()).collect(),
            ..Policy::default()
        };
        let src = Source::parse("Dockerfile", SourceKind::Dockerfile, text.into());
        crate::evaluate::evaluate_sources(&[src], &policy, &[&BaseImageUntrustedRegistry])
    }

    fn lint(text: &str) -> Vec<Finding> {
        lint_with(&["registry.example.com", "docker.io/library"], text)
    }

    #[test]
    fn without_a_policy_nothing_is_reported() {
        assert!(dockerfile(&BaseImageUntrustedRegistry, "FROM quay.io/x/y:1\n").is_empty());
        assert!(lint_with(&[], "FROM evil.io/x:1\n").is_empty());
    }

    #[test]
    fn untrusted_images_fail_at_the_reference() {
        assert_eq!(positions(&lint("FROM quay.io/org/app:1\n")), [(1, 6)]);
        assert_eq!(
            positions(&lint(
                "FROM --platform=linux/amd64 ghcr.io/o/app:1@sha256:abcd AS b\n"
            )),
            [(1, 29)]
        );
        // A Docker Hub namespace is not `docker.io/library`.
        assert_eq!(positions(&lint("FROM bitnami/redis:7\n")), [(1, 6)]);
        assert_eq!(
            positions(&lint(
                "FROM alpine:3.20\nCOPY --from=ghcr.io/o/tool:1 /t /t\n"
            )),
            [(2, 13)]
        );
        // The port is part of the registry.
        assert_eq!(lint("FROM registry.example.com:5000/app:1\n").len(), 1);
        assert_eq!(lint("FROM localhost:5000/x\n").len(), 1);
        let f = lint("ARG REG=quay.io\nFROM ${REG}/org/app:1\n");
        assert_eq!(positions(&f), [(2, 6)]);
        assert!(f[0].message.contains("resolved to `quay.io/org/app:1`"));
    }

    #[test]
    fn run_mounts_from_images_fail_at_the_from_value() {
        let f = lint(
            "FROM alpine:3.20\nRUN --mount=type=bind,from=ghcr.io/o/tool:1,target=/t /t/run\n",
        );
        assert_eq!(positions(&f), [(2, 28)]);
        assert!(f[0].message.contains("mounted from"));
        // Quoted: the whole value.
        assert_eq!(
            positions(&lint(
                "FROM alpine:3.20\nRUN --mount=\"type=bind,from=quay.io/x:1\" ls\n"
            )),
            [(2, 13)]
        );
        // Stages and cache mounts without `from` pass.
        assert!(
            lint("FROM alpine:3.20 AS tools\nFROM alpine:3.20\nRUN --mount=from=TOOLS,target=/t --mount=type=cache,target=/c --mount=from=0,target=/z ls\n")
                .is_empty()
        );
    }

    #[test]
    fn trusted_images_stages_and_scratch_pass() {
        for text in [
            "FROM alpine:3.20\n",
            "FROM library/alpine\n",
            "FROM docker.io/library/alpine:3.20\n",
            "FROM index.docker.io/library/alpine@sha256:abcd\n",
            "FROM Registry.Example.COM/team/app:1\n",
            "FROM scratch\n",
            "FROM registry.example.com/a:1 AS build\nFROM alpine:3.20\nCOPY --from=build /a /a\n",
            // Unknown variables are not judged.
            "ARG BASE\nFROM ${BASE}\n",
            "ARG REG=registry.example.com\nFROM ${REG}/app:1\n",
        ] {
            assert!(lint(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn entries_match_hosts_wildcards_and_paths() {
        assert!(lint_with(&["docker.io"], "FROM bitnami/redis:7\n").is_empty());
        assert!(lint_with(&["*.example.com"], "FROM r.eu.example.com/a:1\n").is_empty());
        assert_eq!(
            lint_with(&["*.example.com"], "FROM example.com/a:1\n").len(),
            1
        );
        assert!(lint_with(&["ghcr.io/myorg"], "FROM ghcr.io/myorg/app:1\n").is_empty());
        assert_eq!(
            lint_with(&["ghcr.io/myorg"], "FROM ghcr.io/myorg-evil/app:1\n").len(),
            1
        );
        assert!(lint_with(&["localhost:5000"], "FROM localhost:5000/x\n").is_empty());
        // A stage named like an untrusted image is the stage.
        let only_ours = ["registry.example.com"];
        assert!(
            lint_with(
                &only_ours,
                "FROM registry.example.com/a:1 AS nginx\nFROM NGINX\n"
            )
            .is_empty()
        );
        assert_eq!(lint_with(&only_ours, "FROM nginx:1.27\n").len(), 1);
    }

    #[test]
    fn the_syntax_frontend_is_judged_at_its_value() {
        let f = lint("# syntax=docker/dockerfile:1.7\nFROM alpine:3.20\n");
        assert_eq!(positions(&f), [(1, 10)]);
        assert!(f[0].message.contains("build frontend"), "{}", f[0].message);
        assert!(f[0].message.contains("`docker.io/docker/dockerfile`"));
        assert!(
            lint_with(
                &["docker.io"],
                "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n"
            )
            .is_empty()
        );
        let spaced = "# syntax = registry.example.com/frontend:1\nFROM alpine:3.20\n";
        assert!(lint(spaced).is_empty());
        assert_eq!(positions(&lint_with(&["docker.io"], spaced)), [(1, 12)]);
        // Not a directive after the first instruction: a comment.
        assert!(lint("FROM alpine:3.20\n# syntax=evil.io/f:1\n").is_empty());
    }

    #[test]
    fn onbuild_triggers_are_judged_when_the_value_must_be_an_image() {
        let f = lint(
            "FROM alpine:3.20\nONBUILD COPY --from=ghcr.io/o/tool:1 /t /t\nONBUILD RUN --mount=type=bind,from=quay.io/x:1,target=/x ls\n",
        );
        assert_eq!(positions(&f), [(2, 21), (3, 36)]);
        assert!(f[0].message.contains("ONBUILD"), "{}", f[0].message);
        // A bare name may be a stage of the child build; variables are the
        // child's: neither is judged.
        for text in [
            "FROM alpine:3.20\nONBUILD COPY --from=builder /t /t\n",
            "FROM alpine:3.20\nONBUILD COPY --from=${TOOLS} /t /t\n",
            "FROM alpine:3.20\nONBUILD COPY --from=registry.example.com/t:1 /t /t\n",
            "FROM alpine:3.20\nONBUILD RUN --mount=type=cache,target=/c ls\n",
        ] {
            assert!(lint(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render_at(&lint(
            "ARG REG=quay.io\nFROM alpine:3.20 AS a\nFROM ${REG}/org/app:1\nFROM bitnami/redis:7\nCOPY --from=ghcr.io/o/tool:1 /t /t\nRUN --mount=from=localhost:5000/x,target=/x ls\nFROM registry.example.com/team/app:1\n"
        )));
    }
}
