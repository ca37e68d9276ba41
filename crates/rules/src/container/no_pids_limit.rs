//! CTR029 `no-pids-limit`.

use bulwark_facts::{ContainerFacts, Gap, Info};
use serde_json::Value;

use crate::context::{Context, gap_verdict};
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container's number of processes is capped:
    /// `HostConfig.PidsLimit` and the kernel's support for it
    /// (`/info PidsLimit`). A limit above 0 on a kernel with the pids
    /// cgroup passes. `null`, `0` and `-1` all mean unlimited and fail; a
    /// limit on a kernel without pids cgroup support is not enforced and
    /// fails too. Stopped containers are checked too.
    ///
    /// ## Why it matters
    /// Without a pids limit, one container can fork until the host's
    /// process table is full (a fork bomb, or a leak in a worker pool).
    /// Every other container and the host itself then fail to start new
    /// processes, including the shell an operator would use to recover.
    ///
    /// ## How to fix
    /// Set a limit that fits the workload: `docker run --pids-limit 200`
    /// (compose: `pids_limit: 200`, or `deploy.resources.limits.pids`).
    /// Existing containers: `docker update --pids-limit 200 <name>`.
    ///
    /// ## Examples
    /// Fails: `docker run app`, `docker run --pids-limit -1 app`.
    /// Passes: `docker run --pids-limit 100 app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.29
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#pids-limit>
    pub NoPidsLimit {
        id: "CTR029",
        name: "no-pids-limit",
        severity: Medium,
        target: Container,
        summary: "A container's number of processes is not limited",
    }
}

impl Check for NoPidsLimit {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let info = ctx.snapshot.engine.as_result().map(|e| &e.info);
        ctx.each_container(out, |c| judge(c, info));
    }
}

fn judge(c: &ContainerFacts, info: Result<&Info, &Gap>) -> Verdict {
    let limit = c.inspect.host_config.pids_limit;
    let own = Evidence::inspect(
        "/HostConfig/PidsLimit",
        limit.map_or(Value::Null, Value::from),
    );
    let limit = match limit {
        Some(n) if n > 0 => n,
        // null, 0 and -1 (any value below 1) are all "unlimited" to the
        // engine, not only 0.
        Some(n) => {
            return Verdict::fail(format!("No pids limit ({n} means unlimited).")).with(own);
        }
        None => return Verdict::fail("No pids limit is set.").with(own),
    };
    let info = match info {
        Ok(info) => info,
        Err(gap) => return gap_verdict(gap).with(own),
    };
    let support = Evidence::info("/PidsLimit", info.pids_limit);
    if info.pids_limit {
        Verdict::pass(format!("Limited to {limit} processes."))
            .with(own)
            .with(support)
    } else {
        Verdict::fail(format!(
            "A limit of {limit} processes is set, but the kernel has no pids cgroup support, so it is not enforced."
        ))
        .with(own)
        .with(support)
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Part;
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn limit(v: Value) -> Value {
        json!({"HostConfig": {"PidsLimit": v}})
    }

    #[test]
    fn a_positive_limit_with_kernel_support_passes() {
        assert_eq!(status_of(&NoPidsLimit, limit(json!(100))), Status::Pass);
    }

    #[test]
    fn null_zero_and_minus_one_are_all_unlimited() {
        for v in [Value::Null, json!(0), json!(-1)] {
            assert_eq!(
                status_of(&NoPidsLimit, limit(v.clone())),
                Status::Fail,
                "{v}"
            );
        }
        assert_eq!(status_of(&NoPidsLimit, json!({})), Status::Fail);
    }

    #[test]
    fn a_limit_without_kernel_support_fails() {
        let s = with_containers(
            with_info(host(), json!({"PidsLimit": false})),
            vec![container(limit(json!(100)))],
        );
        let f = only(run(&NoPidsLimit, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("not enforced"), "{}", f.message);
        assert_eq!(f.evidence[1].at, "/PidsLimit");
    }

    #[test]
    fn missing_engine_facts_give_the_gap_for_a_set_limit_only() {
        let mut s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/limited", "HostConfig": {"PidsLimit": 50}})),
                container(json!({"Name": "/open"})),
            ],
        );
        s.engine = Part::Missing(Gap::skipped("not collected"));
        let f = run(&NoPidsLimit, &s);
        assert_eq!(f[0].status, Status::Skipped);
        assert_eq!(f[1].status, Status::Fail);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = json!({"State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&NoPidsLimit, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&NoPidsLimit, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "HostConfig": {"PidsLimit": 200}})),
                container(json!({"Name": "/worker", "HostConfig": {"PidsLimit": -1}})),
                container(json!({"Name": "/db", "HostConfig": {"PidsLimit": null}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&NoPidsLimit, &s)));
    }
}
