//! CTR008 `privileged-host-port`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Findings, Verdict};
use crate::rule::Check;
use crate::shared::ports::{Binding, published};

declare_rule! {
    /// ## What it checks
    /// Whether a container publishes a port on a privileged host port
    /// (1–1023).
    ///
    /// - Reads the effective bindings of a running container,
    ///   `NetworkSettings.Ports` (`{"80/tcp": [{"HostIp": "0.0.0.0",
    ///   "HostPort": "80"}, {"HostIp": "::", "HostPort": "80"}]}`), IPv4 and
    ///   IPv6 alike. A container that is not running has no runtime
    ///   bindings; its configured `HostConfig.PortBindings` are read
    ///   instead, and the evidence says so.
    /// - Fails when any `HostPort` is below 1024 (for a range, when it
    ///   starts below 1024).
    /// - Passes otherwise. `HostPort` is a string: empty or `0` means a
    ///   random high port, which passes.
    /// - Not applicable (`no-published-ports`) when nothing is published,
    ///   including containers on the host's network, whose listeners are
    ///   not port mappings (CTR010 covers them).
    /// - A `HostPort` that is not a number or range needs a person.
    ///
    /// ## Why it matters
    /// Ports below 1024 are the ones clients trust to belong to the system's
    /// own services (SSH, DNS, HTTP, SMTP). Publishing a container on one
    /// makes it stand in for such a service, and an unexpected mapping can
    /// shadow or intercept the real one. Keeping containers on high ports
    /// and putting a deliberate proxy or load balancer in front makes the
    /// exposure explicit.
    ///
    /// ## How to fix
    /// Publish on a port of 1024 or above: `-p 8080:80` instead of
    /// `-p 80:80` (compose: `ports: ["8080:80"]`), and let a reverse proxy
    /// or load balancer that you manage own ports 80 and 443 when they are
    /// needed. The container's own port may stay below 1024.
    ///
    /// ## Examples
    /// Fails: `docker run -p 80:80 nginx`.
    /// Passes: `docker run -p 8080:80 nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.8
    /// - <https://docs.docker.com/engine/network/#published-ports>
    pub PrivilegedHostPort {
        id: "CTR008",
        name: "privileged-host-port",
        severity: Low,
        target: Container,
        summary: "A container is published on a privileged host port",
    }
}

