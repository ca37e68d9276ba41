//! DMN002 `icc-enabled`.

use bulwark_facts::Network;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

/// The bridge driver option that carries a network's icc setting.
const ENABLE_ICC: &str = "com.docker.network.bridge.enable_icc";

declare_rule! {
    /// ## What it checks
    /// Whether containers on the default bridge can talk to each other.
    /// The default bridge is the network (`GET /networks`) whose
    /// `Options["com.docker.network.bridge.default_bridge"]` is `"true"`,
    /// whatever it is named; its `Options["com.docker.network.bridge.enable_icc"]`
    /// is what the running daemon applied. Passes when that is `"false"`;
    /// fails when it is `"true"` or absent (the default allows traffic).
    /// Not applicable (`no-default-bridge`) when there is no default bridge
    /// (`--bridge=none`). The `--icc` / `"icc"` setting is shown as
    /// corroborating evidence, and so is the `enable_icc` option of every
    /// user-defined bridge network, which `--icc` does not govern.
    ///
    /// ## Why it matters
    /// With inter-container communication on, every container on the
    /// default bridge can reach every port of every other one, whether or
    /// not it was published. One compromised container can then probe and
    /// attack databases, admin interfaces and metadata services of its
    /// neighbours that were never meant to be reachable.
    ///
    /// ## How to fix
    /// Add `"icc": false` to `/etc/docker/daemon.json` (or start dockerd
    /// with `--icc=false`) and restart the daemon; link the containers that
    /// must talk with user-defined networks instead. For user-defined
    /// bridges, create them with
    /// `-o com.docker.network.bridge.enable_icc=false` where isolation is
    /// wanted. icc does not stop raw layer-2 traffic from containers that
    /// keep `NET_RAW`: drop that capability too.
    ///
    /// ## Examples
    /// Fails: `docker network inspect bridge` shows
    /// `"com.docker.network.bridge.enable_icc": "true"`.
    /// Passes: `{"icc": false}` in daemon.json, and the option shows `"false"`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.2
    /// - <https://docs.docker.com/engine/network/drivers/bridge/#options>
    pub IccEnabled {
        id: "DMN002",
        name: "icc-enabled",
        severity: Medium,
        target: Daemon,
        summary: "Containers on the default bridge can reach each other (icc is on)",
    }
}

impl Check for IccEnabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(networks) = ctx.require(&ctx.snapshot.networks, out) else {
            return;
        };
        let icc = ctx.daemon.get("icc").evidence().cloned();
        let Some(bridge) = networks.iter().find(|n| n.is_default_bridge()) else {
            let bridge_setting = ctx.daemon.get("bridge").evidence().cloned();
            out.push(
                ctx.daemon_subject(),
                Verdict::not_applicable(
                    "no-default-bridge",
                    "The daemon has no default bridge network.",
                )
                .with_all(bridge_setting)
                .with_all(icc),
            );
            return;
        };
        let value = bridge.options.get(ENABLE_ICC).map(String::as_str);
        let name = &bridge.name;
        let verdict = match value {
            Some("false") => Verdict::pass(format!(
                "Inter-container communication is off on the default bridge network \"{name}\"."
            )),
            Some(v) => Verdict::fail(format!(
                "Inter-container communication is on (enable_icc={v}) on the default bridge network \"{name}\": its containers can reach each other on any port."
            )),
            None => Verdict::fail(format!(
                "The default bridge network \"{name}\" has no enable_icc option, so the default applies: its containers can reach each other on any port."
            )),
        };
        let others = networks
            .iter()
            .filter(|n| n.driver == "bridge" && !n.is_default_bridge())
            .map(option_evidence);
        out.push(
            ctx.daemon_subject(),
            verdict
                .with(option_evidence(bridge))
                .with_all(icc)
                .with_all(others),
        );
    }
}

