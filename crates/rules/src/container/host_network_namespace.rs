//! CTR010 `host-network-namespace`, and the `container:<id>` chain
//! resolution that CTR016 shares.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::namespace::{Namespace, judge_namespace};

declare_rule! {
    /// ## What it checks
    /// Whether a container (stopped ones too) shares the host's network
    /// namespace, from `HostConfig.NetworkMode`.
    ///
    /// - Fails for `host`, and for `container:<id>` when the container it
    ///   joins is, directly or through further `container:` links, on the
    ///   host's network. The links are followed through the other
    ///   containers of the snapshot, matched by full id, name (with or
    ///   without the leading `/`) or unique id prefix.
    /// - Passes for everything else: `bridge`, `default`, `none`, a
    ///   user-defined network (compared exactly: a network named `hostnet`
    ///   is not the host), or a `container:` chain that ends in a container
    ///   with its own namespace.
    /// - Needs a person when a link names a container that is not in the
    ///   snapshot (removed, or excluded by a filter).
    ///
    /// ## Why it matters
    /// A container on the host's network sees and can bind every host
    /// interface: it can listen on any port, reach services bound to
    /// `127.0.0.1` on the host (including some daemons' admin sockets), and
    /// sniff or spoof traffic with NET_RAW. Its own listeners are exposed
    /// on every interface without any `-p` mapping, and none of Docker's
    /// network isolation applies to it.
    ///
    /// ## How to fix
    /// Remove `--network host` (compose: `network_mode: host`) and publish
    /// the ports the service needs with `-p <ip>:<port>:<port>`, on a
    /// user-defined network. For `--network container:<name>`, make sure
    /// the target container is not itself on the host's network.
    ///
    /// ## Examples
    /// Fails: `docker run --network host nginx`, and
    /// `docker run --network container:hostnet-agent alpine` where
    /// `hostnet-agent` runs with `--network host`.
    /// Passes: `docker run --network backend nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.10
    /// - <https://docs.docker.com/engine/network/drivers/host/>
    pub HostNetworkNamespace {
        id: "CTR010",
        name: "host-network-namespace",
        severity: High,
        target: Container,
        summary: "A container shares the host's network namespace",
    }
}

impl Check for HostNetworkNamespace {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let all = ctx
            .snapshot
            .containers
            .get()
            .map(|c| c.items.as_slice())
            .unwrap_or_default();
        ctx.each_container(out, |c| {
            judge_namespace(all, c, &NETWORK, |c| &c.inspect.host_config.network_mode)
        });
    }
}

const NETWORK: Namespace = Namespace {
    field: "NetworkMode",
    noun: "network",
};

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Evidence, Finding, Status};
    use crate::testing::*;

    fn findings(containers: Vec<Value>) -> Vec<Finding> {
        run(
            &HostNetworkNamespace,
            &with_containers(host(), containers.into_iter().map(container).collect()),
        )
    }

    fn net(name: &str, mode: &str) -> Value {
        json!({"Name": format!("/{name}"), "HostConfig": {"NetworkMode": mode}})
    }

    #[test]
    fn host_fails_and_others_pass() {
        let f = findings(vec![
            net("a", "host"),
            net("b", "bridge"),
            net("c", "default"),
            net("d", "none"),
            net("e", "backend"),
            net("f", ""),
        ]);
        let got: Vec<Status> = f.iter().map(|f| f.status).collect();
        assert_eq!(
            got,
            vec![
                Status::Fail,
                Status::Pass,
                Status::Pass,
                Status::Pass,
                Status::Pass,
                Status::Pass
            ]
        );
        assert_eq!(
            f[0].evidence,
            vec![Evidence::inspect("/HostConfig/NetworkMode", "host")]
        );
    }

    #[test]
    fn the_comparison_is_exact() {
        let f = findings(vec![net("a", "hostnet"), net("b", "Host")]);
        assert!(f.iter().all(|f| f.status == Status::Pass));
    }

    #[test]
    fn a_container_chain_ending_in_host_fails() {
        // The pitfall: missing the container: chain.
        let f = findings(vec![
            net("agent", "host"),
            net("sidecar", "container:agent"),
            net("app", "container:/sidecar"),
        ]);
        assert_eq!(f[1].status, Status::Fail);
        assert_eq!(f[2].status, Status::Fail);
        assert_eq!(
            &*f[2].message,
            "Shares the host's network namespace through container sidecar → agent, which uses host."
        );
        assert_eq!(
            f[2].evidence,
            vec![
                Evidence::inspect("/HostConfig/NetworkMode", "container:/sidecar"),
                Evidence::inspect("sidecar#/HostConfig/NetworkMode", "container:agent"),
                Evidence::inspect("agent#/HostConfig/NetworkMode", "host"),
            ]
        );
    }

    #[test]
    fn links_resolve_by_full_id_and_unique_prefix() {
        let agent = json!({"Name": "/agent", "Id": format!("{:a<64}", "abc123"),
                           "HostConfig": {"NetworkMode": "host"}});
        let other = json!({"Name": "/other", "Id": format!("{:b<64}", "abd999")});
        let full = format!("container:{:a<64}", "abc123");
        let f = findings(vec![
            agent.clone(),
            other.clone(),
            net("x", &full),
            net("y", "container:abc1"),
        ]);
        assert_eq!(f[2].status, Status::Fail);
        assert_eq!(f[3].status, Status::Fail);
        // An ambiguous prefix names no container: it cannot be judged.
        let f = findings(vec![agent, other, net("z", "container:ab")]);
        assert_eq!(f[2].status, Status::Manual);
    }

    #[test]
    fn a_chain_ending_in_its_own_namespace_passes() {
        let f = findings(vec![net("db", "backend"), net("exporter", "container:db")]);
        assert_eq!(f[1].status, Status::Pass);
        assert!(f[1].message.contains("container db"), "{}", f[1].message);
    }

    #[test]
    fn a_link_to_a_container_outside_the_snapshot_needs_a_person() {
        let f = findings(vec![net("orphan", "container:gone")]);
        assert_eq!(f[0].status, Status::Manual);
        assert!(f[0].message.starts_with("Verify:"), "{}", f[0].message);
    }

    #[test]
    fn a_stopped_host_network_container_still_fails() {
        let mut c = net("old", "host");
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(findings(vec![c])[0].status, Status::Fail);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(net("node-exporter", "host")),
                container(net("debug", "container:node-exporter")),
                container(net("web", "frontend")),
            ],
        );
        insta::assert_snapshot!(render(&run(&HostNetworkNamespace, &s)));
    }
}
