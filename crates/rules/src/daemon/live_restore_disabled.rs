//! DMN015 `live-restore-disabled`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether the running daemon has live restore enabled, as it reports
    /// itself in `/info LiveRestoreEnabled` (not whether a flag or key is
    /// present: the key can be reloaded, and a file edited after start may
    /// not be in effect). Passes when true, fails when false. Not
    /// applicable (`swarm-active`) when `/info Swarm.LocalNodeState` shows
    /// the node in swarm mode, because the engine refuses live restore
    /// there. The `--live-restore` / `"live-restore"` setting is shown as
    /// evidence when set.
    ///
    /// ## Why it matters
    /// Without live restore, stopping or upgrading dockerd (or a daemon
    /// crash) stops every container. Security patches to the engine are then
    /// postponed because they mean downtime, and a daemon crash becomes an
    /// outage of every workload on the host.
    ///
    /// ## How to fix
    /// Add `"live-restore": true` to `/etc/docker/daemon.json` (or start
    /// dockerd with `--live-restore`), then reload (`systemctl reload docker`
    /// or `SIGHUP`) or restart the daemon.
    ///
    /// ## Examples
    /// Fails: `docker info` shows `Live Restore Enabled: false`.
    /// Passes: `{"live-restore": true}` and `Live Restore Enabled: true`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.15
    /// - <https://docs.docker.com/engine/daemon/live-restore/>
    pub LiveRestoreDisabled {
        id: "DMN015",
        name: "live-restore-disabled",
        severity: Low,
        target: Daemon,
        summary: "Containers stop whenever the daemon stops (live restore is off)",
    }
}

impl Check for LiveRestoreDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let info = &engine.info;
        let enabled = info.live_restore_enabled;
        let state = info.swarm.local_node_state.as_str();
        let verdict = if info.swarm.is_active() {
            Verdict::not_applicable(
                "swarm-active",
                format!("The node is in swarm mode ({state}), where the engine does not allow live restore."),
            )
            .with(Evidence::info("/Swarm/LocalNodeState", state))
        } else if enabled {
            Verdict::pass("Live restore is enabled: containers keep running when the daemon stops.")
        } else {
            Verdict::fail(
                "Live restore is disabled: every container stops when the daemon stops or restarts.",
            )
        };
        let configured = ctx.daemon.get("live-restore").evidence().cloned();
        out.push(
            ctx.daemon_subject(),
            verdict
                .with(Evidence::info("/LiveRestoreEnabled", enabled))
                .with_all(configured),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::{Source, Status};
    use crate::testing::*;

    #[test]
    fn enabled_passes() {
        let f = only(run(
            &LiveRestoreDisabled,
            &with_info(host(), json!({"LiveRestoreEnabled": true})),
        ));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0].at, "/LiveRestoreEnabled");
    }

    #[test]
    fn disabled_fails() {
        assert_eq!(
            only(run(&LiveRestoreDisabled, &host())).status,
            Status::Fail
        );
    }

    #[test]
    fn flag_presence_does_not_pass_when_the_daemon_says_otherwise() {
        let s = with_daemon_json(host(), json!({"live-restore": true}));
        let f = only(run(&LiveRestoreDisabled, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(f.evidence.iter().any(|e| e.source == Source::DaemonJson));
    }

    #[test]
    fn swarm_nodes_are_not_applicable_not_pass() {
        for state in ["active", "locked", "pending"] {
            let s = with_info(
                host(),
                json!({"LiveRestoreEnabled": false, "Swarm": {"LocalNodeState": state}}),
            );
            let f = only(run(&LiveRestoreDisabled, &s));
            assert_eq!(f.status, Status::NotApplicable, "{state}");
            assert_eq!(f.reason, Some("swarm-active"));
        }
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &LiveRestoreDisabled,
            &with_info(
                with_flags(host(), "--live-restore"),
                json!({"LiveRestoreEnabled": true}),
            ),
        );
        findings.extend(run(&LiveRestoreDisabled, &host()));
        findings.extend(run(
            &LiveRestoreDisabled,
            &with_info(host(), json!({"Swarm": {"LocalNodeState": "active"}})),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