/// A network's `enable_icc` option as evidence; `null` when absent.
fn option_evidence(n: &Network) -> Evidence {
    Evidence::new(
        Source::Networks,
        format!("/networks/{}/Options/{ENABLE_ICC}", n.name),
        n.options.get(ENABLE_ICC).cloned(),
    )
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn default_bridge_with(icc: Option<&str>) -> Network {
        let mut options = json!({"com.docker.network.bridge.default_bridge": "true"});
        if let Some(v) = icc {
            options[ENABLE_ICC] = json!(v);
        }
        network(json!({"Name": "bridge", "Id": "b", "Driver": "bridge", "Options": options}))
    }

    #[test]
    fn icc_true_fails() {
        let f = only(run(&IccEnabled, &host()));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(
            f.evidence[0].at,
            "/networks/bridge/Options/com.docker.network.bridge.enable_icc"
        );
        assert_eq!(f.evidence[0].value, json!("true"));
    }

    #[test]
    fn icc_false_passes() {
        let s = with_networks(
            with_daemon_json(host(), json!({"icc": false})),
            vec![default_bridge_with(Some("false"))],
        );
        let f = only(run(&IccEnabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "/etc/docker/daemon.json#/icc")
        );
    }

    #[test]
    fn an_absent_option_fails() {
        let s = with_networks(host(), vec![default_bridge_with(None)]);
        let f = only(run(&IccEnabled, &s));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].value, json!(null));
    }

    #[test]
    fn the_network_decides_not_the_configuration() {
        // daemon.json says false but the daemon was not restarted: the
        // bridge still allows traffic.
        let s = with_daemon_json(host(), json!({"icc": false}));
        assert_eq!(only(run(&IccEnabled, &s)).status, Status::Fail);
    }

    #[test]
    fn the_default_bridge_is_found_by_its_option_not_its_name() {
        let renamed = network(json!({"Name": "docker-main", "Driver": "bridge",
            "Options": {"com.docker.network.bridge.default_bridge": "true",
                        ENABLE_ICC: "false"}}));
        let decoy = network(json!({"Name": "bridge", "Driver": "bridge",
            "Options": {ENABLE_ICC: "true"}}));
        let s = with_networks(host(), vec![decoy, renamed]);
        let f = only(run(&IccEnabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("docker-main"));
    }

    #[test]
    fn user_defined_bridges_are_listed_as_evidence_only() {
        let user = network(json!({"Name": "app", "Driver": "bridge",
            "Options": {ENABLE_ICC: "true"}}));
        let overlay = network(json!({"Name": "ingress", "Driver": "overlay"}));
        let s = with_networks(
            host(),
            vec![default_bridge_with(Some("false")), user, overlay],
        );
        let f = only(run(&IccEnabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at.starts_with("/networks/app/") && e.value == json!("true"))
        );
        assert!(
            !f.evidence
                .iter()
                .any(|e| e.at.starts_with("/networks/ingress/"))
        );
    }

    #[test]
    fn no_default_bridge_is_not_applicable() {
        let s = with_networks(with_flags(host(), "--bridge=none"), vec![]);
        let f = only(run(&IccEnabled, &s));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-default-bridge"));
        assert_eq!(f.evidence[0].at, "--bridge=none");
    }

    #[test]
    fn missing_network_list_is_reported() {
        let mut s = host();
        s.networks = Part::Missing(Gap::error("GET /networks: 500"));
        assert_eq!(only(run(&IccEnabled, &s)).status, Status::Error);
    }

    #[test]
    fn rendered() {
        let user = network(json!({"Name": "app", "Driver": "bridge", "Options": {}}));
        let mut findings = run(
            &IccEnabled,
            &with_networks(
                with_flags(host(), "--icc=true"),
                vec![default_bridge(), user],
            ),
        );
        findings.extend(run(
            &IccEnabled,
            &with_networks(
                with_flags(host(), "--icc=false"),
                vec![default_bridge_with(Some("false"))],
            ),
        ));
        findings.extend(run(
            &IccEnabled,
            &with_networks(with_daemon_json(host(), json!({"bridge": "none"})), vec![]),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
