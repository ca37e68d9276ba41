//! CMP027 `service-image-untrusted-registry`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::Service;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::image_ref::{ImageName, TrustedRegistry, is_trusted, trusted_registries};
use crate::rule::Check;
use crate::shared::compose::{defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service's `image` comes from a registry outside
    /// the policy's `trusted_registries` (see docs/configuration.md), the
    /// compose form of DKF010. **Opt-in**: with no `trusted_registries`
    /// configured the rule reports nothing.
    ///
    /// References are normalised as Docker normalises them (`redis`,
    /// `library/redis` and `docker.io/library/redis` come from `docker.io`;
    /// the first path component is a registry only with a `.` or a `:` or
    /// as `localhost`); tags and digests do not matter. Entries are hosts
    /// with their port when the registry has one, `*.example.com` for
    /// subdomains, or a host with a path prefix (`ghcr.io/myorg`), as for
    /// DKF010. A variable is read with its default
    /// (`${REGISTRY:-quay.io}/app:1`); one without a default is not judged.
    /// A service with `build` is skipped: its `image` names what it builds,
    /// and its base images are DKF010's. The finding points at the value.
    ///
    /// ## Why it matters
    /// The host pulls and runs whatever the registry serves for the name.
    /// An image from a registry nobody vets (a personal namespace, a
    /// look-alike name) puts that registry's owner in control of what runs;
    /// restricting services to registries the organisation controls or has
    /// reviewed keeps deployments to known sources.
    ///
    /// ## How to fix
    /// Mirror the image into a trusted registry and reference it there, or,
    /// if the registry is acceptable, add it to `trusted_registries` under
    /// `[policy]`.
    ///
    /// ## Examples
    /// With `trusted_registries = ["registry.example.com", "docker.io/library"]`:
    /// fails: `image: quay.io/org/app:1`, `image: bitnami/redis:7`.
    /// Passes: `image: registry.example.com/team/app:1`, `image: redis:7`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.2 (and 5.27)
    /// - hadolint DL3026 (the Dockerfile form)
    /// - <https://docs.docker.com/reference/compose-file/services/#image>
    pub ServiceImageUntrustedRegistry {
        id: "CMP027",
        name: "service-image-untrusted-registry",
        severity: High,
        target: Compose,
        summary: "A compose service's image is not from a trusted registry",
    }
}

impl Check for ServiceImageUntrustedRegistry {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        if ctx.policy.trusted_registries.is_empty() {
            return;
        }
        let trusted = trusted_registries(&ctx.policy.trusted_registries);
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                if let Some(verdict) = judge(src, service, &trusted) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service, trusted: &[TrustedRegistry]) -> Option<Verdict> {
    if service.build.is_some() {
        return None;
    }
    let image = service.image.as_ref()?;
    let resolved = with_defaults(&image.value)?;
    if resolved.is_empty() {
        return None;
    }
    let name = ImageName::parse(&resolved);
    if is_trusted(trusted, &name) {
        return None;
    }
    let shown = if resolved == image.value {
        format!("`{}`", image.value)
    } else {
        format!("`{}` (read as `{resolved}`)", image.value)
    };
    let verdict = Verdict::fail(format!(
        "Service `{}` image {shown} is `{}/{}`, from registry `{}`, which the policy's trusted_registries do not allow.",
        service.name.value, name.registry, name.path, name.registry
    ))
    .at(location(src, image.used.span));
    Some(
        match defined_at(src, image, format_args!("image: {}", image.value)) {
            Some(e) => verdict.with(e),
            None => verdict,
        },
    )
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::policy::Policy;
    use crate::testing::at;
    use crate::testing::*;

    fn compose_with(trusted: &[&str], text: &str) -> Vec<Finding> {
        let policy = Policy {
            trusted_registries: trusted.iter().map(|s| s.to_string()).collect(),
            ..Policy::default()
        };
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        crate::evaluate::evaluate_sources(&[src], &policy, &[&ServiceImageUntrustedRegistry])
    }

    fn image(spec: &str) -> Vec<Finding> {
        compose_with(
            &["registry.example.com", "docker.io/library"],
            &format!("services:\n  app:\n    image: \"{spec}\"\n"),
        )
    }

    #[test]
    fn without_a_policy_nothing_is_reported() {
        let text = "services:\n  app:\n    image: quay.io/x/y:1\n";
        assert!(compose_with(&[], text).is_empty());
        assert!(
            lint(
                &ServiceImageUntrustedRegistry,
                vec![Source::parse(
                    "compose.yml",
                    SourceKind::Compose,
                    text.into()
                )]
            )
            .is_empty()
        );
    }

    #[test]
    fn untrusted_images_fail_at_the_value() {
        for spec in [
            "quay.io/org/app:1",
            "bitnami/redis:7",
            "docker.io/bitnami/redis",
            "registry.example.com:5000/app:1",
            "localhost:5000/app",
            "ghcr.io/o/app@sha256:abcd",
            "${REGISTRY:-quay.io}/app:1",
        ] {
            let f = image(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (3, 12), "{spec}");
        }
        assert!(
            image("${R:-quay.io}/a:1")[0]
                .message
                .contains("read as `quay.io/a:1`")
        );
    }

    #[test]
    fn trusted_images_pass() {
        for spec in [
            "redis:7",
            "library/redis",
            "docker.io/library/redis:7",
            "index.docker.io/library/redis@sha256:abcd",
            "REGISTRY.example.com/team/app:1",
            "${REGISTRY:-registry.example.com}/app:1",
            // Unknown: not judged.
            "${IMAGE}",
            "${REGISTRY}/app:1",
        ] {
            assert!(image(spec).is_empty(), "{spec}");
        }
        // A service that builds names its own image.
        assert!(
            compose_with(
                &["docker.io"],
                "services:\n  app:\n    build: .\n    image: quay.io/me/app\n"
            )
            .is_empty()
        );
        assert!(
            compose_with(
                &["ghcr.io/myorg", "*.example.com"],
                "services:\n  a:\n    image: ghcr.io/myorg/app:1\n  b:\n    image: r.example.com/x\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose_with(
            &["docker.io"],
            "x-i: &i\n  image: quay.io/a/b:1\nservices:\n  a:\n    <<: *i\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:10");
    }

    #[test]
    fn rendered() {
        let f = compose_with(
            &["registry.example.com", "docker.io/library"],
            "services:\n  web:\n    image: nginx:1.27\n  cache:\n    image: bitnami/redis:7\n  app:\n    image: quay.io/org/app:1\n  api:\n    image: registry.example.com/team/api:2\n  local:\n    image: localhost:5000/x\n",
        );
        let text = f
            .iter()
            .map(|f| {
                let (line, column) = at(f);
                format!("{line}:{column} {}", render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(text);
    }
}
