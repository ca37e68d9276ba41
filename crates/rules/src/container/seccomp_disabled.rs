//! CTR022 `seccomp-disabled`.

use bulwark_facts::{ContainerFacts, Gap, Info};

use crate::context::{Context, gap_verdict};
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::security_opt;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container runs without a seccomp filter. It fails when:
    /// - `HostConfig.SecurityOpt` holds `seccomp=unconfined` (or
    ///   `seccomp:unconfined`);
    /// - `HostConfig.Privileged` is true (privileged containers get no
    ///   seccomp filter);
    /// - the daemon has no seccomp support (no `name=seccomp` entry in
    ///   `/info SecurityOptions`);
    /// - the container uses the daemon's profile and that profile is
    ///   `unconfined` (`name=seccomp,profile=unconfined`, from
    ///   `--seccomp-profile=unconfined`).
    ///
    /// A custom profile, per container (`seccomp=<profile>`, which the CLI
    /// stores as inline JSON) or daemon-wide, passes with a note that its
    /// content was not evaluated. Entries are split at their first `=` or
    /// `:` only, because inline JSON contains both. Stopped containers are
    /// checked too.
    ///
    /// ## Why it matters
    /// Docker's default seccomp profile blocks about 50 system calls that
    /// containers do not need and that have a history of kernel exploits
    /// (`keyctl`, `unshare`, `mount`, `bpf`, `userfaultfd`, …). Without it
    /// every kernel bug reachable through those calls is an escape path.
    ///
    /// ## How to fix
    /// Remove `--security-opt seccomp=unconfined` (compose:
    /// `security_opt: ["seccomp:unconfined"]`) and `--privileged`. If a
    /// workload needs a blocked call, start from Docker's default profile
    /// and allow only that call: `--security-opt seccomp=/path/profile.json`.
    /// Do not start the daemon with `--seccomp-profile=unconfined`.
    ///
    /// ## Examples
    /// Fails: `docker run --security-opt seccomp=unconfined app`.
    /// Passes: `docker run app` on a daemon with seccomp support, or
    /// `docker run --security-opt seccomp=./profile.json app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.22
    /// - <https://docs.docker.com/engine/security/seccomp/>
    pub SeccompDisabled {
        id: "CTR022",
        name: "seccomp-disabled",
        severity: High,
        target: Container,
        summary: "A container runs without a seccomp filter",
    }
}

impl Check for SeccompDisabled {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let info = ctx.snapshot.engine.as_result().map(|e| &e.info);
        ctx.each_container(out, |c| judge(c, info));
    }
}

fn judge(c: &ContainerFacts, info: Result<&Info, &Gap>) -> Verdict {
    let hc = &c.inspect.host_config;
    let entries = hc.security_opt.as_deref().unwrap_or_default();
    let own = security_opt::find(entries, "seccomp");
    let own_evidence = Evidence::inspect(
        "/HostConfig/SecurityOpt",
        entries.iter().map(|e| shown(e)).collect::<Vec<_>>(),
    );

    // What the container itself says decides first: no daemon setting
    // can undo these.
    if hc.privileged {
        return Verdict::fail("Privileged: no seccomp filter is applied.")
            .with(Evidence::inspect("/HostConfig/Privileged", true))
            .with(own_evidence);
    }
    if own == Some(Some("unconfined")) {
        return Verdict::fail("Runs with seccomp=unconfined: no system call is filtered.")
            .with(own_evidence);
    }

    let info = match info {
        Ok(info) => info,
        Err(gap) => return gap_verdict(gap).with(own_evidence),
    };
    let daemon_evidence = Evidence::info("/SecurityOptions", info.security_options.clone());
    let Some(daemon) = info.security_option("seccomp") else {
        return Verdict::fail(
            "The daemon reports no seccomp support: no container gets a seccomp filter.",
        )
        .with(own_evidence)
        .with(daemon_evidence);
    };

    let verdict = match own {
        // `builtin` (newer CLIs) and a bare key mean the default profile.
        Some(Some(profile)) if !profile.is_empty() && profile != "builtin" => {
            Verdict::pass("Uses a custom seccomp profile (content not evaluated).")
        }
        _ => match daemon.get("profile").map(String::as_str) {
            Some("unconfined") => Verdict::fail(
                "Uses the daemon's seccomp profile, which is unconfined: no system call is filtered.",
            ),
            Some("default") | Some("builtin") | None => {
                Verdict::pass("Uses Docker's default seccomp profile.")
            }
            Some(_) => {
                Verdict::pass("Uses the daemon's custom seccomp profile (content not evaluated).")
            }
        },
    };
    verdict.with(own_evidence).with(daemon_evidence)
}

