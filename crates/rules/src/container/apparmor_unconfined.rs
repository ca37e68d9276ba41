//! CTR002 `apparmor-unconfined`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::predicates::security_opt;
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether each container runs under an AppArmor profile, on hosts where
    /// the daemon uses AppArmor.
    ///
    /// - Host-wide: when `/info SecurityOptions` has no `name=apparmor`
    ///   entry the daemon confines nothing with AppArmor, and the rule is
    ///   not applicable (`apparmor-absent`), once for the daemon rather than
    ///   once per container.
    /// - Per container (stopped ones too): `HostConfig.Privileged` fails,
    ///   because the engine starts privileged containers `unconfined`
    ///   whatever profile was asked for. Otherwise `AppArmorProfile` (the
    ///   profile applied at the last start) passes when it names a profile
    ///   and fails when it is empty or `unconfined`.
    /// - A container that was created but never started has no applied
    ///   profile yet; its profile is derived the way the engine will at
    ///   start: the `apparmor=` entry of `HostConfig.SecurityOpt`, else
    ///   `docker-default`.
    ///
    /// The `apparmor=` security option is shown as evidence. Whether the
    /// named profile is loaded and in enforce mode is not collected.
    ///
    /// ## Why it matters
    /// AppArmor is one of the layers between a process in a container and
    /// the host kernel: `docker-default` denies writes to `/proc` and `/sys`
    /// files, mounts, and access to other namespaces' resources. An
    /// unconfined container that is compromised, or that was given extra
    /// capabilities, loses that layer, and several published container
    /// escapes are blocked only by it.
    ///
    /// ## How to fix
    /// Do not pass `--security-opt apparmor=unconfined` (compose:
    /// `security_opt: ["apparmor=unconfined"]`) and do not run containers
    /// `--privileged`. Keep the engine's `docker-default` profile, or load a
    /// tighter custom profile with `apparmor_parser` and select it with
    /// `--security-opt apparmor=<profile>`.
    ///
    /// ## Examples
    /// Fails: `docker run --security-opt apparmor=unconfined nginx`, and
    /// `docker run --privileged nginx`.
    /// Passes: `docker run nginx` (runs under `docker-default`), and
    /// `docker run --security-opt apparmor=nginx-strict nginx`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.2
    /// - <https://docs.docker.com/engine/security/apparmor/>
    pub ApparmorUnconfined {
        id: "CTR002",
        name: "apparmor-unconfined",
        severity: High,
        target: Container,
        summary: "A container runs without an AppArmor profile",
    }
}

/// The profile the engine applies when none is asked for.
const DEFAULT_PROFILE: &str = "docker-default";

impl Check for ApparmorUnconfined {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(engine) = ctx.engine(out) else {
            return;
        };
        let options = &engine.info.security_options;
        if engine.info.security_option("apparmor").is_none() {
            out.push(
                ctx.daemon_subject(),
                Verdict::not_applicable(
                    "apparmor-absent",
                    "The daemon does not use AppArmor (no name=apparmor in SecurityOptions).",
                )
                .with(Evidence::info("/SecurityOptions", options.clone())),
            );
            return;
        }
        ctx.each_container(out, judge);
    }
}

