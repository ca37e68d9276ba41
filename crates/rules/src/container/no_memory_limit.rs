//! CTR011 `no-memory-limit`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether each container (stopped ones too) has a hard memory limit
    /// that the kernel enforces.
    ///
    /// - Passes when `HostConfig.Memory` is above 0 and `/info MemoryLimit`
    ///   is true (the kernel's memory cgroup is available).
    /// - Fails when `HostConfig.Memory` is 0 (unlimited), and when a limit
    ///   is set but `/info MemoryLimit` is false, so it is not enforced.
    ///   `HostConfig.MemoryReservation` alone is a soft target the kernel
    ///   reclaims towards under pressure, not a limit, and does not pass.
    /// - Needs a person when a limit is set but `/info` was not collected,
    ///   so enforcement is unknown.
    ///
    /// ## Why it matters
    /// A container without a limit can take all of the host's memory,
    /// whether through a leak, a load spike or a deliberate attack. The
    /// kernel's OOM killer then picks victims across the whole host,
    /// possibly the Docker daemon, sshd or other tenants' containers,
    /// turning one faulty service into a host-wide outage.
    ///
    /// ## How to fix
    /// Run each container with a limit sized for its workload:
    /// `docker run --memory 512m …` (compose: `mem_limit: 512m`, or
    /// `deploy.resources.limits.memory`). For an existing container,
    /// `docker update --memory 512m --memory-swap 512m <container>`. On
    /// hosts where `docker info` warns "No memory limit support", enable
    /// the memory cgroup (kernel parameter `cgroup_enable=memory`).
    ///
    /// ## Examples
    /// Fails: `docker run nginx`, and
    /// `docker run --memory-reservation 256m nginx`.
    /// Passes: `docker run --memory 256m nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.11
    /// - <https://docs.docker.com/engine/containers/resource_constraints/#memory>
    pub NoMemoryLimit {
        id: "CTR011",
        name: "no-memory-limit",
        severity: Medium,
        target: Container,
        summary: "A container has no enforced memory limit",
    }
}

impl Check for NoMemoryLimit {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        // Kernel support is a host fact; without `/info` the containers can
        // still be judged, only enforcement of a set limit is unknown.
        let kernel = ctx.snapshot.engine.get().map(|e| e.info.memory_limit);
        ctx.each_container(out, |c| judge(c, kernel));
    }
}

fn judge(c: &ContainerFacts, kernel: Option<bool>) -> Verdict {
    let hc = &c.inspect.host_config;
    let mut evidence = vec![Evidence::inspect("/HostConfig/Memory", hc.memory)];
    if hc.memory_reservation > 0 {
        evidence.push(Evidence::inspect(
            "/HostConfig/MemoryReservation",
            hc.memory_reservation,
        ));
    }

    if hc.memory <= 0 {
        let message = if hc.memory_reservation > 0 {
            format!(
                "Has no memory limit; MemoryReservation {} is a soft target, not a limit.",
                bytes(hc.memory_reservation)
            )
        } else {
            "Has no memory limit.".to_string()
        };
        return Verdict::fail(message).with_all(evidence);
    }

    let limit = bytes(hc.memory);
    match kernel {
        Some(true) => Verdict::pass(format!("Memory is limited to {limit}."))
            .with_all(evidence)
            .with(Evidence::info("/MemoryLimit", true)),
        Some(false) => Verdict::fail(format!(
            "Memory limit {limit} is not enforced: the kernel has no memory cgroup support."
        ))
        .with_all(evidence)
        .with(Evidence::info("/MemoryLimit", false)),
        None => Verdict::manual(format!(
            "Verify: the kernel enforces the memory limit of {limit} (docker info shows no \
             \"No memory limit support\" warning); /info was not collected."
        ))
        .with_all(evidence),
    }
}

/// A byte count as people write limits: `512 MiB`, `2 GiB`, `1000 B`.
fn bytes(n: i64) -> String {
    const UNITS: [(i64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size && n % size == 0 {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} B")
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn finding_on(s: bulwark_facts::Snapshot, host_config: Value) -> Finding {
        only(run(
            &NoMemoryLimit,
            &with_containers(s, vec![container(json!({"HostConfig": host_config}))]),
        ))
    }

    fn finding(host_config: Value) -> Finding {
        finding_on(host(), host_config)
    }

    #[test]
    fn a_limit_passes() {
        let f = finding(json!({"Memory": 536_870_912}));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(&*f.message, "Memory is limited to 512 MiB.");
        assert!(f.evidence.contains(&Evidence::info("/MemoryLimit", true)));
    }

    #[test]
    fn no_limit_fails() {
        let f = finding(json!({"Memory": 0}));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence, vec![Evidence::inspect("/HostConfig/Memory", 0)]);
        assert_eq!(finding(json!({})).status, Status::Fail);
    }

    #[test]
    fn a_reservation_is_not_a_limit() {
        let f = finding(json!({"Memory": 0, "MemoryReservation": 268_435_456}));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("soft target"), "{}", f.message);
        assert!(f.evidence.contains(&Evidence::inspect(
            "/HostConfig/MemoryReservation",
            268_435_456
        )));
    }

    #[test]
    fn a_limit_the_kernel_cannot_enforce_fails() {
        let s = with_info(host(), json!({"MemoryLimit": false}));
        let f = finding_on(s, json!({"Memory": 536_870_912}));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("not enforced"), "{}", f.message);
        assert!(f.evidence.contains(&Evidence::info("/MemoryLimit", false)));
    }

    #[test]
    fn without_info_a_set_limit_needs_a_person_and_no_limit_still_fails() {
        let mut s = host();
        s.engine = Part::Missing(Gap::error("GET /info: 500"));
        assert_eq!(
            finding_on(s.clone(), json!({"Memory": 1_000_000})).status,
            Status::Manual
        );
        assert_eq!(finding_on(s, json!({"Memory": 0})).status, Status::Fail);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = container(json!({"State": {"Status": "exited", "Running": false}}));
        let f = only(run(&NoMemoryLimit, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn sizes_read_like_limits() {
        assert_eq!(bytes(1 << 30), "1 GiB");
        assert_eq!(bytes(3 << 29), "1536 MiB");
        assert_eq!(bytes(6_291_456), "6 MiB");
        assert_eq!(bytes(1000), "1000 B");
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "HostConfig": {"Memory": 268_435_456}})),
                container(
                    json!({"Name": "/soft", "HostConfig": {"MemoryReservation": 134_217_728}}),
                ),
                container(json!({"Name": "/batch", "HostConfig": {"Memory": 0}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&NoMemoryLimit, &s)));
    }
}
