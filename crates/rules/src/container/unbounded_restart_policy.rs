//! CTR015 `unbounded-restart-policy`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether each container's restart policy bounds the number of
    /// restarts, from `HostConfig.RestartPolicy.Name` and
    /// `MaximumRetryCount` (stopped containers too; `RestartCount` is shown
    /// as evidence).
    ///
    /// - Passes for `on-failure` with a maximum of 1 to 5 retries, and for
    ///   `no` or an empty name (never restarted).
    /// - Fails for `always` and `unless-stopped`, whatever the count (the
    ///   count only applies to `on-failure`, so `--restart always` has 0),
    ///   and for `on-failure` with 0 (unlimited) or more than 5 retries.
    /// - Needs a person for swarm task containers (label
    ///   `com.docker.swarm.service.id`): swarmkit restarts them itself and
    ///   they always show `no`; the service's
    ///   `Spec.TaskTemplate.RestartPolicy` decides, and bulwark does not
    ///   collect services.
    ///
    /// ## Why it matters
    /// A container that keeps failing and is restarted forever hides the
    /// failure, burns CPU and fills logs, and if the failure is an attack
    /// (a crash-inducing exploit, a brute-forced process) every restart
    /// gives the attacker another try. A small bound makes a persistent
    /// failure stop and get noticed.
    ///
    /// ## How to fix
    /// Use `--restart on-failure:5` (compose: `restart: "on-failure:5"`)
    /// and alert on containers that exhaust it. For an existing container,
    /// `docker update --restart on-failure:5 <container>`. For swarm
    /// services, `docker service update --restart-condition on-failure
    /// --restart-max-attempts 5 <service>`.
    ///
    /// ## Examples
    /// Fails: `docker run --restart always nginx`, and
    /// `docker run --restart on-failure nginx` (no maximum).
    /// Passes: `docker run --restart on-failure:5 nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.15
    /// - <https://docs.docker.com/engine/containers/start-containers-automatically/>
    pub UnboundedRestartPolicy {
        id: "CTR015",
        name: "unbounded-restart-policy",
        severity: Low,
        target: Container,
        summary: "A container's restart policy restarts it without bound",
    }
}

/// The most retries CIS accepts.
const MAX_RETRIES: i64 = 5;

/// The label swarmkit puts on its task containers.
const SWARM_SERVICE_LABEL: &str = "com.docker.swarm.service.id";

impl Check for UnboundedRestartPolicy {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let policy = &c.inspect.host_config.restart_policy;
    let name = policy.name.as_str();
    let count = policy.maximum_retry_count;
    let evidence = [
        Evidence::inspect("/HostConfig/RestartPolicy/Name", name),
        Evidence::inspect("/HostConfig/RestartPolicy/MaximumRetryCount", count),
        Evidence::inspect("/RestartCount", c.inspect.restart_count),
    ];

    if let Some(service) = c
        .inspect
        .config
        .labels
        .as_ref()
        .and_then(|l| l.get(SWARM_SERVICE_LABEL))
    {
        return Verdict::manual(format!(
            "Verify: swarm service {service} restarts its tasks at most {MAX_RETRIES} times \
             (Spec.TaskTemplate.RestartPolicy); swarm services are not collected and the \
             task container's own policy does not apply."
        ))
        .with(Evidence::inspect(
            format!("/Config/Labels/{SWARM_SERVICE_LABEL}"),
            service.as_str(),
        ))
        .with_all(evidence);
    }

    let verdict = match name {
        "" | "no" => Verdict::pass("Is never restarted automatically (restart policy no)."),
        "always" | "unless-stopped" => {
            Verdict::fail(format!("Restart policy {name} restarts it without limit."))
        }
        "on-failure" if count <= 0 => {
            Verdict::fail("Restart policy on-failure has no maximum retry count (unlimited).")
        }
        "on-failure" if count > MAX_RETRIES => Verdict::fail(format!(
            "Restart policy on-failure allows {count} retries, more than {MAX_RETRIES}."
        )),
        "on-failure" => Verdict::pass(format!(
            "Restart policy on-failure is limited to {count} retries."
        )),
        other => Verdict::manual(format!(
            "Verify: the restart policy {other:?}, unknown to bulwark, bounds restarts."
        )),
    };
    verdict.with_all(evidence)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::{Finding, Status};
    use crate::testing::*;

    fn finding(c: Value) -> Finding {
        only(run(
            &UnboundedRestartPolicy,
            &with_containers(host(), vec![container(c)]),
        ))
    }

    fn restart(name: &str, count: i64) -> Status {
        finding(json!({"HostConfig": {"RestartPolicy":
            {"Name": name, "MaximumRetryCount": count}}}))
        .status
    }

    #[test]
    fn always_and_unless_stopped_fail_whatever_the_count() {
        // The pitfall: checking only the count, `--restart always` (count 0)
        // passed.
        assert_eq!(restart("always", 0), Status::Fail);
        assert_eq!(restart("always", 3), Status::Fail);
        assert_eq!(restart("unless-stopped", 0), Status::Fail);
    }

    #[test]
    fn on_failure_passes_from_one_to_five() {
        assert_eq!(restart("on-failure", 0), Status::Fail);
        assert_eq!(restart("on-failure", 1), Status::Pass);
        assert_eq!(restart("on-failure", 5), Status::Pass);
        assert_eq!(restart("on-failure", 6), Status::Fail);
        assert_eq!(restart("on-failure", 100), Status::Fail);
    }

    #[test]
    fn no_policy_passes() {
        assert_eq!(restart("no", 0), Status::Pass);
        assert_eq!(restart("", 0), Status::Pass);
        assert_eq!(finding(json!({})).status, Status::Pass);
    }

    #[test]
    fn evidence_shows_name_count_and_restarts() {
        let f = finding(json!({"RestartCount": 17,
            "HostConfig": {"RestartPolicy": {"Name": "always", "MaximumRetryCount": 0}}}));
        assert_eq!(
            f.evidence,
            vec![
                Evidence::inspect("/HostConfig/RestartPolicy/Name", "always"),
                Evidence::inspect("/HostConfig/RestartPolicy/MaximumRetryCount", 0),
                Evidence::inspect("/RestartCount", 17),
            ]
        );
    }

    #[test]
    fn swarm_tasks_need_a_person() {
        // The pitfall: task containers show `no` because swarmkit restarts them.
        let f = finding(json!({
            "Config": {"Labels": {"com.docker.swarm.service.id": "svc123",
                                  "com.docker.swarm.task.id": "task1"}},
            "HostConfig": {"RestartPolicy": {"Name": "no"}}}));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("svc123"), "{}", f.message);
        assert!(f.message.starts_with("Verify:"), "{}", f.message);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let f = finding(json!({"State": {"Status": "exited", "Running": false},
            "HostConfig": {"RestartPolicy": {"Name": "unless-stopped"}}}));
        assert_eq!(f.status, Status::Fail);
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/web", "RestartCount": 2,
                    "HostConfig": {"RestartPolicy": {"Name": "always", "MaximumRetryCount": 0}}})),
                container(json!({"Name": "/job",
                    "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 5}}})),
                container(json!({"Name": "/flaky",
                    "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 0}}})),
                container(json!({"Name": "/svc.1.abc",
                    "Config": {"Labels": {"com.docker.swarm.service.id": "k2x9"}},
                    "HostConfig": {"RestartPolicy": {"Name": "no"}}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&UnboundedRestartPolicy, &s)));
    }
}
