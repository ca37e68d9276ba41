//! CMP028 `service-content-trust-disabled`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::Service;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::predicates::content_trust::disables_content_trust;
use crate::rule::Check;
use crate::shared::compose::{defined_at, with_defaults};
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service's `environment` sets
    /// `DOCKER_CONTENT_TRUST` to a value that turns Docker Content Trust
    /// off for the docker CLI the service runs (a CI runner, a deploy
    /// agent, docker-in-docker): the empty value or `0`, `f`, `F`, `false`,
    /// `FALSE`, `False`, in the list or the mapping form. The compose form
    /// of DKF011.
    ///
    /// The CLI turns trust on for any other non-empty value, even one Go
    /// cannot read as a boolean (`no`, `off`), so those pass, as does `1`.
    /// A variable is read with its default (`${DCT:-0}` fails); a name alone
    /// (taken from the shell) or a variable without a default is not
    /// judged. `env_file` contents are not read. The finding points at the
    /// variable's name.
    ///
    /// ## Why it matters
    /// With content trust on, the docker CLI pulls, runs and builds only
    /// image tags whose publisher signed them. A service that turns it off
    /// accepts whatever the registry serves for a tag, and the service is
    /// usually one that deploys or builds other images.
    ///
    /// ## How to fix
    /// Remove the setting (or set `DOCKER_CONTENT_TRUST: "1"`), and pin
    /// images that are not signed by digest rather than turning verification
    /// off.
    ///
    /// ## Examples
    /// Fails: `environment: [DOCKER_CONTENT_TRUST=0]`.
    /// Passes: `environment: {DOCKER_CONTENT_TRUST: "1"}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 4.5
    /// - <https://docs.docker.com/engine/security/trust/>
    pub ServiceContentTrustDisabled {
        id: "CMP028",
        name: "service-content-trust-disabled",
        severity: High,
        target: Compose,
        summary: "A compose service turns Docker Content Trust off",
    }
}

impl Check for ServiceContentTrustDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                for verdict in judge(src, service) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service) -> Vec<Verdict> {
    let Some(environment) = &service.environment else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in &environment.value {
        let var = &item.value;
        if var.key.value != "DOCKER_CONTENT_TRUST" {
            continue;
        }
        let Some(value) = &var.value else {
            continue;
        };
        let Some(resolved) = with_defaults(value.value.expose()) else {
            continue;
        };
        if !disables_content_trust(&resolved) {
            continue;
        }
        let setting = format!("DOCKER_CONTENT_TRUST={resolved}");
        let verdict = Verdict::fail(format!(
            "Service `{}` sets `{setting}`, which turns Docker Content Trust off.",
            service.name.value
        ))
        .at(location(src, var.key.used.span));
        out.push(match defined_at(src, &var.key, &setting) {
            Some(e) => verdict.with(e),
            None => verdict,
        });
    }
    out
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
            &ServiceContentTrustDisabled,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    #[test]
    fn false_values_fail_at_the_name() {
        for env in [
            "[DOCKER_CONTENT_TRUST=0]",
            "{DOCKER_CONTENT_TRUST: \"0\"}",
            "{DOCKER_CONTENT_TRUST: 0}",
            "{DOCKER_CONTENT_TRUST: false}",
            "{DOCKER_CONTENT_TRUST: False}",
            "{DOCKER_CONTENT_TRUST: \"\"}",
            "{DOCKER_CONTENT_TRUST: \"${DCT:-0}\"}",
        ] {
            let f = compose(&format!("services:\n  ci:\n    environment: {env}\n"));
            assert_eq!(f.len(), 1, "{env}");
            assert_eq!(at(&f[0]), (3, 19), "{env}");
        }
        let f = compose("services:\n  ci:\n    environment:\n      - DOCKER_CONTENT_TRUST=false\n");
        assert_eq!(at(&f[0]), (4, 9));
        // Quoted, the name is inside the quotes.
        let f = compose("services:\n  ci:\n    environment: [\"DOCKER_CONTENT_TRUST=\"]\n");
        assert_eq!(at(&f[0]), (3, 20));
    }

    #[test]
    fn true_unknown_and_unparsable_values_pass() {
        for env in [
            "[DOCKER_CONTENT_TRUST=1]",
            "{DOCKER_CONTENT_TRUST: true}",
            "{DOCKER_CONTENT_TRUST: \"no\"}",
            "{DOCKER_CONTENT_TRUST: fAlse}",
            "[DOCKER_CONTENT_TRUST]",
            "{DOCKER_CONTENT_TRUST: }",
            "{DOCKER_CONTENT_TRUST: \"${DCT}\"}",
            "{docker_content_trust: \"0\"}",
        ] {
            let text = format!("services:\n  ci:\n    environment: {env}\n");
            assert!(compose(&text).is_empty(), "{env}");
        }
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-env: &env\n  environment:\n    DOCKER_CONTENT_TRUST: \"0\"\nservices:\n  a:\n    <<: *env\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 6);
        assert_eq!(f[0].evidence[0].at, "compose.yml:3:5");
    }

    #[test]
    fn rendered() {
        let f = compose(
            "services:\n  runner:\n    image: docker:27-cli\n    environment:\n      DOCKER_CONTENT_TRUST: \"0\"\n  deploy:\n    image: docker:27-cli\n    environment:\n      - DOCKER_CONTENT_TRUST=1\n  agent:\n    image: docker:27-cli\n    environment:\n      - DOCKER_CONTENT_TRUST=\n",
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
