//! CMP009 `service-host-ipc`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::compose::host_namespace;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service shares the host's IPC namespace: `ipc: host`
    /// fails, compared exactly. `ipc: "service:<name>"` joins another
    /// service's namespace; the link is followed through the file's services
    /// and fails when the chain ends in `host`. `private`, `shareable`, `none`
    /// and a `container:<name>` link (a container outside the file, not
    /// followed) pass. This is the compose form of CTR017
    /// (`host-ipc-namespace`), with the same predicate. The finding points at
    /// the value; a value from an anchor is reported where the service uses
    /// it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// The IPC namespace holds System V shared memory, semaphores, message
    /// queues and POSIX shared memory (`/dev/shm`). A container in the host's
    /// IPC namespace can read and corrupt the shared memory of host processes
    /// (databases, X servers, other services) and signal their semaphores. The
    /// engine also turns off SELinux labelling for such a container.
    ///
    /// ## How to fix
    /// Remove `ipc: host`. When two services must share memory, give the donor
    /// `ipc: shareable` and the other `ipc: "service:<donor>"`.
    ///
    /// ## Examples
    /// Fails: `services: {app: {image: a, ipc: host}}`.
    /// Passes: `services: {db: {image: a, ipc: shareable}}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.17
    /// - <https://docs.docker.com/reference/compose-file/services/#ipc>
    pub ServiceHostIpc {
        id: "CMP009",
        name: "service-host-ipc",
        severity: High,
        target: Compose,
        summary: "A compose service shares the host IPC namespace",
    }
}

impl Check for ServiceHostIpc {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        host_namespace(ctx, out, "ipc", "IPC", |s| s.ipc.as_ref());
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
            &ServiceHostIpc,
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
        let f = compose("services:\n  app:\n    image: a\n    ipc: host\n  db:\n    image: b\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 10));
        let f = compose("services:\n  app:\n    ipc: \"host\"\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn other_modes_pass_by_exact_comparison() {
        for mode in [
            "",
            "private",
            "shareable",
            "none",
            "hostipc",
            "Host",
            "service:web",
            "container:web",
        ] {
            let text = format!("services:\n  app:\n    ipc: \"{mode}\"\n");
            assert!(compose(&text).is_empty(), "{mode}");
        }
        assert!(compose("services:\n  app:\n    image: a\n").is_empty());
    }

    #[test]
    fn a_service_link_to_a_host_service_fails_and_names_the_chain() {
        let f = compose(
            "services:\n  agent:\n    ipc: host\n  sidecar:\n    ipc: \"service:agent\"\n  other:\n    ipc: \"service:sidecar\"\n  own:\n    ipc: \"service:web\"\n  web:\n    image: w\n",
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
        let text = "services:\n  a:\n    ipc: \"service:b\"\n  b:\n    ipc: \"service:a\"\n  c:\n    ipc: \"service:gone\"\n  d:\n    ipc: \"container:hostnet\"\n";
        assert!(compose(text).is_empty());
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-h: &h\n  ipc: host\nservices:\n  a:\n    <<: *h\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:8");
    }

    #[test]
    fn a_suppression_with_a_reason_silences_it() {
        let text = "services:\n  app:\n    ipc: host  # bulwark:ignore=CMP009 the agent reads host state\n";
        let src = Source::parse("compose.yml", SourceKind::Compose, text.into());
        let rules: Vec<&dyn crate::rule::Rule> = vec![&ServiceHostIpc];
        let f =
            crate::evaluate::evaluate_sources(&[src], &crate::policy::Policy::default(), &rules);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  x11:\n    image: app:2\n    ipc: host\n  worker:\n    ipc: \"service:x11\"\n  db:\n    image: postgres:16\n    ipc: shareable\n"
        )));
    }
}
