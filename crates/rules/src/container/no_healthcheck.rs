//! CTR027 `no-healthcheck`.

use bulwark_facts::ContainerFacts;
use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container has a health check: `Config.Healthcheck.Test`,
    /// which holds the image's `HEALTHCHECK` or the `--health-cmd` given at
    /// run time. A test other than `["NONE"]` passes; no test, an empty
    /// one, or `["NONE"]` (`--no-healthcheck`, `HEALTHCHECK NONE`) fails.
    /// For running containers `State.Health.Status` is reported as
    /// evidence: `unhealthy` is worth knowing but is not this control's
    /// failure, and a missing `State.Health` (the check has not been
    /// armed) is mentioned. Stopped containers are checked too. The command
    /// itself is not copied into the evidence (it may hold credentials).
    ///
    /// ## Why it matters
    /// Without a health check the engine only knows whether the main
    /// process exists, not whether the service works. A hung or
    /// half-compromised service keeps receiving traffic, and orchestration
    /// (swarm, restart tooling, load balancers) cannot replace it.
    ///
    /// ## How to fix
    /// Add a `HEALTHCHECK` to the image
    /// (`HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1`) or set one
    /// at run time: `--health-cmd`, `--health-interval` (compose:
    /// `healthcheck: {test: [...]}`). Remove `--no-healthcheck`.
    ///
    /// ## Examples
    /// Fails: `docker run --no-healthcheck nginx`, or an image without
    /// `HEALTHCHECK` run without `--health-cmd`.
    /// Passes: `docker run --health-cmd 'pg_isready' postgres`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.27
    /// - <https://docs.docker.com/reference/dockerfile/#healthcheck>
    pub NoHealthcheck {
        id: "CTR027",
        name: "no-healthcheck",
        severity: Low,
        target: Container,
        summary: "A container has no health check",
    }
}

impl Check for NoHealthcheck {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let test = c
        .inspect
        .config
        .healthcheck
        .as_ref()
        .and_then(|h| h.test.as_deref())
        .unwrap_or_default();
    // Test[0] says what kind of test it is (`CMD`, `CMD-SHELL`, `NONE`);
    // the rest is a command line, which can carry a password.
    let kind = test.first().map(String::as_str);
    let disabled = kind == Some("NONE");
    if test.is_empty() || disabled {
        let (message, value) = if disabled {
            ("Health checks are disabled (NONE).", Value::from("NONE"))
        } else {
            ("No health check is defined.", Value::Null)
        };
        return Verdict::fail(message).with(Evidence::inspect("/Config/Healthcheck/Test/0", value));
    }

    let own = Evidence::inspect("/Config/Healthcheck/Test/0", kind.unwrap_or_default());
    if !c.is_running() {
        return Verdict::pass("A health check is defined (container not running).").with(own);
    }
    match c.inspect.state.health.as_ref() {
        Some(h) => {
            let note = if h.status == "unhealthy" {
                " (reported, not this control's failure)"
            } else {
                ""
            };
            Verdict::pass(format!(
                "A health check is defined; current status {}{note}.",
                if h.status.is_empty() {
                    "unknown"
                } else {
                    &h.status
                }
            ))
            .with(own)
            .with(Evidence::inspect("/State/Health/Status", h.status.as_str()))
        }
        None => Verdict::pass(
            "A health check is defined, but the running container reports no health state yet.",
        )
        .with(own)
        .with(Evidence::inspect("/State/Health", Value::Null)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn with_test(test: Value, health: Value) -> Value {
        json!({"Config": {"Healthcheck": {"Test": test}},
               "State": {"Status": "running", "Running": true, "Health": health}})
    }

    #[test]
    fn a_defined_check_passes() {
        let c = with_test(
            json!(["CMD-SHELL", "curl -f http://localhost/"]),
            json!({"Status": "healthy"}),
        );
        assert_eq!(status_of(&NoHealthcheck, c), Status::Pass);
    }

    #[test]
    fn none_empty_or_absent_fails() {
        assert_eq!(
            status_of(&NoHealthcheck, with_test(json!(["NONE"]), Value::Null)),
            Status::Fail
        );
        assert_eq!(
            status_of(&NoHealthcheck, with_test(json!([]), Value::Null)),
            Status::Fail
        );
        assert_eq!(
            status_of(&NoHealthcheck, with_test(Value::Null, Value::Null)),
            Status::Fail
        );
        assert_eq!(status_of(&NoHealthcheck, json!({})), Status::Fail);
        assert_eq!(
            status_of(&NoHealthcheck, json!({"Config": {"Healthcheck": null}})),
            Status::Fail
        );
    }

    #[test]
    fn unhealthy_is_evidence_not_failure() {
        let c = with_test(json!(["CMD", "/bin/check"]), json!({"Status": "unhealthy"}));
        let f = only(run(
            &NoHealthcheck,
            &with_containers(host(), vec![container(c)]),
        ));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("unhealthy"), "{}", f.message);
        assert_eq!(f.evidence[1].value, json!("unhealthy"));
    }

    #[test]
    fn a_running_container_without_health_state_passes_with_a_note() {
        let c = with_test(json!(["CMD", "/bin/check"]), Value::Null);
        let f = only(run(
            &NoHealthcheck,
            &with_containers(host(), vec![container(c)]),
        ));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("no health state"), "{}", f.message);
    }

    #[test]
    fn the_command_is_not_copied_into_evidence() {
        let c = with_test(
            json!(["CMD-SHELL", "curl -u admin:s3cret http://localhost/"]),
            json!({"Status": "healthy"}),
        );
        let f = only(run(
            &NoHealthcheck,
            &with_containers(host(), vec![container(c)]),
        ));
        assert!(!render(&[f]).contains("s3cret"));
    }

    #[test]
    fn a_stopped_container_is_judged_on_its_configuration() {
        let stopped = json!({"Config": {"Healthcheck": {"Test": ["CMD", "true"]}},
                             "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&NoHealthcheck, stopped), Status::Pass);
        let stopped = json!({"State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&NoHealthcheck, stopped), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&NoHealthcheck, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let mut web = with_test(
            json!(["CMD-SHELL", "curl -f localhost"]),
            json!({"Status": "unhealthy"}),
        );
        web["Name"] = json!("/web");
        let mut off = with_test(json!(["NONE"]), Value::Null);
        off["Name"] = json!("/off");
        let s = with_containers(
            host(),
            vec![
                container(web),
                container(off),
                container(json!({"Name": "/plain"})),
                container(
                    json!({"Name": "/job", "Config": {"Healthcheck": {"Test": ["CMD", "true"]}},
                                 "State": {"Status": "exited", "Running": false}}),
                ),
            ],
        );
        insta::assert_snapshot!(render(&run(&NoHealthcheck, &s)));
    }
}
