//! OPS002 `container-sprawl`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// How many stopped containers have piled up, from the daemon's own
    /// counts in `/info` (`Containers`, `ContainersRunning`,
    /// `ContainersPaused`, `ContainersStopped`), not from parsing
    /// `docker info` text. It fails when stopped minus running containers
    /// reaches the policy's `container_sprawl_threshold` (25 by default),
    /// and passes otherwise; the counts are the evidence either way.
    ///
    /// ## Why it matters
    /// Stopped containers keep their writable layers, logs, volumes and
    /// configuration. They fill the disk, hide which workloads are real,
    /// and can be started again with whatever outdated image or insecure
    /// settings they were created with.
    ///
    /// ## How to fix
    /// Remove containers that are no longer needed: `docker container
    /// prune` (or `docker rm <name>`), run short-lived containers with
    /// `docker run --rm`, and review what stopped containers are for.
    ///
    /// ## Examples
    /// Fails: 40 stopped and 5 running containers (40 − 5 ≥ 25).
    /// Passes: 3 stopped and 12 running containers.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 6.2
    /// - <https://docs.docker.com/reference/cli/docker/container/prune/>
    pub ContainerSprawl {
        id: "OPS002",
        name: "container-sprawl",
        severity: Low,
        target: Ops,
        summary: "Stopped containers have piled up",
    }
}

impl Check for ContainerSprawl {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let info = &engine.info;
        let threshold = ctx.policy.container_sprawl_threshold;
        let excess = info.containers_stopped - info.containers_running;
        let evidence = [
            Evidence::info("/Containers", info.containers),
            Evidence::info("/ContainersRunning", info.containers_running),
            Evidence::info("/ContainersPaused", info.containers_paused),
            Evidence::info("/ContainersStopped", info.containers_stopped),
            Evidence::new(Source::Policy, "container_sprawl_threshold", threshold),
        ];
        let counts = format!(
            "{} stopped, {} running, {} paused of {}",
            info.containers_stopped,
            info.containers_running,
            info.containers_paused,
            info.containers
        );
        let verdict = if excess >= threshold {
            Verdict::fail(format!(
                "Container sprawl: {counts}; stopped exceed running by {excess}, at or above the threshold of {threshold}."
            ))
        } else {
            Verdict::pass(format!(
                "No container sprawl: {counts}; stopped minus running is {excess}, below {threshold}."
            ))
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::policy::Policy;
    use crate::testing::*;

    fn counts(running: i64, stopped: i64) -> Snapshot {
        with_info(
            host(),
            json!({"Containers": running + stopped, "ContainersRunning": running,
                   "ContainersPaused": 0, "ContainersStopped": stopped}),
        )
    }

    #[test]
    fn the_threshold_is_inclusive() {
        assert_eq!(
            only(run(&ContainerSprawl, &counts(5, 30))).status,
            Status::Fail
        );
        assert_eq!(
            only(run(&ContainerSprawl, &counts(5, 29))).status,
            Status::Pass
        );
        assert_eq!(
            only(run(&ContainerSprawl, &counts(0, 0))).status,
            Status::Pass
        );
        // Many stopped, but more running: not sprawl by this measure.
        assert_eq!(
            only(run(&ContainerSprawl, &counts(100, 60))).status,
            Status::Pass
        );
    }

    #[test]
    fn the_threshold_comes_from_the_policy() {
        let policy = Policy {
            container_sprawl_threshold: 3,
            ..Policy::default()
        };
        let f = only(run_with(&ContainerSprawl, &counts(1, 4), &policy));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[4].value, json!(3));
    }

    #[test]
    fn the_counts_are_the_evidence() {
        let f = only(run(&ContainerSprawl, &counts(2, 7)));
        assert_eq!(f.evidence[1].at, "/ContainersRunning");
        assert_eq!(f.evidence[1].value, json!(2));
        assert_eq!(f.evidence[3].value, json!(7));
    }

    #[test]
    fn missing_engine_facts_are_reported() {
        let mut s = host();
        s.engine = Part::Missing(Gap::skipped("not collected"));
        assert_eq!(only(run(&ContainerSprawl, &s)).status, Status::Skipped);
    }

    #[test]
    fn rendered() {
        let mut text = render(&run(&ContainerSprawl, &counts(4, 40)));
        text.push('\n');
        text.push_str(&render(&run(&ContainerSprawl, &counts(12, 3))));
        insta::assert_snapshot!(text);
    }
}
