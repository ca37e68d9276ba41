//! CTR031 `host-user-namespace`.

use bulwark_facts::ContainerFacts;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container opts out of user-namespace remapping with
    /// `--userns=host`: `HostConfig.UsernsMode` compared exactly with
    /// `host` (not as a substring) fails; anything else passes. When the
    /// daemon runs without `userns-remap` (no `name=userns` in `/info
    /// SecurityOptions`), every container shares the host's user namespace
    /// anyway; the finding says so in its evidence, and CIS 2.9 (DMN009)
    /// reports the daemon setting itself. Stopped containers are checked
    /// too.
    ///
    /// ## Why it matters
    /// With user namespaces, root in a container is an unprivileged uid on
    /// the host, so a container escape lands as nobody. `--userns=host`
    /// throws that away for one container: its root is the host's root,
    /// and any escape or writable host mount becomes full host compromise.
    ///
    /// ## How to fix
    /// Remove `--userns=host` (compose: `userns_mode: host`), and enable
    /// remapping on the daemon: `dockerd --userns-remap=default` or
    /// daemon.json `"userns-remap": "default"`.
    ///
    /// ## Examples
    /// Fails: `docker run --userns=host app`.
    /// Passes: `docker run app` on a daemon started with
    /// `--userns-remap=default`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.31
    /// - <https://docs.docker.com/engine/security/userns-remap/>
    pub HostUserNamespace {
        id: "CTR031",
        name: "host-user-namespace",
        severity: Medium,
        target: Container,
        summary: "A container shares the host's user namespace",
    }
}

impl Check for HostUserNamespace {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        // `None` when /info was not collected: the note is then left out,
        // the container's own setting still decides.
        let info = ctx.snapshot.engine.get().map(|e| &e.info);
        ctx.each_container(out, |c| {
            judge(
                c,
                info.map(|i| i.security_option("userns").is_some()),
                info.map(|i| i.security_options.clone()),
            )
        });
    }
}

/// `remap`: whether the daemon remaps user namespaces, from
/// `security_options` (`/info SecurityOptions`), the evidence.
fn judge(
    c: &ContainerFacts,
    remap: Option<bool>,
    security_options: Option<Vec<String>>,
) -> Verdict {
    let mode = c.inspect.host_config.userns_mode.as_str();
    let own = Evidence::inspect("/HostConfig/UsernsMode", mode);
    let daemon = security_options.map(|o| Evidence::info("/SecurityOptions", o));
    let verdict = if mode == "host" {
        Verdict::fail(
            "Opts out of user-namespace remapping (--userns=host): its root is host root.",
        )
    } else if remap == Some(false) {
        Verdict::pass(
            "Does not set --userns=host, but the daemon has no userns-remap, so it shares the host's user namespace anyway (see CIS 2.9).",
        )
    } else {
        Verdict::pass("Does not opt out of user-namespace remapping.")
    };
    verdict.with(own).with_all(daemon)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn remapped() -> bulwark_facts::Snapshot {
        with_info(
            host(),
            json!({"SecurityOptions": ["name=seccomp,profile=default", "name=userns"]}),
        )
    }

    #[test]
    fn host_fails_and_the_default_passes() {
        let s = |c| with_containers(remapped(), vec![container(c)]);
        let fail = only(run(
            &HostUserNamespace,
            &s(json!({"HostConfig": {"UsernsMode": "host"}})),
        ));
        assert_eq!(fail.status, Status::Fail);
        let pass = only(run(&HostUserNamespace, &s(json!({}))));
        assert_eq!(pass.status, Status::Pass);
        assert_eq!(
            pass.evidence[1].value,
            json!(["name=seccomp,profile=default", "name=userns"])
        );
        assert!(!pass.message.contains("anyway"));
    }

    #[test]
    fn exact_comparison_not_substring() {
        for mode in ["hostname", "Host", "private", ""] {
            assert_eq!(
                status_of(
                    &HostUserNamespace,
                    json!({"HostConfig": {"UsernsMode": mode}})
                ),
                Status::Pass,
                "{mode}"
            );
        }
    }

    #[test]
    fn without_remapping_the_pass_says_the_namespace_is_shared_anyway() {
        let f = only(run(
            &HostUserNamespace,
            &with_containers(host(), vec![container(json!({}))]),
        ));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("anyway"), "{}", f.message);
        assert_eq!(f.evidence[1].at, "/SecurityOptions");
        assert_eq!(f.evidence[1].value, json!(["name=seccomp,profile=default"]));
    }

    #[test]
    fn without_engine_facts_the_container_still_decides() {
        let mut s = with_containers(
            host(),
            vec![container(json!({"HostConfig": {"UsernsMode": "host"}}))],
        );
        s.engine = bulwark_facts::Part::Missing(bulwark_facts::Gap::error("timeout"));
        let f = only(run(&HostUserNamespace, &s));
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence.len(), 1);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let c = json!({"HostConfig": {"UsernsMode": "host"},
                       "State": {"Status": "exited", "Running": false}});
        assert_eq!(status_of(&HostUserNamespace, c), Status::Fail);
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&HostUserNamespace, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let s = with_containers(
            remapped(),
            vec![
                container(json!({"Name": "/tooling", "HostConfig": {"UsernsMode": "host"}})),
                container(json!({"Name": "/web"})),
            ],
        );
        let mut text = render(&run(&HostUserNamespace, &s));
        let s = with_containers(host(), vec![container(json!({"Name": "/plain"}))]);
        text.push('\n');
        text.push_str(&render(&run(&HostUserNamespace, &s)));
        insta::assert_snapshot!(text);
    }
}
