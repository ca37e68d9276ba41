//! CTR026 `new-privileges-allowed`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::predicates::security_opt;
use crate::rule::Check;
use crate::settings::Setting;

declare_rule! {
    /// ## What it checks
    /// Whether a container's processes can gain privileges through setuid
    /// binaries or file capabilities, i.e. whether `no_new_privs` is set.
    /// The container's `HostConfig.SecurityOpt` decides first:
    /// `no-new-privileges`, `no-new-privileges=true` or `:true` passes; an
    /// explicit `no-new-privileges=false` (or `:false`) fails even when the
    /// daemon default is on, because it opts out. When the container says
    /// nothing, the daemon default decides (`--no-new-privileges` flag or
    /// daemon.json `"no-new-privileges"`, which `docker inspect` does not
    /// show): true passes, false or unset fails, unreadable needs a person.
    /// Stopped containers are checked too.
    ///
    /// ## Why it matters
    /// Without `no_new_privs`, a process in the container that runs as an
    /// unprivileged user can execute a setuid-root binary (`su`, `sudo`,
    /// `passwd`, or one an attacker finds) and become root in the
    /// container, regaining the capabilities the non-root user was meant
    /// to lose. The flag closes that path at the kernel level.
    ///
    /// ## How to fix
    /// Start containers with `--security-opt no-new-privileges` (compose:
    /// `security_opt: ["no-new-privileges:true"]`), or set it for every
    /// container on the daemon: `dockerd --no-new-privileges` or
    /// daemon.json `"no-new-privileges": true`. Remove any
    /// `no-new-privileges=false` opt-outs.
    ///
    /// ## Examples
    /// Fails: `docker run app` on a daemon without `no-new-privileges`;
    /// `docker run --security-opt no-new-privileges=false app` on any daemon.
    /// Passes: `docker run --security-opt no-new-privileges app`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.26
    /// - <https://docs.docker.com/reference/cli/docker/container/run/#security-opt>
    pub NewPrivilegesAllowed {
        id: "CTR026",
        name: "new-privileges-allowed",
        severity: Medium,
        target: Container,
        summary: "A container's processes may gain new privileges",
    }
}

impl Check for NewPrivilegesAllowed {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        // The daemon default is the same for every container: read it once.
        let daemon = ctx.daemon.get("no-new-privileges");
        ctx.each_container(out, |c| judge(c, &daemon));
    }
}

