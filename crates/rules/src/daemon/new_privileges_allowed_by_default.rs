//! DMN014 `new-privileges-allowed-by-default`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Status, Verdict};
use crate::predicates::security_opt;
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether the daemon applies `no-new-privileges` to every container by
    /// default: the `--no-new-privileges` flag on dockerd's command line or
    /// `"no-new-privileges": true` in daemon.json. `/info` does not expose
    /// this setting, so the daemon's own command line and configuration
    /// file are read; when the command line cannot be seen the rule is
    /// skipped. Passes when the setting is true; fails when it is false or
    /// unset (the default is false). Containers that opt out with
    /// `--security-opt no-new-privileges=false` are listed as evidence
    /// (CTR026 judges each of them).
    ///
    /// ## Why it matters
    /// Without `no-new-privileges`, a process in a container can gain
    /// privileges through setuid/setgid binaries or file capabilities: a
    /// compromised unprivileged process runs `su`, `sudo` or a planted
    /// setuid helper and becomes root inside the container, one step closer
    /// to the host. The kernel flag blocks every such transition for the
    /// process and all its children.
    ///
    /// ## How to fix
    /// Add `"no-new-privileges": true` to `/etc/docker/daemon.json` (or
    /// start dockerd with `--no-new-privileges`) and restart the daemon.
    /// Containers created afterwards inherit it; a container that really
    /// needs setuid binaries can opt out with
    /// `--security-opt no-new-privileges=false`.
    ///
    /// ## Examples
    /// Fails: `dockerd` with no such flag and a daemon.json without the key.
    /// Passes: `{"no-new-privileges": true}` in `/etc/docker/daemon.json`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.14
    /// - <https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file>
    pub NewPrivilegesAllowedByDefault {
        id: "DMN014",
        name: "new-privileges-allowed-by-default",
        severity: Medium,
        target: Daemon,
        summary: "The daemon does not apply no-new-privileges to containers by default",
    }
}

impl Check for NewPrivilegesAllowedByDefault {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(setting) = ctx.setting("no-new-privileges", out) else {
            return;
        };
        let verdict = match &setting {
            Setting::Set { .. } => match setting.as_bool() {
                Some(true) => Verdict::pass(
                    "The daemon applies no-new-privileges to every container by default.",
                ),
                Some(false) => Verdict::fail(
                    "no-new-privileges is explicitly disabled, so containers may gain privileges through setuid binaries.",
                ),
                None => Verdict::error(
                    "daemon-config-invalid",
                    "no-new-privileges is set to a value that is not a boolean.",
                ),
            },
            Setting::Unset { checked } => Verdict::fail(format!(
                "no-new-privileges is not set ({checked}); the default lets containers gain privileges through setuid binaries."
            ))
            .with(Evidence::new(Source::Default, "--no-new-privileges", false)),
            Setting::Unknown(_) => return, // ctx.setting never returns it
        };
        // Opt-outs matter only when there is a default to opt out of.
        let opt_outs = if verdict.status == Status::Pass {
            opt_outs(ctx)
        } else {
            Vec::new()
        };
        let verdict = if opt_outs.is_empty() {
            verdict
        } else {
            let n = opt_outs.len();
            Verdict::pass(format!(
                "The daemon applies no-new-privileges to every container by default; {n} container(s) opt out with no-new-privileges=false (see CTR026)."
            ))
        };
        out.push(
            ctx.daemon_subject(),
            verdict
                .with_all(setting.evidence().cloned())
                .with_all(opt_outs),
        );
    }
}

/// Containers that explicitly opt out of the daemon-wide default.
fn opt_outs(ctx: &Context<'_>) -> Vec<Evidence> {
    let Some(containers) = ctx.snapshot.containers.get() else {
        return Vec::new();
    };
    containers
        .items
        .iter()
        .filter(|c| {
            let opts = c.inspect.host_config.security_opt.as_deref().unwrap_or(&[]);
            security_opt::no_new_privileges(opts) == Some(false)
        })
        .map(|c| {
            Evidence::inspect(
                format!("{}/HostConfig/SecurityOpt", c.name()),
                c.inspect
                    .host_config
                    .security_opt
                    .clone()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part};
    use serde_json::json;

    use super::*;
    use crate::testing::*;

    fn status(s: &bulwark_facts::Snapshot) -> Status {
        only(run(&NewPrivilegesAllowedByDefault, s)).status
    }

    #[test]
    fn set_true_passes_by_flag_or_daemon_json() {
        assert_eq!(
            status(&with_flags(host(), "--no-new-privileges")),
            Status::Pass
        );
        assert_eq!(
            status(&with_flags(host(), "--no-new-privileges=true")),
            Status::Pass
        );
        let f = only(run(
            &NewPrivilegesAllowedByDefault,
            &with_daemon_json(host(), json!({"no-new-privileges": true})),
        ));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(
            f.evidence[0].at,
            "/etc/docker/daemon.json#/no-new-privileges"
        );
    }

    #[test]
    fn unset_fails_with_the_default_as_evidence() {
        let f = only(run(&NewPrivilegesAllowedByDefault, &host()));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].source, Source::Default);
        assert_eq!(f.evidence[0].value, json!(false));
    }

    #[test]
    fn explicit_false_fails() {
        assert_eq!(
            status(&with_flags(host(), "--no-new-privileges=false")),
            Status::Fail
        );
        assert_eq!(
            status(&with_daemon_json(
                host(),
                json!({"no-new-privileges": false})
            )),
            Status::Fail
        );
    }

    #[test]
    fn a_non_boolean_value_is_an_error_not_a_pass() {
        let f = only(run(
            &NewPrivilegesAllowedByDefault,
            &with_daemon_json(host(), json!({"no-new-privileges": "yes"})),
        ));
        assert_eq!(f.status, Status::Error);
        assert_eq!(f.reason, Some("daemon-config-invalid"));
    }

    #[test]
    fn unknown_command_line_is_skipped() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        let f = only(run(&NewPrivilegesAllowedByDefault, &s));
        assert_eq!(f.status, Status::Skipped);
        assert_eq!(f.reason, Some("daemon-config-unreadable"));
    }

    #[test]
    fn containers_that_opt_out_are_listed_on_a_pass() {
        let s = with_containers(
            with_flags(host(), "--no-new-privileges"),
            vec![
                container(json!({"Name": "/legacy",
                    "HostConfig": {"SecurityOpt": ["no-new-privileges=false"]}})),
                container(
                    json!({"Name": "/ok", "HostConfig": {"SecurityOpt": ["no-new-privileges"]}}),
                ),
            ],
        );
        let f = only(run(&NewPrivilegesAllowedByDefault, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "legacy/HostConfig/SecurityOpt")
        );
        assert!(!f.evidence.iter().any(|e| e.at.starts_with("ok/")));
    }

    #[test]
    fn rendered() {
        let pass = with_containers(
            with_flags(host(), "--no-new-privileges"),
            vec![container(json!({"Name": "/legacy",
                "HostConfig": {"SecurityOpt": ["no-new-privileges:false"]}}))],
        );
        let mut findings = run(&NewPrivilegesAllowedByDefault, &pass);
        findings.extend(run(&NewPrivilegesAllowedByDefault, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
