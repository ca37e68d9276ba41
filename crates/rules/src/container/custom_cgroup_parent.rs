//! CTR025 `custom-cgroup-parent`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container is placed under a cgroup parent of its own
    /// choosing (`HostConfig.CgroupParent`, set by `--cgroup-parent`).
    /// Empty means the daemon's default parent (CIS 2.10) and passes. A
    /// parent equal to, or beneath, an entry of the policy's
    /// `allowed_cgroup_parents` passes (by whole path or slice component:
    /// `/kubepods` allows `/kubepods/burstable`, not `/kubepods-evil`). Any
    /// other parent needs a person. Stopped containers are checked too.
    ///
    /// ## Why it matters
    /// The cgroup parent decides which resource limits bound the container
    /// in addition to its own. A container placed under an unlimited or
    /// unexpected parent escapes the limits the operator set for
    /// containers as a group, and can starve the host or other tenants.
    ///
    /// ## How to fix
    /// Drop `--cgroup-parent` (compose: `cgroup_parent:`) unless it is
    /// intended, and set the default for all containers on the daemon
    /// instead (`--cgroup-parent`, daemon.json `"cgroup-parent"`). Record
    /// intended parents, such as an orchestrator's, in bulwark's policy
    /// (`allowed_cgroup_parents`).
    ///
    /// ## Examples
    /// Needs a person: `docker run --cgroup-parent=/custom app`.
    /// Passes: `docker run app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.25
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#cgroup-parent>
    pub CustomCgroupParent {
        id: "CTR025",
        name: "custom-cgroup-parent",
        severity: Low,
        target: Container,
        summary: "A container runs under a custom cgroup parent",
    }
}

impl Check for CustomCgroupParent {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let allowed = &ctx.policy.allowed_cgroup_parents;
        ctx.each_container(out, |c| judge(c, allowed));
    }
}

fn judge(c: &ContainerFacts, allowed: &[String]) -> Verdict {
    let parent = c.inspect.host_config.cgroup_parent.as_str();
    let own = Evidence::inspect("/HostConfig/CgroupParent", parent);
    if parent.is_empty() {
        return Verdict::pass("Uses the daemon's default cgroup parent.").with(own);
    }
    if let Some(prefix) = allowed.iter().find(|p| is_under(parent, p)) {
        return Verdict::pass(format!(
            "Runs under cgroup parent {parent}, which the policy allows."
        ))
        .with(own)
        .with(Evidence::new(
            Source::Policy,
            "allowed_cgroup_parents",
            prefix.as_str(),
        ));
    }
    Verdict::manual(format!(
        "Verify: cgroup parent {parent} is intended and carries the expected limits."
    ))
    .with(own)
}

/// True when `parent` is `prefix` or lies beneath it. Components end at
/// `/` (cgroupfs paths) or at `-`/`.` (systemd slices: `kubepods-burstable.slice`
/// is beneath `kubepods`), so `/kubepods` does not allow `/kubepodsx`.
fn is_under(parent: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return false; // an empty entry must not allow everything
    }
    match parent.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.starts_with(['/', '-', '.']) || prefix.ends_with(['-', '.']),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::policy::Policy;
    use crate::testing::*;

    fn parent(p: &str) -> serde_json::Value {
        json!({"HostConfig": {"CgroupParent": p}})
    }

    fn under_policy(p: &str, allowed: &[&str]) -> Status {
        let policy = Policy {
            allowed_cgroup_parents: allowed.iter().map(|s| s.to_string()).collect(),
            ..Policy::default()
        };
        only(run_with(
            &CustomCgroupParent,
            &with_containers(host(), vec![container(parent(p))]),
            &policy,
        ))
        .status
    }

    #[test]
    fn the_default_parent_passes() {
        assert_eq!(status_of(&CustomCgroupParent, json!({})), Status::Pass);
        assert_eq!(status_of(&CustomCgroupParent, parent("")), Status::Pass);
    }

    #[test]
    fn a_custom_parent_needs_a_person() {
        let f = only(run(
            &CustomCgroupParent,
            &with_containers(host(), vec![container(parent("/custom"))]),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert_eq!(f.evidence[0].value, json!("/custom"));
    }

    #[test]
    fn an_allowed_prefix_passes_by_whole_component() {
        assert_eq!(
            under_policy("/kubepods/burstable/pod1", &["/kubepods"]),
            Status::Pass
        );
        assert_eq!(under_policy("/kubepods", &["/kubepods/"]), Status::Pass);
        assert_eq!(
            under_policy("kubepods-burstable.slice", &["kubepods"]),
            Status::Pass
        );
        assert_eq!(under_policy("/kubepodsx", &["/kubepods"]), Status::Manual);
        assert_eq!(under_policy("/custom", &["/kubepods"]), Status::Manual);
        assert_eq!(under_policy("/custom", &[""]), Status::Manual);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let mut c = parent("/custom");
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(status_of(&CustomCgroupParent, c), Status::Manual);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&CustomCgroupParent, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let policy = Policy {
            allowed_cgroup_parents: vec!["/kubepods".into()],
            ..Policy::default()
        };
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/batch", "HostConfig": {"CgroupParent": "/unlimited"}})),
                container(
                    json!({"Name": "/pod", "HostConfig": {"CgroupParent": "/kubepods/besteffort"}}),
                ),
                container(json!({"Name": "/web"})),
            ],
        );
        insta::assert_snapshot!(render(&run_with(&CustomCgroupParent, &s, &policy)));
    }
}