fn judge(c: &ContainerFacts, daemon: &Setting) -> Verdict {
    let entries = c
        .inspect
        .host_config
        .security_opt
        .as_deref()
        .unwrap_or_default();
    // Only the entries that decide: SecurityOpt can also hold a whole
    // inline seccomp profile.
    let own = Evidence::inspect(
        "/HostConfig/SecurityOpt",
        entries
            .iter()
            .filter(|e| security_opt::split(e).0 == "no-new-privileges")
            .cloned()
            .collect::<Vec<_>>(),
    );
    match security_opt::no_new_privileges(entries) {
        Some(true) => {
            return Verdict::pass("Sets no-new-privileges.").with(own);
        }
        Some(false) => {
            return Verdict::fail(
                "Opts out with no-new-privileges=false: setuid binaries can raise privileges.",
            )
            .with(own);
        }
        None => {}
    }
    match daemon {
        Setting::Set { value, evidence } => match daemon.as_bool() {
            Some(true) => Verdict::pass("Inherits no-new-privileges from the daemon default.")
                .with(own)
                .with(evidence.clone()),
            Some(false) => Verdict::fail(
                "Neither the container nor the daemon (set to false) enables no-new-privileges.",
            )
            .with(own)
            .with(evidence.clone()),
            None => Verdict::manual(format!(
                "Verify: the daemon's no-new-privileges value {value} is not a boolean; check what dockerd applies."
            ))
            .with(own)
            .with(evidence.clone()),
        },
        Setting::Unset { checked } => Verdict::fail(format!(
            "Neither the container nor the daemon enables no-new-privileges ({checked})."
        ))
        .with(own)
        .with(Evidence::new(Source::Default, "--no-new-privileges", false)),
        Setting::Unknown(reason) => Verdict::manual(format!(
            "Verify: the daemon default for no-new-privileges could not be read ({reason}); the container does not set it."
        ))
        .with(own),
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Gap, Part, Snapshot};
    use serde_json::{Value, json};

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn opt(entries: &[&str]) -> Value {
        json!({"HostConfig": {"SecurityOpt": entries}})
    }

    fn status_on(s: Snapshot, c: Value) -> Status {
        only(run(
            &NewPrivilegesAllowed,
            &with_containers(s, vec![container(c)]),
        ))
        .status
    }

    #[test]
    fn every_true_spelling_passes() {
        for e in [
            "no-new-privileges",
            "no-new-privileges=true",
            "no-new-privileges:true",
        ] {
            assert_eq!(status_on(host(), opt(&[e])), Status::Pass, "{e}");
        }
    }

    #[test]
    fn unset_everywhere_fails_with_the_default_as_evidence() {
        let f = only(run(
            &NewPrivilegesAllowed,
            &with_containers(host(), vec![container(json!({}))]),
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("no --no-new-privileges flag"),
            "{}",
            f.message
        );
        assert_eq!(f.evidence[1].source, Source::Default);
    }

    #[test]
    fn the_daemon_default_applies_when_the_container_is_silent() {
        assert_eq!(
            status_on(with_flags(host(), "--no-new-privileges"), json!({})),
            Status::Pass
        );
        assert_eq!(
            status_on(
                with_daemon_json(host(), json!({"no-new-privileges": true})),
                opt(&["seccomp=unconfined"])
            ),
            Status::Pass
        );
        assert_eq!(
            status_on(with_flags(host(), "--no-new-privileges=false"), json!({})),
            Status::Fail
        );
    }

    #[test]
    fn an_explicit_false_opts_out_of_a_true_daemon_default() {
        for e in ["no-new-privileges=false", "no-new-privileges:false"] {
            assert_eq!(
                status_on(with_flags(host(), "--no-new-privileges"), opt(&[e])),
                Status::Fail,
                "{e}"
            );
        }
    }

    #[test]
    fn the_last_entry_wins() {
        assert_eq!(
            status_on(
                host(),
                opt(&["no-new-privileges=false", "no-new-privileges"])
            ),
            Status::Pass
        );
    }

    #[test]
    fn an_unreadable_daemon_default_needs_a_person_unless_the_container_decides() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        let f = only(run(
            &NewPrivilegesAllowed,
            &with_containers(s.clone(), vec![container(json!({}))]),
        ));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert!(f.message.contains("could not be read"));
        assert_eq!(
            status_on(s.clone(), opt(&["no-new-privileges"])),
            Status::Pass
        );
        assert_eq!(
            status_on(s, opt(&["no-new-privileges=false"])),
            Status::Fail
        );
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = json!({"State": {"Status": "exited", "Running": false}});
        assert_eq!(status_on(host(), c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&NewPrivilegesAllowed, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let containers = || {
            vec![
                container(
                    json!({"Name": "/hardened", "HostConfig": {"SecurityOpt": ["no-new-privileges:true"]}}),
                ),
                container(
                    json!({"Name": "/optout", "HostConfig": {"SecurityOpt": ["no-new-privileges=false"]}}),
                ),
                container(json!({"Name": "/plain"})),
            ]
        };
        let mut text = render(&run(
            &NewPrivilegesAllowed,
            &with_containers(host(), containers()),
        ));
        let on = with_daemon_json(host(), json!({"no-new-privileges": true}));
        text.push('\n');
        text.push_str(&render(&run(
            &NewPrivilegesAllowed,
            &with_containers(on, containers()),
        )));
        insta::assert_snapshot!(text);
    }
}
