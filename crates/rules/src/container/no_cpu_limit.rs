//! CTR012 `no-cpu-limit`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether each container (stopped ones too) has any CPU control set.
    ///
    /// - Passes when any one of these is set: `HostConfig.CpuShares` above
    ///   0 (a relative weight), `HostConfig.NanoCpus` above 0 (`--cpus`),
    ///   `HostConfig.CpuQuota` above 0 (`--cpu-quota`, with `CpuPeriod`),
    ///   or a non-empty `HostConfig.CpusetCpus` (`--cpuset-cpus`). A
    ///   `CpuShares` of 1024 is the default weight: it passes, and the
    ///   finding notes that it changes nothing.
    /// - Fails when none is set (`CpuShares` 0 means the default weight).
    ///
    /// ## Why it matters
    /// Without any CPU control a container competes for the CPU on equal
    /// terms with everything else, and a busy or compromised one can
    /// starve the other containers and the host's own services (including
    /// the Docker daemon) of CPU time. A weight, quota or CPU set bounds
    /// how much of the machine one container can take.
    ///
    /// ## How to fix
    /// Give each container a CPU budget that fits its workload:
    /// `docker run --cpus 1.5 …` (compose: `cpus: 1.5` or
    /// `deploy.resources.limits.cpus`), or a relative weight with
    /// `--cpu-shares 512`, or pin it with `--cpuset-cpus 0-1`. For an
    /// existing container, `docker update --cpus 1.5 <container>`.
    ///
    /// ## Examples
    /// Fails: `docker run nginx`.
    /// Passes: `docker run --cpus 0.5 nginx`, and
    /// `docker run --cpu-quota 50000 nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.12
    /// - <https://docs.docker.com/engine/containers/resource_constraints/#cpu>
    pub NoCpuLimit {
        id: "CTR012",
        name: "no-cpu-limit",
        severity: Low,
        target: Container,
        summary: "A container has no CPU limit or priority set",
    }
}

/// The CFS weight every container gets unless told otherwise.
const DEFAULT_SHARES: i64 = 1024;

impl Check for NoCpuLimit {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let hc = &c.inspect.host_config;
    let mut set = Vec::new();
    if hc.nano_cpus > 0 {
        // NanoCpus is CPUs × 10⁹: 1_500_000_000 is `--cpus 1.5`.
        set.push(format!("{} CPUs (NanoCpus)", hc.nano_cpus as f64 / 1e9));
    }
    if hc.cpu_quota > 0 {
        let period = if hc.cpu_period > 0 {
            hc.cpu_period
        } else {
            100_000
        };
        set.push(format!("CpuQuota {} µs per {period} µs", hc.cpu_quota));
    }
    if !hc.cpuset_cpus.trim().is_empty() {
        set.push(format!("CpusetCpus {}", hc.cpuset_cpus));
    }
    if hc.cpu_shares > 0 {
        set.push(format!("CpuShares {}", hc.cpu_shares));
    }

    let mut evidence = vec![
        Evidence::inspect("/HostConfig/CpuShares", hc.cpu_shares),
        Evidence::inspect("/HostConfig/NanoCpus", hc.nano_cpus),
        Evidence::inspect("/HostConfig/CpuQuota", hc.cpu_quota),
    ];
    if hc.cpu_quota > 0 {
        evidence.push(Evidence::inspect("/HostConfig/CpuPeriod", hc.cpu_period));
    }
    evidence.push(Evidence::inspect(
        "/HostConfig/CpusetCpus",
        hc.cpuset_cpus.as_str(),
    ));

    if set.is_empty() {
        return Verdict::fail("Has no CPU limit, weight or CPU set.").with_all(evidence);
    }
    // Shares of exactly the default, on their own, change nothing.
    let note = if set.len() == 1 && hc.cpu_shares == DEFAULT_SHARES {
        " (1024 is the default weight, so this is the same as not setting it)"
    } else {
        ""
    };
    Verdict::pass(format!("CPU is controlled: {}{note}.", set.join(", "))).with_all(evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn finding(host_config: Value) -> Finding {
        only(run(
            &NoCpuLimit,
            &with_containers(host(), vec![container(json!({"HostConfig": host_config}))]),
        ))
    }

    #[test]
    fn nothing_set_fails() {
        let f = finding(json!({}));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.evidence
                .contains(&Evidence::inspect("/HostConfig/CpuQuota", 0))
        );
        // CpuShares 0 means the default weight: still nothing set.
        let f = finding(json!({"CpuShares": 0, "NanoCpus": 0, "CpuQuota": 0,
                               "CpuPeriod": 100_000, "CpusetCpus": ""}));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn each_control_alone_passes() {
        // The pitfall: reading only CpuShares and NanoCpus failed
        // --cpu-quota containers.
        for hc in [
            json!({"CpuShares": 512}),
            json!({"NanoCpus": 1_500_000_000_i64}),
            json!({"CpuQuota": 50_000, "CpuPeriod": 100_000}),
            json!({"CpusetCpus": "0-1"}),
        ] {
            assert_eq!(finding(hc.clone()).status, Status::Pass, "{hc}");
        }
    }

    #[test]
    fn the_finding_says_what_controls_the_cpu() {
        let f = finding(json!({"NanoCpus": 1_500_000_000_i64}));
        assert_eq!(&*f.message, "CPU is controlled: 1.5 CPUs (NanoCpus).");
        let f = finding(json!({"CpuQuota": 50_000, "CpuPeriod": 100_000}));
        assert!(f.message.contains("CpuQuota 50000"), "{}", f.message);
        assert!(
            f.evidence
                .contains(&Evidence::inspect("/HostConfig/CpuPeriod", 100_000))
        );
    }

    #[test]
    fn default_shares_pass_with_a_note() {
        let f = finding(json!({"CpuShares": 1024}));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("default weight"), "{}", f.message);
        // With another control set, the note is moot.
        let f = finding(json!({"CpuShares": 1024, "NanoCpus": 500_000_000}));
        assert!(!f.message.contains("default weight"), "{}", f.message);
    }

    #[test]
    fn a_negative_quota_is_not_a_limit() {
        // -1 is how the API says "no quota".
        assert_eq!(finding(json!({"CpuQuota": -1})).status, Status::Fail);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "HostConfig": {"NanoCpus": 500_000_000}})),
                container(json!({"Name": "/pinned", "HostConfig": {"CpusetCpus": "2,3"}})),
                container(json!({"Name": "/plain", "HostConfig": {"CpuShares": 1024}})),
                container(json!({"Name": "/free"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&NoCpuLimit, &s)));
    }
}
