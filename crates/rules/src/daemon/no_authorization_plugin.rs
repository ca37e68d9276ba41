//! DMN012 `no-authorization-plugin`.

use bulwark_facts::Plugin;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict, pointer_token};
use crate::rule::Check;
use crate::settings::Setting;

/// The plugin interface type of authorization plugins.
const AUTHZ_TYPE: &str = "docker.authz/1.0";

declare_rule! {
    /// ## What it checks
    /// Whether the daemon authorizes API requests through at least one
    /// authorization plugin. Three sources are merged:
    /// - `--authorization-plugin` (repeatable) and daemon.json
    ///   `"authorization-plugins"`: the current configuration;
    /// - `/info Plugins.Authorization`: the list the daemon started with. It
    ///   is not updated when a reload (SIGHUP) changes the list, so any
    ///   difference from the configuration is reported;
    /// - managed plugins (`GET /plugins`) of type `docker.authz/1.0`, with
    ///   whether they are enabled, as evidence.
    ///
    /// Passes when at least one plugin is configured; the message then asks
    /// for the plugin's policy to be verified, since a plugin may allow
    /// everything. Fails when none is. Needs a person when `/info` still
    /// lists plugins that the configuration no longer does (a reload may
    /// have removed them).
    ///
    /// ## Why it matters
    /// Access to the Docker API is equivalent to root on the host, and
    /// without an authorization plugin it is all-or-nothing: anyone who can
    /// reach the socket can run privileged containers, mount the host's
    /// disk or read every secret. A plugin can restrict who may do what
    /// (for example, deny `--privileged` or host mounts to CI users).
    ///
    /// ## How to fix
    /// Install an authorization plugin (e.g. `docker plugin install
    /// <authz-plugin>`), add it to `/etc/docker/daemon.json` as
    /// `"authorization-plugins": ["<authz-plugin>"]` (or
    /// `--authorization-plugin=<authz-plugin>`), write its policy, and
    /// restart the daemon. Test the policy: a plugin that allows everything
    /// adds no protection, and an unreachable plugin blocks every API call.
    /// Keep the engine patched: CVE-2024-41110 let crafted requests bypass
    /// authorization plugins.
    ///
    /// ## Examples
    /// Fails: `dockerd` with no `--authorization-plugin` and no
    /// `"authorization-plugins"` key; `docker info` shows only
    /// `Authorization:` empty.
    /// Passes (policy to verify): `{"authorization-plugins": ["opa-docker-authz"]}`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.12
    /// - <https://docs.docker.com/engine/extend/plugins_authorization/>
    pub NoAuthorizationPlugin {
        id: "DMN012",
        name: "no-authorization-plugin",
        severity: Medium,
        target: Daemon,
        summary: "Docker API requests are not checked by an authorization plugin",
    }
}

impl Check for NoAuthorizationPlugin {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let started_with = &engine.info.plugins.authorization;
        let setting = ctx.daemon.get("authorization-plugins");
        // The current configuration, when it can be known. Flags cannot
        // change without a restart, so `/info` covers them whenever the
        // command line is hidden.
        let configured: Option<Vec<String>> = match &setting {
            Setting::Set { .. } => Some(setting.as_list()),
            Setting::Unset { .. } => Some(Vec::new()),
            Setting::Unknown(_) => None,
        };
        let managed = managed_authz(ctx);

        let mut evidence = vec![Evidence::info(
            "/Plugins/Authorization",
            started_with.clone(),
        )];
        evidence.extend(setting.evidence().cloned());
        evidence.extend(managed.iter().map(|p| {
            Evidence::new(
                Source::Plugins,
                format!("/plugins/{}/Enabled", pointer_token(&p.name)),
                p.enabled,
            )
        }));

        let effective = configured.unwrap_or_else(|| started_with.clone());
        let verdict = if !effective.is_empty() {
            let mut message = format!(
                "Authorization plugin(s) {} are configured; verify their policy actually restricts requests, since a plugin may allow everything",
                effective.join(", ")
            );
            let differs = started_with
                .iter()
                .any(|p| !effective.iter().any(|e| same_plugin(e, p)))
                || effective
                    .iter()
                    .any(|e| !started_with.iter().any(|p| same_plugin(e, p)));
            if differs {
                message.push_str(&format!(
                    " (/info still shows the start-up list {:?}: a reload changed it)",
                    started_with
                ));
            }
            message.push('.');
            Verdict::pass(message)
        } else if !started_with.is_empty() {
            Verdict::manual(format!(
                "Verify: whether authorization plugin(s) {} are still in use; the daemon started with them but its configuration no longer lists any, so a reload may have removed them.",
                started_with.join(", ")
            ))
        } else {
            let installed: Vec<&str> = managed
                .iter()
                .filter(|p| p.enabled)
                .map(|p| p.name.as_str())
                .collect();
            if installed.is_empty() {
                Verdict::fail(
                    "No authorization plugin is configured: anyone who can reach the API can do anything.",
                )
            } else {
                Verdict::fail(format!(
                    "No authorization plugin is configured: the installed authz plugin(s) {} are not named in authorization-plugins, so the API is unrestricted.",
                    installed.join(", ")
                ))
            }
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

/// Managed plugins that implement the authorization interface.
fn managed_authz<'s>(ctx: &Context<'s>) -> Vec<&'s Plugin> {
    ctx.snapshot
        .plugins
        .get()
        .map(|plugins| {
            plugins
                .iter()
                .filter(|p| p.types.iter().any(|t| t == AUTHZ_TYPE))
                .collect()
        })
        .unwrap_or_default()
}

