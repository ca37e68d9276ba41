//! CMP016 `service-no-cpu-limit`.

use std::borrow::Cow;

use bulwark_syntax::compose::{Cpus, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::limits::{Limit, deploy_limits};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service has any CPU control. This is the compose form
    /// of CTR012 (`no-cpu-limit`), which passes any of a limit, a quota, a CPU
    /// set or a weight: here `cpus`, `deploy.resources.limits.cpus`,
    /// `cpu_shares`, `cpu_quota`, `cpu_period`, `cpuset`, `cpu_count` and
    /// `cpu_percent` all count.
    /// - A service with none of them fails.
    /// - `cpus: 0` means unlimited and fails, at the value.
    /// - A value from a variable (`${CPUS:-0.5}`) is set, and passes.
    ///
    /// The finding for a missing setting points at the service name. A base
    /// service it `extends` in the same file counts; when that cannot be read
    /// (another file, a YAML error in the service), nothing is reported. A
    /// value from an anchor is reported where the service uses it, with the
    /// anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Without any CPU control a container competes for the CPU on equal terms
    /// with everything else, and a busy or compromised one can starve the
    /// other containers and the host's own services (including the Docker
    /// daemon) of CPU time.
    ///
    /// ## How to fix
    /// Give each service a CPU budget: `cpus: 1.5`, or
    /// `deploy: {resources: {limits: {cpus: "1.5"}}}`, or a relative weight
    /// with `cpu_shares: 512`, or pin it with `cpuset: "0-1"`.
    ///
    /// ## Examples
    /// Fails: `services: {web: {image: nginx}}`, `cpus: 0`.
    /// Passes: `services: {web: {image: nginx, cpus: 0.5}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.12
    /// - <https://docs.docker.com/reference/compose-file/services/#cpus>
    pub ServiceNoCpuLimit {
        id: "CMP016",
        name: "service-no-cpu-limit",
        severity: Low,
        target: Compose,
        summary: "A compose service has no CPU limit",
    }
}

impl Check for ServiceNoCpuLimit {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                CPU.judge(src, file, service, out);
            }
        }
    }
}

/// CPU limits as [`Limit::judge`] reads them.
const CPU: Limit<Cpus> = Limit {
    set: |s| {
        [
            s.cpus.as_ref(),
            deploy_limits(s).and_then(|l| l.cpus.as_ref()),
        ]
    },
    unlimited: |c| c.value == Some(0.0),
    text: |c| Cow::Borrowed(&c.text),
    noun: "CPU limit",
    evidence: "cpus: ",
    missing: "has no CPU limit, quota, CPU set or weight.",
    also: other_controls,
};

/// True when the service sets one of the other CPU controls (a weight, a
/// quota, a CPU set, …), whatever its value.
fn other_controls(s: &Service) -> bool {
    [
        &s.cpu_shares,
        &s.cpu_quota,
        &s.cpu_period,
        &s.cpuset,
        &s.cpu_count,
        &s.cpu_percent,
    ]
    .iter()
    .any(|c| c.is_some())
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
            &ServiceNoCpuLimit,
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
    fn any_cpu_control_passes() {
        for text in [
            "services:\n  web:\n    cpus: 0.5\n",
            "services:\n  web:\n    cpus: \"2\"\n",
            "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          cpus: '0.5'\n",
            "services:\n  web:\n    cpus: ${CPUS:-1}\n",
            "services:\n  web:\n    cpu_shares: 512\n",
            "services:\n  web:\n    image: a\n    cpuset: \"0-1\"\n",
            "services:\n  web:\n    cpu_quota: 50000\n  db:\n    cpus: 1\n",
        ] {
            assert!(compose(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn another_services_key_or_a_comment_does_not_count() {
        let f = compose(
            "services:\n  web:\n    image: a\n    # cpu_shares: 512\n  db:\n    cpu_shares: 512\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (2, 3));
        let f = compose("services:\n  web:\n    image: a\nx-other:\n  cpu_shares: 5\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn a_control_from_an_anchor_counts() {
        assert!(compose("x-l: &l\n  cpu_shares: 512\nservices:\n  a:\n    <<: *l\n").is_empty());
        // An empty value sets nothing.
        assert_eq!(compose("services:\n  a:\n    cpuset:\n").len(), 1);
    }

    #[test]
    fn zero_means_unlimited_and_fails_at_the_value() {
        let f = compose("services:\n  web:\n    cpus: 0\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (3, 11));
    }

    #[test]
    fn a_base_service_counts_and_an_unknown_one_silences() {
        let text = "services:\n  base:\n    cpus: 1\n  app:\n    extends: base\n  ext:\n    extends: {file: other.yml, service: x}\n";
        assert!(compose(text).is_empty());
        assert!(compose("services:\n  app:\n    image: a\n    user: [\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-l: &l\n  cpus: 0\nservices:\n  a:\n    <<: *l\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:9");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  web:\n    image: nginx:1.27\n  worker:\n    cpus: 0\n  api:\n    cpus: 1.5\n  batch:\n    cpu_shares: 256\n"
        )));
    }
}
