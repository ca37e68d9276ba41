//! CMP017 `service-no-pids-limit`.

use std::borrow::Cow;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::limits::{Limit, deploy_limits};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service caps its number of processes: `pids_limit`,
    /// or `deploy.resources.limits.pids`. This is the compose form of CTR029
    /// (`no-pids-limit`), with the same reading of the value: `0` and `-1`
    /// (any value below 1) mean unlimited.
    /// - A service with neither fails.
    /// - A limit below 1 fails, at the value.
    ///
    /// The finding for a missing setting points at the service name. A base
    /// service it `extends` in the same file counts; when that cannot be read
    /// (another file, a YAML error in the service), nothing is reported. A
    /// value from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Without a pids limit, one container can fork until the host's process
    /// table is full (a fork bomb, or a leak in a worker pool). Every other
    /// container and the host itself then fail to start new processes,
    /// including the shell an operator would use to recover.
    ///
    /// ## How to fix
    /// Set a limit that fits the workload: `pids_limit: 200`, or
    /// `deploy: {resources: {limits: {pids: 200}}}`.
    ///
    /// ## Examples
    /// Fails: `services: {web: {image: nginx}}`, `pids_limit: -1`.
    /// Passes: `services: {web: {image: nginx, pids_limit: 100}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.29
    /// - <https://docs.docker.com/reference/compose-file/services/#pids_limit>
    pub ServiceNoPidsLimit {
        id: "CMP017",
        name: "service-no-pids-limit",
        severity: Medium,
        target: Compose,
        summary: "A compose service's number of processes is not limited",
    }
}

impl Check for ServiceNoPidsLimit {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                PIDS.judge(src, file, service, out);
            }
        }
    }
}

/// Pids limits as [`Limit::judge`] reads them: below 1 is unlimited.
const PIDS: Limit<i64> = Limit {
    set: |s| {
        [
            s.pids_limit.as_ref(),
            deploy_limits(s).and_then(|l| l.pids.as_ref()),
        ]
    },
    unlimited: |n| *n < 1,
    text: |n| Cow::Owned(n.to_string()),
    noun: "pids limit",
    evidence: "pids limit ",
    missing: "has no pids limit (pids_limit or deploy.resources.limits.pids).",
    also: |_| false,
};

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::testing::at;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &ServiceNoPidsLimit,
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
        let f = compose("services:\n  web:\n    image: a\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (2, 3));
    }

    #[test]
    fn either_place_sets_a_limit() {
        for text in [
            "services:\n  web:\n    pids_limit: 100\n",
            "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          pids: 50\n",
        ] {
            assert!(compose(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn below_one_means_unlimited_and_fails_at_the_value() {
        for v in ["-1", "0"] {
            let f = compose(&format!("services:\n  web:\n    pids_limit: {v}\n"));
            assert_eq!(f.len(), 1, "{v}");
            assert_eq!(at(&f[0]), (3, 17), "{v}");
        }
        let f = compose(
            "services:\n  web:\n    deploy:\n      resources:\n        limits: {pids: -1}\n",
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    pids_limit: 100\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n";
        assert!(compose(text).is_empty());
        assert!(compose("services:\n  app:\n    image: a\n    user: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-l: &l\n  pids_limit: -1\nservices:\n  a:\n    <<: *l\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:15");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    image: nginx:1.27\n  worker:\n    pids_limit: -1\n  api:\n    pids_limit: 200\n"
        )));
    }
}
