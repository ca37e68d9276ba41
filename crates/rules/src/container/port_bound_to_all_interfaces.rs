//! CTR014 `port-bound-to-all-interfaces`.

use std::net::IpAddr;

use bulwark_facts::{ContainerFacts, Part};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::settings::Setting;
use crate::shared::ports::published;

declare_rule! {
    /// ## What it checks
    /// Whether each published port of a container is bound to a specific
    /// host address rather than to every interface.
    ///
    /// - Reads the effective bindings of a running container,
    ///   `NetworkSettings.Ports[*][].HostIp`: they already reflect the
    ///   daemon's `--ip` default and the network's
    ///   `com.docker.network.bridge.host_binding_ipv4` option.
    /// - Fails when any binding is on `0.0.0.0`, `::` (`[::]`, or any other
    ///   spelling of an unspecified address) or has an empty `HostIp`.
    /// - Passes when every binding names a specific address (`127.0.0.1`,
    ///   `10.0.0.5`, `fd00::5`).
    /// - A container that is not running has no runtime bindings; its
    ///   `HostConfig.PortBindings` are read instead, and the evidence says
    ///   so. There an empty `HostIp` means "the default address", which is
    ///   resolved as the engine will at start: the network's
    ///   `host_binding_ipv4` option, else the daemon's `ip` setting (flag
    ///   `--ip` or daemon.json `ip`), else `0.0.0.0`. When that cannot be
    ///   read, a person must check.
    /// - Not applicable (`no-published-ports`) when nothing is published,
    ///   including containers on the host's network (CTR010 covers them).
    ///
    /// ## Why it matters
    /// A port published on every interface is reachable from every network
    /// the host is attached to, including public ones, and Docker's iptables
    /// rules open it ahead of the host firewall. Binding to one address
    /// (often loopback, behind a reverse proxy, or an internal interface)
    /// keeps an admin panel or a database from being exposed to the
    /// internet by accident.
    ///
    /// ## How to fix
    /// Give the address in every mapping: `-p 127.0.0.1:8080:80` (compose:
    /// `ports: ["127.0.0.1:8080:80"]`). To change the default for all
    /// containers, start dockerd with `--ip=127.0.0.1` (daemon.json:
    /// `"ip": "127.0.0.1"`), or set
    /// `com.docker.network.bridge.host_binding_ipv4` on a user-defined
    /// bridge network.
    ///
    /// ## Examples
    /// Fails: `docker run -p 8080:80 nginx` (bound to `0.0.0.0` and `::`).
    /// Passes: `docker run -p 127.0.0.1:8080:80 nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.14
    /// - <https://docs.docker.com/engine/network/packet-filtering-firewalls/#setting-the-default-bind-address-for-containers>
    pub PortBoundToAllInterfaces {
        id: "CTR014",
        name: "port-bound-to-all-interfaces",
        severity: Medium,
        target: Container,
        summary: "A container port is published on all host interfaces",
    }
}

impl Check for PortBoundToAllInterfaces {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, |c| judge(ctx, c));
    }
}

/// The network option that sets a bridge network's default host address.
const HOST_BINDING_OPTION: &str = "com.docker.network.bridge.host_binding_ipv4";

/// The address an empty configured `HostIp` stands for.
enum DefaultAddress {
    Known { ip: String, evidence: Evidence },
    Unknown(String),
}

/// True for an address that means "every interface".
fn is_wildcard(ip: &str) -> bool {
    let bare = ip.trim().trim_start_matches('[').trim_end_matches(']');
    bare.is_empty() || bare.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified())
}

