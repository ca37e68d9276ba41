//! CTR024 `root-exec`.

use bulwark_facts::{ContainerFacts, ExecInspect};

use crate::context::{Context, gap_verdict};
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::predicates::user::is_root_user;
use crate::rule::Check;
use crate::shared::exec::window;

declare_rule! {
    /// ## What it checks
    /// Whether an exec session of a running container runs as root:
    /// `ProcessConfig.user` of `GET /exec/{id}/json` for each id in the
    /// container's `ExecIDs`.
    /// - `root`, `0`, `0:<group>`, `root:<group>` (uid 0 whatever the
    ///   group) fail.
    /// - An empty user means the container's own user (`Config.User`); when
    ///   that is empty or root too, the session is an implicit root exec
    ///   and needs a person.
    /// - Any other user passes.
    ///
    /// The evidence is bounded: the engine drops a session from `ExecIDs`
    /// when it exits and all of them when the container restarts
    /// (`State.StartedAt`). Stopped containers have no sessions and are
    /// not checked.
    ///
    /// ## Why it matters
    /// A container that was built to run as an unprivileged user can still
    /// be entered as root with `docker exec -u 0`. Root in the container
    /// can change its files and binaries, read every secret in it, and
    /// uses every capability the container holds, which is the first step
    /// of most escapes.
    ///
    /// ## How to fix
    /// Exec as the container's own user (`docker exec web sh`, with a
    /// non-root `USER` in the image or `--user` at run time), or name one
    /// explicitly: `docker exec -u 1000 web sh`. Limit who may call the
    /// exec API with an authorization plugin (CIS 2.12).
    ///
    /// ## Examples
    /// Fails: `docker exec -u 0:0 web sh` still running.
    /// Needs a person: `docker exec web sh` in a container with no `USER`.
    /// Passes: `docker exec -u app web sh`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.24
    /// - <https://docs.docker.com/reference/cli/docker/container/exec/>
    pub RootExec {
        id: "CTR024",
        name: "root-exec",
        severity: Medium,
        target: Container,
        summary: "A docker exec session runs as root",
    }
}

impl Check for RootExec {
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
    let default_user = c.inspect.config.user.as_str();
    let default_is_root = default_user.trim().is_empty() || is_root_user(default_user);
    let user_of = |e: &ExecInspect| {
        Evidence::new(
            Source::Exec,
            format!("{}/ProcessConfig/user", e.id),
            e.process_config.user.as_str(),
        )
    };

    let explicit: Vec<&ExecInspect> = execs
        .iter()
        .filter(|e| is_root_user(&e.process_config.user))
        .collect();
    let implicit: Vec<&ExecInspect> = execs
        .iter()
        .filter(|e| e.process_config.user.trim().is_empty() && default_is_root)
        .collect();
    let container_user = Evidence::inspect("/Config/User", default_user);

    if !explicit.is_empty() {
        return Verdict::fail(format!(
            "Exec sessions run as root: {}.",
            describe(&explicit)
        ))
        .with_all(explicit.iter().map(|e| user_of(e)));
    }
    if !implicit.is_empty() {
        return Verdict::manual(format!(
            "Verify: exec sessions {} name no user and the container's default user is {}, so they run as root.",
            describe(&implicit),
            if default_user.is_empty() { "unset (root)" } else { default_user }
        ))
        .with_all(implicit.iter().map(|e| user_of(e)))
        .with(container_user);
    }
    Verdict::pass(format!("No root exec session: {}", window(c, execs)))
        .with_all(execs.iter().map(user_of))
        .with(container_user)
        .with(Evidence::inspect(
            "/State/StartedAt",
            c.inspect.state.started_at.as_str(),
        ))
}

/// `0123456789ab (sh as 0:0)` for each session.
fn describe(execs: &[&ExecInspect]) -> String {
    execs
        .iter()
        .map(|e| {
            let user = match e.process_config.user.as_str() {
                "" => "default user",
                u => u,
            };
            format!(
                "{} ({} as {user})",
                bulwark_facts::short_id(&e.id),
                e.process_config.entrypoint
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn exec_as(container_user: &str, exec_user: &str) -> ContainerFacts {
        let mut c = container(json!({"Name": "/web", "Config": {"User": container_user},
            "State": {"Status": "running", "Running": true, "StartedAt": "2024-05-01T10:00:00Z"}}));
        c.execs = Part::Collected(
            serde_json::from_value(json!([
                {"ID": "e1", "Running": true, "ProcessConfig": {"user": exec_user, "entrypoint": "sh"}}
            ]))
            .unwrap(),
        );
        c
    }

    fn status(container_user: &str, exec_user: &str) -> Status {
        only(run(
            &RootExec,
            &with_containers(host(), vec![exec_as(container_user, exec_user)]),
        ))
        .status
    }

    #[test]
    fn every_spelling_of_root_fails() {
        for user in ["root", "0", "0:0", "root:root", "0:1000", "root:docker"] {
            assert_eq!(status("app", user), Status::Fail, "{user}");
        }
    }

    #[test]
    fn a_named_non_root_user_passes() {
        for user in ["1000", "app", "1000:0", "nobody"] {
            assert_eq!(status("", user), Status::Pass, "{user}");
        }
    }

    #[test]
    fn an_empty_user_inherits_the_containers_user() {
        assert_eq!(status("", ""), Status::Manual);
        assert_eq!(status("root", ""), Status::Manual);
        assert_eq!(status("0:0", ""), Status::Manual);
        assert_eq!(status("app", ""), Status::Pass);
        let f = only(run(
            &RootExec,
            &with_containers(host(), vec![exec_as("", "")]),
        ));
        assert!(f.message.starts_with("Verify:"));
        assert!(f.message.contains("unset (root)"), "{}", f.message);
    }

    #[test]
    fn an_explicit_root_exec_outweighs_an_implicit_one() {
        let mut c = exec_as("", "");
        c.execs = Part::Collected(
            serde_json::from_value(json!([
                {"ID": "e1", "ProcessConfig": {"user": ""}},
                {"ID": "e2", "ProcessConfig": {"user": "0"}}
            ]))
            .unwrap(),
        );
        let f = only(run(&RootExec, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "e2/ProcessConfig/user");
    }

    #[test]
    fn no_exec_sessions_passes_with_the_window() {
        let mut c = exec_as("", "");
        c.execs = Part::Collected(Vec::new());
        let f = only(run(&RootExec, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("2024-05-01T10:00:00Z"), "{}", f.message);
    }

    #[test]
    fn missing_exec_facts_give_the_gap_not_a_pass() {
        let mut c = exec_as("", "");
        c.execs = Part::Missing(Gap::error("exec inspect: 500"));
        let f = only(run(&RootExec, &with_containers(host(), vec![c])));
        assert_eq!(f.status, Status::Error);
        assert_eq!(f.reason, Some("collection-failed"));
    }

    #[test]
    fn stopped_containers_are_not_judged() {
        let stopped: Value = json!({"State": {"Status": "exited", "Running": false}});
        let f = only(run(
            &RootExec,
            &with_containers(host(), vec![container(stopped)]),
        ));
        assert_eq!(f.status, Status::NotApplicable);
    }

    #[test]
    fn rendered() {
        let mut db = exec_as("postgres", "");
        db.inspect.name = "/db".into();
        let mut cache = exec_as("", "");
        cache.inspect.name = "/cache".into();
        let s = with_containers(host(), vec![exec_as("app", "0:0"), cache, db]);
        insta::assert_snapshot!(render(&run(&RootExec, &s)));
    }
}
