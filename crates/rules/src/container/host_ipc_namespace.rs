//! CTR017 `host-ipc-namespace`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::Findings;
use crate::rule::Check;
use crate::shared::namespace::{Namespace, judge_namespace};

declare_rule! {
    /// ## What it checks
    /// Whether a container shares the host's IPC namespace
    /// (`HostConfig.IpcMode`). `host` fails. `container:<name|id>` is
    /// followed through the other containers of the snapshot (matched by
    /// full id, unique id prefix or name), and fails when the chain ends in
    /// a container that uses `host`. `private`, `shareable`, `none` and
    /// empty (the daemon's `default-ipc-mode`, which cannot be `host`)
    /// pass, as does a chain ending in a container with its own namespace.
    /// A chain that leads to a container missing from the snapshot needs a
    /// person. Stopped containers are checked too.
    ///
    /// ## Why it matters
    /// The IPC namespace holds System V shared memory, semaphores, message
    /// queues and POSIX shared memory (`/dev/shm`). A container in the
    /// host's IPC namespace can read and corrupt the shared memory of host
    /// processes (databases, X servers, other services) and signal their
    /// semaphores. The engine also turns off SELinux labelling for such a
    /// container.
    ///
    /// ## How to fix
    /// Remove `--ipc=host` (compose: `ipc: host`). When two containers must
    /// share memory, give the donor `--ipc=shareable` and the other
    /// `--ipc=container:<donor>`, where the donor itself is not `host`.
    ///
    /// ## Examples
    /// Fails: `docker run --ipc=host redis`, or
    /// `docker run --ipc=container:a app` where `a` runs with `--ipc=host`.
    /// Passes: `docker run redis`, `docker run --ipc=shareable redis`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.17
    /// - <https://docs.docker.com/engine/containers/run/#ipc-settings---ipc>
    pub HostIpcNamespace {
        id: "CTR017",
        name: "host-ipc-namespace",
        severity: High,
        target: Container,
        summary: "A container shares the host's IPC namespace",
    }
}

impl Check for HostIpcNamespace {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let all: &[ContainerFacts] = ctx
            .snapshot
            .containers
            .get()
            .map_or(&[], |c| c.items.as_slice());
        ctx.each_container(out, |c| {
            judge_namespace(all, c, &IPC, |c| &c.inspect.host_config.ipc_mode)
        });
    }
}

const IPC: Namespace = Namespace {
    field: "IpcMode",
    noun: "IPC",
};

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::shared::namespace::find_container;
    use crate::testing::*;

    fn ipc(name: &str, mode: &str) -> ContainerFacts {
        container(json!({"Name": name, "HostConfig": {"IpcMode": mode}}))
    }

    fn status_named(items: Vec<ContainerFacts>, name: &str) -> Status {
        run(&HostIpcNamespace, &with_containers(host(), items))
            .into_iter()
            .find(|f| &*f.subject.name == name)
            .map(|f| f.status)
            .unwrap()
    }

    #[test]
    fn host_fails_and_own_modes_pass() {
        let rule = &HostIpcNamespace;
        assert_eq!(
            status_of(rule, json!({"HostConfig": {"IpcMode": "host"}})),
            Status::Fail
        );
        for mode in ["private", "shareable", "none", ""] {
            assert_eq!(
                status_of(rule, json!({"HostConfig": {"IpcMode": mode}})),
                Status::Pass,
                "{mode}"
            );
        }
        assert_eq!(status_of(rule, json!({})), Status::Pass);
    }

    #[test]
    fn exact_comparison_only() {
        assert_eq!(
            status_of(
                &HostIpcNamespace,
                json!({"HostConfig": {"IpcMode": "Host"}})
            ),
            Status::Pass
        );
    }

    #[test]
    fn a_chain_ending_in_host_fails_by_name_or_id() {
        // app -> /middle (name with slash) -> hostipc (id prefix) -> host
        let hostipc = ipc("/hostipc", "host");
        let prefix = hostipc.inspect.id[..10].to_string();
        let items = vec![
            ipc("/app", "container:/middle"),
            ipc("/middle", &format!("container:{prefix}")),
            hostipc,
        ];
        assert_eq!(status_named(items.clone(), "app"), Status::Fail);
        assert_eq!(status_named(items.clone(), "middle"), Status::Fail);
        let f = run(&HostIpcNamespace, &with_containers(host(), items))
            .into_iter()
            .find(|f| &*f.subject.name == "app")
            .unwrap();
        assert!(f.message.contains("middle → hostipc"), "{}", f.message);
        assert_eq!(f.evidence[1].at, "middle#/HostConfig/IpcMode");
        assert_eq!(f.evidence[1].value, json!(format!("container:{prefix}")));
        assert_eq!(f.evidence[2].value, json!("host"));
    }

    #[test]
    fn a_chain_by_full_id_to_a_shareable_donor_passes() {
        let donor = ipc("/donor", "shareable");
        let id = donor.inspect.id.clone();
        let items = vec![ipc("/app", &format!("container:{id}")), donor];
        assert_eq!(status_named(items, "app"), Status::Pass);
    }

    #[test]
    fn a_stopped_host_ipc_container_still_fails() {
        let stopped = json!({"HostConfig": {"IpcMode": "host"},
                             "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&HostIpcNamespace, stopped), Status::Fail);
    }

    #[test]
    fn a_chain_to_a_container_outside_the_snapshot_is_manual() {
        let f = only(run(
            &HostIpcNamespace,
            &with_containers(host(), vec![ipc("/app", "container:gone")]),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
    }

    #[test]
    fn an_ambiguous_prefix_resolves_to_nothing() {
        let items = vec![
            container(json!({"Name": "/a", "Id": format!("{:a<64}", "ab1")})),
            container(json!({"Name": "/b", "Id": format!("{:b<64}", "ab2")})),
        ];
        assert!(find_container(&items, "ab").is_none());
        assert!(find_container(&items, "ab1").is_some());
        assert!(find_container(&items, "b").is_some());
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&HostIpcNamespace, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                ipc("/sidecar", "container:web"),
                ipc("/web", "host"),
                ipc("/db", "private"),
                ipc("/cache", ""),
            ],
        );
        insta::assert_snapshot!(render(&run(&HostIpcNamespace, &s)));
    }
}