fn judge(ctx: &Context<'_>, c: &ContainerFacts) -> Verdict {
    let published = published(c);
    if let Some(verdict) =
        published.nothing_published("its listeners choose their own addresses (see CTR010)")
    {
        return verdict;
    }

    let mut evidence = Vec::new();
    if published.configured {
        evidence.push(published.status_evidence());
    }
    // Only a configured binding can leave the address to a default; the
    // runtime bindings are already resolved.
    let needs_default = published.configured
        && published
            .bindings
            .iter()
            .any(|b| b.host_ip.trim().is_empty());
    let default = if needs_default {
        Some(default_address(ctx, c))
    } else {
        None
    };

    let mut wildcard: Vec<String> = Vec::new();
    let mut specific: Vec<String> = Vec::new();
    let mut wildcard_evidence = Vec::new();
    let mut specific_evidence = Vec::new();
    for b in &published.bindings {
        let (ip, shown) = match (&default, b.host_ip.trim().is_empty()) {
            (Some(DefaultAddress::Known { ip, .. }), true) => {
                (ip.as_str(), format!("{}, which is {ip}", b.describe()))
            }
            (Some(DefaultAddress::Unknown(reason)), true) => {
                return Verdict::manual(format!(
                    "Verify: the address {} will be published on is specific; the default \
                     address could not be read ({reason}).",
                    b.describe()
                ))
                .with_all(evidence)
                .with(b.evidence());
            }
            _ => (b.host_ip.as_str(), b.describe()),
        };
        if is_wildcard(ip) {
            wildcard.push(shown);
            wildcard_evidence.push(b.evidence());
        } else {
            specific.push(shown);
            specific_evidence.push(b.evidence());
        }
    }
    let default_evidence = match &default {
        Some(DefaultAddress::Known { evidence, .. }) => Some(evidence.clone()),
        _ => None,
    };

    let when = published.when();
    if !wildcard.is_empty() {
        return Verdict::fail(format!(
            "Publishes ports on all interfaces{when}: {}.",
            wildcard.join("; ")
        ))
        .with_all(evidence)
        .with_all(wildcard_evidence)
        .with_all(default_evidence);
    }
    Verdict::pass(format!(
        "Publishes ports only on specific addresses{when}: {}.",
        specific.join("; ")
    ))
    .with_all(evidence)
    .with_all(specific_evidence)
    .with_all(default_evidence)
}

