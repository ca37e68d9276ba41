//! CTR030 `default-bridge-network`.

use bulwark_facts::{ContainerFacts, Network};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict, pointer_token};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container is attached to the daemon's default bridge
    /// network. The default bridge is the network in `GET /networks` whose
    /// option `com.docker.network.bridge.default_bridge` is `true`, not
    /// the one named `docker0` (`--bridge` can rename the interface). A
    /// container fails when one of its `NetworkSettings.Networks` entries
    /// has that network's id. A container that has never started has no
    /// network ids yet: it fails when it has an entry under the default
    /// bridge's name, or its `HostConfig.NetworkMode` is `bridge` or
    /// `default`. When the daemon has no default bridge
    /// (`--bridge=none`), the rule is not applicable. Stopped containers
    /// are checked too.
    ///
    /// ## Why it matters
    /// On the default bridge every container can reach every other one on
    /// any port unless inter-container communication is disabled (CIS
    /// 2.2), there is no name-based discovery to scope traffic by, and
    /// ARP spoofing between neighbours is possible. User-defined networks
    /// isolate groups of containers from each other.
    ///
    /// ## How to fix
    /// Create a network per application and attach containers to it:
    /// `docker network create app && docker run --network app ...`
    /// (compose does this by default). Move running containers with
    /// `docker network connect app web && docker network disconnect bridge web`.
    /// Where nothing should use it, start the daemon with `--bridge=none`.
    ///
    /// ## Examples
    /// Fails: `docker run nginx` (attached to `bridge`).
    /// Passes: `docker run --network app nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.30
    /// - <https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge>
    pub DefaultBridgeNetwork {
        id: "CTR030",
        name: "default-bridge-network",
        severity: Low,
        target: Container,
        summary: "A container is attached to the default bridge network",
    }
}

impl Check for DefaultBridgeNetwork {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(networks) = ctx.require(&ctx.snapshot.networks, out) else {
            return;
        };
        let Some(bridge) = networks.iter().find(|n| n.is_default_bridge()) else {
            out.push(
                ctx.daemon_subject(),
                Verdict::not_applicable(
                    "no-default-bridge",
                    "The daemon has no default bridge network.",
                )
                .with(Evidence::new(
                    Source::Networks,
                    "/networks",
                    networks.iter().map(|n| n.name.clone()).collect::<Vec<_>>(),
                )),
            );
            return;
        };
        ctx.each_container(out, |c| judge(c, bridge));
    }
}

