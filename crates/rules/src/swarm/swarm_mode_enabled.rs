//! SWM001 `swarm-mode-enabled`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether swarm mode is on: `/info Swarm.LocalNodeState`. `inactive`
    /// (or empty, on engines that report nothing) passes. Every other
    /// state counts as swarm mode, not only `active`: `pending`, `error`
    /// and `locked` nodes have joined or are joining a swarm. Such a node
    /// passes when bulwark's policy says swarm is required
    /// (`swarm_required`); otherwise a person must confirm it is needed.
    /// `ControlAvailable` (manager or worker), `Managers` and `Nodes` are
    /// reported as evidence.
    ///
    /// ## Why it matters
    /// Swarm mode opens network services on the host: the cluster
    /// management API on 2377/tcp (managers), gossip on 7946/tcp and udp,
    /// and VXLAN overlay traffic on 4789/udp. A node that joined a swarm
    /// also runs whatever services the managers schedule on it. If nothing
    /// uses swarm, all of that is attack surface for no benefit.
    ///
    /// ## How to fix
    /// If swarm is not needed, leave it: `docker swarm leave` (on the last
    /// manager, `docker swarm leave --force`). If it is needed, record that
    /// in bulwark's policy (`swarm_required = true`) and harden it
    /// (CIS section 7).
    ///
    /// ## Examples
    /// Needs a person: a host where `docker swarm init` was run, with no
    /// policy saying swarm is required.
    /// Passes: a standalone host (`Swarm: inactive` in `docker info`).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.1
    /// - <https://docs.docker.com/engine/swarm/swarm-tutorial/#open-protocols-and-ports-between-the-hosts>
    pub SwarmModeEnabled {
        id: "SWM001",
        name: "swarm-mode-enabled",
        severity: Low,
        target: Swarm,
        summary: "Swarm mode is enabled",
    }
}

impl Check for SwarmModeEnabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let swarm = &engine.info.swarm;
        let state = swarm.local_node_state.as_str();
        let evidence = Evidence::info("/Swarm/LocalNodeState", state);
        let verdict = if !swarm.is_active() {
            Verdict::pass("Swarm mode is not enabled.").with(evidence)
        } else {
            let role = if swarm.control_available {
                "manager"
            } else {
                "worker"
            };
            let details = [
                evidence,
                Evidence::info("/Swarm/ControlAvailable", swarm.control_available),
                Evidence::info("/Swarm/Managers", swarm.managers),
                Evidence::info("/Swarm/Nodes", swarm.nodes),
            ];
            if ctx.policy.swarm_required {
                Verdict::pass(format!(
                    "Swarm mode is {state} ({role}), and the policy says swarm is required."
                ))
                .with_all(details)
                .with(Evidence::new(Source::Policy, "swarm_required", true))
            } else {
                Verdict::manual(format!(
                    "Verify: swarm is needed on this {role} node (state {state}); it opens 2377/tcp on managers, 7946/tcp+udp and 4789/udp."
                ))
                .with_all(details)
            }
        };
        out.push(ctx.daemon_subject(), verdict);
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::policy::Policy;
    use crate::testing::*;

    fn in_state(state: &str) -> bulwark_facts::Snapshot {
        with_info(
            host(),
            json!({"Swarm": {"LocalNodeState": state, "ControlAvailable": true,
                             "Managers": 1, "Nodes": 3}}),
        )
    }

    #[test]
    fn inactive_passes() {
        let f = only(run(&SwarmModeEnabled, &host()));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0].value, json!("inactive"));
        assert_eq!(
            only(run(&SwarmModeEnabled, &in_state(""))).status,
            Status::Pass
        );
    }

    #[test]
    fn every_other_state_needs_a_person() {
        for state in ["active", "pending", "error", "locked"] {
            let f = only(run(&SwarmModeEnabled, &in_state(state)));
            assert_eq!(f.status, Status::Manual, "{state}");
            assert!(f.message.starts_with("Verify:"));
            assert!(f.message.contains("2377/tcp"));
        }
    }

    #[test]
    fn a_required_swarm_passes() {
        let policy = Policy {
            swarm_required: true,
            ..Policy::default()
        };
        for state in ["active", "locked"] {
            let f = only(run_with(&SwarmModeEnabled, &in_state(state), &policy));
            assert_eq!(f.status, Status::Pass, "{state}");
            assert_eq!(f.evidence.last().unwrap().at, "swarm_required");
        }
    }

    #[test]
    fn missing_engine_facts_are_reported() {
        let mut s = host();
        s.engine = Part::Missing(Gap::error("GET /info: 500"));
        let f = only(run(&SwarmModeEnabled, &s));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn rendered() {
        let mut text = render(&run(&SwarmModeEnabled, &host()));
        text.push('\n');
        text.push_str(&render(&run(&SwarmModeEnabled, &in_state("active"))));
        insta::assert_snapshot!(text);
    }
}
