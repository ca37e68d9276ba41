//! CMP026 `service-image-latest`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ImageRef, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::{defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service's `image` is unpinned: tagged `latest`, or
    /// untagged (`nginx`, which the engine pulls as `nginx:latest`). A
    /// registry port is not a tag (`registry:5000/app` is untagged), and a
    /// digest pins the image (`app@sha256:…` and `app:latest@sha256:…` pass). A tag from a variable is
    /// read with its default (`app:${TAG:-latest}` fails); one without a
    /// default (`app:${TAG}`) is not judged. A service with `build` is skipped:
    /// its `image` names what it builds. This is the second concept of catalog
    /// row C25 (CIS 5.27 asks for images that are known and reviewed); the
    /// other, the user, is CMP025. The finding points at the value.
    ///
    /// ## Why it matters
    /// `latest` is whatever the registry holds when the host pulls: two hosts,
    /// or two deploys a day apart, run different software, a compromised or
    /// broken upstream release is picked up without review, and a rollback has
    /// nothing to go back to. A pinned tag, better a digest, makes the image a
    /// reviewed, reproducible input.
    ///
    /// ## How to fix
    /// Pin a version tag (`image: nginx:1.27.3`) or a digest
    /// (`image: nginx:1.27.3@sha256:…`), and update it deliberately, for
    /// example with a dependency bot.
    ///
    /// ## Examples
    /// Fails: `image: nginx`, `image: nginx:latest`.
    /// Passes: `image: nginx:1.27`, `image: nginx@sha256:…`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.27
    /// - <https://docs.docker.com/reference/compose-file/services/#image>
    pub ServiceImageLatest {
        id: "CMP026",
        name: "service-image-latest",
        severity: Medium,
        target: Compose,
        summary: "A compose service uses an unpinned image",
    }
}

impl Check for ServiceImageLatest {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                if let Some(verdict) = judge(src, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service) -> Option<Verdict> {
    if service.build.is_some() {
        return None;
    }
    let Some(image) = &service.image else {
        return None;
    };
    let resolved = with_defaults(&image.value)?;
    let reference = ImageRef::parse(&resolved);
    // A digest pins the image whatever the tag says.
    if reference.digest.is_some() || reference.effective_tag() != Some("latest") {
        return None;
    }
    let how = if reference.tag.is_some() {
        "is tagged latest"
    } else {
        "has no tag, so the engine pulls latest"
    };
    let verdict = Verdict::fail(format!(
        "Service `{}` image {} {how}: pin a version or a digest.",
        service.name.value, image.value
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
    use crate::testing::at;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &ServiceImageLatest,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    fn with_places(findings: &[Finding]) -> String {
        findings
            .iter()
            .map(|f| {
                let (line, column) = at(f);
                format!("{line}:{column} {}", render(std::slice::from_ref(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn image(spec: &str) -> Vec<Finding> {
        compose(&format!("services:\n  app:\n    image: \"{spec}\"\n"))
    }

    #[test]
    fn latest_and_untagged_fail_at_the_value() {
        for spec in [
            "nginx",
            "nginx:latest",
            "library/nginx",
            "registry:5000/team/app",
            "ghcr.io/o/app:latest",
            "app:${TAG:-latest}",
            "${IMAGE:-redis}",
        ] {
            let f = image(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (3, 12), "{spec}");
        }
        assert!(image("nginx").pop().unwrap().message.contains("no tag"));
    }

    #[test]
    fn pinned_images_pass() {
        for spec in [
            "nginx:1.27",
            "registry:5000/app:2",
            "app@sha256:0123",
            "app:latest@sha256:0123",
            "app:${TAG}",
            "app:${TAG:-1.2}",
            "${IMAGE}",
        ] {
            assert!(image(spec).is_empty(), "{spec}");
        }
    }

    #[test]
    fn a_service_that_builds_names_its_own_image() {
        assert!(compose("services:\n  app:\n    build: .\n    image: myapp\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-i: &i\n  image: redis\nservices:\n  a:\n    <<: *i\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:10");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    image: nginx\n  cache:\n    image: redis:latest\n  db:\n    image: postgres:16.4\n  app:\n    build: .\n    image: app\n"
        )));
    }
}
