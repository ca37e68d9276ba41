//! CMP021 `service-privileged-port`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{Located, Port, PortRange, Service};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::{describe_port, fail_at_port, with_defaults};
use crate::sources::subject;

declare_rule! {
    /// ## What it checks
    /// Whether a compose service publishes a host port below 1024. This is the
    /// compose form of CTR008 (`privileged-host-port`). The host port is read
    /// from the short syntax (`"80:8080"`, `"127.0.0.1:443:8443"`) and from the
    /// long syntax's `published`; a range fails when it reaches below 1024
    /// (`"1000-1030:1000-1030"`). A host port from a variable is read with its
    /// default (`${HTTP_PORT:-80}`); one without a default is not judged. No
    /// host port (`"80"`: the engine picks a free high one) passes: only the
    /// container port is low. A service on the host's network is skipped: the
    /// engine ignores its `ports` (CMP007 reports it). One finding per entry,
    /// at the entry; an entry from an anchor is reported where the service
    /// uses it, with the anchor's line as evidence.
    ///
    /// ## Why it matters
    /// Ports below 1024 are where the host's own privileged services live
    /// (SSH, DNS, SMTP, HTTP). A container publishing one can shadow or take
    /// over a host service, and clients trust such ports more than high ones.
    /// Mapping a privileged port should be a decision, typically for a single
    /// reverse proxy.
    ///
    /// ## How to fix
    /// Publish a high host port (`"8080:80"`) and put a reverse proxy or load
    /// balancer in front where port 80 or 443 is needed, or add a suppression
    /// with the reason on the proxy's entry.
    ///
    /// ## Examples
    /// Fails: `ports: ["80:8080"]`, `ports: ["1000-1030:1000-1030"]`.
    /// Passes: `ports: ["8080:80"]`, `ports: ["80"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.8
    /// - <https://docs.docker.com/reference/compose-file/services/#ports>
    pub ServicePrivilegedPort {
        id: "CMP021",
        name: "service-privileged-port",
        severity: Low,
        target: Compose,
        summary: "A compose service publishes a privileged host port",
    }
}

impl Check for ServicePrivilegedPort {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        for (src, file) in ctx.compose_files() {
            for service in &file.services {
                // On the host's network the engine discards `ports`
                // (CMP007 reports the service).
                if service
                    .network_mode
                    .as_ref()
                    .is_some_and(|m| m.value == "host")
                {
                    continue;
                }
                for port in service.ports.iter().flat_map(|l| &l.value) {
                    if let Some(verdict) = judge(src, service, port) {
                        out.push(subject(src), verdict);
                    }
                }
            }
        }
    }
}

fn judge(src: &Source, service: &Service, port: &Located<Port>) -> Option<Verdict> {
    let p = &port.value;
    let published = p.published.as_ref()?;
    // Read with the file, unless a variable stands in it.
    let PortRange { start, end } = match published.range {
        Some(range) => range,
        None => PortRange::parse(&with_defaults(&published.text)?)?,
    };
    // 0 lets the engine choose, as no host port does.
    if start == 0 || start >= 1024 {
        return None;
    }
    let which = if start == end {
        format!("privileged host port {start}")
    } else {
        format!(
            "host ports {start}-{end}, of which {start}-{} are privileged",
            end.min(1023)
        )
    };
    Some(fail_at_port(
        src,
        port,
        format!(
            "Service `{}` publishes {which} ({}).",
            service.name.value,
            describe_port(p)
        ),
    ))
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
            &ServicePrivilegedPort,
            vec![Source::parse(
                "compose.yml",
                SourceKind::Compose,
                text.into(),
            )],
        )
    }

    fn one_port(spec: &str) -> Vec<Finding> {
        compose(&format!(
            "services:\n  app:\n    image: a\n    ports:\n      - \"{spec}\"\n"
        ))
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
    fn a_low_host_port_fails_at_the_entry() {
        for spec in [
            "80:8080",
            "127.0.0.1:443:8443",
            "22:22/tcp",
            "1:80",
            "1023:80",
            "1000-1030:1000-1030",
            "${HTTP_PORT:-80}:8080",
            "[::1]:53:53/udp",
        ] {
            let f = one_port(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (5, 9), "{spec}");
        }
    }

    #[test]
    fn high_random_and_unknown_host_ports_pass() {
        for spec in [
            "8080:80",
            "80",
            "127.0.0.1::80",
            "1024:80",
            "0:80",
            "${HTTP_PORT}:80",
            "${HTTP_PORT:-8080}:80",
        ] {
            assert!(one_port(spec).is_empty(), "{spec}");
        }
    }

    #[test]
    fn a_range_names_its_privileged_part() {
        let f = one_port("1000-1030:1000-1030");
        assert!(
            f[0].message.contains("1000-1023 are privileged"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn long_syntax_reads_published() {
        let f = compose(
            "services:\n  app:\n    ports:\n      - target: 8443\n        published: 443\n      - target: 80\n        published: \"8080\"\n      - target: 80\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (4, 9));
    }

    #[test]
    fn the_host_network_is_left_to_cmp007() {
        assert!(
            compose("services:\n  app:\n    network_mode: host\n    ports: [\"80:80\"]\n")
                .is_empty()
        );
    }

    #[test]
    fn from_an_anchor_it_points_at_the_use_and_names_the_definition() {
        let f = compose("x-p: &p\n  ports: [\"80:80\"]\nservices:\n  a:\n    <<: *p\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:11");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  proxy:\n    image: traefik:3\n    ports:\n      - \"80:80\"\n      - \"127.0.0.1:443:443\"\n      - target: 8080\n        published: \"8080\"\n  ftp:\n    ports: [\"1000-1030:1000-1030\"]\n"
        )));
    }
}
