//! CTR023 `privileged-exec`.

use bulwark_facts::{ContainerFacts, ExecInspect};

use crate::context::{Context, gap_verdict};
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::shared::exec::window;

declare_rule! {
    /// ## What it checks
    /// Whether any exec session of a running container was started with
    /// `docker exec --privileged`: `ProcessConfig.privileged` of
    /// `GET /exec/{id}/json` for each id in the container's `ExecIDs`. Any
    /// privileged session fails. None passes, but the evidence is bounded:
    /// the engine drops a session from `ExecIDs` as soon as it exits, and
    /// all of them when the container restarts (`State.StartedAt`), so
    /// only sessions still open when bulwark looked are visible. Health
    /// checks also run as exec sessions; they are never privileged.
    /// Stopped containers have no exec sessions and are not checked.
    ///
    /// ## Why it matters
    /// `docker exec --privileged` gives the new process every capability
    /// and lifts the seccomp, AppArmor and SELinux confinement for it, in a
    /// container that was deliberately started without those rights. It is
    /// a quiet way to get host root through a container that looks
    /// hardened in its configuration.
    ///
    /// ## How to fix
    /// Do not use `docker exec --privileged`. Debug with the container's
    /// own rights, or start a separate, short-lived debugging container.
    /// Restrict who can call the exec API with an authorization plugin
    /// (CIS 2.12), and audit the `docker` client binary to keep a record
    /// beyond what the engine retains.
    ///
    /// ## Examples
    /// Fails: `docker exec --privileged web sh` still running.
    /// Passes: `docker exec web sh`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.23
    /// - <https://docs.docker.com/reference/cli/docker/container/exec/>
    pub PrivilegedExec {
        id: "CTR023",
        name: "privileged-exec",
        severity: High,
        target: Container,
        summary: "A docker exec session runs with --privileged",
    }
}

impl Check for PrivilegedExec {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_running_container(out, |c| {
            let execs = match c.execs.as_result() {
                Ok(execs) => execs,
                Err(gap) => return gap_verdict(gap),
            };
            judge(c, execs)
        });
    }
}

fn judge(c: &ContainerFacts, execs: &[ExecInspect]) -> Verdict {
    let privileged: Vec<&ExecInspect> = execs
        .iter()
        .filter(|e| e.process_config.privileged)
        .collect();
    if privileged.is_empty() {
        return Verdict::pass(format!("No privileged exec session: {}", window(c, execs)))
            .with(Evidence::inspect(
                "/ExecIDs",
                execs.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
            ))
            .with(Evidence::inspect(
                "/State/StartedAt",
                c.inspect.state.started_at.as_str(),
            ));
    }
    let shown: Vec<String> = privileged
        .iter()
        .map(|e| {
            format!(
                "{} ({})",
                bulwark_facts::short_id(&e.id),
                e.process_config.entrypoint
            )
        })
        .collect();
    Verdict::fail(format!(
        "Privileged exec sessions run in the container: {}.",
        shown.join(", ")
    ))
    .with_all(privileged.iter().map(|e| {
        Evidence::new(
            Source::Exec,
            format!("{}/ProcessConfig/privileged", e.id),
            true,
        )
    }))
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn started() -> Value {
        json!({"Name": "/web", "State": {"Status": "running", "Running": true,
                                          "StartedAt": "2024-05-01T10:00:00Z"}})
    }

    #[test]
    fn a_privileged_exec_fails() {
        let c = with_execs(
            started(),
            json!([
                {"ID": "e1", "Running": true, "ProcessConfig": {"privileged": false, "entrypoint": "sh"}},
                {"ID": "e2", "Running": true, "ProcessConfig": {"privileged": true, "entrypoint": "bash"}}
            ]),
        );
        let f = only(run(&PrivilegedExec, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("e2 (bash)"), "{}", f.message);
        assert_eq!(f.evidence.len(), 1);
        assert_eq!(f.evidence[0].at, "e2/ProcessConfig/privileged");
    }

    #[test]
    fn no_privileged_exec_passes_with_the_window_in_the_evidence() {
        let c = with_execs(
            started(),
            json!([{"ID": "e1", "ProcessConfig": {"privileged": false, "user": "root"}}]),
        );
        let f = only(run(&PrivilegedExec, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("2024-05-01T10:00:00Z"), "{}", f.message);
        assert_eq!(f.evidence[1].at, "/State/StartedAt");
        let none = with_execs(started(), json!([]));
        assert_eq!(
            only(run(&PrivilegedExec, &with_containers(host(), vec![none]))).status,
            Status::Pass
        );
    }

    #[test]
    fn missing_exec_facts_give_the_gap_not_a_pass() {
        let mut c = container(started());
        c.execs = Part::Missing(Gap::skipped("remote daemon: exec inspect not allowed"));
        let f = only(run(&PrivilegedExec, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Skipped);
        assert_eq!(f.reason, Some("not-collected"));
    }

    #[test]
    fn stopped_containers_are_not_judged() {
        let stopped = container(json!({"State": {"Status": "exited", "Running": false}}));
        let f = only(run(
            &PrivilegedExec,
            &with_containers(host(), vec![stopped]),
        ));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                with_execs(
                    started(),
                    json!([{"ID": "0123456789abcdef", "Running": true,
                            "ProcessConfig": {"privileged": true, "user": "", "entrypoint": "sh"}}]),
                ),
                with_execs(
                    json!({"Name": "/db", "State": {"Status": "running", "Running": true,
                                                     "StartedAt": "2024-05-02T08:30:00Z"}}),
                    json!([{"ID": "fedcba9876543210", "Running": true,
                            "ProcessConfig": {"privileged": false, "entrypoint": "psql"}}]),
                ),
            ],
        );
        insta::assert_snapshot!(render(&run(&PrivilegedExec, &s)));
    }
}