impl Check for PrivilegedHostPort {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

/// How a `HostPort` string reads.
enum HostPort {
    /// Empty or `0`: the engine picks a free high port.
    Random,
    /// A port, or the first port of a range (`8000-8010`).
    Port(u16),
    /// Neither.
    Unreadable,
}

fn host_port(s: &str) -> HostPort {
    let first = s.trim().split('-').next().unwrap_or_default();
    match first {
        "" => HostPort::Random,
        p => match p.parse::<u16>() {
            Ok(0) => HostPort::Random,
            Ok(port) => HostPort::Port(port),
            Err(_) => HostPort::Unreadable,
        },
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let published = published(c);
    if let Some(verdict) =
        published.nothing_published("its listeners bind host ports directly (see CTR010)")
    {
        return verdict;
    }

    let mut privileged: Vec<&Binding> = Vec::new();
    let mut unreadable: Vec<&Binding> = Vec::new();
    for b in &published.bindings {
        match host_port(&b.host_port) {
            HostPort::Port(port) if port < 1024 => privileged.push(b),
            HostPort::Unreadable => unreadable.push(b),
            HostPort::Port(_) | HostPort::Random => {}
        }
    }

    let when = published.when();
    let mut evidence = Vec::new();
    if published.configured {
        evidence.push(published.status_evidence());
    }
    let list = |bindings: &[&Binding]| {
        bindings
            .iter()
            .map(|b| b.describe())
            .collect::<Vec<_>>()
            .join(", ")
    };

    if !privileged.is_empty() {
        evidence.extend(privileged.iter().map(|b| b.evidence()));
        return Verdict::fail(format!(
            "Publishes privileged host ports{when}: {}.",
            list(&privileged)
        ))
        .with_all(evidence);
    }
    if !unreadable.is_empty() {
        evidence.extend(unreadable.iter().map(|b| b.evidence()));
        return Verdict::manual(format!(
            "Verify: these host ports are 1024 or above; they could not be read as numbers: {}.",
            list(&unreadable)
        ))
        .with_all(evidence);
    }
    let all: Vec<&Binding> = published.bindings.iter().collect();
    evidence.extend(all.iter().map(|b| b.evidence()));
    Verdict::pass(format!(
        "Publishes only unprivileged host ports{when}: {}.",
        list(&all)
    ))
    .with_all(evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Evidence, Finding, Status};
    use crate::testing::*;

    fn finding(c: Value) -> Finding {
        only(run(
            &PrivilegedHostPort,
            &with_containers(host(), vec![container(c)]),
        ))
    }

    fn ports(p: Value) -> Value {
        json!({"NetworkSettings": {"Ports": p}})
    }

    #[test]
    fn a_privileged_host_port_fails() {
        let f = finding(ports(
            json!({"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "80"}]}),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.evidence,
            vec![Evidence::inspect(
                "/NetworkSettings/Ports/80~1tcp/0",
                json!({"HostIp": "0.0.0.0", "HostPort": "80"})
            )]
        );
    }

    #[test]
    fn the_threshold_is_1024() {
        let at = |port: &str| {
            finding(ports(
                json!({"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": port}]}),
            ))
            .status
        };
        assert_eq!(at("1"), Status::Fail);
        assert_eq!(at("1023"), Status::Fail);
        assert_eq!(at("1024"), Status::Pass);
        assert_eq!(at("8080"), Status::Pass);
    }

    #[test]
    fn an_ipv6_only_binding_counts() {
        // The pitfall: IPv6 lines of `docker port` parsed as empty ports.
        let f = finding(ports(json!({"53/udp": [
            {"HostIp": "0.0.0.0", "HostPort": "5353"},
            {"HostIp": "::", "HostPort": "53"}]})));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("53/udp → [::]:53"), "{}", f.message);
    }

    #[test]
    fn an_empty_or_zero_host_port_is_random_and_passes() {
        let f = finding(json!({"State": {"Status": "created", "Running": false},
                               "HostConfig": {"PortBindings": {"80/tcp": [
                                   {"HostIp": "", "HostPort": ""},
                                   {"HostIp": "", "HostPort": "0"}]}}}));
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn ranges_are_judged_by_their_first_port() {
        let f = finding(json!({"State": {"Status": "created", "Running": false},
                               "HostConfig": {"PortBindings": {"80/tcp": [
                                   {"HostPort": "1000-1100"}]}}}));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn an_unreadable_host_port_needs_a_person() {
        let f = finding(ports(
            json!({"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "http"}]}),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
    }

    #[test]
    fn a_never_started_container_is_judged_by_its_port_bindings() {
        let f = finding(json!({"State": {"Status": "created", "Running": false},
                               "NetworkSettings": {"Ports": {}},
                               "HostConfig": {"PortBindings": {"443/tcp": [
                                   {"HostIp": "", "HostPort": "443"}]}}}));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("when started"), "{}", f.message);
        assert_eq!(f.evidence[0].at, "/State/Status");
        assert_eq!(f.evidence[1].at, "/HostConfig/PortBindings/443~1tcp/0");
    }

    #[test]
    fn nothing_published_is_not_applicable() {
        for c in [
            json!({}),
            ports(json!({"80/tcp": null})),
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
                    "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "80"},
                               {"HostIp": "::", "HostPort": "80"}],
                    "8443/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8443"}]}}})),
                container(json!({"Name": "/api", "NetworkSettings": {"Ports": {
                    "3000/tcp": [{"HostIp": "127.0.0.1", "HostPort": "3000"}]}}})),
                container(json!({"Name": "/worker"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&PrivilegedHostPort, &s)));
    }
}