fn judge(c: &ContainerFacts) -> Verdict {
    let inspect = &c.inspect;
    let privileged = inspect.host_config.privileged;
    let profile = inspect.app_armor_profile.as_str();
    let opts = inspect
        .host_config
        .security_opt
        .as_deref()
        .unwrap_or_default();
    let asked = security_opt::find(opts, "apparmor").flatten();

    let mut evidence = vec![Evidence::inspect("/AppArmorProfile", profile)];
    // The last `apparmor` entry is the one the engine applies.
    if let Some((i, entry)) = opts
        .iter()
        .enumerate()
        .rfind(|(_, e)| security_opt::split(e).0 == "apparmor")
    {
        evidence.push(Evidence::inspect(
            format!("/HostConfig/SecurityOpt/{i}"),
            entry.as_str(),
        ));
    }

    if privileged {
        evidence.insert(0, Evidence::inspect("/HostConfig/Privileged", true));
        return Verdict::fail(
            "Runs privileged, so the engine starts it unconfined whatever AppArmor profile is set.",
        )
        .with_all(evidence);
    }

    // A never-started container has no applied profile yet: the engine
    // fills `AppArmorProfile` in at start, from the security option or its
    // default. Reading the empty field as "unconfined" would fail every
    // freshly created container.
    let never_started = inspect.state.status == "created" && profile.is_empty();
    let (effective, derived) = if never_started {
        (asked.unwrap_or(DEFAULT_PROFILE), true)
    } else {
        (profile, false)
    };

    let at_start = if derived {
        evidence.push(Evidence::inspect("/State/Status", "created"));
        " (not started yet: the profile it will get at start)"
    } else {
        ""
    };
    if effective.is_empty() {
        Verdict::fail("Runs with no AppArmor profile.").with_all(evidence)
    } else if effective == "unconfined" {
        Verdict::fail(format!("AppArmor profile is unconfined{at_start}.")).with_all(evidence)
    } else {
        Verdict::pass(format!("AppArmor profile {effective}{at_start}.")).with_all(evidence)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::{Source, Status};
    use crate::testing::*;

    fn apparmor_host() -> bulwark_facts::Snapshot {
        with_info(
            host(),
            json!({"SecurityOptions": ["name=apparmor", "name=seccomp,profile=default"]}),
        )
    }

    fn status(c: serde_json::Value) -> Status {
        only(run(
            &ApparmorUnconfined,
            &with_containers(apparmor_host(), vec![container(c)]),
        ))
        .status
    }

    #[test]
    fn a_named_profile_passes() {
        assert_eq!(
            status(json!({"AppArmorProfile": "docker-default"})),
            Status::Pass
        );
        assert_eq!(
            status(json!({"AppArmorProfile": "nginx-strict",
                          "HostConfig": {"SecurityOpt": ["apparmor=nginx-strict"]}})),
            Status::Pass
        );
    }

    #[test]
    fn empty_or_unconfined_fails() {
        assert_eq!(status(json!({"AppArmorProfile": ""})), Status::Fail);
        assert_eq!(status(json!({})), Status::Fail);
        let f = only(run(
            &ApparmorUnconfined,
            &with_containers(
                apparmor_host(),
                vec![container(json!({
                    "AppArmorProfile": "unconfined",
                    "HostConfig": {"SecurityOpt": ["apparmor:unconfined"]}
                }))],
            ),
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(f.evidence.contains(&Evidence::inspect(
            "/HostConfig/SecurityOpt/0",
            "apparmor:unconfined"
        )));
    }

    #[test]
    fn privileged_fails_even_with_a_profile_asked_for() {
        let f = only(run(
            &ApparmorUnconfined,
            &with_containers(
                apparmor_host(),
                vec![container(json!({
                    "AppArmorProfile": "unconfined",
                    "HostConfig": {"Privileged": true,
                                   "SecurityOpt": ["apparmor=docker-default"]}
                }))],
            ),
        ));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("privileged"), "{}", f.message);
        assert!(
            f.evidence
                .contains(&Evidence::inspect("/HostConfig/Privileged", true))
        );
    }

    #[test]
    fn a_stopped_unconfined_container_still_fails() {
        assert_eq!(
            status(json!({"AppArmorProfile": "unconfined",
                          "State": {"Status": "exited", "Running": false}})),
            Status::Fail
        );
    }

    #[test]
    fn a_never_started_container_is_judged_by_what_it_will_get() {
        let created = |opts: serde_json::Value| {
            json!({"AppArmorProfile": "",
                   "State": {"Status": "created", "Running": false},
                   "HostConfig": {"SecurityOpt": opts}})
        };
        assert_eq!(status(created(json!(null))), Status::Pass);
        assert_eq!(
            status(created(json!(["apparmor=unconfined"]))),
            Status::Fail
        );
        assert_eq!(status(created(json!(["apparmor=custom"]))), Status::Pass);
        assert_eq!(
            status(json!({"State": {"Status": "created", "Running": false},
                          "HostConfig": {"Privileged": true}})),
            Status::Fail
        );
    }

    #[test]
    fn without_apparmor_it_is_not_applicable_once_for_the_host() {
        // The host fixture's SecurityOptions hold only seccomp; many
        // containers must not give many warnings (the catalog's pitfall).
        let s = with_containers(
            host(),
            vec![
                container(json!({"Name": "/a", "AppArmorProfile": ""})),
                container(json!({"Name": "/b", "AppArmorProfile": ""})),
            ],
        );
        let f = only(run(&ApparmorUnconfined, &s));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("apparmor-absent"));
        assert_eq!(f.evidence[0].source, Source::Info);
    }

    #[test]
    fn apparmor_must_be_a_name_not_a_substring() {
        let s = with_info(host(), json!({"SecurityOptions": ["name=apparmorish"]}));
        let s = with_containers(s, vec![container(json!({}))]);
        assert_eq!(
            only(run(&ApparmorUnconfined, &s)).reason,
            Some("apparmor-absent")
        );
    }

    #[test]
    fn missing_engine_facts_are_skipped() {
        let mut s = apparmor_host();
        s.engine = bulwark_facts::Part::Missing(bulwark_facts::Gap::skipped("remote"));
        assert_eq!(only(run(&ApparmorUnconfined, &s)).status, Status::Skipped);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&ApparmorUnconfined, &apparmor_host()));
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            apparmor_host(),
            vec![
                container(json!({"Name": "/web", "AppArmorProfile": "docker-default"})),
                container(json!({"Name": "/debug", "AppArmorProfile": "unconfined",
                                 "HostConfig": {"SecurityOpt": ["apparmor=unconfined"]}})),
                container(json!({"Name": "/root", "AppArmorProfile": "unconfined",
                                 "HostConfig": {"Privileged": true}})),
                container(json!({"Name": "/new", "State": {"Status": "created"}})),
            ],
        );
        insta::assert_snapshot!(render(&run(&ApparmorUnconfined, &s)));
    }
}