/// A SecurityOpt entry as evidence: an inline JSON seccomp profile is
/// summarised, not copied (it runs to kilobytes).
fn shown(entry: &str) -> String {
    match security_opt::split(entry) {
        ("seccomp", Some(v)) if v.trim_start().starts_with('{') => {
            let sep = &entry["seccomp".len()..="seccomp".len()];
            format!("seccomp{sep}<inline JSON profile, {} bytes>", v.len())
        }
        _ => entry.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::Part;
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn opt(entry: &str) -> serde_json::Value {
        json!({"HostConfig": {"SecurityOpt": [entry]}})
    }

    #[test]
    fn the_default_profile_passes() {
        assert_eq!(status_of(&SeccompDisabled, json!({})), Status::Pass);
        assert_eq!(
            status_of(&SeccompDisabled, opt("seccomp=builtin")),
            Status::Pass
        );
    }

    #[test]
    fn unconfined_fails_with_either_separator() {
        assert_eq!(
            status_of(&SeccompDisabled, opt("seccomp=unconfined")),
            Status::Fail
        );
        assert_eq!(
            status_of(&SeccompDisabled, opt("seccomp:unconfined")),
            Status::Fail
        );
    }

    #[test]
    fn privileged_fails() {
        assert_eq!(
            status_of(
                &SeccompDisabled,
                json!({"HostConfig": {"Privileged": true}})
            ),
            Status::Fail
        );
    }

    #[test]
    fn an_inline_json_profile_passes_unevaluated_and_is_not_copied() {
        let inline = r#"seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}"#;
        let f = only(run(
            &SeccompDisabled,
            &with_containers(host(), vec![container(opt(inline))]),
        ));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("content not evaluated"));
        let shown = f.evidence[0].value[0].as_str().unwrap();
        assert!(shown.starts_with("seccomp=<inline JSON profile"), "{shown}");
    }

    #[test]
    fn an_unconfined_daemon_profile_fails_unless_the_container_has_its_own() {
        let s = |c| {
            with_containers(
                with_info(
                    host(),
                    json!({"SecurityOptions": ["name=seccomp,profile=unconfined"]}),
                ),
                vec![container(c)],
            )
        };
        assert_eq!(
            only(run(&SeccompDisabled, &s(json!({})))).status,
            Status::Fail
        );
        assert_eq!(
            only(run(
                &SeccompDisabled,
                &s(opt("seccomp=/etc/docker/seccomp.json"))
            ))
            .status,
            Status::Pass
        );
    }

    #[test]
    fn a_daemon_custom_profile_passes_unevaluated() {
        let s = with_containers(
            with_info(
                host(),
                json!({"SecurityOptions": ["name=seccomp,profile=/etc/docker/seccomp.json"]}),
            ),
            vec![container(json!({}))],
        );
        let f = only(run(&SeccompDisabled, &s));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("content not evaluated"));
    }

    #[test]
    fn no_seccomp_support_fails_even_with_a_custom_profile() {
        let s = with_containers(
            with_info(host(), json!({"SecurityOptions": ["name=apparmor"]})),
            vec![container(opt("seccomp=/p.json"))],
        );
        let f = only(run(&SeccompDisabled, &s));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence[1].value, json!(["name=apparmor"]));
    }

    #[test]
    fn missing_engine_facts_give_the_gap_unless_the_container_decides() {
        let mut s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/plain"})),
                container(
                    json!({"Name": "/open", "HostConfig": {"SecurityOpt": ["seccomp=unconfined"]}}),
                ),
            ],
        );
        s.engine = Part::Missing(Gap::error("/info timed out"));
        let f = run(&SeccompDisabled, &s);
        assert_eq!(f[0].status, Status::Error);
        assert_eq!(f[0].reason, Some("collection-failed"));
        assert_eq!(f[1].status, Status::Fail);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let mut c = opt("seccomp=unconfined");
        c["State"] = json!({"Status": "exited", "Running": false});
        assert_eq!(status_of(&SeccompDisabled, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&SeccompDisabled, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            host(),
            vec![
                container(
                    json!({"Name": "/debug", "HostConfig": {"SecurityOpt": ["seccomp:unconfined", "no-new-privileges"]}}),
                ),
                container(json!({"Name": "/priv", "HostConfig": {"Privileged": true}})),
                container(
                    json!({"Name": "/custom", "HostConfig": {"SecurityOpt": [r#"seccomp={"defaultAction":"SCMP_ACT_ERRNO"}"#]}}),
                ),
                container(json!({"Name": "/web"})),
            ],
        );
        insta::assert_snapshot!(render(&run(&SeccompDisabled, &s)));
    }
}
