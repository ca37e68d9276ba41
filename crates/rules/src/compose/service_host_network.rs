//! CMP007 `service-host-network`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::compose::host_namespace;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service shares the host's network namespace:
    /// `network_mode: host` fails, compared exactly (a network named `hostnet`
    /// is not the host). `network_mode: "service:<name>"` joins another
    /// service's namespace; the link is followed through the file's services
    /// and fails when the chain ends in `host`. A `container:<name>` link
    /// names a container outside the file and is not followed. This is the
    /// compose form of CTR010 (`host-network-namespace`), with the same
    /// predicate. The finding points at the value; a value from an anchor is
    /// reported where the service uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// A container on the host's network sees and can bind every host
    /// interface: it can listen on any port, reach services bound to
    /// `127.0.0.1` on the host, and sniff or spoof traffic with NET_RAW. Its
    /// listeners are exposed on every interface without any `ports:` entry,
    /// and none of Docker's network isolation applies to it.
    ///
    /// ## How to fix
    /// Remove `network_mode: host`, put the service on a user-defined network
    /// and publish the ports it needs with `ports: ["127.0.0.1:8080:80"]`. For
    /// `network_mode: "service:<name>"`, make sure the target service is not
    /// itself on the host's network.
    ///
    /// ## Examples
    /// Fails: `services: {agent: {image: a, network_mode: host}}`.
    /// Passes: `services: {web: {image: a, networks: [backend]}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.10
    /// - <https://docs.docker.com/reference/compose-file/services/#network_mode>
    pub ServiceHostNetwork {
        id: "CMP007",
        name: "service-host-network",
        severity: High,
        target: Compose,
        summary: "A compose service uses the host network",
    }
}

impl Check for ServiceHostNetwork {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        host_namespace(ctx, out, "network_mode", "network", |s| {
            s.network_mode.as_ref()
        });
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
            &ServiceHostNetwork,
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
            "services:\n  app:\n    image: a\n    network_mode: host\n  db:\n    image: b\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 19));
        let f = compose("services:\n  app:\n    network_mode: \"host\"\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn other_modes_pass_by_exact_comparison() {
        for mode in [
            "bridge",
            "none",
            "default",
            "hostnet",
            "Host",
            "service:web",
            "container:web",
        ] {
            let text = format!("services:\n  app:\n    network_mode: \"{mode}\"\n");
            assert!(compose(&text).is_empty(), "{mode}");
        }
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
    }

    #[test]
    fn a_service_link_to_a_host_service_fails_and_names_the_chain() {
        let f = compose(
            "services:\n  agent:\n    network_mode: host\n  sidecar:\n    network_mode: \"service:agent\"\n  other:\n    network_mode: \"service:sidecar\"\n  own:\n    network_mode: \"service:web\"\n  web:\n    image: w\n",
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
        let text = "services:\n  a:\n    network_mode: \"service:b\"\n  b:\n    network_mode: \"service:a\"\n  c:\n    network_mode: \"service:gone\"\n  d:\n    network_mode: \"container:hostnet\"\n";
        assert!(compose(text).is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-h: &h\n  network_mode: host\nservices:\n  a:\n    <<: *h\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:17");
    }

    #[test]
    fn a_suppression_with_a_reason_silences_it() {
        let text = "services:\n  app:\n    network_mode: host  # bulwark:ignore=CMP007 the agent reads host state\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&ServiceHostNetwork];
        let f =
            crate::evaluate::evaluate_sources(&[src], &crate::policy::Policy::default(), &rules);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  monitor:\n    image: prom/node-exporter:v1.8.2\n    network_mode: host\n  sidecar:\n    network_mode: \"service:monitor\"\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n"
        )));
    }
}