/// What an empty `HostIp` in `HostConfig.PortBindings` becomes at start:
/// the network's `host_binding_ipv4`, else the daemon's `ip`, else
/// `0.0.0.0`.
fn default_address(ctx: &Context<'_>, c: &ContainerFacts) -> DefaultAddress {
    let mode = c.inspect.host_config.network_mode.as_str();
    let networks = match &ctx.snapshot.networks {
        Part::Collected(n) => n,
        Part::Missing(gap) => {
            return DefaultAddress::Unknown(format!("network list not collected: {}", gap.reason));
        }
    };
    let network = networks.iter().find(|n| match mode {
        "" | "default" | "bridge" => n.is_default_bridge(),
        name => n.name == name || n.id == name,
    });
    if let Some((network, ip)) = network.and_then(|n| {
        n.options
            .get(HOST_BINDING_OPTION)
            .filter(|ip| !ip.trim().is_empty())
            .map(|ip| (n, ip))
    }) {
        return DefaultAddress::Known {
            ip: ip.clone(),
            evidence: Evidence::new(
                Source::Networks,
                format!("{}/Options/{HOST_BINDING_OPTION}", network.name),
                ip.as_str(),
            ),
        };
    }
    match ctx.daemon.get("ip") {
        Setting::Set { value, evidence } => match value.as_str() {
            Some(ip) => DefaultAddress::Known {
                ip: ip.to_string(),
                evidence,
            },
            None => DefaultAddress::Unknown(format!("the daemon's ip setting is {value}")),
        },
        Setting::Unset { .. } => DefaultAddress::Known {
            ip: "0.0.0.0".to_string(),
            evidence: Evidence::new(Source::Default, "--ip", "0.0.0.0"),
        },
        Setting::Unknown(reason) => DefaultAddress::Unknown(reason),
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Gap;
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn finding_on(s: bulwark_facts::Snapshot, c: Value) -> Finding {
        only(run(
            &PortBoundToAllInterfaces,
            &with_containers(s, vec![container(c)]),
        ))
    }

    fn finding(c: Value) -> Finding {
        finding_on(host(), c)
    }

    fn runtime(ip: &str) -> Value {
        json!({"NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": ip, "HostPort": "8080"}]}}})
    }

    fn stopped(ip: &str) -> Value {
        json!({"State": {"Status": "exited", "Running": false},
               "NetworkSettings": {"Ports": {}},
               "HostConfig": {"PortBindings": {"80/tcp": [{"HostIp": ip, "HostPort": "8080"}]}}})
    }

    #[test]
    fn ipv4_and_ipv6_wildcards_fail() {
        // The pitfall: only 0.0.0.0 was detected.
        for ip in ["0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", ""] {
            assert_eq!(finding(runtime(ip)).status, Status::Fail, "{ip:?}");
        }
    }

    #[test]
    fn specific_addresses_pass() {
        for ip in ["127.0.0.1", "10.0.0.5", "::1", "fd00::5"] {
            assert_eq!(finding(runtime(ip)).status, Status::Pass, "{ip}");
        }
    }

    #[test]
    fn one_wildcard_binding_among_specific_ones_fails() {
        let f = finding(json!({"NetworkSettings": {"Ports": {
            "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
            "443/tcp": [{"HostIp": "::", "HostPort": "8443"}]}}}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            &*f.message,
            "Publishes ports on all interfaces: 443/tcp → [::]:8443."
        );
        assert_eq!(f.evidence.len(), 1);
        assert_eq!(f.evidence[0].at, "/NetworkSettings/Ports/443~1tcp/0");
    }

    #[test]
    fn a_stopped_container_with_the_plain_default_fails() {
        let f = finding(stopped(""));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("which is 0.0.0.0"), "{}", f.message);
        assert_eq!(f.evidence[0].at, "/State/Status");
        assert_eq!(
            f.evidence.last().unwrap(),
            &Evidence::new(Source::Default, "--ip", "0.0.0.0")
        );
    }

    #[test]
    fn an_empty_configured_address_can_be_specific_through_the_daemon_ip() {
        // The pitfall: PortBindings.HostIp "" is specific when dockerd has --ip.
        let f = finding_on(with_flags(host(), "--ip=127.0.0.1"), stopped(""));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence.last().unwrap().source, Source::Flag);

        let f = finding_on(
            with_daemon_json(host(), json!({"ip": "0.0.0.0"})),
            stopped(""),
        );
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence.last().unwrap().source, Source::DaemonJson);
    }

    #[test]
    fn an_empty_configured_address_can_be_specific_through_the_network() {
        let mut s = host();
        s.networks = Part::Collected(vec![
            default_bridge(),
            network(
                json!({"Name": "internal", "Id": "netid", "Driver": "bridge",
                           "Options": {HOST_BINDING_OPTION: "192.168.50.1"}}),
            ),
        ]);
        let mut c = stopped("");
        c["HostConfig"]["NetworkMode"] = json!("internal");
        let f = finding_on(s, c);
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("which is 192.168.50.1"), "{}", f.message);
        assert_eq!(f.evidence.last().unwrap().source, Source::Networks);
    }

    #[test]
    fn an_unreadable_default_needs_a_person() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        s.daemon.config_file = Part::Missing(Gap::skipped("host root not mounted"));
        let f = finding_on(s, stopped(""));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"), "{}", f.message);
        // A specific configured address needs no default.
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        assert_eq!(finding_on(s, stopped("127.0.0.1")).status, Status::Pass);
    }

    #[test]
    fn runtime_bindings_are_not_re_resolved() {
        // A running container's HostIp is already effective, whatever --ip says.
        let f = finding_on(with_flags(host(), "--ip=127.0.0.1"), runtime("0.0.0.0"));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn nothing_published_is_not_applicable() {
        for c in [
            json!({}),
            json!({"NetworkSettings": {"Ports": {"80/tcp": null}}}),
            json!({"HostConfig": {"NetworkMode": "host"}}),
        ] {
            let f = finding(c);
            assert_eq!(f.status, Status::NotApplicable);
            assert_eq!(f.reason, Some("no-published-ports"));
        }
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "NetworkSettings": {"Ports": {
                    "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"},
                               {"HostIp": "::", "HostPort": "8080"}]}}})),
                container(json!({"Name": "/admin", "NetworkSettings": {"Ports": {
                    "9000/tcp": [{"HostIp": "127.0.0.1", "HostPort": "9000"}]}}})),
                container(
                    json!({"Name": "/old", "State": {"Status": "exited", "Running": false},
                    "HostConfig": {"PortBindings": {"5432/tcp": [{"HostIp": "", "HostPort": "5432"}]}}}),
                ),
                container(json!({"Name": "/worker"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&PortBoundToAllInterfaces, &s)));
    }
}
