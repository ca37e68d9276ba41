//! DMN004 `iptables-disabled`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether dockerd may manage the host's iptables rules: the
    /// `--iptables` flag on dockerd's command line or the `"iptables"` key
    /// in daemon.json (`/info` does not expose it). Passes when the setting
    /// is unset (the default is true) or true; fails when it is false.
    /// `--ip6tables` / `"ip6tables"` is shown as evidence when set. When
    /// the command line cannot be seen the rule is skipped.
    ///
    /// ## Why it matters
    /// With `iptables=false` Docker stops writing the NAT and filter rules
    /// that isolate its networks and publish ports. Container networking
    /// then depends on hand-written rules that drift out of step with
    /// containers as they come and go: ports end up reachable that should
    /// not be, or inter-network isolation silently disappears.
    ///
    /// ## How to fix
    /// Remove `--iptables=false` from dockerd's command line and
    /// `"iptables": false` from daemon.json, then restart the daemon. To
    /// stop published ports from bypassing the host firewall, add rules to
    /// the `DOCKER-USER` chain instead of turning iptables management off.
    ///
    /// ## Examples
    /// Fails: `dockerd --iptables=false`, or `{"iptables": false}`.
    /// Passes: `dockerd` without the flag (the default is true).
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.4
    /// - <https://docs.docker.com/engine/network/packet-filtering-firewalls/>
    pub IptablesDisabled {
        id: "DMN004",
        name: "iptables-disabled",
        severity: Medium,
        target: Daemon,
        summary: "The daemon is not allowed to manage iptables rules",
    }
}

impl Check for IptablesDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(setting) = ctx.setting("iptables", out) else {
            return;
        };
        let verdict = match &setting {
            Setting::Set { .. } => match setting.as_bool() {
                Some(true) => Verdict::pass("The daemon manages iptables rules."),
                Some(false) => Verdict::fail(
                    "iptables management is disabled: container networks and published ports rely on hand-written firewall rules.",
                ),
                None => Verdict::error(
                    "daemon-config-invalid",
                    "iptables is set to a value that is not a boolean.",
                ),
            },
            Setting::Unset { checked } => Verdict::pass(format!(
                "iptables is not set ({checked}), so the default applies: the daemon manages iptables rules."
            ))
            .with(Evidence::new(Source::Default, "--iptables", true)),
            Setting::Unknown(_) => return, // ctx.setting never returns it
        };
        // ip6tables is a separate switch; shown for context only.
        let ip6tables = ctx.daemon.get("ip6tables").evidence().cloned();
        out.push(
            ctx.daemon_subject(),
            verdict
                .with_all(setting.evidence().cloned())
                .with_all(ip6tables),
        );
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn status(s: &Snapshot) -> Status {
        only(run(&IptablesDisabled, s)).status
    }

    #[test]
    fn unset_passes_on_the_default() {
        let f = only(run(&IptablesDisabled, &host()));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0].source, Source::Default);
    }

    #[test]
    fn explicit_true_passes() {
        assert_eq!(status(&with_flags(host(), "--iptables")), Status::Pass);
        assert_eq!(
            status(&with_daemon_json(host(), json!({"iptables": true}))),
            Status::Pass
        );
    }

    #[test]
    fn false_fails_from_the_flag_or_daemon_json() {
        let f = only(run(
            &IptablesDisabled,
            &with_flags(host(), "--iptables=false"),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "--iptables=false");
        // The daemon.json branch must be read, not just the command line.
        let f = only(run(
            &IptablesDisabled,
            &with_daemon_json(host(), json!({"iptables": false})),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "/etc/docker/daemon.json#/iptables");
    }

    #[test]
    fn ip6tables_is_evidence_only() {
        let f = only(run(
            &IptablesDisabled,
            &with_flags(host(), "--ip6tables=false"),
        ));
        assert_eq!(f.status, Status::Pass);
        assert!(f.evidence.iter().any(|e| e.at == "--ip6tables=false"));
    }

    #[test]
    fn a_non_boolean_value_is_an_error() {
        assert_eq!(
            status(&with_daemon_json(host(), json!({"iptables": "no"}))),
            Status::Error
        );
    }

    #[test]
    fn unknown_command_line_is_skipped() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        assert_eq!(status(&s), Status::Skipped);
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &IptablesDisabled,
            &with_daemon_json(host(), json!({"iptables": false, "ip6tables": false})),
        );
        findings.extend(run(&IptablesDisabled, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
