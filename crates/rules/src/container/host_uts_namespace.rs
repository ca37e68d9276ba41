//! CTR021 `host-uts-namespace`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::namespaces::{Sharing, sharing};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container shares the host's UTS namespace: the field
    /// `HostConfig.UTSMode` compared exactly with `host` (a value, not a
    /// text line of `docker inspect` output). `host` fails; anything else,
    /// including empty (the container's own namespace), passes. The engine
    /// accepts no `container:<id>` form for UTS. Stopped containers are
    /// checked too.
    ///
    /// ## Why it matters
    /// The UTS namespace holds the host name and NIS domain name. A
    /// container in the host's UTS namespace, given `CAP_SYS_ADMIN`, can
    /// rename the host, which confuses logging, monitoring, Kerberos and
    /// cluster membership; even unprivileged, it learns the real host name
    /// and loses one layer of isolation.
    ///
    /// ## How to fix
    /// Remove `--uts=host` (compose: `uts: host`). Set a name with
    /// `--hostname` if the workload needs a specific one.
    ///
    /// ## Examples
    /// Fails: `docker run --uts=host busybox hostname`.
    /// Passes: `docker run --hostname web1 busybox hostname`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.21
    /// - <https://docs.docker.com/engine/containers/run/#uts-settings---uts>
    pub HostUtsNamespace {
        id: "CTR021",
        name: "host-uts-namespace",
        severity: Medium,
        target: Container,
        summary: "A container shares the host's UTS namespace",
    }
}

impl Check for HostUtsNamespace {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let mode = c.inspect.host_config.uts_mode.as_str();
    let verdict = match sharing(mode) {
        Sharing::Host => Verdict::fail(
            "Shares the host's UTS namespace: it sees, and may change, the host name.",
        ),
        _ => Verdict::pass("Has its own UTS namespace."),
    };
    verdict.with(Evidence::inspect("/HostConfig/UTSMode", mode))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn host_fails_and_anything_else_passes() {
        assert_eq!(
            status_of(
                &HostUtsNamespace,
                json!({"HostConfig": {"UTSMode": "host"}})
            ),
            Status::Fail
        );
        assert_eq!(
            status_of(&HostUtsNamespace, json!({"HostConfig": {"UTSMode": ""}})),
            Status::Pass
        );
        assert_eq!(status_of(&HostUtsNamespace, json!({})), Status::Pass);
    }

    #[test]
    fn the_field_is_compared_exactly() {
        // Text matching of `UTSMode=host` lines is the pitfall; the field
        // is compared as a value.
        for mode in ["hostname", "Host", " host"] {
            assert_eq!(
                status_of(&HostUtsNamespace, json!({"HostConfig": {"UTSMode": mode}})),
                Status::Pass,
                "{mode}"
            );
        }
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = json!({"HostConfig": {"UTSMode": "host"},
                       "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&HostUtsNamespace, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&HostUtsNamespace, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/agent", "HostConfig": {"UTSMode": "host"}})),
                container(json!({"Name": "/web"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&HostUtsNamespace, &s)));
    }
}