/// Plugin references name the same plugin with or without the implicit
/// `:latest` tag.
fn same_plugin(a: &str, b: &str) -> bool {
    fn bare(s: &str) -> &str {
        s.strip_suffix(":latest").unwrap_or(s)
    }
    bare(a) == bare(b)
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn started_with(s: Snapshot, plugins: &[&str]) -> Snapshot {
        with_info(s, json!({"Plugins": {"Authorization": plugins}}))
    }

    fn authz_plugin(name: &str, enabled: bool) -> Plugin {
        Plugin {
            name: name.into(),
            enabled,
            types: vec![AUTHZ_TYPE.into()],
        }
    }

    #[test]
    fn no_plugin_fails() {
        let f = only(run(&NoAuthorizationPlugin, &host()));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].at, "/Plugins/Authorization");
    }

    #[test]
    fn a_configured_plugin_passes_with_a_policy_reminder() {
        let s = started_with(
            with_flags(host(), "--authorization-plugin=opa-docker-authz"),
            &["opa-docker-authz"],
        );
        let f = only(run(&NoAuthorizationPlugin, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("verify their policy"));
        assert!(!f.message.contains("reload"));
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at == "--authorization-plugin=opa-docker-authz")
        );
    }

    #[test]
    fn a_plugin_added_by_reload_passes_and_the_stale_info_is_flagged() {
        // /info keeps the start-up list after a SIGHUP.
        let s = with_daemon_json(host(), json!({"authorization-plugins": ["authz-broker"]}));
        let f = only(run(&NoAuthorizationPlugin, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("reload"));
    }

    #[test]
    fn a_plugin_removed_by_reload_needs_a_person() {
        let s = started_with(
            with_daemon_json(host(), json!({"log-level": "info"})),
            &["authz-broker"],
        );
        let f = only(run(&NoAuthorizationPlugin, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
    }

    #[test]
    fn info_decides_when_the_command_line_is_hidden() {
        let mut s = started_with(host(), &["authz-broker"]);
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        assert_eq!(only(run(&NoAuthorizationPlugin, &s)).status, Status::Pass);

        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        assert_eq!(only(run(&NoAuthorizationPlugin, &s)).status, Status::Fail);
    }

    #[test]
    fn an_installed_but_unconfigured_managed_plugin_still_fails() {
        let mut s = host();
        s.plugins = Part::Collected(vec![
            authz_plugin("vieux/authz-broker:latest", true),
            Plugin {
                name: "vieux/sshfs:latest".into(),
                enabled: true,
                types: vec!["docker.volumedriver/1.0".into()],
            },
        ]);
        let f = only(run(&NoAuthorizationPlugin, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("vieux/authz-broker:latest"));
        assert!(
            f.evidence
                .iter()
                .any(|e| e.source == Source::Plugins && e.at.contains("authz-broker"))
        );
        assert!(!f.evidence.iter().any(|e| e.at.contains("sshfs")));
    }

    #[test]
    fn the_latest_tag_is_implicit_when_comparing() {
        let s = started_with(
            with_daemon_json(
                host(),
                json!({"authorization-plugins": ["vieux/authz-broker"]}),
            ),
            &["vieux/authz-broker:latest"],
        );
        let f = only(run(&NoAuthorizationPlugin, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(!f.message.contains("reload"));
    }

    #[test]
    fn rendered() {
        let mut configured = started_with(
            with_daemon_json(
                host(),
                json!({"authorization-plugins": ["vieux/authz-broker"]}),
            ),
            &["vieux/authz-broker"],
        );
        configured.plugins = Part::Collected(vec![authz_plugin("vieux/authz-broker:latest", true)]);
        let mut findings = run(&NoAuthorizationPlugin, &configured);
        findings.extend(run(&NoAuthorizationPlugin, &host()));
        insta::assert_snapshot!(render(&findings));
    }
}
