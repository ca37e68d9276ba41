//! CMP010 `service-host-userns`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::compose::host_namespace;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service opts out of user-namespace remapping with
    /// `userns_mode: host`, compared exactly (not as a substring). This is the
    /// compose form of CTR031 (`host-user-namespace`), with the same
    /// predicate. A daemon without `userns-remap` puts every container in the
    /// host's user namespace anyway; the daemon setting is DMN009's subject.
    /// The finding points at the value; a value from an anchor is reported
    /// where the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// With user namespaces, root in a container is an unprivileged uid on the
    /// host, so a container escape lands as nobody. `userns_mode: host` throws
    /// that away for one service: its root is the host's root, and any escape
    /// or writable host mount becomes full host compromise.
    ///
    /// ## How to fix
    /// Remove `userns_mode: host`, and enable remapping on the daemon
    /// (`"userns-remap": "default"` in daemon.json).
    ///
    /// ## Examples
    /// Fails: `services: {app: {image: a, userns_mode: host}}`.
    /// Passes: `services: {app: {image: a}}` on a daemon with
    /// `userns-remap`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.31
    /// - <https://docs.docker.com/reference/compose-file/services/#userns_mode>
    pub ServiceHostUserns {
        id: "CMP010",
        name: "service-host-userns",
        severity: Medium,
        target: Compose,
        summary: "A compose service opts out of user namespace remapping",
    }
}

impl Check for ServiceHostUserns {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        host_namespace(ctx, out, "userns_mode", "user", |s| s.userns_mode.as_ref());
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
            &ServiceHostUserns,
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
    fn host_fails_at_its_value() {
        let f = compose(
            "services:\n  app:\n    image: a\n    userns_mode: host\n  db:\n    image: b\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 18));
        let f = compose("services:\n  app:\n    userns_mode: \"host\"\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn other_modes_pass_by_exact_comparison() {
        for mode in ["", "hostuser", "Host", "private"] {
            let text = format!("services:\n  app:\n    userns_mode: \"{mode}\"\n");
            assert!(compose(&text).is_empty(), "{mode}");
        }
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-h: &h\n  userns_mode: host\nservices:\n  a:\n    <<: *h\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:16");
    }

    #[test]
    fn a_suppression_with_a_reason_silences_it() {
        let text = "services:\n  app:\n    userns_mode: host  # bulwark:ignore=CMP010 the agent reads host state\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&ServiceHostUserns];
        let f =
            crate::evaluate::evaluate_sources(&[src], &crate::policy::Policy::default(), &rules);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "x-h: &h\n  userns_mode: host\nservices:\n  builder:\n    <<: *h\n    image: builder:3\n  web:\n    image: nginx:1.27\n"
        )));
    }
}
