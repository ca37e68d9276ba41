//! CTR009 `published-ports`, and the reading of a container's published
//! ports that CTR008 and CTR014 share.

use bulwark_facts::{ContainerFacts, PortBinding};
use serde_json::json;

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

/// One host binding of a published container port.
pub(super) struct Binding {
    /// `80/tcp`.
    pub container_port: String,
    /// As the API gives it: `0.0.0.0`, `::`, `127.0.0.1`, or empty in a
    /// configured binding (the daemon's default address).
    pub host_ip: String,
    /// As the API gives it: a number, a range, or empty (random).
    pub host_port: String,
    /// JSON pointer of the binding in the inspect document.
    pub pointer: String,
}

impl Binding {
    /// `80/tcp → 0.0.0.0:8080`.
    pub fn describe(&self) -> String {
        format!("{} → {}", self.container_port, self.host_address())
    }

    /// `0.0.0.0:8080`, `[::]:8080`, `(default address):(random port)`.
    pub fn host_address(&self) -> String {
        let ip = match self.host_ip.as_str() {
            "" => "(default address)".to_string(),
            ip if ip.contains(':') && !ip.starts_with('[') => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let port = match self.host_port.as_str() {
            "" | "0" => "(random port)",
            port => port,
        };
        format!("{ip}:{port}")
    }

    /// The binding as evidence, at its own pointer.
    pub fn evidence(&self) -> Evidence {
        Evidence::inspect(
            self.pointer.clone(),
            json!({"HostIp": self.host_ip, "HostPort": self.host_port}),
        )
    }
}

/// A container's published ports.
pub(super) struct Published {
    pub bindings: Vec<Binding>,
    /// True when read from `HostConfig.PortBindings` because the container
    /// is not running and has no runtime bindings.
    pub configured: bool,
    /// True when the container uses the host's network: nothing is
    /// published, its listeners are on the host directly.
    pub host_network: bool,
    /// `State.Status`, for the evidence.
    status: String,
    /// Where the bindings were read, and the field as the API gave it.
    root: &'static str,
    raw: serde_json::Value,
}

impl Published {
    /// A phrase for messages about a container that is not running, whose
    /// configured bindings were read; empty for a running one.
    pub fn when(&self) -> &'static str {
        if self.configured {
            " when started (configured in HostConfig.PortBindings; not running)"
        } else {
            ""
        }
    }

    /// Every binding as evidence, after a note of where they were read.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut evidence = Vec::new();
        if self.configured {
            evidence.push(self.status_evidence());
        }
        evidence.extend(self.bindings.iter().map(Binding::evidence));
        evidence
    }

    /// Where bindings were looked for, when there are none.
    pub fn source_evidence(&self) -> Evidence {
        Evidence::inspect(self.root, self.raw.clone())
    }

    /// The host network mode, for findings about a host-network container.
    pub fn host_network_evidence(&self) -> Evidence {
        Evidence::inspect("/HostConfig/NetworkMode", "host")
    }

    /// Why the configured bindings were read: the container's state. The
    /// bindings' own pointers (`/HostConfig/PortBindings/…`) show where.
    pub fn status_evidence(&self) -> Evidence {
        Evidence::inspect("/State/Status", self.status.as_str())
    }
}

/// The published ports of `c`: the runtime bindings of a running container,
/// the configured ones of a stopped or never-started container (they are
/// published again when it starts).
pub(super) fn published(c: &ContainerFacts) -> Published {
    let inspect = &c.inspect;
    let host_network = inspect.host_config.network_mode == "host";
    let configured = !c.is_running();
    let (map, root) = if configured {
        (
            &inspect.host_config.port_bindings,
            "/HostConfig/PortBindings",
        )
    } else {
        (&inspect.network_settings.ports, "/NetworkSettings/Ports")
    };
    // On the host's network the engine discards port bindings.
    let bindings = if host_network {
        Vec::new()
    } else {
        map.iter()
            .flatten()
            .flat_map(|(port, list)| {
                list.iter()
                    .flatten()
                    .enumerate()
                    .map(move |(i, b): (usize, &PortBinding)| Binding {
                        container_port: port.clone(),
                        host_ip: b.host_ip.clone(),
                        host_port: b.host_port.clone(),
                        pointer: format!("{root}/{}/{i}", escape(port)),
                    })
            })
            .collect()
    };
    Published {
        bindings,
        configured,
        host_network,
        status: inspect.state.status.clone(),
        root,
        raw: serde_json::to_value(map).unwrap_or_default(),
    }
}

/// Escapes a key for a JSON pointer (`80/tcp` → `80~1tcp`).
pub(super) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
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
            f.message,
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
