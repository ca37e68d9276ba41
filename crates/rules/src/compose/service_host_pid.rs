//! CMP008 `service-host-pid`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::compose::host_namespace;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service shares the host's process (PID) namespace:
    /// `pid: host` fails, compared exactly. `pid: "service:<name>"` joins
    /// another service's namespace; the link is followed through the file's
    /// services and fails when the chain ends in `host`. A `container:<name>`
    /// link names a container outside the file and is not followed. This is
    /// the compose form of CTR016 (`host-pid-namespace`), with the same
    /// predicate. The finding points at the value; a value from an anchor is
    /// reported where the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// A container in the host's PID namespace sees every process on the
    /// host, with its command line and environment (often holding secrets),
    /// and as root it can signal, trace or enter them (`nsenter -t 1`), which
    /// is a direct path to the host. The engine also turns off SELinux
    /// labelling for such containers.
    ///
    /// ## How to fix
    /// Remove `pid: host`. A monitoring agent that needs host process data
    /// should read a read-only bind of the specific `/proc` files it needs,
    /// or run as a host service.
    ///
    /// ## Examples
    /// Fails: `services: {debug: {image: busybox, pid: host}}`.
    /// Passes: `services: {debug: {image: busybox, pid: "service:app"}}`
    /// where `app` has its own namespace.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.16
    /// - <https://docs.docker.com/reference/compose-file/services/#pid>
    pub ServiceHostPid {
        id: "CMP008",
        name: "service-host-pid",
        severity: High,
        target: Compose,
        summary: "A compose service shares the host PID namespace",
    }
}

impl Check for ServiceHostPid {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        host_namespace(ctx, out, "pid", "PID", |s| s.pid.as_ref());
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
            &ServiceHostPid,
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
        let f = compose("services:\n  app:\n    image: a\n    pid: host\n  db:\n    image: b\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 10));
        let f = compose("services:\n  app:\n    pid: \"host\"\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn other_modes_pass_by_exact_comparison() {
        for mode in [
            "",
            "private",
            "hostpid",
            "Host",
            "service:web",
            "container:web",
        ] {
            let text = format!("services:\n  app:\n    pid: \"{mode}\"\n");
            assert!(compose(&text).is_empty(), "{mode}");
        }
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
    }

    #[test]
    fn a_service_link_to_a_host_service_fails_and_names_the_chain() {
        let f = compose(
            "services:\n  agent:\n    pid: host\n  sidecar:\n    pid: \"service:agent\"\n  other:\n    pid: \"service:sidecar\"\n  own:\n    pid: \"service:web\"\n  web:\n    image: w\n",
        );
        assert_eq!(f.len(), 3, "{f:#?}");
        assert!(
            f[1].message.contains("through service `agent`"),
            "{}",
            f[1].message
        );
        assert!(
            f[2].message.contains("through service `sidecar` → `agent`"),
            "{}",
            f[2].message
        );
    }

    #[test]
    fn loops_dangling_links_and_containers_end_the_walk() {
        let text = "services:\n  a:\n    pid: \"service:b\"\n  b:\n    pid: \"service:a\"\n  c:\n    pid: \"service:gone\"\n  d:\n    pid: \"container:hostnet\"\n";
        assert!(compose(text).is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-h: &h\n  pid: host\nservices:\n  a:\n    <<: *h\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:8");
    }

    #[test]
    fn a_suppression_with_a_reason_silences_it() {
        let text = "services:\n  app:\n    pid: host  # bulwark:ignore=CMP008 the agent reads host state\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&ServiceHostPid];
        let f =
            crate::evaluate::evaluate_sources(&[src], &crate::policy::Policy::default(), &rules);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  debug:\n    image: busybox:1.36\n    pid: host\n  tools:\n    pid: \"service:debug\"\n  web:\n    image: nginx:1.27\n"
        )));
    }
}
