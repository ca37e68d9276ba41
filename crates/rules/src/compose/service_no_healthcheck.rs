//! CMP019 `service-no-healthcheck`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ComposeFile, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::{decided_by, defined_at};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service has a health check. This is the compose form
    /// of CTR027 (`no-healthcheck`).
    /// - A disabled check fails, at the value: `healthcheck: {disable: true}`
    ///   or `test: ["NONE"]`.
    /// - A service without `healthcheck` fails, at the service name: the
    ///   image's `HEALTHCHECK`, if it has one, is then the only check, and a
    ///   compose file does not show it (for a service with `build`, the
    ///   Dockerfile rules check for one). `test: []` keeps the image's check
    ///   and passes, as does any other test.
    ///
    /// The finding for a missing setting points at the service name. A base
    /// service it `extends` in the same file counts; when that cannot be read
    /// (another file, a YAML error in the service), nothing is reported. A
    /// value from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Without a health check the engine only knows whether the process runs,
    /// not whether it works: a hung or compromised service that still runs
    /// looks healthy, `depends_on: {condition: service_healthy}` cannot wait
    /// for it, and orchestrators keep sending it traffic.
    ///
    /// ## How to fix
    /// Add a check that exercises the service:
    /// `healthcheck: {test: ["CMD", "curl", "-f", "http://localhost/health"], interval: 30s}`,
    /// or make sure the image defines a `HEALTHCHECK`, and remove
    /// `disable: true`.
    ///
    /// ## Examples
    /// Fails: `healthcheck: {disable: true}`, a service without
    /// `healthcheck`.
    /// Passes: `healthcheck: {test: ["CMD", "pg_isready"]}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.27
    /// - <https://docs.docker.com/reference/compose-file/services/#healthcheck>
    pub ServiceNoHealthcheck {
        id: "CMP019",
        name: "service-no-healthcheck",
        severity: Low,
        target: Compose,
        summary: "A compose service has no health check",
    }
}

impl Check for ServiceNoHealthcheck {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                if let Some(verdict) = judge(src, file, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, file: &ComposeFile, service: &Service) -> Option<Verdict> {
    let name = &service.name.value;
    if let Some(check) = &service.healthcheck {
        if !check.value.is_disabled() {
            return None;
        }
        // Point at what disables it: `disable: true`, else `test: [NONE]`.
        let (used, defined, what) = match (&check.value.disable, &check.value.test) {
            (Some(d), _) if d.value => (d.used, d.defined, "disable: true"),
            (_, Some(t)) => (t.used, t.defined, "test: [\"NONE\"]"),
            _ => (check.used, check.defined, "healthcheck"),
        };
        let place = Located {
            value: (),
            used,
            defined,
        };
        let verdict = Verdict::fail(
            [
                "Service `",
                name,
                "` disables its health check (",
                what,
                ").",
            ]
            .concat(),
        )
        .at(location(src, used.span));
        return Some(match defined_at(src, &place, what) {
            Some(e) => verdict.with(e),
            None => verdict,
        });
    }
    if decided_by(file, service, |s| s.healthcheck.is_some()) != Some(None) {
        return None;
    }
    let whose = if service.build.is_some() {
        "the HEALTHCHECK of the Dockerfile it builds, if any, is the only check"
    } else {
        "the image's HEALTHCHECK, if it has one, is the only check"
    };
    Some(
        Verdict::fail(["Service `", name, "` has no healthcheck: ", whose, "."].concat())
            .at(location(src, service.name.used.span)),
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
            &ServiceNoHealthcheck,
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

    #[test]
    fn missing_fails_at_the_service_name() {
        let f = compose("services:\n  web:\n    image: a\n  app:\n    build: .\n");
        assert_eq!(f.len(), 2);
        assert_eq!(at(&f[0]), (2, 3));
        assert!(
            f[0].message.contains("image's HEALTHCHECK"),
            "{}",
            f[0].message
        );
        assert!(
            f[1].message.contains("Dockerfile it builds"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn disabled_fails_at_what_disables_it() {
        let f = compose(
            "services:\n  a:\n    healthcheck:\n      disable: true\n  b:\n    healthcheck:\n      test: [\"NONE\"]\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(at(&f[0]), (4, 16));
        assert_eq!(at(&f[1]), (7, 13));
    }

    #[test]
    fn a_test_or_the_images_own_passes() {
        for text in [
            "services:\n  a:\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
            "services:\n  a:\n    healthcheck:\n      test: curl -f http://localhost/\n",
            "services:\n  a:\n    healthcheck:\n      test: []\n",
            "services:\n  a:\n    healthcheck:\n      interval: 10s\n",
            "services:\n  a:\n    healthcheck:\n      disable: false\n      test: [\"CMD-SHELL\", \"true\"]\n",
        ] {
            assert!(compose(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    healthcheck: {test: [\"CMD\", \"true\"]}\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n";
        assert!(compose(text).is_empty());
        assert!(compose("services:\n  app:\n    image: a\n    user: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f =
            compose("x-h: &h\n  healthcheck:\n    disable: true\nservices:\n  a:\n    <<: *h\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 6);
        assert_eq!(f[0].evidence[0].at, "compose.yml:3:14");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n  legacy:\n    healthcheck:\n      disable: true\n"
        )));
    }
}
