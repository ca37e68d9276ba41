//! DMN016 `userland-proxy-enabled`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether dockerd's userland proxy is turned off: the
    /// `--userland-proxy` flag on dockerd's command line or the
    /// `"userland-proxy"` key in daemon.json. `/info` does not expose it,
    /// so the daemon's command line and configuration file are read; when
    /// the command line cannot be seen the rule is skipped. Passes when the
    /// setting is `false`; fails when it is `true` or unset (the default is
    /// `true`).
    ///
    /// ## Why it matters
    /// With the proxy on, every published port gets a `docker-proxy`
    /// process running as root on the host, listening on the host port and
    /// relaying traffic into the container. That is one more root process
    /// per port exposed to the network, and it hides the client's real
    /// address from the container. Hairpin NAT and iptables rules do the
    /// same job in the kernel.
    ///
    /// ## How to fix
    /// Add `"userland-proxy": false` to `/etc/docker/daemon.json` (or start
    /// dockerd with `--userland-proxy=false`) and restart the daemon. Check
    /// first that nothing relies on reaching published ports through
    /// `localhost` on kernels without `route_localnet` hairpin support.
    ///
    /// ## Examples
    /// Fails: `dockerd` with no flag and no key (the proxy is on by default),
    /// or `dockerd --userland-proxy=true`.
    /// Passes: `{"userland-proxy": false}` in `/etc/docker/daemon.json`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.16
    /// - <https://docs.docker.com/engine/network/packet-filtering-firewalls/#docker-on-a-router>
    pub UserlandProxyEnabled {
        id: "DMN016",
        name: "userland-proxy-enabled",
        severity: Low,
        target: Daemon,
        summary: "The daemon runs a userland proxy for published ports",
    }
}

impl Check for UserlandProxyEnabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(setting) = ctx.setting("userland-proxy", out) else {
            return;
        };
        let verdict = match &setting {
            Setting::Set { .. } => match setting.as_bool() {
                Some(false) => Verdict::pass("The userland proxy is disabled."),
                Some(true) => Verdict::fail(
                    "The userland proxy is explicitly enabled: each published port gets a root docker-proxy process.",
                ),
                None => Verdict::error(
                    "daemon-config-invalid",
                    "userland-proxy is set to a value that is not a boolean.",
                ),
            },
            Setting::Unset { checked } => Verdict::fail(format!(
                "userland-proxy is not set ({checked}), so the default applies: the proxy is on."
            ))
            .with(Evidence::new(Source::Default, "--userland-proxy", true)),
            Setting::Unknown(_) => return, // ctx.setting never returns it
        };
        out.push(
            ctx.daemon_subject(),
            verdict.with_all(setting.evidence().cloned()),
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
        only(run(&UserlandProxyEnabled, s)).status
    }

    #[test]
    fn disabled_passes_by_flag_or_daemon_json() {
        assert_eq!(
            status(&with_flags(host(), "--userland-proxy=false")),
            Status::Pass
        );
        let f = only(run(
            &UserlandProxyEnabled,
            &with_daemon_json(host(), json!({"userland-proxy": false})),
        ));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0].at, "/etc/docker/daemon.json#/userland-proxy");
        assert_eq!(f.evidence[0].value, json!(false));
    }

    #[test]
    fn unset_fails_because_the_default_is_on() {
        let f = only(run(&UserlandProxyEnabled, &host()));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].source, Source::Default);
        assert_eq!(f.evidence[0].value, json!(true));
    }

    #[test]
    fn enabled_fails_including_a_bare_flag() {
        // A bare boolean flag means true, not "mentioned, so disabled".
        assert_eq!(
            status(&with_flags(host(), "--userland-proxy")),
            Status::Fail
        );
        assert_eq!(
            status(&with_daemon_json(host(), json!({"userland-proxy": true}))),
            Status::Fail
        );
    }

    #[test]
    fn a_non_boolean_value_is_an_error() {
        let f = only(run(
            &UserlandProxyEnabled,
            &with_daemon_json(host(), json!({"userland-proxy": "off"})),
        ));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn unknown_command_line_is_skipped_not_failed() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        let f = only(run(&UserlandProxyEnabled, &s));
        assert_eq!(f.status, Status::Skipped);
        assert_eq!(f.reason, Some("daemon-config-unreadable"));
    }

    #[test]
    fn daemon_json_is_still_read_when_the_command_line_is_not() {
        // A key in daemon.json is known even without the command line:
        // dockerd refuses to start when a flag repeats a daemon.json key.
        let mut s = with_daemon_json(host(), json!({"userland-proxy": false}));
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        assert_eq!(status(&s), Status::Pass);
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &UserlandProxyEnabled,
            &with_flags(host(), "--userland-proxy=false"),
        );
        findings.extend(run(&UserlandProxyEnabled, &host()));
        let mut remote = host();
        remote.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        findings.extend(run(&UserlandProxyEnabled, &remote));
        insta::assert_snapshot!(render(&findings));
    }
}
