//! CMP015 `service-no-memory-limit`.

use std::borrow::Cow;

use bulwark_syntax::compose::ByteSize;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::limits::{Limit, deploy_limits};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service has a hard memory limit: `mem_limit`, or
    /// `deploy.resources.limits.memory` (which `docker compose` applies too).
    /// This is the compose form of CTR011 (`no-memory-limit`).
    /// - A service with neither fails. `deploy.resources.reservations.memory`
    ///   (and `mem_reservation`) is a soft target, not a limit, and does not
    ///   count.
    /// - A limit of `0` means unlimited and fails, at the value.
    /// - A limit from a variable (`${MEM:-512m}`, `${MEM}`) is a limit that is
    ///   set, and passes.
    ///
    /// The finding for a missing setting points at the service name. A base
    /// service it `extends` in the same file counts; when that cannot be read
    /// (another file, a YAML error in the service), nothing is reported. A
    /// value from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// A container without a limit can take all of the host's memory, through
    /// a leak, a load spike or a deliberate attack. The kernel's OOM killer
    /// then picks victims across the whole host, possibly the Docker daemon,
    /// sshd or other services, turning one faulty service into a host-wide
    /// outage.
    ///
    /// ## How to fix
    /// Give each service a limit sized for its workload: `mem_limit: 512m`, or
    /// `deploy: {resources: {limits: {memory: 512m}}}`.
    ///
    /// ## Examples
    /// Fails: `services: {web: {image: nginx}}`, `mem_limit: 0`.
    /// Passes: `services: {web: {image: nginx, mem_limit: 256m}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.11
    /// - <https://docs.docker.com/reference/compose-file/deploy/#resources>
    pub ServiceNoMemoryLimit {
        id: "CMP015",
        name: "service-no-memory-limit",
        severity: Medium,
        target: Compose,
        summary: "A compose service has no memory limit",
    }
}

impl Check for ServiceNoMemoryLimit {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                MEMORY.judge(src, file, service, out);
            }
        }
    }
}

/// Memory limits as [`Limit::judge`] reads them.
const MEMORY: Limit<ByteSize> = Limit {
    set: |s| {
        [
            s.mem_limit.as_ref(),
            deploy_limits(s).and_then(|l| l.memory.as_ref()),
        ]
    },
    unlimited: |b| b.bytes == Some(0),
    text: |b| Cow::Borrowed(&b.text),
    noun: "memory limit",
    evidence: "memory limit ",
    missing: "has no memory limit (mem_limit or deploy.resources.limits.memory).",
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
            &ServiceNoMemoryLimit,
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
        let f = compose(
            "services:\n  web:\n    image: a\n  soft:\n    mem_reservation: 256m\n    deploy:\n      resources:\n        reservations:\n          memory: 256m\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(at(&f[0]), (2, 3));
        assert_eq!(at(&f[1]), (4, 3));
    }

    #[test]
    fn either_place_sets_a_limit() {
        for text in [
            "services:\n  web:\n    mem_limit: 512m\n",
            "services:\n  web:\n    mem_limit: 1073741824\n",
            "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n",
            "services:\n  web:\n    mem_limit: ${MEM:-512m}\n",
            "services:\n  web:\n    mem_limit: ${MEM}\n",
        ] {
            assert!(compose(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn zero_means_unlimited_and_fails_at_the_value() {
        let f = compose("services:\n  web:\n    mem_limit: 0\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (3, 16));
        assert!(f[0].message.contains("unlimited"), "{}", f[0].message);
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    mem_limit: 1g\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n";
        assert!(compose(text).is_empty());
        assert!(compose("services:\n  app:\n    image: a\n    user: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-l: &l\n  mem_limit: 0\nservices:\n  a:\n    <<: *l\n  b:\n    <<: *l\n    mem_limit: 1g\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:14");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    image: nginx:1.27\n  worker:\n    mem_limit: 0\n  api:\n    deploy:\n      resources:\n        limits: {memory: 512m}\n"
        )));
    }
}
