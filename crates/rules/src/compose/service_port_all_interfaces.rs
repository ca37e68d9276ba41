//! CMP020 `service-port-all-interfaces`.

use bulwark_syntax::Source;
use bulwark_syntax::compose::{Located, Port, Service};
use std::net::IpAddr;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::compose::with_defaults;
use crate::shared::compose::{fail_at_port, port_pieces};
use crate::sources::subject;

declare_rule! {
    /// ## What it checks
    /// Whether each published port of a compose service is bound to a specific
    /// host address. This is the compose form of CTR014
    /// (`port-bound-to-all-interfaces`), with the same test for "every
    /// interface": `0.0.0.0`, `::` (`[::]`) or any other spelling of an
    /// unspecified address, or no address at all.
    /// - Short syntax without an address fails: `"8080:80"`, and `"80"`, which
    ///   publishes on a random host port. `"0.0.0.0:8080:80"` and
    ///   `"[::]:8080:80"` fail too.
    /// - Long syntax without `host_ip` fails.
    /// - `"127.0.0.1:8080:80"`, `host_ip: 10.0.0.5` pass.
    ///
    /// An address from a variable is read with its default
    /// (`${BIND:-0.0.0.0}` fails); one without a default (`${BIND}`) is not
    /// judged. A service on the host's network is skipped: the engine ignores
    /// its `ports` (CMP007 reports it). The daemon's `ip` setting and a
    /// network's `com.docker.network.bridge.host_binding_ipv4` option can change
    /// the default address; a compose file does not show the former, and the
    /// service's networks are not read, so both are left to CTR014 on the
    /// running containers. One finding per entry, at the entry; an entry from
    /// an anchor is reported where the service uses it, with the anchor's line
    /// as evidence.
    ///
    /// ## Why it matters
    /// A port published on every interface is reachable from every network
    /// the host is attached to, including public ones, and Docker's iptables
    /// rules open it ahead of the host firewall (ufw, firewalld). Binding to
    /// one address keeps an admin panel or a database from being exposed to
    /// the internet by accident.
    ///
    /// ## How to fix
    /// Give the address in every mapping: `ports: ["127.0.0.1:8080:80"]`, or
    /// `host_ip: 127.0.0.1` in the long syntax. Put services that only other
    /// services talk to on a network without `ports` at all.
    ///
    /// ## Examples
    /// Fails: `ports: ["8080:80"]`, `ports: ["0.0.0.0:5432:5432"]`.
    /// Passes: `ports: ["127.0.0.1:8080:80"]`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.14
    /// - <https://docs.docker.com/reference/compose-file/services/#ports>
    pub ServicePortAllInterfaces {
        id: "CMP020",
        name: "service-port-all-interfaces",
        severity: Medium,
        target: Compose,
        summary: "A compose service publishes a port on all host interfaces",
    }
}

impl Check for ServicePortAllInterfaces {
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
    let ip = match &p.host_ip {
        None => None,
        Some(ip) => {
            let ip = with_defaults(ip)?;
            if !is_wildcard(&ip) {
                return None;
            }
            Some(ip)
        }
    };
    let (open, ip, close) = match &ip {
        Some(ip) => (" (", &**ip, ")"),
        None => ("", "", ""),
    };
    let [host, arrow, target, slash, protocol] = port_pieces(p);
    Some(fail_at_port(
        src,
        port,
        [
            "Service `",
            &service.name.value,
            "` publishes ",
            host,
            arrow,
            target,
            slash,
            protocol,
            " on all host interfaces",
            open,
            ip,
            close,
            ".",
        ]
        .concat(),
    ))
}

/// True for an address that means "every interface" (as in CTR014).
fn is_wildcard(ip: &str) -> bool {
    let bare = ip.trim().trim_start_matches('[').trim_end_matches(']');
    // An address starting with a digit other than 0 (`127.0.0.1`, the
    // usual host_ip) has a first octet or group that is not zero: it is
    // not the unspecified address, whatever the rest says, so there is
    // nothing to parse.
    if bare
        .as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'1'..=b'9'))
    {
        return false;
    }
    bare.is_empty() || bare.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified())
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::{Source, SourceKind};

    use super::*;
    use crate::finding::Finding;
    use crate::testing::at;
    use crate::testing::*;

    /// [`is_wildcard`] as it was, parsing every address.
    fn parsed_wildcard(ip: &str) -> bool {
        let bare = ip.trim().trim_start_matches('[').trim_end_matches(']');
        bare.is_empty() || bare.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified())
    }

    proptest::proptest! {
        /// The digit shortcut agrees with parsing every address.
        #[test]
        fn is_wildcard_agrees_with_parsing(ip in " ?\\[?[0-9a-f:.]{0,20}\\]? ?") {
            proptest::prop_assert_eq!(is_wildcard(&ip), parsed_wildcard(&ip));
        }

        /// The same for real addresses, zero-heavy so that some are the
        /// unspecified one.
        #[test]
        fn is_wildcard_agrees_with_parsing_addresses(v4 in proptest::array::uniform4(0u8..3), v6 in proptest::array::uniform8(0u16..3)) {
            let v4 = std::net::Ipv4Addr::from(v4).to_string();
            let v6 = std::net::Ipv6Addr::from(v6).to_string();
            for ip in [v4.clone(), v6.clone(), format!("[{v6}]"), format!("00{v4}"), format!("1{v6}")] {
                proptest::prop_assert_eq!(is_wildcard(&ip), parsed_wildcard(&ip), "{}", ip);
            }
        }
    }

    fn compose(text: &str) -> Vec<Finding> {
        lint(
            &ServicePortAllInterfaces,
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
    fn no_address_or_an_unspecified_one_fails_at_the_entry() {
        for spec in [
            "8080:80",
            "80",
            "8000-8010:80-90",
            "0.0.0.0:8080:80",
            "[::]:8080:80",
            ":::8080:80",
            "0.0.0.0::80/udp",
            "${BIND:-0.0.0.0}:80:80",
        ] {
            let f = one_port(spec);
            assert_eq!(f.len(), 1, "{spec}");
            assert_eq!(at(&f[0]), (5, 9), "{spec}");
        }
    }

    #[test]
    fn a_specific_address_passes() {
        for spec in [
            "127.0.0.1:8080:80",
            "[::1]:8080:80",
            "::1:8080:80",
            "10.0.0.5::80",
            "${BIND:-127.0.0.1}:80:80",
            "${BIND}:80:80",
        ] {
            assert!(one_port(spec).is_empty(), "{spec}");
        }
        assert!(compose("services:\n  app:\n    expose: [\"80\"]\n").is_empty());
    }

    #[test]
    fn long_syntax_needs_host_ip() {
        let f = compose(
            "services:\n  app:\n    ports:\n      - target: 80\n        published: \"8080\"\n      - target: 443\n        host_ip: 127.0.0.1\n      - target: 53\n        host_ip: \"::\"\n        protocol: udp\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(at(&f[0]), (4, 9));
        assert_eq!(at(&f[1]), (8, 9));
        assert!(f[1].message.contains("53/udp"), "{}", f[1].message);
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
        let f = compose("x-p: &p\n  ports: [\"8080:80\"]\nservices:\n  a:\n    <<: *p\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]).0, 5);
        assert_eq!(f[0].evidence[0].at, "compose.yml:2:11");
    }

    #[test]
    fn rendered() {
        insta::assert_snapshot!(with_places(&compose(
            "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n      - \"0.0.0.0::9187\"\n      - target: 8080\n        published: \"18080\"\n  web:\n    ports: [\"127.0.0.1:8080:80\"]\n"
        )));
    }
}
