//! CMP015 `service-no-memory-limit`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{ByteSize, ComposeFile, Located, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::{decided_by, defined_at};
use crate::sources::{location, subject};

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
                judge(src, file, service, out);
            }
        }
    }
}

/// The memory limits a service sets, in both places.
fn limits(s: &Service) -> impl Iterator<Item = &Located<ByteSize>> {
    let deploy = s
        .deploy
        .as_ref()
        .and_then(|d| d.value.resources.as_ref())
        .and_then(|r| r.value.limits.as_ref())
        .and_then(|l| l.value.memory.as_ref());
    s.mem_limit.iter().chain(deploy)
}

/// Reports the service's problem, if any, to `out`.
fn judge(src: &Source, file: &ComposeFile, service: &Service, out: &mut Findings<'_>) {
    let name = &service.name.value;
    let mut own = limits(service).peekable();
    if own.peek().is_some() {
        let zeros = own.filter(|l| l.value.bytes == Some(0)).map(|l| {
            let verdict = Verdict::fail(
                [
                    "Service `",
                    name,
                    "` sets a memory limit of ",
                    &l.value.text,
                    ", which means unlimited.",
                ]
                .concat(),
            )
            .at(location(src, l.used.span));
            match defined_at(src, l, format_args!("memory limit {}", l.value.text)) {
                Some(e) => verdict.with(e),
                None => verdict,
            }
        });
        for verdict in zeros {
            out.push(subject(src), verdict);
        }
        return;
    }
    if decided_by(file, service, |s| limits(s).next().is_some()) != Some(None) {
        return;
    }
    out.push(
        subject(src),
        Verdict::fail(
            [
                "Service `",
                name,
                "` has no memory limit (mem_limit or deploy.resources.limits.memory).",
            ]
            .concat(),
        )
        .at(location(src, service.name.used.span)),
    );
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