fn judge(c: &ContainerFacts, bridge: &Network) -> Verdict {
    let which = Evidence::new(
        Source::Networks,
        format!("/networks/{}/Id", bridge.name),
        bridge.id.as_str(),
    );
    let attached = c.inspect.network_settings.networks.iter().flatten();
    let mut hits = Vec::new();
    for (name, endpoint) in attached {
        let by_id = !endpoint.network_id.is_empty() && endpoint.network_id == bridge.id;
        // Never-started containers have no network id yet: only the name
        // can tell.
        let by_name = endpoint.network_id.is_empty() && *name == bridge.name;
        if by_id || by_name {
            hits.push(Evidence::inspect(
                format!(
                    "/NetworkSettings/Networks/{}/NetworkID",
                    pointer_token(name)
                ),
                endpoint.network_id.as_str(),
            ));
        }
    }
    let mode = c.inspect.host_config.network_mode.as_str();
    // The mode decides only where the engine has not attached the
    // container yet (created, never started; or no network data at all):
    // a stopped container that was disconnected stays disconnected.
    let networks = c.inspect.network_settings.networks.as_ref();
    let unattached = networks.is_none()
        || (c.inspect.state.status == "created"
            && networks
                .into_iter()
                .flatten()
                .all(|(_, e)| e.network_id.is_empty()));
    if hits.is_empty() && unattached && matches!(mode, "bridge" | "default") {
        hits.push(Evidence::inspect("/HostConfig/NetworkMode", mode));
    }

    if hits.is_empty() {
        let names: Vec<String> = c
            .inspect
            .network_settings
            .networks
            .iter()
            .flatten()
            .map(|(n, _)| n.clone())
            .collect();
        return Verdict::pass("Not attached to the default bridge.")
            .with(Evidence::inspect("/NetworkSettings/Networks", names))
            .with(Evidence::inspect("/HostConfig/NetworkMode", mode))
            .with(which);
    }
    Verdict::fail(format!(
        "Attached to the default bridge network ({}).",
        bridge.name
    ))
    .with_all(hits)
    .with(which)
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn on(networks: Value, mode: &str) -> Value {
        json!({"HostConfig": {"NetworkMode": mode}, "NetworkSettings": {"Networks": networks}})
    }

    #[test]
    fn attached_by_id_fails() {
        let c = on(json!({"bridge": {"NetworkID": "bridgeid"}}), "default");
        let f = only(run(
            &DefaultBridgeNetwork,
            &with_containers(host(), vec![container(c)]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.evidence[0].at,
            "/NetworkSettings/Networks/bridge/NetworkID"
        );
    }

    #[test]
    fn a_user_network_passes() {
        let c = on(json!({"app": {"NetworkID": "appid"}}), "app");
        assert_eq!(status_of(&DefaultBridgeNetwork, c), Status::Pass);
        assert_eq!(
            status_of(
                &DefaultBridgeNetwork,
                on(json!({"host": {"NetworkID": "hostid"}}), "host")
            ),
            Status::Pass
        );
        assert_eq!(
            status_of(&DefaultBridgeNetwork, on(Value::Null, "none")),
            Status::Pass
        );
    }

    #[test]
    fn also_attached_to_a_user_network_still_fails() {
        let c = on(
            json!({"app": {"NetworkID": "appid"}, "bridge": {"NetworkID": "bridgeid"}}),
            "app",
        );
        assert_eq!(status_of(&DefaultBridgeNetwork, c), Status::Fail);
    }

    #[test]
    fn the_default_bridge_is_found_by_its_option_not_its_name() {
        // A renamed default bridge (`--bridge=br0`) is still the default one…
        let renamed = network(json!({"Name": "bridge", "Id": "br0id", "Driver": "bridge",
            "Options": {"com.docker.network.bridge.default_bridge": "true",
                        "com.docker.network.bridge.name": "br0"}}));
        // …and a user network called docker0 is not.
        let impostor = network(json!({"Name": "docker0", "Id": "userid", "Driver": "bridge"}));
        let mut s = host();
        s.networks = Part::Collected(vec![impostor, renamed]);
        let s = with_containers(
            s,
            vec![
                container(
                    json!({"Name": "/a", "NetworkSettings": {"Networks": {"bridge": {"NetworkID": "br0id"}}}}),
                ),
                container(
                    json!({"Name": "/b", "NetworkSettings": {"Networks": {"docker0": {"NetworkID": "userid"}}}}),
                ),
            ],
        );
        let f = run(&DefaultBridgeNetwork, &s);
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(f[1].status, Status::Pass);
    }

    #[test]
    fn a_never_started_container_is_matched_by_name_or_mode() {
        let by_name = on(json!({"bridge": {"NetworkID": ""}}), "default");
        assert_eq!(status_of(&DefaultBridgeNetwork, by_name), Status::Fail);
        for mode in ["default", "bridge"] {
            let created = json!({"HostConfig": {"NetworkMode": mode},
                                 "State": {"Status": "created", "Running": false}});
            assert_eq!(
                status_of(&DefaultBridgeNetwork, created),
                Status::Fail,
                "{mode}"
            );
        }
        let disconnected = json!({"HostConfig": {"NetworkMode": "default"},
                                  "NetworkSettings": {"Networks": {}},
                                  "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&DefaultBridgeNetwork, disconnected), Status::Pass);
        let user = json!({"HostConfig": {"NetworkMode": "app"},
                          "NetworkSettings": {"Networks": {"app": {"NetworkID": ""}}},
                          "State": {"Status": "created", "Running": false}});
        assert_eq!(status_of(&DefaultBridgeNetwork, user), Status::Pass);
    }

    #[test]
    fn no_default_bridge_is_not_applicable() {
        let mut s = with_containers(host(), vec![container(json!({}))]);
        s.networks = Part::Collected(vec![network(
            json!({"Name": "host", "Id": "h", "Driver": "host"}),
        )]);
        let f = only(run(&DefaultBridgeNetwork, &s));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-default-bridge"));
    }

    #[test]
    fn a_missing_network_list_is_reported_not_guessed() {
        let mut s = with_containers(host(), vec![container(json!({}))]);
        s.networks = Part::Missing(Gap::error("GET /networks: 500"));
        let f = only(run(&DefaultBridgeNetwork, &s));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let mut c = on(json!({"bridge": {"NetworkID": "bridgeid"}}), "default");
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(status_of(&DefaultBridgeNetwork, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&DefaultBridgeNetwork, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(
                    json!({"Name": "/legacy", "HostConfig": {"NetworkMode": "default"},
                    "NetworkSettings": {"Networks": {"bridge": {"NetworkID": "bridgeid"}}}}),
                ),
                container(json!({"Name": "/web", "HostConfig": {"NetworkMode": "app"},
                    "NetworkSettings": {"Networks": {"app": {"NetworkID": "appid"}}}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&DefaultBridgeNetwork, &s)));
    }
}
