//! CMP001 `privileged-service`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::defined_at;
use crate::sources::{location, subject};

declare_rule! {
    /// ## What it checks
    /// Whether a compose service sets `privileged: true`, directly or
    /// through an anchor (`<<: *common`). The finding points at the line
    /// where the value takes effect; when it comes from an anchor, the
    /// evidence also names the line where it is written. This is the
    /// compose form of CTR005 (`privileged-container`), which checks the
    /// same setting on running and stopped containers.
    ///
    /// ## Why it matters
    /// A privileged container gets every capability, every host device, no
    /// seccomp filter and no AppArmor or SELinux confinement: root inside
    /// it is root on the host.
    ///
    /// ## How to fix
    /// Remove `privileged: true`; grant the capabilities (`cap_add`) and
    /// devices (`devices`) the service needs instead.
    ///
    /// ## Examples
    /// Fails: `services: {app: {image: app, privileged: true}}`.
    /// Passes: `services: {app: {image: app, cap_add: [NET_BIND_SERVICE]}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.5
    /// - <https://docs.docker.com/reference/compose-file/services/#privileged>
    pub PrivilegedService {
        id: "CMP001",
        name: "privileged-service",
        severity: Critical,
        target: Compose,
        summary: "A compose service runs privileged",
    }
}

impl Check for PrivilegedService {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                let Some(p) = service.privileged.as_ref().filter(|p| p.value) else {
                    continue;
                };
                let verdict = Verdict::fail(
                    [
                        "Service `",
                        &service.name.value,
                        "` runs privileged: all capabilities, all devices, no confinement.",
                    ]
                    .concat(),
                )
                .at(location(src, p.used.span))
                .with_all(defined_at(src, p, "privileged: true"));
                out.push(subject(src), verdict);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::testing::*;

    fn compose(text: &str) -> Vec<crate::finding::Finding> {
        lint(
            &PrivilegedService,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    #[test]
    fn privileged_fails_at_its_line() {
        let f =
            compose("services:\n  web:\n    image: a\n    privileged: true\n  db:\n    image: b\n");
        assert_eq!(f.len(), 1);
        let loc = f[0].location.clone().unwrap();
        assert_eq!((loc.start_line, loc.start_column), (4, 17));
    }

    #[test]
    fn false_and_absent_pass() {
        assert!(
            compose("services:\n  web:\n    privileged: false\n  db:\n    image: b\n").is_empty()
        );
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose(
            "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: a\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.clone().unwrap().start_line, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:15");
    }

    #[test]
    fn a_suppression_with_a_reason_silences_it() {
        let text = "services:\n  web:\n    # bulwark:ignore=CMP001 the agent needs raw devices\n    privileged: true\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&PrivilegedService];
        let f =
            crate::evaluate::evaluate_sources(&[src], &crate::policy::Policy::default(), &rules);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(render(&compose(
            "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n  db:\n    privileged: true\n"
        )));
    }
}
