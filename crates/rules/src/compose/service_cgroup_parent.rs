//! CMP011 `service-cgroup-parent`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::Service;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::defined_at;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service is placed under a cgroup parent of its own
    /// choosing (`cgroup_parent`). This is the compose form of CTR025
    /// (`custom-cgroup-parent`), with the same test: a parent equal to, or
    /// beneath, an entry of the policy's `allowed_cgroup_parents` passes (by
    /// whole path or slice component: `/kubepods` allows `/kubepods/burstable`,
    /// not `/kubepodsx`); any other non-empty parent fails, at the value,
    /// for a person to confirm it is intended. A value from an anchor is
    /// reported where the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// The cgroup parent decides which resource limits bound the container in
    /// addition to its own. A container placed under an unlimited or unexpected
    /// parent escapes the limits the operator set for containers as a group,
    /// and can starve the host or other tenants.
    ///
    /// ## How to fix
    /// Remove `cgroup_parent` unless it is intended, and set the default for
    /// all containers on the daemon instead (`"cgroup-parent"` in daemon.json).
    /// Record intended parents, such as an orchestrator's, in bulwark's policy
    /// (`allowed_cgroup_parents`).
    ///
    /// ## Examples
    /// Fails: `cgroup_parent: /custom`.
    /// Passes: a service without `cgroup_parent`, or one under an allowed
    /// parent.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.25
    /// - <https://docs.docker.com/reference/compose-file/services/#cgroup_parent>
    pub ServiceCgroupParent {
        id: "CMP011",
        name: "service-cgroup-parent",
        severity: Low,
        target: Compose,
        summary: "A compose service runs under a custom cgroup parent",
    }
}

impl Check for ServiceCgroupParent {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                if let Some(verdict) = judge(src, service, &ctx.policy.allowed_cgroup_parents) {
                    out.push(subject(src), verdict);
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service, allowed: &[String]) -> Option<Verdict> {
    let Some(parent) = &service.cgroup_parent else {
        return None;
    };
    let value = parent.value.trim();
    if value.is_empty() || allowed.iter().any(|p| is_under(value, p)) {
        return None;
    }
    let verdict = Verdict::fail(format!(
        "Service `{}` runs under cgroup parent {value}: verify it is intended and carries the expected limits.",
        service.name.value
    ))
    .at(location(src, parent.used.span));
    Some(
        match defined_at(src, parent, format_args!("cgroup_parent: {value}")) {
            Some(e) => verdict.with(e),
            None => verdict,
        },
    )
}

/// True when `parent` is `prefix` or lies beneath it (as in CTR025).
/// Components end at `/` (cgroupfs paths) or at `-`/`.` (systemd slices:
/// `kubepods-burstable.slice` is beneath `kubepods`).
fn is_under(parent: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return false; // an empty entry must not allow everything
    }
    match parent.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.starts_with(['/', '-', '.']) || prefix.ends_with(['-', '.']),
        None => false,
    }
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
            &ServiceCgroupParent,
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
    fn a_custom_parent_fails_at_the_value() {
        let f = compose(
            "services:\n  app:\n    cgroup_parent: /custom\n  web:\n    image: a\n  empty:\n    cgroup_parent: \"\"\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (3, 20));
    }

    #[test]
    fn the_policy_allows_parents_by_whole_component() {
        let policy = crate::policy::Policy {
            allowed_cgroup_parents: vec!["/kubepods".into(), "".into()],
            ..crate::policy::Policy::default()
        };
        let text = "services:\n  a:\n    cgroup_parent: /kubepods/burstable\n  b:\n    cgroup_parent: /kubepodsx\n  c:\n    cgroup_parent: /kubepods\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&ServiceCgroupParent];
        let f = crate::evaluate::evaluate_sources(&[src], &policy, &rules);
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-c: &c\n  cgroup_parent: /x\nservices:\n  a:\n    <<: *c\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:18");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  batch:\n    image: batch:1\n    cgroup_parent: /unlimited\n  web:\n    image: nginx:1.27\n"
        )));
    }
}
