//! CTR005 `privileged-container`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container is configured with `--privileged`
    /// (`HostConfig.Privileged`). Stopped and created containers are
    /// checked too: they start again with the same configuration.
    ///
    /// ## Why it matters
    /// A privileged container gets every capability, every host device, no
    /// seccomp filter, no AppArmor or SELinux confinement and a writable
    /// `/sys`. Root inside it is root on the host: mounting the host's disk
    /// or loading a kernel module is one command away.
    ///
    /// ## How to fix
    /// Remove `--privileged` (compose: `privileged: true`). Grant only the
    /// capabilities (`--cap-add`) and devices (`--device`) the workload
    /// needs, and keep the default seccomp profile.
    ///
    /// ## Examples
    /// Fails: `docker run --privileged nginx`.
    /// Passes: `docker run --cap-drop ALL --cap-add NET_BIND_SERVICE nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.5
    /// - <https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities>
    pub PrivilegedContainer {
        id: "CTR005",
        name: "privileged-container",
        severity: Critical,
        target: Container,
        summary: "A container runs with --privileged",
    }
}

impl Check for PrivilegedContainer {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, |c| {
            let privileged = c.inspect.host_config.privileged;
            let verdict = if privileged {
                Verdict::fail("Runs privileged: all capabilities, all devices, no confinement.")
            } else {
                Verdict::pass("Not privileged.")
            };
            verdict.with(Evidence::inspect("/HostConfig/Privileged", privileged))
        });
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    #[test]
    fn privileged_fails_and_unprivileged_passes() {
        let rule = &PrivilegedContainer;
        assert_eq!(
            status_of(rule, json!({"HostConfig": {"Privileged": true}})),
            Status::Fail
        );
        assert_eq!(
            status_of(rule, json!({"HostConfig": {"Privileged": false}})),
            Status::Pass
        );
        assert_eq!(status_of(rule, json!({})), Status::Pass);
    }

    #[test]
    fn a_stopped_privileged_container_still_fails() {
        let stopped = json!({"HostConfig": {"Privileged": true},
                             "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&PrivilegedContainer, stopped), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&PrivilegedContainer, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "HostConfig": {"Privileged": true}})),
                container(json!({"Name": "/db"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&PrivilegedContainer, &s)));
    }
}
