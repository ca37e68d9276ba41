//! CTR016 `host-pid-namespace`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::namespace::{Namespace, judge_namespace};

declare_rule! {
    /// ## What it checks
    /// Whether a container (stopped ones too) shares the host's process
    /// (PID) namespace, from `HostConfig.PidMode`.
    ///
    /// - Fails for `host`, and for `container:<id>` when the container it
    ///   joins is, directly or through further `container:` links, in the
    ///   host's PID namespace. The links are followed through the other
    ///   containers of the snapshot, matched by full id, name (with or
    ///   without the leading `/`) or unique id prefix.
    /// - Passes for an empty mode (the container's own namespace) and for a
    ///   `container:` chain that ends in a container with its own namespace.
    ///   The comparison is exact: only `host` is the host.
    /// - Needs a person when a link names a container that is not in the
    ///   snapshot (removed, or excluded by a filter).
    ///
    /// ## Why it matters
    /// A container in the host's PID namespace sees every process on the
    /// host, with its command line and environment (often holding
    /// secrets), and as root it can signal, trace or enter them
    /// (`nsenter -t 1`), which is a direct path to the host. The engine
    /// also turns off SELinux labelling for such containers. Tools that
    /// `docker exec ps` into them see the host's processes, not the
    /// container's.
    ///
    /// ## How to fix
    /// Remove `--pid host` (compose: `pid: host`). A monitoring agent that
    /// needs host process data should read a read-only bind of the specific
    /// `/proc` files it needs, or run as a host service. For
    /// `--pid container:<name>`, make sure the target is not itself in the
    /// host's namespace.
    ///
    /// ## Examples
    /// Fails: `docker run --pid host alpine ps aux`.
    /// Passes: `docker run alpine ps aux`, and
    /// `docker run --pid container:app debug-tools` where `app` has its
    /// own namespace.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.16
    /// - <https://docs.docker.com/engine/containers/run/#pid-settings---pid>
    pub HostPidNamespace {
        id: "CTR016",
        name: "host-pid-namespace",
        severity: High,
        target: Container,
        summary: "A container shares the host's process namespace",
    }
}

const PID: Namespace = Namespace {
    field: "PidMode",
    noun: "PID",
};

impl Check for HostPidNamespace {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let all = ctx
            .snapshot
            .containers
            .get()
            .map(|c| c.items.as_slice())
            .unwrap_or_default();
        ctx.each_container(out, |c| {
            judge_namespace(all, c, &PID, |c| &c.inspect.host_config.pid_mode)
        });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::finding::{Evidence, Finding, Status};
    use crate::testing::*;

    use super::*;

    fn findings(containers: Vec<Value>) -> Vec<Finding> {
        run(
            &HostPidNamespace,
            &with_containers(host(), containers.into_iter().map(container).collect()),
        )
    }

    fn pid(name: &str, mode: &str) -> Value {
        json!({"Name": format!("/{name}"), "HostConfig": {"PidMode": mode}})
    }

    #[test]
    fn host_fails_and_private_passes() {
        let f = findings(vec![pid("a", "host"), pid("b", ""), pid("c", "hostish")]);
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(
            f[0].evidence,
            vec![Evidence::inspect("/HostConfig/PidMode", "host")]
        );
        assert_eq!(f[1].status, Status::Pass);
        assert_eq!(f[2].status, Status::Pass);
    }

    #[test]
    fn a_container_chain_ending_in_host_fails() {
        let f = findings(vec![
            pid("agent", "host"),
            pid("tool", "container:agent"),
            pid("tool2", "container:tool"),
        ]);
        assert_eq!(f[1].status, Status::Fail);
        assert_eq!(f[2].status, Status::Fail);
        assert!(f[2].message.contains("tool → agent"), "{}", f[2].message);
    }

    #[test]
    fn the_network_mode_does_not_count() {
        // Only PidMode decides: a host-network container has its own PIDs.
        let f = findings(vec![
            json!({"Name": "/agent", "HostConfig": {"NetworkMode": "host"}}),
            pid("tool", "container:agent"),
        ]);
        assert!(f.iter().all(|f| f.status == Status::Pass), "{f:#?}");
    }

    #[test]
    fn a_chain_to_a_private_namespace_passes_and_a_missing_one_needs_a_person() {
        let f = findings(vec![pid("app", ""), pid("debug", "container:app")]);
        assert_eq!(f[1].status, Status::Pass);
        let f = findings(vec![pid("debug", "container:gone")]);
        assert_eq!(f[0].status, Status::Manual);
    }

    #[test]
    fn a_stopped_container_still_fails() {
        let mut c = pid("old", "host");
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(findings(vec![c])[0].status, Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&HostPidNamespace, &host()));
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(pid("monitor", "host")),
                container(pid("strace", "container:monitor")),
                container(pid("app", "")),
            ],
        );
        insta::assert_snapshot!(render(&run(&HostPidNamespace, &s)));
    }
}
