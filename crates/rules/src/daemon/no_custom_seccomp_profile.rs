//! DMN017 `no-custom-seccomp-profile`.

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::{Check, Severity};

declare_rule! {
    /// ## What it checks
    /// Which seccomp profile the running daemon applies to containers by
    /// default, from its `/info SecurityOptions` entry
    /// `name=seccomp,profile=X`:
    /// - a custom profile (a path or name other than the ones below)
    ///   passes;
    /// - `default` (Docker 20.10) or `builtin` (later engines) needs a
    ///   person to decide whether a custom profile is warranted: the
    ///   default profile is not a custom one;
    /// - `unconfined`, or no `name=seccomp` entry at all (the engine or the
    ///   kernel has no seccomp support), fails with severity high.
    ///
    /// The `--seccomp-profile` / `"seccomp-profile"` setting is shown as
    /// evidence when set.
    ///
    /// ## Why it matters
    /// seccomp decides which of the kernel's ~300 system calls a container
    /// may make. Most kernel exploits used for container escapes go through
    /// rarely needed calls (`keyctl`, `userfaultfd`, `unshare`, …). Docker's
    /// default profile blocks about 50 of them; a profile tailored to the
    /// workloads blocks far more, and running unconfined blocks none.
    ///
    /// ## How to fix
    /// Write a profile allowing only what the workloads need (start from
    /// Docker's default profile), set
    /// `"seccomp-profile": "/etc/docker/seccomp.json"` in
    /// `/etc/docker/daemon.json` (or `--seccomp-profile`), and restart the
    /// daemon. Never set it to `unconfined`; on a host without seccomp,
    /// use a kernel built with `CONFIG_SECCOMP` and a dockerd built with
    /// seccomp support.
    ///
    /// ## Examples
    /// Fails: `docker info` shows `Profile: unconfined`, or no seccomp
    /// line at all.
    /// Needs review: `Profile: default`.
    /// Passes: `{"seccomp-profile": "/etc/docker/seccomp.json"}` and
    /// `Profile: /etc/docker/seccomp.json`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.17
    /// - <https://docs.docker.com/engine/security/seccomp/>
    pub NoCustomSeccompProfile {
        id: "DMN017",
        name: "no-custom-seccomp-profile",
        severity: Low,
        target: Daemon,
        summary: "The daemon applies no custom seccomp profile to containers",
    }
}

impl Check for NoCustomSeccompProfile {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let info = &engine.info;
        let verdict = match info.security_option("seccomp") {
            None => Verdict::fail(
                "The daemon reports no seccomp support: containers run without any system call filter.",
            )
            .severity(Severity::High),
            Some(entry) => {
                // An entry without a profile comes from engines that only had
                // the built-in default.
                let profile = entry.get("profile").map_or("default", String::as_str);
                match profile {
                    "unconfined" => Verdict::fail(
                        "The daemon's default seccomp profile is unconfined: containers run without a system call filter.",
                    )
                    .severity(Severity::High),
                    "default" | "builtin" => Verdict::manual(format!(
                        "Verify: whether a custom seccomp profile is warranted; the daemon applies Docker's {profile} profile."
                    )),
                    custom => Verdict::pass(format!(
                        "The daemon applies the custom seccomp profile {custom}."
                    )),
                }
            }
        };
        let configured = ctx.daemon.get("seccomp-profile").evidence().cloned();
        out.push(
            ctx.daemon_subject(),
            verdict
                .with(Evidence::info(
                    "/SecurityOptions",
                    info.security_options.clone(),
                ))
                .with_all(configured),
        );
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Snapshot;
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn with_options(opts: &[&str]) -> Snapshot {
        with_info(host(), json!({"SecurityOptions": opts}))
    }

    #[test]
    fn a_custom_profile_passes() {
        let s = with_daemon_json(
            with_options(&[
                "name=apparmor",
                "name=seccomp,profile=/etc/docker/seccomp.json",
            ]),
            json!({"seccomp-profile": "/etc/docker/seccomp.json"}),
        );
        let f = only(run(&NoCustomSeccompProfile, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("/etc/docker/seccomp.json"));
        assert!(
            f.evidence
                .iter()
                .any(|e| e.at.ends_with("#/seccomp-profile"))
        );
    }

    #[test]
    fn the_default_profile_is_not_custom() {
        // Counting the default profile as "custom applied" was a false pass.
        for profile in ["default", "builtin"] {
            let s = with_options(&[&format!("name=seccomp,profile={profile}")]);
            let f = only(run(&NoCustomSeccompProfile, &s));
            assert_eq!(f.status, Status::Manual, "{profile}");
            assert!(f.message.starts_with("Verify:"));
        }
        assert_eq!(
            only(run(
                &NoCustomSeccompProfile,
                &with_options(&["name=seccomp"])
            ))
            .status,
            Status::Manual
        );
    }

    #[test]
    fn unconfined_fails_high() {
        let s = with_options(&["name=seccomp,profile=unconfined"]);
        let f = only(run(&NoCustomSeccompProfile, &s));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::High);
    }

    #[test]
    fn no_seccomp_entry_fails_high() {
        let f = only(run(
            &NoCustomSeccompProfile,
            &with_options(&["name=apparmor", "name=cgroupns"]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.severity, Severity::High);
        assert_eq!(
            f.evidence[0].value,
            json!(["name=apparmor", "name=cgroupns"])
        );
    }

    #[test]
    fn rendered() {
        let mut findings = run(&NoCustomSeccompProfile, &host());
        findings.extend(run(
            &NoCustomSeccompProfile,
            &with_flags(
                with_options(&["name=seccomp,profile=unconfined"]),
                "--seccomp-profile unconfined",
            ),
        ));
        findings.extend(run(
            &NoCustomSeccompProfile,
            &with_options(&["name=seccomp,profile=/etc/docker/seccomp.json"]),
        ));
        insta::assert_snapshot!(render(&findings));
    }
}
