//! DMN009 `userns-remap-disabled`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether the running daemon maps container users into a user
    /// namespace, as it reports itself: `/info SecurityOptions` contains
    /// `name=userns` (user-namespace remapping) or `name=rootless` (the
    /// whole daemon runs in a user namespace). Passes on either; fails when
    /// neither is present. The `--userns-remap` / `"userns-remap"` setting
    /// is shown as evidence; a setting the daemon does not report is one
    /// that has not taken effect (the daemon was not restarted).
    ///
    /// ## Why it matters
    /// Without user namespaces, uid 0 in a container is uid 0 on the host.
    /// Any container escape (a kernel bug, a mounted host path, a leaked
    /// device) then hands the attacker host root. With remapping, root in
    /// the container is an unprivileged subordinate uid on the host.
    ///
    /// ## How to fix
    /// Set `"userns-remap": "default"` in `/etc/docker/daemon.json` (or
    /// `--userns-remap=default`; Docker creates the `dockremap` user and its
    /// `/etc/subuid` and `/etc/subgid` ranges) and restart the daemon. The
    /// data root moves to `<data-root>/<uid>.<gid>`, so existing images and
    /// containers must be pulled or created again. Containers that need the
    /// host's namespace can opt out with `--userns=host` (see CTR031).
    ///
    /// ## Examples
    /// Fails: `docker info` shows only `seccomp` under Security Options.
    /// Passes: `{"userns-remap": "default"}` and `docker info` lists
    /// `userns` under Security Options.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.9
    /// - <https://docs.docker.com/engine/security/userns-remap/>
    pub UsernsRemapDisabled {
        id: "DMN009",
        name: "userns-remap-disabled",
        severity: Medium,
        target: Daemon,
        summary: "Container root is host root: user namespace remapping is off",
    }
}

impl Check for UsernsRemapDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let info = &engine.info;
        let configured = ctx.daemon.get("userns-remap");
        let remap = configured.as_str().filter(|v| !v.is_empty());
        let verdict = if info.security_option("userns").is_some() {
            Verdict::pass("The daemon remaps container users into a user namespace.")
        } else if info.security_option("rootless").is_some() {
            Verdict::pass(
                "The daemon runs rootless: the whole daemon and its containers live in a user namespace.",
            )
        } else if let Some(remap) = remap {
            Verdict::fail(format!(
                "userns-remap is configured ({remap}) but the running daemon does not report it: restart the daemon to apply it."
            ))
        } else {
            Verdict::fail(
                "User namespace remapping is off: root in a container is root on the host.",
            )
        };
        out.push(
            ctx.daemon_subject(),
            verdict
                .with(Evidence::info(
                    "/SecurityOptions",
                    info.security_options.clone(),
                ))
                .with_all(configured.evidence().cloned()),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn with_security_options(opts: &[&str]) -> bulwark_facts::Snapshot {
        with_info(host(), json!({"SecurityOptions": opts}))
    }

    #[test]
    fn userns_in_info_passes() {
        let s = with_flags(
            with_security_options(&["name=seccomp,profile=default", "name=userns"]),
            "--userns-remap=default",
        );
        let f = only(run(&UsernsRemapDisabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[1].at, "--userns-remap=default");
    }

    #[test]
    fn rootless_passes_and_says_so() {
        let s = with_security_options(&["name=seccomp,profile=default", "name=rootless"]);
        let f = only(run(&UsernsRemapDisabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("rootless"));
    }

    #[test]
    fn absent_fails() {
        let f = only(run(&UsernsRemapDisabled, &host()));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[0].value, json!(["name=seccomp,profile=default"]));
    }

    #[test]
    fn configured_but_not_restarted_fails() {
        // The key is in daemon.json but /info is the truth.
        let s = with_daemon_json(host(), json!({"userns-remap": "default"}));
        let f = only(run(&UsernsRemapDisabled, &s));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("restart"));
    }

    #[test]
    fn the_option_name_must_match_exactly() {
        // A value mentioning userns elsewhere is not the userns entry.
        let s = with_security_options(&["name=seccomp,profile=/etc/userns.json"]);
        assert_eq!(only(run(&UsernsRemapDisabled, &s)).status, Status::Fail);
    }

    #[test]
    fn rendered() {
        let mut findings = run(
            &UsernsRemapDisabled,
            &with_security_options(&["name=seccomp,profile=default", "name=userns"]),
        );
        findings.extend(run(
            &UsernsRemapDisabled,
            &with_daemon_json(host(), json!({"userns-remap": "default"})),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
