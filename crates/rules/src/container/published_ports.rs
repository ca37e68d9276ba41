//! CTR009 `published-ports`, and the reading of a container's published
//! ports that CTR008 and CTR014 share.

use crate::shared::ports::{Binding, published};
use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Which of a container's ports are published on the host, so a person
    /// can confirm each is needed.
    ///
    /// - Fails when `HostConfig.PublishAllPorts` is true (`-P`): every port
    ///   the image EXPOSEs is published, whether the operator meant it or
    ///   not.
    /// - Passes when nothing is published.
    /// - Otherwise needs a person: the finding lists each container port and
    ///   the host address and port it is published on.
    /// - A container on the host's network (`HostConfig.NetworkMode` `host`)
    ///   publishes nothing, yet every port it listens on is open on the
    ///   host; it also needs a person.
    ///
    /// The bindings of a running container are its effective ones,
    /// `NetworkSettings.Ports` (a `null` entry is exposed but not
    /// published). A container that is not running has no runtime bindings,
    /// so its configured `HostConfig.PortBindings` are read instead, which
    /// the evidence says; an empty host port there means a random one.
    ///
    /// ## Why it matters
    /// Every published port is a way into the container from the network,
    /// and with Docker's iptables rules it is usually reachable whatever the
    /// host firewall says. Ports published by habit (`-P`, debugging ports,
    /// admin consoles, databases published "just in case") widen the attack
    /// surface with nothing gained.
    ///
    /// ## How to fix
    /// Publish only what clients need, explicitly: replace `-P` (compose:
    /// `publish_all`) with `-p <host-ip>:<host-port>:<container-port>` for
    /// each required port, and drop `-p`/compose `ports:` entries for
    /// services that only other containers use: they can reach each other
    /// over a user-defined network without publishing.
    ///
    /// ## Examples
    /// Fails: `docker run -P nginx`.
    /// Needs review: `docker run -p 127.0.0.1:8080:80 nginx`.
    /// Passes: `docker run --network backend postgres` (nothing published).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.9
    /// - <https://docs.docker.com/engine/network/#published-ports>
    pub PublishedPorts {
        id: "CTR009",
        name: "published-ports",
        severity: Low,
        target: Container,
        summary: "A container publishes ports that may not be needed",
    }
}

impl Check for PublishedPorts {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let hc = &c.inspect.host_config;
    let published = published(c);
    let listed = published
        .bindings
        .iter()
        .map(Binding::describe)
        .collect::<Vec<_>>()
        .join(", ");

    if hc.publish_all_ports {
        let message = if listed.is_empty() {
            "Publishes every exposed port (-P).".to_string()
        } else {
            format!("Publishes every exposed port (-P): {listed}.")
        };
        return Verdict::fail(message)
            .with(Evidence::inspect("/HostConfig/PublishAllPorts", true))
            .with_all(published.evidence());
    }

    if published.host_network {
        return Verdict::manual(
            "Verify: each port it listens on is needed; it uses the host's network, so every \
             listener is open on the host without being published (see CTR010).",
        )
        .with(published.host_network_evidence());
    }

    if published.bindings.is_empty() {
        let exposed: Vec<String> = c
            .inspect
            .config
            .exposed_ports
            .iter()
            .flat_map(|p| p.keys().cloned())
            .collect();
        return Verdict::pass(format!("Publishes no ports{}.", published.when()))
            .with(published.source_evidence())
            .with(Evidence::inspect("/Config/ExposedPorts", exposed));
    }

    Verdict::manual(format!(
        "Verify: each published port is needed{}: {listed}.",
        published.when()
    ))
    .with_all(published.evidence())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn finding(c: Value) -> Finding {
        only(run(
            &PublishedPorts,
            &with_containers(host(), vec![container(c)]),
        ))
    }

    #[test]
    fn nothing_published_passes() {
        let f = finding(json!({}));
        assert_eq!(f.status, Status::Pass);
        // Exposed but not published (`null`) is not published.
        let f = finding(json!({"Config": {"ExposedPorts": {"80/tcp": {}}},
                               "NetworkSettings": {"Ports": {"80/tcp": null}}}));
        assert_eq!(f.status, Status::Pass);
        assert!(f.evidence.contains(&Evidence::inspect(
            "/Config/ExposedPorts",
            json!(["80/tcp"])
        )));
    }

    #[test]
    fn publish_all_fails() {
        let f = finding(json!({"HostConfig": {"PublishAllPorts": true},
                               "NetworkSettings": {"Ports": {"80/tcp": [
                                   {"HostIp": "0.0.0.0", "HostPort": "49153"}]}}}));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("80/tcp → 0.0.0.0:49153"),
            "{}",
            f.message
        );
        assert_eq!(
            f.evidence[0],
            Evidence::inspect("/HostConfig/PublishAllPorts", true)
        );
    }

    #[test]
    fn publish_all_on_a_stopped_container_still_fails() {
        let f = finding(json!({"State": {"Status": "exited", "Running": false},
                               "HostConfig": {"PublishAllPorts": true}}));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn explicit_ports_need_review_not_a_fail() {
        // The pitfall: scoring every published port as a failure.
        let f = finding(json!({"NetworkSettings": {"Ports": {
            "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"},
                       {"HostIp": "::", "HostPort": "8080"}],
            "443/tcp": null}}}));
        assert_eq!(f.status, Status::Manual);
        assert_eq!(
            &*f.message,
            "Verify: each published port is needed: 80/tcp → 0.0.0.0:8080, 80/tcp → [::]:8080."
        );
        assert_eq!(f.evidence[1].at, "/NetworkSettings/Ports/80~1tcp/1");
    }

    #[test]
    fn a_stopped_container_is_judged_by_its_configured_bindings() {
        let f = finding(json!({"State": {"Status": "exited", "Running": false},
                               "NetworkSettings": {"Ports": {}},
                               "HostConfig": {"PortBindings": {"5432/tcp": [
                                   {"HostIp": "", "HostPort": ""}]}}}));
        assert_eq!(f.status, Status::Manual);
        assert!(
            f.message
                .contains("5432/tcp → (default address):(random port)"),
            "{}",
            f.message
        );
        assert_eq!(f.evidence[0].at, "/State/Status");
        assert_eq!(f.evidence[1].at, "/HostConfig/PortBindings/5432~1tcp/0");
    }

    #[test]
    fn a_host_network_container_needs_review() {
        // The pitfall: host-network containers publish nothing yet expose
        // every listener.
        let f = finding(json!({"HostConfig": {"NetworkMode": "host",
                                              "PortBindings": {"80/tcp": [{"HostPort": "80"}]}}}));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("host's network"), "{}", f.message);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "NetworkSettings": {"Ports": {
                    "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}}})),
                container(
                    json!({"Name": "/lazy", "HostConfig": {"PublishAllPorts": true},
                    "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49160"}],
                                                  "443/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49161"}]}}}),
                ),
                container(
                    json!({"Name": "/db", "Config": {"ExposedPorts": {"5432/tcp": {}}},
                    "NetworkSettings": {"Ports": {"5432/tcp": null}}}),
                ),
                container(json!({"Name": "/agent", "HostConfig": {"NetworkMode": "host"}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&PublishedPorts, &s)));
    }
}
