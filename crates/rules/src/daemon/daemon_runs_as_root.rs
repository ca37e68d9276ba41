//! DMN001 `daemon-runs-as-root`.

use bulwark_facts::Part;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

/// What a person must weigh before rootless mode is ruled out: the
/// documented limits of rootless Docker.
const ROOTLESS_LIMITS: &str = "rootless mode has no AppArmor, needs cgroup v2 with systemd for resource limits, and needs net.ipv4.ip_unprivileged_port_start for ports below 1024";

declare_rule! {
    /// ## What it checks
    /// Whether the audited daemon runs without root privileges. Passes when
    /// `/info SecurityOptions` contains `name=rootless`, or when the uid of
    /// the dockerd process serving the audited socket (its
    /// `/proc/PID/status`) is not 0. Otherwise the daemon is rootful and
    /// a person must confirm that rootless mode is not feasible for the
    /// workloads: the control says "if possible", so this rule never fails.
    /// `name=userns` (user-namespace remapping) is not rootless: the daemon
    /// itself still runs as root.
    ///
    /// ## Why it matters
    /// A rootful daemon is root on the host, and anyone who can talk to its
    /// API can become root too (`docker run -v /:/host --privileged`). A
    /// daemon bug, a malicious image exploiting it, or a container escape
    /// lands with full host privileges. A rootless daemon runs as an
    /// ordinary user inside a user namespace, so the same compromise stops
    /// at that user.
    ///
    /// ## How to fix
    /// Install and run Docker in rootless mode for the user that runs the
    /// workloads (`dockerd-rootless-setuptool.sh install`, then
    /// `systemctl --user enable --now docker`) and point clients at its
    /// socket (`unix:///run/user/UID/docker.sock`). Where rootless mode is
    /// not possible, record why, and keep the daemon's socket restricted
    /// and user-namespace remapping on (DMN009).
    ///
    /// ## Examples
    /// Needs review: dockerd started by systemd as root; `docker info`
    /// shows no `rootless` under Security Options.
    /// Passes: `docker info` lists `name=rootless`; dockerd runs as uid 1000.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 2.1
    /// - <https://docs.docker.com/engine/security/rootless/>
    pub DaemonRunsAsRoot {
        id: "DMN001",
        name: "daemon-runs-as-root",
        severity: Medium,
        target: Daemon,
        summary: "The Docker daemon runs as root rather than in rootless mode",
    }
}

impl Check for DaemonRunsAsRoot {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let engine = ctx.snapshot.engine.get();
        let options =
            engine.map(|e| Evidence::info("/SecurityOptions", e.info.security_options.clone()));
        if engine.is_some_and(|e| e.info.security_option("rootless").is_some()) {
            out.push(
                ctx.daemon_subject(),
                Verdict::pass("The daemon runs in rootless mode.").with_all(options),
            );
            return;
        }
        let verdict = match &ctx.snapshot.daemon.process {
            Part::Collected(p) => {
                let uid = Evidence::new(Source::Proc, format!("/proc/{}/status#Uid", p.pid), p.uid);
                if p.uid != 0 {
                    Verdict::pass(format!("The daemon runs as uid {}, not root.", p.uid)).with(uid)
                } else {
                    Verdict::manual(format!(
                        "Verify: rootless mode is not feasible for these workloads; the daemon runs as root ({ROOTLESS_LIMITS})."
                    ))
                    .with(uid)
                }
            }
            // Without the process, /info still says whether the daemon is
            // rootless; a dockerd outside rootless mode needs root to run.
            Part::Missing(gap) if engine.is_some() => Verdict::manual(format!(
                "Verify: rootless mode is not feasible for these workloads; the daemon does not report rootless mode, so it runs as root (its process was not read: {}; {ROOTLESS_LIMITS}).",
                gap.reason
            )),
            Part::Missing(_) => {
                // Neither source: let the context report why /info is missing.
                let _ = ctx.engine(out);
                return;
            }
        };
        out.push(ctx.daemon_subject(), verdict.with_all(options));
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{DaemonProcess, Gap, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    fn with_uid(mut s: Snapshot, uid: u32) -> Snapshot {
        if let Part::Collected(p) = &mut s.daemon.process {
            p.uid = uid;
        }
        s
    }

    #[test]
    fn rootful_daemon_needs_a_person_never_fails() {
        let f = only(run(&DaemonRunsAsRoot, &host()));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert_eq!(f.evidence[0].at, "/proc/100/status#Uid");
        assert_eq!(f.evidence[0].value, json!(0));
    }

    #[test]
    fn rootless_in_info_passes() {
        let s = with_info(
            host(),
            json!({"SecurityOptions": ["name=seccomp,profile=default", "name=rootless"]}),
        );
        let f = only(run(&DaemonRunsAsRoot, &s));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(f.evidence[0].at, "/SecurityOptions");
    }

    #[test]
    fn a_non_root_uid_passes() {
        let f = only(run(&DaemonRunsAsRoot, &with_uid(host(), 1000)));
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("1000"));
    }

    #[test]
    fn userns_remap_is_not_rootless() {
        let s = with_info(
            host(),
            json!({"SecurityOptions": ["name=seccomp,profile=default", "name=userns"]}),
        );
        assert_eq!(only(run(&DaemonRunsAsRoot, &s)).status, Status::Manual);
    }

    #[test]
    fn a_hidden_process_still_decides_from_info() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        let f = only(run(&DaemonRunsAsRoot, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("daemon pid not visible"));

        let mut s = with_info(host(), json!({"SecurityOptions": ["name=rootless"]}));
        s.daemon.process = Part::Missing(Gap::skipped("daemon pid not visible"));
        assert_eq!(only(run(&DaemonRunsAsRoot, &s)).status, Status::Pass);
    }

    #[test]
    fn nothing_known_reports_the_gap() {
        let mut s = host();
        s.daemon.process = Part::Missing(Gap::skipped("remote daemon"));
        s.engine = Part::Missing(Gap::error("GET /info: connection reset"));
        let f = only(run(&DaemonRunsAsRoot, &s));
        assert_eq!(f.status, Status::Error);
    }

    #[test]
    fn a_process_alone_decides_without_info() {
        let mut s = with_uid(host(), 1000);
        s.engine = Part::Missing(Gap::error("GET /info: 500"));
        assert_eq!(only(run(&DaemonRunsAsRoot, &s)).status, Status::Pass);
    }

    #[test]
    fn rendered() {
        let mut findings = run(&DaemonRunsAsRoot, &host());
        let mut rootless = with_info(
            host(),
            json!({"SecurityOptions": ["name=seccomp,profile=default", "name=rootless"]}),
        );
        rootless.daemon.process = Part::Collected(DaemonProcess {
            pid: 2200,
            uid: 1000,
            argv: vec!["dockerd".into()],
            ..DaemonProcess::default()
        });
        findings.extend(run(&DaemonRunsAsRoot, &rootless));
        insta::assert_snapshot!(render(&findings));
    }
}
